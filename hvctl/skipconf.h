/* SPDX-License-Identifier: GPL-2.0-or-later */
/* skipconf.h - the persistent skip configuration: /etc/hv-iommu/skip.d/,
 * one file per entry (hvctl writes them; an operator may too), each line an
 * expression, '#' starts a comment:
 *
 *   SSSS:BB:DD.F        the function at that address (slot)
 *   VVVV:DDDD           every function with that vendor and device id
 *   KEY=VALUE           every PCI device whose udev property KEY matches the
 *                       glob VALUE (fnmatch(3)): ID_PATH, ID_VENDOR_FROM_DATABASE,
 *                       a property a hwdb entry or a rule sets...
 *
 * PCI_SLOT_NAME=SSSS:BB:DD.F and PCI_ID=VVVV:DDDD (no glob) are the first
 * two forms.  Those two the driver matches itself, at probe (hvctl loads
 * them into its list); the third only udev can (its rule re-probes).
 * The files are read under the system root (paths.h).
 */
#ifndef HVCTL_SKIPCONF_H
#define HVCTL_SKIPCONF_H

#include <stddef.h>

#include "parse.h"

#define HV_SKIP_CONF_DIR	"/etc/hv-iommu/skip.d"

enum skipconf_kind { SKC_BDF, SKC_ID, SKC_PROP };

/* One expression and where it was read. */
struct skipconf_entry {
	enum skipconf_kind kind;
	struct bdf bdf;		/* SKC_BDF */
	unsigned vendor, device;/* SKC_ID */
	char *key, *value;	/* SKC_PROP */
	char *text;		/* canonical: "0000:00:03.0", "1234:11e8", "KEY=VALUE" */
	char *file;		/* NULL for one from the command line */
	unsigned line;
};

struct skipconf {
	struct skipconf_entry *v;
	size_t n, cap;
};

/* Parses expression S into E (e->file NULL).  Returns 0, or -1 with the
 * reason in MSG (LEN bytes). */
int skipconf_parse(const char *s, struct skipconf_entry *e, char *msg, size_t len);

/* Reads every file of HV_SKIP_CONF_DIR (a missing directory is empty),
 * appending to C in file-name and line order.  A bad line is reported
 * ("FILE:LINE: ...") and skipped; *NBAD counts them.  Returns 0, or -1
 * (reported) if the directory or a file cannot be read. */
int skipconf_read(struct skipconf *c, size_t *nbad);
void skipconf_free(struct skipconf *c);
void skipconf_entry_free(struct skipconf_entry *e);

/* The driver's form of E ("SSSS:BB:DD.F" or "VVVV:DDDD") in BUF[16], or -1
 * when only udev can match E. */
int skipconf_kernel_text(const struct skipconf_entry *e, char buf[16]);

/* Does E match the device whose udev properties GET returns (NULL: not
 * set)?  Returns 1 or 0. */
int skipconf_match(const struct skipconf_entry *e,
		   const char *(*get)(void *ctx, const char *key), void *ctx);

/* The present PCI devices E matches (libudev), appended to OUT.
 * Returns 0 or -1 (reported). */
int skipconf_present(const struct skipconf_entry *e, struct bdf_list *out);

/* Writes E to its own file (atomically: a temporary file renamed).
 * Returns 0 written, 1 already there with that content, -1 (reported). */
int skipconf_write(const struct skipconf_entry *e);

/* Removes E's file.  Returns 0, 1 if there is none, -1 (reported). */
int skipconf_remove(const struct skipconf_entry *e);

#endif
