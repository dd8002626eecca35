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
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "debugfs.h"
#include "err.h"
#include "paths.h"
#include "sysfs.h"

/* Counts of domains by type/state in DL. */
struct domain_counts {
	uint64_t identity, blocked, paging, stranded;
};

/* Counts DL's domains by type (debugfs domains type=) and those not live (state=). */
static void count_domains(const struct domain_list *dl, struct domain_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < dl->n; i++) {
		const struct domain *d = &dl->v[i];

		if (!strcmp(d->type, "identity"))
			c->identity++;
		else if (!strcmp(d->type, "blocked"))
			c->blocked++;
		else if (!strcmp(d->type, "paging"))
			c->paging++;
		if (strcmp(d->state, "live"))
			c->stranded++;
	}
}

/* The skip list as "a,b" (table) or "a\nb" (JSON array); "-"/"" if empty. */
static char *skip_cell(const struct bdf_list *l, const struct outopts *o)
{
	const char *sep = table_list_sep(o);
	char *s = malloc(l->n * (BDF_STRLEN + 1) + 2);
	size_t i, off = 0;

	if (!s)
		return NULL;
	strcpy(s, (l->n || o->json) ? "" : "-");
	for (i = 0; i < l->n; i++) {
		char b[BDF_STRLEN];

		bdf_format(&l->v[i], b);
		off += (size_t)sprintf(s + off, "%s%s", i ? sep : "", b);
	}
	return s;
}

/* Builds the "calls" table: one row per hypercall code in `stats`. */
static struct libscols_table *calls_table(const struct hv_stats *st, const struct outopts *o)
{
	static const struct colinfo cols[] = {
		{ "NAME", NULL, 0, 0, SCOLS_JSON_STRING, "" },
		{ "CODE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "" },
		{ "CALLS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
		{ "REPS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
		{ "FAILURES", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
	};
	static const int all[] = { 0, 1, 2, 3, 4 };
	struct libscols_table *tb = table_new("calls", o);
	struct colsel sel;
	size_t i;

	colsel_init(&sel, all, 5);
	if (!tb || table_add_columns(tb, cols, &sel, o))
		goto fail;
	for (i = 0; i < st->ncalls; i++) {
		const struct hv_stat_call *c = &st->calls[i];
		struct libscols_line *ln = table_new_line(tb);
		char code[24], calls[24], reps[24], fails[24];

		snprintf(code, sizeof(code), "0x%" PRIx64, c->code);
		snprintf(calls, sizeof(calls), "%" PRIu64, c->calls);
		snprintf(reps, sizeof(reps), "%" PRIu64, c->reps);
		snprintf(fails, sizeof(fails), "%" PRIu64, c->failures);
		if (!ln || table_set(ln, 0, c->name) || table_set(ln, 1, code) ||
		    table_set(ln, 2, calls) || table_set(ln, 3, reps) || table_set(ln, 4, fails))
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

/* Builds the "failures" table: one row per non-success status seen. */
static struct libscols_table *failures_table(const struct hv_stats *st, const struct outopts *o)
{
	static const struct colinfo cols[] = {
		{ "STATUS", NULL, 0, 0, SCOLS_JSON_STRING, "" },
		{ "CODE", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "" },
		{ "COUNT", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
	};
	static const int all[] = { 0, 1, 2 };
	struct libscols_table *tb = table_new("failures", o);
	struct colsel sel;
	size_t i;

	colsel_init(&sel, all, 3);
	if (!tb || table_add_columns(tb, cols, &sel, o))
		goto fail;
	for (i = 0; i < st->nstatuses; i++) {
		const struct hv_stat_status *s = &st->statuses[i];
		struct libscols_line *ln = table_new_line(tb);
		char code[24], count[24];

		snprintf(code, sizeof(code), "0x%" PRIx64, s->code);
		snprintf(count, sizeof(count), "%" PRIu64, s->count);
		if (!ln || table_set(ln, 0, s->name) || table_set(ln, 1, code) ||
		    table_set(ln, 2, count))
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

/* hvctl status: sysfs backend, role, attach_mode, pci_devs_to_skip, domains_in_use,
 * debugfs domains (counted) and stats; one summary and two tables (calls,
 * failures), or one JSON document. */
int cmd_status(const struct opts *o, int argc, char **argv)
{
	char *backend = NULL, *role = NULL, *attach = NULL, *skip = NULL;
	struct bdf_list cfg = { 0 };
	struct domain_list dl = { 0 };
	struct hv_stats st = { 0 };
	struct domain_counts c;
	struct kvtable kv = { 0 };
	struct libscols_table *tbs[3] = { NULL, NULL, NULL };
	uint64_t in_use;
	int rc = HV_EXIT_FAIL;

	if (argc > 0) {
		hv_err("status: unexpected argument '%s'", argv[0]);
		return HV_EXIT_USAGE;
	}
	if (o->columns) {
		hv_err("status: --output is not supported (status has several tables)");
		return HV_EXIT_USAGE;
	}
	if (paths_require_debugfs() ||
	    sysfs_read(HV_CLASS_BACKEND, &backend) ||
	    sysfs_read(HV_CLASS_ROLE, &role) ||
	    sysfs_read(HV_PARAM_ATTACH_MODE, &attach) ||
	    sysfs_read_skiplist(&cfg) ||
	    sysfs_read_u64(HV_CLASS_DOMAINS_IN_USE, &in_use) ||
	    debugfs_read_domains(&dl) ||
	    debugfs_read_stats(&st))
		goto out;
	count_domains(&dl, &c);
	skip = skip_cell(&cfg, &o->out);
	if (!skip) {
		hv_err_nomem();
		goto out;
	}
	if (kv_add(&kv, "backend", SCOLS_JSON_STRING, "%s", backend) ||
	    kv_add(&kv, "role", SCOLS_JSON_STRING, "%s", role) ||
	    kv_add(&kv, "attach_mode", SCOLS_JSON_STRING, "%s", attach) ||
	    kv_add(&kv, "skip", SCOLS_JSON_ARRAY_STRING, "%s", skip) ||
	    kv_add(&kv, "domains_in_use", SCOLS_JSON_NUMBER, "%" PRIu64, in_use) ||
	    kv_add(&kv, "identity_domains", SCOLS_JSON_NUMBER, "%" PRIu64, c.identity) ||
	    kv_add(&kv, "blocked_domains", SCOLS_JSON_NUMBER, "%" PRIu64, c.blocked) ||
	    kv_add(&kv, "paging_domains", SCOLS_JSON_NUMBER, "%" PRIu64, c.paging) ||
	    kv_add(&kv, "stranded_domains", SCOLS_JSON_NUMBER, "%" PRIu64, c.stranded) ||
	    kv_add(&kv, "deposit_calls", SCOLS_JSON_NUMBER, "%" PRIu64, st.deposit_calls) ||
	    kv_add(&kv, "deposit_pages", SCOLS_JSON_NUMBER, "%" PRIu64, st.deposit_pages) ||
	    kv_add(&kv, "resumes", SCOLS_JSON_NUMBER, "%" PRIu64, st.resumes) ||
	    kv_add(&kv, "pinned_leaked_pages", SCOLS_JSON_NUMBER, "%" PRIu64,
		   st.pinned_leaked_pages))
		goto out;
	tbs[0] = kv_table(&kv, "status", &o->out);
	tbs[1] = calls_table(&st, &o->out);
	tbs[2] = failures_table(&st, &o->out);
	if (!tbs[0] || !tbs[1] || !tbs[2])
		goto out;
	if (!table_print_all(tbs, 3, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tbs[0]);
	scols_unref_table(tbs[1]);
	scols_unref_table(tbs[2]);
	kv_free(&kv);
	stats_free(&st);
	domain_list_free(&dl);
	bdf_list_free(&cfg);
	free(skip);
	free(attach);
	free(role);
	free(backend);
	return rc;
}
