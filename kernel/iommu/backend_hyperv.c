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
#include <linux/rcupdate.h>
#include <asm/mshyperv.h>

#include "hv_backend.h"
#include "hv_compat.h"
#include "backend_hyperv.h"

/* CPUID 0x40000003 EAX: device domains available. */
#define HV_IOMMU_CPUID_FEATURES			0x40000003
#define HV_IOMMU_CPUID_DEVICE_DOMAINS		BIT(24)
/* CPUID 0x40000003 EBX: CpuManagement privilege, held by the root only. */
#define HV_IOMMU_CPUID_CPU_MANAGEMENT		BIT(12)

static void *hv_iommu_hyperv_input_page(void)
{
	return *this_cpu_ptr(hyperv_pcpu_input_arg);
}

/* Allocated by Hyper-V's init for the root partition (hv_common.c). */
static void *hv_iommu_hyperv_output_page(void)
{
	return *this_cpu_ptr(hyperv_pcpu_output_arg);
}

static u64 hv_iommu_hyperv_hypercall(u64 control, void *input, void *output)
{
	return hv_do_hypercall(control, input, output);
}

/* Root if this partition manages the CPUs, else an L1 virtual host. */
static enum hv_role hv_iommu_hyperv_role(void)
{
	return cpuid_ebx(HV_IOMMU_CPUID_FEATURES) & HV_IOMMU_CPUID_CPU_MANAGEMENT ?
	       HV_ROLE_ROOT : HV_ROLE_L1VH;
}

/* The real, non-nested SynIC MSRs of this CPU. */
static u64 hv_iommu_hyperv_synic_read(u32 msr)
{
	u64 val;

	rdmsrq(msr, val);
	return val;
}

static void hv_iommu_hyperv_synic_write(u32 msr, u64 val)
{
	wrmsrq(msr, val);
}

/*
 * The callback vector: 6.1 and 6.12 let one handler have it, through
 * hv_setup_vmbus_handler().  A root partition runs no VMBus, so the VMM
 * driver can take it; on L1VH VMBus holds it and these kernels offer no
 * way to share it (mainline's later hv_setup_mshv_handler()).
 */
static int hv_iommu_hyperv_sint_handler_set(void (*handler)(void))
{
	if (hv_iommu_hyperv_role() != HV_ROLE_ROOT)
		return -EOPNOTSUPP;
	hv_setup_vmbus_handler(handler);
	return HYPERVISOR_CALLBACK_VECTOR;
}

static void hv_iommu_hyperv_sint_handler_clear(void)
{
	hv_remove_vmbus_handler();
	/* A handler still running has interrupts off: an RCU reader. */
	synchronize_rcu();
}

const struct hv_backend hv_iommu_hyperv_backend = {
	.name = "hyperv",
	.owner = THIS_MODULE,
	.input_page = hv_iommu_hyperv_input_page,
	.output_page = hv_iommu_hyperv_output_page,
	.hypercall = hv_iommu_hyperv_hypercall,
	.role = hv_iommu_hyperv_role,
	.synic_read = hv_iommu_hyperv_synic_read,
	.synic_write = hv_iommu_hyperv_synic_write,
	.sint_handler_set = hv_iommu_hyperv_sint_handler_set,
	.sint_handler_clear = hv_iommu_hyperv_sint_handler_clear,
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
