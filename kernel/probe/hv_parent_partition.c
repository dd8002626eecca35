// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HAVE_HV_PARENT_PARTITION: hv_parent_partition() (root or L1VH) exists
 * and hv_root_partition is a function, not a bool (7.x).
 */
#include <asm/mshyperv.h>

bool hv_probe(void);
bool hv_probe(void)
{
	return hv_parent_partition() || hv_root_partition();
}
