// SPDX-License-Identifier: GPL-2.0
/*
 * The skip list: PCI functions (by address, or by vendor/device id) the
 * driver leaves to the hypervisor, which uses them itself (a debugger NIC, a
 * management NIC).  A skipped function gets no IOMMU group, so VFIO cannot
 * take it.
 *
 * Entries come from the boot list (pci_devs_to_skip), from skip_add at run
 * time (hvctl skip add), from the persistent configuration under /etc that
 * hvctl and the udev rules load, and from a udev rule's decision on one
 * device.  skip_add and skip_remove change one entry each under one lock,
 * so any number of writers all take effect.
 *
 * The IOMMU probe runs in the bus notifier (BUS_NOTIFY_ADD_DEVICE), before
 * udev hears of the device: what is on the list then is decided at probe;
 * a device that joins the list after it was probed is re-probed (removed
 * and rescanned, under the PCI rescan lock) so that it comes back without
 * a group, unless a guest may be using it (bound to vfio-pci or attached to
 * a domain other than the identity one): then the change is refused.
 */
#include "hv_iommu.h"
#include "hv_pci_id.h"

#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Most entries skip_add accepts on top of the boot list. */
#define HV_SKIP_MAX_ENTRIES	1024

/* One entry; hv_skip_entries holds them in the order added. */
struct hv_skip_entry {
	struct list_head list;
	struct hv_skip_match m;
	enum hv_skip_origin origin;
};

/* Guards hv_skip_entries, hv_skip_count and hv_skipped_list. */
static DEFINE_MUTEX(hv_skip_lock);
static LIST_HEAD(hv_skip_entries);
static unsigned int hv_skip_count;
/* The task re-probing devices (removals it causes keep rule entries). */
static struct task_struct *hv_skip_reprobe_task;

static const enum hv_iommu_skip_reason hv_skip_origin_reason[] = {
	[HV_SKIP_ORIGIN_BOOT] = HV_IOMMU_SKIP_LISTED,
	[HV_SKIP_ORIGIN_RUNTIME] = HV_IOMMU_SKIP_RUNTIME,
	[HV_SKIP_ORIGIN_PERSISTENT] = HV_IOMMU_SKIP_PERSISTENT,
	[HV_SKIP_ORIGIN_RULE] = HV_IOMMU_SKIP_RULE,
};

static const char * const hv_iommu_skip_reasons[] = {
	[HV_IOMMU_SKIP_LISTED] = "pci_devs_to_skip",
	[HV_IOMMU_SKIP_RUNTIME] = "runtime_list",
	[HV_IOMMU_SKIP_PERSISTENT] = "persistent_rule",
	[HV_IOMMU_SKIP_RULE] = "udev_rule",
	[HV_IOMMU_SKIP_GROUP] = "group_member_listed",
	[HV_IOMMU_SKIP_SEGMENT] = "segment",
	[HV_IOMMU_SKIP_ID_COLLISION] = "id_collision",
	[HV_IOMMU_SKIP_NOMEM] = "nomem",
	[HV_IOMMU_SKIP_BOUND] = "bound_before_load",
};

/**
 * hv_iommu_skip_reason_name() - the debugfs name of a skip reason
 * @reason: a reason other than HV_IOMMU_SKIP_NONE.
 *
 * Return: a constant string ("pci_devs_to_skip", "runtime_list"...).
 */
const char *hv_iommu_skip_reason_name(enum hv_iommu_skip_reason reason)
{
	return hv_iommu_skip_reasons[reason];
}

static bool hv_skip_match_equal(const struct hv_skip_match *a,
				const struct hv_skip_match *b)
{
	if (a->by_id != b->by_id)
		return false;
	if (a->by_id)
		return a->vendor == b->vendor && a->device == b->device;
	return a->bdf.segment == b->bdf.segment && a->bdf.bus == b->bdf.bus &&
	       a->bdf.devfn == b->bdf.devfn;
}

/* Does @m name @pdev itself? */
static bool hv_skip_match_dev(const struct hv_skip_match *m,
			      struct pci_dev *pdev, u16 segment)
{
	if (m->by_id)
		return pdev->vendor == m->vendor && pdev->device == m->device;
	return m->bdf.segment == segment && m->bdf.bus == pdev->bus->number &&
	       m->bdf.devfn == pdev->devfn;
}

/* Is @bridge above @pdev? */
static bool hv_skip_is_above(struct pci_dev *bridge, struct pci_dev *pdev)
{
	struct pci_bus *bus;

	for (bus = pdev->bus; bus && bus->self; bus = bus->parent)
		if (bus->self == bridge)
			return true;
	return false;
}

/*
 * Do @pdev and @other share an IOMMU group (slot without ACS, one id)?  A
 * bridge does not count what is behind it: it is added to the device model,
 * and probed, before its secondary bus is scanned (pci_device_add()), so the
 * probe could never see it and a re-probe would find the bridge claimed again.
 * (Behind a bridge that takes over the id, the bridge is no endpoint VFIO
 * binds; the functions behind it are declined with a listed one among them.)
 */
static bool hv_skip_same_group(struct pci_dev *pdev, u16 segment,
			       u64 device_id, struct pci_dev *other)
{
	const u64 key = HV_DEVICE_ID_SEGMENT_MASK | HV_DEVICE_ID_RID_MASK;
	bool aliased;

	if (other == pdev || pci_domain_nr(other->bus) != segment ||
	    hv_skip_is_above(pdev, other))
		return false;
	/* Functions of one slot without ACS: pci_device_group() joins them. */
	if (other->bus == pdev->bus &&
	    PCI_SLOT(other->devfn) == PCI_SLOT(pdev->devfn) &&
	    hv_iommu_slot_shared(pdev))
		return true;
	/* One id on the wire (behind one bridge): one device to the hypervisor. */
	return !((hv_pci_device_id(other, segment, &aliased) ^ device_id) & key);
}

/*
 * Does a function that @m names share an IOMMU group with @pdev?  A listed
 * address may name a function not present (yet): a slot sibling counts by
 * its address alone when @pdev's slot is shared.
 */
static bool hv_skip_groups_with(const struct hv_skip_match *m,
				struct pci_dev *pdev, u16 segment,
				u64 device_id)
{
	struct pci_dev *other = NULL;
	bool found = false;

	if (!m->by_id) {
		if (m->bdf.segment != segment)
			return false;
		if (m->bdf.bus == pdev->bus->number &&
		    PCI_SLOT(m->bdf.devfn) == PCI_SLOT(pdev->devfn) &&
		    m->bdf.devfn != pdev->devfn && hv_iommu_slot_shared(pdev))
			return true;
		other = pci_get_domain_bus_and_slot(segment, m->bdf.bus,
						    m->bdf.devfn);
		found = other && hv_skip_same_group(pdev, segment, device_id,
						    other);
		pci_dev_put(other);
		return found;
	}
	/* Slot siblings from the bus's list: those not added yet count too. */
	if (hv_iommu_slot_shared(pdev)) {
		unsigned int fn;

		for (fn = 0; fn < 8 && !found; fn++) {
			if (fn == PCI_FUNC(pdev->devfn))
				continue;
			other = pci_get_slot(pdev->bus,
					     PCI_DEVFN(PCI_SLOT(pdev->devfn), fn));
			found = other && hv_skip_match_dev(m, other, segment);
			pci_dev_put(other);
		}
		other = NULL;
	}
	while (!found &&
	       (other = pci_get_device(m->vendor, m->device, other)))
		found = hv_skip_same_group(pdev, segment, device_id, other);
	pci_dev_put(other);
	return found;
}

/* hv_iommu_skip_check() with hv_skip_lock held. */
static enum hv_iommu_skip_reason hv_skip_check_locked(struct pci_dev *pdev,
						      u16 segment,
						      u64 device_id)
{
	enum hv_iommu_skip_reason reason = HV_IOMMU_SKIP_NONE;
	struct hv_skip_entry *e;

	lockdep_assert_held(&hv_skip_lock);
	list_for_each_entry(e, &hv_skip_entries, list) {
		if (hv_skip_match_dev(&e->m, pdev, segment))
			return hv_skip_origin_reason[e->origin];
		if (reason == HV_IOMMU_SKIP_NONE &&
		    hv_skip_groups_with(&e->m, pdev, segment, device_id))
			reason = HV_IOMMU_SKIP_GROUP;
	}
	return reason;
}

/**
 * hv_iommu_skip_check() - should probe decline a PCI function
 * @pdev: the function.
 * @segment: its segment (checked to fit 16 bits).
 * @device_id: its hypervisor device id (hv_pci_device_id()).
 *
 * A function is declined when an entry of the skip list names it (by
 * address or by vendor/device id), and also when a function an entry names
 * would share its IOMMU group: another function of its slot while it has no
 * ACS, or a function whose DMA carries the same id (behind the same
 * PCIe-to-PCI bridge).  Claiming such a function would put it alone in a
 * group VFIO calls viable, next to a function it cannot be isolated from
 * and that the hypervisor uses.
 *
 * Context: process context (takes a mutex, reads config space).
 * Return: the reason of the first entry naming @pdev (the entry's origin),
 * else HV_IOMMU_SKIP_GROUP or HV_IOMMU_SKIP_NONE.
 */
enum hv_iommu_skip_reason hv_iommu_skip_check(struct pci_dev *pdev,
					      u16 segment, u64 device_id)
{
	enum hv_iommu_skip_reason reason;

	mutex_lock(&hv_skip_lock);
	reason = hv_skip_check_locked(pdev, segment, device_id);
	mutex_unlock(&hv_skip_lock);
	return reason;
}

/**
 * hv_iommu_skip_list_set() - replace the boot list (pci_devs_to_skip)
 * @val: the new list, "(SSSS:BB:DD.F)(SSSS:BB:DD.F)..." (may be empty).
 *
 * The module parameter and the netlink skip-set command both come here;
 * the other origins' entries stay.  Listeners get a skip-changed event.
 *
 * Context: process context; takes the PCI rescan lock and hv_skip_lock.
 * Return: 0, -EINVAL for a malformed list (logged, nothing changed) or
 * -ENOMEM (nothing changed).
 */
int hv_iommu_skip_list_set(const char *val)
{
	struct hv_skip_entry *e, *tmp;
	struct hv_skip_error err = {};
	struct hv_skip_bdf *bdf;
	LIST_HEAD(fresh);
	int n, i, ret = 0;

	n = hv_skip_parse(val, NULL, 0, &err);
	if (n < 0) {
		pr_err("pci_devs_to_skip: %s at position %zu\n", err.what,
		       err.pos);
		return -EINVAL;
	}
	bdf = kcalloc(max(n, 1), sizeof(*bdf), GFP_KERNEL);
	if (!bdf)
		return -ENOMEM;
	hv_skip_parse(val, bdf, n, &err);
	for (i = 0; i < n; i++) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e) {
			ret = -ENOMEM;
			goto out;
		}
		e->m.bdf = bdf[i];
		e->origin = HV_SKIP_ORIGIN_BOOT;
		list_add_tail(&e->list, &fresh);
	}

	/* As every change of the list: under the rescan lock (skip_change()). */
	pci_lock_rescan_remove();
	mutex_lock(&hv_skip_lock);
	list_for_each_entry_safe(e, tmp, &hv_skip_entries, list) {
		if (e->origin == HV_SKIP_ORIGIN_BOOT) {
			list_move(&e->list, &fresh);
			hv_skip_count--;
		}
	}
	/* The new entries went first in @fresh, the old ones after them. */
	for (i = 0; i < n; i++) {
		e = list_first_entry(&fresh, struct hv_skip_entry, list);
		list_move_tail(&e->list, &hv_skip_entries);
		hv_skip_count++;
	}
	mutex_unlock(&hv_skip_lock);
	pci_unlock_rescan_remove();
	hv_iommu_nl_skip_changed(NULL, NULL, false);
out:
	list_for_each_entry_safe(e, tmp, &fresh, list)
		kfree(e);
	kfree(bdf);
	return ret;
}

/**
 * hv_iommu_skip_list_get() - format the boot list (pci_devs_to_skip)
 * @buf: output, NUL-terminated.
 * @len: size of @buf (bytes, at least 1).
 *
 * Context: process context (takes hv_skip_lock).
 * Return: characters written, without the NUL.
 */
int hv_iommu_skip_list_get(char *buf, size_t len)
{
	struct hv_skip_entry *e;
	int n = 0;

	buf[0] = '\0';
	mutex_lock(&hv_skip_lock);
	list_for_each_entry(e, &hv_skip_entries, list)
		if (e->origin == HV_SKIP_ORIGIN_BOOT)
			n += hv_skip_format(buf + n, len - 1 - n, &e->m.bdf, 1);
	mutex_unlock(&hv_skip_lock);
	buf[n] = '\0';
	return n;
}

static int hv_iommu_skip_set(const char *val, const struct kernel_param *kp)
{
	return hv_iommu_skip_list_set(val);
}

static int hv_iommu_skip_get(char *buf, const struct kernel_param *kp)
{
	int n = hv_iommu_skip_list_get(buf, PAGE_SIZE - 1);

	buf[n++] = '\n';
	return n;
}

static const struct kernel_param_ops hv_iommu_skip_ops = {
	.set = hv_iommu_skip_set,
	.get = hv_iommu_skip_get,
};
module_param_cb(pci_devs_to_skip, &hv_iommu_skip_ops, NULL, 0644);
MODULE_PARM_DESC(pci_devs_to_skip,
		 "PCI devices not to claim at probe (the boot list): (SSSS:BB:DD.F)(SSSS:BB:DD.F)...");

/* The driver's record of @pdev if it claimed it; hv_iommu_lock held. */
static struct hv_iommu_dev *hv_skip_claimed(struct pci_dev *pdev)
{
	struct hv_iommu_dev *hd;

	list_for_each_entry(hd, &hv_iommu_devices, list)
		if (hd->dev == &pdev->dev)
			return hd;
	return NULL;
}

/*
 * Why @pdev must not be re-probed, or NULL: a guest may be using it.  The
 * same unlocked read of dev->driver as the core's.
 */
static const char *hv_skip_busy(struct pci_dev *pdev)
{
	const struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	struct hv_iommu_dev *hd;
	const char *why = NULL;

	if (drv && !strcmp(drv->name, "vfio-pci"))
		return "bound to vfio-pci";
	mutex_lock(&hv_iommu_lock);
	hd = hv_skip_claimed(pdev);
	if (hd && (hd->domain != &hv_iommu_identity ||
		   hd->target != &hv_iommu_identity || hd->direct_partition))
		why = "attached to a domain other than the identity domain";
	mutex_unlock(&hv_iommu_lock);
	return why;
}

struct hv_skip_busy_walk {
	struct pci_dev *dev;
	const char *why;
};

static int hv_skip_busy_one(struct pci_dev *pdev, void *data)
{
	struct hv_skip_busy_walk *w = data;

	w->why = hv_skip_busy(pdev);
	if (w->why)
		w->dev = pdev;
	return !!w->why;
}

/* The device, or one below it if it is a bridge, that a guest may use. */
static const char *hv_skip_busy_tree(struct pci_dev *pdev,
				     struct pci_dev **who)
{
	struct hv_skip_busy_walk w = { .dev = pdev };

	hv_skip_busy_one(pdev, &w);
	if (!w.why && pdev->subordinate)
		pci_walk_bus(pdev->subordinate, hv_skip_busy_one, &w);
	*who = w.dev;
	return w.why;
}

/* Would the list now decline @pdev, and does the driver hold it now? */
static bool hv_skip_needs_reprobe(struct pci_dev *pdev, bool *claimed)
{
	enum hv_iommu_skip_reason want, was = HV_IOMMU_SKIP_NONE;
	int segment = pci_domain_nr(pdev->bus);
	struct hv_skipped *s;
	bool aliased;
	u64 id;

	if (segment < 0 || segment > 0xffff)
		return false;
	mutex_lock(&hv_iommu_lock);
	*claimed = hv_skip_claimed(pdev);
	mutex_unlock(&hv_iommu_lock);
	id = hv_pci_device_id(pdev, segment, &aliased);
	mutex_lock(&hv_skip_lock);
	want = hv_skip_check_locked(pdev, segment, id);
	s = hv_iommu_skipped_find(pci_name(pdev));
	if (s)
		was = s->reason;
	mutex_unlock(&hv_skip_lock);
	if (*claimed)
		return want != HV_IOMMU_SKIP_NONE;
	/* Declined for the list's sake only: claim it now it is off the list. */
	return want == HV_IOMMU_SKIP_NONE &&
	       (was == HV_IOMMU_SKIP_LISTED || was == HV_IOMMU_SKIP_RUNTIME ||
		was == HV_IOMMU_SKIP_PERSISTENT || was == HV_IOMMU_SKIP_RULE ||
		was == HV_IOMMU_SKIP_GROUP);
}

/* Is an ancestor bridge of @pdev among @devs[0..n)? */
static bool hv_skip_below_any(struct pci_dev *pdev, struct pci_dev **devs,
			      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (hv_skip_is_above(devs[i], pdev))
			return true;
	return false;
}

/*
 * Re-probe every device whose decision the list changed: collect them, refuse
 * (-EBUSY, and say why) if a guest may use one, else remove each and rescan
 * its bus, so that the bus notifier probes it again against the new list.
 * Called with the PCI rescan lock held.
 */
static int hv_skip_reprobe(bool adding)
{
	struct pci_dev *pdev = NULL, *who, **devs;
	unsigned int n = 0, cap = 16, i;
	const char *why;
	bool claimed;
	int ret = 0;

	devs = kcalloc(cap, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	for_each_pci_dev(pdev) {
		if (!hv_skip_needs_reprobe(pdev, &claimed))
			continue;
		if (claimed != adding)
			continue;
		if (n == cap) {
			struct pci_dev **more;

			more = krealloc_array(devs, cap * 2, sizeof(*devs),
					      GFP_KERNEL);
			if (!more) {
				pci_dev_put(pdev);
				ret = -ENOMEM;
				goto out;
			}
			devs = more;
			cap *= 2;
		}
		devs[n++] = pci_dev_get(pdev);
	}
	for (i = 0; i < n; i++) {
		why = hv_skip_busy_tree(devs[i], &who);
		if (why) {
			pci_err(who, "refusing to skip it: %s (a guest may be using it); the skip list is unchanged\n",
				why);
			ret = -EBUSY;
			goto out;
		}
	}
	WRITE_ONCE(hv_skip_reprobe_task, current);
	for (i = 0; i < n; i++) {
		if (hv_skip_below_any(devs[i], devs, n))
			continue;	/* goes, and comes back, with its bridge */
		pci_info(devs[i], "re-probing it: the skip list %s it now\n",
			 adding ? "names" : "no longer names");
		pci_stop_and_remove_bus_device(devs[i]);
	}
	for (i = 0; i < n; i++)
		if (!hv_skip_below_any(devs[i], devs, n))
			pci_rescan_bus(devs[i]->bus);
	WRITE_ONCE(hv_skip_reprobe_task, NULL);
out:
	for (i = 0; i < n; i++)
		pci_dev_put(devs[i]);
	kfree(devs);
	return ret;
}

/**
 * hv_iommu_skip_change() - add an entry to the skip list or remove one
 * @m: the entry.
 * @origin: who adds it (ignored for a removal).
 * @add: add (true) or remove.
 *
 * Adding an entry that is there already succeeds (its origin becomes
 * @origin unless it is on the boot list) and re-probes nothing unless the
 * origin changed.  Otherwise devices whose decision changes are re-probed
 * (hv_skip_reprobe()); if one of them may be in use by a guest, the change
 * is undone and -EBUSY returned.  Changes are serialised
 * by the PCI rescan lock (as pci_devs_to_skip writes are), so every
 * concurrent caller's change takes effect.
 *
 * Context: process context; takes the PCI rescan lock, hv_skip_lock and
 * hv_iommu_lock (never two of the last two at once).
 * Return: 0; -ENOENT removing an entry that is not there; -ENOSPC when the
 * list is full; -EBUSY (nothing changed) when a device to re-probe is
 * bound to vfio-pci or attached to a domain; -ENOMEM.
 */
int hv_iommu_skip_change(const struct hv_skip_match *m,
			 enum hv_skip_origin origin, bool add)
{
	struct hv_skip_entry *e, *found = NULL, *fresh = NULL;
	enum hv_skip_origin old_origin = origin;
	bool changed = true;
	char name[16];
	int ret;

	hv_skip_format_match(name, sizeof(name), m);
	if (add) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		if (!fresh)
			return -ENOMEM;
		fresh->m = *m;
		fresh->origin = origin;
	}
	pci_lock_rescan_remove();
	mutex_lock(&hv_skip_lock);
	list_for_each_entry(e, &hv_skip_entries, list)
		if (hv_skip_match_equal(&e->m, m))
			found = e;
	if (!add && !found) {
		mutex_unlock(&hv_skip_lock);
		pr_err("skip_remove: %s is not on the skip list\n", name);
		ret = -ENOENT;
		goto out;
	}
	if (add && !found && hv_skip_count >= HV_SKIP_MAX_ENTRIES) {
		mutex_unlock(&hv_skip_lock);
		pr_err("skip_add: %s: the list is full (%u entries)\n", name,
		       HV_SKIP_MAX_ENTRIES);
		ret = -ENOSPC;
		goto out;
	}
	if (found) {
		old_origin = found->origin;
		if (add && found->origin != HV_SKIP_ORIGIN_BOOT)
			found->origin = origin;
		changed = !add || found->origin != old_origin;
		if (!add) {
			list_del(&found->list);
			hv_skip_count--;
		}
	} else {
		list_add_tail(&fresh->list, &hv_skip_entries);
		hv_skip_count++;
		fresh = NULL;
	}
	mutex_unlock(&hv_skip_lock);

	/*
	 * An add that changes nothing re-probes nothing (the udev rule adds
	 * again on every add event, the re-probe's own included).
	 */
	if (!changed) {
		ret = 0;
		goto out;
	}
	ret = hv_skip_reprobe(add);
	mutex_lock(&hv_skip_lock);
	if (ret && add && !found) {
		/* Undo: the entry is the one added above. */
		list_for_each_entry(e, &hv_skip_entries, list)
			if (hv_skip_match_equal(&e->m, m))
				found = e;
		list_del(&found->list);
		hv_skip_count--;
		fresh = found;
	} else if (ret && add) {
		/* The rescan lock keeps every other change out: @found is there. */
		found->origin = old_origin;
	} else if (ret) {
		list_add_tail(&found->list, &hv_skip_entries);
		hv_skip_count++;
	} else if (!add) {
		fresh = found;
	}
	mutex_unlock(&hv_skip_lock);
	/* Each change once in the log; an add that changes nothing is silent. */
	if (!ret && changed) {
		pr_info("skip list: %s %s (%s)\n", add ? "added" : "removed",
			name, hv_skip_origin_names[add ? origin : old_origin]);
		hv_iommu_nl_skip_changed(name, hv_skip_origin_names[add ? origin : old_origin],
					 add);
	}
out:
	pci_unlock_rescan_remove();
	kfree(fresh);
	return ret;
}

/**
 * hv_iommu_skip_list_show() - the whole list, "ENTRY ORIGIN" a line
 * @buf: a sysfs page.
 *
 * Context: process context (takes hv_skip_lock).
 * Return: bytes written (entries that do not fit the page are left out).
 */
ssize_t hv_iommu_skip_list_show(char *buf)
{
	struct hv_skip_entry *e;
	char name[16];
	int n = 0;

	mutex_lock(&hv_skip_lock);
	list_for_each_entry(e, &hv_skip_entries, list) {
		hv_skip_format_match(name, sizeof(name), &e->m);
		n += sysfs_emit_at(buf, n, "%s %s\n", name,
				   hv_skip_origin_names[e->origin]);
	}
	mutex_unlock(&hv_skip_lock);
	return n;
}

/*
 * A rule entry is a udev rule's decision about the device at that address:
 * it goes when the device goes (hot unplug, remove), so that another
 * device plugged there later is judged by the rules afresh.  Removals the
 * re-probe causes keep it.
 */
static int hv_skip_bus_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	int segment = pci_domain_nr(pdev->bus);
	struct hv_skip_entry *e, *tmp;
	LIST_HEAD(removed);
	char name[16];

	if (action != BUS_NOTIFY_REMOVED_DEVICE ||
	    READ_ONCE(hv_skip_reprobe_task) == current)
		return NOTIFY_DONE;
	mutex_lock(&hv_skip_lock);
	list_for_each_entry_safe(e, tmp, &hv_skip_entries, list) {
		if (e->origin != HV_SKIP_ORIGIN_RULE ||
		    !hv_skip_match_dev(&e->m, pdev, segment))
			continue;
		pci_info(pdev, "skip list: removed %s (rule): the device is gone\n",
			 pci_name(pdev));
		list_move_tail(&e->list, &removed);
		hv_skip_count--;
	}
	mutex_unlock(&hv_skip_lock);
	/* The events read the list: after the lock. */
	list_for_each_entry_safe(e, tmp, &removed, list) {
		hv_skip_format_match(name, sizeof(name), &e->m);
		hv_iommu_nl_skip_changed(name, hv_skip_origin_names[e->origin], false);
		kfree(e);
	}
	return NOTIFY_DONE;
}

static struct notifier_block hv_skip_nb = {
	.notifier_call = hv_skip_bus_notify,
};

/**
 * hv_iommu_skip_init() - follow PCI removals (rule entries go with devices)
 *
 * Context: module init.
 * Return: 0 or the notifier's error.
 */
int hv_iommu_skip_init(void)
{
	return bus_register_notifier(&pci_bus_type, &hv_skip_nb);
}

/**
 * hv_iommu_skip_cleanup() - undo hv_iommu_skip_init() (failed init)
 */
void hv_iommu_skip_cleanup(void)
{
	bus_unregister_notifier(&pci_bus_type, &hv_skip_nb);
}

/* Devices declined at probe, by BDF, in the order first declined. */
static LIST_HEAD(hv_skipped_list);

/**
 * hv_iommu_skipped_find() - the `skipped` record of a device
 * @bdf: SSSS:BB:DD.F.
 *
 * Context: hv_skip_lock held.
 * Return: the record or NULL.
 */
struct hv_skipped *hv_iommu_skipped_find(const char *bdf)
{
	struct hv_skipped *s;

	lockdep_assert_held(&hv_skip_lock);
	list_for_each_entry(s, &hv_skipped_list, list)
		if (!strcmp(s->bdf, bdf))
			return s;
	return NULL;
}

/**
 * hv_iommu_skipped_record() - note whether a device was declined at probe
 * @bdf: the device's SSSS:BB:DD.F (or its device name if that does not fit).
 * @reason: why probe declined it, or HV_IOMMU_SKIP_NONE if it was claimed
 *	(a device claimed after a rescan with a shorter list leaves
 *	"skipped").
 *
 * Context: process context (takes a mutex; allocates with GFP_KERNEL).
 */
void hv_iommu_skipped_record(const char *bdf, enum hv_iommu_skip_reason reason)
{
	struct hv_skipped *found;

	mutex_lock(&hv_skip_lock);
	found = hv_iommu_skipped_find(bdf);
	if (reason != HV_IOMMU_SKIP_NONE && !found) {
		found = kzalloc(sizeof(*found), GFP_KERNEL);
		if (found) {
			strscpy(found->bdf, bdf, sizeof(found->bdf));
			list_add_tail(&found->list, &hv_skipped_list);
		}
	} else if (reason == HV_IOMMU_SKIP_NONE && found) {
		list_del(&found->list);
		kfree(found);
		found = NULL;
	}
	if (found)
		found->reason = reason;
	mutex_unlock(&hv_skip_lock);
	if (reason != HV_IOMMU_SKIP_NONE)
		hv_iommu_nl_device_skipped(bdf, reason);
}

/**
 * hv_iommu_skipped_get() - one record of the debugfs "skipped" table
 * @index: its position (0 first), in the order of the table.
 * @bdf: output, the device's SSSS:BB:DD.F.
 * @len: size of @bdf (bytes).
 * @reason: output, why it was declined.
 *
 * Context: process context (takes hv_skip_lock).
 * Return: true, or false past the end.
 */
bool hv_iommu_skipped_get(unsigned long index, char *bdf, size_t len,
			  enum hv_iommu_skip_reason *reason)
{
	struct hv_skipped *s;
	bool found = false;

	mutex_lock(&hv_skip_lock);
	list_for_each_entry(s, &hv_skipped_list, list) {
		if (index--)
			continue;
		strscpy(bdf, s->bdf, len);
		*reason = s->reason;
		found = true;
		break;
	}
	mutex_unlock(&hv_skip_lock);
	return found;
}

/**
 * hv_iommu_skipped_show() - print the debugfs "skipped" table
 * @m: seq_file to print to.
 *
 * Context: process context (takes a mutex).
 */
void hv_iommu_skipped_show(struct seq_file *m)
{
	struct hv_skipped *s;

	mutex_lock(&hv_skip_lock);
	list_for_each_entry(s, &hv_skipped_list, list)
		seq_printf(m, "bdf=%s reason=%s\n", s->bdf,
			   hv_iommu_skip_reasons[s->reason]);
	mutex_unlock(&hv_skip_lock);
}
