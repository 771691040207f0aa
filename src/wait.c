/* SPDX-License-Identifier: ISC */
/*
 * The wait options (-t, --nowait, -E, --verbose) and the --verbose lines.
 */
#include "config.h"

#include <errno.h>

#include "ipctool.h"
#include "table.h"
#include "wait.h"

bool
wait_opt(struct wait_opts *w, int c, const char *arg)
{
	switch (c) {
	case 't':
		xparse_secs("-t", arg, &w->timeout);
		w->timed = true;
		return true;
	case OPT_WAIT_NOWAIT:
		w->nowait = true;
		return true;
	case OPT_WAIT_VERBOSE:
		w->verbose.on = true;
		return true;
	case 'E':
		w->busy_exit = (int)xparse_num("-E", arg, 0, 255);
		w->busy_exit_set = true;
		return true;
	}
	return false;
}

int
wait_busy_exit(const struct wait_opts *w)
{
	return w != NULL && w->busy_exit_set ? w->busy_exit : EXIT_BUSY;
}

void
wait_need(const struct wait_opts *w, const char *target, bool timed,
    bool have, const char *name)
{
	if (!have && (!timed || w->timed))
		die(EXIT_USAGE, "%s: %s", target, not_supported(name));
}

void
wait_begin(void)
{
	if (ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
}

const struct timespec *
wait_deadline(const struct wait_opts *w, struct timespec *deadline)
{
	if (!w->timed)
		return NULL;
	if (ipc_deadline(&w->timeout, deadline) == -1)
		die_errno(errno, "clock");
	return deadline;
}

const struct timespec *
wait_start(struct wait_opts *w)
{
	if (!w->nowait)
		wait_begin();
	return wait_deadline(w, &w->deadline);
}

/*
 * --verbose of the waiting verbs: the one place the two lines are worded
 * (see struct verbose_wait).  The clock is the library's monotonic one:
 * a deadline zero seconds from now is now.
 */
void
verbose_wait_start(struct verbose_wait *v, const char *what)
{
	static const struct timespec	zero;

	if (!v->on || v->waiting)
		return;
	if (ipc_deadline(&zero, &v->since) == -1)
		v->since = zero;
	v->waiting = true;
	warn_msg("waiting for %s", what);
}

void
verbose_wait_done(struct verbose_wait *v)
{
	static const struct timespec	zero;
	struct timespec			now;
	long long			ms;

	if (!v->on || !v->waiting)
		return;
	v->waiting = false;
	if (ipc_deadline(&zero, &now) == -1)
		now = v->since;
	ms = (long long)(now.tv_sec - v->since.tv_sec) * 1000 +
	    (now.tv_nsec - v->since.tv_nsec) / 1000000;
	if (ms < 0)
		ms = 0;
	warn_msg("waited %lld.%03lld s", ms / 1000, ms % 1000);
}
