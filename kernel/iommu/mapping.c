// SPDX-License-Identifier: GPL-2.0
/*
 * A paging domain's mappings: an interval tree of physically contiguous
 * IOVA runs (the driver's books, what iova_to_phys and debugfs read), and,
 * in device-domain mode, the hypervisor's copy kept in step with map/unmap
 * hypercalls.
 *
 * The tree lock is a spinlock (map_pages may run in atomic context) and no
 * hypercall is issued while it is held.  A node is inserted before its
 * pages are mapped in the hypervisor (reserving the IOVA range against a
 * concurrent map) and marked in_hv afterwards; whoever issued the map
 * hypercall re-finds the node by IOVA and id after retaking the lock, so a
 * node that was unmapped or split meanwhile is noticed and the hypervisor
 * mapping undone.  Maps and unmaps of disjoint ranges never touch the same
 * node.  unmap_pages issues unmap hypercalls only for pages whose node was
 * in_hv.
 *
 * At a paging domain's first attach in device-domain mode the mappings
 * made before are replayed (hv_iommu_replay()) while map_pages still runs
 * in mode none; the mode becomes "domain" once no node is left unmapped in
 * the hypervisor.
 */
#include "hv_iommu.h"

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#define HV_PFN(pa)	((u64)(pa) >> HV_HYP_PAGE_SHIFT)
#define HV_PAGES(bytes)	((u64)(bytes) >> HV_HYP_PAGE_SHIFT)

static struct hv_iommu_mapping *hv_map_first(struct hv_iommu_domain *hvdom,
					     unsigned long first,
					     unsigned long last)
{
	struct interval_tree_node *it;

	it = interval_tree_iter_first(&hvdom->tree, first, last);
	return it ? container_of(it, struct hv_iommu_mapping, it) : NULL;
}

static struct hv_iommu_mapping *hv_map_next(struct hv_iommu_mapping *m,
					    unsigned long first,
					    unsigned long last)
{
	struct interval_tree_node *it;

	it = interval_tree_iter_next(&m->it, first, last);
	return it ? container_of(it, struct hv_iommu_mapping, it) : NULL;
}

static u64 hv_map_size(const struct hv_iommu_mapping *m)
{
	return (u64)m->it.last - m->it.start + 1;
}

/* Insert @m, update the counters.  Caller holds hvdom->lock. */
static void hv_map_insert(struct hv_iommu_domain *hvdom,
			  struct hv_iommu_mapping *m)
{
	lockdep_assert_held(&hvdom->lock);
	m->id = ++hvdom->next_map_id;
	interval_tree_insert(&m->it, &hvdom->tree);
	hvdom->mapped_bytes += hv_map_size(m);
	hvdom->nr_mappings++;
	if (!m->in_hv)
		hvdom->nr_pending++;
}

/* Remove @m, update the counters.  Caller holds hvdom->lock. */
static void hv_map_remove(struct hv_iommu_domain *hvdom,
			  struct hv_iommu_mapping *m)
{
	lockdep_assert_held(&hvdom->lock);
	interval_tree_remove(&m->it, &hvdom->tree);
	hvdom->mapped_bytes -= hv_map_size(m);
	hvdom->nr_mappings--;
	if (!m->in_hv)
		hvdom->nr_pending--;
}

/* The node @id still covering exactly [@start, @last], or NULL. */
static struct hv_iommu_mapping *hv_map_find(struct hv_iommu_domain *hvdom,
					    u64 id, unsigned long start,
					    unsigned long last)
{
	struct hv_iommu_mapping *m = hv_map_first(hvdom, start, start);

	if (m && m->id == id && m->it.start == start && m->it.last == last)
		return m;
	return NULL;
}

/*
 * The hypervisor now maps node @id's pages: mark it.  Returns false when the
 * node was unmapped or split meanwhile; the caller undoes its hypercall.
 */
static bool hv_map_mark_in_hv(struct hv_iommu_domain *hvdom, u64 id,
			      unsigned long start, unsigned long last)
{
	struct hv_iommu_mapping *m;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	m = hv_map_find(hvdom, id, start, last);
	if (m) {
		m->in_hv = true;
		hvdom->nr_pending--;
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return m;
}

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

static void hv_unmap_keep(struct hv_iommu_domain *hvdom,
			  struct hv_iommu_mapping *m, unsigned long start,
			  unsigned long last, phys_addr_t paddr, u32 map_flags,
			  bool held);

/* Make sure the domain has a spare node for splitting a mapping. */
static void hv_map_reserve_fill(struct hv_iommu_domain *hvdom, gfp_t gfp)
{
	struct hv_iommu_mapping *spare;
	unsigned long flags;

	if (READ_ONCE(hvdom->reserve))
		return;
	spare = kzalloc(sizeof(*spare), gfp | __GFP_NOWARN);
	if (!spare)
		return;
	spin_lock_irqsave(&hvdom->lock, flags);
	if (!hvdom->reserve) {
		hvdom->reserve = spare;
		spare = NULL;
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	kfree(spare);
}

/*
 * The map flags for a run: RAM is mapped cached, MMIO (a peer device's BAR
 * that a VMM maps for peer-to-peer, or anything with IOMMU_MMIO) uncached,
 * as Hyper-V maps MMIO.  No mapping is executable, so IOMMU_NOEXEC always
 * holds.  Returns 0 or -EINVAL for a run that mixes RAM and MMIO.
 */
static int hv_map_flags(phys_addr_t paddr, size_t size, int prot, u32 *flags)
{
	*flags = HV_MAP_GPA_READABLE |
		 (prot & IOMMU_WRITE ? HV_MAP_GPA_WRITABLE : 0);
	switch (region_intersects(paddr, size, IORESOURCE_SYSTEM_RAM,
				  IORES_DESC_NONE)) {
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
 * Adds one node to the tree and, in device-domain mode, maps the pages in
 * the hypervisor.  A map that fails part-way keeps (in the tree and the
 * hypervisor) and reports in @mapped exactly the pages the hypervisor
 * mapped: the core unmaps what a failed map_pages reports mapped (iommu.c
 * __iommu_map() of 6.1, iommu_map_nosync() of 6.12: "unroll mapping in case
 * something went wrong") through hv_iommu_unmap_pages(), which deals with
 * a refused unmap.
 *
 * Context: any allowed by @gfp; takes the domain's tree spinlock.
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
	struct hv_iommu_mapping *m;
	unsigned long flags;
	u32 domid, map_flags;
	u64 id, done;
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

	hv_map_reserve_fill(hvdom, gfp);
	m = kzalloc(sizeof(*m), gfp);
	if (!m)
		return -ENOMEM;
	m->it.start = iova;
	m->it.last = last;
	m->paddr = paddr;
	m->flags = map_flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	if (hv_map_first(hvdom, iova, last)) {
		spin_unlock_irqrestore(&hvdom->lock, flags);
		kfree(m);
		return -EEXIST;
	}
	hv_map_insert(hvdom, m);
	id = m->id;
	issue = hvdom->mode == HV_IOMMU_MODE_DOMAIN;
	domid = hvdom->id;
	spin_unlock_irqrestore(&hvdom->lock, flags);

	if (!issue) {
		*mapped = size;
		return 0;
	}

	ret = hv_hcall_map_device_gpa_pages(domid, iova, HV_PFN(paddr),
					    HV_PAGES(size), map_flags, gfp,
					    &done, &status);
	if (!ret) {
		if (!hv_map_mark_in_hv(hvdom, id, iova, last)) {
			/* Unmapped while being mapped: a caller bug. */
			pr_warn("domain %u: 0x%lx-0x%lx unmapped while being mapped\n",
				domid, iova, last);
			hv_map_undo_hv(hvdom, iova, HV_PFN(paddr),
				       HV_PAGES(size), gfp);
		}
		*mapped = size;
		return 0;
	}

	hv_map_log(hvdom, "map", iova, HV_PAGES(size), HV_PFN(paddr), done,
		   status);
	/* Keep exactly the @done pages the hypervisor maps, and say so. */
	spin_lock_irqsave(&hvdom->lock, flags);
	m = hv_map_find(hvdom, id, iova, last);
	if (m) {
		hv_map_remove(hvdom, m);
		if (done) {
			m->it.last = iova + (done << HV_HYP_PAGE_SHIFT) - 1;
			m->in_hv = true;
			hv_map_insert(hvdom, m);
			*mapped = done << HV_HYP_PAGE_SHIFT;
		}
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	if (!m)		/* unmapped while being mapped: undo it all */
		hv_map_undo_hv(hvdom, iova, HV_PFN(paddr), done, gfp);
	else if (!done)
		kfree(m);
	return ret;
}

/*
 * An unmap hypercall failed: the hypervisor still maps [@start, @last]
 * (physical @paddr on), so the books keep it, and the driver holds a
 * reference on its frames unless @held says it already does.  Reuses @m if
 * given.
 */
static void hv_unmap_keep(struct hv_iommu_domain *hvdom,
			  struct hv_iommu_mapping *m, unsigned long start,
			  unsigned long last, phys_addr_t paddr, u32 map_flags,
			  bool held)
{
	unsigned long flags;

	if (!held)
		hv_iommu_frames_hold(paddr, HV_PAGES(last - start + 1));
	if (!m)
		m = kzalloc(sizeof(*m), GFP_ATOMIC);
	if (!m) {
		pr_err("domain %u: 0x%lx-0x%lx is still mapped by the hypervisor but no memory to record it; its frames stay referenced\n",
		       hvdom->id, start, last);
		return;
	}
	m->it.start = start;
	m->it.last = last;
	m->paddr = paddr;
	m->flags = map_flags;
	m->in_hv = true;
	m->held = true;
	spin_lock_irqsave(&hvdom->lock, flags);
	if (hv_map_first(hvdom, start, last)) {
		spin_unlock_irqrestore(&hvdom->lock, flags);
		pr_err("domain %u: 0x%lx-0x%lx is still mapped by the hypervisor but was mapped again meanwhile; its frames stay referenced\n",
		       hvdom->id, start, last);
		kfree(m);
		return;
	}
	hv_map_insert(hvdom, m);
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/*
 * Remove [@iova, @last] from the tree and the hypervisor.  With @contract
 * (unmap_pages): stop at the first hole and at the first refused unmap, and
 * return the bytes removed from @iova on.  Without (a freed domain): go
 * through every node, whatever the hypervisor refuses.  A refused unmap
 * leaves the piece in the tree, its frames held (hv_unmap_keep()).
 */
static size_t hv_unmap_range(struct hv_iommu_domain *hvdom,
			     unsigned long iova, unsigned long last,
			     bool contract, gfp_t gfp)
{
	struct hv_iommu_mapping *m, *freed, *spare;
	unsigned long cur = iova, s, e, flags;
	bool left, right, in_hv, held;
	phys_addr_t piece_pa;
	size_t unmapped = 0;
	u32 map_flags;
	u64 done, npages;
	u16 status;
	int ret;

	for (;;) {
		hv_map_reserve_fill(hvdom, gfp);
		spin_lock_irqsave(&hvdom->lock, flags);
		m = hv_map_first(hvdom, cur, last);
		if (!m || (contract && m->it.start > cur)) {
			/* The end, or a hole: the core advances by what we return. */
			spin_unlock_irqrestore(&hvdom->lock, flags);
			break;
		}
		s = max(m->it.start, cur);
		e = min(m->it.last, last);
		left = m->it.start < s;
		right = m->it.last > e;
		spare = NULL;
		if (left && right) {
			spare = hvdom->reserve;
			if (!spare) {
				spin_unlock_irqrestore(&hvdom->lock, flags);
				pr_err("domain %u: no memory to split 0x%lx-0x%lx at 0x%lx-0x%lx\n",
				       hvdom->id, m->it.start, m->it.last, s, e);
				break;
			}
			hvdom->reserve = NULL;
		}
		in_hv = m->in_hv;
		held = m->held;
		map_flags = m->flags;
		piece_pa = m->paddr + (s - m->it.start);
		freed = NULL;

		hv_map_remove(hvdom, m);
		if (spare) {
			spare->paddr = m->paddr + (e + 1 - m->it.start);
			spare->it.start = e + 1;
			spare->it.last = m->it.last;
			spare->flags = m->flags;
			spare->in_hv = m->in_hv;
			spare->held = m->held;
			hv_map_insert(hvdom, spare);
		}
		if (left) {
			m->it.last = s - 1;
			hv_map_insert(hvdom, m);
		} else if (right) {
			m->paddr += e + 1 - m->it.start;
			m->it.start = e + 1;
			hv_map_insert(hvdom, m);
		} else {
			freed = m;
		}
		spin_unlock_irqrestore(&hvdom->lock, flags);

		npages = HV_PAGES(e - s + 1);
		ret = 0;
		done = npages;
		if (in_hv)
			ret = hv_hcall_unmap_device_gpa_pages(hvdom->id, s,
							      npages, gfp,
							      &done, &status);
		if (held)
			hv_iommu_frames_release(piece_pa, done);
		if (ret) {
			hv_map_log(hvdom, "unmap", s, npages, HV_PFN(piece_pa),
				   done, status);
			hv_unmap_keep(hvdom, freed,
				      s + (done << HV_HYP_PAGE_SHIFT), e,
				      piece_pa + (done << HV_HYP_PAGE_SHIFT),
				      map_flags, held);
			unmapped += done << HV_HYP_PAGE_SHIFT;
			if (contract)
				break;
		} else {
			kfree(freed);
			unmapped += e - s + 1;
		}
		if (e >= last)
			break;
		cur = e + 1;
	}
	return unmapped;
}

/**
 * hv_iommu_unmap_pages() - iommu_domain_ops->unmap_pages
 * @domain: a paging domain.
 * @iova: first IOVA (bytes).
 * @pgsize: page size in bytes.
 * @pgcount: number of pages.
 * @gather: unused (the hypervisor flushes its IOTLB on unmap).
 *
 * Removes [@iova, @iova + @pgsize * @pgcount) from the tree from @iova on:
 * mappings inside it go, a mapping that sticks out is split and keeps its
 * outside parts (a split in the middle uses the domain's spare node, kept
 * filled outside the lock, so that memory never cuts an unmap short).
 * Exactly the pages removed that the hypervisor maps are unmapped with
 * hypercalls.  It stops at the first hole, and where the hypervisor
 * refuses an unmap (the pages it still maps stay in the tree, their frames
 * referenced): the core advances by the return value (iommu.c
 * __iommu_unmap()).
 *
 * Context: any; takes the domain's tree spinlock.
 * Return: bytes unmapped from @iova on, up to the first hole or refusal.
 */
size_t hv_iommu_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			    size_t pgsize, size_t pgcount,
			    struct iommu_iotlb_gather *gather)
{
	unsigned long last = iova + pgsize * pgcount - 1;

	if (!pgcount || last < iova)
		return 0;
	return hv_unmap_range(to_hv_domain(domain), iova, last, true,
			      GFP_ATOMIC);
}

/**
 * hv_iommu_mappings_unmap_all() - unmap a freed domain's pages everywhere
 * @hvdom: a paging domain the core has freed.
 *
 * VFIO frees a domain that is not its last one without unmapping it first
 * (vfio_iommu_type1.c, vfio_iommu_type1_detach_group()), and then unpins the
 * pages when the other domains are done: whatever the hypervisor maps in
 * this domain goes now, even when a device is stranded in it.  What it
 * refuses to unmap stays in the tree, the frames held.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_mappings_unmap_all(struct hv_iommu_domain *hvdom)
{
	lockdep_assert_held(&hv_iommu_lock);
	hv_unmap_range(hvdom, 0, ULONG_MAX, false, GFP_KERNEL);
}

/**
 * hv_iommu_iova_to_phys() - iommu_domain_ops->iova_to_phys
 * @domain: a paging domain.
 * @iova: IOVA (bytes).
 *
 * Context: any; takes the domain's tree spinlock.
 * Return: the physical address @iova maps to, or 0 if it is not mapped.
 */
phys_addr_t hv_iommu_iova_to_phys(struct iommu_domain *domain,
				  dma_addr_t iova)
{
	struct hv_iommu_domain *hvdom = to_hv_domain(domain);
	struct hv_iommu_mapping *m;
	phys_addr_t pa = 0;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	m = hv_map_first(hvdom, iova, iova);
	if (m)
		pa = m->paddr + (iova - m->it.start);
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return pa;
}

/* Copy the first node at or after @from that the hypervisor does not map. */
static bool hv_replay_next(struct hv_iommu_domain *hvdom, unsigned long from,
			   struct hv_iommu_mapping *copy)
{
	struct hv_iommu_mapping *m;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	for (m = hv_map_first(hvdom, from, ULONG_MAX); m && m->in_hv;
	     m = hv_map_next(m, from, ULONG_MAX))
		;
	if (m)
		*copy = *m;
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return m;
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
 * Walks the tree in IOVA order with a cursor, dropping the lock around each
 * map hypercall; map_pages/unmap_pages may run meanwhile (see the file
 * comment).  Passes repeat until no node is left that the hypervisor does
 * not map; then, under the lock, the mode becomes "domain" so that later
 * map_pages issue their own hypercalls.
 *
 * Context: process context; caller holds hv_iommu_lock.
 * Return: 0, or -errno from a map hypercall (what this call mapped of the
 * failing node is undone; the caller deletes the device domain).
 */
int hv_iommu_replay(struct hv_iommu_domain *hvdom)
{
	struct hv_iommu_mapping m;
	unsigned long cur;
	u64 npages, done;
	u16 status;
	int ret;

	lockdep_assert_held(&hv_iommu_lock);
	for (;;) {
		cur = 0;
		while (hv_replay_next(hvdom, cur, &m)) {
			npages = HV_PAGES(hv_map_size(&m));
			ret = hv_hcall_map_device_gpa_pages(hvdom->id, m.it.start,
							    HV_PFN(m.paddr),
							    npages, m.flags,
							    GFP_KERNEL, &done,
							    &status);
			if (ret) {
				hv_map_log(hvdom, "replay map", m.it.start,
					   npages, HV_PFN(m.paddr), done,
					   status);
				hv_map_undo_hv(hvdom, m.it.start,
					       HV_PFN(m.paddr), done,
					       GFP_KERNEL);
				return ret;
			}
			if (!hv_map_mark_in_hv(hvdom, m.id, m.it.start,
					       m.it.last))
				hv_map_undo_hv(hvdom, m.it.start,
					       HV_PFN(m.paddr), npages,
					       GFP_KERNEL);
			cur = m.it.last + 1;
			cond_resched();
		}
		if (hv_replay_finish(hvdom))
			return 0;
		cond_resched();
	}
}

/**
 * hv_iommu_mappings_forget_hv() - mark every mapping as not in the hypervisor
 * @hvdom: a paging domain whose device domain is about to be deleted after a
 *	failed replay.
 *
 * Context: any; takes the domain's tree spinlock.
 */
void hv_iommu_mappings_forget_hv(struct hv_iommu_domain *hvdom)
{
	struct hv_iommu_mapping *m;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	for (m = hv_map_first(hvdom, 0, ULONG_MAX); m;
	     m = hv_map_next(m, 0, ULONG_MAX))
		m->in_hv = false;
	hvdom->nr_pending = hvdom->nr_mappings;
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/**
 * hv_iommu_mappings_free() - free every node of a domain's tree
 * @hvdom: a paging domain the core has freed; no one maps or unmaps in it.
 *
 * The hypervisor side is not touched: deleting the device domain dropped its
 * mappings, so the frames held for refused unmaps are released.
 *
 * Context: any.
 */
void hv_iommu_mappings_free(struct hv_iommu_domain *hvdom)
{
	struct hv_iommu_mapping *m;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	while ((m = hv_map_first(hvdom, 0, ULONG_MAX))) {
		hv_map_remove(hvdom, m);
		if (m->held)
			hv_iommu_frames_release(m->paddr,
						 HV_PAGES(hv_map_size(m)));
		kfree(m);
	}
	kfree(hvdom->reserve);
	hvdom->reserve = NULL;
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/**
 * hv_iommu_mappings_totals() - the totals of a domain's tree
 * @hvdom: the domain.
 * @bytes: set to the bytes mapped.
 * @count: set to the number of mappings (tree nodes).
 *
 * Context: any; takes the domain's tree spinlock.
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
 * @copy: set to a copy of the mapping found.
 *
 * Lets a reader walk the tree with a cursor without holding its lock:
 * O(log n) per step.
 *
 * Context: any; takes the domain's tree spinlock.
 * Return: true if a mapping was found.
 */
bool hv_iommu_mapping_from(struct hv_iommu_domain *hvdom, unsigned long from,
			   struct hv_iommu_mapping *copy)
{
	struct hv_iommu_mapping *m;
	unsigned long flags;

	spin_lock_irqsave(&hvdom->lock, flags);
	m = hv_map_first(hvdom, from, ULONG_MAX);
	if (m)
		*copy = *m;
	spin_unlock_irqrestore(&hvdom->lock, flags);
	return m;
}
