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

/* One table of records: debugfs file PATH, elements of SIZE bytes made by
 * FROM (0, or -1 with ERR set) and released by DROP. */
struct table_kind {
	const char *path;
	size_t size;
	int (*from)(const struct record *rec, void *elem, struct perr *err);
	void (*drop)(void *elem);
};

/* The array being filled: *V holds *N elements of KIND. */
struct table_sink {
	const struct table_kind *kind;
	void **v;
	size_t *n;
};

/* Releases the N elements of KIND at *V and the array; *V = NULL, *N = 0. */
static void table_drop(const struct table_kind *kind, void **v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		kind->drop((char *)*v + i * kind->size);
	free(*v);
	*v = NULL;
	*n = 0;
}

/* read_records callback: appends one element to the table_sink ARG. */
static int table_add(const struct record *rec, void *arg, struct perr *err)
{
	struct table_sink *sink = arg;
	void *slot = append(sink->v, sink->n, sink->kind->size);

	if (!slot)
		return perr_set(err, "out of memory");
	if (sink->kind->from(rec, slot, err)) {
		(*sink->n)--;
		return -1;
	}
	return 0;
}

/* Reads KIND's file into a new array *V of *N elements; on error (reported)
 * returns -1 with *V = NULL, *N = 0. */
static int table_read(const struct table_kind *kind, void **v, size_t *n)
{
	struct table_sink sink = { kind, v, n };

	*v = NULL;
	*n = 0;
	if (read_records(kind->path, table_add, &sink)) {
		table_drop(kind, v, n);
		return -1;
	}
	return 0;
}

/* Adapters from the typed parse.h functions to struct table_kind. */
static int domain_from(const struct record *rec, void *d, struct perr *err)
{
	return domain_from_record(rec, d, err);
}

static void domain_drop(void *d)
{
	domain_free(d);
}

static int device_from(const struct record *rec, void *d, struct perr *err)
{
	return device_from_record(rec, d, err);
}

static void device_drop(void *d)
{
	device_free(d);
}

static int skipped_from(const struct record *rec, void *s, struct perr *err)
{
	return skipped_from_record(rec, s, err);
}

static void skipped_drop(void *s)
{
	skipped_free(s);
}

static const struct table_kind domains_kind = {
	HV_DEBUGFS_DOMAINS, sizeof(struct domain), domain_from, domain_drop
};
static const struct table_kind devices_kind = {
	HV_DEBUGFS_DEVICES, sizeof(struct hv_device), device_from, device_drop
};
static const struct table_kind skipped_kind = {
	HV_DEBUGFS_SKIPPED, sizeof(struct hv_skipped), skipped_from, skipped_drop
};

static int synic_from(const struct record *rec, void *s, struct perr *err)
{
	return synic_from_record(rec, s, err);
}

static void synic_drop(void *s)
{
	synic_free(s);
}

static const struct table_kind synic_kind = {
	HV_VMM_DEBUGFS_SYNIC, sizeof(struct hv_synic), synic_from, synic_drop
};

/* debugfs_read_synic(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_synic(struct synic_list *out)
{
	return table_read(&synic_kind, (void **)&out->v, &out->n);
}

/* synic_list_free(): contract (arguments, units, errors) in debugfs.h. */
void synic_list_free(struct synic_list *l)
{
	table_drop(&synic_kind, (void **)&l->v, &l->n);
}

/* debugfs_read_domains(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_domains(struct domain_list *out)
{
	return table_read(&domains_kind, (void **)&out->v, &out->n);
}

/* domain_list_free(): contract (arguments, units, errors) in debugfs.h. */
void domain_list_free(struct domain_list *l)
{
	table_drop(&domains_kind, (void **)&l->v, &l->n);
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

/* debugfs_read_devices(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_devices(struct device_list *out)
{
	return table_read(&devices_kind, (void **)&out->v, &out->n);
}

/* device_list_free(): contract (arguments, units, errors) in debugfs.h. */
void device_list_free(struct device_list *l)
{
	table_drop(&devices_kind, (void **)&l->v, &l->n);
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

/* debugfs_read_skipped(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_skipped(struct skipped_list *out)
{
	return table_read(&skipped_kind, (void **)&out->v, &out->n);
}

/* skipped_list_free(): contract (arguments, units, errors) in debugfs.h. */
void skipped_list_free(struct skipped_list *l)
{
	table_drop(&skipped_kind, (void **)&l->v, &l->n);
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
