// SPDX-License-Identifier: GPL-2.0
/*
 * hv_detector_test: provokes, on demand, the two reports of the debug kernel
 * that no in-tree test module provokes: a lock order inversion (lockdep) and
 * a sleep in atomic context (DEBUG_ATOMIC_SLEEP).  tests/vm/detector-check
 * loads it on the debug kernel and checks that the VM runner fails the run.
 * Never loaded anywhere else.
 *
 *   echo lockdep > /sys/kernel/debug/hv_detector_test/provoke
 *   echo atomic-sleep > /sys/kernel/debug/hv_detector_test/provoke
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static DEFINE_SPINLOCK(atomic_lock);
static struct dentry *dir;

/* A then B, later B then A: lockdep reports the cycle at the second. */
static void provoke_lockdep(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);

	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

/* A sleeping call under a spinlock, as the seeds' reviews caught. */
static void provoke_atomic_sleep(void)
{
	spin_lock(&atomic_lock);
	msleep(1);
	spin_unlock(&atomic_lock);
}

static ssize_t provoke_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char buf[16];

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sysfs_streq(buf, "lockdep"))
		provoke_lockdep();
	else if (sysfs_streq(buf, "atomic-sleep"))
		provoke_atomic_sleep();
	else
		return -EINVAL;
	return count;
}

static const struct file_operations provoke_fops = {
	.owner = THIS_MODULE,
	.write = provoke_write,
};

static int __init detector_test_init(void)
{
	dir = debugfs_create_dir("hv_detector_test", NULL);
	debugfs_create_file("provoke", 0200, dir, NULL, &provoke_fops);
	return 0;
}

static void __exit detector_test_exit(void)
{
	debugfs_remove(dir);
}

module_init(detector_test_init);
module_exit(detector_test_exit);
MODULE_DESCRIPTION("Provokes lockdep and sleep-in-atomic reports (debug kernel self-test)");
MODULE_LICENSE("GPL");
