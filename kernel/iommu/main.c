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

static struct hv_iommu_dev *hv_iommu_dev_find(u64 device_id)
{
	struct hv_iommu_dev *hd;

	list_for_each_entry(hd, &hv_iommu_devices, list)
		if (hd->device_id == device_id)
			return hd;
	return NULL;
}

static struct iommu_device *hv_iommu_probe_device(struct device *dev)
{
	const struct device_driver *drv;
	struct hv_iommu_dev *hd;
	struct pci_dev *pdev;
	u64 device_id;
	char bdf[16];
	u16 segment;

	if (!dev_is_pci(dev))
		return ERR_PTR(-ENODEV);
	pdev = to_pci_dev(dev);
	segment = pci_domain_nr(pdev->bus);
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x", segment,
		 pdev->bus->number, PCI_SLOT(pdev->devfn),
		 PCI_FUNC(pdev->devfn));

	/*
	 * The hypervisor does not say which devices it uses itself (a
	 * debugger NIC, say); the operator lists them in pci_devs_to_skip.
	 */
	if (hv_iommu_skip_lookup(segment, pdev->bus->number, pdev->devfn)) {
		dev_info(dev, "not claimed: listed in pci_devs_to_skip\n");
		hv_iommu_skipped_record(bdf, HV_SKIP_LISTED);
		return ERR_PTR(-ENODEV);
	}
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
		hv_iommu_skipped_record(bdf, HV_SKIP_BOUND);
		return ERR_PTR(-ENODEV);
	}
	hv_iommu_skipped_record(bdf, NULL);

	device_id = hv_device_id_pci(segment, pdev->bus->number, pdev->devfn);
	mutex_lock(&hv_iommu_lock);
	/* A record left by a refused detach at release: the device is back. */
	hd = hv_iommu_dev_find(device_id);
	if (hd && hd->dev) {
		mutex_unlock(&hv_iommu_lock);
		dev_err(dev, "already probed as %s\n", dev_name(hd->dev));
		return ERR_PTR(-EBUSY);
	}
	if (!hd) {
		hd = kzalloc(sizeof(*hd), GFP_KERNEL);
		if (!hd) {
			mutex_unlock(&hv_iommu_lock);
			return ERR_PTR(-ENOMEM);
		}
		hd->device_id = device_id;
		strscpy(hd->bdf, bdf, sizeof(hd->bdf));
		hd->domain = &hv_iommu_identity;
		list_add_tail(&hd->domain_node, &hv_iommu_identity.devices);
		list_add_tail(&hd->list, &hv_iommu_devices);
	}
	hd->dev = dev;
	hd->target = &hv_iommu_identity;
	dev_iommu_priv_set(dev, hd);
	mutex_unlock(&hv_iommu_lock);
	return &hv_iommu_device;
}

static void hv_iommu_release_device(struct device *dev)
{
	struct hv_iommu_dev *hd = dev_iommu_priv_get(dev);

	if (!hd)
		return;
	mutex_lock(&hv_iommu_lock);
	dev_iommu_priv_set(dev, NULL);
	hd->target = &hv_iommu_identity;
	if (hv_iommu_dev_move(hd, &hv_iommu_identity)) {
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

static struct iommu_group *hv_iommu_device_group(struct device *dev)
{
	if (dev_is_pci(dev))
		return pci_device_group(dev);
	return generic_device_group(dev);
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

	/* State is initialised (static); now make it visible. */
	hv_iommu_debugfs_init();
	ret = iommu_device_sysfs_add(&hv_iommu_device, NULL,
				     hv_iommu_sysfs_groups, "%s",
				     HV_IOMMU_NAME);
	if (ret) {
		pr_err("iommu_device_sysfs_add failed: %d\n", ret);
		goto err_debugfs;
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
err_debugfs:
	hv_iommu_debugfs_cleanup();
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
