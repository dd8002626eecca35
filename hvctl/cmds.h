/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmds.h - hvctl's commands.
 *
 * Each command gets the parsed global options and its own arguments (after
 * the command word) and returns the process exit status: HV_EXIT_OK,
 * HV_EXIT_FAIL (runtime error, reported) or HV_EXIT_USAGE (reported).
 */
#ifndef HVCTL_CMDS_H
#define HVCTL_CMDS_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* Global options (main.c). */
struct opts {
	struct outopts out;	/* --json --raw --pairs -n -b -o -O -x -w */
	const char *type;	/* -t/--type list (list-domains), NULL for all */
	int persistent;		/* --persistent (skip add/remove) */
	const char *match;	/* --match PROPERTY=VALUE (skip add/remove) */
	int batch;		/* --batch (top) */
	const char *delay;	/* -d/--delay SECONDS (top), NULL for the default */
};

/* cmd_domains.c: debugfs domains, devices, mappings/<id> */
int cmd_list_domains(const struct opts *o, int argc, char **argv);
int cmd_show_domain(const struct opts *o, int argc, char **argv);
int cmd_mappings(const struct opts *o, int argc, char **argv);

/* cmd_devices.c: PCI devices (sysfs, hwdb) with hv_iommu's view of them */
int cmd_list_devices(const struct opts *o, int argc, char **argv);
int cmd_show_device(const struct opts *o, int argc, char **argv);

/* cmd_skip.c: pci_devs_to_skip and debugfs skipped */
int cmd_skip(const struct opts *o, int argc, char **argv);

/* cmd_status.c: backend, knobs, domain counts, stats */
int cmd_status(const struct opts *o, int argc, char **argv);

/* cmd_metrics.c: the same facts in Prometheus text format */
int cmd_metrics(const struct opts *o, int argc, char **argv);

/* capture.c: the driver's and simulator's files into a tar */
int cmd_capture(const struct opts *o, int argc, char **argv);

/* cmd_monitor.c: hv_iommu's netlink events */
int cmd_monitor(const struct opts *o, int argc, char **argv);

/* top.c: the live ncurses view, or --batch once */
int cmd_top(const struct opts *o, int argc, char **argv);

/* cmd_synic.c: hv_vmm debugfs synic */
int cmd_synic(const struct opts *o, int argc, char **argv);

/* cmd_mmio.c: hv_vmm debugfs partitions/<id>/, parameter mmio_mode */
int cmd_mmio(const struct opts *o, int argc, char **argv);
int cmd_mmio_mode(const struct opts *o, int argc, char **argv);

/* Column tables, for --help (and the man page). */
extern const struct colinfo domains_cols[];
extern const size_t domains_ncols;
extern const struct colinfo domdev_cols[];
extern const size_t domdev_ncols;
extern const struct colinfo mappings_cols[];
extern const size_t mappings_ncols;
extern const struct colinfo skip_cols[];
extern const size_t skip_ncols;
extern const struct colinfo devices_cols[];
extern const size_t devices_ncols;
extern const struct colinfo calls_cols[];
extern const size_t calls_ncols;
extern const struct colinfo failures_cols[];
extern const size_t failures_ncols;

/* Number of elements of a static array. */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
extern const struct colinfo mmio_region_cols[];
extern const size_t mmio_region_ncols;
extern const struct colinfo synic_cols[];
extern const size_t synic_ncols;

/* Lines per printed batch of `mappings` (bounded memory for huge files). */
#define MAPPINGS_BATCH 4096

/* Prints the mappings of domain ID from debugfs with the columns SEL
 * (mappings_cols indexes) in batches of BATCH lines.  Exposed for tests.
 * Returns an exit status. */
int mappings_print(const struct opts *o, unsigned long long id,
		   const struct colsel *sel, size_t batch);

/* Parses a domain id argument ARG of command CMD: decimal or 0x, at most
 * 4294967295 (32-bit ids).  Returns 0, or -1 after reporting the usage
 * error ("invalid domain id", "out of range"). */
int parse_domain_id(const char *cmd, const char *arg, uint64_t *id);

/* Rejects arguments after the MAX expected by CMD ("CMD: unexpected
 * argument 'X'").  Returns 0 or -1 (reported). */
int no_more_args(const char *cmd, int argc, char **argv, int max);

/* Rejects output options (-J -r -P -o -O -x -n -b -w) for command CMD,
 * which prints no table ("CMD: output options apply to read commands
 * only").  Returns 0 or -1 (reported). */
int no_output_options(const char *cmd, const struct outopts *o);

#endif
