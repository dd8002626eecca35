// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_IOMMU_OPS_PGSIZE_BITMAP: iommu_ops.pgsize_bitmap exists (gone in 7.x). */
#include <linux/iommu.h>
#include <linux/sizes.h>

const struct iommu_ops hv_probe = { .pgsize_bitmap = SZ_4K };
