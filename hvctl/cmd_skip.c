// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_skip.c - skip list|add|remove|load|udev-match|udev-apply.
 *
 * Sources (doc/interfaces.md): the driver's live list
 * /sys/class/iommu/hv_iommu/skip ("ENTRY ORIGIN" lines; changed one entry at
 * a time through skip_add and skip_remove, which re-probe the devices an
 * entry names), the boot list pci_devs_to_skip (the module parameter; the
 * live list's "boot" entries), debugfs hv_iommu/skipped (devices the driver
 * declined at probe, and why) and the persistent configuration under
 * /etc/hv-iommu/skip.d (skipconf.h), which udev-rules/70-hv-iommu-skip.rules
 * applies through `skip load`, `skip udev-match` and `skip udev-apply`.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "debugfs.h"
#include "devname.h"
#include "err.h"
#include "paths.h"
#include "skipconf.h"
#include "sysfs.h"

enum { SC_BDF, SC_NAME, SC_MATCH, SC_ORIGIN, SC_SOURCE, SC_IN_FORCE, SC_SKIPPED, SC_REASON,
       SC_CONFIGURED };

const struct colinfo skip_cols[] = {
	[SC_BDF]        = { "BDF", NULL, 0, 0, SCOLS_JSON_STRING, "PCI address SSSS:BB:DD.F" },
	[SC_NAME]       = { "NAME", NULL, 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "vendor and model from the udev hwdb, else vendor:device" },
	[SC_MATCH]      = { "MATCH", NULL, 0.2, 0, SCOLS_JSON_STRING,
			    "the entry: SSSS:BB:DD.F, VVVV:DDDD or a udev PROPERTY=GLOB" },
	[SC_ORIGIN]     = { "ORIGIN", NULL, 0, 0, SCOLS_JSON_STRING,
			    "boot (pci_devs_to_skip), runtime, persistent or rule (a udev rule's match)" },
	[SC_SOURCE]     = { "SOURCE", NULL, 0.2, 0, SCOLS_JSON_STRING,
			    "FILE:LINE of the persistent entry under /etc/hv-iommu/skip.d" },
	[SC_IN_FORCE]   = { "IN_FORCE", NULL, 0, 0, SCOLS_JSON_BOOLEAN,
			    "yes: on the driver's live list now" },
	[SC_SKIPPED]    = { "SKIPPED", NULL, 0, 0, SCOLS_JSON_BOOLEAN,
			    "yes: declined at probe (debugfs skipped); - without debugfs" },
	[SC_REASON]     = { "REASON", NULL, 0, 0, SCOLS_JSON_STRING,
			    "why it was declined (debugfs skipped); - if it was not" },
	[SC_CONFIGURED] = { "CONFIGURED", NULL, 0, 0, SCOLS_JSON_BOOLEAN,
			    "yes: on the live list by its address now" },
};
const size_t skip_ncols = sizeof(skip_cols) / sizeof(skip_cols[0]);

static const int skip_defs[] = { SC_BDF, SC_NAME, SC_MATCH, SC_ORIGIN, SC_IN_FORCE, SC_SKIPPED,
				 SC_REASON };

/* Does PATH exist under the system root? */
static int exists(const char *path)
{
	char p[4096];

	return !paths_make_quiet(p, sizeof(p), "%s", path) && !access(p, F_OK);
}

static long live_find(const struct skip_live *l, const char *text)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].text, text))
			return (long)i;
	return -1;
}

/* One row of skip list. */
struct row {
	const struct bdf *bdf;		/* NULL: an entry naming no one address */
	const char *match, *origin;
	const struct skipconf_entry *conf;
	int in_force;
};

static int skip_line(struct libscols_table *tb, const struct colsel *sel, const struct row *r,
		     const struct skip_live *live, const struct skipped_list *sk,
		     struct devnames *dn)
{
	const struct hv_skipped *s = sk && r->bdf ? skipped_list_find(sk, r->bdf) : NULL;
	struct libscols_line *ln = table_new_line(tb);
	char b[BDF_STRLEN] = "";
	size_t i;

	if (!ln)
		return -1;
	if (r->bdf)
		bdf_format(r->bdf, b);
	for (i = 0; i < sel->n; i++) {
		char buf[PATH_MAX + 32];
		const char *v = buf;

		switch (sel->id[i]) {
		case SC_BDF:
			v = r->bdf ? b : NULL;
			break;
		case SC_NAME:
			v = r->bdf ? devnames_get(dn, r->bdf, buf, sizeof(buf)) : NULL;
			break;
		case SC_MATCH:
			v = r->match;
			break;
		case SC_ORIGIN:
			v = r->origin;
			break;
		case SC_SOURCE:
			if (r->conf)
				snprintf(buf, sizeof(buf), "%s:%u", r->conf->file, r->conf->line);
			else
				v = NULL;
			break;
		case SC_IN_FORCE:
			v = r->match ? (r->in_force ? "yes" : "no") : NULL;
			break;
		case SC_SKIPPED:
			v = !sk ? NULL : s ? "yes" : "no";
			break;
		case SC_REASON:
			v = s && strcmp(s->reason, "-") ? s->reason : NULL;
			break;
		case SC_CONFIGURED:
			v = r->bdf && live_find(live, b) >= 0 ? "yes" : "no";
			break;
		}
		if (table_set(ln, i, v))
			return -1;
	}
	return 0;
}

/* The persistent entry the live entry L comes from, if any. */
static const struct skipconf_entry *conf_of(const struct skipconf *c, const struct skip_live_entry *l)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		char k[16];

		if (!skipconf_kernel_text(&c->v[i], k) && !strcmp(k, l->text))
			return &c->v[i];
	}
	return NULL;
}

/* The property entry of C matching the device at B, if any. */
static const struct skipconf_entry *conf_prop_of(const struct skipconf *c, const struct bdf *b,
						 struct bdf_list *scratch)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].kind != SKC_PROP)
			continue;
		scratch->n = 0;
		if (!skipconf_present(&c->v[i], scratch) && bdf_list_find(scratch, b) >= 0)
			return &c->v[i];
	}
	return NULL;
}

/* hvctl skip list: the live entries in list order (with the persistent entry
 * each comes from), the persistent entries not in force, then devices
 * declined at probe that no entry names by address.  Without debugfs,
 * SKIPPED and REASON are missing (and a warning says so). */
static int skip_list(const struct opts *o)
{
	struct skip_live live = { 0 };
	struct skipconf conf = { 0 };
	struct skipped_list sk = { 0 };
	struct bdf_list shown = { 0 }, scratch = { 0 };
	struct libscols_table *tb = NULL;
	struct devnames *dn = NULL;
	struct colsel sel;
	int rc = HV_EXIT_FAIL, nodebugfs;
	size_t i, j, nbad;

	if (table_columns(&o->out, skip_cols, skip_ncols, skip_defs, ARRAY_SIZE(skip_defs), &sel))
		return HV_EXIT_USAGE;
	nodebugfs = paths_want_debugfs("SKIPPED and REASON (devices declined at probe)", 1);
	if (nodebugfs < 0 || sysfs_read_skip_live(&live) || skipconf_read(&conf, &nbad) ||
	    (!nodebugfs && debugfs_read_skipped(&sk)))
		goto out;
	dn = devnames_open();
	tb = table_new("skip", &o->out);
	if (!dn || !tb || table_add_columns(tb, skip_cols, &sel, &o->out))
		goto out;
	for (i = 0; i < live.n; i++) {
		const struct skip_live_entry *l = &live.v[i];
		struct row r = { l->has_bdf ? &l->bdf : NULL, l->text, l->origin, conf_of(&conf, l), 1 };

		if (!r.conf && l->has_bdf && !strcmp(l->origin, "rule"))
			r.conf = conf_prop_of(&conf, &l->bdf, &scratch);
		if (r.conf && r.conf->kind == SKC_PROP)
			r.match = r.conf->text;
		if (skip_line(tb, &sel, &r, &live, nodebugfs ? NULL : &sk, dn) ||
		    (l->has_bdf && bdf_list_add(&shown, &l->bdf)))
			goto out;
	}
	for (i = 0; i < conf.n; i++) {
		const struct skipconf_entry *c = &conf.v[i];
		struct row r = { NULL, c->text, "persistent", c, 0 };
		size_t rows = 0;
		char k[16];

		if (!skipconf_kernel_text(c, k)) {
			if (live_find(&live, k) >= 0)
				continue;
			if (c->kind == SKC_BDF)
				r.bdf = &c->bdf;
			if (skip_line(tb, &sel, &r, &live, nodebugfs ? NULL : &sk, dn))
				goto out;
			if (r.bdf && bdf_list_add(&shown, r.bdf))
				goto out;
			continue;
		}
		/* A property entry: the present devices it matches, not in force. */
		scratch.n = 0;
		if (skipconf_present(c, &scratch))
			goto out;
		for (j = 0; j < scratch.n; j++) {
			if (bdf_list_find(&shown, &scratch.v[j]) >= 0)
				continue;
			r.bdf = &scratch.v[j];
			rows++;
			if (skip_line(tb, &sel, &r, &live, nodebugfs ? NULL : &sk, dn) ||
			    bdf_list_add(&shown, r.bdf))
				goto out;
		}
		r.bdf = NULL;
		if (!rows && !scratch.n &&
		    skip_line(tb, &sel, &r, &live, nodebugfs ? NULL : &sk, dn))
			goto out;
	}
	for (i = 0; i < sk.n; i++) {
		struct row r = { &sk.v[i].bdf, NULL, NULL, NULL, 0 };

		if (bdf_list_find(&shown, &sk.v[i].bdf) < 0 &&
		    skip_line(tb, &sel, &r, &live, &sk, dn))
			goto out;
	}
	if (!table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	devnames_close(dn);
	skipped_list_free(&sk);
	skipconf_free(&conf);
	skip_live_free(&live);
	bdf_list_free(&shown);
	bdf_list_free(&scratch);
	return rc;
}

/* Adds (ADD) or removes "TEXT [ORIGIN]" in the driver.  Returns 0, or the
 * errno after reporting it as one line naming TEXT; ENOENT on a removal is
 * reported only when QUIET_ENOENT is 0. */
static int live_change(int add, const char *text, const char *origin, int quiet_enoent)
{
	char line[64];
	int e;

	snprintf(line, sizeof(line), "%s%s%s", text, origin ? " " : "", origin ? origin : "");
	e = sysfs_write_errno(add ? HV_CLASS_SKIP_ADD : HV_CLASS_SKIP_REMOVE, line);
	switch (e) {
	case 0:
		break;
	case EBUSY:
		hv_err("refused to skip %s: a device it names may be in use by a guest "
		       "(bound to vfio-pci or attached to a domain; see dmesg); nothing changed", text);
		break;
	case ENOENT:
		if (!quiet_enoent)
			hv_err("%s is not on the skip list", text);
		break;
	case EINVAL:
		hv_err("the driver rejected '%s' (see dmesg)", line);
		break;
	default: {
		char p[4096];

		if (!paths_make(p, sizeof(p), "%s", add ? HV_CLASS_SKIP_ADD : HV_CLASS_SKIP_REMOVE))
			hv_err_path(p, e);
	}
	}
	return e;
}

/* Parses the entry of add/remove: ARG (SSSS:BB:DD.F, BB:DD.F or VVVV:DDDD)
 * or MATCH (KEY=VALUE).  Returns 0 or -1 (reported). */
static int entry_arg(const char *cmd, const char *arg, const char *match,
		     struct skipconf_entry *e)
{
	char msg[256], b[BDF_STRLEN];
	struct bdf bdf;

	if (match) {
		if (skipconf_parse(match, e, msg, sizeof(msg)))
			return hv_err("%s --match: %s", cmd, msg);
		return 0;
	}
	/* The command line takes the short BDF form too. */
	if (!bdf_parse(arg, &bdf)) {
		bdf_format(&bdf, b);
		arg = b;
	}
	if (skipconf_parse(arg, e, msg, sizeof(msg)) || e->kind == SKC_PROP) {
		skipconf_entry_free(e);
		return hv_err("invalid entry '%s': expected SSSS:BB:DD.F (a PCI address) or "
			      "VVVV:DDDD (vendor:device), or --match PROPERTY=VALUE", arg);
	}
	return 0;
}

/* Pushes persistent entry E to the driver: its own form, or for a property
 * match a rule entry per present device it matches.  On a refusal, the
 * entries pushed here are taken back.  Returns 0 or -1 (reported). */
static int conf_push(const struct skipconf_entry *e)
{
	struct bdf_list devs = { 0 };
	char k[16];
	size_t i, j;
	int rc = 0;

	if (!skipconf_kernel_text(e, k))
		return live_change(1, k, "persistent", 0) ? -1 : 0;
	if (skipconf_present(e, &devs))
		return -1;
	for (i = 0; i < devs.n && !rc; i++) {
		bdf_format(&devs.v[i], k);
		if (live_change(1, k, "rule", 0)) {
			for (j = 0; j < i; j++) {
				bdf_format(&devs.v[j], k);
				live_change(0, k, NULL, 1);
			}
			rc = -1;
		}
	}
	bdf_list_free(&devs);
	return rc;
}

/* Takes persistent entry E off the driver's list (absent is fine). */
static int conf_pull(const struct skipconf_entry *e)
{
	struct bdf_list devs = { 0 };
	char k[16];
	size_t i;
	int rc = 0, r;

	if (!skipconf_kernel_text(e, k)) {
		r = live_change(0, k, NULL, 1);
		return r && r != ENOENT ? -1 : 0;
	}
	if (skipconf_present(e, &devs))
		return -1;
	for (i = 0; i < devs.n; i++) {
		bdf_format(&devs.v[i], k);
		r = live_change(0, k, NULL, 1);
		if (r && r != ENOENT)
			rc = -1;
	}
	bdf_list_free(&devs);
	return rc;
}

/* hvctl skip add|remove [--persistent] ENTRY | --persistent --match K=V.
 * Without --persistent: one write to skip_add / skip_remove (the driver
 * changes its list atomically and re-probes).  With it: the driver first
 * (a refusal changes nothing), then the file; a failed file write takes
 * the driver's entry back. */
static int skip_change(const struct opts *o, int add, int argc, char **argv)
{
	const char *cmd = add ? "skip add" : "skip remove";
	struct skipconf_entry e;
	int loaded, r, rc = HV_EXIT_FAIL;

	if (no_output_options(cmd, &o->out))
		return HV_EXIT_USAGE;
	if (o->match && !o->persistent) {
		hv_err("%s: --match needs --persistent (a property match is a udev rule)", cmd);
		return HV_EXIT_USAGE;
	}
	if (!o->match && argc < 1) {
		hv_err("%s: missing entry (SSSS:BB:DD.F or VVVV:DDDD, or --match PROPERTY=VALUE)", cmd);
		return HV_EXIT_USAGE;
	}
	if (argc > (o->match ? 0 : 1)) {
		hv_err("%s: unexpected argument '%s'", cmd, argv[o->match ? 0 : 1]);
		return HV_EXIT_USAGE;
	}
	if (entry_arg(cmd, o->match ? NULL : argv[0], o->match, &e))
		return HV_EXIT_USAGE;
	if (!o->persistent) {
		if (paths_require_module() || live_change(add, e.text, add ? "runtime" : NULL, 0))
			goto out;
		if (add)
			printf("%s is on the skip list: what it names has no IOMMU group "
			       "(re-probed if it had one)\n", e.text);
		else
			printf("%s removed from the skip list (what it named is re-probed)\n", e.text);
		rc = HV_EXIT_OK;
		goto out;
	}
	loaded = exists(HV_CLASS_SKIP_ADD);
	if (add) {
		if (loaded && conf_push(&e))
			goto out;
		r = skipconf_write(&e);
		if (r < 0) {
			if (loaded)
				conf_pull(&e);
			goto out;
		}
		printf("%s %s the persistent skip configuration (%s)%s\n", e.text,
		       r ? "was already in" : "added to", HV_SKIP_CONF_DIR,
		       loaded ? " and is in force" : "; hv_iommu is not loaded: it applies when it loads");
	} else {
		r = skipconf_remove(&e);
		if (r < 0)
			goto out;
		if (r) {
			hv_err("%s is not in the persistent skip configuration (%s)", e.text,
			       HV_SKIP_CONF_DIR);
			goto out;
		}
		if (loaded && conf_pull(&e))
			goto out;
		printf("%s removed from the persistent skip configuration\n", e.text);
	}
	rc = HV_EXIT_OK;
out:
	skipconf_entry_free(&e);
	return rc;
}

/* hvctl skip load: every persistent entry onto the driver's list (the rule
 * runs it when hv_iommu registers).  Bad lines are reported and the rest
 * applied; exits 1 if there was any. */
static int skip_load(const struct opts *o, int argc, char **argv)
{
	struct skipconf conf = { 0 };
	size_t i, nbad = 0;
	int rc = HV_EXIT_OK;

	if (no_output_options("skip load", &o->out) || no_more_args("skip load", argc, argv, 0))
		return HV_EXIT_USAGE;
	if (paths_require_module() || skipconf_read(&conf, &nbad))
		return HV_EXIT_FAIL;
	for (i = 0; i < conf.n; i++)
		if (conf_push(&conf.v[i]))
			rc = HV_EXIT_FAIL;
	if (nbad)
		rc = HV_EXIT_FAIL;
	skipconf_free(&conf);
	return rc;
}

static const char *env_get(void *ctx, const char *key)
{
	(void)ctx;
	return getenv(key);
}

/* hvctl skip udev-match: IMPORT{program} of the rule.  The device's
 * properties are the environment; prints HV_IOMMU_SKIP=1 and
 * HV_IOMMU_SKIP_MATCH=FILE:LINE for the first persistent entry matching it. */
static int skip_udev_match(const struct opts *o, int argc, char **argv)
{
	struct skipconf conf = { 0 };
	size_t i, nbad;

	if (no_output_options("skip udev-match", &o->out) ||
	    no_more_args("skip udev-match", argc, argv, 0))
		return HV_EXIT_USAGE;
	if (skipconf_read(&conf, &nbad))
		return HV_EXIT_FAIL;
	for (i = 0; i < conf.n; i++) {
		if (skipconf_match(&conf.v[i], env_get, NULL)) {
			printf("HV_IOMMU_SKIP=1\nHV_IOMMU_SKIP_MATCH=%s:%u\n", conf.v[i].file,
			       conf.v[i].line);
			break;
		}
	}
	skipconf_free(&conf);
	return HV_EXIT_OK;
}

/* hvctl skip udev-apply SSSS:BB:DD.F: RUN of the rule for a device with
 * HV_IOMMU_SKIP=1.  The persistent entries matching it that the driver can
 * match itself go onto its list as they are; otherwise (a property match,
 * a rule of the operator's) the device goes on as a rule entry. */
static int skip_udev_apply(const struct opts *o, int argc, char **argv)
{
	struct skipconf conf = { 0 };
	struct skipconf_entry e;
	size_t i, nbad, pushed = 0;
	int rc = HV_EXIT_OK;
	char k[16];

	if (no_output_options("skip udev-apply", &o->out))
		return HV_EXIT_USAGE;
	if (argc != 1) {
		hv_err("skip udev-apply: expected one PCI address (the rule's $kernel)");
		return HV_EXIT_USAGE;
	}
	if (entry_arg("skip udev-apply", argv[0], NULL, &e))
		return HV_EXIT_USAGE;
	if (e.kind != SKC_BDF) {
		hv_err("skip udev-apply: '%s' is not a PCI address", argv[0]);
		skipconf_entry_free(&e);
		return HV_EXIT_USAGE;
	}
	if (paths_require_module() || skipconf_read(&conf, &nbad)) {
		skipconf_entry_free(&e);
		return HV_EXIT_FAIL;
	}
	for (i = 0; i < conf.n; i++) {
		if (skipconf_kernel_text(&conf.v[i], k) || !skipconf_match(&conf.v[i], env_get, NULL))
			continue;
		if (live_change(1, k, "persistent", 0))
			rc = HV_EXIT_FAIL;
		pushed++;
	}
	if (!pushed && live_change(1, e.text, "rule", 0))
		rc = HV_EXIT_FAIL;
	skipconf_free(&conf);
	skipconf_entry_free(&e);
	return rc;
}

/* hvctl skip SUBCOMMAND: dispatches on the subcommand word. */
int cmd_skip(const struct opts *o, int argc, char **argv)
{
	if (argc < 1) {
		hv_err("skip: missing subcommand (list, add, remove or load)");
		return HV_EXIT_USAGE;
	}
	if ((o->persistent || o->match) && strcmp(argv[0], "add") && strcmp(argv[0], "remove")) {
		hv_err("skip %s: --persistent and --match apply to add and remove only", argv[0]);
		return HV_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "list")) {
		if (argc > 1) {
			hv_err("skip list: unexpected argument '%s'", argv[1]);
			return HV_EXIT_USAGE;
		}
		return skip_list(o);
	}
	if (!strcmp(argv[0], "add"))
		return skip_change(o, 1, argc - 1, argv + 1);
	if (!strcmp(argv[0], "remove"))
		return skip_change(o, 0, argc - 1, argv + 1);
	if (!strcmp(argv[0], "load"))
		return skip_load(o, argc - 1, argv + 1);
	if (!strcmp(argv[0], "udev-match"))
		return skip_udev_match(o, argc - 1, argv + 1);
	if (!strcmp(argv[0], "udev-apply"))
		return skip_udev_apply(o, argc - 1, argv + 1);
	hv_err("skip: unknown subcommand '%s' (list, add, remove or load)", argv[0]);
	return HV_EXIT_USAGE;
}
