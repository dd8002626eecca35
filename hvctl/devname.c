// SPDX-License-Identifier: GPL-2.0-or-later
/* devname.c - PCI device names from the udev hwdb (see devname.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>

#include "devname.h"
#include "err.h"
#include "paths.h"

struct devnames {
	struct udev *udev;
	struct udev_hwdb *hwdb;		/* NULL: no hwdb.bin on this host */
};

/* devnames_open(): contract (arguments, units, errors) in devname.h. */
struct devnames *devnames_open(void)
{
	struct devnames *dn = calloc(1, sizeof(*dn));

	if (!dn) {
		hv_err_nomem();
		return NULL;
	}
	dn->udev = udev_new();
	if (dn->udev)
		dn->hwdb = udev_hwdb_new(dn->udev);
	return dn;
}

/* devnames_close(): contract (arguments, units, errors) in devname.h. */
void devnames_close(struct devnames *dn)
{
	if (!dn)
		return;
	if (dn->hwdb)
		udev_hwdb_unref(dn->hwdb);
	if (dn->udev)
		udev_unref(dn->udev);
	free(dn);
}

/* Reads the first line of (root)/sys/bus/pci/devices/B/modalias into BUF.
 * Returns 0 or -1 (no such device / unreadable: not an error for names). */
static int read_modalias(const struct bdf *b, char *buf, size_t len)
{
	char p[PATH_MAX], s[BDF_STRLEN];
	FILE *f;
	int r = -1;

	bdf_format(b, s);
	if (snprintf(p, sizeof(p), "%s%s/%s/modalias", paths_root(), HV_PCI_DEVICES, s) >=
	    (int)sizeof(p))
		return -1;
	f = fopen(p, "re");
	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		r = buf[0] ? 0 : -1;
	}
	fclose(f);
	return r;
}

/* devnames_get(): contract (arguments, units, errors) in devname.h. */
const char *devnames_get(struct devnames *dn, const struct bdf *b, char *buf, size_t len)
{
	const char *vendor = NULL, *model = NULL;
	char modalias[256];
	unsigned v, d;

	if (read_modalias(b, modalias, sizeof(modalias)))
		return NULL;
	if (dn && dn->hwdb) {
		struct udev_list_entry *e;

		udev_list_entry_foreach(e, udev_hwdb_get_properties_list_entry(dn->hwdb, modalias, 0)) {
			const char *name = udev_list_entry_get_name(e);

			if (!strcmp(name, "ID_VENDOR_FROM_DATABASE"))
				vendor = udev_list_entry_get_value(e);
			else if (!strcmp(name, "ID_MODEL_FROM_DATABASE"))
				model = udev_list_entry_get_value(e);
		}
	}
	if (vendor && model)
		snprintf(buf, len, "%s %s", vendor, model);
	else if (modalias_pci_ids(modalias, &v, &d))
		snprintf(buf, len, "%s", modalias);	/* not a PCI modalias: show it */
	else if (vendor)
		snprintf(buf, len, "%s device %04x", vendor, d);
	else
		snprintf(buf, len, "%04x:%04x", v, d);
	return buf;
}
