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
 */
struct hv_backend {
	const char *name;
	struct module *owner;
	void *(*input_page)(void);
	void *(*output_page)(void);
	u64 (*hypercall)(u64 control, void *input, void *output);
};

/* Exported (GPL) by hv_sim.ko; the driver finds it with symbol_get(). */
extern const struct hv_backend hv_sim_backend;

#endif /* HV_BACKEND_H */
