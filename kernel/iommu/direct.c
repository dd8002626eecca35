// SPDX-License-Identifier: GPL-2.0
/*
 * Direct attach: a paging domain whose first attach comes from a process
 * that owns a guest partition (a VMM) is attached to that partition with
 * HVCALL_ATTACH_DEVICE.  The device then uses the guest's second-level page
 * table; map_pages/unmap_pages only keep the driver's tree.  The device is
 * named by a logical device id from then on:
 *
 *	logical_id = segment << 16 | requester id (bus << 8 | devfn)
 *
 * i.e. the low 32 bits of its PCI-form device id: unique per device the
 * hypervisor knows (functions behind one PCIe-to-PCI bridge share the
 * bridge's requester id, and are attached together under it).
 */
#include "hv_iommu.h"

/**
 * hv_iommu_direct_wanted() - should a first attach now be a direct attach
 * @partition_id: set to the partition the calling process owns, if any.
 *
 * Direct attach is wanted when attach_mode is auto, the backend can name
 * the calling process's partition, and the process owns one.
 *
 * Context: process context of the attaching process (may sleep).
 * Return: true if wanted (and *@partition_id set).
 */
bool hv_iommu_direct_wanted(u64 *partition_id)
{
	const struct hv_backend *be = hv_iommu_backend;

	if (READ_ONCE(hv_iommu_attach_mode) != HV_IOMMU_ATTACH_AUTO ||
	    !be->current_partition)
		return false;
	return be->current_partition(partition_id) == 0;
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
