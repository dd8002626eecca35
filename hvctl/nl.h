/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nl.h - hv_iommu's generic netlink family (libnl-genl) for hvctl.
 *
 * Reading: the family's dumps rendered as the lines of the debugfs file
 * each one mirrors (doc/interfaces.md), so that debugfs.c parses both
 * sources with one parser and every command prints the same from either.
 * The family is used when it is registered, hvctl reads the live system
 * (no --sysroot or $HVCTL_ROOT: a capture has files only) and
 * $HVCTL_SOURCE is not "debugfs"; HVCTL_SOURCE=netlink makes a missing
 * family an error instead of a fallback.
 *
 * Events: a socket joined to the "events" group, decoded into struct
 * nl_event (hvctl monitor, hvctl top).
 */
#ifndef HVCTL_NL_H
#define HVCTL_NL_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* One line of a mirrored file: 0, or -1 with ERR set (or left empty when
 * the callee reported the error itself). */
typedef int (*nl_line_fn)(char *line, void *arg, struct perr *err);

#define NL_UNSERVED 1	/* not served by the family: read the file */
#define NL_NOENT (-2)	/* the object asked for does not exist */

/* 1 when reads go through the family, 0 when they go to files; -1 after
 * reporting (HVCTL_SOURCE=netlink without the family, or a bad value). */
int nl_source(void);

/* Calls FN for each line of debugfs file REL (HV_DEBUGFS_* of paths.h; not
 * the mappings, see nl_foreach_mapping) rendered from the family's dump.
 * Returns 0, -1 (reported, or FN's error reported as "netlink <cmd>:
 * message N: <msg>"), NL_NOENT (unreported: no such domain) or NL_UNSERVED
 * (unreported: read the file instead). */
int nl_read_lines(const char *rel, nl_line_fn fn, void *arg);

/* Calls FN for each mapping of paging domain ID, in IOVA order, decoded from
 * the family's mapping-get dump (checked by mapping_check).  Returns 0, -1
 * (reported, or FN's non-zero), NL_NOENT (unreported: no such domain) or
 * NL_UNSERVED (unreported: read debugfs mappings/<ID> instead). */
int nl_foreach_mapping(uint64_t id, mapping_fn fn, void *arg);

/* A decoded event; absent fields are -1 (numbers) or NULL (strings). */
struct nl_event {
	const char *type;	/* "domain-created", "map", ... (the spec's names) */
	uint64_t time_ns;	/* CLOCK_REALTIME of the kernel's event */
	int64_t domain;
	const char *bdf;
	int64_t hv_status;
	int64_t partition;
	int64_t calls;		/* map/unmap: calls coalesced */
	int64_t bytes;		/* map/unmap: their bytes */
	const char *reason;	/* device-skipped: the debugfs reason name */
	const char *skip_list;	/* skip-changed: the boot list */
	const char *skip_entry;	/* skip-changed: the entry added or removed, */
	const char *skip_origin;	/* its origin, */
	const char *skip_change;	/* and "added" or "removed" */
	int64_t gpa, size;	/* MMIO events */
	int64_t dropped;	/* events lost before this one */
};

struct nl_monitor;

/* Joins the "events" group.  Returns NULL after reporting (family absent:
 * "hv_iommu's netlink family is not registered (module too old?)"). */
struct nl_monitor *nl_monitor_open(void);
/* The socket's file descriptor, for poll(). */
int nl_monitor_fd(const struct nl_monitor *m);
/* Reads what is pending and calls FN per event (FN's non-zero stops and is
 * returned).  Blocks when nothing is pending unless NONBLOCK.  Returns 0,
 * FN's result, or -1 (reported; ENOBUFS, the socket overran, is reported as
 * a warning and returns 0: events were lost, the monitor goes on). */
int nl_monitor_read(struct nl_monitor *m, int nonblock,
		    int (*fn)(const struct nl_event *ev, void *arg), void *arg);
void nl_monitor_close(struct nl_monitor *m);

#endif
