// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm guest memory regions (HV_VMM_SET_GUEST_MEMORY).
 *
 * RAM: the user pages are pinned for as long as the region exists
 * (pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), mshv's pinned region
 * type) and mapped into the partition with HVCALL_MAP_GPA_PAGES,
 * READABLE | ADJUSTABLE, plus WRITABLE and EXECUTABLE as the VMM asks.
 * Where the partition has GPA super pages and a 2 MiB stretch has its GFN,
 * its PFN and the folio behind it 2 MiB aligned, it is mapped as one large
 * page.  A failed map unmaps what it mapped.  Removing a region unmaps it
 * first; pages the hypervisor refused to unmap stay pinned (never reused).
 *
 * MMIO: a VMA with VM_IO or VM_PFNMAP (a VFIO BAR) makes an MMIO region,
 * which the resolver maps (mmio.c) and the MMU notifier unmaps
 * (mmio_notifier.c).
 *
 * The partition's mutex guards the region list.
 */
#include "vmm.h"

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hv_vmm.h"

/* Guest addresses have 52 bits. */
#define HV_VMM_GFN_LIMIT	(1ULL << (52 - HV_HYP_PAGE_SHIFT))
/* Reps per HVCALL_UNMAP_GPA_PAGES, as mshv issues them. */
#define HV_VMM_UNMAP_REPS	512

/* Can the 2 MiB at page @i of @r be one large page? */
static bool hv_vmm_region_large_at(struct hv_vmm_partition *pt,
				   struct hv_vmm_region *r, u64 i)
{
	struct folio *folio;
	unsigned long pfn;

	if (!(pt->pt_flags & BIT_ULL(HV_VMM_PT_BIT_GPA_SUPER_PAGES)) ||
	    (r->gfn + i) % HV_LARGE_PAGE_PAGES ||
	    r->npages - i < HV_LARGE_PAGE_PAGES)
		return false;
	pfn = page_to_pfn(r->pages[i]);
	folio = page_folio(r->pages[i]);
	return !(pfn % HV_LARGE_PAGE_PAGES) &&
	       pfn - folio_pfn(folio) + HV_LARGE_PAGE_PAGES <=
	       folio_nr_pages(folio);
}

/*
 * The run of @r starting at page @i that one hypercall covers: all large
 * pages or all 4 KiB pages, at most HV_MAP_GPA_PAGES_MAX reps.  Returns its
 * length in 4 KiB pages; the decision depends only on the pinned pages, so
 * unmap finds the runs map made.
 */
static u64 hv_vmm_region_run(struct hv_vmm_partition *pt,
			     struct hv_vmm_region *r, u64 i, bool *large)
{
	u64 n = 0, reps = 0;

	*large = hv_vmm_region_large_at(pt, r, i);
	while (i + n < r->npages && reps < HV_MAP_GPA_PAGES_MAX &&
	       hv_vmm_region_large_at(pt, r, i + n) == *large) {
		n += *large ? HV_LARGE_PAGE_PAGES : 1;
		reps++;
	}
	return n;
}

/* Unmap the first @upto pages of @r from the partition. */
static int hv_vmm_region_unmap(struct hv_vmm_partition *pt,
			       struct hv_vmm_region *r, u64 upto)
{
	u64 i = 0, n, done;
	bool large;
	int ret;

	while (i < upto) {
		n = min(hv_vmm_region_run(pt, r, i, &large), upto - i);
		for (done = 0; done < n; ) {
			u64 step = large ? HV_LARGE_PAGE_PAGES : 1;
			u32 reps = min_t(u64, (n - done) / step,
					 HV_VMM_UNMAP_REPS);

			ret = hv_vmm_hv_unmap_gpa_pages(pt->id,
							r->gfn + i + done, reps,
							large ? HV_UNMAP_GPA_LARGE_PAGE : 0,
							GFP_KERNEL_ACCOUNT);
			if (ret)
				return ret;
			done += (u64)reps * step;
		}
		i += n;
	}
	return 0;
}

/* Map all of @r's pinned pages; on failure nothing stays mapped. */
static int hv_vmm_region_map(struct hv_vmm_partition *pt,
			     struct hv_vmm_region *r)
{
	u32 flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_ADJUSTABLE;
	u64 *pfns, i = 0, n, j;
	bool large;
	int ret = 0;
	u32 reps, done = 0;

	if (r->flags & BIT(HV_VMM_SET_MEM_BIT_WRITABLE))
		flags |= HV_MAP_GPA_WRITABLE;
	if (r->flags & BIT(HV_VMM_SET_MEM_BIT_EXECUTABLE))
		flags |= HV_MAP_GPA_KERNEL_EXECUTABLE |
			 HV_MAP_GPA_USER_EXECUTABLE;
	pfns = (u64 *)__get_free_page(GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	while (i < r->npages) {
		n = hv_vmm_region_run(pt, r, i, &large);
		reps = 0;
		for (j = 0; j < n; j += large ? HV_LARGE_PAGE_PAGES : 1)
			pfns[reps++] = page_to_pfn(r->pages[i + j]);
		ret = hv_vmm_hv_map_gpa_pages(pt->id, r->gfn + i, pfns, reps,
					      flags | (large ? HV_MAP_GPA_LARGE_PAGE : 0),
					      GFP_KERNEL_ACCOUNT, &done);
		if (ret)
			break;
		i += n;
	}
	free_page((unsigned long)pfns);
	/* Undo the runs mapped and the reps the failed call did. */
	if (ret && hv_vmm_region_unmap(pt, r, i + (u64)done *
				       (large ? HV_LARGE_PAGE_PAGES : 1)))
		pr_err("partition %llu: could not undo a failed map at gfn 0x%llx\n",
		       pt->id, r->gfn);
	return ret;
}

static void hv_vmm_region_free(struct hv_vmm_region *r, bool unpin)
{
	if (r->pages && unpin)
		unpin_user_pages_dirty_lock(r->pages, r->npages, true);
	kvfree(r->pages);
	kfree(r);
}

/*
 * Unmap and unpin @r; what the hypervisor keeps mapped stays pinned.  An
 * MMIO region goes off the list first, so no resolver finds it again.
 */
static int hv_vmm_region_remove(struct hv_vmm_partition *pt,
				struct hv_vmm_region *r)
{
	int ret;

	if (r->mmio) {
		list_del(&r->node);
		hv_vmm_mmio_region_remove(r);
		return 0;
	}
	ret = hv_vmm_region_unmap(pt, r, r->npages);
	if (ret)
		pr_err("partition %llu: gfn 0x%llx: %llu pages stay pinned, the hypervisor still maps them\n",
		       pt->id, r->gfn, r->npages);
	list_del(&r->node);
	hv_vmm_region_free(r, !ret);
	return ret;
}

/**
 * hv_vmm_regions_remove() - remove every region of a partition (teardown)
 * @pt: the partition.
 *
 * Context: process context; caller holds @pt->mutex.
 */
void hv_vmm_regions_remove(struct hv_vmm_partition *pt)
{
	struct hv_vmm_region *r, *tmp;

	list_for_each_entry_safe(r, tmp, &pt->regions, node)
		hv_vmm_region_remove(pt, r);
}

/* Pin the RAM behind @r. */
static int hv_vmm_region_pin(struct hv_vmm_region *r)
{
	long pinned;

	r->pages = kvcalloc(r->npages, sizeof(*r->pages), GFP_KERNEL_ACCOUNT);
	if (!r->pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(r->uaddr, r->npages,
				     FOLL_WRITE | FOLL_LONGTERM, r->pages);
	if (pinned == r->npages)
		return 0;
	if (pinned > 0)
		unpin_user_pages(r->pages, pinned);
	kvfree(r->pages);
	r->pages = NULL;
	pr_warn("set guest memory: cannot pin %llu pages at 0x%llx (%ld)\n",
		r->npages, r->uaddr, pinned);
	return pinned < 0 ? pinned : -EFAULT;
}

/* RAM or MMIO: the VMA at the start decides; MMIO must lie in that VMA. */
static int hv_vmm_region_kind(struct hv_vmm_region *r)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, r->uaddr);
	if (!vma) {
		pr_warn("set guest memory: nothing mapped at 0x%llx\n", r->uaddr);
		ret = -EFAULT;
	} else if (vma->vm_flags & (VM_IO | VM_PFNMAP)) {
		r->mmio = true;
		if (r->uaddr + (r->npages << HV_HYP_PAGE_SHIFT) > vma->vm_end) {
			pr_warn("set guest memory: MMIO region at 0x%llx runs past its mapping\n",
				r->uaddr);
			ret = -EINVAL;
		}
	}
	mmap_read_unlock(mm);
	return ret;
}

static int hv_vmm_region_add(struct hv_vmm_partition *pt,
			     const struct hv_vmm_user_mem_region *mem)
{
	struct hv_vmm_region *r, *pos;
	u64 npages = mem->size >> HV_HYP_PAGE_SHIFT;
	int ret;

	list_for_each_entry(pos, &pt->regions, node) {
		if (pos->gfn < mem->guest_pfn + npages &&
		    mem->guest_pfn < pos->gfn + pos->npages) {
			pr_warn("partition %llu: gfn 0x%llx+%llu overlaps region at gfn 0x%llx+%llu\n",
				pt->id, mem->guest_pfn, npages, pos->gfn,
				pos->npages);
			return -EEXIST;
		}
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->gfn = mem->guest_pfn;
	r->npages = npages;
	r->uaddr = mem->userspace_addr;
	r->flags = mem->flags;
	ret = hv_vmm_region_kind(r);
	if (!ret && r->mmio && (r->flags & BIT(HV_VMM_SET_MEM_BIT_EXECUTABLE))) {
		pr_warn("partition %llu: MMIO region at gfn 0x%llx cannot be executable\n",
			pt->id, r->gfn);
		ret = -EINVAL;
	}
	if (!ret && r->mmio)
		ret = hv_vmm_mmio_region_init(pt, r);
	if (!ret && !r->mmio) {
		ret = hv_vmm_region_pin(r);
		if (!ret) {
			ret = hv_vmm_region_map(pt, r);
			if (ret)
				unpin_user_pages(r->pages, r->npages);
		}
	}
	if (ret) {
		kvfree(r->pages);
		kfree(r);
		return ret;
	}
	list_for_each_entry(pos, &pt->regions, node)
		if (pos->gfn > r->gfn)
			break;
	list_add_tail(&r->node, &pos->node);
	return 0;
}

static int hv_vmm_region_del(struct hv_vmm_partition *pt,
			     const struct hv_vmm_user_mem_region *mem)
{
	struct hv_vmm_region *r;

	list_for_each_entry(r, &pt->regions, node)
		if (r->gfn == mem->guest_pfn &&
		    r->npages << HV_HYP_PAGE_SHIFT == mem->size &&
		    r->uaddr == mem->userspace_addr)
			return hv_vmm_region_remove(pt, r);
	pr_warn("partition %llu: no region at gfn 0x%llx, size 0x%llx, address 0x%llx to unmap\n",
		pt->id, mem->guest_pfn, mem->size, mem->userspace_addr);
	return -ENOENT;
}

/**
 * hv_vmm_set_guest_memory() - HV_VMM_SET_GUEST_MEMORY
 * @pt: the partition (initialized).
 * @arg: user pointer to struct hv_vmm_user_mem_region.
 *
 * Context: process context of the partition's creator; takes @pt->mutex
 * and the caller's mmap_lock (read).
 * Return: 0; -EFAULT; -EINVAL (logged) for unknown flags, reserved bytes,
 * a size of 0 or not a multiple of 4096, an unaligned address, a GPA
 * range beyond 52 bits, an MMIO region past its VMA or executable;
 * -EBADFD before INITIALIZE; -EEXIST if the GPA
 * range overlaps a region; -ENOENT for an UNMAP that names no region;
 * -errno of pinning, of the MMU notifier, of the hypercalls (an eager MMIO
 * map included).
 */
int hv_vmm_set_guest_memory(struct hv_vmm_partition *pt, void __user *arg)
{
	struct hv_vmm_user_mem_region mem;
	int ret;

	if (copy_from_user(&mem, arg, sizeof(mem)))
		return -EFAULT;
	if ((mem.flags & ~HV_VMM_SET_MEM_FLAGS_MASK) ||
	    memchr_inv(mem.rsvd, 0, sizeof(mem.rsvd))) {
		pr_warn("set guest memory: unknown flags 0x%x or reserved bytes set\n",
			mem.flags);
		return -EINVAL;
	}
	if (!mem.size || mem.size % HV_HYP_PAGE_SIZE ||
	    mem.userspace_addr % HV_HYP_PAGE_SIZE) {
		pr_warn("set guest memory: size 0x%llx and address 0x%llx must be non-zero multiples of 4096\n",
			mem.size, mem.userspace_addr);
		return -EINVAL;
	}
	if (mem.guest_pfn >= HV_VMM_GFN_LIMIT ||
	    mem.size >> HV_HYP_PAGE_SHIFT > HV_VMM_GFN_LIMIT - mem.guest_pfn) {
		pr_warn("set guest memory: gfn 0x%llx + 0x%llx bytes is beyond 52 bits\n",
			mem.guest_pfn, mem.size);
		return -EINVAL;
	}

	mutex_lock(&pt->mutex);
	if (!pt->initialized) {
		pr_warn("partition %llu: set guest memory before initialize\n",
			pt->id);
		ret = -EBADFD;
	} else if (mem.flags & BIT(HV_VMM_SET_MEM_BIT_UNMAP)) {
		ret = hv_vmm_region_del(pt, &mem);
	} else {
		ret = hv_vmm_region_add(pt, &mem);
	}
	mutex_unlock(&pt->mutex);
	return ret;
}
