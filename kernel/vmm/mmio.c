// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm MMIO resolver: a guest's access to an MMIO region (a VFIO BAR
 * mmap the VMM registered) comes as HVMSG_UNMAPPED_GPA; the driver finds
 * the BAR's page frames behind the region's user range and maps them into
 * the partition with HVCALL_MAP_GPA_PAGES, READABLE | NOT_CACHED (and
 * WRITABLE if the region is), then dispatches the VP again without going
 * back to the VMM.  How much it maps is the mmio_mode module parameter
 * (sysfs /sys/module/hv_vmm/parameters/mmio_mode), read at each intercept:
 * full (the whole region, as upstream), page (the page touched), eager
 * (the whole region at registration, so no intercept at all).
 *
 * The guard: an UNMAPPED_GPA outside every MMIO region is never turned
 * into a mapping; it goes to the VMM as an exit with its GPA.
 *
 * Locking (the review of the upstream patch): the intercept is handled in
 * the VP thread's process context.  The region is looked up and a
 * reference taken under the partition's mutex, which guards the region
 * list; mmap_read_lock is held only around the VMA walk that finds the
 * frames (follow_pfnmap_start(), faulting absent ones in with
 * fixup_user_fault()); the map itself is made under the region's
 * mmio_lock after checking, with the MMU interval notifier's sequence
 * (mmu_interval_read_begin()/_retry()), that no invalidation ran since the
 * walk, and only for pages not mapped yet: two VPs faulting at once map
 * each page once.  mmio_notifier.c unmaps on invalidation.
 */
#include "hv_compat.h"
#include "vmm.h"

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "hv_iommu_nl.h"
#include "hv_nl.h"
#include "hv_vmm.h"

static const char * const hv_vmm_mmio_mode_names[] = {
	[HV_VMM_MMIO_FULL] = "full",
	[HV_VMM_MMIO_PAGE] = "page",
	[HV_VMM_MMIO_EAGER] = "eager",
};

static const char * const hv_vmm_mmio_counter_names[] = {
	[HV_VMM_MMIO_INTERCEPTS] = "intercepts",
	[HV_VMM_MMIO_RESOLVED_FULL] = "resolved_full",
	[HV_VMM_MMIO_RESOLVED_PAGE] = "resolved_page",
	[HV_VMM_MMIO_ALREADY_MAPPED] = "already_mapped",
	[HV_VMM_MMIO_EAGER_MAPS] = "eager_maps",
	[HV_VMM_MMIO_GUARD_REFUSALS] = "guard_refusals",
	[HV_VMM_MMIO_RESOLVE_ERRORS] = "resolve_errors",
	[HV_VMM_MMIO_NOTIFIER_UNMAPS] = "notifier_unmaps",
	[HV_VMM_MMIO_NOTIFIER_PAGES] = "notifier_pages",
	[HV_VMM_MMIO_FULL_NS] = "full_ns",
	[HV_VMM_MMIO_PAGE_NS] = "page_ns",
};
static_assert(ARRAY_SIZE(hv_vmm_mmio_counter_names) == HV_VMM_MMIO_NR_COUNTERS);

static int hv_vmm_mmio_mode = HV_VMM_MMIO_FULL;

static int hv_vmm_mmio_mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(hv_vmm_mmio_mode_names, val);

	if (mode < 0) {
		pr_warn("mmio_mode: '%s' is not full, page or eager\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(hv_vmm_mmio_mode, mode);
	return 0;
}

static int hv_vmm_mmio_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hv_vmm_mmio_mode_names[READ_ONCE(hv_vmm_mmio_mode)]);
}

static const struct kernel_param_ops hv_vmm_mmio_mode_ops = {
	.set = hv_vmm_mmio_mode_set,
	.get = hv_vmm_mmio_mode_get,
};
module_param_cb(mmio_mode, &hv_vmm_mmio_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mmio_mode, "MMIO regions are mapped: full (whole region on its first intercept, default), page (the page of each intercept), eager (whole region at registration); read at each intercept or registration");

/**
 * hv_vmm_mmio_count() - add to one MMIO counter of a partition
 * @pt: the partition.
 * @c: the counter.
 * @n: how much.
 *
 * Context: any.
 */
void hv_vmm_mmio_count(struct hv_vmm_partition *pt,
		       enum hv_vmm_mmio_counter c, u64 n)
{
	atomic64_add(n, &pt->mmio_counters[c]);
}

/**
 * hv_vmm_mmio_stats_read() - a snapshot of a partition's MMIO counters
 * @pt: the partition (a reference held).
 * @st: filled, indexed by &enum hv_vmm_mmio_counter.
 *
 * Each counter is read atomically; the set is not one instant.
 *
 * Context: any.
 */
void hv_vmm_mmio_stats_read(struct hv_vmm_partition *pt,
			    struct hv_vmm_mmio_stats *st)
{
	int i;

	for (i = 0; i < HV_VMM_MMIO_NR_COUNTERS; i++)
		st->v[i] = atomic64_read(&pt->mmio_counters[i]);
}

/**
 * hv_vmm_mmio_counter_name() - the name of an MMIO counter (debugfs key)
 * @c: the counter.
 *
 * Return: a static string.
 */
const char *hv_vmm_mmio_counter_name(enum hv_vmm_mmio_counter c)
{
	return hv_vmm_mmio_counter_names[c];
}

/**
 * hv_vmm_mmio_mode_name() - the MMIO mode in force
 *
 * Return: "full", "page" or "eager" (a static string), as mmio_mode reads.
 */
const char *hv_vmm_mmio_mode_name(void)
{
	return hv_vmm_mmio_mode_names[READ_ONCE(hv_vmm_mmio_mode)];
}

/**
 * hv_vmm_region_mapped() - pages of a region mapped in the hypervisor now
 * @r: the region; its partition's mutex held (the region stays listed).
 *
 * Context: any; the walk of @r->spa is RCU-safe, so an MMIO region's
 * count is a snapshot taken without @r->mmio_lock.
 * Return: a RAM region's size in pages (it is mapped whole), the pages
 * an MMIO region has recorded in @r->spa.
 */
unsigned long hv_vmm_region_mapped(struct hv_vmm_region *r)
{
	unsigned long index, n = 0;
	void *entry;

	if (!r->mmio)
		return r->npages;
	xa_for_each(&r->spa, index, entry)
		n++;
	return n;
}

static void hv_vmm_mmio_region_release(struct kref *ref)
{
	struct hv_vmm_region *r = container_of(ref, struct hv_vmm_region, ref);

	xa_destroy(&r->spa);
	kfree(r);
}

static void hv_vmm_mmio_region_put(struct hv_vmm_region *r)
{
	kref_put(&r->ref, hv_vmm_mmio_region_release);
}

/* The MMIO region holding @gfn, referenced; NULL if none. */
static struct hv_vmm_region *hv_vmm_mmio_region_get(struct hv_vmm_partition *pt,
						    u64 gfn)
{
	struct hv_vmm_region *r, *found = NULL;

	mutex_lock(&pt->mutex);
	list_for_each_entry(r, &pt->regions, node) {
		if (gfn >= r->gfn && gfn - r->gfn < r->npages) {
			if (r->mmio) {
				kref_get(&r->ref);
				found = r;
			}
			break;
		}
	}
	mutex_unlock(&pt->mutex);
	return found;
}

/*
 * The frames behind pages [@first, @first + @count) of @r into @pfns.
 * Context: the VMM's process (current->mm is the region's); takes and
 * drops mmap_read_lock, may sleep (faults).
 */
static int hv_vmm_mmio_pfns(struct hv_vmm_region *r, u64 first, u32 count,
			    u64 *pfns)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = r->uaddr, pfn = 0;
	struct vm_area_struct *vma;
	int ret = 0;
	u32 i;

	mmap_read_lock(mm);
	for (i = 0; i < count && !ret; i++) {
		addr = r->uaddr + ((first + i) << HV_HYP_PAGE_SHIFT);
		vma = vma_lookup(mm, addr);
		if (!vma || !(vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			ret = -EFAULT;
			break;
		}
		ret = hv_compat_follow_pfn(vma, addr, &pfn);
		if (ret) {
			/* Not populated yet (vfio-pci faults lazily). */
			ret = fixup_user_fault(mm, addr,
					       r->flags & BIT(HV_VMM_SET_MEM_BIT_WRITABLE) ?
					       FAULT_FLAG_WRITE : 0, NULL);
			if (!ret)
				ret = hv_compat_follow_pfn(vma, addr, &pfn);
		}
		pfns[i] = pfn;
	}
	mmap_read_unlock(mm);
	if (ret)
		pr_warn_ratelimited("partition %llu: MMIO region at gfn 0x%llx: no frame at 0x%lx (%d)\n",
				    r->pt->id, r->gfn, addr, ret);
	return ret;
}

/*
 * Map the pages of [@first, @first + @count) of @r that are not mapped
 * yet, to @pfns.  Caller holds @r->mmio_lock: deposits without reclaim.
 * Every page recorded in @r->spa is mapped and every page mapped is
 * recorded, also after a failure.
 * Return: pages mapped, or -errno.
 */
static long hv_vmm_mmio_map_locked(struct hv_vmm_region *r, u64 first,
				   u32 count, const u64 *pfns)
{
	u32 flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_NOT_CACHED;
	u32 i = 0, n, done;
	long mapped = 0;
	int ret, stored;

	lockdep_assert_held(&r->mmio_lock);
	if (r->flags & BIT(HV_VMM_SET_MEM_BIT_WRITABLE))
		flags |= HV_MAP_GPA_WRITABLE;
	while (i < count) {
		if (xa_load(&r->spa, first + i)) {
			i++;
			continue;
		}
		for (n = 1; i + n < count && !xa_load(&r->spa, first + i + n); n++)
			;
		ret = hv_vmm_hv_map_gpa_pages(r->pt->id, r->gfn + first + i,
					      pfns + i, n, flags,
					      GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN,
					      &done);
		for (n = 0; n < done; n++) {
			stored = xa_err(xa_store(&r->spa, first + i + n,
						 xa_mk_value(pfns[i + n]),
						 GFP_NOWAIT | __GFP_NOWARN));
			if (stored)
				break;
		}
		if (n < done) {
			/* A page without a record must not stay mapped. */
			hv_vmm_hv_unmap_gpa_pages(r->pt->id,
						  r->gfn + first + i + n,
						  done - n, 0, GFP_NOWAIT);
			ret = stored;
		}
		mapped += n;
		if (ret)
			return ret;
		i += done;
	}
	return mapped;
}

/**
 * hv_vmm_mmio_map() - map part of an MMIO region to the frames behind it
 * @r: the region (a reference held).
 * @first: first page of the part, from the region's start.
 * @count: pages in the part.
 *
 * In chunks of one hypercall's list: walk the VMA, then map under
 * @r->mmio_lock unless the notifier invalidated the range meanwhile (then
 * walk again).  Pages already mapped are left alone.
 *
 * Context: the VMM's process context; takes mmap_read_lock and
 * @r->mmio_lock, never together; may sleep.
 * Return: pages newly mapped; -ENOENT if the region was removed; -errno of
 * the walk or the hypercall (that chunk is left unmapped).
 */
static long hv_vmm_mmio_map(struct hv_vmm_region *r, u64 first, u64 count)
{
	long mapped = 0, ret = 0;
	unsigned long seq;
	u64 *pfns, i, n;
	bool again;

	pfns = (u64 *)__get_free_page(GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < count && ret >= 0; i += n) {
		n = min_t(u64, count - i, HV_MAP_GPA_PAGES_MAX);
		do {
			again = false;
			if (READ_ONCE(r->dead)) {
				ret = -ENOENT;
				break;
			}
			seq = mmu_interval_read_begin(&r->notifier);
			ret = hv_vmm_mmio_pfns(r, first + i, n, pfns);
			if (ret)
				break;
			mutex_lock(&r->mmio_lock);
			if (r->dead)
				ret = -ENOENT;
			else if (mmu_interval_read_retry(&r->notifier, seq))
				again = true;	/* the frames may be stale */
			else
				ret = hv_vmm_mmio_map_locked(r, first + i, n, pfns);
			if (ret > 0)
				mapped += ret;
			mutex_unlock(&r->mmio_lock);
		} while (again);
	}
	free_page((unsigned long)pfns);
	/* One event per intercept or registration: a VP exit or an ioctl. */
	hv_vmm_nl_mmio_event(HV_IOMMU_EVENT_MMIO_MAPPED, r, first, mapped,
			     GFP_KERNEL);
	return ret < 0 ? ret : mapped;
}

/**
 * hv_vmm_mmio_intercept() - resolve an intercept in an MMIO region
 * @pt: the VP's partition.
 * @msg: the intercept message the VP's dispatch ended with.
 * @t0: ktime_get_ns() when the VP's thread took the message.
 *
 * Context: the VP's thread (the VMM's process), process context; takes
 * @pt->mutex briefly, may sleep.
 * Return: true if the access can go on (mapped, by this call or by
 * another VP); false if the message goes to the VMM: not
 * HVMSG_UNMAPPED_GPA, outside every MMIO region (the guard), or not
 * resolvable (counted and logged).
 */
bool hv_vmm_mmio_intercept(struct hv_vmm_partition *pt,
			   const struct hv_message *msg, u64 t0)
{
	const struct hv_x64_memory_intercept_message *mi = (const void *)msg->payload;
	enum hv_vmm_mmio_mode mode = READ_ONCE(hv_vmm_mmio_mode);
	struct hv_vmm_region *r = NULL;
	u64 gfn, first, count;
	long ret;

	if (msg->header.message_type != HVMSG_UNMAPPED_GPA)
		return false;
	hv_vmm_mmio_count(pt, HV_VMM_MMIO_INTERCEPTS, 1);
	gfn = mi->guest_physical_address >> HV_HYP_PAGE_SHIFT;
	if (mi->memory_access_info & HV_X64_MEMORY_ACCESS_GVA_GPA_VALID)
		r = hv_vmm_mmio_region_get(pt, gfn);
	if (!r) {
		/* One event per refused VP exit, which goes to the VMM. */
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_GUARD_REFUSALS, 1);
		hv_iommu_nl_mmio_event(HV_IOMMU_EVENT_MMIO_GUARD_REFUSED, pt->id,
				       mi->guest_physical_address, 0, GFP_KERNEL);
		return false;
	}
	/* Eager regions that were invalidated come back whole. */
	first = mode == HV_VMM_MMIO_PAGE ? gfn - r->gfn : 0;
	count = mode == HV_VMM_MMIO_PAGE ? 1 : r->npages;
	ret = hv_vmm_mmio_map(r, first, count);
	hv_vmm_mmio_region_put(r);
	if (ret < 0) {
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_RESOLVE_ERRORS, 1);
		return false;
	}
	if (!ret) {
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_ALREADY_MAPPED, 1);
	} else if (mode == HV_VMM_MMIO_PAGE) {
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_RESOLVED_PAGE, 1);
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_PAGE_NS, ktime_get_ns() - t0);
	} else {
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_RESOLVED_FULL, 1);
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_FULL_NS, ktime_get_ns() - t0);
	}
	return true;
}

/*
 * Unmap all of @r (marked dead first if @dead) and report what went; one
 * event per removal or failed registration (an ioctl or the VMM's exit).
 * Context: process context, no invalidation running on @r any more.
 */
static void hv_vmm_mmio_unmap_all(struct hv_vmm_region *r, bool dead)
{
	u64 n;

	mutex_lock(&r->mmio_lock);
	if (dead)
		WRITE_ONCE(r->dead, true);
	n = hv_vmm_mmio_unmap(r, 0, r->npages, GFP_NOWAIT);
	mutex_unlock(&r->mmio_lock);
	hv_vmm_nl_mmio_event(HV_IOMMU_EVENT_MMIO_UNMAPPED, r, 0, n, GFP_KERNEL);
}

/**
 * hv_vmm_mmio_region_init() - make a new MMIO region live
 * @pt: its partition.
 * @r: the region (gfn, npages, uaddr, flags set), not yet on the list.
 *
 * Inserts the MMU interval notifier on its user range and, in eager mode,
 * maps it whole.  On failure nothing is left mapped or registered and the
 * caller frees @r with kfree().
 *
 * Context: the VMM's process, @pt->mutex held; may sleep.
 * Return: 0, or -errno of the notifier or of the eager map (logged).
 */
int hv_vmm_mmio_region_init(struct hv_vmm_partition *pt,
			    struct hv_vmm_region *r)
{
	long ret;

	r->pt = pt;
	kref_init(&r->ref);
	mutex_init(&r->mmio_lock);
	xa_init(&r->spa);
	ret = hv_vmm_mmio_notifier_insert(r);
	if (ret)
		return ret;
	if (READ_ONCE(hv_vmm_mmio_mode) != HV_VMM_MMIO_EAGER)
		return 0;
	ret = hv_vmm_mmio_map(r, 0, r->npages);
	if (ret >= 0) {
		hv_vmm_mmio_count(pt, HV_VMM_MMIO_EAGER_MAPS, 1);
		return 0;
	}
	pr_warn("partition %llu: MMIO region at gfn 0x%llx: eager map failed (%ld)\n",
		pt->id, r->gfn, ret);
	hv_vmm_mmio_notifier_remove(r);
	hv_vmm_mmio_unmap_all(r, false);
	xa_destroy(&r->spa);
	return ret;
}

/**
 * hv_vmm_mmio_region_remove() - take an MMIO region down
 * @r: the region, already off the partition's list.
 *
 * The notifier goes first (no invalidation runs after), then every page is
 * unmapped from the hypervisor and the region marked dead for a resolver
 * still holding it; the list's reference is dropped.
 *
 * Context: process context, @r->pt->mutex held; may sleep.
 */
void hv_vmm_mmio_region_remove(struct hv_vmm_region *r)
{
	hv_vmm_mmio_notifier_remove(r);
	hv_vmm_mmio_unmap_all(r, true);
	hv_vmm_mmio_region_put(r);
}
