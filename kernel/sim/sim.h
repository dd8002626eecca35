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

/**
 * struct hv_sim_partition - a guest partition created through /dev/hv_sim
 * @node: entry in hv_sim.partitions (in creation order).
 * @id: partition id (never 0, never HV_PARTITION_ID_SELF, never reused).
 * @owner: thread group of the creating process (a reference is held), or
 *	NULL once the owner deleted the partition.
 * @owner_pid: its pid in the initial namespace, for debugfs.
 * @deleting: the owner deleted it (ioctl or close) while devices were still
 *	attached; it goes away when the last one is detached.
 * @nr_devices: devices direct-attached to it.
 */
struct hv_sim_partition {
	struct list_head node;
	u64 id;
	struct pid *owner;
	pid_t owner_pid;
	bool deleting;
	unsigned int nr_devices;
};

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
 */
struct hv_sim_device {
	u32 key;
	u64 source;
	unsigned int functions;
	bool seen;
	struct hv_sim_device_domain *domain;
	struct hv_sim_partition *partition;
	u64 logical_id;
};

/* The number of call codes the simulator implements (hcall.c's table). */
#define HV_SIM_NR_CALLS		9
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
 * @misuse_irqs_enabled: calls refused for being made with interrupts on.
 * @misuse_foreign_page: calls refused for an input that is not in the
 *	calling CPU's input page.
 * @reader_max_walk: most mapped pages a debugfs reader walked in one hold
 *	of @lock.
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
	u64 misuse_irqs_enabled;
	u64 misuse_foreign_page;
	unsigned long reader_max_walk;
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
 */
struct hv_sim_call {
	const void *input;
	u32 rep_count;
	u32 rep_start;
	u32 rep_end;
	u32 rep_next;
};

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
void hv_sim_seq_devices_of(struct seq_file *m,
			   const struct hv_sim_device_domain *domain,
			   const struct hv_sim_partition *partition);
void hv_sim_seq_bdf(struct seq_file *m, const struct hv_sim_device *dev);

/* direct.c */
int hv_sim_direct_init(void);
void hv_sim_direct_exit(void);
int hv_sim_current_partition(u64 *partition_id);
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

/* call.c */
extern const struct file_operations hv_sim_call_fops;

/* debugfs.c */
void hv_sim_debugfs_init(void);
void hv_sim_debugfs_exit(void);

#endif /* HV_SIM_H */
