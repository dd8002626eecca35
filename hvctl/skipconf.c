// SPDX-License-Identifier: GPL-2.0-or-later
/* skipconf.c - the persistent skip configuration (skipconf.h). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libudev.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "paths.h"
#include "skipconf.h"

/* Exactly four hex digits. */
static int hex4(const char *s, unsigned *v)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	*v = (unsigned)strtoul((char[5]){ s[0], s[1], s[2], s[3], 0 }, NULL, 16);
	return 0;
}

/* "VVVV:DDDD".  Returns 0 or -1. */
static int id_parse(const char *s, unsigned *vendor, unsigned *device)
{
	if (strlen(s) != 9 || s[4] != ':' || hex4(s, vendor) || hex4(s + 5, device))
		return -1;
	return 0;
}

static int set_bdf(struct skipconf_entry *e, const char *s)
{
	char buf[BDF_STRLEN];

	if (bdf_parse_n(s, strlen(s), 0, &e->bdf))
		return -1;
	e->kind = SKC_BDF;
	bdf_format(&e->bdf, buf);
	e->text = strdup(buf);
	return 0;
}

static int set_id(struct skipconf_entry *e, const char *s)
{
	char buf[16];

	if (id_parse(s, &e->vendor, &e->device))
		return -1;
	e->kind = SKC_ID;
	snprintf(buf, sizeof(buf), "%04x:%04x", e->vendor, e->device);
	e->text = strdup(buf);
	return 0;
}

/* skipconf_parse(): contract in skipconf.h. */
int skipconf_parse(const char *s, struct skipconf_entry *e, char *msg, size_t len)
{
	const char *eq = strchr(s, '=');
	size_t i;

	memset(e, 0, sizeof(*e));
	if (!eq) {
		if (!set_bdf(e, s) || !set_id(e, s))
			return e->text ? 0 : (snprintf(msg, len, "out of memory"), -1);
		snprintf(msg, len, "'%s' is neither SSSS:BB:DD.F, VVVV:DDDD nor KEY=VALUE", s);
		return -1;
	}
	if (eq == s) {
		snprintf(msg, len, "'%s': missing the property name before '='", s);
		return -1;
	}
	for (i = 0; s + i < eq; i++) {
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_') {
			snprintf(msg, len, "'%s': a udev property name is A-Z, 0-9 and _", s);
			return -1;
		}
	}
	if (!eq[1]) {
		snprintf(msg, len, "'%s': missing the value after '='", s);
		return -1;
	}
	for (i = 1; eq[i]; i++) {
		if (iscntrl((unsigned char)eq[i])) {
			snprintf(msg, len, "'%.*s': a control character in the value",
				 (int)(eq - s), s);
			return -1;
		}
	}
	/* The driver's own forms, when there is no glob. */
	if (!strpbrk(eq + 1, "*?[")) {
		if (!strncmp(s, "PCI_SLOT_NAME=", 14)) {
			if (set_bdf(e, eq + 1)) {
				snprintf(msg, len, "'%s': expected PCI_SLOT_NAME=SSSS:BB:DD.F", s);
				return -1;
			}
			return e->text ? 0 : (snprintf(msg, len, "out of memory"), -1);
		}
		if (!strncmp(s, "PCI_ID=", 7)) {
			if (set_id(e, eq + 1)) {
				snprintf(msg, len, "'%s': expected PCI_ID=VVVV:DDDD", s);
				return -1;
			}
			return e->text ? 0 : (snprintf(msg, len, "out of memory"), -1);
		}
	}
	e->kind = SKC_PROP;
	e->key = strndup(s, (size_t)(eq - s));
	e->value = strdup(eq + 1);
	e->text = strdup(s);
	if (!e->key || !e->value || !e->text) {
		skipconf_entry_free(e);
		snprintf(msg, len, "out of memory");
		return -1;
	}
	return 0;
}

void skipconf_entry_free(struct skipconf_entry *e)
{
	free(e->key);
	free(e->value);
	free(e->text);
	free(e->file);
	memset(e, 0, sizeof(*e));
}

void skipconf_free(struct skipconf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		skipconf_entry_free(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int skipconf_push(struct skipconf *c, struct skipconf_entry *e)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct skipconf_entry *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return hv_err_nomem();
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = *e;
	return 0;
}

/* The lines of one file PATH (NAME for messages). */
static int skipconf_read_file(struct skipconf *c, const char *path, size_t *nbad)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, msg[256];
	size_t cap = 0;
	unsigned no = 0;
	ssize_t n;
	int rc = 0;

	if (!f)
		return hv_err_path(path, errno);
	while ((n = getline(&line, &cap, f)) >= 0) {
		struct skipconf_entry e;
		char *s = line, *hash = strchr(line, '#');

		no++;
		if (hash)
			*hash = '\0';
		while (isspace((unsigned char)*s))
			s++;
		n = (ssize_t)strlen(s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if (!*s)
			continue;
		if (skipconf_parse(s, &e, msg, sizeof(msg))) {
			hv_warn("%s:%u: %s; line ignored", path, no, msg);
			(*nbad)++;
			continue;
		}
		e.file = strdup(path);
		e.line = no;
		if (!e.file || skipconf_push(c, &e)) {
			skipconf_entry_free(&e);
			rc = hv_err_nomem();
			break;
		}
	}
	if (!rc && ferror(f))
		rc = hv_err_path(path, errno);
	free(line);
	fclose(f);
	return rc;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Files of the directory: not hidden, not a backup (~), not a temporary. */
static int conf_name_ok(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n && d->d_name[n - 1] != '~';
}

/* skipconf_read(): contract in skipconf.h. */
int skipconf_read(struct skipconf *c, size_t *nbad)
{
	struct dirent **names = NULL;
	char dir[PATH_MAX], path[PATH_MAX];
	int n, i, rc = 0;

	*nbad = 0;
	if (paths_make(dir, sizeof(dir), "%s", HV_SKIP_CONF_DIR))
		return -1;
	n = scandir(dir, &names, conf_name_ok, name_cmp);
	if (n < 0)
		return errno == ENOENT ? 0 : hv_err_path(dir, errno);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (!rc && snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) <
		    (int)sizeof(path) && !stat(path, &st) && S_ISREG(st.st_mode))
			rc = skipconf_read_file(c, path, nbad);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* skipconf_kernel_text(): contract in skipconf.h. */
int skipconf_kernel_text(const struct skipconf_entry *e, char buf[16])
{
	if (e->kind == SKC_PROP)
		return -1;
	snprintf(buf, 16, "%s", e->text);
	return 0;
}

/* skipconf_match(): contract in skipconf.h. */
int skipconf_match(const struct skipconf_entry *e,
		   const char *(*get)(void *ctx, const char *key), void *ctx)
{
	const char *v;

	switch (e->kind) {
	case SKC_BDF:
		v = get(ctx, "PCI_SLOT_NAME");
		return v && !strcasecmp(v, e->text);
	case SKC_ID:
		v = get(ctx, "PCI_ID");
		return v && !strcasecmp(v, e->text);
	case SKC_PROP:
		v = get(ctx, e->key);
		return v && !fnmatch(e->value, v, 0);
	}
	return 0;
}

static const char *udev_get(void *ctx, const char *key)
{
	return udev_device_get_property_value(ctx, key);
}

/* skipconf_present(): contract in skipconf.h. */
int skipconf_present(const struct skipconf_entry *e, struct bdf_list *out)
{
	struct udev *u = udev_new();
	struct udev_enumerate *en = u ? udev_enumerate_new(u) : NULL;
	struct udev_list_entry *le;
	int rc = 0;

	if (!en || udev_enumerate_add_match_subsystem(en, "pci") < 0 ||
	    udev_enumerate_scan_devices(en) < 0) {
		rc = hv_err("cannot list the PCI devices through libudev");
		goto out;
	}
	udev_list_entry_foreach(le, udev_enumerate_get_list_entry(en)) {
		struct udev_device *d = udev_device_new_from_syspath(u, udev_list_entry_get_name(le));
		const char *slot = d ? udev_device_get_sysname(d) : NULL;
		struct bdf b;

		if (slot && skipconf_match(e, udev_get, d) && !bdf_parse_n(slot, strlen(slot), 0, &b) &&
		    bdf_list_find(out, &b) < 0 && bdf_list_add(out, &b))
			rc = hv_err_nomem();
		udev_device_unref(d);
		if (rc)
			break;
	}
out:
	udev_enumerate_unref(en);
	udev_unref(u);
	return rc;
}

/* The file of E: HV_SKIP_CONF_DIR/<text, with what a file name cannot
 * hold as '_'>. */
static int conf_path(const struct skipconf_entry *e, char *buf, size_t len)
{
	char name[NAME_MAX + 1];
	size_t i;

	snprintf(name, sizeof(name), "%s", e->text);
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || isspace((unsigned char)name[i]) ||
		    (i == 0 && name[i] == '.'))
			name[i] = '_';
	return paths_make(buf, len, "%s/%s", HV_SKIP_CONF_DIR, name);
}

/* mkdir -p of the directory holding PATH. */
static int mkdir_parents(const char *path)
{
	char p[PATH_MAX];
	char *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return hv_err_path(p, errno);
		*s = '/';
	}
	return 0;
}

/* skipconf_write(): contract in skipconf.h. */
int skipconf_write(const struct skipconf_entry *e)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], old[512];
	size_t len = strlen(e->text);
	ssize_t n;
	int fd;

	if (conf_path(e, path, sizeof(path)) || mkdir_parents(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, old, sizeof(old) - 1);
		close(fd);
		old[n > 0 ? n : 0] = '\0';
		if (n > 0 && old[n - 1] == '\n')
			old[n - 1] = '\0';
		if (!strcmp(old, e->text))
			return 1;
		return hv_err("%s exists with other content ('%s'): remove it first", path, old);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp~", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return hv_err_path(tmp, errno);
	if (write(fd, e->text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) || close(fd)) {
		int err = errno;

		unlink(tmp);
		return hv_err_path(tmp, err);
	}
	if (rename(tmp, path)) {
		int err = errno;

		unlink(tmp);
		return hv_err_path(path, err);
	}
	return 0;
}

/* skipconf_remove(): contract in skipconf.h. */
int skipconf_remove(const struct skipconf_entry *e)
{
	char path[PATH_MAX];

	if (conf_path(e, path, sizeof(path)))
		return -1;
	if (unlink(path))
		return errno == ENOENT ? 1 : hv_err_path(path, errno);
	return 0;
}
