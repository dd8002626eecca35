// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_metrics.c - metrics: status in the Prometheus text exposition format
 * (node_exporter's textfile collector reads it: hvctl metrics > FILE.prom).
 *
 * Names follow Prometheus conventions: hv_iommu_ prefix, counters end in
 * _total, units as suffixes (_bytes, _pages).  Label values are BDFs, call
 * and status names, domain ids: never quotes, backslashes or newlines, so
 * they need no escaping; label_value() escapes anyway, as the format asks.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "err.h"
#include "status.h"

/* Writes S escaped for a label value (\\, \", \n) to F. */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* "# HELP" and "# TYPE" lines of metric NAME. */
static void metric_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample without labels. */
static void metric_one(FILE *f, const char *name, const char *type, const char *help,
		       uint64_t v)
{
	metric_head(f, name, type, help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

/* NAME{KEY="VAL"} V. */
static void sample1(FILE *f, const char *name, const char *key, const char *val, uint64_t v)
{
	fprintf(f, "%s{%s=\"", name, key);
	label_value(f, val);
	fprintf(f, "\"} %" PRIu64 "\n", v);
}

/* The hypercall counters of S. */
static void metrics_calls(FILE *f, const struct status *s)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} per_call[] = {
		{ "hv_iommu_hypercalls_total", "Hypercalls issued, each re-issue counted.",
		  offsetof(struct hv_stat_call, calls) },
		{ "hv_iommu_hypercall_reps_total", "Rep hypercall repetitions completed.",
		  offsetof(struct hv_stat_call, reps) },
		{ "hv_iommu_hypercall_failures_total", "Hypercalls that returned a status other than success.",
		  offsetof(struct hv_stat_call, failures) },
	};
	size_t m, i;

	for (m = 0; m < ARRAY_SIZE(per_call); m++) {
		metric_head(f, per_call[m].name, "counter", per_call[m].help);
		for (i = 0; i < s->stats.ncalls; i++)
			sample1(f, per_call[m].name, "call", s->stats.calls[i].name,
				*(const uint64_t *)((const char *)&s->stats.calls[i] + per_call[m].off));
	}
	metric_head(f, "hv_iommu_hypercall_status_total", "counter",
		    "Non-success hypercall statuses seen, by HV_STATUS.");
	for (i = 0; i < s->stats.nstatuses; i++)
		sample1(f, "hv_iommu_hypercall_status_total", "status",
			s->stats.statuses[i].name, s->stats.statuses[i].count);
	metric_one(f, "hv_iommu_deposit_calls_total", "counter",
		   "HVCALL_DEPOSIT_MEMORY calls.", s->stats.deposit_calls);
	metric_one(f, "hv_iommu_deposit_pages_total", "counter",
		   "Pages (4 KiB) deposited with the hypervisor.", s->stats.deposit_pages);
	metric_one(f, "hv_iommu_resumes_total", "counter",
		   "Hypercalls re-issued after a time-slice return.", s->stats.resumes);
}

/* Domains and devices of S. */
static void metrics_domains(FILE *f, const struct status *s)
{
	static const char *const types[] = { "identity", "blocked", "paging" };
	const uint64_t counts[] = { s->identity, s->blocked, s->paging };
	size_t i;

	metric_head(f, "hv_iommu_domains", "gauge", "Domains by type (debugfs domains).");
	for (i = 0; i < ARRAY_SIZE(types); i++)
		sample1(f, "hv_iommu_domains", "type", types[i], counts[i]);
	metric_one(f, "hv_iommu_stranded_domains", "gauge",
		   "Domains freed by the kernel that the hypervisor still holds.", s->stranded);
	metric_head(f, "hv_iommu_domain_mapped_bytes", "gauge", "Bytes mapped in each domain.");
	for (i = 0; i < s->domains.n; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%" PRIu64, s->domains.v[i].id);
		sample1(f, "hv_iommu_domain_mapped_bytes", "domain", id, s->domains.v[i].mapped_bytes);
	}
	metric_head(f, "hv_iommu_domain_mappings", "gauge", "Mappings (IOVA ranges) in each domain.");
	for (i = 0; i < s->domains.n; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%" PRIu64, s->domains.v[i].id);
		sample1(f, "hv_iommu_domain_mappings", "domain", id, s->domains.v[i].mappings);
	}
	metric_one(f, "hv_iommu_skipped_devices", "gauge",
		   "Devices hv_iommu declined at probe (debugfs skipped).", s->skipped.n);
	metric_head(f, "hv_iommu_device_skipped", "gauge",
		    "1 for each device hv_iommu declined at probe, with the reason.");
	for (i = 0; i < s->skipped.n; i++) {
		char bdf[BDF_STRLEN];

		bdf_format(&s->skipped.v[i].bdf, bdf);
		fprintf(f, "hv_iommu_device_skipped{bdf=\"%s\",reason=\"", bdf);
		label_value(f, s->skipped.v[i].reason);
		fputs("\"} 1\n", f);
	}
	metric_one(f, "hv_iommu_detach_failed_devices", "gauge",
		   "Devices whose last detach the hypervisor refused.", s->detach_failed);
	metric_head(f, "hv_iommu_device_detach_failed", "gauge",
		    "1 for each device whose last detach the hypervisor refused.");
	for (i = 0; i < s->devices.n; i++) {
		char bdf[BDF_STRLEN];

		if (!strcmp(s->devices.v[i].state, "attached"))
			continue;
		bdf_format(&s->devices.v[i].bdf, bdf);
		sample1(f, "hv_iommu_device_detach_failed", "bdf", bdf, 1);
	}
}

/* hvctl metrics: sysfs facts always; debugfs ones when it can be read. */
int cmd_metrics(const struct opts *o, int argc, char **argv)
{
	FILE *f = o->out.out;
	struct status s;
	size_t i;

	if (no_more_args("metrics", argc, argv, 0))
		return HV_EXIT_USAGE;
	if (no_output_options("metrics", &o->out))
		return HV_EXIT_USAGE;
	if (status_read(&s, "domain, device and hypercall metrics"))
		return HV_EXIT_FAIL;
	metric_head(f, "hv_iommu_info", "gauge", "Backend and attach mode of hv_iommu (always 1).");
	fputs("hv_iommu_info{backend=\"", f);
	label_value(f, s.backend);
	fputs("\",attach_mode=\"", f);
	label_value(f, s.attach_mode);
	fputs("\"} 1\n", f);
	metric_one(f, "hv_iommu_debugfs_readable", "gauge",
		   "1 when hv_iommu's debugfs could be read (else only sysfs metrics follow).",
		   (uint64_t)s.have_debugfs);
	metric_one(f, "hv_iommu_domains_in_use", "gauge",
		   "Paging domains allocated and not freed (sysfs).", s.domains_in_use);
	metric_one(f, "hv_iommu_skip_devices", "gauge",
		   "Devices in pci_devs_to_skip.", s.skip.n);
	metric_head(f, "hv_iommu_skip_device", "gauge", "1 for each device in pci_devs_to_skip.");
	for (i = 0; i < s.skip.n; i++) {
		char bdf[BDF_STRLEN];

		bdf_format(&s.skip.v[i], bdf);
		sample1(f, "hv_iommu_skip_device", "bdf", bdf, 1);
	}
	if (s.have_debugfs) {
		metrics_domains(f, &s);
		metrics_calls(f, &s);
	}
	status_free(&s);
	return HV_EXIT_OK;
}
