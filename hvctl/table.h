/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.h - output: column selection (-o), tables (libsmartcols), JSON (json-c).
 *
 * Commands fill libsmartcols tables: columns from a struct colinfo array,
 * one line per row, one string per cell (NULL: the value is missing).
 * Printing depends on the output options:
 *  - tables, --raw and --pairs: libsmartcols prints (a missing value is "-");
 *  - --json: each table is turned into json-c values by the column's
 *    SCOLS_JSON_* type (missing: null; lists: arrays; a summary: one object)
 *    and json-c prints the document.  No JSON text is edited by hand.
 * Every table goes through one column setup (table_column_setup), so that
 * list cells wrap the same way in every table and summary.
 * All functions report their own errors (one line) and return -1/NULL.
 */
#ifndef HVCTL_TABLE_H
#define HVCTL_TABLE_H

#include <stdint.h>
#include <stdio.h>
#include <libsmartcols/libsmartcols.h>

#include "parse.h"

/* Output options shared by the read commands (main.c). */
struct outopts {
	int json;		/* -J --json */
	int raw;		/* -r --raw (not with --json or --pairs) */
	int pairs;		/* -P --pairs: KEY="value" (not with --json or --raw) */
	int noheadings;		/* -n --noheadings */
	int bytes;		/* -b --bytes: sizes in bytes in tables too */
	int all_columns;	/* -O --output-all */
	unsigned width;		/* -w --width: columns of output, 0 for the terminal's */
	const char *columns;	/* -o --output argument, NULL for the defaults */
	const char *sort;	/* -x --sort column, NULL for the command's order */
	FILE *out;		/* stream to print to (stdout; a memory stream in tests) */
};

/* One possible column of a command. */
struct colinfo {
	const char *name;	/* header and -o name, upper case */
	const char *json_name;	/* name in JSON mode if different (lower-cased), or NULL */
	double whint;		/* libsmartcols width hint (>= 1: absolute, < 1: fraction of terminal) */
	int flags;		/* SCOLS_FL_*: SCOLS_FL_TRUNC for long free text (names) */
	int json_type;		/* SCOLS_JSON_* used in JSON mode */
	const char *help;	/* one line for --help and the man page */
};

#define COLSEL_MAX 32

/* The selected columns, indexes into a command's colinfo array; a column
 * whose bit is set in HIDDEN is there only to sort by (-x). */
struct colsel {
	size_t n;
	int id[COLSEL_MAX];
	uint32_t hidden;
};

/* SEL = the N default column ids DEFS. */
void colsel_init(struct colsel *sel, const int *defs, size_t n);

/* Applies an -o argument to SEL: "A,B" replaces the selection, "+A,B"
 * appends to it (lsblk's convention).  Names are case-insensitive; a column
 * already selected is not added twice (no duplicate JSON keys).
 * Returns 0, or -1 with ERR ("unknown column 'X'", "too many columns").
 * Pure: no output. */
int colsel_parse(const char *arg, const struct colinfo *ci, size_t nci,
		 struct colsel *sel, struct perr *err);

/* Index of column NAME (case-insensitive) in CI, or -1. */
int colinfo_find(const struct colinfo *ci, size_t nci, const char *name, size_t len);

/* Selects columns for a command: DEFS, or every column with -O, modified by
 * O->columns (-o); the -x column is added hidden when not selected.
 * Returns 0, or -1 after reporting the usage error
 * ("unknown column 'X' (see hvctl --help)"). */
int table_columns(const struct outopts *o, const struct colinfo *ci, size_t nci,
		  const int *defs, size_t ndefs, struct colsel *sel);

/* Prints the column list "  NAME  help" of CI to F (for --help). */
void colinfo_help(FILE *f, const struct colinfo *ci, size_t nci);

/* New table named NAME (the JSON member name) with O's modes applied and
 * O->out as its stream. */
struct libscols_table *table_new(const char *name, const struct outopts *o);

/* Adds column NAME to TB with width hint WHINT, FLAGS and JSON_TYPE, set up
 * as every column is: lists (SCOLS_JSON_ARRAY_STRING) one item per line of
 * the cell.  Returns the column or NULL (reported). */
struct libscols_column *table_column_setup(struct libscols_table *tb, const char *name,
					   double whint, int flags, int json_type,
					   const struct outopts *o);

/* Adds the columns of SEL to TB (json_name in JSON mode).  Returns 0 or -1. */
int table_add_columns(struct libscols_table *tb, const struct colinfo *ci,
		      const struct colsel *sel, const struct outopts *o);

/* Separator to join list items in one cell: "\n" (JSON array items, or
 * one item per line of the cell in tables, as lsblk prints MOUNTPOINTS),
 * "," with --raw and --pairs. */
const char *table_list_sep(const struct outopts *o);

/* New line in TB; NULL after reporting ENOMEM. */
struct libscols_line *table_new_line(struct libscols_table *tb);

/* Sets cell N of LN to a copy of DATA; NULL means missing ("-" in tables,
 * null in JSON).  Returns 0 or -1. */
int table_set(struct libscols_line *ln, size_t n, const char *data);

/* Text of column COL (a colinfo index) of row ROW of CTX's data, written
 * into BUF (LEN bytes) or pointing into the data; NULL when missing. */
typedef const char *(*cell_fn)(const void *ctx, size_t row, int col, char *buf, size_t len);

/* Adds NROWS lines to TB with the columns SEL filled by CELL.
 * Returns 0 or -1. */
int table_fill(struct libscols_table *tb, const struct colsel *sel, size_t nrows,
	       cell_fn cell, const void *ctx);

/* Prints one table, sorted by O->sort when it has that column.
 * Returns 0 or -1. */
int table_print(struct libscols_table *tb, const struct outopts *o);

/* Prints TBS[0..N) as one output: tables one after another separated by a
 * blank line (empty tables are left out), or in JSON one document with a
 * member per table (a summary as an object, a table without columns as
 * null: its source could not be read).  --raw and --pairs print one
 * table only: callers ask for a section first (table_one_section).
 * Returns 0 or -1. */
int table_print_all(struct libscols_table **tbs, size_t n, const struct outopts *o);

/* For commands that print several sections: with --raw or --pairs one
 * section must be chosen, SECTION (NULL if none was given), among the
 * NULL-terminated NAMES.  Returns the index of the section, N (all) when
 * none was given and the mode allows it, or -1 after reporting the usage
 * error. */
int table_one_section(const char *cmd, const char *section, const char *const *names,
		      const struct outopts *o);

/* ---- key/value summaries ------------------------------------------- */

#define KV_MAX 40

/* A summary (one object): "key value" lines in tables, one row whose
 * columns are the keys with --raw/--pairs, one object in JSON. */
struct kvtable {
	size_t n;
	struct {
		char key[32];	/* lower-case identifier */
		int json_type;	/* SCOLS_JSON_* */
		char *val;	/* NULL: missing */
	} e[KV_MAX];
};

/* Adds KEY=printf(FMT...) with JSON type JSON_TYPE.  Returns 0 or -1. */
int kv_add(struct kvtable *kv, const char *key, int json_type, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Adds KEY with a missing value ("-" in tables, null in JSON). */
int kv_add_missing(struct kvtable *kv, const char *key, int json_type);

/* Adds column C's cell VAL (NULL: missing) to KV under C's name (json_name
 * in JSON), lower case: a row of a table shown as a summary. */
int kv_add_cell(struct kvtable *kv, const struct colinfo *c, const char *val,
		const struct outopts *o);

/* Builds the libsmartcols table named NAME for KV.  NULL on error. */
struct libscols_table *kv_table(const struct kvtable *kv, const char *name,
				const struct outopts *o);

void kv_free(struct kvtable *kv);

#endif
