// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_synic.c - synic: who owns each SynIC resource on each CPU.
 *
 * Source (doc/interfaces.md): hv_vmm's debugfs `synic`, one record per CPU
 * and resource (SCONTROL, SIMP, SIEFP, SIRBP, SINT0, SINT2, SINT5) with the
 * owner from the driver's policy table (vmm, vmbus, none), the state read
 * on that CPU and the messages the driver took from the slot.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cmds.h"
#include "debugfs.h"
#include "err.h"
#include "paths.h"

enum { SC_CPU, SC_RESOURCE, SC_OWNER, SC_ONLINE, SC_ENABLED, SC_MASKED, SC_VECTOR, SC_PAGE,
       SC_DELIVERED };

const struct colinfo synic_cols[] = {
	[SC_CPU]       = { "CPU", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "CPU number" },
	[SC_RESOURCE]  = { "RESOURCE", NULL, 0, 0, SCOLS_JSON_STRING,
			   "SCONTROL, SIMP, SIEFP, SIRBP, SINT0, SINT2 or SINT5" },
	[SC_OWNER]     = { "OWNER", NULL, 0, 0, SCOLS_JSON_STRING,
			   "vmm (hv_vmm), vmbus, or none (root: nobody runs VMBus)" },
	/* 0/1 as JSON numbers: libsmartcols 2.38 prints an empty boolean as
	 * false, and "unknown" must stay null. */
	[SC_ONLINE]    = { "ONLINE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "1: the CPU is online" },
	[SC_ENABLED]   = { "ENABLED", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "1: enabled (SINTs: unmasked); - when offline or SCONTROL is off" },
	[SC_MASKED]    = { "MASKED", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "SINTs: 1 masked, 0 unmasked" },
	[SC_VECTOR]    = { "VECTOR", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			   "SINTs: the interrupt vector" },
	[SC_PAGE]      = { "PAGE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			   "SIMP, SIEFP, SIRBP: the page's guest physical address" },
	[SC_DELIVERED] = { "DELIVERED", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "SINT0, SINT5: messages the driver took from the slot" },
};
const size_t synic_ncols = ARRAY_SIZE(synic_cols);

static const int synic_defs[] = {
	SC_CPU, SC_RESOURCE, SC_OWNER, SC_ONLINE, SC_ENABLED, SC_MASKED, SC_VECTOR, SC_PAGE,
	SC_DELIVERED
};

/* cell_fn: text of column COL for record ROW of the synic_list CTX; NULL
 * for "not applicable" (- in tables, null in JSON). */
static const char *synic_cell(const void *ctx, size_t row, int col, char *buf, size_t len)
{
	const struct hv_synic *s = &((const struct synic_list *)ctx)->v[row];

	switch (col) {
	case SC_CPU:
		snprintf(buf, len, "%" PRIu64, s->cpu);
		return buf;
	case SC_RESOURCE:
		return s->resource;
	case SC_OWNER:
		return s->owner;
	case SC_ONLINE:
		return s->online;
	case SC_ENABLED:
		return s->enabled;
	case SC_MASKED:
		return s->masked;
	case SC_VECTOR:
		return s->vector;
	case SC_PAGE:
		return s->page;
	case SC_DELIVERED:
		return s->delivered;
	}
	return NULL;
}

/* hvctl synic: one row per debugfs `synic` record (CPU and resource). */
int cmd_synic(const struct opts *o, int argc, char **argv)
{
	struct libscols_table *tb = NULL;
	struct synic_list sl = { 0 };
	struct colsel sel;
	int rc = HV_EXIT_FAIL;

	if (no_more_args("synic", argc, argv, 0) ||
	    table_columns(&o->out, synic_cols, synic_ncols, synic_defs, ARRAY_SIZE(synic_defs), &sel))
		return HV_EXIT_USAGE;
	if (paths_require_debugfs() || paths_require_loaded("hv_vmm") || debugfs_read_synic(&sl))
		return HV_EXIT_FAIL;
	tb = table_new("synic", &o->out);
	if (!tb || table_add_columns(tb, synic_cols, &sel, &o->out) ||
	    table_fill(tb, &sel, sl.n, synic_cell, &sl))
		goto out;
	if (!table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	synic_list_free(&sl);
	return rc;
}
