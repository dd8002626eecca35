/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/hv_vmm: the root partition's VMM driver (hv_vmm.ko), modelled on
 * mainline mshv (include/uapi/linux/mshv.h): the same ioctl numbers, names
 * (HV_VMM_ for MSHV_) and semantics where they fit.  See hv_vmm(4).
 *
 *   /dev/hv_vmm   HV_VMM_CREATE_PARTITION          -> partition fd
 *   partition fd  HV_VMM_INITIALIZE_PARTITION, HV_VMM_SET_GUEST_MEMORY,
 *                 HV_VMM_CREATE_VP                  -> VP fd
 *                 HV_VMM_GET_PARTITION_ID, HV_VMM_ATTACH_DEVICE,
 *                 HV_VMM_DETACH_DEVICE (direct attach of a VFIO device)
 *   VP fd         HV_VMM_RUN_VP, HV_VMM_GET_VP_STATE, HV_VMM_SET_VP_STATE
 *
 * A partition belongs to the process that created it (its mm): the ioctls
 * of its fds fail with EACCES in any other process.  Closing the last fd of
 * a partition (its VP fds hold it) tears it down: devices detached, VPs
 * deleted, guest memory unmapped and unpinned, the partition deleted.
 */
#ifndef _UAPI_HV_VMM_H
#define _UAPI_HV_VMM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HV_VMM_DEVICE_PATH	"/dev/hv_vmm"
#define HV_VMM_IOCTL		0xB8

/* HV_VMM_CREATE_PARTITION flags (bit numbers, as mshv's MSHV_PT_BIT_*). */
#define HV_VMM_PT_BIT_LAPIC		0
#define HV_VMM_PT_BIT_X2APIC		1
#define HV_VMM_PT_BIT_GPA_SUPER_PAGES	2
#define HV_VMM_PT_FLAGS_MASK		((1ULL << 3) - 1)

#define HV_VMM_PT_ISOLATION_NONE	0

/**
 * struct hv_vmm_create_partition - HV_VMM_CREATE_PARTITION argument
 * @pt_flags: HV_VMM_PT_BIT_* bits; others must be 0.
 * @pt_isolation: HV_VMM_PT_ISOLATION_NONE (the only one supported).
 */
struct hv_vmm_create_partition {
	__u64 pt_flags;
	__u64 pt_isolation;
};

/* /dev/hv_vmm: create a partition; returns its fd (O_CLOEXEC). */
#define HV_VMM_CREATE_PARTITION	_IOW(HV_VMM_IOCTL, 0x00, struct hv_vmm_create_partition)

/* Partition fd: initialize the created partition (once). */
#define HV_VMM_INITIALIZE_PARTITION	_IO(HV_VMM_IOCTL, 0x00)

/* Most VPs a partition has (vp_index below this). */
#define HV_VMM_MAX_VPS		256

/**
 * struct hv_vmm_create_vp - HV_VMM_CREATE_VP argument
 * @vp_index: 0 .. HV_VMM_MAX_VPS - 1, not yet created.
 */
struct hv_vmm_create_vp {
	__u32 vp_index;
};

/* Partition fd (initialized): create a VP; returns its fd (O_CLOEXEC). */
#define HV_VMM_CREATE_VP	_IOW(HV_VMM_IOCTL, 0x01, struct hv_vmm_create_vp)

/* struct hv_vmm_user_mem_region.flags bits (mshv's MSHV_SET_MEM_BIT_*). */
#define HV_VMM_SET_MEM_BIT_WRITABLE	0
#define HV_VMM_SET_MEM_BIT_EXECUTABLE	1
#define HV_VMM_SET_MEM_BIT_UNMAP	2
#define HV_VMM_SET_MEM_FLAGS_MASK	((1U << 3) - 1)

/**
 * struct hv_vmm_user_mem_region - HV_VMM_SET_GUEST_MEMORY argument
 * @size: bytes, a non-zero multiple of 4096.
 * @guest_pfn: first guest page frame (GPA >> 12).
 * @userspace_addr: page aligned address of the memory in the caller.  A
 *	VMA with VM_IO or VM_PFNMAP (a VFIO BAR mmap) makes an MMIO region.
 * @flags: HV_VMM_SET_MEM_BIT_* bits.  With UNMAP, @size, @guest_pfn and
 *	@userspace_addr must name an existing region exactly.
 * @rsvd: must be 0.
 */
struct hv_vmm_user_mem_region {
	__u64 size;
	__u64 guest_pfn;
	__u64 userspace_addr;
	__u8 flags;
	__u8 rsvd[7];
};

/* Partition fd: map (or, with UNMAP, unmap) a guest memory region. */
#define HV_VMM_SET_GUEST_MEMORY	_IOW(HV_VMM_IOCTL, 0x02, struct hv_vmm_user_mem_region)

/* Partition fd: the hypervisor's id of the partition (for debugfs). */
#define HV_VMM_GET_PARTITION_ID	_IOR(HV_VMM_IOCTL, 0x20, __u64)

/**
 * struct hv_vmm_device - HV_VMM_ATTACH_DEVICE / HV_VMM_DETACH_DEVICE argument
 * @fd: a VFIO group fd (/dev/vfio/N) of a vfio-pci device; on kernels
 *	with VFIO device files (6.6 and later) also a VFIO device fd.  The
 *	request covers the whole IOMMU group.
 * @flags: must be 0.
 */
struct hv_vmm_device {
	__s32 fd;
	__u32 flags;
};

/*
 * Partition fd: direct attach.  ATTACH asks that the devices of a VFIO
 * group use this partition's GPA map (HVCALL_ATTACH_DEVICE) when the group
 * next gets a paging domain (VFIO_SET_IOMMU): ask before that.  The
 * partition holds the file until DETACH (refused with EBUSY while a device
 * is still attached) or teardown (a device still attached is blocked).
 */
#define HV_VMM_ATTACH_DEVICE	_IOW(HV_VMM_IOCTL, 0x21, struct hv_vmm_device)
#define HV_VMM_DETACH_DEVICE	_IOW(HV_VMM_IOCTL, 0x22, struct hv_vmm_device)

/* Bytes of the intercept message RUN_VP returns (a Hyper-V hv_message). */
#define HV_VMM_RUN_VP_BUF_SZ	256

/**
 * struct hv_vmm_run_vp - HV_VMM_RUN_VP result
 * @msg_buf: the hv_message of the intercept the kernel did not handle:
 *	0 message_type u32; 4 payload_size u8; 5 flags u8; 8 sender u64
 *	(partition id); 16 payload (for HVMSG_UNMAPPED_GPA the x64 memory
 *	intercept message: 0 vp_index u32, 5 access type u8 (0 read, 1 write,
 *	2 execute), 56 gpa u64).
 */
struct hv_vmm_run_vp {
	__u8 msg_buf[HV_VMM_RUN_VP_BUF_SZ];
};

/* VP fd: run the VP until an intercept the kernel cannot handle. */
#define HV_VMM_RUN_VP		_IOR(HV_VMM_IOCTL, 0x00, struct hv_vmm_run_vp)

/* Hyper-V message types RUN_VP returns. */
#define HV_VMM_HVMSG_UNMAPPED_GPA	0x80000000U
#define HV_VMM_HVMSG_GPA_INTERCEPT	0x80000001U
#define HV_VMM_HVMSG_X64_HALT		0x80010007U

/*
 * VP state types.  PROGRAM is the simulator's guest program (below); with
 * the "hyperv" backend it is refused with EOPNOTSUPP.
 */
#define HV_VMM_VP_STATE_PROGRAM		0x80

/**
 * struct hv_vmm_vp_state - HV_VMM_GET_VP_STATE / HV_VMM_SET_VP_STATE argument
 * @type: HV_VMM_VP_STATE_*.
 * @rsvd: must be 0.
 * @buf_sz: bytes at @buf_ptr; SET: exactly the state's size, GET: at least.
 * @buf_ptr: user address of the buffer.
 */
struct hv_vmm_vp_state {
	__u8 type;
	__u8 rsvd[3];
	__u32 buf_sz;
	__u64 buf_ptr;
};

#define HV_VMM_GET_VP_STATE	_IOWR(HV_VMM_IOCTL, 0x01, struct hv_vmm_vp_state)
#define HV_VMM_SET_VP_STATE	_IOWR(HV_VMM_IOCTL, 0x02, struct hv_vmm_vp_state)

/* Guest program access types (as the intercept's access type). */
#define HV_VMM_ACCESS_READ	0
#define HV_VMM_ACCESS_WRITE	1

/**
 * struct hv_vmm_guest_access - one memory access of a guest program
 * @gpa: guest physical address, aligned to @width.
 * @value: written for a write; for a read, set to what was read.
 * @width: 1, 2, 4 or 8 bytes.
 * @type: HV_VMM_ACCESS_READ or HV_VMM_ACCESS_WRITE.
 * @rsvd: must be 0.
 */
struct hv_vmm_guest_access {
	__u64 gpa;
	__u64 value;
	__u8 width;
	__u8 type;
	__u8 rsvd[6];
};

#define HV_VMM_PROGRAM_MAX	169

/**
 * struct hv_vmm_guest_program - HV_VMM_VP_STATE_PROGRAM (one 4 KiB page)
 * @nr_accesses: accesses in @access, at most HV_VMM_PROGRAM_MAX.
 * @pc: index of the next access to execute.  A dispatch runs @access[@pc]
 *	onwards; an access to an unmapped GPA ends it with HVMSG_UNMAPPED_GPA
 *	and leaves @pc on that access; the end of the program ends it with
 *	HVMSG_X64_HALT (@pc == @nr_accesses).
 * @rsvd: must be 0.
 * @access: the accesses.
 */
struct hv_vmm_guest_program {
	__u32 nr_accesses;
	__u32 pc;
	__u64 rsvd;
	struct hv_vmm_guest_access access[HV_VMM_PROGRAM_MAX];
};

#endif /* _UAPI_HV_VMM_H */
