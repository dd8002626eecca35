// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmm: the root partition's VMM driver.  A VMM creates guest partitions
 * through /dev/hv_vmm, gives them memory, creates and runs their virtual
 * processors and asks for direct attach of its VFIO devices.  Every
 * hypercall goes through hv_iommu's boundary (hv_hcall(), namespace
 * HV_IOMMU), so the module needs hv_iommu loaded with a backend.
 *
 * This file: module load and unload.
 */
#include "hv_compat.h"
#include "vmm.h"

#include <linux/debugfs.h>
#include <linux/module.h>

static struct dentry *hv_vmm_debugfs_dir;

static int __init hv_vmm_init(void)
{
	int ret;

	hv_abi_layout_checks();
	/* Intercepts must have somewhere to go before a VP can run. */
	ret = hv_vmm_synic_init();
	if (ret)
		return ret;
	ret = hv_vmm_dev_register();
	if (ret)
		goto err_synic;
	/* Last: the files show state that must exist first. */
	hv_vmm_debugfs_dir = debugfs_create_dir("hv_vmm", NULL);
	hv_vmm_synic_debugfs_init(hv_vmm_debugfs_dir);
	hv_vmm_mmio_debugfs_init(hv_vmm_debugfs_dir);
	hv_vmm_nl_register();
	pr_info("ready, %s backend\n", hv_iommu_backend->name);
	return 0;

err_synic:
	hv_vmm_synic_exit();
	return ret;
}
module_init(hv_vmm_init);

static void __exit hv_vmm_exit(void)
{
	/* First: no reader may see the state being torn down. */
	hv_vmm_nl_unregister();
	debugfs_remove_recursive(hv_vmm_debugfs_dir);
	hv_vmm_dev_unregister();
	hv_vmm_synic_exit();
}
module_exit(hv_vmm_exit);

MODULE_DESCRIPTION("Root partition VMM driver for Hyper-V: partitions, VPs, guest memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(HV_IOMMU_NS);
