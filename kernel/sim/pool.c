// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim deposit pool: the memory the hypervisor uses for its own
 * structures.  Creating a device domain takes one page, each 2 MiB IOVA
 * block's first mapping takes one (its leaf page table); when the pool is
 * empty the call fails with HV_STATUS_INSUFFICIENT_MEMORY and the root
 * deposits more with HVCALL_DEPOSIT_MEMORY.  The pool starts with the
 * pool_pages module parameter, pages nobody deposited: the hypervisor's own
 * boot-time memory.
 *
 * The root's pool only counts pages; the simulator never touches them.  It
 * remembers every deposited frame number (the root's and the guest
 * partitions', partition.c) so a page cannot be deposited twice.  The root
 * never withdraws from its own pool (nor does Linux on real Hyper-V), so
 * those pages belong to the "hypervisor" for good: they are not freed when
 * hv_sim is unloaded either, exactly as a real root never gets them back.
 * Pages deposited to a guest partition come back with WITHDRAW_MEMORY.
 */

#include <linux/ioport.h>
#include <linux/lockdep.h>
#include <linux/xarray.h>

#include "sim.h"

/**
 * hv_sim_pool_init() - set up the pool
 * @pages: pages free at start (module parameter pool_pages).
 */
void hv_sim_pool_init(unsigned long pages)
{
	hv_sim.pool_free = pages;
	xa_init(&hv_sim.deposited);
}

/**
 * hv_sim_pool_exit() - forget the deposited pages' frame numbers
 *
 * The pages themselves stay allocated (see the top of this file).
 */
void hv_sim_pool_exit(void)
{
	xa_destroy(&hv_sim.deposited);
}

/**
 * hv_sim_pool_take() - take one page from the pool
 *
 * Lock held.
 *
 * Return: true, or false if the pool is empty.
 */
bool hv_sim_pool_take(void)
{
	lockdep_assert_held(&hv_sim.lock);
	if (!hv_sim.pool_free)
		return false;
	hv_sim.pool_free--;
	hv_sim.pool_consumed++;
	return true;
}

/**
 * hv_sim_pool_give() - return pages taken with hv_sim_pool_take()
 * @pages: number of pages.
 *
 * Lock held.
 */
void hv_sim_pool_give(unsigned long pages)
{
	lockdep_assert_held(&hv_sim.lock);
	if (WARN_ON_ONCE(pages > hv_sim.pool_consumed))
		pages = hv_sim.pool_consumed;
	hv_sim.pool_consumed -= pages;
	hv_sim.pool_free += pages;
}

/* The RAM resource holding the byte in arg->start: all of it. */
static int hv_sim_ram_found(struct resource *res, void *arg)
{
	struct resource *want = arg;

	if (res->start > want->start || res->end < want->start)
		return 0;
	*want = *res;
	return 1;
}

/**
 * hv_sim_pfn_is_ram() - is a page frame System RAM (as in /proc/iomem)?
 * @pfn: page frame number (4 KiB pages), below 2^52 bytes.
 * @ram_start: in/out: first pfn of the last RAM range found, whole (a
 *	cache; start with *@ram_start == *@ram_end == 0).
 * @ram_end: in/out: pfn after that range.
 *
 * The lookup takes the resource tree's read lock (a rwlock, safe with
 * interrupts disabled); the cache makes a list of consecutive frames cost
 * one lookup.
 *
 * Return: true if @pfn is RAM.
 */
bool hv_sim_pfn_is_ram(unsigned long pfn, unsigned long *ram_start,
		       unsigned long *ram_end)
{
	struct resource ram = { .start = (u64)pfn << HV_HYP_PAGE_SHIFT };

	if (pfn >= *ram_start && pfn < *ram_end)
		return true;
	/* Walked from 0, so that the range found is not clipped at pfn. */
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				0, U64_MAX, &ram, hv_sim_ram_found) != 1)
		return false;
	*ram_start = ram.start >> HV_HYP_PAGE_SHIFT;
	*ram_end = (ram.end + 1) >> HV_HYP_PAGE_SHIFT;
	return true;
}

/**
 * hv_sim_deposit_memory() - HVCALL_DEPOSIT_MEMORY (rep)
 * @call: the call; input is struct hv_input_deposit_memory.
 *
 * Rep i gives page frame gpa_page_list[i] to the hypervisor: to the root's
 * own pool (partition id self) or to a guest partition (partition.c).
 * Stops at the first page that fails.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID for an unknown
 * partition; INVALID_PARTITION_STATE for a finalized one;
 * INVALID_PARAMETER for a frame that is not RAM or was deposited before;
 * NO_RESOURCES if the host cannot allocate.  call->rep_next is the first
 * rep not done.
 */
u16 hv_sim_deposit_memory(struct hv_sim_call *call)
{
	const struct hv_input_deposit_memory *in = call->input;
	unsigned long ram_start = 0, ram_end = 0;
	struct hv_sim_partition *pt = NULL;
	u16 status = HV_STATUS_SUCCESS;
	u32 i;

	if (in->partition_id != HV_PARTITION_ID_SELF) {
		pt = hv_sim_partition_find(in->partition_id);
		if (!pt)
			return HV_STATUS_INVALID_PARTITION_ID;
		if (pt->state == HV_SIM_PT_FINALIZED)
			return HV_STATUS_INVALID_PARTITION_STATE;
	}

	for (i = call->rep_start; i < call->rep_end; i++) {
		u64 pfn = in->gpa_page_list[i];

		if (pfn >> (52 - HV_HYP_PAGE_SHIFT) ||
		    !hv_sim_pfn_is_ram(pfn, &ram_start, &ram_end) ||
		    xa_load(&hv_sim.deposited, pfn)) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		if (xa_is_err(xa_store(&hv_sim.deposited, pfn, xa_mk_value(0),
				       GFP_ATOMIC))) {
			status = HV_STATUS_NO_RESOURCES;
			break;
		}
		if (pt) {
			status = hv_sim_partition_deposit(pt, pfn);
			if (status != HV_STATUS_SUCCESS) {
				xa_erase(&hv_sim.deposited, pfn);
				break;
			}
			continue;
		}
		hv_sim.pool_free++;
		hv_sim.pool_deposited++;
	}
	call->rep_next = i;
	return status;
}
