// SPDX-License-Identifier: GPL-2.0-or-later
/* debugfs.c - hv_iommu's debugfs files into structs (debugfs.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "err.h"
#include "nl.h"
#include "paths.h"

/* Handles one non-blank line of a debugfs file (nl_line_fn). */
typedef nl_line_fn line_fn;

#define READ_NOFILE_OK 1	/* a missing file returns DEBUGFS_NOFILE, unreported */
#define READ_BUFFER (128 * 1024)	/* bytes per read(2) */

/* Opens debugfs file PATH (unprefixed, printf-formatted with the rest) and
 * calls FN for every non-blank line, reading line by line (getline: never
 * the whole file at once).  Errors: open/read failures via hv_err_path,
 * FN's errors as "<file>:<line>: <msg>".  Returns 0, -1 or DEBUGFS_NOFILE. */
static int read_lines(int flags, line_fn fn, void *arg, const char *path, ...)
	__attribute__((format(printf, 4, 5)));
static int read_lines(int flags, line_fn fn, void *arg, const char *path, ...)
{
	char rel[PATH_MAX], p[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	struct perr err;
	va_list ap;
	int r = 0;
	FILE *f;

	va_start(ap, path);
	r = vsnprintf(rel, sizeof(rel), path, ap) >= (int)sizeof(rel);
	va_end(ap);
	if (r)
		return -1;
	/* The family's dump of the same table, when it serves it (nl.h). */
	r = nl_read_lines(rel, fn, arg);
	if (r == NL_NOENT && (flags & READ_NOFILE_OK))
		return DEBUGFS_NOFILE;
	if (r != NL_UNSERVED)
		return r == NL_NOENT ? hv_err("%s: %s", rel, strerror(ENOENT)) : r;
	r = 0;
	if (paths_make(p, sizeof(p), "%s", rel))
		return -1;
	f = fopen(p, "re");
	if (!f) {
		if (errno == ENOENT && (flags & READ_NOFILE_OK))
			return DEBUGFS_NOFILE;
		return hv_err_path(p, errno);
	}
	/* Large reads, as cat does: each read of a seq_file looks its place up. */
	setvbuf(f, NULL, _IOFBF, READ_BUFFER);
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;	/* blank line */
		err.msg[0] = '\0';
		if (fn(line, arg, &err)) {
			r = err.msg[0] ? hv_err("%s:%lu: %s", p, lineno, err.msg) : -1;
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

/* read_lines callback: parses a record and appends one element to the
 * table_sink ARG. */
static int table_add(char *line, void *arg, struct perr *err)
{
	struct table_sink *sink = arg;
	struct record rec;
	void *slot;

	if (record_parse(line, &rec, err))
		return -1;
	slot = array_grow(sink->v, sink->n, sink->kind->size);
	if (!slot)
		return perr_set(err, "out of memory");
	if (sink->kind->from(&rec, slot, err)) {
		(*sink->n)--;
		return -1;
	}
	return 0;
}

struct record_sink {
	record_fn fn;
	void *arg;
};

/* read_lines callback: parses a record and hands it to the record_sink. */
static int record_line(char *line, void *arg, struct perr *err)
{
	struct record_sink *sink = arg;
	struct record rec;

	if (record_parse(line, &rec, err))
		return -1;
	return sink->fn(&rec, sink->arg, err);
}

/* debugfs_foreach_record(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_foreach_record(const char *path, record_fn fn, void *arg)
{
	struct record_sink sink = { fn, arg };

	return read_lines(READ_NOFILE_OK, record_line, &sink, "%s", path);
}

/* Reads KIND's file into a new array *V of *N elements; on error (reported)
 * returns -1 with *V = NULL, *N = 0. */
static int table_read(const struct table_kind *kind, void **v, size_t *n)
{
	struct table_sink sink = { kind, v, n };

	*v = NULL;
	*n = 0;
	if (read_lines(0, table_add, &sink, "%s", kind->path)) {
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

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* debugfs_vmm_partitions(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_vmm_partitions(uint64_t **ids, size_t *n)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;

	*ids = NULL;
	*n = 0;
	if (paths_make(p, sizeof(p), "%s/partitions", HV_VMM_DEBUGFS))
		return -1;
	d = opendir(p);
	if (!d)
		return hv_err_path(p, errno);
	while ((de = readdir(d))) {
		uint64_t *slot;
		char *end;
		unsigned long long id = strtoull(de->d_name, &end, 10);

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || *end)
			continue;
		slot = array_grow((void **)ids, n, sizeof(**ids));
		if (!slot) {
			closedir(d);
			free(*ids);
			*ids = NULL;
			*n = 0;
			return hv_err_nomem();
		}
		*slot = id;
	}
	closedir(d);
	qsort(*ids, *n, sizeof(**ids), u64_cmp);
	return 0;
}

/* record_fn: one line of partitions/<id>/regions into a region_list. */
struct region_sink {
	struct region_list *l;
	uint64_t partition;
};

static int region_row(const struct record *rec, void *arg, struct perr *err)
{
	struct region_sink *sink = arg;
	struct vmm_region r = { .partition = sink->partition };
	const char *kind = record_need(rec, "kind", err);
	struct vmm_region *slot;

	if (!kind || record_need_u64(rec, "gpa", &r.gpa, err) ||
	    record_need_u64(rec, "size", &r.size, err) ||
	    record_need_u64(rec, "mapped_pages", &r.mapped_pages, err))
		return -1;
	r.mmio = !strcmp(kind, "mmio");
	slot = array_grow((void **)&sink->l->v, &sink->l->n, sizeof(*slot));
	if (!slot)
		return perr_set(err, "out of memory");
	*slot = r;
	return 0;
}

/* debugfs_read_regions(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_regions(struct region_list *out)
{
	struct region_sink sink = { out, 0 };
	uint64_t *ids;
	size_t n, i;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	if (debugfs_vmm_partitions(&ids, &n))
		return -1;
	for (i = 0; i < n && r != -1; i++) {
		sink.partition = ids[i];
		r = read_lines(READ_NOFILE_OK, record_line, &(struct record_sink){ region_row, &sink },
			       "%s/partitions/%" PRIu64 "/regions", HV_VMM_DEBUGFS, ids[i]);
	}
	free(ids);
	if (r == -1)
		region_list_free(out);
	return r == -1 ? -1 : 0;
}

/* region_list_free(): contract (arguments, units, errors) in debugfs.h. */
void region_list_free(struct region_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
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
	return array_find(&id, l->v, l->n, sizeof(*l->v), u64_key_cmp);
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
	return array_find(b, l->v, l->n, sizeof(*l->v), bdf_key_cmp);
}

/* debugfs_read_skipped(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_skipped(struct skipped_list *out)
{
	return table_read(&skipped_kind, (void **)&out->v, &out->n);
}

/* skipped_list_find(): contract (arguments, units, errors) in debugfs.h. */
const struct hv_skipped *skipped_list_find(const struct skipped_list *l, const struct bdf *b)
{
	return array_find(b, l->v, l->n, sizeof(*l->v), bdf_key_cmp);
}

/* skipped_list_free(): contract (arguments, units, errors) in debugfs.h. */
void skipped_list_free(struct skipped_list *l)
{
	table_drop(&skipped_kind, (void **)&l->v, &l->n);
}

/* read_lines callback: adds a debugfs `stats` record to the hv_stats ARG. */
static int add_stat(char *line, void *arg, struct perr *err)
{
	struct record rec;

	return record_parse(line, &rec, err) || stats_add_record(&rec, arg, err) ? -1 : 0;
}

/* debugfs_read_stats(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_read_stats(struct hv_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (read_lines(0, add_stat, out, "%s", HV_DEBUGFS_STATS)) {
		stats_free(out);
		return -1;
	}
	return 0;
}

/* A mapping callback and its argument, for read_lines. */
struct mapping_walk {
	mapping_fn fn;
	void *arg;
};

/* read_lines callback: parses a mapping and hands it to the walk's FN
 * (which reports its own errors). */
static int walk_mapping(char *line, void *arg, struct perr *err)
{
	struct mapping_walk *w = arg;
	struct mapping m;

	if (mapping_parse(line, &m, err))
		return -1;
	return w->fn(&m, w->arg) ? -1 : 0;
}

/* debugfs_foreach_mapping(): contract (arguments, units, errors) in debugfs.h. */
int debugfs_foreach_mapping(uint64_t id, mapping_fn fn, void *arg)
{
	struct mapping_walk w = { fn, arg };
	int r;

	/* The family's dump first, decoded without text in between. */
	r = nl_foreach_mapping(id, fn, arg);
	if (r == NL_NOENT)
		return DEBUGFS_NOFILE;
	if (r != NL_UNSERVED)
		return r;
	return read_lines(READ_NOFILE_OK, walk_mapping, &w, HV_DEBUGFS_MAPPINGS "/%" PRIu64, id);
}
