// SPDX-License-Identifier: GPL-2.0-or-later
/* test-table.c - cmocka tests of hvctl's output (hvctl/table.c):
 * tables and JSON are rendered into a memory stream (open_memstream +
 * scols_table_set_stream via struct outopts) and compared with the exact
 * expected text. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "table.h"

/* A memory output stream. */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct mem *m, struct outopts *o)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	o->out = m->f;
}

/* Closes the stream and returns its text (owned by M). */
static const char *mem_text(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->buf;
}

static const struct colinfo cols[] = {
	{ "ID", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
	{ "TYPE", NULL, 0, 0, SCOLS_JSON_STRING, "" },
	{ "DEVICES", NULL, 0, 0, SCOLS_JSON_ARRAY_STRING, "" },
	{ "MAPPED", "MAPPED_BYTES", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "" },
};

/* A two-row table with all four columns, cells depending on JSON mode as
 * the commands do (list separator, raw bytes). */
static struct libscols_table *small_table(const struct outopts *o)
{
	static const int all[] = { 0, 1, 2, 3 };
	struct libscols_table *tb = table_new("domains", o);
	struct libscols_line *ln;
	struct colsel sel;
	char devs[64];

	assert_non_null(tb);
	colsel_init(&sel, all, 4);
	assert_int_equal(table_add_columns(tb, cols, &sel, o), 0);
	ln = table_new_line(tb);
	snprintf(devs, sizeof(devs), "0000:00:02.0%s0000:00:04.0", table_list_sep(o));
	assert_int_equal(table_set(ln, 0, "0"), 0);
	assert_int_equal(table_set(ln, 1, "identity"), 0);
	assert_int_equal(table_set(ln, 2, devs), 0);
	assert_int_equal(table_set(ln, 3, o->json ? "0" : "0B"), 0);
	ln = table_new_line(tb);
	assert_int_equal(table_set(ln, 0, "12"), 0);
	assert_int_equal(table_set(ln, 1, "paging"), 0);
	assert_int_equal(table_set(ln, 2, "0000:00:03.0"), 0);
	assert_int_equal(table_set(ln, 3, o->json ? "67108864" : "64M"), 0);
	return tb;
}

static void test_table_text(void **state)
{
	struct outopts o = { 0 };
	struct libscols_table *tb;
	struct mem m;

	(void)state;
	mem_open(&m, &o);
	tb = small_table(&o);
	assert_int_equal(table_print(tb, &o), 0);
	scols_unref_table(tb);
	assert_string_equal(mem_text(&m),
		"ID TYPE     DEVICES      MAPPED\n"
		" 0 identity 0000:00:02.0     0B\n"
		"            0000:00:04.0 \n"
		"12 paging   0000:00:03.0    64M\n");
	free(m.buf);

	o.noheadings = 1;
	mem_open(&m, &o);
	tb = small_table(&o);
	assert_int_equal(table_print(tb, &o), 0);
	scols_unref_table(tb);
	assert_string_equal(mem_text(&m),
		" 0 identity 0000:00:02.0     0B\n"
		"            0000:00:04.0 \n"
		"12 paging   0000:00:03.0    64M\n");
	free(m.buf);

	/* --raw: no alignment, list items joined with commas */
	o.noheadings = 0;
	o.raw = 1;
	mem_open(&m, &o);
	tb = small_table(&o);
	assert_int_equal(table_print(tb, &o), 0);
	scols_unref_table(tb);
	assert_string_equal(mem_text(&m),
		"ID TYPE DEVICES MAPPED\n"
		"0 identity 0000:00:02.0,0000:00:04.0 0B\n"
		"12 paging 0000:00:03.0 64M\n");
	free(m.buf);
}

static void test_table_json(void **state)
{
	struct outopts o = { .json = 1 };
	struct libscols_table *tb;
	struct mem m;

	(void)state;
	mem_open(&m, &o);
	tb = small_table(&o);
	assert_int_equal(table_print(tb, &o), 0);
	scols_unref_table(tb);
	/* numbers are JSON numbers, the device list an array, MAPPED is
	 * mapped_bytes (lower case) */
	assert_string_equal(mem_text(&m),
		"{\n"
		"  \"domains\": [\n"
		"    {\n"
		"      \"id\": 0,\n"
		"      \"type\": \"identity\",\n"
		"      \"devices\": [\n"
		"        \"0000:00:02.0\",\n"
		"        \"0000:00:04.0\"\n"
		"      ],\n"
		"      \"mapped_bytes\": 0\n"
		"    },\n"
		"    {\n"
		"      \"id\": 12,\n"
		"      \"type\": \"paging\",\n"
		"      \"devices\": [\n"
		"        \"0000:00:03.0\"\n"
		"      ],\n"
		"      \"mapped_bytes\": 67108864\n"
		"    }\n"
		"  ]\n"
		"}\n");
	free(m.buf);
}

/* A kv summary and a table, printed as one output. */
static void print_all(struct outopts *o, struct mem *m)
{
	struct kvtable kv = { 0 };
	struct libscols_table *tbs[2];

	mem_open(m, o);
	assert_int_equal(kv_add(&kv, "backend", SCOLS_JSON_STRING, "%s", "sim"), 0);
	assert_int_equal(kv_add(&kv, "domains_in_use", SCOLS_JSON_NUMBER, "%d", 3), 0);
	tbs[0] = kv_table(&kv, "status", o);
	tbs[1] = small_table(o);
	assert_non_null(tbs[0]);
	assert_int_equal(table_print_all(tbs, 2, o), 0);
	scols_unref_table(tbs[0]);
	scols_unref_table(tbs[1]);
	kv_free(&kv);
}

static void test_print_all(void **state)
{
	struct outopts o = { 0 };
	struct mem m;

	(void)state;
	print_all(&o, &m);
	assert_string_equal(mem_text(&m),
		"backend        sim\n"
		"domains_in_use 3\n"
		"\n"
		"ID TYPE     DEVICES      MAPPED\n"
		" 0 identity 0000:00:02.0     0B\n"
		"            0000:00:04.0 \n"
		"12 paging   0000:00:03.0    64M\n");
	free(m.buf);

	/* the summary is an object, the table an array */
	o.json = 1;
	print_all(&o, &m);
	assert_non_null(strstr(mem_text(&m),
		"{\n"
		"  \"status\": {\n"
		"    \"backend\": \"sim\",\n"
		"    \"domains_in_use\": 3\n"
		"  },\n"
		"  \"domains\": [\n"
		"    {\n"
		"      \"id\": 0,\n"));
	free(m.buf);
}

/* A summary's list value wraps one item per line in text (as the tables'
 * lists do), never "\x0a"; --raw prints the summary as one row with the
 * keys as headings, --pairs as KEY="value". */
static void test_kv_modes(void **state)
{
	struct outopts o = { 0 };
	struct libscols_table *tb;
	struct kvtable kv = { 0 };
	struct mem m;
	int mode;

	(void)state;
	for (mode = 0; mode < 3; mode++) {
		o.raw = mode == 1;
		o.pairs = mode == 2;
		mem_open(&m, &o);
		assert_int_equal(kv_add(&kv, "backend", SCOLS_JSON_STRING, "%s", "sim"), 0);
		assert_int_equal(kv_add(&kv, "skip", SCOLS_JSON_ARRAY_STRING, "0000:00:05.0%s0000:00:04.0",
					table_list_sep(&o)), 0);
		assert_int_equal(kv_add_missing(&kv, "resumes", SCOLS_JSON_NUMBER), 0);
		tb = kv_table(&kv, "status", &o);
		assert_non_null(tb);
		assert_int_equal(table_print(tb, &o), 0);
		scols_unref_table(tb);
		kv_free(&kv);
		assert_string_equal(mem_text(&m),
			mode == 0 ? "backend sim\n"
				    "skip    0000:00:05.0\n"
				    "        0000:00:04.0\n"
				    "resumes -\n" :
			mode == 1 ? "BACKEND SKIP RESUMES\n"
				    "sim 0000:00:05.0,0000:00:04.0 -\n" :
				    "BACKEND=\"sim\" SKIP=\"0000:00:05.0,0000:00:04.0\" RESUMES=\"-\"\n");
		free(m.buf);
	}
}

/* Missing values are null in JSON whatever the type; an empty list is []. */
static void test_json_missing(void **state)
{
	struct outopts o = { .json = 1 };
	static const int all[] = { 0, 1, 2, 3 };
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct colsel sel;
	struct mem m;

	(void)state;
	mem_open(&m, &o);
	tb = table_new("domains", &o);
	colsel_init(&sel, all, 4);
	assert_int_equal(table_add_columns(tb, cols, &sel, &o), 0);
	ln = table_new_line(tb);
	assert_int_equal(table_set(ln, 0, NULL), 0);
	assert_int_equal(table_set(ln, 1, NULL), 0);
	assert_int_equal(table_set(ln, 2, ""), 0);
	assert_int_equal(table_set(ln, 3, NULL), 0);
	assert_int_equal(table_print(tb, &o), 0);
	scols_unref_table(tb);
	assert_string_equal(mem_text(&m),
		"{\n"
		"  \"domains\": [\n"
		"    {\n"
		"      \"id\": null,\n"
		"      \"type\": null,\n"
		"      \"devices\": [\n"
		"      ],\n"
		"      \"mapped_bytes\": null\n"
		"    }\n"
		"  ]\n"
		"}\n");
	free(m.buf);
}

/* -o ID,ID,+ID selects ID once: no duplicate JSON keys. */
static void test_colsel_duplicates(void **state)
{
	struct colsel sel;
	struct perr err;

	(void)state;
	colsel_init(&sel, NULL, 0);
	assert_int_equal(colsel_parse("ID,id,TYPE,ID", cols, 4, &sel, &err), 0);
	assert_int_equal(sel.n, 2);
	assert_int_equal(colsel_parse("+type,MAPPED", cols, 4, &sel, &err), 0);
	assert_int_equal(sel.n, 3);
	assert_int_equal(sel.id[2], 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_text),
		cmocka_unit_test(test_table_json),
		cmocka_unit_test(test_print_all),
		cmocka_unit_test(test_kv_modes),
		cmocka_unit_test(test_json_missing),
		cmocka_unit_test(test_colsel_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
