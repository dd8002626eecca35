/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_iommu's generic netlink family as hv_vmm uses it: hv_vmm plugs its
 * dumps (synic-get, partition-get, mmio-get) into the one family and sends
 * its events through it, so that a program needs one socket for both
 * drivers.  Family, attributes and events: uapi/hv_iommu_nl.h.
 */
#ifndef HV_NL_H
#define HV_NL_H

#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/gfp.h>
#include <linux/types.h>

/**
 * struct hv_iommu_nl_vmm_ops - hv_vmm's dumps
 * @synic_dump: fill @skb with synic-get messages from where @cb->args
 *	says; netlink dumpit semantics (skb->len, 0 when done, -errno).
 * @partition_dump: the same for partition-get.
 * @mmio_dump: the same for mmio-get, or NULL while not provided.
 */
struct hv_iommu_nl_vmm_ops {
	int (*synic_dump)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*partition_dump)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*mmio_dump)(struct sk_buff *skb, struct netlink_callback *cb);
};

void hv_iommu_nl_vmm_register(const struct hv_iommu_nl_vmm_ops *ops);
void hv_iommu_nl_vmm_unregister(void);
void *hv_iommu_nl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd);
void hv_iommu_nl_partition_event(int type, u64 partition_id);
void hv_iommu_nl_mmio_event(int type, u64 partition_id, u64 gpa, u64 size,
			    gfp_t gfp);

#endif /* HV_NL_H */
