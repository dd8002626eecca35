// SPDX-License-Identifier: GPL-2.0
/*
 * Backend selection: module parameter backend=auto|hyperv|sim.  "auto"
 * prefers real Hyper-V and falls back to the simulator when hv_sim is loaded.
 */
#include "hv_iommu.h"
#include "backend_hyperv.h"

#include <linux/module.h>
#include <linux/string.h>

/* The backend in use; set once at init, never changes (no module exit). */
const struct hv_backend *hv_iommu_backend;
EXPORT_SYMBOL_NS_GPL(hv_iommu_backend, HV_IOMMU_NS);

/**
 * hv_iommu_backend_select() - choose the hypervisor backend
 * @want: "auto", "hyperv" or "sim".
 *
 * The simulator is found with symbol_get(hv_sim_backend) and kept for good
 * (hv_iommu has no exit, so the reference is never put; hv_sim cannot be
 * unloaded while hv_iommu uses it).
 *
 * Context: module init.
 * Return: 0 and hv_iommu_backend set, or -ENODEV with a log line saying why.
 */
int hv_iommu_backend_select(const char *want)
{
	bool auto_ = !strcmp(want, "auto");
	const char *why = NULL;
	const struct hv_backend *be;

	if (auto_ || !strcmp(want, "hyperv")) {
		if (hv_iommu_hyperv_usable(&why)) {
			hv_iommu_backend = &hv_iommu_hyperv_backend;
			return 0;
		}
		if (!auto_) {
			pr_err("no hypervisor backend: %s\n", why);
			return -ENODEV;
		}
	}
	be = symbol_get(hv_sim_backend);
	if (!be) {
		if (auto_)
			pr_err("no hypervisor backend: %s, and hv_sim is not loaded\n",
			       why);
		else
			pr_err("no hypervisor backend: backend=sim but hv_sim is not loaded\n");
		return -ENODEV;
	}
	if (!be->input_page || !be->hypercall) {
		symbol_put(hv_sim_backend);
		pr_err("no hypervisor backend: hv_sim's backend is incomplete\n");
		return -ENODEV;
	}
	hv_iommu_backend = be;
	return 0;
}

/**
 * hv_iommu_backend_release() - undo hv_iommu_backend_select()
 *
 * Only on a failed module init: drops the reference on hv_sim.
 *
 * Context: module init.
 */
void hv_iommu_backend_release(void)
{
	if (hv_iommu_backend && hv_iommu_backend != &hv_iommu_hyperv_backend)
		symbol_put(hv_sim_backend);
	hv_iommu_backend = NULL;
}
