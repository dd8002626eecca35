// SPDX-License-Identifier: GPL-2.0
/*
 * hv_iommu: IOMMU driver for PCI device passthrough on Hyper-V, for a Linux
 * kernel running as the root partition or an L1VH parent (or on the
 * simulator, hv_sim).
 *
 * At boot the hypervisor puts every device in its default stage-2 domain 0,
 * which is what Linux calls an identity domain: the default domain of every
 * group is identity and nothing is mapped for the host's own DMA.  Paging
 * domains (VFIO, iommufd) become hypervisor device domains with map/unmap
 * hypercalls, or direct attaches of the device to a guest partition.
 *
 * This file: module init, iommu_ops, probe and release.  The module has no
 * exit: every probed device holds a reference on it, as with every IOMMU
 * driver, so it could never be unloaded anyway.
 */
#include "hv_iommu.h"
#include "hv_pci_id.h"

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

/* Device records, domain device lists, modes, attach/detach. */
DEFINE_MUTEX(hv_iommu_lock);
/* Every hv_iommu_dev, in probe order; under hv_iommu_lock. */
LIST_HEAD(hv_iommu_devices);
/* The one IOMMU instance. */
struct iommu_device hv_iommu_device;

static bool hv_iommu_capable(struct device *dev, enum iommu_cap cap)
{
	/* The hypervisor's stage-2 tables keep DMA cache coherent. */
	return cap == IOMMU_CAP_CACHE_COHERENCY;
}

/* The record of a function, by BDF (one left by a refused release too). */
static struct hv_iommu_dev *hv_iommu_dev_find(const char *bdf)
{
	struct hv_iommu_dev *hd;

	list_for_each_entry(hd, &hv_iommu_devices, list)
		if (!strcmp(hd->bdf, bdf))
			return hd;
	return NULL;
}

/*
 * Another function's record with the same hypervisor device id.  Functions
 * whose DMA a bridge tags with its own id share it legitimately: the
 * hypervisor cannot tell them apart, pci_device_group() puts them in one
 * group and the core always gives them the same domain.  Two functions
 * that both use their own requester id and still get one id collide.
 */
static struct hv_iommu_dev *hv_iommu_dev_same_id(u64 device_id,
						 const char *bdf)
{
	struct hv_iommu_dev *hd;

	list_for_each_entry(hd, &hv_iommu_devices, list)
		if (hd->device_id == device_id && strcmp(hd->bdf, bdf))
			return hd;
	return NULL;
}

/*
 * Decline a device.  Always -ENODEV: the core skips such a device, where
 * any other error from probe_device fails bus_iommu_probe() and with it
 * iommu_device_register() (6.1 iommu.c: probe_iommu_group() turns only
 * -ENODEV into 0), which on 6.1 leaves bus->iommu_ops pointing into this
 * module after its init failed.
 */
static struct iommu_device *hv_iommu_decline(const char *bdf,
					     enum hv_iommu_skip_reason why)
{
	hv_iommu_skipped_record(bdf, why);
	return ERR_PTR(-ENODEV);
}

static struct iommu_device *hv_iommu_probe_device(struct device *dev)
{
	const struct device_driver *drv;
	enum hv_iommu_skip_reason skip;
	struct hv_iommu_dev *hd, *sibling;
	struct pci_dev *pdev;
	bool aliased, collide;
	u64 device_id;
	char bdf[16];
	int segment;

	if (!dev_is_pci(dev))
		return ERR_PTR(-ENODEV);
	pdev = to_pci_dev(dev);
	segment = pci_domain_nr(pdev->bus);
	hv_iommu_probe_fault(dev_name(dev), &segment);
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x", segment & 0xffff,
		 pdev->bus->number, PCI_SLOT(pdev->devfn),
		 PCI_FUNC(pdev->devfn));

	/* union hv_device_id has 16 bits of segment (VMD domains do not fit). */
	if (segment < 0 || segment > 0xffff) {
		dev_err(dev, "not claimed: PCI segment 0x%x does not fit the hypervisor's 16-bit device id\n",
			segment);
		return hv_iommu_decline(dev_name(dev), HV_IOMMU_SKIP_SEGMENT);
	}
	device_id = hv_pci_device_id(pdev, segment, &aliased);
	collide = hv_iommu_probe_fault_collide(bdf);
	aliased &= !collide;
	/*
	 * The hypervisor does not say which devices it uses itself (a
	 * debugger NIC, say); the operator lists them (skip.c).
	 * What shares a group with a listed function is declined with it.
	 */
	skip = hv_iommu_skip_check(pdev, segment, device_id);
	if (skip == HV_IOMMU_SKIP_GROUP)
		dev_info(dev, "not claimed: shares its IOMMU group with a function on the skip list\n");
	else if (skip != HV_IOMMU_SKIP_NONE)
		dev_info(dev, "not claimed: on the skip list (%s)\n",
			 hv_iommu_skip_reason_name(skip));
	if (skip != HV_IOMMU_SKIP_NONE)
		return hv_iommu_decline(bdf, skip);
	/*
	 * The core probes a device for its IOMMU before a driver binds
	 * (iommu_bus_notifier(), BUS_NOTIFY_ADD_DEVICE); one already bound
	 * when this driver registers had its DMA set up without an IOMMU,
	 * and taking it from under a live driver is what iommu.c (6.15+,
	 * __iommu_probe_device()) WARNs about: "late IOMMU probe at driver
	 * bind".  Leave it in the hypervisor's default domain, where it is
	 * anyway, and say how to get it claimed: load hv_iommu from the
	 * initramfs (the package's hooks), or remove and rescan the device.
	 * The same unlocked read as the core's.
	 */
	drv = READ_ONCE(dev->driver);
	if (drv) {
		dev_info(dev, "not claimed: bound to %s before hv_iommu loaded (remove and rescan it to claim it)\n",
			 drv->name);
		return hv_iommu_decline(bdf, HV_IOMMU_SKIP_BOUND);
	}

	mutex_lock(&hv_iommu_lock);
	hd = hv_iommu_dev_find(bdf);
	if (collide) {
		sibling = list_first_entry_or_null(&hv_iommu_devices,
						   struct hv_iommu_dev, list);
		if (sibling && sibling != hd)
			device_id = sibling->device_id;
	}
	sibling = hv_iommu_dev_same_id(device_id, bdf);
	if ((hd && hd->dev) ||
	    (sibling && sibling->dev && !aliased && !sibling->aliased)) {
		mutex_unlock(&hv_iommu_lock);
		dev_err(dev, "not claimed: hypervisor device id 0x%llx is already %s's\n",
			device_id, hd && hd->dev ? bdf : sibling->bdf);
		return hv_iommu_decline(bdf, HV_IOMMU_SKIP_ID_COLLISION);
	}
	if (!hd) {
		hd = kzalloc(sizeof(*hd), GFP_KERNEL);
		if (!hd) {
			mutex_unlock(&hv_iommu_lock);
			dev_err(dev, "not claimed: out of memory\n");
			return hv_iommu_decline(bdf, HV_IOMMU_SKIP_NOMEM);
		}
		hd->device_id = device_id;
		hd->aliased = aliased;
		strscpy(hd->bdf, bdf, sizeof(hd->bdf));
		/* Where the hypervisor has the shared id, or domain 0. */
		hd->domain = &hv_iommu_identity;
		list_add_tail(&hd->domain_node, &hv_iommu_identity.devices);
		list_add_tail(&hd->list, &hv_iommu_devices);
		if (sibling)
			hv_iommu_dev_follow(hd, sibling);
	}
	hd->dev = dev;
	hd->target = &hv_iommu_identity;
	dev_iommu_priv_set(dev, hd);
	mutex_unlock(&hv_iommu_lock);
	hv_iommu_skipped_record(bdf, HV_IOMMU_SKIP_NONE);
	if (aliased)
		dev_info(dev, "DMA reaches the hypervisor as device id 0x%llx (a bridge's alias)\n",
			 device_id);
	return &hv_iommu_device;
}

static void hv_iommu_release_device(struct device *dev)
{
	struct hv_iommu_dev *hd = dev_iommu_priv_get(dev);

	if (!hd)
		return;
	/*
	 * dev->iommu (and with it the private pointer) is freed by the core
	 * right after this (dev_iommu_free(), 6.12 iommu.c:505); clearing it
	 * here would call dev_iommu_priv_set() without the probe lock it
	 * asserts (6.12 iommu.c:393, lockdep on the debug kernel).
	 */
	mutex_lock(&hv_iommu_lock);
	hd->target = &hv_iommu_identity;
	if (hv_iommu_dev_has_live_sibling(hd)) {
		/* The shared id stays where the group's other functions are. */
		list_del(&hd->domain_node);
		list_del(&hd->list);
		kfree(hd);
	} else if (hv_iommu_dev_move(hd, &hv_iommu_identity)) {
		/* The hypervisor keeps it: so do the books, without the dev. */
		dev_err(dev, "released while the hypervisor keeps it in domain %u\n",
			hd->domain->id);
		hd->dev = NULL;
	} else {
		list_del(&hd->domain_node);
		list_del(&hd->list);
		kfree(hd);
	}
	mutex_unlock(&hv_iommu_lock);
}

/*
 * The group of a function of a multi-function device without ACS is its
 * slot's.  pci_device_group() looks for a sibling's group only when the
 * function's multifunction flag is set, which on a hot rescan it is not yet
 * for functions above 0 (pci_device_add() adds them to the device model,
 * and so probes them, before pci_scan_slot() sets the flag): on 6.1 and
 * 6.12, removing both functions of a slot and rescanning gave function 1 a
 * group of its own, next to function 0 it is not isolated from.  Look for
 * a sibling's group first (hv_iommu_slot_shared() asks function 0), then
 * let the core decide.
 */
static struct iommu_group *hv_iommu_slot_group(struct pci_dev *pdev)
{
	struct iommu_group *group = NULL;
	struct pci_dev *sibling;
	unsigned int fn;

	if (!hv_iommu_slot_shared(pdev))
		return NULL;
	for (fn = 0; fn < 8 && !group; fn++) {
		if (fn == PCI_FUNC(pdev->devfn))
			continue;
		sibling = pci_get_slot(pdev->bus,
				       PCI_DEVFN(PCI_SLOT(pdev->devfn), fn));
		if (sibling && !hv_iommu_acs_isolated(sibling))
			group = iommu_group_get(&sibling->dev);
		pci_dev_put(sibling);
	}
	return group;
}

static struct iommu_group *hv_iommu_device_group(struct device *dev)
{
	struct iommu_group *group;

	if (!dev_is_pci(dev))
		return generic_device_group(dev);
	group = hv_iommu_slot_group(to_pci_dev(dev));
	return group ? group : pci_device_group(dev);
}

static int hv_iommu_def_domain_type(struct device *dev)
{
	/* The hypervisor's default domain 0, where every device starts. */
	return IOMMU_DOMAIN_IDENTITY;
}

static const struct iommu_ops hv_iommu_ops = {
	.capable = hv_iommu_capable,
	HV_COMPAT_IOMMU_OPS_DOMAINS(hv_iommu_domain_alloc_paging,
				    hv_iommu_domain_alloc,
				    &hv_iommu_identity.domain,
				    &hv_iommu_blocked.domain),
	.probe_device = hv_iommu_probe_device,
	.release_device = hv_iommu_release_device,
	.device_group = hv_iommu_device_group,
	.def_domain_type = hv_iommu_def_domain_type,
	.get_resv_regions = hv_iommu_get_resv_regions,
	.default_domain_ops = &hv_iommu_paging_ops,
	HV_COMPAT_IOMMU_OPS_PGSIZE(SZ_4K)
	.owner = THIS_MODULE,
};

static int __init hv_iommu_init(void)
{
	int ret;

	hv_abi_layout_checks();

	ret = hv_iommu_backend_select(hv_iommu_backend_param());
	if (ret)
		return ret;

	ret = hv_iommu_skip_init();
	if (ret)
		goto err_backend;
	/* State is initialised (static); now make it visible. */
	hv_iommu_debugfs_init();
	ret = hv_iommu_nl_init();
	if (ret)
		goto err_debugfs;
	ret = iommu_device_sysfs_add(&hv_iommu_device, NULL,
				     hv_iommu_sysfs_groups, "%s",
				     HV_IOMMU_NAME);
	if (ret) {
		pr_err("iommu_device_sysfs_add failed: %d\n", ret);
		goto err_nl;
	}
	/* Probes the PCI devices present: they start in the identity domain. */
	ret = iommu_device_register(&hv_iommu_device, &hv_iommu_ops, NULL);
	if (ret) {
		pr_err("iommu_device_register failed: %d\n", ret);
		goto err_sysfs;
	}
	pr_info("registered with the %s backend\n", hv_iommu_backend->name);
	return 0;

err_sysfs:
	iommu_device_sysfs_remove(&hv_iommu_device);
err_nl:
	hv_iommu_nl_cleanup();
err_debugfs:
	hv_iommu_debugfs_cleanup();
	hv_iommu_skip_cleanup();
err_backend:
	hv_iommu_backend_release();
	return ret;
}
module_init(hv_iommu_init);
/*
 * No module_exit(): probed devices hold references on the module, and the
 * IOMMU core has no way to hand devices back; the module stays loaded.
 */

MODULE_DESCRIPTION("IOMMU driver for PCI passthrough on Hyper-V (device domains, direct attach)");
MODULE_LICENSE("GPL");
