// SPDX-License-Identifier: GPL-2.0
/*
 * A paging domain's books: a two-level table of IOVA pages, as compact as
 * the page table a hardware IOMMU walks.  The top level is an xarray indexed
 * by 2 MiB IOVA block; an entry is either
 *  - a leaf: 512 u64 entries (one 4 KiB slab object, what a page table's
 *    last level costs), one per IOVA page, or
 *  - a value entry for a block that one physically contiguous run covers
 *    whole (THP, hugetlbfs, long runs of fresh memory): the entry of its
 *    first page; page i maps that frame + i.  Contiguous memory so costs a
 *    few bytes per 2 MiB, O(runs).
 * An entry (hv_pte) packs the frame number above bit 12 and HV_PTE_* bits
 * below.  A page with HV_PTE_START begins a mapping (one map_pages run, or
 * the piece of one left after a partial unmap); the pages after it up to
 * the next START or hole belong to it.
 *
 * Every function here runs with hvdom->lock held (irqs off); the xarray's
 * own lock nests inside it and is never taken without it, so the table
 * needs nothing else.  A leaf is only freed under hvdom->lock, and all its
 * readers hold it.
 */
#include "hv_iommu.h"

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#define HV_STORE_LEAF_BYTES	(HV_STORE_BLOCK_PAGES * sizeof(u64))

/* Leaves allocated, all domains (debugfs stats "store"). */
static atomic_long_t hv_store_nr_leaves = ATOMIC_LONG_INIT(0);

/**
 * hv_store_leaves() - leaves allocated by all domains' tables
 *
 * Context: any.
 * Return: the count; each is HV_STORE_LEAF_BYTES (4 KiB).
 */
long hv_store_leaves(void)
{
	return atomic_long_read(&hv_store_nr_leaves);
}

static u64 *hv_store_leaf_alloc(gfp_t gfp)
{
	u64 *leaf = kzalloc(HV_STORE_LEAF_BYTES, gfp | __GFP_NOWARN);

	if (leaf)
		atomic_long_inc(&hv_store_nr_leaves);
	return leaf;
}

static void hv_store_leaf_free(u64 *leaf)
{
	if (leaf)
		atomic_long_dec(&hv_store_nr_leaves);
	kfree(leaf);
}

static unsigned long hv_store_block(unsigned long ipfn)
{
	return ipfn >> HV_STORE_BLOCK_SHIFT;
}

static unsigned int hv_store_slot(unsigned long ipfn)
{
	return ipfn & (HV_STORE_BLOCK_PAGES - 1);
}

/* Page @i's entry in a whole block whose first page has entry @v. */
static u64 hv_pte_whole(u64 v, unsigned int i)
{
	return i ? (v & ~HV_PTE_START) + ((u64)i << HV_PTE_PFN_SHIFT) : v;
}

/* The block entry of @ipfn, looked up once per block. */
static void *hv_store_entry(struct hv_iommu_domain *hvdom, unsigned long ipfn,
			    struct hv_store_cur *c)
{
	unsigned long block = hv_store_block(ipfn);

	if (!c->valid || c->block != block) {
		c->block = block;
		c->entry = xa_load(&hvdom->store, block);
		c->valid = true;
	}
	return c->entry;
}

/**
 * hv_store_get() - the entry of one IOVA page
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: IOVA page number.
 * @c: lookup cursor (zero-initialised by the caller, reused along a walk).
 *
 * Return: the hv_pte, 0 if the page is not in the books.
 */
u64 hv_store_get(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		 struct hv_store_cur *c)
{
	void *e = hv_store_entry(hvdom, ipfn, c);

	if (!e)
		return 0;
	if (xa_is_value(e))
		return hv_pte_whole(xa_to_value(e), hv_store_slot(ipfn));
	return ((u64 *)e)[hv_store_slot(ipfn)];
}

/**
 * hv_store_whole() - the block of @ipfn, if one run covers it whole
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: IOVA page number.
 * @c: lookup cursor.
 *
 * Return: the entry of the block's first page, or 0 if the block is a leaf
 * or empty.
 */
u64 hv_store_whole(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		   struct hv_store_cur *c)
{
	void *e = hv_store_entry(hvdom, ipfn, c);

	return xa_is_value(e) ? xa_to_value(e) : 0;
}

/**
 * hv_store_block_empty() - whether the block of @ipfn has no entry at all
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: IOVA page number.
 * @c: lookup cursor.
 *
 * Return: true if neither a leaf nor a whole-block entry is there.
 */
bool hv_store_block_empty(struct hv_iommu_domain *hvdom, unsigned long ipfn,
			  struct hv_store_cur *c)
{
	return !hv_store_entry(hvdom, ipfn, c);
}

/* Account one page (or @n pages of a whole block) leaving or entering. */
static void hv_pte_account(struct hv_iommu_domain *hvdom, u64 pte, u64 n,
			   int sign)
{
	if (!(pte & HV_PTE_PRESENT) || (pte & HV_PTE_UNMAPPING))
		return;
	hvdom->mapped_bytes += sign * (s64)(n << HV_HYP_PAGE_SHIFT);
	if (pte & HV_PTE_START)
		hvdom->nr_mappings += sign;
	if (!(pte & HV_PTE_IN_HV))
		hvdom->nr_pending += sign * (s64)n;
}

/* Put @entry in @block's slot; erasing or replacing allocates nothing. */
static int hv_store_put(struct hv_iommu_domain *hvdom, unsigned long block,
			void *entry, struct hv_store_cur *c)
{
	void *old = xa_store(&hvdom->store, block, entry,
			     GFP_ATOMIC | __GFP_NOWARN);

	if (xa_is_err(old))
		return xa_err(old);
	hvdom->nr_blocks += !old - !entry;
	c->valid = false;
	return 0;
}

/**
 * hv_store_set_whole() - replace a whole block's entry
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: the block's first IOVA page number.
 * @v: the new entry of its first page (0: the block goes).
 * @c: lookup cursor.
 *
 * The block must be whole or empty.  Counters follow.
 *
 * Return: 0, or -ENOMEM if an empty block needed an xarray node.
 */
int hv_store_set_whole(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		       u64 v, struct hv_store_cur *c)
{
	u64 old = hv_store_whole(hvdom, ipfn, c);
	int ret;

	ret = hv_store_put(hvdom, hv_store_block(ipfn),
			   v ? xa_mk_value(v) : NULL, c);
	if (ret)
		return ret;
	hv_pte_account(hvdom, old, HV_STORE_BLOCK_PAGES, -1);
	hv_pte_account(hvdom, v, HV_STORE_BLOCK_PAGES, 1);
	return 0;
}

/* Give the block of @ipfn a leaf (the spare), expanding a whole block. */
static int hv_store_leaf(struct hv_iommu_domain *hvdom, unsigned long ipfn,
			 struct hv_store_cur *c)
{
	void *e = hv_store_entry(hvdom, ipfn, c);
	u64 *leaf = hvdom->spare;
	unsigned int i;
	int ret;

	/* The spare is normally filled outside the lock; else try now. */
	if (!leaf)
		leaf = hv_store_leaf_alloc(GFP_ATOMIC);
	if (!leaf)
		return -ENOMEM;
	hvdom->spare = leaf;
	if (e)
		for (i = 0; i < HV_STORE_BLOCK_PAGES; i++)
			leaf[i] = hv_pte_whole(xa_to_value(e), i);
	ret = hv_store_put(hvdom, hv_store_block(ipfn), leaf, c);
	if (ret) {
		memset(leaf, 0, HV_STORE_LEAF_BYTES);
		return ret;
	}
	hvdom->spare = NULL;
	return 0;
}

/**
 * hv_store_set() - change the entry of one IOVA page
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: IOVA page number.
 * @pte: the new hv_pte (0: the page goes).
 * @c: lookup cursor.
 *
 * Counters (bytes, mappings, pending pages) follow the change.  A whole
 * block, or an empty one, gets the domain's spare leaf first
 * (hv_store_spare_fill() fills it outside the lock; failing that, one is
 * allocated with GFP_ATOMIC).
 *
 * Return: 0, or -ENOMEM when a leaf was needed and none could be had.
 */
int hv_store_set(struct hv_iommu_domain *hvdom, unsigned long ipfn, u64 pte,
		 struct hv_store_cur *c)
{
	void *e = hv_store_entry(hvdom, ipfn, c);
	u64 old = hv_store_get(hvdom, ipfn, c);
	int ret;

	if (old == pte)
		return 0;
	if (!e || xa_is_value(e)) {
		ret = hv_store_leaf(hvdom, ipfn, c);
		if (ret)
			return ret;
		e = hv_store_entry(hvdom, ipfn, c);
	}
	((u64 *)e)[hv_store_slot(ipfn)] = pte;
	hv_pte_account(hvdom, old, 1, -1);
	hv_pte_account(hvdom, pte, 1, 1);
	return 0;
}

/**
 * hv_store_next() - the first IOVA page at or after @ipfn that may be in
 *	the books, skipping empty blocks
 * @hvdom: the domain; caller holds its lock.
 * @ipfn: in: where to look from; out: the page found.
 * @last: last IOVA page number to look at.
 * @c: lookup cursor.
 *
 * Return: false if no block at or after @ipfn up to @last has entries.
 */
bool hv_store_next(struct hv_iommu_domain *hvdom, unsigned long *ipfn,
		   unsigned long last, struct hv_store_cur *c)
{
	unsigned long block = hv_store_block(*ipfn);

	if (*ipfn > last)
		return false;
	if (hv_store_entry(hvdom, *ipfn, c))
		return true;
	if (!xa_find(&hvdom->store, &block, hv_store_block(last), XA_PRESENT))
		return false;
	*ipfn = block << HV_STORE_BLOCK_SHIFT;
	return true;
}

/**
 * hv_store_trim() - free the leaves left empty in [@first, @last]
 * @hvdom: the domain; caller holds its lock.
 * @first: first IOVA page number.
 * @last: last IOVA page number.
 */
void hv_store_trim(struct hv_iommu_domain *hvdom, unsigned long first,
		   unsigned long last)
{
	unsigned long block;
	void *e;

	xa_for_each_range(&hvdom->store, block, e, hv_store_block(first),
			  hv_store_block(last)) {
		if (xa_is_value(e) || memchr_inv(e, 0, HV_STORE_LEAF_BYTES))
			continue;
		xa_erase(&hvdom->store, block);
		hvdom->nr_blocks--;
		hv_store_leaf_free(e);
	}
}

/**
 * hv_store_spare_fill() - make sure the domain has a spare leaf
 * @hvdom: the domain; caller does not hold its lock.
 * @gfp: allocation flags.
 *
 * Return: true if a leaf is spare.
 */
bool hv_store_spare_fill(struct hv_iommu_domain *hvdom, gfp_t gfp)
{
	unsigned long flags;
	u64 *leaf;

	if (READ_ONCE(hvdom->spare))
		return true;
	leaf = hv_store_leaf_alloc(gfp);
	if (!leaf)
		return false;
	spin_lock_irqsave(&hvdom->lock, flags);
	if (!hvdom->spare) {
		hvdom->spare = leaf;
		leaf = NULL;
	}
	spin_unlock_irqrestore(&hvdom->lock, flags);
	hv_store_leaf_free(leaf);
	return true;
}

/**
 * hv_store_destroy() - free the table
 * @hvdom: a domain no one maps or unmaps in any more; caller holds its lock.
 *
 * The caller has dropped what the entries hold (hv_iommu_mappings_free()).
 */
void hv_store_destroy(struct hv_iommu_domain *hvdom)
{
	unsigned long block;
	void *e;

	xa_for_each(&hvdom->store, block, e)
		if (!xa_is_value(e))
			hv_store_leaf_free(e);
	xa_destroy(&hvdom->store);
	hv_store_leaf_free(hvdom->spare);
	hvdom->spare = NULL;
	hvdom->nr_blocks = 0;
	hvdom->mapped_bytes = 0;
	hvdom->nr_mappings = 0;
	hvdom->nr_pending = 0;
}
