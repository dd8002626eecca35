// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim MMIO windows: how a guest program's access to a GPA mapped
 * NOT_CACHED reaches the real device behind it.
 *
 * On Hyper-V such an access goes from the guest through the stage-2 entry
 * straight to the device.  The simulator runs guest programs in the root's
 * kernel, under hv_sim.lock with interrupts off, where nothing can be
 * ioremapped: so every memory BAR of every PCI device the simulator knows
 * is ioremapped (uncached, ioremap()) when the device appears (load
 * snapshot, bus notifier) and unmapped when it goes.  An access is done
 * with the MMIO accessors (readb..readq, writeb..writeq) through the window
 * that holds the frame; a frame in no window (the BAR moved or the device
 * left) reads all ones and drops writes, as a master abort does, and is
 * counted in debugfs "audit" (mmio_unbacked: a correct root never keeps a
 * BAR mapped for a guest after its device left).
 *
 * The window list is guarded by hv_sim.lock: built outside it (ioremap
 * sleeps), inserted and removed under it.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/io.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hv_vmm.h"
#include "sim.h"

/**
 * struct hv_sim_mmio_window - one ioremapped memory BAR
 * @node: entry in hv_sim_mmio_windows.
 * @pdev: the function it belongs to (no reference: removed on its DEL).
 * @pfn: first page frame of the BAR.
 * @pages: its length in 4 KiB pages.
 * @va: the kernel's uncached mapping of it.
 */
struct hv_sim_mmio_window {
	struct list_head node;
	struct pci_dev *pdev;
	u64 pfn;
	u64 pages;
	void __iomem *va;
};

static LIST_HEAD(hv_sim_mmio_windows);
/* Accesses to frames in no window (audit); guarded by hv_sim.lock. */
static u64 hv_sim_mmio_unbacked;

/**
 * hv_sim_mmio_add() - ioremap the memory BARs of a PCI function
 * @pdev: the function, just added to the bus (or found at load).
 *
 * A BAR that cannot be mapped (conflicting memory type, no address space)
 * gets no window; accesses to it then read all ones.
 *
 * Context: process context, may sleep; takes hv_sim.lock.
 */
void hv_sim_mmio_add(struct pci_dev *pdev)
{
	struct hv_sim_mmio_window *w;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &pdev->resource[bar];

		if (!(res->flags & IORESOURCE_MEM) || !res->start ||
		    !resource_size(res) ||
		    !PAGE_ALIGNED(res->start) || resource_size(res) < PAGE_SIZE)
			continue;
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		if (!w)
			break;
		w->va = ioremap(res->start, resource_size(res));
		if (!w->va) {
			pci_warn(pdev, "hv_sim: BAR %d not mapped: guest accesses to it read all ones\n",
				 bar);
			kfree(w);
			continue;
		}
		w->pdev = pdev;
		w->pfn = res->start >> HV_HYP_PAGE_SHIFT;
		w->pages = resource_size(res) >> HV_HYP_PAGE_SHIFT;
		spin_lock_irq(&hv_sim.lock);
		list_add_tail(&w->node, &hv_sim_mmio_windows);
		spin_unlock_irq(&hv_sim.lock);
	}
}

/**
 * hv_sim_mmio_remove() - drop the windows of a PCI function
 * @pdev: the function, leaving the bus; NULL: every window (unload).
 *
 * Context: process context, may sleep; takes hv_sim.lock.
 */
void hv_sim_mmio_remove(struct pci_dev *pdev)
{
	struct hv_sim_mmio_window *w, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&hv_sim.lock);
	list_for_each_entry_safe(w, tmp, &hv_sim_mmio_windows, node)
		if (!pdev || w->pdev == pdev)
			list_move(&w->node, &gone);
	spin_unlock_irq(&hv_sim.lock);
	list_for_each_entry_safe(w, tmp, &gone, node) {
		iounmap(w->va);
		kfree(w);
	}
}

/* The window holding @pfn, or NULL.  Lock held. */
static struct hv_sim_mmio_window *hv_sim_mmio_window(u64 pfn)
{
	struct hv_sim_mmio_window *w;

	lockdep_assert_held(&hv_sim.lock);
	list_for_each_entry(w, &hv_sim_mmio_windows, node)
		if (pfn >= w->pfn && pfn - w->pfn < w->pages)
			return w;
	return NULL;
}

/**
 * hv_sim_mmio_pfn_is_bar() - is a frame in a memory BAR a guest can reach?
 * @pfn: page frame number.
 *
 * Any function on the bus counts, behind a bridge too.  Lock held.
 *
 * Return: true if @pfn lies in a window (an ioremapped memory BAR).
 */
bool hv_sim_mmio_pfn_is_bar(u64 pfn)
{
	return hv_sim_mmio_window(pfn);
}

/**
 * hv_sim_mmio_access() - do a guest access to a frame of a device BAR
 * @a: the access (well formed, see vp.c); a read sets @a->value.
 * @pfn: the frame the GPA is mapped to (NOT_CACHED).
 *
 * Lock held, interrupts off.
 */
void hv_sim_mmio_access(struct hv_vmm_guest_access *a, u64 pfn)
{
	unsigned long off = a->gpa & (HV_HYP_PAGE_SIZE - 1);
	bool wr = a->type == HV_VMM_ACCESS_WRITE;
	struct hv_sim_mmio_window *w = hv_sim_mmio_window(pfn);
	void __iomem *p;

	if (!w) {
		hv_sim_mmio_unbacked++;
		if (!wr)
			a->value = a->width == 8 ? U64_MAX :
				   (1ULL << (8 * a->width)) - 1;
		return;
	}
	p = w->va + ((pfn - w->pfn) << HV_HYP_PAGE_SHIFT) + off;
	switch (a->width) {
	case 1:
		if (wr)
			writeb(a->value, p);
		else
			a->value = readb(p);
		break;
	case 2:
		if (wr)
			writew(a->value, p);
		else
			a->value = readw(p);
		break;
	case 4:
		if (wr)
			writel(a->value, p);
		else
			a->value = readl(p);
		break;
	default:
		if (wr)
			writeq(a->value, p);
		else
			a->value = readq(p);
	}
}

/**
 * hv_sim_mmio_audit() - debugfs "audit": accesses to frames in no window
 * @m: the file.
 *
 * Lock held.
 */
void hv_sim_mmio_audit(struct seq_file *m)
{
	lockdep_assert_held(&hv_sim.lock);
	seq_printf(m, "audit name=mmio_unbacked count=%llu last=-\n",
		   hv_sim_mmio_unbacked);
}
