/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct attach as hv_iommu offers it to the VMM driver (namespace
 * HV_IOMMU): the VMM names its VFIO group's IOMMU group and its partition
 * (iommu/direct.c).
 */
#ifndef HV_DIRECT_H
#define HV_DIRECT_H

#include <linux/types.h>

struct iommu_group;

int hv_iommu_direct_request(struct iommu_group *group, u64 partition_id);
int hv_iommu_direct_release(struct iommu_group *group, u64 partition_id,
			    bool force);

#endif /* HV_DIRECT_H */
