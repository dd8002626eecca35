// SPDX-License-Identifier: GPL-2.0
/*
 * A paging domain's mappings: the driver's books (store.c, a two-level
 * table of IOVA pages, what iova_to_phys and debugfs read) and, in
 * device-domain mode, the hypervisor's copy kept in step with map/unmap
 * hypercalls.
 *
 * The domain lock is a spinlock (map_pages may run in atomic context) and
 * no hypercall is issued while it is held.  map_pages puts its run in the
 * books (reserving the IOVA range against a concurrent map) with its pages
 * BUSY, issues the hypercall, and settles: pages still BUSY with the same
 * frame become IN_HV, pages unmapped meanwhile are undone in the hypervisor
 * (hv_map_settle()).  unmap_pages marks pages UNMAPPING and gathers the
 * range; iotlb_sync issues the unmap hypercalls for the gathered range and
 * takes the pages out of the books, or keeps those the hypervisor refused,
 * their frames referenced (hv_unmap_settle()).
 *
 * At a paging domain's first attach in device-domain mode the mappings
 * made before are replayed (hv_iommu_replay()) while map_pages still runs
 * in mode none; the mode becomes "domain" once no page is left unmapped in
 * the hypervisor.
 */
#include "hv_iommu.h"

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>

#define HV_PFN(pa)	((u64)(pa) >> HV_HYP_PAGE_SHIFT)
#define HV_PAGES(bytes)	((u64)(bytes) >> HV_HYP_PAGE_SHIFT)

/* The first device of a domain's, for log lines (atomic-safe copy). */
static void hv_map_device_name(struct hv_iommu_domain *hvdom, char *buf,
			       size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	strscpy(buf, hvdom->bdf[0] ? hvdom->bdf : "no device", size);
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/*
 * The one log line of a map or unmap the hypervisor refused: domain,
 * device, IOVA range, first frame, how far it got and the status.
 */
static void hv_map_log(struct hv_iommu_domain *hvdom, const char *what,
		       unsigned long iova, u64 npages, u64 pfn, u64 done,
		       u16 status)
{
	char bdf[sizeof(hvdom->bdf)];

	hv_map_device_name(hvdom, bdf, sizeof(bdf));
	pr_err("domain %u (%s): %s of IOVA 0x%lx-0x%lx (first frame 0x%llx) stopped after %llu of %llu pages: %s (0x%x)\n",
	       hvdom->id, bdf, what, iova,
	       iova + (unsigned long)(npages << HV_HYP_PAGE_SHIFT) - 1, pfn,
	       done, npages, hv_status_name(status), status);
}

/*
 * Unmap @npages at @iova in the hypervisor, to undo a map of ours whose
 * node is gone (unmapped meanwhile) or never counted as mapped (a failed
 * replay, whose device domain is deleted next).
 */
static void hv_map_undo_hv(struct hv_iommu_domain *hvdom, unsigned long iova,
			   u64 pfn, u64 npages, gfp_t gfp)
{
	u64 done = 0;
	u16 status;

	if (npages && hv_hcall_unmap_device_gpa_pages(hvdom->id, iova, npages,
						      gfp, &done, &status))
		hv_map_log(hvdom, "undo of a map", iova, npages, pfn, done,
			   status);
}

/*
 * The System RAM resource the last RAM run was found in (inclusive bytes;
 * empty at first): region_intersects() walks the whole resource tree, once
 * per run, which on fragmented memory (a run per page) was a good part of
 * the map path.  A run inside it is RAM without a walk; anything else is
 * walked.  RAM does not turn into MMIO under a pinned page.
 */
static DEFINE_SEQLOCK(hv_ram_lock);
static phys_addr_t hv_ram_start = 1, hv_ram_end;

static bool hv_ram_cached(phys_addr_t pa, phys_addr_t last)
{
	unsigned int seq;
	bool in;

	do {
		seq = read_seqbegin(&hv_ram_lock);
		in = hv_ram_start <= pa && last <= hv_ram_end;
	} while (read_seqretry(&hv_ram_lock, seq));
	return in;
}

static int hv_ram_res_find(struct resource *res, void *arg)
{
	struct resource *want = arg;

	if (res->start > want->start || res->end < want->end)
		return 0;
	want->start = res->start;
	want->end = res->end;
	return 1;
}

static void hv_ram_cache_fill(phys_addr_t pa, phys_addr_t last)
{
	struct resource r = { .start = pa, .end = last };
	unsigned long flags;

	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				U64_MAX, &r, hv_ram_res_find) != 1)
		return;
	write_seqlock_irqsave(&hv_ram_lock, flags);
	hv_ram_start = r.start;
	hv_ram_end = r.end;
	write_sequnlock_irqrestore(&hv_ram_lock, flags);
}

/*
 * The map flags for a run: RAM is mapped cached, MMIO (a peer device's BAR
 * that a VMM maps for peer-to-peer, or anything with IOMMU_MMIO) uncached,
 * as Hyper-V maps MMIO.  No mapping is executable, so IOMMU_NOEXEC always
 * holds.  Returns 0 or -EINVAL for a run that mixes RAM and MMIO.
 */
static int hv_map_flags(phys_addr_t paddr, size_t size, int prot, u32 *flags)
{
	int ram;

	*flags = HV_MAP_GPA_READABLE |
		 (prot & IOMMU_WRITE ? HV_MAP_GPA_WRITABLE : 0);
	ram = REGION_INTERSECTS;
	if (!hv_ram_cached(paddr, paddr + size - 1)) {
		ram = region_intersects(paddr, size, IORESOURCE_SYSTEM_RAM,
					IORES_DESC_NONE);
		if (ram == REGION_INTERSECTS)
			hv_ram_cache_fill(paddr, paddr + size - 1);
	}
	switch (ram) {
	case REGION_INTERSECTS:
		if (prot & IOMMU_MMIO)
			*flags |= HV_MAP_GPA_NOT_CACHED;
		return 0;
	case REGION_DISJOINT:
		*flags |= HV_MAP_GPA_NOT_CACHED;
		return 0;
	default:
		return -EINVAL;
	}
}


/* The HV_MAP_GPA_* flags of a page's entry, and back. */
static u32 hv_pte_map_flags(u64 pte)
{
	return HV_MAP_GPA_READABLE |
	       (pte & HV_PTE_WRITABLE ? HV_MAP_GPA_WRITABLE : 0) |
	       (pte & HV_PTE_NOT_CACHED ? HV_MAP_GPA_NOT_CACHED : 0);
}

static u64 hv_pte_bits(u32 map_flags)
{
	return (map_flags & HV_MAP_GPA_WRITABLE ? HV_PTE_WRITABLE : 0) |
	       (map_flags & HV_MAP_GPA_NOT_CACHED ? HV_PTE_NOT_CACHED : 0);
}

/* Page @off of a run whose first page has entry @pte. */
static u64 hv_pte_nth(u64 pte, u64 off)
{
	return (off ? pte & ~HV_PTE_START : pte) + (off << HV_PTE_PFN_SHIFT);
}

/* [@ipfn, + one block) lies in [@ipfn, @end) and starts a block. */
static bool hv_block_within(unsigned long ipfn, unsigned long end)
{
	return !(ipfn & (HV_STORE_BLOCK_PAGES - 1)) && ipfn < end &&
	       end - ipfn >= HV_STORE_BLOCK_PAGES;
}

/* Take the run [@first, @end) out of the books again.  Lock held. */
static void hv_map_clear(struct hv_iommu_domain *hvdom, unsigned long first,
			 unsigned long end)
{
	struct hv_store_cur c = {};
	unsigned long ipfn = first;

	while (ipfn < end) {
		if (hv_block_within(ipfn, end) && hv_store_whole(hvdom, ipfn, &c)) {
			hv_store_set_whole(hvdom, ipfn, 0, &c);
			ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		/* Clearing a page of a leaf allocates nothing. */
		hv_store_set(hvdom, ipfn++, 0, &c);
	}
}

/*
 * Put the run [@first, @first + @n) on in the books, page @first with entry
 * @pte, all or nothing: a block the run covers whole and finds empty takes
 * one value entry, the others a page each.  Lock held.  Returns 0, -EEXIST
 * if a page is taken, or -ENOMEM (a leaf or an xarray node was needed).
 */
static int hv_map_insert(struct hv_iommu_domain *hvdom, unsigned long first,
			 u64 n, u64 pte)
{
	unsigned long ipfn = first, end = first + n;
	struct hv_store_cur c = {};
	u64 v;
	int ret = 0;

	while (ipfn < end) {
		v = hv_pte_nth(pte, ipfn - first);
		if (hv_block_within(ipfn, end) &&
		    hv_store_block_empty(hvdom, ipfn, &c)) {
			ret = hv_store_set_whole(hvdom, ipfn, v, &c);
			if (ret)
				break;
			ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		if (hv_store_get(hvdom, ipfn, &c)) {
			ret = -EEXIST;
			break;
		}
		ret = hv_store_set(hvdom, ipfn, v, &c);
		if (ret)
			break;
		ipfn++;
	}
	if (ret)
		hv_map_clear(hvdom, first, ipfn);
	return ret;
}

/*
 * Settle a map hypercall for [@first, @first + @n) -> frames @pfn on that
 * mapped the first @ok pages.  Pages the books still have as this map's
 * (BUSY, same frame) become IN_HV; pages the core unmapped meanwhile (a
 * caller bug) are unmapped again in the hypervisor; the pages past @ok lose
 * BUSY and, with @drop (a failed map_pages), leave the books.  A whole
 * block the settle would have to split for want of a spare leaf is kept
 * as mapped in the hypervisor, which errs on the safe side: its later
 * unmap asks the hypervisor for every page.
 */
static void hv_map_settle(struct hv_iommu_domain *hvdom, unsigned long first,
			  u64 n, u64 pfn, u64 ok, bool drop, gfp_t gfp)
{
	unsigned long ipfn = first, end = first + n, mid = first + ok;
	unsigned long undo_first, flags;
	struct hv_store_cur c;
	u64 pte, v, undo;
	bool mine;

	while (ipfn < end) {
		hv_store_spare_fill(hvdom, gfp);
		c = (struct hv_store_cur){};
		undo = 0;
		undo_first = ipfn;
		spin_lock_irqsave(&hvdom->lock, flags);
		for (; ipfn < end; ipfn++) {
			v = hv_store_whole(hvdom, ipfn, &c);
			if (!undo && v && hv_block_within(ipfn, mid) &&
			    (v & HV_PTE_BUSY) &&
			    HV_PTE_PFN(v) == pfn + (ipfn - first)) {
				hv_store_set_whole(hvdom, ipfn,
						   (v & ~HV_PTE_BUSY) |
						   HV_PTE_IN_HV, &c);
				ipfn += HV_STORE_BLOCK_PAGES - 1;
				continue;
			}
			pte = hv_store_get(hvdom, ipfn, &c);
			mine = (pte & HV_PTE_BUSY) &&
			       HV_PTE_PFN(pte) == pfn + (ipfn - first);
			if (ipfn < mid && !mine) {
				if (!undo)
					undo_first = ipfn;
				undo++;
				continue;
			}
			if (undo)
				break;
			if (!mine)
				continue;
			if (ipfn < mid)
				pte = (pte & ~HV_PTE_BUSY) | HV_PTE_IN_HV;
			else
				pte = drop ? 0 : pte & ~HV_PTE_BUSY;
			if (hv_store_set(hvdom, ipfn, pte, &c)) {
				/* No leaf to split a whole block: see above. */
				pr_err("domain %u: no memory to split IOVA 0x%lx's block; kept as mapped\n",
				       hvdom->id, ipfn << HV_HYP_PAGE_SHIFT);
				hv_store_set_whole(hvdom, ipfn,
						   (v & ~HV_PTE_BUSY) |
						   HV_PTE_IN_HV, &c);
				ipfn = (ipfn | (HV_STORE_BLOCK_PAGES - 1));
			}
		}
		spin_unlock_irqrestore(&hvdom->lock, flags);
		if (undo) {
			pr_warn("domain %u: 0x%lx-0x%lx unmapped while being mapped\n",
				hvdom->id, undo_first << HV_HYP_PAGE_SHIFT,
				(unsigned long)((undo_first + undo) <<
						HV_HYP_PAGE_SHIFT) - 1);
			hv_map_undo_hv(hvdom, undo_first << HV_HYP_PAGE_SHIFT,
				       pfn + (undo_first - first), undo, gfp);
		}
	}
}

/**
 * hv_iommu_map_pages() - iommu_domain_ops->map_pages
 * @domain: a paging domain.
 * @iova: first IOVA (bytes, 4 KiB aligned).
 * @paddr: physical address of the first byte (4 KiB aligned).
 * @pgsize: page size in bytes (SZ_4K, the only size offered).
 * @pgcount: number of pages; the run [@paddr, @paddr + @pgsize * @pgcount)
 *	is physically contiguous.
 * @prot: IOMMU_READ/IOMMU_WRITE; the hypervisor requires READABLE, so the
 *	mapping is always readable.  IOMMU_MMIO (or a run that is not RAM)
 *	maps uncached; IOMMU_NOEXEC always holds (see hv_map_flags()).
 * @gfp: allocation flags (GFP_ATOMIC in atomic context).
 * @mapped: set to the bytes mapped from @iova on: all, or on failure what
 *	the hypervisor did map.
 *
 * Puts the run in the books (store.c: no allocation but one leaf per 2 MiB
 * block newly touched) and, in device-domain mode, maps it in the
 * hypervisor with one hypercall per HV_MAP_DEVICE_GPA_PAGES_MAX pages.  A
 * map that fails part-way keeps (in the books and the hypervisor) and
 * reports in @mapped exactly the pages the hypervisor mapped: the core
 * unmaps what a failed map_pages reports mapped (iommu.c __iommu_map() of
 * 6.1, iommu_map_nosync() of 6.12: "unroll mapping in case something went
 * wrong") through hv_iommu_unmap_pages() and hv_iommu_iotlb_sync(), which
 * deal with a refused unmap.
 *
 * Context: any allowed by @gfp; takes the domain's spinlock.
 * Return: 0, -EINVAL for unaligned arguments or a run mixing RAM and MMIO,
 * -EEXIST if part of the range is mapped, -ENOMEM, or -errno from the map
 * hypercall.
 */
int hv_iommu_map_pages(struct iommu_domain *domain, unsigned long iova,
		       phys_addr_t paddr, size_t pgsize, size_t pgcount,
		       int prot, gfp_t gfp, size_t *mapped)
{
	struct hv_iommu_domain *hvdom = to_hv_domain(domain);
	size_t size = pgsize * pgcount;
	unsigned long last = iova + size - 1;
	unsigned long flags;
	u32 domid, map_flags;
	unsigned int tries;
	u64 pte, done, blocks;
	u16 status;
	bool issue;
	int ret;

	*mapped = 0;
	if (!size)
		return 0;
	if (!IS_ALIGNED(iova | paddr | size, HV_HYP_PAGE_SIZE) || last < iova)
		return -EINVAL;
	if (hv_map_flags(paddr, size, prot, &map_flags)) {
		pr_err("domain %u: IOVA 0x%lx-0x%lx: frames 0x%llx-0x%llx mix RAM and MMIO\n",
		       hvdom->id, iova, last, HV_PFN(paddr),
		       HV_PFN(paddr + size - 1));
		return -EINVAL;
	}

	pte = (HV_PFN(paddr) << HV_PTE_PFN_SHIFT) | HV_PTE_PRESENT |
	      HV_PTE_START | hv_pte_bits(map_flags);
	/* A new leaf per try at most: a run touches two partial blocks. */
	for (tries = 0; ; tries++) {
		hv_store_spare_fill(hvdom, gfp);
		spin_lock_irqsave(&hvdom->lock, flags);
		issue = hvdom->mode == HV_IOMMU_MODE_DOMAIN;
		domid = hvdom->id;
		blocks = hvdom->nr_blocks;
		ret = hv_map_insert(hvdom, HV_PFN(iova), HV_PAGES(size),
				    pte | (issue ? HV_PTE_BUSY : 0));
		blocks = hvdom->nr_blocks - blocks;
		spin_unlock_irqrestore(&hvdom->lock, flags);
		if (ret != -ENOMEM || tries == 2)
			break;
	}
	if (ret)
		return ret;
	if (!issue) {
		*mapped = size;
		return 0;
	}
	/* The hypervisor's leaf tables for the blocks new to it, ahead. */
	if (blocks)
		hv_hcall_deposit_need(blocks, gfp);

	ret = hv_hcall_map_device_gpa_pages(domid, iova, HV_PFN(paddr),
					    HV_PAGES(size), map_flags, gfp,
					    &done, &status);
	if (ret)
		hv_map_log(hvdom, "map", iova, HV_PAGES(size), HV_PFN(paddr),
			   done, status);
	else
		done = HV_PAGES(size);
	hv_map_settle(hvdom, HV_PFN(iova), HV_PAGES(size), HV_PFN(paddr), done,
		      true, gfp);
	*mapped = done << HV_HYP_PAGE_SHIFT;
	return ret;
}

/*
 * The core unmaps [*@ipfn, @end): mark its pages UNMAPPING from *@ipfn on,
 * up to the first hole, and let the page after the range start a mapping
 * of its own.  *@ipfn is left at the first page not marked.  Lock held.
 */
static int hv_unmap_mark(struct hv_iommu_domain *hvdom, unsigned long *ipfn,
			 unsigned long end)
{
	struct hv_store_cur c = {};
	u64 pte, v;
	int ret;

	while (*ipfn < end) {
		v = hv_store_whole(hvdom, *ipfn, &c);
		if (v && hv_block_within(*ipfn, end) &&
		    !(v & HV_PTE_UNMAPPING)) {
			hv_store_set_whole(hvdom, *ipfn, v | HV_PTE_UNMAPPING,
					   &c);
			*ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		pte = hv_store_get(hvdom, *ipfn, &c);
		if (!(pte & HV_PTE_PRESENT) || (pte & HV_PTE_UNMAPPING))
			return 0;	/* a hole: the core advances by what we did */
		ret = hv_store_set(hvdom, *ipfn, pte | HV_PTE_UNMAPPING, &c);
		if (ret)
			return ret;
		++*ipfn;
	}
	pte = hv_store_get(hvdom, end, &c);
	if ((pte & HV_PTE_PRESENT) &&
	    !(pte & (HV_PTE_UNMAPPING | HV_PTE_START)))
		return hv_store_set(hvdom, end, pte | HV_PTE_START, &c);
	return 0;
}

/**
 * hv_iommu_unmap_pages() - iommu_domain_ops->unmap_pages
 * @domain: a paging domain.
 * @iova: first IOVA (bytes).
 * @pgsize: page size in bytes.
 * @pgcount: number of pages.
 * @gather: the core's gather: the range is added to it (syncing first when
 *	it is not contiguous with what it holds) and the hypervisor unmaps it
 *	at hv_iommu_iotlb_sync().
 *
 * Takes [@iova, @iova + @pgsize * @pgcount) out of the core's view from
 * @iova on, up to the first hole: iova_to_phys no longer finds it, the
 * mappings that stick out keep their outside parts.  The pages stay in the
 * books, marked, until the sync unmaps them in the hypervisor with one
 * hypercall per 4095 pages of the gathered range; the iommu core's contract
 * is that callers sync before they reuse the pages (include/linux/iommu.h,
 * iommu_unmap_fast(): "the caller must call iommu_iotlb_sync()"; VFIO type1
 * unpins only after it, vfio_sync_unpin()).
 *
 * Context: any; takes the domain's spinlock.
 * Return: bytes unmapped from @iova on, up to the first hole.
 */
size_t hv_iommu_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			    size_t pgsize, size_t pgcount,
			    struct iommu_iotlb_gather *gather)
{
	struct hv_iommu_domain *hvdom = to_hv_domain(domain);
	unsigned long last = iova + pgsize * pgcount - 1;
	unsigned long ipfn = HV_PFN(iova), flags;
	size_t unmapped;
	int ret;

	if (!pgcount || last < iova)
		return 0;
	hv_store_spare_fill(hvdom, GFP_ATOMIC);
	spin_lock_irqsave(&hvdom->lock, flags);
	ret = hv_unmap_mark(hvdom, &ipfn, HV_PFN(last) + 1);
	spin_unlock_irqrestore(&hvdom->lock, flags);
	if (ret)
		pr_err("domain %u: no memory to split the mapping at IOVA 0x%lx\n",
		       hvdom->id, ipfn << HV_HYP_PAGE_SHIFT);
	unmapped = (ipfn << HV_HYP_PAGE_SHIFT) - iova;
	if (!unmapped)
		return 0;
	if (iommu_iotlb_gather_is_disjoint(gather, iova, unmapped))
		iommu_iotlb_sync(domain, gather);
	iommu_iotlb_gather_add_range(gather, iova, unmapped);
	return unmapped;
}

/*
 * The hypervisor unmapped the first @done of the @n pages at @first that
 * were UNMAPPING: they leave the books (and the frames held for an earlier
 * refusal are released).  It refused the rest: they stay, a mapping from
 * the first refused page on, their frames referenced (HELD) so that the
 * kernel never reuses a page a device can still reach.  Lock held.
 */
static void hv_unmap_settle(struct hv_iommu_domain *hvdom,
			    unsigned long first, u64 n, u64 done)
{
	unsigned long ipfn = first, end = first + n, mid = first + done;
	struct hv_store_cur c = {};
	u64 pte, v, keep;
	bool whole;

	while (ipfn < end) {
		v = hv_store_whole(hvdom, ipfn, &c);
		whole = v && hv_block_within(ipfn, ipfn < mid ? mid : end);
		pte = whole ? v : hv_store_get(hvdom, ipfn, &c);
		keep = (pte & ~HV_PTE_UNMAPPING) | HV_PTE_HELD |
		       (ipfn == mid ? HV_PTE_START : 0);
		if (ipfn < mid && (pte & HV_PTE_HELD))
			hv_iommu_frames_release(HV_PTE_PFN(pte) << HV_HYP_PAGE_SHIFT,
				      whole ? HV_STORE_BLOCK_PAGES : 1);
		if (ipfn >= mid && !(pte & HV_PTE_HELD))
			hv_iommu_frames_hold(HV_PTE_PFN(pte) << HV_HYP_PAGE_SHIFT,
				      whole ? HV_STORE_BLOCK_PAGES : 1);
		if (whole) {
			hv_store_set_whole(hvdom, ipfn, ipfn < mid ? 0 : keep,
					   &c);
			ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		if (!hv_store_set(hvdom, ipfn, ipfn < mid ? 0 : keep, &c)) {
			ipfn++;
			continue;
		}
		/*
		 * No leaf to split a whole block: keep all of it in the books,
		 * frames held, unmapped or not: the safe side.
		 */
		v = hv_store_whole(hvdom, ipfn, &c);
		pr_err("domain %u: no memory to split IOVA 0x%lx's block; kept as mapped, frames held\n",
		       hvdom->id, ipfn << HV_HYP_PAGE_SHIFT);
		if (!(v & HV_PTE_HELD))
			hv_iommu_frames_hold(HV_PTE_PFN(v) << HV_HYP_PAGE_SHIFT,
				      HV_STORE_BLOCK_PAGES);
		hv_store_set_whole(hvdom, ipfn,
				   (v & ~HV_PTE_UNMAPPING) | HV_PTE_HELD, &c);
		ipfn = (ipfn | (HV_STORE_BLOCK_PAGES - 1)) + 1;
	}
}

/*
 * Find, from *@ipfn on up to @last, the next stretch of UNMAPPING pages the
 * hypervisor maps, dropping on the way the UNMAPPING pages it does not map.
 * Returns its length (0: none), its first page in *@first; *@ipfn is left
 * after it.  Lock held.
 */
static u64 hv_unmap_stretch(struct hv_iommu_domain *hvdom, unsigned long *ipfn,
			    unsigned long last, unsigned long *first, u64 *pfn)
{
	struct hv_store_cur c = {};
	u64 pte, n = 0;
	bool whole;

	while (hv_store_next(hvdom, ipfn, last, &c)) {
		if (n && *ipfn != *first + n)
			break;
		pte = hv_store_whole(hvdom, *ipfn, &c);
		whole = pte && hv_block_within(*ipfn, last + 1);
		if (!whole)
			pte = hv_store_get(hvdom, *ipfn, &c);
		if (!(pte & HV_PTE_UNMAPPING) ||
		    (!(pte & HV_PTE_IN_HV) && n)) {
			if (n)
				break;
			++*ipfn;
			continue;
		}
		if (!n) {
			*first = *ipfn;
			*pfn = HV_PTE_PFN(pte);
		}
		if (whole) {
			if (!(pte & HV_PTE_IN_HV))
				hv_store_set_whole(hvdom, *ipfn, 0, &c);
			else
				n += HV_STORE_BLOCK_PAGES;
			*ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		if (!(pte & HV_PTE_IN_HV)) {
			/* Never reached the hypervisor: nothing to undo. */
			if (hv_store_set(hvdom, *ipfn, 0, &c))
				pr_err("domain %u: no memory to split IOVA 0x%lx's block\n",
				       hvdom->id, *ipfn << HV_HYP_PAGE_SHIFT);
		} else {
			n++;
		}
		++*ipfn;
	}
	return n;
}

/*
 * Unmap in the hypervisor the UNMAPPING pages of [@first, @last] (IOVA page
 * numbers), one hypercall per stretch of contiguous IOVA (chunked at 4095
 * pages), and settle the books (hv_unmap_settle()).
 */
static void hv_unmap_sync(struct hv_iommu_domain *hvdom, unsigned long first,
			  unsigned long last, gfp_t gfp)
{
	u64 n, done, pfn = 0, blocks_in = READ_ONCE(hvdom->nr_blocks);
	unsigned long ipfn = first, s = 0, flags;
	long blocks;
	u16 status;
	int ret;

	do {
		spin_lock_irqsave(&hvdom->lock, flags);
		n = hv_unmap_stretch(hvdom, &ipfn, last, &s, &pfn);
		spin_unlock_irqrestore(&hvdom->lock, flags);
		if (!n)
			break;
		ret = hv_hcall_unmap_device_gpa_pages(hvdom->id,
						      s << HV_HYP_PAGE_SHIFT,
						      n, gfp, &done, &status);
		if (ret)
			hv_map_log(hvdom, "unmap", s << HV_HYP_PAGE_SHIFT, n,
				   pfn, done, status);
		else
			done = n;
		spin_lock_irqsave(&hvdom->lock, flags);
		hv_unmap_settle(hvdom, s, n, done);
		spin_unlock_irqrestore(&hvdom->lock, flags);
	} while (ipfn <= last);
	spin_lock_irqsave(&hvdom->lock, flags);
	hv_store_trim(hvdom, first, last);
	/* Blocks gone from a device domain: their leaf tables are free again. */
	blocks = hvdom->mode == HV_IOMMU_MODE_DOMAIN ?
		 (long)(blocks_in - hvdom->nr_blocks) : 0;
	spin_unlock_irqrestore(&hvdom->lock, flags);
	if (blocks > 0)
		hv_hcall_deposit_need(-blocks, gfp);
}

/**
 * hv_iommu_iotlb_sync() - iommu_domain_ops->iotlb_sync
 * @domain: a paging domain.
 * @gather: the range unmap_pages gathered.
 *
 * Unmaps the gathered range in the hypervisor.  There is no error return:
 * what the hypervisor refuses to unmap stays in the books as mapped and its
 * frames stay referenced (hv_iommu_pinned_leaked_pages counts them), so the
 * pages the core's caller unpins next are never free for reuse while a
 * device can reach them.
 *
 * Context: any; takes the domain's spinlock, not across the hypercalls.
 */
void hv_iommu_iotlb_sync(struct iommu_domain *domain,
			 struct iommu_iotlb_gather *gather)
{
	if (gather->start > gather->end)
		return;
	hv_unmap_sync(to_hv_domain(domain), HV_PFN(gather->start),
		      HV_PFN(gather->end), GFP_ATOMIC);
}

/* A page the core sees mapped. */
static bool hv_pte_mapped(u64 pte)
{
	return (pte & (HV_PTE_PRESENT | HV_PTE_UNMAPPING)) == HV_PTE_PRESENT;
}

/* @next continues the mapping whose page before it has entry @pte. */
static bool hv_pte_continues(u64 pte, u64 next)
{
	const u64 same = HV_PTE_IN_HV | HV_PTE_HELD | HV_PTE_WRITABLE |
			 HV_PTE_NOT_CACHED;

	return hv_pte_mapped(next) && !(next & HV_PTE_START) &&
	       HV_PTE_PFN(next) == HV_PTE_PFN(pte) + 1 &&
	       !((pte ^ next) & same);
}

/*
 * Change every entry in the books to what @fn makes of it (a whole block
 * in one call with @n = 512, a leaf's page with @n = 1).  Lock held.
 */
static void hv_map_for_each(struct hv_iommu_domain *hvdom,
			    u64 (*fn)(struct hv_iommu_domain *hvdom, u64 pte,
				      u64 n))
{
	const unsigned long last = HV_PFN(ULONG_MAX);
	struct hv_store_cur c = {};
	unsigned long ipfn = 0;
	u64 pte;

	while (hv_store_next(hvdom, &ipfn, last, &c)) {
		pte = hv_store_whole(hvdom, ipfn, &c);
		if (pte) {
			hv_store_set_whole(hvdom, ipfn,
					   fn(hvdom, pte, HV_STORE_BLOCK_PAGES),
					   &c);
			ipfn += HV_STORE_BLOCK_PAGES;
			continue;
		}
		pte = hv_store_get(hvdom, ipfn, &c);
		/* A leaf's page: changing it allocates nothing. */
		if (pte)
			hv_store_set(hvdom, ipfn, fn(hvdom, pte, 1), &c);
		ipfn++;
	}
}

static u64 hv_pte_unmapping(struct hv_iommu_domain *hvdom, u64 pte, u64 n)
{
	return pte | HV_PTE_UNMAPPING;
}

/**
 * hv_iommu_mappings_unmap_all() - unmap a freed domain's pages everywhere
 * @hvdom: a paging domain the core has freed.
 *
 * VFIO frees a domain that is not its last one without unmapping it first
 * (vfio_iommu_type1.c, vfio_iommu_type1_detach_group()), and then unpins the
 * pages when the other domains are done: whatever the hypervisor maps in
 * this domain goes now, even when a device is stranded in it, one hypercall
 * per stretch of contiguous IOVA.  What it refuses to unmap stays in the
 * books, the frames held.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_mappings_unmap_all(struct hv_iommu_domain *hvdom)
{
	unsigned long flags;

	lockdep_assert_held(&hv_iommu_lock);
	spin_lock_irqsave(&hvdom->lock, flags);
	hv_map_for_each(hvdom, hv_pte_unmapping);
	spin_unlock_irqrestore(&hvdom->lock, flags);
	hv_unmap_sync(hvdom, 0, HV_PFN(ULONG_MAX), GFP_KERNEL);
}

/**
 * hv_iommu_iova_to_phys() - iommu_domain_ops->iova_to_phys
 * @domain: a paging domain.
 * @iova: IOVA (bytes).
 *
 * Context: any; takes the domain's spinlock.
 * Return: the physical address @iova maps to, or 0 if it is not mapped
 * (unmapped by the core, even before the iotlb sync).
 */
phys_addr_t hv_iommu_iova_to_phys(struct iommu_domain *domain,
				  dma_addr_t iova)
{
	struct hv_iommu_domain *hvdom = to_hv_domain(domain);
	struct hv_store_cur c = {};
	unsigned long flags;
	phys_addr_t pa = 0;
	u64 pte;

	spin_lock_irqsave(&hvdom->lock, flags);
	pte = hv_store_get(hvdom, HV_PFN(iova), &c);
	spin_unlock_irqrestore(&hvdom->lock, flags);
	if (hv_pte_mapped(pte))
		pa = (HV_PTE_PFN(pte) << HV_HYP_PAGE_SHIFT) |
		     (iova & (HV_HYP_PAGE_SIZE - 1));
	return pa;
}

/*
 * The next run from *@ipfn on that the hypervisor does not map yet and no
 * map hypercall is in flight for: marked BUSY, its first page in *@ipfn,
 * its first frame and flags in *@pfn and *@map_flags.  Returns its length,
 * 0 if there is none.
 */
static u64 hv_replay_next(struct hv_iommu_domain *hvdom, unsigned long *ipfn,
			  u64 *pfn, u32 *map_flags)
{
	const unsigned long last = HV_PFN(ULONG_MAX);
	const u64 skip = HV_PTE_IN_HV | HV_PTE_BUSY;
	struct hv_store_cur c = {};
	u64 pte = 0, prev = 0, v, n = 0;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	while (hv_store_next(hvdom, ipfn, last, &c)) {
		v = hv_store_whole(hvdom, *ipfn + n, &c);
		pte = v ?: hv_store_get(hvdom, *ipfn + n, &c);
		if (!n) {
			if (!hv_pte_mapped(pte) || (pte & skip)) {
				*ipfn += v ? HV_STORE_BLOCK_PAGES : 1;
				continue;
			}
			*pfn = HV_PTE_PFN(pte);
			*map_flags = hv_pte_map_flags(pte);
		} else if (!hv_pte_mapped(pte) || (pte & skip) ||
			   HV_PTE_PFN(pte) != HV_PTE_PFN(prev) + 1 ||
			   hv_pte_map_flags(pte) != *map_flags) {
			break;
		}
		if (v) {
			hv_store_set_whole(hvdom, *ipfn + n, v | HV_PTE_BUSY, &c);
			n += HV_STORE_BLOCK_PAGES;
			prev = v + ((u64)(HV_STORE_BLOCK_PAGES - 1) <<
				    HV_PTE_PFN_SHIFT);
			continue;
		}
		if (hv_store_set(hvdom, *ipfn + n, pte | HV_PTE_BUSY, &c))
			break;
		n++;
		prev = pte;
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return n;
}

/* Switch to device-domain mode unless maps came in behind the cursor. */
static bool hv_replay_finish(struct hv_iommu_domain *hvdom)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&hvdom->lock, flags);
	done = !hvdom->nr_pending;
	if (done)
		hvdom->mode = HV_IOMMU_MODE_DOMAIN;
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return done;
}

/**
 * hv_iommu_replay() - map a domain's existing mappings in the hypervisor
 * @hvdom: a paging domain in mode none whose device domain was just created.
 *
 * Walks the books in IOVA order with a cursor, dropping the lock around each
 * map hypercall (one per physically contiguous run, whatever map_pages calls
 * made it); map_pages/unmap_pages may run meanwhile: the pages of a run are
 * BUSY while its hypercall is in flight (hv_map_settle()).  Passes repeat
 * until no page is left that the hypervisor does not map; then, under the
 * lock, the mode becomes "domain" so that later map_pages issue their own
 * hypercalls.
 *
 * Context: process context; caller holds hv_iommu_lock.
 * Return: 0, or -errno from a map hypercall (what this call mapped of the
 * failing run is undone; the caller deletes the device domain).
 */
int hv_iommu_replay(struct hv_iommu_domain *hvdom)
{
	unsigned long ipfn;
	u64 n, pfn, done;
	u32 map_flags;
	u16 status;
	int ret;

	lockdep_assert_held(&hv_iommu_lock);
	for (;;) {
		ipfn = 0;
		while ((n = hv_replay_next(hvdom, &ipfn, &pfn, &map_flags))) {
			ret = hv_hcall_map_device_gpa_pages(hvdom->id,
							    ipfn << HV_HYP_PAGE_SHIFT,
							    pfn, n, map_flags,
							    GFP_KERNEL, &done,
							    &status);
			if (ret) {
				hv_map_log(hvdom, "replay map",
					   ipfn << HV_HYP_PAGE_SHIFT, n, pfn,
					   done, status);
				hv_map_settle(hvdom, ipfn, n, pfn, 0, false,
					      GFP_KERNEL);
				hv_map_undo_hv(hvdom, ipfn << HV_HYP_PAGE_SHIFT,
					       pfn, done, GFP_KERNEL);
				return ret;
			}
			hv_map_settle(hvdom, ipfn, n, pfn, n, false,
				      GFP_KERNEL);
			ipfn += n;
			cond_resched();
		}
		if (hv_replay_finish(hvdom))
			return 0;
		cond_resched();
	}
}

static u64 hv_pte_forget_hv(struct hv_iommu_domain *hvdom, u64 pte, u64 n)
{
	return pte & ~HV_PTE_IN_HV;
}

/**
 * hv_iommu_mappings_forget_hv() - mark every mapping as not in the hypervisor
 * @hvdom: a paging domain whose device domain is about to be deleted after a
 *	failed replay.
 *
 * Context: any; takes the domain's spinlock.
 */
void hv_iommu_mappings_forget_hv(struct hv_iommu_domain *hvdom)
{
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	hv_map_for_each(hvdom, hv_pte_forget_hv);
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

static u64 hv_pte_release(struct hv_iommu_domain *hvdom, u64 pte, u64 n)
{
	if (pte & HV_PTE_HELD)
		hv_iommu_frames_release(HV_PTE_PFN(pte) << HV_HYP_PAGE_SHIFT, n);
	return pte & ~HV_PTE_HELD;
}

/**
 * hv_iommu_mappings_free() - free a domain's books
 * @hvdom: a paging domain the core has freed; no one maps or unmaps in it.
 *
 * The hypervisor side is not touched: deleting the device domain dropped its
 * mappings, so the frames held for refused unmaps are released.
 *
 * Context: any.
 */
void hv_iommu_mappings_free(struct hv_iommu_domain *hvdom)
{
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	hv_map_for_each(hvdom, hv_pte_release);
	hv_store_destroy(hvdom);
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/**
 * hv_iommu_mappings_totals() - the totals of a domain's books
 * @hvdom: the domain.
 * @bytes: set to the bytes mapped.
 * @count: set to the number of mappings.
 *
 * Context: any; takes the domain's spinlock.
 */
void hv_iommu_mappings_totals(struct hv_iommu_domain *hvdom, u64 *bytes,
			      u64 *count)
{
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	*bytes = hvdom->mapped_bytes;
	*count = hvdom->nr_mappings;
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/**
 * hv_iommu_mapping_from() - copy the first mapping at or after an IOVA
 * @hvdom: the domain.
 * @from: IOVA (bytes) to look from.
 * @copy: set to a copy of the mapping found: the one @from falls in, or the
 *	first one after it.
 *
 * Lets a reader walk the mappings with a cursor without holding the lock:
 * O(1) per step from the end of the last mapping (plus the empty blocks
 * skipped), O(length) for a mapping found by an IOVA inside it.
 *
 * Context: any; takes the domain's spinlock.
 * Return: true if a mapping was found.
 */
bool hv_iommu_mapping_from(struct hv_iommu_domain *hvdom, unsigned long from,
			   struct hv_iommu_mapping *copy)
{
	const unsigned long last = HV_PFN(ULONG_MAX);
	unsigned long ipfn = HV_PFN(from), s, e, flags;
	struct hv_store_cur c = {};
	bool found = false;
	u64 pte = 0, v;

	spin_lock_irqsave(&hvdom->lock, flags);
	while (hv_store_next(hvdom, &ipfn, last, &c)) {
		pte = hv_store_get(hvdom, ipfn, &c);
		if (hv_pte_mapped(pte)) {
			found = true;
			break;
		}
		ipfn += hv_store_whole(hvdom, ipfn, &c) ?
			HV_STORE_BLOCK_PAGES - (ipfn & (HV_STORE_BLOCK_PAGES - 1)) : 1;
	}
	if (found) {
		/* Back to the mapping's first page, then on to its last. */
		for (s = ipfn; !(pte & HV_PTE_START) && s; s--) {
			v = hv_store_get(hvdom, s - 1, &c);
			if (!hv_pte_continues(v, pte))
				break;
			pte = v;
		}
		copy->it.start = s << HV_HYP_PAGE_SHIFT;
		copy->paddr = HV_PTE_PFN(pte) << HV_HYP_PAGE_SHIFT;
		copy->id = s;
		copy->flags = hv_pte_map_flags(pte);
		copy->in_hv = pte & HV_PTE_IN_HV;
		copy->held = pte & HV_PTE_HELD;
		pte = hv_store_get(hvdom, ipfn, &c);
		for (e = ipfn; e < last; e++) {
			v = hv_store_whole(hvdom, e + 1, &c);
			if (v && !((e + 1) & (HV_STORE_BLOCK_PAGES - 1)) &&
			    hv_pte_continues(pte, v)) {
				e += HV_STORE_BLOCK_PAGES - 1;
				pte = hv_pte_nth(v, HV_STORE_BLOCK_PAGES - 1);
				continue;
			}
			v = hv_store_get(hvdom, e + 1, &c);
			if (!hv_pte_continues(pte, v))
				break;
			pte = v;
		}
		copy->it.last = ((e + 1) << HV_HYP_PAGE_SHIFT) - 1;
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return found;
}
