// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_devices.c - list-devices, show-device BDF: the PCI devices as lspci -k
 * shows them (name, driver in use) with what hv_iommu made of them.
 *
 * Sources: (root)/sys/bus/pci/devices/BDF/{modalias, driver, iommu_group,
 * numa_node, net/} (sysfs links and files read directly, so that a capture
 * (--sysroot) reads the same as the live system), names from the udev
 * hwdb (devname.c), and debugfs hv_iommu/{devices, domains, skipped}.
 * Without debugfs, or without hv_iommu, the sysfs columns are shown (as
 * lspci -k shows them), the rest is missing, and a warning says why.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
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
#include "sysfs.h"

enum { PC_BDF, PC_NAME, PC_DRIVER, PC_GROUP, PC_VFIO, PC_NUMA, PC_NETDEV, PC_DOMAIN,
       PC_MODE, PC_STATE, PC_STATUS, PC_REASON };

const struct colinfo devices_cols[] = {
	[PC_BDF]    = { "BDF", NULL, 0, 0, SCOLS_JSON_STRING, "PCI address SSSS:BB:DD.F" },
	[PC_NAME]   = { "NAME", NULL, 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			"vendor and model from the udev hwdb, else vendor:device" },
	[PC_DRIVER] = { "DRIVER", NULL, 0, 0, SCOLS_JSON_STRING, "kernel driver in use (as lspci -k)" },
	[PC_GROUP]  = { "GROUP", "IOMMU_GROUP", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "IOMMU group" },
	[PC_VFIO]   = { "VFIO", NULL, 0, 0, SCOLS_JSON_STRING,
			"/dev/vfio/<group> when bound to vfio-pci" },
	[PC_NUMA]   = { "NUMA", "NUMA_NODE", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "NUMA node" },
	[PC_NETDEV] = { "NETDEV", NULL, 0, SCOLS_FL_TRUNC, SCOLS_JSON_ARRAY_STRING,
			"network interfaces of the device" },
	[PC_DOMAIN] = { "DOMAIN", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			"domain the hypervisor has the device in (debugfs devices)" },
	[PC_MODE]   = { "MODE", NULL, 0, 0, SCOLS_JSON_STRING, "that domain's type/mode, e.g. paging/domain" },
	[PC_STATE]  = { "STATE", NULL, 0, 0, SCOLS_JSON_STRING,
			"attached, detach-failed or skipped; - if hv_iommu has no record" },
	[PC_STATUS] = { "STATUS", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			"HV_STATUS of the last detach (0x0 = success)" },
	[PC_REASON] = { "REASON", NULL, 0, 0, SCOLS_JSON_STRING, "why it was skipped" },
};
const size_t devices_ncols = ARRAY_SIZE(devices_cols);

static const int devices_defs[] = { PC_BDF, PC_NAME, PC_DRIVER, PC_GROUP, PC_DOMAIN, PC_MODE,
				    PC_STATE };

/* What list-devices knows; debugfs lists are empty without debugfs. */
struct devview {
	struct bdf_list pci;		/* (root)/sys/bus/pci/devices, BDF order */
	struct device_list devs;
	struct domain_list doms;
	struct skipped_list skipped;
	int have_debugfs;
	struct devnames *dn;
};

/* The last path element of the link (root)/sys/bus/pci/devices/B/LINK into
 * BUF; NULL when there is no such link. */
static const char *link_base(const struct bdf *b, const char *link, char *buf, size_t len)
{
	char p[PATH_MAX], target[PATH_MAX], s[BDF_STRLEN];
	const char *base;
	ssize_t n;

	bdf_format(b, s);
	if (paths_make_quiet(p, sizeof(p), HV_PCI_DEVICES "/%s/%s", s, link))
		return NULL;
	n = readlink(p, target, sizeof(target) - 1);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
	return buf;
}

/* The first line of (root)/sys/bus/pci/devices/B/FILE into BUF, or NULL. */
static const char *dev_attr(const struct bdf *b, const char *file, char *buf, size_t len)
{
	char p[PATH_MAX], s[BDF_STRLEN];
	FILE *f;

	bdf_format(b, s);
	if (paths_make_quiet(p, sizeof(p), HV_PCI_DEVICES "/%s/%s", s, file))
		return NULL;
	f = fopen(p, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? buf : NULL;
}

/* The network interfaces of B (entries of its net/ directory), joined by
 * SEP, into BUF; NULL when there are none. */
static const char *dev_netdevs(const struct bdf *b, const char *sep, char *buf, size_t len)
{
	char p[PATH_MAX], s[BDF_STRLEN];
	struct dirent **names;
	size_t off = 0;
	int i, n;

	bdf_format(b, s);
	if (paths_make_quiet(p, sizeof(p), HV_PCI_DEVICES "/%s/net", s))
		return NULL;
	n = scandir(p, &names, NULL, alphasort);
	if (n < 0)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? sep : "",
						names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return buf[0] ? buf : NULL;
}

/* The domain record the hypervisor has device DEV in. */
static const struct domain *dev_domain(const struct devview *v, const struct hv_device *dev)
{
	return dev ? domain_list_find(&v->doms, dev->domain) : NULL;
}

/* A cell of device B (one row of list-devices / one field of show-device). */
static const char *device_cell(const struct devview *v, const struct bdf *b, int col,
			       const struct outopts *o, char *buf, size_t len)
{
	const struct hv_device *dev = device_list_find(&v->devs, b);
	const struct hv_skipped *sk = skipped_list_find(&v->skipped, b);
	const struct domain *d = dev_domain(v, dev);
	char tmp[64];

	switch (col) {
	case PC_BDF:
		bdf_format(b, buf);
		return buf;
	case PC_NAME:
		return devnames_get(v->dn, b, buf, len);
	case PC_DRIVER:
		return link_base(b, "driver", buf, len);
	case PC_GROUP:
		return link_base(b, "iommu_group", buf, len);
	case PC_VFIO:
		if (!link_base(b, "driver", tmp, sizeof(tmp)) || strcmp(tmp, "vfio-pci") ||
		    !link_base(b, "iommu_group", tmp, sizeof(tmp)))
			return NULL;
		snprintf(buf, len, "/dev/vfio/%s", tmp);
		return buf;
	case PC_NUMA:
		/* -1: the platform did not say */
		if (!dev_attr(b, "numa_node", buf, len) || buf[0] == '-')
			return NULL;
		return buf;
	case PC_NETDEV:
		return dev_netdevs(b, table_list_sep(o), buf, len);
	case PC_DOMAIN:
		if (!dev)
			return NULL;
		snprintf(buf, len, "%" PRIu64, dev->domain);
		return buf;
	case PC_MODE:
		if (!d)
			return NULL;
		if (strcmp(d->type, "paging"))
			return d->type;
		snprintf(buf, len, "%s/%s", d->type, d->mode);
		return buf;
	case PC_STATE:
		return dev ? dev->state : sk ? "skipped" : NULL;
	case PC_STATUS:
		if (!dev)
			return NULL;
		snprintf(buf, len, "0x%" PRIx64, dev->status);
		return buf;
	case PC_REASON:
		return sk && strcmp(sk->reason, "-") ? sk->reason : NULL;
	}
	return NULL;
}

/* table_fill context. */
struct devrows {
	const struct devview *v;
	const struct outopts *o;
};

/* cell_fn for list-devices. */
static const char *devrow_cell(const void *ctx, size_t row, int col, char *buf, size_t len)
{
	const struct devrows *r = ctx;

	return device_cell(r->v, &r->v->pci.v[row], col, r->o, buf, len);
}

/* scandir filter: entries that are BDFs. */
static int is_bdf_entry(const struct dirent *e)
{
	struct bdf b;

	return !bdf_parse_n(e->d_name, strlen(e->d_name), 0, &b);
}

/* Reads the PCI devices (sorted) and hv_iommu's records of them. */
static int devview_read(struct devview *v)
{
	char p[PATH_MAX];
	struct dirent **names;
	int i, n, r = 0;

	memset(v, 0, sizeof(*v));
	if (paths_make(p, sizeof(p), "%s", HV_PCI_DEVICES))
		return -1;
	n = scandir(p, &names, is_bdf_entry, alphasort);
	if (n < 0)
		return hv_err_path(p, errno);
	for (i = 0; i < n; i++) {
		struct bdf b;

		if (!r && !bdf_parse_n(names[i]->d_name, strlen(names[i]->d_name), 0, &b) &&
		    bdf_list_add(&v->pci, &b))
			r = hv_err_nomem();
		free(names[i]);
	}
	free(names);
	if (r)
		return -1;
	r = paths_want_debugfs("DOMAIN, MODE, STATE, STATUS and REASON", 0);
	if (r < 0)
		return -1;
	v->have_debugfs = !r;
	if (v->have_debugfs && (debugfs_read_devices(&v->devs) || debugfs_read_domains(&v->doms) ||
				debugfs_read_skipped(&v->skipped)))
		return -1;
	v->dn = devnames_open();
	return v->dn ? 0 : -1;
}

static void devview_free(struct devview *v)
{
	bdf_list_free(&v->pci);
	device_list_free(&v->devs);
	domain_list_free(&v->doms);
	skipped_list_free(&v->skipped);
	devnames_close(v->dn);
}

/* hvctl list-devices: one row per PCI device. */
int cmd_list_devices(const struct opts *o, int argc, char **argv)
{
	struct devview v;
	struct devrows rows = { &v, &o->out };
	struct libscols_table *tb = NULL;
	struct colsel sel;
	int rc = HV_EXIT_FAIL;

	if (no_more_args("list-devices", argc, argv, 0) ||
	    table_columns(&o->out, devices_cols, devices_ncols, devices_defs,
			  ARRAY_SIZE(devices_defs), &sel))
		return HV_EXIT_USAGE;
	if (devview_read(&v))
		goto out;
	tb = table_new("devices", &o->out);
	if (tb && !table_add_columns(tb, devices_cols, &sel, &o->out) &&
	    !table_fill(tb, &sel, v.pci.n, devrow_cell, &rows) && !table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	devview_free(&v);
	return rc;
}

/* hvctl show-device BDF: every column of one device, as a summary. */
int cmd_show_device(const struct opts *o, int argc, char **argv)
{
	struct devview v;
	struct kvtable kv = { 0 };
	struct libscols_table *tb = NULL;
	struct colsel sel;
	struct bdf b;
	int rc = HV_EXIT_FAIL;
	size_t i;

	if (argc < 1) {
		hv_err("show-device: missing PCI address (SSSS:BB:DD.F)");
		return HV_EXIT_USAGE;
	}
	if (no_more_args("show-device", argc, argv, 1))
		return HV_EXIT_USAGE;
	if (bdf_parse(argv[0], &b)) {
		hv_err("invalid PCI address '%s': expected SSSS:BB:DD.F", argv[0]);
		return HV_EXIT_USAGE;
	}
	if (o->out.sort) {
		hv_err("show-device: --sort applies to tables");
		return HV_EXIT_USAGE;
	}
	if (table_columns(&(struct outopts){ .columns = o->out.columns, .all_columns = 1 },
			  devices_cols, devices_ncols, NULL, 0, &sel))
		return HV_EXIT_USAGE;
	if (devview_read(&v))
		goto out;
	if (bdf_list_find(&v.pci, &b) < 0) {
		char s[BDF_STRLEN];

		bdf_format(&b, s);
		hv_err("no PCI device %s", s);
		goto out;
	}
	for (i = 0; i < sel.n; i++) {
		char buf[256];
		const char *val = device_cell(&v, &b, sel.id[i], &o->out, buf, sizeof(buf));

		if (kv_add_cell(&kv, &devices_cols[sel.id[i]], val, &o->out))
			goto out;
	}
	tb = kv_table(&kv, "device", &o->out);
	if (tb && !table_print(tb, &o->out))
		rc = HV_EXIT_OK;
out:
	scols_unref_table(tb);
	kv_free(&kv);
	devview_free(&v);
	return rc;
}
