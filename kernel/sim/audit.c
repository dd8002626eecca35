// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim isolation audit: what a correct root never lets happen, counted
 * (debugfs "audit").  The VM suites assert every count is 0.
 *
 * default_domain_bus_master: a device that left a device domain, the null
 * domain or a guest partition for the default domain 0 (identity: all of
 * the root's memory) with bus mastering on in its PCI command register,
 * read when it arrives in domain 0 and again when it leaves it.  One count
 * per such stay.  A root that must hop through domain 0 to move a device
 * between two other domains (the ABI attaches only from domain 0) turns
 * bus mastering off across the hop.
 *
 * The command register is read with the kernel's config accessors, which
 * take pci_lock (a raw spinlock): fine under hv_sim.lock with interrupts
 * off.
 */

#include <linux/pci.h>
#include <linux/seq_file.h>

#include "sim.h"

static bool hv_sim_bus_master(const struct hv_sim_device *dev)
{
	u16 cmd;

	if (!dev->pdev || pci_read_config_word(dev->pdev, PCI_COMMAND, &cmd))
		return false;
	return cmd != 0xffff && (cmd & PCI_COMMAND_MASTER);
}

static void hv_sim_audit_count(const struct hv_sim_device *dev)
{
	hv_sim.audit_bus_master++;
	hv_sim.audit_bus_master_key = dev->key;
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
	dev->hop_counted = hv_sim_bus_master(dev);
	if (dev->hop_counted)
		hv_sim_audit_count(dev);
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
	if (dev->hop && !dev->hop_counted && hv_sim_bus_master(dev))
		hv_sim_audit_count(dev);
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
	spin_unlock_irq(&hv_sim.lock);
}
