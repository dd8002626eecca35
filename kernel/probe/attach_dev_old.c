// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_ATTACH_DEV_OLD: iommu_domain_ops.attach_dev is told the old domain (7.x). */
#include <linux/iommu.h>

static int probe_attach(struct iommu_domain *domain, struct device *dev,
			struct iommu_domain *old)
{
	return 0;
}

const struct iommu_domain_ops hv_probe = { .attach_dev = probe_attach };
