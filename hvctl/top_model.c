// SPDX-License-Identifier: GPL-2.0-or-later
/* top_model.c - hvctl top's samples, rates and screen lines (top.h). */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "paths.h"
#include "sysfs.h"
#include "top.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sample_free(struct top_sample *s)
{
	status_free(&s->st);
	synic_list_free(&s->synic);
	region_list_free(&s->regions);
	memset(s, 0, sizeof(*s));
}

static struct top_traffic *traffic_of(struct top_traffic *v, size_t n, uint64_t domain)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].domain == domain)
			return &v[i];
	return NULL;
}

/* top_sample(): contract in top.h. */
int top_sample(struct top_model *m)
{
	struct top_sample s = { 0 };
	char *mode = NULL;
	double dt;
	size_t i;

	if (status_read(&s.st, "domains and hypercall statistics"))
		return -1;
	/* hv_vmm is optional: no SynIC or MMIO section without it. */
	if (!paths_require_loaded_quiet("hv_vmm") &&
	    (debugfs_read_synic(&s.synic) || debugfs_read_regions(&s.regions) ||
	     sysfs_read(HV_VMM_PARAM_MMIO_MODE, &mode))) {
		sample_free(&s);
		return -1;
	}
	if (mode) {
		snprintf(s.mmio_mode, sizeof(s.mmio_mode), "%.*s", (int)strcspn(mode, "\n"), mode);
		free(mode);
	}
	s.t = now();
	if (m->have_prev || m->cur.t)
		sample_free(&m->prev);
	m->prev = m->cur;
	m->have_prev = m->prev.t != 0;
	m->cur = s;
	/* This interval's traffic becomes the per-second rate. */
	free(m->rate);
	m->rate = m->traffic;
	m->nrate = m->ntraffic;
	m->traffic = NULL;
	m->ntraffic = 0;
	dt = m->have_prev ? m->cur.t - m->prev.t : 0;
	for (i = 0; i < m->nrate; i++) {
		struct top_traffic *r = &m->rate[i];

		if (dt <= 0) {
			r->map_calls = r->map_bytes = r->unmap_calls = r->unmap_bytes = 0;
			continue;
		}
		r->map_calls = (uint64_t)((double)r->map_calls / dt + 0.5);
		r->map_bytes = (uint64_t)((double)r->map_bytes / dt + 0.5);
		r->unmap_calls = (uint64_t)((double)r->unmap_calls / dt + 0.5);
		r->unmap_bytes = (uint64_t)((double)r->unmap_bytes / dt + 0.5);
	}
	return 0;
}

/* top_event(): contract in top.h. */
int top_event(const struct nl_event *ev, void *model)
{
	struct top_model *m = model;
	struct top_traffic *t;
	int map = !strcmp(ev->type, "map");

	m->events++;
	if (ev->dropped > 0)
		m->dropped += (uint64_t)ev->dropped;
	if ((!map && strcmp(ev->type, "unmap")) || ev->domain < 0 || ev->calls < 0 || ev->bytes < 0)
		return 0;
	t = traffic_of(m->traffic, m->ntraffic, (uint64_t)ev->domain);
	if (!t) {
		t = array_grow((void **)&m->traffic, &m->ntraffic, sizeof(*t));
		if (!t)
			return hv_err_nomem();
		t->domain = (uint64_t)ev->domain;
	}
	if (map) {
		t->map_calls += (uint64_t)ev->calls;
		t->map_bytes += (uint64_t)ev->bytes;
	} else {
		t->unmap_calls += (uint64_t)ev->calls;
		t->unmap_bytes += (uint64_t)ev->bytes;
	}
	return 0;
}

/* top_model_free(): contract in top.h. */
void top_model_free(struct top_model *m)
{
	sample_free(&m->prev);
	sample_free(&m->cur);
	free(m->traffic);
	free(m->rate);
	memset(m, 0, sizeof(*m));
}

/* ---- layout ---------------------------------------------------------- */

struct out {
	void (*line)(int row, enum top_attr attr, const char *text, void *arg);
	void *arg;
	int width, rows, row;
};

static void emit(struct out *o, enum top_attr attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emit(struct out *o, enum top_attr attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (o->rows && o->row >= o->rows)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (o->width > 0 && (size_t)o->width < sizeof(buf))
		buf[o->width] = '\0';
	o->line(o->row++, attr, buf, o->arg);
}

static const char *size_str(uint64_t v, char *buf, size_t len)
{
	format_size(v, buf, len);
	return buf;
}

/* A rate cell: the number, or "-" without events. */
static const char *rate_str(const struct top_model *m, uint64_t v, int bytes, char *buf, size_t len)
{
	if (!m->have_events || !m->have_prev)
		return "-";
	if (bytes)
		return size_str(v, buf, len);
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

static int matches(const struct top_view *v, const char *text)
{
	return !v->filter[0] || strstr(text, v->filter);
}

/* The domain's device list as "a,b" ("-" if none). */
static void devices_str(const struct domain *d, char *buf, size_t len)
{
	char b[BDF_STRLEN];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < d->devices.n && n + BDF_STRLEN + 1 < len; i++) {
		bdf_format(&d->devices.v[i], b);
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", b);
	}
	if (!d->devices.n)
		snprintf(buf, len, "-");
}

/* The main screen's domains, filtered and sorted: indexes into cur. */
struct dsort {
	const struct top_model *m;
	enum top_sort sort;
};

static struct dsort dsort_ctx;	/* qsort has no argument */

static uint64_t map_rate(const struct top_model *m, uint64_t id)
{
	const struct top_traffic *t = traffic_of(m->rate, m->nrate, id);

	return t ? t->map_bytes : 0;
}

static int dom_cmp(const void *a, const void *b)
{
	const struct domain *x = &dsort_ctx.m->cur.st.domains.v[*(const size_t *)a];
	const struct domain *y = &dsort_ctx.m->cur.st.domains.v[*(const size_t *)b];
	uint64_t kx = 0, ky = 0;

	if (dsort_ctx.sort == TOP_SORT_MAPPED) {
		kx = x->mapped_bytes;
		ky = y->mapped_bytes;
	} else if (dsort_ctx.sort == TOP_SORT_MAPRATE) {
		kx = map_rate(dsort_ctx.m, x->id);
		ky = map_rate(dsort_ctx.m, y->id);
	}
	if (kx != ky)
		return kx < ky ? 1 : -1;	/* descending */
	return x->id < y->id ? -1 : x->id > y->id;
}

static size_t domain_rows(const struct top_model *m, const struct top_view *v, size_t **out)
{
	const struct domain_list *dl = &m->cur.st.domains;
	char devs[256], text[320];
	size_t i, n = 0, *idx = calloc(dl->n ? dl->n : 1, sizeof(*idx));

	*out = idx;
	if (!idx)
		return 0;
	for (i = 0; i < dl->n; i++) {
		devices_str(&dl->v[i], devs, sizeof(devs));
		snprintf(text, sizeof(text), "%" PRIu64 " %s %s %s", dl->v[i].id, dl->v[i].type,
			 dl->v[i].mode, devs);
		if (matches(v, text))
			idx[n++] = i;
	}
	dsort_ctx.m = m;
	dsort_ctx.sort = v->sort;
	qsort(idx, n, sizeof(*idx), dom_cmp);
	return n;
}

/* top_domain_at(): contract in top.h. */
int64_t top_domain_at(const struct top_model *m, const struct top_view *v, size_t i)
{
	size_t *idx, n = domain_rows(m, v, &idx);
	int64_t id = i < n ? (int64_t)m->cur.st.domains.v[idx[i]].id : -1;

	free(idx);
	return id;
}

static const char *const sort_names[] = { "id", "mapped", "map rate" };

/* hv_vmm's MMIO regions: partition, GPA, size, the mode in force, mapped. */
static void screen_mmio(const struct top_model *m, const struct top_view *v, struct out *o)
{
	const struct region_list *l = &m->cur.regions;
	char row[160], a[32], b[32];
	size_t i, shown = 0;

	if (!m->cur.mmio_mode[0])
		return;		/* hv_vmm not loaded */
	emit(o, TOP_TEXT, "%s", "");
	emit(o, TOP_HEADER, "%-10s %-18s %10s %-6s %10s %9s", "MMIO", "GPA", "SIZE", "MODE",
	     "MAPPED", "PAGES");
	for (i = 0; i < l->n; i++) {
		const struct vmm_region *r = &l->v[i];

		if (!r->mmio)
			continue;
		snprintf(row, sizeof(row), "%-10" PRIu64 " 0x%-16" PRIx64 " %10s %-6s %10s %9" PRIu64,
			 r->partition, r->gpa, size_str(r->size, a, sizeof(a)), m->cur.mmio_mode,
			 size_str(r->mapped_pages * 4096, b, sizeof(b)), r->mapped_pages);
		if (!matches(v, row))
			continue;
		emit(o, TOP_TEXT, "%s", row);
		shown++;
	}
	if (!shown)
		emit(o, TOP_TEXT, "(none)");
}

static size_t screen_main(const struct top_model *m, const struct top_view *v, struct out *o)
{
	const struct status *st = &m->cur.st;
	char a[32], b[32], c[32], d[32], devs[256];
	size_t *idx, n, i, j;

	emit(o, TOP_TEXT, "Domains: %" PRIu64 " paging (%" PRIu64 " stranded), %zu devices (%" PRIu64
	     " detach-failed)   sort: %s%s%s%s", st->paging, st->stranded, st->devices.n,
	     st->detach_failed, sort_names[v->sort], v->filter[0] ? "   filter: \"" : "",
	     v->filter, v->filter[0] ? "\"" : "");
	emit(o, TOP_HEADER, "%-10s %-8s %-6s %10s %9s %8s %8s %10s  %s", "ID", "TYPE", "MODE",
	     "MAPPED", "MAPPINGS", "MAPS/s", "UNMAPS/s", "MAP B/s", "DEVICES");
	n = domain_rows(m, v, &idx);
	for (i = 0; i < n; i++) {
		const struct domain *dm = &st->domains.v[idx[i]];
		const struct top_traffic *t = traffic_of(m->rate, m->nrate, dm->id);
		struct top_traffic zero = { 0 };

		if (!t)
			t = &zero;
		devices_str(dm, devs, sizeof(devs));
		emit(o, v->cursor == i ? TOP_SELECTED : TOP_TEXT,
		     "%-10" PRIu64 " %-8s %-6s %10s %9" PRIu64 " %8s %8s %10s  %s%s", dm->id, dm->type,
		     dm->mode, size_str(dm->mapped_bytes, a, sizeof(a)), dm->mappings,
		     rate_str(m, t->map_calls, 0, b, sizeof(b)),
		     rate_str(m, t->unmap_calls, 0, c, sizeof(c)),
		     rate_str(m, t->map_bytes, 1, d, sizeof(d)), devs,
		     strcmp(dm->state, "live") ? "  [stranded]" : "");
	}
	free(idx);

	emit(o, TOP_TEXT, "%s", "");
	emit(o, TOP_HEADER, "%-26s %6s %10s %10s %10s %12s", "HYPERCALL", "CODE", "CALLS/s",
	     "REPS/s", "FAILURES", "CALLS");
	for (i = 0; i < st->stats.ncalls; i++) {
		const struct hv_stat_call *cc = &st->stats.calls[i];
		const struct hv_stat_call *pc = NULL;
		double dt = m->have_prev ? m->cur.t - m->prev.t : 0;

		if (!cc->calls || !matches(v, cc->name))
			continue;
		for (j = 0; m->have_prev && j < m->prev.st.stats.ncalls; j++)
			if (m->prev.st.stats.calls[j].code == cc->code)
				pc = &m->prev.st.stats.calls[j];
		if (pc && dt > 0) {
			snprintf(a, sizeof(a), "%.0f", (double)(cc->calls - pc->calls) / dt);
			snprintf(b, sizeof(b), "%.0f", (double)(cc->reps - pc->reps) / dt);
		} else {
			snprintf(a, sizeof(a), "-");
			snprintf(b, sizeof(b), "-");
		}
		emit(o, TOP_TEXT, "%-26s 0x%04" PRIx64 " %10s %10s %10" PRIu64 " %12" PRIu64, cc->name,
		     cc->code, a, b, cc->failures, cc->calls);
	}

	emit(o, TOP_TEXT, "%s", "");
	emit(o, TOP_HEADER, "%-14s %s", "SKIPPED", "REASON");
	for (i = 0; i < st->skipped.n; i++) {
		char bdf[BDF_STRLEN];

		bdf_format(&st->skipped.v[i].bdf, bdf);
		if (matches(v, bdf) || matches(v, st->skipped.v[i].reason))
			emit(o, TOP_TEXT, "%-14s %s", bdf, st->skipped.v[i].reason);
	}
	if (!st->skipped.n)
		emit(o, TOP_TEXT, "(none)");

	if (m->cur.synic.n) {
		/* Per resource: its owner and on how many CPUs it is enabled. */
		char row[512];
		size_t len = 0;

		emit(o, TOP_TEXT, "%s", "");
		emit(o, TOP_HEADER, "%s", "SYNIC (resource owner enabled/CPUs)");
		for (i = 0; i < m->cur.synic.n; i++) {
			const struct hv_synic *s = &m->cur.synic.v[i];
			size_t on = 0, cpus = 0, seen = 0;

			for (j = 0; j < i && !seen; j++)
				seen = !strcmp(m->cur.synic.v[j].resource, s->resource);
			if (seen)
				continue;
			for (j = 0; j < m->cur.synic.n; j++) {
				if (strcmp(m->cur.synic.v[j].resource, s->resource))
					continue;
				cpus++;
				on += m->cur.synic.v[j].enabled && !strcmp(m->cur.synic.v[j].enabled, "1");
			}
			len += (size_t)snprintf(row + len, sizeof(row) - len, "%s%s %s %zu/%zu",
						len ? "   " : "", s->resource, s->owner, on, cpus);
			if (len >= sizeof(row))
				break;
		}
		emit(o, TOP_TEXT, "%s", row);
	}
	screen_mmio(m, v, o);
	return n;
}

struct map_walk {
	struct out *o;
	int left;
};

static int show_mapping(const struct mapping *mp, void *arg)
{
	struct map_walk *w = arg;
	char sz[32];

	if (w->left-- <= 0)
		return 1;	/* enough: stop the walk */
	format_size(mapping_size(mp), sz, sizeof(sz));
	emit(w->o, TOP_TEXT, "0x%016" PRIx64 "-0x%016" PRIx64 " 0x%016" PRIx64 " %-2s %10s",
	     mp->first, mp->last, mp->phys, mapping_perm_str(mp->perm), sz);
	return 0;
}

/* Devices of the drilled-into domain, in the domain's (BDF) order. */
static const struct domain *view_domain(const struct top_model *m, const struct top_view *v)
{
	return domain_list_find(&m->cur.st.domains, v->domain);
}

/* top_device_at(): contract in top.h. */
const char *top_device_at(const struct top_model *m, const struct top_view *v, size_t i,
			  char buf[16])
{
	const struct domain *d = view_domain(m, v);

	if (!d || i >= d->devices.n)
		return NULL;
	bdf_format(&d->devices.v[i], buf);
	return buf;
}

static size_t screen_domain(const struct top_model *m, const struct top_view *v, struct out *o)
{
	const struct domain *d = view_domain(m, v);
	const struct top_traffic *t;
	struct top_traffic zero = { 0 };
	struct map_walk w = { o, 0 };
	char a[32], b[32], c[32], r[32];
	size_t i;

	if (!d) {
		emit(o, TOP_TEXT, "Domain %" PRIu64 " no longer exists (Esc: back)", v->domain);
		return 0;
	}
	t = traffic_of(m->rate, m->nrate, d->id);
	if (!t)
		t = &zero;
	emit(o, TOP_TITLE, "Domain %" PRIu64 "   type %s   mode %s   partition %s   state %s", d->id,
	     d->type, d->mode, d->partition, d->state);
	emit(o, TOP_TEXT, "Mapped %s in %" PRIu64 " mappings   maps/s %s   unmaps/s %s   map B/s %s",
	     size_str(d->mapped_bytes, a, sizeof(a)), d->mappings,
	     rate_str(m, t->map_calls, 0, b, sizeof(b)), rate_str(m, t->unmap_calls, 0, c, sizeof(c)),
	     rate_str(m, t->map_bytes, 1, r, sizeof(r)));
	emit(o, TOP_TEXT, "%s", "");
	emit(o, TOP_HEADER, "%-14s %-18s %-14s %s", "DEVICE", "DEVICE_ID", "STATE", "STATUS");
	for (i = 0; i < d->devices.n; i++) {
		const struct hv_device *hd = device_list_find(&m->cur.st.devices, &d->devices.v[i]);
		char bdf[BDF_STRLEN];

		bdf_format(&d->devices.v[i], bdf);
		emit(o, v->cursor == i ? TOP_SELECTED : TOP_TEXT, "%-14s 0x%-16" PRIx64 " %-14s 0x%" PRIx64,
		     bdf, hd ? hd->device_id : 0, hd ? hd->state : "-", hd ? hd->status : 0);
	}
	if (!d->devices.n)
		emit(o, TOP_TEXT, "(no devices)");
	if (!strcmp(d->type, "paging")) {
		emit(o, TOP_TEXT, "%s", "");
		emit(o, TOP_HEADER, "%-37s %-18s %-2s %10s", "MAPPINGS (first 10)", "PHYS", "", "SIZE");
		w.left = 10;
		if (debugfs_foreach_mapping(d->id, show_mapping, &w) < 0 && w.left > 0)
			emit(o, TOP_TEXT, "(mappings not readable)");
	}
	return d->devices.n;
}

static size_t screen_device(const struct top_model *m, const struct top_view *v, struct out *o)
{
	const struct hv_device *hd = NULL;
	struct bdf b;

	if (!bdf_parse(v->device, &b))
		hd = device_list_find(&m->cur.st.devices, &b);
	if (!hd) {
		emit(o, TOP_TEXT, "Device %s is no longer probed (Esc: back)", v->device);
		return 0;
	}
	emit(o, TOP_TITLE, "Device %s", v->device);
	emit(o, TOP_TEXT, "device_id   0x%" PRIx64, hd->device_id);
	emit(o, TOP_TEXT, "domain      %" PRIu64, hd->domain);
	emit(o, TOP_TEXT, "state       %s", hd->state);
	emit(o, TOP_TEXT, "hv status   0x%" PRIx64 "%s", hd->status,
	     hd->status ? " (its last detach was refused)" : "");
	if (hd->has_logical_id)
		emit(o, TOP_TEXT, "logical_id  0x%" PRIx64 " (direct attach)", hd->logical_id);
	return 0;
}

static void screen_help(struct out *o)
{
	static const char *const keys[][2] = {
		{ "h, ?", "this help (any key: back)" },
		{ "q", "quit" },
		{ "s", "sort domains: id, mapped bytes, map rate" },
		{ "f", "filter rows by a substring (empty: all)" },
		{ "p, space", "pause / resume sampling" },
		{ "d", "set the refresh interval (seconds)" },
		{ "+, -", "interval doubled / halved" },
		{ "Up, Down", "select a domain (or a device of the domain)" },
		{ "Enter", "drill down into the domain, then the device" },
		{ "Esc, Left, Backspace", "back up one level" },
	};
	size_t i;

	emit(o, TOP_TITLE, "hvctl top: keys");
	emit(o, TOP_TEXT, "%s", "");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		emit(o, TOP_TEXT, "  %-22s %s", keys[i][0], keys[i][1]);
	emit(o, TOP_TEXT, "%s", "");
	emit(o, TOP_TEXT, "Rates come from hv_iommu's netlink events (map, unmap: coalesced per");
	emit(o, TOP_TEXT, "domain every 100 ms) and from the hypercall counters between samples.");
}

/* top_lines(): contract in top.h. */
size_t top_lines(const struct top_model *m, const struct top_view *v, int width, int rows,
		 void (*line)(int row, enum top_attr attr, const char *text, void *arg),
		 void *arg)
{
	struct out o = { line, arg, width, rows, 0 };
	char clock[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	emit(&o, TOP_TITLE, "hvctl top - %s   backend %s   role %s   interval %.1fs   %s%s   events %" PRIu64
	     "%s", clock, m->cur.st.backend ? m->cur.st.backend : "-",
	     m->cur.st.role ? m->cur.st.role : "-", v->delay,
	     nl_source() == 1 ? "netlink" : "debugfs", v->paused ? "   [paused]" : "", m->events,
	     m->dropped ? "   (events lost)" : "");
	switch (v->screen) {
	case TOP_HELP:
		screen_help(&o);
		return 0;
	case TOP_DOMAIN:
		return screen_domain(m, v, &o);
	case TOP_DEVICE:
		return screen_device(m, v, &o);
	case TOP_MAIN:
		break;
	}
	return screen_main(m, v, &o);
}
