// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim direct attach.  HVCALL_ATTACH_DEVICE gives a PCI device to a guest
 * partition (partition.c) under a logical device id: the device then uses
 * the partition's GPA map (its second-level page table), so no device
 * domain and no map hypercalls.  HVCALL_DETACH_DEVICE names it by that
 * logical id and returns it to the default domain.  A partition cannot be
 * finalized while a device is attached to it.
 *
 * Every function here runs with hv_sim.lock held, interrupts disabled.
 */

#include "sim.h"

#define HV_SIM_ATTACH_DEVICE_FLAGS	(HV_ATTACH_DEVICE_FLAG_LOGICAL_ID | \
					 HV_ATTACH_DEVICE_FLAG_ATS_ENABLED | \
					 HV_ATTACH_DEVICE_FLAG_VIRT_FUNC | \
					 HV_ATTACH_DEVICE_FLAG_VIRT_DEV | \
					 HV_ATTACH_DEVICE_FLAG_ATS_SUPPORTED | \
					 HV_ATTACH_DEVICE_FLAG_SMALL_IRT)

/* The device @partition knows as @logical_id, or NULL.  Lock held. */
static struct hv_sim_device *hv_sim_partition_device(struct hv_sim_partition *partition,
						     u64 logical_id)
{
	struct hv_sim_device *dev;
	unsigned long key;

	if (!partition->nr_devices)
		return NULL;
	xa_for_each(&hv_sim.devices, key, dev)
		if (dev->partition == partition && dev->logical_id == logical_id)
			return dev;
	return NULL;
}

/**
 * hv_sim_attach_device() - HVCALL_ATTACH_DEVICE (direct attach)
 * @call: the call; input is struct hv_input_attach_device.
 *
 * device_id names the PCI device (PCI form); the LOGICAL_ID flag must be
 * set and logical_devid (logical form) is the name the partition knows it
 * by from now on.  The device leaves the default domain.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID if the partition is self
 * or unknown; INVALID_PARTITION_STATE unless it is initialized;
 * INVALID_PARAMETER for unknown flags, non-zero reserved fields or VTL, no
 * LOGICAL_ID flag, a logical id not in logical form or a device id naming no
 * PCI device; OBJECT_IN_USE if the device is in a domain other than the
 * default one or already direct-attached, or the logical id is taken in
 * that partition.
 */
u16 hv_sim_attach_device(struct hv_sim_call *call)
{
	const struct hv_input_attach_device *in = call->input;
	struct hv_sim_partition *partition;
	struct hv_sim_device *dev;

	partition = hv_sim_partition_find(in->partition_id);
	if (!partition)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (partition->state != HV_SIM_PT_INITIALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if ((in->flags & ~HV_SIM_ATTACH_DEVICE_FLAGS) || in->vtl ||
	    in->rsvd0 || in->rsvd1 || in->rsvd2)
		return HV_STATUS_INVALID_PARAMETER;
	if (!(in->flags & HV_ATTACH_DEVICE_FLAG_LOGICAL_ID) ||
	    (in->logical_devid & ~HV_DEVICE_ID_LOGICAL_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	dev = hv_sim_device_lookup(in->device_id);
	if (!dev || !dev->present)
		return HV_STATUS_INVALID_PARAMETER;
	dev->seen = true;
	if (dev->partition || dev->domain != hv_sim_default_domain())
		return HV_STATUS_OBJECT_IN_USE;
	if (hv_sim_partition_device(partition, in->logical_devid))
		return HV_STATUS_OBJECT_IN_USE;

	dev->domain->nr_devices--;
	dev->domain = NULL;
	dev->partition = partition;
	dev->logical_id = in->logical_devid;
	partition->nr_devices++;
	return HV_STATUS_SUCCESS;
}

/**
 * hv_sim_detach_device() - HVCALL_DETACH_DEVICE (direct attach)
 * @call: the call; input is struct hv_input_detach_device.
 *
 * The device, named by its logical id in that partition, returns to the
 * default domain.  Lock held.
 *
 * Return: HV_STATUS_SUCCESS; INVALID_PARTITION_ID if the partition is
 * unknown; INVALID_PARAMETER if no device of that partition has that
 * logical id.
 */
u16 hv_sim_detach_device(struct hv_sim_call *call)
{
	const struct hv_input_detach_device *in = call->input;
	struct hv_sim_partition *partition;
	struct hv_sim_device *dev;

	partition = hv_sim_partition_find(in->partition_id);
	if (!partition)
		return HV_STATUS_INVALID_PARTITION_ID;
	dev = hv_sim_partition_device(partition, in->logical_devid);
	if (!dev)
		return HV_STATUS_INVALID_PARAMETER;

	dev->partition = NULL;
	dev->logical_id = 0;
	dev->domain = hv_sim_default_domain();
	dev->domain->nr_devices++;
	hv_sim_device_put_if_unused(dev);
	partition->nr_devices--;
	return HV_STATUS_SUCCESS;
}
