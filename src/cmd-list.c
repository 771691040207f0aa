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
	{ "NAMESPACE", COL_NUM, 0, "IPC namespace's inode (-A)" },
	{ "NSPID", COL_NUM, 0, "the lowest pid in the namespace (-A)" },
	{ "NSCOMMAND", COL_STR, 0, "that process's command (-A)" },
};
enum {
	L_KIND, L_TARGET, L_KEY, L_ID, L_NAME, L_PERMS, L_OWNER, L_CUID,
	L_CUSER, L_CGID, L_CGROUP, L_UID, L_USER, L_GID, L_GROUP, L_SIZE,
	L_NATTCH, L_STATUS, L_ATTACH, L_DETACH, L_COMMAND, L_CPID, L_LPID,
	L_RSS, L_SWAP, L_USEDBYTES, L_MSGS, L_MAXMSG, L_MSGSIZE, L_SEND,
	L_RECV, L_LSPID, L_LRPID, L_NSEMS, L_OTIME, L_SVAL, L_MTIME, L_CTIME,
	L_PIDS, L_WAITERS, L_NAMESPACE, L_NSPID, L_NSCOMMAND, L_NCOLS
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
	OPT_SET(opts_select),
	{ OPT("id", 0, A_NUM, OPT_LIST_ID,
	    "only the System V object(s) of that id"), .meta = "ID",
	    .flags = OPT_SYSV },
	{ OPT("pids", 0, A_NONE, OPT_PIDS, "the processes attached"),
	    .excl = EXCL_PIDS },
	{ OPT(NULL, 'i', A_NUM, 'i',
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
	OPT_SET(opts_output),
	OPT_SET(opts_metrics),
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
};

/*
 * -A: every IPC namespace, joined in turn.  POSIX semaphores and segments
 * are files of a mount namespace's /dev/shm, which several IPC namespaces
 * may share: each /dev/shm is walked once, for the first namespace that
 * has it.
 */
struct allns {
	struct ipc_ns	*v;
	size_t		 n;
	bool		*shm_dup;	/* its /dev/shm was an earlier one's */
};

static void
allns_init(struct allns *a)
{
	unsigned long long	(*seen)[2];
	size_t			 i, j, nseen = 0;

	if (ipc_ipcns_list(&a->v, &a->n) == -1)
		die_errno(errno, "cannot list the IPC namespaces in /proc");
	if ((a->shm_dup = calloc(a->n ? a->n : 1, sizeof *a->shm_dup)) ==
	    NULL || (seen = calloc(a->n ? a->n : 1, sizeof *seen)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < a->n; i++) {
		if (ipc_setns_pid(a->v[i].pid, a->v[i].ino) == -1 ||
		    ipc_posix_dir_ident(false, &seen[nseen][0],
		    &seen[nseen][1]) == -1)
			continue;
		for (j = 0; j < nseen; j++)
			if (seen[j][0] == seen[nseen][0] &&
			    seen[j][1] == seen[nseen][1])
				break;
		a->shm_dup[i] = j < nseen;
		if (j == nseen)
			nseen++;
	}
	free(seen);
}

static void
allns_free(struct allns *a)
{
	free(a->v);
	free(a->shm_dup);
}

/* Joins namespace i for kind k; false: nothing of it to walk. */
static bool
allns_enter(const struct allns *a, size_t i, enum ipc_kind k)
{
	if ((k == IPC_K_PSEM || k == IPC_K_PSHM) && a->shm_dup[i])
		return false;
	/* its last process gone since: its objects cannot be reached */
	return ipc_setns_pid(a->v[i].pid, a->v[i].ino) == 0;
}

/* "pid(command),..." of the processes using an object. */
static const char *
fmt_pids(const struct ipc_select *s, const pid_t *p, size_t n, char **buf)
{
	const char	*comm;
	FILE		*f;
	size_t		 len, i;

	if ((f = open_memstream(buf, &len)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if ((comm = select_comm(s, p[i])) == NULL)
			comm = "?";
		fprintf(f, "%s%d(%s)", i ? "," : "", (int)p[i], comm);
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	return *buf;
}

/* "pid(command):what,..." of the processes blocked on an object. */
static const char *
fmt_waiters(const struct ipc_select *s, const struct waiter *w, size_t n,
    char **buf)
{
	const char	*comm;
	char		 what[512];
	FILE		*f;
	size_t		 len, i;

	if ((f = open_memstream(buf, &len)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if ((comm = select_comm(s, w[i].on.pid)) == NULL)
			comm = "?";
		fprintf(f, "%s%d(%s):%s", i ? "," : "", (int)w[i].on.pid,
		    comm, wait_describe(&w[i].w, what, sizeof what));
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	return *buf;
}

static int
list_row(const struct ipc_obj *ob, void *arg)
{
	struct list_ctx		*c = arg;
	struct out		*o = c->o;
	const struct waiter	*w = NULL;
	pid_t			*p = NULL;
	char			 buf[NAME_MAX + 16], *pbuf = NULL, comm[64];
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
	if (c->pids) {
		p = select_users(c->s, ob, &np);
		if (out_wants(o, L_PIDS))
			out_str(o, L_PIDS, fmt_pids(c->s, p, np, &pbuf));
		free(pbuf);
		pbuf = NULL;
	}
	if (c->waiters) {
		nw = select_waiters(c->s, ob, &w);
		if (out_wants(o, L_WAITERS))
			out_str(o, L_WAITERS, fmt_waiters(c->s, w, nw, &pbuf));
		free(pbuf);
	}
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

/*
 * --watch: each frame is one list, run in a child whose output is caught
 * whole, then written with a single write: the cursor home, each line
 * followed by erase-to-end-of-line, erase-below at the end, so a terminal
 * never shows a half-drawn or blank frame (no flicker), in the alternate
 * screen with the cursor hidden, both restored at the end.  Not a tty:
 * the frames one after the other, no escapes.  Returns the exit status
 * in the parent, -1 in the child (which goes on to list).
 */
static int
list_watch(const struct timespec *every, const char *every_text)
{
	static const char	 enter[] = "\033[?1049h\033[?25l";
	static const char	 leave[] = "\033[?25h\033[?1049l";
	char			*out, *frame, stamp[32];
	const char		*p, *nl;
	size_t			 len, flen;
	bool			 tty = isatty(STDOUT_FILENO);
	FILE			*f;
	pid_t			 pid;
	time_t			 now;
	int			 fd, st, status = 0;

	if (ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	if (fflush(stdout) != 0)
		die_errno(errno, "write error on stdout");
	if (tty && ipc_write_all(STDOUT_FILENO, enter, sizeof enter - 1) == -1)
		die_errno(errno, "write error on stdout");
	while (ipc_caught_signal == 0) {
		if ((pid = ipc_fork_stdout(&fd)) == 0) {
			ipc_restore_signals();
			return -1;
		}
		if (pid == -1) {
			status = warn_errno(errno, "cannot fork");
			break;
		}
		out = NULL;
		if (ipc_slurp(fd, &out, &len) == -1 && ipc_caught_signal == 0)
			status = warn_errno(errno, "cannot read the frame");
		close(fd);
		if (ipc_wait_child(pid, &st) == -1)
			status = warn_errno(errno, "cannot wait");
		if (ipc_caught_signal != 0 || status != 0) {
			free(out);
			break;
		}
		/* a usage error is one for every frame */
		if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE) {
			free(out);
			status = EXIT_USAGE;
			break;
		}
		now = time(NULL);
		strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&now));
		if ((f = open_memstream(&frame, &flen)) == NULL)
			die_errno(errno, "cannot allocate");
		fprintf(f, "%sEvery %ss: ipctool list  %s%s\n%s",
		    tty ? "\033[H" : "", every_text, stamp,
		    tty ? "\033[K" : "", tty ? "\033[K" : "");
		for (p = out; p < out + len; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(out + len - p))) ==
			    NULL)
				nl = out + len;
			fprintf(f, "\n%.*s%s", (int)(nl - p), p,
			    tty ? "\033[K" : "");
		}
		fputs(tty ? "\n\033[J" : "\n\n", f);
		if (fclose(f) != 0)
			die_errno(errno, "cannot allocate");
		free(out);
		if (ipc_write_all(STDOUT_FILENO, frame, flen) == -1) {
			status = warn_errno(errno, "write error on stdout");
			free(frame);
			break;
		}
		free(frame);
		if (ipc_pause(every) == -1 && ipc_caught_signal == 0) {
			status = warn_errno(errno, "cannot sleep");
			break;
		}
	}
	if (tty && ipc_write_all(STDOUT_FILENO, leave, sizeof leave - 1) == -1 &&
	    status == 0)
		status = EXIT_SYSERR;
	/* ended by SIGINT or SIGTERM, as asked: success */
	return status;
}

static int
cmd_list(struct cmdargs *a)
{
	struct ipc_select	 s;
	struct out_opts		 oo = { 0 };
	struct out		 out, prev;
	struct out_opts		 ko;
	struct list_ctx		 ctx;
	char			*spec, *wspec = NULL;
	bool			 pids = false, first = true, started = false;
	bool			 sysv_given = false, posix_given = false;
	bool			 metrics = false;
	bool			 times = false, creators = false, newline = false;
	bool			 detail = false, has_id = false;
	bool			 allns = false;
	const char		*watch = NULL;
	struct timespec		 every;
	struct allns		 an = { NULL, 0, NULL };
	struct ipc_counts	*counts;
	char			**labels = NULL;
	size_t			 ni, nc;
	const char		*base;
	char			*set = NULL;
	size_t			 found = 0;
	bool			 set_kinds[IPC_K_COUNT];
	int			 c, k, nkinds = 0, r, status = 0, id = 0;

	/*
	 * One thread: no stdio locking.  Rows are written a line (JSON, raw)
	 * or 32 KiB (tables) at a time: a pipe's worth of buffer (64 KiB)
	 * makes a write per pipe-full rather than per 4 KiB; a terminal
	 * keeps its line buffering.
	 */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	select_init(&s);
	while ((c = args_opt(a)) != -1) {
		if (c == OPT_SEL_SYSV)
			sysv_given = true;
		if (c == OPT_SEL_POSIX)
			posix_given = true;
		switch (c) {
		case OPT_PIDS:
			pids = true;
			break;
		case 'i':
			detail = true;
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
			times = true;
			break;
		case OPT_LIST_CREATORS:
			creators = true;
			break;
		case OPT_LIST_NEWLINE:
			newline = true;
			break;
		case OPT_LIST_ALLNS:
			allns = true;
			break;
		case OPT_LIST_WATCH:
			watch = a->optarg != NULL ? a->optarg : "2";
			xparse_secs("--watch", watch, &every);
			if (every.tv_sec == 0 && every.tv_nsec < 100000000L)
				die_usage("--watch: '%s': at least 0.1 "
				    "seconds", watch);
			break;
		default:
			if (!select_opt(&s, c, a->optarg))
				out_opt(&oo, c, a->optarg);
		}
	}
	if (detail && metrics)
		die_usage("--metrics: counts objects; -i shows one, "
		    "field by field: --id ID counts it");
	/* --metrics --id: the count of that id, one System V object a kind */
	s.has_id = has_id && metrics;
	s.id = id;
	if (watch != NULL && (metrics || oo.format == OUT_JSON))
		die_usage("--watch: redraws a table; --json and --metrics "
		    "are documents (run them in a loop)");
	if (watch != NULL && (r = list_watch(&every, watch)) >= 0) {
		select_free(&s);
		return r;
	}
	if (allns && ns_joined)
		die_usage("-A: every namespace already; not with --ns");
	if (allns && (pids || s.orphaned ||
	    (oo.spec != NULL && strcasestr(oo.spec, "WAITERS") != NULL)))
		die_usage("-A: --pids, WAITERS and --orphaned look at the "
		    "processes of one namespace: use --ns PID");
	if (has_id && posix_given)
		die_usage("%s: System V objects only (POSIX objects have "
		    "names, not ids)", detail ? "-i" : "--id");
	memset(&ctx, 0, sizeof ctx);
	ctx.s = &s;
	ctx.o = &out;
	ctx.pids = pids;
	/* WAITERS comes with --pids, or alone with -o */
	ctx.waiters = spec_drop(oo.spec, "WAITERS", &wspec) || pids;
	ctx.format = oo.format;
	ctx.has_id = has_id;
	ctx.id = id;
	ctx.nested = (pids || ctx.waiters) && oo.format == OUT_JSON;
	if (ctx.nested && wspec != NULL)	/* an array, not a cell */
		oo.spec = wspec[0] == '\0' || strcmp(wspec, "+") == 0 ?
		    NULL : wspec;
	/* one /proc scan, in select_done, for the filters and the columns */
	s.scan = ctx.waiters ? WHO_WAITS : pids ? WHO_USES : 0;
	if (!select_done(&s))
		die_usage("no kind of object matches these options");
	if (has_id)
		for (k = IPC_K_PSEM; k < IPC_K_COUNT; k++)
			s.kinds[k] = false;
	if (ns_joined && !ipc_posix_elsewhere() && !sysv_given)
		warn_msg("--ns FILE: System V objects only (POSIX objects are "
		    "reached with --ns PID)");
	if (allns)
		allns_init(&an);
	s.mq_quiet = allns;
	if (metrics) {	/* the filters' objects, counted: metrics.c */
		nc = allns ? an.n : 1;
		if ((counts = calloc(nc + 1, sizeof *counts)) == NULL ||
		    (allns && (labels = calloc(nc + 1, sizeof *labels)) ==
		    NULL))
			die_errno(errno, "cannot allocate");
		memcpy(set_kinds, s.kinds, sizeof set_kinds);
		for (ni = 0; ni < nc; ni++) {
			if (allns) {	/* a label for each namespace reached */
				if (!allns_enter(&an, ni, IPC_K_SEM))
					continue;
				if (asprintf(&labels[ni], "%llu",
				    an.v[ni].ino) == -1)
					die_errno(errno, "cannot allocate");
				s.kinds[IPC_K_PSEM] &= !an.shm_dup[ni];
				s.kinds[IPC_K_PSHM] &= !an.shm_dup[ni];
			}
			r = select_count(&s, &counts[ni]);
			memcpy(s.kinds, set_kinds, sizeof set_kinds);
			if (r != 0 && status == 0)
				status = r;
		}
		metrics_objects(stdout, counts, nc,
		    (const char *const *)labels);
		for (ni = 0; labels != NULL && ni < nc; ni++)
			free(labels[ni]);
		free(labels);
		free(counts);
		allns_free(&an);
		select_free(&s);
		return status;
	}
	for (k = 0; k < IPC_K_COUNT; k++)
		nkinds += s.kinds[k];
	for (k = 0; k < IPC_K_COUNT; k++) {
		if (!s.kinds[k])
			continue;
		ko = oo;
		spec = NULL;
		base = defaults[k];
		if (times || creators) {
			if (asprintf(&set, "%s%s%s%s%s", idents[k],
			    creators ? "," : "", creators ? creator_cols[k] : "",
			    times ? "," : "", times ? time_cols[k] : "") == -1)
				die_errno(errno, "cannot allocate");
			base = set;
		}
		if (oo.spec == NULL || oo.spec[0] == '+') {
			/*
			 * Rows of several kinds in one stream without titles
			 * (--raw, --export, a table without headings) say
			 * their kind first; -o COLS is taken as given.
			 */
			if (asprintf(&spec, "%s%s%s%s%s%s",
			    nkinds > 1 && (oo.format == OUT_RAW ||
			    oo.format == OUT_EXPORT || (oo.format ==
			    OUT_TABLE && oo.no_headings)) ? "KIND," : "",
			    !allns ? "" : oo.format == OUT_JSON ||
			    oo.format == OUT_EXPORT ?
			    "NAMESPACE,NSPID,NSCOMMAND," : "NAMESPACE,",
			    base,
			    pids && !ctx.nested ? ",WAITERS,PIDS" : "",
			    oo.spec != NULL ? "," : "",
			    oo.spec != NULL ? oo.spec + 1 : "") == -1)
				die_errno(errno, "cannot allocate");
			ko.spec = spec;
		}
		xout_init(&out, &ko, list_cols, L_NCOLS);
		free(spec);
		free(set);
		set = NULL;
		/* lsipc -n, -i: NAME value lines, a blank line between */
		out.vertical = newline || detail;
		if (started)
			out_continue(&out, &prev);
		started = true;
		out_begin(&out, kind_section((enum ipc_kind)k));
		ctx.nrows = 0;
		for (ni = 0; ni < (allns ? an.n : 1); ni++) {
			if (allns && !allns_enter(&an, ni, (enum ipc_kind)k))
				continue;
			ctx.ns = allns ? &an.v[ni] : NULL;
			r = select_walk(&s, (enum ipc_kind)k, list_row, &ctx);
			if (r != 0 && status == 0)
				status = r;
		}
		found += ctx.nrows;
		if (oo.format == OUT_TABLE && nkinds > 1) {
			/* one titled table per kind that has objects */
			if (ctx.nrows > 0 && out.headings)
				printf("%s%s:\n", first ? "" : "\n",
				    titles[k]);
			else if (ctx.nrows == 0)
				out.nrows = 0, out.headings = false;
			if (ctx.nrows > 0)
				first = false;
			if (ctx.nrows == 0) {
				out_free(&out);
				prev = out;
				continue;
			}
		}
		out_end(&out);
		out_free(&out);
		prev = out;
	}
	if (oo.format == OUT_JSON)
		out_finish(&prev);
	select_free(&s);
	allns_free(&an);
	free(wspec);
	/* the detail view names one object: it must be there */
	if (detail && found == 0 && status == 0) {
		warn_msg("id:%d: no such object", id);
		return EXIT_NOENT;
	}
	return status;
}
