/* SPDX-License-Identifier: ISC */
/*
 * Who uses an object and who waits on it, as list --pids and every stat
 * print them: JSON arrays of {pid, command} and {pid, command, call, wait},
 * and stat's tables.  The scan and the lookups are select.c's.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"
#include "output.h"

static const struct out_column proc_cols[] = {
	{ "PID", COL_NUM, COL_DEFAULT, "" },
	{ "COMMAND", COL_STR, COL_DEFAULT, "" },
};
static const struct out_column wait_cols[] = {
	{ "PID", COL_NUM, COL_DEFAULT, "" },
	{ "COMMAND", COL_STR, COL_DEFAULT, "" },
	{ "CALL", COL_STR, COL_DEFAULT, "" },
	{ "WAIT", COL_STR, COL_DEFAULT, "" },
};

static const char *const call_names[] = {
	[IPC_WAIT_SEMOP] = "semop",
	[IPC_WAIT_MSGSND] = "msgsnd",
	[IPC_WAIT_MSGRCV] = "msgrcv",
	[IPC_WAIT_PMQ_SEND] = "mq_timedsend",
	[IPC_WAIT_PMQ_RECEIVE] = "mq_timedreceive",
	[IPC_WAIT_FUTEX] = "futex",
};

static void
cell_comm(struct out *o, size_t col, const struct ipc_select *s, pid_t pid)
{
	const char	*comm = select_comm(s, pid);

	if (comm == NULL || strcmp(comm, "?") == 0)
		out_null(o, col);
	else
		out_str(o, col, comm);
}

/* parent NULL: a table of its own on stdout */
static void
procs_out(struct out *parent, enum out_format fmt, bool headings,
    const struct ipc_select *s, const pid_t *p, size_t n)
{
	struct out	 po;
	const char	*bad;
	size_t		 i;

	out_init(&po, stdout, fmt, proc_cols, 2, NULL, &bad);
	po.parent = parent;
	po.headings = headings;
	out_begin(&po, "processes");
	for (i = 0; i < n; i++) {
		out_num(&po, 0, p[i]);
		cell_comm(&po, 1, s, p[i]);
		out_row(&po);
	}
	out_end(&po);
	out_finish(&po);
	out_free(&po);
}

static void
waiters_out(struct out *parent, enum out_format fmt, bool headings,
    const struct ipc_select *s, const struct waiter *w, size_t n)
{
	struct out	 po;
	const char	*bad;
	char		 what[512];
	size_t		 i;

	out_init(&po, stdout, fmt, wait_cols, 4, NULL, &bad);
	po.parent = parent;
	po.headings = headings;
	out_begin(&po, "waiters");
	for (i = 0; i < n; i++) {
		out_num(&po, 0, w[i].on.pid);
		cell_comm(&po, 1, s, w[i].on.pid);
		out_str(&po, 2, call_names[w[i].w.call]);
		out_str(&po, 3, wait_describe(&w[i].w, what, sizeof what));
		out_row(&po);
	}
	out_end(&po);
	out_finish(&po);
	out_free(&po);
}

void
who_json_procs(struct out *parent, const struct ipc_select *s,
    const pid_t *p, size_t n)
{
	procs_out(parent, OUT_JSON, true, s, p, n);
}

void
who_json_waiters(struct out *parent, const struct ipc_select *s,
    const struct waiter *w, size_t n)
{
	waiters_out(parent, OUT_JSON, true, s, w, n);
}

void
who_sections(struct out *parent, const struct out_opts *oo,
    const struct ipc_obj *ob, long long waiting)
{
	struct ipc_select	 s;
	const struct waiter	*w;
	pid_t			*p;
	size_t			 np, nw;
	long long		 hidden;

	if (oo->format != OUT_JSON && oo->format != OUT_TABLE)
		return;
	select_init(&s);
	select_scan(&s, WHO_WAITS);
	p = select_users(&s, ob, &np);
	nw = select_waiters(&s, ob, &w);
	/*
	 * Not visible: for a semaphore set, NCOUNT and ZCOUNT (each waiter
	 * counts once) less those seen; else every process whose syscall is
	 * closed to us, any of which may wait.
	 */
	hidden = waiting >= 0 ? waiting - (long long)nw : (long long)s.nhidden;
	if (hidden < 0)
		hidden = 0;
	if (oo->format == OUT_JSON) {
		procs_out(parent, OUT_JSON, true, &s, p, np);
		waiters_out(parent, OUT_JSON, true, &s, w, nw);
	} else {
		printf("\nProcesses using it:%s\n", np ? "" : " none");
		if (np)
			procs_out(NULL, OUT_TABLE, !oo->no_headings, &s, p,
			    np);
		printf("\nWaiters:%s\n", nw || hidden ? "" : " none");
		if (nw)
			waiters_out(NULL, OUT_TABLE, !oo->no_headings, &s, w,
			    nw);
		if (hidden)
			printf("%lld %s not visible\n", hidden, waiting >= 0 ?
			    "more" : hidden == 1 ? "process" : "processes");
	}
	free(p);
	select_free(&s);
}

void
who_stat(struct out *rec, const struct out_opts *oo, const struct ipc_obj *ob,
    long long waiting)
{
	/* -o COLS chose the record's columns: the record alone */
	if ((oo->spec != NULL && oo->spec[0] != '+') ||
	    (oo->format != OUT_JSON && oo->format != OUT_TABLE)) {
		out_row(rec);
		out_end(rec);
		return;
	}
	if (oo->format == OUT_JSON) {
		out_row_open(rec);
		who_sections(rec, oo, ob, waiting);
		out_row_close(rec);
		out_end(rec);
	} else {
		out_row(rec);
		out_end(rec);
		who_sections(NULL, oo, ob, waiting);
	}
}
