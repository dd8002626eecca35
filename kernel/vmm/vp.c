// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm virtual processors: HV_VMM_CREATE_VP and the VP fd (RUN_VP,
 * GET/SET_VP_STATE).
 *
 * A VP is created in the hypervisor and its two state pages (registers,
 * intercept message) are mapped from the hypervisor at once, as mshv does
 * in the root role.  RUN_VP dispatches the VP (HVCALL_DISPATCH_VP, time
 * slice "until an event") until an intercept the kernel cannot handle (an
 * UNMAPPED_GPA in an MMIO region it resolves, mmio.c) and returns its
 * 256-byte message, which arrives as on Hyper-V: in SINT0's SIMP slot on
 * the VP's CPU, handed over by the SINT0 handler
 * (hv_vmm_intercept_arrived()).  The next RUN_VP clears the intercept
 * suspend.  The intercept message page stays mapped for the VP's life, as
 * mshv maps it.  The VP stays in the partition until the partition is torn
 * down (its fd holds a partition reference), as in mshv.
 */
#include "vmm.h"

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hv_vmm.h"

/* Forget a message left from a run that was interrupted. */
static void hv_vmm_vp_message_clear(struct hv_vmm_vp *vp)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->msg_lock, flags);
	vp->msg_ready = false;
	spin_unlock_irqrestore(&vp->msg_lock, flags);
}

/* Wait for the intercept the last dispatch raised; copy it to @buf. */
static int hv_vmm_vp_message(struct hv_vmm_vp *vp, struct hv_message *buf)
{
	unsigned long flags;

	if (wait_event_interruptible(vp->wq, READ_ONCE(vp->msg_ready)))
		return -EINTR;
	spin_lock_irqsave(&vp->msg_lock, flags);
	*buf = vp->msg;
	vp->msg_ready = false;
	spin_unlock_irqrestore(&vp->msg_lock, flags);
	return 0;
}

static long hv_vmm_vp_run(struct hv_vmm_vp *vp, void __user *arg)
{
	struct hv_output_dispatch_vp out;
	struct hv_message msg;
	int ret;

	if (mutex_lock_interruptible(&vp->run_mutex))
		return -EINTR;
	for (;;) {
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		hv_vmm_vp_message_clear(vp);
		ret = hv_vmm_hv_dispatch_vp(vp->pt->id, vp->index,
					    vp->suspended ?
					    HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND : 0,
					    &out);
		if (ret)
			break;
		vp->suspended = false;
		if (out.dispatch_event == HV_VP_DISPATCH_EVENT_INTERCEPT) {
			vp->suspended = true;
			ret = hv_vmm_vp_message(vp, &msg);
			/* An MMIO region resolved: the VP goes on. */
			if (!ret && hv_vmm_mmio_intercept(vp->pt, &msg,
							  ktime_get_ns()))
				continue;
			break;
		}
		cond_resched();
	}
	mutex_unlock(&vp->run_mutex);
	if (!ret && copy_to_user(arg, &msg, sizeof(msg)))
		ret = -EFAULT;
	return ret;
}

/* The guest program lives in the simulator's register page only. */
static int hv_vmm_vp_state_check(struct hv_vmm_vp *vp,
				 const struct hv_vmm_vp_state *st, bool set)
{
	if (st->type != HV_VMM_VP_STATE_PROGRAM ||
	    memchr_inv(st->rsvd, 0, sizeof(st->rsvd))) {
		pr_warn("vp %u: unknown state type %u or reserved bytes set\n",
			vp->index, st->type);
		return -EINVAL;
	}
	if (strcmp(hv_iommu_backend->name, "sim")) {
		pr_warn("vp %u: guest programs need the simulator\n", vp->index);
		return -EOPNOTSUPP;
	}
	if (set ? st->buf_sz != sizeof(struct hv_vmm_guest_program) :
	    st->buf_sz < sizeof(struct hv_vmm_guest_program)) {
		pr_warn("vp %u: state buffer of %u bytes, the program is %zu\n",
			vp->index, st->buf_sz,
			sizeof(struct hv_vmm_guest_program));
		return -EINVAL;
	}
	return 0;
}

static long hv_vmm_vp_state(struct hv_vmm_vp *vp, void __user *arg, bool set)
{
	void __user *buf;
	struct hv_vmm_guest_program *prog;
	struct hv_vmm_vp_state st;
	int ret;

	if (copy_from_user(&st, arg, sizeof(st)))
		return -EFAULT;
	ret = hv_vmm_vp_state_check(vp, &st, set);
	if (ret)
		return ret;
	buf = u64_to_user_ptr(st.buf_ptr);
	prog = kmalloc(sizeof(*prog), GFP_KERNEL);
	if (!prog)
		return -ENOMEM;
	if (set && copy_from_user(prog, buf, sizeof(*prog))) {
		ret = -EFAULT;
		goto out;
	}
	if (set && (prog->nr_accesses > HV_VMM_PROGRAM_MAX ||
		    prog->pc > prog->nr_accesses || prog->rsvd)) {
		pr_warn("vp %u: program of %u accesses from %u (at most %u)\n",
			vp->index, prog->nr_accesses, prog->pc,
			HV_VMM_PROGRAM_MAX);
		ret = -EINVAL;
		goto out;
	}
	if (mutex_lock_interruptible(&vp->run_mutex)) {
		ret = -EINTR;
		goto out;
	}
	if (set)
		memcpy(vp->regs, prog, sizeof(*prog));
	else
		memcpy(prog, vp->regs, sizeof(*prog));
	mutex_unlock(&vp->run_mutex);
	if (!set && copy_to_user(buf, prog, sizeof(*prog)))
		ret = -EFAULT;
out:
	kfree(prog);
	return ret;
}

static long hv_vmm_vp_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct hv_vmm_vp *vp = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!hv_vmm_partition_owned(vp->pt))
		return -EACCES;
	switch (cmd) {
	case HV_VMM_RUN_VP:
		return hv_vmm_vp_run(vp, uarg);
	case HV_VMM_GET_VP_STATE:
		return hv_vmm_vp_state(vp, uarg, false);
	case HV_VMM_SET_VP_STATE:
		return hv_vmm_vp_state(vp, uarg, true);
	default:
		return -ENOTTY;
	}
}

static int hv_vmm_vp_release(struct inode *inode, struct file *file)
{
	struct hv_vmm_vp *vp = file->private_data;

	hv_vmm_partition_put(vp->pt);
	return 0;
}

static const struct file_operations hv_vmm_vp_fops = {
	.owner = THIS_MODULE,
	.release = hv_vmm_vp_release,
	.unlocked_ioctl = hv_vmm_vp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* Unmap @vp's state pages and delete it in the hypervisor. */
static int hv_vmm_vp_destroy(struct hv_vmm_partition *pt,
			     struct hv_vmm_vp *vp)
{
	int ret = 0;

	if (vp->intercept)
		ret = hv_vmm_hv_unmap_vp_state_page(pt->id, vp->index,
						    HV_VP_STATE_PAGE_INTERCEPT_MESSAGE);
	if (!ret && vp->regs)
		ret = hv_vmm_hv_unmap_vp_state_page(pt->id, vp->index,
						    HV_VP_STATE_PAGE_REGISTERS);
	if (!ret)
		ret = hv_vmm_hv_delete_vp(pt->id, vp->index);
	return ret;
}

/**
 * hv_vmm_vps_remove() - delete every VP of a partition (teardown)
 * @pt: the partition; no VP fd is open any more.
 *
 * Context: process context; caller holds @pt->mutex.
 */
void hv_vmm_vps_remove(struct hv_vmm_partition *pt)
{
	struct hv_vmm_vp *vp;
	unsigned long index;

	xa_for_each(&pt->vps, index, vp) {
		xa_erase(&pt->vps, index);
		if (hv_vmm_vp_destroy(pt, vp))
			pr_err("partition %llu: vp %u: the hypervisor kept it\n",
			       pt->id, vp->index);
		kfree_rcu(vp, rcu);
	}
}

/**
 * hv_vmm_vp_create() - HV_VMM_CREATE_VP
 * @pt: the partition.
 * @arg: user pointer to struct hv_vmm_create_vp.
 *
 * Context: process context of the partition's creator; takes @pt->mutex.
 * Return: the VP fd; -EFAULT; -EINVAL (logged) for vp_index >=
 * HV_VMM_MAX_VPS; -EBADFD before INITIALIZE; -EEXIST if the VP exists;
 * -errno of the hypercalls.
 */
int hv_vmm_vp_create(struct hv_vmm_partition *pt, void __user *arg)
{
	struct hv_vmm_create_vp args;
	struct hv_vmm_vp *vp;
	int ret, fd;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.vp_index >= HV_VMM_MAX_VPS) {
		pr_warn("partition %llu: vp_index %u is not below %u\n",
			pt->id, args.vp_index, HV_VMM_MAX_VPS);
		return -EINVAL;
	}
	vp = kzalloc(sizeof(*vp), GFP_KERNEL_ACCOUNT);
	if (!vp)
		return -ENOMEM;
	vp->pt = pt;
	vp->index = args.vp_index;
	mutex_init(&vp->run_mutex);
	spin_lock_init(&vp->msg_lock);
	init_waitqueue_head(&vp->wq);

	mutex_lock(&pt->mutex);
	if (!pt->initialized) {
		pr_warn("partition %llu: create vp before initialize\n", pt->id);
		ret = -EBADFD;
		goto err_unlock;
	}
	if (xa_load(&pt->vps, vp->index)) {
		pr_warn("partition %llu: vp %u exists\n", pt->id, vp->index);
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = hv_vmm_hv_create_vp(pt->id, vp->index);
	if (ret)
		goto err_unlock;
	ret = hv_vmm_hv_map_vp_state_page(pt->id, vp->index,
					  HV_VP_STATE_PAGE_REGISTERS, &vp->regs);
	if (!ret)
		ret = hv_vmm_hv_map_vp_state_page(pt->id, vp->index,
						  HV_VP_STATE_PAGE_INTERCEPT_MESSAGE,
						  &vp->intercept);
	if (!ret)
		ret = xa_insert(&pt->vps, vp->index, vp, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_destroy;
	kref_get(&pt->ref);
	fd = anon_inode_getfd("hv_vmm_vp", &hv_vmm_vp_fops, vp,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		refcount_dec(&pt->ref.refcount);	/* not the last: the fd's */
		xa_erase(&pt->vps, vp->index);
		ret = fd;
		goto err_destroy;
	}
	mutex_unlock(&pt->mutex);
	return fd;

err_destroy:
	if (hv_vmm_vp_destroy(pt, vp))
		pr_err("partition %llu: vp %u: the hypervisor kept it\n",
		       pt->id, vp->index);
err_unlock:
	mutex_unlock(&pt->mutex);
	/* Never published if xa_insert failed; else erased above. */
	kfree_rcu(vp, rcu);
	return ret;
}
