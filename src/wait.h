/* SPDX-License-Identifier: ISC */
/*
 * The options of every verb that waits (sem acquire/z/op, mq send/receive/
 * notify): -t SECS | --nowait (exclusive in the table, opts_wait), -E N
 * and --verbose, parsed in one place.
 */
#ifndef IPCTOOL_WAIT_H
#define IPCTOOL_WAIT_H

#include <stdbool.h>
#include <time.h>

/*
 * --verbose of the verbs that wait: one stderr line when the verb starts
 * waiting, "waiting for WHAT", and one when it got through, "waited
 * N.NNN s".  Try the operation without waiting first and call
 * verbose_wait_start only when it found the object busy;
 * verbose_wait_done says nothing unless start was called.  Both do nothing
 * when .on is false, so a verb calls them whether --verbose was given or not.
 */
struct verbose_wait {
	bool		 on;		/* --verbose was given */
	bool		 waiting;	/* verbose_wait_start was called */
	struct timespec	 since;		/* CLOCK_MONOTONIC at the start */
};
void	verbose_wait_start(struct verbose_wait *v, const char *what);
void	verbose_wait_done(struct verbose_wait *v);

struct wait_opts {
	bool			 nowait;	/* --nowait */
	bool			 timed;		/* -t SECS */
	struct timespec		 timeout;
	struct timespec		 deadline;	/* wait_start's */
	struct verbose_wait	 verbose;	/* --verbose */
	bool			 busy_exit_set;	/* -E N was given */
	int			 busy_exit;	/* its N */
};

/*
 * Takes -t, --nowait (OPT_WAIT_NOWAIT), -E and --verbose
 * (OPT_WAIT_VERBOSE); false when c is none of them.
 */
bool	wait_opt(struct wait_opts *w, int c, const char *arg);
/*
 * The exit code of a wait that ended busy or timed out: -E N, else
 * EXIT_BUSY (also for w NULL).  Only these outcomes take -E: any other
 * error keeps its own code, EAGAIN of an unrelated call included.
 */
int	wait_busy_exit(const struct wait_opts *w);
/*
 * A wait that needs what configure found missing (have false: NAME as
 * `info` shows it) exits 2 "TARGET: not supported on this system: NAME"
 * before anything touches the system (--create included): with -t when
 * timed, always when not.
 */
void	wait_need(const struct wait_opts *w, const char *target, bool timed,
	    bool have, const char *name);
/* After the usage checks, before the first wait: catches the signals. */
void	wait_begin(void);
/* The deadline -t SECS from now into *deadline, or NULL without -t. */
const struct timespec *wait_deadline(const struct wait_opts *w,
	    struct timespec *deadline);
/* One wait: wait_begin unless --nowait, then w->deadline (or NULL). */
const struct timespec *wait_start(struct wait_opts *w);

#endif
