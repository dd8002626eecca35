/* table.c - libsmartcols helpers (see table.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "table.h"

static char *print_to_mem(struct libscols_table *tb, size_t *len, const struct outopts *o);

/* colsel_init(): contract (arguments, units, errors) in table.h. */
void colsel_init(struct colsel *sel, const int *defs, size_t n)
{
	size_t i;

	sel->n = 0;
	for (i = 0; i < n && i < COLSEL_MAX; i++)
		sel->id[sel->n++] = defs[i];
}

/* colsel_parse(): contract (arguments, units, errors) in table.h. */
int colsel_parse(const char *arg, const struct colinfo *ci, size_t nci,
		 struct colsel *sel, struct perr *err)
{
	struct colsel out = *sel;
	const char *p = arg;

	if (*p == '+')
		p++;
	else
		out.n = 0;
	if (!*p)
		return perr_set(err, "empty column list");
	for (;;) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < nci; i++)
			if (strlen(ci[i].name) == len && !strncasecmp(ci[i].name, p, len))
				break;
		if (i == nci)
			return perr_set(err, "unknown column '%.*s'", (int)len, p);
		if (out.n == COLSEL_MAX)
			return perr_set(err, "too many columns");
		out.id[out.n++] = (int)i;
		if (!p[len])
			break;
		p += len + 1;
	}
	*sel = out;
	return 0;
}

/* table_columns(): contract (arguments, units, errors) in table.h. */
int table_columns(const char *arg, const struct colinfo *ci, size_t nci,
		  const int *defs, size_t ndefs, struct colsel *sel)
{
	struct perr err;

	colsel_init(sel, defs, ndefs);
	if (arg && colsel_parse(arg, ci, nci, sel, &err))
		return hv_err("%s (see hvctl --help)", err.msg);
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
	    scols_table_enable_json(tb, o->json) ||
	    scols_table_enable_noheadings(tb, o->noheadings) ||
	    scols_table_enable_raw(tb, o->raw) ||
	    scols_table_set_stream(tb, o->out)) {
		scols_unref_table(tb);
		hv_err_nomem();
		return NULL;
	}
	return tb;
}

/* table_list_sep(): contract (arguments, units, errors) in table.h. */
const char *table_list_sep(const struct outopts *o)
{
	return o->raw ? "," : "\n";
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
		struct libscols_column *cl;

		/* lists: one item per line of the cell, as lsblk's MOUNTPOINTS */
		if (!o->raw && c->json_type == SCOLS_JSON_ARRAY_STRING)
			flags |= SCOLS_FL_WRAP;
		cl = scols_table_new_column(tb, name, c->whint, flags);
		if (!cl)
			return hv_err_nomem();
		if (o->json && scols_column_set_json_type(cl, c->json_type))
			return hv_err_nomem();
		if ((flags & SCOLS_FL_WRAP) &&
		    (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
					       scols_wrapnl_nextchunk, NULL) ||
		     scols_column_set_safechars(cl, "\n")))
			return hv_err_nomem();
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

/* table_print(): contract (arguments, units, errors) in table.h. */
int table_print(struct libscols_table *tb, const struct outopts *o)
{
	if (o->json) {
		size_t len;
		char *doc = print_to_mem(tb, &len, o);

		if (!doc)
			return -1;
		fwrite(doc, 1, len, o->out);
		free(doc);
		return 0;
	}
	scols_table_set_stream(tb, o->out);
	if (scols_print_table(tb))
		return hv_err("cannot print table");
	return 0;
}

/* json_empty_arrays(): contract in table.h. */
size_t json_empty_arrays(char *doc, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		if (doc[r] == '[' && r + 1 < len && doc[r + 1] == '\n') {
			size_t q = r + 2;

			while (q < len && doc[q] == ' ')
				q++;
			if (len - q >= 5 && !memcmp(doc + q, "null\n", 5)) {
				q += 5;
				while (q < len && doc[q] == ' ')
					q++;
				if (q < len && doc[q] == ']') {
					doc[w++] = '[';
					doc[w++] = ']';
					r = q + 1;
					continue;
				}
			}
		}
		doc[w++] = doc[r++];
	}
	if (w < len)
		doc[w] = '\0';
	return w;
}

/* Prints TB (JSON mode) into a malloc'd string (*LEN bytes), with empty
 * array cells rewritten to [] (json_empty_arrays).  NULL on error (reported). */
static char *print_to_mem(struct libscols_table *tb, size_t *len, const struct outopts *o)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);
	int r;

	if (!mem) {
		hv_err_nomem();
		return NULL;
	}
	scols_table_set_stream(tb, mem);
	r = scols_print_table(tb);
	scols_table_set_stream(tb, o->out);
	if (fclose(mem) || r) {
		free(buf);
		hv_err("cannot print table");
		return NULL;
	}
	*len = json_empty_arrays(buf, *len);
	return buf;
}

/* table_print_all(): contract (arguments, units, errors) in table.h. */
int table_print_all(struct libscols_table **tbs, size_t n, const struct outopts *o)
{
	size_t i, printed = 0;

	if (!o->json) {
		for (i = 0; i < n; i++) {
			if (!scols_table_get_nlines(tbs[i]))
				continue;
			if (printed++)
				fputc('\n', o->out);
			if (table_print(tbs[i], o))
				return -1;
		}
		return 0;
	}
	/* One JSON document: "{\n" + inner of each "{\n<inner>\n}\n", joined
	 * by ",\n", + "\n}\n". */
	fputs("{\n", o->out);
	for (i = 0; i < n; i++) {
		size_t len;
		char *doc = print_to_mem(tbs[i], &len, o);
		char *start, *end;

		if (!doc)
			return -1;
		start = strchr(doc, '{');
		end = strrchr(doc, '}');
		if (!start || !end || end < start) {
			free(doc);
			return hv_err("unexpected JSON from libsmartcols");
		}
		start++;
		if (*start == '\n')
			start++;
		while (end > start && end[-1] == '\n')
			end--;
		if (i)
			fputs(",\n", o->out);
		fwrite(start, 1, (size_t)(end - start), o->out);
		free(doc);
	}
	fputs("\n}\n", o->out);
	return 0;
}

/* kv_add(): contract (arguments, units, errors) in table.h. */
int kv_add(struct kvtable *kv, const char *key, int json_type, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (kv->n == KV_MAX)
		return hv_err("too many summary fields");
	snprintf(kv->e[kv->n].key, sizeof(kv->e[kv->n].key), "%s", key);
	kv->e[kv->n].json_type = json_type;
	va_start(ap, fmt);
	r = vasprintf(&kv->e[kv->n].val, fmt, ap);
	va_end(ap);
	if (r < 0)
		return hv_err_nomem();
	kv->n++;
	return 0;
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
	struct outopts ko = *o;
	struct libscols_table *tb;
	struct libscols_line *ln = NULL;
	size_t i;

	if (!o->json) {
		/* text: "key value" rows, no headings */
		ko.noheadings = 1;
		tb = table_new(name, &ko);
		if (!tb)
			return NULL;
		if (!scols_table_new_column(tb, "FIELD", 0, 0) ||
		    !scols_table_new_column(tb, "VALUE", 0, 0)) {
			hv_err_nomem();
			goto fail;
		}
		for (i = 0; i < kv->n; i++) {
			ln = table_new_line(tb);
			if (!ln || table_set(ln, 0, kv->e[i].key) ||
			    table_set(ln, 1, kv->e[i].val))
				goto fail;
		}
		return tb;
	}
	tb = table_new(name, o);
	if (!tb)
		return NULL;
	for (i = 0; i < kv->n; i++) {
		int flags = kv->e[i].json_type == SCOLS_JSON_ARRAY_STRING ? SCOLS_FL_WRAP : 0;
		struct libscols_column *cl = scols_table_new_column(tb, kv->e[i].key, 0, flags);

		if (!cl || scols_column_set_json_type(cl, kv->e[i].json_type) ||
		    (flags && (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
							 scols_wrapnl_nextchunk, NULL) ||
			       scols_column_set_safechars(cl, "\n")))) {
			hv_err_nomem();
			goto fail;
		}
	}
	ln = table_new_line(tb);
	if (!ln)
		goto fail;
	for (i = 0; i < kv->n; i++)
		if (table_set(ln, i, kv->e[i].val))
			goto fail;
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

/* tstream_begin(): contract (arguments, units, errors) in table.h. */
void tstream_begin(struct tstream *ts, struct libscols_table *tb,
		   const struct outopts *o, size_t batch)
{
	memset(ts, 0, sizeof(*ts));
	ts->tb = tb;
	ts->o = o;
	ts->batch = batch ? batch : 1;
}

/* Prints the pending lines as one batch and drops them. */
static int tstream_flush(struct tstream *ts)
{
	const struct outopts *o = ts->o;

	if (!ts->pending)
		return 0;
	if (!o->json) {
		/* The header is printed with the first range only; a range
		 * does not end its last line. */
		if (scols_table_print_range(ts->tb, NULL, NULL))
			return hv_err("cannot print table");
		fputc('\n', o->out);
	} else {
		size_t len;
		char *doc = print_to_mem(ts->tb, &len, o);
		char *close, *cut, *open;

		if (!doc)
			return -1;
		close = strrchr(doc, ']');
		cut = close;
		while (cut && cut > doc && cut[-1] != '\n')
			cut--;
		if (cut && cut > doc)
			cut--;			/* at the '\n' before "   ]" */
		open = strchr(doc, '[');
		open = open ? strchr(open, '{') : NULL;
		if (!close || !open || cut <= open) {
			free(doc);
			return hv_err("unexpected JSON from libsmartcols");
		}
		if (!ts->flushed) {
			fwrite(doc, 1, (size_t)(cut - doc), o->out);
			ts->json_tail = strdup(cut);
			if (!ts->json_tail) {
				free(doc);
				return hv_err_nomem();
			}
		} else {
			/* libsmartcols separates objects with "},{" */
			fputc(',', o->out);
			fwrite(open, 1, (size_t)(cut - open), o->out);
		}
		free(doc);
	}
	scols_table_remove_lines(ts->tb);
	ts->pending = 0;
	ts->flushed++;
	return 0;
}

/* tstream_line(): contract (arguments, units, errors) in table.h. */
struct libscols_line *tstream_line(struct tstream *ts)
{
	if (ts->pending == ts->batch && tstream_flush(ts))
		return NULL;
	ts->pending++;
	return table_new_line(ts->tb);
}

/* tstream_end(): contract (arguments, units, errors) in table.h. */
int tstream_end(struct tstream *ts)
{
	int r = 0;

	if (!ts->flushed) {
		/* everything fitted in one batch: a plain table */
		r = table_print(ts->tb, ts->o);
	} else if (tstream_flush(ts)) {
		r = -1;
	} else if (ts->o->json) {
		fputs(ts->json_tail, ts->o->out);
	}
	free(ts->json_tail);
	ts->json_tail = NULL;
	return r;
}

/* tstream_abort(): contract (arguments, units, errors) in table.h. */
void tstream_abort(struct tstream *ts)
{
	scols_table_remove_lines(ts->tb);
	free(ts->json_tail);
	ts->json_tail = NULL;
}
