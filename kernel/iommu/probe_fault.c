// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "probe_fault" (test only): make the next probes of one PCI
 * function see what no VM can build, so the tests can check that probe
 * declines it with -ENODEV and a log line and everything else goes on:
 *
 *	segment SSSS:BB:DD.F	its PCI segment is 0x10000 higher (a VMD
 *				domain, beyond the 16-bit segment of
 *				union hv_device_id)
 *	collide SSSS:BB:DD.F	its device id is that of the first device
 *				probed, and not a bridge's alias
 *	clear			no fault
 *
 * Reading shows "kind=... bdf=..." or nothing.  Probes happen when a
 * device is added: remove it and rescan the bus to use the fault.
 */
#include "hv_iommu.h"

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

enum hv_iommu_probe_fault_kind { HV_PROBE_FAULT_NONE, HV_PROBE_FAULT_SEGMENT,
				 HV_PROBE_FAULT_COLLIDE };

static const char * const hv_iommu_probe_fault_kinds[] = {
	[HV_PROBE_FAULT_NONE] = "clear",
	[HV_PROBE_FAULT_SEGMENT] = "segment",
	[HV_PROBE_FAULT_COLLIDE] = "collide",
};

static DEFINE_MUTEX(hv_iommu_probe_fault_lock);
static enum hv_iommu_probe_fault_kind hv_iommu_probe_fault_kind;
static char hv_iommu_probe_fault_bdf[16];

static bool hv_iommu_probe_fault_is(enum hv_iommu_probe_fault_kind kind,
				    const char *bdf)
{
	bool hit;

	mutex_lock(&hv_iommu_probe_fault_lock);
	hit = hv_iommu_probe_fault_kind == kind &&
	      !strcmp(hv_iommu_probe_fault_bdf, bdf);
	mutex_unlock(&hv_iommu_probe_fault_lock);
	return hit;
}

/**
 * hv_iommu_probe_fault() - apply a "segment" fault to a probe
 * @name: the device's name (SSSS:BB:DD.F for PCI).
 * @segment: its segment; raised by 0x10000 when the fault names @name.
 *
 * Context: process context (takes a mutex).
 */
void hv_iommu_probe_fault(const char *name, int *segment)
{
	if (hv_iommu_probe_fault_is(HV_PROBE_FAULT_SEGMENT, name))
		*segment += 0x10000;
}

/**
 * hv_iommu_probe_fault_collide() - does a "collide" fault name a device
 * @bdf: its SSSS:BB:DD.F.
 *
 * Context: process context (takes a mutex).
 * Return: true if its probe should get the first device's id.
 */
bool hv_iommu_probe_fault_collide(const char *bdf)
{
	return hv_iommu_probe_fault_is(HV_PROBE_FAULT_COLLIDE, bdf);
}

static ssize_t hv_iommu_probe_fault_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	char *buf, *s, *kind, *bdf;
	int i, ret = -EINVAL;

	if (count > 64) {
		pr_err("probe_fault: a write of %zu bytes is too long\n", count);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	s = strim(buf);
	kind = strsep(&s, " ");
	bdf = s ? strim(s) : "";
	i = match_string(hv_iommu_probe_fault_kinds,
			 ARRAY_SIZE(hv_iommu_probe_fault_kinds), kind);
	if (i < 0 || (i == HV_PROBE_FAULT_NONE) != !*bdf ||
	    strlen(bdf) >= sizeof(hv_iommu_probe_fault_bdf)) {
		pr_err("probe_fault: '%s' is not 'segment BDF', 'collide BDF' or 'clear'\n",
		       strim(buf));
		goto out;
	}
	mutex_lock(&hv_iommu_probe_fault_lock);
	hv_iommu_probe_fault_kind = i;
	strscpy(hv_iommu_probe_fault_bdf, bdf,
		sizeof(hv_iommu_probe_fault_bdf));
	mutex_unlock(&hv_iommu_probe_fault_lock);
	ret = count;
out:
	kfree(buf);
	return ret;
}

static int hv_iommu_probe_fault_show(struct seq_file *m, void *v)
{
	mutex_lock(&hv_iommu_probe_fault_lock);
	if (hv_iommu_probe_fault_kind != HV_PROBE_FAULT_NONE)
		seq_printf(m, "kind=%s bdf=%s\n",
			   hv_iommu_probe_fault_kinds[hv_iommu_probe_fault_kind],
			   hv_iommu_probe_fault_bdf);
	mutex_unlock(&hv_iommu_probe_fault_lock);
	return 0;
}

static int hv_iommu_probe_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, hv_iommu_probe_fault_show, NULL);
}

const struct file_operations hv_iommu_probe_fault_fops = {
	.owner = THIS_MODULE,
	.open = hv_iommu_probe_fault_open,
	.read = seq_read,
	.write = hv_iommu_probe_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};
