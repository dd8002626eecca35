// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_skip.c - skip list|add|remove.
 *
 * Sources (doc/interfaces.md): the module parameter
 * /sys/module/hv_iommu/parameters/pci_devs_to_skip (the configured list,
 * "(SSSS:BB:DD.F)...", applies to devices probed after a write) and debugfs
 * hv_iommu/skipped (devices the driver actually declined at probe).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "debugfs.h"
#include "devname.h"
#include "err.h"
#include "paths.h"
#include "sysfs.h"

enum { SC_BDF, SC_NAME, SC_SKIPPED, SC_REASON, SC_CONFIGURED };

const struct colinfo skip_cols[] = {
	[SC_BDF]        = { "BDF", NULL, 0, 0, SCOLS_JSON_STRING, "PCI address SSSS:BB:DD.F" },
	[SC_NAME]       = { "NAME", NULL, 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "vendor and model from the udev hwdb, else vendor:device" },
	[SC_SKIPPED]    = { "SKIPPED", NULL, 0, 0, SCOLS_JSON_BOOLEAN,
			    "yes: declined at probe (debugfs skipped); - without debugfs" },
	[SC_REASON]     = { "REASON", NULL, 0, 0, SCOLS_JSON_STRING,
			    "why it was declined (debugfs skipped); - if it was not" },
	[SC_CONFIGURED] = { "CONFIGURED", NULL, 0, 0, SCOLS_JSON_BOOLEAN,
			    "yes: in pci_devs_to_skip now" },
};
const size_t skip_ncols = sizeof(skip_cols) / sizeof(skip_cols[0]);

static const int skip_defs[] = { SC_BDF, SC_NAME, SC_SKIPPED, SC_REASON };

/* One row for B: CONFIGURED in the parameter, S its `skipped` record, SK
 * the `skipped` records (NULL: debugfs could not be read). */
static int skip_line(struct libscols_table *tb, const struct colsel *sel, const struct bdf *b,
		     int configured, const struct skipped_list *sk, struct devnames *dn)
{
	const struct hv_skipped *s = sk ? skipped_list_find(sk, b) : NULL;
	struct libscols_line *ln = table_new_line(tb);
	size_t i;

	if (!ln)
		return -1;
	for (i = 0; i < sel->n; i++) {
		char buf[256];
		const char *v = buf;

		switch (sel->id[i]) {
		case SC_BDF:
			bdf_format(b, buf);
			break;
		case SC_NAME:
			v = devnames_get(dn, b, buf, sizeof(buf));
			break;
		case SC_SKIPPED:
			v = !sk ? NULL : s ? "yes" : "no";
			break;
		case SC_REASON:
			v = s && strcmp(s->reason, "-") ? s->reason : NULL;
			break;
		case SC_CONFIGURED:
			v = configured ? "yes" : "no";
			break;
		}
		if (table_set(ln, i, v))
			return -1;
	}
	return 0;
}

/* hvctl skip list: configured entries in parameter order, then devices
 * declined at probe that are no longer configured.  Without debugfs, the
 * configured entries with SKIPPED and REASON missing (and a warning). */
static int skip_list(const struct opts *o)
{
	struct bdf_list cfg = { 0 };
	struct skipped_list sk = { 0 };
	struct libscols_table *tb = NULL;
	struct devnames *dn = NULL;
	struct colsel sel;
	int rc = HV_EXIT_FAIL, nodebugfs;
	size_t i;

	if (table_columns(&o->out, skip_cols, skip_ncols, skip_defs, ARRAY_SIZE(skip_defs), &sel))
		return HV_EXIT_USAGE;
	nodebugfs = paths_want_debugfs("SKIPPED and REASON (devices declined at probe)", 1);
	if (nodebugfs < 0 || sysfs_read_skiplist(&cfg) || (!nodebugfs && debugfs_read_skipped(&sk)))
		goto out;
	dn = devnames_open();
	tb = table_new("skip", &o->out);
	if (!dn || !tb || table_add_columns(tb, skip_cols, &sel, &o->out))
		goto out;
	for (i = 0; i < cfg.n; i++)
		if (skip_line(tb, &sel, &cfg.v[i], 1, nodebugfs ? NULL : &sk, dn))
			goto out;
	for (i = 0; i < sk.n; i++)
		if (bdf_list_find(&cfg, &sk.v[i].bdf) < 0 &&
		    skip_line(tb, &sel, &sk.v[i].bdf, 0, &sk, dn))
			goto out;
	if (!table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	devnames_close(dn);
	skipped_list_free(&sk);
	bdf_list_free(&cfg);
	return rc;
}

/* hvctl skip add|remove BDF: read, change, write back the canonical list.
 * Everything is checked before the single write, so a failure changes
 * nothing. */
static int skip_change(const struct opts *o, int add, int argc, char **argv)
{
	const char *cmd = add ? "skip add" : "skip remove";
	struct bdf_list cfg = { 0 };
	char canon[BDF_STRLEN];
	struct bdf b;
	long idx;
	int rc = HV_EXIT_FAIL;

	if (no_output_options(cmd, &o->out))
		return HV_EXIT_USAGE;
	if (argc < 1) {
		hv_err("%s: missing PCI address (SSSS:BB:DD.F)", cmd);
		return HV_EXIT_USAGE;
	}
	if (argc > 1) {
		hv_err("%s: unexpected argument '%s'", cmd, argv[1]);
		return HV_EXIT_USAGE;
	}
	if (bdf_parse(argv[0], &b)) {
		hv_err("invalid PCI address '%s': expected SSSS:BB:DD.F", argv[0]);
		return HV_EXIT_USAGE;
	}
	bdf_format(&b, canon);
	if (paths_require_module() || sysfs_read_skiplist(&cfg))
		goto out;
	idx = bdf_list_find(&cfg, &b);
	if (add) {
		if (idx >= 0) {
			hv_err("%s is already in the skip list", canon);
			goto out;
		}
		if (bdf_list_add(&cfg, &b)) {
			hv_err_nomem();
			goto out;
		}
	} else {
		if (idx < 0) {
			hv_err("%s is not in the skip list", canon);
			goto out;
		}
		bdf_list_remove(&cfg, (size_t)idx);
	}
	if (sysfs_write_skiplist(&cfg))
		goto out;
	printf("%s %s the skip list; this applies to devices probed from now on "
	       "(a device already probed keeps its domain until it is removed and rescanned)\n",
	       canon, add ? "added to" : "removed from");
	rc = HV_EXIT_OK;
out:
	bdf_list_free(&cfg);
	return rc;
}

/* hvctl skip list|add|remove: dispatches on the subcommand word. */
int cmd_skip(const struct opts *o, int argc, char **argv)
{
	if (argc < 1) {
		hv_err("skip: missing subcommand (list, add or remove)");
		return HV_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "list")) {
		if (argc > 1) {
			hv_err("skip list: unexpected argument '%s'", argv[1]);
			return HV_EXIT_USAGE;
		}
		return skip_list(o);
	}
	if (!strcmp(argv[0], "add"))
		return skip_change(o, 1, argc - 1, argv + 1);
	if (!strcmp(argv[0], "remove"))
		return skip_change(o, 0, argc - 1, argv + 1);
	hv_err("skip: unknown subcommand '%s' (list, add or remove)", argv[0]);
	return HV_EXIT_USAGE;
}
