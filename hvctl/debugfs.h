/* SPDX-License-Identifier: GPL-2.0-or-later */
/* debugfs.h - reading /sys/kernel/debug/hv_iommu/... into structs.
 *
 * Each reader opens the file (under the system root), reads it line by line
 * (getline: never the whole file at once), parses each line with parse.c and
 * reports a malformed line as "hvctl: <file>:<line>: <what>".  Callers check
 * paths_require_debugfs() first so that a missing directory gets the
 * "debugfs is not mounted" message.  All return 0 or -1 (error reported).
 */
#ifndef HVCTL_DEBUGFS_H
#define HVCTL_DEBUGFS_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

struct domain_list {
	struct domain *v;
	size_t n;
};

struct device_list {
	struct hv_device *v;
	size_t n;
};

struct skipped_list {
	struct hv_skipped *v;
	size_t n;
};

/* debugfs `domains`: every domain, identity, blocked, then paging by id. */
int debugfs_read_domains(struct domain_list *out);
void domain_list_free(struct domain_list *l);
/* The domain with id ID in L, or NULL. */
const struct domain *domain_list_find(const struct domain_list *l, uint64_t id);

/* debugfs `devices`: every device the driver has probed. */
int debugfs_read_devices(struct device_list *out);
void device_list_free(struct device_list *l);
/* The device BDF in L, or NULL. */
const struct hv_device *device_list_find(const struct device_list *l, const struct bdf *b);

/* debugfs `skipped`: devices declined at probe. */
int debugfs_read_skipped(struct skipped_list *out);
void skipped_list_free(struct skipped_list *l);
/* The `skipped` record of B in L, or NULL. */
const struct hv_skipped *skipped_list_find(const struct skipped_list *l, const struct bdf *b);

struct synic_list {
	struct hv_synic *v;
	size_t n;
};

/* hv_vmm's debugfs `synic`: per CPU and SynIC resource. */
int debugfs_read_synic(struct synic_list *out);
void synic_list_free(struct synic_list *l);

/* hv_vmm's partitions (debugfs `partitions/<id>`), ids ascending, into a
 * new array *IDS of *N (free it). */
int debugfs_vmm_partitions(uint64_t **ids, size_t *n);

/* A line of hv_vmm's `partitions/<id>/regions`, with its partition. */
struct vmm_region {
	uint64_t partition, gpa, size, mapped_pages;
	int mmio;			/* kind=mmio (else ram) */
};

struct region_list {
	struct vmm_region *v;
	size_t n;
};

/* Every partition's regions, by partition then GPA (the family's mmio-get
 * when it serves it, else debugfs); a partition gone meanwhile is skipped. */
int debugfs_read_regions(struct region_list *out);
void region_list_free(struct region_list *l);

/* debugfs `stats`: hypercall counters since load. */
int debugfs_read_stats(struct hv_stats *out);


#define DEBUGFS_NOFILE (-2)

/* Called once per record of a file; 0, or -1 with ERR set (or ERR left
 * empty when the callee reported the error itself). */
typedef int (*record_fn)(const struct record *rec, void *arg, struct perr *err);

/* Streams the records of debugfs file PATH (unprefixed) through FN.
 * Returns 0, -1 (error reported as "<file>:<line>: <msg>"), or
 * DEBUGFS_NOFILE without reporting when the file does not exist. */
int debugfs_foreach_record(const char *path, record_fn fn, void *arg);

/* Streams the mappings of domain ID through FN: the netlink family's
 * mapping-get dump, or debugfs `mappings/<ID>` line by line.  Returns 0, -1
 * (error reported, or FN's non-zero result), or DEBUGFS_NOFILE without
 * reporting when the file does not exist (the caller knows why). */
int debugfs_foreach_mapping(uint64_t id, mapping_fn fn, void *arg);

#endif
