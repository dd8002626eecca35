/* fixture.h - a fake hv_iommu file tree for end-to-end tests of hvctl.
 *
 * fx_create() builds, in a fresh temporary directory used as $HVCTL_ROOT,
 * the files hvctl reads (doc/interfaces.md): /sys/module/hv_iommu/...,
 * /sys/class/iommu/hv_iommu/..., /sys/kernel/debug/hv_iommu/...,
 * /sys/bus/pci/devices/BDF/modalias and /proc/mounts.  fx_run() runs the
 * built hvctl ($HVCTL) on it.  Helpers abort the test (cmocka fail) on
 * any setup error. */
#ifndef HVCTL_TEST_FIXTURE_H
#define HVCTL_TEST_FIXTURE_H

#include <stdlib.h>

/* Creates the tree; returns its malloc'd root path. */
char *fx_create(void);

/* Removes the tree and frees ROOT. */
void fx_destroy(char *root);

/* Writes CONTENT to ROOT/REL (creating parent directories). */
void fx_write(const char *root, const char *rel, const char *content);

/* Returns the malloc'd content of ROOT/REL. */
char *fx_read(const char *root, const char *rel);

/* Removes ROOT/REL recursively. */
void fx_remove(const char *root, const char *rel);

/* chmod ROOT/REL to MODE. */
void fx_chmod(const char *root, const char *rel, unsigned mode);

/* Runs $HVCTL with the NULL-terminated arguments and HVCTL_ROOT=ROOT;
 * stores malloc'd stdout and stderr in *OUT and *ERR and returns the exit
 * status.  AS_NOBODY: when running as root, the child drops to uid/gid
 * 65534 first (to see permission errors as an operator would). */
int fx_run(const char *root, int as_nobody, char **out, char **err, ...);

/* Result of one run of hvctl (fx_run): exit code, stdout, stderr. */
struct run {
	int rc;
	char *out;
	char *err;
};

#define RUN(r, root, ...) \
	((r)->rc = fx_run((root), 0, &(r)->out, &(r)->err, __VA_ARGS__, (char *)NULL))

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#endif
