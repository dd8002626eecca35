// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_status.c - status: the driver at a glance.
 *
 * Sources (doc/interfaces.md): /sys/class/iommu/hv_iommu/backend (backend in
 * use), .../domains_in_use (paging domains allocated and not freed), the
 * module parameters attach_mode and pci_devs_to_skip, debugfs hv_iommu/domains
 * (counted by type) and hv_iommu/stats (hypercall counters since load:
 * calls per call code, non-success statuses, memory deposits
 * (HVCALL_DEPOSIT_MEMORY, 4 KiB pages), re-issued time-slice returns, and
 * pinned_leaked_pages: frames the driver holds because the hypervisor
 * refused to unmap them).
 * Without debugfs (not mounted, lockdown), the sysfs facts are shown, the
 * rest is missing and a warning says why.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "debugfs.h"
#include "err.h"
#include "paths.h"
#include "status.h"
#include "sysfs.h"

enum { CC_NAME, CC_CODE, CC_CALLS, CC_REPS, CC_FAILURES };

const struct colinfo calls_cols[] = {
	[CC_NAME]     = { "NAME", NULL, 0, 0, SCOLS_JSON_STRING, "hypercall name" },
	[CC_CODE]     = { "CODE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "TLFS call code" },
	[CC_CALLS]    = { "CALLS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			  "hypercalls issued (each re-issue counts)" },
	[CC_REPS]     = { "REPS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "reps completed" },
	[CC_FAILURES] = { "FAILURES", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			  "calls with a status other than success" },
};
const size_t calls_ncols = ARRAY_SIZE(calls_cols);
static const int calls_defs[] = { CC_NAME, CC_CODE, CC_CALLS, CC_REPS, CC_FAILURES };

enum { FC_STATUS, FC_CODE, FC_COUNT };

const struct colinfo failures_cols[] = {
	[FC_STATUS] = { "STATUS", NULL, 0, 0, SCOLS_JSON_STRING, "HV_STATUS name" },
	[FC_CODE]   = { "CODE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "HV_STATUS code" },
	[FC_COUNT]  = { "COUNT", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "times seen" },
};
const size_t failures_ncols = ARRAY_SIZE(failures_cols);
static const int failures_defs[] = { FC_STATUS, FC_CODE, FC_COUNT };

/* The addresses on the driver's live skip list. */
static int status_read_skip(struct bdf_list *out)
{
	struct skip_live live = { 0 };
	size_t i;
	int rc = sysfs_read_skip_live(&live);

	for (i = 0; !rc && i < live.n; i++)
		if (live.v[i].has_bdf && bdf_list_add(out, &live.v[i].bdf))
			rc = hv_err_nomem();
	skip_live_free(&live);
	return rc;
}

/* status_read(): contract (arguments, units, errors) in status.h. */
int status_read(struct status *s, const char *what)
{
	size_t i;
	int r;

	memset(s, 0, sizeof(*s));
	r = paths_want_debugfs(what, 1);
	if (r < 0)
		return -1;
	s->have_debugfs = !r;
	if (sysfs_read(HV_CLASS_BACKEND, &s->backend) ||
	    sysfs_read(HV_CLASS_ROLE, &s->role) ||
	    sysfs_read(HV_PARAM_ATTACH_MODE, &s->attach_mode) ||
	    status_read_skip(&s->skip) ||
	    sysfs_read_u64(HV_CLASS_DOMAINS_IN_USE, &s->domains_in_use) ||
	    (s->have_debugfs && (debugfs_read_domains(&s->domains) ||
				 debugfs_read_devices(&s->devices) ||
				 debugfs_read_skipped(&s->skipped) ||
				 debugfs_read_stats(&s->stats)))) {
		status_free(s);
		return -1;
	}
	for (i = 0; i < s->domains.n; i++) {
		const struct domain *d = &s->domains.v[i];

		if (!strcmp(d->type, "identity"))
			s->identity++;
		else if (!strcmp(d->type, "blocked"))
			s->blocked++;
		else if (!strcmp(d->type, "paging"))
			s->paging++;
		if (strcmp(d->state, "live"))
			s->stranded++;
	}
	for (i = 0; i < s->devices.n; i++)
		if (strcmp(s->devices.v[i].state, "attached"))
			s->detach_failed++;
	return 0;
}

/* status_free(): contract (arguments, units, errors) in status.h. */
void status_free(struct status *s)
{
	free(s->backend);
	free(s->role);
	free(s->attach_mode);
	bdf_list_free(&s->skip);
	domain_list_free(&s->domains);
	device_list_free(&s->devices);
	skipped_list_free(&s->skipped);
	stats_free(&s->stats);
	memset(s, 0, sizeof(*s));
}

/* cell_fn of the calls table: CTX is a struct hv_stats. */
static const char *call_cell(const void *ctx, size_t row, int col, char *buf, size_t len)
{
	const struct hv_stat_call *c = &((const struct hv_stats *)ctx)->calls[row];

	switch (col) {
	case CC_NAME:
		return c->name;
	case CC_CODE:
		snprintf(buf, len, "0x%" PRIx64, c->code);
		break;
	case CC_CALLS:
		snprintf(buf, len, "%" PRIu64, c->calls);
		break;
	case CC_REPS:
		snprintf(buf, len, "%" PRIu64, c->reps);
		break;
	case CC_FAILURES:
		snprintf(buf, len, "%" PRIu64, c->failures);
		break;
	}
	return buf;
}

/* cell_fn of the failures table: CTX is a struct hv_stats. */
static const char *failure_cell(const void *ctx, size_t row, int col, char *buf, size_t len)
{
	const struct hv_stat_status *s = &((const struct hv_stats *)ctx)->statuses[row];

	switch (col) {
	case FC_STATUS:
		return strcmp(s->name, "-") ? s->name : NULL;
	case FC_CODE:
		snprintf(buf, len, "0x%" PRIx64, s->code);
		break;
	case FC_COUNT:
		snprintf(buf, len, "%" PRIu64, s->count);
		break;
	}
	return buf;
}

/* Adds a debugfs count to KV: missing without debugfs. */
static int kv_count(struct kvtable *kv, const struct status *s, const char *key, uint64_t v)
{
	if (!s->have_debugfs)
		return kv_add_missing(kv, key, SCOLS_JSON_NUMBER);
	return kv_add(kv, key, SCOLS_JSON_NUMBER, "%" PRIu64, v);
}

/* The summary of S. */
static int status_summary(const struct status *s, const struct outopts *o, struct kvtable *kv)
{
	char *skip = bdf_list_join(&s->skip, "", "", table_list_sep(o));
	int r;

	if (!skip)
		return hv_err_nomem();
	r = kv_add(kv, "backend", SCOLS_JSON_STRING, "%s", s->backend) ||
	    kv_add(kv, "role", SCOLS_JSON_STRING, "%s", s->role) ||
	    kv_add(kv, "attach_mode", SCOLS_JSON_STRING, "%s", s->attach_mode) ||
	    kv_add(kv, "skip", SCOLS_JSON_ARRAY_STRING, "%s", skip) ||
	    kv_add(kv, "domains_in_use", SCOLS_JSON_NUMBER, "%" PRIu64, s->domains_in_use) ||
	    kv_count(kv, s, "identity_domains", s->identity) ||
	    kv_count(kv, s, "blocked_domains", s->blocked) ||
	    kv_count(kv, s, "paging_domains", s->paging) ||
	    kv_count(kv, s, "stranded_domains", s->stranded) ||
	    kv_count(kv, s, "detach_failed_devices", s->detach_failed) ||
	    kv_count(kv, s, "deposit_calls", s->stats.deposit_calls) ||
	    kv_count(kv, s, "deposit_pages", s->stats.deposit_pages) ||
	    kv_count(kv, s, "resumes", s->stats.resumes) ||
	    kv_count(kv, s, "pinned_leaked_pages", s->stats.pinned_leaked_pages);
	free(skip);
	return r ? -1 : 0;
}

static const char *const status_sections[] = { "summary", "calls", "failures", NULL };

/* hvctl status [summary|calls|failures]: one summary and two tables (calls,
 * failures), or one JSON document; -o applies to the section named. */
int cmd_status(const struct opts *o, int argc, char **argv)
{
	struct status s;
	struct kvtable kv = { 0 };
	struct libscols_table *tbs[3] = { NULL, NULL, NULL };
	struct colsel csel, fsel;
	int rc = HV_EXIT_FAIL, section;
	size_t i;

	if (no_more_args("status", argc, argv, 1))
		return HV_EXIT_USAGE;
	section = table_one_section("status", argc ? argv[0] : NULL, status_sections, &o->out);
	if (section < 0)
		return HV_EXIT_USAGE;
	if ((o->out.columns || o->out.all_columns || o->out.sort) && (section == 0 || section == 3)) {
		hv_err("status: --output, --output-all and --sort need a section (calls or failures)");
		return HV_EXIT_USAGE;
	}
	if (table_columns(section == 1 ? &o->out : &(struct outopts){ 0 }, calls_cols,
			  calls_ncols, calls_defs, ARRAY_SIZE(calls_defs), &csel) ||
	    table_columns(section == 2 ? &o->out : &(struct outopts){ 0 }, failures_cols,
			  failures_ncols, failures_defs, ARRAY_SIZE(failures_defs), &fsel))
		return HV_EXIT_USAGE;
	if (status_read(&s, "domain counts and hypercall statistics"))
		return HV_EXIT_FAIL;
	if (status_summary(&s, &o->out, &kv))
		goto out;
	tbs[0] = kv_table(&kv, "status", &o->out);
	tbs[1] = table_new("calls", &o->out);
	tbs[2] = table_new("failures", &o->out);
	/* without debugfs the tables get no columns: null in JSON, not [] */
	if (!tbs[0] || !tbs[1] || !tbs[2] ||
	    (s.have_debugfs && (table_add_columns(tbs[1], calls_cols, &csel, &o->out) ||
				table_add_columns(tbs[2], failures_cols, &fsel, &o->out))) ||
	    table_fill(tbs[1], &csel, s.stats.ncalls, call_cell, &s.stats) ||
	    table_fill(tbs[2], &fsel, s.stats.nstatuses, failure_cell, &s.stats))
		goto out;
	if (section < 3 ? !table_print(tbs[section], &o->out) : !table_print_all(tbs, 3, &o->out))
		rc = HV_EXIT_OK;
out:
	for (i = 0; i < ARRAY_SIZE(tbs); i++)
		scols_unref_table(tbs[i]);
	kv_free(&kv);
	status_free(&s);
	return rc;
}
