/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_vmm: the root partition's VMM driver.  Private declarations.
 *
 * Objects: a partition (one per HV_VMM_CREATE_PARTITION, its fd holds a
 * reference, so does each VP fd), its VPs (xarray by vp_index), its guest
 * memory regions and its direct-attached devices.
 *
 * Locking, outermost first:
 *  - hv_vmm_partition.mutex: the partition's state, VPs, regions and
 *    devices change under it; every hypercall on the partition except
 *    DISPATCH_VP is made under it.
 *  - hv_vmm_vp.run_mutex: one RUN_VP / state change of a VP at a time.
 *  - hv_vmm_vp.msg_lock (spinlock, irqsave): the intercept message handed
 *    over from the SINT0 handler (hard irq) to the VP's thread.
 *  - hv_vmm_region.mmio_lock: an MMIO region's mapped pages and the
 *    hypercalls that change them (mmio.c, mmio_notifier.c).  Taken inside
 *    the mm's mmap_lock by the MMU notifier, so never held around the VMA
 *    walk, and nothing allocates with reclaim under it.
 * Lookups from hard irq (hv_vmm_intercept_arrived()) find partitions and
 * VPs in xarrays under RCU; both are freed after a grace period.
 */
#ifndef HV_VMM_PRIV_H
#define HV_VMM_PRIV_H

#ifndef pr_fmt
#define pr_fmt(fmt) "hv_vmm: " fmt
#endif

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "hv_abi.h"
#include "hv_backend.h"
#include "hv_hcall.h"

struct dentry;
struct file;
struct iommu_group;
struct mm_struct;
struct page;

/**
 * struct hv_vmm_region - a guest memory region (HV_VMM_SET_GUEST_MEMORY)
 * @node: entry in hv_vmm_partition.regions, sorted by @gfn.
 * @gfn: first guest page.
 * @npages: length in 4 KiB pages.
 * @uaddr: user address it was given at.
 * @flags: HV_VMM_SET_MEM_BIT_* flags (writable, executable).
 * @mmio: the VMA was VM_IO|VM_PFNMAP: an MMIO region, mapped by the
 *	resolver (mmio.c) as the guest touches it or, in eager mode, when
 *	registered.
 * @pages: RAM: the pinned pages (FOLL_LONGTERM), one per 4 KiB.
 * @ref: MMIO: the partition's list holds one, a resolver at work another.
 * @pt: MMIO: its partition.
 * @mmio_lock: MMIO: guards @spa and @dead, serialises the map and unmap
 *	hypercalls on the region against the notifier.
 * @spa: MMIO: page index in the region -> xa_mk_value(PFN) of each page
 *	mapped in the hypervisor now.
 * @notifier: MMIO: follows the user range; an invalidation unmaps.
 * @dead: MMIO: removed; nothing may be mapped in it any more.
 */
struct hv_vmm_region {
	struct list_head node;
	u64 gfn;
	u64 npages;
	u64 uaddr;
	u8 flags;
	bool mmio;
	struct page **pages;
	struct kref ref;
	struct hv_vmm_partition *pt;
	struct mutex mmio_lock;
	struct xarray spa;
	struct mmu_interval_notifier notifier;
	bool dead;
};

/**
 * enum hv_vmm_mmio_mode - how the resolver maps an MMIO region
 * @HV_VMM_MMIO_FULL: the whole region on its first intercept (upstream).
 * @HV_VMM_MMIO_PAGE: only the page of the intercept.
 * @HV_VMM_MMIO_EAGER: the whole region when it is registered.
 */
enum hv_vmm_mmio_mode {
	HV_VMM_MMIO_FULL,
	HV_VMM_MMIO_PAGE,
	HV_VMM_MMIO_EAGER,
};

/**
 * enum hv_vmm_mmio_counter - the MMIO counters of a partition
 * @HV_VMM_MMIO_INTERCEPTS: HVMSG_UNMAPPED_GPA intercepts seen.
 * @HV_VMM_MMIO_RESOLVED_FULL: intercepts that mapped a whole region.
 * @HV_VMM_MMIO_RESOLVED_PAGE: intercepts that mapped one page.
 * @HV_VMM_MMIO_ALREADY_MAPPED: intercepts another VP had resolved first.
 * @HV_VMM_MMIO_EAGER_MAPS: regions mapped whole at registration.
 * @HV_VMM_MMIO_GUARD_REFUSALS: intercepts outside every MMIO region,
 *	returned to the VMM.
 * @HV_VMM_MMIO_RESOLVE_ERRORS: intercepts in a region that could not be
 *	resolved (no PFN, hypercall failed), returned to the VMM.
 * @HV_VMM_MMIO_NOTIFIER_UNMAPS: invalidations that unmapped pages.
 * @HV_VMM_MMIO_NOTIFIER_PAGES: pages they unmapped.
 * @HV_VMM_MMIO_FULL_NS: nanoseconds from intercept to re-dispatch, summed
 *	over the full resolutions.
 * @HV_VMM_MMIO_PAGE_NS: the same over the page resolutions.
 * @HV_VMM_MMIO_NR_COUNTERS: their number.
 */
enum hv_vmm_mmio_counter {
	HV_VMM_MMIO_INTERCEPTS,
	HV_VMM_MMIO_RESOLVED_FULL,
	HV_VMM_MMIO_RESOLVED_PAGE,
	HV_VMM_MMIO_ALREADY_MAPPED,
	HV_VMM_MMIO_EAGER_MAPS,
	HV_VMM_MMIO_GUARD_REFUSALS,
	HV_VMM_MMIO_RESOLVE_ERRORS,
	HV_VMM_MMIO_NOTIFIER_UNMAPS,
	HV_VMM_MMIO_NOTIFIER_PAGES,
	HV_VMM_MMIO_FULL_NS,
	HV_VMM_MMIO_PAGE_NS,
	HV_VMM_MMIO_NR_COUNTERS
};

/**
 * struct hv_vmm_mmio_stats - a snapshot of MMIO counters
 * @v: indexed by &enum hv_vmm_mmio_counter.
 */
struct hv_vmm_mmio_stats {
	u64 v[HV_VMM_MMIO_NR_COUNTERS];
};

/**
 * struct hv_vmm_direct - a VFIO group the VMM asked direct attach for
 * @node: entry in hv_vmm_partition.devices.
 * @file: the VFIO group file, held while the request stands.
 * @group: its IOMMU group (a reference is held).
 */
struct hv_vmm_direct {
	struct list_head node;
	struct file *file;
	struct iommu_group *group;
};

/**
 * struct hv_vmm_partition - a guest partition and what the driver holds
 * @ref: partition fd and VP fds hold references; the last put tears down.
 * @id: hypervisor partition id.
 * @pt_flags: HV_VMM_PT_BIT_* of the creation.
 * @mm: the creating process's mm (grabbed): the only one allowed to use it.
 * @mutex: guards everything below and serialises the hypercalls on it.
 * @initialized: HV_VMM_INITIALIZE_PARTITION succeeded.
 * @vps: vp_index -> struct hv_vmm_vp (RCU lookups from hard irq).
 * @regions: struct hv_vmm_region, sorted by gfn.
 * @devices: struct hv_vmm_direct.
 * @mmio_counters: MMIO counters (&enum hv_vmm_mmio_counter); read them
 *	with hv_vmm_mmio_stats_read().
 * @debugfs: its directory hv_vmm/partitions/<id>, or NULL.
 * @rcu: frees the struct after lookups from hard irq are done.
 */
struct hv_vmm_partition {
	struct kref ref;
	u64 id;
	u64 pt_flags;
	struct mm_struct *mm;
	struct mutex mutex;
	bool initialized;
	struct xarray vps;
	struct list_head regions;
	struct list_head devices;
	atomic64_t mmio_counters[HV_VMM_MMIO_NR_COUNTERS];
	struct dentry *debugfs;
	struct rcu_head rcu;
};

/**
 * struct hv_vmm_vp - a virtual processor
 * @pt: its partition (a reference is held by the VP fd).
 * @index: vp_index.
 * @run_mutex: one RUN_VP or state access at a time.
 * @regs: the register state page, mapped from the hypervisor.
 * @intercept: the intercept message page, mapped from the hypervisor.
 * @suspended: an intercept stopped it; the next dispatch clears that.
 * @msg_lock: guards @msg and @msg_ready (hard irq vs the VP's thread).
 * @msg: the last intercept message from SINT0.
 * @msg_ready: @msg holds a message the thread has not taken.
 * @wq: the VP's thread waits here for @msg_ready.
 * @rcu: frees the struct after lookups from hard irq are done.
 */
struct hv_vmm_vp {
	struct hv_vmm_partition *pt;
	u32 index;
	struct mutex run_mutex;
	void *regs;
	void *intercept;
	bool suspended;
	spinlock_t msg_lock;
	struct hv_message msg;
	bool msg_ready;
	wait_queue_head_t wq;
	struct rcu_head rcu;
};

/* hv_iommu's backend, the one boundary to the hypervisor. */
extern const struct hv_backend *hv_iommu_backend;

/* Live partitions by id, for intercepts arriving in hard irq. */
extern struct xarray hv_vmm_partitions;

/* dev.c */
int hv_vmm_dev_register(void);
void hv_vmm_dev_unregister(void);

/* hcall.c */
int hv_vmm_hv_create_partition(u64 pt_flags, u64 *id);
int hv_vmm_hv_initialize_partition(u64 id);
int hv_vmm_hv_finalize_partition(u64 id);
int hv_vmm_hv_delete_partition(u64 id);
int hv_vmm_hv_withdraw_memory(u64 id);
int hv_vmm_hv_create_vp(u64 id, u32 vp_index);
int hv_vmm_hv_delete_vp(u64 id, u32 vp_index);
int hv_vmm_hv_map_vp_state_page(u64 id, u32 vp_index, u16 type, void **va);
int hv_vmm_hv_unmap_vp_state_page(u64 id, u32 vp_index, u16 type);
int hv_vmm_hv_dispatch_vp(u64 id, u32 vp_index, u32 flags,
			  struct hv_output_dispatch_vp *out);
int hv_vmm_hv_map_gpa_pages(u64 id, u64 gfn, const u64 *pfns, u32 count,
			    u32 flags, gfp_t gfp, u32 *done);
int hv_vmm_hv_unmap_gpa_pages(u64 id, u64 gfn, u32 count, u32 flags,
			      gfp_t gfp);

/* partition.c */
long hv_vmm_partition_create(void __user *arg);
bool hv_vmm_partition_owned(struct hv_vmm_partition *pt);
void hv_vmm_partition_put(struct hv_vmm_partition *pt);

/* region.c */
int hv_vmm_set_guest_memory(struct hv_vmm_partition *pt, void __user *arg);
void hv_vmm_regions_remove(struct hv_vmm_partition *pt);

/* mmio.c */
int hv_vmm_mmio_region_init(struct hv_vmm_partition *pt,
			    struct hv_vmm_region *r);
void hv_vmm_mmio_region_remove(struct hv_vmm_region *r);
bool hv_vmm_mmio_intercept(struct hv_vmm_partition *pt,
			   const struct hv_message *msg, u64 t0);
void hv_vmm_mmio_count(struct hv_vmm_partition *pt,
		       enum hv_vmm_mmio_counter c, u64 n);
void hv_vmm_mmio_stats_read(struct hv_vmm_partition *pt,
			    struct hv_vmm_mmio_stats *st);
const char *hv_vmm_mmio_counter_name(enum hv_vmm_mmio_counter c);
const char *hv_vmm_mmio_mode_name(void);
unsigned long hv_vmm_region_mapped(struct hv_vmm_region *r);

/* mmio_notifier.c */
int hv_vmm_mmio_notifier_insert(struct hv_vmm_region *r);
void hv_vmm_mmio_notifier_remove(struct hv_vmm_region *r);
u64 hv_vmm_mmio_unmap(struct hv_vmm_region *r, u64 first, u64 count,
		      gfp_t gfp);

/* mmio_debugfs.c */
void hv_vmm_partition_debugfs_init(struct hv_vmm_partition *pt);
void hv_vmm_partition_debugfs_exit(struct hv_vmm_partition *pt);
void hv_vmm_mmio_debugfs_init(struct dentry *dir);

/* vp.c */
int hv_vmm_vp_create(struct hv_vmm_partition *pt, void __user *arg);
void hv_vmm_vps_remove(struct hv_vmm_partition *pt);

/* direct.c */
int hv_vmm_device_attach(struct hv_vmm_partition *pt, void __user *arg);
int hv_vmm_device_detach(struct hv_vmm_partition *pt, void __user *arg);
void hv_vmm_devices_release(struct hv_vmm_partition *pt);

/* synic.c */
int hv_vmm_synic_init(void);
void hv_vmm_synic_exit(void);
void hv_vmm_synic_debugfs_init(struct dentry *dir);
struct sk_buff;
struct netlink_callback;
int hv_vmm_synic_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink.c */
void hv_vmm_nl_register(void);
void hv_vmm_nl_unregister(void);
void hv_vmm_nl_mmio_event(int type, struct hv_vmm_region *r, u64 first,
			  u64 pages, gfp_t gfp);

/* Must be called for every intercept message that arrives in SINT0. */
void hv_vmm_intercept_arrived(const struct hv_message *msg);

#endif /* HV_VMM_PRIV_H */
