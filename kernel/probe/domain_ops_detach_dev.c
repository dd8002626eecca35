// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_DOMAIN_OPS_DETACH_DEV: iommu_domain_ops.detach_dev exists (until 6.2). */
#include <linux/iommu.h>

static void probe_detach(struct iommu_domain *domain, struct device *dev)
{
}

const struct iommu_domain_ops hv_probe = { .detach_dev = probe_detach };
