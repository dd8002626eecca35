// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: backend, attach_mode and pci_devs_to_skip, plus the
 * record of devices declined at probe (debugfs "skipped").
 */
#include "hv_iommu.h"
#include "hv_pci_id.h"

#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

/* backend=auto|hyperv|sim, read only after load. */
static char hv_iommu_backend_want[8] = "auto";

static int hv_iommu_backend_set(const char *val, const struct kernel_param *kp)
{
	char word[8];

	strscpy(word, val, sizeof(word));
	strim(word);
	if (strcmp(word, "auto") && strcmp(word, "hyperv") && strcmp(word, "sim")) {
		pr_err("backend: '%s' is not auto, hyperv or sim\n", word);
		return -EINVAL;
	}
	strscpy(hv_iommu_backend_want, word, sizeof(hv_iommu_backend_want));
	return 0;
}

static int hv_iommu_backend_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", hv_iommu_backend_want);
}

static const struct kernel_param_ops hv_iommu_backend_ops = {
	.set = hv_iommu_backend_set,
	.get = hv_iommu_backend_get,
};
module_param_cb(backend, &hv_iommu_backend_ops, NULL, 0444);
MODULE_PARM_DESC(backend, "hypervisor backend: auto (default), hyperv or sim");

/**
 * hv_iommu_backend_param() - the backend asked for at load
 *
 * Return: "auto", "hyperv" or "sim".
 */
const char *hv_iommu_backend_param(void)
{
	return hv_iommu_backend_want;
}

/* attach_mode=auto|domain. */
enum hv_iommu_attach_mode hv_iommu_attach_mode = HV_IOMMU_ATTACH_AUTO;

static const char * const hv_iommu_attach_mode_names[] = {
	[HV_IOMMU_ATTACH_AUTO] = "auto",
	[HV_IOMMU_ATTACH_DOMAIN] = "domain",
};

static int hv_iommu_attach_mode_set(const char *val,
				    const struct kernel_param *kp)
{
	int i = sysfs_match_string(hv_iommu_attach_mode_names, val);
	char word[16];

	if (i < 0) {
		strscpy(word, val, sizeof(word));
		pr_err("attach_mode: '%s' is not auto or domain\n", strim(word));
		return -EINVAL;
	}
	WRITE_ONCE(hv_iommu_attach_mode, i);
	return 0;
}

static int hv_iommu_attach_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hv_iommu_attach_mode_names[READ_ONCE(hv_iommu_attach_mode)]);
}

static const struct kernel_param_ops hv_iommu_attach_mode_ops = {
	.set = hv_iommu_attach_mode_set,
	.get = hv_iommu_attach_mode_get,
};
module_param_cb(attach_mode, &hv_iommu_attach_mode_ops, NULL, 0644);
MODULE_PARM_DESC(attach_mode,
		 "auto (direct attach when the attaching process owns a guest partition) or domain (always device domains)");

/* pci_devs_to_skip: the parsed list, replaced whole under hv_skip_lock. */
struct hv_skip_list {
	unsigned int count;
	struct hv_skip_bdf bdf[];
};

static DEFINE_MUTEX(hv_skip_lock);
static struct hv_skip_list *hv_skip_list;

/**
 * hv_iommu_skip_list_set() - replace pci_devs_to_skip
 * @val: the new list, "(SSSS:BB:DD.F)(SSSS:BB:DD.F)..." (may be empty).
 *
 * The module parameter and the netlink skip-set command both come here;
 * listeners get a skip-changed event.
 *
 * Context: process context.
 * Return: 0, -EINVAL for a malformed list (logged, nothing changed) or
 * -ENOMEM.
 */
int hv_iommu_skip_list_set(const char *val)
{
	struct hv_skip_error err = {};
	struct hv_skip_list *list, *old;
	int n;

	n = hv_skip_parse(val, NULL, 0, &err);
	if (n < 0) {
		pr_err("pci_devs_to_skip: %s at position %zu\n", err.what,
		       err.pos);
		return -EINVAL;
	}
	list = kzalloc(struct_size(list, bdf, n), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	list->count = hv_skip_parse(val, list->bdf, n, &err);

	mutex_lock(&hv_skip_lock);
	old = hv_skip_list;
	hv_skip_list = list;
	mutex_unlock(&hv_skip_lock);
	kfree(old);
	hv_iommu_nl_skip_changed();
	return 0;
}

/**
 * hv_iommu_skip_list_get() - format pci_devs_to_skip
 * @buf: output, NUL-terminated.
 * @len: size of @buf (bytes, at least 1).
 *
 * Context: process context.
 * Return: characters written, without the NUL.
 */
int hv_iommu_skip_list_get(char *buf, size_t len)
{
	int n = 0;

	mutex_lock(&hv_skip_lock);
	if (hv_skip_list)
		n = hv_skip_format(buf, len - 1, hv_skip_list->bdf,
				   hv_skip_list->count);
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
		 "PCI devices not to claim at probe: (SSSS:BB:DD.F)(SSSS:BB:DD.F)...");

/**
 * hv_iommu_acs_isolated() - is a PCI function isolated from its slot's others
 * @pdev: the function.
 *
 * True if it has ACS with source validation, request and completion
 * redirect and upstream forwarding enabled (the flags the core's
 * pci_device_group() asks for; pci_acs_enabled() is not exported).
 * Device-specific ACS quirks are not seen: a device they cover counts as
 * not isolated, which only ever groups and skips more, never less.
 *
 * Context: any (config space read).
 * Return: true if isolated.
 */
bool hv_iommu_acs_isolated(struct pci_dev *pdev)
{
	const u16 want = PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF;
	u16 ctrl = 0;
	int pos;

	if (!pci_is_pcie(pdev))
		return false;
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ACS);
	if (!pos)
		return false;
	pci_read_config_word(pdev, pos + PCI_ACS_CTRL, &ctrl);
	return (ctrl & want) == want;
}

/**
 * hv_iommu_slot_shared() - may @pdev share its slot's IOMMU group
 * @pdev: the function.
 *
 * True for a function of a multi-function device without ACS.  Whether the
 * slot is multi-function is function 0's header type: a function above 0
 * is added to the device model (and probed) before pci_scan_slot() sets its
 * multifunction flag, so on a hot rescan the flag is not there yet.
 *
 * Context: process context (takes pci_bus_sem for reading).
 * Return: true if so.
 */
bool hv_iommu_slot_shared(struct pci_dev *pdev)
{
	struct pci_dev *fn0;
	bool multi = pdev->multifunction;

	if (!multi && PCI_FUNC(pdev->devfn)) {
		fn0 = pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), 0));
		multi = fn0 && fn0->multifunction;
		pci_dev_put(fn0);
	}
	return multi && !hv_iommu_acs_isolated(pdev);
}

/* Does the listed function @b share an IOMMU group with @pdev? */
static bool hv_iommu_skip_groups_with(const struct hv_skip_bdf *b,
				      struct pci_dev *pdev, u16 segment,
				      u64 device_id)
{
	const u64 key = HV_DEVICE_ID_SEGMENT_MASK | HV_DEVICE_ID_RID_MASK;
	struct pci_dev *other;
	bool aliased, same;

	if (b->segment != segment)
		return false;
	/* Functions of one slot without ACS: pci_device_group() joins them. */
	if (b->bus == pdev->bus->number &&
	    PCI_SLOT(b->devfn) == PCI_SLOT(pdev->devfn) &&
	    hv_iommu_slot_shared(pdev))
		return true;
	/* One id on the wire (behind one bridge): one device to the hypervisor. */
	other = pci_get_domain_bus_and_slot(b->segment, b->bus, b->devfn);
	if (!other)
		return false;
	same = !((hv_pci_device_id(other, segment, &aliased) ^ device_id) & key);
	pci_dev_put(other);
	return same;
}

/**
 * hv_iommu_skip_check() - should probe decline a PCI function
 * @pdev: the function.
 * @segment: its segment (checked to fit 16 bits).
 * @device_id: its hypervisor device id (hv_pci_device_id()).
 *
 * A function is declined when pci_devs_to_skip lists it, and also when a
 * listed function would share its IOMMU group: another function of its
 * slot while it has no ACS, or a function whose DMA carries the same id
 * (behind the same PCIe-to-PCI bridge).  Claiming such a function would
 * put it alone in a group VFIO calls viable, next to a function it cannot
 * be isolated from and that the hypervisor uses.
 *
 * Context: process context (takes a mutex, reads config space).
 * Return: HV_IOMMU_SKIP_LISTED, HV_IOMMU_SKIP_GROUP or HV_IOMMU_SKIP_NONE.
 */
enum hv_iommu_skip_reason hv_iommu_skip_check(struct pci_dev *pdev,
					      u16 segment, u64 device_id)
{
	enum hv_iommu_skip_reason reason = HV_IOMMU_SKIP_NONE;
	const struct hv_skip_bdf *b;
	unsigned int i;

	mutex_lock(&hv_skip_lock);
	for (i = 0; hv_skip_list && i < hv_skip_list->count; i++) {
		b = &hv_skip_list->bdf[i];
		if (b->segment == segment && b->bus == pdev->bus->number &&
		    b->devfn == pdev->devfn) {
			reason = HV_IOMMU_SKIP_LISTED;
			break;
		}
		if (hv_iommu_skip_groups_with(b, pdev, segment, device_id))
			reason = HV_IOMMU_SKIP_GROUP;
	}
	mutex_unlock(&hv_skip_lock);
	return reason;
}

/* Devices declined at probe, by BDF, in the order first declined. */
struct hv_skipped {
	struct list_head list;
	char bdf[16];
	enum hv_iommu_skip_reason reason;
};

static LIST_HEAD(hv_skipped_list);

static const char * const hv_iommu_skip_reasons[] = {
	[HV_IOMMU_SKIP_LISTED] = "pci_devs_to_skip",
	[HV_IOMMU_SKIP_GROUP] = "group_member_listed",
	[HV_IOMMU_SKIP_SEGMENT] = "segment",
	[HV_IOMMU_SKIP_ID_COLLISION] = "id_collision",
	[HV_IOMMU_SKIP_NOMEM] = "nomem",
	[HV_IOMMU_SKIP_BOUND] = "bound_before_load",
};

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
	struct hv_skipped *s, *found = NULL;

	mutex_lock(&hv_skip_lock);
	list_for_each_entry(s, &hv_skipped_list, list) {
		if (!strcmp(s->bdf, bdf)) {
			found = s;
			break;
		}
	}
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
 * @len: size of @bdf.
 * @reason: output, why it was declined.
 *
 * Context: process context (takes a mutex).
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
