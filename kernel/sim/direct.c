// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim guest partitions and direct attach.
 *
 * A VMM creates a guest partition through /dev/hv_sim; the partition belongs
 * to the VMM's thread group, which is how hv_sim_current_partition() finds
 * it.  HVCALL_ATTACH_DEVICE gives a PCI device to a partition under a
 * logical device id (the device then uses the guest's second-level page
 * table, so no device domain and no map hypercalls); HVCALL_DETACH_DEVICE
 * names it by that logical id and returns it to the default domain.
 *
 * Partition lifetime: HV_SIM_DELETE_PARTITION or closing the file deletes
 * it; while devices are still attached it lingers in state "deleting" (it
 * can no longer get devices, and no process owns it) and the detach of its
 * last device frees it.
 */

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hv_sim.h"
#include "sim.h"

#define HV_SIM_ATTACH_DEVICE_FLAGS	(HV_ATTACH_DEVICE_FLAG_LOGICAL_ID | \
					 HV_ATTACH_DEVICE_FLAG_ATS_ENABLED | \
					 HV_ATTACH_DEVICE_FLAG_VIRT_FUNC | \
					 HV_ATTACH_DEVICE_FLAG_VIRT_DEV | \
					 HV_ATTACH_DEVICE_FLAG_ATS_SUPPORTED | \
					 HV_ATTACH_DEVICE_FLAG_SMALL_IRT)

/* Find a guest partition, deleting ones included.  Lock held. */
static struct hv_sim_partition *hv_sim_partition_find(u64 id)
{
	struct hv_sim_partition *partition;

	list_for_each_entry(partition, &hv_sim.partitions, node)
		if (partition->id == id)
			return partition;
	return NULL;
}

/**
 * hv_sim_current_partition() - the guest partition the calling process owns
 * @partition_id: set to its id on success.
 *
 * The backend's current_partition(): the oldest live partition created
 * through /dev/hv_sim by the caller's thread group.  Takes hv_sim.lock.
 *
 * Return: 0, or -ENOENT if the process owns none.
 */
int hv_sim_current_partition(u64 *partition_id)
{
	struct pid *tgid = task_tgid(current);
	struct hv_sim_partition *partition;
	int ret = -ENOENT;

	spin_lock_irq(&hv_sim.lock);
	list_for_each_entry(partition, &hv_sim.partitions, node) {
		if (partition->owner == tgid) {
			*partition_id = partition->id;
			ret = 0;
			break;
		}
	}
	spin_unlock_irq(&hv_sim.lock);
	return ret;
}

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
 * or unknown; INVALID_PARTITION_STATE if it is being deleted;
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
	if (partition->deleting)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if ((in->flags & ~HV_SIM_ATTACH_DEVICE_FLAGS) || in->vtl ||
	    in->rsvd0 || in->rsvd1 || in->rsvd2)
		return HV_STATUS_INVALID_PARAMETER;
	if (!(in->flags & HV_ATTACH_DEVICE_FLAG_LOGICAL_ID) ||
	    (in->logical_devid & ~HV_DEVICE_ID_LOGICAL_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	dev = hv_sim_device_lookup(in->device_id);
	if (!dev || !dev->functions)
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
 * default domain.  The last detach from a deleting partition frees it.
 * Lock held.
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
	if (!--partition->nr_devices && partition->deleting) {
		/* Its owner reference went when it entered "deleting". */
		list_del(&partition->node);
		kfree(partition);
	}
	return HV_STATUS_SUCCESS;
}

static int hv_sim_partition_create(struct file *file, u64 __user *arg)
{
	struct hv_sim_partition *partition;
	u64 id;

	partition = kzalloc(sizeof(*partition), GFP_KERNEL);
	if (!partition)
		return -ENOMEM;
	partition->owner = get_pid(task_tgid(current));
	partition->owner_pid = pid_nr(partition->owner);

	spin_lock_irq(&hv_sim.lock);
	if (file->private_data) {
		spin_unlock_irq(&hv_sim.lock);
		put_pid(partition->owner);
		kfree(partition);
		return -EEXIST;
	}
	id = hv_sim.next_partition_id++;
	partition->id = id;
	list_add_tail(&partition->node, &hv_sim.partitions);
	file->private_data = partition;
	spin_unlock_irq(&hv_sim.lock);

	return put_user(id, arg);
}

/*
 * Delete the file's partition: gone at once if no device is attached,
 * otherwise "deleting" until the last one is detached.
 */
static int hv_sim_partition_delete(struct file *file)
{
	struct hv_sim_partition *partition, *unused = NULL;
	struct pid *owner;

	spin_lock_irq(&hv_sim.lock);
	partition = file->private_data;
	if (!partition) {
		spin_unlock_irq(&hv_sim.lock);
		return -ENOENT;
	}
	file->private_data = NULL;
	owner = partition->owner;
	partition->owner = NULL;
	if (partition->nr_devices) {
		partition->deleting = true;
	} else {
		list_del(&partition->node);
		unused = partition;
	}
	spin_unlock_irq(&hv_sim.lock);

	/* Outside the lock: the hypercall path must never drop a pid. */
	put_pid(owner);
	kfree(unused);
	return 0;
}

static int hv_sim_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the struct miscdevice here; we keep the partition. */
	file->private_data = NULL;
	return 0;
}

static int hv_sim_release(struct inode *inode, struct file *file)
{
	hv_sim_partition_delete(file);
	return 0;
}

static long hv_sim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case HV_SIM_CREATE_PARTITION:
		return hv_sim_partition_create(file, (u64 __user *)arg);
	case HV_SIM_DELETE_PARTITION:
		return hv_sim_partition_delete(file);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations hv_sim_fops = {
	.owner = THIS_MODULE,
	.open = hv_sim_open,
	.release = hv_sim_release,
	.unlocked_ioctl = hv_sim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice hv_sim_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hv_sim",
	.fops = &hv_sim_fops,
	.mode = 0600,
};

/**
 * hv_sim_direct_init() - start taking guest partitions: register /dev/hv_sim
 *
 * Return: 0 or a negative errno from misc_register().
 */
int hv_sim_direct_init(void)
{
	INIT_LIST_HEAD(&hv_sim.partitions);
	hv_sim.next_partition_id = 1;
	return misc_register(&hv_sim_miscdev);
}

/**
 * hv_sim_direct_exit() - remove /dev/hv_sim and free every partition
 *
 * At unload no file is open (each holds a module reference), so only
 * "deleting" partitions with devices still attached can remain.
 */
void hv_sim_direct_exit(void)
{
	struct hv_sim_partition *partition, *next;

	misc_deregister(&hv_sim_miscdev);
	list_for_each_entry_safe(partition, next, &hv_sim.partitions, node) {
		list_del(&partition->node);
		put_pid(partition->owner);
		kfree(partition);
	}
}
