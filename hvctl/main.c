/* main.c - hvctl: argument parsing and dispatch.
 *
 *   hvctl [options] COMMAND [ARGS]
 *
 * Options may come before or after the command (GNU getopt permutation).
 * Exit status: 0 success, 1 runtime error, 2 usage error (err.h).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "err.h"

struct command {
	const char *name;
	int (*fn)(const struct opts *o, int argc, char **argv);
};

static const struct command commands[] = {
	{ "list-domains", cmd_list_domains },
	{ "show-domain", cmd_show_domain },
	{ "mappings", cmd_mappings },
	{ "skip", cmd_skip },
	{ "status", cmd_status },
	{ "synic", cmd_synic },
};

/* --help text on stdout, with every command's columns. */
static void usage(void)
{
	printf("Usage:\n"
	       " hvctl [options] <command> [arguments]\n"
	       "\n"
	       "Inspect and configure the Hyper-V device-passthrough IOMMU driver (hv_iommu).\n"
	       "\n"
	       "Commands:\n"
	       " list-domains               list the IOMMU domains\n"
	       " show-domain <id>           one domain and its devices\n"
	       " mappings <id>              the IOVA mappings of a paging domain\n"
	       " skip list                  devices hv_iommu skips (configured and declined)\n"
	       " skip add <SSSS:BB:DD.F>    add a device to pci_devs_to_skip\n"
	       " skip remove <SSSS:BB:DD.F> remove a device from pci_devs_to_skip\n"
	       "                            (the skip list applies to devices probed afterwards)\n"
	       " status                     backend, knobs, domain counts, hypercall statistics\n"
	       " synic                      SynIC resources per CPU: owner (hv_vmm or VMBus), state\n"
	       "\n"
	       "Options:\n"
	       " -J, --json                 use JSON output format (read commands)\n"
	       " -o, --output <list>        output columns (\"+LIST\" appends to the defaults)\n"
	       " -n, --noheadings           don't print headings\n"
	       " -r, --raw                  use the raw output format\n"
	       " -b, --bytes                print sizes in bytes rather than in human form\n"
	       " -h, --help                 display this help\n"
	       " -V, --version              display version\n"
	       "\n"
	       "Environment:\n"
	       " HVCTL_ROOT                 prefix for every /sys and /proc path (default: none)\n");
	printf("\nColumns of list-domains:\n");
	colinfo_help(stdout, domains_cols, domains_ncols);
	printf("\nColumns of show-domain (device table):\n");
	colinfo_help(stdout, domdev_cols, domdev_ncols);
	printf("\nColumns of mappings:\n");
	colinfo_help(stdout, mappings_cols, mappings_ncols);
	printf("\nColumns of skip list:\n");
	colinfo_help(stdout, skip_cols, skip_ncols);
	printf("\nColumns of synic:\n");
	colinfo_help(stdout, synic_cols, synic_ncols);
	printf("\nFor more details see hvctl(8).\n");
}

/* Parses options (anywhere on the line) and runs the command; returns its exit status
 * (0, 1 runtime error, 2 usage error); output errors on stdout give 1. */
int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .out = { .out = stdout } };
	const char *cmd;
	size_t i;
	int c, rc;

	opterr = 0;	/* we print our own one-line errors */
	while ((c = getopt_long(argc, argv, ":Jo:nrbhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o.out.json = 1;
			break;
		case 'o':
			o.columns = optarg;
			break;
		case 'n':
			o.out.noheadings = 1;
			break;
		case 'r':
			o.out.raw = 1;
			break;
		case 'b':
			o.out.bytes = 1;
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
			if (optopt)
				hv_err("unknown option '-%c' (see hvctl --help)", optopt);
			else
				hv_err("unknown option '%s' (see hvctl --help)", argv[optind - 1]);
			return HV_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		hv_err("missing command (see hvctl --help)");
		return HV_EXIT_USAGE;
	}
	cmd = argv[optind];
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		hv_err("unknown command '%s' (see hvctl --help)", cmd);
		return HV_EXIT_USAGE;
	}
	rc = commands[i].fn(&o, argc - optind - 1, argv + optind + 1);
	if (fflush(stdout) || ferror(stdout)) {
		hv_err("write error on standard output");
		return HV_EXIT_FAIL;
	}
	return rc;
}
