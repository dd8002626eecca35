/* paths.c - $HVCTL_ROOT prefixing and existence checks (see paths.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "paths.h"

/* $HVCTL_ROOT or "". */
const char *paths_root(void)
{
	const char *r = getenv("HVCTL_ROOT");

	return r ? r : "";
}

/* root + formatted path into BUF. */
int paths_make(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(buf, len, "%s", paths_root());
	int m;

	if (n < 0 || (size_t)n >= len)
		return hv_err("path too long: $HVCTL_ROOT");
	va_start(ap, fmt);
	m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return hv_err("path too long: %s...", buf);
	return 0;
}

/* paths_require_loaded(): contract (arguments, units, errors) in paths.h. */
int paths_require_loaded(const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	if (paths_make(p, sizeof(p), "/sys/module/%s", name))
		return -1;
	if (stat(p, &st) == 0)
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		return hv_err("%s is not loaded", name);
	return hv_err_path(p, errno);
}

/* /sys/module/hv_iommu exists (the module is loaded or built in). */
int paths_require_module(void)
{
	return paths_require_loaded("hv_iommu");
}

/* Is there a debugfs mount on /sys/kernel/debug in (root)/proc/mounts?
 * Returns 1, 0, or -1 after reporting an unreadable /proc/mounts.
 * The mount point in the file is the real one (not prefixed). */
static int debugfs_mounted(void)
{
	char p[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	if (paths_make(p, sizeof(p), "%s", HV_PROC_MOUNTS))
		return -1;
	f = fopen(p, "re");
	if (!f)
		return hv_err_path(p, errno);
	while (getline(&line, &cap, f) > 0) {
		char dev[256], dir[PATH_MAX], type[64];

		/* fields: spec file vfstype ...; "%255s" etc. bound the copies */
		if (sscanf(line, "%255s %4095s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "debugfs") && !strcmp(dir, HV_DEBUGFS_MOUNT)) {
			found = 1;
			break;
		}
	}
	free(line);
	fclose(f);
	return found;
}

/* Module loaded, debugfs mounted, hv_iommu's debugfs directory present. */
int paths_require_debugfs(void)
{
	static const char msg[] =
		"debugfs is not mounted on " HV_DEBUGFS_MOUNT
		" (mount -t debugfs none " HV_DEBUGFS_MOUNT ")";
	char p[PATH_MAX];
	struct stat st;
	int r;

	if (paths_require_module())
		return -1;
	r = debugfs_mounted();
	if (r < 0)
		return -1;
	if (!r)
		return hv_err("%s", msg);
	if (paths_make(p, sizeof(p), "%s", HV_DEBUGFS))
		return -1;
	if (stat(p, &st) == 0)
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		return hv_err("%s", msg);
	return hv_err_path(p, errno);
}
