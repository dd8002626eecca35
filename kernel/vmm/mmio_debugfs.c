// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm debugfs per partition, hv_vmm/partitions/<id>/ (formats in
 * doc/interfaces.md, one record per line, key=value fields):
 *
 *   regions     gpa=0x.. size=0x.. kind=ram|mmio uaddr=0x.. mapped_pages=N
 *   mmio_pages  gpa=0x.. spa=0x.. pages=N   (runs mapped in the hypervisor)
 *   counters    one line: every &enum hv_vmm_mmio_counter as name=value
 *
 * The directory appears when the partition exists in the hypervisor and
 * goes first at teardown (debugfs_remove() waits for readers).
 */
#include "vmm.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>

/* hv_vmm/partitions, set once at load. */
static struct dentry *hv_vmm_partitions_dir;

static int hv_vmm_regions_show(struct seq_file *m, void *v)
{
	struct hv_vmm_partition *pt = m->private;
	struct hv_vmm_region *r;

	mutex_lock(&pt->mutex);
	list_for_each_entry(r, &pt->regions, node)
		seq_printf(m, "gpa=0x%llx size=0x%llx kind=%s uaddr=0x%llx mapped_pages=%lu\n",
			   r->gfn << HV_HYP_PAGE_SHIFT,
			   r->npages << HV_HYP_PAGE_SHIFT,
			   r->mmio ? "mmio" : "ram", r->uaddr,
			   hv_vmm_region_mapped(r));
	mutex_unlock(&pt->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_vmm_regions);

/* Print @r's mapped pages as runs where GPA and SPA advance together. */
static void hv_vmm_mmio_pages_region(struct seq_file *m,
				     struct hv_vmm_region *r)
{
	unsigned long index, start = 0, pages = 0;
	u64 pfn, spa = 0;
	void *entry;

	mutex_lock(&r->mmio_lock);
	xa_for_each(&r->spa, index, entry) {
		pfn = xa_to_value(entry);
		if (pages && index == start + pages && pfn == spa + pages) {
			pages++;
			continue;
		}
		if (pages)
			seq_printf(m, "gpa=0x%llx spa=0x%llx pages=%lu\n",
				   (r->gfn + start) << HV_HYP_PAGE_SHIFT,
				   spa << HV_HYP_PAGE_SHIFT, pages);
		start = index;
		spa = pfn;
		pages = 1;
	}
	if (pages)
		seq_printf(m, "gpa=0x%llx spa=0x%llx pages=%lu\n",
			   (r->gfn + start) << HV_HYP_PAGE_SHIFT,
			   spa << HV_HYP_PAGE_SHIFT, pages);
	mutex_unlock(&r->mmio_lock);
}

static int hv_vmm_mmio_pages_show(struct seq_file *m, void *v)
{
	struct hv_vmm_partition *pt = m->private;
	struct hv_vmm_region *r;

	mutex_lock(&pt->mutex);
	list_for_each_entry(r, &pt->regions, node)
		if (r->mmio)
			hv_vmm_mmio_pages_region(m, r);
	mutex_unlock(&pt->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_vmm_mmio_pages);

static int hv_vmm_counters_show(struct seq_file *m, void *v)
{
	struct hv_vmm_mmio_stats st;
	int i;

	hv_vmm_mmio_stats_read(m->private, &st);
	for (i = 0; i < HV_VMM_MMIO_NR_COUNTERS; i++)
		seq_printf(m, "%s%s=%llu", i ? " " : "",
			   hv_vmm_mmio_counter_name(i), st.v[i]);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_vmm_counters);

/**
 * hv_vmm_mmio_debugfs_init() - create hv_vmm/partitions
 * @dir: hv_vmm's debugfs directory.
 *
 * Context: module init.
 */
void hv_vmm_mmio_debugfs_init(struct dentry *dir)
{
	WRITE_ONCE(hv_vmm_partitions_dir, debugfs_create_dir("partitions", dir));
}

/**
 * hv_vmm_partition_debugfs_init() - create hv_vmm/partitions/<id>/
 * @pt: the partition, created in the hypervisor, its lists set up.
 *
 * A partition created while the module is still loading (before
 * hv_vmm/partitions exists) gets no directory.
 *
 * Context: process context, may sleep.
 */
void hv_vmm_partition_debugfs_init(struct hv_vmm_partition *pt)
{
	struct dentry *parent = READ_ONCE(hv_vmm_partitions_dir);
	char name[24];

	if (IS_ERR_OR_NULL(parent))
		return;
	snprintf(name, sizeof(name), "%llu", pt->id);
	pt->debugfs = debugfs_create_dir(name, parent);
	debugfs_create_file("regions", 0444, pt->debugfs, pt,
			    &hv_vmm_regions_fops);
	debugfs_create_file("mmio_pages", 0444, pt->debugfs, pt,
			    &hv_vmm_mmio_pages_fops);
	debugfs_create_file("counters", 0444, pt->debugfs, pt,
			    &hv_vmm_counters_fops);
}

/**
 * hv_vmm_partition_debugfs_exit() - remove hv_vmm/partitions/<id>/
 * @pt: the partition, before its teardown starts.
 *
 * On return no reader is in its files.
 *
 * Context: process context, may sleep.
 */
void hv_vmm_partition_debugfs_exit(struct hv_vmm_partition *pt)
{
	debugfs_remove_recursive(pt->debugfs);
	pt->debugfs = NULL;
}
