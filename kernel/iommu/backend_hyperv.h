/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "hyperv" backend: the only file that includes the kernel's
 * asm/mshyperv.h (whose names clash with hv_abi.h) is backend_hyperv.c;
 * this header is what the rest of the driver sees of it.
 */
#ifndef HV_IOMMU_BACKEND_HYPERV_H
#define HV_IOMMU_BACKEND_HYPERV_H

#include <linux/types.h>

struct hv_backend;

extern const struct hv_backend hv_iommu_hyperv_backend;
bool hv_iommu_hyperv_usable(const char **why);

#endif /* HV_IOMMU_BACKEND_HYPERV_H */
