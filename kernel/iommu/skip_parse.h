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

int hv_skip_parse(const char *s, struct hv_skip_bdf *out, unsigned int max,
		  struct hv_skip_error *err);
int hv_skip_format(char *buf, size_t size, const struct hv_skip_bdf *list,
		   unsigned int count);

#endif /* HV_SKIP_PARSE_H */
