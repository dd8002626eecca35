/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_iommu's hypercall layer as other modules use it (hv_vmm): one exported
 * entry, hv_hcall(), in namespace HV_IOMMU, so there is one rep/deposit loop
 * for every hypercall the host makes (iommu/hcall.c).
 */
#ifndef HV_HCALL_H
#define HV_HCALL_H

#include <linux/gfp.h>
#include <linux/types.h>

/**
 * struct hv_hcall_args - one hypercall for hv_hcall()
 * @code: HVCALL_* call code.
 * @hdr: fixed input (the TLFS input structure), @hdr_size bytes.
 * @hdr_size: bytes of @hdr.
 * @list: per-rep u64 list appended to @hdr (page numbers), or NULL for a
 *	call without list.
 * @reps: rep count; 0 for a simple call.
 * @out: buffer for the output page's first @out_size bytes, or NULL.
 * @out_size: bytes of output to copy.
 * @deposit_id: partition that gets pages on INSUFFICIENT_MEMORY (0: self).
 * @gfp: allocation flags for those pages.
 * @done: out: reps completed.
 * @status: out: final HV_STATUS.
 */
struct hv_hcall_args {
	u16 code;
	const void *hdr;
	size_t hdr_size;
	const u64 *list;
	u32 reps;
	void *out;
	size_t out_size;
	u64 deposit_id;
	gfp_t gfp;
	u32 done;
	u16 status;
};

int hv_hcall(struct hv_hcall_args *args);
const char *hv_status_name(u16 status);

#endif /* HV_HCALL_H */
