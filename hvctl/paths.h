/* paths.h - where hv_iommu's files are, and the checks that turn a missing
 * file into the right one-line error.
 *
 * Every path hvctl reads or writes is one of the absolute paths below,
 * prefixed with $HVCTL_ROOT (default: empty), so hvctl can run on a copy of
 * the files (tests, post-mortem of a captured tree).  The udev hardware
 * database is the exception: libudev opens the host's hwdb.bin.
 */
#ifndef HVCTL_PATHS_H
#define HVCTL_PATHS_H

#include <stddef.h>

/* sysfs (doc/interfaces.md "hv_iommu: sysfs") */
#define HV_SYS_MODULE		"/sys/module/hv_iommu"
#define HV_PARAM_SKIP		"/sys/module/hv_iommu/parameters/pci_devs_to_skip"
#define HV_PARAM_ATTACH_MODE	"/sys/module/hv_iommu/parameters/attach_mode"
#define HV_CLASS_BACKEND	"/sys/class/iommu/hv_iommu/backend"
#define HV_CLASS_DOMAINS_IN_USE	"/sys/class/iommu/hv_iommu/domains_in_use"
#define HV_PCI_DEVICES		"/sys/bus/pci/devices"

/* debugfs (doc/interfaces.md "hv_iommu: debugfs") */
#define HV_DEBUGFS_MOUNT	"/sys/kernel/debug"
#define HV_DEBUGFS		"/sys/kernel/debug/hv_iommu"
#define HV_DEBUGFS_DOMAINS	HV_DEBUGFS "/domains"
#define HV_DEBUGFS_DEVICES	HV_DEBUGFS "/devices"
#define HV_DEBUGFS_SKIPPED	HV_DEBUGFS "/skipped"
#define HV_DEBUGFS_STATS	HV_DEBUGFS "/stats"
#define HV_DEBUGFS_MAPPINGS	HV_DEBUGFS "/mappings"	/* + "/<id>" */

/* hv_vmm (doc/interfaces.md "hv_vmm: debugfs") */
#define HV_VMM_DEBUGFS_SYNIC	"/sys/kernel/debug/hv_vmm/synic"

#define HV_PROC_MOUNTS		"/proc/mounts"

/* $HVCTL_ROOT, or "" when unset. */
const char *paths_root(void);

/* Writes $HVCTL_ROOT + the printf-formatted absolute path into BUF (LEN
 * bytes).  Returns 0, or -1 after reporting "path too long". */
int paths_make(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Checks that module NAME is loaded (/sys/module/NAME exists).  Returns 0,
 * or -1 after reporting "NAME is not loaded". */
int paths_require_loaded(const char *name);

/* Checks that hv_iommu is loaded (HV_SYS_MODULE exists).  Returns 0, or -1
 * after reporting "hv_iommu is not loaded". */
int paths_require_module(void);

/* paths_require_module, then checks that debugfs is mounted on
 * /sys/kernel/debug (a "debugfs" line for that mount point in /proc/mounts)
 * and that HV_DEBUGFS exists.  Returns 0, or -1 after reporting
 * "debugfs is not mounted on ..." or "permission denied: ... (run as root)". */
int paths_require_debugfs(void);

#endif
