// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters backend and attach_mode (pci_devs_to_skip is skip.c's),
 * and the ACS and slot checks IOMMU grouping and the skip list share.
 */
#include "hv_iommu.h"

#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/string.h>

/* backend=auto|hyperv|sim, read only after load. */
static char hv_iommu_backend_want[8] = "auto";

static int hv_iommu_backend_set(const char *val, const struct kernel_param *kp)
{
	char word[8];

	strscpy(word, val, sizeof(word));
	strim(word);
	if (strcmp(word, "auto") && strcmp(word, "hyperv") && strcmp(word, "sim")) {
		pr_err("backend: '%s' is not auto, hyperv or sim\n", word);
		return -EINVAL;
	}
	strscpy(hv_iommu_backend_want, word, sizeof(hv_iommu_backend_want));
	return 0;
}

static int hv_iommu_backend_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", hv_iommu_backend_want);
}

static const struct kernel_param_ops hv_iommu_backend_ops = {
	.set = hv_iommu_backend_set,
	.get = hv_iommu_backend_get,
};
module_param_cb(backend, &hv_iommu_backend_ops, NULL, 0444);
MODULE_PARM_DESC(backend, "hypervisor backend: auto (default), hyperv or sim");

/**
 * hv_iommu_backend_param() - the backend asked for at load
 *
 * Return: "auto", "hyperv" or "sim".
 */
const char *hv_iommu_backend_param(void)
{
	return hv_iommu_backend_want;
}

/* attach_mode=auto|domain. */
enum hv_iommu_attach_mode hv_iommu_attach_mode = HV_IOMMU_ATTACH_AUTO;

static const char * const hv_iommu_attach_mode_names[] = {
	[HV_IOMMU_ATTACH_AUTO] = "auto",
	[HV_IOMMU_ATTACH_DOMAIN] = "domain",
};

static int hv_iommu_attach_mode_set(const char *val,
				    const struct kernel_param *kp)
{
	int i = sysfs_match_string(hv_iommu_attach_mode_names, val);
	char word[16];

	if (i < 0) {
		strscpy(word, val, sizeof(word));
		pr_err("attach_mode: '%s' is not auto or domain\n", strim(word));
		return -EINVAL;
	}
	WRITE_ONCE(hv_iommu_attach_mode, i);
	return 0;
}

static int hv_iommu_attach_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hv_iommu_attach_mode_names[READ_ONCE(hv_iommu_attach_mode)]);
}

static const struct kernel_param_ops hv_iommu_attach_mode_ops = {
	.set = hv_iommu_attach_mode_set,
	.get = hv_iommu_attach_mode_get,
};
module_param_cb(attach_mode, &hv_iommu_attach_mode_ops, NULL, 0644);
MODULE_PARM_DESC(attach_mode,
		 "auto (direct attach when the attaching process owns a guest partition) or domain (always device domains)");

/**
 * hv_iommu_acs_isolated() - is a PCI function isolated from its slot's others
 * @pdev: the function.
 *
 * True if it has ACS with source validation, request and completion
 * redirect and upstream forwarding enabled (the flags the core's
 * pci_device_group() asks for; pci_acs_enabled() is not exported).
 * Device-specific ACS quirks are not seen: a device they cover counts as
 * not isolated, which only ever groups and skips more, never less.
 *
 * Context: any (config space read).
 * Return: true if isolated.
 */
bool hv_iommu_acs_isolated(struct pci_dev *pdev)
{
	const u16 want = PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF;
	u16 ctrl = 0;
	int pos;

	if (!pci_is_pcie(pdev))
		return false;
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ACS);
	if (!pos)
		return false;
	pci_read_config_word(pdev, pos + PCI_ACS_CTRL, &ctrl);
	return (ctrl & want) == want;
}

/**
 * hv_iommu_slot_shared() - may @pdev share its slot's IOMMU group
 * @pdev: the function.
 *
 * True for a function of a multi-function device without ACS.  Whether the
 * slot is multi-function is function 0's header type: a function above 0
 * is added to the device model (and probed) before pci_scan_slot() sets its
 * multifunction flag, so on a hot rescan the flag is not there yet.
 *
 * Context: process context (takes pci_bus_sem for reading).
 * Return: true if so.
 */
bool hv_iommu_slot_shared(struct pci_dev *pdev)
{
	struct pci_dev *fn0;
	bool multi = pdev->multifunction;

	if (!multi && PCI_FUNC(pdev->devfn)) {
		fn0 = pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), 0));
		multi = fn0 && fn0->multifunction;
		pci_dev_put(fn0);
	}
	return multi && !hv_iommu_acs_isolated(pdev);
}
