// SPDX-License-Identifier: GPL-2.0-or-later
/* err.c - hvctl's one-line error reporting (see err.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "paths.h"

/* Prints PREFIX, the message and a newline on stderr. */
static void report(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Prints "hvctl: <message>\n" on stderr; returns -1. */
int hv_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("hvctl: ", fmt, ap);
	va_end(ap);
	return -1;
}

/* hv_warn(): contract (arguments, units, errors) in err.h. */
void hv_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("hvctl: warning: ", fmt, ap);
	va_end(ap);
}

/* errno_message(): contract in err.h.  As root, EACCES/EPERM is not about
 * file modes (CAP_DAC_OVERRIDE): the lockdown LSM refuses debugfs files
 * that are not read-only (fs/debugfs/file.c, debugfs_locked_down()), and an
 * LSM or a read-only mount can refuse the rest. */
void errno_message(char *buf, size_t len, const char *path, int errnum,
		   unsigned euid, const char *lockdown)
{
	if (errnum != EACCES && errnum != EPERM)
		snprintf(buf, len, "%s: %s", path, strerror(errnum));
	else if (euid != 0)
		snprintf(buf, len, "permission denied: %s (run as root)", path);
	else if (lockdown && strcmp(lockdown, "none"))
		snprintf(buf, len, "%s: %s as root (kernel lockdown: %s)", path,
			 strerror(errnum), lockdown);
	else
		snprintf(buf, len, "%s: %s as root (a security policy denies it)", path,
			 strerror(errnum));
}

/* The lockdown mode in brackets in (root)/sys/kernel/security/lockdown
 * ("none [integrity] confidentiality") into BUF; NULL if unknown. */
static const char *lockdown_mode(char *buf, size_t len)
{
	char p[4096];
	char line[128], *open, *close;
	FILE *f;

	if (paths_make_quiet(p, sizeof(p), "%s", HV_LOCKDOWN))
		return NULL;
	f = fopen(p, "re");
	if (!f)
		return NULL;
	open = fgets(line, sizeof(line), f) ? strchr(line, '[') : NULL;
	fclose(f);
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
	return buf;
}

/* path_errmsg(): contract (arguments, units, errors) in err.h. */
void path_errmsg(char *buf, size_t len, const char *path, int errnum)
{
	char mode[64];

	errno_message(buf, len, path, errnum, (unsigned)geteuid(),
		      lockdown_mode(mode, sizeof(mode)));
}

/* hv_err_path(): contract (arguments, units, errors) in err.h. */
int hv_err_path(const char *path, int errnum)
{
	char msg[4200];

	path_errmsg(msg, sizeof(msg), path, errnum);
	return hv_err("%s", msg);
}

/* Reports allocation failure; returns -1. */
int hv_err_nomem(void)
{
	return hv_err("out of memory");
}
