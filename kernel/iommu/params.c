// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: backend, attach_mode and pci_devs_to_skip, plus the
 * record of devices declined at probe (debugfs "skipped").
 */
#include "hv_iommu.h"

#include <linux/moduleparam.h>
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

static int hv_iommu_skip_set(const char *val, const struct kernel_param *kp)
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
	return 0;
}

static int hv_iommu_skip_get(char *buf, const struct kernel_param *kp)
{
	int n = 0;

	mutex_lock(&hv_skip_lock);
	if (hv_skip_list)
		n = hv_skip_format(buf, PAGE_SIZE - 1, hv_skip_list->bdf,
				   hv_skip_list->count);
	mutex_unlock(&hv_skip_lock);
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
 * hv_iommu_skip_lookup() - is a PCI function on the skip list
 * @segment: PCI segment.
 * @bus: bus number.
 * @devfn: device and function.
 *
 * Context: process context (takes a mutex).
 * Return: true if pci_devs_to_skip names the function.
 */
bool hv_iommu_skip_lookup(u16 segment, u8 bus, u8 devfn)
{
	bool found = false;
	unsigned int i;

	mutex_lock(&hv_skip_lock);
	for (i = 0; hv_skip_list && i < hv_skip_list->count; i++) {
		const struct hv_skip_bdf *b = &hv_skip_list->bdf[i];

		if (b->segment == segment && b->bus == bus && b->devfn == devfn) {
			found = true;
			break;
		}
	}
	mutex_unlock(&hv_skip_lock);
	return found;
}

/* Devices declined at probe, by BDF, in the order first declined. */
struct hv_skipped {
	struct list_head list;
	char bdf[16];
	const char *reason;	/* HV_SKIP_* */
};

static LIST_HEAD(hv_skipped_list);

/**
 * hv_iommu_skipped_record() - note whether a device was declined at probe
 * @bdf: the device's SSSS:BB:DD.F.
 * @reason: why probe declined it (HV_SKIP_LISTED, HV_SKIP_BOUND; a string
 *	that lives as long as the module), or NULL if it was claimed (a device
 *	claimed after a rescan leaves "skipped").
 *
 * Context: process context (takes a mutex; allocates with GFP_KERNEL).
 */
void hv_iommu_skipped_record(const char *bdf, const char *reason)
{
	struct hv_skipped *s, *found = NULL;

	mutex_lock(&hv_skip_lock);
	list_for_each_entry(s, &hv_skipped_list, list) {
		if (!strcmp(s->bdf, bdf)) {
			found = s;
			break;
		}
	}
	if (reason && found) {
		found->reason = reason;
	} else if (reason) {
		s = kzalloc(sizeof(*s), GFP_KERNEL);
		if (s) {
			strscpy(s->bdf, bdf, sizeof(s->bdf));
			s->reason = reason;
			list_add_tail(&s->list, &hv_skipped_list);
		}
	} else if (found) {
		list_del(&found->list);
		kfree(found);
	}
	mutex_unlock(&hv_skip_lock);
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
		seq_printf(m, "bdf=%s reason=%s\n", s->bdf, s->reason);
	mutex_unlock(&hv_skip_lock);
}
