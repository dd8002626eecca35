// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim debugfs, /sys/kernel/debug/hv_sim/: the hypervisor's view as
 * tables (domains, mappings, devices, partitions, pool, stats, audit) and the
 * knobs tests turn (rep_slice, pool_pages, fail, reset_stats).  Formats are
 * the contract in doc/interfaces.md: one record per line, key=value fields.
 *
 * Tables are seq_files whose start() takes hv_sim.lock and stop() drops it,
 * so every chunk of output is a consistent snapshot and nothing sleeps
 * under the lock (seq_printf() does not).  The files appear only once the
 * state behind them exists and go before it is torn down.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

static struct dentry *hv_sim_debugfs_dir;

/*
 * Tables backed by an xarray use the xarray index as the seq_file
 * position: resuming costs one lookup, however long the table.
 */
static void *hv_sim_xa_seek(struct xarray *xa, loff_t *pos)
{
	unsigned long index = *pos;
	void *entry;

	entry = xa_find(xa, &index, ULONG_MAX, XA_PRESENT);
	if (entry)
		*pos = index;
	return entry;
}

static void hv_sim_seq_stop(struct seq_file *m, void *v)
	__releases(&hv_sim.lock)
{
	spin_unlock_irq(&hv_sim.lock);
}

/* domains */

static void *hv_sim_domains_start(struct seq_file *m, loff_t *pos)
	__acquires(&hv_sim.lock)
{
	spin_lock_irq(&hv_sim.lock);
	return hv_sim_xa_seek(&hv_sim.domains, pos);
}

static void *hv_sim_domains_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hv_sim_xa_seek(&hv_sim.domains, pos);
}

static int hv_sim_domains_show(struct seq_file *m, void *v)
{
	struct hv_sim_device_domain *domain = v;

	seq_printf(m, "id=%u partition=self type=s2 devices=", domain->id);
	hv_sim_seq_devices_of(m, domain, NULL);
	seq_printf(m, " pages=%lu\n", domain->nr_pages);
	return 0;
}

static const struct seq_operations hv_sim_domains_sops = {
	.start = hv_sim_domains_start,
	.next = hv_sim_domains_next,
	.stop = hv_sim_seq_stop,
	.show = hv_sim_domains_show,
};
DEFINE_SEQ_ATTRIBUTE(hv_sim_domains);

/* mappings */

/**
 * struct hv_sim_mappings_iter - cursor of a reader of "mappings"
 * @pos: the record (run) number the cursor is at.
 * @dom_index: domain of that run.
 * @page_index: where to look for that run in the domain (its first page).
 * @run: the run, as last found.
 *
 * A reader that goes on where it stopped resumes at the cursor, so a whole
 * read costs time linear in the output; only a seek elsewhere walks the
 * runs from the start again.
 */
struct hv_sim_mappings_iter {
	loff_t pos;
	unsigned long dom_index;
	unsigned long page_index;
	struct hv_sim_run run;
};

/*
 * Unlike the other tables, "mappings" does not hold hv_sim.lock from start
 * to stop: hv_sim_run_find() takes it a batch of pages at a time.
 */
static void *hv_sim_mappings_start(struct seq_file *m, loff_t *pos)
{
	struct hv_sim_mappings_iter *it = m->private;

	if (!*pos || *pos != it->pos) {
		it->pos = 0;
		it->dom_index = 0;
		it->page_index = 0;
		while (it->pos < *pos) {
			if (!hv_sim_run_find(&it->dom_index, &it->page_index,
					     &it->run))
				return NULL;
			it->page_index = it->run.iova_pfn + it->run.pages;
			it->pos++;
		}
	}
	/* The state may have changed since the last chunk: look again. */
	return hv_sim_run_find(&it->dom_index, &it->page_index, &it->run) ?
	       it : NULL;
}

static void *hv_sim_mappings_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct hv_sim_mappings_iter *it = v;

	it->page_index = it->run.iova_pfn + it->run.pages;
	it->pos = ++*pos;
	return hv_sim_run_find(&it->dom_index, &it->page_index, &it->run) ?
	       it : NULL;
}

static int hv_sim_mappings_show(struct seq_file *m, void *v)
{
	const struct hv_sim_run *run = &((struct hv_sim_mappings_iter *)v)->run;

	seq_printf(m, "domain=%u iova=0x%lx pfn=0x%lx pages=%lu flags=0x%x\n",
		   run->domain, run->iova_pfn << HV_HYP_PAGE_SHIFT, run->pfn,
		   run->pages, run->flags);
	return 0;
}

static void hv_sim_mappings_stop(struct seq_file *m, void *v)
{
}

static const struct seq_operations hv_sim_mappings_sops = {
	.start = hv_sim_mappings_start,
	.next = hv_sim_mappings_next,
	.stop = hv_sim_mappings_stop,
	.show = hv_sim_mappings_show,
};

static int hv_sim_mappings_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &hv_sim_mappings_sops,
				sizeof(struct hv_sim_mappings_iter));
}

static const struct file_operations hv_sim_mappings_fops = {
	.owner = THIS_MODULE,
	.open = hv_sim_mappings_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* devices: only those some call named */

static void *hv_sim_devices_seek(loff_t *pos)
{
	struct hv_sim_device *dev;

	while ((dev = hv_sim_xa_seek(&hv_sim.devices, pos)) && !dev->seen)
		++*pos;
	return dev;
}

static void *hv_sim_devices_start(struct seq_file *m, loff_t *pos)
	__acquires(&hv_sim.lock)
{
	spin_lock_irq(&hv_sim.lock);
	return hv_sim_devices_seek(pos);
}

static void *hv_sim_devices_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hv_sim_devices_seek(pos);
}

static int hv_sim_devices_show(struct seq_file *m, void *v)
{
	const struct hv_sim_device *dev = v;

	seq_printf(m, "device_id=0x%llx bdf=", hv_sim_device_id(dev));
	hv_sim_seq_bdf(m, dev->key);
	if (dev->partition)
		seq_printf(m, " partition=%llu logical_id=0x%llx",
			   dev->partition->id, dev->logical_id);
	else
		seq_printf(m, " domain=%u", dev->domain->id);
	/* Off the bus but still held by the hypervisor. */
	if (!dev->functions)
		seq_puts(m, " state=removed");
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations hv_sim_devices_sops = {
	.start = hv_sim_devices_start,
	.next = hv_sim_devices_next,
	.stop = hv_sim_seq_stop,
	.show = hv_sim_devices_show,
};
DEFINE_SEQ_ATTRIBUTE(hv_sim_devices);

/* partitions, their VPs and GPA maps */

static const char *const hv_sim_pt_state_names[] = {
	[HV_SIM_PT_CREATED] = "created",
	[HV_SIM_PT_INITIALIZED] = "initialized",
	[HV_SIM_PT_FINALIZED] = "finalized",
};

static void *hv_sim_partitions_start(struct seq_file *m, loff_t *pos)
	__acquires(&hv_sim.lock)
{
	spin_lock_irq(&hv_sim.lock);
	return seq_list_start(&hv_sim.partitions, *pos);
}

static void *hv_sim_partitions_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &hv_sim.partitions, pos);
}

static int hv_sim_partitions_show(struct seq_file *m, void *v)
{
	const struct hv_sim_partition *pt =
		list_entry(v, struct hv_sim_partition, node);

	seq_printf(m, "id=%llu state=%s flags=0x%llx pages=%lu free_pages=%lu gpa_pages=%lu gpa_remaps=%llu vps=%u devices=",
		   pt->id, hv_sim_pt_state_names[pt->state], pt->flags,
		   pt->nr_pages, pt->nr_free, pt->nr_gpa_pages, pt->gpa_remaps,
		   pt->nr_vps);
	hv_sim_seq_devices_of(m, NULL, pt);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations hv_sim_partitions_sops = {
	.start = hv_sim_partitions_start,
	.next = hv_sim_partitions_next,
	.stop = hv_sim_seq_stop,
	.show = hv_sim_partitions_show,
};
DEFINE_SEQ_ATTRIBUTE(hv_sim_partitions);

/* deposited: pfn=0x... of every page deposited, in pfn order */

static void *hv_sim_deposited_start(struct seq_file *m, loff_t *pos)
	__acquires(&hv_sim.lock)
{
	spin_lock_irq(&hv_sim.lock);
	return hv_sim_xa_seek(&hv_sim.deposited, pos);
}

static void *hv_sim_deposited_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hv_sim_xa_seek(&hv_sim.deposited, pos);
}

/* The position is the xarray index, i.e. the page frame number. */
static int hv_sim_deposited_show(struct seq_file *m, void *v)
{
	seq_printf(m, "pfn=0x%llx\n", (unsigned long long)m->index);
	return 0;
}

static const struct seq_operations hv_sim_deposited_sops = {
	.start = hv_sim_deposited_start,
	.next = hv_sim_deposited_next,
	.stop = hv_sim_seq_stop,
	.show = hv_sim_deposited_show,
};
DEFINE_SEQ_ATTRIBUTE(hv_sim_deposited);
/* One record per VP of every partition. */
static int hv_sim_vps_show(struct seq_file *m, void *v)
{
	struct hv_sim_partition *pt;
	struct hv_sim_vp *vp;
	unsigned long index;

	spin_lock_irq(&hv_sim.lock);
	list_for_each_entry(pt, &hv_sim.partitions, node)
		xa_for_each(&pt->vps, index, vp)
			seq_printf(m, "partition=%llu vp=%u regs_pfn=0x%lx msg_pfn=0x%lx mapped=0x%lx suspended=%d dispatches=%llu intercepts=%llu\n",
				   pt->id, vp->index, vp->regs_pfn, vp->msg_pfn,
				   vp->mapped, vp->suspended, vp->dispatches,
				   vp->intercepts);
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_sim_vps);

/* One record per run of every partition's GPA map. */
static int hv_sim_gpa_show(struct seq_file *m, void *v)
{
	struct hv_sim_partition *pt;
	unsigned long gfn, pfn, pages;
	u32 flags;

	spin_lock_irq(&hv_sim.lock);
	list_for_each_entry(pt, &hv_sim.partitions, node)
		for (gfn = 0; hv_sim_pte_run(&pt->gpa, &gfn, &pfn, &pages,
					     &flags, ULONG_MAX); gfn += pages)
			seq_printf(m, "partition=%llu gpa=0x%lx pfn=0x%lx pages=%lu flags=0x%x\n",
				   pt->id, gfn << HV_HYP_PAGE_SHIFT, pfn, pages,
				   flags);
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_sim_gpa);

/* pool, stats */

static int hv_sim_pool_show(struct seq_file *m, void *v)
{
	spin_lock_irq(&hv_sim.lock);
	seq_printf(m, "free_pages=%lu deposited_pages=%lu consumed_pages=%lu leaked_pages=%lu\n",
		   hv_sim.pool_free, hv_sim.pool_deposited,
		   hv_sim.pool_consumed, hv_sim.pages_leaked);
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_sim_pool);

static int hv_sim_stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	spin_lock_irq(&hv_sim.lock);
	for (i = 0; i < HV_SIM_NR_CALLS; i++) {
		const struct hv_sim_call_stats *s = &hv_sim.call_stats[i];

		seq_printf(m, "call code=0x%x calls=%llu reps=%llu failures=%llu\n",
			   hv_sim_call_code(i), s->calls, s->reps, s->failures);
	}
	for (i = 0; i < hv_sim.nr_statuses; i++)
		seq_printf(m, "status code=0x%x count=%llu\n",
			   hv_sim.status_code[i], hv_sim.status_count[i]);
	seq_printf(m, "misuse irqs_enabled=%llu foreign_input_page=%llu\n",
		   hv_sim.misuse_irqs_enabled, hv_sim.misuse_foreign_page);
	seq_printf(m, "reader max_pages_per_lock=%lu\n", hv_sim.reader_max_walk);
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_sim_stats);

static int hv_sim_audit_file_show(struct seq_file *m, void *v)
{
	hv_sim_audit_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_sim_audit_file);

/* knobs */

/**
 * hv_sim_knob_text() - a knob write's text
 * @ubuf: user buffer.
 * @count: its length; more than 64 bytes is refused with a log line.
 * @knob: the knob's name, for the log.
 * @text: set to the text, NUL-terminated and trimmed.
 *
 * Return: the buffer to kfree(), or an ERR_PTR (-EINVAL, -EFAULT, -ENOMEM).
 */
char *hv_sim_knob_text(const char __user *ubuf, size_t count,
		       const char *knob, char **text)
{
	char *buf;

	if (count > 64) {
		pr_warn("%s: a write of %zu bytes is too long\n", knob, count);
		return ERR_PTR(-EINVAL);
	}
	buf = memdup_user_nul(ubuf, count);
	if (!IS_ERR(buf))
		*text = strim(buf);
	return buf;
}

static int hv_sim_rep_slice_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", READ_ONCE(hv_sim.rep_slice));
	return 0;
}

static ssize_t hv_sim_rep_slice_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	char *buf, *text;
	u32 val;

	buf = hv_sim_knob_text(ubuf, count, "rep_slice", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (kstrtou32(text, 0, &val)) {
		pr_warn("rep_slice: '%s' is not a number from 0 (unlimited) to %u\n",
			text, U32_MAX);
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	spin_lock_irq(&hv_sim.lock);
	hv_sim.rep_slice = val;
	spin_unlock_irq(&hv_sim.lock);
	return count;
}

static int hv_sim_pool_pages_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu\n", READ_ONCE(hv_sim.pool_free));
	return 0;
}

static ssize_t hv_sim_pool_pages_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	unsigned long val;
	char *buf, *text;

	buf = hv_sim_knob_text(ubuf, count, "pool_pages", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (kstrtoul(text, 0, &val)) {
		pr_warn("pool_pages: '%s' is not a page count\n", text);
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	/* Sets what is free; pages in use stay accounted as consumed. */
	spin_lock_irq(&hv_sim.lock);
	hv_sim.pool_free = val;
	spin_unlock_irq(&hv_sim.lock);
	return count;
}

static int hv_sim_fail_show(struct seq_file *m, void *v)
{
	hv_sim_fault_show(m);
	return 0;
}

static ssize_t hv_sim_fail_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char *buf, *text;
	int ret;

	buf = hv_sim_knob_text(ubuf, count, "fail", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = hv_sim_fault_parse(text);
	kfree(buf);
	return ret ? ret : count;
}

static ssize_t hv_sim_reset_stats_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	char *buf, *text;

	buf = hv_sim_knob_text(ubuf, count, "reset_stats", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (strcmp(text, "1")) {
		pr_warn("reset_stats: '%s' is not 1\n", text);
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	hv_sim_stats_reset();
	return count;
}

HV_SIM_KNOB(hv_sim_rep_slice);
HV_SIM_KNOB(hv_sim_pool_pages);
HV_SIM_KNOB(hv_sim_fail);

static const struct file_operations hv_sim_reset_stats_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hv_sim_reset_stats_write,
	.llseek = default_llseek,
};

/**
 * hv_sim_debugfs_init() - create /sys/kernel/debug/hv_sim/
 *
 * Call last in module init, once all state exists.  Like every debugfs
 * user, carries on if debugfs is unavailable.
 */
void hv_sim_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("hv_sim", NULL);

	debugfs_create_file("domains", 0444, dir, NULL, &hv_sim_domains_fops);
	debugfs_create_file("mappings", 0444, dir, NULL, &hv_sim_mappings_fops);
	debugfs_create_file("devices", 0444, dir, NULL, &hv_sim_devices_fops);
	debugfs_create_file("partitions", 0444, dir, NULL,
			    &hv_sim_partitions_fops);
	debugfs_create_file("vps", 0444, dir, NULL, &hv_sim_vps_fops);
	debugfs_create_file("gpa", 0444, dir, NULL, &hv_sim_gpa_fops);
	debugfs_create_file("pool", 0444, dir, NULL, &hv_sim_pool_fops);
	debugfs_create_file("deposited", 0444, dir, NULL,
			    &hv_sim_deposited_fops);
	debugfs_create_file("call", 0600, dir, NULL, &hv_sim_call_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &hv_sim_stats_fops);
	debugfs_create_file("audit", 0444, dir, NULL, &hv_sim_audit_file_fops);
	debugfs_create_file("rep_slice", 0644, dir, NULL,
			    &hv_sim_rep_slice_fops);
	debugfs_create_file("pool_pages", 0644, dir, NULL,
			    &hv_sim_pool_pages_fops);
	debugfs_create_file("fail", 0644, dir, NULL, &hv_sim_fail_fops);
	debugfs_create_file("reset_stats", 0200, dir, NULL,
			    &hv_sim_reset_stats_fops);
	hv_sim_synic_debugfs_init(dir);
	hv_sim_debugfs_dir = dir;
}

/**
 * hv_sim_debugfs_exit() - remove /sys/kernel/debug/hv_sim/
 *
 * Call first in module exit: returns once no reader is inside a file.
 */
void hv_sim_debugfs_exit(void)
{
	debugfs_remove_recursive(hv_sim_debugfs_dir);
	hv_sim_debugfs_dir = NULL;
}
