// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HAVE_DOMAIN_ALLOC_PAGING: iommu_ops.domain_alloc_paging and the static
 * identity_domain/blocked_domain (6.12 has them; 6.1 has domain_alloc(type)).
 */
#include <linux/iommu.h>

static struct iommu_domain *probe_alloc(struct device *dev)
{
	return NULL;
}

const struct iommu_ops hv_probe = {
	.domain_alloc_paging = probe_alloc,
	.identity_domain = NULL,
	.blocked_domain = NULL,
};
