/* table.h - libsmartcols helpers: column selection (-o), tables, JSON.
 *
 * Every table and every JSON document hvctl prints is produced by
 * libsmartcols (scols_print_table / scols_table_print_range).  Two helpers
 * combine libsmartcols output where libsmartcols 2.38 has no API:
 *  - table_print_all(): several tables as one JSON document
 *    {"a":[...],"b":[...]}: each table is printed by libsmartcols and only
 *    the outer braces of the documents are merged;
 *  - struct tstream: a table printed in batches so that a huge debugfs file
 *    is never held in memory whole (scols_table_print_range asserts in JSON
 *    mode in 2.38, so JSON batches are printed whole and their arrays
 *    joined; the result is byte-identical to printing one big table).
 * All functions report their own errors (one line) and return -1/NULL.
 */
#ifndef HVCTL_TABLE_H
#define HVCTL_TABLE_H

#include <stdio.h>
#include <libsmartcols/libsmartcols.h>

#include "parse.h"

/* Output options shared by the read commands. */
struct outopts {
	int json;		/* --json */
	int noheadings;		/* --noheadings */
	int raw;		/* --raw */
	int bytes;		/* --bytes: sizes in bytes in tables too */
	FILE *out;		/* stream to print to (stdout; a memory stream in tests) */
};

/* One possible column of a command. */
struct colinfo {
	const char *name;	/* header and -o name, upper case */
	const char *json_name;	/* name in JSON mode if different (lower-cased by libsmartcols), or NULL */
	double whint;		/* libsmartcols width hint (>= 1: absolute, < 1: fraction of terminal) */
	int flags;		/* SCOLS_FL_* */
	int json_type;		/* SCOLS_JSON_* used in JSON mode */
	const char *help;	/* one line for --help and the man page */
};

#define COLSEL_MAX 32

/* The selected columns, indexes into a command's colinfo array. */
struct colsel {
	size_t n;
	int id[COLSEL_MAX];
};

/* SEL = the N default column ids DEFS. */
void colsel_init(struct colsel *sel, const int *defs, size_t n);

/* Applies an -o argument to SEL: "A,B" replaces the selection, "+A,B"
 * appends to it (lsblk's convention).  Names are case-insensitive.
 * Returns 0, or -1 with ERR ("unknown column 'X'", "too many columns").
 * Pure: no output. */
int colsel_parse(const char *arg, const struct colinfo *ci, size_t nci,
		 struct colsel *sel, struct perr *err);

/* Selects columns for a command: DEFS when ARG (the -o argument) is NULL,
 * else DEFS modified by colsel_parse(ARG).  Returns 0, or -1 after reporting
 * the usage error ("unknown column 'X' (see hvctl --help)"). */
int table_columns(const char *arg, const struct colinfo *ci, size_t nci,
		  const int *defs, size_t ndefs, struct colsel *sel);

/* Prints the column list "  NAME  help" of CI to F (for --help). */
void colinfo_help(FILE *f, const struct colinfo *ci, size_t nci);

/* New table named NAME (the JSON member name) with O's modes applied and
 * O->out as its stream. */
struct libscols_table *table_new(const char *name, const struct outopts *o);

/* Adds the columns of SEL to TB.  In JSON mode json_name and json_type are
 * used; SCOLS_JSON_ARRAY_STRING columns get newline-splitting so that a
 * cell "a\nb" prints as ["a","b"] in JSON and as two lines of the cell in
 * tables (see table_list_sep).  Returns 0 or -1. */
int table_add_columns(struct libscols_table *tb, const struct colinfo *ci,
		      const struct colsel *sel, const struct outopts *o);

/* Separator to join list items in one cell: "\n" (JSON array items, or
 * one item per line of the cell in tables, as lsblk prints MOUNTPOINTS),
 * "," with --raw. */
const char *table_list_sep(const struct outopts *o);

/* New line in TB; NULL after reporting ENOMEM. */
struct libscols_line *table_new_line(struct libscols_table *tb);

/* Sets cell N of LN to a copy of DATA.  Returns 0 or -1. */
int table_set(struct libscols_line *ln, size_t n, const char *data);

/* Prints TBS[0..N) as one output: tables one after another separated by a
 * blank line (empty tables are left out), or in JSON mode one document
 * holding each table's array.  Returns 0 or -1. */
int table_print_all(struct libscols_table **tbs, size_t n, const struct outopts *o);

/* libsmartcols 2.38 prints an empty SCOLS_JSON_ARRAY_STRING cell as
 * "[\n<spaces>null\n<spaces>]"; this rewrites each such array in DOC (LEN
 * bytes) to "[]" in place and returns the new length.  Safe because a
 * newline inside a JSON string is always escaped, so the pattern can only be
 * an array.  Pure. */
size_t json_empty_arrays(char *doc, size_t len);

/* Prints one table (JSON: with empty arrays as []).  Returns 0 or -1. */
int table_print(struct libscols_table *tb, const struct outopts *o);

/* ---- key/value summaries ------------------------------------------- */

#define KV_MAX 32

/* A summary (one object): in JSON a one-row table whose columns are the
 * keys; in text a two-column table "key value" without headings. */
struct kvtable {
	size_t n;
	struct {
		char key[32];	/* lower-case identifier */
		int json_type;	/* SCOLS_JSON_* */
		char *val;
	} e[KV_MAX];
};

/* Adds KEY=printf(FMT...) with JSON type JSON_TYPE.  Returns 0 or -1. */
int kv_add(struct kvtable *kv, const char *key, int json_type, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Builds the libsmartcols table named NAME for KV.  NULL on error. */
struct libscols_table *kv_table(const struct kvtable *kv, const char *name,
				const struct outopts *o);

void kv_free(struct kvtable *kv);

/* ---- streamed tables ------------------------------------------------ */

struct tstream {
	struct libscols_table *tb;	/* columns set up by the caller */
	const struct outopts *o;
	size_t batch;			/* lines per batch */
	size_t pending;			/* lines added since the last flush */
	size_t flushed;			/* batches printed */
	char *json_tail;		/* "\n   ]\n}\n" of the first JSON batch */
};

/* Starts streaming TB (columns added, no lines) in batches of BATCH lines.
 * In tables, columns should have absolute width hints with
 * SCOLS_FL_STRICTWIDTH so that all batches line up. */
void tstream_begin(struct tstream *ts, struct libscols_table *tb,
		   const struct outopts *o, size_t batch);

/* A new line to fill; prints the pending batch first when it is full.
 * NULL on error (reported). */
struct libscols_line *tstream_line(struct tstream *ts);

/* Prints what is pending and closes the JSON document.  Returns 0 or -1. */
int tstream_end(struct tstream *ts);

/* Drops what is pending without printing it (after an error; batches
 * already printed stay printed). */
void tstream_abort(struct tstream *ts);

#endif
