// SPDX-License-Identifier: GPL-2.0-or-later
/* test-mmio.c - hvctl mmio and mmio-mode end to end: the built hvctl
 * ($HVCTL) against a fixture tree (fixture.c) with hv_vmm's debugfs
 * partitions/<id>/ and its mmio_mode parameter. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "fixture.h"
#include "json-assert.h"

#define PT "/sys/kernel/debug/hv_vmm/partitions"
#define MODE "/sys/module/hv_vmm/parameters/mmio_mode"
#define COUNTERS "intercepts=5 resolved_full=1 resolved_page=3 already_mapped=1 eager_maps=0 " \
	"guard_refusals=1 resolve_errors=0 notifier_unmaps=2 notifier_pages=260 " \
	"full_ns=1452000 page_ns=40800"

static int setup(void **state)
{
	char *root = fx_create();

	fx_write(root, "/sys/module/hv_vmm/refcnt", "0\n");
	fx_write(root, MODE, "full\n");
	fx_write(root, PT "/7/regions",
		 "gpa=0x40000000 size=0x100000 kind=mmio uaddr=0x7f0000000000 mapped_pages=256\n"
		 "gpa=0x80000000 size=0x200000 kind=ram uaddr=0x7f1000000000 mapped_pages=512\n");
	fx_write(root, PT "/7/counters", COUNTERS "\n");
	fx_write(root, PT "/12/regions", "");
	fx_write(root, PT "/12/counters", COUNTERS " future=1\n");
	*state = root;
	return 0;
}

static int teardown(void **state)
{
	fx_destroy(*state);
	return 0;
}

static void test_mmio_table(void **state)
{
	struct run r;

	RUN(&r, *state, "mmio", "-o", "partition,gpa,kind,mapped", "--raw", "--noheadings");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	/* the mode, the regions (partitions ascending), the counters */
	assert_non_null(strstr(r.out, "7 0x40000000 mmio 256\n7 0x80000000 ram 512\n"));
	assert_non_null(strstr(r.out, "full"));
	assert_non_null(strstr(r.out, "12 5 1 3 1 0 1 0 2 260 1452000 40800\n"));
	run_free(&r);
}

static void test_mmio_json(void **state)
{
	struct json_object *doc;
	struct run r;

	RUN(&r, *state, "mmio", "--json");
	assert_int_equal(r.rc, 0);
	doc = json_doc(r.out);
	assert_jstr(doc, "mmio/mode", "full");
	assert_jnum(doc, "regions/0/partition", 7);
	assert_jstr(doc, "regions/0/gpa", "0x40000000");
	assert_jnum(doc, "regions/0/size", 1048576);
	assert_jstr(doc, "regions/0/kind", "mmio");
	assert_jnum(doc, "regions/0/mapped", 256);
	assert_jnum(doc, "counters/0/partition", 7);
	assert_jnum(doc, "counters/1/partition", 12);
	assert_jnum(doc, "counters/0/intercepts", 5);
	assert_jnum(doc, "counters/0/guard_refusals", 1);
	assert_jnum(doc, "counters/0/notifier_pages", 260);
	json_object_put(doc);
	run_free(&r);
}

static void test_mmio_mode(void **state)
{
	char *v;
	struct run r;

	RUN(&r, *state, "mmio-mode");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "full\n");
	run_free(&r);

	RUN(&r, *state, "mmio-mode", "page");
	assert_int_equal(r.rc, 0);
	run_free(&r);
	v = fx_read(*state, MODE);
	assert_string_equal(v, "page\n");
	free(v);

	/* Bad words: exit 2, one line naming the word, nothing written. */
	RUN(&r, *state, "mmio-mode", "page ");
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err,
		"hvctl: mmio-mode: invalid mode 'page ': expected full, page or eager\n");
	run_free(&r);
	RUN(&r, *state, "mmio-mode", "eager", "full");
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err, "hvctl: mmio-mode: unexpected argument 'full'\n");
	run_free(&r);
	RUN(&r, *state, "mmio-mode", "--json");
	assert_int_equal(r.rc, 2);
	run_free(&r);
	v = fx_read(*state, MODE);
	assert_string_equal(v, "page\n");
	free(v);
}

static void test_mmio_errors(void **state)
{
	char want[1024];
	struct run r;

	RUN(&r, *state, "mmio", "extra");
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err, "hvctl: mmio: unexpected argument 'extra'\n");
	run_free(&r);

	fx_write(*state, PT "/7/counters", "intercepts=1\n");
	RUN(&r, *state, "mmio");
	snprintf(want, sizeof(want), "hvctl: %s" PT "/7/counters:1: missing key 'resolved_full'\n",
		 (char *)*state);
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, want);
	assert_string_equal(r.out, "");
	run_free(&r);

	fx_remove(*state, "/sys/module/hv_vmm");
	RUN(&r, *state, "mmio");
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, "hvctl: hv_vmm is not loaded\n");
	run_free(&r);
	RUN(&r, *state, "mmio-mode", "full");
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, "hvctl: hv_vmm is not loaded\n");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mmio_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
