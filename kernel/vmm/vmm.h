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
 * Lookups from hard irq (hv_vmm_intercept_arrived()) find partitions and
 * VPs in xarrays under RCU; both are freed after a grace period.
 */
#ifndef HV_VMM_PRIV_H
#define HV_VMM_PRIV_H

#ifndef pr_fmt
#define pr_fmt(fmt) "hv_vmm: " fmt
#endif

#include <linux/kref.h>
#include <linux/list.h>
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
 * @mmio: the VMA was VM_IO|VM_PFNMAP: recorded, not mapped (the MMIO
 *	mapping policy resolves intercepts in it).
 * @pages: RAM: the pinned pages (FOLL_LONGTERM), one per 4 KiB.
 */
struct hv_vmm_region {
	struct list_head node;
	u64 gfn;
	u64 npages;
	u64 uaddr;
	u8 flags;
	bool mmio;
	struct page **pages;
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
			    u32 flags, u32 *done);
int hv_vmm_hv_unmap_gpa_pages(u64 id, u64 gfn, u32 count, u32 flags);

/* partition.c */
long hv_vmm_partition_create(void __user *arg);
bool hv_vmm_partition_owned(struct hv_vmm_partition *pt);
void hv_vmm_partition_put(struct hv_vmm_partition *pt);

/* region.c */
int hv_vmm_set_guest_memory(struct hv_vmm_partition *pt, void __user *arg);
void hv_vmm_regions_remove(struct hv_vmm_partition *pt);

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

/* Must be called for every intercept message that arrives in SINT0. */
void hv_vmm_intercept_arrived(const struct hv_message *msg);

#endif /* HV_VMM_PRIV_H */
