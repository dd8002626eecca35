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
#define HVCALL_DEPOSIT_MEMORY			0x0048
#define HVCALL_WITHDRAW_MEMORY			0x0049
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
#define HV_DEVICE_ID_SHADOW_SUB_SHIFT		32	/* subordinate bus */
#define HV_DEVICE_ID_SHADOW_SEC_SHIFT		40	/* secondary bus */
#define HV_DEVICE_ID_PHANTOM_MASK		GENMASK_ULL(49, 48)
#define HV_DEVICE_ID_PHANTOM_SHIFT		48
#define HV_DEVICE_ID_SOURCE_SHADOW		BIT_ULL(50)
/* The fields beyond segment and requester id that name a device's source. */
#define HV_DEVICE_ID_SOURCE_MASK		(HV_DEVICE_ID_SHADOW_BUS_MASK | \
						 HV_DEVICE_ID_PHANTOM_MASK | \
						 HV_DEVICE_ID_SOURCE_SHADOW)
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

static inline void hv_abi_layout_checks(void)
{
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
