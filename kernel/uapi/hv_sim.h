/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/hv_sim: what a VMM needs from the simulated hypervisor for direct
 * attach.  A process creates a guest partition bound to itself (its thread
 * group); the partition is deleted by HV_SIM_DELETE_PARTITION or when the
 * file is closed (once no device is attached to it any more).
 */
#ifndef _UAPI_HV_SIM_H
#define _UAPI_HV_SIM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HV_SIM_DEVICE_PATH	"/dev/hv_sim"

/*
 * HV_SIM_CREATE_PARTITION: create a guest partition owned by the calling
 * process.  On success the new partition id is written to *arg.  A file
 * holds at most one partition (EEXIST for a second one).
 */
#define HV_SIM_CREATE_PARTITION	_IOR('H', 0x01, __u64)
/*
 * HV_SIM_DELETE_PARTITION: delete the file's partition.  ENOENT if it has
 * none.  If devices are still attached the partition lingers, in state
 * "deleting", until the last one is detached.
 */
#define HV_SIM_DELETE_PARTITION	_IO('H', 0x02)

#endif /* _UAPI_HV_SIM_H */
