/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status.h - the driver's state in one struct, for status and metrics. */
#ifndef HVCTL_STATUS_H
#define HVCTL_STATUS_H

#include <stdint.h>

#include "debugfs.h"
#include "parse.h"

struct status {
	char *backend;			/* sysfs: sim or hyperv */
	char *role;			/* sysfs: root or l1vh */
	char *attach_mode;		/* module parameter */
	struct bdf_list skip;		/* pci_devs_to_skip */
	uint64_t domains_in_use;	/* sysfs: paging domains not freed */
	int have_debugfs;		/* 0: the rest is empty (warning given) */
	struct domain_list domains;
	struct device_list devices;
	struct skipped_list skipped;	/* devices declined at probe */
	struct hv_stats stats;
	uint64_t identity, blocked, paging, stranded;	/* domains by type/state */
	uint64_t detach_failed;		/* devices whose last detach was refused */
};

/* Reads S from sysfs and, when it can be read, debugfs; without debugfs,
 * warns "REASON: WHAT not shown".  Returns 0 or -1 (reported; S empty). */
int status_read(struct status *s, const char *what);
void status_free(struct status *s);

#endif
