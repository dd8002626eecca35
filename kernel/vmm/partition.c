// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm partitions: HV_VMM_CREATE_PARTITION makes one in the hypervisor
 * and returns its fd; the fd's ioctls initialize it, give it memory, create
 * VPs and ask for direct attach.  Only the creating process (its mm) may
 * use the fds: a passed or inherited fd gets EACCES.
 *
 * Teardown, when the partition fd and every VP fd are closed (also on exit
 * or SIGKILL): its debugfs directory goes, direct-attach requests are released (a device still
 * attached is blocked), VPs are deleted, guest memory is unmapped and
 * unpinned, then FINALIZE, WITHDRAW (the deposited pages come back) and
 * DELETE, as mshv does.  If the hypervisor refuses a step, what it still
 * holds stays held (pinned pages are not released) and the log says so.
 */
#include "vmm.h"

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hv_iommu_nl.h"
#include "hv_nl.h"
#include "hv_vmm.h"

DEFINE_XARRAY(hv_vmm_partitions);

/**
 * hv_vmm_partition_owned() - may the calling process use this partition
 * @pt: the partition.
 *
 * Return: true if the caller is the process that created it; otherwise
 * logs and returns false.
 */
bool hv_vmm_partition_owned(struct hv_vmm_partition *pt)
{
	if (current->mm == pt->mm)
		return true;
	pr_warn_ratelimited("partition %llu: pid %d is not its creator\n",
			    pt->id, task_tgid_nr(current));
	return false;
}

static void hv_vmm_partition_release(struct kref *ref)
{
	struct hv_vmm_partition *pt =
		container_of(ref, struct hv_vmm_partition, ref);
	int ret;

	hv_vmm_partition_debugfs_exit(pt);
	xa_erase(&hv_vmm_partitions, pt->id);
	mutex_lock(&pt->mutex);
	hv_vmm_devices_release(pt);
	hv_vmm_vps_remove(pt);
	hv_vmm_regions_remove(pt);
	mutex_unlock(&pt->mutex);
	ret = hv_vmm_hv_finalize_partition(pt->id);
	if (!ret)
		ret = hv_vmm_hv_withdraw_memory(pt->id);
	if (!ret)
		ret = hv_vmm_hv_delete_partition(pt->id);
	if (!ret)
		hv_iommu_nl_partition_event(HV_IOMMU_EVENT_PARTITION_DELETED,
					    pt->id);
	if (ret)
		pr_err("partition %llu: teardown stopped (%d); the hypervisor keeps it\n",
		       pt->id, ret);
	mmdrop(pt->mm);
	kfree_rcu(pt, rcu);
}

/**
 * hv_vmm_partition_put() - drop a reference; the last one tears down
 * @pt: the partition.
 *
 * Context: process context, may sleep.
 */
void hv_vmm_partition_put(struct hv_vmm_partition *pt)
{
	kref_put(&pt->ref, hv_vmm_partition_release);
}

static int hv_vmm_partition_initialize(struct hv_vmm_partition *pt)
{
	int ret = 0;

	mutex_lock(&pt->mutex);
	if (pt->initialized) {
		pr_warn("partition %llu: already initialized\n", pt->id);
		ret = -EBUSY;
	} else {
		ret = hv_vmm_hv_initialize_partition(pt->id);
		pt->initialized = !ret;
	}
	mutex_unlock(&pt->mutex);
	return ret;
}

static long hv_vmm_partition_ioctl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	struct hv_vmm_partition *pt = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!hv_vmm_partition_owned(pt))
		return -EACCES;
	switch (cmd) {
	case HV_VMM_INITIALIZE_PARTITION:
		return hv_vmm_partition_initialize(pt);
	case HV_VMM_CREATE_VP:
		return hv_vmm_vp_create(pt, uarg);
	case HV_VMM_SET_GUEST_MEMORY:
		return hv_vmm_set_guest_memory(pt, uarg);
	case HV_VMM_GET_PARTITION_ID:
		return put_user(pt->id, (u64 __user *)uarg);
	case HV_VMM_ATTACH_DEVICE:
		return hv_vmm_device_attach(pt, uarg);
	case HV_VMM_DETACH_DEVICE:
		return hv_vmm_device_detach(pt, uarg);
	default:
		return -ENOTTY;
	}
}

static int hv_vmm_partition_file_release(struct inode *inode,
					 struct file *file)
{
	hv_vmm_partition_put(file->private_data);
	return 0;
}

static const struct file_operations hv_vmm_partition_fops = {
	.owner = THIS_MODULE,
	.release = hv_vmm_partition_file_release,
	.unlocked_ioctl = hv_vmm_partition_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * hv_vmm_partition_create() - HV_VMM_CREATE_PARTITION
 * @arg: user pointer to struct hv_vmm_create_partition.
 *
 * Context: process context, may sleep.
 * Return: the new partition fd; -EFAULT; -EINVAL (logged) for unknown
 * flags or an isolation type other than none; -errno of the hypercall.
 */
long hv_vmm_partition_create(void __user *arg)
{
	struct hv_vmm_create_partition args;
	struct hv_vmm_partition *pt;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.pt_flags & ~HV_VMM_PT_FLAGS_MASK) {
		pr_warn("create partition: unknown flags 0x%llx\n",
			args.pt_flags & ~HV_VMM_PT_FLAGS_MASK);
		return -EINVAL;
	}
	if (args.pt_isolation != HV_VMM_PT_ISOLATION_NONE) {
		pr_warn("create partition: isolation type %llu not supported\n",
			args.pt_isolation);
		return -EINVAL;
	}

	pt = kzalloc(sizeof(*pt), GFP_KERNEL_ACCOUNT);
	if (!pt)
		return -ENOMEM;
	kref_init(&pt->ref);
	mutex_init(&pt->mutex);
	xa_init(&pt->vps);
	INIT_LIST_HEAD(&pt->regions);
	INIT_LIST_HEAD(&pt->devices);
	pt->pt_flags = args.pt_flags;
	pt->mm = current->mm;
	mmgrab(pt->mm);

	ret = hv_vmm_hv_create_partition(args.pt_flags, &pt->id);
	if (ret)
		goto err_free;
	ret = xa_insert(&hv_vmm_partitions, pt->id, pt, GFP_KERNEL);
	if (ret)
		goto err_delete;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_erase;
	}
	/*
	 * From here the release of the file tears the partition down.  The
	 * file pins the module (fops owner), as each VP file does.
	 */
	file = anon_inode_getfile("hv_vmm_partition", &hv_vmm_partition_fops,
				  pt, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto err_erase;
	}
	hv_vmm_partition_debugfs_init(pt);
	fd_install(fd, file);
	hv_iommu_nl_partition_event(HV_IOMMU_EVENT_PARTITION_CREATED, pt->id);
	return fd;

err_erase:
	xa_erase(&hv_vmm_partitions, pt->id);
err_delete:
	if (!hv_vmm_hv_finalize_partition(pt->id) &&
	    !hv_vmm_hv_withdraw_memory(pt->id))
		hv_vmm_hv_delete_partition(pt->id);
err_free:
	mmdrop(pt->mm);
	kfree(pt);
	return ret;
}
