// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_ASM_CPUID_API_H: cpuid_eax() lives in <asm/cpuid/api.h> (7.x). */
#include <asm/cpuid/api.h>

unsigned int hv_probe(void);
unsigned int hv_probe(void)
{
	return cpuid_eax(0x40000000);
}
