// SPDX-License-Identifier: GPL-2.0-or-later
/* capture.c - hvctl capture FILE.tar: the files hvctl reads, saved so that
 * `hvctl --sysroot DIR` on the unpacked tar shows what this host showed.
 *
 * Saved (relative to /, under the system root): hv_iommu's, hv_sim's and
 * hv_vmm's module parameters, /sys/class/iommu/hv_iommu, the modules'
 * debugfs directories, the persistent skip entries, /proc/self/mountinfo, the lockdown mode, and per PCI device
 * modalias, numa_node, the driver and iommu_group links and the net/
 * interface names.  Sysfs and debugfs files report sizes that are not
 * their contents' (4096, 0), so each file is read whole and the tar entry
 * (libarchive, pax) gets the length read.  A file that cannot be read
 * (write-only knobs, a debugfs file refused) is left out with a warning.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "err.h"
#include "paths.h"
#include "skipconf.h"

/* Trees saved whole (regular files, recursively; links are not followed). */
static const char *const trees[] = {
	"/sys/module/hv_iommu/parameters",
	"/sys/module/hv_sim/parameters",
	"/sys/module/hv_vmm/parameters",
	HV_CLASS,
	HV_DEBUGFS,
	"/sys/kernel/debug/hv_sim",
	HV_VMM_DEBUGFS,
	HV_SKIP_CONF_DIR,
};

/* Single files. */
static const char *const files[] = { HV_MOUNTINFO, HV_LOCKDOWN };

/* Per PCI device: files and links (by name in its directory). */
static const char *const pci_files[] = { "modalias", "numa_node" };
static const char *const pci_links[] = { "driver", "iommu_group" };

struct capture {
	struct archive *a;
	size_t files;		/* entries written */
};

/* Writes one entry named REL (absolute, the leading '/' dropped) of TYPE
 * (AE_IFREG with DATA/LEN, AE_IFDIR, or AE_IFLNK to TARGET). */
static int put_entry(struct capture *c, const char *rel, unsigned type, const char *data,
		     size_t len, const char *target)
{
	struct archive_entry *e = archive_entry_new();
	int r = 0;

	if (!e)
		return hv_err_nomem();
	archive_entry_set_pathname(e, rel + 1);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_mtime(e, time(NULL), 0);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)len);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, target);
	if (archive_write_header(c->a, e) != ARCHIVE_OK ||
	    (len && archive_write_data(c->a, data, len) != (la_ssize_t)len))
		r = hv_err("capture: %s: %s", rel, archive_error_string(c->a));
	archive_entry_free(e);
	if (!r)
		c->files++;
	return r;
}

/* Reads (root)REL whole and saves it; a file that cannot be opened or
 * read is left out with a warning (returns 0); -1 on archive errors. */
static int put_file(struct capture *c, const char *rel)
{
	char p[PATH_MAX], msg[PATH_MAX + 128];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, r;

	if (paths_make(p, sizeof(p), "%s", rel))
		return -1;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) {
			path_errmsg(msg, sizeof(msg), p, errno);
			hv_warn("capture: %s: left out", msg);
		}
		return 0;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				free(buf);
				close(fd);
				return hv_err_nomem();
			}
			buf = nb;
			cap += 65536;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			path_errmsg(msg, sizeof(msg), p, errno);
			hv_warn("capture: %s: left out", msg);
			free(buf);
			close(fd);
			return 0;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	r = put_entry(c, rel, AE_IFREG, buf, len, NULL);
	free(buf);
	return r;
}

/* Saves the directory (root)REL: regular files and subdirectories,
 * recursively; links are not followed.  A missing directory is skipped. */
static int put_tree(struct capture *c, const char *rel)
{
	char p[PATH_MAX], child[PATH_MAX];
	struct dirent **names;
	int i, n, r = 0;

	if (paths_make(p, sizeof(p), "%s", rel))
		return -1;
	n = scandir(p, &names, NULL, alphasort);
	if (n < 0)
		return 0;
	r = put_entry(c, rel, AE_IFDIR, NULL, 0, NULL);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (!r && strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") &&
		    (size_t)snprintf(child, sizeof(child), "%s/%s", rel, names[i]->d_name) <
		    sizeof(child) && !paths_make(p, sizeof(p), "%s", child) && !lstat(p, &st)) {
			if (S_ISDIR(st.st_mode))
				r = put_tree(c, child);
			else if (S_ISREG(st.st_mode) && (st.st_mode & 0444))
				r = put_file(c, child);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

/* Saves what list-devices reads of PCI device NAME. */
static int put_pci_device(struct capture *c, const char *name)
{
	char rel[PATH_MAX], p[PATH_MAX], target[PATH_MAX];
	struct dirent **names;
	size_t i;
	int n, r;

	snprintf(rel, sizeof(rel), HV_PCI_DEVICES "/%s", name);
	r = put_entry(c, rel, AE_IFDIR, NULL, 0, NULL);
	for (i = 0; !r && i < ARRAY_SIZE(pci_files); i++) {
		snprintf(rel, sizeof(rel), HV_PCI_DEVICES "/%s/%s", name, pci_files[i]);
		r = put_file(c, rel);
	}
	for (i = 0; !r && i < ARRAY_SIZE(pci_links); i++) {
		ssize_t len;

		snprintf(rel, sizeof(rel), HV_PCI_DEVICES "/%s/%s", name, pci_links[i]);
		if (paths_make(p, sizeof(p), "%s", rel))
			return -1;
		len = readlink(p, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		r = put_entry(c, rel, AE_IFLNK, NULL, 0, target);
	}
	snprintf(rel, sizeof(rel), HV_PCI_DEVICES "/%s/net", name);
	if (r || paths_make(p, sizeof(p), "%s", rel))
		return r ? r : -1;
	n = scandir(p, &names, NULL, alphasort);
	for (i = 0; n > 0 && i < (size_t)n; i++) {
		if (!r && names[i]->d_name[0] != '.') {
			snprintf(rel, sizeof(rel), HV_PCI_DEVICES "/%s/net/%s", name,
				 names[i]->d_name);
			r = put_entry(c, rel, AE_IFDIR, NULL, 0, NULL);
		}
		free(names[i]);
	}
	if (n > 0)
		free(names);
	return r;
}

/* hvctl capture FILE.tar ("-": standard output). */
int cmd_capture(const struct opts *o, int argc, char **argv)
{
	struct capture c = { 0 };
	char p[PATH_MAX];
	struct dirent **names;
	size_t i;
	int n, r = 0;

	if (argc < 1) {
		hv_err("capture: missing file name (FILE.tar, or - for standard output)");
		return HV_EXIT_USAGE;
	}
	if (no_more_args("capture", argc, argv, 1))
		return HV_EXIT_USAGE;
	if (no_output_options("capture", &o->out))
		return HV_EXIT_USAGE;
	if (paths_require_module())
		return HV_EXIT_FAIL;
	c.a = archive_write_new();
	if (!c.a || archive_write_set_format_pax_restricted(c.a) != ARCHIVE_OK) {
		archive_write_free(c.a);
		hv_err_nomem();
		return HV_EXIT_FAIL;
	}
	if (archive_write_open_filename(c.a, strcmp(argv[0], "-") ? argv[0] : NULL) != ARCHIVE_OK) {
		hv_err("capture: %s: %s", argv[0], archive_error_string(c.a));
		archive_write_free(c.a);
		return HV_EXIT_FAIL;
	}
	for (i = 0; !r && i < ARRAY_SIZE(trees); i++)
		r = put_tree(&c, trees[i]);
	for (i = 0; !r && i < ARRAY_SIZE(files); i++)
		r = put_file(&c, files[i]);
	if (!r && !paths_make(p, sizeof(p), "%s", HV_PCI_DEVICES)) {
		n = scandir(p, &names, NULL, alphasort);
		for (i = 0; n > 0 && i < (size_t)n; i++) {
			if (!r && names[i]->d_name[0] != '.')
				r = put_pci_device(&c, names[i]->d_name);
			free(names[i]);
		}
		if (n > 0)
			free(names);
	}
	if (archive_write_close(c.a) != ARCHIVE_OK && !r)
		r = hv_err("capture: %s: %s", argv[0], archive_error_string(c.a));
	archive_write_free(c.a);
	if (r)
		return HV_EXIT_FAIL;
	if (strcmp(argv[0], "-"))
		printf("captured %zu entries in %s (read with: mkdir DIR && "
			"tar -xf %s -C DIR && hvctl --sysroot DIR status)\n", c.files, argv[0],
			argv[0]);
	return HV_EXIT_OK;
}
