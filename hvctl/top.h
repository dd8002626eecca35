/* SPDX-License-Identifier: GPL-2.0-or-later */
/* top.h - hvctl top's figures and screen lines, apart from ncurses.
 *
 * A sample is the driver's state (status_read: netlink when the family is
 * there, else debugfs) plus hv_vmm's SynIC table and guest memory regions
 * (the MMIO ones are shown); rates come from two
 * samples (hypercalls per call code) and from the map and unmap events seen
 * between them (per domain; "-" without the netlink family).  top_lines()
 * lays out one screen as text lines, which the ncurses view draws and
 * --batch prints, so both show the same.
 */
#ifndef HVCTL_TOP_H
#define HVCTL_TOP_H

#include <stddef.h>
#include <stdint.h>

#include "debugfs.h"
#include "nl.h"
#include "status.h"

/* Map and unmap traffic of one domain over an interval (from events). */
struct top_traffic {
	uint64_t domain;
	uint64_t map_calls, map_bytes, unmap_calls, unmap_bytes;
};

struct top_sample {
	struct status st;
	struct synic_list synic;	/* empty when hv_vmm is not loaded */
	struct region_list regions;	/* hv_vmm's guest memory regions */
	char mmio_mode[16];		/* hv_vmm's mmio_mode, "" without it */
	double t;			/* CLOCK_MONOTONIC seconds */
};

struct top_model {
	struct top_sample prev, cur;
	int have_prev;
	int have_events;		/* a monitor socket feeds the traffic */
	struct top_traffic *traffic;	/* this interval's, per domain */
	size_t ntraffic;
	struct top_traffic *rate;	/* last interval's, per second */
	size_t nrate;
	uint64_t events;		/* events seen since start */
	uint64_t dropped;		/* events the kernel could not send */
};

enum top_screen { TOP_MAIN, TOP_DOMAIN, TOP_DEVICE, TOP_HELP };
enum top_sort { TOP_SORT_ID, TOP_SORT_MAPPED, TOP_SORT_MAPRATE, TOP_SORT_NR };

struct top_view {
	enum top_screen screen;
	enum top_sort sort;		/* domains; hypercalls always by calls/s */
	char filter[64];		/* substring of the row text, "" for all */
	int paused;
	double delay;			/* seconds between samples */
	size_t cursor;			/* selected domain (main) or device (domain) row */
	uint64_t domain;		/* drilled-into domain */
	char device[16];		/* drilled-into device BDF */
	const char *message;		/* one-line note for the status line, or NULL */
};

/* Line kinds, for the screen's attributes. */
enum top_attr { TOP_TEXT, TOP_TITLE, TOP_HEADER, TOP_SELECTED };

/* Takes a new sample; the old one becomes prev.  Returns 0 or -1
 * (reported). */
int top_sample(struct top_model *m);
/* Counts a map/unmap event (others are only counted); for nl_monitor_read. */
int top_event(const struct nl_event *ev, void *model);
void top_model_free(struct top_model *m);

/* Lays out screen V of M, WIDTH columns and at most ROWS lines (0: no
 * limit), calling LINE for each; returns the number of selectable rows of
 * the screen (for the cursor). */
size_t top_lines(const struct top_model *m, const struct top_view *v, int width, int rows,
		 void (*line)(int row, enum top_attr attr, const char *text, void *arg),
		 void *arg);

/* The domain id at selectable row I of the main screen (after sort and
 * filter), or -1. */
int64_t top_domain_at(const struct top_model *m, const struct top_view *v, size_t i);
/* The device BDF at selectable row I of domain screen V, or NULL. */
const char *top_device_at(const struct top_model *m, const struct top_view *v, size_t i,
			  char buf[16]);

#endif
