/* test-e2e.c - end-to-end tests: the built hvctl ($HVCTL) run against a
 * fixture tree under $HVCTL_ROOT (fixture.c), checking stdout, stderr and
 * exit codes, and that failed changes leave the files unchanged. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"

#define PARAM_SKIP "/sys/module/hv_iommu/parameters/pci_devs_to_skip"

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
	struct run r;

	RUN(&r, root, "list-domains", "--json");
	assert_ok(&r);
	assert_true(!strncmp(r.out, "{\n   \"domains\": [\n", 18));
	assert_contains(r.out,
		"      },{\n"
		"         \"id\": 1,\n"
		"         \"type\": \"paging\",\n"
		"         \"mode\": \"domain\",\n"
		"         \"partition\": \"self\",\n"
		"         \"devices\": [\n"
		"             \"0000:00:03.0\"\n"
		"         ],\n"
		"         \"mapped_bytes\": 67108864,\n"
		"         \"mappings\": 12,\n"
		"         \"state\": \"live\"\n"
		"      },{\n");
	assert_contains(r.out, "\"id\": 4294967295,");
	/* an empty device list is an empty array */
	assert_contains(r.out, "\"partition\": \"-\",\n         \"devices\": [],\n");
	assert_null(strstr(r.out, "null"));
	assert_contains(r.out, "\"devices\": [\n             \"0000:00:02.0\", \"0000:00:04.0\"\n");
	assert_contains(r.out, "\"state\": \"stranded\"");
	run_free(&r);
}

static void test_show_domain(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "show-domain", "1");
	assert_ok(&r);
	assert_contains(r.out, "id        1\n");
	assert_contains(r.out, "mapped    64M (67108864 bytes)\n");
	assert_contains(r.out, "\nBDF          NAME");
	assert_contains(r.out, "0000:00:03.0 ");
	assert_contains(r.out, have_hwdb() ? "Red Hat, Inc." : "1af4:1000");
	assert_contains(r.out, " attached ");
	run_free(&r);

	/* the stranded domain: device with a refused detach, no hwdb name */
	RUN(&r, root, "show-domain", "4", "--json");
	assert_ok(&r);
	assert_contains(r.out, "   \"domain\": [\n      {\n         \"id\": 4,\n");
	assert_contains(r.out, "\"state\": \"stranded\"");
	assert_contains(r.out,
		"   \"devices\": [\n"
		"      {\n"
		"         \"bdf\": \"0000:00:06.0\",\n"
		"         \"name\": \"f00d:abce\",\n"
		"         \"state\": \"detach-failed\",\n"
		"         \"status\": \"0x19\"\n"
		"      }\n"
		"   ]\n"
		"}\n");
	run_free(&r);

	RUN(&r, root, "show-domain", "2", "-o", "BDF,NAME,LOGICAL_ID");
	assert_ok(&r);
	assert_contains(r.out, "0000:00:05.0 f00d:abcd 0x28\n");
	run_free(&r);

	RUN(&r, root, "show-domain", "7");
	assert_fails(&r, 1, "no domain with id 7");
	run_free(&r);
	RUN(&r, root, "show-domain", "seven");
	assert_fails(&r, 2, "invalid domain id 'seven': expected a number");
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

	RUN(&r, root, "mappings", "1", "--json");
	assert_ok(&r);
	assert_string_equal(r.out,
		"{\n"
		"   \"mappings\": [\n"
		"      {\n"
		"         \"iova_first\": \"0x0000000100000000\",\n"
		"         \"iova_last\": \"0x00000001001fffff\",\n"
		"         \"size\": 2097152,\n"
		"         \"phys\": \"0x000000012c400000\",\n"
		"         \"perm\": \"rw\"\n"
		"      },{\n"
		"         \"iova_first\": \"0x0000000100200000\",\n"
		"         \"iova_last\": \"0x0000000100200fff\",\n"
		"         \"size\": 4096,\n"
		"         \"phys\": \"0x0000000200000000\",\n"
		"         \"perm\": \"r\"\n"
		"      }\n"
		"   ]\n"
		"}\n");
	run_free(&r);

	/* an empty domain: nothing in a table, an empty array in JSON */
	RUN(&r, root, "mappings", "3");
	assert_ok(&r);
	assert_string_equal(r.out, "");
	run_free(&r);
	RUN(&r, root, "mappings", "3", "-J");
	assert_ok(&r);
	assert_string_equal(r.out, "{\n   \"mappings\": [\n\n   ]\n}\n");
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
	assert_non_null(strstr(r.out, "      },{\n         \"iova_first\": \"0x0000000001000000\"\n"));
	assert_null(strstr(r.out, "}\n{"));	/* one document */
	assert_contains(r.out, "\"0x000000000270f000\"\n      }\n   ]\n}\n");
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
	struct run r;

	RUN(&r, root, "skip", "list", "-o", "+CONFIGURED");
	assert_ok(&r);
	assert_string_equal(r.out,
		"BDF          NAME      SKIPPED REASON           CONFIGURED\n"
		"0000:00:05.0 f00d:abcd yes     pci_devs_to_skip yes\n"
		"0000:00:08.0 -         yes     pci_devs_to_skip no\n");
	run_free(&r);

	fx_write(root, PARAM_SKIP, "(0000:00:05.0)(0000:00:07.0)\n");
	RUN(&r, root, "skip", "list", "--json");
	assert_ok(&r);
	assert_contains(r.out, "   \"skip\": [\n");
	assert_contains(r.out,
		"         \"bdf\": \"0000:00:07.0\",\n"
		"         \"name\": \"-\",\n"
		"         \"skipped\": false,\n"
		"         \"reason\": \"-\"\n");
	assert_contains(r.out, "\"skipped\": true,");
	run_free(&r);
}

static void test_skip_add_remove(void **state)
{
	const char *root = *state;
	char *param;
	struct run r;

	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_ok(&r);
	assert_contains(r.out, "0000:00:07.0 added to the skip list; this applies to devices probed from now on");
	run_free(&r);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "(0000:00:05.0)(0000:00:07.0)\n");
	free(param);

	/* short form, upper case: same device */
	RUN(&r, root, "skip", "add", "00:07.0");
	assert_fails(&r, 1, "0000:00:07.0 is already in the skip list");
	run_free(&r);
	RUN(&r, root, "skip", "add", "xyz");
	assert_fails(&r, 2, "invalid PCI address 'xyz': expected SSSS:BB:DD.F");
	run_free(&r);
	RUN(&r, root, "skip", "add", "0000:00:20.0");
	assert_fails(&r, 2, "invalid PCI address '0000:00:20.0': expected SSSS:BB:DD.F");
	run_free(&r);
	RUN(&r, root, "skip", "remove", "0000:00:09.0");
	assert_fails(&r, 1, "0000:00:09.0 is not in the skip list");
	run_free(&r);
	RUN(&r, root, "skip", "add", "--json", "0000:00:09.0");
	assert_fails(&r, 2, "skip add: output options apply to read commands only");
	run_free(&r);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "(0000:00:05.0)(0000:00:07.0)\n");	/* unchanged */
	free(param);

	RUN(&r, root, "skip", "add", "ABCD:0F:1F.7");
	assert_ok(&r);
	run_free(&r);
	RUN(&r, root, "skip", "remove", "0000:00:05.0");
	assert_ok(&r);
	assert_contains(r.out, "0000:00:05.0 removed from the skip list");
	run_free(&r);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "(0000:00:07.0)(abcd:0f:1f.7)\n");
	free(param);
	RUN(&r, root, "skip", "remove", "07.0");
	assert_fails(&r, 2, "invalid PCI address '07.0': expected SSSS:BB:DD.F");
	run_free(&r);
	RUN(&r, root, "skip", "remove", "00:07.0");
	assert_ok(&r);
	run_free(&r);
	RUN(&r, root, "skip", "remove", "abcd:0f:1f.7");
	assert_ok(&r);
	run_free(&r);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "\n");	/* empty list, written as echo would */
	free(param);

	/* a malformed current value is reported, not overwritten */
	fx_write(root, PARAM_SKIP, "(0000:00:05.0");
	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_int_equal(r.rc, 1);
	assert_contains(r.err, "pci_devs_to_skip: missing ')' after position 0\n");
	run_free(&r);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "(0000:00:05.0");
	free(param);
}

static void test_status(void **state)
{
	const char *root = *state;
	struct run r;

	RUN(&r, root, "status");
	assert_ok(&r);
	assert_string_equal(r.out,
		"backend          sim\n"
		"attach_mode      auto\n"
		"skip             0000:00:05.0\n"
		"domains_in_use   4\n"
		"identity_domains 1\n"
		"blocked_domains  1\n"
		"paging_domains   4\n"
		"stranded_domains 1\n"
		"deposit_calls    2\n"
		"deposit_pages    512\n"
		"resumes          7\n"
		"\n"
		"NAME                   CODE CALLS  REPS FAILURES\n"
		"map_device_gpa_pages   0xb3   130 65536        0\n"
		"unmap_device_gpa_pages 0xb4     3   512        1\n"
		"\n"
		"STATUS                        CODE COUNT\n"
		"HV_STATUS_INSUFFICIENT_MEMORY  0xb     2\n");
	run_free(&r);

	RUN(&r, root, "status", "--json");
	assert_ok(&r);
	assert_contains(r.out, "{\n   \"status\": [\n      {\n         \"backend\": \"sim\",\n");
	assert_contains(r.out, "\"skip\": [\n             \"0000:00:05.0\"\n         ],\n");
	assert_contains(r.out, "\"domains_in_use\": 4,");
	assert_contains(r.out, "\"resumes\": 7\n");
	run_free(&r);

	/* an empty skip list is an empty array */
	fx_write(root, PARAM_SKIP, "\n");
	RUN(&r, root, "status", "--json");
	assert_ok(&r);
	assert_contains(r.out, "\"skip\": [],\n");
	assert_contains(r.out, "   ],\n   \"calls\": [\n");
	assert_contains(r.out, "\"name\": \"map_device_gpa_pages\",\n         \"code\": \"0xb3\",\n"
			       "         \"calls\": 130,\n         \"reps\": 65536,\n"
			       "         \"failures\": 0\n");
	assert_contains(r.out, "   ],\n   \"failures\": [\n      {\n"
			       "         \"status\": \"HV_STATUS_INSUFFICIENT_MEMORY\",\n");
	run_free(&r);
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
	/* usage errors come first: nothing is read */
	RUN(&r, root, "skip", "add", "bad");
	assert_fails(&r, 2, "invalid PCI address 'bad': expected SSSS:BB:DD.F");
	run_free(&r);
}

static void test_debugfs_not_mounted(void **state)
{
	const char *root = *state;
	const char *msg = "debugfs is not mounted on /sys/kernel/debug "
			  "(mount -t debugfs none /sys/kernel/debug)";
	struct run r;

	fx_write(root, "/proc/mounts", "sysfs /sys sysfs rw 0 0\n"
		 "debugfs /mnt/debug debugfs rw 0 0\n");
	RUN(&r, root, "list-domains");
	assert_fails(&r, 1, msg);
	run_free(&r);
	RUN(&r, root, "skip", "list");
	assert_fails(&r, 1, msg);
	run_free(&r);
	/* skip add needs only sysfs */
	RUN(&r, root, "skip", "add", "0000:00:07.0");
	assert_ok(&r);
	run_free(&r);

	/* mounted, but the hv_iommu directory is missing */
	fx_write(root, "/proc/mounts", "debugfs /sys/kernel/debug debugfs rw 0 0\n");
	fx_remove(root, "/sys/kernel/debug/hv_iommu");
	RUN(&r, root, "mappings", "1");
	assert_fails(&r, 1, msg);
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
	fx_chmod(root, PARAM_SKIP, 0444);
	r.rc = fx_run(root, 1, &r.out, &r.err, "list-domains", (char *)NULL);
	snprintf(want, sizeof(want), "permission denied: %s/sys/kernel/debug/hv_iommu (run as root)", root);
	assert_fails(&r, 1, want);
	run_free(&r);

	r.rc = fx_run(root, 1, &r.out, &r.err, "skip", "add", "0000:00:07.0", (char *)NULL);
	snprintf(want, sizeof(want), "permission denied: %s%s (run as root)", root, PARAM_SKIP);
	assert_fails(&r, 1, want);
	run_free(&r);
	fx_chmod(root, "/sys/kernel/debug", 0755);
	fx_chmod(root, PARAM_SKIP, 0644);
	param = fx_read(root, PARAM_SKIP);
	assert_string_equal(param, "(0000:00:05.0)\n");
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
	RUN(&r, root, "list-domains", "-o");
	assert_fails(&r, 2, "option '-o' requires an argument");
	run_free(&r);
	RUN(&r, root, "skip");
	assert_fails(&r, 2, "skip: missing subcommand (list, add or remove)");
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
		cmocka_unit_test_setup_teardown(test_not_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debugfs_not_mounted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permission_denied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
