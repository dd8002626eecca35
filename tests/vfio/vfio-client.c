// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-client: a VFIO type1 container-API user, the way QEMU and DPDK drive
 * it, for the VM tests of hv_iommu.
 *
 *   open /dev/vfio/vfio, check the API version and TYPE1v2 support,
 *   open /dev/vfio/<group> of the device, check it is viable, put it in the
 *   container, VFIO_SET_IOMMU(TYPE1v2) (the IOMMU domain's first attach),
 *   get the device fd, map an anonymous buffer with VFIO_IOMMU_MAP_DMA,
 *   write the expected IOVA -> page frame table from /proc/self/pagemap,
 *   run the caller's commands at each stage, unmap, tear down in order.
 *
 * With --partition the client is a VMM: it creates and initializes a guest
 * partition through /dev/hv_vmm, asks for direct attach of its VFIO group
 * on the partition (HV_VMM_ATTACH_DEVICE, before VFIO_SET_IOMMU, so that
 * hv_iommu with attach_mode=auto attaches the device to the partition),
 * gives the buffer to the guest as RAM at GPA = IOVA, and at the end
 * releases the request (HV_VMM_DETACH_DEVICE) and closes the partition; it
 * also creates VP 0, which lives until the partition goes.
 * --close-partition-first closes the partition while the device is still
 * attached, as a VMM killed at the wrong moment does.  --also BDF2 puts the
 * group of a second device into the container after VFIO_SET_IOMMU (VFIO
 * then tries to share the first domain with it), without asking for it on
 * the partition.
 *
 * Commands given with --before-set-iommu, --after-set-iommu,
 * --after-set-iommu-fail, --before-map, --while-mapped, --after-also-gone,
 * --after-partial, --after-map-fail, --after-unmap and --after-partition-close
 * run through system(3) with these
 * variables in the environment: HV_VFIO_BDF, HV_VFIO_GROUP, HV_VFIO_IOVA
 * (hex), HV_VFIO_SIZE, HV_VFIO_PID (the client's pid), and HV_PARTITION_ID
 * with --partition.  A command that exits non-zero fails the client.
 *
 * With --iommufd the same steps go through iommufd instead (iommufd.c):
 * /dev/iommu, an IOAS, the device's VFIO cdev bound to it and attached to
 * the IOAS or to an HWPT, maps before or after the attach, a replace of
 * the HWPT while mapped.  --fail-nth STAGE:N fails the Nth allocation of a
 * stage's system calls (util.c).
 *
 * Every failure prints one line "vfio-client: <what>: <errno text>" to stderr
 * and exits 1.  Progress goes to stdout, one "key: value" line per step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "../../kernel/uapi/hv_vmm.h"

#include "client.h"

const char *prog = "vfio-client";


static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [options] BDF\n"
"Map an anonymous buffer for DMA by the PCI device BDF through VFIO type1v2.\n"
"\n"
"  -d, --device BDF          device (SSSS:BB:DD.F), instead of the argument\n"
"  -s, --size N[K|M|G]       buffer size (default 64M; multiple of 4K)\n"
"  -i, --iova ADDR           IOVA of the buffer (default 0x100000000)\n"
"  -c, --chunks N            map with N MAP_DMA calls of size/N each\n"
"  -H, --hugepages           madvise(MADV_HUGEPAGE) the buffer (THP)\n"
"  -N, --no-hugepages        madvise(MADV_NOHUGEPAGE): 4 KiB pages only, even\n"
"                            with THP \"always\"\n"
"      --fragment            4 KiB pages, faulted even ones first, then odd\n"
"                            ones, so that no two IOVA neighbours get\n"
"                            neighbouring frames (memory of a long-running host)\n"
"      --hugetlb             back the buffer with 2 MiB hugetlbfs pages\n"
"                            (MAP_HUGETLB; needs vm.nr_hugepages)\n"
"  -e, --expect FILE         write \"0xIOVA 0xPFN\" for every 4K page\n"
"  -p, --partition           act as a VMM: a guest partition via /dev/hv_vmm,\n"
"                            direct attach asked for on it, the buffer as its\n"
"                            RAM at GPA = IOVA; exported as HV_PARTITION_ID\n"
"      --close-partition-first  with -p: close the partition before the\n"
"                            VFIO container (the device is still attached)\n"
"      --after-partition-close CMD  run CMD after that close\n"
"      --before-set-iommu CMD  run CMD with the group in the container,\n"
"                            before SET_IOMMU (the domain's first attach)\n"
"      --after-set-iommu CMD run CMD right after SET_IOMMU, before the\n"
"                            device is opened (vfio-pci then clears bus mastering)\n"
"      --expect-set-iommu-fail  SET_IOMMU must fail; exit 0 if it did\n"
"      --after-set-iommu-fail CMD  run CMD after that failure, group still held\n"
"      --before-map CMD      run CMD after SET_IOMMU, before MAP_DMA\n"
"  -w, --while-mapped CMD    run CMD while everything is mapped\n"
"      --also BDF2           put BDF2's group in the container too, after\n"
"                            SET_IOMMU and --after-set-iommu (not asked for\n"
"                            on the partition); it leaves at the teardown\n"
"      --after-also-gone CMD BDF2's group leaves right after --while-mapped,\n"
"                            mappings still in place, then CMD runs\n"
"  -b, --map-bar N           also map the device's BAR N (mmap of the device\n"
"                            fd, as a VMM maps a BAR for peer-to-peer) while\n"
"                            mapped; unmapped before the buffer\n"
"      --bar-iova ADDR       IOVA of the BAR (default 0x200000000)\n"
"  -u, --partial-unmap OFF:LEN  unmap [iova+OFF, +LEN) first (with type1v2\n"
"                            it must cover whole chunks, see --chunks)\n"
"      --after-partial CMD   run CMD after the partial unmap\n"
"  -a, --after-unmap CMD     run CMD after the full unmap\n"
"  -F, --expect-map-fail     MAP_DMA must fail; exit 0 if it did\n"
"      --after-map-fail CMD  run CMD after the expected failure\n"
"      --retry-map           after the expected failure, map again (must\n"
"                            succeed) and carry on as without -F\n"
"      --loop SECONDS        while mapped, unmap and map again one chunk\n"
"                            after the other for SECONDS (a soak); prints\n"
"                            \"loop: ops N seconds S\"\n"
"      --fail-nth STAGE:N    fail the Nth fault injection point (allocation)\n"
"                            of the STAGE's system calls: hwpt (with\n"
"                            --iommufd), attach, map, partial, unmap,\n"
"                            replace or detach; prints\n"
"                            \"fail-nth: STAGE N fired|unused\"\n"
"      --iommufd             iommufd instead of type1: /dev/iommu, an IOAS,\n"
"                            the device's cdev bound to it and attached to\n"
"                            the IOAS (an automatic HWPT)\n"
"      --hwpt                attach to an HWPT from IOMMU_HWPT_ALLOC instead\n"
"      --map-before-attach   map in the IOAS before the attach (the driver\n"
"                            replays the maps at the domain's first attach)\n"
"      --replace             while mapped, attach a second HWPT of the IOAS\n"
"                            without detaching (a paging-to-paging replace)\n"
"      --expect-replace-fail  the replace must fail (--may-fail: or not)\n"
"      --after-replace CMD   run CMD after the replace (or its failure)\n"
"      --may-fail            -F and --expect-set-iommu-fail accept success\n"
"                            too (fail-nth: the fault may hit another call)\n"
"  -h, --help                this text\n"
"\n"
"Commands run with HV_VFIO_BDF, HV_VFIO_GROUP, HV_VFIO_IOVA, HV_VFIO_SIZE,\n"
"HV_VFIO_PID (and HV_PARTITION_ID) in the environment; a non-zero exit fails the client.\n",
		prog);
}

/* Open group @gnum of device @bdf, check it is viable, put it in @container. */
static int group_join(int container, int gnum, const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];
	int group;

	snprintf(path, sizeof(path), "/dev/vfio/%d", gnum);
	group = open(path, O_RDWR | O_CLOEXEC);
	if (group < 0)
		die(errno, "open %s (is %s bound to vfio-pci?)", path, bdf);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status))
		die(errno, "VFIO_GROUP_GET_STATUS %s", path);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die(0, "group %d is not viable (bind every device in it to vfio-pci)", gnum);
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die(errno, "VFIO_GROUP_SET_CONTAINER group %d", gnum);
	return group;
}

/* Map [vaddr, +size) at iova in opt->chunks calls; returns 0 or an errno. */
static int map_dma(int container, const struct options *opt, void *vaddr,
		   double *seconds)
{
	uint64_t chunk = opt->size / opt->chunks;
	double t0 = now();
	unsigned int i;

	for (i = 0; i < opt->chunks; i++) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)vaddr + i * chunk,
			.iova = opt->iova + i * chunk,
			.size = chunk,
		};

		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
			int err = errno;

			nth_disarm(opt, "map");
			if (!opt->expect_map_fail)
				die(err, "VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx (chunk %u of %u)",
				    (unsigned long long)map.iova,
				    (unsigned long long)map.size, i + 1, opt->chunks);
			printf("map-failed: chunk %u of %u iova 0x%llx: %s\n",
			       i + 1, opt->chunks, (unsigned long long)map.iova,
			       strerror(err));
			return err;
		}
	}
	*seconds = now() - t0;
	return 0;
}

/*
 * Map the device's BAR @bar (mmap of its region) at @iova; returns its size
 * and its mapping in *@vaddr (munmap it before closing the device).
 */
static uint64_t map_bar(int container, int device, int bar, uint64_t iova,
			void **vaddr)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = bar };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = iova,
	};
	void *p;

	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die(errno, "VFIO_DEVICE_GET_REGION_INFO BAR %d", bar);
	if (!ri.size || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		die(0, "BAR %d: size 0x%llx, flags 0x%x: not an mmap-able BAR", bar,
		    (unsigned long long)ri.size, ri.flags);
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, device,
		 (off_t)ri.offset);
	if (p == MAP_FAILED)
		die(errno, "mmap BAR %d", bar);
	map.vaddr = (uintptr_t)p;
	map.size = ri.size;
	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		die(errno, "VFIO_IOMMU_MAP_DMA BAR %d iova 0x%llx size 0x%llx", bar,
		    (unsigned long long)iova, (unsigned long long)ri.size);
	printf("bar-mapped: bar %d iova 0x%llx bytes %llu\n", bar,
	       (unsigned long long)iova, (unsigned long long)ri.size);
	*vaddr = p;
	return ri.size;
}

/* @stage: the --fail-nth stage of this unmap. */
static void unmap_dma(const struct options *opt, int container, uint64_t iova,
		      uint64_t size, uint64_t expect_size, const char *what,
		      const char *stage)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};
	double t0 = now();
	int err;

	nth_arm(opt, stage);
	err = ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? errno : 0;
	nth_disarm(opt, stage);
	if (err)
		die(err, "VFIO_IOMMU_UNMAP_DMA (%s) iova 0x%llx size 0x%llx",
		    what, (unsigned long long)iova, (unsigned long long)size);
	if (unmap.size != expect_size)
		die(0, "VFIO_IOMMU_UNMAP_DMA (%s) iova 0x%llx: unmapped 0x%llx bytes, expected 0x%llx",
		    what, (unsigned long long)iova,
		    (unsigned long long)unmap.size,
		    (unsigned long long)expect_size);
	printf("unmapped: %s iova 0x%llx bytes %llu seconds %.6f\n", what,
	       (unsigned long long)iova, (unsigned long long)unmap.size,
	       now() - t0);
}

/*
 * The soak: unmap one chunk and map it again, chunk after chunk, for
 * opt->loop_seconds; every chunk is mapped again when it returns.
 */
static void remap_loop(int container, const struct options *opt, char *buf)
{
	uint64_t chunk = opt->size / opt->chunks, ops = 0;
	double t0 = now(), t;
	unsigned int i = 0;

	do {
		uint64_t off = (uint64_t)(i++ % opt->chunks) * chunk;
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap), .iova = opt->iova + off,
			.size = chunk,
		};
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)buf + off, .iova = opt->iova + off,
			.size = chunk,
		};

		if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ||
		    unmap.size != chunk)
			die(errno, "loop: VFIO_IOMMU_UNMAP_DMA iova 0x%llx (op %llu)",
			    (unsigned long long)unmap.iova,
			    (unsigned long long)ops);
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
			die(errno, "loop: VFIO_IOMMU_MAP_DMA iova 0x%llx (op %llu)",
			    (unsigned long long)map.iova,
			    (unsigned long long)ops);
		ops += 2;
		t = now() - t0;
	} while (t < opt->loop_seconds);
	printf("loop: ops %llu seconds %.3f\n", (unsigned long long)ops, t);
}

enum {
	OPT_BEFORE_MAP = 0x100,
	OPT_AFTER_PARTIAL,
	OPT_AFTER_MAP_FAIL,
	OPT_RETRY_MAP,
	OPT_BEFORE_SET_IOMMU,
	OPT_AFTER_SET_IOMMU,
	OPT_EXPECT_SET_IOMMU_FAIL,
	OPT_AFTER_SET_IOMMU_FAIL,
	OPT_BAR_IOVA,
	OPT_ALSO,
	OPT_AFTER_ALSO_GONE,
	OPT_CLOSE_PARTITION_FIRST,
	OPT_AFTER_PARTITION_CLOSE,
	OPT_MAY_FAIL,
	OPT_LOOP,
	OPT_FAIL_NTH,
	OPT_IOMMUFD,
	OPT_HWPT,
	OPT_MAP_BEFORE_ATTACH,
	OPT_REPLACE,
	OPT_EXPECT_REPLACE_FAIL,
	OPT_AFTER_REPLACE,
	OPT_FRAGMENT,
	OPT_HUGETLB,
};

static void parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "device",		required_argument, NULL, 'd' },
		{ "size",		required_argument, NULL, 's' },
		{ "iova",		required_argument, NULL, 'i' },
		{ "chunks",		required_argument, NULL, 'c' },
		{ "hugepages",		no_argument,	   NULL, 'H' },
		{ "no-hugepages",	no_argument,	   NULL, 'N' },
		{ "fragment",		no_argument,	   NULL, OPT_FRAGMENT },
		{ "hugetlb",		no_argument,	   NULL, OPT_HUGETLB },
		{ "expect",		required_argument, NULL, 'e' },
		{ "partition",		no_argument,	   NULL, 'p' },
		{ "before-set-iommu",	required_argument, NULL, OPT_BEFORE_SET_IOMMU },
		{ "after-set-iommu",	required_argument, NULL, OPT_AFTER_SET_IOMMU },
		{ "expect-set-iommu-fail", no_argument,   NULL, OPT_EXPECT_SET_IOMMU_FAIL },
		{ "after-set-iommu-fail", required_argument, NULL, OPT_AFTER_SET_IOMMU_FAIL },
		{ "close-partition-first", no_argument,   NULL, OPT_CLOSE_PARTITION_FIRST },
		{ "after-partition-close", required_argument, NULL, OPT_AFTER_PARTITION_CLOSE },
		{ "before-map",		required_argument, NULL, OPT_BEFORE_MAP },
		{ "while-mapped",	required_argument, NULL, 'w' },
		{ "also",		required_argument, NULL, OPT_ALSO },
		{ "after-also-gone",	required_argument, NULL, OPT_AFTER_ALSO_GONE },
		{ "map-bar",		required_argument, NULL, 'b' },
		{ "bar-iova",		required_argument, NULL, OPT_BAR_IOVA },
		{ "partial-unmap",	required_argument, NULL, 'u' },
		{ "after-partial",	required_argument, NULL, OPT_AFTER_PARTIAL },
		{ "after-unmap",	required_argument, NULL, 'a' },
		{ "expect-map-fail",	no_argument,	   NULL, 'F' },
		{ "after-map-fail",	required_argument, NULL, OPT_AFTER_MAP_FAIL },
		{ "retry-map",		no_argument,	   NULL, OPT_RETRY_MAP },
		{ "may-fail",		no_argument,	   NULL, OPT_MAY_FAIL },
		{ "loop",		required_argument, NULL, OPT_LOOP },
		{ "fail-nth",		required_argument, NULL, OPT_FAIL_NTH },
		{ "iommufd",		no_argument,	   NULL, OPT_IOMMUFD },
		{ "hwpt",		no_argument,	   NULL, OPT_HWPT },
		{ "map-before-attach",	no_argument,	   NULL, OPT_MAP_BEFORE_ATTACH },
		{ "replace",		no_argument,	   NULL, OPT_REPLACE },
		{ "expect-replace-fail", no_argument,	   NULL, OPT_EXPECT_REPLACE_FAIL },
		{ "after-replace",	required_argument, NULL, OPT_AFTER_REPLACE },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t chunks;
	char *colon;
	int c;

	opt->size = 64UL << 20;
	opt->iova = 0x100000000ULL;
	opt->chunks = 1;
	opt->map_bar = -1;
	opt->bar_iova = 0x200000000ULL;

	while ((c = getopt_long(argc, argv, "d:s:i:c:HNe:pb:w:u:a:Fh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': opt->bdf = optarg; break;
		case 's': opt->size = parse_size(optarg, "size"); break;
		case 'i': opt->iova = parse_size(optarg, "iova"); break;
		case 'c':
			chunks = parse_size(optarg, "chunk count");
			/* vfio_iommu_type1.dma_entry_limit bounds it too */
			if (chunks < 1 || chunks > (1u << 20))
				die(0, "bad chunk count '%s'", optarg);
			opt->chunks = (unsigned int)chunks;
			break;
		case 'H': opt->hugepages = 1; break;
		case 'N': opt->hugepages = -1; break;
		case OPT_FRAGMENT: opt->fragment = 1; opt->hugepages = -1; break;
		case OPT_HUGETLB: opt->hugetlb = 1; break;
		case 'e': opt->expect_file = optarg; break;
		case 'p': opt->partition = 1; break;
		case OPT_BEFORE_SET_IOMMU: opt->before_set_iommu = optarg; break;
		case OPT_AFTER_SET_IOMMU: opt->after_set_iommu = optarg; break;
		case OPT_EXPECT_SET_IOMMU_FAIL: opt->expect_set_iommu_fail = 1; break;
		case OPT_AFTER_SET_IOMMU_FAIL: opt->after_set_iommu_fail = optarg; break;
		case OPT_CLOSE_PARTITION_FIRST: opt->close_partition_first = 1; break;
		case OPT_AFTER_PARTITION_CLOSE: opt->after_partition_close = optarg; break;
		case OPT_BEFORE_MAP: opt->before_map = optarg; break;
		case 'b':
			chunks = parse_size(optarg, "BAR index");
			if (chunks > VFIO_PCI_BAR5_REGION_INDEX)
				die(0, "bad BAR index '%s' (0-5)", optarg);
			opt->map_bar = (int)chunks;
			break;
		case OPT_ALSO: opt->also = optarg; break;
		case OPT_AFTER_ALSO_GONE: opt->after_also_gone = optarg; break;
		case OPT_BAR_IOVA: opt->bar_iova = parse_size(optarg, "BAR iova"); break;
		case 'w': opt->while_mapped = optarg; break;
		case 'u':
			colon = strchr(optarg, ':');
			if (!colon)
				die(0, "bad --partial-unmap '%s' (want OFFSET:LEN)", optarg);
			*colon = '\0';
			opt->partial_off = parse_size(optarg, "partial unmap offset");
			opt->partial_len = parse_size(colon + 1, "partial unmap length");
			opt->partial = 1;
			break;
		case OPT_AFTER_PARTIAL: opt->after_partial = optarg; break;
		case 'a': opt->after_unmap = optarg; break;
		case 'F': opt->expect_map_fail = 1; break;
		case OPT_AFTER_MAP_FAIL: opt->after_map_fail = optarg; break;
		case OPT_RETRY_MAP: opt->retry_map = 1; break;
		case OPT_MAY_FAIL: opt->may_fail = 1; break;
		case OPT_FAIL_NTH:
			colon = strchr(optarg, ':');
			if (!colon)
				die(0, "bad --fail-nth '%s' (want STAGE:N)", optarg);
			*colon = '\0';
			opt->nth_stage = optarg;
			chunks = parse_size(colon + 1, "fail-nth count");
			if (!chunks || chunks > 100000)
				die(0, "bad fail-nth count '%s'", colon + 1);
			opt->nth = (unsigned int)chunks;
			if (strcmp(optarg, "hwpt") && strcmp(optarg, "attach") &&
			    strcmp(optarg, "map") && strcmp(optarg, "partial") &&
			    strcmp(optarg, "unmap") && strcmp(optarg, "replace") &&
			    strcmp(optarg, "detach"))
				die(0, "bad fail-nth stage '%s' (hwpt, attach, map, partial, unmap, replace or detach)",
				    optarg);
			break;
		case OPT_IOMMUFD: opt->iommufd = 1; break;
		case OPT_HWPT: opt->hwpt = 1; break;
		case OPT_MAP_BEFORE_ATTACH: opt->map_before_attach = 1; break;
		case OPT_REPLACE: opt->replace = 1; break;
		case OPT_EXPECT_REPLACE_FAIL: opt->expect_replace_fail = 1; break;
		case OPT_AFTER_REPLACE: opt->after_replace = optarg; break;
		case OPT_LOOP:
			opt->loop_seconds = (double)parse_size(optarg, "loop seconds");
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (!opt->bdf && optind < argc)
		opt->bdf = argv[optind++];
	if (!opt->bdf || optind != argc) {
		usage(stderr);
		exit(2);
	}
	if (!opt->size || opt->size % PAGE_4K || opt->iova % PAGE_4K)
		die(0, "size and iova must be non-zero multiples of 4 KiB");
	if (opt->size % ((uint64_t)opt->chunks * PAGE_4K))
		die(0, "size 0x%llx does not split into %u chunks of whole pages",
		    (unsigned long long)opt->size, opt->chunks);
	if (opt->partial && (!opt->partial_len || opt->partial_off % PAGE_4K ||
			     opt->partial_len % PAGE_4K ||
			     opt->partial_off + opt->partial_len > opt->size))
		die(0, "--partial-unmap must be a non-empty, 4K-aligned range inside the buffer");
	if (opt->after_also_gone && !opt->also)
		die(0, "--after-also-gone needs --also");
	if (opt->after_set_iommu_fail && !opt->expect_set_iommu_fail)
		die(0, "--after-set-iommu-fail needs --expect-set-iommu-fail");
	if (opt->may_fail && !opt->expect_map_fail && !opt->expect_set_iommu_fail &&
	    !opt->expect_replace_fail)
		die(0, "--may-fail needs an --expect-*-fail");
	if ((opt->after_map_fail || opt->retry_map) && !opt->expect_map_fail)
		die(0, "--after-map-fail and --retry-map need --expect-map-fail");
	if (!opt->iommufd && (opt->hwpt || opt->map_before_attach || opt->replace))
		die(0, "--hwpt, --map-before-attach and --replace need --iommufd");
	if (opt->iommufd && (opt->partition || opt->also || opt->map_bar >= 0 ||
			     opt->loop_seconds || opt->retry_map))
		die(0, "--iommufd does not do --partition, --also, --map-bar, --loop or --retry-map");
	if ((opt->expect_replace_fail || opt->after_replace) && !opt->replace)
		die(0, "--expect-replace-fail and --after-replace need --replace");
	/* The chunks mapped before the failing one stay mapped: keep it simple. */
	if (opt->retry_map && opt->chunks != 1)
		die(0, "--retry-map works with a single chunk only");
}

int main(int argc, char **argv)
{
	struct options opt = { 0 };
	int container, group, device, hvvmm = -1, pt = -1, vp = -1, group2 = -1;
	uint64_t partition_id = 0, bar_size = 0;
	double seconds;
	char *buf;
	void *bar = NULL;
	int gnum, err, version;

	parse_args(argc, argv, &opt);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (opt.iommufd)
		return iommufd_main(&opt);

	/* The container. */
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0)
		die(errno, "open /dev/vfio/vfio");
	version = ioctl(container, VFIO_GET_API_VERSION);
	if (version != VFIO_API_VERSION)
		die(version < 0 ? errno : 0, "VFIO_GET_API_VERSION: %d, want %d",
		    version, VFIO_API_VERSION);
	if (ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		die(errno, "VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU): not supported");

	/* The device's group, into the container. */
	gnum = device_group(opt.bdf);
	group = group_join(container, gnum, opt.bdf);
	printf("group: %d\n", gnum);

	/* Direct attach: asked for on the partition before the first attach. */
	if (opt.partition) {
		struct hv_vmm_create_partition cp = { 0 };
		struct hv_vmm_device dev = { .fd = group };

		hvvmm = open(HV_VMM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (hvvmm < 0)
			die(errno, "open %s", HV_VMM_DEVICE_PATH);
		pt = ioctl(hvvmm, HV_VMM_CREATE_PARTITION, &cp);
		if (pt < 0)
			die(errno, "HV_VMM_CREATE_PARTITION");
		if (ioctl(pt, HV_VMM_INITIALIZE_PARTITION))
			die(errno, "HV_VMM_INITIALIZE_PARTITION");
		if (ioctl(pt, HV_VMM_GET_PARTITION_ID, &partition_id))
			die(errno, "HV_VMM_GET_PARTITION_ID");
		if (ioctl(pt, HV_VMM_ATTACH_DEVICE, &dev))
			die(errno, "HV_VMM_ATTACH_DEVICE group %d", gnum);
		vp = ioctl(pt, HV_VMM_CREATE_VP, &(struct hv_vmm_create_vp){ 0 });
		if (vp < 0)
			die(errno, "HV_VMM_CREATE_VP");
		printf("partition: %" PRIu64 "\n", partition_id);
		setenv_u64("HV_PARTITION_ID", partition_id, 0);
	}

	if (setenv("HV_VFIO_BDF", opt.bdf, 1))
		die(errno, "setenv");
	setenv_u64("HV_VFIO_GROUP", (uint64_t)gnum, 0);
	setenv_u64("HV_VFIO_IOVA", opt.iova, 1);
	setenv_u64("HV_VFIO_SIZE", opt.size, 0);
	setenv_u64("HV_VFIO_PID", (uint64_t)getpid(), 0);
	run_cmd("before-set-iommu", opt.before_set_iommu);

	/* First attach of the IOMMU domain happens here. */
	nth_arm(&opt, "attach");
	err = ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) ? errno : 0;
	nth_disarm(&opt, "attach");
	if (err) {
		errno = err;
		if (!opt.expect_set_iommu_fail)
			die(errno, "VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)");
		printf("set-iommu-failed: %s\n", strerror(errno));
		run_cmd("after-set-iommu-fail", opt.after_set_iommu_fail);
		return 0;
	}
	if (opt.expect_set_iommu_fail && !opt.may_fail)
		die(0, "VFIO_SET_IOMMU succeeded, --expect-set-iommu-fail wanted a failure");
	run_cmd("after-set-iommu", opt.after_set_iommu);
	if (opt.also) {
		group2 = group_join(container, device_group(opt.also), opt.also);
		printf("also: %s\n", opt.also);
	}
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, opt.bdf);
	if (device < 0)
		die(errno, "VFIO_GROUP_GET_DEVICE_FD %s", opt.bdf);

	buf = buffer_alloc(&opt);
	if (pt >= 0) {
		struct hv_vmm_user_mem_region mem = {
			.size = opt.size,
			.guest_pfn = opt.iova / PAGE_4K,
			.userspace_addr = (uintptr_t)buf,
			.flags = 1 << HV_VMM_SET_MEM_BIT_WRITABLE,
		};

		if (ioctl(pt, HV_VMM_SET_GUEST_MEMORY, &mem))
			die(errno, "HV_VMM_SET_GUEST_MEMORY");
	}

	run_cmd("before-map", opt.before_map);

	nth_arm(&opt, "map");
	err = map_dma(container, &opt, buf, &seconds);
	nth_disarm(&opt, "map");
	if (opt.expect_map_fail && !err && opt.may_fail) {
		opt.expect_map_fail = 0;
	} else if (opt.expect_map_fail) {
		if (!err)
			die(0, "VFIO_IOMMU_MAP_DMA succeeded, expected a failure");
		run_cmd("after-map-fail", opt.after_map_fail);
		if (!opt.retry_map)
			return 0;
		opt.expect_map_fail = 0;
		map_dma(container, &opt, buf, &seconds);
	}
	printf("mapped: iova 0x%llx bytes %llu calls %u seconds %.6f\n",
	       (unsigned long long)opt.iova, (unsigned long long)opt.size,
	       opt.chunks, seconds);

	if (opt.expect_file)
		write_expect(opt.expect_file, &opt, buf);
	if (opt.map_bar >= 0)
		bar_size = map_bar(container, device, opt.map_bar, opt.bar_iova,
				   &bar);
	run_cmd("while-mapped", opt.while_mapped);
	if (opt.loop_seconds)
		remap_loop(container, &opt, buf);
	if (group2 >= 0 && opt.after_also_gone) {
		if (ioctl(group2, VFIO_GROUP_UNSET_CONTAINER))
			die(errno, "VFIO_GROUP_UNSET_CONTAINER (%s)", opt.also);
		close(group2);
		group2 = -1;
		run_cmd("after-also-gone", opt.after_also_gone);
	}
	if (bar_size) {
		unmap_dma(&opt, container, opt.bar_iova, bar_size, bar_size,
			  "bar", "bar");
		munmap(bar, bar_size);
	}

	if (opt.partial) {
		unmap_dma(&opt, container, opt.iova + opt.partial_off,
			  opt.partial_len, opt.partial_len, "partial", "partial");
		run_cmd("after-partial", opt.after_partial);
	}
	unmap_dma(&opt, container, opt.iova, opt.size,
		  opt.size - (opt.partial ? opt.partial_len : 0), "all", "unmap");
	run_cmd("after-unmap", opt.after_unmap);

	/*
	 * Tear down in the order a VMM does: device, group, container, the
	 * direct-attach request, partition.
	 */
	if (pt >= 0 && opt.close_partition_first) {
		close(vp);
		close(pt);
		pt = -1;
		run_cmd("after-partition-close", opt.after_partition_close);
	}
	close(device);
	if (group2 >= 0) {
		if (ioctl(group2, VFIO_GROUP_UNSET_CONTAINER))
			die(errno, "VFIO_GROUP_UNSET_CONTAINER %s", opt.also);
		close(group2);
	}
	nth_arm(&opt, "detach");
	err = ioctl(group, VFIO_GROUP_UNSET_CONTAINER) ? errno : 0;
	nth_disarm(&opt, "detach");
	if (err)
		die(err, "VFIO_GROUP_UNSET_CONTAINER");
	if (pt >= 0) {
		struct hv_vmm_device dev = { .fd = group };

		if (ioctl(pt, HV_VMM_DETACH_DEVICE, &dev))
			die(errno, "HV_VMM_DETACH_DEVICE");
		close(vp);
		close(pt);
	}
	close(group);
	close(container);
	if (hvvmm >= 0)
		close(hvvmm);
	munmap(buf, opt.size);
	printf("done\n");
	return 0;
}
