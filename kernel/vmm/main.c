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
#include "vmm.h"

#include <linux/module.h>

static int __init hv_vmm_init(void)
{
	int ret;

	hv_abi_layout_checks();
	ret = hv_vmm_dev_register();
	if (ret)
		return ret;
	pr_info("ready, %s backend\n", hv_iommu_backend->name);
	return 0;
}
module_init(hv_vmm_init);

static void __exit hv_vmm_exit(void)
{
	hv_vmm_dev_unregister();
}
module_exit(hv_vmm_exit);

MODULE_DESCRIPTION("Root partition VMM driver for Hyper-V: partitions, VPs, guest memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(HV_IOMMU);
