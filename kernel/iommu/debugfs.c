// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/hv_iommu/{domains,devices,skipped,stats} and
 * mappings/<id>, one per paging domain, created once the domain is
 * initialised and removed before it is freed.  Formats: doc/interfaces.md.
 */
#include "hv_iommu.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>

static struct dentry *hv_iommu_debugfs_dir;
static struct dentry *hv_iommu_debugfs_mappings;

static void hv_iommu_domain_show(struct seq_file *m,
				 struct hv_iommu_domain *hvdom)
{
	static const char * const types[] = {
		[HV_IOMMU_KIND_IDENTITY] = "identity",
		[HV_IOMMU_KIND_BLOCKED] = "blocked",
		[HV_IOMMU_KIND_PAGING] = "paging",
	};
	struct hv_iommu_dev *hd;
	bool first = true;
	u64 bytes, count;

	seq_printf(m, "id=%u type=%s mode=%s partition=", hvdom->id,
		   types[hvdom->kind], hv_iommu_mode_name(hvdom->mode));
	if (hvdom->mode == HV_IOMMU_MODE_DIRECT)
		seq_printf(m, "%llu", hvdom->partition_id);
	else if (hvdom->mode == HV_IOMMU_MODE_DOMAIN)
		seq_puts(m, "self");
	else
		seq_puts(m, "-");
	seq_puts(m, " devices=");
	list_for_each_entry(hd, &hvdom->devices, domain_node) {
		seq_printf(m, "%s%s", first ? "" : ",", hd->bdf);
		first = false;
	}
	if (first)
		seq_puts(m, "-");
	hv_iommu_mappings_totals(hvdom, &bytes, &count);
	seq_printf(m, " mapped_bytes=%llu mappings=%llu", bytes, count);
	if (hvdom->stranded)
		seq_puts(m, " state=stranded");
	seq_putc(m, '\n');
}

static int domains_show(struct seq_file *m, void *v)
{
	struct hv_iommu_domain *hvdom;

	mutex_lock(&hv_iommu_lock);
	hv_iommu_domain_show(m, &hv_iommu_identity);
	hv_iommu_domain_show(m, &hv_iommu_blocked);
	list_for_each_entry(hvdom, &hv_iommu_paging_domains, list)
		hv_iommu_domain_show(m, hvdom);
	mutex_unlock(&hv_iommu_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(domains);

static int devices_show(struct seq_file *m, void *v)
{
	struct hv_iommu_dev *hd;

	mutex_lock(&hv_iommu_lock);
	list_for_each_entry(hd, &hv_iommu_devices, list) {
		seq_printf(m, "bdf=%s device_id=0x%llx domain=%u state=%s status=0x%x",
			   hd->bdf, hd->device_id, hd->domain->id,
			   hd->state == HV_IOMMU_DEV_ATTACHED ?
			   "attached" : "detach-failed", hd->status);
		if (hd->domain->mode == HV_IOMMU_MODE_DIRECT)
			seq_printf(m, " logical_id=0x%llx", hd->logical_id);
		if (hd->direct_partition)
			seq_printf(m, " direct_partition=%llu",
				   hd->direct_partition);
		seq_putc(m, '\n');
	}
	mutex_unlock(&hv_iommu_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

static int skipped_show(struct seq_file *m, void *v)
{
	hv_iommu_skipped_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(skipped);

static int stats_show(struct seq_file *m, void *v)
{
	hv_hcall_stats_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/*
 * mappings/<id>: streamed in IOVA order.  The iterator keeps a copy of the
 * current mapping and its index; each step is one lookup from the cursor
 * (hv_iommu_mapping_from()), with the domain lock held only for that.
 */
struct hv_map_iter {
	struct hv_iommu_domain *hvdom;
	loff_t index;
	bool end;		/* @index is past the last mapping */
	struct hv_iommu_mapping cur;
};

static bool hv_map_iter_advance(struct hv_map_iter *it)
{
	if (it->cur.it.last == ULONG_MAX)
		return false;
	return hv_iommu_mapping_from(it->hvdom, it->cur.it.last + 1, &it->cur);
}

static void *hv_map_seq_start(struct seq_file *m, loff_t *pos)
{
	struct hv_map_iter *it = m->private;
	loff_t i;

	/*
	 * Continuing where the last read stopped: look the record up again;
	 * the read that finds the end (it returns 0) walks nothing.
	 */
	if (*pos && *pos == it->index) {
		if (it->end)
			return NULL;
		return hv_iommu_mapping_from(it->hvdom, it->cur.it.start,
					     &it->cur) ? it : NULL;
	}
	it->end = false;
	/* From the start (or after a seek): walk. */
	if (!hv_iommu_mapping_from(it->hvdom, 0, &it->cur))
		return NULL;
	for (i = 0; i < *pos; i++)
		if (!hv_map_iter_advance(it))
			return NULL;
	it->index = *pos;
	return it;
}

static void *hv_map_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct hv_map_iter *it = v;

	++*pos;
	it->index = *pos;
	it->end = !hv_map_iter_advance(it);
	return it->end ? NULL : it;
}

static void hv_map_seq_stop(struct seq_file *m, void *v)
{
}

static int hv_map_seq_show(struct seq_file *m, void *v)
{
	struct hv_map_iter *it = v;

	seq_printf(m, "0x%016lx-0x%016lx 0x%016llx %s\n", it->cur.it.start,
		   it->cur.it.last, (u64)it->cur.paddr,
		   it->cur.flags & HV_MAP_GPA_WRITABLE ? "rw" : "r");
	return 0;
}

static const struct seq_operations hv_map_seq_ops = {
	.start = hv_map_seq_start,
	.next = hv_map_seq_next,
	.stop = hv_map_seq_stop,
	.show = hv_map_seq_show,
};

static int hv_map_open(struct inode *inode, struct file *file)
{
	struct hv_map_iter *it;

	it = __seq_open_private(file, &hv_map_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->hvdom = inode->i_private;
	return 0;
}

static const struct file_operations hv_map_fops = {
	.owner = THIS_MODULE,
	.open = hv_map_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/**
 * hv_iommu_debugfs_init() - create /sys/kernel/debug/hv_iommu/
 *
 * Called once the driver's state is initialised.  debugfs failures are not
 * fatal; the files are simply missing.
 *
 * Context: module init.
 */
void hv_iommu_debugfs_init(void)
{
	struct dentry *d = debugfs_create_dir(HV_IOMMU_NAME, NULL);

	debugfs_create_file("domains", 0444, d, NULL, &domains_fops);
	debugfs_create_file("devices", 0444, d, NULL, &devices_fops);
	debugfs_create_file("skipped", 0444, d, NULL, &skipped_fops);
	debugfs_create_file("stats", 0444, d, NULL, &stats_fops);
	debugfs_create_file("probe_fault", 0600, d, NULL,
			    &hv_iommu_probe_fault_fops);
	hv_iommu_debugfs_mappings = debugfs_create_dir("mappings", d);
	hv_iommu_debugfs_dir = d;
}

/**
 * hv_iommu_debugfs_cleanup() - remove /sys/kernel/debug/hv_iommu/
 *
 * Only on a failed module init, before any paging domain exists.
 *
 * Context: module init.
 */
void hv_iommu_debugfs_cleanup(void)
{
	debugfs_remove(hv_iommu_debugfs_dir);
	hv_iommu_debugfs_dir = NULL;
	hv_iommu_debugfs_mappings = NULL;
}

/**
 * hv_iommu_debugfs_add_domain() - create mappings/<id> for a paging domain
 * @hvdom: an initialised paging domain.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_debugfs_add_domain(struct hv_iommu_domain *hvdom)
{
	char name[12];

	if (IS_ERR_OR_NULL(hv_iommu_debugfs_mappings))
		return;
	snprintf(name, sizeof(name), "%u", hvdom->id);
	hvdom->debugfs = debugfs_create_file(name, 0444,
					     hv_iommu_debugfs_mappings, hvdom,
					     &hv_map_fops);
}

/**
 * hv_iommu_debugfs_remove_domain() - remove mappings/<id>
 * @hvdom: a paging domain about to be freed.
 *
 * Waits for reads in progress; later reads of a file still open fail.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_debugfs_remove_domain(struct hv_iommu_domain *hvdom)
{
	debugfs_remove(hvdom->debugfs);
	hvdom->debugfs = NULL;
}
