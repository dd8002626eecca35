/* SPDX-License-Identifier: GPL-2.0-or-later */
/* devname.h - human names of PCI devices from the udev hardware database.
 *
 * The name is looked up in hwdb (udev_hwdb_get_properties_list_entry) with
 * the device's modalias read from (root)/sys/bus/pci/devices/BDF/modalias:
 * "ID_VENDOR_FROM_DATABASE ID_MODEL_FROM_DATABASE".  This needs hwdb.bin
 * only, no running udevd.  Fallbacks: "vvvv:dddd" (hex ids from the
 * modalias) when hwdb has no entry, none (NULL) when the device has no
 * modalias (not present, e.g. removed after it was skipped).
 */
#ifndef HVCTL_DEVNAME_H
#define HVCTL_DEVNAME_H

#include <stddef.h>

#include "parse.h"

struct devnames;

/* Opens the hardware database (NULL inside if there is none: every lookup
 * then falls back to ids).  Returns NULL only on ENOMEM (reported). */
struct devnames *devnames_open(void);
void devnames_close(struct devnames *dn);

/* Writes the name of device B into BUF (LEN bytes, truncated if needed)
 * and returns BUF, or NULL when the device has no modalias. */
const char *devnames_get(struct devnames *dn, const struct bdf *b, char *buf, size_t len);

#endif
