/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's name for a PCI function: union hv_device_id, PCI form,
 * built from the requester id its DMA carries when it reaches the root
 * complex.  Shared by the driver (which names devices with it) and the
 * simulator (which knows devices by it and refuses any other id).
 *
 * A function behind a PCIe-to-PCI or conventional PCI bridge is seen with
 * an id the bridge puts on the wire, not its own.  The rules are those of
 * pci_for_each_dma_alias() (drivers/pci/search.c, 6.1 and 6.12), which
 * in-tree IOMMU drivers use and which is not exported to modules; only the
 * aliases bridges introduce count (per-function quirk aliases on the
 * function's own bus do not rename the device to the hypervisor):
 *  - PCIe root and switch ports pass the id on unchanged;
 *  - a PCIe-to-PCI bridge (and a conventional bridge with the
 *    PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS quirk) takes ownership with its
 *    secondary bus number and devfn 0;
 *  - a PCI-to-PCIe bridge and a conventional PCI bridge use their own id.
 * The topmost bridge that renames wins.  Two more fields complete the id:
 *  - the renaming bridge in PCI-X mode (PCI-X secondary status, bus
 *    mode/frequency bits set): ids are unreliable on a PCI-X bus (split
 *    completions), so the id carries the bridge's bus range, source_shadow
 *    set;
 *  - phantom functions enabled (PCIe Device Control bit 9): the number of
 *    phantom function bits (Device Capabilities bits 3-4) in bits 48-49.
 */
#ifndef HV_PCI_ID_H
#define HV_PCI_ID_H

#include <linux/bitfield.h>
#include <linux/pci.h>

#include "hv_abi.h"

/* The requester id reaching the root; *@bridge: the renaming bridge or NULL. */
static inline u16 hv_pci_wire_rid(struct pci_dev *pdev,
				  struct pci_dev **bridge)
{
	u16 rid = pci_dev_id(pdev);
	struct pci_bus *bus;
	struct pci_dev *br;

	*bridge = NULL;
	for (bus = pdev->bus; !pci_is_root_bus(bus); bus = bus->parent) {
		br = bus->self;
		if (!br)
			continue;	/* a virtual bus (SR-IOV) */
		if (pci_is_pcie(br)) {
			switch (pci_pcie_type(br)) {
			case PCI_EXP_TYPE_PCI_BRIDGE:
				rid = PCI_DEVID(br->subordinate->number, 0);
				break;
			case PCI_EXP_TYPE_PCIE_BRIDGE:
				rid = pci_dev_id(br);
				break;
			default:
				continue;	/* ports forward the id */
			}
		} else if (br->dev_flags & PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS) {
			rid = PCI_DEVID(br->subordinate->number, 0);
		} else {
			rid = pci_dev_id(br);
		}
		*bridge = br;
	}
	return rid;
}

/* Bits 32-50 for a renaming bridge in PCI-X mode, else 0. */
static inline u64 hv_pci_pcix_shadow(struct pci_dev *bridge)
{
	int pos = pci_find_capability(bridge, PCI_CAP_ID_PCIX);
	u8 secondary = 0, subordinate = 0;
	u16 status = 0;

	if (!pos)
		return 0;
	pci_read_config_word(bridge, pos + PCI_X_BRIDGE_SSTATUS, &status);
	if (!(status & PCI_X_SSTATUS_FREQ))
		return 0;	/* conventional mode: the id alone names it */
	pci_read_config_byte(bridge, PCI_SECONDARY_BUS, &secondary);
	pci_read_config_byte(bridge, PCI_SUBORDINATE_BUS, &subordinate);
	return HV_DEVICE_ID_SOURCE_SHADOW |
	       (u64)secondary << HV_DEVICE_ID_SHADOW_SEC_SHIFT |
	       (u64)subordinate << HV_DEVICE_ID_SHADOW_SUB_SHIFT;
}

/* Bits 48-49: phantom function bits in use, 0 when phantoms are off. */
static inline u64 hv_pci_phantom_bits(struct pci_dev *pdev)
{
	u32 devcap = 0;
	u16 devctl = 0;

	if (!pci_is_pcie(pdev))
		return 0;
	pcie_capability_read_word(pdev, PCI_EXP_DEVCTL, &devctl);
	if (!(devctl & PCI_EXP_DEVCTL_PHANTOM))
		return 0;
	pcie_capability_read_dword(pdev, PCI_EXP_DEVCAP, &devcap);
	return (u64)FIELD_GET(PCI_EXP_DEVCAP_PHANTOM, devcap)
	       << HV_DEVICE_ID_PHANTOM_SHIFT;
}

/**
 * hv_pci_device_id() - the hypervisor device id of a PCI function
 * @pdev: the function.
 * @segment: its PCI segment, already checked to fit 16 bits.
 * @aliased: set to true if the id is a bridge's, not the function's own
 *	requester id (every function behind that bridge shares it).
 *
 * Context: process context (config space reads).
 * Return: union hv_device_id, PCI form.
 */
static inline u64 hv_pci_device_id(struct pci_dev *pdev, u16 segment,
				   bool *aliased)
{
	struct pci_dev *bridge;
	u16 rid = hv_pci_wire_rid(pdev, &bridge);
	u64 id = hv_device_id_pci(segment, PCI_BUS_NUM(rid), rid & 0xff);

	*aliased = bridge != NULL;
	return id | (bridge ? hv_pci_pcix_shadow(bridge) :
			      hv_pci_phantom_bits(pdev));
}

#endif /* HV_PCI_ID_H */
