/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the driver adapts to the kernel it is built for.
 * Supported: 6.1 (Debian 12), 6.12 (Debian 12 backports), 7.3 (Debian 13
 * backports).  Nothing here looks at LINUX_VERSION_CODE: hv_config.h says
 * what the target headers provide, as found by compiling the tiny files of
 * kernel/probe/ against them (kernel/probe/run, run by make -C kernel and by
 * DKMS before Kbuild).
 *
 * - Domain allocation.  6.1 has one iommu_ops->domain_alloc(type) for every
 *   type (IDENTITY, BLOCKED, UNMANAGED, DMA); the core writes type, ops and
 *   pgsize_bitmap into what it returns and later calls ops->free().  6.12 and
 *   7.3 allocate paging domains with iommu_ops->domain_alloc_paging(dev) and
 *   take the identity and blocking domains from the static
 *   iommu_ops->identity_domain and ->blocked_domain.  The driver's identity
 *   and blocked domains are static objects in both cases (their ->free is a
 *   no-op), so only the iommu_ops fields differ: HV_COMPAT_IOMMU_OPS_DOMAINS.
 * - Detach.  6.1's iommu_domain_ops has ->detach_dev (called when the core
 *   detaches a device without attaching another domain); later kernels have
 *   none and always attach a new domain: HV_COMPAT_DOMAIN_OPS_DETACH.
 * - attach_dev is told the domain the device leaves (7.x): the driver keeps
 *   that in its own books, so the argument is accepted and not used:
 *   HV_COMPAT_ATTACH_DEV_PARAMS.
 * - iommu_ops->pgsize_bitmap is gone in 7.x: every paging domain carries its
 *   own (set at allocation in both cases): HV_COMPAT_IOMMU_OPS_PGSIZE.
 * - hv_root_partition is a bool in 6.x (set for an L1VH parent too) and a
 *   function in 7.x, beside hv_parent_partition() (root or L1VH).  Testing
 *   the function's address would compile, with only -Waddress, to "always
 *   true": hv_compat_parent_partition() is the one spelling.
 * - cpuid_eax() moved to <asm/cpuid/api.h>, hex_to_bin() to <linux/hex.h>.
 * - rdmsrl()/wrmsrl() became rdmsrq()/wrmsrq() (6.16): the driver uses the
 *   new names, mapped to the old ones where they are missing.
 * - The PFN behind a user address of a VM_IO/VM_PFNMAP VMA (a VFIO BAR
 *   mmap): follow_pfnmap_start()/_end() since 6.12, follow_pfn() in 6.1:
 *   hv_compat_follow_pfn().
 * - A symbol namespace is an identifier until 6.12 and a string literal
 *   since 6.13 (EXPORT_SYMBOL_NS_GPL, MODULE_IMPORT_NS): HV_IOMMU_NS.
 *
 * In every version, attaching a device to a new domain implies leaving the
 * old one; the driver's attach_dev does the leaving itself.
 */
#ifndef HV_COMPAT_H
#define HV_COMPAT_H

/* Written by probe/run KDIR, which make -C kernel and dkms.conf run first. */
#include "hv_config.h"

#ifdef HV_HAVE_LINUX_HEX_H
#include <linux/hex.h>
#else
#include <linux/kernel.h>
#endif

#ifdef HV_HAVE_ASM_CPUID_API_H
#include <asm/cpuid/api.h>
#else
#include <asm/processor.h>
#endif

#ifdef HV_HAVE_DOMAIN_ALLOC_PAGING
/* iommu_ops fields that give the core its domains. */
#define HV_COMPAT_IOMMU_OPS_DOMAINS(alloc_paging, alloc_type, identity, blocked) \
	.domain_alloc_paging = (alloc_paging),				\
	.identity_domain = (identity),					\
	.blocked_domain = (blocked)
#else
#define HV_COMPAT_IOMMU_OPS_DOMAINS(alloc_paging, alloc_type, identity, blocked) \
	.domain_alloc = (alloc_type)
#endif

#ifdef HV_HAVE_DOMAIN_OPS_DETACH_DEV
#define HV_COMPAT_DOMAIN_OPS_DETACH(detach)				\
	.detach_dev = (detach),
#else
#define HV_COMPAT_DOMAIN_OPS_DETACH(detach)
#endif

/* The parameter list of an iommu_domain_ops->attach_dev implementation. */
#ifdef HV_HAVE_ATTACH_DEV_OLD
#define HV_COMPAT_ATTACH_DEV_PARAMS(domain, dev)			\
	struct iommu_domain *domain, struct device *dev,		\
	struct iommu_domain *old_domain
#else
#define HV_COMPAT_ATTACH_DEV_PARAMS(domain, dev)			\
	struct iommu_domain *domain, struct device *dev
#endif

#ifdef HV_HAVE_IOMMU_OPS_PGSIZE_BITMAP
#define HV_COMPAT_IOMMU_OPS_PGSIZE(sizes)	.pgsize_bitmap = (sizes),
#else
#define HV_COMPAT_IOMMU_OPS_PGSIZE(sizes)
#endif

#ifndef HV_HAVE_WRMSRQ
#define rdmsrq(msr, val)	rdmsrl(msr, val)
#define wrmsrq(msr, val)	wrmsrl(msr, val)
#endif

/* A dump's parsed request attributes (in a .start or .dumpit callback). */
#ifdef HV_HAVE_GENL_INFO_DUMP
#define HV_COMPAT_GENL_DUMP_ATTRS(cb)	(genl_info_dump(cb)->attrs)
#else
#define HV_COMPAT_GENL_DUMP_ATTRS(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* The namespace of hv_iommu's exports, as EXPORT_SYMBOL_NS_GPL wants it. */
#ifdef HV_HAVE_SYMBOL_NS_IDENTIFIER
#define HV_IOMMU_NS	HV_IOMMU
#else
#define HV_IOMMU_NS	"HV_IOMMU"
#endif

/* Needs <asm/mshyperv.h> where used. */
#ifdef HV_HAVE_HV_PARENT_PARTITION
#define hv_compat_parent_partition()	hv_parent_partition()
#else
#define hv_compat_parent_partition()	hv_root_partition
#endif

/*
 * hv_compat_follow_pfn() - the PFN mapped at @address of @vma
 * @vma: a VM_IO or VM_PFNMAP VMA; the caller holds its mm's mmap_lock.
 * @address: a user address inside @vma.
 * @pfn: set to the page frame number mapped there.
 *
 * Return: 0; -EINVAL if @vma is not VM_IO/VM_PFNMAP or nothing is mapped
 * at @address (the caller faults it in and retries).
 */
#ifdef HV_HAVE_FOLLOW_PFNMAP_START
#include <linux/mm.h>

static inline int hv_compat_follow_pfn(struct vm_area_struct *vma,
				       unsigned long address,
				       unsigned long *pfn)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = address };
	int ret = follow_pfnmap_start(&args);

	if (!ret) {
		*pfn = args.pfn;
		follow_pfnmap_end(&args);
	}
	return ret;
}
#else
#include <linux/mm.h>

#define hv_compat_follow_pfn(vma, address, pfn)	follow_pfn(vma, address, pfn)
#endif

#endif /* HV_COMPAT_H */
