// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-test's MMIO commands: a guest reaches the BAR 0 of a QEMU edu device
 * (bound to vfio-pci) through hv_vmm's MMIO resolver.
 *
 * The edu's BAR 0 (1 MiB): 0x00 identification 0x010000ed; 0x04 liveness
 * (reads back the bitwise NOT of what was written); 0x08 factorial (write
 * n, read n! once 0x20 bit 0, "computing", is clear).
 *
 *   vmm-test mmio --device BDF [--gpa G] [--pages K] [--switch MODE]
 *		[--stray] [--reset] [--kill] [--snap CMD]
 *	register BAR 0 at G; VP 0 reads the identification, checks the
 *	liveness register and computes 5!, then reads one word in each of
 *	pages 1 .. K-1.  Every intercept the VMM sees is printed as an
 *	"exit:" line (none is expected: the kernel resolves them).  Stages
 *	run "CMD/<stage>" (a snapshot): mapped; with --switch, the mode is
 *	written to sysfs and the guest touches page K (switched); --stray
 *	reads just past the region, which must come back as an exit (stray);
 *	--reset does VFIO_DEVICE_RESET (reset), reads the identification
 *	again (remapped), clears memory decoding in config space
 *	(decode-off), where a guest read must come back as an exit, restores
 *	it and reads again (decode-on), then munmaps the BAR (munmap);
 *	--kill SIGKILLs the VMM after "mapped".  With --stray the region is
 *	unmapped at the end (unmapped); else it goes with the partition.
 *   vmm-test mmio-race --device BDF [--pages N] [--snap CMD]
 *	VPs 0 and 1 read the region in a loop from two threads while the
 *	main thread removes and re-adds it N times (default 30), cycling the
 *	mode; each read of
 *	the identification must see 0x010000ed, an access while the region
 *	is gone comes back as an exit and is stepped over.  Then "CMD/end".
 *   vmm-test mmio-bad --device BDF [--before CMD] [--after CMD]
 *	MMIO regions over RAM, over another region, unaligned, past the BAR,
 *	executable, from another process: each fails with its errno, and
 *	nothing changes between CMD before and after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vmm-test.h"

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define EDU_ID_VALUE	0x010000edU
#define MODE_PARAM	"/sys/module/hv_vmm/parameters/mmio_mode"
#define UNREAD		0xdeadbeefU

/* Exits are not printed while two VPs race. */
static int quiet;

struct mmio {
	struct vmm v;
	int device;
	void *bar;
	uint64_t size;
	struct hv_vmm_user_mem_region mem;
	const char *snap;
};

static void snap(struct mmio *m, const char *stage)
{
	char cmd[4096];

	if (!m->snap)
		return;
	snprintf(cmd, sizeof(cmd), "%s/%s", m->snap, stage);
	run_cmd(stage, cmd);
}

static void set_mode(const char *mode)
{
	int fd = open(MODE_PARAM, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, mode, strlen(mode)) != (ssize_t)strlen(mode))
		die(errno, "write %s to %s", mode, MODE_PARAM);
	close(fd);
	printf("mode: %s\n", mode);
}

static void region(struct mmio *m, int unmap)
{
	struct hv_vmm_user_mem_region mem = m->mem;

	if (unmap)
		mem.flags |= 1 << HV_VMM_SET_MEM_BIT_UNMAP;
	if (ioctl(m->v.pt, HV_VMM_SET_GUEST_MEMORY, &mem))
		die(errno, "HV_VMM_SET_GUEST_MEMORY%s (BAR 0)", unmap ? " unmap" : "");
}

static void mmio_setup(struct mmio *m, struct options *o)
{
	if (!o->device)
		die(0, "needs --device BDF");
	m->snap = o->snap;
	vmm_open(&m->v, 0);
	m->bar = vfio_bar0(o->device, &m->size, m->v.pt, &m->device);
	m->mem = (struct hv_vmm_user_mem_region) {
		.size = m->size,
		.guest_pfn = o->gpa / PAGE_4K,
		.userspace_addr = (uintptr_t)m->bar,
		.flags = 1 << HV_VMM_SET_MEM_BIT_WRITABLE,
	};
	m->v.gpa = o->gpa;
	region(m, 0);
	printf("mmio: gpa 0x%" PRIx64 " bytes %" PRIu64 "\n", o->gpa, m->size);
}

/*
 * Run @p on @vp until it halts.  An exit to the VMM is printed, counted
 * and stepped over if @allow, else fatal.  Returns the exits.
 */
static int guest(struct mmio *m, int vp, uint32_t index,
		 struct hv_vmm_guest_program *p, int allow)
{
	struct exit_msg e;
	int exits = 0;

	vp_state(vp, p, 1);
	for (;;) {
		e = run(vp);
		if (e.type == HV_VMM_HVMSG_X64_HALT)
			break;
		expect_exit(&e, &m->v, index, HV_VMM_HVMSG_UNMAPPED_GPA);
		if (!quiet)
			printf("exit: vp=%u type=0x%x access=%u gpa=0x%" PRIx64 "\n",
		       e.vp_index, e.type, e.access, e.gpa);
		if (!allow)
			die(0, "vp %u: exit at gpa 0x%" PRIx64 " the resolver should have handled",
			    index, e.gpa);
		exits++;
		vp_state(vp, p, 0);
		p->pc++;
		vp_state(vp, p, 1);
	}
	vp_state(vp, p, 0);
	return exits;
}

static uint32_t read32(struct mmio *m, int vp, uint64_t off)
{
	struct hv_vmm_guest_program p = { 0 };

	add(&p, m->v.gpa + off, 4, HV_VMM_ACCESS_READ, 0);
	guest(m, vp, 0, &p, 0);
	return p.access[0].value;
}

/* Identification, liveness and factorial, all read by the guest. */
static void edu_check(struct mmio *m, int vp)
{
	struct hv_vmm_guest_program p = { 0 };
	uint32_t id, live;
	int tries;

	add(&p, m->v.gpa + EDU_ID, 4, HV_VMM_ACCESS_READ, 0);
	add(&p, m->v.gpa + EDU_LIVENESS, 4, HV_VMM_ACCESS_WRITE, 0x12345678);
	add(&p, m->v.gpa + EDU_LIVENESS, 4, HV_VMM_ACCESS_READ, 0);
	add(&p, m->v.gpa + EDU_FACTORIAL, 4, HV_VMM_ACCESS_WRITE, 5);
	guest(m, vp, 0, &p, 0);
	id = p.access[0].value;
	live = p.access[2].value;
	printf("id: 0x%08x\n", id);
	if (id != EDU_ID_VALUE)
		die(0, "the guest read 0x%08x as the edu's identification", id);
	if (live != (uint32_t)~0x12345678U)
		die(0, "liveness: wrote 0x12345678, read back 0x%08x", live);
	printf("liveness: ok\n");
	for (tries = 0; tries < 10000 && (read32(m, vp, EDU_STATUS) & 1); tries++)
		usleep(100);
	printf("factorial: 5! = %u\n", read32(m, vp, EDU_FACTORIAL));
	if (read32(m, vp, EDU_FACTORIAL) != 120)
		die(0, "the edu did not compute 5! = 120");
}

/* The guest reads one word in each of pages [@first, @first + @count). */
static void touch(struct mmio *m, int vp, unsigned int first,
		  unsigned int count)
{
	struct hv_vmm_guest_program p;
	unsigned int i = 0;

	while (i < count) {
		memset(&p, 0, sizeof(p));
		for (; i < count && p.nr_accesses < HV_VMM_PROGRAM_MAX; i++)
			add(&p, m->v.gpa + (uint64_t)(first + i) * PAGE_4K, 4,
			    HV_VMM_ACCESS_READ, 0);
		guest(m, vp, 0, &p, 0);
	}
	printf("touched: pages %u..%u\n", first, first + count - 1);
}

/* An access that the kernel cannot resolve must come back as an exit. */
static void expect_vmm_exit(struct mmio *m, int vp, uint64_t off,
			    const char *what)
{
	struct hv_vmm_guest_program p = { 0 };

	add(&p, m->v.gpa + off, 4, HV_VMM_ACCESS_READ, UNREAD);
	if (guest(m, vp, 0, &p, 1) != 1)
		die(0, "%s: the access did not come back to the VMM", what);
	printf("%s: exit ok\n", what);
}

static void config_command(struct mmio *m, int on)
{
	struct vfio_region_info reg = {
		.argsz = sizeof(reg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	uint16_t cmd;

	if (ioctl(m->device, VFIO_DEVICE_GET_REGION_INFO, &reg) ||
	    pread(m->device, &cmd, 2, reg.offset + PCI_COMMAND) != 2)
		die(errno, "read the command register");
	cmd = on ? cmd | PCI_COMMAND_MEMORY : cmd & ~PCI_COMMAND_MEMORY;
	if (pwrite(m->device, &cmd, 2, reg.offset + PCI_COMMAND) != 2)
		die(errno, "write the command register");
	printf("decoding: %s\n", on ? "on" : "off");
}

static void stage_reset(struct mmio *m, int vp)
{
	if (ioctl(m->device, VFIO_DEVICE_RESET))
		die(errno, "VFIO_DEVICE_RESET");
	printf("reset: done\n");
	snap(m, "reset");
	printf("id: 0x%08x\n", read32(m, vp, EDU_ID));
	snap(m, "remapped");
	config_command(m, 0);
	snap(m, "decode-off");
	expect_vmm_exit(m, vp, EDU_ID, "decode-off");
	config_command(m, 1);
	printf("id: 0x%08x\n", read32(m, vp, EDU_ID));
	snap(m, "decode-on");
	if (munmap(m->bar, m->size))
		die(errno, "munmap BAR 0");
	printf("munmap: done\n");
	snap(m, "munmap");
	expect_vmm_exit(m, vp, EDU_ID, "munmap");
}

void cmd_mmio(struct options *o)
{
	struct mmio m = { 0 };
	unsigned int pages = o->pages ? o->pages : 1;
	int vp;

	mmio_setup(&m, o);
	vp = vmm_vp(&m.v, 0);
	edu_check(&m, vp);
	if (pages > 1)
		touch(&m, vp, 1, pages - 1);
	snap(&m, "mapped");
	if (o->kill) {
		fflush(stdout);
		raise(SIGKILL);
	}
	if (o->switch_to) {
		set_mode(o->switch_to);
		touch(&m, vp, pages, 1);
		snap(&m, "switched");
	}
	if (o->stray) {
		expect_vmm_exit(&m, vp, m.size, "stray");
		snap(&m, "stray");
	}
	if (o->reset)
		stage_reset(&m, vp);
	/* Else the region goes with the partition when the VMM exits. */
	if (o->stray) {
		region(&m, 1);
		snap(&m, "unmapped");
	}
	printf("done\n");
}

struct racer {
	struct mmio *m;
	int vp;
	uint32_t index;
	volatile int *stop;
	unsigned long runs, reads, exits;
};

static void *race_vp(void *arg)
{
	struct racer *r = arg;
	struct hv_vmm_guest_program p;
	unsigned int i, pages = r->m->size / PAGE_4K;

	while (!*r->stop) {
		memset(&p, 0, sizeof(p));
		/* The identification, and pages spread over the BAR. */
		for (i = 0; i < 16; i++)
			add(&p, r->m->v.gpa + (i % 2 ? (uint64_t)(i * 37 % pages) * PAGE_4K :
					       EDU_ID), 4, HV_VMM_ACCESS_READ, UNREAD);
		r->exits += guest(r->m, r->vp, r->index, &p, 1);
		for (i = 0; i < 16; i += 2) {
			if (p.access[i].value == UNREAD)
				continue;	/* stepped over: region gone */
			if (p.access[i].value != EDU_ID_VALUE)
				die(0, "vp %u read 0x%" PRIx64 " as the identification",
				    r->index, (uint64_t)p.access[i].value);
			r->reads++;
		}
		r->runs++;
	}
	return NULL;
}

void cmd_mmio_race(struct options *o)
{
	static const char *const modes[] = { "page", "full", "eager" };
	struct racer r[2];
	volatile int stop = 0;
	pthread_t t[2];
	unsigned long cycles = 0;
	unsigned int rounds = o->pages ? o->pages : 30;
	struct mmio m = { 0 };
	int i;

	mmio_setup(&m, o);
	quiet = 1;
	for (i = 0; i < 2; i++) {
		r[i] = (struct racer) { .m = &m, .vp = vmm_vp(&m.v, i),
					.index = i, .stop = &stop };
		if (pthread_create(&t[i], NULL, race_vp, &r[i]))
			die(0, "pthread_create");
	}
	while (cycles < rounds) {
		region(&m, 1);
		set_mode(modes[cycles % 3]);
		region(&m, 0);
		usleep(2000);
		cycles++;
	}
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	set_mode("full");
	for (i = 0; i < 2; i++)
		printf("vp%d: runs %lu reads %lu exits %lu\n", i, r[i].runs,
		       r[i].reads, r[i].exits);
	printf("cycles: %lu\n", cycles);
	if (!r[0].reads || !r[1].reads)
		die(0, "a VP never read the device");
	snap(&m, "end");
	printf("done\n");
}

void cmd_mmio_bad(struct options *o)
{
	struct hv_vmm_user_mem_region ram, mem;
	struct mmio m = { 0 };
	int status;
	pid_t child;

	mmio_setup(&m, o);
	ram = (struct hv_vmm_user_mem_region) {
		.size = HUGE_2M, .guest_pfn = (o->gpa + 2 * m.size) / PAGE_4K,
		.userspace_addr = (uintptr_t)buffer(HUGE_2M, 0),
		.flags = 1 << HV_VMM_SET_MEM_BIT_WRITABLE,
	};
	if (ioctl(m.v.pt, HV_VMM_SET_GUEST_MEMORY, &ram))
		die(errno, "HV_VMM_SET_GUEST_MEMORY (RAM)");
	run_cmd("before", o->before);

	mem = m.mem;
	mem.guest_pfn = ram.guest_pfn;
	bad("mmio-over-ram", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EEXIST);
	mem = m.mem;
	mem.guest_pfn += 1;
	bad("mmio-over-mmio", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EEXIST);
	mem = m.mem;
	mem.guest_pfn += 8 * m.size / PAGE_4K;
	mem.size = PAGE_4K + 8;
	bad("mmio-size-unaligned", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem.size = m.size;
	mem.userspace_addr += 8;
	bad("mmio-addr-unaligned", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem.userspace_addr = m.mem.userspace_addr;
	mem.size = m.size + PAGE_4K;
	bad("mmio-past-bar", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem.size = m.size;
	mem.flags |= 1 << HV_VMM_SET_MEM_BIT_EXECUTABLE;
	bad("mmio-executable", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem, EINVAL);
	mem.flags = m.mem.flags;

	/* Another process with the partition fd and the BAR mapping. */
	fflush(stdout);
	child = fork();
	if (child < 0)
		die(errno, "fork");
	if (child == 0) {
		bad("mmio-other-process", m.v.pt, HV_VMM_SET_GUEST_MEMORY, &mem,
		    EACCES);
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
