/* SPDX-License-Identifier: ISC */
/*
 * ipctool list: every IPC object of the namespace, System V and POSIX, as
 * the selection (select.c, shared with `rm --all`) hands them out.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ipctool.h"
#include "metrics.h"
#include "output.h"
#include "table.h"

static int	cmd_list(struct cmdargs *);

/* ---- list ---- */

static const struct out_column list_cols[] = {
	{ "KIND", COL_STR, 0, "sem, shm or mq" },
	{ "TARGET", COL_STR, 0, "id:N or /NAME, for other commands" },
	{ "KEY", COL_KEY, 0, "System V key" },
	{ "ID", COL_NUM, 0, "System V identifier" },
	{ "NAME", COL_STR, 0, "POSIX name" },
	{ "PERMS", COL_PERMS, 0, "permissions (rw-------)" },
	{ "OWNER", COL_STR, 0, "owner's user name" },
	{ "CUID", COL_NUM, 0, "creator's user id" },
	{ "CUSER", COL_STR, 0, "creator's user name" },
	{ "CGID", COL_NUM, 0, "creator's group id" },
	{ "CGROUP", COL_STR, 0, "creator's group name" },
	{ "UID", COL_NUM, 0, "owner's user id" },
	{ "USER", COL_STR, 0, "owner's user name" },
	{ "GID", COL_NUM, 0, "owner's group id" },
	{ "GROUP", COL_STR, 0, "owner's group name" },
	{ "SIZE", COL_SIZE, 0, "segment size in bytes" },
	{ "NATTCH", COL_NUM, 0, "attached processes" },
	{ "STATUS", COL_STR, 0, "dest (removed when detached), locked" },
	{ "ATTACH", COL_TIME, 0, "time of the last attach" },
	{ "DETACH", COL_TIME, 0, "time of the last detach" },
	{ "COMMAND", COL_STR, 0, "creator's command, if it runs" },
	{ "CPID", COL_NUM, 0, "creator's pid" },
	{ "LPID", COL_NUM, 0, "pid of the last attach or detach" },
	{ "RSS", COL_SIZE, 0, "resident bytes" },
	{ "SWAP", COL_SIZE, 0, "swapped bytes" },
	{ "USEDBYTES", COL_SIZE, 0, "bytes queued" },
	{ "MSGS", COL_NUM, 0, "messages queued" },
	{ "MAXMSG", COL_NUM, 0, "POSIX queue capacity in messages" },
	{ "MSGSIZE", COL_NUM, 0, "POSIX largest message" },
	{ "SEND", COL_TIME, 0, "time of the last send" },
	{ "RECV", COL_TIME, 0, "time of the last receive" },
	{ "LSPID", COL_NUM, 0, "pid of the last send" },
	{ "LRPID", COL_NUM, 0, "pid of the last receive" },
	{ "NSEMS", COL_NUM, 0, "semaphores in the set" },
	{ "OTIME", COL_TIME, 0, "time of the last semop" },
	{ "SVAL", COL_NUM, 0, "POSIX semaphore value" },
	{ "MTIME", COL_TIME, 0, "POSIX: time of the last change" },
	{ "CTIME", COL_TIME, 0, "time of the last change of attributes" },
	{ "PIDS", COL_STR, 0,
	    "processes mapping it, holding it open or waiting (--pids)" },
	{ "WAITERS", COL_STR, 0, "processes blocked on it now, and for what" },
	{ "NOTIFY_PID", COL_NUM, 0,
	    "POSIX queue: mq_notify's pid, unknown (see the man page)" },
	{ "NAMESPACE", COL_NUM, 0, "IPC namespace's inode (-A)" },
	{ "NSPID", COL_NUM, 0, "the lowest pid in the namespace (-A)" },
	{ "NSCOMMAND", COL_STR, 0, "that process's command (-A)" },
	{ "MARK", COL_STR, 0,
	    "--watch: new, gone or chg since the last frame" },
	{ "IN/S", COL_NUM, 0, "--watch: messages sent a second" },
	{ "OUT/S", COL_NUM, 0, "--watch: messages received a second" },
	{ "BIN/S", COL_NUM, 0, "--watch: bytes sent a second" },
	{ "BOUT/S", COL_NUM, 0, "--watch: bytes received a second" },
};
enum {
	L_KIND, L_TARGET, L_KEY, L_ID, L_NAME, L_PERMS, L_OWNER, L_CUID,
	L_CUSER, L_CGID, L_CGROUP, L_UID, L_USER, L_GID, L_GROUP, L_SIZE,
	L_NATTCH, L_STATUS, L_ATTACH, L_DETACH, L_COMMAND, L_CPID, L_LPID,
	L_RSS, L_SWAP, L_USEDBYTES, L_MSGS, L_MAXMSG, L_MSGSIZE, L_SEND,
	L_RECV, L_LSPID, L_LRPID, L_NSEMS, L_OTIME, L_SVAL, L_MTIME, L_CTIME,
	L_PIDS, L_WAITERS, L_NOTIFY_PID, L_NAMESPACE, L_NSPID, L_NSCOMMAND, L_MARK,
	L_MIN, L_MOUT, L_BIN, L_BOUT, L_NCOLS
};

/* list's own long-only options */
enum {
	OPT_LIST_NEWLINE = CHAR_MAX + 1,
	OPT_LIST_ID,
	OPT_LIST_CREATORS,
	OPT_LIST_ALLNS,
	OPT_LIST_WATCH
};

static const struct opt list_opts[] = {
	OPT_SET(SET_SELECT),
	{ OPT("id", 0, A_NUM, OPT_LIST_ID,
	    "only the System V object(s) of that id"), .meta = "ID",
	    .flags = OPT_SYSV },
	{ OPT("pids", 0, A_NONE, OPT_PIDS, "the processes attached"),
	    .excl = EXCL_PIDS },
	{ OPT("", 'i', A_NUM, 'i',
	    "the object of that id, one field a line (lsipc -i)"),
	    .meta = "ID", .flags = OPT_SYSV },
	{ OPT("time", 't', A_NONE, 't',
	    "the time columns instead of the defaults (lsipc -t)") },
	{ OPT("creator-columns", 'c', A_NONE, OPT_LIST_CREATORS,
	    "the creator and owner columns (lsipc -c)") },
	{ OPT("newline", 0, A_NONE, OPT_LIST_NEWLINE,
	    "one field a line, records apart (lsipc -n)") },
	{ OPT("all-namespaces", 'A', A_NONE, OPT_LIST_ALLNS,
	    "every IPC namespace a process lives in, with NAMESPACE") },
	{ OPT("watch", 0, A_SECS, OPT_LIST_WATCH,
	    "redraw every SECS (default 2) until interrupted"),
	    .meta = "[=SECS]", .flags = OPT_OPTARG },
	OPT_SET(SET_OUTPUT),
	OPT_SET(SET_METRICS),
	OPT_END
};

const struct verb verb_list = {
	.entry = { "list", "[--sem] [--shm] [--mq] [--sysv | --posix] "
	    "[--owner USER] [--creator USER] [--key KEY] [--orphaned] "
	    "[--older-than DURATION] [--empty] [--id ID] [--pids] [-i ID] "
	    "[-t] [-c] [--newline] [-A] [--watch[=SECS]] "
	    "[--json | --raw | --export | --metrics] [-o COLS] [--no-headings] "
	    "[--human] "
	    "[--time-format short|iso] [--numeric-perms]",
	    "List IPC objects, System V and POSIX" },
	.minpos = 0, .maxpos = 0, .pos = P_NONE,
	.families = FAM_SYSV | FAM_POSIX,
	.opts = list_opts,
	.cols = list_cols, .ncols = L_NCOLS,
	.exec = cmd_list
};

static const char *const defaults[IPC_K_COUNT] = {
	"KEY,ID,PERMS,OWNER,NSEMS,OTIME,CTIME",
	"KEY,ID,PERMS,OWNER,SIZE,NATTCH,STATUS,CTIME,CPID,LPID",
	"KEY,ID,PERMS,OWNER,USEDBYTES,MSGS,SEND,RECV,LSPID,LRPID",
	"NAME,PERMS,OWNER,SVAL,MTIME",
	"NAME,PERMS,OWNER,SIZE,MTIME",
	"NAME,PERMS,OWNER,USEDBYTES,MSGS,MTIME"
};

/* --watch: queues with their rates, in 80 columns */
static const char *const watch_defaults[IPC_K_COUNT] = {
	NULL, NULL, "KEY,ID,OWNER,USEDBYTES,MSGS,IN/S,OUT/S,BIN/S,BOUT/S,"
	"LSPID,LRPID", NULL, NULL, "NAME,OWNER,MSGS,MAXMSG,IN/S,OUT/S,MTIME"
};

/* lsipc's column sets: -t, -c (after the object's identity) */
static const char *const idents[IPC_K_COUNT] = {
	"KEY,ID", "KEY,ID", "KEY,ID", "NAME", "NAME", "NAME"
};
static const char *const time_cols[IPC_K_COUNT] = {
	"OTIME,CTIME", "ATTACH,DETACH,CTIME", "SEND,RECV,CTIME",
	"MTIME,CTIME", "MTIME,CTIME", "MTIME,CTIME"
};
static const char *const creator_cols[IPC_K_COUNT] = {
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP",
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP,CPID,LPID",
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP,LSPID,LRPID",
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP",
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP",
	"PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP"
};

static const char *const titles[IPC_K_COUNT] = {
	"System V semaphore sets", "System V shared memory segments",
	"System V message queues", "POSIX named semaphores",
	"POSIX shared memory objects", "POSIX message queues"
};


/* ---- --watch: what a frame remembers of the last one ---- */

enum { M_SAME, M_NEW, M_GONE, M_CHANGED };
static const char *const mark_words[] = { "", "new", "gone", "chg" };
static const char *const mark_colours[] = {
	"", "\033[32m", "\033[31m", "\033[33m"	/* green, red, yellow */
};

/* One object of a frame, as it was drawn. */
struct wrec {
	struct ipc_obj		 ob;
	unsigned long long	 nsino;		/* -A: its namespace */
	pid_t			 nspid;
	char			*pids, *waiters; /* as shown, or NULL */
	bool			 seen;		/* in the next frame too */
};

struct watch {
	struct wrec	*prev, *cur;
	size_t		 nprev, ncur, cur_cap;
	struct timespec	 prev_at, cur_at;	/* CLOCK_MONOTONIC */
	bool		 have_prev;
	bool		 colour;		/* else the MARK column */
	bool		 tty;
	/* the marks of the rows of the kind being drawn, in order */
	unsigned char	*marks;
	size_t		 nmarks, marks_cap;
	/* the frame being built */
	FILE		*f;
	size_t		 nlines;
	unsigned int	 rows, cols;		/* the terminal's, or 0 */
};

struct list_ctx {
	struct ipc_select	*s;
	struct out		*o;
	bool			 pids, waiters;
	bool			 nested;	/* JSON "processes" arrays */
	enum out_format		 format;
	size_t			 nrows;
	bool			 has_id;	/* --id, -i */
	int			 id;
	const struct ipc_ns	*ns;		/* -A: the namespace walked */
	struct watch		*w;		/* --watch */
	const struct wrec	*gone;		/* the row is this, vanished */
};

/* "pid(command),..." of the processes using an object. */
static char *
fmt_pids(const struct ipc_select *s, const pid_t *p, size_t n)
{
	const char	*comm;
	char		*buf;
	FILE		*f;
	size_t		 len, i;

	if ((f = open_memstream(&buf, &len)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if ((comm = select_comm(s, p[i])) == NULL)
			comm = "?";
		fprintf(f, "%s%d(%s)", i ? "," : "", (int)p[i], comm);
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	return buf;
}

/* "pid(command):what,..." of the processes blocked on an object. */
static char *
fmt_waiters(const struct ipc_select *s, const struct waiter *w, size_t n)
{
	const char	*comm;
	char		 what[512], *buf;
	FILE		*f;
	size_t		 len, i;

	if ((f = open_memstream(&buf, &len)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if ((comm = select_comm(s, w[i].on.pid)) == NULL)
			comm = "?";
		fprintf(f, "%s%d(%s):%s", i ? "," : "", (int)w[i].on.pid,
		    comm, wait_describe(&w[i].w, what, sizeof what));
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	return buf;
}

/* The order of a frame's records: kind, namespace, id or file. */
static int
wrec_cmp(const void *a, const void *b)
{
	const struct wrec	*x = a, *y = b;

	if (x->ob.kind != y->ob.kind)
		return x->ob.kind < y->ob.kind ? -1 : 1;
	if (x->nsino != y->nsino)
		return x->nsino < y->nsino ? -1 : 1;
	if (x->ob.kind < IPC_K_PSEM)
		return (x->ob.id > y->ob.id) - (x->ob.id < y->ob.id);
	if (x->ob.dev != y->ob.dev)
		return x->ob.dev < y->ob.dev ? -1 : 1;
	return (x->ob.ino > y->ob.ino) - (x->ob.ino < y->ob.ino);
}

static bool
str_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * Whether what the kernel keeps of the object changed: attributes,
 * counts, sizes, times, last pids, and who uses or waits on it when that
 * is shown.  Resident and swapped bytes do not count: they move with
 * every page touched.
 */
static bool
wrec_same(const struct wrec *x, const struct wrec *y)
{
	const struct ipc_obj	*a = &x->ob, *b = &y->ob;

	return a->known == b->known && a->key == b->key &&
	    strcmp(a->name, b->name) == 0 && a->uid == b->uid &&
	    a->cuid == b->cuid && a->gid == b->gid && a->cgid == b->cgid &&
	    a->mode == b->mode && a->size == b->size &&
	    a->nsems == b->nsems && a->nattch == b->nattch &&
	    a->qnum == b->qnum && a->maxmsg == b->maxmsg &&
	    a->msgsize == b->msgsize && a->sval == b->sval &&
	    a->cpid == b->cpid && a->lpid == b->lpid &&
	    a->atime == b->atime && a->dtime == b->dtime &&
	    a->ctime == b->ctime && a->otime == b->otime &&
	    a->mtime == b->mtime && a->mtime_nsec == b->mtime_nsec &&
	    str_same(x->pids, y->pids) && str_same(x->waiters, y->waiters);
}

static void
wrecs_free(struct wrec *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].pids);
		free(v[i].waiters);
	}
	free(v);
}

static void
rate_cell(struct out *o, size_t col, double v)
{
	char	buf[32];

	snprintf(buf, sizeof buf, v < 100 ? "%.1f" : "%.0f", v);
	out_str(o, col, buf);
}

/*
 * A queue's traffic since the last frame, a second: the least that
 * explains what changed.  The kernel keeps counts, not totals: the count
 * of messages (and for System V of bytes) went from a to b, so at least
 * b - a more came in than went out.  System V tells more: a send moves
 * msg_stime or msg_lspid, a receive msg_rtime or msg_lrpid, so each of
 * those that moved is at least one message that way.  A POSIX queue's
 * mtime (nanoseconds) moves with a send and with a receive alike: with
 * the count unchanged it is at least one of each.  Bytes are the net
 * change only (a message may be empty); a POSIX queue's are unknown.
 */
static void
watch_rates(struct out *o, const struct ipc_obj *was,
    const struct ipc_obj *now, double dt)
{
	long long	dq, in, out, db;
	bool		sent, recvd;

	if (dt <= 0 || !(was->known & now->known & IPC_KNOWN_QNUM))
		return;
	dq = (long long)now->qnum - (long long)was->qnum;
	if (now->kind == IPC_K_MSG) {
		sent = now->atime != was->atime || now->cpid != was->cpid;
		recvd = now->dtime != was->dtime || now->lpid != was->lpid;
	} else
		sent = recvd = dq == 0 && (now->mtime != was->mtime ||
		    now->mtime_nsec != was->mtime_nsec);
	in = dq > 0 ? dq : sent;
	out = dq < 0 ? -dq : recvd;
	/* in - out is dq: raise the smaller side to it */
	if (in - out < dq)
		in = out + dq;
	else
		out = in - dq;
	rate_cell(o, L_MIN, (double)in / dt);
	rate_cell(o, L_MOUT, (double)out / dt);
	if (now->kind == IPC_K_MSG || (was->known & now->known &
	    IPC_KNOWN_SIZE)) {
		db = (long long)(now->size - was->size);
		rate_cell(o, L_BIN, (double)(db > 0 ? db : 0) / dt);
		rate_cell(o, L_BOUT, (double)(db < 0 ? -db : 0) / dt);
	}
}

static double
ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e9;
}

/*
 * The row's mark and rates; the object is kept for the next frame
 * (taking *pids and *waiters).
 */
static void
watch_row(struct list_ctx *c, const struct ipc_obj *ob, char **pids,
    char **waiters)
{
	struct watch	*w = c->w;
	struct wrec	*r, *was = NULL;
	unsigned char	 m;

	if (w->marks_cap == w->nmarks) {
		w->marks_cap = w->marks_cap ? 2 * w->marks_cap : 256;
		if ((w->marks = realloc(w->marks, w->marks_cap)) == NULL)
			die_errno(errno, "cannot allocate");
	}
	if (c->gone != NULL) {
		w->marks[w->nmarks++] = M_GONE;
		out_str(c->o, L_MARK, mark_words[M_GONE]);
		return;
	}
	if (w->ncur == w->cur_cap) {
		w->cur_cap = w->cur_cap ? 2 * w->cur_cap : 256;
		if ((w->cur = reallocarray(w->cur, w->cur_cap,
		    sizeof *w->cur)) == NULL)
			die_errno(errno, "cannot allocate");
	}
	r = &w->cur[w->ncur++];
	memset(r, 0, sizeof *r);
	r->ob = *ob;
	if (c->ns != NULL) {
		r->nsino = c->ns->ino;
		r->nspid = c->ns->pid;
	}
	r->pids = *pids;
	r->waiters = *waiters;
	*pids = *waiters = NULL;
	if (w->have_prev && w->nprev > 0)
		was = bsearch(r, w->prev, w->nprev, sizeof *w->prev, wrec_cmp);
	m = !w->have_prev ? M_SAME : was == NULL ? M_NEW :
	    wrec_same(was, r) ? M_SAME : M_CHANGED;
	if (was != NULL)
		was->seen = true;
	w->marks[w->nmarks++] = m;
	out_str(c->o, L_MARK, mark_words[m]);
	if (was != NULL && (ob->kind == IPC_K_MSG || ob->kind == IPC_K_PMQ))
		watch_rates(c->o, &was->ob, ob,
		    ts_diff(&w->cur_at, &w->prev_at));
}

static int
list_row(const struct ipc_obj *ob, void *arg)
{
	struct list_ctx		*c = arg;
	struct out		*o = c->o;
	const struct waiter	*w = NULL;
	pid_t			*p = NULL;
	char			 buf[NAME_MAX + 16], comm[64];
	char			*ptext = NULL, *wtext = NULL;
	size_t			 np = 0, nw = 0;
	bool			 posix = ob->kind >= IPC_K_PSEM;

	if (c->has_id && (posix || ob->id != c->id))
		return 0;
	c->nrows++;
	if (c->ns != NULL) {
		out_unum(o, L_NAMESPACE, c->ns->ino);
		out_num(o, L_NSPID, c->ns->pid);
		if (out_wants(o, L_NSCOMMAND) &&
		    ipc_proc_comm(c->ns->pid, comm, sizeof comm) == 0)
			out_str(o, L_NSCOMMAND, comm);
	}
	if (out_wants(o, L_KIND))
		out_str(o, L_KIND, kind_word(ob->kind));
	if (out_wants(o, L_TARGET)) {
		if (posix)
			out_str(o, L_TARGET, ob->name);
		else {
			snprintf(buf, sizeof buf, "id:%d", ob->id);
			out_str(o, L_TARGET, buf);
		}
	}
	if (posix)
		out_str(o, L_NAME, ob->name);
	else {
		if (out_wants(o, L_KEY))
			out_str(o, L_KEY, fmt_key(ob->key, buf));
		out_num(o, L_ID, ob->id);
	}
	if (out_wants(o, L_PERMS))
		out_str(o, L_PERMS, fmt_perms(ob->mode & 0777, buf));
	if (out_wants(o, L_OWNER))
		out_str(o, L_OWNER, user_name(ob->uid));
	if (out_wants(o, L_USER))
		out_str(o, L_USER, user_name(ob->uid));
	if (out_wants(o, L_GROUP))
		out_str(o, L_GROUP, group_name(ob->gid));
	out_unum(o, L_UID, ob->uid);
	out_unum(o, L_GID, ob->gid);
	if (ob->known & IPC_KNOWN_CREATOR) {
		out_unum(o, L_CUID, ob->cuid);
		out_unum(o, L_CGID, ob->cgid);
		if (out_wants(o, L_CUSER))
			out_str(o, L_CUSER, user_name(ob->cuid));
		if (out_wants(o, L_CGROUP))
			out_str(o, L_CGROUP, group_name(ob->cgid));
	}
	out_time(o, L_CTIME, ob->ctime);
	switch (ob->kind) {
	case IPC_K_SEM:
		out_unum(o, L_NSEMS, ob->nsems);
		out_time(o, L_OTIME, ob->otime);
		break;
	case IPC_K_SHM:
		out_unum(o, L_SIZE, ob->size);
		out_unum(o, L_NATTCH, ob->nattch);
		if (out_wants(o, L_STATUS)) {
			buf[0] = '\0';
			if (ob->mode & 01000)	/* SHM_DEST */
				strlcat(buf, "dest", sizeof buf);
			if (ob->mode & 02000)	/* SHM_LOCKED */
				strlcat(buf, buf[0] ? ",locked" : "locked",
				    sizeof buf);
			/* no flag: null ('-' in tables), as stat */
			if (buf[0] == '\0')
				out_null(o, L_STATUS);
			else
				out_str(o, L_STATUS, buf);
		}
		out_time(o, L_ATTACH, ob->atime);
		out_time(o, L_DETACH, ob->dtime);
		out_num(o, L_CPID, ob->cpid);
		out_num(o, L_LPID, ob->lpid);
		if (out_wants(o, L_COMMAND) && ipc_pid_alive(ob->cpid) &&
		    ipc_proc_comm(ob->cpid, comm, sizeof comm) == 0)
			out_str(o, L_COMMAND, comm);
		if (ob->known & IPC_KNOWN_RSS) {
			out_unum(o, L_RSS, ob->rss);
			out_unum(o, L_SWAP, ob->swap);
		}
		break;
	case IPC_K_MSG:
		out_unum(o, L_USEDBYTES, ob->size);
		out_unum(o, L_MSGS, ob->qnum);
		out_time(o, L_SEND, ob->atime);
		out_time(o, L_RECV, ob->dtime);
		out_num(o, L_LSPID, ob->cpid);
		out_num(o, L_LRPID, ob->lpid);
		break;
	case IPC_K_PSEM:
		if (ob->known & IPC_KNOWN_SVAL)
			out_num(o, L_SVAL, ob->sval);
		out_unum(o, L_NSEMS, 1);
		out_time(o, L_MTIME, ob->mtime);
		break;
	case IPC_K_PSHM:
		out_unum(o, L_SIZE, ob->size);
		out_time(o, L_MTIME, ob->mtime);
		break;
	case IPC_K_PMQ:
		if (ob->known & IPC_KNOWN_SIZE)
			out_unum(o, L_USEDBYTES, ob->size);
		if (ob->known & IPC_KNOWN_QNUM)
			out_unum(o, L_MSGS, ob->qnum);
		if (ob->known & IPC_KNOWN_MQATTR) {
			out_num(o, L_MAXMSG, ob->maxmsg);
			out_num(o, L_MSGSIZE, ob->msgsize);
		}
		out_time(o, L_MTIME, ob->mtime);
		break;
	default:
		break;
	}
	if (c->gone != NULL) {		/* as it was last drawn */
		if (c->gone->pids != NULL)
			out_str(o, L_PIDS, c->gone->pids);
		if (c->gone->waiters != NULL)
			out_str(o, L_WAITERS, c->gone->waiters);
	} else {
		if (c->pids) {
			p = select_users(c->s, ob, &np);
			if (out_wants(o, L_PIDS) || c->w != NULL)
				out_str(o, L_PIDS,
				    ptext = fmt_pids(c->s, p, np));
		}
		if (c->waiters) {
			nw = select_waiters(c->s, ob, &w);
			if (out_wants(o, L_WAITERS) || c->w != NULL)
				out_str(o, L_WAITERS,
				    wtext = fmt_waiters(c->s, w, nw));
		}
	}
	if (c->w != NULL)
		watch_row(c, ob, &ptext, &wtext);
	free(ptext);
	free(wtext);
	if (!c->nested) {
		out_row(o);
		free(p);
		return 0;
	}
	out_row_open(o);
	if (c->pids)
		who_json_procs(o, c->s, p, np);
	if (c->waiters)
		who_json_waiters(o, c->s, w, nw);
	out_row_close(o);
	free(p);
	return 0;
}

/*
 * Whether COLS names col (any case, after a leading '+'); *rest is then
 * COLS without it (to free), or NULL.
 */
static bool
spec_drop(const char *spec, const char *col, char **rest)
{
	const char	*p, *e;
	size_t		 len = strlen(col), n;
	bool		 found = false;
	FILE		*f;

	*rest = NULL;
	if (spec == NULL)
		return false;
	if ((f = open_memstream(rest, &n)) == NULL)
		die_errno(errno, "cannot allocate");
	p = spec;
	if (*p == '+')
		fputc(*p++, f);
	for (; *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && strncasecmp(p, col, len) == 0) {
			found = true;
			continue;
		}
		fprintf(f, "%s%.*s", ftell(f) > (spec[0] == '+') ? "," : "",
		    (int)(e - p), p);
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	if (!found) {
		free(*rest);
		*rest = NULL;
	}
	return found;
}

/* What one listing needs: the options, settled. */
struct list_run {
	struct ipc_select	 s;
	struct out_opts		 oo;
	struct list_ctx		 ctx;
	bool			 allns, pids, times, creators, newline;
	bool			 detail;
	size_t			 found;		/* rows, every kind */
};

/*
 * --watch: one line of the frame, in colour for its mark; on a terminal
 * erased to its end, cut at its width and no more lines than it has
 * rows (so the first line stays in sight).
 */
static void
watch_line(struct watch *w, const char *s, size_t len, unsigned char m)
{
	if (w->tty && w->rows > 0 && w->nlines >= w->rows)
		return;
	if (w->tty && w->cols > 0 && len > w->cols)
		len = w->cols;
	if (w->tty && w->nlines > 0)
		fputc('\n', w->f);
	if (w->colour && m != M_SAME)
		fputs(mark_colours[m], w->f);
	fwrite(s, 1, len, w->f);
	if (w->colour && m != M_SAME)
		fputs("\033[0m", w->f);
	fputs(w->tty ? "\033[K" : "\n", w->f);
	w->nlines++;
}

/* A kind's table: its headings, then a row a line, each with its mark. */
static void
watch_table(struct watch *w, const char *buf, size_t len, bool headings)
{
	const char	*p, *nl;
	size_t		 row = 0;

	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		if (headings) {
			watch_line(w, p, (size_t)(nl - p), M_SAME);
			headings = false;
			continue;
		}
		watch_line(w, p, (size_t)(nl - p),
		    row < w->nmarks ? w->marks[row] : M_SAME);
		row++;
	}
}

/* The rows that vanished since the last frame, of kind k: shown once. */
static void
watch_gone(struct list_run *r, enum ipc_kind k)
{
	struct watch	*w = r->ctx.w;
	struct ipc_ns	 ns;
	size_t		 i;

	for (i = 0; i < w->nprev; i++) {
		if (w->prev[i].ob.kind != k || w->prev[i].seen)
			continue;
		r->ctx.gone = &w->prev[i];
		ns.ino = w->prev[i].nsino;
		ns.pid = w->prev[i].nspid;
		r->ctx.ns = r->allns ? &ns : NULL;
		list_row(&w->prev[i].ob, &r->ctx);
	}
	r->ctx.gone = NULL;
	r->ctx.ns = NULL;
}

/*
 * One listing of every selected kind: to stdout, or with --watch as the
 * lines of a frame.  Returns 0 or the first failure's exit code.
 */
static int
list_kinds(struct list_run *r)
{
	struct ipc_select	*s = &r->s;
	struct list_ctx		*ctx = &r->ctx;
	struct watch		*w = ctx->w;
	struct out		 out, prev;
	struct out_opts		 ko;
	const char		*base;
	char			*spec, *set = NULL, *kbuf = NULL, title[64];
	size_t			 ni, klen;
	bool			 first = true, started = false;
	FILE			*kf = NULL;
	int			 k, nkinds = 0, rc, status = 0;

	for (k = 0; k < IPC_K_COUNT; k++)
		nkinds += s->kinds[k];
	for (k = 0; k < IPC_K_COUNT; k++) {
		if (!s->kinds[k])
			continue;
		ko = r->oo;
		spec = NULL;
		base = w != NULL && watch_defaults[k] != NULL ?
		    watch_defaults[k] : defaults[k];
		if (r->times || r->creators) {
			if (asprintf(&set, "%s%s%s%s%s", idents[k],
			    r->creators ? "," : "",
			    r->creators ? creator_cols[k] : "",
			    r->times ? "," : "",
			    r->times ? time_cols[k] : "") == -1)
				die_errno(errno, "cannot allocate");
			base = set;
		}
		if (r->oo.spec == NULL || r->oo.spec[0] == '+') {
			/*
			 * Rows of several kinds in one stream without titles
			 * (--raw, --export, a table without headings) say
			 * their kind first; -o COLS is taken as given.
			 */
			if (asprintf(&spec, "%s%s%s%s%s%s%s",
			    w != NULL && !w->colour ? "MARK," : "",
			    nkinds > 1 && (r->oo.format == OUT_RAW ||
			    r->oo.format == OUT_EXPORT ||
			    (r->oo.format == OUT_TABLE &&
			    r->oo.no_headings)) ? "KIND," : "",
			    !r->allns ? "" : r->oo.format == OUT_JSON ||
			    r->oo.format == OUT_EXPORT ?
			    "NAMESPACE,NSPID,NSCOMMAND," : "NAMESPACE,",
			    base,
			    r->pids && !ctx->nested ? ",WAITERS,PIDS" : "",
			    r->oo.spec != NULL ? "," : "",
			    r->oo.spec != NULL ? r->oo.spec + 1 : "") == -1)
				die_errno(errno, "cannot allocate");
			ko.spec = spec;
		} else if (w != NULL && !w->colour) {
			if (asprintf(&spec, "MARK,%s", r->oo.spec) == -1)
				die_errno(errno, "cannot allocate");
			ko.spec = spec;
		}
		xout_init(&out, &ko, list_cols, L_NCOLS);
		free(spec);
		free(set);
		set = NULL;
		if (w != NULL) {	/* the table apart, to mark its lines */
			if ((kf = open_memstream(&kbuf, &klen)) == NULL)
				die_errno(errno, "cannot allocate");
			out.f = kf;
			w->nmarks = 0;
		}
		/* lsipc -n, -i: NAME value lines, a blank line between */
		out.vertical = r->newline || r->detail;
		if (started)
			out_continue(&out, &prev);
		started = true;
		out_begin(&out, kind_section((enum ipc_kind)k));
		ctx->o = &out;
		ctx->nrows = 0;
		for (ni = 0; ni < (r->allns ? s->nns : 1); ni++) {
			if (r->allns && !select_enter_ns(s, ni, (enum ipc_kind)k))
				continue;
			ctx->ns = r->allns ? &s->ns[ni] : NULL;
			rc = select_walk(s, (enum ipc_kind)k, list_row, ctx);
			if (rc != 0 && status == 0)
				status = rc;
		}
		ctx->ns = NULL;
		if (w != NULL && w->have_prev)
			watch_gone(r, (enum ipc_kind)k);
		r->found += ctx->nrows;
		if (r->oo.format == OUT_TABLE && nkinds > 1) {
			/* one titled table per kind that has objects */
			if (ctx->nrows > 0 && out.headings) {
				if (w != NULL) {
					if (!first)
						watch_line(w, "", 0, M_SAME);
					snprintf(title, sizeof title, "%s:",
					    titles[k]);
					watch_line(w, title, strlen(title),
					    M_SAME);
				} else
					printf("%s%s:\n", first ? "" : "\n",
					    titles[k]);
			} else if (ctx->nrows == 0)
				out.nrows = 0, out.headings = false;
			if (ctx->nrows > 0)
				first = false;
		}
		if (!(r->oo.format == OUT_TABLE && nkinds > 1 &&
		    ctx->nrows == 0))
			out_end(&out);
		if (w != NULL) {
			if (fclose(kf) != 0)
				die_errno(errno, "cannot allocate");
			watch_table(w, kbuf, klen, out.headings);
			free(kbuf);
			kbuf = NULL;
		}
		out_free(&out);
		prev = out;
	}
	if (r->oo.format == OUT_JSON)
		out_finish(&prev);
	return status;
}

static bool	watch_screen;		/* in the alternate screen */

/* The terminal as it was, however the watch ends (exit() too). */
static int
watch_leave(void)
{
	static const char	leave[] = "\033[?25h\033[?1049l";
	int			r = 0, e = 0;

	if (ipc_tty_restore() == -1) {
		e = errno;
		r = -1;
	}
	if (watch_screen) {
		watch_screen = false;
		if (ipc_write_all(STDOUT_FILENO, leave, sizeof leave - 1) ==
		    -1) {
			e = errno;
			r = -1;
		}
	}
	errno = e;
	return r;
}

static void
watch_atexit(void)
{
	(void)watch_leave();
}

/*
 * --watch: one process, a listing a frame, as `list` makes it (one walk
 * of each kind, one /proc scan when the columns or filters need it); the
 * frame is built whole, then written with a single write: on a terminal
 * the cursor home, each line erased to its end, the rest of the screen
 * erased below, so it never shows a half-drawn or blank frame, in the
 * alternate screen with the cursor hidden.  Each row is marked new,
 * changed or gone (shown once) against the last frame: in colour on a
 * terminal (unless NO_COLOR), else in a MARK column.  With a terminal on
 * standard input, q ends it and space draws the next frame now: the
 * terminal is non-canonical while it runs and restored however it ends
 * (q, SIGINT, SIGTERM, an error's exit).
 */
static int
list_watch(struct list_run *r, const struct timespec *every,
    const char *every_text)
{
	static const char	 enter[] = "\033[?1049h\033[?25l";
	static const struct timespec zero = { 0, 0 };
	struct watch		 w;
	struct timespec		 deadline;
	const char		*nc = getenv("NO_COLOR");
	char			*frame, head[128], stamp[32], key;
	size_t			 flen;
	time_t			 now;
	bool			 quit = false, first = true;
	int			 keyfd = -1, rc, status = 0;

	memset(&w, 0, sizeof w);
	w.tty = isatty(STDOUT_FILENO);
	w.colour = w.tty && (nc == NULL || nc[0] == '\0');
	r->ctx.w = &w;
	if (ipc_catch_signals() == -1 || ipc_ignore_sigpipe() == -1)
		die_errno(errno, "cannot catch signals");
	if (fflush(stdout) != 0)
		die_errno(errno, "write error on stdout");
	if (atexit(watch_atexit) != 0)
		die_errno(ENOMEM, "cannot arrange the terminal's restore");
	if (ipc_tty_cbreak(STDIN_FILENO) == 0)
		keyfd = STDIN_FILENO;
	else if (errno != ENOTTY)
		warn_errno(errno, "standard input: q will not end it");
	if (w.tty) {
		watch_screen = true;
		if (ipc_write_all(STDOUT_FILENO, enter, sizeof enter - 1) ==
		    -1) {
			warn_msg("write error on stdout: %s", strerror(errno));
			status = EXIT_SYSERR;
			quit = true;
		}
	}
	while (!quit && ipc_caught_signal == 0) {
		/* a frame every SECS, whatever a frame takes */
		if (ipc_deadline(every, &deadline) == -1 ||
		    ipc_deadline(&zero, &w.cur_at) == -1)
			die_errno(errno, "cannot read the clock");
		if (w.tty)
			(void)ipc_tty_size(STDOUT_FILENO, &w.rows, &w.cols);
		if ((w.f = open_memstream(&frame, &flen)) == NULL)
			die_errno(errno, "cannot allocate");
		w.nlines = 0;
		if (w.tty)
			fputs("\033[H", w.f);
		now = time(NULL);
		strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&now));
		snprintf(head, sizeof head, "Every %ss: ipctool list  %s%s",
		    every_text, stamp, keyfd >= 0 ? "  (q quits, space redraws)" : "");
		watch_line(&w, head, strlen(head), M_SAME);
		watch_line(&w, "", 0, M_SAME);
		if (!first)	/* select_done scanned for the first */
			select_refresh(&r->s);
		first = false;
		/* a kind that cannot be listed has said so: the rest goes on */
		(void)list_kinds(r);
		fputs(w.tty ? "\033[J" : "\n", w.f);
		if (fclose(w.f) != 0)
			die_errno(errno, "cannot allocate");
		rc = ipc_write_all(STDOUT_FILENO, frame, flen);
		free(frame);
		if (rc == -1) {
			/* a reader gone (| head) ends it quietly, as list */
			if (errno == EPIPE)
				status = 128 + SIGPIPE;
			else if (ipc_caught_signal == 0) {
				/* as every command's stdout check: 8 */
				warn_msg("write error on stdout: %s",
				    strerror(errno));
				status = EXIT_SYSERR;
			}
			break;
		}
		/* this frame's objects are the next one's last */
		if (w.ncur > 0)		/* an empty frame has no array */
			qsort(w.cur, w.ncur, sizeof *w.cur, wrec_cmp);
		wrecs_free(w.prev, w.nprev);
		w.prev = w.cur;
		w.nprev = w.ncur;
		w.cur = NULL;
		w.ncur = w.cur_cap = 0;
		w.prev_at = w.cur_at;
		w.have_prev = true;
		for (;;) {	/* the next frame's time, or q */
			rc = ipc_wait_key(keyfd, &deadline, &key);
			if (rc == 1 && (key == 'q' || key == 'Q'))
				quit = true;
			else if (rc == 1 && key != ' ')
				continue;
			else if (rc == 2) {	/* no more keys */
				keyfd = -1;
				continue;
			} else if (rc == -1 && ipc_caught_signal == 0) {
				status = warn_errno(errno, "cannot wait");
				quit = true;
			}
			break;
		}
	}
	if (watch_leave() == -1 && status == 0)
		status = warn_errno(errno, "cannot restore the terminal");
	free(w.marks);
	wrecs_free(w.prev, w.nprev);
	wrecs_free(w.cur, w.ncur);
	r->ctx.w = NULL;
	/* q, SIGINT and SIGTERM end it as asked: success */
	if (status == 0 && ipc_caught_signal != 0 &&
	    ipc_caught_signal != SIGINT && ipc_caught_signal != SIGTERM)
		status = 128 + ipc_caught_signal;
	return status;
}

static int
cmd_list(struct cmdargs *a)
{
	struct list_run		 run;
	struct ipc_select	*s = &run.s;
	struct list_ctx		*ctx = &run.ctx;
	struct ipc_counts	*counts;
	char			**labels = NULL, *wspec = NULL;
	size_t			 ni, nc;
	bool			 sysv_given = false, posix_given = false;
	bool			 metrics = false, has_id = false;
	bool			 set_kinds[IPC_K_COUNT];
	const char		*watch = NULL;
	struct timespec		 every;
	int			 c, k, r, status = 0, id = 0;

	/*
	 * One thread: no stdio locking.  Rows are written a line (JSON, raw)
	 * or 32 KiB (tables) at a time: a pipe's worth of buffer (64 KiB)
	 * makes a write per pipe-full rather than per 4 KiB; a terminal
	 * keeps its line buffering.
	 */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	memset(&run, 0, sizeof run);
	select_init(s);
	while ((c = args_opt(a)) != -1) {
		if (c == OPT_SEL_SYSV)
			sysv_given = true;
		if (c == OPT_SEL_POSIX)
			posix_given = true;
		switch (c) {
		case OPT_PIDS:
			run.pids = true;
			break;
		case 'i':
			run.detail = true;
			/* FALLTHROUGH */
		case OPT_LIST_ID:
			id = (int)xparse_num(c == 'i' ? "-i" : "--id",
			    a->optarg, 0, INT_MAX);
			has_id = true;
			break;
		case OPT_METRICS:
			metrics = true;
			break;
		case 't':
			run.times = true;
			break;
		case OPT_LIST_CREATORS:
			run.creators = true;
			break;
		case OPT_LIST_NEWLINE:
			run.newline = true;
			break;
		case OPT_LIST_ALLNS:
			run.allns = s->allns = true;
			break;
		case OPT_LIST_WATCH:
			watch = a->optarg != NULL ? a->optarg : "2";
			xparse_secs("--watch", watch, &every);
			if (every.tv_sec == 0 && every.tv_nsec < 100000000L)
				die_usage("--watch: '%s': at least 0.1 "
				    "seconds", watch);
			break;
		default:
			if (!select_opt(s, c, a->optarg))
				out_opt(&run.oo, c, a->optarg);
		}
	}
	if (run.detail && metrics)
		die_usage("--metrics: counts objects; -i shows one, "
		    "field by field: --id ID counts it");
	/* --metrics --id: the count of that id, one System V object a kind */
	s->has_id = has_id && metrics;
	s->id = id;
	if (watch != NULL && (metrics || run.oo.format == OUT_JSON))
		die_usage("--watch: redraws a table; --json and --metrics "
		    "are documents (run them in a loop)");
	if (watch != NULL && (run.newline || run.detail))
		die_usage("--watch: redraws a table of a row an object; "
		    "not with %s", run.detail ? "-i" : "--newline");
	if (run.allns && ns_joined)
		die_usage("-A: every namespace already; not with --ns");
	if (has_id && posix_given)
		die_usage("%s: System V objects only (POSIX objects have "
		    "names, not ids)", run.detail ? "-i" : "--id");
	ctx->s = s;
	ctx->pids = run.pids;
	/* WAITERS comes with --pids, or alone with -o */
	ctx->waiters = spec_drop(run.oo.spec, "WAITERS", &wspec) || run.pids;
	ctx->format = run.oo.format;
	ctx->has_id = has_id;
	ctx->id = id;
	ctx->nested = (run.pids || ctx->waiters) && run.oo.format == OUT_JSON;
	if (ctx->nested && wspec != NULL)	/* an array, not a cell */
		run.oo.spec = wspec[0] == '\0' || strcmp(wspec, "+") == 0 ?
		    NULL : wspec;
	/* one /proc scan, in select_done, for the filters and the columns */
	s->scan = ctx->waiters ? WHO_WAITS : run.pids ? WHO_USES : 0;
	/* ipctool_orphaned_objects: a set or queue waited on is in use */
	if (metrics)
		s->scan = WHO_WAITS;
	if (!select_done(s))
		die_usage("no kind of object matches these options");
	if (has_id)
		for (k = IPC_K_PSEM; k < IPC_K_COUNT; k++)
			s->kinds[k] = false;
	if (ns_joined && !ipc_posix_elsewhere() && !sysv_given)
		warn_msg("--ns FILE: System V objects only (POSIX objects are "
		    "reached with --ns PID)");
	s->mq_quiet = run.allns;
	if (metrics) {	/* the filters' objects, counted: metrics.c */
		nc = run.allns ? s->nns : 1;
		if ((counts = calloc(nc + 1, sizeof *counts)) == NULL ||
		    (run.allns && (labels = calloc(nc + 1, sizeof *labels)) ==
		    NULL))
			die_errno(errno, "cannot allocate");
		memcpy(set_kinds, s->kinds, sizeof set_kinds);
		for (ni = 0; ni < nc; ni++) {
			if (run.allns) {	/* a label for each namespace */
				if (!select_enter_ns(s, ni, IPC_K_SEM))
					continue;
				if (asprintf(&labels[ni], "%llu",
				    s->ns[ni].ino) == -1)
					die_errno(errno, "cannot allocate");
				s->kinds[IPC_K_PSEM] &= !s->shm_dup[ni];
				s->kinds[IPC_K_PSHM] &= !s->shm_dup[ni];
			}
			r = select_count(s, &counts[ni]);
			memcpy(s->kinds, set_kinds, sizeof set_kinds);
			if (r != 0 && status == 0)
				status = r;
		}
		metrics_objects(stdout, counts, nc,
		    (const char *const *)labels);
		for (ni = 0; labels != NULL && ni < nc; ni++)
			free(labels[ni]);
		free(labels);
		free(counts);
	} else if (watch != NULL)
		status = list_watch(&run, &every, watch);
	else
		status = list_kinds(&run);
	select_free(s);
	free(wspec);
	/* the detail view names one object: it must be there */
	if (run.detail && run.found == 0 && status == 0) {
		warn_msg("id:%d: no such object", id);
		return EXIT_NOENT;
	}
	return status;
}
