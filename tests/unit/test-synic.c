// SPDX-License-Identifier: GPL-2.0-or-later
/* test-synic.c - hvctl synic end to end: the built hvctl ($HVCTL) against a
 * fixture tree (fixture.c) with hv_vmm's debugfs synic file. */
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

#define SYNIC "/sys/kernel/debug/hv_vmm/synic"

static int setup(void **state)
{
	char *root = fx_create();

	fx_write(root, "/sys/module/hv_vmm/refcnt", "0\n");
	fx_write(root, SYNIC,
		 "cpu=0 resource=SCONTROL owner=vmbus online=1 enabled=1 masked=- vector=- page=- delivered=-\n"
		 "cpu=0 resource=SIMP owner=vmbus online=1 enabled=1 masked=- vector=- page=0x22d4000 delivered=-\n"
		 "cpu=0 resource=SINT0 owner=vmm online=1 enabled=1 masked=0 vector=0xf3 page=- delivered=5\n"
		 "cpu=1 resource=SINT0 owner=vmm online=0 enabled=- masked=- vector=- page=- delivered=0 future=x\n");
	*state = root;
	return 0;
}

static int teardown(void **state)
{
	fx_destroy(*state);
	return 0;
}

static void test_synic_table(void **state)
{
	struct run r;

	RUN(&r, *state, "synic");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out,
		"CPU RESOURCE OWNER ONLINE ENABLED MASKED VECTOR      PAGE DELIVERED\n"
		"  0 SCONTROL vmbus      1       1      -      -         -         -\n"
		"  0 SIMP     vmbus      1       1      -      - 0x22d4000         -\n"
		"  0 SINT0    vmm        1       1      0   0xf3         -         5\n"
		"  1 SINT0    vmm        0       -      -      -         -         0\n");
	run_free(&r);

	RUN(&r, *state, "synic", "-o", "cpu,owner", "--raw", "--noheadings");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "0 vmbus\n0 vmbus\n0 vmm\n1 vmm\n");
	run_free(&r);
}

static void test_synic_json(void **state)
{
	struct json_object *doc;
	struct run r;

	RUN(&r, *state, "synic", "--json");
	assert_int_equal(r.rc, 0);
	doc = json_doc(r.out);
	/* "-" (not applicable, unreadable) is null; 0/1 and counts are numbers */
	assert_jnum(doc, "synic/1/cpu", 0);
	assert_jstr(doc, "synic/1/resource", "SIMP");
	assert_jstr(doc, "synic/1/owner", "vmbus");
	assert_jnum(doc, "synic/1/online", 1);
	assert_jnum(doc, "synic/1/enabled", 1);
	assert_jnull(doc, "synic/1/masked");
	assert_jnull(doc, "synic/1/vector");
	assert_jstr(doc, "synic/1/page", "0x22d4000");
	assert_jnull(doc, "synic/1/delivered");
	assert_jstr(doc, "synic/2/vector", "0xf3");
	assert_jnull(doc, "synic/2/page");
	assert_jnum(doc, "synic/2/delivered", 5);
	json_object_put(doc);
	run_free(&r);
}

static void test_synic_errors(void **state)
{
	char want[1024];
	struct run r;

	RUN(&r, *state, "synic", "extra");
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err, "hvctl: synic: unexpected argument 'extra'\n");
	run_free(&r);

	fx_write(*state, SYNIC, "cpu=0 resource=SIMP online=1 enabled=1 masked=- vector=- page=- delivered=-\n");
	RUN(&r, *state, "synic");
	snprintf(want, sizeof(want), "hvctl: %s" SYNIC ":1: missing key 'owner'\n", (char *)*state);
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, want);
	assert_string_equal(r.out, "");
	run_free(&r);

	fx_remove(*state, "/sys/module/hv_vmm");
	RUN(&r, *state, "synic");
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, "hvctl: hv_vmm is not loaded\n");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_synic_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synic_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synic_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
