// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm in hv_iommu's generic netlink family (hv_nl.h): the partition-get,
 * synic-get and mmio-get dumps, plugged in while hv_vmm is loaded.
 * Partition events are sent where partitions are created and deleted
 * (partition.c), MMIO events where the resolver maps (mmio.c) and where
 * the notifier or a region's removal unmaps (mmio_notifier.c, mmio.c).
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

/* The first partition with an id >= *@id, referenced; NULL if none. */
static struct hv_vmm_partition *hv_vmm_nl_partition_from(unsigned long *id)
{
	struct hv_vmm_partition *pt;

	rcu_read_lock();
	xa_for_each_start(&hv_vmm_partitions, *id, pt, *id)
		if (kref_get_unless_zero(&pt->ref))	/* not in teardown */
			break;
	rcu_read_unlock();
	return pt;
}

static int hv_vmm_region_nl_fill(struct sk_buff *skb,
				 struct hv_vmm_partition *pt,
				 struct hv_vmm_region *r)
{
	if (nla_put_u64_64bit(skb, HV_IOMMU_A_PARTITION_ID, pt->id,
			      HV_IOMMU_A_PAD) ||
	    nla_put_u64_64bit(skb, HV_IOMMU_A_MMIO_GPA,
			      r->gfn << HV_HYP_PAGE_SHIFT, HV_IOMMU_A_PAD) ||
	    nla_put_u64_64bit(skb, HV_IOMMU_A_MMIO_SIZE,
			      r->npages << HV_HYP_PAGE_SHIFT, HV_IOMMU_A_PAD) ||
	    nla_put_u64_64bit(skb, HV_IOMMU_A_MMIO_MAPPED_BYTES,
			      (u64)hv_vmm_region_mapped(r) << HV_HYP_PAGE_SHIFT,
			      HV_IOMMU_A_PAD) ||
	    nla_put_u64_64bit(skb, HV_IOMMU_A_REGION_UADDR, r->uaddr,
			      HV_IOMMU_A_PAD))
		return -EMSGSIZE;
	if (r->mmio)
		return nla_put_string(skb, HV_IOMMU_A_MMIO_MODE,
				      hv_vmm_mmio_mode_name());
	return nla_put_flag(skb, HV_IOMMU_A_REGION_RAM);
}

/*
 * The regions of @pt from GPA page cb->args[1] on; cb->args[1] follows.
 * Return: true if @skb filled up before the last one.
 */
static bool hv_vmm_region_nl_dump(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct hv_vmm_partition *pt)
{
	struct hv_vmm_region *r;
	bool full = false;
	void *hdr;

	mutex_lock(&pt->mutex);
	list_for_each_entry(r, &pt->regions, node) {
		if (r->gfn < cb->args[1])
			continue;
		hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_MMIO_GET);
		if (!hdr || hv_vmm_region_nl_fill(skb, pt, r)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			full = true;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[1] = r->gfn + 1;
	}
	mutex_unlock(&pt->mutex);
	return full;
}

/*
 * mmio-get: one message per guest memory region, as debugfs
 * partitions/<id>/regions lists them, by partition id then GPA;
 * cb->args[0] is the partition and cb->args[1] the GPA page to go on
 * from.  The region list is walked under the partition's mutex (mmio.c's
 * locking), so the partition is found under RCU and referenced first, never
 * locked under RCU.  Dropping that reference may be the last one (the VMM
 * exited meanwhile): the teardown then runs here, in process context.
 */
static int hv_vmm_mmio_nl_dump(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct hv_vmm_partition *pt;
	unsigned long id = cb->args[0];
	bool full = false;

	while (!full && (pt = hv_vmm_nl_partition_from(&id))) {
		if (id != cb->args[0]) {
			cb->args[0] = id;
			cb->args[1] = 0;
		}
		full = hv_vmm_region_nl_dump(skb, cb, pt);
		hv_vmm_partition_put(pt);
		if (!full) {
			cb->args[0] = ++id;
			cb->args[1] = 0;
		}
	}
	return skb->len;
}

/**
 * hv_vmm_nl_mmio_event() - report pages of an MMIO region (un)mapped
 * @type: HV_IOMMU_EVENT_MMIO_MAPPED or _UNMAPPED.
 * @r: the region.
 * @first: first page of the range, from the region's start.
 * @pages: pages mapped or unmapped in it (nothing is sent for 0).
 * @gfp: GFP_KERNEL, or GFP_NOWAIT from the MMU notifier.
 *
 * Context: process context, not under @r->mmio_lock.
 */
void hv_vmm_nl_mmio_event(int type, struct hv_vmm_region *r, u64 first,
			  u64 pages, gfp_t gfp)
{
	if (pages)
		hv_iommu_nl_mmio_event(type, r->pt->id,
				       (r->gfn + first) << HV_HYP_PAGE_SHIFT,
				       pages << HV_HYP_PAGE_SHIFT, gfp);
}

static const struct hv_iommu_nl_vmm_ops hv_vmm_nl_ops = {
	.synic_dump = hv_vmm_synic_nl_dump,
	.partition_dump = hv_vmm_partition_nl_dump,
	.mmio_dump = hv_vmm_mmio_nl_dump,
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
