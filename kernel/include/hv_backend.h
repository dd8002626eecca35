/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor boundary.  Every hypercall the driver makes goes through one
 * struct hv_backend, in the real ABI: the caller fills a 4096-byte input page
 * exactly as the TLFS lays it out (include/hv_abi.h) and gets back the 64-bit
 * hypercall result value (status in bits 0-15, reps completed in bits 32-43).
 * Two implementations exist: "hyperv" (iommu/backend_hyperv.c, the hypercall
 * page of a kernel running as the Hyper-V root partition or L1VH parent) and
 * "sim" (hv_sim.ko, a model of the hypervisor's side).  The driver's code is
 * the same whichever runs.
 */
#ifndef HV_BACKEND_H
#define HV_BACKEND_H

#include <linux/types.h>

struct module;

/**
 * enum hv_role - what this kernel is to the hypervisor
 * @HV_ROLE_ROOT: the root partition (owns the hardware, offers device
 *	domains with a default stage-2 identity domain).
 * @HV_ROLE_L1VH: an L1 virtual host (a child partition that is the parent
 *	of its own guests): no default stage-2 domain, direct attach only.
 */
enum hv_role { HV_ROLE_ROOT, HV_ROLE_L1VH };

/**
 * struct hv_backend - one way of reaching the hypervisor
 * @name: "hyperv" or "sim"; shown in sysfs and by hvctl status.
 * @owner: module implementing the backend (pinned while the driver uses it).
 * @input_page: this CPU's hypercall input page (HV_HYP_PAGE_SIZE bytes,
 *	page aligned).  Call with interrupts disabled and keep them disabled
 *	until the hypercall that uses the page has returned.
 * @output_page: this CPU's output page, or NULL if the backend has none.
 *	Same rules as @input_page.
 * @hypercall: issue one hypercall.  @control is the TLFS control word (call
 *	code, rep count, rep start index, variable header size), @input the
 *	page from @input_page() (or NULL for calls without input), @output the
 *	page from @output_page() or NULL.  Interrupts are disabled.  Returns the
 *	raw hypercall result value; never fails in any other way.
 * @role: what this kernel is to the hypervisor.  hyperv: CPUID 0x40000003
 *	EBX bit 12 (CpuManagement) set = root, else L1VH; sim: its ``role``
 *	load parameter.  Constant for the backend's lifetime; any context.
 *	Returns the &enum hv_role.
 * @synic_read: read SynIC MSR @msr (HV_MSR_SCONTROL .. HV_MSR_SINT15 of
 *	hv_abi.h, the real non-nested numbers) of the calling CPU.  hyperv:
 *	rdmsr; sim: its per-CPU model.  Call where the CPU cannot change
 *	(preemption or interrupts disabled, a cpuhp callback, an IPI).
 *	Returns the MSR's value.  Optional with @synic_write (NULL: no SynIC).
 * @synic_write: write @val to SynIC MSR @msr of the calling CPU; same rules
 *	as @synic_read.  The hypervisor does not tolerate an access to a SynIC
 *	MSR other than SCONTROL while SCONTROL is disabled: callers enable
 *	SCONTROL first and disable it last.
 * @sint_handler_set: install @handler as the function the SINT interrupt
 *	(x86: HYPERVISOR_CALLBACK_VECTOR) runs, in hard-irq context on the CPU
 *	whose SINT fired.  Returns the vector to program into the SINTs the
 *	caller owns, -EBUSY if a handler is installed already, or -EOPNOTSUPP
 *	where the kernel cannot share the callback vector.  Process context.
 * @sint_handler_clear: remove the handler; on return it runs on no CPU and
 *	will not run again.  Process context, may sleep.
 */
struct hv_backend {
	const char *name;
	struct module *owner;
	void *(*input_page)(void);
	void *(*output_page)(void);
	u64 (*hypercall)(u64 control, void *input, void *output);
	enum hv_role (*role)(void);
	u64 (*synic_read)(u32 msr);
	void (*synic_write)(u32 msr, u64 val);
	int (*sint_handler_set)(void (*handler)(void));
	void (*sint_handler_clear)(void);
};

/* Exported (GPL) by hv_sim.ko; the driver finds it with symbol_get(). */
extern const struct hv_backend hv_sim_backend;

#endif /* HV_BACKEND_H */
