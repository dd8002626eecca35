// SPDX-License-Identifier: GPL-2.0
/*
 * Bus mastering off across a hop through the default domain.
 *
 * The hypervisor attaches a device to a device domain, the null domain or a
 * guest partition only from its default domain 0, the identity domain that
 * reaches all of the root's memory (HVCALL_ATTACH_DEVICE_DOMAIN and
 * HVCALL_ATTACH_DEVICE refuse a device that is elsewhere).  Moving a device
 * between two other domains is therefore detach (to domain 0), then attach.
 * The iommu core's contract for such a change (drivers/iommu/iommu.c,
 * __iommu_group_set_domain() of 6.1, __iommu_group_set_domain_internal() of
 * 6.12: "DMA must only be able to access either new_domain or
 * group->domain, never something else") forbids the device to reach
 * domain 0 meanwhile, so its
 * bus mastering is turned off for the hop and put back afterwards, with
 * user-space config access (sysfs, VFIO) blocked so that nobody turns it on
 * in between.  The block is only tried: whoever holds it already (a reset
 * under pci_dev_lock(), which newer kernels let block the device through
 * the IOMMU) keeps user space out too, and waiting for it here would
 * deadlock.  The command register is written directly: pdev->is_busmaster
 * is the owner's record and does not change.
 */
#include "hv_iommu.h"

#include <linux/pci.h>

/**
 * hv_iommu_hop_begin() - turn a device's bus mastering off for a hop
 * @hd: the device record.
 * @hop: filled in; pass it to hv_iommu_hop_end().
 *
 * A record whose device was released has no device to quiesce.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_hop_begin(struct hv_iommu_dev *hd, struct hv_iommu_hop *hop)
{
	hop->pdev = hd->dev && dev_is_pci(hd->dev) ? to_pci_dev(hd->dev) : NULL;
	hop->command = 0;
	if (!hop->pdev)
		return;
	hop->blocked = pci_cfg_access_trylock(hop->pdev);
	pci_read_config_word(hop->pdev, PCI_COMMAND, &hop->command);
	if (hop->command & PCI_COMMAND_MASTER)
		pci_write_config_word(hop->pdev, PCI_COMMAND,
				      hop->command & ~PCI_COMMAND_MASTER);
}

/**
 * hv_iommu_hop_end() - end a hop, putting bus mastering back if safe
 * @hd: the device record.
 * @hop: as filled by hv_iommu_hop_begin().
 *
 * Bus mastering comes back only if the device is out of the default
 * domain (it got where it was going, or back where it was); a device left
 * in domain 0 stays quiet, and the log says so.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_hop_end(struct hv_iommu_dev *hd, struct hv_iommu_hop *hop)
{
	if (!hop->pdev)
		return;
	if (hop->command & PCI_COMMAND_MASTER) {
		if (hd->domain != &hv_iommu_identity)
			pci_write_config_word(hop->pdev, PCI_COMMAND,
					      hop->command);
		else
			pci_err(hop->pdev, "left in the default domain after a refused attach: bus mastering stays off\n");
	}
	if (hop->blocked)
		pci_cfg_access_unlock(hop->pdev);
}
