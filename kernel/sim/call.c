// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim debugfs "call": make one hypercall from user space, the way a
 * driver would or, on purpose, the ways a driver must not (interrupts on,
 * another page than this CPU's input page).  Tests use it to check the
 * simulator's own refusals where no correct driver path reaches them (a
 * map of a deposited frame, a misused input page).  Root only (0600); it
 * can change hypervisor state behind hv_iommu's back, as any hypercall can.
 *
 * Write: "CODE REP_COUNT REP_START MODE HEX"
 *	CODE, REP_COUNT (0-4095), REP_START (0-4095): the control word;
 *	MODE: "own" (this CPU's input page, interrupts off), "irqs-on" (this
 *	CPU's input page, interrupts on) or "foreign" (a page that is not
 *	this CPU's input page, interrupts off);
 *	HEX: the input bytes, at most one page (the rest of the page is 0).
 * Read: "status=0xS reps=N" of the last call made through this file.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hv_compat.h"
#include "sim.h"

/* "CODE REP_COUNT REP_START MODE " plus two hex digits per input byte. */
#define HV_SIM_CALL_TEXT_MAX	(64 + 2 * HV_HYP_PAGE_SIZE)

enum hv_sim_call_mode { HV_SIM_CALL_OWN, HV_SIM_CALL_IRQS_ON,
			HV_SIM_CALL_FOREIGN };

static const char * const hv_sim_call_modes[] = {
	[HV_SIM_CALL_OWN] = "own",
	[HV_SIM_CALL_IRQS_ON] = "irqs-on",
	[HV_SIM_CALL_FOREIGN] = "foreign",
};

/* The last result; calls through the file are serialised. */
static DEFINE_MUTEX(hv_sim_call_lock);
static u64 hv_sim_call_result;

static u64 hv_sim_call_make(u64 control, const u8 *in, size_t len,
			    enum hv_sim_call_mode mode, void *foreign)
{
	unsigned long flags;
	void *page;
	u64 result;

	switch (mode) {
	case HV_SIM_CALL_IRQS_ON:
		preempt_disable();
		page = hv_sim_input_page_of(smp_processor_id());
		memset(page, 0, HV_HYP_PAGE_SIZE);
		memcpy(page, in, len);
		result = hv_sim_hypercall(control, page, NULL);
		preempt_enable();
		return result;
	case HV_SIM_CALL_FOREIGN:
		page = foreign;
		memcpy(page, in, len);
		local_irq_save(flags);
		break;
	default:
		local_irq_save(flags);
		page = hv_sim_input_page_of(smp_processor_id());
		memset(page, 0, HV_HYP_PAGE_SIZE);
		memcpy(page, in, len);
		break;
	}
	result = hv_sim_hypercall(control, page, NULL);
	local_irq_restore(flags);
	return result;
}

/* Parse the write; on error log why and return -EINVAL. */
static int hv_sim_call_parse(char *text, u64 *control, u8 *in, size_t *len,
			     enum hv_sim_call_mode *mode)
{
	char *field[5], *s = strim(text), *tok;
	unsigned int n = 0;
	u32 count, start;
	size_t hexlen;
	int i;
	u16 code;

	while (n < ARRAY_SIZE(field) && (tok = strsep(&s, " \t\n"))) {
		if (*tok)
			field[n++] = tok;
	}
	if (n < 4 || (s && *strim(s))) {
		pr_warn("call: expected CODE REP_COUNT REP_START MODE [HEX]\n");
		return -EINVAL;
	}
	if (kstrtou16(field[0], 0, &code) ||
	    kstrtou32(field[1], 0, &count) || count > HV_HC_REP_MAX ||
	    kstrtou32(field[2], 0, &start) || start > HV_HC_REP_MAX) {
		pr_warn("call: '%s %s %s' is not CODE (16 bits) REP_COUNT REP_START (0-%u)\n",
			field[0], field[1], field[2], HV_HC_REP_MAX);
		return -EINVAL;
	}
	i = match_string(hv_sim_call_modes, ARRAY_SIZE(hv_sim_call_modes),
			 field[3]);
	if (i < 0) {
		pr_warn("call: mode '%s' is not own, irqs-on or foreign\n",
			field[3]);
		return -EINVAL;
	}
	hexlen = n > 4 ? strlen(field[4]) : 0;
	if (hexlen % 2 || hexlen / 2 > HV_HYP_PAGE_SIZE ||
	    (hexlen && hex2bin(in, field[4], hexlen / 2))) {
		pr_warn("call: the input is not hex bytes (at most %lu)\n",
			HV_HYP_PAGE_SIZE);
		return -EINVAL;
	}
	*control = hv_control_make(code, count, start);
	*len = hexlen / 2;
	*mode = i;
	return 0;
}

static ssize_t hv_sim_call_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	enum hv_sim_call_mode mode;
	void *foreign = NULL;
	u8 *in = NULL;
	char *text;
	u64 control;
	size_t len;
	int ret;

	if (count > HV_SIM_CALL_TEXT_MAX) {
		pr_warn("call: a write of %zu bytes is too long\n", count);
		return -EINVAL;
	}
	text = memdup_user_nul(ubuf, count);
	if (IS_ERR(text))
		return PTR_ERR(text);
	in = kzalloc(HV_HYP_PAGE_SIZE, GFP_KERNEL);
	foreign = (void *)get_zeroed_page(GFP_KERNEL);
	ret = -ENOMEM;
	if (!in || !foreign)
		goto out;
	ret = hv_sim_call_parse(text, &control, in, &len, &mode);
	if (ret)
		goto out;
	mutex_lock(&hv_sim_call_lock);
	hv_sim_call_result = hv_sim_call_make(control, in, len, mode, foreign);
	mutex_unlock(&hv_sim_call_lock);
	ret = count;
out:
	free_page((unsigned long)foreign);
	kfree(in);
	kfree(text);
	return ret;
}

static int hv_sim_call_show(struct seq_file *m, void *v)
{
	u64 result;

	mutex_lock(&hv_sim_call_lock);
	result = hv_sim_call_result;
	mutex_unlock(&hv_sim_call_lock);
	seq_printf(m, "status=0x%x reps=%u\n", hv_result_status(result),
		   hv_result_reps(result));
	return 0;
}

static int hv_sim_call_open(struct inode *inode, struct file *file)
{
	return single_open(file, hv_sim_call_show, NULL);
}

const struct file_operations hv_sim_call_fops = {
	.owner = THIS_MODULE,
	.open = hv_sim_call_open,
	.read = seq_read,
	.write = hv_sim_call_write,
	.llseek = seq_lseek,
	.release = single_release,
};
