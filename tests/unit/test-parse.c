// SPDX-License-Identifier: GPL-2.0-or-later
/* test-parse.c - cmocka tests of hvctl's pure parsers and formatters
 * (hvctl/parse.c) and of -o column selection (colsel_parse). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "parse.h"
#include "table.h"

static void test_parse_u64(void **state)
{
	uint64_t v;
	struct perr err;

	(void)state;
	assert_int_equal(parse_u64("0", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("4294967295", &v, &err), 0);
	assert_int_equal(v, 4294967295u);
	assert_int_equal(parse_u64("0x1f", &v, &err), 0);
	assert_int_equal(v, 31);
	assert_int_equal(parse_u64("0XaB", &v, &err), 0);
	assert_int_equal(v, 0xab);
	assert_int_equal(parse_u64("18446744073709551615", &v, &err), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("0xffffffffffffffff", &v, &err), 0);
	assert_true(v == UINT64_MAX);

	assert_int_equal(parse_u64("18446744073709551616", &v, &err), -1);
	assert_non_null(strstr(err.msg, "out of range"));
	assert_int_equal(parse_u64("0x10000000000000000", &v, &err), -1);
	assert_int_equal(parse_u64("", &v, &err), -1);
	assert_int_equal(parse_u64("0x", &v, &err), -1);
	assert_int_equal(parse_u64("-1", &v, &err), -1);
	assert_int_equal(parse_u64("+1", &v, &err), -1);
	assert_int_equal(parse_u64(" 1", &v, &err), -1);
	assert_int_equal(parse_u64("12a", &v, &err), -1);
	assert_int_equal(parse_u64("0x1g", &v, &err), -1);
	assert_string_equal(err.msg, "invalid number '0x1g'");
}

static void check_size(uint64_t bytes, const char *want)
{
	char buf[32];

	format_size(bytes, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_format_size(void **state)
{
	(void)state;
	check_size(0, "0B");
	check_size(1023, "1023B");
	check_size(1024, "1K");
	check_size(1536, "1.5K");
	check_size(4096, "4K");
	check_size(67108864, "64M");
	check_size(1048575, "1M");		/* 1023.999K rounds up to the next unit */
	check_size(UINT64_C(3) << 30, "3G");
	check_size((UINT64_C(5) << 40) + (UINT64_C(1) << 39), "5.5T");
	check_size(UINT64_MAX, "16E");
}

static void check_bdf(const char *in, const char *canon)
{
	struct bdf b;
	char out[BDF_STRLEN];

	assert_int_equal(bdf_parse(in, &b), 0);
	bdf_format(&b, out);
	assert_string_equal(out, canon);
}

static void test_bdf_valid(void **state)
{
	(void)state;
	check_bdf("0000:00:03.0", "0000:00:03.0");
	check_bdf("ABCD:fF:1f.7", "abcd:ff:1f.7");
	check_bdf("00:03.0", "0000:00:03.0");		/* short form: segment 0000 */
	check_bdf("ff:1f.7", "0000:ff:1f.7");
	check_bdf("ffff:00:00.0", "ffff:00:00.0");
}

static void test_bdf_invalid(void **state)
{
	static const char *const bad[] = {
		"", "xyz", "0000:00:20.0" /* device > 0x1f */, "0000:00:03.8" /* function > 7 */,
		"000:00:03.0", "00000:00:03.0", "0000:00:03", "0000:00:03.", "0000-00:03.0",
		"0000:0g:03.0", "0000:00:03.0 ", " 0000:00:03.0", "0:0:3.0", "0000:00:3.0",
		"0000:000:03.0", "0000:00:03:0", "00:3.0", "0000:00:03.00", "g0:03.0",
	};
	struct bdf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bdf_parse(bad[i], &b) != -1)
			fail_msg("accepted invalid BDF '%s'", bad[i]);
	}
	/* the short form is not accepted where the full one is required */
	assert_int_equal(bdf_parse_n("00:03.0", 7, 0, &b), -1);
}

static void roundtrip(const char *in, const char *canon, size_t n)
{
	struct bdf_list l = { 0 };
	struct perr err;
	char *s;

	if (skiplist_parse(in, &l, &err))
		fail_msg("rejected '%s': %s", in, err.msg);
	assert_int_equal(l.n, n);
	s = skiplist_format(&l);
	assert_non_null(s);
	assert_string_equal(s, canon);
	bdf_list_free(&l);
	/* the canonical form parses to itself */
	assert_int_equal(skiplist_parse(s, &l, &err), 0);
	assert_int_equal(l.n, n);
	free(s);
	s = skiplist_format(&l);
	assert_string_equal(s, canon);
	free(s);
	bdf_list_free(&l);
}

static void test_skiplist_roundtrip(void **state)
{
	(void)state;
	roundtrip("", "", 0);
	roundtrip("  \n", "", 0);
	roundtrip("(0000:00:03.0)", "(0000:00:03.0)", 1);
	roundtrip("(0000:00:03.0)(0000:00:05.0)", "(0000:00:03.0)(0000:00:05.0)", 2);
	roundtrip(" (0000:00:03.0)  (ABCD:00:05.1)\n", "(0000:00:03.0)(abcd:00:05.1)", 2);
}

static void reject(const char *in, const char *want)
{
	struct bdf_list l = { 0 };
	struct perr err;

	if (skiplist_parse(in, &l, &err) != -1)
		fail_msg("accepted malformed skip list '%s'", in);
	if (!strstr(err.msg, want))
		fail_msg("'%s': message '%s' lacks '%s'", in, err.msg, want);
	bdf_list_free(&l);
}

static void test_skiplist_malformed(void **state)
{
	(void)state;
	reject("0000:00:03.0", "expected '(' at position 0");
	reject("(0000:00:03.0", "missing ')' after position 0");
	reject("(00:03.0)", "invalid PCI address '00:03.0' at position 1");
	reject("(0000:00:03.0)x", "expected '(' at position 14");
	reject("(0000:00:03.0),(0000:00:04.0)", "expected '(' at position 14");
	reject("(0000:00:03.0)(0000:00:20.0)", "invalid PCI address '0000:00:20.0' at position 15");
	reject("()", "invalid PCI address '' at position 1");
	reject("((0000:00:03.0))", "invalid PCI address");
}

static void test_bdf_list_ops(void **state)
{
	struct bdf_list l = { 0 };
	struct bdf a, b, c;
	struct perr err;
	char *s;

	(void)state;
	assert_int_equal(bdf_parse("00:01.0", &a), 0);
	assert_int_equal(bdf_parse("00:02.0", &b), 0);
	assert_int_equal(bdf_parse("00:03.0", &c), 0);
	assert_int_equal(bdf_list_add(&l, &a), 0);
	assert_int_equal(bdf_list_add(&l, &b), 0);
	assert_int_equal(bdf_list_add(&l, &c), 0);
	assert_int_equal(bdf_list_find(&l, &b), 1);
	bdf_list_remove(&l, 1);
	assert_int_equal(bdf_list_find(&l, &b), -1);
	s = skiplist_format(&l);
	assert_string_equal(s, "(0000:00:01.0)(0000:00:03.0)");
	free(s);
	bdf_list_free(&l);

	assert_int_equal(bdf_csv_parse("-", &l, &err), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(bdf_csv_parse("0000:00:02.0,0000:00:04.0", &l, &err), 0);
	assert_int_equal(l.n, 2);
	bdf_list_free(&l);
	assert_int_equal(bdf_csv_parse("0000:00:02.0,", &l, &err), -1);
	bdf_list_free(&l);
	assert_int_equal(bdf_csv_parse("00:02.0", &l, &err), -1);
	bdf_list_free(&l);
}

static void test_record_parse(void **state)
{
	char line[] = "id=1 type=paging  future=x=y\n";
	char tagged[] = "call name=map code=0xb3";
	char bad[] = "id=1 junk";
	char bad2[] = "id=1 =x";
	char blank[] = " \n";
	struct record rec;
	struct perr err;

	(void)state;
	assert_int_equal(record_parse(line, &rec, &err), 0);
	assert_null(rec.tag);
	assert_int_equal(rec.n, 3);
	assert_string_equal(record_get(&rec, "id"), "1");
	assert_string_equal(record_get(&rec, "type"), "paging");
	assert_string_equal(record_get(&rec, "future"), "x=y");	/* value may hold '=' */
	assert_null(record_get(&rec, "mode"));
	assert_null(record_need(&rec, "mode", &err));
	assert_string_equal(err.msg, "missing key 'mode'");

	assert_int_equal(record_parse(tagged, &rec, &err), 0);
	assert_string_equal(rec.tag, "call");
	assert_string_equal(record_get(&rec, "code"), "0xb3");

	assert_int_equal(record_parse(bad, &rec, &err), -1);
	assert_string_equal(err.msg, "field 'junk' is not key=value");
	assert_int_equal(record_parse(bad2, &rec, &err), -1);
	assert_string_equal(err.msg, "field '=x' has an empty key");
	assert_int_equal(record_parse(blank, &rec, &err), 0);
	assert_int_equal(rec.n, 0);
	assert_null(rec.tag);
}

/* Parses LINE (a copy) as a `domains` record into D. */
static int domain_line(const char *line, struct domain *d, struct perr *err)
{
	char buf[512];
	struct record rec;

	snprintf(buf, sizeof(buf), "%s", line);
	if (record_parse(buf, &rec, err))
		return -1;
	return domain_from_record(&rec, d, err);
}

static void test_domain_record(void **state)
{
	struct domain d;
	struct perr err;

	(void)state;
	assert_int_equal(domain_line("id=1 type=paging mode=domain partition=self "
				     "devices=0000:00:03.0 mapped_bytes=67108864 mappings=12 newkey=7",
				     &d, &err), 0);
	assert_int_equal(d.id, 1);
	assert_string_equal(d.type, "paging");
	assert_string_equal(d.mode, "domain");
	assert_string_equal(d.partition, "self");
	assert_int_equal(d.devices.n, 1);
	assert_int_equal(d.devices.v[0].dev, 3);
	assert_int_equal(d.mapped_bytes, 67108864);
	assert_int_equal(d.mappings, 12);
	assert_string_equal(d.state, "live");
	domain_free(&d);

	assert_int_equal(domain_line("id=4294967295 type=blocked mode=domain partition=self "
				     "devices=- mapped_bytes=0 mappings=0 state=stranded", &d, &err), 0);
	assert_int_equal(d.id, 4294967295u);
	assert_int_equal(d.devices.n, 0);
	assert_string_equal(d.state, "stranded");
	domain_free(&d);

	/* attach order in the file, BDF order in the struct */
	assert_int_equal(domain_line("id=0 type=identity mode=domain partition=self "
				     "devices=0000:00:1f.0,0000:01:00.0,0000:00:03.1,0000:00:03.0 "
				     "mapped_bytes=0 mappings=0", &d, &err), 0);
	assert_int_equal(d.devices.n, 4);
	assert_true(d.devices.v[0].dev == 3 && d.devices.v[0].fn == 0);
	assert_true(d.devices.v[1].dev == 3 && d.devices.v[1].fn == 1);
	assert_true(d.devices.v[2].dev == 0x1f && d.devices.v[2].bus == 0);
	assert_true(d.devices.v[3].bus == 1);
	domain_free(&d);

	assert_int_equal(domain_line("id=1 type=paging mode=domain partition=self devices=- "
				     "mapped_bytes=0", &d, &err), -1);
	assert_string_equal(err.msg, "missing key 'mappings'");
	assert_int_equal(domain_line("id=x type=paging mode=domain partition=self devices=- "
				     "mapped_bytes=0 mappings=0", &d, &err), -1);
	assert_string_equal(err.msg, "key 'id': invalid number 'x'");
	assert_int_equal(domain_line("id=1 type=paging mode=domain partition=self devices=00:03.0 "
				     "mapped_bytes=0 mappings=0", &d, &err), -1);
	assert_non_null(strstr(err.msg, "invalid PCI address '00:03.0'"));
}

static void test_device_skipped_records(void **state)
{
	char l1[] = "bdf=0000:00:05.0 device_id=0x4000000000000028 domain=2 state=attached status=0x0 logical_id=0x28";
	char l2[] = "bdf=0000:00:06.0 domain=4 state=detach-failed status=0x19";
	char l3[] = "bdf=0000:00:06.0 domain=4 state=attached";
	char l4[] = "bdf=0000:00:05.0 reason=pci_devs_to_skip";
	char l5[] = "bdf=0000:00:05.0";
	struct record rec;
	struct hv_device d;
	struct hv_skipped s;
	struct perr err;

	(void)state;
	assert_int_equal(record_parse(l1, &rec, &err), 0);
	assert_int_equal(device_from_record(&rec, &d, &err), 0);
	assert_true(d.device_id == UINT64_C(0x4000000000000028));
	assert_int_equal(d.domain, 2);
	assert_string_equal(d.state, "attached");
	assert_true(d.has_logical_id);
	assert_int_equal(d.logical_id, 0x28);
	device_free(&d);

	assert_int_equal(record_parse(l2, &rec, &err), 0);
	assert_int_equal(device_from_record(&rec, &d, &err), 0);
	assert_int_equal(d.status, 0x19);
	assert_false(d.has_logical_id);
	device_free(&d);

	assert_int_equal(record_parse(l3, &rec, &err), 0);
	assert_int_equal(device_from_record(&rec, &d, &err), -1);
	assert_string_equal(err.msg, "missing key 'status'");

	assert_int_equal(record_parse(l4, &rec, &err), 0);
	assert_int_equal(skipped_from_record(&rec, &s, &err), 0);
	assert_string_equal(s.reason, "pci_devs_to_skip");
	skipped_free(&s);
	assert_int_equal(record_parse(l5, &rec, &err), 0);
	assert_int_equal(skipped_from_record(&rec, &s, &err), 0);
	assert_string_equal(s.reason, "-");
	skipped_free(&s);
}

static void test_stats_records(void **state)
{
	static const char *const lines[] = {
		"call name=map_device_gpa_pages code=0xb3 calls=130 reps=65536 failures=0",
		"status name=HV_STATUS_INSUFFICIENT_MEMORY code=0xb count=2",
		"deposits calls=2 pages=512",
		"resumes count=7",
		"pinned_leaked pages=3",
		"newcounter value=9",
	};
	struct hv_stats st = { 0 };
	struct record rec;
	struct perr err;
	char buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		assert_int_equal(record_parse(buf, &rec, &err), 0);
		assert_int_equal(stats_add_record(&rec, &st, &err), 0);
	}
	assert_int_equal(st.ncalls, 1);
	assert_string_equal(st.calls[0].name, "map_device_gpa_pages");
	assert_int_equal(st.calls[0].code, 0xb3);
	assert_int_equal(st.calls[0].calls, 130);
	assert_int_equal(st.calls[0].reps, 65536);
	assert_int_equal(st.nstatuses, 1);
	assert_int_equal(st.statuses[0].code, 0xb);
	assert_int_equal(st.statuses[0].count, 2);
	assert_int_equal(st.deposit_calls, 2);
	assert_int_equal(st.deposit_pages, 512);
	assert_int_equal(st.resumes, 7);
	assert_int_equal(st.pinned_leaked_pages, 3);

	snprintf(buf, sizeof(buf), "call name=x code=0xb3 calls=1 reps=1");
	assert_int_equal(record_parse(buf, &rec, &err), 0);
	assert_int_equal(stats_add_record(&rec, &st, &err), -1);
	assert_string_equal(err.msg, "missing key 'failures'");
	stats_free(&st);
}

static void test_mapping_line(void **state)
{
	struct mapping m;
	struct perr err;

	(void)state;
	assert_int_equal(mapping_parse("0x0000000100000000-0x00000001001fffff 0x000000012c400000 rw\n",
				       &m, &err), 0);
	assert_true(m.first == UINT64_C(0x100000000));
	assert_true(m.last == UINT64_C(0x1001fffff));
	assert_true(m.phys == UINT64_C(0x12c400000));
	assert_int_equal(m.perm, MAP_PERM_R | MAP_PERM_W);
	assert_int_equal(mapping_size(&m), 2 * 1024 * 1024);
	assert_string_equal(mapping_perm_str(m.perm), "rw");

	assert_int_equal(mapping_parse("0x1000-0x1fff 0x2000 r extra=1", &m, &err), 0);
	assert_int_equal(m.perm, MAP_PERM_R);
	assert_int_equal(mapping_size(&m), 4096);
	assert_string_equal(mapping_perm_str(m.perm), "r");

	assert_int_equal(mapping_parse("0x1000-0x1fff 0x2000 w", &m, &err), -1);
	assert_string_equal(err.msg, "invalid permissions 'w' (expected r or rw)");
	assert_int_equal(mapping_parse("0x2000-0x1fff 0x2000 r", &m, &err), -1);
	assert_non_null(strstr(err.msg, "ends before it starts"));
	assert_int_equal(mapping_parse("0x1000-0x1fff 0x2000", &m, &err), -1);
	assert_string_equal(err.msg, "expected 'FIRST-LAST PHYS PERM', got 2 fields");
	assert_int_equal(mapping_parse("", &m, &err), -1);
	assert_int_equal(mapping_parse("1000-0x1fff 0x2000 r", &m, &err), -1);
	assert_string_equal(err.msg, "invalid IOVA range '1000-0x1fff'");
	assert_int_equal(mapping_parse("0x1000 0x2000 r", &m, &err), -1);
	assert_int_equal(mapping_parse("0x1000-0x1fff 0xzz r", &m, &err), -1);
	assert_string_equal(err.msg, "invalid physical address '0xzz'");
	assert_int_equal(mapping_parse("0x0-0xffffffffffffffff 0x0 r", &m, &err), -1);
}

static void test_modalias(void **state)
{
	unsigned v, d;

	(void)state;
	assert_int_equal(modalias_pci_ids("pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00",
					  &v, &d), 0);
	assert_int_equal(v, 0x1af4);
	assert_int_equal(d, 0x1000);
	assert_int_equal(modalias_pci_ids("usb:v1D6Bp0002", &v, &d), -1);
	assert_int_equal(modalias_pci_ids("pci:v0000", &v, &d), -1);
}

static void test_colsel(void **state)
{
	static const struct colinfo ci[] = {
		{ "ID", NULL, 0, 0, 0, "" }, { "TYPE", NULL, 0, 0, 0, "" },
		{ "STATE", NULL, 0, 0, 0, "" },
	};
	static const int defs[] = { 0, 1 };
	struct colsel sel;
	struct perr err;

	(void)state;
	colsel_init(&sel, defs, 2);
	assert_int_equal(colsel_parse("state,id", ci, 3, &sel, &err), 0);
	assert_int_equal(sel.n, 2);
	assert_int_equal(sel.id[0], 2);
	assert_int_equal(sel.id[1], 0);
	colsel_init(&sel, defs, 2);
	assert_int_equal(colsel_parse("+STATE", ci, 3, &sel, &err), 0);
	assert_int_equal(sel.n, 3);
	assert_int_equal(sel.id[2], 2);
	assert_int_equal(colsel_parse("ID,BOGUS", ci, 3, &sel, &err), -1);
	assert_string_equal(err.msg, "unknown column 'BOGUS'");
	assert_int_equal(sel.n, 3);	/* unchanged on error */
	assert_int_equal(colsel_parse("ID,", ci, 3, &sel, &err), -1);
	assert_string_equal(err.msg, "unknown column ''");
}

/* EACCES/EPERM say "run as root" only to non-root; as root they name the
 * lockdown mode (or a security policy), never "run as root". */
static void test_errno_message(void **state)
{
	char m[256];

	(void)state;
	errno_message(m, sizeof(m), "/d/x", EACCES, 1000, NULL);
	assert_string_equal(m, "permission denied: /d/x (run as root)");
	errno_message(m, sizeof(m), "/d/x", EPERM, 1000, "integrity");
	assert_string_equal(m, "permission denied: /d/x (run as root)");
	errno_message(m, sizeof(m), "/d/x", EPERM, 0, "integrity");
	assert_string_equal(m, "/d/x: Operation not permitted as root (kernel lockdown: integrity)");
	errno_message(m, sizeof(m), "/d/x", EPERM, 0, "none");
	assert_string_equal(m, "/d/x: Operation not permitted as root (a security policy denies it)");
	errno_message(m, sizeof(m), "/d/x", EACCES, 0, NULL);
	assert_string_equal(m, "/d/x: Permission denied as root (a security policy denies it)");
	errno_message(m, sizeof(m), "/d/x", ENOENT, 0, "integrity");
	assert_string_equal(m, "/d/x: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_bdf_valid),
		cmocka_unit_test(test_bdf_invalid),
		cmocka_unit_test(test_skiplist_roundtrip),
		cmocka_unit_test(test_skiplist_malformed),
		cmocka_unit_test(test_bdf_list_ops),
		cmocka_unit_test(test_record_parse),
		cmocka_unit_test(test_domain_record),
		cmocka_unit_test(test_device_skipped_records),
		cmocka_unit_test(test_stats_records),
		cmocka_unit_test(test_mapping_line),
		cmocka_unit_test(test_modalias),
		cmocka_unit_test(test_colsel),
		cmocka_unit_test(test_errno_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
