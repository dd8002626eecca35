/* err.h - hvctl's one-line error reporting.
 *
 * Every failure is reported once, where it is detected, as one line on
 * stderr: "hvctl: <message>" (iproute2 style).  Callers above just propagate
 * the -1.  Exit codes: HV_EXIT_OK, HV_EXIT_FAIL (runtime), HV_EXIT_USAGE.
 */
#ifndef HVCTL_ERR_H
#define HVCTL_ERR_H

#define HV_EXIT_OK	0
#define HV_EXIT_FAIL	1	/* runtime error: driver, files, permissions */
#define HV_EXIT_USAGE	2	/* bad command line: unknown command/option/column, bad BDF or id */

/* Prints "hvctl: <fmt...>\n" on stderr.  Always returns -1 so that callers
 * can write "return hv_err(...);". */
int hv_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports a failed system call on PATH with errno ERRNUM:
 * EACCES/EPERM -> "permission denied: PATH (run as root)",
 * anything else -> "PATH: strerror(ERRNUM)".  Returns -1. */
int hv_err_path(const char *path, int errnum);

/* Reports an out-of-memory condition ("out of memory").  Returns -1. */
int hv_err_nomem(void);

#endif
