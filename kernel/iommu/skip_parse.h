/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser for the pci_devs_to_skip module parameter.  Pure: no allocation,
 * no locking, no global state, so it can be compiled and unit-tested in user
 * space with a stub <linux/types.h>.
 */
#ifndef HV_SKIP_PARSE_H
#define HV_SKIP_PARSE_H

#include <linux/types.h>

/* Most devices the list may name (its canonical form fits one page). */
#define HV_SKIP_MAX		256
/* "(SSSS:BB:DD.F)" */
#define HV_SKIP_ENTRY_LEN	14

/**
 * struct hv_skip_bdf - one PCI function named in pci_devs_to_skip
 * @segment: PCI segment (domain).
 * @bus: bus number.
 * @devfn: device << 3 | function.
 */
struct hv_skip_bdf {
	u16 segment;
	u8 bus;
	u8 devfn;
};

/**
 * struct hv_skip_error - where and why a string was rejected
 * @pos: 0-based byte offset of the offending byte.
 * @what: what was wrong there (a constant string).
 */
struct hv_skip_error {
	size_t pos;
	const char *what;
};

/**
 * struct hv_skip_match - one entry of the driver's skip list
 * @by_id: match by vendor/device (@vendor, @device) rather than by address.
 * @bdf: the function's address, when !@by_id.
 * @vendor: PCI vendor id, when @by_id.
 * @device: PCI device id, when @by_id.
 */
struct hv_skip_match {
	bool by_id;
	struct hv_skip_bdf bdf;
	u16 vendor;
	u16 device;
};

/* Who put an entry on the list (debugfs "skipped" reason). */
enum hv_skip_origin {
	HV_SKIP_ORIGIN_BOOT,		/* pci_devs_to_skip */
	HV_SKIP_ORIGIN_RUNTIME,		/* skip_add, "runtime" */
	HV_SKIP_ORIGIN_PERSISTENT,	/* skip_add, "persistent": /etc entry */
	HV_SKIP_ORIGIN_RULE,		/* skip_add, "rule": a udev rule's match */
	HV_SKIP_ORIGIN_COUNT,
};

int hv_skip_parse(const char *s, struct hv_skip_bdf *out, unsigned int max,
		  struct hv_skip_error *err);
int hv_skip_format(char *buf, size_t size, const struct hv_skip_bdf *list,
		   unsigned int count);

int hv_skip_parse_entry(const char *s, struct hv_skip_match *m,
			enum hv_skip_origin *origin, struct hv_skip_error *err);
int hv_skip_format_match(char *buf, size_t size, const struct hv_skip_match *m);

extern const char * const hv_skip_origin_names[HV_SKIP_ORIGIN_COUNT];

#endif /* HV_SKIP_PARSE_H */
