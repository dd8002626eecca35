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
 * in between.  Every function whose DMA carries the same device id (a
 * PCIe-to-PCI bridge and the devices behind it) hops with it, so each of
 * them is quiesced, not only the one the core happens to attach first.
 * The block is only tried: whoever holds it already (a reset
 * under pci_dev_lock(), which newer kernels let block the device through
 * the IOMMU) keeps user space out too, and waiting for it here would
 * deadlock.  The command register is written directly: pdev->is_busmaster
 * is the owner's record and does not change.
 */
#include "hv_iommu.h"

#include <linux/pci.h>

/* The PCI device behind a record, or NULL (released: nothing to quiesce). */
static struct pci_dev *hv_hop_pdev(struct hv_iommu_dev *hd)
{
	return hd->dev && dev_is_pci(hd->dev) ? to_pci_dev(hd->dev) : NULL;
}

static void hv_hop_quiesce(struct hv_iommu_dev *s)
{
	struct pci_dev *pdev = hv_hop_pdev(s);

	s->hop_command = 0;
	s->hop_blocked = false;
	if (!pdev)
		return;
	s->hop_blocked = pci_cfg_access_trylock(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &s->hop_command);
	if (s->hop_command & PCI_COMMAND_MASTER)
		pci_write_config_word(pdev, PCI_COMMAND,
				      s->hop_command & ~PCI_COMMAND_MASTER);
}

static void hv_hop_restore(struct hv_iommu_dev *s, bool in_default)
{
	struct pci_dev *pdev = hv_hop_pdev(s);

	if (!pdev)
		return;
	if (s->hop_command & PCI_COMMAND_MASTER) {
		if (!in_default)
			pci_write_config_word(pdev, PCI_COMMAND, s->hop_command);
		else
			pci_err(pdev, "left in the default domain after a refused attach: bus mastering stays off\n");
	}
	if (s->hop_blocked)
		pci_cfg_access_unlock(pdev);
	s->hop_blocked = false;
}

/**
 * hv_iommu_hop_begin() - turn bus mastering off for a hop
 * @hd: the device record that moves; every record sharing its device id
 *	(hv_iommu_dev.device_id) is quiesced too.
 *
 * Each record keeps its command register until hv_iommu_hop_end().
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_hop_begin(struct hv_iommu_dev *hd)
{
	struct hv_iommu_dev *s;

	lockdep_assert_held(&hv_iommu_lock);
	list_for_each_entry(s, &hv_iommu_devices, list)
		if (s == hd || s->device_id == hd->device_id)
			hv_hop_quiesce(s);
}

/**
 * hv_iommu_hop_end() - end a hop, putting bus mastering back if safe
 * @hd: the device record passed to hv_iommu_hop_begin().
 *
 * Bus mastering comes back only if the device is out of the default
 * domain (it got where it was going, or back where it was); devices left
 * in domain 0 stay quiet, and the log says so.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_hop_end(struct hv_iommu_dev *hd)
{
	bool in_default = hd->domain == &hv_iommu_identity;
	struct hv_iommu_dev *s;

	lockdep_assert_held(&hv_iommu_lock);
	list_for_each_entry(s, &hv_iommu_devices, list)
		if (s == hd || s->device_id == hd->device_id)
			hv_hop_restore(s, in_default);
}
