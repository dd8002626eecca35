// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm hypercalls: partitions, VPs, GPA maps.  Each builds its TLFS input
 * (include/hv_abi.h) and goes through hv_iommu's boundary, hv_hcall(), which
 * resumes time slices and deposits pages on INSUFFICIENT_MEMORY: to the
 * root's own pool for CREATE_PARTITION, to the guest partition for the rest
 * (as mshv does).  Every failure is logged here with the status name.
 */
#include "vmm.h"

#include <linux/mm.h>

/* Issue @a; log a failure with what it was for. */
static int hv_vmm_hcall(struct hv_hcall_args *a, const char *what, u64 id)
{
	int ret;

	if (!a->gfp)
		a->gfp = GFP_KERNEL_ACCOUNT;
	ret = hv_hcall(a);
	if (ret)
		pr_err("partition %lld: %s: %s (0x%x)\n", (s64)id, what,
		       hv_status_name(a->status), a->status);
	return ret;
}

/* A call whose only input is the partition id. */
static int hv_vmm_hcall_id(u16 code, u64 id, const char *what)
{
	struct hv_input_partition_id in = { .partition_id = id };
	struct hv_hcall_args a = {
		.code = code,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.deposit_id = id,
	};

	return hv_vmm_hcall(&a, what, id);
}

/**
 * hv_vmm_hv_create_partition() - HVCALL_CREATE_PARTITION
 * @pt_flags: HV_VMM_PT_BIT_* bits from the VMM (checked by the caller).
 * @id: set to the new partition id.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_create_partition(u64 pt_flags, u64 *id)
{
	struct hv_input_create_partition in = {
		.flags = HV_PARTITION_CREATION_FLAG_EXO_PARTITION |
			 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE,
		.compatibility_version = HV_COMPATIBILITY_21_H2,
	};
	struct hv_output_create_partition out = {};
	struct hv_hcall_args a = {
		.code = HVCALL_CREATE_PARTITION,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.out = &out,
		.out_size = sizeof(out),
	};
	int ret;

	if (pt_flags & BIT_ULL(0))
		in.flags |= HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED;
	if (pt_flags & BIT_ULL(1))
		in.flags |= HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE;
	if (pt_flags & BIT_ULL(2))
		in.flags |= HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES;
	ret = hv_vmm_hcall(&a, "create", HV_PARTITION_ID_SELF);
	if (!ret)
		*id = out.partition_id;
	return ret;
}

/**
 * hv_vmm_hv_initialize_partition() - HVCALL_INITIALIZE_PARTITION
 * @id: partition id.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_initialize_partition(u64 id)
{
	return hv_vmm_hcall_id(HVCALL_INITIALIZE_PARTITION, id, "initialize");
}

/**
 * hv_vmm_hv_finalize_partition() - HVCALL_FINALIZE_PARTITION
 * @id: partition id.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_finalize_partition(u64 id)
{
	return hv_vmm_hcall_id(HVCALL_FINALIZE_PARTITION, id, "finalize");
}

/**
 * hv_vmm_hv_delete_partition() - HVCALL_DELETE_PARTITION
 * @id: partition id.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_delete_partition(u64 id)
{
	return hv_vmm_hcall_id(HVCALL_DELETE_PARTITION, id, "delete");
}

/**
 * hv_vmm_hv_withdraw_memory() - take back every page deposited to a partition
 * @id: partition id (finalized: all its pages are free).
 *
 * HVCALL_WITHDRAW_MEMORY, one output page of frame numbers per call, until
 * the hypervisor says NO_RESOURCES (nothing left); each page is freed.
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno (logged) of another failure.
 */
int hv_vmm_hv_withdraw_memory(u64 id)
{
	struct hv_input_withdraw_memory in = { .partition_id = id };
	struct hv_hcall_args a = {
		.code = HVCALL_WITHDRAW_MEMORY,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.reps = HV_WITHDRAW_MEMORY_MAX,
		.out_size = HV_WITHDRAW_MEMORY_MAX * sizeof(u64),
		.deposit_id = id,
	};
	u64 *pfns;
	int ret;
	u32 i;

	pfns = (u64 *)__get_free_page(GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	a.out = pfns;
	do {
		ret = hv_hcall(&a);
		for (i = 0; i < a.done; i++)
			__free_page(pfn_to_page(pfns[i]));
	} while (!ret && a.done);
	free_page((unsigned long)pfns);
	if (ret && a.status == HV_STATUS_NO_RESOURCES)
		return 0;
	if (ret)
		pr_err("partition %llu: withdraw: %s (0x%x)\n", id,
		       hv_status_name(a.status), a.status);
	return ret;
}

/**
 * hv_vmm_hv_create_vp() - HVCALL_CREATE_VP
 * @id: partition id.
 * @vp_index: the VP's index.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_create_vp(u64 id, u32 vp_index)
{
	struct hv_input_create_vp in = {
		.partition_id = id,
		.vp_index = vp_index,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_CREATE_VP,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.deposit_id = id,
	};

	return hv_vmm_hcall(&a, "create vp", id);
}

/**
 * hv_vmm_hv_delete_vp() - HVCALL_DELETE_VP
 * @id: partition id.
 * @vp_index: the VP's index.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_delete_vp(u64 id, u32 vp_index)
{
	struct hv_input_delete_vp in = {
		.partition_id = id,
		.vp_index = vp_index,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_DELETE_VP,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.deposit_id = id,
	};

	return hv_vmm_hcall(&a, "delete vp", id);
}

/**
 * hv_vmm_hv_map_vp_state_page() - HVCALL_MAP_VP_STATE_PAGE (root role)
 * @id: partition id.
 * @vp_index: the VP's index.
 * @type: HV_VP_STATE_PAGE_*.
 * @va: set to the kernel address of the hypervisor's page.
 *
 * Context: process context, may sleep.
 * Return: 0, -EIO if the hypervisor named a frame that is not RAM, or
 * -errno (logged).
 */
int hv_vmm_hv_map_vp_state_page(u64 id, u32 vp_index, u16 type, void **va)
{
	struct hv_input_map_vp_state_page in = {
		.partition_id = id,
		.vp_index = vp_index,
		.type = type,
	};
	struct hv_output_map_vp_state_page out = {};
	struct hv_hcall_args a = {
		.code = HVCALL_MAP_VP_STATE_PAGE,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.out = &out,
		.out_size = sizeof(out),
		.deposit_id = id,
	};
	int ret;

	ret = hv_vmm_hcall(&a, "map vp state page", id);
	if (ret)
		return ret;
	/* The page is one the root deposited: RAM in the direct map. */
	if (WARN_ON_ONCE(!pfn_valid(out.map_location))) {
		hv_vmm_hv_unmap_vp_state_page(id, vp_index, type);
		return -EIO;
	}
	*va = page_address(pfn_to_page(out.map_location));
	return 0;
}

/**
 * hv_vmm_hv_unmap_vp_state_page() - HVCALL_UNMAP_VP_STATE_PAGE
 * @id: partition id.
 * @vp_index: the VP's index.
 * @type: HV_VP_STATE_PAGE_*.
 *
 * Context: process context, may sleep.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_unmap_vp_state_page(u64 id, u32 vp_index, u16 type)
{
	struct hv_input_unmap_vp_state_page in = {
		.partition_id = id,
		.vp_index = vp_index,
		.type = type,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_UNMAP_VP_STATE_PAGE,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.deposit_id = id,
	};

	return hv_vmm_hcall(&a, "unmap vp state page", id);
}

/**
 * hv_vmm_hv_dispatch_vp() - HVCALL_DISPATCH_VP, until an event
 * @id: partition id.
 * @vp_index: the VP's index.
 * @flags: HV_DISPATCH_VP_FLAG_*.
 * @out: the dispatch state and event.
 *
 * Context: process context, may sleep (deposits).
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_dispatch_vp(u64 id, u32 vp_index, u32 flags,
			  struct hv_output_dispatch_vp *out)
{
	struct hv_input_dispatch_vp in = {
		.partition_id = id,
		.vp_index = vp_index,
		.flags = flags,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_DISPATCH_VP,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.out = out,
		.out_size = sizeof(*out),
		.deposit_id = id,
	};

	return hv_vmm_hcall(&a, "dispatch vp", id);
}

/**
 * hv_vmm_hv_map_gpa_pages() - HVCALL_MAP_GPA_PAGES, one input page at most
 * @id: partition id.
 * @gfn: first guest page.
 * @pfns: one frame per rep (with HV_MAP_GPA_LARGE_PAGE: per 2 MiB).
 * @count: reps, at most HV_MAP_GPA_PAGES_MAX.
 * @flags: HV_MAP_GPA_* flags.
 * @gfp: for pages deposited on INSUFFICIENT_MEMORY (GFP_NOWAIT where a
 *	lock the MMU notifier takes is held).
 * @done: set to the reps done, on success and on failure.
 *
 * On failure the reps done stay mapped; the caller unmaps them.
 *
 * Context: process context; sleeps only if @gfp allows it.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_map_gpa_pages(u64 id, u64 gfn, const u64 *pfns, u32 count,
			    u32 flags, gfp_t gfp, u32 *done)
{
	struct hv_input_map_gpa_pages in = {
		.target_partition_id = id,
		.target_gpa_base = gfn,
		.map_flags = flags,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_MAP_GPA_PAGES,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.list = pfns,
		.reps = count,
		.deposit_id = id,
		.gfp = gfp,
	};
	int ret = hv_vmm_hcall(&a, "map gpa pages", id);

	*done = a.done;
	return ret;
}

/**
 * hv_vmm_hv_unmap_gpa_pages() - HVCALL_UNMAP_GPA_PAGES
 * @id: partition id.
 * @gfn: first guest page.
 * @count: reps (4 KiB pages, or 2 MiB with HV_UNMAP_GPA_LARGE_PAGE), at
 *	most HV_HC_REP_MAX.
 * @flags: HV_UNMAP_GPA_* flags.
 * @gfp: as for hv_vmm_hv_map_gpa_pages().
 *
 * Context: process context; sleeps only if @gfp allows it.
 * Return: 0 or -errno (logged).
 */
int hv_vmm_hv_unmap_gpa_pages(u64 id, u64 gfn, u32 count, u32 flags,
			      gfp_t gfp)
{
	struct hv_input_unmap_gpa_pages in = {
		.target_partition_id = id,
		.target_gpa_base = gfn,
		.unmap_flags = flags,
	};
	struct hv_hcall_args a = {
		.code = HVCALL_UNMAP_GPA_PAGES,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.reps = count,
		.deposit_id = id,
		.gfp = gfp,
	};

	return hv_vmm_hcall(&a, "unmap gpa pages", id);
}
