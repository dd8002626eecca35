// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-client --iommufd: the same steps as the type1 mode, the way a VMM
 * using iommufd (QEMU's iommufd backend) drives them:
 *
 *   open /dev/iommu, IOMMU_IOAS_ALLOC, open the device's VFIO cdev
 *   (/dev/vfio/devices/vfioN), VFIO_DEVICE_BIND_IOMMUFD, then
 *   VFIO_DEVICE_ATTACH_IOMMUFD_PT to the IOAS (iommufd allocates and fills
 *   an automatic HWPT) or, with --hwpt, to an HWPT from IOMMU_HWPT_ALLOC;
 *   IOMMU_IOAS_MAP the buffer in chunks (before the attach with
 *   --map-before-attach: the domain is filled before its first attach and
 *   the driver replays it), with --replace attach a second HWPT of the IOAS
 *   while attached (iommu_group_replace_domain(): paging to paging), unmap
 *   (--partial-unmap first: it must cover whole chunks, iommufd does not
 *   split an area), VFIO_DEVICE_DETACH_IOMMUFD_PT, IOMMU_DESTROY the HWPTs
 *   (the domains' free), close the device (unbind), the IOAS and /dev/iommu.
 *
 * Stage commands: --before-set-iommu and --after-set-iommu run around the
 * attach (after the HWPT's allocation), --after-set-iommu-fail after an
 * expected attach failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "client.h"

/* /dev/vfio/devices/vfioN of a PCI device, from sysfs (vfio-dev/vfioN). */
static void device_cdev(const char *bdf, char *path, size_t size)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dh;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	dh = opendir(dir);
	if (!dh)
		die(errno, "%s: no VFIO cdev (%s; vfio-pci bound, CONFIG_VFIO_DEVICE_CDEV?)",
		    bdf, dir);
	while ((d = readdir(dh)))
		if (!strncmp(d->d_name, "vfio", 4))
			break;
	if (!d)
		die(0, "%s: %s lists no vfioN", bdf, dir);
	snprintf(path, size, "/dev/vfio/devices/%s", d->d_name);
	closedir(dh);
}

static uint32_t hwpt_alloc(int iommufd, uint32_t devid, uint32_t ioas)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd), .dev_id = devid, .pt_id = ioas,
	};

	if (ioctl(iommufd, IOMMU_HWPT_ALLOC, &cmd))
		die(errno, "IOMMU_HWPT_ALLOC dev %u ioas %u", devid, ioas);
	printf("hwpt: %u\n", cmd.out_hwpt_id);
	return cmd.out_hwpt_id;
}

static void destroy(int iommufd, uint32_t id, const char *what)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	if (ioctl(iommufd, IOMMU_DESTROY, &cmd))
		die(errno, "IOMMU_DESTROY %s %u", what, id);
}

/* Attach the device to @pt; returns 0 (*@pt set to the HWPT) or an errno. */
static int attach(int device, uint32_t *pt)
{
	struct vfio_device_attach_iommufd_pt cmd = {
		.argsz = sizeof(cmd), .pt_id = *pt,
	};

	if (ioctl(device, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd))
		return errno;
	*pt = cmd.pt_id;
	return 0;
}

/* IOMMU_IOAS_MAP [vaddr, +size) at iova in opt->chunks calls; 0 or errno. */
static int ioas_map(int iommufd, uint32_t ioas, const struct options *opt,
		    char *buf)
{
	uint64_t chunk = opt->size / opt->chunks;
	double t0 = now();
	unsigned int i;

	nth_arm(opt, "map");
	for (i = 0; i < opt->chunks; i++) {
		struct iommu_ioas_map cmd = {
			.size = sizeof(cmd),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = ioas,
			.user_va = (uintptr_t)buf + i * chunk,
			.length = chunk,
			.iova = opt->iova + i * chunk,
		};

		if (ioctl(iommufd, IOMMU_IOAS_MAP, &cmd)) {
			int err = errno;

			nth_disarm(opt, "map");
			if (!opt->expect_map_fail)
				die(err, "IOMMU_IOAS_MAP iova 0x%llx size 0x%llx (chunk %u of %u)",
				    (unsigned long long)cmd.iova,
				    (unsigned long long)chunk, i + 1, opt->chunks);
			printf("map-failed: chunk %u of %u iova 0x%llx: %s\n",
			       i + 1, opt->chunks, (unsigned long long)cmd.iova,
			       strerror(err));
			return err;
		}
	}
	nth_disarm(opt, "map");
	printf("mapped: iova 0x%llx bytes %llu calls %u seconds %.6f\n",
	       (unsigned long long)opt->iova, (unsigned long long)opt->size,
	       opt->chunks, now() - t0);
	return 0;
}

static void ioas_unmap(const struct options *opt, int iommufd, uint32_t ioas,
		       uint64_t iova, uint64_t size, uint64_t expect,
		       const char *what, const char *stage)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .iova = iova,
		.length = size,
	};
	double t0 = now();
	int err;

	nth_arm(opt, stage);
	err = ioctl(iommufd, IOMMU_IOAS_UNMAP, &cmd) ? errno : 0;
	nth_disarm(opt, stage);
	if (err)
		die(err, "IOMMU_IOAS_UNMAP (%s) iova 0x%llx size 0x%llx", what,
		    (unsigned long long)iova, (unsigned long long)size);
	if (cmd.length != expect)
		die(0, "IOMMU_IOAS_UNMAP (%s) iova 0x%llx: unmapped 0x%llx bytes, expected 0x%llx",
		    what, (unsigned long long)iova,
		    (unsigned long long)cmd.length, (unsigned long long)expect);
	printf("unmapped: %s iova 0x%llx bytes %llu seconds %.6f\n", what,
	       (unsigned long long)iova, (unsigned long long)cmd.length,
	       now() - t0);
}

/* The attach of a second HWPT while attached; 0 if it was attached. */
static int replace(const struct options *opt, int iommufd, int device,
		   uint32_t devid, uint32_t ioas, uint32_t *hwpt2)
{
	uint32_t pt;
	int err;

	nth_arm(opt, "replace");
	*hwpt2 = hwpt_alloc(iommufd, devid, ioas);
	pt = *hwpt2;
	err = attach(device, &pt);
	nth_disarm(opt, "replace");
	if (err) {
		if (!opt->expect_replace_fail)
			die(err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT (replace) hwpt %u", *hwpt2);
		printf("replace-failed: %s\n", strerror(err));
	} else {
		if (opt->expect_replace_fail && !opt->may_fail)
			die(0, "the replace succeeded, --expect-replace-fail wanted a failure");
		printf("replaced: hwpt %u\n", pt);
	}
	run_cmd("after-replace", opt->after_replace);
	return !err;
}

/**
 * iommufd_main() - the client in iommufd mode
 * @opt: the parsed options (--iommufd).
 *
 * Return: the exit status (0); every failure exits through die().
 */
int iommufd_main(struct options *opt)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct iommu_ioas_alloc ia = { .size = sizeof(ia) };
	struct vfio_device_detach_iommufd_pt detach = { .argsz = sizeof(detach) };
	uint32_t pt, hwpt = 0, hwpt2 = 0;
	int iommufd, device, err;
	char cdev[PATH_MAX];
	char *buf;

	iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (iommufd < 0)
		die(errno, "open /dev/iommu (a kernel with CONFIG_IOMMUFD)");
	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &ia))
		die(errno, "IOMMU_IOAS_ALLOC");
	device_cdev(opt->bdf, cdev, sizeof(cdev));
	device = open(cdev, O_RDWR | O_CLOEXEC);
	if (device < 0)
		die(errno, "open %s (is %s bound to vfio-pci?)", cdev, opt->bdf);
	bind.iommufd = iommufd;
	if (ioctl(device, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		die(errno, "VFIO_DEVICE_BIND_IOMMUFD %s", cdev);
	printf("iommufd: ioas %u devid %u cdev %s\n", ia.out_ioas_id,
	       bind.out_devid, cdev);

	if (setenv("HV_VFIO_BDF", opt->bdf, 1))
		die(errno, "setenv");
	setenv_u64("HV_VFIO_GROUP", (uint64_t)device_group(opt->bdf), 0);
	setenv_u64("HV_VFIO_IOVA", opt->iova, 1);
	setenv_u64("HV_VFIO_SIZE", opt->size, 0);
	setenv_u64("HV_VFIO_PID", (uint64_t)getpid(), 0);

	buf = buffer_alloc(opt);
	if (opt->map_before_attach) {
		run_cmd("before-map", opt->before_map);
		if (ioas_map(iommufd, ia.out_ioas_id, opt, buf)) {
			run_cmd("after-map-fail", opt->after_map_fail);
			return 0;
		}
	}

	/* An HWPT is filled with the IOAS's maps as it is allocated. */
	pt = ia.out_ioas_id;
	if (opt->hwpt) {
		nth_arm(opt, "hwpt");
		pt = hwpt = hwpt_alloc(iommufd, bind.out_devid, ia.out_ioas_id);
		nth_disarm(opt, "hwpt");
	}
	run_cmd("before-set-iommu", opt->before_set_iommu);
	nth_arm(opt, "attach");
	err = attach(device, &pt);
	nth_disarm(opt, "attach");
	if (err) {
		if (!opt->expect_set_iommu_fail)
			die(err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT pt %u", pt);
		printf("set-iommu-failed: %s\n", strerror(err));
		run_cmd("after-set-iommu-fail", opt->after_set_iommu_fail);
		return 0;
	}
	if (opt->expect_set_iommu_fail && !opt->may_fail)
		die(0, "the attach succeeded, --expect-set-iommu-fail wanted a failure");
	printf("attached: hwpt %u\n", pt);
	run_cmd("after-set-iommu", opt->after_set_iommu);

	if (!opt->map_before_attach) {
		run_cmd("before-map", opt->before_map);
		if (ioas_map(iommufd, ia.out_ioas_id, opt, buf)) {
			run_cmd("after-map-fail", opt->after_map_fail);
			return 0;
		}
	}
	if (opt->expect_file)
		write_expect(opt->expect_file, opt, buf);
	run_cmd("while-mapped", opt->while_mapped);

	if (opt->replace)
		replace(opt, iommufd, device, bind.out_devid, ia.out_ioas_id,
			&hwpt2);

	if (opt->partial) {
		ioas_unmap(opt, iommufd, ia.out_ioas_id,
			   opt->iova + opt->partial_off, opt->partial_len,
			   opt->partial_len, "partial", "partial");
		run_cmd("after-partial", opt->after_partial);
	}
	ioas_unmap(opt, iommufd, ia.out_ioas_id, opt->iova, opt->size,
		   opt->size - (opt->partial ? opt->partial_len : 0), "all",
		   "unmap");
	run_cmd("after-unmap", opt->after_unmap);

	/* Detach (the blocked domain), then the HWPTs go: the domains' free. */
	nth_arm(opt, "detach");
	err = ioctl(device, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach) ? errno : 0;
	nth_disarm(opt, "detach");
	if (err)
		die(err, "VFIO_DEVICE_DETACH_IOMMUFD_PT");
	if (hwpt2)
		destroy(iommufd, hwpt2, "hwpt");
	if (hwpt)
		destroy(iommufd, hwpt, "hwpt");
	close(device);
	destroy(iommufd, ia.out_ioas_id, "ioas");
	close(iommufd);
	munmap(buf, opt->size);
	printf("done\n");
	return 0;
}
