// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_mmio.c - mmio, mmio-mode: hv_vmm's guest memory regions, its MMIO
 * resolver's counters and mode.
 *
 * Sources (doc/interfaces.md): hv_vmm's debugfs partitions/<id>/regions
 * (or the family's mmio-get, which carries the same, when it serves it:
 * nl.h) and partitions/<id>/counters, one directory per guest partition,
 * and the module parameter /sys/module/hv_vmm/parameters/mmio_mode (full,
 * page or eager; read at each intercept or registration).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "debugfs.h"
#include "err.h"
#include "paths.h"
#include "sysfs.h"

static const char *const mmio_modes[] = { "full", "page", "eager" };

enum { MR_PARTITION, MR_GPA, MR_SIZE, MR_KIND, MR_UADDR, MR_MAPPED };

const struct colinfo mmio_region_cols[] = {
	[MR_PARTITION] = { "PARTITION", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "guest partition id" },
	[MR_GPA]       = { "GPA", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			   "first guest physical address" },
	[MR_SIZE]      = { "SIZE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "bytes" },
	[MR_KIND]      = { "KIND", NULL, 0, 0, SCOLS_JSON_STRING,
			   "ram (pinned, mapped whole) or mmio (a BAR, mapped by the resolver)" },
	[MR_UADDR]     = { "UADDR", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			   "the VMM's user address of the region" },
	[MR_MAPPED]    = { "MAPPED", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "4 KiB pages mapped in the hypervisor now" },
};
const size_t mmio_region_ncols = ARRAY_SIZE(mmio_region_cols);

static const int mmio_region_defs[] = {
	MR_PARTITION, MR_GPA, MR_SIZE, MR_KIND, MR_UADDR, MR_MAPPED
};

/* The counters, in the driver's order: debugfs key, column, help. */
static const struct colinfo mmio_counter_cols[] = {
	{ "PARTITION", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "guest partition id" },
	{ "INTERCEPTS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "HVMSG_UNMAPPED_GPA intercepts seen" },
	{ "RESOLVED_FULL", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "intercepts that mapped a whole region" },
	{ "RESOLVED_PAGE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "intercepts that mapped one page" },
	{ "ALREADY_MAPPED", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "intercepts another VP had resolved first" },
	{ "EAGER_MAPS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "regions mapped whole at registration" },
	{ "GUARD_REFUSALS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "intercepts outside every MMIO region, returned to the VMM" },
	{ "RESOLVE_ERRORS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "intercepts in a region that could not be mapped, returned to the VMM" },
	{ "NOTIFIER_UNMAPS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "invalidations of a region's user range that unmapped pages" },
	{ "NOTIFIER_PAGES", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "pages they unmapped" },
	{ "FULL_NS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "nanoseconds from intercept to re-dispatch, summed over full resolutions" },
	{ "PAGE_NS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	  "the same over page resolutions" },
};
static const size_t mmio_counter_ncols = ARRAY_SIZE(mmio_counter_cols);

struct mmio_rows {
	struct libscols_table *tb;
	const struct colsel *sel;
	uint64_t id;
};

/* record_fn: one line of partitions/<id>/regions into the regions table. */
static int mmio_region_row(const struct record *rec, void *arg, struct perr *err)
{
	static const char *const keys[] = {
		[MR_GPA] = "gpa", [MR_SIZE] = "size", [MR_KIND] = "kind",
		[MR_UADDR] = "uaddr", [MR_MAPPED] = "mapped_pages",
	};
	struct mmio_rows *rows = arg;
	struct libscols_line *ln = table_new_line(rows->tb);
	char buf[32];
	uint64_t size;
	size_t i;

	if (!ln)
		return -1;
	for (i = 0; i < rows->sel->n; i++) {
		int col = rows->sel->id[i];
		const char *v = buf;

		if (col == MR_PARTITION) {
			snprintf(buf, sizeof(buf), "%" PRIu64, rows->id);
		} else if (col == MR_SIZE) {
			if (record_need_u64(rec, "size", &size, err))
				return -1;
			snprintf(buf, sizeof(buf), "%" PRIu64, size);
		} else {
			v = record_need(rec, keys[col], err);
			if (!v)
				return -1;
		}
		if (table_set(ln, i, v))
			return -1;
	}
	return 0;
}

/* record_fn: the one line of partitions/<id>/counters. */
static int mmio_counter_row(const struct record *rec, void *arg, struct perr *err)
{
	struct mmio_rows *rows = arg;
	struct libscols_line *ln = table_new_line(rows->tb);
	char key[32], buf[32];
	uint64_t v;
	size_t i, j;

	if (!ln)
		return -1;
	snprintf(buf, sizeof(buf), "%" PRIu64, rows->id);
	if (table_set(ln, 0, buf))
		return -1;
	for (i = 1; i < mmio_counter_ncols; i++) {
		for (j = 0; mmio_counter_cols[i].name[j] && j < sizeof(key) - 1; j++)
			key[j] = (char)tolower((unsigned char)mmio_counter_cols[i].name[j]);
		key[j] = '\0';
		if (record_need_u64(rec, key, &v, err))
			return -1;
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		if (table_set(ln, i, buf))
			return -1;
	}
	return 0;
}

/* Reads the current mode into BUF.  Returns 0 or -1 (reported). */
static int mmio_mode_read(char *buf, size_t len)
{
	char *s = NULL;

	if (sysfs_read(HV_VMM_PARAM_MMIO_MODE, &s))
		return -1;
	snprintf(buf, len, "%s", s);
	buf[strcspn(buf, "\n")] = '\0';
	free(s);
	return 0;
}

/* hvctl mmio: the mode, every region of every partition, the counters. */
int cmd_mmio(const struct opts *o, int argc, char **argv)
{
	struct libscols_table *tbs[3] = { NULL, NULL, NULL };
	struct outopts all = o->out;
	struct colsel sel, csel;
	struct kvtable kv = { 0 };
	uint64_t *ids = NULL;
	char mode[16];
	size_t n = 0, i;
	int rc = HV_EXIT_FAIL;

	all.columns = NULL;
	all.all_columns = 1;
	if (no_more_args("mmio", argc, argv, 0) ||
	    table_columns(&o->out, mmio_region_cols, mmio_region_ncols, mmio_region_defs,
			  ARRAY_SIZE(mmio_region_defs), &sel))
		return HV_EXIT_USAGE;
	colsel_init(&csel, NULL, 0);
	for (i = 0; i < mmio_counter_ncols; i++)
		csel.id[csel.n++] = (int)i;
	if (paths_require_debugfs() || paths_require_loaded("hv_vmm") ||
	    mmio_mode_read(mode, sizeof(mode)) || debugfs_vmm_partitions(&ids, &n))
		goto out;
	if (kv_add(&kv, "mode", SCOLS_JSON_STRING, "%s", mode))
		goto out;
	tbs[0] = kv_table(&kv, "mmio", &o->out);
	tbs[1] = table_new("regions", &o->out);
	tbs[2] = table_new("counters", &all);
	if (!tbs[0] || !tbs[1] || !tbs[2] ||
	    table_add_columns(tbs[1], mmio_region_cols, &sel, &o->out) ||
	    table_add_columns(tbs[2], mmio_counter_cols, &csel, &all))
		goto out;
	for (i = 0; i < n; i++) {
		struct mmio_rows r = { tbs[1], &sel, ids[i] };
		struct mmio_rows c = { tbs[2], &csel, ids[i] };
		char p[64];
		int ret;

		/* A partition that went away meanwhile is not an error. */
		snprintf(p, sizeof(p), "%s/partitions/%" PRIu64 "/regions", HV_VMM_DEBUGFS, ids[i]);
		ret = debugfs_foreach_record(p, mmio_region_row, &r);
		if (ret == DEBUGFS_NOFILE)
			continue;
		snprintf(p, sizeof(p), "%s/partitions/%" PRIu64 "/counters", HV_VMM_DEBUGFS, ids[i]);
		if (ret || debugfs_foreach_record(p, mmio_counter_row, &c) == -1)
			goto out;
	}
	if (!table_print_all(tbs, 3, &o->out))
		rc = HV_EXIT_OK;
out:
	for (i = 0; i < 3; i++)
		scols_unref_table(tbs[i]);
	kv_free(&kv);
	free(ids);
	return rc;
}

/* hvctl mmio-mode [full|page|eager]: print or set the mode. */
int cmd_mmio_mode(const struct opts *o, int argc, char **argv)
{
	char mode[16];
	size_t i;

	if (no_output_options("mmio-mode", &o->out) || no_more_args("mmio-mode", argc, argv, 1))
		return HV_EXIT_USAGE;
	if (argc == 0) {
		if (paths_require_loaded("hv_vmm") || mmio_mode_read(mode, sizeof(mode)))
			return HV_EXIT_FAIL;
		printf("%s\n", mode);
		return HV_EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(mmio_modes) && strcmp(argv[0], mmio_modes[i]); i++)
		;
	if (i == ARRAY_SIZE(mmio_modes)) {
		hv_err("mmio-mode: invalid mode '%s': expected full, page or eager", argv[0]);
		return HV_EXIT_USAGE;
	}
	if (paths_require_loaded("hv_vmm") || sysfs_write(HV_VMM_PARAM_MMIO_MODE, argv[0]))
		return HV_EXIT_FAIL;
	printf("MMIO mode %s; it applies from the next intercept or region registration\n",
	       argv[0]);
	return HV_EXIT_OK;
}
