// SPDX-License-Identifier: GPL-2.0
/*
 * Direct attach, asked for explicitly by the VMM driver (hv_vmm) on behalf
 * of a VMM: hv_iommu_direct_request() names an IOMMU group (the VMM's VFIO
 * group) and a guest partition.  A paging domain whose first attach is of
 * a device so marked is attached to that partition with
 * HVCALL_ATTACH_DEVICE; the device then uses the guest's second-level page
 * table, and map_pages/unmap_pages only keep the driver's tree.  Nothing is
 * guessed from the calling process (upstream review of PCI passthru V3
 * 09/11), and attach_mode=domain turns direct attach off for the operator.
 *
 * The device is named by a logical device id from then on:
 *
 *	logical_id = segment << 16 | requester id (bus << 8 | devfn)
 *
 * i.e. the low 32 bits of its PCI-form device id: unique per device the
 * hypervisor knows (functions behind one PCIe-to-PCI bridge share the
 * bridge's requester id, and are attached together under it).
 */
#include "hv_iommu.h"

#include <linux/module.h>

/**
 * hv_iommu_direct_wanted() - should this device's paging domain be direct
 * @hd: the device record.
 * @partition_id: set to the partition the VMM asked for, if any.
 *
 * Context: caller holds hv_iommu_lock.
 * Return: true if attach_mode is auto and the VMM asked for @hd.
 */
bool hv_iommu_direct_wanted(struct hv_iommu_dev *hd, u64 *partition_id)
{
	lockdep_assert_held(&hv_iommu_lock);
	if (READ_ONCE(hv_iommu_attach_mode) != HV_IOMMU_ATTACH_AUTO ||
	    !hd->direct_partition)
		return false;
	*partition_id = hd->direct_partition;
	return true;
}

/**
 * hv_iommu_direct_attach() - direct-attach a device to a domain's partition
 * @hd: the device record; the device is in the default domain.
 * @hvdom: a paging domain in direct mode.
 *
 * Context: process context; caller holds hv_iommu_lock.
 * Return: 0 (and @hd->logical_id set), or -errno from HVCALL_ATTACH_DEVICE.
 */
int hv_iommu_direct_attach(struct hv_iommu_dev *hd,
			   struct hv_iommu_domain *hvdom)
{
	u64 logical_id = hd->device_id &
			 (HV_DEVICE_ID_SEGMENT_MASK | HV_DEVICE_ID_RID_MASK);
	int ret;

	ret = hv_hcall_attach_device(hvdom->partition_id, hd->device_id,
				     logical_id, NULL);
	if (!ret)
		hd->logical_id = logical_id;
	return ret;
}

/**
 * hv_iommu_direct_detach() - detach a direct-attached device
 * @hd: the device record; @hd->domain is a paging domain in direct mode.
 * @status: set to the HV_STATUS the hypervisor returned.
 *
 * Context: process context; caller holds hv_iommu_lock.
 * Return: 0, or -errno from HVCALL_DETACH_DEVICE.
 */
int hv_iommu_direct_detach(struct hv_iommu_dev *hd, u16 *status)
{
	return hv_hcall_detach_device(hd->domain->partition_id, hd->logical_id,
				      status);
}

struct hv_iommu_direct_req {
	u64 partition_id;
	bool force;
	int err;
};

static int hv_iommu_direct_mark(struct device *dev, void *data)
{
	struct hv_iommu_direct_req *req = data;
	struct hv_iommu_dev *hd;
	int ret = 0;

	mutex_lock(&hv_iommu_lock);
	hd = dev_iommu_priv_get(dev);
	if (!hd) {
		dev_warn(dev, "direct attach: not a device hv_iommu manages\n");
		ret = -ENODEV;
	} else if (hd->direct_partition &&
		   hd->direct_partition != req->partition_id) {
		dev_warn(dev, "direct attach: already asked for by partition %llu\n",
			 hd->direct_partition);
		ret = -EBUSY;
	} else if (hd->domain->kind == HV_IOMMU_KIND_PAGING &&
		   hd->domain->mode != HV_IOMMU_MODE_DIRECT) {
		/* A paging domain's mode is decided once, at its first attach. */
		dev_warn(dev, "direct attach: already in device domain %u; ask before the VFIO container is set\n",
			 hd->domain->id);
		ret = -EBUSY;
	} else {
		hd->direct_partition = req->partition_id;
	}
	mutex_unlock(&hv_iommu_lock);
	return ret;
}

/*
 * Drop the request of @dev.  A device still direct-attached to the
 * partition stays until the core moves it, unless @req->force (the
 * partition goes away): then it is blocked, so it can never reach the
 * guest's memory after the partition's pages return to the host.
 */
static int hv_iommu_direct_unmark(struct device *dev, void *data)
{
	struct hv_iommu_direct_req *req = data;
	struct hv_iommu_dev *hd;
	int ret = 0;

	mutex_lock(&hv_iommu_lock);
	hd = dev_iommu_priv_get(dev);
	if (!hd || hd->direct_partition != req->partition_id)
		goto out;
	if (hd->domain->kind == HV_IOMMU_KIND_PAGING &&
	    hd->domain->mode == HV_IOMMU_MODE_DIRECT &&
	    hd->domain->partition_id == req->partition_id) {
		if (!req->force) {
			dev_warn(dev, "direct attach: still attached to partition %llu; release the VFIO container first\n",
				 req->partition_id);
			ret = -EBUSY;
			goto out;
		}
		ret = hv_iommu_dev_move(hd, &hv_iommu_blocked);
		if (ret) {
			/* The books say where it is (detach-failed). */
			req->err = ret;
			ret = 0;
		} else {
			dev_info(dev, "partition %llu goes away: device blocked\n",
				 req->partition_id);
		}
	}
	hd->direct_partition = 0;
out:
	mutex_unlock(&hv_iommu_lock);
	return ret;
}

/**
 * hv_iommu_direct_request() - the VMM asks for direct attach of a group
 * @group: the IOMMU group of the VMM's VFIO group.
 * @partition_id: the guest partition its devices should use.
 *
 * Marks every device of @group; the next paging domain they are attached
 * to is attached directly to @partition_id (when attach_mode is auto).
 * All or nothing.
 *
 * Context: process context; takes the group's mutex and hv_iommu_lock.
 * Return: 0; -ENODEV if a device is not hv_iommu's; -EBUSY if one is
 * already asked for by another partition or already in a device domain.
 */
int hv_iommu_direct_request(struct iommu_group *group, u64 partition_id)
{
	struct hv_iommu_direct_req req = { .partition_id = partition_id };
	int ret;

	ret = iommu_group_for_each_dev(group, &req, hv_iommu_direct_mark);
	if (ret)
		iommu_group_for_each_dev(group, &req, hv_iommu_direct_unmark);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_direct_request, HV_IOMMU_NS);

/**
 * hv_iommu_direct_release() - undo hv_iommu_direct_request()
 * @group: the IOMMU group.
 * @partition_id: the partition that asked.
 * @force: the partition goes away: block devices still attached to it.
 *
 * Context: process context; takes the group's mutex and hv_iommu_lock.
 * Return: 0; -EBUSY (nothing changed for that device) if, without @force,
 * a device is still direct-attached; with @force, -errno of a move the
 * hypervisor refused (the device stays detach-failed, visibly).
 */
int hv_iommu_direct_release(struct iommu_group *group, u64 partition_id,
			    bool force)
{
	struct hv_iommu_direct_req req = {
		.partition_id = partition_id,
		.force = force,
	};
	int ret;

	ret = iommu_group_for_each_dev(group, &req, hv_iommu_direct_unmark);
	return ret ?: req.err;
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_direct_release, HV_IOMMU_NS);
