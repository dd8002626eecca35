// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim device domains: the default (identity) and null stage-2 domains the
 * hypervisor creates at boot, the ones the root creates, which device sits in
 * which, and each domain's IOVA page -> page frame table.
 *
 * The table is an xarray indexed by IOVA page number whose entries are value
 * entries packing the page frame number and the map flags (hv_sim_pte_make()).
 * A second xarray counts mapped pages per 2 MiB IOVA block: a block's first
 * mapping takes one page from the deposit pool (the leaf page table a real
 * IOMMU would need), its last unmap gives it back.
 *
 * Every function here runs with hv_sim.lock held, interrupts disabled.
 */

#include <linux/bug.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

/* Pages per 2 MiB IOVA block: one leaf page table each. */
#define HV_SIM_BLOCK_SHIFT	(21 - HV_HYP_PAGE_SHIFT)
/* IOVA is a 64-bit byte address: at most 2^52 pages of it. */
#define HV_SIM_IOVA_PAGES_MAX	(1UL << (64 - HV_HYP_PAGE_SHIFT))

/*
 * Map flags a device-domain mapping may carry.  READABLE is required;
 * NO_ACCESS, ADJUSTABLE and LARGE_PAGE only make sense for guest GPA maps.
 */
#define HV_SIM_DEVICE_MAP_FLAGS	(HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | \
				 HV_MAP_GPA_KERNEL_EXECUTABLE | \
				 HV_MAP_GPA_USER_EXECUTABLE | \
				 HV_MAP_GPA_NOT_CACHED)
static struct hv_sim_device_domain hv_sim_domain_default = {
	.id = HV_DEVICE_DOMAIN_ID_S2_DEFAULT,
};

static struct hv_sim_device_domain hv_sim_domain_null = {
	.id = HV_DEVICE_DOMAIN_ID_S2_NULL,
};

/**
 * hv_sim_default_domain() - the hypervisor's default stage-2 domain (id 0)
 *
 * Return: the domain every device is in until attached elsewhere.
 */
struct hv_sim_device_domain *hv_sim_default_domain(void)
{
	return &hv_sim_domain_default;
}

static bool hv_sim_domain_is_builtin(const struct hv_sim_device_domain *domain)
{
	return domain == &hv_sim_domain_default || domain == &hv_sim_domain_null;
}

/*
 * The checks every struct hv_input_device_domain gets: the root may only
 * name its own domains, VTL 0 (the simulator models no other VTL), stage 2.
 * An L1VH may name none but the null domain (it has no device domains and
 * no default domain to attach to): ACCESS_DENIED.
 */
static u16 hv_sim_check_device_domain(const struct hv_input_device_domain *in,
				      u32 *id)
{
	if (hv_sim_role() == HV_ROLE_L1VH &&
	    in->domain_id != hv_device_domain_id_make(HV_DEVICE_DOMAIN_TYPE_S2,
						       HV_DEVICE_DOMAIN_ID_S2_NULL))
		return HV_STATUS_ACCESS_DENIED;
	if (in->partition_id != HV_PARTITION_ID_SELF)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (in->owner_vtl || memchr_inv(in->padding, 0, sizeof(in->padding)))
		return HV_STATUS_INVALID_PARAMETER;
	if (in->domain_id & (HV_DEVICE_DOMAIN_TYPE_MASK |
			     HV_DEVICE_DOMAIN_RSVD_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	*id = hv_device_domain_id_num(in->domain_id);
	return HV_STATUS_SUCCESS;
}

/* Find the domain an input names; unknown domains are INVALID_PARAMETER. */
static u16 hv_sim_domain_get(const struct hv_input_device_domain *in,
			     struct hv_sim_device_domain **domain)
{
	u16 status;
	u32 id;

	status = hv_sim_check_device_domain(in, &id);
	if (status != HV_STATUS_SUCCESS)
		return status;
	*domain = xa_load(&hv_sim.domains, id);
	return *domain ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER;
}

/* Free a domain's tables; returns the pool pages they held. */
static unsigned long hv_sim_domain_free_tables(struct hv_sim_device_domain *domain)
{
	unsigned long blocks = domain->nr_blocks;

	xa_destroy(&domain->pages);
	xa_destroy(&domain->blocks);
	domain->nr_pages = 0;
	domain->nr_blocks = 0;
	return blocks;
}

/*
 * A domain's page table and its block counts.  The block counts are
 * updated while a map holds the page table's xa_lock (one xa_state across
 * the call's reps): their lock gets a class of its own, so that lockdep
 * sees that nesting for what it is (page table, then counts, never the
 * other way) rather than one xa_lock class taken twice.
 */
static struct lock_class_key hv_sim_blocks_lock_class;

static void hv_sim_domain_tables_init(struct hv_sim_device_domain *domain)
{
	xa_init(&domain->pages);
	xa_init(&domain->blocks);
	lockdep_set_class(&domain->blocks.xa_lock, &hv_sim_blocks_lock_class);
}

/**
 * hv_sim_create_device_domain() - HVCALL_CREATE_DEVICE_DOMAIN
 * @call: the call; input is struct hv_input_create_device_domain.
 *
 * Takes one page from the deposit pool for the domain.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARAMETER for bad fields or flags, an
 * id that exists or is reserved (0, 0xFFFFFFFF); INVALID_PARTITION_ID if the
 * partition is not self; INSUFFICIENT_MEMORY when the pool is empty;
 * NO_RESOURCES if the host cannot allocate.
 */
u16 hv_sim_create_device_domain(struct hv_sim_call *call)
{
	const struct hv_input_create_device_domain *in = call->input;
	struct hv_sim_device_domain *domain;
	u16 status;
	u32 id;

	status = hv_sim_check_device_domain(&in->device_domain, &id);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (in->create_device_domain_flags &
	    ~(HV_CREATE_DEVICE_DOMAIN_FORWARD_PROGRESS |
	      HV_CREATE_DEVICE_DOMAIN_INHERIT_OWNING_VTL))
		return HV_STATUS_INVALID_PARAMETER;
	if (id == HV_DEVICE_DOMAIN_ID_S2_DEFAULT ||
	    id == HV_DEVICE_DOMAIN_ID_S2_NULL || xa_load(&hv_sim.domains, id))
		return HV_STATUS_INVALID_PARAMETER;
	if (!hv_sim_pool_take())
		return HV_STATUS_INSUFFICIENT_MEMORY;

	domain = kzalloc(sizeof(*domain), GFP_ATOMIC);
	if (!domain)
		goto nomem;
	domain->id = id;
	domain->flags = in->create_device_domain_flags;
	hv_sim_domain_tables_init(domain);
	if (xa_insert(&hv_sim.domains, id, domain, GFP_ATOMIC)) {
		kfree(domain);
		goto nomem;
	}
	return HV_STATUS_SUCCESS;

nomem:
	hv_sim_pool_give(1);
	return HV_STATUS_NO_RESOURCES;
}

/**
 * hv_sim_delete_device_domain() - HVCALL_DELETE_DEVICE_DOMAIN
 * @call: the call; input is struct hv_input_delete_device_domain.
 *
 * Drops all the domain's mappings and returns its pool pages (the domain's
 * own and one per 2 MiB block still mapped).  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARAMETER for an unknown, default or
 * null domain; OBJECT_IN_USE while devices are attached to it.
 */
u16 hv_sim_delete_device_domain(struct hv_sim_call *call)
{
	const struct hv_input_delete_device_domain *in = call->input;
	struct hv_sim_device_domain *domain;
	u16 status;

	status = hv_sim_domain_get(&in->device_domain, &domain);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (hv_sim_domain_is_builtin(domain))
		return HV_STATUS_INVALID_PARAMETER;
	if (domain->nr_devices)
		return HV_STATUS_OBJECT_IN_USE;

	xa_erase(&hv_sim.domains, domain->id);
	hv_sim_pool_give(1 + hv_sim_domain_free_tables(domain));
	kfree(domain);
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_attach_device_domain() - HVCALL_ATTACH_DEVICE_DOMAIN
 * @call: the call; input is struct hv_input_attach_device_domain.
 *
 * Only a device in the default domain can be attached elsewhere (attaching
 * it to the default domain again does nothing).  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARAMETER for an unknown domain or a
 * device id naming no PCI device; OBJECT_IN_USE if the device is in another
 * domain than the default or is direct-attached.
 */
u16 hv_sim_attach_device_domain(struct hv_sim_call *call)
{
	const struct hv_input_attach_device_domain *in = call->input;
	struct hv_sim_device_domain *domain;
	struct hv_sim_device *dev;
	u16 status;

	status = hv_sim_domain_get(&in->device_domain, &domain);
	if (status != HV_STATUS_SUCCESS)
		return status;
	dev = hv_sim_device_lookup(in->device_id);
	if (!dev || !dev->functions)
		return HV_STATUS_INVALID_PARAMETER;
	dev->seen = true;
	if (dev->partition || dev->domain != &hv_sim_domain_default)
		return HV_STATUS_OBJECT_IN_USE;

	hv_sim_audit_leave_default(dev);
	dev->domain->nr_devices--;
	dev->domain = domain;
	domain->nr_devices++;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_detach_device_domain() - HVCALL_DETACH_DEVICE_DOMAIN
 * @call: the call; input is struct hv_input_detach_device_domain.
 *
 * Moves the device back to the default domain.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID if the partition is not
 * self; INVALID_PARAMETER for a device id naming no device, or a device that
 * is in the default domain or direct-attached (not in any domain to leave).
 */
u16 hv_sim_detach_device_domain(struct hv_sim_call *call)
{
	const struct hv_input_detach_device_domain *in = call->input;
	struct hv_sim_device *dev;

	if (in->partition_id != HV_PARTITION_ID_SELF)
		return HV_STATUS_INVALID_PARTITION_ID;
	dev = hv_sim_device_lookup(in->device_id);
	if (!dev)
		return HV_STATUS_INVALID_PARAMETER;
	dev->seen = true;
	if (dev->partition || dev->domain == &hv_sim_domain_default)
		return HV_STATUS_INVALID_PARAMETER;

	dev->domain->nr_devices--;
	dev->domain = &hv_sim_domain_default;
	hv_sim_domain_default.nr_devices++;
	hv_sim_audit_enter_default(dev);
	/* A device removed from the bus while attached is forgotten now. */
	hv_sim_device_put_if_unused(dev);
	return HV_STATUS_SUCCESS;
}

/*
 * The fields map and unmap share: a domain with a page table (not the
 * default or null one), a page-aligned IOVA and all rep_count pages of it
 * inside the 64-bit IOVA space.
 */
static u16 hv_sim_check_gpa_pages(const struct hv_input_device_domain *in,
				  u64 iova, u32 rep_count,
				  struct hv_sim_device_domain **domain)
{
	u16 status;

	status = hv_sim_domain_get(in, domain);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (hv_sim_domain_is_builtin(*domain))
		return HV_STATUS_INVALID_PARAMETER;
	if (iova & ~HV_HYP_PAGE_MASK)
		return HV_STATUS_INVALID_PARAMETER;
	if ((iova >> HV_HYP_PAGE_SHIFT) + rep_count > HV_SIM_IOVA_PAGES_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

/* Count one more mapped page in an IOVA block, taking its pool page. */
static u16 hv_sim_block_get(struct hv_sim_device_domain *domain,
			    unsigned long block)
{
	void *entry = xa_load(&domain->blocks, block);
	unsigned long count = entry ? xa_to_value(entry) : 0;

	if (!count && !hv_sim_pool_take())
		return HV_STATUS_INSUFFICIENT_MEMORY;
	if (xa_is_err(xa_store(&domain->blocks, block, xa_mk_value(count + 1),
			       GFP_ATOMIC))) {
		if (!count)
			hv_sim_pool_give(1);
		return HV_STATUS_NO_RESOURCES;
	}
	if (!count)
		domain->nr_blocks++;
	return HV_STATUS_SUCCESS;
}

/* Count @n pages less in an IOVA block; its last page frees the table. */
static void hv_sim_block_put_n(struct hv_sim_device_domain *domain,
			       unsigned long block, unsigned long n)
{
	unsigned long count = xa_to_value(xa_load(&domain->blocks, block));

	if (WARN_ON_ONCE(count < n) || !n)
		return;
	if (count > n) {
		/* Replacing a present entry allocates nothing: cannot fail. */
		xa_store(&domain->blocks, block, xa_mk_value(count - n),
			 GFP_ATOMIC);
		return;
	}
	xa_erase(&domain->blocks, block);
	domain->nr_blocks--;
	hv_sim_pool_give(1);
}

static void hv_sim_block_put(struct hv_sim_device_domain *domain,
			     unsigned long block)
{
	hv_sim_block_put_n(domain, block, 1);
}

/*
 * A call's pages in the block it is in, not yet added to the block's count
 * (one xarray store per block and call, not per page).
 */
struct hv_sim_block_batch {
	unsigned long block;
	unsigned long pages;	/* counted pages beyond the stored count */
	bool valid;
};

/* Store the pages a batch counted. */
static void hv_sim_block_flush(struct hv_sim_device_domain *domain,
			       struct hv_sim_block_batch *bb)
{
	unsigned long count;

	if (!bb->valid || !bb->pages)
		return;
	count = xa_to_value(xa_load(&domain->blocks, bb->block));
	/* Replacing a present entry allocates nothing: cannot fail. */
	xa_store(&domain->blocks, bb->block, xa_mk_value(count + bb->pages),
		 GFP_ATOMIC);
	bb->pages = 0;
}

/* One more mapped page in @block: the pool page at its first, batched after. */
static u16 hv_sim_block_add(struct hv_sim_device_domain *domain,
			    unsigned long block, struct hv_sim_block_batch *bb)
{
	u16 status;

	if (bb->valid && bb->block == block) {
		bb->pages++;
		return HV_STATUS_SUCCESS;
	}
	hv_sim_block_flush(domain, bb);
	status = hv_sim_block_get(domain, block);
	if (status == HV_STATUS_SUCCESS)
		*bb = (struct hv_sim_block_batch){ .block = block, .valid = true };
	return status;
}

/*
 * The RAM range the last device-domain map found, kept across calls (a map
 * per page on fragmented memory would otherwise walk the resource tree per
 * call); under hv_sim.lock.  Pinned RAM does not go away.
 */
static unsigned long hv_sim_ram_start, hv_sim_ram_end;

/* The last RAM and BAR ranges a map found, for runs of frames. */
struct hv_sim_frame_cache {
	unsigned long ram_start, ram_end;
	unsigned long bar_start, bar_end;
};

/*
 * A device domain maps RAM, and for peer-to-peer the memory BARs of PCI
 * devices (a VMM maps a passed-through device's BAR into the IOMMU); MMIO
 * only uncached.  Anything else is no memory to map.
 */
static bool hv_sim_frame_ok(u64 pfn, u32 flags, struct hv_sim_frame_cache *fc)
{
	if (pfn > HV_SIM_PFN_MAX)
		return false;
	if (hv_sim_pfn_is_ram(pfn, &fc->ram_start, &fc->ram_end))
		return true;
	return (flags & HV_MAP_GPA_NOT_CACHED) &&
	       hv_sim_pfn_is_bar(pfn, &fc->bar_start, &fc->bar_end);
}

static u16 hv_sim_map_page(struct hv_sim_device_domain *domain,
			   struct xa_state *xas, u64 pfn, u32 flags,
			   struct hv_sim_frame_cache *fc,
			   struct hv_sim_block_batch *bb)
{
	unsigned long block = xas->xa_index >> HV_SIM_BLOCK_SHIFT;
	u16 status;

	if (!hv_sim_frame_ok(pfn, flags, fc))
		return HV_STATUS_INVALID_PARAMETER;
	/* Deposited pages are the hypervisor's: no device may reach them. */
	if (xa_load(&hv_sim.deposited, pfn))
		return HV_STATUS_ACCESS_DENIED;
	if (xas_load(xas))
		return HV_STATUS_INVALID_PARAMETER;
	status = hv_sim_block_add(domain, block, bb);
	if (status != HV_STATUS_SUCCESS)
		return status;
	xas_store(xas, hv_sim_pte_make(pfn, flags));
	if (xas_error(xas)) {
		hv_sim_block_flush(domain, bb);
		hv_sim_block_put(domain, block);
		bb->valid = false;
		return HV_STATUS_NO_RESOURCES;
	}
	domain->nr_pages++;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_map_device_gpa_pages() - HVCALL_MAP_DEVICE_GPA_PAGES (rep)
 * @call: the call; input is struct hv_input_map_device_gpa_pages.
 *
 * Rep i maps IOVA page (target_device_va_base / 4096) + i to page frame
 * gpa_page_list[i], for i in [rep_start, rep_end).  A 2 MiB block's first
 * mapping takes a pool page.  Stops at the first rep that fails; the reps
 * before it stay mapped.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID if the partition is not
 * self; INVALID_PARAMETER for bad fields, flags without READABLE or with
 * unknown bits, an unknown/default/null domain, a misaligned or out of range
 * IOVA, a page frame that is neither RAM nor (mapped NOT_CACHED) in a PCI
 * device's memory BAR, or an IOVA page already mapped; ACCESS_DENIED for a
 * page frame deposited to the hypervisor;
 * INSUFFICIENT_MEMORY when the pool is empty; NO_RESOURCES if the host
 * cannot allocate.  call->rep_next is the first rep not done.
 */
u16 hv_sim_map_device_gpa_pages(struct hv_sim_call *call)
{
	const struct hv_input_map_device_gpa_pages *in = call->input;
	struct hv_sim_frame_cache fc = { .ram_start = hv_sim_ram_start,
					 .ram_end = hv_sim_ram_end };
	struct hv_sim_block_batch bb = {};
	struct hv_sim_device_domain *domain;
	XA_STATE(xas, NULL, 0);
	unsigned long base;
	u16 status;
	u32 i;

	status = hv_sim_check_gpa_pages(&in->device_domain,
					in->target_device_va_base,
					call->rep_count, &domain);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (in->target_vtl || memchr_inv(in->padding, 0, sizeof(in->padding)))
		return HV_STATUS_INVALID_PARAMETER;
	if (!(in->map_flags & HV_MAP_GPA_READABLE) ||
	    (in->map_flags & ~HV_SIM_DEVICE_MAP_FLAGS))
		return HV_STATUS_INVALID_PARAMETER;
	xas.xa = &domain->pages;

	base = in->target_device_va_base >> HV_HYP_PAGE_SHIFT;
	xas_lock(&xas);
	for (i = call->rep_start; i < call->rep_end; i++) {
		xas_set(&xas, base + i);
		status = hv_sim_map_page(domain, &xas, in->gpa_page_list[i],
					 in->map_flags, &fc, &bb);
		if (status == HV_STATUS_NO_RESOURCES) {
			/* An xarray node: allocate it (GFP_ATOMIC) and retry. */
			xas_unlock(&xas);
			if (xas_nomem(&xas, GFP_ATOMIC))
				status = HV_STATUS_SUCCESS;
			xas_lock(&xas);
			if (status == HV_STATUS_SUCCESS) {
				i--;
				continue;
			}
		}
		if (status != HV_STATUS_SUCCESS)
			break;
	}
	xas_unlock(&xas);
	/* Frees a node allocated and not used (no error left: returns false). */
	xas_nomem(&xas, GFP_ATOMIC);
	hv_sim_block_flush(domain, &bb);
	hv_sim_ram_start = fc.ram_start;
	hv_sim_ram_end = fc.ram_end;
	call->rep_next = i;
	return status;
}

/**
 * hv_sim_unmap_device_gpa_pages() - HVCALL_UNMAP_DEVICE_GPA_PAGES (rep)
 * @call: the call; input is struct hv_input_unmap_device_gpa_pages.
 *
 * Rep i unmaps IOVA page (target_device_va_base / 4096) + i, for i in
 * [rep_start, rep_end).  A 2 MiB block's last unmap returns its pool page.
 * Stops at the first page that is not mapped.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID if the partition is not
 * self; INVALID_PARAMETER for bad fields, an unknown/default/null domain, a
 * misaligned or out of range IOVA or a page not mapped.  call->rep_next is
 * the first rep not done.
 */
u16 hv_sim_unmap_device_gpa_pages(struct hv_sim_call *call)
{
	const struct hv_input_unmap_device_gpa_pages *in = call->input;
	unsigned long base, block = 0, n = 0;
	struct hv_sim_device_domain *domain;
	u16 status;
	u32 i;

	status = hv_sim_check_gpa_pages(&in->device_domain,
					in->target_device_va_base,
					call->rep_count, &domain);
	if (status != HV_STATUS_SUCCESS)
		return status;

	base = in->target_device_va_base >> HV_HYP_PAGE_SHIFT;
	for (i = call->rep_start; i < call->rep_end; i++) {
		if (!xa_erase(&domain->pages, base + i)) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		domain->nr_pages--;
		/* One count update per block and call. */
		if (((base + i) >> HV_SIM_BLOCK_SHIFT) != block) {
			hv_sim_block_put_n(domain, block, n);
			block = (base + i) >> HV_SIM_BLOCK_SHIFT;
			n = 0;
		}
		n++;
	}
	hv_sim_block_put_n(domain, block, n);
	call->rep_next = i;
	return status;
}

/* Pages a reader walks per hold of hv_sim.lock (interrupts off). */
#define HV_SIM_RUN_BATCH	256

/**
 * hv_sim_run_find() - find the next run of mappings, for debugfs
 * @dom_index: in: domain number to start at; out: the run's domain.
 * @page_index: in: IOVA page number to start at in *@dom_index; out: the
 *	run's first IOVA page.
 * @run: filled with the run found.
 *
 * A run is the longest stretch of mapped IOVA pages, starting at the first
 * mapped page at or after the cursor, where IOVA and page frame number
 * advance together and the flags stay the same.  Continue after it with
 * *@page_index = run->iova_pfn + run->pages.
 *
 * Takes hv_sim.lock for at most HV_SIM_RUN_BATCH pages at a time and drops
 * it (and yields) in between, so a long run never keeps interrupts off for
 * long; a run that changes meanwhile is read as it is found batch by batch.
 *
 * Context: process context, lock not held.
 * Return: true if a run was found, false at the end of all domains.
 */
bool hv_sim_run_find(unsigned long *dom_index, unsigned long *page_index,
		     struct hv_sim_run *run)
{
	struct hv_sim_device_domain *domain;
	unsigned long next, pfn, walked = 0;
	bool found = false;
	u32 flags;

	spin_lock_irq(&hv_sim.lock);
	while ((domain = xa_find(&hv_sim.domains, dom_index, ULONG_MAX,
				 XA_PRESENT))) {
		if (hv_sim_pte_run(&domain->pages, page_index, &run->pfn,
				   &run->pages, &run->flags, HV_SIM_RUN_BATCH)) {
			run->domain = domain->id;
			run->iova_pfn = *page_index;
			walked = run->pages;
			found = true;
			break;
		}
		/* Domain ids are 32-bit: this cannot wrap. */
		(*dom_index)++;
		*page_index = 0;
	}
	/* A batch used up: the run may go on; read on after a pause. */
	while (walked == HV_SIM_RUN_BATCH) {
		hv_sim.reader_max_walk = max(hv_sim.reader_max_walk, walked);
		spin_unlock_irq(&hv_sim.lock);
		cond_resched();
		spin_lock_irq(&hv_sim.lock);
		/* The domain may have been deleted meanwhile. */
		domain = xa_load(&hv_sim.domains, run->domain);
		next = run->iova_pfn + run->pages;
		walked = 0;
		if (!domain ||
		    !hv_sim_pte_run(&domain->pages, &next, &pfn, &walked,
				    &flags, HV_SIM_RUN_BATCH) ||
		    next != run->iova_pfn + run->pages ||
		    pfn != run->pfn + run->pages || flags != run->flags)
			break;
		run->pages += walked;
	}
	hv_sim.reader_max_walk = max(hv_sim.reader_max_walk, walked);
	spin_unlock_irq(&hv_sim.lock);
	return found;
}

/**
 * hv_sim_domains_init() - create the default and null domains
 *
 * Called once at module load, before anything can make a hypercall.
 *
 * Return: 0 or -ENOMEM.
 */
int hv_sim_domains_init(void)
{
	int ret;

	xa_init(&hv_sim.domains);
	hv_sim_domain_tables_init(&hv_sim_domain_default);
	hv_sim_domain_tables_init(&hv_sim_domain_null);
	ret = xa_insert(&hv_sim.domains, hv_sim_domain_default.id,
			&hv_sim_domain_default, GFP_KERNEL);
	if (!ret)
		ret = xa_insert(&hv_sim.domains, hv_sim_domain_null.id,
				&hv_sim_domain_null, GFP_KERNEL);
	if (ret)
		xa_destroy(&hv_sim.domains);
	return ret;
}

/**
 * hv_sim_domains_exit() - free every device domain and its page table
 *
 * Called at module unload, when nothing can make a hypercall any more.
 */
void hv_sim_domains_exit(void)
{
	struct hv_sim_device_domain *domain;
	unsigned long id;

	xa_for_each(&hv_sim.domains, id, domain) {
		hv_sim_domain_free_tables(domain);
		if (!hv_sim_domain_is_builtin(domain))
			kfree(domain);
	}
	xa_destroy(&hv_sim.domains);
}
