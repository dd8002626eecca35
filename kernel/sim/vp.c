// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim virtual processors: HVCALL_CREATE_VP, DELETE_VP, MAP/UNMAP_VP_STATE
 * _PAGE and DISPATCH_VP.
 *
 * A VP has two state pages, both taken from its partition's deposited
 * pages: the register page, which in the simulator holds the guest program
 * (struct hv_vmm_guest_program: the VMM writes it through the root's
 * mapping), and the intercept message page.  DISPATCH_VP runs the program
 * from its pc: every access goes through the partition's GPA map to the
 * RAM page behind it (kmap_local), or for a NOT_CACHED mapping to the
 * device BAR behind it (mmio.c: the real device answers); an unmapped GPA
 * (HVMSG_UNMAPPED_GPA) or a mapping without the access right
 * (HVMSG_GPA_INTERCEPT) ends the dispatch with an intercept, and so does the end of the program (HVMSG_X64_HALT).  The
 * message goes into the intercept message page and, as Hyper-V delivers
 * intercepts, into the SIMP slot of SINT0 on the dispatching CPU (the VP's)
 * with the SINT raised (synic.c); the VP stays intercept-suspended until a
 * dispatch clears it.
 *
 * Every function here runs with hv_sim.lock held, interrupts disabled.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "hv_vmm.h"
#include "sim.h"

#define HV_SIM_MAX_VPS		256
#define HV_SIM_DISPATCH_FLAGS	0x7f

static struct hv_sim_vp *hv_sim_vp_find(u64 partition_id, u32 vp_index,
					struct hv_sim_partition **ptp,
					u16 *status)
{
	struct hv_sim_partition *pt = hv_sim_partition_find(partition_id);
	struct hv_sim_vp *vp;

	*status = HV_STATUS_INVALID_PARTITION_ID;
	if (!pt)
		return NULL;
	*status = HV_STATUS_INVALID_PARTITION_STATE;
	if (pt->state != HV_SIM_PT_INITIALIZED)
		return NULL;
	*status = HV_STATUS_INVALID_VP_INDEX;
	vp = xa_load(&pt->vps, vp_index);
	if (vp)
		*status = HV_STATUS_SUCCESS;
	*ptp = pt;
	return vp;
}

/**
 * hv_sim_create_vp() - HVCALL_CREATE_VP
 * @call: the call; input struct hv_input_create_vp.
 *
 * Takes two of the partition's deposited pages (the state pages).  Lock
 * held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless initialized; INVALID_VP_INDEX for an index of 256 or more or one
 * that exists; INVALID_PARAMETER for non-zero padding, subnode, proximity
 * or flags; INSUFFICIENT_MEMORY without two free deposited pages.
 */
u16 hv_sim_create_vp(struct hv_sim_call *call)
{
	const struct hv_input_create_vp *in = call->input;
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	u16 status;

	vp = hv_sim_vp_find(in->partition_id, in->vp_index, &pt, &status);
	if (status != HV_STATUS_INVALID_VP_INDEX || vp ||
	    in->vp_index >= HV_SIM_MAX_VPS)
		return vp ? HV_STATUS_INVALID_VP_INDEX : status;
	if (memchr_inv(in->padding, 0, sizeof(in->padding)) ||
	    in->subnode_type || in->subnode_id || in->proximity || in->flags)
		return HV_STATUS_INVALID_PARAMETER;
	if (pt->nr_free < 2)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	vp = kzalloc(sizeof(*vp), GFP_ATOMIC);
	if (!vp || xa_is_err(xa_store(&pt->vps, in->vp_index, vp, GFP_ATOMIC))) {
		kfree(vp);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	vp->index = in->vp_index;
	hv_sim_partition_page_take(pt, &vp->regs_pfn);
	hv_sim_partition_page_take(pt, &vp->msg_pfn);
	pt->nr_vps++;
	return HV_STATUS_SUCCESS;
}

static void hv_sim_vp_free(struct hv_sim_partition *pt, struct hv_sim_vp *vp)
{
	xa_erase(&pt->vps, vp->index);
	pt->nr_vps--;
	kfree(vp);
}

/**
 * hv_sim_delete_vp() - HVCALL_DELETE_VP
 * @call: the call; input struct hv_input_delete_vp.
 *
 * Its state pages become free deposited pages again.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless initialized; INVALID_VP_INDEX for no such VP; INVALID_PARAMETER
 * for a non-zero reserved field; OBJECT_IN_USE while the root maps one of
 * its state pages.
 */
u16 hv_sim_delete_vp(struct hv_sim_call *call)
{
	const struct hv_input_delete_vp *in = call->input;
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	u16 status;

	vp = hv_sim_vp_find(in->partition_id, in->vp_index, &pt, &status);
	if (!vp)
		return status;
	if (in->reserved)
		return HV_STATUS_INVALID_PARAMETER;
	if (vp->mapped)
		return HV_STATUS_OBJECT_IN_USE;
	hv_sim_partition_page_give(pt, vp->regs_pfn);
	hv_sim_partition_page_give(pt, vp->msg_pfn);
	hv_sim_vp_free(pt, vp);
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_vps_clear() - forget every VP of a partition (finalize, unload)
 * @pt: the partition; the caller releases its pages.
 *
 * Lock held.
 */
void hv_sim_vps_clear(struct hv_sim_partition *pt)
{
	struct hv_sim_vp *vp;
	unsigned long index;

	xa_for_each(&pt->vps, index, vp)
		hv_sim_vp_free(pt, vp);
}

/**
 * hv_sim_map_vp_state_page() - HVCALL_MAP_VP_STATE_PAGE
 * @call: the call; input struct hv_input_map_vp_state_page, output struct
 *	hv_output_map_vp_state_page.
 *
 * The root role: the hypervisor's own page is returned (no overlay page
 * from the caller).  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_HYPERCALL_INPUT without an output
 * page; INVALID_PARTITION_ID; INVALID_PARTITION_STATE unless initialized;
 * INVALID_VP_INDEX; INVALID_PARAMETER for a type other than registers or
 * intercept message, a VTL, flags or a requested location.
 */
u16 hv_sim_map_vp_state_page(struct hv_sim_call *call)
{
	const struct hv_input_map_vp_state_page *in = call->input;
	struct hv_output_map_vp_state_page *out = call->output;
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	u16 status;

	if (!out)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	vp = hv_sim_vp_find(in->partition_id, in->vp_index, &pt, &status);
	if (!vp)
		return status;
	if (in->type > HV_VP_STATE_PAGE_INTERCEPT_MESSAGE || in->input_vtl ||
	    in->flags || in->requested_map_location)
		return HV_STATUS_INVALID_PARAMETER;
	vp->mapped |= BIT(in->type);
	out->map_location = in->type == HV_VP_STATE_PAGE_REGISTERS ?
			    vp->regs_pfn : vp->msg_pfn;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_unmap_vp_state_page() - HVCALL_UNMAP_VP_STATE_PAGE
 * @call: the call; input struct hv_input_unmap_vp_state_page.
 *
 * Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID; INVALID_PARTITION_STATE
 * unless initialized; INVALID_VP_INDEX; INVALID_PARAMETER for an unknown
 * type, a VTL, a reserved field or a page that is not mapped.
 */
u16 hv_sim_unmap_vp_state_page(struct hv_sim_call *call)
{
	const struct hv_input_unmap_vp_state_page *in = call->input;
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	u16 status;

	vp = hv_sim_vp_find(in->partition_id, in->vp_index, &pt, &status);
	if (!vp)
		return status;
	if (in->type > HV_VP_STATE_PAGE_INTERCEPT_MESSAGE || in->input_vtl ||
	    in->reserved || !(vp->mapped & BIT(in->type)))
		return HV_STATUS_INVALID_PARAMETER;
	vp->mapped &= ~BIT(in->type);
	return HV_STATUS_SUCCESS;
}

/* End the dispatch with an intercept: the message, suspended, counted. */
static void hv_sim_vp_intercept(struct hv_sim_partition *pt,
				struct hv_sim_vp *vp, u32 type, u8 access,
				u64 gpa, struct hv_output_dispatch_vp *out)
{
	struct hv_message *msg = pfn_to_kaddr(vp->msg_pfn);
	struct hv_x64_memory_intercept_message *mi = (void *)msg->payload;

	memset(msg, 0, sizeof(*msg));
	msg->header.message_type = type;
	msg->header.payload_size = sizeof(*mi);
	msg->header.sender = pt->id;
	mi->vp_index = vp->index;
	mi->intercept_access_type = access;
	mi->memory_access_info = HV_X64_MEMORY_ACCESS_GVA_GPA_VALID;
	mi->guest_physical_address = gpa;
	vp->suspended = true;
	vp->intercepts++;
	/* A refused post is counted as dropped by synic.c's audit. */
	hv_sim_synic_post(smp_processor_id(), HV_SYNIC_INTERCEPTION_SINT_INDEX,
			  msg);
	out->dispatch_state = HV_VP_DISPATCH_STATE_READY;
	out->dispatch_event = HV_VP_DISPATCH_EVENT_INTERCEPT;
}

/* A well-formed access: known width and type, naturally aligned. */
static bool hv_sim_access_ok(const struct hv_vmm_guest_access *a)
{
	return (a->width == 1 || a->width == 2 || a->width == 4 ||
		a->width == 8) && !(a->gpa & (a->width - 1)) &&
	       a->type <= HV_VMM_ACCESS_WRITE &&
	       !memchr_inv(a->rsvd, 0, sizeof(a->rsvd));
}

/* Do one RAM access through the kernel's mapping of the frame. */
static void hv_sim_access_ram(struct hv_vmm_guest_access *a, u64 pfn)
{
	void *page = kmap_local_pfn(pfn);
	void *p = page + (a->gpa & (HV_HYP_PAGE_SIZE - 1));
	bool wr = a->type == HV_VMM_ACCESS_WRITE;

	switch (a->width) {
	case 1:
		if (wr)
			WRITE_ONCE(*(u8 *)p, a->value);
		else
			a->value = READ_ONCE(*(u8 *)p);
		break;
	case 2:
		if (wr)
			WRITE_ONCE(*(u16 *)p, a->value);
		else
			a->value = READ_ONCE(*(u16 *)p);
		break;
	case 4:
		if (wr)
			WRITE_ONCE(*(u32 *)p, a->value);
		else
			a->value = READ_ONCE(*(u32 *)p);
		break;
	default:
		if (wr)
			WRITE_ONCE(*(u64 *)p, a->value);
		else
			a->value = READ_ONCE(*(u64 *)p);
	}
	kunmap_local(page);
}

/* Run @vp's program from its pc until an intercept ends the dispatch. */
static void hv_sim_vp_run(struct hv_sim_partition *pt, struct hv_sim_vp *vp,
			  struct hv_output_dispatch_vp *out)
{
	struct hv_vmm_guest_program *prog = pfn_to_kaddr(vp->regs_pfn);
	u32 n = READ_ONCE(prog->nr_accesses), pc = READ_ONCE(prog->pc);

	if (n > HV_VMM_PROGRAM_MAX || pc > n) {
		hv_sim_vp_intercept(pt, vp, HVMSG_UNRECOVERABLE_EXCEPTION, 0, 0,
				    out);
		return;
	}
	for (; pc < n; pc++) {
		struct hv_vmm_guest_access *a = &prog->access[pc];
		u32 need = a->type == HV_VMM_ACCESS_WRITE ?
			   HV_MAP_GPA_WRITABLE : HV_MAP_GPA_READABLE;
		void *pte;
		u32 flags;

		if (!hv_sim_access_ok(a)) {
			hv_sim_vp_intercept(pt, vp,
					    HVMSG_UNRECOVERABLE_EXCEPTION,
					    a->type, a->gpa, out);
			break;
		}
		pte = hv_sim_gpa_lookup(pt, a->gpa >> HV_HYP_PAGE_SHIFT);
		if (!pte) {
			hv_sim_vp_intercept(pt, vp, HVMSG_UNMAPPED_GPA, a->type,
					    a->gpa, out);
			break;
		}
		flags = hv_sim_pte_flags(pte);
		if (!(flags & need) || (flags & HV_MAP_GPA_NO_ACCESS)) {
			hv_sim_vp_intercept(pt, vp, HVMSG_GPA_INTERCEPT, a->type,
					    a->gpa, out);
			break;
		}
		if (flags & HV_MAP_GPA_NOT_CACHED)
			hv_sim_mmio_access(a, hv_sim_pte_pfn(pte));
		else
			hv_sim_access_ram(a, hv_sim_pte_pfn(pte));
	}
	WRITE_ONCE(prog->pc, pc);
	if (pc == n)
		hv_sim_vp_intercept(pt, vp, HVMSG_X64_HALT, 0, 0, out);
}

/**
 * hv_sim_dispatch_vp() - HVCALL_DISPATCH_VP
 * @call: the call; input struct hv_input_dispatch_vp, output struct
 *	hv_output_dispatch_vp.
 *
 * Runs the VP's guest program until an intercept (see the top of this
 * file); a VP suspended by an intercept only runs with the flag
 * HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND, otherwise the call returns
 * blocked / suspend at once.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_HYPERCALL_INPUT without an output
 * page; INVALID_PARTITION_ID; INVALID_PARTITION_STATE unless initialized;
 * INVALID_VP_INDEX; INVALID_PARAMETER for unknown flags.
 */
u16 hv_sim_dispatch_vp(struct hv_sim_call *call)
{
	const struct hv_input_dispatch_vp *in = call->input;
	struct hv_output_dispatch_vp *out = call->output;
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	u16 status;

	if (!out)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	vp = hv_sim_vp_find(in->partition_id, in->vp_index, &pt, &status);
	if (!vp)
		return status;
	if (in->flags & ~HV_SIM_DISPATCH_FLAGS)
		return HV_STATUS_INVALID_PARAMETER;
	if (vp->suspended &&
	    !(in->flags & HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND)) {
		out->dispatch_state = HV_VP_DISPATCH_STATE_BLOCKED;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_SUSPEND;
		return HV_STATUS_SUCCESS;
	}
	vp->suspended = false;
	vp->dispatches++;
	hv_sim_vp_run(pt, vp, out);
	return HV_STATUS_SUCCESS;
}
