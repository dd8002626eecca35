// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hv_vmm: the VMM's entry point.  Its only ioctl creates a partition
 * and returns the partition's fd (partition.c).
 */
#include "vmm.h"

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "hv_vmm.h"

static long hv_vmm_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	switch (cmd) {
	case HV_VMM_CREATE_PARTITION:
		return hv_vmm_partition_create((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations hv_vmm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hv_vmm_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hv_vmm_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hv_vmm",
	.fops = &hv_vmm_dev_fops,
	.mode = 0600,
};

/**
 * hv_vmm_dev_register() - create /dev/hv_vmm
 *
 * Context: module init.
 * Return: 0 or a negative errno from misc_register().
 */
int hv_vmm_dev_register(void)
{
	return misc_register(&hv_vmm_miscdev);
}

/**
 * hv_vmm_dev_unregister() - remove /dev/hv_vmm
 *
 * Open partition and VP fds hold a module reference, so none exists here.
 *
 * Context: module exit.
 */
void hv_vmm_dev_unregister(void)
{
	misc_deregister(&hv_vmm_miscdev);
}
