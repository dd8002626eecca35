// SPDX-License-Identifier: GPL-2.0-or-later
/* fixture.c - fake hv_iommu tree and hvctl runner (see fixture.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"

/* The tree: contents follow the examples of doc/interfaces.md. */
static const struct {
	const char *path;
	const char *content;
} files[] = {
	{ "/proc/self/mountinfo",
	  "22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	  "33 22 0:7 / /sys/kernel/debug rw,nosuid,nodev,noexec,relatime shared:15 - debugfs debugfs rw\n" },
	{ "/sys/module/hv_iommu/parameters/pci_devs_to_skip", "(0000:00:05.0)\n" },
	{ "/sys/module/hv_iommu/parameters/attach_mode", "auto\n" },
	{ "/sys/module/hv_iommu/parameters/backend", "auto\n" },
	{ "/sys/class/iommu/hv_iommu/backend", "sim\n" },
	{ "/sys/class/iommu/hv_iommu/role", "root\n" },
	{ "/sys/class/iommu/hv_iommu/domains_in_use", "4\n" },
	{ "/sys/class/iommu/hv_iommu/skip", "0000:00:05.0 boot\n" },
	{ "/sys/class/iommu/hv_iommu/skip_add", "" },
	{ "/sys/class/iommu/hv_iommu/skip_remove", "" },
	/* virtio-net: named by hwdb where the host has one */
	{ "/sys/bus/pci/devices/0000:00:03.0/modalias",
	  "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n" },
	/* a vendor/device hwdb does not know: "f00d:abcd" */
	{ "/sys/bus/pci/devices/0000:00:05.0/modalias",
	  "pci:v0000F00Dd0000ABCDsv00000000sd00000000bcFFsc00i00\n" },
	{ "/sys/bus/pci/devices/0000:00:06.0/modalias",
	  "pci:v0000F00Dd0000ABCEsv00000000sd00000000bcFFsc00i00\n" },
	{ "/sys/kernel/debug/hv_iommu/domains",
	  "id=0 type=identity mode=domain partition=self devices=0000:00:02.0,0000:00:04.0 mapped_bytes=0 mappings=0\n"
	  "id=4294967295 type=blocked mode=domain partition=self devices=- mapped_bytes=0 mappings=0\n"
	  "id=1 type=paging mode=domain partition=self devices=0000:00:03.0 mapped_bytes=67108864 mappings=12 newkey=1\n"
	  "id=2 type=paging mode=direct partition=7 devices=0000:00:05.0 mapped_bytes=4096 mappings=1\n"
	  "id=3 type=paging mode=none partition=- devices=- mapped_bytes=0 mappings=0\n"
	  "id=4 type=paging mode=domain partition=self devices=0000:00:06.0 mapped_bytes=0 mappings=0 state=stranded\n" },
	{ "/sys/kernel/debug/hv_iommu/devices",
	  "bdf=0000:00:03.0 device_id=0x4000000000000018 domain=1 state=attached status=0x0\n"
	  "bdf=0000:00:05.0 device_id=0x4000000000000028 domain=2 state=attached status=0x0 logical_id=0x28\n"
	  "bdf=0000:00:06.0 device_id=0x4000000000000030 domain=4 state=detach-failed status=0x19\n" },
	{ "/sys/kernel/debug/hv_iommu/skipped",
	  "bdf=0000:00:05.0 reason=pci_devs_to_skip\n"
	  "bdf=0000:00:08.0 reason=pci_devs_to_skip\n" },
	{ "/sys/kernel/debug/hv_iommu/stats",
	  "call name=map_device_gpa_pages code=0xb3 calls=130 reps=65536 failures=0\n"
	  "call name=unmap_device_gpa_pages code=0xb4 calls=3 reps=512 failures=1\n"
	  "status name=HV_STATUS_INSUFFICIENT_MEMORY code=0xb count=2\n"
	  "deposits calls=2 pages=512\n"
	  "resumes count=7\n"
	  "pinned_leaked pages=3\n" },
	{ "/sys/kernel/debug/hv_iommu/mappings/1",
	  "0x0000000100000000-0x00000001001fffff 0x000000012c400000 rw\n"
	  "0x0000000100200000-0x0000000100200fff 0x0000000200000000 r\n" },
	{ "/sys/kernel/debug/hv_iommu/mappings/2",
	  "0x0000000000001000-0x0000000000001fff 0x0000000000042000 rw\n" },
	{ "/sys/kernel/debug/hv_iommu/mappings/3", "" },
	/* what list-devices reads besides the modalias */
	{ "/sys/bus/pci/devices/0000:00:03.0/numa_node", "0\n" },
	{ "/sys/bus/pci/devices/0000:00:03.0/net/eth0/ifindex", "2\n" },
	{ "/sys/bus/pci/devices/0000:00:05.0/numa_node", "-1\n" },
	{ "/sys/kernel/security/lockdown", "[none] integrity confidentiality\n" },
};

/* Links, as sysfs has them (targets relative to the device directory). */
static const struct {
	const char *path;
	const char *target;
} links[] = {
	{ "/sys/bus/pci/devices/0000:00:03.0/driver", "../../../bus/pci/drivers/virtio-pci" },
	{ "/sys/bus/pci/devices/0000:00:03.0/iommu_group", "../../../kernel/iommu_groups/3" },
	{ "/sys/bus/pci/devices/0000:00:05.0/driver", "../../../bus/pci/drivers/vfio-pci" },
	{ "/sys/bus/pci/devices/0000:00:05.0/iommu_group", "../../../kernel/iommu_groups/5" },
};

/* mkdir -p of the parent directories of PATH. */
static void mkparents(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
}

void fx_write(const char *root, const char *rel, const char *content)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	mkparents(p);
	f = fopen(p, "w");
	if (!f)
		fail_msg("create %s: %s", p, strerror(errno));
	fputs(content, f);
	if (fclose(f))
		fail_msg("write %s: %s", p, strerror(errno));
	chmod(p, 0644);
}

char *fx_read(const char *root, const char *rel)
{
	char p[PATH_MAX];
	char *buf = NULL;
	size_t cap = 0, len = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	f = fopen(p, "r");
	if (!f)
		fail_msg("open %s: %s", p, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			cap += 4096;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

void fx_remove(const char *root, const char *rel)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s%s'", root, rel);
	if (system(cmd))
		fail_msg("%s failed", cmd);
}

void fx_chmod(const char *root, const char *rel, unsigned mode)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	if (chmod(p, mode))
		fail_msg("chmod %s: %s", p, strerror(errno));
}

char *fx_create(void)
{
	const char *tmp = getenv("TMPDIR");
	char *root;
	size_t i;

	if (asprintf(&root, "%s/hvctl-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		fail_msg("asprintf");
	if (!mkdtemp(root))
		fail_msg("mkdtemp %s: %s", root, strerror(errno));
	chmod(root, 0755);	/* traversable by the unprivileged child */
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		fx_write(root, files[i].path, files[i].content);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s%s", root, links[i].path);
		if (symlink(links[i].target, p))
			fail_msg("symlink %s: %s", p, strerror(errno));
	}
	return root;
}

void fx_destroy(char *root)
{
	fx_remove(root, "");
	free(root);
}

int fx_run(const char *root, int as_nobody, char **out, char **err, ...)
{
	const char *hvctl = getenv("HVCTL");
	char *argv[32];
	char outp[PATH_MAX], errp[PATH_MAX], bin[PATH_MAX];
	int argc = 0, status;
	va_list ap;
	pid_t pid;

	if (!hvctl || !*hvctl)
		fail_msg("HVCTL (path of the built hvctl) is not set; run via make check");
	if (as_nobody && geteuid() == 0) {
		/* a copy the unprivileged user can execute wherever the build is */
		char cmd[3 * PATH_MAX];

		snprintf(bin, sizeof(bin), "%s/hvctl.bin", root);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0755 '%s'", hvctl, bin, bin);
		if (system(cmd))
			fail_msg("%s failed", cmd);
		hvctl = bin;
	}
	argv[argc++] = (char *)hvctl;
	va_start(ap, err);
	for (;;) {
		char *a = va_arg(ap, char *);

		if (!a || argc == 31)
			break;
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	snprintf(outp, sizeof(outp), "%s.stdout", root);
	snprintf(errp, sizeof(errp), "%s.stderr", root);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		setenv("HVCTL_ROOT", root, 1);
		setenv("LC_ALL", "C", 1);
		if (as_nobody && geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*out = fx_read("", outp);
	*err = fx_read("", errp);
	unlink(outp);
	unlink(errp);
	if (!WIFEXITED(status))
		fail_msg("hvctl died with signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}
