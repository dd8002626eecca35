/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm-test: what the test VMM's command files share (vmm-test.c: the VMM
 * helpers and the RAM commands; vmm-mmio.c: the MMIO commands).
 */
#ifndef VMM_TEST_H
#define VMM_TEST_H

#include <stdint.h>

#include "../../kernel/uapi/hv_vmm.h"
#include "util.h"

struct options {
	uint64_t size;
	uint64_t gpa;
	int hugepages;
	double seconds;
	const char *expect;
	const char *device;
	const char *while_cmd;
	const char *before;
	const char *after;
	const char *snap;	/* mmio: "CMD" run as "CMD/<stage>" */
	const char *switch_to;	/* mmio: mode for the second touch */
	unsigned int pages;	/* mmio: pages the guest touches */
	int reset;		/* mmio: reset, decoding off, munmap stages */
	int stray;		/* mmio: an access past the region */
	int kill;		/* mmio: SIGKILL while mapped */
};

struct vmm {
	int dev;
	int pt;
	uint64_t id;
	char *buf;
	uint64_t size;
	uint64_t gpa;
};

struct exit_msg {
	uint32_t type;
	uint64_t sender;
	uint32_t vp_index;
	uint8_t access;
	uint64_t gpa;
};

extern int failures;

void vmm_open(struct vmm *v, uint64_t pt_flags);
char *buffer(uint64_t size, int hugepages);
int vmm_vp(struct vmm *v, uint32_t index);
void vp_state(int vp, struct hv_vmm_guest_program *p, int set);
void add(struct hv_vmm_guest_program *p, uint64_t gpa, int width, int type,
	 uint64_t value);
struct exit_msg run(int vp);
void expect_exit(const struct exit_msg *e, struct vmm *v, uint32_t vp,
		 uint32_t type);
void bad(const char *name, int fd, unsigned long cmd, void *arg, int want);
int role_is_l1vh(void);
void *vfio_bar0(const char *bdf, uint64_t *size, int pt, int *device_fd);

/* vmm-mmio.c */
void cmd_mmio(struct options *o);
void cmd_mmio_race(struct options *o);
void cmd_mmio_bad(struct options *o);

#endif
