// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm direct attach: the VMM names a VFIO group fd on its partition fd
 * (HV_VMM_ATTACH_DEVICE) and hv_iommu attaches the group's devices to the
 * partition when their next paging domain is attached (VFIO_SET_IOMMU).
 *
 * Which devices a VFIO file stands for is asked of VFIO itself:
 * vfio_file_has_dev() against the vfio_device of every device bound to
 * vfio-pci (its driver data is a struct vfio_pci_core_device, whose first
 * member is the vfio_device).  vfio_file_iommu_group() is no help: it
 * answers only on SPAPR.  A group file matches each device of its group; a
 * device file (6.6 and later, also from VFIO_GROUP_GET_DEVICE_FD) its own.
 * The partition holds the group file while the request stands; teardown
 * releases it and blocks a device still attached, so it can never reach
 * memory the partition gave back.
 */
#include "vmm.h"

#include <linux/device.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "hv_direct.h"
#include "hv_vmm.h"

struct hv_vmm_vfio_match {
	struct file *file;
	struct iommu_group *group;
};

static int hv_vmm_vfio_match(struct device *dev, void *data)
{
	struct hv_vmm_vfio_match *m = data;
	struct vfio_pci_core_device *vdev;

	/* The device lock keeps the driver (and its data) bound. */
	device_lock(dev);
	if (dev->driver && !strcmp(dev->driver->name, "vfio-pci")) {
		vdev = dev_get_drvdata(dev);
		if (vdev && vfio_file_has_dev(m->file, &vdev->vdev))
			m->group = iommu_group_get(dev);
	}
	device_unlock(dev);
	return !!m->group;
}

/* Read the argument and resolve its VFIO group; logged errors. */
static int hv_vmm_device_get(void __user *arg, struct file **filep,
			     struct iommu_group **groupp)
{
	struct hv_vmm_vfio_match m = {};
	struct hv_vmm_device args;
	struct file *file;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags) {
		pr_warn("direct attach: unknown flags 0x%x\n", args.flags);
		return -EINVAL;
	}
	file = fget(args.fd);
	if (!file) {
		pr_warn("direct attach: fd %d is not open\n", args.fd);
		return -EBADF;
	}
	m.file = file;
	bus_for_each_dev(&pci_bus_type, NULL, &m, hv_vmm_vfio_match);
	if (!m.group) {
		pr_warn("direct attach: fd %d is not a VFIO group or device of a vfio-pci device\n",
			args.fd);
		fput(file);
		return -EINVAL;
	}
	*filep = file;
	*groupp = m.group;
	return 0;
}

static struct hv_vmm_direct *hv_vmm_device_find(struct hv_vmm_partition *pt,
						struct iommu_group *group)
{
	struct hv_vmm_direct *d;

	list_for_each_entry(d, &pt->devices, node)
		if (d->group == group)
			return d;
	return NULL;
}

/**
 * hv_vmm_device_attach() - HV_VMM_ATTACH_DEVICE
 * @pt: the partition (initialized).
 * @arg: user pointer to struct hv_vmm_device naming a VFIO group fd.
 *
 * Context: process context; takes @pt->mutex, then the IOMMU group's
 * mutex and hv_iommu's lock.
 * Return: 0; -EFAULT; -EINVAL (logged) for flags or an fd that is not a
 * VFIO group; -EBADF for an fd that is not open; -EBADFD before
 * INITIALIZE; -EEXIST if this partition asked for the group already;
 * -ENODEV or -EBUSY from hv_iommu (logged there).
 */
int hv_vmm_device_attach(struct hv_vmm_partition *pt, void __user *arg)
{
	struct iommu_group *group;
	struct hv_vmm_direct *d;
	struct file *file;
	int ret;

	ret = hv_vmm_device_get(arg, &file, &group);
	if (ret)
		return ret;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d) {
		ret = -ENOMEM;
		goto err_put;
	}
	mutex_lock(&pt->mutex);
	if (!pt->initialized) {
		pr_warn("partition %llu: direct attach before initialize\n",
			pt->id);
		ret = -EBADFD;
	} else if (hv_vmm_device_find(pt, group)) {
		pr_warn("partition %llu: group %d asked for already\n", pt->id,
			iommu_group_id(group));
		ret = -EEXIST;
	} else {
		ret = hv_iommu_direct_request(group, pt->id);
	}
	if (!ret) {
		d->file = file;
		d->group = group;
		list_add_tail(&d->node, &pt->devices);
	}
	mutex_unlock(&pt->mutex);
	if (!ret)
		return 0;
	kfree(d);
err_put:
	iommu_group_put(group);
	fput(file);
	return ret;
}

static void hv_vmm_device_free(struct hv_vmm_direct *d)
{
	list_del(&d->node);
	iommu_group_put(d->group);
	fput(d->file);
	kfree(d);
}

/**
 * hv_vmm_device_detach() - HV_VMM_DETACH_DEVICE
 * @pt: the partition.
 * @arg: user pointer to struct hv_vmm_device naming the VFIO group fd.
 *
 * Context: process context; locks as hv_vmm_device_attach().
 * Return: 0; -EFAULT, -EINVAL, -EBADF as for attach; -ENOENT if the
 * partition did not ask for that group; -EBUSY (nothing changed) while a
 * device of it is still attached: release the VFIO container first.
 */
int hv_vmm_device_detach(struct hv_vmm_partition *pt, void __user *arg)
{
	struct iommu_group *group;
	struct hv_vmm_direct *d;
	struct file *file;
	int ret;

	ret = hv_vmm_device_get(arg, &file, &group);
	if (ret)
		return ret;
	mutex_lock(&pt->mutex);
	d = hv_vmm_device_find(pt, group);
	if (!d) {
		pr_warn("partition %llu: group %d was not asked for\n", pt->id,
			iommu_group_id(group));
		ret = -ENOENT;
	} else {
		ret = hv_iommu_direct_release(group, pt->id, false);
		if (!ret)
			hv_vmm_device_free(d);
	}
	mutex_unlock(&pt->mutex);
	iommu_group_put(group);
	fput(file);
	return ret;
}

/**
 * hv_vmm_devices_release() - release every direct-attach request (teardown)
 * @pt: the partition.
 *
 * A device still attached to the partition is blocked first (hv_iommu).
 *
 * Context: process context; caller holds @pt->mutex.
 */
void hv_vmm_devices_release(struct hv_vmm_partition *pt)
{
	struct hv_vmm_direct *d, *tmp;

	list_for_each_entry_safe(d, tmp, &pt->devices, node) {
		if (hv_iommu_direct_release(d->group, pt->id, true))
			pr_err("partition %llu: group %d: a device could not leave the partition\n",
			       pt->id, iommu_group_id(d->group));
		hv_vmm_device_free(d);
	}
}
