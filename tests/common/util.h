/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test programs (tests/vfio/vfio-client, tests/vmm/vmm-test)
 * share: errors, sizes, time, the caller's stage commands.  Each program
 * defines prog, the name its messages start with.
 */
#ifndef HV_TEST_UTIL_H
#define HV_TEST_UTIL_H

#include <stdint.h>

#define PAGE_4K		4096UL
#define HUGE_2M		(2UL << 20)

extern const char *prog;

/* "prog: message[: strerror(err)]" on stderr, then exit 1. */
void __attribute__((noreturn, format(printf, 2, 3)))
die(int err, const char *fmt, ...);

/* "123", "0x1000", "64K", "64M", "1G" in bytes; dies naming WHAT if not. */
uint64_t parse_size(const char *s, const char *what);

/* CLOCK_MONOTONIC in seconds. */
double now(void);

/* Runs CMD (if any) with system(); a non-zero status or a signal kills the
 * program with a line naming STAGE and CMD. */
void run_cmd(const char *stage, const char *cmd);

#endif
