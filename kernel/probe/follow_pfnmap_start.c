// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_FOLLOW_PFNMAP_START: PFNs of VM_IO/VM_PFNMAP VMAs come from follow_pfnmap_start()/_end() (6.12+; follow_pfn() before). */
#include <linux/mm.h>

void hv_probe(struct follow_pfnmap_args *args);
void hv_probe(struct follow_pfnmap_args *args)
{
	if (!follow_pfnmap_start(args))
		follow_pfnmap_end(args);
}
