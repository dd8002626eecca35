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
			   "SCONTROL, SIMP, SIEFP, SIRBP, SINT0 (intercepts), SINT2 (VMBus), SINT5 (doorbells)" },
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
const size_t synic_ncols = sizeof(synic_cols) / sizeof(synic_cols[0]);

static const int synic_defs[] = {
	SC_CPU, SC_RESOURCE, SC_OWNER, SC_ONLINE, SC_ENABLED, SC_MASKED, SC_VECTOR, SC_PAGE,
	SC_DELIVERED
};

/* Text of column COL for record S; NULL for "not applicable". */
static const char *synic_cell(const struct hv_synic *s, int col, char *buf, size_t len)
{
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
	size_t i, c;

	if (argc > 0) {
		hv_err("synic: unexpected argument '%s'", argv[0]);
		return HV_EXIT_USAGE;
	}
	if (table_columns(o->columns, synic_cols, synic_ncols, synic_defs,
			  sizeof(synic_defs) / sizeof(synic_defs[0]), &sel))
		return HV_EXIT_USAGE;
	if (paths_require_debugfs() || paths_require_loaded("hv_vmm") || debugfs_read_synic(&sl))
		return HV_EXIT_FAIL;
	tb = table_new("synic", &o->out);
	if (!tb || table_add_columns(tb, synic_cols, &sel, &o->out))
		goto out;
	for (i = 0; i < sl.n; i++) {
		struct libscols_line *ln = table_new_line(tb);

		if (!ln)
			goto out;
		for (c = 0; c < sel.n; c++) {
			char buf[32];
			const char *v = synic_cell(&sl.v[i], sel.id[c], buf, sizeof(buf));

			/* JSON: null for "not applicable"; tables show "-". */
			if (v ? table_set(ln, c, v) : !o->out.json && table_set(ln, c, "-"))
				goto out;
		}
	}
	if (!table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	synic_list_free(&sl);
	return rc;
}
