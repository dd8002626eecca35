/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_sim private declarations: the simulated hypervisor's state.
 *
 * One spinlock, hv_sim.lock, guards everything the hypercall path touches:
 * device domains and their page tables, devices, guest partitions, the
 * deposit pool, fault injections and statistics.  The hypercall entry runs
 * with interrupts disabled (as the real one does, on the per-CPU input page),
 * so nothing under the lock sleeps and every allocation under it is
 * GFP_ATOMIC.  Process-context users (debugfs, /dev/hv_sim, the PCI bus
 * notifier) take it with spin_lock_irq().
 */
#ifndef HV_SIM_H
#define HV_SIM_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "hv_abi.h"
#include "hv_backend.h"

struct pci_dev;
struct dentry;
struct pid;
struct seq_file;

/**
 * struct hv_sim_device_domain - one hypervisor device domain (stage 2)
 * @id: the domain number (bits 32-63 of union hv_device_domain_id).
 * @flags: create_device_domain_flags given at creation.
 * @pages: IOVA page number -> PTE (see hv_sim_pte_make()).
 * @blocks: 2 MiB IOVA block number -> number of pages mapped in it (a value
 *	entry); each present block holds one pool page (its leaf page table).
 * @nr_pages: number of mapped IOVA pages.
 * @nr_blocks: number of entries in @blocks.
 * @nr_devices: devices attached to the domain.
 */
struct hv_sim_device_domain {
	u32 id;
	u32 flags;
	struct xarray pages;
	struct xarray blocks;
	unsigned long nr_pages;
	unsigned long nr_blocks;
	unsigned int nr_devices;
};

enum hv_sim_partition_state {
	HV_SIM_PT_CREATED,
	HV_SIM_PT_INITIALIZED,
	HV_SIM_PT_FINALIZED,
};

/**
 * struct hv_sim_partition - a guest partition (HVCALL_CREATE_PARTITION)
 * @node: entry in hv_sim.partitions (in creation order).
 * @id: partition id (never 0, never HV_PARTITION_ID_SELF, never reused).
 * @flags: creation flags.
 * @state: created, initialized (runs VPs, takes maps) or finalized.
 * @pages: page frames deposited to this partition -> value entry; marked
 *	HV_SIM_PAGE_FREE while the partition does not use the page.
 * @nr_pages: entries of @pages.
 * @nr_free: of them marked free (what WITHDRAW_MEMORY can return).
 * @gpa: guest page number -> PTE (hv_sim_pte_make()).
 * @gpa_blocks: 2 MiB GPA block -> value entry (table page frame << 10 |
 *	mapped pages in the block); the table page comes from @pages.
 * @nr_gpa_pages: present entries of @gpa.
 * @gpa_remaps: MAP_GPA_PAGES reps over a GPA already mapped (allowed, as
 *	on Hyper-V; counted so that tests see a root that maps twice).
 * @vps: vp_index -> struct hv_sim_vp.
 * @nr_vps: entries of @vps.
 * @nr_devices: devices direct-attached to it.
 */
struct hv_sim_partition {
	struct list_head node;
	u64 id;
	u64 flags;
	enum hv_sim_partition_state state;
	struct xarray pages;
	unsigned long nr_pages;
	unsigned long nr_free;
	struct xarray gpa;
	struct xarray gpa_blocks;
	unsigned long nr_gpa_pages;
	u64 gpa_remaps;
	struct xarray vps;
	unsigned int nr_vps;
	unsigned int nr_devices;
};

#define HV_SIM_PAGE_FREE	XA_MARK_0

/**
 * struct hv_sim_vp - a virtual processor of a guest partition
 * @index: vp_index.
 * @regs_pfn: its register state page (from the partition's pages): the
 *	guest program (struct hv_vmm_guest_program) the VMM put there.
 * @msg_pfn: its intercept message page: the last intercept message.
 * @mapped: bit n: state page type n is mapped by the root.
 * @suspended: stopped by an intercept; the next dispatch must clear it.
 * @dispatches: DISPATCH_VP calls that ran it.
 * @intercepts: intercepts it raised.
 */
struct hv_sim_vp {
	u32 index;
	unsigned long regs_pfn;
	unsigned long msg_pfn;
	unsigned long mapped;
	bool suspended;
	u64 dispatches;
	u64 intercepts;
};

/* Functions behind one device id the sim follows (a bridge and its bus). */
#define HV_SIM_DEVICE_FUNCS	8

/**
 * struct hv_sim_device - a PCI device as the hypervisor knows it
 * @key: segment << 16 | requester id on the wire (a bridge's for functions
 *	behind a PCIe-to-PCI bridge); also its index in hv_sim.devices.
 * @source: the shadow bus range, phantom and source shadow bits of its
 *	device id (HV_DEVICE_ID_SOURCE_MASK), as the topology gives them.
 * @functions: PCI functions on the bus now that reach the hypervisor with
 *	this id (0: the device left the bus).
 * @seen: some hypercall named it (it appears in debugfs "devices").
 * @domain: the device domain it is in, or NULL when direct-attached.
 * @partition: the guest partition it is direct-attached to, or NULL.
 * @logical_id: its logical device id while direct-attached.
 * @pdevs: its functions on the bus (a reference held on each), the first
 *	HV_SIM_DEVICE_FUNCS of them: every one masters with this id, so the
 *	audit reads every one's command register and the BAR lookup every
 *	one's BARs.
 * @hop: it came to the default domain from another one and is still there.
 * @hop_bus_master: bus mastering was on when it came.
 */
struct hv_sim_device {
	u32 key;
	u64 source;
	unsigned int functions;
	bool seen;
	struct hv_sim_device_domain *domain;
	struct hv_sim_partition *partition;
	u64 logical_id;
	struct pci_dev *pdevs[HV_SIM_DEVICE_FUNCS];
	bool hop;
	bool hop_bus_master;
};

/* The number of call codes the simulator implements (hcall.c's table). */
#define HV_SIM_NR_CALLS		21
/* Distinct non-success statuses kept in the stats table. */
#define HV_SIM_NR_STATUSES	32
/* Pending fault injections at most. */
#define HV_SIM_NR_FAULTS	16

/**
 * struct hv_sim_call_stats - per call code counters
 * @calls: hypercalls issued with this code.
 * @reps: reps completed by them.
 * @failures: calls that returned a status other than success.
 */
struct hv_sim_call_stats {
	u64 calls;
	u64 reps;
	u64 failures;
};

/**
 * struct hv_sim_fault - one pending fault injection (debugfs "fail")
 * @code: call code it applies to.
 * @status: status to return.
 * @after_reps: reps the call completes before failing.
 * @count: calls still to fail.
 */
struct hv_sim_fault {
	u16 code;
	u16 status;
	u32 after_reps;
	u32 count;
};

/**
 * struct hv_sim_state - everything the simulated hypervisor holds
 * @lock: guards every field below (see the top of this file).
 * @domains: device domain number -> struct hv_sim_device_domain.
 * @devices: device key -> struct hv_sim_device.
 * @partitions: list of struct hv_sim_partition.
 * @next_partition_id: id the next guest partition gets.
 * @pool_free: pages the hypervisor can still use for its own structures.
 * @pool_deposited: pages deposited in total.
 * @pool_consumed: pages in use (domains and leaf page tables).
 * @deposited: pfn -> value entry, every page ever deposited.
 * @rep_slice: most reps one call completes; 0 = unlimited.
 * @call_stats: indexed like hcall.c's call table.
 * @status_code: non-success statuses seen, sorted.
 * @status_count: how often each of @status_code was returned.
 * @nr_statuses: used entries of @status_code.
 * @faults: pending fault injections, oldest first.
 * @nr_faults: used entries of @faults.
 * @fail_nth: calls (of any code, or of @fail_nth_code) until the one that
 *	fails with @fail_nth_status, counting it; 0: no such injection
 *	(fault.c).
 * @fail_nth_status: the status it fails with.
 * @fail_nth_code: the call code counted, or -1 for any.
 * @audit_bus_master: hops through the default domain with bus mastering
 *	on (audit.c).
 * @audit_bus_master_key: the device of the last one.
 * @misuse_irqs_enabled: calls refused for being made with interrupts on.
 * @misuse_foreign_page: calls refused for an input that is not in the
 *	calling CPU's input page.
 * @reader_max_walk: most mapped pages a debugfs reader walked in one hold
 *	of @lock.
 * @pages_leaked: audit: pages still deposited to a partition when it was
 *	deleted (the root never withdrew them; a correct driver leaves 0).
 */
struct hv_sim_state {
	spinlock_t lock;		/* guards all of the state below */
	struct xarray domains;
	struct xarray devices;
	struct list_head partitions;
	u64 next_partition_id;
	unsigned long pool_free;
	unsigned long pool_deposited;
	unsigned long pool_consumed;
	struct xarray deposited;
	u32 rep_slice;
	struct hv_sim_call_stats call_stats[HV_SIM_NR_CALLS];
	u16 status_code[HV_SIM_NR_STATUSES];
	u64 status_count[HV_SIM_NR_STATUSES];
	unsigned int nr_statuses;
	struct hv_sim_fault faults[HV_SIM_NR_FAULTS];
	unsigned int nr_faults;
	u32 fail_nth;
	u16 fail_nth_status;
	int fail_nth_code;
	u64 audit_bus_master;
	u32 audit_bus_master_key;
	u64 misuse_irqs_enabled;
	u64 misuse_foreign_page;
	unsigned long reader_max_walk;
	unsigned long pages_leaked;
};

extern struct hv_sim_state hv_sim;

/**
 * struct hv_sim_call - one hypercall being executed
 * @input: the input page contents (already checked to fit in the page).
 * @rep_count: rep count from the control word (0 for simple calls).
 * @rep_start: first rep to process (rep start index).
 * @rep_end: process reps [@rep_start, @rep_end); less than @rep_count on a
 *	time slice or an injected fault.
 * @rep_next: set by the handler: index of the first rep not completed
 *	(the "reps completed" of the result).
 * @output: the caller's output page, or NULL (calls with output check it).
 */
struct hv_sim_call {
	const void *input;
	void *output;
	u32 rep_count;
	u32 rep_start;
	u32 rep_end;
	u32 rep_next;
};

/*
 * A page table entry of the sim's tables (device domain IOVA, partition
 * GPA): an xarray value entry packing the page frame number and the map
 * flags: bits 0-3 as they are (access), then NOT_CACHED, ADJUSTABLE,
 * NO_ACCESS and LARGE_PAGE.
 */
#define HV_SIM_PTE_FLAGS_BITS	8

static inline void *hv_sim_pte_make(u64 pfn, u32 flags)
{
	unsigned long bits = flags & 0xf;

	bits |= flags & HV_MAP_GPA_NOT_CACHED ? BIT(4) : 0;
	bits |= flags & HV_MAP_GPA_ADJUSTABLE ? BIT(5) : 0;
	bits |= flags & HV_MAP_GPA_NO_ACCESS ? BIT(6) : 0;
	bits |= flags & HV_MAP_GPA_LARGE_PAGE ? BIT(7) : 0;
	return xa_mk_value((unsigned long)pfn << HV_SIM_PTE_FLAGS_BITS | bits);
}

static inline unsigned long hv_sim_pte_pfn(void *pte)
{
	return xa_to_value(pte) >> HV_SIM_PTE_FLAGS_BITS;
}

static inline u32 hv_sim_pte_flags(void *pte)
{
	unsigned long bits = xa_to_value(pte);
	u32 flags = bits & 0xf;

	flags |= bits & BIT(4) ? HV_MAP_GPA_NOT_CACHED : 0;
	flags |= bits & BIT(5) ? HV_MAP_GPA_ADJUSTABLE : 0;
	flags |= bits & BIT(6) ? HV_MAP_GPA_NO_ACCESS : 0;
	flags |= bits & BIT(7) ? HV_MAP_GPA_LARGE_PAGE : 0;
	return flags;
}

/* Physical addresses have at most 52 bits (x86-64 MAXPHYADDR). */
#define HV_SIM_PFN_MAX		((1ULL << (52 - HV_HYP_PAGE_SHIFT)) - 1)

/* main.c */
enum hv_role hv_sim_role(void);
bool hv_sim_input_page_is_own(const void *input);
void *hv_sim_input_page_of(unsigned int cpu);

/* hcall.c */
u64 hv_sim_hypercall(u64 control, void *input, void *output);
int hv_sim_call_index(u16 code);
u16 hv_sim_call_code(unsigned int index);
void hv_sim_stats_reset(void);

/* domain.c */
int hv_sim_domains_init(void);
void hv_sim_domains_exit(void);
struct hv_sim_device_domain *hv_sim_default_domain(void);
u16 hv_sim_create_device_domain(struct hv_sim_call *call);
u16 hv_sim_delete_device_domain(struct hv_sim_call *call);
u16 hv_sim_attach_device_domain(struct hv_sim_call *call);
u16 hv_sim_detach_device_domain(struct hv_sim_call *call);
u16 hv_sim_map_device_gpa_pages(struct hv_sim_call *call);
u16 hv_sim_unmap_device_gpa_pages(struct hv_sim_call *call);

/**
 * struct hv_sim_run - a run of mapped IOVA pages (debugfs "mappings")
 * @domain: domain number.
 * @iova_pfn: first IOVA page number.
 * @pfn: page frame number the first IOVA page maps.
 * @pages: length of the run in pages; IOVA and pfn advance together.
 * @flags: map flags, equal for the whole run.
 */
struct hv_sim_run {
	u32 domain;
	unsigned long iova_pfn;
	unsigned long pfn;
	unsigned long pages;
	u32 flags;
};

bool hv_sim_run_find(unsigned long *dom_index, unsigned long *page_index,
		     struct hv_sim_run *run);

/* device.c */
int hv_sim_devices_init(void);
void hv_sim_devices_exit(void);
struct hv_sim_device *hv_sim_device_lookup(u64 device_id);
u64 hv_sim_device_id(const struct hv_sim_device *dev);
void hv_sim_device_put_if_unused(struct hv_sim_device *dev);
bool hv_sim_pfn_is_bar(u64 pfn, unsigned long *bar_start,
		       unsigned long *bar_end);
void hv_sim_seq_devices_of(struct seq_file *m,
			   const struct hv_sim_device_domain *domain,
			   const struct hv_sim_partition *partition);
void hv_sim_seq_bdf(struct seq_file *m, u32 key);

/* pte.c */
bool hv_sim_pte_run(struct xarray *xa, unsigned long *index,
		    unsigned long *pfn, unsigned long *pages, u32 *flags,
		    unsigned long max);

/* partition.c */
void hv_sim_partitions_init(void);
void hv_sim_partitions_exit(void);
struct hv_sim_partition *hv_sim_partition_find(u64 id);
bool hv_sim_partition_page_take(struct hv_sim_partition *pt,
				unsigned long *pfn);
void hv_sim_partition_page_give(struct hv_sim_partition *pt,
				unsigned long pfn);
u16 hv_sim_partition_deposit(struct hv_sim_partition *pt, u64 pfn);
u16 hv_sim_create_partition(struct hv_sim_call *call);
u16 hv_sim_initialize_partition(struct hv_sim_call *call);
u16 hv_sim_finalize_partition(struct hv_sim_call *call);
u16 hv_sim_delete_partition(struct hv_sim_call *call);
u16 hv_sim_withdraw_memory(struct hv_sim_call *call);

/* gpa.c */
u16 hv_sim_map_gpa_pages(struct hv_sim_call *call);
u16 hv_sim_unmap_gpa_pages(struct hv_sim_call *call);
void hv_sim_gpa_clear(struct hv_sim_partition *pt);
void *hv_sim_gpa_lookup(struct hv_sim_partition *pt, u64 gfn);

/* vp.c */
u16 hv_sim_create_vp(struct hv_sim_call *call);
u16 hv_sim_delete_vp(struct hv_sim_call *call);
u16 hv_sim_map_vp_state_page(struct hv_sim_call *call);
u16 hv_sim_unmap_vp_state_page(struct hv_sim_call *call);
u16 hv_sim_dispatch_vp(struct hv_sim_call *call);
void hv_sim_vps_clear(struct hv_sim_partition *pt);

/* direct.c */
u16 hv_sim_attach_device(struct hv_sim_call *call);
u16 hv_sim_detach_device(struct hv_sim_call *call);

/* pool.c */
void hv_sim_pool_init(unsigned long pages);
void hv_sim_pool_exit(void);
bool hv_sim_pool_take(void);
void hv_sim_pool_give(unsigned long pages);
u16 hv_sim_deposit_memory(struct hv_sim_call *call);
bool hv_sim_pfn_is_ram(unsigned long pfn, unsigned long *ram_start,
		       unsigned long *ram_end);

/* fault.c */
bool hv_sim_fault_take(u16 code, u32 reps_left, struct hv_sim_fault *fault);
int hv_sim_fault_parse(char *buf);
void hv_sim_fault_show(struct seq_file *m);

/* mmio.c */
struct hv_vmm_guest_access;
void hv_sim_mmio_add(struct pci_dev *pdev);
void hv_sim_mmio_remove(struct pci_dev *pdev);
bool hv_sim_mmio_pfn_is_bar(u64 pfn);
void hv_sim_mmio_access(struct hv_vmm_guest_access *a, u64 pfn);
void hv_sim_mmio_audit(struct seq_file *m);

/* audit.c */
void hv_sim_audit_enter_default(struct hv_sim_device *dev);
void hv_sim_audit_leave_default(struct hv_sim_device *dev);
void hv_sim_audit_returned(struct hv_sim_device *dev);
void hv_sim_audit_show(struct seq_file *m);

/* call.c */
extern const struct file_operations hv_sim_call_fops;

/* synic.c: the model's MSR indexes. */
enum {
	HV_SIM_SYNIC_SCONTROL,
	HV_SIM_SYNIC_SIEFP,
	HV_SIM_SYNIC_SIMP,
	HV_SIM_SYNIC_EOM,
	HV_SIM_SYNIC_SIRBP,
	HV_SIM_SYNIC_SINT0,
	HV_SIM_SYNIC_NR_MSRS = HV_SIM_SYNIC_SINT0 + HV_SYNIC_SINT_COUNT,
};

/**
 * enum hv_sim_synic_writer - who accessed a SynIC MSR
 * @HV_SIM_SYNIC_VMBUS: the sim's VMBus model (vmbus.c).
 * @HV_SIM_SYNIC_DRIVER: a driver, through the backend.
 * @HV_SIM_SYNIC_TEST: a test, through debugfs "synic_msr".
 * @HV_SIM_SYNIC_NR_WRITERS: count; as a last writer: nobody yet.
 */
enum hv_sim_synic_writer {
	HV_SIM_SYNIC_VMBUS,
	HV_SIM_SYNIC_DRIVER,
	HV_SIM_SYNIC_TEST,
	HV_SIM_SYNIC_NR_WRITERS,
};

/* synic.c */
int hv_sim_synic_init(enum hv_role role);
void hv_sim_synic_exit(void);
int hv_sim_synic_index(u32 msr);
const char *hv_sim_synic_msr_name(int index, char buf[12]);
u64 hv_sim_synic_access(enum hv_sim_synic_writer who, u32 msr, const u64 *val);
u64 hv_sim_synic_read(u32 msr);
void hv_sim_synic_write(u32 msr, u64 val);
int hv_sim_sint_handler_set(void (*handler)(void));
void hv_sim_sint_handler_clear(void);
int hv_sim_synic_post(unsigned int cpu, unsigned int sint,
		      const struct hv_message *msg);
void hv_sim_synic_show_cpu(struct seq_file *m, unsigned int cpu);
void hv_sim_synic_audit(struct seq_file *m);
void hv_sim_synic_audit_reset(void);
void hv_sim_synic_audit_log(const char *when);
void hv_sim_synic_debugfs_init(struct dentry *dir);

/* vmbus.c */
int hv_sim_vmbus_init(enum hv_role role);
void hv_sim_vmbus_exit(void);
int hv_sim_vmbus_start(void);
int hv_sim_vmbus_stop(void);
bool hv_sim_vmbus_up(void);
void hv_sim_vmbus_isr(void);
void hv_sim_vmbus_show(struct seq_file *m);

/* debugfs.c */
void hv_sim_debugfs_init(void);
void hv_sim_debugfs_exit(void);
char *hv_sim_knob_text(const char __user *ubuf, size_t count,
		       const char *knob, char **text);

/* A knob: reads show its value (seq_file), writes go to _write(). */
#define HV_SIM_KNOB(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_show, inode->i_private);	\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.write = name##_write,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

#endif /* HV_SIM_H */
