/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The "hv_iommu" generic netlink family: live state of hv_iommu.ko (and of
 * hv_vmm.ko, which plugs its dumps and events into the same family) for
 * programs, and a multicast group of events.  The specification is
 * doc/netlink/hv_iommu.yaml (the kernel's Documentation/netlink/specs
 * format); this header carries its enums and must stay in step with it.
 * See hv_iommu(4) for the semantics of every field.
 *
 * Dumps (NLM_F_DUMP): domain-get, device-get, mapping-get (needs
 * HV_IOMMU_A_DOMAIN_ID; resumable: each message continues after the last
 * IOVA sent), skipped-get, stats-get, synic-get, partition-get, mmio-get.
 * Change (CAP_NET_ADMIN): skip-set.  mapping-get and mmio-get also need
 * CAP_NET_ADMIN: they reveal physical addresses, the VMM's user addresses.
 * Events: group "events", command HV_IOMMU_CMD_EVENT, HV_IOMMU_A_EVENT_TYPE
 * says which.  Map and unmap events are coalesced per domain.
 */
#ifndef _UAPI_HV_IOMMU_NL_H
#define _UAPI_HV_IOMMU_NL_H

#define HV_IOMMU_GENL_NAME		"hv_iommu"
#define HV_IOMMU_GENL_VERSION		1
#define HV_IOMMU_MCGRP_EVENTS		"events"

/* Coalescing window of map and unmap events (milliseconds). */
#define HV_IOMMU_EVENT_COALESCE_MS	100

enum hv_iommu_domain_type {
	HV_IOMMU_DOMAIN_TYPE_IDENTITY,
	HV_IOMMU_DOMAIN_TYPE_BLOCKED,
	HV_IOMMU_DOMAIN_TYPE_PAGING,
};

enum hv_iommu_domain_mode {
	HV_IOMMU_DOMAIN_MODE_NONE,
	HV_IOMMU_DOMAIN_MODE_DOMAIN,
	HV_IOMMU_DOMAIN_MODE_DIRECT,
};

enum hv_iommu_device_state {
	HV_IOMMU_DEVICE_STATE_ATTACHED,
	HV_IOMMU_DEVICE_STATE_DETACH_FAILED,
};

enum hv_iommu_skip_reason_nl {
	HV_IOMMU_SKIP_REASON_PCI_DEVS_TO_SKIP = 1,
	HV_IOMMU_SKIP_REASON_RUNTIME_LIST,
	HV_IOMMU_SKIP_REASON_PERSISTENT_RULE,
	HV_IOMMU_SKIP_REASON_UDEV_RULE,
	HV_IOMMU_SKIP_REASON_GROUP_MEMBER_LISTED,
	HV_IOMMU_SKIP_REASON_SEGMENT,
	HV_IOMMU_SKIP_REASON_ID_COLLISION,
	HV_IOMMU_SKIP_REASON_NOMEM,
	HV_IOMMU_SKIP_REASON_BOUND_BEFORE_LOAD,
};

/* HV_IOMMU_A_MAP_FLAGS */
#define HV_IOMMU_MAP_F_WRITE		(1U << 0)

enum hv_iommu_synic_owner {
	HV_IOMMU_SYNIC_OWNER_NONE,
	HV_IOMMU_SYNIC_OWNER_VMBUS,
	HV_IOMMU_SYNIC_OWNER_VMM,
};

enum hv_iommu_event_type {
	HV_IOMMU_EVENT_DOMAIN_CREATED = 1,
	HV_IOMMU_EVENT_DOMAIN_FREED,
	HV_IOMMU_EVENT_DOMAIN_STRANDED,
	HV_IOMMU_EVENT_DEVICE_ATTACHED,
	HV_IOMMU_EVENT_DEVICE_DETACHED,
	HV_IOMMU_EVENT_DEVICE_DETACH_FAILED,
	HV_IOMMU_EVENT_SKIP_CHANGED,
	HV_IOMMU_EVENT_DEVICE_SKIPPED,
	HV_IOMMU_EVENT_MAP,
	HV_IOMMU_EVENT_UNMAP,
	HV_IOMMU_EVENT_MMIO_MAPPED,
	HV_IOMMU_EVENT_MMIO_UNMAPPED,
	HV_IOMMU_EVENT_MMIO_GUARD_REFUSED,
	HV_IOMMU_EVENT_PARTITION_CREATED,
	HV_IOMMU_EVENT_PARTITION_DELETED,

	__HV_IOMMU_EVENT_MAX,
	HV_IOMMU_EVENT_MAX = __HV_IOMMU_EVENT_MAX - 1,
};

/* Attribute set "hv-iommu": every message's top-level attributes. */
enum hv_iommu_a {
	HV_IOMMU_A_UNSPEC,
	HV_IOMMU_A_PAD,
	HV_IOMMU_A_DOMAIN_ID,		/* u32 */
	HV_IOMMU_A_DOMAIN_TYPE,		/* u32, enum hv_iommu_domain_type */
	HV_IOMMU_A_DOMAIN_MODE,		/* u32, enum hv_iommu_domain_mode */
	HV_IOMMU_A_PARTITION_ID,	/* u64 */
	HV_IOMMU_A_DOMAIN_DEVICE,	/* string BDF, one per device */
	HV_IOMMU_A_MAPPED_BYTES,	/* u64 */
	HV_IOMMU_A_MAPPINGS,		/* u64 */
	HV_IOMMU_A_STRANDED,		/* flag */
	HV_IOMMU_A_BDF,			/* string SSSS:BB:DD.F */
	HV_IOMMU_A_DEVICE_ID,		/* u64, PCI-form union hv_device_id */
	HV_IOMMU_A_DEVICE_STATE,	/* u32, enum hv_iommu_device_state */
	HV_IOMMU_A_HV_STATUS,		/* u32, HV_STATUS of the last refused detach */
	HV_IOMMU_A_LOGICAL_ID,		/* u64 */
	HV_IOMMU_A_DIRECT_PARTITION,	/* u64 */
	HV_IOMMU_A_IOVA,		/* u64, first byte */
	HV_IOMMU_A_IOVA_LAST,		/* u64, last byte (inclusive) */
	HV_IOMMU_A_PADDR,		/* u64 */
	HV_IOMMU_A_MAP_FLAGS,		/* u32, HV_IOMMU_MAP_F_* */
	HV_IOMMU_A_SKIP_REASON,		/* u32, enum hv_iommu_skip_reason_nl */
	HV_IOMMU_A_SKIP_LIST,		/* string, pci_devs_to_skip syntax */
	HV_IOMMU_A_STATS_CALL,		/* nest "stat-call", one per call code */
	HV_IOMMU_A_STATS_STATUS,	/* nest "stat-status", one per status */
	HV_IOMMU_A_STATS_DEPOSIT_CALLS,	/* u64 */
	HV_IOMMU_A_STATS_DEPOSIT_PAGES,	/* u64 */
	HV_IOMMU_A_STATS_DEPOSIT_DEFERRED, /* u64 */
	HV_IOMMU_A_STATS_RESUMES,	/* u64 */
	HV_IOMMU_A_STATS_PINNED_LEAKED,	/* u64, pages */
	HV_IOMMU_A_STATS_UNHELD_FRAMES,	/* u64, frames */
	HV_IOMMU_A_STATS_DEPOSIT_AHEAD,	/* u64, deposits ahead of need */
	HV_IOMMU_A_STATS_DEPOSIT_CREDIT, /* s64, pages */
	HV_IOMMU_A_STATS_STORE_LEAVES,	/* u64, leaf tables */
	HV_IOMMU_A_STATS_STORE_LEAF_BYTES, /* u64, bytes */
	HV_IOMMU_A_SYNIC_CPU,		/* u32 */
	HV_IOMMU_A_SYNIC_RESOURCE,	/* string: SCONTROL SIMP ... SINT5 */
	HV_IOMMU_A_SYNIC_OWNER,		/* u32, enum hv_iommu_synic_owner */
	HV_IOMMU_A_SYNIC_ONLINE,	/* u8 */
	HV_IOMMU_A_SYNIC_ENABLED,	/* u8 */
	HV_IOMMU_A_SYNIC_MASKED,	/* u8 (SINTs) */
	HV_IOMMU_A_SYNIC_VECTOR,	/* u32 (SINTs) */
	HV_IOMMU_A_SYNIC_PAGE,		/* u64 GPA (SIMP SIEFP SIRBP) */
	HV_IOMMU_A_SYNIC_DELIVERED,	/* u64 (SINT0 SINT5) */
	HV_IOMMU_A_MMIO_GPA,		/* u64, first byte of an MMIO region */
	HV_IOMMU_A_MMIO_SIZE,		/* u64, bytes */
	HV_IOMMU_A_MMIO_MODE,		/* string: full, page, eager */
	HV_IOMMU_A_MMIO_MAPPED_BYTES,	/* u64 */
	HV_IOMMU_A_PARTITION_FLAGS,	/* u64, HV_VMM_PT_BIT_* bits */
	HV_IOMMU_A_PARTITION_INITIALIZED, /* u8 */
	HV_IOMMU_A_EVENT_TYPE,		/* u32, enum hv_iommu_event_type */
	HV_IOMMU_A_EVENT_TIME_NS,	/* u64, CLOCK_REALTIME */
	HV_IOMMU_A_EVENT_CALLS,		/* u64, map/unmap calls coalesced */
	HV_IOMMU_A_EVENT_BYTES,		/* u64, bytes they mapped/unmapped */
	HV_IOMMU_A_EVENT_DROPPED,	/* u64, events not sent (no memory) */
	HV_IOMMU_A_MAPPING,		/* nest, one per mapping: IOVA, IOVA_LAST,
					 * PADDR, MAP_FLAGS */
	HV_IOMMU_A_SKIP_ENTRY,		/* string: SSSS:BB:DD.F or VVVV:DDDD */
	HV_IOMMU_A_SKIP_ORIGIN,		/* string: boot runtime persistent rule */
	HV_IOMMU_A_SKIP_ADDED,		/* u8: 1 added, 0 removed */
	HV_IOMMU_A_REGION_UADDR,	/* u64, the VMM's user address of a region */
	HV_IOMMU_A_REGION_RAM,		/* flag: a RAM region (no mmio-mode) */

	__HV_IOMMU_A_MAX,
	HV_IOMMU_A_MAX = __HV_IOMMU_A_MAX - 1,
};

/* Attribute set "stat-call": one hypercall code's counters. */
enum hv_iommu_a_call {
	HV_IOMMU_A_CALL_UNSPEC,
	HV_IOMMU_A_CALL_PAD,
	HV_IOMMU_A_CALL_NAME,		/* string */
	HV_IOMMU_A_CALL_CODE,		/* u32, TLFS call code */
	HV_IOMMU_A_CALL_CALLS,		/* u64 */
	HV_IOMMU_A_CALL_REPS,		/* u64 */
	HV_IOMMU_A_CALL_FAILURES,	/* u64 */

	__HV_IOMMU_A_CALL_MAX,
	HV_IOMMU_A_CALL_MAX = __HV_IOMMU_A_CALL_MAX - 1,
};

/* Attribute set "stat-status": how often one HV_STATUS came back. */
enum hv_iommu_a_status {
	HV_IOMMU_A_STATUS_UNSPEC,
	HV_IOMMU_A_STATUS_PAD,
	HV_IOMMU_A_STATUS_NAME,		/* string */
	HV_IOMMU_A_STATUS_CODE,		/* u32 */
	HV_IOMMU_A_STATUS_COUNT,	/* u64 */

	__HV_IOMMU_A_STATUS_MAX,
	HV_IOMMU_A_STATUS_MAX = __HV_IOMMU_A_STATUS_MAX - 1,
};

enum hv_iommu_cmd {
	HV_IOMMU_CMD_UNSPEC,
	HV_IOMMU_CMD_DOMAIN_GET,
	HV_IOMMU_CMD_DEVICE_GET,
	HV_IOMMU_CMD_MAPPING_GET,
	HV_IOMMU_CMD_SKIPPED_GET,
	HV_IOMMU_CMD_STATS_GET,
	HV_IOMMU_CMD_SYNIC_GET,
	HV_IOMMU_CMD_PARTITION_GET,
	HV_IOMMU_CMD_MMIO_GET,
	HV_IOMMU_CMD_SKIP_SET,
	HV_IOMMU_CMD_EVENT,

	__HV_IOMMU_CMD_MAX,
	HV_IOMMU_CMD_MAX = __HV_IOMMU_CMD_MAX - 1,
};

#endif /* _UAPI_HV_IOMMU_NL_H */
