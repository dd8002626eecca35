// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim guest physical address maps: HVCALL_MAP_GPA_PAGES and
 * HVCALL_UNMAP_GPA_PAGES on a guest partition.
 *
 * A partition's map is an xarray indexed by guest page number (4 KiB) of
 * hv_sim_pte_make() entries; a 2 MiB large page is 512 entries flagged
 * LARGE_PAGE.  Each 2 MiB GPA block with a mapping holds one of the
 * partition's deposited pages (its page table): a partition without a free
 * one gets INSUFFICIENT_MEMORY, as on Hyper-V.  Mapping over a mapped GPA
 * replaces the entry (mshv remaps NO_ACCESS to access and back).
 *
 * Every function here runs with hv_sim.lock held, interrupts disabled.
 */

#include <linux/xarray.h>

#include "sim.h"

#define HV_SIM_GPA_BLOCK_SHIFT	9
#define HV_SIM_GPA_COUNT_BITS	10
/* Guest addresses have 52 bits, like physical ones. */
#define HV_SIM_GFN_LIMIT	(1ULL << (52 - HV_HYP_PAGE_SHIFT))

#define HV_SIM_GPA_ACCESS	(HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | \
				 HV_MAP_GPA_KERNEL_EXECUTABLE | \
				 HV_MAP_GPA_USER_EXECUTABLE)
#define HV_SIM_GPA_MAP_FLAGS	(HV_SIM_GPA_ACCESS | HV_MAP_GPA_ADJUSTABLE | \
				 HV_MAP_GPA_NO_ACCESS | HV_MAP_GPA_NOT_CACHED | \
				 HV_MAP_GPA_LARGE_PAGE)

/* One more mapped page in @gfn's block; takes its table page if new. */
static bool hv_sim_gpa_block_get(struct hv_sim_partition *pt, u64 gfn)
{
	unsigned long block = gfn >> HV_SIM_GPA_BLOCK_SHIFT, pfn;
	void *entry = xa_load(&pt->gpa_blocks, block);

	if (entry) {
		xa_store(&pt->gpa_blocks, block,
			 xa_mk_value(xa_to_value(entry) + 1), GFP_ATOMIC);
		return true;
	}
	if (!hv_sim_partition_page_take(pt, &pfn))
		return false;
	if (xa_is_err(xa_store(&pt->gpa_blocks, block,
			       xa_mk_value(pfn << HV_SIM_GPA_COUNT_BITS | 1),
			       GFP_ATOMIC))) {
		hv_sim_partition_page_give(pt, pfn);
		return false;
	}
	return true;
}

/* One mapped page less in @gfn's block; its table page goes with the last. */
static void hv_sim_gpa_block_put(struct hv_sim_partition *pt, u64 gfn)
{
	unsigned long block = gfn >> HV_SIM_GPA_BLOCK_SHIFT;
	unsigned long v = xa_to_value(xa_load(&pt->gpa_blocks, block));

	if ((v & (BIT(HV_SIM_GPA_COUNT_BITS) - 1)) > 1) {
		/* Replacing an existing entry never allocates. */
		xa_store(&pt->gpa_blocks, block, xa_mk_value(v - 1), GFP_ATOMIC);
		return;
	}
	xa_erase(&pt->gpa_blocks, block);
	hv_sim_partition_page_give(pt, v >> HV_SIM_GPA_COUNT_BITS);
}

/* Map one guest page; false if the table page or the entry cannot be had. */
static bool hv_sim_gpa_set(struct hv_sim_partition *pt, u64 gfn, u64 pfn,
			   u32 flags)
{
	bool fresh = !xa_load(&pt->gpa, gfn);

	if (fresh && !hv_sim_gpa_block_get(pt, gfn))
		return false;
	if (xa_is_err(xa_store(&pt->gpa, gfn, hv_sim_pte_make(pfn, flags),
			       GFP_ATOMIC))) {
		if (fresh)
			hv_sim_gpa_block_put(pt, gfn);
		return false;
	}
	pt->nr_gpa_pages += fresh;
	pt->gpa_remaps += !fresh;
	return true;
}

static void hv_sim_gpa_erase(struct hv_sim_partition *pt, u64 gfn)
{
	xa_erase(&pt->gpa, gfn);
	hv_sim_gpa_block_put(pt, gfn);
	pt->nr_gpa_pages--;
}

/*
 * The partition of a GPA map call, initialized, and a range of @reps *
 * @step guest pages from @gfn inside 52 bits; else *@status says why.
 */
static struct hv_sim_partition *hv_sim_gpa_partition(u64 id, u64 gfn,
						     u32 reps, u64 step,
						     u16 *status)
{
	struct hv_sim_partition *pt = hv_sim_partition_find(id);

	*status = HV_STATUS_INVALID_PARTITION_ID;
	if (!pt)
		return NULL;
	*status = HV_STATUS_INVALID_PARTITION_STATE;
	if (pt->state != HV_SIM_PT_INITIALIZED)
		return NULL;
	*status = HV_STATUS_INVALID_PARAMETER;
	if (gfn >= HV_SIM_GFN_LIMIT || (u64)reps * step > HV_SIM_GFN_LIMIT - gfn)
		return NULL;
	*status = HV_STATUS_SUCCESS;
	return pt;
}

/*
 * Checks of one rep's source frame(s): Hyper-V's rules for RAM and MMIO.
 * MMIO (NOT_CACHED) must not be RAM (hv_call_map_mmio_pages' rule); the
 * simulator is stricter and also wants it inside a memory BAR of a PCI
 * function on the bus (mmio.c): nothing else of the root's address space
 * is for a guest.  RAM must be RAM the root still owns.
 */
static bool hv_sim_gpa_source_ok(u64 pfn, u32 flags, u64 pages,
				 unsigned long *ram_start,
				 unsigned long *ram_end)
{
	u64 i;

	if (flags & HV_MAP_GPA_NO_ACCESS)
		return !pfn;
	if (pfn > HV_SIM_PFN_MAX || pfn + pages - 1 > HV_SIM_PFN_MAX)
		return false;
	for (i = 0; i < pages; i++) {
		bool ram = hv_sim_pfn_is_ram(pfn + i, ram_start, ram_end);

		if (flags & HV_MAP_GPA_NOT_CACHED ?
		    ram || !hv_sim_mmio_pfn_is_bar(pfn + i) :
		    !ram || xa_load(&hv_sim.deposited, pfn + i))
			return false;
	}
	return true;
}

/**
 * hv_sim_map_gpa_pages() - HVCALL_MAP_GPA_PAGES (rep)
 * @call: the call; input struct hv_input_map_gpa_pages, one source page
 *	frame number per rep.
 *
 * Rep i maps guest page target_gpa_base + i (LARGE_PAGE: the 512 pages at
 * target_gpa_base + 512 i, from the 2 MiB aligned frame in the list).
 * Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless initialized; INVALID_PARAMETER for unknown flags, non-zero
 * padding, NO_ACCESS with access flags or a non-zero frame, no READABLE,
 * LARGE_PAGE on a partition without GPA super pages, with NOT_CACHED or
 * unaligned, NOT_CACHED with EXECUTABLE or ADJUSTABLE, a GPA beyond 52
 * bits, a NOT_CACHED frame that is RAM or in no memory BAR of a PCI
 * function on the bus, a non-RAM or deposited frame in a cached one; INSUFFICIENT_MEMORY when a
 * new 2 MiB block finds no free deposited page (call->rep_next: reps done).
 */
u16 hv_sim_map_gpa_pages(struct hv_sim_call *call)
{
	const struct hv_input_map_gpa_pages *in = call->input;
	struct hv_sim_partition *pt;
	unsigned long ram_start = 0, ram_end = 0;
	u32 flags = in->map_flags, i;
	u64 step = flags & HV_MAP_GPA_LARGE_PAGE ? HV_LARGE_PAGE_PAGES : 1;
	u16 status;

	pt = hv_sim_gpa_partition(in->target_partition_id, in->target_gpa_base,
				  call->rep_count, step, &status);
	if (!pt)
		return status;
	if ((flags & ~HV_SIM_GPA_MAP_FLAGS) || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (flags & HV_MAP_GPA_NO_ACCESS ?
	    flags & (HV_SIM_GPA_ACCESS | HV_MAP_GPA_NOT_CACHED) :
	    !(flags & HV_MAP_GPA_READABLE))
		return HV_STATUS_INVALID_PARAMETER;
	/* MMIO is data, never code, and not the RAM the root adjusts. */
	if ((flags & HV_MAP_GPA_NOT_CACHED) &&
	    (flags & (HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE |
		      HV_MAP_GPA_ADJUSTABLE)))
		return HV_STATUS_INVALID_PARAMETER;
	if ((flags & HV_MAP_GPA_LARGE_PAGE) &&
	    (!(pt->flags & HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES) ||
	     (flags & HV_MAP_GPA_NOT_CACHED) ||
	     in->target_gpa_base % HV_LARGE_PAGE_PAGES))
		return HV_STATUS_INVALID_PARAMETER;

	for (i = call->rep_start; i < call->rep_end; i++) {
		u64 gfn = in->target_gpa_base + i * step;
		u64 pfn = in->source_pfn[i], j;

		if ((step > 1 && pfn % step) ||
		    !hv_sim_gpa_source_ok(pfn, flags, step, &ram_start,
					  &ram_end)) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		for (j = 0; j < step; j++) {
			if (!hv_sim_gpa_set(pt, gfn + j, pfn ? pfn + j : 0,
					    flags))
				break;
		}
		if (j < step) {
			/* A rep is all or nothing. */
			while (j--)
				hv_sim_gpa_erase(pt, gfn + j);
			status = HV_STATUS_INSUFFICIENT_MEMORY;
			break;
		}
	}
	call->rep_next = i;
	return status;
}

/**
 * hv_sim_unmap_gpa_pages() - HVCALL_UNMAP_GPA_PAGES (rep, no list)
 * @call: the call; input struct hv_input_unmap_gpa_pages.
 *
 * Rep i unmaps guest page target_gpa_base + i, or with
 * HV_UNMAP_GPA_LARGE_PAGE the 2 MiB large page at target_gpa_base + 512 i.
 * Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless initialized; INVALID_PARAMETER for unknown flags, non-zero
 * padding, an unaligned large unmap, or a page that is not mapped, mapped
 * large by a 4 KiB unmap or small by a large one (call->rep_next: reps
 * done).
 */
u16 hv_sim_unmap_gpa_pages(struct hv_sim_call *call)
{
	const struct hv_input_unmap_gpa_pages *in = call->input;
	bool large = in->unmap_flags & HV_UNMAP_GPA_LARGE_PAGE;
	u64 step = large ? HV_LARGE_PAGE_PAGES : 1, j;
	struct hv_sim_partition *pt;
	u16 status;
	u32 i;

	pt = hv_sim_gpa_partition(in->target_partition_id, in->target_gpa_base,
				  call->rep_count, step, &status);
	if (!pt)
		return status;
	if ((in->unmap_flags & ~HV_UNMAP_GPA_LARGE_PAGE) || in->padding ||
	    (large && in->target_gpa_base % HV_LARGE_PAGE_PAGES))
		return HV_STATUS_INVALID_PARAMETER;

	for (i = call->rep_start; i < call->rep_end; i++) {
		u64 gfn = in->target_gpa_base + i * step;

		for (j = 0; j < step; j++) {
			void *pte = xa_load(&pt->gpa, gfn + j);

			if (!pte || large != !!(hv_sim_pte_flags(pte) &
						HV_MAP_GPA_LARGE_PAGE))
				break;
		}
		if (j < step) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		for (j = 0; j < step; j++)
			hv_sim_gpa_erase(pt, gfn + j);
	}
	call->rep_next = i;
	return status;
}

/**
 * hv_sim_gpa_clear() - drop a partition's whole GPA map (finalize, unload)
 * @pt: the partition; its table pages are released by the caller.
 *
 * Lock held.
 */
void hv_sim_gpa_clear(struct hv_sim_partition *pt)
{
	xa_destroy(&pt->gpa);
	xa_destroy(&pt->gpa_blocks);
	pt->nr_gpa_pages = 0;
}

/**
 * hv_sim_gpa_lookup() - the PTE of a guest page
 * @pt: the partition.
 * @gfn: guest page number.
 *
 * Lock held.
 *
 * Return: the hv_sim_pte_make() entry, or NULL if unmapped.
 */
void *hv_sim_gpa_lookup(struct hv_sim_partition *pt, u64 gfn)
{
	return xa_load(&pt->gpa, gfn);
}
