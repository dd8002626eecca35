// SPDX-License-Identifier: GPL-2.0-or-later
/* test-e2e.c - end-to-end tests: the built hvctl ($HVCTL) run against a
 * fixture tree under $HVCTL_ROOT (fixture.c), checking stdout, stderr and
 * exit codes, and that failed changes leave the files unchanged. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "fixture.h"
#include "json-assert.h"

#define PARAM_SKIP "/sys/module/hv_iommu/parameters/pci_devs_to_skip"
#define CLASS_SKIP "/sys/class/iommu/hv_iommu/skip"
#define SKIP_ADD "/sys/class/iommu/hv_iommu/skip_add"
#define SKIP_REMOVE "/sys/class/iommu/hv_iommu/skip_remove"
#define SKIP_CONF "/etc/hv-iommu/skip.d"

static int setup(void **state)
{
	*state = fx_create();
	return 0;
}

static int teardown(void **state)
{
	fx_destroy(*state);
	return 0;
}

/* Asserts a successful run with empty stderr. */
static void assert_ok(const struct run *r)
{
	if (r->rc != 0 || r->err[0])
		fail_msg("exit %d, stderr: %s", r->rc, r->err);
}

static void assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("output lacks '%s':\n%s", want, text);
}

/* Asserts exit code RC and exactly the one stderr line "hvctl: MSG". */
static void assert_fails(const struct run *r, int rc, const char *msg)
{
	char want[1024];

	snprintf(want, sizeof(want), "hvctl: %s\n", msg);
	if (r->rc != rc || strcmp(r->err, want))
		fail_msg("want exit %d and '%s', got exit %d and '%s'", rc, want, r->rc, r->err);
	assert_string_equal(r->out, "");
}

static int have_hwdb(void)
{
	return !access("/etc/udev/hwdb.bin", R_OK) || !access("/usr/lib/udev/hwdb.bin", R_OK) ||
	       !access("/lib/udev/hwdb.bin", R_OK);
}

/* No string anywhere in J is "-" (missing values are null). */
static void assert_no_dash(struct json_object *j)
{
	size_t i;

	if (json_object_is_type(j, json_type_string))
		assert_string_not_equal(json_object_get_string(j), "-");
	else if (json_object_is_type(j, json_type_array))
		for (i = 0; i < json_object_array_length(j); i++)
			assert_no_dash(json_object_array_get_idx(j, i));
	else if (json_object_is_type(j, json_type_object)) {
		json_object_object_foreach(j, key, val) {
			(void)key;
			assert_no_dash(val);
		}
	}
}

/* Every line of TEXT has at most WIDTH characters. */
static void assert_width(const char *text, size_t width)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len > width)
			fail_msg("line of %zu > %zu columns: '%.*s'", len, width, (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void test_list_domains(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "list-domains");
	assert_ok(&r);
	assert_string_equal(r.out,
		"        ID TYPE     MODE   PARTITION DEVICES      MAPPED MAPPINGS STATE\n"
		"         0 identity domain self      0000:00:02.0     0B        0 live\n"
		"                                     0000:00:04.0                 \n"
		"4294967295 blocked  domain self      -                0B        0 live\n"
		"         1 paging   domain self      0000:00:03.0    64M       12 live\n"
		"         2 paging   direct 7         0000:00:05.0     4K        1 live\n"
		"         3 paging   none   -         -                0B        0 live\n"
		"         4 paging   domain self      0000:00:06.0     0B        0 stranded\n");
	run_free(&r);

	RUN(&r, root, "--raw", "-o", "id,devices", "list-domains");
	assert_ok(&r);
	assert_string_equal(r.out,
		"ID DEVICES\n"
		"0 0000:00:02.0,0000:00:04.0\n"
		"4294967295 -\n"
		"1 0000:00:03.0\n"
		"2 0000:00:05.0\n"
		"3 -\n"
		"4 0000:00:06.0\n");
	run_free(&r);

	RUN(&r, root, "-o", "id,state", "--noheadings", "list-domains");
	assert_ok(&r);
	assert_string_equal(r.out,
		"         0 live\n"
		"4294967295 live\n"
		"         1 live\n"
		"         2 live\n"
		"         3 live\n"
		"         4 stranded\n");
	run_free(&r);

	RUN(&r, root, "list-domains", "--bytes", "-o", "ID,MAPPED");
	assert_ok(&r);
	assert_contains(r.out, "1 67108864\n");
	run_free(&r);

	RUN(&r, root, "list-domains", "-o", "ID,BOGUS");
	assert_fails(&r, 2, "unknown column 'BOGUS' (see hvctl --help)");
	run_free(&r);
}

static void test_list_domains_json(void **state)
{
	const char *root = *state;
	struct json_object *doc;
	struct run r;

	RUN(&r, root, "list-domains", "--json");
	assert_ok(&r);
	doc = json_doc(r.out);
	assert_jnum(doc, "domains/2/id", 1);
	assert_jstr(doc, "domains/2/type", "paging");
	assert_jstr(doc, "domains/2/devices/0", "0000:00:03.0");
	assert_jnum(doc, "domains/2/mapped_bytes", 67108864);
	assert_jnum(doc, "domains/2/mappings", 12);
	assert_jstr(doc, "domains/2/state", "live");
	assert_jnum(doc, "domains/1/id", 4294967295u);
	/* partition: a number (direct), else null; never "self" or "-" */
	assert_jnum(doc, "domains/3/partition", 7);
	assert_jnull(doc, "domains/2/partition");
	assert_jnull(doc, "domains/4/partition");
	/* an empty device list is an empty array */
	assert_int_equal(json_object_array_length(jget(doc, "domains/4/devices")), 0);
	assert_jstr(doc, "domains/0/devices/1", "0000:00:04.0");
	assert_jstr(doc, "domains/5/state", "stranded");
	assert_no_dash(doc);
	json_object_put(doc);
	run_free(&r);

	/* -o ID,ID: one "id" key per object */
	RUN(&r, root, "list-domains", "-J", "-o", "ID,ID,id,TYPE");
	assert_ok(&r);
	assert_contains(r.out, "\"id\": 0,\n      \"type\": \"identity\"\n");
	assert_null(strstr(r.out, "\"id\": 0,\n      \"id\""));
	run_free(&r);
}

static void test_show_domain(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "show-domain", "1");
	assert_ok(&r);
	assert_contains(r.out, "id        1\n");
	assert_contains(r.out, "mapped    64M\n");
	assert_contains(r.out, "\nBDF          NAME");
	assert_contains(r.out, "0000:00:03.0 ");
	assert_contains(r.out, have_hwdb() ? "Red Hat, Inc." : "1af4:1000");
	assert_contains(r.out, " attached ");
	run_free(&r);

	/* the stranded domain: device with a refused detach, no hwdb name;
	 * the domain is one object, missing values null */
	RUN(&r, root, "show-domain", "4", "--json");
	assert_ok(&r);
	{
		struct json_object *doc = json_doc(r.out);

		assert_true(json_object_is_type(jget(doc, "domain"), json_type_object));
		assert_jnum(doc, "domain/id", 4);
		assert_jstr(doc, "domain/state", "stranded");
		assert_jnull(doc, "domain/partition");
		assert_jstr(doc, "devices/0/bdf", "0000:00:06.0");
		assert_jstr(doc, "devices/0/name", "f00d:abce");
		assert_jstr(doc, "devices/0/state", "detach-failed");
		assert_jstr(doc, "devices/0/status", "0x19");
		assert_int_equal(json_object_array_length(jget(doc, "devices")), 1);
		assert_no_dash(doc);
		json_object_put(doc);
	}
	run_free(&r);

	/* devices with no debugfs record and no sysfs entry: null, not "-" */
	RUN(&r, root, "show-domain", "0", "-J");
	assert_ok(&r);
	{
		struct json_object *doc = json_doc(r.out);

		assert_jnull(doc, "devices/0/name");
		assert_jnull(doc, "devices/0/state");
		assert_jnull(doc, "devices/0/status");
		json_object_put(doc);
	}
	run_free(&r);

	RUN(&r, root, "show-domain", "2", "-o", "BDF,NAME,LOGICAL_ID");
	assert_ok(&r);
	assert_contains(r.out, "0000:00:05.0 f00d:abcd 0x28\n");
	run_free(&r);

	RUN(&r, root, "show-domain", "7");
	assert_fails(&r, 1, "no domain with id 7");
	run_free(&r);
	RUN(&r, root, "show-domain", "seven");
	assert_fails(&r, 2, "invalid domain id 'seven': expected a number (decimal or 0x)");
	run_free(&r);
	/* a number, but not a 32-bit domain id */
	RUN(&r, root, "show-domain", "4294967296");
	assert_fails(&r, 2, "invalid domain id '4294967296': out of range (0 to 4294967295)");
	run_free(&r);
	RUN(&r, root, "show-domain");
	assert_fails(&r, 2, "show-domain: missing domain id");
	run_free(&r);
}

static void test_mappings(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "mappings", "1");
	assert_ok(&r);
	assert_string_equal(r.out,
		"IOVA                                     SIZE PHYS               PERM\n"
		"0x0000000100000000-0x00000001001fffff      2M 0x000000012c400000 rw\n"
		"0x0000000100200000-0x0000000100200fff      4K 0x0000000200000000 r\n");
	run_free(&r);

	/* Other columns in another order: headers line up with the cells. */
	RUN(&r, root, "mappings", "1", "-o", "PERM,SIZE,IOVA_FIRST");
	assert_ok(&r);
	assert_string_equal(r.out,
		"PERM    SIZE IOVA_FIRST\n"
		"rw        2M 0x0000000100000000\n"
		"r         4K 0x0000000100200000\n");
	run_free(&r);

	RUN(&r, root, "mappings", "1", "--json");
	assert_ok(&r);
	{
		struct json_object *doc = json_doc(r.out);

		assert_jstr(doc, "mappings/0/iova_first", "0x0000000100000000");
		assert_jstr(doc, "mappings/0/iova_last", "0x00000001001fffff");
		assert_jnum(doc, "mappings/0/size", 2097152);
		assert_jstr(doc, "mappings/0/phys", "0x000000012c400000");
		assert_jstr(doc, "mappings/0/perm", "rw");
		assert_jnum(doc, "mappings/1/size", 4096);
		assert_jstr(doc, "mappings/1/perm", "r");
		json_object_put(doc);
	}
	run_free(&r);

	/* an empty domain: nothing in a table, an empty array in JSON */
	RUN(&r, root, "mappings", "3");
	assert_ok(&r);
	assert_string_equal(r.out, "");
	run_free(&r);
	RUN(&r, root, "mappings", "3", "-J");
	assert_ok(&r);
	assert_string_equal(r.out, "{\n  \"mappings\": [\n  ]\n}\n");
	run_free(&r);

	RUN(&r, root, "mappings", "9");
	assert_fails(&r, 1, "no domain with id 9");
	run_free(&r);
	RUN(&r, root, "mappings", "0");
	assert_fails(&r, 1, "domain 0 has no mappings file (type identity, state live)");
	run_free(&r);
}

/* More mappings than one printed batch (MAPPINGS_BATCH = 4096): the output
 * is one table / one JSON document. */
static void test_mappings_many(void **state)
{
	const char *root = *state;
	const size_t n = 10000;
	char *text = malloc(n * 64), *p = text;
	struct run r;
	size_t i, lines = 0;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		p += sprintf(p, "0x%016zx-0x%016zx 0x%016zx rw\n",
			     i << 12, (i << 12) + 0xfff, (i + 0x100) << 12);
	fx_write(root, "/sys/kernel/debug/hv_iommu/mappings/1", text);
	free(text);

	RUN(&r, root, "mappings", "1", "--noheadings");
	assert_ok(&r);
	for (p = r.out; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, n);
	assert_contains(r.out, "0x0000000000000000-0x0000000000000fff      4K 0x0000000000100000 rw\n");
	assert_contains(r.out, "0x000000000270f000-0x000000000270ffff      4K 0x000000000280f000 rw\n");
	run_free(&r);

	RUN(&r, root, "mappings", "1", "--json", "-o", "IOVA_FIRST");
	assert_ok(&r);
	lines = 0;
	for (p = r.out; (p = strstr(p, "\"iova_first\"")); p++)
		lines++;
	assert_int_equal(lines, n);
	{
		/* one document */
		struct json_object *doc = json_doc(r.out);

		assert_int_equal(json_object_array_length(jget(doc, "mappings")), n);
		assert_jstr(doc, "mappings/4096/iova_first", "0x0000000001000000");
		assert_jstr(doc, "mappings/9999/iova_first", "0x000000000270f000");
		json_object_put(doc);
	}
	run_free(&r);
}

static void test_malformed_debugfs(void **state)
{
	const char *root = *state;
	char want[1024];
	struct run r;

	fx_write(root, "/sys/kernel/debug/hv_iommu/domains",
		 "id=0 type=identity mode=domain partition=self devices=- mapped_bytes=0 mappings=0\n"
		 "\n"
		 "id=1 type=paging mode=domain partition=self devices=- mapped_bytes=0\n");
	RUN(&r, root, "list-domains");
	snprintf(want, sizeof(want), "%s/sys/kernel/debug/hv_iommu/domains:3: missing key 'mappings'", root);
	assert_fails(&r, 1, want);
	run_free(&r);

	fx_write(root, "/sys/kernel/debug/hv_iommu/mappings/1",
		 "0x1000-0x1fff 0x2000 rw\n"
		 "0x1000-0x1fff 0x2000 x\n");
	RUN(&r, root, "mappings", "1");
	snprintf(want, sizeof(want),
		 "%s/sys/kernel/debug/hv_iommu/mappings/1:2: invalid permissions 'x' (expected r or rw)",
		 root);
	assert_fails(&r, 1, want);
	run_free(&r);

	fx_write(root, "/sys/kernel/debug/hv_iommu/skipped", "bdf=00:05.0 reason=x\n");
	RUN(&r, root, "skip", "list");
	snprintf(want, sizeof(want),
		 "%s/sys/kernel/debug/hv_iommu/skipped:1: key 'bdf': invalid PCI address '00:05.0'", root);
	assert_fails(&r, 1, want);
	run_free(&r);
}

static void test_skip_list(void **state)
{
	const char *root = *state;
	char want[4096];
	struct run r;

	RUN(&r, root, "skip", "list", "-o", "+CONFIGURED");
	assert_ok(&r);
	assert_string_equal(r.out,
		"BDF          NAME      MATCH        ORIGIN IN_FORCE SKIPPED REASON           CONFIGURED\n"
		"0000:00:05.0 f00d:abcd 0000:00:05.0 boot   yes      yes     pci_devs_to_skip yes\n"
		"0000:00:08.0 -         -            -      -        yes     pci_devs_to_skip no\n");
	run_free(&r);

	fx_write(root, CLASS_SKIP, "0000:00:05.0 boot\n0000:00:07.0 runtime\n1234:11e8 persistent\n");
	fx_write(root, SKIP_CONF "/1234:11e8", "# the edus\n1234:11e8\n");
	fx_write(root, SKIP_CONF "/0000:00:09.0", "0000:00:09.0\n");
	RUN(&r, root, "skip", "list", "--json", "-O");
	assert_ok(&r);
	{
		struct json_object *doc = json_doc(r.out);

		assert_jstr(doc, "skip/1/bdf", "0000:00:07.0");
		assert_jnull(doc, "skip/1/name");
		assert_false(json_object_get_boolean(jget(doc, "skip/1/skipped")));
		assert_jnull(doc, "skip/1/reason");
		assert_jstr(doc, "skip/1/origin", "runtime");
		assert_jnull(doc, "skip/1/source");
		assert_true(json_object_get_boolean(jget(doc, "skip/0/skipped")));
		assert_jstr(doc, "skip/0/reason", "pci_devs_to_skip");
		/* a vendor/device entry: no address, its file and line */
		assert_jnull(doc, "skip/2/bdf");
		assert_jstr(doc, "skip/2/match", "1234:11e8");
		assert_jstr(doc, "skip/2/origin", "persistent");
		assert_true(json_object_get_boolean(jget(doc, "skip/2/in_force")));
		snprintf(want, sizeof(want), "%s" SKIP_CONF "/1234:11e8:2", root);
		assert_jstr(doc, "skip/2/source", want);
		/* a persistent entry the driver does not have */
		assert_jstr(doc, "skip/3/bdf", "0000:00:09.0");
		assert_false(json_object_get_boolean(jget(doc, "skip/3/in_force")));
		assert_jstr(doc, "skip/4/bdf", "0000:00:08.0");
		json_object_put(doc);
	}
	run_free(&r);

	/* junk in a persistent file: reported with file and line, the rest listed */
	fx_write(root, SKIP_CONF "/junk", "0000:00:0a.0\nnot an entry\n");
	RUN(&r, root, "skip", "list", "-o", "MATCH", "-n");
	assert_int_equal(r.rc, 0);
	snprintf(want, sizeof(want), "hvctl: warning: %s" SKIP_CONF "/junk:2: 'not an entry' is "
		 "neither SSSS:BB:DD.F, VVVV:DDDD nor KEY=VALUE; line ignored\n", root);
	assert_string_equal(r.err, want);
	assert_contains(r.out, "0000:00:0a.0\n");
	run_free(&r);
}

static void test_skip_add_remove(void **state)
{
	const char *root = *state;
	char *v, want[4096];
	struct run r;

	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_ok(&r);
	assert_contains(r.out, "0000:00:07.0 is on the skip list");
	run_free(&r);
	v = fx_read(root, SKIP_ADD);
	assert_string_equal(v, "0000:00:07.0 runtime\n");	/* one entry, one write */
	free(v);
	v = fx_read(root, PARAM_SKIP);
	assert_string_equal(v, "(0000:00:05.0)\n");		/* the boot list is the driver's */
	free(v);

	/* short form, upper case, vendor/device */
	RUN(&r, root, "skip", "add", "0F:1F.7");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_ADD);
	assert_string_equal(v, "0000:0f:1f.7 runtime\n");
	free(v);
	RUN(&r, root, "skip", "remove", "8086:10D3");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_REMOVE);
	assert_string_equal(v, "8086:10d3\n");
	free(v);

	RUN(&r, root, "skip", "add", "xyz");
	assert_fails(&r, 2, "invalid entry 'xyz': expected SSSS:BB:DD.F (a PCI address) or "
		     "VVVV:DDDD (vendor:device), or --match PROPERTY=VALUE");
	run_free(&r);
	RUN(&r, root, "skip", "add", "0000:00:20.0");
	assert_int_equal(r.rc, 2);
	run_free(&r);
	RUN(&r, root, "skip", "add", "--json", "0000:00:09.0");
	assert_fails(&r, 2, "skip add: output options apply to read commands only");
	run_free(&r);
	RUN(&r, root, "skip", "add", "--match", "ID_PATH=x");
	assert_fails(&r, 2, "skip add: --match needs --persistent (a property match is a udev rule)");
	run_free(&r);
	RUN(&r, root, "skip", "add", "--persistent", "--match", "id_path=x");
	assert_fails(&r, 2, "skip add --match: 'id_path=x': a udev property name is A-Z, 0-9 and _");
	run_free(&r);
	RUN(&r, root, "list-domains", "--persistent");
	assert_fails(&r, 2, "list-domains: --persistent and --match apply to skip add and skip remove only");
	run_free(&r);
	v = fx_read(root, SKIP_ADD);
	assert_string_equal(v, "0000:0f:1f.7 runtime\n");	/* unchanged */
	free(v);

	/* --persistent: the driver, then one file per entry */
	RUN(&r, root, "skip", "add", "--persistent", "1234:11E8");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_ADD);
	assert_string_equal(v, "1234:11e8 persistent\n");
	free(v);
	v = fx_read(root, SKIP_CONF "/1234:11e8");
	assert_string_equal(v, "1234:11e8\n");
	free(v);
	RUN(&r, root, "skip", "add", "--persistent", "--match", "ID_PATH=pci-0000:00:1c.0-*");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_CONF "/ID_PATH=pci-0000:00:1c.0-*");
	assert_string_equal(v, "ID_PATH=pci-0000:00:1c.0-*\n");
	free(v);
	RUN(&r, root, "skip", "add", "--persistent", "1234:11e8");	/* again: fine */
	assert_ok(&r);
	assert_contains(r.out, "1234:11e8 was already in the persistent skip configuration");
	run_free(&r);
	RUN(&r, root, "skip", "remove", "--persistent", "1234:11e8");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_REMOVE);
	assert_string_equal(v, "1234:11e8\n");
	free(v);
	RUN(&r, root, "skip", "remove", "--persistent", "1234:11e8");
	snprintf(want, sizeof(want), "1234:11e8 is not in the persistent skip configuration (%s)",
		 SKIP_CONF);
	assert_fails(&r, 1, want);
	run_free(&r);

	/* skip udev-match: the device's properties are the environment */
	setenv("ID_PATH", "pci-0000:00:1c.0-pci-0000:02:00.0", 1);
	RUN(&r, root, "skip", "udev-match");
	unsetenv("ID_PATH");
	assert_ok(&r);
	snprintf(want, sizeof(want), "HV_IOMMU_SKIP=1\nHV_IOMMU_SKIP_MATCH=%s%s:1\n", root,
		 SKIP_CONF "/ID_PATH=pci-0000:00:1c.0-*");
	assert_string_equal(r.out, want);
	run_free(&r);
	RUN(&r, root, "skip", "udev-match");
	assert_ok(&r);
	assert_string_equal(r.out, "");
	run_free(&r);
	setenv("ID_PATH", "pci-0000:00:1c.0-pci-0000:02:00.0", 1);
	RUN(&r, root, "skip", "udev-apply", "0000:02:00.0");
	unsetenv("ID_PATH");
	assert_ok(&r);
	run_free(&r);
	v = fx_read(root, SKIP_ADD);
	assert_string_equal(v, "0000:02:00.0 rule\n");
	free(v);
}

static void test_status(void **state)
{
	const char *root = *state;
	struct json_object *doc;
	struct run r;

	RUN(&r, root, "status");
	assert_ok(&r);
	assert_string_equal(r.out,
		"backend               sim\n"
		"role                  root\n"
		"attach_mode           auto\n"
		"skip                  0000:00:05.0\n"
		"domains_in_use        4\n"
		"identity_domains      1\n"
		"blocked_domains       1\n"
		"paging_domains        4\n"
		"stranded_domains      1\n"
		"detach_failed_devices 1\n"
		"deposit_calls         2\n"
		"deposit_pages         512\n"
		"resumes               7\n"
		"pinned_leaked_pages   3\n"
		"\n"
		"NAME                   CODE CALLS  REPS FAILURES\n"
		"map_device_gpa_pages   0xb3   130 65536        0\n"
		"unmap_device_gpa_pages 0xb4     3   512        1\n"
		"\n"
		"STATUS                        CODE COUNT\n"
		"HV_STATUS_INSUFFICIENT_MEMORY  0xb     2\n");
	run_free(&r);

	/* the summary is one object */
	RUN(&r, root, "status", "--json");
	assert_ok(&r);
	doc = json_doc(r.out);
	assert_true(json_object_is_type(jget(doc, "status"), json_type_object));
	assert_jstr(doc, "status/backend", "sim");
	assert_jstr(doc, "status/role", "root");
	assert_jstr(doc, "status/skip/0", "0000:00:05.0");
	assert_jnum(doc, "status/domains_in_use", 4);
	assert_jnum(doc, "status/resumes", 7);
	assert_jnum(doc, "status/pinned_leaked_pages", 3);
	assert_jstr(doc, "calls/0/name", "map_device_gpa_pages");
	assert_jstr(doc, "calls/0/code", "0xb3");
	assert_jnum(doc, "calls/0/reps", 65536);
	assert_jstr(doc, "failures/0/status", "HV_STATUS_INSUFFICIENT_MEMORY");
	json_object_put(doc);
	run_free(&r);

	/* an empty skip list is an empty array */
	fx_write(root, CLASS_SKIP, "");
	RUN(&r, root, "status", "--json");
	assert_ok(&r);
	doc = json_doc(r.out);
	assert_int_equal(json_object_array_length(jget(doc, "status/skip")), 0);
	json_object_put(doc);
	run_free(&r);

	/* one section; -o and -x apply to it */
	RUN(&r, root, "status", "calls", "-o", "NAME,CALLS", "-x", "CALLS");
	assert_ok(&r);
	assert_string_equal(r.out,
		"NAME                   CALLS\n"
		"unmap_device_gpa_pages     3\n"
		"map_device_gpa_pages     130\n");
	run_free(&r);
	RUN(&r, root, "status", "-o", "NAME");
	assert_fails(&r, 2, "status: --output, --output-all and --sort need a section (calls or failures)");
	run_free(&r);
	RUN(&r, root, "status", "bogus");
	assert_fails(&r, 2, "status: unknown section 'bogus' (summary, calls or failures)");
	run_free(&r);
}

/* A list in a summary prints one item per line, as in tables: never the
 * escaped newline "\x0a" (the kv table had no wrap setup). */
static void test_summary_lists(void **state)
{
	const char *root = *state;
	struct run r;

	fx_write(root, CLASS_SKIP, "0000:00:05.0 boot\n0000:00:04.0 runtime\n");
	RUN(&r, root, "status");
	assert_ok(&r);
	assert_contains(r.out, "skip                  0000:00:05.0\n"
			       "                      0000:00:04.0\n");
	assert_null(strstr(r.out, "\\x"));
	run_free(&r);
	RUN(&r, root, "show-domain", "0");
	assert_ok(&r);
	assert_contains(r.out, "devices   0000:00:02.0\n          0000:00:04.0\n");
	assert_null(strstr(r.out, "\\x"));
	run_free(&r);
}

/* --raw and --pairs print one parseable table: a summary is one row; a
 * command with several sections needs one named; sizes follow -b. */
static void test_raw_pairs(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "show-domain", "1", "summary", "-r");
	assert_ok(&r);
	assert_string_equal(r.out,
		"ID TYPE MODE PARTITION DEVICES MAPPED MAPPINGS STATE\n"
		"1 paging domain self 0000:00:03.0 64M 12 live\n");
	run_free(&r);
	RUN(&r, root, "show-domain", "1", "-b");
	assert_ok(&r);
	assert_contains(r.out, "mapped    67108864\n");
	run_free(&r);
	RUN(&r, root, "show-domain", "0", "summary", "-P", "-b");
	assert_ok(&r);
	assert_string_equal(r.out,
		"ID=\"0\" TYPE=\"identity\" MODE=\"domain\" PARTITION=\"self\" "
		"DEVICES=\"0000:00:02.0,0000:00:04.0\" MAPPED=\"0\" MAPPINGS=\"0\" STATE=\"live\"\n");
	run_free(&r);
	RUN(&r, root, "-P", "list-domains", "-o", "ID,DEVICES", "-t", "identity");
	assert_ok(&r);
	assert_string_equal(r.out, "ID=\"0\" DEVICES=\"0000:00:02.0,0000:00:04.0\"\n");
	run_free(&r);
	RUN(&r, root, "status", "-r");
	assert_fails(&r, 2, "status: --raw prints one table: name a section (summary, calls or failures)");
	run_free(&r);
	RUN(&r, root, "show-domain", "1", "-P");
	assert_fails(&r, 2, "show-domain: --pairs prints one table: name a section (summary or devices)");
	run_free(&r);
	RUN(&r, root, "status", "summary", "-r", "-n");
	assert_ok(&r);
	assert_string_equal(r.out, "sim root auto 0000:00:05.0 4 1 1 4 1 1 2 512 7 3\n");
	run_free(&r);
	/* as lsblk: one output format */
	RUN(&r, root, "-Jr", "show-domain", "0");
	assert_fails(&r, 2, "options --json, --raw and --pairs are mutually exclusive");
	run_free(&r);
	RUN(&r, root, "-J", "list-domains", "--pairs");
	assert_fails(&r, 2, "options --json, --raw and --pairs are mutually exclusive");
	run_free(&r);
}

/* Sorting, all columns, type filter. */
static void test_sort_filter(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "list-domains", "-o", "ID", "-x", "MAPPED", "-n");
	assert_ok(&r);
	/* MAPPED (hidden) 0B x4 in file order, then 4K, then 64M */
	assert_string_equal(r.out, "         0\n4294967295\n         3\n         4\n         2\n         1\n");
	run_free(&r);
	RUN(&r, root, "list-domains", "-t", "paging", "-o", "ID,TYPE", "-x", "id");
	assert_ok(&r);
	assert_string_equal(r.out, "ID TYPE\n 1 paging\n 2 paging\n 3 paging\n 4 paging\n");
	run_free(&r);
	RUN(&r, root, "list-domains", "-O", "-n", "-r", "-t", "blocked");
	assert_ok(&r);
	assert_string_equal(r.out, "4294967295 blocked domain self - 0B 0 live\n");
	run_free(&r);
	RUN(&r, root, "list-domains", "-t", "pageing");
	assert_fails(&r, 2, "invalid --type 'pageing': expected identity, blocked or paging");
	run_free(&r);
	RUN(&r, root, "list-domains", "-x", "NOPE");
	assert_fails(&r, 2, "unknown sort column 'NOPE' (see hvctl --help)");
	run_free(&r);
	RUN(&r, root, "status", "-t", "paging");
	assert_fails(&r, 2, "status: --type applies to list-domains only");
	run_free(&r);
}

/* -w: long names truncate so that tables fit the width. */
static void test_width(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "-w", "80", "list-domains");
	assert_ok(&r);
	assert_width(r.out, 80);
	run_free(&r);
	RUN(&r, root, "-w", "80", "list-devices");
	assert_ok(&r);
	assert_width(r.out, 80);
	run_free(&r);
	RUN(&r, root, "-w", "60", "show-domain", "1");
	assert_ok(&r);
	assert_width(r.out, 60);
	assert_contains(r.out, "0000:00:03.0 ");
	run_free(&r);
	RUN(&r, root, "-w", "5", "list-domains");
	assert_fails(&r, 2, "invalid width '5': expected 20 to 10000 columns");
	run_free(&r);
}

/* list-devices and show-device: sysfs facts (driver, group, vfio, NUMA,
 * netdev) with hv_iommu's records (domain, mode, state). */
static void test_devices(void **state)
{
	const char *root = *state;
	struct json_object *doc;
	struct run r;

	RUN(&r, root, "list-devices", "-o", "BDF,DRIVER,GROUP,VFIO,NUMA,NETDEV,DOMAIN,MODE,STATE,STATUS");
	assert_ok(&r);
	assert_string_equal(r.out,
		"BDF          DRIVER     GROUP VFIO        NUMA NETDEV DOMAIN MODE          STATE         STATUS\n"
		"0000:00:03.0 virtio-pci     3 -              0 eth0        1 paging/domain attached         0x0\n"
		"0000:00:05.0 vfio-pci       5 /dev/vfio/5    - -           2 paging/direct attached         0x0\n"
		"0000:00:06.0 -              - -              - -           4 paging/domain detach-failed   0x19\n");
	run_free(&r);

	RUN(&r, root, "show-device", "00:06.0", "--json");
	assert_ok(&r);
	doc = json_doc(r.out);
	assert_jstr(doc, "device/bdf", "0000:00:06.0");
	assert_jstr(doc, "device/name", "f00d:abce");
	assert_jnull(doc, "device/driver");
	assert_jnull(doc, "device/iommu_group");
	assert_jnum(doc, "device/domain", 4);
	assert_jstr(doc, "device/state", "detach-failed");
	assert_jstr(doc, "device/status", "0x19");
	assert_no_dash(doc);
	json_object_put(doc);
	run_free(&r);
	RUN(&r, root, "show-device", "0000:00:03.0", "-J");
	assert_ok(&r);
	doc = json_doc(r.out);
	assert_jnum(doc, "device/iommu_group", 3);
	assert_jnum(doc, "device/numa_node", 0);
	assert_jstr(doc, "device/netdev/0", "eth0");
	json_object_put(doc);
	run_free(&r);

	/* a skipped device that has no hv_iommu device record */
	fx_write(root, "/sys/bus/pci/devices/0000:00:08.0/modalias",
		 "pci:v0000F00Dd0000ABCFsv00000000sd00000000bcFFsc00i00\n");
	RUN(&r, root, "show-device", "0000:00:08.0", "-o", "STATE,REASON");
	assert_ok(&r);
	assert_string_equal(r.out, "state  skipped\nreason pci_devs_to_skip\n");
	run_free(&r);

	RUN(&r, root, "show-device", "0000:00:09.0");
	assert_fails(&r, 1, "no PCI device 0000:00:09.0");
	run_free(&r);
	RUN(&r, root, "show-device", "9");
	assert_fails(&r, 2, "invalid PCI address '9': expected SSSS:BB:DD.F");
	run_free(&r);
}

/* A capture read back with --sysroot shows what the tree showed. */
static void test_capture(void **state)
{
	const char *root = *state;
	static const char *const cmds[][4] = {
		{ "list-domains", NULL }, { "status", NULL }, { "list-devices", "-O", NULL },
		{ "skip", "list", NULL }, { "mappings", "1", NULL }, { "show-domain", "4", NULL },
	};
	char tar[1024], dir[1024], cmd[4096];
	struct run r, back;
	size_t i;

	snprintf(tar, sizeof(tar), "%s.tar", root);
	snprintf(dir, sizeof(dir), "%s.unpacked", root);
	RUN(&r, root, "capture", tar);
	assert_ok(&r);
	assert_contains(r.out, "captured ");
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "mkdir '%s' && tar -xf '%s' -C '%s'", dir, tar, dir);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		RUN(&r, root, cmds[i][0], cmds[i][1], cmds[i][2]);
		back.rc = fx_run("/nonexistent", 0, &back.out, &back.err, "--sysroot", dir,
				 cmds[i][0], cmds[i][1], cmds[i][2], (char *)NULL);
		assert_ok(&r);
		assert_ok(&back);
		assert_string_equal(back.out, r.out);
		run_free(&r);
		run_free(&back);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, tar);
	assert_int_equal(system(cmd), 0);

	RUN(&r, root, "--sysroot", "/nonexistent", "status");
	assert_fails(&r, 2, "--sysroot: /nonexistent: No such file or directory");
	run_free(&r);
	RUN(&r, root, "--sysroot", tar, "status");	/* removed above */
	assert_int_equal(r.rc, 2);
	run_free(&r);
	RUN(&r, root, "capture");
	assert_fails(&r, 2, "capture: missing file name (FILE.tar, or - for standard output)");
	run_free(&r);
	RUN(&r, root, "capture", "/nonexistent/dir/x.tar");
	assert_int_equal(r.rc, 1);
	assert_contains(r.err, "hvctl: capture: /nonexistent/dir/x.tar: ");
	run_free(&r);
}

/* Every line of a Prometheus text document: "# HELP name ...",
 * "# TYPE name counter|gauge" before its samples, or a sample
 * name{label="value",...} number. */
static void check_prometheus(const char *text)
{
	regex_t sample, type;
	char typed[64][80];
	size_t ntyped = 0, i;
	const char *p = text;

	assert_int_equal(regcomp(&sample, "^([a-zA-Z_:][a-zA-Z0-9_:]*)"
				 "(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\""
				 "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*\\})? [0-9]+$",
				 REG_EXTENDED), 0);
	assert_int_equal(regcomp(&type, "^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$",
				 REG_EXTENDED), 0);
	while (*p) {
		size_t len = strcspn(p, "\n");
		char line[1024];
		regmatch_t m[2];

		assert_true(len < sizeof(line));
		memcpy(line, p, len);
		line[len] = '\0';
		if (!regexec(&type, line, 2, m, 0)) {
			assert_true(ntyped < 64);
			snprintf(typed[ntyped++], sizeof(typed[0]), "%.*s",
				 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
		} else if (strncmp(line, "# HELP ", 7)) {
			if (regexec(&sample, line, 2, m, 0))
				fail_msg("not a Prometheus sample: '%s'", line);
			for (i = 0; i < ntyped; i++)
				if ((size_t)(m[1].rm_eo - m[1].rm_so) == strlen(typed[i]) &&
				    !strncmp(typed[i], line, strlen(typed[i])))
					break;
			if (i == ntyped)
				fail_msg("sample before its # TYPE: '%s'", line);
		}
		p += len + (p[len] == '\n');
	}
	regfree(&sample);
	regfree(&type);
}

static void test_metrics(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "metrics");
	assert_ok(&r);
	check_prometheus(r.out);
	assert_contains(r.out, "hv_iommu_info{backend=\"sim\",attach_mode=\"auto\"} 1\n");
	assert_contains(r.out, "hv_iommu_debugfs_readable 1\n");
	assert_contains(r.out, "hv_iommu_hypercalls_total{call=\"map_device_gpa_pages\"} 130\n");
	assert_contains(r.out, "hv_iommu_hypercall_failures_total{call=\"unmap_device_gpa_pages\"} 1\n");
	assert_contains(r.out, "hv_iommu_hypercall_status_total{status=\"HV_STATUS_INSUFFICIENT_MEMORY\"} 2\n");
	assert_contains(r.out, "hv_iommu_domain_mapped_bytes{domain=\"1\"} 67108864\n");
	assert_contains(r.out, "hv_iommu_skipped_devices 2\n");
	assert_contains(r.out, "hv_iommu_device_skipped{bdf=\"0000:00:08.0\",reason=\"pci_devs_to_skip\"} 1\n");
	assert_contains(r.out, "hv_iommu_detach_failed_devices 1\n");
	assert_contains(r.out, "hv_iommu_device_detach_failed{bdf=\"0000:00:06.0\"} 1\n");
	assert_contains(r.out, "hv_iommu_stranded_domains 1\n");
	run_free(&r);

	/* without debugfs: the sysfs metrics, said so in a metric */
	fx_remove(root, "/sys/kernel/debug/hv_iommu");
	RUN(&r, root, "metrics");
	assert_int_equal(r.rc, 0);
	check_prometheus(r.out);
	assert_contains(r.out, "hv_iommu_debugfs_readable 0\n");
	assert_contains(r.out, "hv_iommu_skip_device{bdf=\"0000:00:05.0\"} 1\n");
	assert_null(strstr(r.out, "hypercalls_total"));
	run_free(&r);
}

/* promtool (Debian's prometheus package) accepts the output. */
static void test_metrics_promtool(void **state)
{
	const char *root = *state;
	char path[1024], cmd[2048];
	FILE *f;
	struct run r;

	if (access("/usr/bin/promtool", X_OK))
		skip();
	RUN(&r, root, "metrics");
	assert_ok(&r);
	snprintf(path, sizeof(path), "%s.prom", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(r.out, f);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s'", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	run_free(&r);
}

/* The EXAMPLES of hvctl.8 run on the fixture: every line starting with
 * "hvctl " between .nf and .fi, with hvctl from the build on $PATH. */
static void test_man_examples(void **state)
{
	const char *root = *state;
	const char *src = getenv("HVCTL_SRCDIR"), *hvctl = getenv("HVCTL");
	char path[4200], bindir[4200], *line = NULL, *slash;
	size_t cap = 0, ran = 0;
	int in_examples = 0, in_nf = 0;
	FILE *f;

	assert_non_null(src);
	assert_non_null(hvctl);
	snprintf(bindir, sizeof(bindir), "%s", hvctl);
	slash = strrchr(bindir, '/');
	assert_non_null(slash);
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/man/hvctl.8", src);
	f = fopen(path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		char cmd[8192], ex[2048];
		size_t i, o = 0;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".SH ", 4))
			in_examples = !strcmp(line, ".SH EXAMPLES");
		in_nf = !strcmp(line, ".nf") ? 1 : !strcmp(line, ".fi") ? 0 : in_nf;
		if (!in_examples || !in_nf || strncmp(line, "hvctl ", 6))
			continue;
		for (i = 0; line[i] && o + 1 < sizeof(ex); i++)	/* roff: \- is - */
			if (!(line[i] == '\\' && line[i + 1] == '-'))
				ex[o++] = line[i];
		ex[o] = '\0';
		/* the example goes through the environment: no quoting */
		setenv("HVCTL_EXAMPLE", ex, 1);
		snprintf(cmd, sizeof(cmd), "cd '%s' && PATH='%s':$PATH HVCTL_ROOT='%s' "
			 "sh -ec \"$HVCTL_EXAMPLE\" >/dev/null", root, bindir, root);
		if (system(cmd))
			fail_msg("hvctl.8 example failed: %s", ex);
		ran++;
	}
	free(line);
	fclose(f);
	if (ran < 10)
		fail_msg("only %zu examples found in hvctl.8", ran);
}

static void test_not_loaded(void **state)
{
	const char *root = *state;
	struct run r;

	fx_remove(root, "/sys/module/hv_iommu");
	RUN(&r, root, "list-domains");
	assert_fails(&r, 1, "hv_iommu is not loaded");
	run_free(&r);
	RUN(&r, root, "status", "--json");
	assert_fails(&r, 1, "hv_iommu is not loaded");
	run_free(&r);
	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_fails(&r, 1, "hv_iommu is not loaded");
	run_free(&r);
	/* the device view still shows what sysfs says, as lspci -k would */
	RUN(&r, root, "list-devices", "-o", "BDF,DRIVER,STATE");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "hvctl: warning: hv_iommu is not loaded: "
			    "DOMAIN, MODE, STATE, STATUS and REASON not shown\n");
	assert_string_equal(r.out,
		"BDF          DRIVER     STATE\n"
		"0000:00:03.0 virtio-pci -\n"
		"0000:00:05.0 vfio-pci   -\n"
		"0000:00:06.0 -          -\n");
	run_free(&r);
	/* usage errors come first: nothing is read */
	RUN(&r, root, "skip", "add", "bad");
	assert_fails(&r, 2, "invalid entry 'bad': expected SSSS:BB:DD.F (a PCI address) or "
		     "VVVV:DDDD (vendor:device), or --match PROPERTY=VALUE");
	run_free(&r);
}

static void test_debugfs_not_mounted(void **state)
{
	const char *root = *state;
	const char *msg = "debugfs is not mounted on /sys/kernel/debug "
			  "(mount -t debugfs none /sys/kernel/debug)";
	char want[1024];
	struct json_object *doc;
	struct run r;

	/* debugfs elsewhere, and a tmpfs over /sys/kernel/debug (libmount:
	 * the last mount on the directory counts) */
	fx_write(root, "/proc/self/mountinfo",
		 "22 1 0:21 / /sys rw - sysfs sysfs rw\n"
		 "30 22 0:7 / /mnt/debug rw - debugfs debugfs rw\n"
		 "31 22 0:7 / /sys/kernel/debug rw - debugfs debugfs rw\n"
		 "32 31 0:40 / /sys/kernel/debug rw - tmpfs tmpfs rw\n");
	RUN(&r, root, "list-domains");
	assert_fails(&r, 1, msg);
	run_free(&r);
	/* skip add needs only sysfs */
	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_ok(&r);
	run_free(&r);
	fx_write(root, CLASS_SKIP, "0000:00:05.0 boot\n0000:00:07.0 runtime\n1234:11e8 runtime\n");

	/* status and skip list show the sysfs facts and say what is missing */
	RUN(&r, root, "status");
	assert_int_equal(r.rc, 0);
	snprintf(want, sizeof(want), "hvctl: warning: %s: domain counts and hypercall statistics not shown\n", msg);
	assert_string_equal(r.err, want);
	assert_contains(r.out, "backend               sim\n");
	assert_contains(r.out, "skip                  0000:00:05.0\n                      0000:00:07.0\n");
	assert_contains(r.out, "domains_in_use        4\n");
	assert_contains(r.out, "paging_domains        -\n");
	assert_null(strstr(r.out, "NAME"));	/* no calls table */
	run_free(&r);
	RUN(&r, root, "status", "calls");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "");
	run_free(&r);
	RUN(&r, root, "status", "-J");
	assert_int_equal(r.rc, 0);
	doc = json_doc(r.out);
	assert_jstr(doc, "status/backend", "sim");
	assert_jnull(doc, "status/paging_domains");
	assert_jnull(doc, "calls");	/* unknown, not empty */
	assert_jnull(doc, "failures");
	json_object_put(doc);
	run_free(&r);
	RUN(&r, root, "skip", "list");
	assert_int_equal(r.rc, 0);
	assert_contains(r.err, "not shown\n");
	assert_string_equal(r.out,
		"BDF          NAME      MATCH        ORIGIN  IN_FORCE SKIPPED REASON\n"
		"0000:00:05.0 f00d:abcd 0000:00:05.0 boot    yes      -       -\n"
		"0000:00:07.0 -         0000:00:07.0 runtime yes      -       -\n"
		"-            -         1234:11e8    runtime yes      -       -\n");
	run_free(&r);

	/* mounted, but the hv_iommu directory is missing: say so */
	fx_write(root, "/proc/self/mountinfo", "33 22 0:7 / /sys/kernel/debug rw - debugfs debugfs rw\n");
	fx_remove(root, "/sys/kernel/debug/hv_iommu");
	RUN(&r, root, "mappings", "1");
	snprintf(want, sizeof(want), "debugfs is mounted but has no hv_iommu directory "
		 "(%s/sys/kernel/debug/hv_iommu): debugfs disabled by debugfs= on the kernel "
		 "command line?", root);
	assert_fails(&r, 1, want);
	run_free(&r);
}

static void test_permission_denied(void **state)
{
	const char *root = *state;
	char want[1024], *param;
	struct run r;

	/* as on a real system: /sys/kernel/debug is root-only (0700), the
	 * parameters are 0644 root (0 and 0444 here, for a non-root owner) */
	fx_chmod(root, "/sys/kernel/debug", 0);
	fx_chmod(root, SKIP_ADD, 0444);
	r.rc = fx_run(root, 1, &r.out, &r.err, "list-domains", (char *)NULL);
	snprintf(want, sizeof(want), "permission denied: %s/sys/kernel/debug/hv_iommu (run as root)", root);
	assert_fails(&r, 1, want);
	run_free(&r);

	r.rc = fx_run(root, 1, &r.out, &r.err, "skip", "add", "0000:00:07.0", (char *)NULL);
	snprintf(want, sizeof(want), "permission denied: %s%s (run as root)", root, SKIP_ADD);
	assert_fails(&r, 1, want);
	run_free(&r);
	fx_chmod(root, "/sys/kernel/debug", 0755);
	fx_chmod(root, SKIP_ADD, 0644);
	param = fx_read(root, SKIP_ADD);
	assert_string_equal(param, "");
	free(param);
}

/* EPERM as root is not "run as root": with lockdown on it names the mode.
 * An immutable parameter file (chattr +i) gives root EPERM on open, as
 * lockdown does; skipped where chattr is not available. */
static void test_eperm_as_root(void **state)
{
	const char *root = *state;
	char cmd[2048], want[2048], *param;
	struct run r;

	snprintf(cmd, sizeof(cmd), "chattr +i '%s%s' 2>/dev/null", root, SKIP_ADD);
	if (geteuid() != 0 || system(cmd))
		skip();
	fx_write(root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	RUN(&r, root, "skip", "add", "0000:00:07.0");
	snprintf(cmd, sizeof(cmd), "chattr -i '%s%s'", root, SKIP_ADD);
	assert_int_equal(system(cmd), 0);
	snprintf(want, sizeof(want), "%s%s: Operation not permitted as root (kernel lockdown: integrity)",
		 root, SKIP_ADD);
	assert_fails(&r, 1, want);
	run_free(&r);
	param = fx_read(root, SKIP_ADD);
	assert_string_equal(param, "");
	free(param);
}

static void test_usage(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "--help");
	assert_ok(&r);
	assert_contains(r.out, "Usage:\n hvctl [options] <command> [arguments]\n");
	assert_contains(r.out, "Columns of list-domains:\n  ID ");
	run_free(&r);
	RUN(&r, root, "--version");
	assert_ok(&r);
	assert_contains(r.out, "hvctl " PACKAGE_VERSION "\n");
	run_free(&r);
	RUN(&r, root, "frobnicate");
	assert_fails(&r, 2, "unknown command 'frobnicate' (see hvctl --help)");
	run_free(&r);
	RUN(&r, root, "--frob", "status");
	assert_fails(&r, 2, "unknown option '--frob' (see hvctl --help)");
	run_free(&r);
	/* an argument to a flag: not "unknown option '-J'" */
	RUN(&r, root, "--json=1", "status");
	assert_fails(&r, 2, "option '--json' doesn't allow an argument");
	run_free(&r);
	RUN(&r, root, "-Z", "status");
	assert_fails(&r, 2, "unknown option '-Z' (see hvctl --help)");
	run_free(&r);
	RUN(&r, root, "list-domains", "-o");
	assert_fails(&r, 2, "option '-o' requires an argument");
	run_free(&r);
	RUN(&r, root, "skip");
	assert_fails(&r, 2, "skip: missing subcommand (list, add, remove or load)");
	run_free(&r);
	r.rc = fx_run(root, 0, &r.out, &r.err, (char *)NULL);
	assert_fails(&r, 2, "missing command (see hvctl --help)");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_domains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_domains_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_domain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mappings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mappings_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_debugfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_add_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_width, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_promtool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_man_examples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debugfs_not_mounted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permission_denied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eperm_as_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
