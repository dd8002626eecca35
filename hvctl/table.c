// SPDX-License-Identifier: GPL-2.0-or-later
/* table.c - tables (libsmartcols) and JSON (json-c) output (see table.h). */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>

#include "err.h"
#include "table.h"

static char *lower(char *s);

/* Marks the one line of a summary: printed as an object in JSON. */
static char kv_marker;

/* colsel_init(): contract (arguments, units, errors) in table.h. */
void colsel_init(struct colsel *sel, const int *defs, size_t n)
{
	size_t i;

	memset(sel, 0, sizeof(*sel));
	for (i = 0; i < n && i < COLSEL_MAX; i++)
		sel->id[sel->n++] = defs[i];
}

/* colinfo_find(): contract (arguments, units, errors) in table.h. */
int colinfo_find(const struct colinfo *ci, size_t nci, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nci; i++)
		if (strlen(ci[i].name) == len && !strncasecmp(ci[i].name, name, len))
			return (int)i;
	return -1;
}

/* Position of column ID in SEL, or -1. */
static int colsel_pos(const struct colsel *sel, int id)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (sel->id[i] == id)
			return (int)i;
	return -1;
}

/* colsel_parse(): contract (arguments, units, errors) in table.h. */
int colsel_parse(const char *arg, const struct colinfo *ci, size_t nci,
		 struct colsel *sel, struct perr *err)
{
	struct colsel out = *sel;
	const char *p = arg;

	if (*p == '+') {
		p++;
	} else {
		out.n = 0;
		out.hidden = 0;
	}
	if (!*p)
		return perr_set(err, "empty column list");
	for (;;) {
		size_t len = strcspn(p, ",");
		int i = colinfo_find(ci, nci, p, len);

		if (i < 0)
			return perr_set(err, "unknown column '%.*s'", (int)len, p);
		if (colsel_pos(&out, i) < 0) {
			if (out.n == COLSEL_MAX)
				return perr_set(err, "too many columns");
			out.id[out.n++] = i;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*sel = out;
	return 0;
}

/* table_columns(): contract (arguments, units, errors) in table.h. */
int table_columns(const struct outopts *o, const struct colinfo *ci, size_t nci,
		  const int *defs, size_t ndefs, struct colsel *sel)
{
	struct perr err;
	int s;

	colsel_init(sel, defs, ndefs);
	if (o->all_columns) {
		sel->n = 0;
		for (s = 0; s < (int)nci && s < COLSEL_MAX; s++)
			sel->id[sel->n++] = s;
	}
	if (o->columns && colsel_parse(o->columns, ci, nci, sel, &err))
		return hv_err("%s (see hvctl --help)", err.msg);
	if (!o->sort)
		return 0;
	s = colinfo_find(ci, nci, o->sort, strlen(o->sort));
	if (s < 0)
		return hv_err("unknown sort column '%s' (see hvctl --help)", o->sort);
	if (colsel_pos(sel, s) < 0) {
		if (sel->n == COLSEL_MAX)
			return hv_err("too many columns");
		sel->hidden |= UINT32_C(1) << sel->n;
		sel->id[sel->n++] = s;
	}
	return 0;
}

/* colinfo_help(): contract (arguments, units, errors) in table.h. */
void colinfo_help(FILE *f, const struct colinfo *ci, size_t nci)
{
	size_t i;

	for (i = 0; i < nci; i++)
		fprintf(f, "  %-12s %s\n", ci[i].name, ci[i].help);
}

/* table_new(): contract (arguments, units, errors) in table.h. */
struct libscols_table *table_new(const char *name, const struct outopts *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb) {
		hv_err_nomem();
		return NULL;
	}
	if (scols_table_set_name(tb, name) ||
	    scols_table_enable_noheadings(tb, o->noheadings) ||
	    scols_table_enable_raw(tb, o->raw) ||
	    scols_table_enable_export(tb, o->pairs) ||
	    scols_table_set_stream(tb, o->out) ||
	    (o->width && (scols_table_set_termwidth(tb, o->width) ||
			  scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS)))) {
		scols_unref_table(tb);
		hv_err_nomem();
		return NULL;
	}
	return tb;
}

/* table_list_sep(): contract (arguments, units, errors) in table.h. */
const char *table_list_sep(const struct outopts *o)
{
	return o->raw || o->pairs ? "," : "\n";
}

/* Leading number of a cell, with lsblk's size suffixes (K, M, ... as
 * format_size prints them): what -x compares numeric columns by. */
static double cell_number(struct libscols_cell *c)
{
	static const char suffix[] = "BKMGTPE";
	const char *s = scols_cell_get_data(c);
	char *end;
	double v;

	if (!s)
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end && strchr(suffix, *end)) {
		int e = (int)(strchr(suffix, *end) - suffix);

		while (e--)
			v *= 1024;
	}
	return v;
}

/* libsmartcols cmpfunc for numeric columns (missing values first). */
static int cmp_number_cells(struct libscols_cell *a, struct libscols_cell *b, void *data)
{
	double x = cell_number(a), y = cell_number(b);

	(void)data;
	return x < y ? -1 : x > y;
}

/* table_column_setup(): contract (arguments, units, errors) in table.h. */
struct libscols_column *table_column_setup(struct libscols_table *tb, const char *name,
					   double whint, int flags, int json_type,
					   const struct outopts *o)
{
	struct libscols_column *cl;
	int list = json_type == SCOLS_JSON_ARRAY_STRING && !o->raw && !o->pairs;

	/* lists: one item per line of the cell, as lsblk's MOUNTPOINTS */
	if (list)
		flags |= SCOLS_FL_WRAP;
	cl = scols_table_new_column(tb, name, whint, flags);
	if (!cl || scols_column_set_json_type(cl, json_type) ||
	    scols_column_set_cmpfunc(cl, json_type == SCOLS_JSON_NUMBER ? cmp_number_cells
					 : scols_cmpstr_cells, NULL) ||
	    (list && (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						scols_wrapnl_nextchunk, NULL) ||
		      scols_column_set_safechars(cl, "\n")))) {
		hv_err_nomem();
		return NULL;
	}
	return cl;
}

/* table_add_columns(): contract (arguments, units, errors) in table.h. */
int table_add_columns(struct libscols_table *tb, const struct colinfo *ci,
		      const struct colsel *sel, const struct outopts *o)
{
	size_t i;

	for (i = 0; i < sel->n; i++) {
		const struct colinfo *c = &ci[sel->id[i]];
		const char *name = (o->json && c->json_name) ? c->json_name : c->name;
		int flags = c->flags;

		if (sel->hidden & (UINT32_C(1) << i))
			flags |= SCOLS_FL_HIDDEN;
		if (!table_column_setup(tb, name, c->whint, flags, c->json_type, o))
			return -1;
	}
	return 0;
}

/* table_new_line(): contract (arguments, units, errors) in table.h. */
struct libscols_line *table_new_line(struct libscols_table *tb)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (!ln)
		hv_err_nomem();
	return ln;
}

/* table_set(): contract (arguments, units, errors) in table.h. */
int table_set(struct libscols_line *ln, size_t n, const char *data)
{
	if (scols_line_set_data(ln, n, data))
		return hv_err_nomem();
	return 0;
}

/* table_fill(): contract (arguments, units, errors) in table.h. */
int table_fill(struct libscols_table *tb, const struct colsel *sel, size_t nrows,
	       cell_fn cell, const void *ctx)
{
	size_t r, i;

	for (r = 0; r < nrows; r++) {
		struct libscols_line *ln = table_new_line(tb);

		if (!ln)
			return -1;
		for (i = 0; i < sel->n; i++) {
			char buf[256];

			if (table_set(ln, i, cell(ctx, r, sel->id[i], buf, sizeof(buf))))
				return -1;
		}
	}
	return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

/* The JSON value of cell data S (NULL: missing) of JSON type TYPE; NULL is
 * also JSON null.  Numbers that do not parse stay strings. */
static struct json_object *cell_json(const char *s, int type)
{
	struct json_object *a;
	uint64_t v;

	if (!s)
		return NULL;
	switch (type) {
	case SCOLS_JSON_NUMBER:
		if (!parse_u64(s, &v, NULL))
			return json_object_new_uint64(v);
		break;
	case SCOLS_JSON_BOOLEAN:
		return json_object_new_boolean(!strcmp(s, "yes") || !strcmp(s, "true") ||
					       !strcmp(s, "1"));
	case SCOLS_JSON_ARRAY_STRING:
		a = json_object_new_array();
		while (a && *s) {
			size_t len = strcspn(s, "\n");

			json_object_array_add(a, json_object_new_string_len(s, (int)len));
			s += len + (s[len] == '\n');
		}
		return a;
	}
	return json_object_new_string(s);
}

/* The JSON object of line LN of TB (keys: column names, lower case). */
static struct json_object *line_json(struct libscols_table *tb, struct libscols_line *ln)
{
	struct json_object *obj = json_object_new_object();
	size_t i, ncols = scols_table_get_ncols(tb);

	for (i = 0; obj && i < ncols; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		char key[64];

		if (scols_column_is_hidden(cl))
			continue;
		snprintf(key, sizeof(key), "%s", scols_column_get_name(cl));
		json_object_object_add(obj, lower(key),
				       cell_json(scols_cell_get_data(scols_line_get_cell(ln, i)),
						 scols_column_get_json_type(cl)));
	}
	return obj;
}

/* TB as a JSON array of objects, one object for a summary, or null for a
 * table without columns (its data could not be read). */
static struct json_object *table_json(struct libscols_table *tb)
{
	struct json_object *arr;
	size_t i, n = scols_table_get_nlines(tb);

	if (!scols_table_get_ncols(tb))
		return NULL;
	if (n == 1 && scols_line_get_userdata(scols_table_get_line(tb, 0)) == &kv_marker)
		return line_json(tb, scols_table_get_line(tb, 0));
	arr = json_object_new_array();
	for (i = 0; arr && i < n; i++)
		json_object_array_add(arr, line_json(tb, scols_table_get_line(tb, i)));
	return arr;
}

/* Prints DOC (freed) pretty to O->out.  Returns 0 or -1. */
static int json_print(struct json_object *doc, const struct outopts *o)
{
	const char *s;

	if (!doc)
		return hv_err_nomem();
	s = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		fprintf(o->out, "%s\n", s);
	json_object_put(doc);
	return s ? 0 : hv_err_nomem();
}

/* ---- printing -------------------------------------------------------------- */

/* Before libsmartcols prints: a missing value, or an empty list, is "-";
 * the -x column sorts the lines. */
static int table_prepare(struct libscols_table *tb, const struct outopts *o)
{
	size_t i, j, ncols = scols_table_get_ncols(tb), n = scols_table_get_nlines(tb);

	for (i = 0; !o->json && i < n; i++) {
		struct libscols_line *ln = scols_table_get_line(tb, i);

		for (j = 0; j < ncols; j++) {
			const char *s = scols_cell_get_data(scols_line_get_cell(ln, j));

			if ((!s || !*s) && table_set(ln, j, "-"))
				return -1;
		}
	}
	if (!o->sort)
		return 0;
	for (j = 0; j < ncols; j++) {
		struct libscols_column *cl = scols_table_get_column(tb, j);

		if (!strcasecmp(scols_column_get_name(cl), o->sort))
			return scols_sort_table(tb, cl) ? hv_err_nomem() : 0;
	}
	return 0;
}

/* table_print(): contract (arguments, units, errors) in table.h. */
int table_print(struct libscols_table *tb, const struct outopts *o)
{
	return table_print_all(&tb, 1, o);
}

/* table_print_all(): contract (arguments, units, errors) in table.h. */
int table_print_all(struct libscols_table **tbs, size_t n, const struct outopts *o)
{
	size_t i, printed = 0;

	if (o->json) {
		struct json_object *doc = json_object_new_object();

		for (i = 0; doc && i < n; i++) {
			if (o->sort && table_prepare(tbs[i], o))
				return -1;
			json_object_object_add(doc, scols_table_get_name(tbs[i]),
					       table_json(tbs[i]));
		}
		return json_print(doc, o);
	}
	for (i = 0; i < n; i++) {
		if ((n > 1 && !scols_table_get_nlines(tbs[i])) || !scols_table_get_ncols(tbs[i]))
			continue;
		if (printed++)
			fputc('\n', o->out);
		if (table_prepare(tbs[i], o))
			return -1;
		scols_table_set_stream(tbs[i], o->out);
		if (scols_print_table(tbs[i]))
			return hv_err("cannot print table");
	}
	return 0;
}

/* table_one_section(): contract (arguments, units, errors) in table.h. */
int table_one_section(const char *cmd, const char *section, const char *const *names,
		      const struct outopts *o)
{
	size_t i, n = 0;
	char list[128] = "";

	while (names[n])
		n++;
	for (i = 0; i < n; i++) {
		if (section && !strcmp(section, names[i]))
			return (int)i;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
	}
	if (section)
		return hv_err("%s: unknown section '%s' (%s)", cmd, section, list);
	if (o->raw || o->pairs)
		return hv_err("%s: --%s prints one table: name a section (%s)", cmd,
			      o->raw ? "raw" : "pairs", list);
	return (int)n;
}

/* ---- key/value summaries ---------------------------------------------------- */

/* Adds KEY of JSON_TYPE with value VAL (owned, may be NULL). */
static int kv_put(struct kvtable *kv, const char *key, int json_type, char *val)
{
	if (kv->n == KV_MAX) {
		free(val);
		return hv_err("too many summary fields");
	}
	snprintf(kv->e[kv->n].key, sizeof(kv->e[kv->n].key), "%s", key);
	kv->e[kv->n].json_type = json_type;
	kv->e[kv->n].val = val;
	kv->n++;
	return 0;
}

/* kv_add(): contract (arguments, units, errors) in table.h. */
int kv_add(struct kvtable *kv, const char *key, int json_type, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (r < 0)
		return hv_err_nomem();
	return kv_put(kv, key, json_type, val);
}

/* kv_add_missing(): contract (arguments, units, errors) in table.h. */
int kv_add_missing(struct kvtable *kv, const char *key, int json_type)
{
	return kv_put(kv, key, json_type, NULL);
}

/* Lower-cases S in place. */
static char *lower(char *s)
{
	char *p;

	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* kv_add_cell(): contract (arguments, units, errors) in table.h. */
int kv_add_cell(struct kvtable *kv, const struct colinfo *c, const char *val,
		const struct outopts *o)
{
	char key[32];

	snprintf(key, sizeof(key), "%s", o->json && c->json_name ? c->json_name : c->name);
	lower(key);
	return val ? kv_add(kv, key, c->json_type, "%s", val)
		   : kv_add_missing(kv, key, c->json_type);
}

/* kv_free(): contract (arguments, units, errors) in table.h. */
void kv_free(struct kvtable *kv)
{
	size_t i;

	for (i = 0; i < kv->n; i++)
		free(kv->e[i].val);
	kv->n = 0;
}

/* kv_table(): contract (arguments, units, errors) in table.h. */
struct libscols_table *kv_table(const struct kvtable *kv, const char *name,
				const struct outopts *o)
{
	int rows = !o->json && !o->raw && !o->pairs;	/* "key value" lines */
	struct outopts ko = *o;
	struct libscols_table *tb;
	struct libscols_line *ln = NULL;
	size_t i;

	ko.noheadings = rows || o->noheadings;
	tb = table_new(name, &ko);
	if (!tb)
		return NULL;
	if (rows) {
		if (!table_column_setup(tb, "FIELD", 0, 0, SCOLS_JSON_STRING, &ko))
			goto fail;
		if (!table_column_setup(tb, "VALUE", 0, 0, SCOLS_JSON_ARRAY_STRING, &ko))
			goto fail;
		for (i = 0; i < kv->n; i++) {
			ln = table_new_line(tb);
			if (!ln || table_set(ln, 0, kv->e[i].key) ||
			    table_set(ln, 1, kv->e[i].val))
				goto fail;
		}
		return tb;
	}
	for (i = 0; i < kv->n; i++) {
		char col[32];
		size_t k;

		/* --raw/--pairs headings are upper case, as every column's */
		for (k = 0; kv->e[i].key[k] && k + 1 < sizeof(col); k++)
			col[k] = (char)(o->json ? kv->e[i].key[k]
					 : toupper((unsigned char)kv->e[i].key[k]));
		col[k] = '\0';
		if (!table_column_setup(tb, col, 0, 0, kv->e[i].json_type, &ko))
			goto fail;
	}
	ln = table_new_line(tb);
	if (!ln || scols_line_set_userdata(ln, &kv_marker))
		goto fail;
	for (i = 0; i < kv->n; i++)
		if (table_set(ln, i, kv->e[i].val))
			goto fail;
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}
