/* debugfs.c - hv_iommu's debugfs files into structs (debugfs.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "err.h"
#include "paths.h"

/* Handles one parsed record; returns 0 or -1 with ERR set. */
typedef int (*record_fn)(const struct record *rec, void *arg, struct perr *err);

/* Opens debugfs file PATH (unprefixed) and calls FN for every non-blank
 * line.  Errors: open/read failures via hv_err_path, parse errors as
 * "<file>:<line>: <msg>".  Returns 0 or -1. */
static int read_records(const char *path, record_fn fn, void *arg)
{
	char p[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	struct record rec;
	struct perr err;
	int r = 0;
	FILE *f;

	if (paths_make(p, sizeof(p), "%s", path))
		return -1;
	f = fopen(p, "re");
	if (!f)
		return hv_err_path(p, errno);
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (record_parse(line, &rec, &err) ||
		    ((rec.n || rec.tag) && fn(&rec, arg, &err))) {
			r = hv_err("%s:%lu: %s", p, lineno, err.msg);
			break;
		}
		errno = 0;
	}
	if (!r && ferror(f))
		r = hv_err_path(p, errno ? errno : EIO);
	free(line);
	fclose(f);
	return r;
}

/* Grows an array by one element (zeroed); NULL on ENOMEM. */
static void *append(void **v, size_t *n, size_t size)
{
	char *p = realloc(*v, (*n + 1) * size);

	if (!p)
		return NULL;
	*v = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

/* read_records callback: appends a debugfs `domains` record to the domain_list ARG. */
static int add_domain(const struct record *rec, void *arg, struct perr *err)
{
	struct domain_list *l = arg;
	struct domain d, *slot;

	if (domain_from_record(rec, &d, err))
		return -1;
	slot = append((void **)&l->v, &l->n, sizeof(*slot));
	if (!slot) {
		domain_free(&d);
		return perr_set(err, "out of memory");
	}
	*slot = d;
	return 0;
}

/* debugfs_read_domains(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_domains(struct domain_list *out)
{
	memset(out, 0, sizeof(*out));
	if (read_records(HV_DEBUGFS_DOMAINS, add_domain, out)) {
		domain_list_free(out);
		return -1;
	}
	return 0;
}

/* domain_list_free(): contract (arguments, units, errors) in debugfs.h. */
void domain_list_free(struct domain_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		domain_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* domain_list_find(): contract (arguments, units, errors) in debugfs.h. */
const struct domain *domain_list_find(const struct domain_list *l, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

/* read_records callback: appends a debugfs `devices` record to the device_list ARG. */
static int add_device(const struct record *rec, void *arg, struct perr *err)
{
	struct device_list *l = arg;
	struct hv_device d, *slot;

	if (device_from_record(rec, &d, err))
		return -1;
	slot = append((void **)&l->v, &l->n, sizeof(*slot));
	if (!slot) {
		device_free(&d);
		return perr_set(err, "out of memory");
	}
	*slot = d;
	return 0;
}

/* debugfs_read_devices(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_devices(struct device_list *out)
{
	memset(out, 0, sizeof(*out));
	if (read_records(HV_DEBUGFS_DEVICES, add_device, out)) {
		device_list_free(out);
		return -1;
	}
	return 0;
}

/* device_list_free(): contract (arguments, units, errors) in debugfs.h. */
void device_list_free(struct device_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		device_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* device_list_find(): contract (arguments, units, errors) in debugfs.h. */
const struct hv_device *device_list_find(const struct device_list *l, const struct bdf *b)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!bdf_cmp(&l->v[i].bdf, b))
			return &l->v[i];
	return NULL;
}

/* read_records callback: appends a debugfs `skipped` record to the skipped_list ARG. */
static int add_skipped(const struct record *rec, void *arg, struct perr *err)
{
	struct skipped_list *l = arg;
	struct hv_skipped s, *slot;

	if (skipped_from_record(rec, &s, err))
		return -1;
	slot = append((void **)&l->v, &l->n, sizeof(*slot));
	if (!slot) {
		skipped_free(&s);
		return perr_set(err, "out of memory");
	}
	*slot = s;
	return 0;
}

/* debugfs_read_skipped(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_skipped(struct skipped_list *out)
{
	memset(out, 0, sizeof(*out));
	if (read_records(HV_DEBUGFS_SKIPPED, add_skipped, out)) {
		skipped_list_free(out);
		return -1;
	}
	return 0;
}

/* skipped_list_free(): contract (arguments, units, errors) in debugfs.h. */
void skipped_list_free(struct skipped_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		skipped_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* read_records callback: adds a debugfs `stats` record to the hv_stats ARG. */
static int add_stat(const struct record *rec, void *arg, struct perr *err)
{
	return stats_add_record(rec, arg, err);
}

/* debugfs_read_stats(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_stats(struct hv_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (read_records(HV_DEBUGFS_STATS, add_stat, out)) {
		stats_free(out);
		return -1;
	}
	return 0;
}

/* debugfs_foreach_mapping(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_foreach_mapping(uint64_t id, mapping_fn fn, void *arg)
{
	char p[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	struct mapping m;
	struct perr err;
	int r = 0;
	FILE *f;

	if (paths_make(p, sizeof(p), HV_DEBUGFS_MAPPINGS "/%" PRIu64, id))
		return -1;
	f = fopen(p, "re");
	if (!f) {
		if (errno == ENOENT)
			return DEBUGFS_NOFILE;
		return hv_err_path(p, errno);
	}
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;	/* blank line */
		if (mapping_parse(line, &m, &err)) {
			r = hv_err("%s:%lu: %s", p, lineno, err.msg);
			break;
		}
		r = fn(&m, arg);
		if (r)
			break;
		errno = 0;
	}
	if (!r && ferror(f))
		r = hv_err_path(p, errno ? errno : EIO);
	free(line);
	fclose(f);
	return r;
}
