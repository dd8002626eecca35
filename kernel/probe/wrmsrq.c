// SPDX-License-Identifier: GPL-2.0
/* HV_HAVE_WRMSRQ: the 64-bit MSR accessors are rdmsrq()/wrmsrq() (6.16+; rdmsrl()/wrmsrl() before). */
#include <asm/msr.h>

u64 hv_probe(u32 msr);
u64 hv_probe(u32 msr)
{
	u64 val;

	rdmsrq(msr, val);
	wrmsrq(msr, val);
	return val;
}
