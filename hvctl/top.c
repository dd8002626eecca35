// SPDX-License-Identifier: GPL-2.0-or-later
/* top.c - hvctl top: the live ncurses view (kvm_stat-like) and --batch.
 *
 * The loop waits in poll() on the terminal and the event socket until the
 * next sample is due: a key is handled at once, events count map and unmap
 * traffic and refresh the figures (at most every 200 ms), the interval
 * takes a new sample.  The terminal is restored on every way out: normal
 * exit, errors (atexit), SIGINT/SIGTERM/SIGHUP/SIGQUIT (a flag the loop
 * sees) and fatal signals (endwin, then the default action). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "cmds.h"
#include "err.h"
#include "paths.h"
#include "top.h"

#define TOP_DELAY_DEFAULT	2.0
#define TOP_DELAY_MIN		0.1
#define TOP_DELAY_MAX		3600.0
#define TOP_EVENT_REDRAW	0.2	/* seconds between event-driven samples */

static volatile sig_atomic_t top_stop;
static int curses_on;

static void top_endwin(void)
{
	if (curses_on) {
		curses_on = 0;
		curs_set(1);
		endwin();
	}
}

static void top_quit_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

/* A crash must not leave the terminal in raw mode: restore, then die as
 * the signal says (endwin is not async-signal-safe; it is the best left). */
static void top_fatal_signal(int sig)
{
	top_endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_delay(const char *s, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !(d >= TOP_DELAY_MIN && d <= TOP_DELAY_MAX))
		return -1;
	*out = d;
	return 0;
}

/* Drains pending events into M (no socket: nothing). */
static int drain_events(struct nl_monitor *mon, struct top_model *m)
{
	return mon ? nl_monitor_read(mon, 1, top_event, m) : 0;
}

/* ---- --batch ---------------------------------------------------------- */

static void batch_line(int row, enum top_attr attr, const char *text, void *arg)
{
	(void)row;
	(void)attr;
	(void)arg;
	puts(text);
}

/* Two samples DELAY apart (the events between them give the map rates),
 * then one screen on stdout, as kvm_stat -1 prints one set of figures. */
static int top_batch(struct top_model *m, struct top_view *v, struct nl_monitor *mon)
{
	struct timespec ts = { (time_t)v->delay, (long)((v->delay - (double)(time_t)v->delay) * 1e9) };

	if (top_sample(m))
		return HV_EXIT_FAIL;
	nanosleep(&ts, NULL);
	if (drain_events(mon, m) || top_sample(m))
		return HV_EXIT_FAIL;
	top_lines(m, v, 0, 0, batch_line, NULL);
	return HV_EXIT_OK;
}

/* ---- the ncurses view ------------------------------------------------- */

static void curses_line(int row, enum top_attr attr, const char *text, void *arg)
{
	int a = attr == TOP_TITLE ? A_BOLD : attr == TOP_HEADER ? A_REVERSE :
		attr == TOP_SELECTED ? A_STANDOUT : A_NORMAL;

	(void)arg;
	attron(a);
	mvaddnstr(row, 0, text, COLS);
	attroff(a);
}

/* Draws the screen; returns the number of selectable rows. */
static size_t draw(const struct top_model *m, const struct top_view *v)
{
	size_t n;

	erase();
	n = top_lines(m, v, COLS, LINES - 1, curses_line, NULL);
	attron(A_REVERSE);
	mvaddnstr(LINES - 1, 0, v->message ? v->message :
		  "h help  q quit  s sort  f filter  p pause  d interval  Enter drill down  Esc back",
		  COLS);
	attroff(A_REVERSE);
	refresh();
	return n;
}

/* Reads a line at the bottom after PROMPT into BUF; "" when cancelled. */
static void prompt(const char *what, char *buf, int len)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	addnstr(what, COLS);
	attroff(A_BOLD);
	echo();
	curs_set(1);
	nodelay(stdscr, FALSE);
	if (getnstr(buf, len - 1) == ERR)
		buf[0] = '\0';
	nodelay(stdscr, TRUE);
	curs_set(0);
	noecho();
}

/* Handles key CH; returns 1 to quit, 2 to take a sample now, else 0. */
static int handle_key(int ch, struct top_model *m, struct top_view *v, size_t rows)
{
	char buf[64], bdf[16];
	int64_t id;

	v->message = NULL;
	if (v->screen == TOP_HELP) {
		v->screen = TOP_MAIN;
		return 0;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		return 1;
	case 'h':
	case '?':
		v->screen = TOP_HELP;
		break;
	case 's':
		v->sort = (v->sort + 1) % TOP_SORT_NR;
		break;
	case 'f':
		prompt("filter (substring, empty for all): ", buf, sizeof(buf));
		snprintf(v->filter, sizeof(v->filter), "%s", buf);
		v->cursor = 0;
		break;
	case 'p':
	case ' ':
		v->paused = !v->paused;
		break;
	case 'd':
		prompt("interval in seconds (0.1 to 3600): ", buf, sizeof(buf));
		if (buf[0] && parse_delay(buf, &v->delay))
			v->message = "invalid interval: expected 0.1 to 3600 seconds";
		return 2;
	case '+':
		v->delay = v->delay * 2 > TOP_DELAY_MAX ? TOP_DELAY_MAX : v->delay * 2;
		return 2;
	case '-':
		v->delay = v->delay / 2 < TOP_DELAY_MIN ? TOP_DELAY_MIN : v->delay / 2;
		return 2;
	case KEY_UP:
	case 'k':
		if (v->cursor)
			v->cursor--;
		break;
	case KEY_DOWN:
	case 'j':
		if (v->cursor + 1 < rows)
			v->cursor++;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
		if (v->screen == TOP_MAIN && (id = top_domain_at(m, v, v->cursor)) >= 0) {
			v->screen = TOP_DOMAIN;
			v->domain = (uint64_t)id;
			v->cursor = 0;
		} else if (v->screen == TOP_DOMAIN && top_device_at(m, v, v->cursor, bdf)) {
			v->screen = TOP_DEVICE;
			snprintf(v->device, sizeof(v->device), "%s", bdf);
		}
		break;
	case 27:	/* Esc */
	case KEY_LEFT:
	case KEY_BACKSPACE:
	case 127:
		if (v->screen == TOP_DEVICE)
			v->screen = TOP_DOMAIN;
		else if (v->screen == TOP_DOMAIN)
			v->screen = TOP_MAIN;
		v->cursor = 0;
		break;
	case KEY_RESIZE:
		break;	/* redrawn below at the new size */
	default:
		v->message = "unknown key: h for help";
		break;
	}
	return 0;
}

static int top_live(struct top_model *m, struct top_view *v, struct nl_monitor *mon)
{
	struct sigaction quit = { .sa_handler = top_quit_signal };
	struct pollfd pfd[2];
	double next, last_event_sample = 0;
	size_t rows;
	int r = 0, ch, k, nfd;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return hv_err("top: needs a terminal (use --batch for scripts)"), HV_EXIT_USAGE;
	if (top_sample(m))
		return HV_EXIT_FAIL;
	sigaction(SIGINT, &quit, NULL);
	sigaction(SIGTERM, &quit, NULL);
	sigaction(SIGHUP, &quit, NULL);
	sigaction(SIGQUIT, &quit, NULL);
	signal(SIGSEGV, top_fatal_signal);
	signal(SIGABRT, top_fatal_signal);
	signal(SIGBUS, top_fatal_signal);
	atexit(top_endwin);
	if (!initscr())
		return hv_err("top: cannot initialise the terminal"), HV_EXIT_FAIL;
	curses_on = 1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);

	next = mono() + v->delay;
	rows = draw(m, v);
	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	nfd = 1;
	if (mon) {
		pfd[1].fd = nl_monitor_fd(mon);
		pfd[1].events = POLLIN;
		nfd = 2;
	}
	while (!top_stop && !r) {
		double wait = next - mono();
		int sample = 0;

		if (poll(pfd, (nfds_t)nfd, wait > 0 ? (int)(wait * 1000) + 1 : 0) < 0 && errno != EINTR) {
			r = hv_err("poll: %s", strerror(errno));
			break;
		}
		while ((ch = getch()) != ERR) {
			k = handle_key(ch, m, v, rows);
			if (k == 1)
				top_stop = 1;
			sample |= k == 2;
		}
		if (nfd == 2 && (pfd[1].revents & POLLIN)) {
			uint64_t before = m->events;

			r = drain_events(mon, m);
			/* Refreshed by events too, not more than 5 times a second. */
			if (m->events != before && mono() - last_event_sample >= TOP_EVENT_REDRAW &&
			    mono() - m->cur.t >= TOP_EVENT_REDRAW)
				sample = 1;
		}
		if (mono() >= next)
			sample = 1;
		if (sample && !v->paused) {
			if (top_sample(m)) {
				r = -1;
				break;
			}
			last_event_sample = mono();
		}
		if (mono() >= next)
			next = mono() + v->delay;
		rows = draw(m, v);
	}
	top_endwin();
	return r ? HV_EXIT_FAIL : HV_EXIT_OK;
}

/* hvctl top [--batch] [--delay SECONDS] */
int cmd_top(const struct opts *o, int argc, char **argv)
{
	struct top_model m = { 0 };
	struct top_view v = { .screen = TOP_MAIN, .sort = TOP_SORT_ID };
	struct nl_monitor *mon = NULL;
	int rc;

	if (no_more_args("top", argc, argv, 0) || no_output_options("top", &o->out))
		return HV_EXIT_USAGE;
	v.delay = o->batch ? 1.0 : TOP_DELAY_DEFAULT;
	if (o->delay && parse_delay(o->delay, &v.delay))
		return hv_err("top: invalid delay '%s': expected 0.1 to 3600 seconds", o->delay),
		       HV_EXIT_USAGE;
	if (paths_require_debugfs())
		return HV_EXIT_FAIL;
	/* Map and unmap rates need the events; without the family, "-". */
	if (nl_source() == 1) {
		mon = nl_monitor_open();
		if (!mon)
			return HV_EXIT_FAIL;
		m.have_events = 1;
	}
	rc = o->batch ? top_batch(&m, &v, mon) : top_live(&m, &v, mon);
	nl_monitor_close(mon);
	top_model_free(&m);
	return rc;
}
