// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-client: what the type1 and the iommufd modes share: the buffer, the
 * expect file and fail-nth (errors, sizes, stage commands: ../common/).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"





void setenv_u64(const char *name, uint64_t v, int hex)
{
	char buf[32];

	snprintf(buf, sizeof(buf), hex ? "0x%" PRIx64 : "%" PRIu64, v);
	if (setenv(name, buf, 1))
		die(errno, "setenv %s", name);
}

/* The IOMMU group number of a PCI device, from sysfs. */
int device_group(const char *bdf)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *end;
	long g;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		die(errno, "%s: no IOMMU group (%s)", bdf, path);
	target[n] = '\0';
	g = strtol(basename(target), &end, 10);
	if (*end || g < 0)
		die(0, "%s: odd iommu_group link '%s'", bdf, target);
	return (int)g;
}

/*
 * Write "0xIOVA 0xPFN" for each 4 KiB page of the buffer, from
 * /proc/self/pagemap (root sees page frame numbers; others see 0).
 */
void write_expect(const char *file, const struct options *opt,
			 void *vaddr)
{
	uint64_t pages = opt->size / PAGE_4K, i;
	uint64_t *pm;
	ssize_t n;
	FILE *f;
	int fd;

	pm = malloc(pages * sizeof(*pm));
	if (!pm)
		die(errno, "malloc pagemap buffer");
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die(errno, "open /proc/self/pagemap");
	n = pread(fd, pm, pages * sizeof(*pm),
		  (off_t)((uintptr_t)vaddr / PAGE_4K * sizeof(*pm)));
	if (n != (ssize_t)(pages * sizeof(*pm)))
		die(n < 0 ? errno : EIO, "read /proc/self/pagemap");
	close(fd);

	f = fopen(file, "w");
	if (!f)
		die(errno, "open %s", file);
	for (i = 0; i < pages; i++) {
		uint64_t pfn = pm[i] & PM_PFN_MASK;

		if (!(pm[i] & PM_PRESENT))
			die(0, "pagemap: page %" PRIu64 " of the buffer is not present", i);
		if (!pfn)
			die(0, "pagemap: no page frame numbers (needs CAP_SYS_ADMIN)");
		fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 "\n",
			opt->iova + i * PAGE_4K, pfn);
	}
	if (fclose(f))
		die(errno, "write %s", file);
	free(pm);
	printf("expect: %s pages %" PRIu64 "\n", file, pages);
}


/*
 * The buffer: 2 MiB aligned so that THP can back it whole (--hugepages),
 * every page touched so that each has its own frame (not the zero page).
 */
char *buffer_alloc(const struct options *opt)
{
	size_t alloc = opt->size + (opt->hugepages > 0 ? HUGE_2M : 0);
	char *buf, *p;

	buf = mmap(NULL, alloc, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS |
		   (opt->hugetlb ? MAP_HUGETLB : 0), -1, 0);
	if (buf == MAP_FAILED)
		die(errno, "mmap %zu bytes%s", alloc,
		    opt->hugetlb ? " of hugetlbfs pages" : "");
	if (opt->hugepages > 0) {
		buf = (char *)(((uintptr_t)buf + HUGE_2M - 1) & ~(HUGE_2M - 1));
		if (madvise(buf, opt->size, MADV_HUGEPAGE))
			die(errno, "madvise(MADV_HUGEPAGE)");
	} else if (opt->hugepages < 0 &&
		   madvise(buf, opt->size, MADV_NOHUGEPAGE)) {
		die(errno, "madvise(MADV_NOHUGEPAGE)");
	}
	/*
	 * Touch every page so each has its own frame (not the zero page);
	 * fragmented: the even pages first, then the odd ones, so that no two
	 * neighbours are physically contiguous.
	 */
	for (p = buf; p < buf + opt->size; p += PAGE_4K * (opt->fragment + 1))
		*(volatile char *)p = 1;
	for (p = buf + PAGE_4K; opt->fragment && p < buf + opt->size;
	     p += 2 * PAGE_4K)
		*(volatile char *)p = 1;
	return buf;
}

/*
 * --fail-nth STAGE:N: fail the Nth fault injection point (allocation) this
 * thread reaches from here on, FAILSLAB / FAIL_PAGE_ALLOC permitting, as
 * tools/testing/selftests/iommu/iommufd_fail_nth.c does.  The file is
 * opened before arming and kept: an open after it would be an allocation
 * the countdown can hit.  Nothing is printed while armed: stdout may be a
 * pipe whose writes allocate.  A client that dies in the stage (its call
 * failed, as it may when the point fired) still says whether it fired.
 */
static int nth_fd = -1;
static const struct options *nth_opt;
static const char *nth_stage;

static void nth_exit(void);

void nth_arm(const struct options *opt, const char *stage)
{
	static int registered;
	char val[16];
	int len;

	if (!opt->nth_stage || strcmp(opt->nth_stage, stage))
		return;
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		die(errno, "%s: open /proc/thread-self/fail-nth (a kernel with CONFIG_FAULT_INJECTION)",
		    stage);
	if (!registered && atexit(nth_exit))
		die(0, "atexit");
	registered = 1;
	len = snprintf(val, sizeof(val), "%u", opt->nth);
	nth_opt = opt;
	nth_stage = stage;
	if (pwrite(nth_fd, val, (size_t)len, 0) != len)
		die(errno, "%s: write '%s' to /proc/thread-self/fail-nth", stage, val);
}

/*
 * End of the stage armed (once; later calls do nothing): disarm and print
 * "fail-nth: STAGE N fired" or "... unused" (the stage passed fewer
 * points).  Returns 1 if it fired.
 */
int nth_disarm(const struct options *opt, const char *stage)
{
	char buf[32] = "";
	ssize_t n;
	int fired;

	if (nth_fd < 0 || !opt->nth_stage || strcmp(opt->nth_stage, stage))
		return 0;
	/* What is left of the countdown: 0 once the point fired. */
	n = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		die(errno, "%s: write '0' to /proc/thread-self/fail-nth", stage);
	close(nth_fd);
	nth_fd = -1;
	fired = n > 0 && atoi(buf) == 0;
	printf("fail-nth: %s %u %s\n", stage, opt->nth, fired ? "fired" : "unused");
	return fired;
}

/* Exit while armed (die() in the stage): disarm and say so all the same. */
static void nth_exit(void)
{
	if (nth_fd >= 0)
		nth_disarm(nth_opt, nth_stage);
	fflush(stdout);
}
