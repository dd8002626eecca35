// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm MMIO teardown: an MMU interval notifier on each MMIO region's
 * user range.  When the pages of that range go (munmap; vfio-pci zapping
 * its BAR mmaps on a device reset or when memory decoding is turned off;
 * the VMM's exit), the invalidation unmaps the region's GPA pages from the
 * hypervisor before it returns, so the guest never reaches a BAR that the
 * VMM no longer maps; the next guest access intercepts and resolves again
 * (mmio.c).  Upstream's MMIO regions have no such notifier (the review of
 * the passthrough series called that critical).
 */
#include "vmm.h"

#include <linux/mm.h>
#include <linux/sched.h>

#include "hv_iommu_nl.h"
#include "hv_vmm.h"

/* Reps per HVCALL_UNMAP_GPA_PAGES, as mshv issues them. */
#define HV_VMM_MMIO_UNMAP_REPS	512

/**
 * hv_vmm_mmio_unmap() - unmap part of an MMIO region from the hypervisor
 * @r: the region; caller holds @r->mmio_lock.
 * @first: first page of the part, from the region's start.
 * @count: pages in the part.
 * @gfp: for deposits, should the hypervisor ask (it does not for unmaps):
 *	GFP_NOWAIT, as @r->mmio_lock is taken inside the notifier.
 *
 * Unmaps each run of consecutive mapped pages and drops their records.  A
 * page the hypervisor refuses to unmap keeps its record (it is still
 * mapped; debugfs shows it) and the failure is logged.
 *
 * Context: process context or a non-blocking invalidation; does not sleep
 * with GFP_NOWAIT.
 * Return: the pages unmapped.
 */
u64 hv_vmm_mmio_unmap(struct hv_vmm_region *r, u64 first, u64 count,
		      gfp_t gfp)
{
	unsigned long index = first, end = first + count - 1, run;
	u64 unmapped = 0;
	void *entry;

	lockdep_assert_held(&r->mmio_lock);
	if (!count)
		return 0;
	xa_for_each_range(&r->spa, index, entry, first, end) {
		for (run = 1; run < HV_VMM_MMIO_UNMAP_REPS && index + run <= end &&
		     xa_load(&r->spa, index + run); run++)
			;
		if (hv_vmm_hv_unmap_gpa_pages(r->pt->id, r->gfn + index, run, 0,
					      gfp)) {
			pr_err("partition %llu: gfn 0x%llx: %lu MMIO pages stay mapped, the hypervisor refused\n",
			       r->pt->id, r->gfn + index, run);
			index += run - 1;
			continue;
		}
		for (; run; run--, index++, unmapped++)
			xa_erase(&r->spa, index);
		index--;
	}
	return unmapped;
}

static bool hv_vmm_mmio_invalidate(struct mmu_interval_notifier *mni,
				   const struct mmu_notifier_range *range,
				   unsigned long cur_seq)
{
	struct hv_vmm_region *r = container_of(mni, struct hv_vmm_region,
					       notifier);
	unsigned long start = max_t(unsigned long, range->start, r->uaddr);
	unsigned long end = min_t(unsigned long, range->end,
				  r->uaddr + (r->npages << HV_HYP_PAGE_SHIFT));
	u64 n;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&r->mmio_lock);
	else if (!mutex_trylock(&r->mmio_lock))
		return false;
	/* A resolver that walked the VMA before this retries. */
	mmu_interval_set_seq(mni, cur_seq);
	n = hv_vmm_mmio_unmap(r, (start - r->uaddr) >> HV_HYP_PAGE_SHIFT,
			      (end - start) >> HV_HYP_PAGE_SHIFT, GFP_NOWAIT);
	mutex_unlock(&r->mmio_lock);
	if (n) {
		hv_vmm_mmio_count(r->pt, HV_VMM_MMIO_NOTIFIER_UNMAPS, 1);
		hv_vmm_mmio_count(r->pt, HV_VMM_MMIO_NOTIFIER_PAGES, n);
	}
	/*
	 * One event per invalidation that unmapped; GFP_NOWAIT, as an
	 * invalidation may run inside reclaim.  The range is the part of the
	 * invalidation inside the region; n the pages that were mapped in it.
	 */
	hv_vmm_nl_mmio_event(HV_IOMMU_EVENT_MMIO_UNMAPPED, r,
			     (start - r->uaddr) >> HV_HYP_PAGE_SHIFT, n,
			     GFP_NOWAIT);
	return true;
}

static const struct mmu_interval_notifier_ops hv_vmm_mmio_notifier_ops = {
	.invalidate = hv_vmm_mmio_invalidate,
};

/**
 * hv_vmm_mmio_notifier_insert() - follow an MMIO region's user range
 * @r: the region (uaddr, npages, mmio_lock set up).
 *
 * Context: the VMM's process (current->mm), no mmap_lock held (the first
 * notifier of an mm registers with it under mmap_write_lock); may sleep.
 * Return: 0 or -errno of mmu_interval_notifier_insert() (logged).
 */
int hv_vmm_mmio_notifier_insert(struct hv_vmm_region *r)
{
	int ret = mmu_interval_notifier_insert(&r->notifier, current->mm,
					       r->uaddr,
					       r->npages << HV_HYP_PAGE_SHIFT,
					       &hv_vmm_mmio_notifier_ops);

	if (ret)
		pr_warn("partition %llu: MMIO region at 0x%llx: no MMU notifier (%d)\n",
			r->pt->id, r->uaddr, ret);
	return ret;
}

/**
 * hv_vmm_mmio_notifier_remove() - stop following an MMIO region's range
 * @r: the region.
 *
 * On return no invalidation runs on it and none will.
 *
 * Context: process context, may sleep (waits for a running invalidation);
 * not under @r->mmio_lock.
 */
void hv_vmm_mmio_notifier_remove(struct hv_vmm_region *r)
{
	mmu_interval_notifier_remove(&r->notifier);
}
