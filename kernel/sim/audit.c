// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim isolation audit: what a correct root never lets happen, counted
 * (debugfs "audit").  The VM suites assert every count is 0.
 *
 * default_domain_bus_master: a device hopped through the default domain 0
 * (identity: all of the root's memory) with bus mastering on in its PCI
 * command register: it left a device domain, the null domain or a guest
 * partition for domain 0 and then went on to another one, and bus
 * mastering was on (in any function that masters with its id: a bridge
 * and the devices behind it) when it arrived in domain 0 or when it left.
 * One count
 * per hop.  The ABI attaches a device only from domain 0, so a root moving
 * a device between two other domains must turn bus mastering off across
 * the hop.  A device that stays in domain 0 went back to the kernel, whose
 * driver may let it master: a driver bound to it there ends the stay
 * (hv_sim_audit_returned()), which is not a hop.
 *
 * The command register is read with the kernel's config accessors, which
 * take pci_lock (a raw spinlock): fine under hv_sim.lock with interrupts
 * off.
 */

#include <linux/pci.h>
#include <linux/seq_file.h>

#include "sim.h"

/* Does any function that masters with the device's id have it on? */
static bool hv_sim_bus_master(const struct hv_sim_device *dev)
{
	unsigned int i;
	u16 cmd;

	for (i = 0; i < ARRAY_SIZE(dev->pdevs) && dev->pdevs[i]; i++)
		if (!pci_read_config_word(dev->pdevs[i], PCI_COMMAND, &cmd) &&
		    cmd != 0xffff && (cmd & PCI_COMMAND_MASTER))
			return true;
	return false;
}

/**
 * hv_sim_audit_enter_default() - a device left another domain for domain 0
 * @dev: the device, now in the default domain.
 *
 * Lock held.
 */
void hv_sim_audit_enter_default(struct hv_sim_device *dev)
{
	lockdep_assert_held(&hv_sim.lock);
	dev->hop = true;
	dev->hop_bus_master = hv_sim_bus_master(dev);
}

/**
 * hv_sim_audit_leave_default() - a device leaves domain 0 for another
 * @dev: the device, still in the default domain.
 *
 * Lock held.
 */
void hv_sim_audit_leave_default(struct hv_sim_device *dev)
{
	lockdep_assert_held(&hv_sim.lock);
	if (dev->hop && (dev->hop_bus_master || hv_sim_bus_master(dev))) {
		hv_sim.audit_bus_master++;
		hv_sim.audit_bus_master_key = dev->key;
	}
	dev->hop = false;
}

/**
 * hv_sim_audit_returned() - a driver was bound to a device
 * @dev: the device.
 *
 * In domain 0 that ends a stay as a return to the kernel, not a hop.
 * Lock held.
 */
void hv_sim_audit_returned(struct hv_sim_device *dev)
{
	lockdep_assert_held(&hv_sim.lock);
	if (dev->domain == hv_sim_default_domain())
		dev->hop = false;
}

/**
 * hv_sim_audit_show() - print debugfs "audit"
 * @m: the seq_file.
 *
 * Takes hv_sim.lock; process context.
 */
void hv_sim_audit_show(struct seq_file *m)
{
	spin_lock_irq(&hv_sim.lock);
	seq_printf(m, "audit name=default_domain_bus_master count=%llu last=",
		   hv_sim.audit_bus_master);
	if (hv_sim.audit_bus_master)
		hv_sim_seq_bdf(m, hv_sim.audit_bus_master_key);
	else
		seq_putc(m, '-');
	seq_putc(m, '\n');
	hv_sim_mmio_audit(m);
	spin_unlock_irq(&hv_sim.lock);
}
