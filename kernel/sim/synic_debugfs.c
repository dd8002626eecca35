// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim debugfs for the SynIC (doc/interfaces.md): "synic" (every CPU's
 * MSRs, who wrote them, deliveries), "synic_audit" (violations; write 0 to
 * reset), "synic_post" (the hypervisor sends test messages), "synic_msr"
 * (a test accesses an MSR, to prove the audit) and "vmbus"
 * (the VMBus model; write start or stop).
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "sim.h"

/* synic: one block of lines per possible CPU; the position is the CPU. */
static void *hv_sim_synic_seek(loff_t *pos)
{
	unsigned int cpu;

	if (*pos >= nr_cpu_ids)
		return NULL;
	cpu = cpumask_next(*pos - 1, cpu_possible_mask);
	if (cpu >= nr_cpu_ids)
		return NULL;
	*pos = cpu;
	return (void *)(unsigned long)(cpu + 1);
}

static void *hv_sim_synic_start(struct seq_file *m, loff_t *pos)
{
	return hv_sim_synic_seek(pos);
}

static void *hv_sim_synic_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hv_sim_synic_seek(pos);
}

static void hv_sim_synic_stop(struct seq_file *m, void *v)
{
}

static int hv_sim_synic_show(struct seq_file *m, void *v)
{
	hv_sim_synic_show_cpu(m, (unsigned long)v - 1);
	return 0;
}

static const struct seq_operations hv_sim_synic_sops = {
	.start = hv_sim_synic_start,
	.next = hv_sim_synic_next,
	.stop = hv_sim_synic_stop,
	.show = hv_sim_synic_show,
};
DEFINE_SEQ_ATTRIBUTE(hv_sim_synic);

/* synic_audit */

static int hv_sim_synic_audit_show(struct seq_file *m, void *v)
{
	hv_sim_synic_audit(m);
	return 0;
}

static ssize_t hv_sim_synic_audit_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	char *buf, *text;

	buf = hv_sim_knob_text(ubuf, count, "synic_audit", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (strcmp(text, "0")) {
		pr_warn("synic_audit: '%s' is not 0 (the only value it can be reset to)\n",
			text);
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	hv_sim_synic_audit_reset();
	return count;
}

HV_SIM_KNOB(hv_sim_synic_audit);

/* synic_post: "cpu=N [sint=S] [type=T] [sender=P] [vp=V] [count=K]" */

#define HV_SIM_SYNIC_POST_MAX	17	/* the slot and a full queue */

/**
 * struct hv_sim_synic_post_req - one write to synic_post
 * @cpu: target CPU.
 * @sint: target SINT.
 * @count: messages to post, in a row with interrupts off on @cpu, so the
 *	first fills the slot and the others wait for EOMs.
 * @msg: the message (vp_index in the first payload word).
 * @posted: set: messages accepted.
 * @err: set: the error of the first refused one.
 */
struct hv_sim_synic_post_req {
	unsigned int cpu;
	unsigned int sint;
	unsigned int count;
	struct hv_message msg;
	unsigned int posted;
	int err;
};

static void hv_sim_synic_post_on_cpu(void *arg)
{
	struct hv_sim_synic_post_req *req = arg;

	for (; req->posted < req->count; req->posted++) {
		req->err = hv_sim_synic_post(req->cpu, req->sint, &req->msg);
		if (req->err)
			break;
	}
}

static int hv_sim_synic_post_parse(char *text,
				   struct hv_sim_synic_post_req *req)
{
	bool have_cpu = false;
	char *tok, *val;
	u64 sender = 0;
	u32 type = HVMSG_UNMAPPED_GPA, vp = 0;
	int ret = 0;

	req->sint = HV_SYNIC_INTERCEPTION_SINT_INDEX;
	req->count = 1;
	while ((tok = strsep(&text, " \t")) && !ret) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val) {
			pr_warn("synic_post: '%s' is not KEY=VALUE\n", tok);
			return -EINVAL;
		}
		*val++ = '\0';
		if (!strcmp(tok, "cpu")) {
			ret = kstrtouint(val, 0, &req->cpu);
			have_cpu = true;
		} else if (!strcmp(tok, "sint")) {
			ret = kstrtouint(val, 0, &req->sint);
		} else if (!strcmp(tok, "type")) {
			ret = kstrtou32(val, 0, &type);
		} else if (!strcmp(tok, "sender")) {
			ret = kstrtou64(val, 0, &sender);
		} else if (!strcmp(tok, "vp")) {
			ret = kstrtou32(val, 0, &vp);
		} else if (!strcmp(tok, "count")) {
			ret = kstrtouint(val, 0, &req->count);
		} else {
			pr_warn("synic_post: unknown key '%s' (cpu, sint, type, sender, vp, count)\n",
				tok);
			return -EINVAL;
		}
		if (ret)
			pr_warn("synic_post: %s='%s' is not a number\n", tok, val);
	}
	if (ret)
		return -EINVAL;
	if (!have_cpu || req->cpu >= nr_cpu_ids || !cpu_online(req->cpu)) {
		pr_warn("synic_post: cpu= must name an online CPU\n");
		return -EINVAL;
	}
	if (req->sint >= HV_SYNIC_SINT_COUNT || type == HVMSG_NONE ||
	    !req->count || req->count > HV_SIM_SYNIC_POST_MAX) {
		pr_warn("synic_post: sint must be 0-15, type not 0, count 1-%d\n",
			HV_SIM_SYNIC_POST_MAX);
		return -EINVAL;
	}
	req->msg.header.message_type = type;
	req->msg.header.sender = sender;
	/* vp_index leads both the memory and the opaque intercept payloads. */
	req->msg.header.payload_size = type == HVMSG_UNMAPPED_GPA ||
				       type == HVMSG_GPA_INTERCEPT ?
		sizeof(struct hv_x64_memory_intercept_message) : sizeof(u32);
	req->msg.payload[0] = vp;
	return 0;
}

static ssize_t hv_sim_synic_post_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	struct hv_sim_synic_post_req *req;
	char *buf, *text;
	int ret;

	buf = hv_sim_knob_text(ubuf, count, "synic_post", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	ret = req ? hv_sim_synic_post_parse(text, req) : -ENOMEM;
	kfree(buf);
	if (!ret)
		ret = smp_call_function_single(req->cpu,
					       hv_sim_synic_post_on_cpu, req, 1);
	if (!ret && req->err) {
		/* Not bad input: the hypervisor refused (and counted) it. */
		pr_info("synic_post: cpu%u sint%u: %u of %u posted, then %d\n",
			req->cpu, req->sint, req->posted, req->count, req->err);
		ret = req->err;
	}
	kfree(req);
	return ret ? ret : count;
}

static const struct file_operations hv_sim_synic_post_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hv_sim_synic_post_write,
	.llseek = default_llseek,
};

/*
 * synic_msr: "cpu=N msr=0xM [value=0xV]": a test reads (no value) or
 * writes a SynIC MSR on a CPU as writer "test", to prove the audit counts
 * what it should.
 */

/**
 * struct hv_sim_synic_msr_req - one write to synic_msr
 * @msr: MSR number.
 * @value: value to write.
 * @write: write @value, else read.
 */
struct hv_sim_synic_msr_req {
	u32 msr;
	u64 value;
	bool write;
};

static void hv_sim_synic_msr_on_cpu(void *arg)
{
	struct hv_sim_synic_msr_req *req = arg;

	req->value = hv_sim_synic_access(HV_SIM_SYNIC_TEST, req->msr,
					 req->write ? &req->value : NULL);
}

static ssize_t hv_sim_synic_msr_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct hv_sim_synic_msr_req req = {};
	unsigned int cpu = UINT_MAX;
	char *buf, *text, *tok;
	int ret = 0;

	buf = hv_sim_knob_text(ubuf, count, "synic_msr", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	while ((tok = strsep(&text, " \t")) && !ret) {
		if (!*tok)
			continue;
		if (!strncmp(tok, "cpu=", 4))
			ret = kstrtouint(tok + 4, 0, &cpu);
		else if (!strncmp(tok, "msr=", 4))
			ret = kstrtou32(tok + 4, 0, &req.msr);
		else if (!strncmp(tok, "value=", 6))
			ret = kstrtou64(tok + 6, 0, &req.value);
		else
			ret = -EINVAL;
		req.write |= !strncmp(tok, "value=", 6);
	}
	kfree(buf);
	if (ret || cpu >= nr_cpu_ids || !cpu_online(cpu) ||
	    hv_sim_synic_index(req.msr) < 0) {
		pr_warn("synic_msr: expected 'cpu=N msr=0xM [value=0xV]' with an online CPU and a SynIC MSR (SCONTROL, SIEFP, SIMP, EOM, SIRBP, SINT0-15)\n");
		return -EINVAL;
	}
	ret = smp_call_function_single(cpu, hv_sim_synic_msr_on_cpu, &req, 1);
	return ret ? ret : count;
}

static const struct file_operations hv_sim_synic_msr_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hv_sim_synic_msr_write,
	.llseek = default_llseek,
};

/* vmbus */

static int hv_sim_vmbus_knob_show(struct seq_file *m, void *v)
{
	hv_sim_vmbus_show(m);
	return 0;
}

static ssize_t hv_sim_vmbus_knob_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char *buf, *text;
	int ret;

	buf = hv_sim_knob_text(ubuf, count, "vmbus", &text);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!strcmp(text, "start") && hv_sim_role() == HV_ROLE_L1VH) {
		ret = hv_sim_vmbus_start();
	} else if (!strcmp(text, "stop")) {
		ret = hv_sim_vmbus_stop();
	} else {
		pr_warn("vmbus: '%s' is not start or stop (start: role=l1vh only, a root partition runs no VMBus)\n",
			text);
		ret = -EINVAL;
	}
	if (ret == -EALREADY)
		pr_warn("vmbus: already %s\n", !strcmp(text, "stop") ?
			"stopped" : "running");
	kfree(buf);
	return ret ? ret : count;
}

HV_SIM_KNOB(hv_sim_vmbus_knob);

/**
 * hv_sim_synic_debugfs_init() - the SynIC's files in hv_sim's directory
 * @dir: /sys/kernel/debug/hv_sim.
 *
 * Context: module init, after hv_sim_synic_init() and hv_sim_vmbus_init().
 */
void hv_sim_synic_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("synic", 0444, dir, NULL, &hv_sim_synic_fops);
	debugfs_create_file("synic_audit", 0644, dir, NULL,
			    &hv_sim_synic_audit_fops);
	debugfs_create_file("synic_post", 0200, dir, NULL,
			    &hv_sim_synic_post_fops);
	debugfs_create_file("synic_msr", 0200, dir, NULL,
			    &hv_sim_synic_msr_fops);
	debugfs_create_file("vmbus", 0644, dir, NULL, &hv_sim_vmbus_knob_fops);
}
