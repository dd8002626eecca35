/* SPDX-License-Identifier: GPL-2.0 */
/* vfio-client: the options and the helpers both modes share (util.c;
 * ../common/util.h for what the test programs share). */
#ifndef VFIO_CLIENT_H
#define VFIO_CLIENT_H

#include <stdint.h>

#include "util.h"

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

struct options {
	const char *bdf;
	const char *also;		/* a second device's group, or NULL */
	const char *after_also_gone;
	uint64_t size;
	uint64_t iova;
	unsigned int chunks;
	int hugepages;			/* 1: MADV_HUGEPAGE, -1: MADV_NOHUGEPAGE */
	int fragment;			/* every page its own physical run */
	int hugetlb;			/* MAP_HUGETLB (2 MiB hugetlbfs pages) */
	int partition;
	int close_partition_first;
	int expect_map_fail;
	int may_fail;			/* expected failures may not happen */
	double loop_seconds;		/* --loop: remap chunks this long */
	const char *nth_stage;		/* --fail-nth STAGE:N */
	unsigned int nth;
	int iommufd;			/* --iommufd: /dev/iommu and the cdev */
	int hwpt;			/* attach an IOMMU_HWPT_ALLOC'd HWPT */
	int map_before_attach;
	int replace;			/* attach a second HWPT while mapped */
	int expect_replace_fail;
	const char *after_replace;
	const char *middle_unmap_expect;	/* --middle-unmap: errno name */
	int retry_map;
	const char *expect_file;
	const char *before_set_iommu;
	const char *after_set_iommu;
	const char *after_set_iommu_fail;
	int expect_set_iommu_fail;
	const char *before_map;
	const char *while_mapped;
	const char *after_map_fail;
	const char *after_partial;
	const char *after_unmap;
	const char *after_partition_close;
	int map_bar;			/* BAR index to map, or -1 */
	uint64_t bar_iova;
	int partial;			/* --partial-unmap given */
	uint64_t partial_off;
	uint64_t partial_len;
};

void setenv_u64(const char *name, uint64_t v, int hex);
int device_group(const char *bdf);
void write_expect(const char *file, const struct options *opt, void *vaddr);
char *buffer_alloc(const struct options *opt);
void nth_arm(const struct options *opt, const char *stage);
int nth_disarm(const struct options *opt, const char *stage);
int iommufd_main(struct options *opt);

#endif
