// SPDX-License-Identifier: GPL-2.0
/*
 * pci_devs_to_skip parser: "(SSSS:BB:DD.F)(SSSS:BB:DD.F)...", white space
 * allowed before, between and after the groups, hex digits in either case.
 * The whole string is checked before anything is accepted.  And the parser
 * of one skip_add / skip_remove line: "SSSS:BB:DD.F|VVVV:DDDD [ORIGIN]".
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "hv_compat.h"
#include "skip_parse.h"

/*
 * Read 1..@maxdigits hex digits at s[*pos] into *@val.  Returns false and
 * leaves *pos at the offending byte when there is no digit or too many.
 */
static bool skip_hex(const char *s, size_t *pos, unsigned int maxdigits,
		     unsigned int *val)
{
	unsigned int n = 0, v = 0;

	while (isxdigit(s[*pos])) {
		if (n == maxdigits)
			return false;
		v = v << 4 | hex_to_bin(s[*pos]);
		(*pos)++;
		n++;
	}
	*val = v;
	return n > 0;
}

static bool skip_char(const char *s, size_t *pos, char c)
{
	if (s[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

/**
 * hv_skip_parse() - parse a pci_devs_to_skip string
 * @s: NUL-terminated string.
 * @out: where to store the devices, or NULL to count them only.
 * @max: room in @out (entries); ignored when @out is NULL.
 * @err: set to the offending byte position and a reason on failure.
 *
 * Pure function: no allocation, no locks, no side effects besides @out and
 * @err.  A device listed twice is stored twice.
 *
 * Return: number of devices (0 for an empty or blank string), or -EINVAL
 * with @err filled in when the string is malformed or names more than
 * HV_SKIP_MAX (or, with @out, @max) devices.
 */
int hv_skip_parse(const char *s, struct hv_skip_bdf *out, unsigned int max,
		  struct hv_skip_error *err)
{
	unsigned int count = 0, seg, bus, dev = 0, fn = 0;
	size_t pos = 0, start, field;

	for (;;) {
		while (isspace(s[pos]))
			pos++;
		if (!s[pos])
			break;
		start = pos;
		if (!skip_char(s, &pos, '(')) {
			err->what = "expected '('";
			goto bad;
		}
		if (!skip_hex(s, &pos, 4, &seg)) {
			err->what = "bad segment";
			goto bad;
		}
		if (!skip_char(s, &pos, ':')) {
			err->what = "expected ':'";
			goto bad;
		}
		if (!skip_hex(s, &pos, 2, &bus)) {
			err->what = "bad bus";
			goto bad;
		}
		if (!skip_char(s, &pos, ':')) {
			err->what = "expected ':'";
			goto bad;
		}
		field = pos;
		if (!skip_hex(s, &pos, 2, &dev) || dev > 0x1f) {
			if (dev > 0x1f)
				pos = field;
			err->what = "bad device";
			goto bad;
		}
		if (!skip_char(s, &pos, '.')) {
			err->what = "expected '.'";
			goto bad;
		}
		field = pos;
		if (!skip_hex(s, &pos, 1, &fn) || fn > 7) {
			if (fn > 7)
				pos = field;
			err->what = "bad function";
			goto bad;
		}
		if (!skip_char(s, &pos, ')')) {
			err->what = "expected ')'";
			goto bad;
		}
		if (count == HV_SKIP_MAX || (out && count == max)) {
			pos = start;
			err->what = "too many devices";
			goto bad;
		}
		if (out) {
			out[count].segment = seg;
			out[count].bus = bus;
			out[count].devfn = dev << 3 | fn;
		}
		count++;
	}
	return count;

bad:
	err->pos = pos;
	return -EINVAL;
}

/**
 * hv_skip_format() - write a device list in canonical form
 * @buf: output buffer.
 * @size: size of @buf in bytes.
 * @list: devices.
 * @count: number of entries in @list.
 *
 * The canonical form is lower-case with no white space:
 * "(0000:00:05.0)(0000:00:06.0)", and "" for an empty list.
 *
 * Return: number of characters written, not counting the NUL.
 */
int hv_skip_format(char *buf, size_t size, const struct hv_skip_bdf *list,
		   unsigned int count)
{
	unsigned int i;
	int n = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < count; i++)
		n += scnprintf(buf + n, size - n, "(%04x:%02x:%02x.%x)",
			       list[i].segment, list[i].bus,
			       list[i].devfn >> 3, list[i].devfn & 7);
	return n;
}

const char * const hv_skip_origin_names[HV_SKIP_ORIGIN_COUNT] = {
	[HV_SKIP_ORIGIN_BOOT] = "boot",
	[HV_SKIP_ORIGIN_RUNTIME] = "runtime",
	[HV_SKIP_ORIGIN_PERSISTENT] = "persistent",
	[HV_SKIP_ORIGIN_RULE] = "rule",
};

/* Exactly @n hex digits at s[*pos], no more. */
static bool skip_hex_exact(const char *s, size_t *pos, unsigned int n,
			   unsigned int *val)
{
	size_t start = *pos;

	return skip_hex(s, pos, n, val) && *pos - start == n;
}

/**
 * hv_skip_parse_entry() - parse one skip_add / skip_remove line
 * @s: NUL-terminated "ENTRY [ORIGIN]" with optional surrounding white space
 *	and a trailing newline.  ENTRY is SSSS:BB:DD.F (a function) or
 *	VVVV:DDDD (every function with that vendor and device id); ORIGIN is
 *	runtime (the default), persistent or rule; rule needs a function.
 * @m: the entry, on success.
 * @origin: the origin, on success (HV_SKIP_ORIGIN_RUNTIME if not given).
 * @err: the offending byte position and a reason, on failure.
 *
 * Pure function, like hv_skip_parse().
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int hv_skip_parse_entry(const char *s, struct hv_skip_match *m,
			enum hv_skip_origin *origin, struct hv_skip_error *err)
{
	unsigned int a, b, dev, fn;
	size_t pos = 0, field, end;
	int i;

	while (isspace(s[pos]))
		pos++;
	field = pos;
	if (!skip_hex_exact(s, &pos, 4, &a)) {
		err->what = "expected 4 hex digits (segment or vendor)";
		goto bad;
	}
	if (!skip_char(s, &pos, ':')) {
		err->what = "expected ':'";
		goto bad;
	}
	field = pos;
	if (skip_hex_exact(s, &pos, 4, &b)) {
		m->by_id = true;
		m->vendor = a;
		m->device = b;
	} else {
		pos = field;
		if (!skip_hex_exact(s, &pos, 2, &b)) {
			err->what = "expected 2 hex digits of bus or 4 of device id";
			goto bad;
		}
		if (!skip_char(s, &pos, ':')) {
			err->what = "expected ':'";
			goto bad;
		}
		field = pos;
		if (!skip_hex_exact(s, &pos, 2, &dev) || dev > 0x1f) {
			pos = field;
			err->what = "bad device (00-1f)";
			goto bad;
		}
		if (!skip_char(s, &pos, '.')) {
			err->what = "expected '.'";
			goto bad;
		}
		field = pos;
		if (!skip_hex_exact(s, &pos, 1, &fn) || fn > 7) {
			pos = field;
			err->what = "bad function (0-7)";
			goto bad;
		}
		m->by_id = false;
		m->bdf.segment = a;
		m->bdf.bus = b;
		m->bdf.devfn = dev << 3 | fn;
	}
	if (s[pos] && !isspace(s[pos])) {
		err->what = "unexpected character after the entry";
		goto bad;
	}
	while (isspace(s[pos]))
		pos++;
	*origin = HV_SKIP_ORIGIN_RUNTIME;
	if (!s[pos])
		return 0;
	for (end = pos; s[end] && !isspace(s[end]); end++)
		;
	for (i = HV_SKIP_ORIGIN_RUNTIME; i < HV_SKIP_ORIGIN_COUNT; i++)
		if (strlen(hv_skip_origin_names[i]) == end - pos &&
		    !strncmp(s + pos, hv_skip_origin_names[i], end - pos))
			break;
	if (i == HV_SKIP_ORIGIN_COUNT) {
		err->what = "origin is not runtime, persistent or rule";
		goto bad;
	}
	if (i == HV_SKIP_ORIGIN_RULE && m->by_id) {
		err->what = "origin rule needs a function (SSSS:BB:DD.F)";
		goto bad;
	}
	*origin = i;
	pos = end;
	while (isspace(s[pos]))
		pos++;
	if (s[pos]) {
		err->what = "unexpected text after the origin";
		goto bad;
	}
	return 0;

bad:
	err->pos = pos;
	return -EINVAL;
}

/**
 * hv_skip_format_match() - write an entry in canonical form
 * @buf: output buffer.
 * @size: size of @buf in bytes.
 * @m: the entry.
 *
 * Return: characters written, not counting the NUL: "0000:00:05.0" or
 * "1234:11e8".
 */
int hv_skip_format_match(char *buf, size_t size, const struct hv_skip_match *m)
{
	if (m->by_id)
		return scnprintf(buf, size, "%04x:%04x", m->vendor, m->device);
	return scnprintf(buf, size, "%04x:%02x:%02x.%x", m->bdf.segment,
			 m->bdf.bus, m->bdf.devfn >> 3, m->bdf.devfn & 7);
}
