// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/iommu/hv_iommu/{backend,role,domains_in_use,skip,
 * skip_add,skip_remove}, the attribute group given to iommu_device_sysfs_add()
 * once the backend is chosen.
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

static ssize_t skip_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return hv_iommu_skip_list_show(buf);
}
static DEVICE_ATTR_RO(skip);

/* One "ENTRY [ORIGIN]" line (hv_skip_parse_entry()) added or removed. */
static ssize_t skip_write(const char *buf, size_t count, bool add)
{
	const char *what = add ? "skip_add" : "skip_remove";
	enum hv_skip_origin origin;
	struct hv_skip_error err;
	struct hv_skip_match m;
	char line[64];
	int ret;

	if (count >= sizeof(line)) {
		pr_err("%s: %zu bytes is too long for one entry\n", what, count);
		return -EINVAL;
	}
	memcpy(line, buf, count);
	line[count] = '\0';
	if (hv_skip_parse_entry(line, &m, &origin, &err)) {
		pr_err("%s: '%s': %s at position %zu\n", what, strim(line),
		       err.what, err.pos);
		return -EINVAL;
	}
	ret = hv_iommu_skip_change(&m, origin, add);
	return ret ? ret : count;
}

static ssize_t skip_add_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	return skip_write(buf, count, true);
}
static DEVICE_ATTR_WO(skip_add);

static ssize_t skip_remove_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	return skip_write(buf, count, false);
}
static DEVICE_ATTR_WO(skip_remove);

static struct attribute *hv_iommu_sysfs_attrs[] = {
	&dev_attr_backend.attr,
	&dev_attr_role.attr,
	&dev_attr_domains_in_use.attr,
	&dev_attr_skip.attr,
	&dev_attr_skip_add.attr,
	&dev_attr_skip_remove.attr,
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
