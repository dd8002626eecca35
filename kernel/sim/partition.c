// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim guest partitions: HVCALL_CREATE/INITIALIZE/FINALIZE/DELETE_PARTITION
 * and the memory the root deposits to a partition and withdraws from it.
 *
 * Life of a partition, as on Hyper-V: created (it exists; the root's own
 * pool paid one page) -> initialized (HV_SIM_PT_INIT_PAGES of its deposited
 * pages hold its structures; VPs and GPA maps are possible) -> finalized
 * (VPs, GPA map and their pages released; the root withdraws the pages) ->
 * deleted.  The checks are Hyper-V's: an unknown id is INVALID_PARTITION_ID,
 * a call in the wrong state INVALID_PARTITION_STATE, a partition whose
 * deposited pages cannot cover a call INSUFFICIENT_MEMORY.
 *
 * Deposited pages are real page frames the root gave away: the sim keeps VP
 * state pages in them, so the root sees exactly which frames the hypervisor
 * uses.  Pages still deposited at delete are lost to the root for good and
 * counted in the audit pages_leaked.
 *
 * Every function here runs with hv_sim.lock held, interrupts disabled.
 */

#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

/* Deposited pages INITIALIZE_PARTITION needs (mshv deposits 208 first). */
#define HV_SIM_PT_INIT_PAGES	16

#define HV_SIM_PT_CREATE_FLAGS	(HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES | \
				 HV_PARTITION_CREATION_FLAG_EXO_PARTITION | \
				 HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED | \
				 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE | \
				 HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE)

/**
 * hv_sim_partition_find() - a guest partition by id
 * @id: partition id.
 *
 * Lock held.
 *
 * Return: the partition, or NULL (self and unknown ids).
 */
struct hv_sim_partition *hv_sim_partition_find(u64 id)
{
	struct hv_sim_partition *pt;

	lockdep_assert_held(&hv_sim.lock);
	list_for_each_entry(pt, &hv_sim.partitions, node)
		if (pt->id == id)
			return pt;
	return NULL;
}

/**
 * hv_sim_partition_page_take() - take one of a partition's free pages
 * @pt: the partition.
 * @pfn: set to the page's frame number; the page is zeroed.
 *
 * Lock held.
 *
 * Return: true, or false if no deposited page is free.
 */
bool hv_sim_partition_page_take(struct hv_sim_partition *pt,
				unsigned long *pfn)
{
	unsigned long index = 0;

	if (!xa_find(&pt->pages, &index, ULONG_MAX, HV_SIM_PAGE_FREE))
		return false;
	xa_clear_mark(&pt->pages, index, HV_SIM_PAGE_FREE);
	pt->nr_free--;
	clear_page(pfn_to_kaddr(index));
	*pfn = index;
	return true;
}

/**
 * hv_sim_partition_page_give() - a page taken with page_take() is free again
 * @pt: the partition.
 * @pfn: the page's frame number.
 *
 * Lock held.
 */
void hv_sim_partition_page_give(struct hv_sim_partition *pt,
				unsigned long pfn)
{
	if (WARN_ON_ONCE(xa_get_mark(&pt->pages, pfn, HV_SIM_PAGE_FREE)))
		return;
	xa_set_mark(&pt->pages, pfn, HV_SIM_PAGE_FREE);
	pt->nr_free++;
}

/* Every deposited page of @pt is free again (finalize). */
static void hv_sim_partition_pages_release(struct hv_sim_partition *pt)
{
	unsigned long pfn;
	void *entry;

	xa_for_each(&pt->pages, pfn, entry)
		xa_set_mark(&pt->pages, pfn, HV_SIM_PAGE_FREE);
	pt->nr_free = pt->nr_pages;
}

/**
 * hv_sim_partition_deposit() - one page deposited to a guest partition
 * @pt: the partition.
 * @pfn: a RAM page frame nobody deposited before (the caller checked).
 *
 * Lock held.
 *
 * Return: HV_STATUS_SUCCESS, or NO_RESOURCES if the host cannot allocate.
 */
u16 hv_sim_partition_deposit(struct hv_sim_partition *pt, u64 pfn)
{
	if (xa_is_err(xa_store(&pt->pages, pfn, xa_mk_value(0), GFP_ATOMIC)))
		return HV_STATUS_NO_RESOURCES;
	xa_set_mark(&pt->pages, pfn, HV_SIM_PAGE_FREE);
	pt->nr_pages++;
	pt->nr_free++;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_create_partition() - HVCALL_CREATE_PARTITION
 * @call: the call; input struct hv_input_create_partition, output struct
 *	hv_output_create_partition.
 *
 * The partition's own record costs one page of the root's pool.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_HYPERCALL_INPUT without an output
 * page; INVALID_PARAMETER for unknown creation flags, non-zero padding, an
 * isolation type other than none or a compatibility version other than
 * HV_COMPATIBILITY_21_H2; INSUFFICIENT_MEMORY when the root's pool is empty.
 */
u16 hv_sim_create_partition(struct hv_sim_call *call)
{
	const struct hv_input_create_partition *in = call->input;
	struct hv_output_create_partition *out = call->output;
	struct hv_sim_partition *pt;

	if (!out)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if ((in->flags & ~HV_SIM_PT_CREATE_FLAGS) || in->padding ||
	    in->isolation_properties ||
	    in->compatibility_version != HV_COMPATIBILITY_21_H2)
		return HV_STATUS_INVALID_PARAMETER;
	if (!hv_sim_pool_take())
		return HV_STATUS_INSUFFICIENT_MEMORY;
	pt = kzalloc(sizeof(*pt), GFP_ATOMIC);
	if (!pt) {
		hv_sim_pool_give(1);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	pt->id = hv_sim.next_partition_id++;
	pt->flags = in->flags;
	pt->state = HV_SIM_PT_CREATED;
	xa_init(&pt->pages);
	xa_init(&pt->gpa);
	xa_init(&pt->gpa_blocks);
	xa_init(&pt->vps);
	list_add_tail(&pt->node, &hv_sim.partitions);
	out->partition_id = pt->id;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_initialize_partition() - HVCALL_INITIALIZE_PARTITION
 * @call: the call; input struct hv_input_partition_id.
 *
 * Takes HV_SIM_PT_INIT_PAGES of the partition's deposited pages.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless created and not yet initialized; INSUFFICIENT_MEMORY if fewer
 * pages are free (nothing taken).
 */
u16 hv_sim_initialize_partition(struct hv_sim_call *call)
{
	const struct hv_input_partition_id *in = call->input;
	struct hv_sim_partition *pt = hv_sim_partition_find(in->partition_id);
	unsigned long pfn;
	unsigned int i;

	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (pt->state != HV_SIM_PT_CREATED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (pt->nr_free < HV_SIM_PT_INIT_PAGES)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	for (i = 0; i < HV_SIM_PT_INIT_PAGES; i++)
		hv_sim_partition_page_take(pt, &pfn);
	pt->state = HV_SIM_PT_INITIALIZED;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_finalize_partition() - HVCALL_FINALIZE_PARTITION
 * @call: the call; input struct hv_input_partition_id.
 *
 * Stops the partition for good: its VPs and GPA map go, every deposited
 * page becomes free for WITHDRAW_MEMORY.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * if already finalized; OBJECT_IN_USE while a device is direct-attached or
 * the root still maps a VP state page (the pages would be freed under it).
 */
u16 hv_sim_finalize_partition(struct hv_sim_call *call)
{
	const struct hv_input_partition_id *in = call->input;
	struct hv_sim_partition *pt = hv_sim_partition_find(in->partition_id);
	struct hv_sim_vp *vp;
	unsigned long index;

	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (pt->state == HV_SIM_PT_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (pt->nr_devices)
		return HV_STATUS_OBJECT_IN_USE;
	xa_for_each(&pt->vps, index, vp)
		if (vp->mapped)
			return HV_STATUS_OBJECT_IN_USE;
	hv_sim_vps_clear(pt);
	hv_sim_gpa_clear(pt);
	hv_sim_partition_pages_release(pt);
	pt->state = HV_SIM_PT_FINALIZED;
	return HV_STATUS_SUCCESS;
}

static void hv_sim_partition_free(struct hv_sim_partition *pt)
{
	list_del(&pt->node);
	xa_destroy(&pt->pages);
	xa_destroy(&pt->gpa);
	xa_destroy(&pt->gpa_blocks);
	xa_destroy(&pt->vps);
	kfree(pt);
}

/**
 * hv_sim_delete_partition() - HVCALL_DELETE_PARTITION
 * @call: the call; input struct hv_input_partition_id.
 *
 * Pages the root did not withdraw stay the hypervisor's for good and are
 * counted in pages_leaked.  The root's pool gets its page back.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless finalized.
 */
u16 hv_sim_delete_partition(struct hv_sim_call *call)
{
	const struct hv_input_partition_id *in = call->input;
	struct hv_sim_partition *pt = hv_sim_partition_find(in->partition_id);

	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (pt->state != HV_SIM_PT_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	hv_sim.pages_leaked += pt->nr_pages;
	hv_sim_partition_free(pt);
	hv_sim_pool_give(1);
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_withdraw_memory() - HVCALL_WITHDRAW_MEMORY (rep, output list)
 * @call: the call; input struct hv_input_withdraw_memory, output one page
 *	frame number per rep.
 *
 * Each rep gives one free deposited page back to the root.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_HYPERCALL_INPUT without an output
 * page; INVALID_PARTITION_ID for self or an unknown partition;
 * NO_RESOURCES when no free page is left (call->rep_next says how many
 * were returned).
 */
u16 hv_sim_withdraw_memory(struct hv_sim_call *call)
{
	const struct hv_input_withdraw_memory *in = call->input;
	struct hv_sim_partition *pt = hv_sim_partition_find(in->partition_id);
	u64 *out = call->output;
	u16 status = HV_STATUS_SUCCESS;
	unsigned long pfn;
	u32 i;

	/* One output page holds the list. */
	if (!out || call->rep_count > HV_WITHDRAW_MEMORY_MAX)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	for (i = call->rep_start; i < call->rep_end; i++) {
		pfn = 0;
		if (!xa_find(&pt->pages, &pfn, ULONG_MAX, HV_SIM_PAGE_FREE)) {
			status = HV_STATUS_NO_RESOURCES;
			break;
		}
		xa_erase(&pt->pages, pfn);
		xa_erase(&hv_sim.deposited, pfn);
		pt->nr_pages--;
		pt->nr_free--;
		out[i] = pfn;
	}
	call->rep_next = i;
	return status;
}

/**
 * hv_sim_partitions_init() - no partitions yet
 */
void hv_sim_partitions_init(void)
{
	INIT_LIST_HEAD(&hv_sim.partitions);
	hv_sim.next_partition_id = 1;
}

/**
 * hv_sim_partitions_exit() - forget every partition at unload
 *
 * hv_sim is only unloaded when no driver uses it; a partition left then was
 * never deleted by the root and its pages stay lost, as on a real host.
 */
void hv_sim_partitions_exit(void)
{
	struct hv_sim_partition *pt, *next;

	spin_lock_irq(&hv_sim.lock);
	list_for_each_entry_safe(pt, next, &hv_sim.partitions, node) {
		hv_sim_vps_clear(pt);
		hv_sim_gpa_clear(pt);
		hv_sim_partition_free(pt);
	}
	spin_unlock_irq(&hv_sim.lock);
}
