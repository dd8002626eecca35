// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm in hv_iommu's generic netlink family (hv_nl.h): the partition-get
 * and synic-get dumps, plugged in while hv_vmm is loaded.  Partition events
 * are sent where partitions are created and deleted (partition.c).
 */
#include "vmm.h"

#include <linux/xarray.h>
#include <net/genetlink.h>

#include "hv_nl.h"
#include "hv_iommu_nl.h"

/*
 * partition-get: one message per partition, by id; cb->args[0] is the next
 * id.  Partitions are freed after an RCU grace period (kfree_rcu), so the
 * fields read here stay valid under rcu_read_lock().
 */
static int hv_vmm_partition_nl_dump(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct hv_vmm_partition *pt;
	unsigned long id = cb->args[0];
	void *hdr;

	rcu_read_lock();
	xa_for_each_start(&hv_vmm_partitions, id, pt, cb->args[0]) {
		hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_PARTITION_GET);
		if (!hdr)
			break;
		if (nla_put_u64_64bit(skb, HV_IOMMU_A_PARTITION_ID, pt->id,
				      HV_IOMMU_A_PAD) ||
		    nla_put_u64_64bit(skb, HV_IOMMU_A_PARTITION_FLAGS,
				      pt->pt_flags, HV_IOMMU_A_PAD) ||
		    nla_put_u8(skb, HV_IOMMU_A_PARTITION_INITIALIZED,
			       READ_ONCE(pt->initialized))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id + 1;
	}
	rcu_read_unlock();
	return skb->len;
}

static const struct hv_iommu_nl_vmm_ops hv_vmm_nl_ops = {
	.synic_dump = hv_vmm_synic_nl_dump,
	.partition_dump = hv_vmm_partition_nl_dump,
};

/**
 * hv_vmm_nl_register() - plug hv_vmm's dumps into the family
 *
 * Context: module init, once partitions and the SynIC are set up.
 */
void hv_vmm_nl_register(void)
{
	hv_iommu_nl_vmm_register(&hv_vmm_nl_ops);
}

/**
 * hv_vmm_nl_unregister() - unplug them (waits for a dump step running)
 *
 * Context: module exit, before the state they read is torn down.
 */
void hv_vmm_nl_unregister(void)
{
	hv_iommu_nl_vmm_unregister();
}
