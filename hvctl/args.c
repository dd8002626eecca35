// SPDX-License-Identifier: GPL-2.0-or-later
/* args.c - checks of command arguments shared by the commands (cmds.h). */
#include "config.h"

#include <inttypes.h>

#include "cmds.h"
#include "err.h"

/* no_more_args(): contract (arguments, units, errors) in cmds.h. */
int no_more_args(const char *cmd, int argc, char **argv, int max)
{
	if (argc > max)
		return hv_err("%s: unexpected argument '%s'", cmd, argv[max]);
	return 0;
}

/* parse_domain_id(): contract (arguments, units, errors) in cmds.h. */
int parse_domain_id(const char *cmd, const char *arg, uint64_t *id)
{
	struct perr err;

	if (!arg)
		return hv_err("%s: missing domain id", cmd);
	if (parse_u64(arg, id, &err))
		return hv_err("invalid domain id '%s': expected a number (decimal or 0x)", arg);
	if (*id > UINT32_MAX)
		return hv_err("invalid domain id '%s': out of range (0 to %" PRIu32 ")", arg,
			      UINT32_MAX);
	return 0;
}

/* no_output_options(): contract (arguments, units, errors) in cmds.h. */
int no_output_options(const char *cmd, const struct outopts *o)
{
	if (o->json || o->raw || o->pairs || o->columns || o->all_columns || o->sort ||
	    o->noheadings || o->bytes || o->width)
		return hv_err("%s: output options apply to read commands only", cmd);
	return 0;
}
