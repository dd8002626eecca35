/* cmds.h - hvctl's commands.
 *
 * Each command gets the parsed global options and its own arguments (after
 * the command word) and returns the process exit status: HV_EXIT_OK,
 * HV_EXIT_FAIL (runtime error, reported) or HV_EXIT_USAGE (reported).
 */
#ifndef HVCTL_CMDS_H
#define HVCTL_CMDS_H

#include <stddef.h>

#include "table.h"

/* Global options (main.c). */
struct opts {
	struct outopts out;	/* --json --noheadings --raw --bytes */
	const char *columns;	/* -o/--output argument, NULL for the defaults */
};

/* cmd_domains.c: debugfs domains, devices, mappings/<id> */
int cmd_list_domains(const struct opts *o, int argc, char **argv);
int cmd_show_domain(const struct opts *o, int argc, char **argv);
int cmd_mappings(const struct opts *o, int argc, char **argv);

/* cmd_skip.c: pci_devs_to_skip and debugfs skipped */
int cmd_skip(const struct opts *o, int argc, char **argv);

/* cmd_status.c: backend, knobs, domain counts, stats */
int cmd_status(const struct opts *o, int argc, char **argv);

/* cmd_synic.c: hv_vmm debugfs synic */
int cmd_synic(const struct opts *o, int argc, char **argv);

/* Column tables, for --help (and the man page). */
extern const struct colinfo domains_cols[];
extern const size_t domains_ncols;
extern const struct colinfo domdev_cols[];
extern const size_t domdev_ncols;
extern const struct colinfo mappings_cols[];
extern const size_t mappings_ncols;
extern const struct colinfo skip_cols[];
extern const size_t skip_ncols;
extern const struct colinfo synic_cols[];
extern const size_t synic_ncols;

/* Lines per printed batch of `mappings` (bounded memory for huge files). */
#define MAPPINGS_BATCH 4096

/* Prints the mappings of domain ID from debugfs with the columns SEL
 * (mappings_cols indexes) in batches of BATCH lines.  Exposed for tests.
 * Returns an exit status. */
int mappings_print(const struct opts *o, unsigned long long id,
		   const struct colsel *sel, size_t batch);

#endif
