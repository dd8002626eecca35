// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_GENL_INFO_DUMP: a dump's parsed attributes are genl_info_dump(cb)->attrs (6.6+; genl_dumpit_info(cb)->attrs before). */
#include <net/genetlink.h>

struct nlattr **hv_probe(struct netlink_callback *cb);
struct nlattr **hv_probe(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}
