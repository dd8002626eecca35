/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the driver looks at LINUX_VERSION_CODE.  Supported:
 * 6.1 (Debian 12) and 6.12 (Debian 12 backports).
 *
 * Differences in the IOMMU core that the driver meets:
 *
 * - Domain allocation.  6.1 has one iommu_ops->domain_alloc(type) for every
 *   type (IDENTITY, BLOCKED, UNMANAGED, DMA); the core writes type, ops and
 *   pgsize_bitmap into what it returns and later calls ops->free().  6.12
 *   allocates paging domains with iommu_ops->domain_alloc_paging(dev) and
 *   takes the identity and blocking domains from the static
 *   iommu_ops->identity_domain and ->blocked_domain.  The driver's identity
 *   and blocked domains are static objects in both cases (their ->free is a
 *   no-op), so only the iommu_ops fields differ: HV_COMPAT_IOMMU_OPS_DOMAINS.
 * - Detach.  6.1's iommu_domain_ops has ->detach_dev (called when the core
 *   detaches a device without attaching another domain); 6.12 has none and
 *   always attaches a new domain: HV_COMPAT_DOMAIN_OPS_DETACH.
 * - In both, attaching a device to a new domain implies leaving the old one;
 *   the driver's attach_dev does the leaving itself.
 */
#ifndef HV_COMPAT_H
#define HV_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)

/* iommu_ops fields that give the core its domains. */
#define HV_COMPAT_IOMMU_OPS_DOMAINS(alloc_paging, alloc_type, identity, blocked) \
	.domain_alloc_paging = (alloc_paging),				\
	.identity_domain = (identity),					\
	.blocked_domain = (blocked)

/* iommu_domain_ops: no ->detach_dev since 6.3. */
#define HV_COMPAT_DOMAIN_OPS_DETACH(detach)

#else /* 6.1 */

#define HV_COMPAT_IOMMU_OPS_DOMAINS(alloc_paging, alloc_type, identity, blocked) \
	.domain_alloc = (alloc_type)

#define HV_COMPAT_DOMAIN_OPS_DETACH(detach)				\
	.detach_dev = (detach),

#endif

#endif /* HV_COMPAT_H */
