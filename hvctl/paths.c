// SPDX-License-Identifier: GPL-2.0-or-later
/* paths.c - system root prefixing and existence checks (see paths.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libmount/libmount.h>

#include "err.h"
#include "nl.h"
#include "paths.h"

static const char *sysroot;

/* paths_set_root(): contract (arguments, units, errors) in paths.h. */
void paths_set_root(const char *dir)
{
	sysroot = dir;
}

/* paths_root(): contract (arguments, units, errors) in paths.h. */
const char *paths_root(void)
{
	const char *r = sysroot ? sysroot : getenv("HVCTL_ROOT");

	return r ? r : "";
}

/* root + formatted path into BUF; 0, or -1 when it does not fit. */
static int make_path(char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = snprintf(buf, len, "%s", paths_root());
	int m;

	if (n < 0 || (size_t)n >= len)
		return -1;
	m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	return m < 0 || (size_t)m >= len - (size_t)n ? -1 : 0;
}

/* paths_make_quiet(): contract (arguments, units, errors) in paths.h. */
int paths_make_quiet(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = make_path(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

/* paths_make(): contract (arguments, units, errors) in paths.h. */
int paths_make(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = make_path(buf, len, fmt, ap);
	va_end(ap);
	return r ? hv_err("path too long: %s...", buf) : 0;
}

/* Does /sys/module/NAME exist (the module is loaded or built in)?
 * 0, or -1 with the reason in MSG (LEN bytes). */
static int module_problem(const char *name, char *msg, size_t len)
{
	char p[PATH_MAX];
	struct stat st;

	if (paths_make_quiet(p, sizeof(p), "/sys/module/%s", name)) {
		snprintf(msg, len, "path too long: %s", paths_root());
		return -1;
	}
	if (stat(p, &st) == 0)
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		snprintf(msg, len, "%s is not loaded", name);
	else
		path_errmsg(msg, len, p, errno);
	return -1;
}

/* paths_require_loaded(): contract (arguments, units, errors) in paths.h. */
int paths_require_loaded(const char *name)
{
	char msg[PATH_MAX + 256];

	return module_problem(name, msg, sizeof(msg)) ? hv_err("%s", msg) : 0;
}

/* paths_require_loaded_quiet(): contract (arguments, units, errors) in paths.h. */
int paths_require_loaded_quiet(const char *name)
{
	char msg[PATH_MAX + 256];

	return module_problem(name, msg, sizeof(msg)) ? -1 : 0;
}

/* paths_require_module(): contract (arguments, units, errors) in paths.h. */
int paths_require_module(void)
{
	return paths_require_loaded("hv_iommu");
}

/* Is debugfs the file system mounted on /sys/kernel/debug, by
 * (root)/proc/self/mountinfo (libmount, as findmnt reads it)?  1, 0, or -1
 * with MSG.  The mount point in the file is the real one (not prefixed). */
static int debugfs_mounted(char *msg, size_t len)
{
	char p[PATH_MAX];
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	int r;

	if (paths_make_quiet(p, sizeof(p), "%s", HV_MOUNTINFO)) {
		snprintf(msg, len, "path too long: %s", paths_root());
		return -1;
	}
	tb = mnt_new_table();
	if (!tb) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	r = mnt_table_parse_file(tb, p);
	if (r) {
		snprintf(msg, len, "%s: %s", p, strerror(r < 0 ? -r : EINVAL));
		mnt_unref_table(tb);
		return -1;
	}
	/* the last mount on the directory is the one in effect */
	fs = mnt_table_find_target(tb, HV_DEBUGFS_MOUNT, MNT_ITER_BACKWARD);
	r = fs && !strcmp(mnt_fs_get_fstype(fs) ? mnt_fs_get_fstype(fs) : "", "debugfs");
	mnt_unref_table(tb);
	return r;
}

/* paths_debugfs_problem(): contract (arguments, units, errors) in paths.h. */
int paths_debugfs_problem(char *msg, size_t len)
{
	char p[PATH_MAX];
	struct stat st;
	int r;

	/* The netlink family serves the tables without debugfs (nl.h). */
	if (nl_source() == 1)
		return 0;
	r = debugfs_mounted(msg, len);
	if (r < 0)
		return -1;
	if (!r) {
		snprintf(msg, len, "debugfs is not mounted on " HV_DEBUGFS_MOUNT
			 " (mount -t debugfs none " HV_DEBUGFS_MOUNT ")");
		return -1;
	}
	if (paths_make_quiet(p, sizeof(p), "%s", HV_DEBUGFS)) {
		snprintf(msg, len, "path too long: %s", paths_root());
		return -1;
	}
	if (stat(p, &st) == 0)
		return 0;
	if (errno == ENOENT || errno == ENOTDIR) {
		snprintf(msg, len, "debugfs is mounted but has no hv_iommu directory (%s): "
			 "debugfs disabled by debugfs= on the kernel command line?", p);
		return -1;
	}
	path_errmsg(msg, len, p, errno);
	return -1;
}

/* paths_require_debugfs(): contract (arguments, units, errors) in paths.h. */
int paths_require_debugfs(void)
{
	char msg[PATH_MAX + 256];

	if (paths_require_module())
		return -1;
	if (!paths_debugfs_problem(msg, sizeof(msg)))
		return 0;
	return hv_err("%s", msg);
}

/* paths_want_debugfs(): contract (arguments, units, errors) in paths.h. */
int paths_want_debugfs(const char *what, int need_module)
{
	char msg[PATH_MAX + 256];

	if (module_problem("hv_iommu", msg, sizeof(msg))) {
		if (need_module)
			return hv_err("%s", msg);
	} else if (!paths_debugfs_problem(msg, sizeof(msg))) {
		return 0;
	}
	hv_warn("%s: %s not shown", msg, what);
	return 1;
}
