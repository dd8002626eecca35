// SPDX-License-Identifier: GPL-2.0
/*
 * The "hyperv" backend: hypercalls through the kernel's hypercall page, for a
 * kernel running as the Hyper-V root partition (or an L1VH parent).  This
 * file includes asm/mshyperv.h and therefore not hv_abi.h.
 */
#define pr_fmt(fmt) "hv_iommu: " fmt

#include <linux/bits.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <asm/mshyperv.h>

#include "hv_backend.h"
#include "hv_compat.h"
#include "backend_hyperv.h"

/* CPUID 0x40000003 EAX: device domains available. */
#define HV_IOMMU_CPUID_FEATURES			0x40000003
#define HV_IOMMU_CPUID_DEVICE_DOMAINS		BIT(24)

static void *hv_iommu_hyperv_input_page(void)
{
	return *this_cpu_ptr(hyperv_pcpu_input_arg);
}

static u64 hv_iommu_hyperv_hypercall(u64 control, void *input, void *output)
{
	return hv_do_hypercall(control, input, output);
}

/*
 * The partition a VMM process owns is known to the root partition's VMM
 * driver (MSHV), not to this driver; without it direct attach is not
 * offered (current_partition is NULL) and paging domains use device
 * domains.
 */
const struct hv_backend hv_iommu_hyperv_backend = {
	.name = "hyperv",
	.owner = THIS_MODULE,
	.input_page = hv_iommu_hyperv_input_page,
	.hypercall = hv_iommu_hyperv_hypercall,
};

/**
 * hv_iommu_hyperv_usable() - can the "hyperv" backend be used here
 * @why: set to the reason when it cannot.
 *
 * Usable when Hyper-V is initialised, this kernel is the root partition
 * (hv_compat_parent_partition(): root or L1VH parent) and the hypervisor
 * offers device domains (CPUID 0x40000003 EAX bit 24).
 *
 * Return: true if usable.
 */
bool hv_iommu_hyperv_usable(const char **why)
{
	if (!hv_is_hyperv_initialized()) {
		*why = "not running on Hyper-V";
		return false;
	}
	if (!hv_compat_parent_partition()) {
		*why = "not the Hyper-V root partition or an L1VH parent";
		return false;
	}
	if (!(cpuid_eax(HV_IOMMU_CPUID_FEATURES) & HV_IOMMU_CPUID_DEVICE_DOMAINS)) {
		*why = "Hyper-V offers no device domains (CPUID 0x40000003 EAX bit 24)";
		return false;
	}
	return true;
}
