// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/iommu/hv_iommu/{backend,role,domains_in_use}, the attribute
 * group given to iommu_device_sysfs_add() once the backend is chosen.
 */
#include "hv_iommu.h"

#include <linux/sysfs.h>

static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", hv_iommu_backend->name);
}
static DEVICE_ATTR_RO(backend);

static ssize_t role_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", hv_iommu_policy->name);
}
static DEVICE_ATTR_RO(role);

static ssize_t domains_in_use_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&hv_iommu_domains_in_use));
}
static DEVICE_ATTR_RO(domains_in_use);

static struct attribute *hv_iommu_sysfs_attrs[] = {
	&dev_attr_backend.attr,
	&dev_attr_role.attr,
	&dev_attr_domains_in_use.attr,
	NULL,
};

static const struct attribute_group hv_iommu_sysfs_group = {
	.attrs = hv_iommu_sysfs_attrs,
};

/* NULL-terminated, for iommu_device_sysfs_add(). */
const struct attribute_group *hv_iommu_sysfs_groups[] = {
	&hv_iommu_sysfs_group,
	NULL,
};
