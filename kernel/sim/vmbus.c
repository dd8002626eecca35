// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim: VMBus as an L1VH kernel runs it, for its share of the SynIC (seed
 * 002): on every CPU it enables SCONTROL, SIMP, SIEFP and SINT2 before the
 * VMM driver loads and disables them after it, in the hypervisor's order
 * (SCONTROL first on, last off).  Its writes are recorded as "vmbus" by
 * synic.c, so the audit tells its accesses from the driver's.
 *
 * Per-CPU setup and teardown run from a dynamic cpuhp state registered at
 * hv_sim load, before any VMM driver's: CPU offline tears the later
 * registered state down first, so the VMM driver goes first and VMBus last,
 * as in a real kernel.  At reboot, a notifier ordered after every driver's
 * tears VMBus down and logs the SynIC audit to the console.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/topology.h>
#include <asm/irq_vectors.h>

#include "sim.h"

/**
 * struct hv_sim_vmbus_cpu - VMBus on one CPU
 * @simp: its message page; kept until hv_sim unloads, as a driver that
 *	still looks at it after VMBus went must read a page, not freed memory.
 * @siefp: its event flags page, likewise.
 * @up: VMBus has this CPU's SynIC (its MSRs are set up).
 * @consumed: messages VMBus took from its SINT2 slot.
 */
struct hv_sim_vmbus_cpu {
	struct page *simp;
	struct page *siefp;
	bool up;
	u64 consumed;
};

static DEFINE_PER_CPU(struct hv_sim_vmbus_cpu, hv_sim_vmbus);
static DEFINE_MUTEX(hv_sim_vmbus_mutex);
/* Its cpuhp state while running, else 0; guarded by hv_sim_vmbus_mutex. */
static int hv_sim_vmbus_state;

static u64 hv_sim_vmbus_rd(u32 msr)
{
	return hv_sim_synic_access(HV_SIM_SYNIC_VMBUS, msr, NULL);
}

static void hv_sim_vmbus_wr(u32 msr, u64 val)
{
	hv_sim_synic_access(HV_SIM_SYNIC_VMBUS, msr, &val);
}

static int hv_sim_vmbus_cpu_up(unsigned int cpu)
{
	struct hv_sim_vmbus_cpu *v = this_cpu_ptr(&hv_sim_vmbus);

	if (!v->simp)
		v->simp = alloc_pages_node(cpu_to_node(cpu),
					   GFP_KERNEL | __GFP_ZERO, 0);
	if (!v->siefp)
		v->siefp = alloc_pages_node(cpu_to_node(cpu),
					    GFP_KERNEL | __GFP_ZERO, 0);
	if (!v->simp || !v->siefp)
		return -ENOMEM;
	/* SCONTROL first: nothing else may be touched while it is off. */
	hv_sim_vmbus_wr(HV_MSR_SCONTROL,
			hv_sim_vmbus_rd(HV_MSR_SCONTROL) | HV_SYNIC_ENABLE);
	hv_sim_vmbus_wr(HV_MSR_SIMP, page_to_phys(v->simp) | HV_SYNIC_ENABLE);
	hv_sim_vmbus_wr(HV_MSR_SIEFP, page_to_phys(v->siefp) | HV_SYNIC_ENABLE);
	hv_sim_vmbus_wr(HV_MSR_SINT(HV_SYNIC_VMBUS_SINT_INDEX),
			HYPERVISOR_CALLBACK_VECTOR);
	WRITE_ONCE(v->up, true);
	return 0;
}

static int hv_sim_vmbus_cpu_down(unsigned int cpu)
{
	struct hv_sim_vmbus_cpu *v = this_cpu_ptr(&hv_sim_vmbus);
	u32 sint2 = HV_MSR_SINT(HV_SYNIC_VMBUS_SINT_INDEX);

	WRITE_ONCE(v->up, false);
	hv_sim_vmbus_wr(sint2, hv_sim_vmbus_rd(sint2) | HV_SINT_MASKED);
	hv_sim_vmbus_wr(HV_MSR_SIEFP, 0);
	hv_sim_vmbus_wr(HV_MSR_SIMP, 0);
	hv_sim_vmbus_wr(HV_MSR_SCONTROL,
			hv_sim_vmbus_rd(HV_MSR_SCONTROL) & ~HV_SYNIC_ENABLE);
	return 0;
}

/**
 * hv_sim_vmbus_up() - does VMBus hold this CPU's SynIC
 *
 * Context: the CPU cannot change (synic.c's MSR access).
 * Return: true while VMBus's MSRs are set up on this CPU.
 */
bool hv_sim_vmbus_up(void)
{
	return READ_ONCE(this_cpu_ptr(&hv_sim_vmbus)->up);
}

/**
 * hv_sim_vmbus_isr() - VMBus's share of the callback vector on this CPU
 *
 * Takes the message in SINT2's slot, if any, and follows the protocol:
 * free the slot, then EOM only if the hypervisor has another one pending.
 *
 * Context: hard irq (synic.c's irq_work).
 */
void hv_sim_vmbus_isr(void)
{
	struct hv_sim_vmbus_cpu *v = this_cpu_ptr(&hv_sim_vmbus);
	struct hv_message *slot;

	if (!READ_ONCE(v->up))
		return;
	slot = (struct hv_message *)page_address(v->simp) +
	       HV_SYNIC_VMBUS_SINT_INDEX;
	if (READ_ONCE(slot->header.message_type) == HVMSG_NONE)
		return;
	v->consumed++;
	WRITE_ONCE(slot->header.message_type, HVMSG_NONE);
	smp_mb();
	if (slot->header.message_flags & HV_MESSAGE_FLAG_PENDING)
		hv_sim_vmbus_wr(HV_MSR_EOM, 0);
}

/**
 * hv_sim_vmbus_start() - VMBus takes its SynIC resources on every CPU
 *
 * Context: process, may sleep (cpuhp).
 * Return: 0, -EALREADY if VMBus runs, or cpuhp's error (nothing changed).
 */
int hv_sim_vmbus_start(void)
{
	int ret;

	mutex_lock(&hv_sim_vmbus_mutex);
	ret = -EALREADY;
	if (!hv_sim_vmbus_state) {
		ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hv_sim/vmbus:online",
					hv_sim_vmbus_cpu_up,
					hv_sim_vmbus_cpu_down);
		if (ret > 0) {
			hv_sim_vmbus_state = ret;
			ret = 0;
		}
	}
	mutex_unlock(&hv_sim_vmbus_mutex);
	return ret;
}

/**
 * hv_sim_vmbus_stop() - VMBus lets its SynIC resources go on every CPU
 *
 * Context: process, may sleep (cpuhp).
 * Return: 0, or -EALREADY if VMBus does not run.
 */
int hv_sim_vmbus_stop(void)
{
	int ret = -EALREADY;

	mutex_lock(&hv_sim_vmbus_mutex);
	if (hv_sim_vmbus_state) {
		cpuhp_remove_state(hv_sim_vmbus_state);
		hv_sim_vmbus_state = 0;
		ret = 0;
	}
	mutex_unlock(&hv_sim_vmbus_mutex);
	return ret;
}

/**
 * hv_sim_vmbus_show() - VMBus's state for debugfs "vmbus"
 * @m: output: "running" or "stopped", then "cpu=C up=0|1 consumed=N"
 *	per possible CPU.
 */
void hv_sim_vmbus_show(struct seq_file *m)
{
	struct hv_sim_vmbus_cpu *v;
	unsigned int cpu;

	mutex_lock(&hv_sim_vmbus_mutex);
	seq_puts(m, hv_sim_vmbus_state ? "running\n" : "stopped\n");
	mutex_unlock(&hv_sim_vmbus_mutex);
	for_each_possible_cpu(cpu) {
		v = per_cpu_ptr(&hv_sim_vmbus, cpu);
		seq_printf(m, "cpu=%u up=%d consumed=%llu\n", cpu,
			   READ_ONCE(v->up), READ_ONCE(v->consumed));
	}
}

/*
 * Reboot and kexec: VMBus goes after every driver (they register at the
 * default priority 0), then the audit goes to the console.
 */
static int hv_sim_vmbus_reboot(struct notifier_block *nb, unsigned long code,
			       void *unused)
{
	hv_sim_vmbus_stop();
	hv_sim_synic_audit_log("reboot");
	return NOTIFY_DONE;
}

static struct notifier_block hv_sim_vmbus_reboot_nb = {
	.notifier_call = hv_sim_vmbus_reboot,
	.priority = -100,
};

/**
 * hv_sim_vmbus_init() - the reboot notifier; VMBus itself on L1VH
 * @role: VMBus runs in the L1VH role only (a root partition has none).
 *
 * Context: module init, after hv_sim_synic_init().
 * Return: 0 or the error of hv_sim_vmbus_start() (nothing left behind).
 */
int hv_sim_vmbus_init(enum hv_role role)
{
	int ret = 0;

	if (role == HV_ROLE_L1VH)
		ret = hv_sim_vmbus_start();
	if (!ret)
		register_reboot_notifier(&hv_sim_vmbus_reboot_nb);
	return ret;
}

/**
 * hv_sim_vmbus_exit() - undo hv_sim_vmbus_init() and free VMBus's pages
 *
 * Context: module exit; no driver uses the SynIC any more.
 */
void hv_sim_vmbus_exit(void)
{
	struct hv_sim_vmbus_cpu *v;
	unsigned int cpu;

	unregister_reboot_notifier(&hv_sim_vmbus_reboot_nb);
	hv_sim_vmbus_stop();
	for_each_possible_cpu(cpu) {
		v = per_cpu_ptr(&hv_sim_vmbus, cpu);
		if (v->simp)
			__free_page(v->simp);
		if (v->siefp)
			__free_page(v->siefp);
		v->simp = NULL;
		v->siefp = NULL;
	}
}
