// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HAVE_SYMBOL_NS_IDENTIFIER: a symbol namespace is written as an
 * identifier (until 6.12); since 6.13 it is a string literal, and an
 * identifier fails in the assembler.
 */
#include <linux/export.h>

int hv_probe_sym;
EXPORT_SYMBOL_NS_GPL(hv_probe_sym, HV_PROBE);
