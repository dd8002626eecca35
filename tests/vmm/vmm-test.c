// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-test: a small VMM on /dev/hv_vmm for the VM tests of hv_vmm.
 *
 *   vmm-test run [--size N] [--gpa G] [--hugepages] [--expect FILE] [--while CMD]
 *	create and initialize a partition, give it an anonymous buffer as RAM
 *	at GPA G, create VPs 0 and 1 and run guest programs: VP 0 writes
 *	values of every width across the RAM and reads them back, VP 1 reads
 *	what VP 0 wrote, then writes and reads unmapped GPAs: each comes back
 *	as an exit, which the VMM "emulates" by stepping over it.  Checks the
 *	values in the buffer and in the programs; writes "0xGPA 0xPFN" per
 *	page (from /proc/self/pagemap) to FILE; runs CMD while all is set up.
 *   vmm-test bench [--seconds S]
 *	RUN_VP round trips per second: one with a RAM access then a halt,
 *	one with an access to an unmapped GPA (an intercept every run).
 *   vmm-test bad [--before CMD] [--after CMD]
 *	every ioctl with bad input must fail with its errno; CMD runs before
 *	and after the bad inputs that follow a valid setup, so that the
 *	caller can compare the hypervisor's tables.
 *   vmm-test kill [--while CMD]
 *	set up a partition with RAM and two VPs, run CMD, then SIGKILL itself.
 *   vmm-test mmio | mmio-race | mmio-bad --device BDF ...
 *	a guest on the BAR 0 of an edu bound to vfio-pci (vmm-mmio.c).
 *
 * Output: one "key: value" line per result.  Any failure prints one line
 * "vmm-test: <what>: <errno text>" to stderr and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "vmm-test.h"

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

/* Offsets in the 256-byte message (hyperv-abi-vmm.md section 2). */
#define MSG_TYPE	0
#define MSG_SENDER	8
#define MSG_VP_INDEX	16
#define MSG_ACCESS	(16 + 5)
#define MSG_GPA		(16 + 56)

#define HVMSG_UNRECOVERABLE_EXCEPTION	0x80000021U

const char *prog = "vmm-test";

void vmm_open(struct vmm *v, uint64_t pt_flags)
{
	struct hv_vmm_create_partition cp = { .pt_flags = pt_flags };

	v->dev = open(HV_VMM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (v->dev < 0)
		die(errno, "open %s", HV_VMM_DEVICE_PATH);
	v->pt = ioctl(v->dev, HV_VMM_CREATE_PARTITION, &cp);
	if (v->pt < 0)
		die(errno, "HV_VMM_CREATE_PARTITION");
	if (ioctl(v->pt, HV_VMM_INITIALIZE_PARTITION))
		die(errno, "HV_VMM_INITIALIZE_PARTITION");
	if (ioctl(v->pt, HV_VMM_GET_PARTITION_ID, &v->id))
		die(errno, "HV_VMM_GET_PARTITION_ID");
	printf("partition: %" PRIu64 "\n", v->id);
}

/* An anonymous buffer, 2 MiB aligned, every page touched. */
char *buffer(uint64_t size, int hugepages)
{
	char *buf, *p;

	buf = mmap(NULL, size + HUGE_2M, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die(errno, "mmap %" PRIu64 " bytes", size);
	buf = (char *)(((uintptr_t)buf + HUGE_2M - 1) & ~(HUGE_2M - 1));
	if (madvise(buf, size, hugepages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die(errno, "madvise");
	for (p = buf; p < buf + size; p += PAGE_4K)
		*(volatile char *)p = 1;
	return buf;
}

static void vmm_ram(struct vmm *v, uint64_t gpa, uint64_t size, int hugepages)
{
	struct hv_vmm_user_mem_region mem = {
		.size = size,
		.guest_pfn = gpa / PAGE_4K,
		.flags = 1 << HV_VMM_SET_MEM_BIT_WRITABLE,
	};

	v->buf = buffer(size, hugepages);
	v->size = size;
	v->gpa = gpa;
	mem.userspace_addr = (uintptr_t)v->buf;
	if (ioctl(v->pt, HV_VMM_SET_GUEST_MEMORY, &mem))
		die(errno, "HV_VMM_SET_GUEST_MEMORY gpa 0x%" PRIx64, gpa);
	printf("ram: gpa 0x%" PRIx64 " bytes %" PRIu64 "\n", gpa, size);
}

int vmm_vp(struct vmm *v, uint32_t index)
{
	struct hv_vmm_create_vp cv = { .vp_index = index };
	int fd = ioctl(v->pt, HV_VMM_CREATE_VP, &cv);

	if (fd < 0)
		die(errno, "HV_VMM_CREATE_VP %u", index);
	return fd;
}

void vp_state(int vp, struct hv_vmm_guest_program *p, int set)
{
	struct hv_vmm_vp_state st = {
		.type = HV_VMM_VP_STATE_PROGRAM,
		.buf_sz = sizeof(*p),
		.buf_ptr = (uintptr_t)p,
	};

	if (ioctl(vp, set ? HV_VMM_SET_VP_STATE : HV_VMM_GET_VP_STATE, &st))
		die(errno, set ? "HV_VMM_SET_VP_STATE" : "HV_VMM_GET_VP_STATE");
}

void add(struct hv_vmm_guest_program *p, uint64_t gpa, int width,
		int type, uint64_t value)
{
	struct hv_vmm_guest_access *a = &p->access[p->nr_accesses++];

	if (p->nr_accesses > HV_VMM_PROGRAM_MAX)
		die(0, "program too long");
	a->gpa = gpa;
	a->width = width;
	a->type = type;
	a->value = value;
}


struct exit_msg run(int vp)
{
	struct hv_vmm_run_vp r;
	struct exit_msg e;

	if (ioctl(vp, HV_VMM_RUN_VP, &r))
		die(errno, "HV_VMM_RUN_VP");
	memcpy(&e.type, r.msg_buf + MSG_TYPE, 4);
	memcpy(&e.sender, r.msg_buf + MSG_SENDER, 8);
	memcpy(&e.vp_index, r.msg_buf + MSG_VP_INDEX, 4);
	e.access = r.msg_buf[MSG_ACCESS];
	memcpy(&e.gpa, r.msg_buf + MSG_GPA, 8);
	return e;
}

void expect_exit(const struct exit_msg *e, struct vmm *v, uint32_t vp,
			uint32_t type)
{
	if (e->type != type || e->sender != v->id || e->vp_index != vp)
		die(0, "vp %u: exit type 0x%x sender %" PRIu64 " vp %u, expected type 0x%x sender %" PRIu64,
		    vp, e->type, e->sender, e->vp_index, type, v->id);
}

static void write_expect(const char *path, struct vmm *v)
{
	FILE *f = fopen(path, "w");
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t off, ent;

	if (!f || pm < 0)
		die(errno, "open %s or pagemap", path);
	for (off = 0; off < v->size; off += PAGE_4K) {
		if (pread(pm, &ent, 8, ((uintptr_t)v->buf + off) / PAGE_4K * 8) != 8)
			die(errno, "read pagemap");
		if (!(ent & PM_PRESENT) || !(ent & PM_PFN_MASK))
			die(0, "page at offset 0x%" PRIx64 " not present", off);
		fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 "\n", v->gpa + off,
			(uint64_t)(ent & PM_PFN_MASK));
	}
	close(pm);
	fclose(f);
}

/* The value VP 0 writes at access k: every byte tells k and the width. */
static uint64_t pattern(int k, int width)
{
	uint64_t v = 0x0102030405060708ULL * (uint64_t)(k + 1) ^ 0xa5a5a5a5a5a5a5a5ULL;

	return width == 8 ? v : v & ((1ULL << (8 * width)) - 1);
}

#define NR_WRITES	32

static void cmd_run(struct options *o)
{
	static const int widths[] = { 1, 2, 4, 8 };
	struct hv_vmm_guest_program p0 = { 0 }, p1 = { 0 };
	uint64_t stride, gpa[NR_WRITES], hole;
	struct vmm v;
	struct exit_msg e;
	int vp0, vp1, k;

	vmm_open(&v, o->hugepages ? 1ULL << HV_VMM_PT_BIT_GPA_SUPER_PAGES : 0);
	vmm_ram(&v, o->gpa, o->size, o->hugepages);
	if (o->expect)
		write_expect(o->expect, &v);
	vp0 = vmm_vp(&v, 0);
	vp1 = vmm_vp(&v, 1);

	/* VP 0: writes spread over the RAM (odd page offsets), then reads. */
	stride = (o->size / NR_WRITES) & ~7ULL;
	for (k = 0; k < NR_WRITES; k++) {
		int w = widths[k % 4];

		gpa[k] = o->gpa + k * stride + (k * 8 % PAGE_4K);
		add(&p0, gpa[k], w, HV_VMM_ACCESS_WRITE, pattern(k, w));
	}
	for (k = 0; k < NR_WRITES; k++)
		add(&p0, gpa[k], widths[k % 4], HV_VMM_ACCESS_READ, 0);
	vp_state(vp0, &p0, 1);
	e = run(vp0);
	expect_exit(&e, &v, 0, HV_VMM_HVMSG_X64_HALT);
	vp_state(vp0, &p0, 0);
	for (k = 0; k < NR_WRITES; k++) {
		int w = widths[k % 4];
		uint64_t host = 0;

		memcpy(&host, v.buf + (gpa[k] - o->gpa), w);
		if (host != pattern(k, w))
			die(0, "gpa 0x%" PRIx64 ": host page holds 0x%" PRIx64 ", vp 0 wrote 0x%" PRIx64,
			    gpa[k], host, pattern(k, w));
		if (p0.access[NR_WRITES + k].value != pattern(k, w))
			die(0, "gpa 0x%" PRIx64 ": vp 0 read back 0x%" PRIx64,
			    gpa[k], (uint64_t)p0.access[NR_WRITES + k].value);
	}
	printf("vp0: writes %d reads %d ok\n", NR_WRITES, NR_WRITES);

	/* VP 1: reads VP 0's values, then a write and a read where no RAM is. */
	hole = o->gpa + o->size + 0x1230;
	for (k = 0; k < NR_WRITES; k++)
		add(&p1, gpa[k], widths[k % 4], HV_VMM_ACCESS_READ, 0);
	add(&p1, hole, 4, HV_VMM_ACCESS_WRITE, 0x1234);
	add(&p1, hole + 8, 8, HV_VMM_ACCESS_READ, 0);
	/* A misaligned access in RAM: the CPU faults, no memory is touched. */
	add(&p1, gpa[3] + 1, 4, HV_VMM_ACCESS_WRITE, 0);
	vp_state(vp1, &p1, 1);
	for (k = 0; k < 3; k++) {
		e = run(vp1);
		expect_exit(&e, &v, 1, k < 2 ? HV_VMM_HVMSG_UNMAPPED_GPA :
			    HVMSG_UNRECOVERABLE_EXCEPTION);
		printf("exit: vp=%u type=0x%x access=%u gpa=0x%" PRIx64 "\n",
		       e.vp_index, e.type, e.access, e.gpa);
		/* "Emulate" the access: step over it. */
		vp_state(vp1, &p1, 0);
		p1.pc++;
		vp_state(vp1, &p1, 1);
	}
	e = run(vp1);
	expect_exit(&e, &v, 1, HV_VMM_HVMSG_X64_HALT);
	vp_state(vp1, &p1, 0);
	if (*(uint64_t *)(v.buf + (gpa[3] - o->gpa)) != pattern(3, 8))
		die(0, "the misaligned write changed RAM");
	for (k = 0; k < NR_WRITES; k++)
		if (p1.access[k].value != pattern(k, widths[k % 4]))
			die(0, "vp 1 read 0x%" PRIx64 " at gpa 0x%" PRIx64,
			    (uint64_t)p1.access[k].value, gpa[k]);
	printf("vp1: reads %d ok\n", NR_WRITES);
	run_cmd("while", o->while_cmd);
	printf("done\n");
}

/* RUN_VP calls per second on @vp, whose program is already set. */
static double rate(int vp, double seconds, uint32_t type, struct vmm *v)
{
	double t0 = now(), t;
	unsigned long n = 0;
	struct exit_msg e;

	do {
		e = run(vp);
		expect_exit(&e, v, 0, type);
		n++;
		t = now();
	} while (t - t0 < seconds);
	return n / (t - t0);
}

static void cmd_bench(struct options *o)
{
	struct hv_vmm_guest_program p = { 0 };
	struct vmm v;
	int vp;

	vmm_open(&v, 0);
	vmm_ram(&v, o->gpa, HUGE_2M, 0);
	vp = vmm_vp(&v, 0);
	/* One RAM write, then the end: a halt on every later run. */
	add(&p, o->gpa, 8, HV_VMM_ACCESS_WRITE, 1);
	vp_state(vp, &p, 1);
	printf("dispatches_per_s: %.0f\n",
	       rate(vp, o->seconds, HV_VMM_HVMSG_X64_HALT, &v));
	/* An unmapped GPA: every run raises the intercept again. */
	memset(&p, 0, sizeof(p));
	add(&p, o->gpa + HUGE_2M, 8, HV_VMM_ACCESS_READ, 0);
	vp_state(vp, &p, 1);
	printf("intercepts_per_s: %.0f\n",
	       rate(vp, o->seconds, HV_VMM_HVMSG_UNMAPPED_GPA, &v));
}

int failures;

/* One bad input: the ioctl must fail with @want. */
void bad(const char *name, int fd, unsigned long cmd, void *arg, int want)
{
	int rc = ioctl(fd, cmd, arg), err = rc < 0 ? errno : 0;

	if (rc >= 0 && (cmd == HV_VMM_CREATE_PARTITION || cmd == HV_VMM_CREATE_VP))
		close(rc);
	printf("bad: %s errno=%s\n", name, err ? strerrorname_np(err) : "0");
	if (err != want) {
		fprintf(stderr, "%s: %s: got %s, want %s\n", prog, name,
			err ? strerrorname_np(err) : "success",
			strerrorname_np(want));
		failures++;
	}
}

static void cmd_bad(struct options *o)
{
	struct hv_vmm_create_partition cp = { 0 };
	struct hv_vmm_user_mem_region mem = { 0 }, ok;
	struct hv_vmm_create_vp cv = { 0 };
	struct hv_vmm_guest_program prog_ = { 0 };
	struct hv_vmm_vp_state st = { .type = HV_VMM_VP_STATE_PROGRAM,
				      .buf_sz = sizeof(prog_),
				      .buf_ptr = (uintptr_t)&prog_ };
	struct hv_vmm_device dev = { 0 };
	struct hv_vmm_run_vp r;
	int dev_fd, pt, vp, null_fd, status;
	char *buf = buffer(4 * HUGE_2M, 0);
	pid_t child;

	dev_fd = open(HV_VMM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev_fd < 0)
		die(errno, "open %s", HV_VMM_DEVICE_PATH);
	cp.pt_flags = 1ULL << 40;
	bad("create-unknown-flag", dev_fd, HV_VMM_CREATE_PARTITION, &cp, EINVAL);
	cp.pt_flags = 0;
	cp.pt_isolation = 1;
	bad("create-isolation", dev_fd, HV_VMM_CREATE_PARTITION, &cp, EINVAL);
	cp.pt_isolation = 0;
	bad("dev-unknown-ioctl", dev_fd, HV_VMM_INITIALIZE_PARTITION, NULL, ENOTTY);

	pt = ioctl(dev_fd, HV_VMM_CREATE_PARTITION, &cp);
	if (pt < 0)
		die(errno, "HV_VMM_CREATE_PARTITION");
	ok = (struct hv_vmm_user_mem_region) {
		.size = HUGE_2M, .guest_pfn = 0x100,
		.userspace_addr = (uintptr_t)buf,
		.flags = 1 << HV_VMM_SET_MEM_BIT_WRITABLE,
	};
	bad("memory-before-initialize", pt, HV_VMM_SET_GUEST_MEMORY, &ok, EBADFD);
	bad("vp-before-initialize", pt, HV_VMM_CREATE_VP, &cv, EBADFD);
	if (ioctl(pt, HV_VMM_INITIALIZE_PARTITION))
		die(errno, "HV_VMM_INITIALIZE_PARTITION");
	bad("initialize-twice", pt, HV_VMM_INITIALIZE_PARTITION, NULL, EBUSY);

	/* A valid setup: one region, one VP.  Then nothing may change. */
	if (ioctl(pt, HV_VMM_SET_GUEST_MEMORY, &ok))
		die(errno, "HV_VMM_SET_GUEST_MEMORY");
	vp = ioctl(pt, HV_VMM_CREATE_VP, &cv);
	if (vp < 0)
		die(errno, "HV_VMM_CREATE_VP");
	run_cmd("before", o->before);

	mem = ok;
	mem.size = 0;
	bad("memory-size-0", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.size = PAGE_4K + 1;
	bad("memory-size-unaligned", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.userspace_addr += 8;
	bad("memory-addr-unaligned", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.flags |= 1 << 5;
	bad("memory-unknown-flag", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.rsvd[3] = 1;
	bad("memory-reserved", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.guest_pfn = (1ULL << 40) - 1;
	bad("memory-gpa-beyond-52-bits", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem = ok;
	mem.guest_pfn = 0x1000;
	mem.userspace_addr = 0x1000;
	bad("memory-unmapped-address", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EFAULT);
	mem = ok;
	mem.guest_pfn = ok.guest_pfn + 1;
	mem.userspace_addr = (uintptr_t)buf + HUGE_2M;
	bad("memory-overlap", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EEXIST);
	mem = ok;
	mem.size = PAGE_4K;
	mem.flags |= 1 << HV_VMM_SET_MEM_BIT_UNMAP;
	bad("memory-unmap-inexact", pt, HV_VMM_SET_GUEST_MEMORY, &mem, ENOENT);

	cv.vp_index = HV_VMM_MAX_VPS;
	bad("vp-index-too-big", pt, HV_VMM_CREATE_VP, &cv, EINVAL);
	cv.vp_index = 0;
	bad("vp-exists", pt, HV_VMM_CREATE_VP, &cv, EEXIST);
	bad("partition-unknown-ioctl", pt, HV_VMM_RUN_VP, &r, ENOTTY);

	st.type = 3;
	bad("state-unknown-type", vp, HV_VMM_SET_VP_STATE, &st, EINVAL);
	st.type = HV_VMM_VP_STATE_PROGRAM;
	st.buf_sz = sizeof(prog_) - 1;
	bad("state-bad-size", vp, HV_VMM_SET_VP_STATE, &st, EINVAL);
	st.buf_sz = sizeof(prog_);
	prog_.nr_accesses = HV_VMM_PROGRAM_MAX + 1;
	bad("state-program-too-long", vp, HV_VMM_SET_VP_STATE, &st, EINVAL);
	prog_.nr_accesses = 0;
	st.buf_ptr = 8;
	bad("state-bad-pointer", vp, HV_VMM_SET_VP_STATE, &st, EFAULT);

	dev.fd = -1;
	bad("attach-unknown-fd", pt, HV_VMM_ATTACH_DEVICE, &dev, EBADF);
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dev.fd = null_fd;
	bad("attach-not-vfio", pt, HV_VMM_ATTACH_DEVICE, &dev, EINVAL);
	dev.flags = 1;
	bad("attach-unknown-flag", pt, HV_VMM_ATTACH_DEVICE, &dev, EINVAL);
	dev.flags = 0;
	bad("detach-not-vfio", pt, HV_VMM_DETACH_DEVICE, &dev, EINVAL);

	/* A second process with the fds (fork): not its partition. */
	fflush(stdout);
	child = fork();
	if (child < 0)
		die(errno, "fork");
	if (child == 0) {
		mem = ok;
		mem.guest_pfn = 0x10000;
		mem.userspace_addr = (uintptr_t)buf + 2 * HUGE_2M;
		bad("other-process-memory", pt, HV_VMM_SET_GUEST_MEMORY, &mem, EACCES);
		bad("other-process-run", vp, HV_VMM_RUN_VP, &r, EACCES);
		cv.vp_index = 7;
		bad("other-process-vp", pt, HV_VMM_CREATE_VP, &cv, EACCES);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (waitpid(child, &status, 0) != child)
		die(errno, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failures++;

	run_cmd("after", o->after);
	if (failures)
		die(0, "%d bad inputs were not refused as expected", failures);
	printf("done\n");
}

static void cmd_kill(struct options *o)
{
	struct vmm v;

	vmm_open(&v, 1ULL << HV_VMM_PT_BIT_GPA_SUPER_PAGES);
	vmm_ram(&v, o->gpa, o->size, 1);
	vmm_vp(&v, 0);
	vmm_vp(&v, 1);
	run_cmd("while", o->while_cmd);
	fflush(stdout);
	raise(SIGKILL);
}

/* Is this kernel an L1VH (hv_iommu's sysfs role)? */
int role_is_l1vh(void)
{
	char role[16] = "";
	FILE *f = fopen("/sys/class/iommu/hv_iommu/role", "r");

	if (f) {
		if (!fgets(role, sizeof(role), f))
			role[0] = '\0';
		fclose(f);
	}
	return !strncmp(role, "l1vh", 4);
}

/*
 * BAR 0 of @bdf through VFIO type1, mmapped; the fds stay open.  An L1VH
 * offers host devices no device domains: there the VMM asks for direct
 * attach of the group on its partition @pt before VFIO_SET_IOMMU.
 */
void *vfio_bar0(const char *bdf, uint64_t *size, int pt, int *device_fd)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg), .index = 0 };
	char path[PATH_MAX], target[PATH_MAX];
	int container, group, device;
	ssize_t n;
	void *bar;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		die(errno, "%s: no IOMMU group", bdf);
	target[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(target));
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	group = open(path, O_RDWR | O_CLOEXEC);
	if (container < 0 || group < 0)
		die(errno, "open /dev/vfio/vfio or %s (bound to vfio-pci?)", path);
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die(errno, "VFIO container for %s", path);
	if (role_is_l1vh()) {
		struct hv_vmm_device dev = { .fd = group };

		if (ioctl(pt, HV_VMM_ATTACH_DEVICE, &dev))
			die(errno, "HV_VMM_ATTACH_DEVICE %s", path);
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die(errno, "VFIO container for %s", path);
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device < 0)
		die(errno, "VFIO_GROUP_GET_DEVICE_FD %s", bdf);
	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &reg) || !reg.size ||
	    !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP))
		die(errno, "BAR 0 of %s cannot be mmapped", bdf);
	bar = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED, device,
		   reg.offset);
	if (bar == MAP_FAILED)
		die(errno, "mmap BAR 0 of %s", bdf);
	*size = reg.size;
	if (device_fd)
		*device_fd = device;
	return bar;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "gpa", required_argument, NULL, 'g' },
		{ "hugepages", no_argument, NULL, 'H' },
		{ "seconds", required_argument, NULL, 't' },
		{ "expect", required_argument, NULL, 'e' },
		{ "device", required_argument, NULL, 'd' },
		{ "while", required_argument, NULL, 'w' },
		{ "before", required_argument, NULL, 'b' },
		{ "after", required_argument, NULL, 'a' },
		{ "snap", required_argument, NULL, 'S' },
		{ "switch", required_argument, NULL, 'm' },
		{ "pages", required_argument, NULL, 'p' },
		{ "reset", no_argument, NULL, 'R' },
		{ "stray", no_argument, NULL, 'X' },
		{ "kill", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct options o = { .size = 8 << 20, .gpa = 0x40000000, .seconds = 2 };
	const char *cmd;
	int c;

	while ((c = getopt_long(argc, argv, "s:g:Ht:e:d:w:b:a:S:m:p:RXKh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.size = parse_size(optarg, "size");
			if (!o.size || o.size % PAGE_4K)
				die(0, "bad size '%s': a multiple of 4K", optarg);
			break;
		case 'g': o.gpa = strtoull(optarg, NULL, 0); break;
		case 'H': o.hugepages = 1; break;
		case 't': o.seconds = atof(optarg); break;
		case 'e': o.expect = optarg; break;
		case 'd': o.device = optarg; break;
		case 'w': o.while_cmd = optarg; break;
		case 'b': o.before = optarg; break;
		case 'a': o.after = optarg; break;
		case 'S': o.snap = optarg; break;
		case 'm': o.switch_to = optarg; break;
		case 'p': o.pages = strtoul(optarg, NULL, 0); break;
		case 'R': o.reset = 1; break;
		case 'X': o.stray = 1; break;
		case 'K': o.kill = 1; break;
		case 'h':
			printf("usage: %s run|bench|bad|kill|mmio|mmio-race|mmio-bad [options] (see the sources' heads)\n", prog);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1)
		die(0, "one command expected: run, bench, bad, kill, mmio, mmio-race or mmio-bad");
	if (o.gpa % HUGE_2M)
		die(0, "--gpa must be 2 MiB aligned");
	setvbuf(stdout, NULL, _IOLBF, 0);
	cmd = argv[optind];
	if (!strcmp(cmd, "run"))
		cmd_run(&o);
	else if (!strcmp(cmd, "bench"))
		cmd_bench(&o);
	else if (!strcmp(cmd, "bad"))
		cmd_bad(&o);
	else if (!strcmp(cmd, "kill"))
		cmd_kill(&o);
	else if (!strcmp(cmd, "mmio"))
		cmd_mmio(&o);
	else if (!strcmp(cmd, "mmio-race"))
		cmd_mmio_race(&o);
	else if (!strcmp(cmd, "mmio-bad"))
		cmd_mmio_bad(&o);
	else
		die(0, "unknown command '%s'", cmd);
	return 0;
}
