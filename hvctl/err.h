/* SPDX-License-Identifier: GPL-2.0-or-later */
/* err.h - hvctl's one-line error reporting.
 *
 * Every failure is reported once, where it is detected, as one line on
 * stderr: "hvctl: <message>" (iproute2 style).  Callers above just propagate
 * the -1.  Exit codes: HV_EXIT_OK, HV_EXIT_FAIL (runtime), HV_EXIT_USAGE.
 */
#ifndef HVCTL_ERR_H
#define HVCTL_ERR_H

#include <stddef.h>

#define HV_EXIT_OK	0
#define HV_EXIT_FAIL	1	/* runtime error: driver, files, permissions */
#define HV_EXIT_USAGE	2	/* bad command line: unknown command/option/column, bad BDF or id */

/* Prints "hvctl: <fmt...>\n" on stderr.  Always returns -1 so that callers
 * can write "return hv_err(...);". */
int hv_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "hvctl: warning: <fmt...>\n" on stderr (something is not shown,
 * the command goes on). */
void hv_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes into BUF (LEN bytes) the message for a failed system call on PATH
 * with errno ERRNUM, for a process with effective uid EUID on a kernel whose
 * lockdown mode is LOCKDOWN (the bracketed word of
 * /sys/kernel/security/lockdown, NULL if unknown):
 *  - EACCES/EPERM, not root: "permission denied: PATH (run as root)";
 *  - EACCES/EPERM as root: "PATH: <strerror> as root (kernel lockdown:
 *    MODE)" when lockdown is on, else "(a security policy denies it)";
 *  - anything else: "PATH: strerror(ERRNUM)".  Pure. */
void errno_message(char *buf, size_t len, const char *path, int errnum,
		   unsigned euid, const char *lockdown);

/* errno_message() for this process (geteuid) and this kernel's (or the
 * system root's) lockdown mode. */
void path_errmsg(char *buf, size_t len, const char *path, int errnum);

/* Reports path_errmsg().  Returns -1. */
int hv_err_path(const char *path, int errnum);

/* Reports an out-of-memory condition ("out of memory").  Returns -1. */
int hv_err_nomem(void);

#endif
