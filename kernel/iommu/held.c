// SPDX-License-Identifier: GPL-2.0
/*
 * Page frames the hypervisor still maps though the iommu core unmapped them
 * (or freed their domain), because the hypervisor refused the unmap.  The
 * driver holds a page reference on each such RAM frame, a deliberate,
 * visible leak (debugfs "stats" pinned_leaked), so that the kernel never
 * reuses a page a device can still reach.
 *
 * Only a page whose folio has a reference count can be held that way (a
 * THP's pages through its head).  The pages of a
 * non-compound high-order allocation after the first have a count of 0
 * while allocated: their owner frees the block through the first page
 * (__free_pages(), as VFIO type1 does with the two pages of its
 * fine-grained superpage probe, vfio_test_domain_fgsp()), whatever others
 * hold, and a reference taken on such a page makes that free find a page
 * in use ("BUG: Bad page state").  Such a frame cannot be held: it is
 * counted (stats unheld_frames) and logged, the books keep it as mapped.
 * Which frames were held, and how often, is kept per frame number, so that
 * a release drops exactly the references taken.
 */
#include "hv_iommu.h"

#include <linux/mm.h>
#include <linux/xarray.h>

#define HV_PFN(pa)	((u64)(pa) >> HV_HYP_PAGE_SHIFT)

/* pfn -> number of holds (an xarray value entry); irq-safe lock. */
static DEFINE_XARRAY_FLAGS(hv_held, XA_FLAGS_LOCK_IRQ);

atomic64_t hv_iommu_pinned_leaked_pages = ATOMIC64_INIT(0);
atomic64_t hv_iommu_unheld_frames = ATOMIC64_INIT(0);

/* Count one more hold of @pfn; false if there is no memory to record it. */
static bool hv_held_add(unsigned long pfn)
{
	unsigned long flags, n;
	void *old;
	int err;

	xa_lock_irqsave(&hv_held, flags);
	old = xa_load(&hv_held, pfn);
	n = old ? xa_to_value(old) : 0;
	err = xa_err(__xa_store(&hv_held, pfn, xa_mk_value(n + 1),
				GFP_ATOMIC | __GFP_NOWARN));
	xa_unlock_irqrestore(&hv_held, flags);
	return !err;
}

/* Count one hold of @pfn less; false if it was not held. */
static bool hv_held_drop(unsigned long pfn)
{
	unsigned long flags, n;
	void *old;

	xa_lock_irqsave(&hv_held, flags);
	old = xa_load(&hv_held, pfn);
	n = old ? xa_to_value(old) : 0;
	if (n > 1)
		__xa_store(&hv_held, pfn, xa_mk_value(n - 1), GFP_ATOMIC);
	else if (n == 1)
		__xa_erase(&hv_held, pfn);
	xa_unlock_irqrestore(&hv_held, flags);
	return n;
}

/*
 * A reference on @page's folio (a THP's tail page is held through its
 * head, as get_page() does), if it has one to take; the folio is checked
 * again after, as folio_try_get() users do.
 */
static bool hv_held_get(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (!folio_try_get(folio))
		return false;
	if (page_folio(page) != folio) {
		folio_put(folio);
		return false;
	}
	return true;
}

/**
 * hv_iommu_frames_hold() - hold the RAM frames of a run the hypervisor keeps
 * @pa: physical address of the first frame.
 * @npages: number of 4 KiB frames.
 *
 * MMIO frames (no struct page) cannot be reused and are skipped.  A frame
 * without a reference count to take (see the file comment) or whose hold
 * cannot be recorded is counted in hv_iommu_unheld_frames and logged.
 *
 * Context: any (GFP_ATOMIC inside).
 */
void hv_iommu_frames_hold(phys_addr_t pa, u64 npages)
{
	u64 pfn = HV_PFN(pa), i, held = 0, unheld = 0, first = 0;

	for (i = 0; i < npages; i++) {
		if (!pfn_valid(pfn + i))
			continue;
		if (hv_held_get(pfn_to_page(pfn + i))) {
			if (hv_held_add(pfn + i)) {
				held++;
				continue;
			}
			put_page(pfn_to_page(pfn + i));
		}
		if (!unheld++)
			first = pfn + i;
	}
	atomic64_add(held, &hv_iommu_pinned_leaked_pages);
	if (unheld) {
		atomic64_add(unheld, &hv_iommu_unheld_frames);
		pr_err_ratelimited("%llu frames from 0x%llx on stay mapped in the hypervisor but cannot be held (no page reference to take, or no memory to record it): their owner may reuse them\n",
				   unheld, first);
	}
}

/**
 * hv_iommu_frames_release() - drop what hv_iommu_frames_hold() took
 * @pa: physical address of the first frame.
 * @npages: number of 4 KiB frames; the hypervisor no longer maps them.
 *
 * Only frames recorded as held are released.
 *
 * Context: any.
 */
void hv_iommu_frames_release(phys_addr_t pa, u64 npages)
{
	u64 pfn = HV_PFN(pa), i, n = 0;

	for (i = 0; i < npages; i++) {
		if (!pfn_valid(pfn + i) || !hv_held_drop(pfn + i))
			continue;
		put_page(pfn_to_page(pfn + i));
		n++;
	}
	atomic64_sub(n, &hv_iommu_pinned_leaked_pages);
}
