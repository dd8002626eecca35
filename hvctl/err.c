/* err.c - hvctl's one-line error reporting (see err.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* Prints "hvctl: <message>\n" on stderr; returns -1. */
int hv_err(const char *fmt, ...)
{
	va_list ap;

	fputs("hvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Maps errno of a failed open/read/write on PATH to one message; returns -1.
 * EACCES and EPERM mean "not root" for every file hvctl touches (debugfs is
 * 0700 root, the module parameters are 0644 root). */
int hv_err_path(const char *path, int errnum)
{
	if (errnum == EACCES || errnum == EPERM)
		return hv_err("permission denied: %s (run as root)", path);
	return hv_err("%s: %s", path, strerror(errnum));
}

/* Reports allocation failure; returns -1. */
int hv_err_nomem(void)
{
	return hv_err("out of memory");
}
