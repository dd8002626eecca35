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

/*
 * What each role may do.  One code path for both; where they differ, it
 * asks this table.  Root: the hypervisor's default stage-2 domain 0 holds
 * every device at boot, device domains (created, mapped page by page) and
 * direct attach are offered.  L1VH (an L1 virtual host, seed 001): the
 * hypervisor offers no device domains there and no default stage-2 domain
 * 0 to return to; a device the host owns stays in its partition's own
 * stage 2 and can only be direct-attached to a guest partition (or put in
 * the null domain, which blocks it).
 */
static const struct hv_iommu_policy hv_iommu_policies[] = {
	[HV_ROLE_ROOT] = { .name = "root", .device_domains = true },
	[HV_ROLE_L1VH] = { .name = "l1vh", .device_domains = false },
};

/* Set with hv_iommu_backend, from its role(). */
const struct hv_iommu_policy *hv_iommu_policy;

static void hv_iommu_policy_select(void)
{
	enum hv_role role = HV_ROLE_ROOT;

	if (hv_iommu_backend->role)
		role = hv_iommu_backend->role();
	if (role >= ARRAY_SIZE(hv_iommu_policies)) {
		pr_warn("backend %s reports an unknown role %d; assuming root\n",
			hv_iommu_backend->name, role);
		role = HV_ROLE_ROOT;
	}
	hv_iommu_policy = &hv_iommu_policies[role];
}

/**
 * hv_iommu_backend_select() - choose the hypervisor backend
 * @want: "auto", "hyperv" or "sim".
 *
 * The simulator is found with symbol_get(hv_sim_backend) and kept for good
 * (hv_iommu has no exit, so the reference is never put; hv_sim cannot be
 * unloaded while hv_iommu uses it).
 *
 * The backend's role (root or L1VH) picks the policy, hv_iommu_policy.
 *
 * Context: module init.
 * Return: 0 and hv_iommu_backend and hv_iommu_policy set, or -ENODEV with a
 * log line saying why.
 */
int hv_iommu_backend_select(const char *want)
{
	bool auto_ = !strcmp(want, "auto");
	const char *why = NULL;
	const struct hv_backend *be;

	if (auto_ || !strcmp(want, "hyperv")) {
		if (hv_iommu_hyperv_usable(&why)) {
			hv_iommu_backend = &hv_iommu_hyperv_backend;
			hv_iommu_policy_select();
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
	hv_iommu_policy_select();
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
