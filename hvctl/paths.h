/* SPDX-License-Identifier: GPL-2.0-or-later */
/* paths.h - where hv_iommu's files are, and the checks that turn a missing
 * file into the right one-line error.
 *
 * Every path hvctl reads or writes is one of the absolute paths below,
 * prefixed with the system root: --sysroot DIR, else $HVCTL_ROOT, else
 * none.  So hvctl runs the same on a copy of the files (tests, a capture
 * from another host, hvctl capture).  The udev hardware database is the
 * exception: libudev opens this host's hwdb.bin.
 */
#ifndef HVCTL_PATHS_H
#define HVCTL_PATHS_H

#include <stddef.h>

/* sysfs (doc/interfaces.md "hv_iommu: sysfs") */
#define HV_SYS_MODULE		"/sys/module/hv_iommu"
#define HV_PARAMS		"/sys/module/hv_iommu/parameters"
#define HV_PARAM_SKIP		HV_PARAMS "/pci_devs_to_skip"
#define HV_PARAM_ATTACH_MODE	HV_PARAMS "/attach_mode"
#define HV_CLASS		"/sys/class/iommu/hv_iommu"
#define HV_CLASS_BACKEND	HV_CLASS "/backend"
#define HV_CLASS_ROLE		HV_CLASS "/role"
#define HV_CLASS_DOMAINS_IN_USE	HV_CLASS "/domains_in_use"
#define HV_CLASS_SKIP		HV_CLASS "/skip"
#define HV_CLASS_SKIP_ADD	HV_CLASS "/skip_add"
#define HV_CLASS_SKIP_REMOVE	HV_CLASS "/skip_remove"
#define HV_PCI_DEVICES		"/sys/bus/pci/devices"
#define HV_LOCKDOWN		"/sys/kernel/security/lockdown"

/* debugfs (doc/interfaces.md "hv_iommu: debugfs") */
#define HV_DEBUGFS_MOUNT	"/sys/kernel/debug"
#define HV_DEBUGFS		"/sys/kernel/debug/hv_iommu"
#define HV_DEBUGFS_DOMAINS	HV_DEBUGFS "/domains"
#define HV_DEBUGFS_DEVICES	HV_DEBUGFS "/devices"
#define HV_DEBUGFS_SKIPPED	HV_DEBUGFS "/skipped"
#define HV_DEBUGFS_STATS	HV_DEBUGFS "/stats"
#define HV_DEBUGFS_MAPPINGS	HV_DEBUGFS "/mappings"	/* + "/<id>" */

/* hv_vmm (doc/interfaces.md "hv_vmm: debugfs") */
#define HV_VMM_DEBUGFS		"/sys/kernel/debug/hv_vmm"
#define HV_VMM_DEBUGFS_SYNIC	HV_VMM_DEBUGFS "/synic"
#define HV_VMM_PARAM_MMIO_MODE	"/sys/module/hv_vmm/parameters/mmio_mode"

#define HV_MOUNTINFO		"/proc/self/mountinfo"

/* Sets the system root (--sysroot DIR); NULL goes back to $HVCTL_ROOT. */
void paths_set_root(const char *dir);

/* The system root: --sysroot, else $HVCTL_ROOT, else "". */
const char *paths_root(void);

/* Writes the root + the printf-formatted absolute path into BUF (LEN
 * bytes).  Returns 0, or -1 after reporting "path too long". */
int paths_make(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* paths_make without reporting. */
int paths_make_quiet(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Checks that module NAME is loaded (/sys/module/NAME exists).  Returns 0,
 * or -1 after reporting "NAME is not loaded". */
int paths_require_loaded(const char *name);
/* paths_require_loaded without reporting: 0 when loaded, else -1. */
int paths_require_loaded_quiet(const char *name);

/* Checks that hv_iommu is loaded (HV_SYS_MODULE exists).  Returns 0, or -1
 * after reporting "hv_iommu is not loaded". */
int paths_require_module(void);

/* Why hv_iommu's debugfs directory cannot be read: 0 when it can, else -1
 * with the one-line reason in MSG (LEN bytes): debugfs not mounted on
 * /sys/kernel/debug (libmount on (root)/proc/self/mountinfo), mounted but
 * without hv_iommu's directory, or the errno of the directory. */
int paths_debugfs_problem(char *msg, size_t len);

/* paths_require_module, then paths_debugfs_problem; reports the reason.
 * Returns 0 or -1. */
int paths_require_debugfs(void);

/* For commands that show sysfs facts without debugfs (status, skip list,
 * list-devices): 0 when hv_iommu is loaded and its debugfs can be read,
 * else 1 after the warning "REASON: WHAT not shown"; when NEED_MODULE and
 * hv_iommu is not loaded, -1 after reporting "hv_iommu is not loaded". */
int paths_want_debugfs(const char *what, int need_module);

#endif
