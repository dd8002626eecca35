/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysfs.h - reading and writing hv_iommu's small sysfs files
 * (/sys/module/hv_iommu/parameters/..., /sys/class/iommu/hv_iommu/...).
 * Paths are absolute, unprefixed (HV_* in paths.h); the system root
 * (--sysroot, $HVCTL_ROOT) is added here.
 * Every function reports its own error (one line) and returns -1. */
#ifndef HVCTL_SYSFS_H
#define HVCTL_SYSFS_H

#include "parse.h"

/* Reads the whole file PATH (sysfs attributes are at most one page) into a
 * malloc'd string with trailing white space removed.  Returns 0 or -1. */
int sysfs_read(const char *path, char **out);

/* Reads PATH as one unsigned number (decimal or 0x).  Returns 0 or -1. */
int sysfs_read_u64(const char *path, uint64_t *out);

/* Writes S followed by a newline to PATH in one write(2), as
 * `echo S > PATH` does (a zero-length write would not reach the kernel's
 * store handler, so an empty value is written as "\n").
 * EINVAL is reported as the kernel rejecting the value (see dmesg).
 * Returns 0 or -1. */
int sysfs_write(const char *path, const char *s);

/* sysfs_write without reporting: returns 0 or the errno (EIO for a short
 * write). */
int sysfs_write_errno(const char *path, const char *s);

/* Reads and parses pci_devs_to_skip (HV_PARAM_SKIP) into OUT (appended).
 * A malformed value is reported with the file name.  Returns 0 or -1. */
int sysfs_read_skiplist(struct bdf_list *out);

/* Writes L to pci_devs_to_skip in canonical form.  Returns 0 or -1. */
int sysfs_write_skiplist(const struct bdf_list *l);

/* One entry of the driver's live skip list (HV_CLASS_SKIP). */
struct skip_live_entry {
	char text[16];		/* "0000:00:03.0" or "1234:11e8" */
	char origin[16];	/* boot, runtime, persistent, rule */
	int has_bdf;		/* text is an address: bdf */
	struct bdf bdf;
};

struct skip_live {
	struct skip_live_entry *v;
	size_t n;
};

/* Reads the live skip list into OUT (appended); a driver without the
 * `skip` attribute (or a capture of one) gives pci_devs_to_skip's entries
 * as origin "boot".  Returns 0 or -1 (reported). */
int sysfs_read_skip_live(struct skip_live *out);
void skip_live_free(struct skip_live *l);

#endif
