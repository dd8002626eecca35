/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V hypercall ABI for device passthrough: call codes, status codes and
 * the packed little-endian input structures laid out in the per-CPU 4096-byte
 * hypercall input page.  Shared by the driver (which builds inputs) and the
 * simulator (which decodes them).  Sources: Hyper-V TLFS (hypercall interface,
 * chapter 3) and the "PCI passthru on Hyper-V" series; see
 * ../shared/hyperv-abi.md.  Never include this together with the kernel's
 * asm/mshyperv.h: only the "hyperv" backend talks to that header.
 */
#ifndef HV_ABI_H
#define HV_ABI_H

#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/bits.h>

#define HV_HYP_PAGE_SHIFT		12
#define HV_HYP_PAGE_SIZE		(1UL << HV_HYP_PAGE_SHIFT)
#define HV_HYP_PAGE_MASK		(~(HV_HYP_PAGE_SIZE - 1))

/* Hypercall control word (input), TLFS 3.7. */
#define HV_HC_CODE_MASK			GENMASK_ULL(15, 0)
#define HV_HC_FAST			BIT_ULL(16)
#define HV_HC_VARHEAD_SHIFT		17
#define HV_HC_VARHEAD_MASK		GENMASK_ULL(26, 17)
#define HV_HC_REP_COUNT_SHIFT		32
#define HV_HC_REP_COUNT_MASK		GENMASK_ULL(43, 32)
#define HV_HC_REP_START_SHIFT		48
#define HV_HC_REP_START_MASK		GENMASK_ULL(59, 48)
/* Bits that must be zero in a control word. */
#define HV_HC_RSVD_MASK			(GENMASK_ULL(31, 27) | GENMASK_ULL(47, 44) | \
					 GENMASK_ULL(63, 60))
/* The largest rep count the 12-bit field can carry. */
#define HV_HC_REP_MAX			4095U

/* Hypercall result value (output), TLFS 3.8. */
#define HV_HC_STATUS_MASK		GENMASK_ULL(15, 0)
#define HV_HC_REPS_DONE_SHIFT		32
#define HV_HC_REPS_DONE_MASK		GENMASK_ULL(43, 32)

static inline u16 hv_result_status(u64 result)
{
	return result & HV_HC_STATUS_MASK;
}

static inline u32 hv_result_reps(u64 result)
{
	return (result & HV_HC_REPS_DONE_MASK) >> HV_HC_REPS_DONE_SHIFT;
}

static inline u64 hv_result_make(u16 status, u32 reps_done)
{
	return status | ((u64)reps_done << HV_HC_REPS_DONE_SHIFT);
}

static inline u64 hv_control_make(u16 code, u32 rep_count, u32 rep_start)
{
	return code | ((u64)rep_count << HV_HC_REP_COUNT_SHIFT) |
	       ((u64)rep_start << HV_HC_REP_START_SHIFT);
}

/* Status codes (subset), TLFS appendix B. */
#define HV_STATUS_SUCCESS			0x0
#define HV_STATUS_INVALID_HYPERCALL_CODE	0x2
#define HV_STATUS_INVALID_HYPERCALL_INPUT	0x3
#define HV_STATUS_INVALID_ALIGNMENT		0x4
#define HV_STATUS_INVALID_PARAMETER		0x5
#define HV_STATUS_ACCESS_DENIED			0x6
#define HV_STATUS_INVALID_PARTITION_STATE	0x7
#define HV_STATUS_OPERATION_DENIED		0x8
#define HV_STATUS_INSUFFICIENT_MEMORY		0xB
#define HV_STATUS_INVALID_PARTITION_ID		0xD
#define HV_STATUS_INVALID_VP_INDEX		0xE
#define HV_STATUS_NOT_FOUND			0x10
#define HV_STATUS_OBJECT_IN_USE			0x19
#define HV_STATUS_NO_RESOURCES			0x1D
#define HV_STATUS_OPERATION_FAILED		0x71

/* Call codes used by passthrough. */
#define HVCALL_CREATE_PARTITION			0x0040
#define HVCALL_INITIALIZE_PARTITION		0x0041
#define HVCALL_FINALIZE_PARTITION		0x0042
#define HVCALL_DELETE_PARTITION			0x0043
#define HVCALL_DEPOSIT_MEMORY			0x0048
#define HVCALL_WITHDRAW_MEMORY			0x0049
#define HVCALL_CREATE_VP			0x004e
#define HVCALL_DELETE_VP			0x004f
#define HVCALL_DISPATCH_VP			0x00c2
#define HVCALL_MAP_VP_STATE_PAGE		0x00e1
#define HVCALL_UNMAP_VP_STATE_PAGE		0x00e2
#define HVCALL_MAP_GPA_PAGES			0x004b
#define HVCALL_UNMAP_GPA_PAGES			0x004c
#define HVCALL_ATTACH_DEVICE			0x0082
#define HVCALL_DETACH_DEVICE			0x0083
#define HVCALL_CREATE_DEVICE_DOMAIN		0x00b1
#define HVCALL_ATTACH_DEVICE_DOMAIN		0x00b2
#define HVCALL_MAP_DEVICE_GPA_PAGES		0x00b3
#define HVCALL_UNMAP_DEVICE_GPA_PAGES		0x00b4
#define HVCALL_DETACH_DEVICE_DOMAIN		0x00c4
#define HVCALL_DELETE_DEVICE_DOMAIN		0x00c5

#define HV_PARTITION_ID_SELF			((u64)-1)

/* union hv_device_domain_id (u64). */
#define HV_DEVICE_DOMAIN_TYPE_MASK		GENMASK_ULL(3, 0)
#define HV_DEVICE_DOMAIN_TYPE_S2		0
#define HV_DEVICE_DOMAIN_TYPE_S1		1
#define HV_DEVICE_DOMAIN_TYPE_SOC		2
#define HV_DEVICE_DOMAIN_RSVD_MASK		GENMASK_ULL(31, 4)
#define HV_DEVICE_DOMAIN_ID_SHIFT		32
/* The default identity stage-2 domain every device starts in. */
#define HV_DEVICE_DOMAIN_ID_S2_DEFAULT		0U
/* The null domain: blocks all DMA. */
#define HV_DEVICE_DOMAIN_ID_S2_NULL		0xFFFFFFFFU

static inline u64 hv_device_domain_id_make(u32 type, u32 id)
{
	return type | ((u64)id << HV_DEVICE_DOMAIN_ID_SHIFT);
}

static inline u32 hv_device_domain_id_num(u64 domain_id)
{
	return domain_id >> HV_DEVICE_DOMAIN_ID_SHIFT;
}

/* union hv_device_id (u64), PCI and logical forms. */
#define HV_DEVICE_ID_RID_MASK			GENMASK_ULL(15, 0)
#define HV_DEVICE_ID_SEGMENT_SHIFT		16
#define HV_DEVICE_ID_SEGMENT_MASK		GENMASK_ULL(31, 16)
#define HV_DEVICE_ID_SHADOW_BUS_MASK		GENMASK_ULL(47, 32)
#define HV_DEVICE_ID_PHANTOM_MASK		GENMASK_ULL(49, 48)
#define HV_DEVICE_ID_SOURCE_SHADOW		BIT_ULL(50)
#define HV_DEVICE_ID_RSVD_MASK			GENMASK_ULL(61, 51)
#define HV_DEVICE_ID_TYPE_SHIFT			62
#define HV_DEVICE_ID_LOGICAL_MASK		GENMASK_ULL(61, 0)
#define HV_DEVICE_TYPE_LOGICAL			0
#define HV_DEVICE_TYPE_PCI			1
#define HV_DEVICE_TYPE_IOAPIC			2
#define HV_DEVICE_TYPE_ACPI			3

static inline u64 hv_device_id_pci(u16 segment, u8 bus, u8 devfn)
{
	return ((u64)HV_DEVICE_TYPE_PCI << HV_DEVICE_ID_TYPE_SHIFT) |
	       ((u64)segment << HV_DEVICE_ID_SEGMENT_SHIFT) |
	       ((u16)bus << 8 | devfn);
}

static inline u32 hv_device_id_type(u64 device_id)
{
	return device_id >> HV_DEVICE_ID_TYPE_SHIFT;
}

/* struct hv_input_device_domain: 24 bytes. */
struct hv_input_device_domain {
	u64 partition_id;
	u8 owner_vtl;		/* union hv_input_vtl */
	u8 padding[7];
	u64 domain_id;		/* union hv_device_domain_id */
} __packed;

#define HV_CREATE_DEVICE_DOMAIN_FORWARD_PROGRESS	BIT(0)
#define HV_CREATE_DEVICE_DOMAIN_INHERIT_OWNING_VTL	BIT(1)

struct hv_input_create_device_domain {
	struct hv_input_device_domain device_domain;
	u32 create_device_domain_flags;
} __packed;

struct hv_input_delete_device_domain {
	struct hv_input_device_domain device_domain;
} __packed;

struct hv_input_attach_device_domain {
	struct hv_input_device_domain device_domain;
	u64 device_id;
} __packed;

struct hv_input_detach_device_domain {
	u64 partition_id;
	u64 device_id;
} __packed;

/* Map flags, shared by device-domain and GPA maps. */
#define HV_MAP_GPA_READABLE		0x1
#define HV_MAP_GPA_WRITABLE		0x2
#define HV_MAP_GPA_KERNEL_EXECUTABLE	0x4
#define HV_MAP_GPA_USER_EXECUTABLE	0x8
#define HV_MAP_GPA_ADJUSTABLE		0x8000
#define HV_MAP_GPA_NO_ACCESS		0x10000
#define HV_MAP_GPA_NOT_CACHED		0x200000
#define HV_MAP_GPA_LARGE_PAGE		0x80000000

struct hv_input_map_device_gpa_pages {
	struct hv_input_device_domain device_domain;
	u8 target_vtl;
	u8 padding[3];
	u32 map_flags;
	u64 target_device_va_base;	/* IOVA, bytes */
	u64 gpa_page_list[];		/* one page frame number per rep */
} __packed;

/* How many page numbers one input page carries for each rep call. */
#define HV_MAP_DEVICE_GPA_PAGES_MAX					\
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_map_device_gpa_pages)) / \
	 sizeof(u64))

struct hv_input_unmap_device_gpa_pages {
	struct hv_input_device_domain device_domain;
	u64 target_device_va_base;	/* IOVA, bytes; rep count = pages */
} __packed;

/* Direct attach (the device uses the guest's second-level page table). */
#define HV_ATTACH_DEVICE_FLAG_LOGICAL_ID	BIT(0)
#define HV_ATTACH_DEVICE_FLAG_ATS_ENABLED	BIT(2)
#define HV_ATTACH_DEVICE_FLAG_VIRT_FUNC		BIT(3)
#define HV_ATTACH_DEVICE_FLAG_VIRT_DEV		BIT(5)
#define HV_ATTACH_DEVICE_FLAG_ATS_SUPPORTED	BIT(6)
#define HV_ATTACH_DEVICE_FLAG_SMALL_IRT		BIT(7)

struct hv_input_attach_device {
	u64 partition_id;
	u64 device_id;
	u32 flags;
	u8 vtl;
	u8 rsvd0;
	u16 rsvd1;
	u64 logical_devid;
	u32 pci_caps;
	u16 pf_requester_id;
	u16 rsvd2;
} __packed;

struct hv_input_detach_device {
	u64 partition_id;
	u64 logical_devid;
} __packed;

/* Deposit: partition id, then one page frame number per rep. */
struct hv_input_deposit_memory {
	u64 partition_id;
	u64 gpa_page_list[];
} __packed;

#define HV_DEPOSIT_MEMORY_MAX						\
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_deposit_memory)) / sizeof(u64))

/*
 * Partitions and virtual processors (hvhdk.h, hvhdk_mini.h; see
 * ../shared/hyperv-abi-vmm.md section 1).  INITIALIZE, FINALIZE and DELETE
 * take struct hv_input_partition_id.
 */
#define HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES	BIT_ULL(4)
#define HV_PARTITION_CREATION_FLAG_EXO_PARTITION	BIT_ULL(8)
#define HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED	BIT_ULL(13)
#define HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE BIT_ULL(19)
#define HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE	BIT_ULL(22)

#define HV_COMPATIBILITY_21_H2			0x0609

struct hv_input_create_partition {
	u64 flags;
	u32 proximity_domain_id;
	u32 proximity_flags;
	u32 compatibility_version;
	u32 padding;
	u64 disabled_processor_features[2];
	u64 disabled_xsave;
	u64 isolation_properties;
} __packed;

struct hv_output_create_partition {
	u64 partition_id;
} __packed;

struct hv_input_partition_id {
	u64 partition_id;
} __packed;

/* Withdraw: no list in; one page frame number per rep out. */
struct hv_input_withdraw_memory {
	u64 partition_id;
	u64 proximity;
} __packed;

#define HV_WITHDRAW_MEMORY_MAX		(HV_HYP_PAGE_SIZE / sizeof(u64))

struct hv_input_create_vp {
	u64 partition_id;
	u32 vp_index;
	u8 padding[3];
	u8 subnode_type;
	u64 subnode_id;
	u64 proximity;
	u64 flags;
} __packed;

struct hv_input_delete_vp {
	u64 partition_id;
	u32 vp_index;
	u32 reserved;
} __packed;

#define HV_VP_STATE_PAGE_REGISTERS		0
#define HV_VP_STATE_PAGE_INTERCEPT_MESSAGE	1

struct hv_input_map_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;
	u8 input_vtl;
	u8 flags;			/* bit 0: requested location given */
	u64 requested_map_location;	/* page frame number */
} __packed;

struct hv_output_map_vp_state_page {
	u64 map_location;		/* page frame number */
} __packed;

struct hv_input_unmap_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;
	u8 input_vtl;
	u8 reserved;
} __packed;

#define HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND	BIT(0)

struct hv_input_dispatch_vp {
	u64 partition_id;
	u32 vp_index;
	u32 flags;
	u64 time_slice;			/* 100 ns units; 0: until an event */
	u64 spec_ctrl;
} __packed;

#define HV_VP_DISPATCH_STATE_BLOCKED		1
#define HV_VP_DISPATCH_STATE_READY		2
#define HV_VP_DISPATCH_EVENT_SUSPEND		1
#define HV_VP_DISPATCH_EVENT_INTERCEPT		2

struct hv_output_dispatch_vp {
	u32 dispatch_state;
	u32 dispatch_event;
} __packed;

/* GPA map of a guest partition (RAM and MMIO). */
struct hv_input_map_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;		/* guest page frame number */
	u32 map_flags;
	u32 padding;
	u64 source_pfn[];		/* one page frame number per rep */
} __packed;

#define HV_MAP_GPA_PAGES_MAX						\
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_map_gpa_pages)) / sizeof(u64))

#define HV_UNMAP_GPA_LARGE_PAGE		0x2

struct hv_input_unmap_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;		/* guest page frame number */
	u32 unmap_flags;
	u32 padding;
} __packed;

/* Pages in a 2 MiB large page, the unit of HV_MAP_GPA_LARGE_PAGE reps. */
#define HV_LARGE_PAGE_PAGES		512

/*
 * SynIC (TLFS "Synthetic interrupt controller"): per virtual processor
 * MSRs; see ../shared/hyperv-abi.md (MSRs) and hyperv-abi-vmm.md section 2.
 */
#define HV_MSR_SCONTROL				0x40000080
#define HV_MSR_SVERSION				0x40000081
#define HV_MSR_SIEFP				0x40000082
#define HV_MSR_SIMP				0x40000083
#define HV_MSR_EOM				0x40000084
#define HV_MSR_SIRBP				0x40000085
#define HV_MSR_SINT0				0x40000090
#define HV_MSR_SINT15				0x4000009f
#define HV_MSR_SINT(n)				(HV_MSR_SINT0 + (n))

/* SCONTROL, SIMP, SIEFP, SIRBP: bit 0 enable; bits 12-63 the page's GPA. */
#define HV_SYNIC_ENABLE				BIT_ULL(0)
#define HV_SYNIC_PAGE_MASK			GENMASK_ULL(63, 12)

/* SINTn */
#define HV_SINT_VECTOR_MASK			GENMASK_ULL(7, 0)
#define HV_SINT_MASKED				BIT_ULL(16)
#define HV_SINT_AUTO_EOI			BIT_ULL(17)
#define HV_SINT_POLLING				BIT_ULL(18)
#define HV_SINT_AS_INTERCEPT			BIT_ULL(19)
#define HV_SINT_PROXY				BIT_ULL(20)

#define HV_SYNIC_SINT_COUNT			16
/* Who uses which SINT in a root partition or L1VH (seed 002). */
#define HV_SYNIC_INTERCEPTION_SINT_INDEX	0
#define HV_SYNIC_VMBUS_SINT_INDEX		2
#define HV_SYNIC_DOORBELL_SINT_INDEX		5

/* SynIC messages (hvgdk_mini.h): 256 bytes, 16 per SIMP page. */
#define HV_MESSAGE_SIZE			256
#define HV_MESSAGE_PAYLOAD_QWORDS	30

#define HVMSG_NONE			0x00000000
#define HVMSG_UNMAPPED_GPA		0x80000000
#define HVMSG_GPA_INTERCEPT		0x80000001
#define HVMSG_UNRECOVERABLE_EXCEPTION	0x80000021
#define HVMSG_OPAQUE_INTERCEPT		0x8000003F
#define HVMSG_SYNIC_SINT_INTERCEPT	0x80000061
#define HVMSG_ASYNC_CALL_COMPLETION	0x80000070
#define HVMSG_X64_IO_PORT_INTERCEPT	0x80010000
#define HVMSG_X64_HALT			0x80010007

#define HV_MESSAGE_FLAG_PENDING		BIT(0)

struct hv_message_header {
	u32 message_type;
	u8 payload_size;
	u8 message_flags;
	u8 reserved[2];
	u64 sender;			/* partition id for intercepts */
} __packed;

struct hv_message {
	struct hv_message_header header;
	u64 payload[HV_MESSAGE_PAYLOAD_QWORDS];
} __packed;

/* Memory access types of an intercept. */
#define HV_INTERCEPT_ACCESS_READ	0
#define HV_INTERCEPT_ACCESS_WRITE	1
#define HV_INTERCEPT_ACCESS_EXECUTE	2

#define HV_X64_MEMORY_ACCESS_GVA_VALID		BIT(0)
#define HV_X64_MEMORY_ACCESS_GVA_GPA_VALID	BIT(1)

struct hv_x64_segment_register {
	u64 base;
	u32 limit;
	u16 selector;
	u16 attributes;
} __packed;

/* HVMSG_UNMAPPED_GPA and HVMSG_GPA_INTERCEPT payload: 80 bytes. */
struct hv_x64_memory_intercept_message {
	u32 vp_index;
	u8 instruction_length_cr8;	/* bits 0-3 length, 4-7 cr8 */
	u8 intercept_access_type;
	u16 execution_state;
	struct hv_x64_segment_register cs_segment;
	u64 rip;
	u64 rflags;
	u32 cache_type;
	u8 instruction_byte_count;
	u8 memory_access_info;
	u8 tpr_priority;
	u8 reserved;
	u64 guest_virtual_address;
	u64 guest_physical_address;
	u8 instruction_bytes[16];
} __packed;

/* HVMSG_OPAQUE_INTERCEPT payload: the VP whose intercept page holds one. */
struct hv_opaque_intercept_message {
	u32 vp_index;
} __packed;

/* HVMSG_SYNIC_SINT_INTERCEPT payload: a SINT programmed as_intercept fired. */
struct hv_synic_sint_intercept_message {
	u32 sint_index;
} __packed;

static inline void hv_abi_layout_checks(void)
{
	BUILD_BUG_ON(sizeof(struct hv_input_create_partition) != 56);
	BUILD_BUG_ON(sizeof(struct hv_input_create_vp) != 40);
	BUILD_BUG_ON(sizeof(struct hv_input_delete_vp) != 16);
	BUILD_BUG_ON(sizeof(struct hv_input_map_vp_state_page) != 24);
	BUILD_BUG_ON(sizeof(struct hv_input_unmap_vp_state_page) != 16);
	BUILD_BUG_ON(sizeof(struct hv_input_dispatch_vp) != 32);
	BUILD_BUG_ON(sizeof(struct hv_input_map_gpa_pages) != 24);
	BUILD_BUG_ON(sizeof(struct hv_input_unmap_gpa_pages) != 24);
	BUILD_BUG_ON(HV_MAP_GPA_PAGES_MAX != 509);
	BUILD_BUG_ON(sizeof(struct hv_message) != HV_MESSAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct hv_x64_memory_intercept_message) != 80);
	BUILD_BUG_ON(sizeof(struct hv_input_device_domain) != 24);
	BUILD_BUG_ON(sizeof(struct hv_input_create_device_domain) != 28);
	BUILD_BUG_ON(sizeof(struct hv_input_delete_device_domain) != 24);
	BUILD_BUG_ON(sizeof(struct hv_input_attach_device_domain) != 32);
	BUILD_BUG_ON(sizeof(struct hv_input_detach_device_domain) != 16);
	BUILD_BUG_ON(sizeof(struct hv_input_map_device_gpa_pages) != 40);
	BUILD_BUG_ON(sizeof(struct hv_input_unmap_device_gpa_pages) != 32);
	BUILD_BUG_ON(sizeof(struct hv_input_attach_device) != 40);
	BUILD_BUG_ON(sizeof(struct hv_input_detach_device) != 16);
	BUILD_BUG_ON(HV_MAP_DEVICE_GPA_PAGES_MAX != 507);
	BUILD_BUG_ON(HV_DEPOSIT_MEMORY_MAX != 511);
}

#endif /* HV_ABI_H */
