// SPDX-License-Identifier: GPL-2.0
/*
 * Intercept messages from SINT0 (synic.c's handler) to the VP they name.
 */
#include "vmm.h"

/**
 * hv_vmm_intercept_arrived() - hand an intercept message to its VP
 * @msg: the 256-byte message from the SIMP slot of SINT0; the sender is
 *	the partition id, the payload's first u32 the vp_index (every x64
 *	intercept message starts with it).
 *
 * Copies the message to the VP and wakes its thread.  A message for a
 * partition or VP that no longer exists is dropped.
 *
 * Context: hard irq.  Partitions and VPs are looked up under RCU (both are
 * freed after a grace period); only the VP's spinlock is taken.
 */
void hv_vmm_intercept_arrived(const struct hv_message *msg)
{
	struct hv_vmm_partition *pt;
	struct hv_vmm_vp *vp = NULL;
	u32 vp_index = msg->payload[0] & U32_MAX;

	rcu_read_lock();
	pt = xa_load(&hv_vmm_partitions, msg->header.sender);
	if (pt)
		vp = xa_load(&pt->vps, vp_index);
	if (vp) {
		spin_lock(&vp->msg_lock);
		vp->msg = *msg;
		vp->msg_ready = true;
		spin_unlock(&vp->msg_lock);
		wake_up(&vp->wq);
	}
	rcu_read_unlock();
}
