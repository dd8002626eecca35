// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_monitor.c - hvctl monitor [--json]: hv_iommu's events as they come,
 * one line (or one JSON object per line) each, with the kernel's time
 * stamp, as `ip monitor` and `devlink monitor` print them. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cmds.h"
#include "err.h"
#include "nl.h"

static volatile sig_atomic_t monitor_stop;

static void monitor_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* "2026-11-22T07:58:01.123456Z" for NS since the epoch. */
static void format_time(uint64_t ns, char *buf, size_t len)
{
	time_t s = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	gmtime_r(&s, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06uZ", (unsigned)(ns % 1000000000u / 1000u));
}

/* The event's fields as KEY and value, in print order; numbers < 0 absent. */
struct field {
	const char *key;
	int64_t num;
	const char *str;
	int hex;
};

static size_t event_fields(const struct nl_event *ev, struct field *f)
{
	size_t n = 0;

#define NUM(k, v, h) do { if ((v) >= 0) f[n++] = (struct field){ k, v, NULL, h }; } while (0)
#define STR(k, v) do { if (v) f[n++] = (struct field){ k, -1, v, 0 }; } while (0)
	NUM("domain", ev->domain, 0);
	STR("bdf", ev->bdf);
	NUM("hv_status", ev->hv_status, 1);
	NUM("partition", ev->partition, 0);
	NUM("calls", ev->calls, 0);
	NUM("bytes", ev->bytes, 0);
	STR("reason", ev->reason);
	STR("skip_list", ev->skip_list);
	STR("entry", ev->skip_entry);
	STR("origin", ev->skip_origin);
	STR("change", ev->skip_change);
	NUM("gpa", ev->gpa, 1);
	NUM("size", ev->size, 0);
	NUM("dropped", ev->dropped, 0);
#undef NUM
#undef STR
	return n;
}

static int print_event(const struct nl_event *ev, void *arg)
{
	const int *json = arg;
	struct field f[16];
	size_t i, n = event_fields(ev, f);
	char ts[40];
	json_object *o;

	format_time(ev->time_ns, ts, sizeof(ts));
	if (*json) {
		o = json_object_new_object();
		if (!o)
			return hv_err_nomem();
		json_object_object_add(o, "time", json_object_new_string(ts));
		json_object_object_add(o, "event", json_object_new_string(ev->type));
		for (i = 0; i < n; i++)
			json_object_object_add(o, f[i].key, f[i].str ?
					       json_object_new_string(f[i].str) :
					       json_object_new_int64(f[i].num));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		printf("%s %s", ts, ev->type);
		for (i = 0; i < n; i++) {
			if (f[i].str)
				printf(" %s=%s", f[i].key, f[i].str);
			else
				printf(f[i].hex ? " %s=0x%" PRIx64 : " %s=%" PRId64, f[i].key, f[i].num);
		}
		putchar('\n');
	}
	/* A reader on a pipe sees each event when it happens. */
	if (fflush(stdout) == EOF)
		return hv_err("writing events: %s", strerror(errno));
	return 0;
}

/* hvctl monitor: runs until SIGINT, SIGTERM or a write error. */
int cmd_monitor(const struct opts *o, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = monitor_signal };
	struct outopts rest = o->out;
	struct nl_monitor *m;
	struct pollfd pfd;
	int json = o->out.json, r = 0;

	rest.json = 0;
	if (no_more_args("monitor", argc, argv, 0) || no_output_options("monitor (but --json)", &rest))
		return HV_EXIT_USAGE;
	m = nl_monitor_open();
	if (!m)
		return HV_EXIT_FAIL;
	/* libnl retries an interrupted recvmsg: wait in poll(), which a
	 * signal ends, and read only what is there. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pfd.fd = nl_monitor_fd(m);
	pfd.events = POLLIN;
	while (!monitor_stop && !r) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno != EINTR)
				r = hv_err("poll: %s", strerror(errno));
			continue;
		}
		r = nl_monitor_read(m, 1, print_event, &json);
	}
	nl_monitor_close(m);
	return r ? HV_EXIT_FAIL : HV_EXIT_OK;
}
