// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_LINUX_HEX_H: hex_to_bin() lives in <linux/hex.h> (7.x). */
#include <linux/hex.h>

int hv_probe(char c);
int hv_probe(char c)
{
	return hex_to_bin(c);
}
