// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim hypercall entry: decode and check the control word as Hyper-V does
 * (TLFS 3.7), check that the input fits the input page, apply time slices
 * and injected faults, dispatch to the call's handler and account the result.
 */

#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "sim.h"

typedef u16 (*hv_sim_handler_t)(struct hv_sim_call *call);

/**
 * struct hv_sim_call_desc - how one call code is shaped
 * @code: call code.
 * @rep: a rep call (rep count >= 1) rather than a simple call.
 * @header_size: bytes of fixed input at the start of the input page.
 * @element_size: bytes per rep in the list that follows the header, or 0
 *	when the call has no list (its reps are implied, e.g. unmap).
 * @handler: does the work; called with hv_sim.lock held.
 */
struct hv_sim_call_desc {
	u16 code;
	bool rep;
	u16 header_size;
	u16 element_size;
	hv_sim_handler_t handler;
};

/* Sorted by call code: debugfs "stats" prints them in this order. */
static const struct hv_sim_call_desc hv_sim_calls[HV_SIM_NR_CALLS] = {
	{ HVCALL_CREATE_PARTITION, false,
	  sizeof(struct hv_input_create_partition), 0,
	  hv_sim_create_partition },
	{ HVCALL_INITIALIZE_PARTITION, false,
	  sizeof(struct hv_input_partition_id), 0,
	  hv_sim_initialize_partition },
	{ HVCALL_FINALIZE_PARTITION, false,
	  sizeof(struct hv_input_partition_id), 0,
	  hv_sim_finalize_partition },
	{ HVCALL_DELETE_PARTITION, false,
	  sizeof(struct hv_input_partition_id), 0, hv_sim_delete_partition },
	{ HVCALL_DEPOSIT_MEMORY, true,
	  sizeof(struct hv_input_deposit_memory), sizeof(u64),
	  hv_sim_deposit_memory },
	{ HVCALL_WITHDRAW_MEMORY, true,
	  sizeof(struct hv_input_withdraw_memory), 0, hv_sim_withdraw_memory },
	{ HVCALL_MAP_GPA_PAGES, true,
	  sizeof(struct hv_input_map_gpa_pages), sizeof(u64),
	  hv_sim_map_gpa_pages },
	{ HVCALL_UNMAP_GPA_PAGES, true,
	  sizeof(struct hv_input_unmap_gpa_pages), 0, hv_sim_unmap_gpa_pages },
	{ HVCALL_CREATE_VP, false,
	  sizeof(struct hv_input_create_vp), 0, hv_sim_create_vp },
	{ HVCALL_DELETE_VP, false,
	  sizeof(struct hv_input_delete_vp), 0, hv_sim_delete_vp },
	{ HVCALL_ATTACH_DEVICE, false,
	  sizeof(struct hv_input_attach_device), 0, hv_sim_attach_device },
	{ HVCALL_DETACH_DEVICE, false,
	  sizeof(struct hv_input_detach_device), 0, hv_sim_detach_device },
	{ HVCALL_CREATE_DEVICE_DOMAIN, false,
	  sizeof(struct hv_input_create_device_domain), 0,
	  hv_sim_create_device_domain },
	{ HVCALL_ATTACH_DEVICE_DOMAIN, false,
	  sizeof(struct hv_input_attach_device_domain), 0,
	  hv_sim_attach_device_domain },
	{ HVCALL_MAP_DEVICE_GPA_PAGES, true,
	  sizeof(struct hv_input_map_device_gpa_pages), sizeof(u64),
	  hv_sim_map_device_gpa_pages },
	{ HVCALL_UNMAP_DEVICE_GPA_PAGES, true,
	  sizeof(struct hv_input_unmap_device_gpa_pages), 0,
	  hv_sim_unmap_device_gpa_pages },
	{ HVCALL_DISPATCH_VP, false,
	  sizeof(struct hv_input_dispatch_vp), 0, hv_sim_dispatch_vp },
	{ HVCALL_DETACH_DEVICE_DOMAIN, false,
	  sizeof(struct hv_input_detach_device_domain), 0,
	  hv_sim_detach_device_domain },
	{ HVCALL_DELETE_DEVICE_DOMAIN, false,
	  sizeof(struct hv_input_delete_device_domain), 0,
	  hv_sim_delete_device_domain },
	{ HVCALL_MAP_VP_STATE_PAGE, false,
	  sizeof(struct hv_input_map_vp_state_page), 0,
	  hv_sim_map_vp_state_page },
	{ HVCALL_UNMAP_VP_STATE_PAGE, false,
	  sizeof(struct hv_input_unmap_vp_state_page), 0,
	  hv_sim_unmap_vp_state_page },
};

/* hv_sim_calls[] must stay in step with HV_SIM_NR_CALLS in sim.h. */
static_assert(ARRAY_SIZE(hv_sim_calls) == HV_SIM_NR_CALLS);

/**
 * hv_sim_call_index() - find a call code in the simulator's call table
 * @code: hypercall call code.
 *
 * Return: index into the stats table, or -1 if the simulator does not
 * implement @code.
 */
int hv_sim_call_index(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_sim_calls); i++)
		if (hv_sim_calls[i].code == code)
			return i;
	return -1;
}

/**
 * hv_sim_call_code() - call code of a call table entry
 * @index: 0 .. HV_SIM_NR_CALLS - 1.
 *
 * Return: the call code.
 */
u16 hv_sim_call_code(unsigned int index)
{
	return hv_sim_calls[index].code;
}

/**
 * hv_sim_stats_reset() - zero every counter of debugfs "stats"
 *
 * Takes hv_sim.lock; process context.
 */
void hv_sim_stats_reset(void)
{
	spin_lock_irq(&hv_sim.lock);
	memset(hv_sim.call_stats, 0, sizeof(hv_sim.call_stats));
	hv_sim.nr_statuses = 0;
	spin_unlock_irq(&hv_sim.lock);
}

/* Count a non-success status; the table stays sorted by status code. */
static void hv_sim_stats_status(u16 status)
{
	unsigned int i, n = hv_sim.nr_statuses;

	if (status == HV_STATUS_SUCCESS)
		return;
	for (i = 0; i < n && hv_sim.status_code[i] < status; i++)
		;
	if (i < n && hv_sim.status_code[i] == status) {
		hv_sim.status_count[i]++;
		return;
	}
	/* Only injected faults can produce this many different statuses. */
	if (n == HV_SIM_NR_STATUSES)
		return;
	memmove(&hv_sim.status_code[i + 1], &hv_sim.status_code[i],
		(n - i) * sizeof(hv_sim.status_code[0]));
	memmove(&hv_sim.status_count[i + 1], &hv_sim.status_count[i],
		(n - i) * sizeof(hv_sim.status_count[0]));
	hv_sim.status_code[i] = status;
	hv_sim.status_count[i] = 1;
	hv_sim.nr_statuses++;
}

/*
 * Control word checks that do not depend on the call's input.  Our inputs
 * are always in memory: the fast (register) form and variable headers are
 * not used by any call the simulator implements, so both are refused.
 */
static u16 hv_sim_check_control(const struct hv_sim_call_desc *desc,
				u64 control, u32 rep_count, u32 rep_start)
{
	if (control & (HV_HC_RSVD_MASK | HV_HC_FAST | HV_HC_VARHEAD_MASK))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!desc->rep)
		return rep_count || rep_start ?
		       HV_STATUS_INVALID_HYPERCALL_INPUT : HV_STATUS_SUCCESS;
	/*
	 * The 12-bit field cannot carry more than HV_HC_REP_MAX (4095) reps,
	 * so the contract's "rep count > 4095" needs no check of its own.
	 */
	if (!rep_count || rep_start >= rep_count)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return HV_STATUS_SUCCESS;
}

/*
 * The input must be 8-byte aligned and lie in one page.  A list longer than
 * a whole page can hold is a malformed call; a list that would fit a page
 * but not from where this input starts is an alignment problem.
 */
static u16 hv_sim_check_input(const struct hv_sim_call_desc *desc,
			      const void *input, u32 rep_count)
{
	unsigned long offset = (unsigned long)input & (HV_HYP_PAGE_SIZE - 1);
	size_t size = desc->header_size + (size_t)desc->element_size * rep_count;

	if (!input)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!IS_ALIGNED((unsigned long)input, 8))
		return HV_STATUS_INVALID_ALIGNMENT;
	if (size > HV_HYP_PAGE_SIZE)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (offset + size > HV_HYP_PAGE_SIZE)
		return HV_STATUS_INVALID_ALIGNMENT;
	return HV_STATUS_SUCCESS;
}

static u16 hv_sim_execute(const struct hv_sim_call_desc *desc,
			  struct hv_sim_call *call)
{
	struct hv_sim_fault fault;
	u16 status;

	call->rep_end = call->rep_count;
	call->rep_next = call->rep_start;

	if (hv_sim_fault_take(desc->code, &fault)) {
		/*
		 * A simple call that is made to fail has no effect at all
		 * (e.g. a refused detach).  A rep call does its first
		 * after_reps reps for real, then fails; an injected call is
		 * never also cut short by rep_slice.  A real error inside
		 * those reps wins over the injected one.
		 */
		if (!desc->rep)
			return fault.status;
		call->rep_end = min_t(u32, call->rep_count,
				      call->rep_start + fault.after_reps);
		status = desc->handler(call);
		return status == HV_STATUS_SUCCESS ? fault.status : status;
	}

	/* Time slice: SUCCESS with fewer reps completed than asked for. */
	if (desc->rep && hv_sim.rep_slice)
		call->rep_end = min_t(u32, call->rep_count,
				      call->rep_start + hv_sim.rep_slice);
	return desc->handler(call);
}

/**
 * hv_sim_hypercall() - the simulated hypervisor's hypercall entry
 * @control: TLFS hypercall control word.
 * @input: input page as filled by the caller (see hv_abi.h), or NULL.
 * @output: this CPU's output page, or NULL; calls with output need it.
 *
 * Context: interrupts disabled (the caller owns this CPU's input page until
 * the call returns).  Takes hv_sim.lock.  Never sleeps.
 *
 * Return: the hypercall result value: status in bits 0-15, reps completed
 * (the index of the first rep not done) in bits 32-43.
 */
u64 hv_sim_hypercall(u64 control, void *input, void *output)
{
	u16 code = control & HV_HC_CODE_MASK;
	u32 rep_count = (control & HV_HC_REP_COUNT_MASK) >> HV_HC_REP_COUNT_SHIFT;
	u32 rep_start = (control & HV_HC_REP_START_MASK) >> HV_HC_REP_START_SHIFT;
	const struct hv_sim_call_desc *desc;
	struct hv_sim_call call = {
		.input = input,
		.output = output,
		.rep_count = rep_count,
		.rep_start = rep_start,
	};
	struct hv_sim_call_stats *stats;
	unsigned long flags;
	u16 status;
	int index;

	WARN_ON_ONCE(!irqs_disabled());

	index = hv_sim_call_index(code);
	spin_lock_irqsave(&hv_sim.lock, flags);
	if (index < 0) {
		hv_sim_stats_status(HV_STATUS_INVALID_HYPERCALL_CODE);
		spin_unlock_irqrestore(&hv_sim.lock, flags);
		return hv_result_make(HV_STATUS_INVALID_HYPERCALL_CODE, 0);
	}
	desc = &hv_sim_calls[index];
	stats = &hv_sim.call_stats[index];

	status = hv_sim_check_control(desc, control, rep_count, rep_start);
	if (status == HV_STATUS_SUCCESS)
		status = hv_sim_check_input(desc, input, rep_count);
	if (status == HV_STATUS_SUCCESS)
		status = hv_sim_execute(desc, &call);
	else
		call.rep_next = 0;

	stats->calls++;
	if (call.rep_next > call.rep_start)
		stats->reps += call.rep_next - call.rep_start;
	if (status != HV_STATUS_SUCCESS)
		stats->failures++;
	hv_sim_stats_status(status);
	spin_unlock_irqrestore(&hv_sim.lock, flags);

	return hv_result_make(status, call.rep_next);
}
