// SPDX-License-Identifier: GPL-2.0
/*
 * Reserved IOVA regions: what a device must never have mapped, reported to
 * the core (iommu_ops->get_resv_regions) like the other x86 IOMMUs do.
 *
 * x86 delivers MSIs as DMA writes to 0xfee00000-0xfeefffff; whatever a
 * domain maps there, the interrupt remapping hardware takes the write
 * first.  intel-iommu and amd-iommu report the window as IOMMU_RESV_MSI
 * (hardware MSI, untranslated, prot 0), which makes VFIO type1 (6.1 and
 * 6.12 vfio_iommu_type1.c: vfio_iommu_resv_exclude()) and iommufd refuse a
 * user mapping there, and /sys/kernel/iommu_groups/N/reserved_regions list
 * it as "msi".  No software MSI window (IOMMU_RESV_SW_MSI) is needed: that
 * is for IOMMUs that translate MSIs (arm-smmu), and an MSI cookie on x86
 * would put a translated doorbell where the hardware window already is.
 */
#include "hv_iommu.h"

#include <linux/list.h>

#define HV_IOMMU_MSI_START	0xfee00000UL
#define HV_IOMMU_MSI_LENGTH	0x100000UL

/**
 * hv_iommu_get_resv_regions() - iommu_ops->get_resv_regions
 * @dev: the device (every device gets the same list).
 * @head: list to add the regions to; the core frees them with
 *	iommu_put_resv_regions() (region->free is kfree for these).
 *
 * Context: process context, may sleep (GFP_KERNEL).
 * Return: nothing; on allocation failure the region is missing and a line
 * is logged (the core has no way to hear of the failure).
 */
void hv_iommu_get_resv_regions(struct device *dev, struct list_head *head)
{
	struct iommu_resv_region *msi;

	msi = iommu_alloc_resv_region(HV_IOMMU_MSI_START, HV_IOMMU_MSI_LENGTH,
				      0, IOMMU_RESV_MSI, GFP_KERNEL);
	if (!msi) {
		dev_err(dev, "out of memory: MSI window not reported as reserved\n");
		return;
	}
	list_add_tail(&msi->list, head);
}
