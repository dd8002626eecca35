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
struct mm_struct;
struct page;

/* hv_iommu's backend, the one boundary to the hypervisor. */
extern const struct hv_backend *hv_iommu_backend;

/* dev.c */
int hv_vmm_dev_register(void);
void hv_vmm_dev_unregister(void);

/* synic.c */
int hv_vmm_synic_init(void);
void hv_vmm_synic_exit(void);
void hv_vmm_synic_debugfs_init(struct dentry *dir);

/* Must be called for every intercept message that arrives in SINT0. */
void hv_vmm_intercept_arrived(const struct hv_message *msg);

#endif /* HV_VMM_PRIV_H */
