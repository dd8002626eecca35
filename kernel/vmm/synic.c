// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm: the driver's share of the SynIC, and intercept delivery.
 *
 * The SynIC is shared with VMBus (seed 002).  VMBus owns SIMP, SIEFP,
 * SCONTROL and SINT2; this driver owns SINT0 (intercepts), SINT5
 * (doorbells) and SIRBP.  A root partition runs no VMBus, so there the
 * driver enables and disables SIMP, SIEFP and SCONTROL itself; on L1VH it
 * leaves them to VMBus (which set them up before and tears them down after
 * us) and brings its own SIRBP page.  One code path for both roles: what
 * differs is the policy table below, chosen once at load from the
 * backend's role.
 *
 * Per-CPU setup and teardown run from a cpuhp state (CPUHP_AP_ONLINE_DYN,
 * registered after VMBus's, so a CPU going offline tears ours down first).
 * A reboot notifier at the default priority tears down on every CPU before
 * VMBus goes (reboot and kexec); module unload does the same while VMBus
 * stays up.  The hypervisor does not tolerate an access to any SynIC MSR
 * but SCONTROL while SCONTROL is off, so SCONTROL goes on first and off
 * last, and on L1VH nothing is touched on a CPU where VMBus has not
 * enabled it.
 *
 * Intercepts arrive in SINT0's slot of the message page: the handler runs
 * in hard-irq context on the CPU the message went to, copies it, hands it
 * to hv_vmm_intercept_arrived(), frees the slot and writes EOM when the
 * hypervisor holds another one (msg_pending).
 */
#include "vmm.h"

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/preempt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <net/genetlink.h>

#include "hv_iommu_nl.h"
#include "hv_nl.h"

/* The SynIC resources shown in debugfs, in setup order. */
enum hv_vmm_synic_res {
	HV_VMM_SYNIC_SCONTROL,
	HV_VMM_SYNIC_SIMP,
	HV_VMM_SYNIC_SIEFP,
	HV_VMM_SYNIC_SIRBP,
	HV_VMM_SYNIC_SINT0,
	HV_VMM_SYNIC_SINT2,
	HV_VMM_SYNIC_SINT5,
	HV_VMM_SYNIC_NR_RES,
};

enum hv_vmm_synic_owner {
	HV_VMM_OWNER_NONE,	/* nobody runs that would own it (root: SINT2) */
	HV_VMM_OWNER_VMBUS,
	HV_VMM_OWNER_VMM,
};

static const char *const hv_vmm_synic_owner_name[] = {
	[HV_VMM_OWNER_NONE] = "none",
	[HV_VMM_OWNER_VMBUS] = "vmbus",
	[HV_VMM_OWNER_VMM] = "vmm",
};

static const struct {
	const char *name;
	u32 msr;
} hv_vmm_synic_res[HV_VMM_SYNIC_NR_RES] = {
	[HV_VMM_SYNIC_SCONTROL] = { "SCONTROL", HV_MSR_SCONTROL },
	[HV_VMM_SYNIC_SIMP] = { "SIMP", HV_MSR_SIMP },
	[HV_VMM_SYNIC_SIEFP] = { "SIEFP", HV_MSR_SIEFP },
	[HV_VMM_SYNIC_SIRBP] = { "SIRBP", HV_MSR_SIRBP },
	[HV_VMM_SYNIC_SINT0] = { "SINT0", HV_MSR_SINT(HV_SYNIC_INTERCEPTION_SINT_INDEX) },
	[HV_VMM_SYNIC_SINT2] = { "SINT2", HV_MSR_SINT(HV_SYNIC_VMBUS_SINT_INDEX) },
	[HV_VMM_SYNIC_SINT5] = { "SINT5", HV_MSR_SINT(HV_SYNIC_DOORBELL_SINT_INDEX) },
};

/**
 * struct hv_vmm_synic_policy - who owns what, per role
 * @owner: per &enum hv_vmm_synic_res.  The driver sets up and tears down
 *	exactly the resources it owns; a page resource VMBus owns must be
 *	enabled already (the driver only maps it).
 * @own_sirbp_page: the driver allocates the SIRBP page (L1VH) instead of
 *	enabling the one the hypervisor provisions (root).
 */
struct hv_vmm_synic_policy {
	u8 owner[HV_VMM_SYNIC_NR_RES];
	bool own_sirbp_page;
};

static const struct hv_vmm_synic_policy hv_vmm_synic_policies[] = {
	[HV_ROLE_ROOT] = {
		.owner = {
			[HV_VMM_SYNIC_SCONTROL] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SIMP] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SIEFP] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SIRBP] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SINT0] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SINT2] = HV_VMM_OWNER_NONE,
			[HV_VMM_SYNIC_SINT5] = HV_VMM_OWNER_VMM,
		},
		.own_sirbp_page = false,
	},
	[HV_ROLE_L1VH] = {
		.owner = {
			[HV_VMM_SYNIC_SCONTROL] = HV_VMM_OWNER_VMBUS,
			[HV_VMM_SYNIC_SIMP] = HV_VMM_OWNER_VMBUS,
			[HV_VMM_SYNIC_SIEFP] = HV_VMM_OWNER_VMBUS,
			[HV_VMM_SYNIC_SIRBP] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SINT0] = HV_VMM_OWNER_VMM,
			[HV_VMM_SYNIC_SINT2] = HV_VMM_OWNER_VMBUS,
			[HV_VMM_SYNIC_SINT5] = HV_VMM_OWNER_VMM,
		},
		.own_sirbp_page = true,
	},
};

/**
 * struct hv_vmm_synic_cpu - the driver's SynIC state on one CPU
 * @msg_page: the message page (SIMP), mapped; NULL while down.  The SINT0
 *	handler reads it on this CPU with interrupts off.
 * @sirbp_page: L1VH: the event ring page the driver gave SIRBP.
 * @changed: bitmap of &enum hv_vmm_synic_res the driver set up here (what
 *	teardown undoes, also after a partial setup).
 * @delivered: messages taken from the slot, per resource (SINT0:
 *	intercepts, SINT5: doorbell signals).
 */
struct hv_vmm_synic_cpu {
	struct hv_message *msg_page;
	struct page *sirbp_page;
	unsigned long changed;
	u64 delivered[HV_VMM_SYNIC_NR_RES];
};

static DEFINE_PER_CPU(struct hv_vmm_synic_cpu, hv_vmm_synic);
static const struct hv_vmm_synic_policy *hv_vmm_synic_policy;
static enum hv_role hv_vmm_synic_role;
static int hv_vmm_synic_vector;
/* The cpuhp state while set up, else 0; guarded by hv_vmm_synic_mutex. */
static int hv_vmm_synic_state;
static DEFINE_MUTEX(hv_vmm_synic_mutex);

static u64 hv_vmm_synic_rd(enum hv_vmm_synic_res res)
{
	return hv_iommu_backend->synic_read(hv_vmm_synic_res[res].msr);
}

static void hv_vmm_synic_wr(enum hv_vmm_synic_res res, u64 val)
{
	hv_iommu_backend->synic_write(hv_vmm_synic_res[res].msr, val);
}

static bool hv_vmm_synic_mine(enum hv_vmm_synic_res res)
{
	return hv_vmm_synic_policy->owner[res] == HV_VMM_OWNER_VMM;
}

/* The SINT0 handler: hard irq, on the CPU whose SINT fired. */
static void hv_vmm_synic_isr(void)
{
	struct hv_vmm_synic_cpu *c = this_cpu_ptr(&hv_vmm_synic);
	const struct hv_synic_sint_intercept_message *sint;
	struct hv_message *page = READ_ONCE(c->msg_page), *slot, msg;

	/* The backend's contract; the VM tests fail on the warning. */
	if (WARN_ON_ONCE(!in_hardirq()) || !page)
		return;
	slot = &page[HV_SYNIC_INTERCEPTION_SINT_INDEX];
	if (READ_ONCE(slot->header.message_type) == HVMSG_NONE)
		return;
	smp_rmb();
	memcpy(&msg, slot, sizeof(msg));
	/* Free the slot, then EOM only if another one waits (mshv's order). */
	WRITE_ONCE(slot->header.message_type, HVMSG_NONE);
	smp_mb();
	if (READ_ONCE(slot->header.message_flags) & HV_MESSAGE_FLAG_PENDING)
		hv_iommu_backend->synic_write(HV_MSR_EOM, 0);

	sint = (const void *)msg.payload;
	if (msg.header.message_type == HVMSG_SYNIC_SINT_INTERCEPT &&
	    sint->sint_index == HV_SYNIC_DOORBELL_SINT_INDEX) {
		/* Doorbells: the SIRBP ring is not consumed yet. */
		c->delivered[HV_VMM_SYNIC_SINT5]++;
	} else if (msg.header.message_type == HVMSG_SYNIC_SINT_INTERCEPT) {
		pr_warn_once("SINT0: SINT intercept for SINT%u, which is not ours\n",
			     sint->sint_index);
	} else {
		c->delivered[HV_VMM_SYNIC_SINT0]++;
		hv_vmm_intercept_arrived(&msg);
	}
}

static int hv_vmm_synic_cpu_down(unsigned int cpu);

/*
 * Set up this CPU's share of the SynIC; every step the driver takes is
 * recorded in ->changed, so a failure undoes exactly those.
 */
static int hv_vmm_synic_cpu_up(unsigned int cpu)
{
	struct hv_vmm_synic_cpu *c = this_cpu_ptr(&hv_vmm_synic);
	u64 sint = hv_vmm_synic_vector;
	struct hv_message *msg_page;
	u64 val;

	/* SCONTROL first: nothing else may be touched while it is off. */
	val = hv_vmm_synic_rd(HV_VMM_SYNIC_SCONTROL);
	if (hv_vmm_synic_mine(HV_VMM_SYNIC_SCONTROL)) {
		hv_vmm_synic_wr(HV_VMM_SYNIC_SCONTROL, val | HV_SYNIC_ENABLE);
		__set_bit(HV_VMM_SYNIC_SCONTROL, &c->changed);
	} else if (!(val & HV_SYNIC_ENABLE)) {
		pr_err("cpu%u: SCONTROL is disabled, but VMBus owns it on L1VH and enables it before this driver loads\n",
		       cpu);
		return -ENODEV;
	}

	val = hv_vmm_synic_rd(HV_VMM_SYNIC_SIMP);
	if (hv_vmm_synic_mine(HV_VMM_SYNIC_SIMP)) {
		/* Root: the hypervisor provisions the page's GPA. */
		val |= HV_SYNIC_ENABLE;
		hv_vmm_synic_wr(HV_VMM_SYNIC_SIMP, val);
		__set_bit(HV_VMM_SYNIC_SIMP, &c->changed);
	} else if (!(val & HV_SYNIC_ENABLE)) {
		pr_err("cpu%u: SIMP is disabled, but VMBus owns it on L1VH\n",
		       cpu);
		goto err;
	}
	msg_page = memremap(val & HV_SYNIC_PAGE_MASK, HV_HYP_PAGE_SIZE,
			    MEMREMAP_WB);
	if (!msg_page) {
		pr_err("cpu%u: cannot map the SynIC message page at %#llx\n",
		       cpu, val & HV_SYNIC_PAGE_MASK);
		goto err;
	}
	WRITE_ONCE(c->msg_page, msg_page);

	if (hv_vmm_synic_mine(HV_VMM_SYNIC_SIEFP)) {
		val = hv_vmm_synic_rd(HV_VMM_SYNIC_SIEFP);
		hv_vmm_synic_wr(HV_VMM_SYNIC_SIEFP, val | HV_SYNIC_ENABLE);
		__set_bit(HV_VMM_SYNIC_SIEFP, &c->changed);
	}

	if (hv_vmm_synic_policy->own_sirbp_page) {
		c->sirbp_page = alloc_pages_node(cpu_to_node(cpu),
						 GFP_KERNEL | __GFP_ZERO, 0);
		if (!c->sirbp_page) {
			pr_err("cpu%u: no memory for the SIRBP page\n", cpu);
			goto err;
		}
		val = page_to_phys(c->sirbp_page);
	} else {
		val = hv_vmm_synic_rd(HV_VMM_SYNIC_SIRBP);
	}
	hv_vmm_synic_wr(HV_VMM_SYNIC_SIRBP, val | HV_SYNIC_ENABLE);
	__set_bit(HV_VMM_SYNIC_SIRBP, &c->changed);

	/* Unmasked, on the backend's vector; doorbells come as intercepts. */
	hv_vmm_synic_wr(HV_VMM_SYNIC_SINT0, sint);
	__set_bit(HV_VMM_SYNIC_SINT0, &c->changed);
	hv_vmm_synic_wr(HV_VMM_SYNIC_SINT5, sint | HV_SINT_AS_INTERCEPT);
	__set_bit(HV_VMM_SYNIC_SINT5, &c->changed);
	return 0;

err:
	hv_vmm_synic_cpu_down(cpu);
	return -ENODEV;
}

/* Undo what ->changed says, in reverse: SCONTROL goes last. */
static int hv_vmm_synic_cpu_down(unsigned int cpu)
{
	struct hv_vmm_synic_cpu *c = this_cpu_ptr(&hv_vmm_synic);
	struct hv_message *msg_page;
	int res;

	/*
	 * Should VMBus have disabled the SynIC before us, its MSRs must not be
	 * touched any more: the hypervisor keeps nothing of ours enabled then.
	 */
	if (c->changed && !hv_vmm_synic_mine(HV_VMM_SYNIC_SCONTROL) &&
	    !(hv_vmm_synic_rd(HV_VMM_SYNIC_SCONTROL) & HV_SYNIC_ENABLE)) {
		pr_warn("cpu%u: VMBus disabled the SynIC before this driver let go of it; not touching it\n",
			cpu);
		c->changed = 0;
	}
	for (res = HV_VMM_SYNIC_NR_RES - 1; res >= 0; res--) {
		if (!__test_and_clear_bit(res, &c->changed))
			continue;
		switch (res) {
		case HV_VMM_SYNIC_SINT0:
		case HV_VMM_SYNIC_SINT5:
			hv_vmm_synic_wr(res, hv_vmm_synic_rd(res) | HV_SINT_MASKED);
			break;
		case HV_VMM_SYNIC_SIRBP:
			/* Our own page (L1VH) leaves the MSR with us. */
			hv_vmm_synic_wr(res, c->sirbp_page ? 0 :
					hv_vmm_synic_rd(res) & ~HV_SYNIC_ENABLE);
			break;
		default:
			hv_vmm_synic_wr(res, hv_vmm_synic_rd(res) & ~HV_SYNIC_ENABLE);
			break;
		}
	}
	if (c->sirbp_page) {
		__free_page(c->sirbp_page);
		c->sirbp_page = NULL;
	}
	/*
	 * SINT0 is masked: the message page can go.  The handler runs on this
	 * CPU only, so it sees the page or NULL, never a page being unmapped.
	 */
	msg_page = c->msg_page;
	WRITE_ONCE(c->msg_page, NULL);
	if (msg_page)
		memunmap(msg_page);
	return 0;
}

/* Tear down on every CPU; the caller holds hv_vmm_synic_mutex. */
static void hv_vmm_synic_remove(const char *why)
{
	if (!hv_vmm_synic_state)
		return;
	cpuhp_remove_state(hv_vmm_synic_state);
	hv_vmm_synic_state = 0;
	pr_info("synic: released the driver's SynIC resources (%s)\n", why);
}

/* Reboot and kexec: before VMBus (whose notifier comes later). */
static int hv_vmm_synic_reboot(struct notifier_block *nb, unsigned long code,
			       void *unused)
{
	mutex_lock(&hv_vmm_synic_mutex);
	hv_vmm_synic_remove("reboot");
	mutex_unlock(&hv_vmm_synic_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block hv_vmm_synic_reboot_nb = {
	.notifier_call = hv_vmm_synic_reboot,
};

/* debugfs "synic" */

/**
 * struct hv_vmm_synic_view - one CPU's SynIC as read on that CPU
 * @online: the CPU is online (else nothing was read).
 * @readable: SCONTROL is enabled, so the other MSRs could be read.
 * @msr: values per &enum hv_vmm_synic_res.
 */
struct hv_vmm_synic_view {
	bool online;
	bool readable;
	u64 msr[HV_VMM_SYNIC_NR_RES];
};

static void hv_vmm_synic_read_view(void *arg)
{
	struct hv_vmm_synic_view *v = arg;
	int res;

	v->online = true;
	v->msr[HV_VMM_SYNIC_SCONTROL] = hv_vmm_synic_rd(HV_VMM_SYNIC_SCONTROL);
	v->readable = v->msr[HV_VMM_SYNIC_SCONTROL] & HV_SYNIC_ENABLE;
	for (res = HV_VMM_SYNIC_SCONTROL + 1; v->readable &&
	     res < HV_VMM_SYNIC_NR_RES; res++)
		v->msr[res] = hv_vmm_synic_rd(res);
}

static void hv_vmm_synic_show_res(struct seq_file *m, unsigned int cpu,
				  int res, const struct hv_vmm_synic_view *v)
{
	struct hv_vmm_synic_cpu *c = per_cpu_ptr(&hv_vmm_synic, cpu);
	bool sint = res >= HV_VMM_SYNIC_SINT0;
	u64 val = v->msr[res];

	seq_printf(m, "cpu=%u resource=%s owner=%s online=%d", cpu,
		   hv_vmm_synic_res[res].name,
		   hv_vmm_synic_owner_name[hv_vmm_synic_policy->owner[res]],
		   v->online);
	if (!v->online || (!v->readable && res != HV_VMM_SYNIC_SCONTROL))
		seq_puts(m, " enabled=- masked=- vector=- page=-");
	else if (sint)
		seq_printf(m, " enabled=%d masked=%d vector=%#llx page=-",
			   !(val & HV_SINT_MASKED), !!(val & HV_SINT_MASKED),
			   val & HV_SINT_VECTOR_MASK);
	else if (res == HV_VMM_SYNIC_SCONTROL)
		seq_printf(m, " enabled=%d masked=- vector=- page=-",
			   !!(val & HV_SYNIC_ENABLE));
	else
		seq_printf(m, " enabled=%d masked=- vector=- page=%#llx",
			   !!(val & HV_SYNIC_ENABLE), val & HV_SYNIC_PAGE_MASK);
	if (res == HV_VMM_SYNIC_SINT0 || res == HV_VMM_SYNIC_SINT5)
		seq_printf(m, " delivered=%llu\n", READ_ONCE(c->delivered[res]));
	else
		seq_puts(m, " delivered=-\n");
}

static int hv_vmm_synic_show(struct seq_file *m, void *unused)
{
	struct hv_vmm_synic_view v;
	unsigned int cpu;
	int res;

	for_each_possible_cpu(cpu) {
		memset(&v, 0, sizeof(v));
		/* The MSRs are per CPU: read them there (offline: nothing). */
		cpus_read_lock();
		if (cpu_online(cpu))
			smp_call_function_single(cpu, hv_vmm_synic_read_view,
						 &v, 1);
		cpus_read_unlock();
		for (res = 0; res < HV_VMM_SYNIC_NR_RES; res++)
			hv_vmm_synic_show_res(m, cpu, res, &v);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hv_vmm_synic);

/*
 * netlink synic-get: one message per CPU and resource, the fields of the
 * debugfs line, an attribute left out where debugfs prints "-".
 * cb->args[0]: the next CPU.
 */
static int hv_vmm_synic_nl_fill(struct sk_buff *skb, unsigned int cpu,
				int res, const struct hv_vmm_synic_view *v)
{
	struct hv_vmm_synic_cpu *c = per_cpu_ptr(&hv_vmm_synic, cpu);
	bool sint = res >= HV_VMM_SYNIC_SINT0;
	bool known = v->online && (v->readable || res == HV_VMM_SYNIC_SCONTROL);
	u64 val = v->msr[res];

	if (nla_put_u32(skb, HV_IOMMU_A_SYNIC_CPU, cpu) ||
	    nla_put_string(skb, HV_IOMMU_A_SYNIC_RESOURCE,
			   hv_vmm_synic_res[res].name) ||
	    nla_put_u32(skb, HV_IOMMU_A_SYNIC_OWNER,
			hv_vmm_synic_policy->owner[res]) ||
	    nla_put_u8(skb, HV_IOMMU_A_SYNIC_ONLINE, v->online))
		return -EMSGSIZE;
	if (known && sint &&
	    (nla_put_u8(skb, HV_IOMMU_A_SYNIC_ENABLED, !(val & HV_SINT_MASKED)) ||
	     nla_put_u8(skb, HV_IOMMU_A_SYNIC_MASKED, !!(val & HV_SINT_MASKED)) ||
	     nla_put_u32(skb, HV_IOMMU_A_SYNIC_VECTOR,
			 val & HV_SINT_VECTOR_MASK)))
		return -EMSGSIZE;
	if (known && !sint &&
	    nla_put_u8(skb, HV_IOMMU_A_SYNIC_ENABLED, !!(val & HV_SYNIC_ENABLE)))
		return -EMSGSIZE;
	if (known && !sint && res != HV_VMM_SYNIC_SCONTROL &&
	    nla_put_u64_64bit(skb, HV_IOMMU_A_SYNIC_PAGE,
			      val & HV_SYNIC_PAGE_MASK, HV_IOMMU_A_PAD))
		return -EMSGSIZE;
	if ((res == HV_VMM_SYNIC_SINT0 || res == HV_VMM_SYNIC_SINT5) &&
	    nla_put_u64_64bit(skb, HV_IOMMU_A_SYNIC_DELIVERED,
			      READ_ONCE(c->delivered[res]), HV_IOMMU_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * hv_vmm_synic_nl_dump() - netlink synic-get, a dump step
 * @skb: the dump's buffer.
 * @cb: the dump's state; args[0] is the next CPU.
 *
 * A CPU's resources go out whole in one step (or in the next).
 *
 * Context: process context (IPIs to read the MSRs).
 * Return: @skb->len, 0 when done.
 */
int hv_vmm_synic_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hv_vmm_synic_view v;
	unsigned int cpu;
	int res, len;
	void *hdr;

	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		memset(&v, 0, sizeof(v));
		cpus_read_lock();
		if (cpu_online(cpu))
			smp_call_function_single(cpu, hv_vmm_synic_read_view,
						 &v, 1);
		cpus_read_unlock();
		len = skb->len;
		for (res = 0; res < HV_VMM_SYNIC_NR_RES; res++) {
			hdr = hv_iommu_nl_dump_msg(skb, cb,
						   HV_IOMMU_CMD_SYNIC_GET);
			if (!hdr || hv_vmm_synic_nl_fill(skb, cpu, res, &v)) {
				nlmsg_trim(skb, skb->data + len);
				cb->args[0] = cpu;
				return skb->len;
			}
			genlmsg_end(skb, hdr);
		}
	}
	cb->args[0] = cpu;
	return skb->len;
}

/**
 * hv_vmm_synic_debugfs_init() - create "synic" in the driver's directory
 * @dir: /sys/kernel/debug/hv_vmm.
 *
 * One line per CPU and resource (SCONTROL, SIMP, SIEFP, SIRBP, SINT0,
 * SINT2, SINT5): "cpu=C resource=R owner=vmm|vmbus|none online=0|1
 * enabled=0|1 masked=0|1 vector=0xV page=0xGPA delivered=N", "-" where a
 * field does not apply or cannot be read (CPU offline, SCONTROL off).
 *
 * Context: module init, after hv_vmm_synic_init().
 */
void hv_vmm_synic_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("synic", 0444, dir, NULL, &hv_vmm_synic_fops);
}

/**
 * hv_vmm_synic_init() - take the driver's SynIC resources on every CPU
 *
 * Chooses the policy from the backend's role, installs the SINT handler,
 * sets up every online CPU (and each one that comes online later) and
 * registers the reboot notifier.
 *
 * Context: module init.
 * Return: 0; -ENODEV if the backend has no SynIC access or a CPU's setup
 * failed (logged; nothing left changed); the backend's error from
 * sint_handler_set(); cpuhp's error.
 */
int hv_vmm_synic_init(void)
{
	const struct hv_backend *be = hv_iommu_backend;
	int ret;

	if (!be->role || !be->synic_read || !be->synic_write ||
	    !be->sint_handler_set || !be->sint_handler_clear) {
		pr_err("synic: the %s backend offers no SynIC access\n",
		       be->name);
		return -ENODEV;
	}
	hv_vmm_synic_role = be->role();
	if (hv_vmm_synic_role >= ARRAY_SIZE(hv_vmm_synic_policies)) {
		pr_err("synic: the backend reports an unknown role %d\n",
		       hv_vmm_synic_role);
		return -ENODEV;
	}
	hv_vmm_synic_policy = &hv_vmm_synic_policies[hv_vmm_synic_role];
	ret = be->sint_handler_set(hv_vmm_synic_isr);
	if (ret < 0) {
		pr_err("synic: cannot install the SINT handler: %d\n", ret);
		return ret;
	}
	hv_vmm_synic_vector = ret;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hv_vmm/synic:online",
				hv_vmm_synic_cpu_up, hv_vmm_synic_cpu_down);
	if (ret < 0) {
		be->sint_handler_clear();
		return ret;
	}
	hv_vmm_synic_state = ret;
	register_reboot_notifier(&hv_vmm_synic_reboot_nb);
	pr_info("synic: set up as %s, vector %#x\n",
		hv_vmm_synic_role == HV_ROLE_ROOT ? "root" : "l1vh",
		hv_vmm_synic_vector);
	return 0;
}

/**
 * hv_vmm_synic_exit() - let the driver's SynIC resources go on every CPU
 *
 * VMBus's resources (L1VH) stay as they are.  After the reboot notifier
 * ran, there is nothing left to tear down.
 *
 * Context: module exit.
 */
void hv_vmm_synic_exit(void)
{
	unregister_reboot_notifier(&hv_vmm_synic_reboot_nb);
	mutex_lock(&hv_vmm_synic_mutex);
	hv_vmm_synic_remove("unload");
	mutex_unlock(&hv_vmm_synic_mutex);
	hv_iommu_backend->sint_handler_clear();
}
