// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs.c - hv_iommu's sysfs attributes and module parameters (sysfs.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "paths.h"
#include "sysfs.h"

/* Largest value read: a sysfs attribute is at most PAGE_SIZE; allow more for
 * copies of the files on other systems. */
#define SYSFS_MAX 65536

/* sysfs_read(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_read(const char *path, char **out)
{
	char p[PATH_MAX];
	char *buf;
	size_t len = 0;
	int fd;

	if (paths_make(p, sizeof(p), "%s", path))
		return -1;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hv_err_path(p, errno);
	buf = malloc(SYSFS_MAX + 1);
	if (!buf) {
		close(fd);
		return hv_err_nomem();
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, SYSFS_MAX - len);

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return hv_err_path(p, e);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == SYSFS_MAX) {
			free(buf);
			close(fd);
			return hv_err("%s: larger than %d bytes", p, SYSFS_MAX);
		}
	}
	close(fd);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
		       buf[len - 1] == '\t' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* sysfs_read_u64(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_read_u64(const char *path, uint64_t *out)
{
	char *s;
	int r = 0;

	if (sysfs_read(path, &s))
		return -1;
	if (parse_u64(s, out, NULL)) {
		char p[PATH_MAX];

		if (!paths_make(p, sizeof(p), "%s", path))
			hv_err("%s: expected a number, got '%s'", p, s);
		r = -1;
	}
	free(s);
	return r;
}

/* sysfs_write_errno(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_write_errno(const char *path, const char *s)
{
	char p[PATH_MAX];
	size_t len = strlen(s);
	char *buf;
	ssize_t n;
	int fd, e;

	if (paths_make_quiet(p, sizeof(p), "%s", path))
		return ENAMETOOLONG;
	buf = malloc(len + 2);
	if (!buf)
		return ENOMEM;
	memcpy(buf, s, len);
	buf[len++] = '\n';
	buf[len] = '\0';
	/* O_TRUNC matters only for a regular-file copy under a system root. */
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		free(buf);
		return e;
	}
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	e = errno;
	free(buf);
	if (n < 0) {
		close(fd);
		return e;
	}
	if ((size_t)n != len) {
		close(fd);
		return EIO;
	}
	return close(fd) ? errno : 0;
}

/* sysfs_write(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_write(const char *path, const char *s)
{
	char p[PATH_MAX];
	int e = sysfs_write_errno(path, s);

	if (!e)
		return 0;
	if (paths_make(p, sizeof(p), "%s", path))
		return -1;
	if (e == EINVAL)
		return hv_err("%s: the kernel rejected the value (see dmesg)", p);
	if (e == EIO)
		return hv_err("%s: short write", p);
	return hv_err_path(p, e);
}

/* sysfs_read_skiplist(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_read_skiplist(struct bdf_list *out)
{
	struct perr err;
	char *s;

	if (sysfs_read(HV_PARAM_SKIP, &s))
		return -1;
	if (skiplist_parse(s, out, &err)) {
		char p[PATH_MAX];

		if (!paths_make(p, sizeof(p), "%s", HV_PARAM_SKIP))
			hv_err("%s: %s", p, err.msg);
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* sysfs_write_skiplist(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_write_skiplist(const struct bdf_list *l)
{
	char *s = skiplist_format(l);
	int r;

	if (!s)
		return hv_err_nomem();
	r = sysfs_write(HV_PARAM_SKIP, s);
	free(s);
	return r;
}

static int skip_live_add(struct skip_live *l, const char *text, const char *origin)
{
	struct skip_live_entry *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return hv_err_nomem();
	l->v = v;
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->text, sizeof(v->text), "%s", text);
	snprintf(v->origin, sizeof(v->origin), "%s", origin);
	v->has_bdf = !bdf_parse_n(text, strlen(text), 0, &v->bdf);
	return 0;
}

/* sysfs_read_skip_live(): contract (arguments, units, errors) in sysfs.h. */
int sysfs_read_skip_live(struct skip_live *out)
{
	struct bdf_list cfg = { 0 };
	char p[PATH_MAX], b[BDF_STRLEN], *s, *line, *save = NULL;
	size_t i;
	int rc = 0;

	if (paths_make(p, sizeof(p), "%s", HV_CLASS_SKIP))
		return -1;
	if (access(p, F_OK)) {
		if (sysfs_read_skiplist(&cfg))
			return -1;
		for (i = 0; i < cfg.n && !rc; i++) {
			bdf_format(&cfg.v[i], b);
			rc = skip_live_add(out, b, "boot");
		}
		bdf_list_free(&cfg);
		return rc;
	}
	if (sysfs_read(HV_CLASS_SKIP, &s))
		return -1;
	for (line = strtok_r(s, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		char text[16], origin[16];

		if (sscanf(line, "%15s %15s", text, origin) != 2)
			rc = hv_err("%s: malformed line '%s'", p, line);
		else
			rc = skip_live_add(out, text, origin);
	}
	free(s);
	return rc;
}

/* skip_live_free(): contract (arguments, units, errors) in sysfs.h. */
void skip_live_free(struct skip_live *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
