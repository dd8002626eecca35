// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_domains.c - list-domains, show-domain ID, mappings ID.
 *
 * Sources (doc/interfaces.md): debugfs hv_iommu/domains (one record per
 * domain), hv_iommu/devices (per probed device: the domain the hypervisor
 * has it in, attach state, last detach status) and hv_iommu/mappings/<id>
 * (the domain's interval tree, IOVA order).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "debugfs.h"
#include "devname.h"
#include "err.h"
#include "paths.h"

/* ---- list-domains ---------------------------------------------------- */

enum { DC_ID, DC_TYPE, DC_MODE, DC_PARTITION, DC_DEVICES, DC_MAPPED, DC_MAPPINGS, DC_STATE };

const struct colinfo domains_cols[] = {
	[DC_ID]        = { "ID", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "domain id (hypervisor id for identity 0 and blocked 4294967295)" },
	[DC_TYPE]      = { "TYPE", NULL, 0, 0, SCOLS_JSON_STRING, "identity, blocked or paging" },
	[DC_MODE]      = { "MODE", NULL, 0, 0, SCOLS_JSON_STRING,
			   "domain (device domain), direct (guest partition) or none" },
	[DC_PARTITION] = { "PARTITION", NULL, 0, 0, SCOLS_JSON_NUMBER,
			   "guest partition id (direct), self, or -; JSON: the id or null" },
	[DC_DEVICES]   = { "DEVICES", NULL, 0, 0, SCOLS_JSON_ARRAY_STRING,
			   "attached devices (SSSS:BB:DD.F)" },
	[DC_MAPPED]    = { "MAPPED", "MAPPED_BYTES", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "bytes mapped (human size; JSON mapped_bytes in bytes)" },
	[DC_MAPPINGS]  = { "MAPPINGS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "number of mappings" },
	[DC_STATE]     = { "STATE", NULL, 0, 0, SCOLS_JSON_STRING,
			   "live, or stranded (freed, the hypervisor still holds it)" },
};
const size_t domains_ncols = sizeof(domains_cols) / sizeof(domains_cols[0]);

static const int domains_defs[] = {
	DC_ID, DC_TYPE, DC_MODE, DC_PARTITION, DC_DEVICES, DC_MAPPED, DC_MAPPINGS, DC_STATE
};

/* Text of column COL for domain D into BUF (or a pointer to D's data);
 * NULL when missing. */
static const char *domain_cell(const struct domain *d, int col, const struct outopts *o,
			       char *buf, size_t len)
{
	uint64_t v;

	switch (col) {
	case DC_ID:
		snprintf(buf, len, "%" PRIu64, d->id);
		return buf;
	case DC_TYPE:
		return d->type;
	case DC_MODE:
		return d->mode;
	case DC_PARTITION:
		/* a number in JSON: "self" and "-" have no partition id */
		if (!strcmp(d->partition, "-") || (o->json && parse_u64(d->partition, &v, NULL)))
			return NULL;
		return d->partition;
	case DC_DEVICES:
		return NULL;	/* domain_line joins the list */
	case DC_MAPPED:
		if (o->json || o->bytes)
			snprintf(buf, len, "%" PRIu64, d->mapped_bytes);
		else
			format_size(d->mapped_bytes, buf, len);
		return buf;
	case DC_MAPPINGS:
		snprintf(buf, len, "%" PRIu64, d->mappings);
		return buf;
	case DC_STATE:
		return d->state;
	}
	return "";
}

/* One line of TB for domain D with the columns SEL. */
static int domain_line(struct libscols_table *tb, const struct domain *d,
		       const struct colsel *sel, const struct outopts *o)
{
	struct libscols_line *ln = table_new_line(tb);
	size_t i;

	if (!ln)
		return -1;
	for (i = 0; i < sel->n; i++) {
		char buf[64];
		int r;

		if (sel->id[i] == DC_DEVICES) {
			char *s = bdf_list_join(&d->devices, "", "", table_list_sep(o));

			if (!s)
				return hv_err_nomem();
			/* "-" for none in tables; JSON gets an empty array */
			r = table_set(ln, i, s);
			free(s);
		} else {
			r = table_set(ln, i, domain_cell(d, sel->id[i], o, buf, sizeof(buf)));
		}
		if (r)
			return -1;
	}
	return 0;
}

static const char *const domain_types[] = { "identity", "blocked", "paging" };

/* Checks the --type list LIST ("paging", "identity,blocked").  Returns 0,
 * or -1 after reporting the usage error. */
static int check_types(const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < ARRAY_SIZE(domain_types); i++)
			if (strlen(domain_types[i]) == len && !strncmp(domain_types[i], p, len))
				break;
		if (i == ARRAY_SIZE(domain_types))
			return hv_err("invalid --type '%.*s': expected identity, blocked or paging",
				      (int)len, p);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* Is TYPE in the --type LIST (NULL: every type)? */
static int type_selected(const char *list, const char *type)
{
	size_t len = strlen(type);
	const char *p = list;

	if (!list)
		return 1;
	for (;;) {
		if (strcspn(p, ",") == len && !strncmp(p, type, len))
			return 1;
		p += strcspn(p, ",");
		if (!*p++)
			return 0;
	}
}

/* hvctl list-domains: one row per debugfs `domains` record (of the --type
 * types). */
int cmd_list_domains(const struct opts *o, int argc, char **argv)
{
	struct domain_list dl;
	struct libscols_table *tb = NULL;
	struct colsel sel;
	int rc = HV_EXIT_FAIL;
	size_t i;

	if (no_more_args("list-domains", argc, argv, 0) || (o->type && check_types(o->type)))
		return HV_EXIT_USAGE;
	if (table_columns(&o->out, domains_cols, domains_ncols, domains_defs,
			  ARRAY_SIZE(domains_defs), &sel))
		return HV_EXIT_USAGE;
	if (paths_require_debugfs() || debugfs_read_domains(&dl))
		return HV_EXIT_FAIL;
	tb = table_new("domains", &o->out);
	if (!tb || table_add_columns(tb, domains_cols, &sel, &o->out))
		goto out;
	for (i = 0; i < dl.n; i++)
		if (type_selected(o->type, dl.v[i].type) &&
		    domain_line(tb, &dl.v[i], &sel, &o->out))
			goto out;
	if (!table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	domain_list_free(&dl);
	return rc;
}

/* ---- show-domain ------------------------------------------------------ */

enum { VC_BDF, VC_NAME, VC_STATE, VC_STATUS, VC_DOMAIN, VC_DEVICE_ID, VC_LOGICAL_ID };

const struct colinfo domdev_cols[] = {
	[VC_BDF]        = { "BDF", NULL, 0, 0, SCOLS_JSON_STRING, "PCI address SSSS:BB:DD.F" },
	[VC_NAME]       = { "NAME", NULL, 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "vendor and model from the udev hwdb, else vendor:device" },
	[VC_STATE]      = { "STATE", NULL, 0, 0, SCOLS_JSON_STRING,
			    "attached or detach-failed (debugfs devices); - if not probed" },
	[VC_STATUS]     = { "STATUS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			    "HV_STATUS of the last detach (0x0: success); - if not probed" },
	[VC_DOMAIN]     = { "DOMAIN", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "domain the hypervisor has the device in" },
	[VC_DEVICE_ID]  = { "DEVICE_ID", NULL, 0, 0, SCOLS_JSON_STRING,
			    "hypervisor device id (union hv_device_id, PCI form)" },
	[VC_LOGICAL_ID] = { "LOGICAL_ID", NULL, 0, 0, SCOLS_JSON_STRING,
			    "logical device id (direct attach only)" },
};
const size_t domdev_ncols = sizeof(domdev_cols) / sizeof(domdev_cols[0]);

static const int domdev_defs[] = { VC_BDF, VC_NAME, VC_STATE, VC_STATUS };

/* The summary of domain D (kv: one object in JSON). */
static int domain_summary(const struct domain *d, const struct outopts *o, struct kvtable *kv)
{
	static const int cols[] = { DC_ID, DC_TYPE, DC_MODE, DC_PARTITION, DC_DEVICES,
				    DC_MAPPED, DC_MAPPINGS, DC_STATE };
	size_t i;

	/* the list-domains columns and cells, as one object */
	for (i = 0; i < ARRAY_SIZE(cols); i++) {
		char buf[64];
		const char *v = domain_cell(d, cols[i], o, buf, sizeof(buf));
		char *devs = NULL;
		int r;

		if (cols[i] == DC_DEVICES) {
			devs = bdf_list_join(&d->devices, "", "", table_list_sep(o));
			if (!devs)
				return hv_err_nomem();
			v = devs;
		}
		r = kv_add_cell(kv, &domains_cols[cols[i]], v, o);
		free(devs);
		if (r)
			return -1;
	}
	return 0;
}

/* One device row: B, with debugfs `devices` record DEV (NULL if none). */
static int device_line(struct libscols_table *tb, const struct colsel *sel,
		       const struct bdf *b, const struct hv_device *dev,
		       struct devnames *dn)
{
	struct libscols_line *ln = table_new_line(tb);
	size_t i;

	if (!ln)
		return -1;
	for (i = 0; i < sel->n; i++) {
		char buf[256];
		const char *v = buf;

		switch (sel->id[i]) {
		case VC_BDF:
			bdf_format(b, buf);
			break;
		case VC_NAME:
			v = devnames_get(dn, b, buf, sizeof(buf));
			break;
		case VC_STATE:
			v = dev ? dev->state : NULL;
			break;
		case VC_STATUS:
			snprintf(buf, sizeof(buf), "0x%" PRIx64, dev ? dev->status : 0);
			v = dev ? buf : NULL;
			break;
		case VC_DOMAIN:
			snprintf(buf, sizeof(buf), "%" PRIu64, dev ? dev->domain : 0);
			v = dev ? buf : NULL;
			break;
		case VC_DEVICE_ID:
			snprintf(buf, sizeof(buf), "0x%016" PRIx64, dev ? dev->device_id : 0);
			v = dev && dev->device_id ? buf : NULL;
			break;
		case VC_LOGICAL_ID:
			snprintf(buf, sizeof(buf), "0x%" PRIx64, dev ? dev->logical_id : 0);
			v = dev && dev->has_logical_id ? buf : NULL;
			break;
		}
		if (table_set(ln, i, v))
			return -1;
	}
	return 0;
}

static const char *const show_domain_sections[] = { "summary", "devices", NULL };

/* hvctl show-domain ID [summary|devices]: summary of the domain + its
 * devices.  The devices are those in the domain's devices= list and, after
 * them, any device whose debugfs `devices` record says domain=ID (e.g. a
 * refused detach).  --raw/--pairs print one section. */
int cmd_show_domain(const struct opts *o, int argc, char **argv)
{
	struct domain_list dl = { 0 };
	struct device_list vl = { 0 };
	struct kvtable kv = { 0 };
	struct libscols_table *tbs[2] = { NULL, NULL };
	struct devnames *dn = NULL;
	const struct domain *d;
	struct colsel sel;
	uint64_t id;
	int rc = HV_EXIT_FAIL, section;
	size_t i;

	if (parse_domain_id("show-domain", argc ? argv[0] : NULL, &id) ||
	    no_more_args("show-domain", argc, argv, 2))
		return HV_EXIT_USAGE;
	section = table_one_section("show-domain", argc > 1 ? argv[1] : NULL,
				    show_domain_sections, &o->out);
	if (section < 0 || table_columns(&o->out, domdev_cols, domdev_ncols, domdev_defs,
					 ARRAY_SIZE(domdev_defs), &sel))
		return HV_EXIT_USAGE;
	if (paths_require_debugfs() || debugfs_read_domains(&dl))
		return HV_EXIT_FAIL;
	d = domain_list_find(&dl, id);
	if (!d) {
		hv_err("no domain with id %" PRIu64, id);
		goto out;
	}
	if (debugfs_read_devices(&vl))
		goto out;
	dn = devnames_open();
	if (!dn || domain_summary(d, &o->out, &kv))
		goto out;
	tbs[0] = kv_table(&kv, "domain", &o->out);
	tbs[1] = table_new("devices", &o->out);
	if (!tbs[0] || !tbs[1] || table_add_columns(tbs[1], domdev_cols, &sel, &o->out))
		goto out;
	for (i = 0; i < d->devices.n; i++)
		if (device_line(tbs[1], &sel, &d->devices.v[i],
				device_list_find(&vl, &d->devices.v[i]), dn))
			goto out;
	for (i = 0; i < vl.n; i++)
		if (vl.v[i].domain == id && bdf_list_find(&d->devices, &vl.v[i].bdf) < 0 &&
		    device_line(tbs[1], &sel, &vl.v[i].bdf, &vl.v[i], dn))
			goto out;
	if (section < 2 ? !table_print(tbs[section], &o->out) : !table_print_all(tbs, 2, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tbs[0]);
	scols_unref_table(tbs[1]);
	kv_free(&kv);
	devnames_close(dn);
	device_list_free(&vl);
	domain_list_free(&dl);
	return rc;
}

/* ---- mappings ---------------------------------------------------------- */

enum { MC_IOVA, MC_IOVA_FIRST, MC_IOVA_LAST, MC_SIZE, MC_PHYS, MC_PERM };

/* Absolute widths (addresses are printed as 0x + 16 digits) with
 * STRICTWIDTH, so that batches printed separately line up. */
const struct colinfo mappings_cols[] = {
	[MC_IOVA]       = { "IOVA", NULL, 37, SCOLS_FL_STRICTWIDTH, SCOLS_JSON_STRING,
			    "IOVA range first-last (inclusive)" },
	[MC_IOVA_FIRST] = { "IOVA_FIRST", NULL, 18, SCOLS_FL_STRICTWIDTH, SCOLS_JSON_STRING,
			    "first IOVA byte" },
	[MC_IOVA_LAST]  = { "IOVA_LAST", NULL, 18, SCOLS_FL_STRICTWIDTH, SCOLS_JSON_STRING,
			    "last IOVA byte" },
	[MC_SIZE]       = { "SIZE", NULL, 7, SCOLS_FL_RIGHT | SCOLS_FL_STRICTWIDTH, SCOLS_JSON_NUMBER,
			    "size (human; bytes with --bytes and in JSON)" },
	[MC_PHYS]       = { "PHYS", NULL, 18, SCOLS_FL_STRICTWIDTH, SCOLS_JSON_STRING,
			    "physical address of the first byte" },
	[MC_PERM]       = { "PERM", NULL, 4, SCOLS_FL_STRICTWIDTH, SCOLS_JSON_STRING,
			    "permissions: r or rw" },
};
const size_t mappings_ncols = sizeof(mappings_cols) / sizeof(mappings_cols[0]);

static const int mappings_defs[] = { MC_IOVA, MC_SIZE, MC_PHYS, MC_PERM };
static const int mappings_json_defs[] = { MC_IOVA_FIRST, MC_IOVA_LAST, MC_SIZE, MC_PHYS, MC_PERM };

/*
 * The mappings are written straight to the stream, one line each, in the
 * layout libsmartcols gives the other tables (the columns have absolute,
 * strict widths, so that is fixed): a million lines cost about what cat
 * does, with no per-line allocation and nothing kept.
 */
struct mapping_ctx {
	const struct colsel *sel;
	const struct outopts *o;
	FILE *out;
	size_t lines;
	size_t batch;		/* lines between flushes */
	char *pend;		/* lines not written yet (dropped on an error) */
	size_t len, cap;
	unsigned width[COLSEL_MAX];
	uint64_t size_cached;	/* the last size seen, */
	char size_text[24];	/* its text */
	size_t size_len;	/* and length (0: none yet) */
	char pre[COLSEL_MAX][40];	/* JSON and pairs: text before a cell */
	const char *post[COLSEL_MAX];	/* and after it */
};

/* Room a line (with a header before it) takes at most in the pending
 * buffer: written there directly, flushed before less than this is left. */
#define MAPPING_LINE_MAX 1024

/* The two hex digits of each byte value, made once (hex_pairs_init). */
static char hex_pairs[256][2];

static void hex_pairs_init(void)
{
	static const char digits[] = "0123456789abcdef";
	int b;

	for (b = 0; b < 256; b++) {
		hex_pairs[b][0] = digits[b >> 4];
		hex_pairs[b][1] = digits[b & 0xf];
	}
}

/* "0x" and 16 hex digits of V at P; returns the end.  A byte per step:
 * three of these per line are most of a million-line dump's own work. */
static char *put_hex(char *p, uint64_t v)
{
	int i;

	*p++ = '0';
	*p++ = 'x';
	for (i = 7; i >= 0; i--, p += 2)
		memcpy(p, hex_pairs[(v >> (8 * i)) & 0xff], 2);
	return p;
}

/* Cell I (a mappings_cols index) of M into BUF; returns its length. */
static size_t mapping_cell(struct mapping_ctx *ctx, int id, const struct mapping *m, char *buf)
{
	char *p = buf;

	switch (id) {
	case MC_IOVA:
		p = put_hex(p, m->first);
		*p++ = '-';
		p = put_hex(p, m->last);
		break;
	case MC_IOVA_FIRST:
		p = put_hex(p, m->first);
		break;
	case MC_IOVA_LAST:
		p = put_hex(p, m->last);
		break;
	case MC_SIZE:
		/* Sizes repeat (a fragmented domain's are all 4 KiB): the text
		 * of the last one is kept, in bytes or human form. */
		if (mapping_size(m) != ctx->size_cached || !ctx->size_len) {
			ctx->size_cached = mapping_size(m);
			if (ctx->o->json || ctx->o->bytes)
				snprintf(ctx->size_text, sizeof(ctx->size_text), "%" PRIu64,
					 ctx->size_cached);
			else
				format_size(ctx->size_cached, ctx->size_text, sizeof(ctx->size_text));
			ctx->size_len = strlen(ctx->size_text);
		}
		memcpy(p, ctx->size_text, ctx->size_len);
		p += ctx->size_len;
		break;
	case MC_PHYS:
		p = put_hex(p, m->phys);
		break;
	case MC_PERM:
		/* No printf per line: under emulation it costs more than the rest. */
		*p++ = 'r';
		if (m->perm & MAP_PERM_W)
			*p++ = 'w';
		break;
	}
	return (size_t)(p - buf);
}

/* JSON and pairs: the key and quotes around each cell, made once. */
static void mapping_keys(struct mapping_ctx *ctx)
{
	size_t i, k;

	for (i = 0; i < ctx->sel->n; i++) {
		const struct colinfo *c = &mappings_cols[ctx->sel->id[i]];
		int quote = !ctx->o->json || c->json_type != SCOLS_JSON_NUMBER;
		char *p = ctx->pre[i];

		if (ctx->o->json) {
			p += sprintf(p, "%s\"%s\": %s", i ? ", " : "    { ",
				     c->json_name ? c->json_name : c->name, quote ? "\"" : "");
			for (k = 0; ctx->pre[i][k]; k++)
				ctx->pre[i][k] = (char)tolower((unsigned char)ctx->pre[i][k]);
		} else {
			sprintf(p, "%s%s=\"", i ? " " : "", c->name);
		}
		ctx->post[i] = quote ? "\"" : "";
	}
}

/* Appends TEXT (LEN bytes) as cell I of a table line at P; returns the end. */
static char *put_cell(const struct mapping_ctx *ctx, size_t i, char *p, const char *text, size_t len)
{
	const struct colinfo *c = &mappings_cols[ctx->sel->id[i]];
	size_t pad = ctx->width[i] > len ? ctx->width[i] - len : 0;
	int last = i + 1 == ctx->sel->n;

	if (i)
		*p++ = ' ';
	if (ctx->o->raw) {
		pad = 0;
	} else if (c->flags & SCOLS_FL_RIGHT) {
		memset(p, ' ', pad);
		p += pad;
		pad = 0;
	} else if (last) {
		pad = 0;	/* no trailing blanks */
	}
	memcpy(p, text, len);
	p += len;
	memset(p, ' ', pad);
	return p + pad;
}

/* The header line of a table at P; returns the end. */
static char *mapping_header(const struct mapping_ctx *ctx, char *p)
{
	size_t i;

	for (i = 0; i < ctx->sel->n; i++) {
		const char *name = mappings_cols[ctx->sel->id[i]].name;

		p = put_cell(ctx, i, p, name, strlen(name));
	}
	*p++ = '\n';
	return p;
}

/* Writes the pending lines. */
static int mapping_flush(struct mapping_ctx *ctx)
{
	if (ctx->len && fwrite(ctx->pend, 1, ctx->len, ctx->out) != ctx->len)
		return hv_err("cannot write the mappings: %s", strerror(errno));
	ctx->len = 0;
	return 0;
}

/* debugfs_foreach_mapping callback: one line per mapping, kept pending in
 * batches (a malformed line drops the batch it is in, as a table does). */
static int mapping_line(const struct mapping *m, void *arg)
{
	struct mapping_ctx *ctx = arg;
	char cell[64], *line = ctx->pend + ctx->len, *p = line;
	size_t i, len;

	if (!ctx->lines) {
		if (ctx->o->json)
			p = stpcpy(p, "{\n  \"mappings\": [\n");
		else if (!ctx->o->pairs && !ctx->o->noheadings)
			p = mapping_header(ctx, p);
	}
	if (ctx->o->json && ctx->lines) {
		*p++ = ',';
		*p++ = '\n';
	}
	for (i = 0; i < ctx->sel->n; i++) {
		len = mapping_cell(ctx, ctx->sel->id[i], m, cell);
		if (!ctx->o->json && !ctx->o->pairs) {
			p = put_cell(ctx, i, p, cell, len);
			continue;
		}
		p = stpcpy(p, ctx->pre[i]);
		memcpy(p, cell, len);
		p = stpcpy(p + len, ctx->post[i]);
	}
	if (ctx->o->json)
		p = stpcpy(p, " }");
	else
		*p++ = '\n';
	ctx->len += (size_t)(p - line);
	if (++ctx->lines % ctx->batch == 0 || ctx->cap - ctx->len < MAPPING_LINE_MAX)
		return mapping_flush(ctx);
	return 0;
}

/* Explains why mappings/<ID> does not exist. */
static void mappings_missing(uint64_t id)
{
	struct domain_list dl;
	const struct domain *d;

	if (debugfs_read_domains(&dl))
		return;
	d = domain_list_find(&dl, id);
	if (!d)
		hv_err("no domain with id %" PRIu64, id);
	else
		hv_err("domain %" PRIu64 " has no mappings file (type %s, state %s)",
		       id, d->type, d->state);
	domain_list_free(&dl);
}

/* Streams debugfs mappings/<ID> as a table or JSON (see cmds.h); IOVA and PHYS are
 * byte addresses, SIZE bytes. */
int mappings_print(const struct opts *o, unsigned long long id,
		   const struct colsel *sel, size_t batch)
{
	struct mapping_ctx ctx = { .sel = sel, .o = &o->out, .out = o->out.out,
				   .batch = batch ? batch : 1 };
	size_t i;
	int r;

	for (i = 0; i < sel->n; i++) {
		ctx.width[i] = (unsigned)mappings_cols[sel->id[i]].whint;
		if (sel->id[i] == MC_SIZE && o->out.bytes && !o->out.json)
			ctx.width[i] = 20;	/* sizes in bytes: up to 20 digits */
	}
	mapping_keys(&ctx);
	hex_pairs_init();
	ctx.cap = 256 * 1024;
	ctx.pend = malloc(ctx.cap);
	if (!ctx.pend) {
		hv_err_nomem();
		return HV_EXIT_FAIL;
	}
	r = debugfs_foreach_mapping(id, mapping_line, &ctx);
	if (r == DEBUGFS_NOFILE)
		mappings_missing(id);
	if (!r)
		r = mapping_flush(&ctx);
	free(ctx.pend);
	if (r)
		return HV_EXIT_FAIL;
	if (o->out.json)
		fputs(ctx.lines ? "\n  ]\n}\n" : "{\n  \"mappings\": [\n  ]\n}\n", ctx.out);
	if (fflush(ctx.out)) {
		hv_err("cannot write the mappings: %s", strerror(errno));
		return HV_EXIT_FAIL;
	}
	return HV_EXIT_OK;
}

/* hvctl mappings ID: debugfs mappings/<ID>, streamed. */
int cmd_mappings(const struct opts *o, int argc, char **argv)
{
	struct colsel sel;
	uint64_t id;
	int r;

	if (parse_domain_id("mappings", argc ? argv[0] : NULL, &id) ||
	    no_more_args("mappings", argc, argv, 1))
		return HV_EXIT_USAGE;
	if (o->out.sort) {
		hv_err("mappings: --sort is not supported (printed in IOVA order as read)");
		return HV_EXIT_USAGE;
	}
	if (o->out.json)
		r = table_columns(&o->out, mappings_cols, mappings_ncols, mappings_json_defs,
				  ARRAY_SIZE(mappings_json_defs), &sel);
	else
		r = table_columns(&o->out, mappings_cols, mappings_ncols, mappings_defs,
				  ARRAY_SIZE(mappings_defs), &sel);
	if (r)
		return HV_EXIT_USAGE;
	if (paths_require_debugfs())
		return HV_EXIT_FAIL;
	return mappings_print(o, id, &sel, MAPPINGS_BATCH);
}
