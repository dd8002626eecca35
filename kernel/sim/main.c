// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim: a simulated Hyper-V hypervisor for device passthrough.
 *
 * It models the hypervisor's side of the passthrough hypercalls (device
 * domains and their IOVA tables, attach state, guest partitions, the deposit
 * pool) and checks every input as Hyper-V would, so hv_iommu.ko runs on any
 * Linux and the tests can read the hypervisor's state in debugfs.  The
 * driver reaches it through hv_sim_backend, with the same input-page bytes
 * it would give the real hypercall page.
 *
 * This file: module load/unload, the per-CPU input pages and the backend.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/topology.h>

#include "hv_backend.h"
#include "sim.h"

static unsigned long pool_pages = 64;
module_param(pool_pages, ulong, 0444);
MODULE_PARM_DESC(pool_pages,
		 "Pages in the hypervisor's deposit pool at load (default 64)");

/* role=root|l1vh, read only after load. */
static const char * const hv_sim_role_names[] = {
	[HV_ROLE_ROOT] = "root",
	[HV_ROLE_L1VH] = "l1vh",
};
static enum hv_role hv_sim_role_param = HV_ROLE_ROOT;

static int hv_sim_role_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(hv_sim_role_names, val);

	if (i < 0) {
		pr_err("role: '%s' is not root or l1vh\n", val);
		return -EINVAL;
	}
	hv_sim_role_param = i;
	return 0;
}

static int hv_sim_role_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", hv_sim_role_names[hv_sim_role_param]);
}

static const struct kernel_param_ops hv_sim_role_ops = {
	.set = hv_sim_role_set,
	.get = hv_sim_role_get,
};
module_param_cb(role, &hv_sim_role_ops, NULL, 0444);
MODULE_PARM_DESC(role,
		 "what the kernel is to the simulated hypervisor: root (default) or l1vh (no device domains, no default domain to attach to; direct attach and the null domain only)");

/**
 * hv_sim_role() - the role the simulator plays the kernel's partition in
 *
 * The backend's role(); fixed at load.
 *
 * Return: HV_ROLE_ROOT or HV_ROLE_L1VH.
 */
enum hv_role hv_sim_role(void)
{
	return hv_sim_role_param;
}

struct hv_sim_state hv_sim = {
	.lock = __SPIN_LOCK_UNLOCKED(hv_sim.lock),
};

/* Each CPU's hypercall input and output pages, as the root has them. */
static DEFINE_PER_CPU(void *, hv_sim_input_page);
static DEFINE_PER_CPU(void *, hv_sim_output_page);

static void *hv_sim_backend_input_page(void)
{
	return this_cpu_read(hv_sim_input_page);
}

static void *hv_sim_backend_output_page(void)
{
	return this_cpu_read(hv_sim_output_page);
}

const struct hv_backend hv_sim_backend = {
	.name = "sim",
	.owner = THIS_MODULE,
	.input_page = hv_sim_backend_input_page,
	.output_page = hv_sim_backend_output_page,
	.hypercall = hv_sim_hypercall,
	.role = hv_sim_role,
	.synic_read = hv_sim_synic_read,
	.synic_write = hv_sim_synic_write,
	.sint_handler_set = hv_sim_sint_handler_set,
	.sint_handler_clear = hv_sim_sint_handler_clear,
};
EXPORT_SYMBOL_GPL(hv_sim_backend);

static void hv_sim_input_pages_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)per_cpu(hv_sim_input_page, cpu));
		free_page((unsigned long)per_cpu(hv_sim_output_page, cpu));
		per_cpu(hv_sim_input_page, cpu) = NULL;
		per_cpu(hv_sim_output_page, cpu) = NULL;
	}
}

/* Every possible CPU gets its pages now: no CPU hotplug handling needed. */
static int hv_sim_input_pages_alloc(void)
{
	unsigned int cpu;
	struct page *in, *out;

	for_each_possible_cpu(cpu) {
		in = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
		out = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
		if (in)
			per_cpu(hv_sim_input_page, cpu) = page_address(in);
		if (out)
			per_cpu(hv_sim_output_page, cpu) = page_address(out);
		if (!in || !out) {
			hv_sim_input_pages_free();
			return -ENOMEM;
		}
	}
	return 0;
}

static int __init hv_sim_init(void)
{
	int ret;

	hv_abi_layout_checks();

	ret = hv_sim_input_pages_alloc();
	if (ret)
		return ret;
	ret = hv_sim_synic_init(hv_sim_role());
	if (ret)
		goto err_pages;
	/* VMBus (L1VH) is up before any VMM driver can load. */
	ret = hv_sim_vmbus_init(hv_sim_role());
	if (ret)
		goto err_synic;
	hv_sim_pool_init(pool_pages);
	ret = hv_sim_domains_init();
	if (ret)
		goto err_pool;
	ret = hv_sim_devices_init();
	if (ret)
		goto err_domains;
	hv_sim_partitions_init();
	/* Last: the files show state that must exist first. */
	hv_sim_debugfs_init();
	pr_info("simulated Hyper-V hypervisor ready, role %s, %lu pool pages\n",
		hv_sim_role_names[hv_sim_role_param], pool_pages);
	return 0;

err_domains:
	hv_sim_domains_exit();
err_pool:
	hv_sim_pool_exit();
	hv_sim_vmbus_exit();
err_synic:
	hv_sim_synic_exit();
err_pages:
	hv_sim_input_pages_free();
	return ret;
}
module_init(hv_sim_init);

/*
 * Only reached when nothing uses the module: the driver holds a reference
 * (symbol_get()) while it uses the backend.
 */
static void __exit hv_sim_exit(void)
{
	/* First: no reader may see the state being torn down. */
	hv_sim_debugfs_exit();
	hv_sim_partitions_exit();
	hv_sim_devices_exit();
	hv_sim_domains_exit();
	hv_sim_pool_exit();
	hv_sim_vmbus_exit();
	hv_sim_synic_exit();
	hv_sim_input_pages_free();
}
module_exit(hv_sim_exit);

MODULE_DESCRIPTION("Simulated Hyper-V hypervisor for device passthrough");
MODULE_LICENSE("GPL");
