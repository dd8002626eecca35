// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim devices: the PCI devices the hypervisor knows, where each one is
 * (a device domain or a guest partition).  Real Hyper-V learns the devices
 * from firmware at boot; the simulator takes a snapshot of the PCI bus at
 * load and follows hot add and removal with a bus notifier.  Every device
 * starts in the default domain.
 *
 * A device is what the hypervisor sees on the wire: one requester id
 * (hv_pci_device_id(), kernel/include/hv_pci_id.h).  Functions behind a
 * PCIe-to-PCI or conventional PCI bridge reach it with the bridge's id, so
 * they are one device here, known only by that id: a call naming such a
 * function by its own requester id names no device (INVALID_PARAMETER), as
 * does an id whose shadow bus / phantom / source shadow fields differ from
 * what the topology gives.
 *
 * A device whose functions all left the bus while it sits in a domain other
 * than the default one, or is direct-attached, keeps its record (the
 * hypervisor still holds it) until it is detached; otherwise its record
 * goes with it.
 */

#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "hv_pci_id.h"
#include "sim.h"

#define HV_SIM_DEVICE_KEY_MASK	(HV_DEVICE_ID_SEGMENT_MASK | HV_DEVICE_ID_RID_MASK)

/**
 * hv_sim_device_lookup() - find the device a PCI-form device id names
 * @device_id: union hv_device_id, PCI form, as the topology names the
 *	device: its wire requester id and the shadow bus range, phantom
 *	function and source shadow fields that go with it.
 *
 * Lock held.
 *
 * Return: the device (which may have left the bus, see ->functions), or NULL
 * if @device_id is not a well-formed PCI device id or names no device.
 */
struct hv_sim_device *hv_sim_device_lookup(u64 device_id)
{
	struct hv_sim_device *dev;

	lockdep_assert_held(&hv_sim.lock);
	if (hv_device_id_type(device_id) != HV_DEVICE_TYPE_PCI ||
	    (device_id & HV_DEVICE_ID_RSVD_MASK))
		return NULL;
	dev = xa_load(&hv_sim.devices, device_id & HV_SIM_DEVICE_KEY_MASK);
	if (!dev || (device_id & HV_DEVICE_ID_SOURCE_MASK) != dev->source)
		return NULL;
	return dev;
}

/**
 * hv_sim_device_id() - the canonical PCI-form device id of a device
 * @dev: the device.
 *
 * Return: union hv_device_id with type PCI, segment and requester id.
 */
u64 hv_sim_device_id(const struct hv_sim_device *dev)
{
	return hv_device_id_pci(dev->key >> 16, (dev->key >> 8) & 0xff,
				dev->key & 0xff) | dev->source;
}

/* Is @pfn in one of @pdev's memory BARs?  Sets the BAR's frame range. */
static bool hv_sim_pdev_bar(struct pci_dev *pdev, u64 pfn,
			    unsigned long *bar_start, unsigned long *bar_end)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &pdev->resource[bar];

		if (!(res->flags & IORESOURCE_MEM) || !res->start ||
		    pfn < (res->start >> HV_HYP_PAGE_SHIFT) ||
		    pfn > (res->end >> HV_HYP_PAGE_SHIFT))
			continue;
		*bar_start = res->start >> HV_HYP_PAGE_SHIFT;
		*bar_end = (res->end >> HV_HYP_PAGE_SHIFT) + 1;
		return true;
	}
	return false;
}

/**
 * hv_sim_pfn_is_bar() - is a page frame in a memory BAR of a PCI device?
 * @pfn: page frame number (4 KiB pages).
 * @bar_start: in/out: first pfn of the last BAR found (a cache; start a
 *	call with *@bar_start == *@bar_end == 0).
 * @bar_end: in/out: pfn after that BAR.
 *
 * Only devices on the bus count, by their assigned memory resources.  Lock
 * held.
 *
 * Return: true if @pfn lies in one.
 */
bool hv_sim_pfn_is_bar(u64 pfn, unsigned long *bar_start,
		       unsigned long *bar_end)
{
	struct hv_sim_device *dev;
	unsigned long key;
	unsigned int i;

	lockdep_assert_held(&hv_sim.lock);
	if (pfn >= *bar_start && pfn < *bar_end)
		return true;
	xa_for_each(&hv_sim.devices, key, dev)
		for (i = 0; i < ARRAY_SIZE(dev->pdevs) && dev->pdevs[i]; i++)
			if (hv_sim_pdev_bar(dev->pdevs[i], pfn, bar_start,
					    bar_end))
				return true;
	return false;
}

/**
 * hv_sim_device_put_if_unused() - forget a device that left the bus
 * @dev: the device; freed if it is off the bus and back in the default domain.
 *
 * Lock held.
 */
void hv_sim_device_put_if_unused(struct hv_sim_device *dev)
{
	lockdep_assert_held(&hv_sim.lock);
	if (dev->functions || dev->partition ||
	    dev->domain != hv_sim_default_domain())
		return;
	dev->domain->nr_devices--;
	xa_erase(&hv_sim.devices, dev->key);
	kfree(dev);
}

/**
 * hv_sim_seq_bdf() - print a device's BDF, SSSS:BB:DD.F in lower case
 * @m: the seq_file.
 * @key: the device's key (struct hv_sim_device.key).
 */
void hv_sim_seq_bdf(struct seq_file *m, u32 key)
{
	seq_printf(m, "%04x:%02x:%02x.%x", key >> 16, (key >> 8) & 0xff,
		   PCI_SLOT(key & 0xff), PCI_FUNC(key & 0xff));
}

/**
 * hv_sim_seq_devices_of() - print the BDFs of the devices in a place
 * @m: the seq_file.
 * @domain: list the devices in this domain, or
 * @partition: (if @domain is NULL) the devices direct-attached to this one.
 *
 * Comma-separated in BDF order, "-" for none.  Lock held.
 */
void hv_sim_seq_devices_of(struct seq_file *m,
			   const struct hv_sim_device_domain *domain,
			   const struct hv_sim_partition *partition)
{
	struct hv_sim_device *dev;
	unsigned long key;
	bool any = false;

	lockdep_assert_held(&hv_sim.lock);
	xa_for_each(&hv_sim.devices, key, dev) {
		if (domain ? dev->domain != domain : dev->partition != partition)
			continue;
		if (any)
			seq_putc(m, ',');
		hv_sim_seq_bdf(m, dev->key);
		any = true;
	}
	if (!any)
		seq_putc(m, '-');
}

/* The wire id of a function; false if the hypervisor cannot name it. */
static bool hv_sim_device_key(struct pci_dev *pdev, u32 *key, u64 *source)
{
	int segment = pci_domain_nr(pdev->bus);
	bool aliased;
	u64 id;

	/* union hv_device_id has 16 bits of segment (VMD domains do not fit). */
	if (segment < 0 || segment > 0xffff)
		return false;
	id = hv_pci_device_id(pdev, segment, &aliased);
	*key = id & HV_SIM_DEVICE_KEY_MASK;
	*source = id & HV_DEVICE_ID_SOURCE_MASK;
	return true;
}

/*
 * Keep *@pdev (its reference) in a free slot of @dev and clear *@pdev; a
 * function seen twice (the snapshot and the notifier) or past the slots
 * keeps its reference with the caller, which drops it.
 */
static void hv_sim_device_keep_pdev(struct hv_sim_device *dev,
				    struct pci_dev **pdev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dev->pdevs); i++) {
		if (dev->pdevs[i] == *pdev)
			return;
		if (!dev->pdevs[i]) {
			dev->pdevs[i] = *pdev;
			*pdev = NULL;
			return;
		}
	}
}

static void hv_sim_device_add(struct pci_dev *pdev)
{
	struct hv_sim_device *dev, *old;
	u64 source;
	u32 key;

	if (!hv_sim_device_key(pdev, &key, &source))
		return;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	/* Reserve the slot here so the store under the spinlock cannot fail. */
	if (!dev || xa_reserve(&hv_sim.devices, key, GFP_KERNEL)) {
		kfree(dev);
		pci_warn(pdev, "hv_sim: out of memory, device unknown to the hypervisor\n");
		return;
	}

	pci_dev_get(pdev);
	spin_lock_irq(&hv_sim.lock);
	old = xa_load(&hv_sim.devices, key);
	if (old) {
		/*
		 * Another function behind the same bridge, or back on the
		 * bus after a rescan: where the device was before.
		 */
		old->functions++;
		hv_sim_device_keep_pdev(old, &pdev);
	} else {
		dev->key = key;
		dev->source = source;
		dev->functions = 1;
		hv_sim_device_keep_pdev(dev, &pdev);
		dev->domain = hv_sim_default_domain();
		dev->domain->nr_devices++;
		xa_store(&hv_sim.devices, key, dev, GFP_ATOMIC);
		dev = NULL;
	}
	spin_unlock_irq(&hv_sim.lock);
	pci_dev_put(pdev);
	kfree(dev);
}

static void hv_sim_device_remove(struct pci_dev *pdev)
{
	struct hv_sim_device *dev;
	unsigned int i;
	u64 source;
	u32 key;

	if (!hv_sim_device_key(pdev, &key, &source))
		return;
	spin_lock_irq(&hv_sim.lock);
	dev = xa_load(&hv_sim.devices, key);
	if (dev && dev->functions) {
		dev->functions--;
		/* The reference to drop is ours only if we kept @pdev. */
		for (i = 0; i < ARRAY_SIZE(dev->pdevs) && dev->pdevs[i] != pdev; i++)
			;
		if (i < ARRAY_SIZE(dev->pdevs)) {
			memmove(&dev->pdevs[i], &dev->pdevs[i + 1],
				(ARRAY_SIZE(dev->pdevs) - i - 1) * sizeof(pdev));
			dev->pdevs[ARRAY_SIZE(dev->pdevs) - 1] = NULL;
		} else {
			pdev = NULL;
		}
		hv_sim_device_put_if_unused(dev);
	} else {
		pdev = NULL;
	}
	spin_unlock_irq(&hv_sim.lock);
	pci_dev_put(pdev);
}

/* A driver bound in domain 0: the device went back to the kernel (audit.c). */
static void hv_sim_device_bound(struct pci_dev *pdev)
{
	struct hv_sim_device *dev;
	u64 source;
	u32 key;

	if (!hv_sim_device_key(pdev, &key, &source))
		return;
	spin_lock_irq(&hv_sim.lock);
	dev = xa_load(&hv_sim.devices, key);
	if (dev)
		hv_sim_audit_returned(dev);
	spin_unlock_irq(&hv_sim.lock);
}

static int hv_sim_pci_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct device *device = data;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		hv_sim_device_add(to_pci_dev(device));
		hv_sim_mmio_add(to_pci_dev(device));
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		hv_sim_mmio_remove(to_pci_dev(device));
		hv_sim_device_remove(to_pci_dev(device));
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		hv_sim_device_bound(to_pci_dev(device));
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block hv_sim_pci_nb = {
	.notifier_call = hv_sim_pci_notify,
};

/**
 * hv_sim_devices_init() - learn the PCI devices, all in the default domain
 *
 * The notifier goes first so that no device added during the snapshot is
 * missed (one seen twice is merged).  Call after hv_sim_domains_init().
 *
 * Return: 0 or a negative errno from bus_register_notifier().
 */
int hv_sim_devices_init(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	xa_init(&hv_sim.devices);
	ret = bus_register_notifier(&pci_bus_type, &hv_sim_pci_nb);
	if (ret)
		return ret;
	for_each_pci_dev(pdev) {
		hv_sim_device_add(pdev);
		hv_sim_mmio_add(pdev);
	}
	return 0;
}

/**
 * hv_sim_devices_exit() - stop following the PCI bus, forget every device
 */
void hv_sim_devices_exit(void)
{
	struct hv_sim_device *dev;
	unsigned long key;
	unsigned int i;

	bus_unregister_notifier(&pci_bus_type, &hv_sim_pci_nb);
	hv_sim_mmio_remove(NULL);
	xa_for_each(&hv_sim.devices, key, dev) {
		for (i = 0; i < ARRAY_SIZE(dev->pdevs); i++)
			pci_dev_put(dev->pdevs[i]);
		kfree(dev);
	}
	xa_destroy(&hv_sim.devices);
}
