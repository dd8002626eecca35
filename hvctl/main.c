// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - hvctl: argument parsing and dispatch.
 *
 *   hvctl [options] COMMAND [ARGS]
 *
 * Options may come before or after the command (GNU getopt permutation).
 * Exit status: 0 success, 1 runtime error, 2 usage error (err.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "err.h"
#include "nl.h"
#include "paths.h"

struct command {
	const char *name;
	int (*fn)(const struct opts *o, int argc, char **argv);
};

static const struct command commands[] = {
	{ "list-domains", cmd_list_domains },
	{ "show-domain", cmd_show_domain },
	{ "mappings", cmd_mappings },
	{ "list-devices", cmd_list_devices },
	{ "show-device", cmd_show_device },
	{ "skip", cmd_skip },
	{ "status", cmd_status },
	{ "metrics", cmd_metrics },
	{ "capture", cmd_capture },
	{ "synic", cmd_synic },
	{ "mmio", cmd_mmio },
	{ "mmio-mode", cmd_mmio_mode },
	{ "monitor", cmd_monitor },
	{ "top", cmd_top },
};

/* Every command's columns, for --help and --list-columns (completion). */
static const struct {
	const char *cmd;
	const char *what;
	const struct colinfo *ci;
	const size_t *n;
} columns[] = {
	{ "list-domains", "list-domains", domains_cols, &domains_ncols },
	{ "show-domain", "show-domain (device table)", domdev_cols, &domdev_ncols },
	{ "mappings", "mappings", mappings_cols, &mappings_ncols },
	{ "list-devices", "list-devices and show-device", devices_cols, &devices_ncols },
	{ "skip", "skip list", skip_cols, &skip_ncols },
	{ "status", "status calls", calls_cols, &calls_ncols },
	{ "status", "status failures", failures_cols, &failures_ncols },
	{ "synic", "synic", synic_cols, &synic_ncols },
	{ "mmio", "mmio regions", mmio_region_cols, &mmio_region_ncols },
	{ "show-device", NULL, devices_cols, &devices_ncols },
};

/* --help text on stdout, with every command's columns. */
static void usage(void)
{
	size_t i;

	printf("Usage:\n"
	       " hvctl [options] <command> [arguments]\n"
	       "\n"
	       "Inspect and configure the Hyper-V device-passthrough IOMMU driver (hv_iommu).\n"
	       "\n"
	       "Commands:\n"
	       " list-domains               list the IOMMU domains\n"
	       " show-domain <id> [summary|devices]\n"
	       "                            one domain and its devices\n"
	       " mappings <id>              the IOVA mappings of a paging domain\n"
	       " list-devices               PCI devices: driver, IOMMU group, domain, state\n"
	       " show-device <SSSS:BB:DD.F> one PCI device\n"
	       " skip list                  the skip list: live entries, persistent ones, declined devices\n"
	       " skip add [--persistent] <SSSS:BB:DD.F|VVVV:DDDD>\n"
	       " skip add --persistent --match <PROPERTY=VALUE>\n"
	       "                            skip a device (re-probed: it loses its IOMMU group);\n"
	       "                            --persistent: also under /etc/hv-iommu/skip.d\n"
	       " skip remove [--persistent] <entry> | --persistent --match <PROPERTY=VALUE>\n"
	       "                            undo skip add\n"
	       " skip load                  put the persistent entries on the driver's list\n"
	       " status [summary|calls|failures]\n"
	       "                            backend, knobs, domain counts, hypercall statistics\n"
	       " metrics                    the same facts in Prometheus text format\n"
	       " capture <FILE.tar>         save the driver's and simulator's files\n"
	       " synic                      SynIC resources per CPU: owner, state\n"
	       " mmio                       hv_vmm's guest memory regions, MMIO mode and counters\n"
	       " mmio-mode [full|page|eager]\n"
	       "                            print or set how MMIO regions are mapped\n"
	       " monitor                    print hv_iommu's events as they come (--json: one object a line)\n"
	       " top                        live view: domains, hypercalls, skipped devices (ncurses)\n"
	       "\n"
	       "Options:\n"
	       " -J, --json                 use JSON output format (read commands)\n"
	       " -r, --raw                  use the raw output format\n"
	       " -P, --pairs                use key=\"value\" output format\n"
	       " -o, --output <list>        output columns (\"+LIST\" appends to the defaults)\n"
	       " -O, --output-all           output all columns\n"
	       " -x, --sort <column>        sort output by <column>\n"
	       " -t, --type <list>          list-domains: only identity, blocked and/or paging\n"
	       " -n, --noheadings           don't print headings\n"
	       " -b, --bytes                print sizes in bytes rather than in human form\n"
	       " -w, --width <num>          output width (default: the terminal's)\n"
	       "     --batch                top: print the figures once and exit\n"
	       " -d, --delay <seconds>      top: refresh interval (default 2; 0.1 to 3600)\n"
	       "     --sysroot <dir>        read the files under <dir> (an unpacked capture)\n"
	       " -h, --help                 display this help\n"
	       " -V, --version              display version\n"
	       "\n"
	       "Environment:\n"
	       " HVCTL_ROOT                 as --sysroot (default: none)\n");
	for (i = 0; i < ARRAY_SIZE(columns); i++) {
		if (!columns[i].what)
			continue;	/* an alias for --list-columns */
		printf("\nColumns of %s:\n", columns[i].what);
		colinfo_help(stdout, columns[i].ci, *columns[i].n);
	}
	printf("\nFor more details see hvctl(8).\n");
}

/* --list-columns CMD: the column names of CMD, one per line (completion). */
static int list_columns(const char *cmd)
{
	size_t i, j, found = 0;

	for (i = 0; i < ARRAY_SIZE(columns); i++) {
		if (strcmp(columns[i].cmd, cmd))
			continue;
		for (j = 0; j < *columns[i].n; j++)
			printf("%s\n", columns[i].ci[j].name);
		found = 1;
	}
	if (!found) {
		hv_err("--list-columns: command '%s' has no columns", cmd);
		return HV_EXIT_USAGE;
	}
	return HV_EXIT_OK;
}

/* Parses a positive width for -w. */
static int parse_width(const char *s, unsigned *w)
{
	uint64_t v;

	if (parse_u64(s, &v, NULL) || v < 20 || v > 10000)
		return hv_err("invalid width '%s': expected 20 to 10000 columns", s);
	*w = (unsigned)v;
	return 0;
}

/* The option ARG (as typed) that getopt rejected: "--json=1" has no
 * argument allowed, anything else is unknown. */
static void bad_option(const char *arg, int optopt_c)
{
	const char *eq = strchr(arg, '=');

	if (!strncmp(arg, "--", 2) && eq && optopt_c)
		hv_err("option '%.*s' doesn't allow an argument", (int)(eq - arg), arg);
	else if (!strncmp(arg, "--", 2))
		hv_err("unknown option '%s' (see hvctl --help)", arg);
	else
		hv_err("unknown option '-%c' (see hvctl --help)", optopt_c);
}

/* --sysroot DIR must be a directory.  Returns 0 or -1 (reported). */
static int check_sysroot(const char *dir)
{
	struct stat st;

	if (stat(dir, &st))
		return hv_err("--sysroot: %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return hv_err("--sysroot: %s: not a directory", dir);
	return 0;
}

enum { OPT_SYSROOT = 256, OPT_LIST_COLUMNS, OPT_PERSISTENT, OPT_MATCH, OPT_BATCH };

/* Parses options (anywhere on the line) and runs the command; returns its exit status
 * (0, 1 runtime error, 2 usage error); output errors on stdout give 1. */
int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "pairs", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, 'O' },
		{ "sort", required_argument, NULL, 'x' },
		{ "type", required_argument, NULL, 't' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "width", required_argument, NULL, 'w' },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "delay", required_argument, NULL, 'd' },
		{ "list-columns", required_argument, NULL, OPT_LIST_COLUMNS },
		{ "persistent", no_argument, NULL, OPT_PERSISTENT },
		{ "match", required_argument, NULL, OPT_MATCH },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .out = { .out = stdout } };
	const char *cmd;
	size_t i;
	int c, rc;

	opterr = 0;	/* we print our own one-line errors */
	while ((c = getopt_long(argc, argv, ":JrPo:Ox:t:nbw:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o.out.json = 1;
			break;
		case 'r':
			o.out.raw = 1;
			break;
		case 'P':
			o.out.pairs = 1;
			break;
		case 'o':
			o.out.columns = optarg;
			break;
		case 'O':
			o.out.all_columns = 1;
			break;
		case 'x':
			o.out.sort = optarg;
			break;
		case 't':
			o.type = optarg;
			break;
		case 'n':
			o.out.noheadings = 1;
			break;
		case 'b':
			o.out.bytes = 1;
			break;
		case 'w':
			if (parse_width(optarg, &o.out.width))
				return HV_EXIT_USAGE;
			break;
		case OPT_SYSROOT:
			if (check_sysroot(optarg))
				return HV_EXIT_USAGE;
			paths_set_root(optarg);
			break;
		case OPT_BATCH:
			o.batch = 1;
			break;
		case 'd':
			o.delay = optarg;
			break;
		case OPT_LIST_COLUMNS:
			return list_columns(optarg);
		case OPT_PERSISTENT:
			o.persistent = 1;
			break;
		case OPT_MATCH:
			o.match = optarg;
			break;
		case 'h':
			usage();
			return HV_EXIT_OK;
		case 'V':
			printf("hvctl %s\n", PACKAGE_VERSION);
			return HV_EXIT_OK;
		case ':':
			hv_err("option '%s' requires an argument", argv[optind - 1]);
			return HV_EXIT_USAGE;
		default:
			bad_option(argv[optind - 1], optopt);
			return HV_EXIT_USAGE;
		}
	}
	/* as lsblk: one output format */
	if (o.out.json + o.out.raw + o.out.pairs > 1) {
		hv_err("options --json, --raw and --pairs are mutually exclusive");
		return HV_EXIT_USAGE;
	}
	if (optind >= argc) {
		hv_err("missing command (see hvctl --help)");
		return HV_EXIT_USAGE;
	}
	cmd = argv[optind];
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, cmd))
			break;
	if (i == ARRAY_SIZE(commands)) {
		hv_err("unknown command '%s' (see hvctl --help)", cmd);
		return HV_EXIT_USAGE;
	}
	if ((o.persistent || o.match) && strcmp(cmd, "skip")) {
		hv_err("%s: --persistent and --match apply to skip add and skip remove only", cmd);
		return HV_EXIT_USAGE;
	}
	/* HVCTL_SOURCE (nl.h): a bad value or a missing family it insists on. */
	if (nl_source() < 0)
		return HV_EXIT_FAIL;
	if (o.type && strcmp(cmd, "list-domains")) {
		hv_err("%s: --type applies to list-domains only", cmd);
		return HV_EXIT_USAGE;
	}
	if ((o.batch || o.delay) && strcmp(cmd, "top")) {
		hv_err("%s: --batch and --delay apply to top only", cmd);
		return HV_EXIT_USAGE;
	}
	rc = commands[i].fn(&o, argc - optind - 1, argv + optind + 1);
	if (fflush(stdout) || ferror(stdout)) {
		hv_err("write error on standard output");
		return HV_EXIT_FAIL;
	}
	return rc;
}
