// SPDX-License-Identifier: GPL-2.0-or-later
/* parse.c - pure parsers and formatters for hv_iommu's text interfaces
 * (formats: doc/interfaces.md; API: parse.h).  No I/O. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <search.h>
#include <string.h>

#include "parse.h"

/* Sets ERR's message; returns -1.  ERR may be NULL. */
int perr_set(struct perr *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Value 0..15 of hex digit C, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whole-string unsigned 64-bit number, decimal or 0x-hex (parse.h). */
int parse_u64(const char *s, uint64_t *out, struct perr *err)
{
	uint64_t v = 0;
	const char *p = s;

	if (!s || !*s)
		return perr_set(err, "empty number");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!*p)
			return perr_set(err, "invalid number '%s'", s);
		for (; *p; p++) {
			int d = hexval((unsigned char)*p);

			if (d < 0)
				return perr_set(err, "invalid number '%s'", s);
			if (v > UINT64_MAX >> 4)
				return perr_set(err, "number '%s' out of range", s);
			v = v << 4 | (uint64_t)d;
		}
	} else {
		for (; *p; p++) {
			unsigned d;

			if (*p < '0' || *p > '9')
				return perr_set(err, "invalid number '%s'", s);
			d = (unsigned)(*p - '0');
			if (v > (UINT64_MAX - d) / 10)
				return perr_set(err, "number '%s' out of range", s);
			v = v * 10 + d;
		}
	}
	*out = v;
	return 0;
}

/* lsblk-style human size with one-letter suffix (parse.h).  Rounds to one
 * decimal, half up; "1023.96K" becomes "1M", as util-linux does. */
void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "BKMGTPE";
	unsigned exp = 0;
	uint64_t whole, tenths;

	while (exp < 6 && bytes >= (UINT64_C(1) << (10 * (exp + 1))))
		exp++;
	if (exp == 0) {
		snprintf(buf, len, "%" PRIu64 "B", bytes);
		return;
	}
	whole = bytes >> (10 * exp);
	/* tenths of the remainder, rounded half up */
	{
		uint64_t rem = bytes & ((UINT64_C(1) << (10 * exp)) - 1);
		/* rem * 10 may overflow for exp 6 (E): scale down first */
		unsigned shift = 10 * exp;
		uint64_t unit_half;

		if (shift > 50) {
			rem >>= shift - 50;
			shift = 50;
		}
		unit_half = UINT64_C(1) << (shift - 1);
		tenths = (rem * 10 + unit_half) >> shift;
	}
	if (tenths == 10) {
		whole++;
		tenths = 0;
		if (whole == 1024 && exp < 6) {
			whole = 1;
			exp++;
		}
	}
	if (tenths)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", whole, tenths, suffix[exp]);
	else
		snprintf(buf, len, "%" PRIu64 "%c", whole, suffix[exp]);
}

/* Parses exactly N hex digits at S into *OUT; returns 0 or -1. */
static int hexn(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = hexval((unsigned char)s[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

/* "SSSS:BB:DD.F" or (ALLOW_SHORT) "BB:DD.F", exactly LEN bytes (parse.h). */
int bdf_parse_n(const char *s, size_t len, int allow_short, struct bdf *out)
{
	unsigned seg = 0, bus, dev, fn;

	if (len == 12) {
		if (s[4] != ':' || hexn(s, 4, &seg))
			return -1;
		s += 5;
	} else if (len != 7 || !allow_short) {
		return -1;
	}
	/* s is "BB:DD.F" */
	if (s[2] != ':' || s[5] != '.' ||
	    hexn(s, 2, &bus) || hexn(s + 3, 2, &dev) || hexn(s + 6, 1, &fn))
		return -1;
	if (dev > 0x1f || fn > 7)
		return -1;
	out->seg = (uint16_t)seg;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	return 0;
}

/* Command-line BDF (short form allowed). */
int bdf_parse(const char *s, struct bdf *out)
{
	return bdf_parse_n(s, strlen(s), 1, out);
}

/* Canonical lower-case "ssss:bb:dd.f". */
void bdf_format(const struct bdf *b, char buf[BDF_STRLEN])
{
	snprintf(buf, BDF_STRLEN, "%04x:%02x:%02x.%x", (unsigned)b->seg, (unsigned)b->bus,
		 (unsigned)b->dev & 0x1f, (unsigned)b->fn & 7);
}

/* Total order on BDFs. */
int bdf_cmp(const struct bdf *a, const struct bdf *b)
{
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	return 0;
}

/* bdf_cmp() for qsort(3). */
static int bdf_qsort_cmp(const void *a, const void *b)
{
	return bdf_cmp(a, b);
}

/* Appends B to L (doubling growth). */
int bdf_list_add(struct bdf_list *l, const struct bdf *b)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct bdf *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *b;
	return 0;
}

/* array_find(): contract (arguments, units, errors) in parse.h.  Linear
 * (lfind): the lists are short and kept in the order they are shown. */
void *array_find(const void *key, const void *base, size_t n, size_t size,
		 int (*cmp)(const void *key, const void *elem))
{
	return lfind(key, base, &n, size, cmp);
}

/* bdf_key_cmp(): contract (arguments, units, errors) in parse.h. */
int bdf_key_cmp(const void *key, const void *elem)
{
	return bdf_cmp(key, elem);
}

/* u64_key_cmp(): contract (arguments, units, errors) in parse.h. */
int u64_key_cmp(const void *key, const void *elem)
{
	return *(const uint64_t *)key != *(const uint64_t *)elem;
}

/* Index of B in L, or -1. */
long bdf_list_find(const struct bdf_list *l, const struct bdf *b)
{
	const struct bdf *p = array_find(b, l->v, l->n, sizeof(*l->v), bdf_key_cmp);

	return p ? (long)(p - l->v) : -1;
}

/* Removes element IDX keeping order. */
void bdf_list_remove(struct bdf_list *l, size_t idx)
{
	if (idx >= l->n)
		return;
	memmove(&l->v[idx], &l->v[idx + 1], (l->n - idx - 1) * sizeof(l->v[0]));
	l->n--;
}

/* bdf_list_free(): contract (arguments, units, errors) in parse.h. */
void bdf_list_free(struct bdf_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* "a,b,c" of full BDFs, or "-" (debugfs `domains` devices=). */
int bdf_csv_parse(const char *s, struct bdf_list *out, struct perr *err)
{
	const char *p = s;

	if (!strcmp(s, "-"))
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		struct bdf b;

		if (bdf_parse_n(p, n, 0, &b))
			return perr_set(err, "invalid PCI address '%.*s' in list '%s'", (int)n, p, s);
		if (bdf_list_add(out, &b))
			return perr_set(err, "out of memory");
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* pci_devs_to_skip: "(SSSS:BB:DD.F)..." with optional white space. */
int skiplist_parse(const char *s, struct bdf_list *out, struct perr *err)
{
	size_t i = 0;

	for (;;) {
		const char *close;
		struct bdf b;

		while (isspace((unsigned char)s[i]))
			i++;
		if (!s[i])
			return 0;
		if (s[i] != '(')
			return perr_set(err, "expected '(' at position %zu", i);
		close = strchr(s + i + 1, ')');
		if (!close)
			return perr_set(err, "missing ')' after position %zu", i);
		if (bdf_parse_n(s + i + 1, (size_t)(close - (s + i + 1)), 0, &b))
			return perr_set(err, "invalid PCI address '%.*s' at position %zu",
					(int)(close - (s + i + 1)), s + i + 1, i + 1);
		if (bdf_list_add(out, &b))
			return perr_set(err, "out of memory");
		i = (size_t)(close - s) + 1;
	}
}

/* Every BDF of L as OPEN bdf CLOSE, SEP between them (malloc'd). */
char *bdf_list_join(const struct bdf_list *l, const char *open, const char *close,
		    const char *sep)
{
	size_t each = strlen(open) + BDF_STRLEN + strlen(close) + strlen(sep);
	char *s = malloc(l->n * each + 1);
	size_t i, off = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < l->n; i++) {
		char b[BDF_STRLEN];

		bdf_format(&l->v[i], b);
		off += (size_t)sprintf(s + off, "%s%s%s%s", i ? sep : "", open, b, close);
	}
	return s;
}

/* Canonical "(ssss:bb:dd.f)..." (malloc'd). */
char *skiplist_format(const struct bdf_list *l)
{
	return bdf_list_join(l, "(", ")", "");
}

/* Splits a debugfs line into tag and key=value fields, in place. */
int record_parse(char *line, struct record *rec, struct perr *err)
{
	char *save = NULL, *tok;
	int first = 1;

	rec->tag = NULL;
	rec->n = 0;
	for (tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save), first = 0) {
		char *eq = strchr(tok, '=');

		if (!eq) {
			if (first) {
				rec->tag = tok;
				continue;
			}
			return perr_set(err, "field '%s' is not key=value", tok);
		}
		if (eq == tok)
			return perr_set(err, "field '%s' has an empty key", tok);
		if (rec->n == RECORD_MAX_FIELDS)
			return perr_set(err, "more than %d fields", RECORD_MAX_FIELDS);
		*eq = '\0';
		rec->f[rec->n].key = tok;
		rec->f[rec->n].val = eq + 1;
		rec->n++;
	}
	return 0;
}

/* record_get(): contract (arguments, units, errors) in parse.h. */
const char *record_get(const struct record *rec, const char *key)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (!strcmp(rec->f[i].key, key))
			return rec->f[i].val;
	return NULL;
}

/* record_need(): contract (arguments, units, errors) in parse.h. */
const char *record_need(const struct record *rec, const char *key, struct perr *err)
{
	const char *v = record_get(rec, key);

	if (!v)
		perr_set(err, "missing key '%s'", key);
	return v;
}

/* record_need_u64(): contract (arguments, units, errors) in parse.h. */
int record_need_u64(const struct record *rec, const char *key, uint64_t *out, struct perr *err)
{
	const char *v = record_need(rec, key, err);

	if (!v)
		return -1;
	if (parse_u64(v, out, NULL))
		return perr_set(err, "key '%s': invalid number '%s'", key, v);
	return 0;
}

/* strdup of a required key's value into *OUT. */
static int need_str(const struct record *rec, const char *key, char **out, struct perr *err)
{
	const char *v = record_need(rec, key, err);

	if (!v)
		return -1;
	*out = strdup(v);
	if (!*out)
		return perr_set(err, "out of memory");
	return 0;
}

/* Required full BDF key. */
static int need_bdf(const struct record *rec, const char *key, struct bdf *out, struct perr *err)
{
	const char *v = record_need(rec, key, err);

	if (!v)
		return -1;
	if (bdf_parse_n(v, strlen(v), 0, out))
		return perr_set(err, "key '%s': invalid PCI address '%s'", key, v);
	return 0;
}

/* debugfs `domains` record -> struct domain. */
int domain_from_record(const struct record *rec, struct domain *d, struct perr *err)
{
	const char *v;

	memset(d, 0, sizeof(*d));
	if (record_need_u64(rec, "id", &d->id, err) ||
	    need_str(rec, "type", &d->type, err) ||
	    need_str(rec, "mode", &d->mode, err) ||
	    need_str(rec, "partition", &d->partition, err) ||
	    record_need_u64(rec, "mapped_bytes", &d->mapped_bytes, err) ||
	    record_need_u64(rec, "mappings", &d->mappings, err))
		goto fail;
	v = record_need(rec, "devices", err);
	if (!v || bdf_csv_parse(v, &d->devices, err))
		goto fail;
	/* The driver lists devices in attach order; operators read BDF order. */
	qsort(d->devices.v, d->devices.n, sizeof(*d->devices.v), bdf_qsort_cmp);
	v = record_get(rec, "state");
	d->state = strdup(v ? v : "live");
	if (!d->state) {
		perr_set(err, "out of memory");
		goto fail;
	}
	return 0;
fail:
	domain_free(d);
	return -1;
}

/* domain_free(): contract (arguments, units, errors) in parse.h. */
void domain_free(struct domain *d)
{
	free(d->type);
	free(d->mode);
	free(d->partition);
	free(d->state);
	bdf_list_free(&d->devices);
	d->type = d->mode = d->partition = d->state = NULL;
}

/* debugfs `devices` record -> struct hv_device. */
int device_from_record(const struct record *rec, struct hv_device *d, struct perr *err)
{
	const char *v;

	memset(d, 0, sizeof(*d));
	if (need_bdf(rec, "bdf", &d->bdf, err) ||
	    record_need_u64(rec, "domain", &d->domain, err) ||
	    need_str(rec, "state", &d->state, err) ||
	    record_need_u64(rec, "status", &d->status, err))
		goto fail;
	v = record_get(rec, "device_id");
	if (v && parse_u64(v, &d->device_id, NULL)) {
		perr_set(err, "key 'device_id': invalid number '%s'", v);
		goto fail;
	}
	v = record_get(rec, "logical_id");
	if (v) {
		if (parse_u64(v, &d->logical_id, NULL)) {
			perr_set(err, "key 'logical_id': invalid number '%s'", v);
			goto fail;
		}
		d->has_logical_id = 1;
	}
	return 0;
fail:
	device_free(d);
	return -1;
}

/* device_free(): contract (arguments, units, errors) in parse.h. */
void device_free(struct hv_device *d)
{
	free(d->state);
	d->state = NULL;
}

/* debugfs `skipped` record -> struct hv_skipped. */
int skipped_from_record(const struct record *rec, struct hv_skipped *s, struct perr *err)
{
	const char *v;

	memset(s, 0, sizeof(*s));
	if (need_bdf(rec, "bdf", &s->bdf, err))
		return -1;
	v = record_get(rec, "reason");
	s->reason = strdup(v ? v : "-");
	if (!s->reason)
		return perr_set(err, "out of memory");
	return 0;
}

/* skipped_free(): contract (arguments, units, errors) in parse.h. */
void skipped_free(struct hv_skipped *s)
{
	free(s->reason);
	s->reason = NULL;
}

/* synic_from_record(): contract (arguments, units, errors) in parse.h. */
int synic_from_record(const struct record *rec, struct hv_synic *s, struct perr *err)
{
	char **opt[] = { &s->enabled, &s->masked, &s->vector, &s->page, &s->delivered };
	static const char *const optkey[] = { "enabled", "masked", "vector", "page", "delivered" };
	size_t i;

	memset(s, 0, sizeof(*s));
	if (record_need_u64(rec, "cpu", &s->cpu, err) ||
	    need_str(rec, "resource", &s->resource, err) ||
	    need_str(rec, "owner", &s->owner, err) ||
	    need_str(rec, "online", &s->online, err))
		goto fail;
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if (need_str(rec, optkey[i], opt[i], err))
			goto fail;
		if (!strcmp(*opt[i], "-")) {
			free(*opt[i]);
			*opt[i] = NULL;
		}
	}
	return 0;
fail:
	synic_free(s);
	return -1;
}

/* synic_free(): contract (arguments, units, errors) in parse.h. */
void synic_free(struct hv_synic *s)
{
	free(s->resource);
	free(s->owner);
	free(s->online);
	free(s->enabled);
	free(s->masked);
	free(s->vector);
	free(s->page);
	free(s->delivered);
	memset(s, 0, sizeof(*s));
}

/* array_grow(): contract (arguments, units, errors) in parse.h. */
void *array_grow(void **v, size_t *n, size_t size)
{
	char *p = realloc(*v, (*n + 1) * size);

	if (!p)
		return NULL;
	*v = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

/* One `stats` line into ST by tag. */
int stats_add_record(const struct record *rec, struct hv_stats *st, struct perr *err)
{
	if (!rec->tag)
		return 0;
	if (!strcmp(rec->tag, "call")) {
		struct hv_stat_call c = { 0 }, *slot;

		if (need_str(rec, "name", &c.name, err))
			return -1;
		if (record_need_u64(rec, "code", &c.code, err) ||
		    record_need_u64(rec, "calls", &c.calls, err) ||
		    record_need_u64(rec, "reps", &c.reps, err) ||
		    record_need_u64(rec, "failures", &c.failures, err)) {
			free(c.name);
			return -1;
		}
		slot = array_grow((void **)&st->calls, &st->ncalls, sizeof(*slot));
		if (!slot) {
			free(c.name);
			return perr_set(err, "out of memory");
		}
		*slot = c;
	} else if (!strcmp(rec->tag, "status")) {
		struct hv_stat_status s = { 0 }, *slot;
		const char *name = record_get(rec, "name");

		if (record_need_u64(rec, "code", &s.code, err) ||
		    record_need_u64(rec, "count", &s.count, err))
			return -1;
		s.name = strdup(name ? name : "-");
		if (!s.name)
			return perr_set(err, "out of memory");
		slot = array_grow((void **)&st->statuses, &st->nstatuses, sizeof(*slot));
		if (!slot) {
			free(s.name);
			return perr_set(err, "out of memory");
		}
		*slot = s;
	} else if (!strcmp(rec->tag, "deposits")) {
		if (record_need_u64(rec, "calls", &st->deposit_calls, err) ||
		    record_need_u64(rec, "pages", &st->deposit_pages, err))
			return -1;
	} else if (!strcmp(rec->tag, "resumes")) {
		if (record_need_u64(rec, "count", &st->resumes, err))
			return -1;
	} else if (!strcmp(rec->tag, "pinned_leaked")) {
		if (record_need_u64(rec, "pages", &st->pinned_leaked_pages, err))
			return -1;
	}
	/* other tags: newer counters this hvctl does not know; ignored */
	return 0;
}

/* stats_free(): contract (arguments, units, errors) in parse.h. */
void stats_free(struct hv_stats *st)
{
	size_t i;

	for (i = 0; i < st->ncalls; i++)
		free(st->calls[i].name);
	for (i = 0; i < st->nstatuses; i++)
		free(st->statuses[i].name);
	free(st->calls);
	free(st->statuses);
	memset(st, 0, sizeof(*st));
}

/* Parses a 0x-prefixed number of LEN bytes at S. */
static int hex_field(const char *s, size_t len, uint64_t *out)
{
	char buf[24];

	if (len < 3 || len >= sizeof(buf) || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return parse_u64(buf, out, NULL);
}

/* "0xFIRST-0xLAST 0xPHYS PERM" (debugfs mappings/<id>). */
int mapping_parse(const char *line, struct mapping *m, struct perr *err)
{
	const char *p = line, *tok[3];
	size_t len[3], i;
	const char *dash;

	for (i = 0; i < 3; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		tok[i] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		len[i] = (size_t)(p - tok[i]);
		if (!len[i])
			return perr_set(err, "expected 'FIRST-LAST PHYS PERM', got %zu field%s",
					i, i == 1 ? "" : "s");
	}
	dash = memchr(tok[0], '-', len[0]);
	if (!dash || hex_field(tok[0], (size_t)(dash - tok[0]), &m->first) ||
	    hex_field(dash + 1, len[0] - (size_t)(dash - tok[0]) - 1, &m->last))
		return perr_set(err, "invalid IOVA range '%.*s'", (int)len[0], tok[0]);
	if (hex_field(tok[1], len[1], &m->phys))
		return perr_set(err, "invalid physical address '%.*s'", (int)len[1], tok[1]);
	if (len[2] == 1 && tok[2][0] == 'r')
		m->perm = MAP_PERM_R;
	else if (len[2] == 2 && !strncmp(tok[2], "rw", 2))
		m->perm = MAP_PERM_R | MAP_PERM_W;
	else
		return perr_set(err, "invalid permissions '%.*s' (expected r or rw)",
				(int)len[2], tok[2]);
	return mapping_check(m, err);
}

/* mapping_check(): contract (arguments, units, errors) in parse.h. */
int mapping_check(const struct mapping *m, struct perr *err)
{
	if (m->first > m->last)
		return perr_set(err, "IOVA range 0x%016" PRIx64 "-0x%016" PRIx64
				" ends before it starts", m->first, m->last);
	if (m->first == 0 && m->last == UINT64_MAX)
		return perr_set(err, "IOVA range 0x%016" PRIx64 "-0x%016" PRIx64
				" covers the whole address space", m->first, m->last);
	return 0;
}

/* mapping_size(): contract (arguments, units, errors) in parse.h. */
uint64_t mapping_size(const struct mapping *m)
{
	return m->last - m->first + 1;
}

/* mapping_perm_str(): contract (arguments, units, errors) in parse.h. */
const char *mapping_perm_str(unsigned perm)
{
	return (perm & MAP_PERM_W) ? "rw" : "r";
}

/* "pci:vVVVVVVVVdDDDDDDDD..." -> vendor, device. */
int modalias_pci_ids(const char *modalias, unsigned *vendor, unsigned *device)
{
	if (strncmp(modalias, "pci:v", 5) || strlen(modalias) < 23 || modalias[13] != 'd')
		return -1;
	if (hexn(modalias + 5, 8, vendor) || hexn(modalias + 14, 8, device))
		return -1;
	return 0;
}
