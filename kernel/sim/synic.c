// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim: the SynIC of every CPU, as the hypervisor keeps it per virtual
 * processor: SCONTROL, SIEFP, SIMP, EOM, SIRBP and SINT0-15, who wrote each
 * MSR (the VMBus model or the driver), and message delivery into the SIMP
 * slots with the msg_pending / EOM protocol.
 *
 * The auditor: the hypervisor does not tolerate an access to a SynIC MSR
 * other than SCONTROL while SCONTROL is disabled (seed 002), so every such
 * access counts as a violation; a write by the driver to an MSR the VMBus
 * model owns while VMBus runs counts as a foreign write.  Suites assert
 * both are 0.
 *
 * Locking: each CPU's model has its own spinlock, taken with interrupts
 * saved, since MSR accesses come from any context (cpuhp callbacks, the SINT
 * handler in hard-irq context, IPIs).  A raised SINT runs the handlers from
 * an irq_work on the CPU the message went to, in hard-irq context, as the
 * hypervisor callback vector would.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <asm/irq_vectors.h>

#include "sim.h"

/* Messages the hypervisor holds per CPU and SINT behind a full slot. */
#define HV_SIM_SYNIC_QUEUE_MAX		16

/**
 * struct hv_sim_synic_queued - a message waiting for its SIMP slot
 * @node: entry in the SINT's queue.
 * @msg: the message.
 */
struct hv_sim_synic_queued {
	struct list_head node;
	struct hv_message msg;
};

/**
 * struct hv_sim_synic_sint - delivery state of one SINT on one CPU
 * @queue: messages waiting for the slot, oldest first.
 * @queued: entries in @queue.
 * @delivered: messages written into the slot.
 * @dropped: messages refused (SINT unable to take them, or queue full).
 */
struct hv_sim_synic_sint {
	struct list_head queue;
	unsigned int queued;
	u64 delivered;
	u64 dropped;
};

/**
 * struct hv_sim_synic_cpu - one CPU's SynIC
 * @lock: guards every field below.
 * @msr: MSR values, indexed by hv_sim_synic_index().
 * @last_writer: who wrote each MSR last (&enum hv_sim_synic_writer).
 * @writes: writes per MSR and writer.
 * @hv_page: root role: the pages the hypervisor provisions for SIMP, SIEFP
 *	and SIRBP (their GPAs are preset in the MSRs, enable bits clear).
 * @sint: per SINT delivery state.
 * @work: runs the handlers on this CPU in hard-irq context.
 * @csd: queues @work from another CPU.
 */
struct hv_sim_synic_cpu {
	spinlock_t lock;		/* guards the fields below */
	u64 msr[HV_SIM_SYNIC_NR_MSRS];
	u8 last_writer[HV_SIM_SYNIC_NR_MSRS];
	u64 writes[HV_SIM_SYNIC_NR_MSRS][HV_SIM_SYNIC_NR_WRITERS];
	void *hv_page[3];
	struct hv_sim_synic_sint sint[HV_SYNIC_SINT_COUNT];
	struct irq_work work;
	call_single_data_t csd;
};

static DEFINE_PER_CPU(struct hv_sim_synic_cpu, hv_sim_synic);

/* The audit, over all CPUs (debugfs "synic_audit"). */
static atomic64_t hv_sim_synic_violations[HV_SIM_SYNIC_NR_WRITERS];
static atomic64_t hv_sim_synic_foreign_writes;
static atomic64_t hv_sim_synic_bad_msr;

/* The driver's SINT handler (sint_handler_set), or NULL. */
static void (*hv_sim_sint_handler)(void);
static DEFINE_MUTEX(hv_sim_sint_handler_mutex);

static const char *const hv_sim_synic_writer_name[HV_SIM_SYNIC_NR_WRITERS] = {
	[HV_SIM_SYNIC_VMBUS] = "vmbus",
	[HV_SIM_SYNIC_DRIVER] = "driver",
	[HV_SIM_SYNIC_TEST] = "test",
};

/**
 * hv_sim_synic_index() - the model's index of a SynIC MSR
 * @msr: MSR number.
 *
 * Return: 0..HV_SIM_SYNIC_NR_MSRS-1, or -1 if @msr is no SynIC MSR the
 * model keeps (SVERSION is read-only and constant).
 */
int hv_sim_synic_index(u32 msr)
{
	switch (msr) {
	case HV_MSR_SCONTROL:
		return HV_SIM_SYNIC_SCONTROL;
	case HV_MSR_SIEFP:
		return HV_SIM_SYNIC_SIEFP;
	case HV_MSR_SIMP:
		return HV_SIM_SYNIC_SIMP;
	case HV_MSR_EOM:
		return HV_SIM_SYNIC_EOM;
	case HV_MSR_SIRBP:
		return HV_SIM_SYNIC_SIRBP;
	case HV_MSR_SINT0 ... HV_MSR_SINT15:
		return HV_SIM_SYNIC_SINT0 + msr - HV_MSR_SINT0;
	}
	return -1;
}

/**
 * hv_sim_synic_msr_name() - an MSR's TLFS name for logs and debugfs
 * @index: from hv_sim_synic_index().
 * @buf: room for the name (12 bytes).
 *
 * Return: @buf.
 */
const char *hv_sim_synic_msr_name(int index, char buf[12])
{
	static const char *const names[] = {
		"SCONTROL", "SIEFP", "SIMP", "EOM", "SIRBP",
	};

	if (index < HV_SIM_SYNIC_SINT0)
		strscpy(buf, names[index], 12);
	else
		snprintf(buf, 12, "SINT%u",
			 (unsigned int)(index - HV_SIM_SYNIC_SINT0) % HV_SYNIC_SINT_COUNT);
	return buf;
}

/* The VMBus model's MSRs: SCONTROL, SIMP, SIEFP and SINT2 (seed 002). */
static bool hv_sim_synic_vmbus_owns(int index)
{
	return index == HV_SIM_SYNIC_SCONTROL || index == HV_SIM_SYNIC_SIMP ||
	       index == HV_SIM_SYNIC_SIEFP ||
	       index == HV_SIM_SYNIC_SINT0 + HV_SYNIC_VMBUS_SINT_INDEX;
}

/* The SIMP slot of @sint, or NULL while the message page is off. */
static struct hv_message *hv_sim_synic_slot(struct hv_sim_synic_cpu *c,
					    unsigned int sint)
{
	u64 simp = c->msr[HV_SIM_SYNIC_SIMP];

	if (!(simp & HV_SYNIC_ENABLE) || !pfn_valid(simp >> HV_HYP_PAGE_SHIFT))
		return NULL;
	return (struct hv_message *)phys_to_virt(simp & HV_SYNIC_PAGE_MASK) +
	       sint;
}

/* Can @sint take a message now (SynIC, message page and SINT enabled)? */
static bool hv_sim_synic_sint_live(struct hv_sim_synic_cpu *c,
				   unsigned int sint)
{
	u64 v = c->msr[HV_SIM_SYNIC_SINT0 + sint];

	return (c->msr[HV_SIM_SYNIC_SCONTROL] & HV_SYNIC_ENABLE) &&
	       hv_sim_synic_slot(c, sint) && !(v & HV_SINT_MASKED) &&
	       (v & HV_SINT_VECTOR_MASK) == HYPERVISOR_CALLBACK_VECTOR;
}

/*
 * Put @msg into @sint's slot, which is free.  The type goes last, so a
 * handler that sees it sees the whole message.  Returns true: raise.
 */
static bool hv_sim_synic_fill(struct hv_sim_synic_cpu *c, unsigned int sint,
			      const struct hv_message *msg, bool more)
{
	struct hv_message *slot = hv_sim_synic_slot(c, sint);

	memcpy(&slot->payload, &msg->payload, sizeof(slot->payload));
	slot->header.payload_size = msg->header.payload_size;
	slot->header.message_flags = more ? HV_MESSAGE_FLAG_PENDING : 0;
	slot->header.sender = msg->header.sender;
	smp_wmb();
	WRITE_ONCE(slot->header.message_type, msg->header.message_type);
	c->sint[sint].delivered++;
	return true;
}

/* If @sint's slot is free, the next queued message goes in.  Returns true: raise. */
static bool hv_sim_synic_next(struct hv_sim_synic_cpu *c, unsigned int sint)
{
	struct hv_sim_synic_sint *s = &c->sint[sint];
	struct hv_sim_synic_queued *q;
	bool raise;

	q = list_first_entry_or_null(&s->queue, struct hv_sim_synic_queued,
				     node);
	if (!q || !hv_sim_synic_sint_live(c, sint) ||
	    READ_ONCE(hv_sim_synic_slot(c, sint)->header.message_type) !=
	    HVMSG_NONE)
		return false;
	list_del(&q->node);
	s->queued--;
	raise = hv_sim_synic_fill(c, sint, &q->msg, s->queued);
	kfree(q);
	return raise;
}

/* EOM (or a SINT unmasked): every freed slot takes its next message. */
static bool hv_sim_synic_eom(struct hv_sim_synic_cpu *c)
{
	bool raise = false;
	unsigned int sint;

	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
		raise |= hv_sim_synic_next(c, sint);
	return raise;
}

/* The rule of seed 002: nothing but SCONTROL while SCONTROL is off. */
static void hv_sim_synic_check(struct hv_sim_synic_cpu *c, int index,
			       enum hv_sim_synic_writer who, bool write)
{
	char name[12];

	if (index == HV_SIM_SYNIC_SCONTROL ||
	    (c->msr[HV_SIM_SYNIC_SCONTROL] & HV_SYNIC_ENABLE))
		return;
	atomic64_inc(&hv_sim_synic_violations[who]);
	pr_warn_ratelimited("synic: cpu%d: %s %s %s while SCONTROL is disabled\n",
			    smp_processor_id(), hv_sim_synic_writer_name[who],
			    write ? "wrote" : "read",
			    hv_sim_synic_msr_name(index, name));
}

/*
 * Raise the callback vector on @cpu: an irq_work there, so the handlers run
 * in hard-irq context as on the real vector.  Another CPU's is queued from
 * an IPI (irq_work_queue_on() is not exported); @c's lock serialises the
 * users of its csd, and a csd still in flight will raise anyway.
 */
static void hv_sim_synic_raise(struct hv_sim_synic_cpu *c, unsigned int cpu)
	__must_hold(&c->lock)
{
	if (cpu == smp_processor_id())
		irq_work_queue(&c->work);
	else
		smp_call_function_single_async(cpu, &c->csd);
}

static void hv_sim_synic_raise_ipi(void *info)
{
	irq_work_queue(info);
}

/**
 * hv_sim_synic_access() - read or write a SynIC MSR of the calling CPU
 * @who: the VMBus model or the driver (through the backend).
 * @msr: MSR number.
 * @val: value to write, or NULL to read.
 *
 * Counts a violation for any MSR but SCONTROL while SCONTROL is disabled,
 * and records every write.  An unknown MSR is counted (bad_msr) and reads
 * as 0, as a #GP would leave nothing changed.
 *
 * Context: any; takes this CPU's SynIC lock with interrupts saved.
 * Return: the value read (0 for writes).
 */
u64 hv_sim_synic_access(enum hv_sim_synic_writer who, u32 msr, const u64 *val)
{
	struct hv_sim_synic_cpu *c;
	unsigned long flags;
	bool raise = false;
	int index;
	u64 ret = 0;
	char name[12];

	index = hv_sim_synic_index(msr);
	if (index < 0) {
		if (msr == HV_MSR_SVERSION && !val)
			return 1;
		atomic64_inc(&hv_sim_synic_bad_msr);
		pr_warn_ratelimited("synic: %s %s MSR 0x%x, which is no SynIC MSR%s\n",
				    hv_sim_synic_writer_name[who],
				    val ? "wrote" : "read", msr,
				    val ? " or is read-only" : "");
		return 0;
	}
	c = get_cpu_ptr(&hv_sim_synic);
	spin_lock_irqsave(&c->lock, flags);
	hv_sim_synic_check(c, index, who, val);
	if (!val) {
		ret = c->msr[index];
	} else {
		if (who != HV_SIM_SYNIC_VMBUS && hv_sim_vmbus_up() &&
		    hv_sim_synic_vmbus_owns(index)) {
			atomic64_inc(&hv_sim_synic_foreign_writes);
			pr_warn_ratelimited("synic: cpu%d: %s wrote %s, which VMBus owns\n",
					    smp_processor_id(),
					    hv_sim_synic_writer_name[who],
					    hv_sim_synic_msr_name(index, name));
		}
		c->writes[index][who]++;
		c->last_writer[index] = who;
		if (index == HV_SIM_SYNIC_EOM) {
			raise = hv_sim_synic_eom(c);
		} else {
			c->msr[index] = *val;
			/* Unmasking a SINT with messages held delivers them. */
			if (index >= HV_SIM_SYNIC_SINT0)
				raise = hv_sim_synic_eom(c);
		}
	}
	if (raise)
		hv_sim_synic_raise(c, smp_processor_id());
	spin_unlock_irqrestore(&c->lock, flags);
	put_cpu_ptr(&hv_sim_synic);
	return ret;
}

/* The backend's synic_read/synic_write: the driver's accesses. */
u64 hv_sim_synic_read(u32 msr)
{
	return hv_sim_synic_access(HV_SIM_SYNIC_DRIVER, msr, NULL);
}

void hv_sim_synic_write(u32 msr, u64 val)
{
	hv_sim_synic_access(HV_SIM_SYNIC_DRIVER, msr, &val);
}

/**
 * hv_sim_synic_post() - the hypervisor sends a message to a CPU's SINT
 * @cpu: target CPU (the VP's).
 * @sint: SINT index, 0-15.
 * @msg: the message; its type must not be HVMSG_NONE.
 *
 * Writes @msg into the SIMP slot of @sint on @cpu and raises the SINT's
 * vector (irq_work on @cpu).  When the slot is still full, the message
 * waits (at most HV_SIM_SYNIC_QUEUE_MAX per SINT) and the slot's message
 * gets msg_pending; the next one goes into the slot on the EOM write that
 * finds it freed.
 *
 * Context: any; takes @cpu's SynIC lock with interrupts saved.
 * Return: 0 when delivered or queued; -EINVAL for a bad @cpu, @sint or
 * message type; -ENXIO if the SINT cannot take messages (SCONTROL, SIMP
 * off, SINT masked or not on the callback vector); -EBUSY if the queue is
 * full.  The last two count as dropped.
 */
int hv_sim_synic_post(unsigned int cpu, unsigned int sint,
		      const struct hv_message *msg)
{
	struct hv_sim_synic_queued *q;
	struct hv_sim_synic_cpu *c;
	struct hv_sim_synic_sint *s;
	struct hv_message *slot;
	unsigned long flags;
	bool raise = false;
	int ret = 0;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu) ||
	    sint >= HV_SYNIC_SINT_COUNT ||
	    msg->header.message_type == HVMSG_NONE ||
	    msg->header.payload_size > sizeof(msg->payload))
		return -EINVAL;
	q = kmalloc(sizeof(*q), GFP_ATOMIC);
	c = per_cpu_ptr(&hv_sim_synic, cpu);
	s = &c->sint[sint];
	spin_lock_irqsave(&c->lock, flags);
	if (!cpu_online(cpu) || !hv_sim_synic_sint_live(c, sint)) {
		ret = -ENXIO;
	} else if (!s->queued &&
		   READ_ONCE(hv_sim_synic_slot(c, sint)->header.message_type) ==
		   HVMSG_NONE) {
		raise = hv_sim_synic_fill(c, sint, msg, false);
	} else if (!q || s->queued >= HV_SIM_SYNIC_QUEUE_MAX) {
		ret = -EBUSY;
	} else {
		q->msg = *msg;
		list_add_tail(&q->node, &s->queue);
		s->queued++;
		q = NULL;
		/*
		 * msg_pending tells the handler to write EOM.  It may have
		 * freed the slot and read the flags already: look again
		 * (its order is type, barrier, flags; ours flags, barrier,
		 * type), so one of us sees the other.
		 */
		slot = hv_sim_synic_slot(c, sint);
		slot->header.message_flags |= HV_MESSAGE_FLAG_PENDING;
		smp_mb();
		raise = hv_sim_synic_next(c, sint);
	}
	if (ret)
		s->dropped++;
	if (raise)
		hv_sim_synic_raise(c, cpu);
	spin_unlock_irqrestore(&c->lock, flags);
	kfree(q);
	return ret;
}

/* The callback vector on this CPU: VMBus's handler, then the driver's. */
static void hv_sim_synic_irq(struct irq_work *work)
{
	void (*handler)(void);

	hv_sim_vmbus_isr();
	handler = READ_ONCE(hv_sim_sint_handler);
	if (handler)
		handler();
}

/**
 * hv_sim_sint_handler_set() - the backend's sint_handler_set
 * @handler: the driver's SINT handler.
 *
 * Context: process.
 * Return: HYPERVISOR_CALLBACK_VECTOR, the vector the sim delivers on, or
 * -EBUSY.
 */
int hv_sim_sint_handler_set(void (*handler)(void))
{
	int ret = HYPERVISOR_CALLBACK_VECTOR;

	mutex_lock(&hv_sim_sint_handler_mutex);
	if (hv_sim_sint_handler)
		ret = -EBUSY;
	else
		WRITE_ONCE(hv_sim_sint_handler, handler);
	mutex_unlock(&hv_sim_sint_handler_mutex);
	return ret;
}

static void hv_sim_synic_nop(void *info)
{
}

/* Wait until no raise is in flight and no handler runs, on any CPU. */
static void hv_sim_synic_sync(void)
{
	unsigned int cpu;

	/* Each CPU's IPI queue is flushed whole: our csds are through. */
	on_each_cpu(hv_sim_synic_nop, NULL, 1);
	for_each_possible_cpu(cpu)
		irq_work_sync(per_cpu_ptr(&hv_sim_synic.work, cpu));
}

/**
 * hv_sim_sint_handler_clear() - the backend's sint_handler_clear
 *
 * Context: process; waits for a running handler on every CPU.
 */
void hv_sim_sint_handler_clear(void)
{
	mutex_lock(&hv_sim_sint_handler_mutex);
	WRITE_ONCE(hv_sim_sint_handler, NULL);
	hv_sim_synic_sync();
	mutex_unlock(&hv_sim_sint_handler_mutex);
}

/**
 * hv_sim_synic_audit() - the audit counters
 * @m: where to print "violations=N violations_vmbus=N violations_driver=N
 *	violations_test=N foreign_writes=N bad_msr=N".
 */
void hv_sim_synic_audit(struct seq_file *m)
{
	s64 v[HV_SIM_SYNIC_NR_WRITERS], sum = 0;
	int i;

	for (i = 0; i < HV_SIM_SYNIC_NR_WRITERS; i++) {
		v[i] = atomic64_read(&hv_sim_synic_violations[i]);
		sum += v[i];
	}
	seq_printf(m, "violations=%lld violations_vmbus=%lld violations_driver=%lld violations_test=%lld foreign_writes=%lld bad_msr=%lld\n",
		   sum, v[HV_SIM_SYNIC_VMBUS], v[HV_SIM_SYNIC_DRIVER],
		   v[HV_SIM_SYNIC_TEST],
		   atomic64_read(&hv_sim_synic_foreign_writes),
		   atomic64_read(&hv_sim_synic_bad_msr));
}

/**
 * hv_sim_synic_audit_reset() - zero the audit counters (a test that
 *	provoked a violation on purpose)
 */
void hv_sim_synic_audit_reset(void)
{
	int i;

	for (i = 0; i < HV_SIM_SYNIC_NR_WRITERS; i++)
		atomic64_set(&hv_sim_synic_violations[i], 0);
	atomic64_set(&hv_sim_synic_foreign_writes, 0);
	atomic64_set(&hv_sim_synic_bad_msr, 0);
}

/**
 * hv_sim_synic_audit_log() - the audit, as one log line
 * @when: what is happening ("reboot", "unload").
 *
 * The reboot path's only witness: the VM runner captures the console.
 */
void hv_sim_synic_audit_log(const char *when)
{
	u64 delivered = 0, dropped = 0;
	unsigned int cpu, sint;
	s64 violations = 0;
	int i;

	for_each_possible_cpu(cpu) {
		struct hv_sim_synic_cpu *c = per_cpu_ptr(&hv_sim_synic, cpu);

		for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
			delivered += READ_ONCE(c->sint[sint].delivered);
			dropped += READ_ONCE(c->sint[sint].dropped);
		}
	}
	for (i = 0; i < HV_SIM_SYNIC_NR_WRITERS; i++)
		violations += atomic64_read(&hv_sim_synic_violations[i]);
	pr_info("synic audit at %s: violations=%lld foreign_writes=%lld bad_msr=%lld delivered=%llu dropped=%llu\n",
		when, violations, atomic64_read(&hv_sim_synic_foreign_writes),
		atomic64_read(&hv_sim_synic_bad_msr), delivered, dropped);
}

/**
 * hv_sim_synic_show_cpu() - one CPU's MSRs for debugfs "synic"
 * @m: output.
 * @cpu: the CPU.
 *
 * One line per MSR: "cpu=C msr=NAME value=0x.. writer=vmbus|driver|test|none
 * writes_vmbus=N writes_driver=N writes_test=N", SINT lines add "delivered=N queued=N
 * dropped=N".
 */
void hv_sim_synic_show_cpu(struct seq_file *m, unsigned int cpu)
{
	struct hv_sim_synic_cpu *c = per_cpu_ptr(&hv_sim_synic, cpu);
	struct hv_sim_synic_sint *s;
	unsigned long flags;
	char name[12];
	int i;

	spin_lock_irqsave(&c->lock, flags);
	for (i = 0; i < HV_SIM_SYNIC_NR_MSRS; i++) {
		seq_printf(m, "cpu=%u msr=%s value=%#llx writer=%s writes_vmbus=%llu writes_driver=%llu writes_test=%llu",
			   cpu, hv_sim_synic_msr_name(i, name), c->msr[i],
			   c->last_writer[i] < HV_SIM_SYNIC_NR_WRITERS ?
			   hv_sim_synic_writer_name[c->last_writer[i]] : "none",
			   c->writes[i][HV_SIM_SYNIC_VMBUS],
			   c->writes[i][HV_SIM_SYNIC_DRIVER],
			   c->writes[i][HV_SIM_SYNIC_TEST]);
		if (i >= HV_SIM_SYNIC_SINT0) {
			s = &c->sint[i - HV_SIM_SYNIC_SINT0];
			seq_printf(m, " delivered=%llu queued=%u dropped=%llu",
				   s->delivered, s->queued, s->dropped);
		}
		seq_putc(m, '\n');
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

static void hv_sim_synic_free_cpu(struct hv_sim_synic_cpu *c)
{
	struct hv_sim_synic_queued *q, *tmp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->hv_page); i++) {
		free_page((unsigned long)c->hv_page[i]);
		c->hv_page[i] = NULL;
	}
	for (i = 0; i < HV_SYNIC_SINT_COUNT; i++) {
		list_for_each_entry_safe(q, tmp, &c->sint[i].queue, node)
			kfree(q);
		INIT_LIST_HEAD(&c->sint[i].queue);
		c->sint[i].queued = 0;
	}
}

/**
 * hv_sim_synic_init() - every possible CPU's SynIC at reset
 * @role: root: the hypervisor provisions the SIMP, SIEFP and SIRBP pages
 *	and presets their GPAs (enable bits clear); L1VH: all zero, the
 *	guest (VMBus, the VMM driver) brings its own pages.
 *
 * SINTs start masked, SCONTROL disabled.
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int hv_sim_synic_init(enum hv_role role)
{
	static const int paged[] = {
		HV_SIM_SYNIC_SIMP, HV_SIM_SYNIC_SIEFP, HV_SIM_SYNIC_SIRBP,
	};
	struct hv_sim_synic_cpu *c;
	struct page *page;
	unsigned int cpu, i;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(&hv_sim_synic, cpu);
		spin_lock_init(&c->lock);
		init_irq_work(&c->work, hv_sim_synic_irq);
		INIT_CSD(&c->csd, hv_sim_synic_raise_ipi, &c->work);
		memset(c->last_writer, HV_SIM_SYNIC_NR_WRITERS,
		       sizeof(c->last_writer));
		for (i = 0; i < HV_SYNIC_SINT_COUNT; i++) {
			INIT_LIST_HEAD(&c->sint[i].queue);
			c->msr[HV_SIM_SYNIC_SINT0 + i] = HV_SINT_MASKED;
		}
		if (role != HV_ROLE_ROOT)
			continue;
		for (i = 0; i < ARRAY_SIZE(paged); i++) {
			page = alloc_pages_node(cpu_to_node(cpu),
						GFP_KERNEL | __GFP_ZERO, 0);
			if (!page)
				goto err;
			c->hv_page[i] = page_address(page);
			c->msr[paged[i]] = page_to_phys(page);
		}
	}
	return 0;
err:
	hv_sim_synic_exit();
	return -ENOMEM;
}

/**
 * hv_sim_synic_exit() - free what hv_sim_synic_init() and deliveries left
 *
 * Context: module exit, after the driver and the VMBus model are gone.
 */
void hv_sim_synic_exit(void)
{
	unsigned int cpu;

	hv_sim_synic_sync();
	for_each_possible_cpu(cpu)
		hv_sim_synic_free_cpu(per_cpu_ptr(&hv_sim_synic, cpu));
}
