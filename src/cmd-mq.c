/* SPDX-License-Identifier: ISC */
/*
 * ipctool mq: System V message queues and POSIX message queues.
 *
 * receive never loses a message it took off a queue: each message is
 * received, then written to stdout before the next is taken, so at most
 * one is held outside the queue (all SIGKILL can lose).  When a write
 * fails, or a caught signal interrupts it, the message that did not get
 * out whole is sent back to the queue, in order and with its type or priority,
 * and the error says how many; only when that is impossible too (the queue
 * was removed, or stays full) does it say exactly what was lost.
 *
 * MSG_COPY (peek by position, write, then remove) is used only where a
 * put-back cannot be (a receiver that may not send to the queue): between
 * the peek and the removal another receiver can take the same message, and
 * then both have written it (rx_copy_first says so).  A work queue with
 * several receivers must never deliver a message twice; a put-back after a
 * failed write keeps every message exactly once, at the cost of its place
 * in the queue (it goes behind what was sent since).  --peek copies and
 * never takes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"
#include "create.h"
#include "family.h"
#include "statset.h"
#include "output.h"
#include "table.h"
#include "wait.h"

/* long-only options */
enum {
	OPT_EXCEPT = CHAR_MAX + 1,
	OPT_FOLLOW,
	OPT_LINES,
	OPT_MAX_BYTES,
	OPT_MAX_MESSAGES,
	OPT_MESSAGE_SIZE,
	OPT_PRINT_TYPE,
	OPT_PEEK,
	OPT_TRUNCATE,
	OPT_CREATE
};

#define SYSV_POSIX	(FAM_SYSV | FAM_POSIX)

static const struct opt o_create[] = {
	{ OPT("mode", 'm', A_MODE, 'm', "octal mode (default 0600)") },
	{ OPT("max-bytes", 0, A_SIZE, OPT_MAX_BYTES,
	    "msg_qbytes: bytes the queue holds"), .meta = "N",
	    .flags = OPT_SYSV },
	{ OPT("max-messages", 0, A_NUM, OPT_MAX_MESSAGES, "mq_maxmsg"),
	    .meta = "N", .flags = OPT_POSIX },
	{ OPT("message-size", 0, A_SIZE, OPT_MESSAGE_SIZE, "mq_msgsize"),
	    .meta = "N", .flags = OPT_POSIX },
	{ OPT("exist-ok", 0, A_NONE, OPT_CREATE_EXIST_OK,
	    "open an existing queue instead") },
	{ OPT("manifest", 0, A_FILE, OPT_CREATE_MANIFEST,
	    "append \"mq TARGET\" to FILE") },
	{ OPT("posix", 0, A_NONE, OPT_CREATE_POSIX,
	    "a POSIX queue with a random unused name") },
	{ OPT("json", 'J', A_NONE, 'J', "print the record as JSON") },
	OPT_END
};
/* --create [-m MODE] on send and receive */
#define OPTS_CREATE_FIRST \
	{ OPT("create", 0, A_NONE, OPT_CREATE, \
	    "create the queue first if it does not exist") }, \
	{ OPT("mode", 'm', A_MODE, 'm', \
	    "with --create: octal mode (default 0600)") }, \
	{ OPT("max-bytes", 0, A_SIZE, OPT_MAX_BYTES, \
	    "with --create: msg_qbytes"), .meta = "N", .flags = OPT_SYSV }, \
	{ OPT("max-messages", 0, A_NUM, OPT_MAX_MESSAGES, \
	    "with --create: mq_maxmsg"), .meta = "N", .flags = OPT_POSIX }, \
	{ OPT("message-size", 0, A_SIZE, OPT_MESSAGE_SIZE, \
	    "with --create: mq_msgsize"), .meta = "N", .flags = OPT_POSIX }
static const struct opt o_send[] = {
	{ OPT("type", 'T', A_NUM, 'T', "message type (default 1)"),
	    .meta = "TYPE", .flags = OPT_SYSV, .excl = EXCL_TYPE },
	{ OPT("priority", 'p', A_NUM, 'p', "message priority (default 0)"),
	    .meta = "PRIO", .flags = OPT_POSIX, .excl = EXCL_TYPE },
	OPT_SET(SET_WAIT),
	{ OPT("lines", 0, A_NONE, OPT_LINES,
	    "each line of stdin is a message") },
	{ OPT("verbose", 0, A_NONE, OPT_WAIT_VERBOSE,
	    "say when it waits for room, and for how long") },
	OPTS_CREATE_FIRST,
	OPT_END
};
static const struct opt o_receive[] = {
	{ OPT("type", 'T', A_NUM, 'T', "only messages of TYPE"),
	    .meta = "TYPE", .flags = OPT_SYSV },
	{ OPT("except", 0, A_NONE, OPT_EXCEPT, "any type but TYPE"),
	    .flags = OPT_SYSV },
	OPT_SET(SET_WAIT),
	{ OPT("count", 'c', A_NUM, 'c', "COUNT messages (default 1)"),
	    .meta = "COUNT", .excl = EXCL_COUNT },
	{ OPT("follow", 0, A_NONE, OPT_FOLLOW, "receive until a signal"),
	    .excl = EXCL_COUNT },
	{ OPT("lines", 0, A_NONE, OPT_LINES,
	    "end each message with a newline") },
	{ OPT("print-type", 0, A_NONE, OPT_PRINT_TYPE,
	    "prefix each with its type") },
	{ OPT("verbose", 0, A_NONE, OPT_WAIT_VERBOSE,
	    "say when it waits for a message, and for how long") },
	{ OPT("peek", 0, A_NONE, OPT_PEEK,
	    "show messages without taking them (MSG_COPY)"),
	    .flags = OPT_SYSV },
	{ OPT("index", 'n', A_NUM, 'n',
	    "with --peek: from the message at INDEX (0 the first)"),
	    .meta = "INDEX", .flags = OPT_SYSV },
	{ OPT("truncate", 0, A_SIZE, OPT_TRUNCATE,
	    "write at most SIZE bytes of each message"), .meta = "SIZE" },
	OPTS_CREATE_FIRST,
	OPT_END
};
static const struct opt o_set[] = {
	OPT_SET(SET_PERM),
	{ OPT("max-bytes", 0, A_SIZE, OPT_MAX_BYTES, "the new msg_qbytes"),
	    .meta = "N", .flags = OPT_SYSV },
	OPT_END
};

/*
 * Prints why an operation on o failed, with more (or NULL) at the end of
 * the same line; returns the exit code (a busy or timed-out wait takes w's
 * -E; w may be NULL).
 */
static int
warn_op_more(const struct obj *o, const struct wait_opts *w, int err,
    bool sending, const char *more)
{
	const char	*why;
	int		 code;

	switch (err) {
	case EAGAIN:
		/* a full queue is busy, as an empty one is (SPEC) */
		why = sending ? "the queue is full" : "no message";
		code = wait_busy_exit(w);
		break;
	case ETIMEDOUT:
		why = "timed out";
		code = wait_busy_exit(w);
		break;
	case EMSGSIZE:
	case E2BIG:
		why = "the message is longer than the queue allows";
		code = EXIT_LIMIT;
		break;
	case EBADF:
		/* POSIX: opened without the access the operation needs */
		err = EACCES;
		/* FALLTHROUGH */
	default:
		why = object_strerror(err);
		code = exit_code(err);
		break;
	}
	warn_msg("%s: %s%s", o->t.text, why, more != NULL ? more : "");
	return code;
}

static int
warn_op(const struct obj *o, const struct wait_opts *w, int err, bool sending)
{
	return warn_op_more(o, w, err, sending, NULL);
}

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		die_errno(errno, "cannot allocate");
	return p;
}

/* ---- create ---- */

static const struct out_column create_cols[] = {
	{ "TARGET", COL_STR, COL_DEFAULT, "" },
	{ "KEY", COL_KEY, COL_DEFAULT, "" },
	{ "ID", COL_NUM, COL_DEFAULT, "" },
	{ "NAME", COL_STR, COL_DEFAULT, "" },
	{ "PERMS", COL_STR, COL_DEFAULT, "" },
	{ "QBYTES", COL_NUM, COL_DEFAULT, "" },
	{ "MAXMSG", COL_NUM, COL_DEFAULT, "" },
	{ "MSGSIZE", COL_NUM, COL_DEFAULT, "" },
	{ "CREATED", COL_BOOL, COL_DEFAULT, "" },
};
enum { CC_TARGET, CC_KEY, CC_ID, CC_NAME, CC_PERMS, CC_QBYTES, CC_MAXMSG,
	CC_MSGSIZE, CC_CREATED };

/* mq create's own options, for its steps */
struct mq_create {
	unsigned long		 max_bytes;
	long			 maxmsg, msgsize;
};

static void
mq_create_check(const struct create_obj *o, void *arg)
{
	const struct mq_create	*mc = arg;

	if (o->t.kind == IPC_T_POSIX) {
		if (mc->max_bytes != 0)
			die_usage("%s: POSIX message queues have no byte limit "
			    "(--max-messages, --message-size)", o->t.text);
	} else if (mc->maxmsg != 0 || mc->msgsize != 0)
		die_usage("--max-messages and --message-size are for "
		    "POSIX queues (/NAME); System V has --max-bytes");
}

static int
mq_create_posix(struct create_obj *o, bool exist_ok,
    const struct mq_create *mc)
{
	struct ipc_pmq		*pq;
	struct ipc_pmq_attr	 attr = { 0, 0, 0 };

	if (ipc_pmq_create(o->t.name, o->mode, mc->maxmsg, mc->msgsize,
	    exist_ok, &o->created, &pq) == -1) {
		if (errno == EINVAL)
			die(EXIT_LIMIT, "%s: --max-messages or "
			    "--message-size is beyond the system's "
			    "limits (/proc/sys/fs/mqueue)", o->t.text);
		return -1;
	}
	if (ipc_pmq_getattr(pq, &attr) == -1)
		die_target(&o->t, errno);
	if (!o->created && (attr.maxmsg < mc->maxmsg ||
	    attr.msgsize < mc->msgsize))
		die(EXIT_LIMIT, "%s: exists with %ld messages of %ld "
		    "bytes, less than asked for", o->t.text, attr.maxmsg,
		    attr.msgsize);
	ipc_pmq_close(pq);
	o->maxmsg = attr.maxmsg;
	o->msgsize = attr.msgsize;
	return 0;
}

static int
mq_create_make(struct create_obj *o, bool exist_ok, void *arg)
{
	const struct mq_create	*mc = arg;
	struct ipc_msg_info	 info;
	unsigned long		 max_bytes = mc->max_bytes;
	size_t			 msgmax, msgmnb;
	int			 e, tries = 0;

	if (o->t.kind == IPC_T_POSIX)
		return mq_create_posix(o, exist_ok, mc);
	o->key = o->t.kind == IPC_T_KEY ? o->t.key : IPC_PRIVATE;
	for (;;) {
		/* read and write for the set-up; the mode at the end */
		if (ipc_msg_create(o->key, o->t.kind == IPC_T_NONE,
		    o->mode | 0600, &o->id, &o->key) == 0) {
			o->created = true;
			break;
		}
		if (errno != EEXIST || !exist_ok)
			die_target(&o->t, errno);
		if (ipc_msg_open(&o->t, &o->id) == 0)
			break;
		/* removed since: try to create again */
		if (errno != ENOENT || ++tries >= 100)
			die_target(&o->t, errno);
	}
	if (o->created && max_bytes != 0 &&
	    ipc_msg_set(o->id, NULL, NULL, NULL, &max_bytes) == -1) {
		e = errno;
		ipc_msg_remove(o->id);
		if (e == EPERM && ipc_msg_limits(&msgmax, &msgmnb) == 0)
			die(EXIT_PERM, "--max-bytes: %lu is more than "
			    "MSGMNB (%zu); raising it needs "
			    "CAP_SYS_RESOURCE", max_bytes, msgmnb);
		die_errno(e, "--max-bytes %lu", max_bytes);
	}
	if (ipc_msg_stat(o->id, &info) == -1) {
		e = errno;
		if (o->created)
			ipc_msg_remove(o->id);
		die_target(&o->t, e);
	}
	if (!o->created && info.qbytes < max_bytes)
		die(EXIT_LIMIT, "%s: exists with a limit of %lu "
		    "bytes, less than %lu", o->t.text, info.qbytes,
		    max_bytes);
	if (o->created && (o->mode & 0600) != 0600 &&
	    ipc_msg_set(o->id, NULL, NULL, &o->mode, NULL) == -1) {
		e = errno;
		ipc_msg_remove(o->id);
		die_target(&o->t, e);
	}
	if (!o->created)
		o->mode = info.mode;
	o->n = info.qbytes;
	return 0;
}

/* --create and mq create's -m and sizes, on send and receive */
struct create_first {
	bool			 on, given, mode_given;
	mode_t			 mode;
	struct mq_create	 mc;
};

/* mq create's sizes; false when c is none of them */
static bool
mq_size_opt(struct mq_create *mc, int c, const char *arg)
{
	switch (c) {
	case OPT_MAX_BYTES:
		mc->max_bytes = (unsigned long)xparse_size("--max-bytes", arg,
		    1, ULONG_MAX);
		return true;
	case OPT_MAX_MESSAGES:
		mc->maxmsg = (long)xparse_num("--max-messages", arg, 1,
		    LONG_MAX);
		return true;
	case OPT_MESSAGE_SIZE:
		mc->msgsize = (long)xparse_size("--message-size", arg, 1,
		    LONG_MAX);
		return true;
	}
	return false;
}

static bool
create_first_opt(struct create_first *c, int opt, const char *arg)
{
	if (opt == OPT_CREATE)
		c->on = true;
	else if (opt == 'm') {
		c->mode = xparse_mode("-m", arg);
		c->given = c->mode_given = true;
	} else if (mq_size_opt(&c->mc, opt, arg))
		c->given = true;
	else
		return false;
	return true;
}

/*
 * --create: makes the queue on first use with mq create's defaults and
 * -m MODE, or leaves the one that exists as it is.  msgget(IPC_CREAT) and
 * mq_open(O_CREAT) are atomic and a queue needs no set-up, so any number
 * of first users at once get one queue and nobody sees it half made.
 * Only the usage is checked without --create.
 */
static void
create_first(const struct obj *o, struct create_first *c)
{
	struct create_obj	 co;
	int			 e;

	if (!c->on) {
		if (c->given)
			die_usage("-m, --max-bytes, --max-messages and "
			    "--message-size go with --create");
		return;
	}
	if (o->t.kind != IPC_T_KEY && o->t.kind != IPC_T_POSIX)
		die_usage("--create: %s: needs a key, path:FILE or /NAME (an "
		    "id names a queue that exists)", o->t.text);
	memset(&co, 0, sizeof co);
	co.t = o->t;
	mq_create_check(&co, &c->mc);
	co.mode = c->mode_given ? c->mode : 0600;
	if ((e = mq_create_make(&co, true, &c->mc)) > 0)
		exit(e);
	if (e == -1)
		die_target(&co.t, errno);
}

static void
mq_create_describe(struct out *out, const struct create_obj *o, void *arg)
{
	(void)arg;
	if (o->t.kind == IPC_T_POSIX) {
		out_num(out, CC_MAXMSG, o->maxmsg);
		out_num(out, CC_MSGSIZE, o->msgsize);
	} else
		out_unum(out, CC_QBYTES, o->n);
}

static const struct create_family mq_family = {
	"mq", 0, create_cols, sizeof create_cols / sizeof create_cols[0],
	mq_create_check, mq_create_make, mq_create_describe
};

static int
mq_create(struct cmdargs *a)
{
	struct create_run	 cr;
	struct mq_create	 mc = { 0, 0, 0 };
	int			 c;

	create_init(&cr, &mq_family);
	while ((c = args_opt(a)) != -1) {
		if (create_run_opt(&cr, c, a->optarg))
			continue;
		mq_size_opt(&mc, c, a->optarg);
	}
	return create_exec(&cr, a->npos, a->pos, &mc);
}

/* ---- send ---- */

struct sender {
	struct obj		*o;
	struct wait_opts	*w;
	struct ipc_msgbuf	*mb;	/* type, then room for limit bytes */
	size_t			 limit;
	const char		*limit_name;
	unsigned int		 prio;
	unsigned long long	 sent;
};

/* The largest message o takes, and what sets it. */
static void
send_limit(struct sender *s)
{
	struct ipc_msg_info	info;
	struct ipc_pmq_attr	attr;
	size_t			msgmax, msgmnb;

	if (s->o->posix) {
		if (ipc_pmq_getattr(s->o->pq, &attr) == -1)
			die_target(&s->o->t, errno);
		s->limit = (size_t)attr.msgsize;
		s->limit_name = "the queue's message size";
		return;
	}
	if (ipc_msg_limits(&msgmax, &msgmnb) == -1)
		die_errno(errno, "cannot read the kernel's MSGMAX");
	s->limit = msgmax;
	s->limit_name = "MSGMAX";
	/* a message larger than the queue's qbytes would wait forever */
	if (ipc_msg_stat(s->o->id, &info) == 0 && info.qbytes < msgmax) {
		s->limit = info.qbytes;
		s->limit_name = "the queue's byte limit";
	}
}

static int
send_try(struct sender *s, size_t len, bool nowait,
    const struct timespec *deadline)
{
	if (s->o->posix)
		return ipc_pmq_send(s->o->pq, s->mb->mtext, len, s->prio,
		    nowait, deadline);
	return ipc_msg_send(s->o->id, s->mb, len, nowait, deadline);
}

/* With --verbose, a try that cannot block first: "waiting" only if full. */
static int
send_one(struct sender *s, size_t len)
{
	struct timespec		 dl;
	const struct timespec	*deadline;
	char			 what[NAME_MAX + 32];
	int			 r;

	if (s->w->nowait || !s->w->verbose.on)
		return send_try(s, len, s->w->nowait, wait_deadline(s->w, &dl));
	if ((r = send_try(s, len, true, NULL)) == 0 || errno != EAGAIN)
		return r;
	snprintf(what, sizeof what, "room in %s", s->o->t.text);
	verbose_wait_start(&s->w->verbose, what);
	deadline = wait_deadline(s->w, &dl);
	if (send_try(s, len, false, deadline) == -1)
		return -1;
	verbose_wait_done(&s->w->verbose);
	return 0;
}

/* "1 message was" or "N messages were" */
static const char *
were_sent(unsigned long long n)
{
	return n == 1 ? "message was" : "messages were";
}

static void __attribute__((noreturn))
die_too_long(struct sender *s, unsigned long long line)
{
	if (line == 0)
		die(EXIT_LIMIT, "%s: the message is longer than %s (%zu "
		    "bytes); nothing was sent", s->o->t.text, s->limit_name,
		    s->limit);
	die(EXIT_LIMIT, "%s: line %llu is longer than %s (%zu bytes); %llu "
	    "%s sent before it", s->o->t.text, line, s->limit_name,
	    s->limit, s->sent, were_sent(s->sent));
}

static void __attribute__((noreturn))
die_send(struct sender *s, int err, unsigned long long line)
{
	char	more[96];

	if (line == 0)
		exit(warn_op(s->o, s->w, err, true));
	snprintf(more, sizeof more, " (stopped at line %llu; %llu %s sent)",
	    line, s->sent, were_sent(s->sent));
	exit(warn_op_more(s->o, s->w, err, true, more));
}

static int
send_lines(struct sender *s)
{
	struct ipc_lines	 l;
	unsigned long long	 line;
	size_t			 len;
	int			 r;

	if (ipc_lines_check(STDIN_FILENO, s->limit, &line) == -1) {
		if (errno == EMSGSIZE)
			die_too_long(s, line);
		die_errno(errno, "cannot allocate");
	}
	if (ipc_lines_init(&l, STDIN_FILENO) == -1)
		die_errno(errno, "cannot allocate");
	for (line = 1; (r = ipc_lines_next(&l, s->mb->mtext, s->limit,
	    &len)) == 1; line++) {
		if (send_one(s, len) == -1)
			die_send(s, errno, line);
		s->sent++;
	}
	if (r == -1) {
		if (errno == EMSGSIZE)
			die_too_long(s, line);
		if (errno == EINTR)
			die_send(s, EINTR, line);
		die_errno(errno, "read error on stdin (%llu %s sent)",
		    s->sent, were_sent(s->sent));
	}
	ipc_lines_free(&l);
	return 0;
}

static int
mq_send(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	struct sender		 s;
	struct create_first	 cf = { 0 };
	long long		 type = 1, prio = 0;
	size_t			 len = 0;
	bool			 lines = false, type_given = false;
	bool			 prio_given = false;
	int			 c;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case 'T':
			type = xparse_num("-T", a->optarg, 1, LONG_MAX);
			type_given = true;
			break;
		case 'p':
			prio = xparse_num("-p", a->optarg, 0, UINT_MAX);
			prio_given = true;
			break;
		case OPT_LINES:
			lines = true;
			break;
		default:
			if (!create_first_opt(&cf, c, a->optarg))
				wait_opt(&w, c, a->optarg);
		}
	}
	if (lines && a->npos == 2)
		die_usage("--lines reads stdin: no DATA");
	obj_parse("mq", a->pos[0], &o);
	obj_refuse_posix(&o, type_given,
	    "have priorities (-p), not types (-T)");
	obj_refuse_sysv(&o, prio_given, "have types (-T), not priorities (-p)");
	if (prio_given && prio >= ipc_pmq_prio_max())
		die(EXIT_LIMIT, "-p: %lld is not below MQ_PRIO_MAX (%ld)",
		    prio, ipc_pmq_prio_max());
	if (o.posix)
		wait_need(&w, o.t.text, true, ipc_pmq_timed_send(),
		    "MQ_TIMEDSEND");
	create_first(&o, &cf);
	obj_open(&o, IPC_PMQ_WRITE);
	wait_begin();

	memset(&s, 0, sizeof s);
	s.o = &o;
	s.w = &w;
	s.prio = (unsigned int)prio;
	send_limit(&s);
	s.mb = xmalloc(sizeof *s.mb + s.limit + 1);
	s.mb->mtype = (long)type;
	if (lines) {
		c = send_lines(&s);
		free(s.mb);
		if (o.posix)
			ipc_pmq_close(o.pq);
		return c;
	}
	if (a->npos == 2) {
		len = strlen(a->pos[1]);
		if (len > s.limit)
			die_too_long(&s, 0);
		memcpy(s.mb->mtext, a->pos[1], len);
	} else {
		/* all of stdin, but never more than fits */
		if (ipc_read_all(STDIN_FILENO, s.mb->mtext, s.limit,
		    &len) == -1) {
			if (errno == EMSGSIZE)
				die_too_long(&s, 0);
			if (errno == EINTR)
				die_send(&s, EINTR, 0);
			die_errno(errno, "read error on stdin");
		}
	}
	if (send_one(&s, len) == -1)
		die_send(&s, errno, 0);
	free(s.mb);
	if (o.posix)
		ipc_pmq_close(o.pq);
	return 0;
}

/* ---- receive ---- */

/*
 * After a failed ipc_msgrx_flush: one line saying what was put back (or
 * lost); returns the exit code.
 */
static int
rx_report(const struct obj *o, int e, const struct ipc_msgrx_loss *l)
{
	const char	*what;

	if (e == EINTR && ipc_caught_signal)
		what = strsignal(ipc_caught_signal);
	else
		what = strerror(e);
	if (l->queued == l->left)
		warn_msg("write error on stdout: %s; %zu message%s copied, not "
		    "taken: still on %s", what, l->left, l->left == 1 ? "" :
		    "s", o->t.text);
	else if (l->back == l->left)
		warn_msg("write error on stdout: %s; %zu message%s received "
		    "but not written %s put back on %s%s", what, l->left,
		    l->left == 1 ? "" : "s", l->left == 1 ? "was" : "were",
		    o->t.text, l->partial ?
		    " (the first of them was partly written)" : "");
	else
		warn_msg("write error on stdout: %s; %zu message%s received "
		    "but not written: %zu put back on %s, the last %zu "
		    "LOST (could not send %s back)", what, l->left,
		    l->left == 1 ? "" : "s", l->back, o->t.text,
		    l->left - l->back, l->left - l->back == 1 ? "it" : "them");
	if (e == EINTR && ipc_caught_signal)
		return 128 + ipc_caught_signal;
	return e == EPIPE ? 128 + SIGPIPE : EXIT_SYSERR;
}

static int
rx_flush(const struct obj *o, struct ipc_msgrx *r)
{
	struct ipc_msgrx_loss	l;

	if (ipc_msgrx_flush(r, STDOUT_FILENO, &l) == 0)
		return 0;
	return rx_report(o, errno, &l);
}

/* A take, or with wait_only a wait for a message that leaves it queued. */
static ssize_t
rx_call(struct ipc_msgrx *r, bool wait_only, long type, int flags,
    const struct timespec *deadline)
{
	if (wait_only)
		return ipc_msgrx_wait(r, type, flags, deadline);
	return ipc_msgrx_take(r, type, flags, deadline);
}

/* With --verbose, a try that cannot block first: "waiting" only if empty. */
static ssize_t
rx_wait(const struct obj *o, struct ipc_msgrx *r, struct wait_opts *w,
    long type, int flags, bool wait_only)
{
	struct timespec	dl;
	char		what[NAME_MAX + 32];
	ssize_t		n;

	if (w->nowait)
		flags |= IPC_MSG_NOWAIT;
	if (w->nowait || !w->verbose.on)
		return rx_call(r, wait_only, type, flags, wait_deadline(w, &dl));
	if ((n = rx_call(r, wait_only, type, flags | IPC_MSG_NOWAIT, NULL)) !=
	    -1 || errno != EAGAIN)
		return n;
	snprintf(what, sizeof what, "a message on %s", o->t.text);
	verbose_wait_start(&w->verbose, what);
	if ((n = rx_call(r, wait_only, type, flags, wait_deadline(w, &dl))) !=
	    -1)
		verbose_wait_done(&w->verbose);
	return n;
}

/* After a take that --truncate cut: how much it dropped. */
static void
rx_say_cut(const struct obj *o, const struct ipc_msgrx *r)
{
	if (r->cut > 0)
		warn_msg("%s: a message of %zu bytes was cut to %zu: %zu "
		    "byte%s dropped", o->t.text, r->len, r->len - r->cut,
		    r->cut, r->cut == 1 ? "" : "s");
}

/*
 * A receiver that may not send to a System V queue cannot put back what
 * stdout refuses: it copies the first message (MSG_COPY), writes it, and
 * only then takes it.  Returns as rx_wait; *status is the exit code of a
 * failed write (which took nothing), *extra 1 when the take found another
 * message than the copy (written too).
 */
static ssize_t
rx_copy_first(const struct obj *o, struct ipc_msgrx *r,
    struct wait_opts *w, int *status, int *extra)
{
	ssize_t	n;
	int	rv;

	*extra = 0;
	for (;;) {
		n = ipc_msgrx_take(r, 0, IPC_MSG_COPY, NULL);
		if (n != -1 || errno != EAGAIN || w->nowait)
			break;
		/* empty: wait for a message, leaving it queued */
		if ((rv = (int)rx_wait(o, r, w, 0, 0, true)) == -1)
			return -1;
		if (rv == 1)
			return 0;	/* an empty message, taken */
	}
	if (n == -1 || (*status = rx_flush(o, r)) != 0)
		return n;
	rx_say_cut(o, r);
	switch (ipc_msgrx_commit(r)) {
	case 0:
		return n;
	case 1:
		warn_msg("%s: another receiver took the message this one "
		    "wrote: both may have written it", o->t.text);
		return n;
	case 2:
		warn_msg("%s: another receiver took the message this one "
		    "wrote: both may have written it; the next was taken "
		    "in its place", o->t.text);
		rx_say_cut(o, r);
		*extra = 1;
		*status = rx_flush(o, r);
		return n;
	default:
		die_target(&o->t, errno);
	}
}

static void __attribute__((noreturn))
die_no_copy(void)
{
	die(EXIT_USAGE, "--peek: not supported on this system: MSG_COPY");
}

static int
mq_receive(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	struct ipc_msgrx	 r;
	struct create_first	 cf = { 0 };
	struct ipc_mq		 q;
	struct ipc_pmq_attr	 attr;
	size_t			 msgmax, msgmnb, max, keep = 0;
	long long		 type = 0, count = 1, got = 0, index = 0;
	ssize_t			 n;
	char			 more[64];
	bool			 follow = false, except = false;
	bool			 type_given = false, peek = false, copy = false;
	bool			 index_given = false;
	int			 c, flags = 0, rxflags = 0, status = 0, fstatus;
	int			 extra;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case 'T':
			type = xparse_num("-T", a->optarg, LONG_MIN + 1,
			    LONG_MAX);
			type_given = true;
			break;
		case 'c':
			count = xparse_num("-c", a->optarg, 1, LLONG_MAX);
			break;
		case OPT_EXCEPT:
			except = true;
			break;
		case OPT_FOLLOW:
			follow = true;
			break;
		case OPT_LINES:
			rxflags |= IPC_RX_LINES;
			break;
		case OPT_PRINT_TYPE:
			rxflags |= IPC_RX_PRINT_TYPE;
			break;
		case OPT_PEEK:
			peek = true;
			break;
		case 'n':
			index = xparse_num("-n", a->optarg, 0, LONG_MAX);
			index_given = true;
			break;
		case OPT_TRUNCATE:
			keep = (size_t)xparse_size("--truncate", a->optarg, 1,
			    INT_MAX);
			break;
		default:
			if (!create_first_opt(&cf, c, a->optarg))
				wait_opt(&w, c, a->optarg);
		}
	}
	if (except && type <= 0)
		die_usage("--except needs -T TYPE > 0 (every other type)");
#if !HAVE_DECL_MSG_EXCEPT
	if (except)
		die_usage("--except: %s", not_supported("MSG_EXCEPT"));
#endif
	if (index_given && !peek)
		die_usage("-n INDEX goes with --peek");
	if (peek && (type_given || except))
		die_usage("--peek walks the queue by position (-n INDEX), "
		    "not by type (no -T, --except)");
	if (peek && w.timed)
		die_usage("--peek never waits (MSG_COPY cannot): no -t");
	obj_parse("mq", a->pos[0], &o);
	obj_refuse_posix(&o, type_given, "have priorities, not types (no -T): "
	    "the highest priority comes first");
	obj_refuse_posix(&o, except, "have no --except");
	obj_refuse_posix(&o, peek, "cannot be read without taking a message "
	    "(no --peek; mq notify waits for one without taking it)");
#if !HAVE_DECL_MSG_COPY
	if (peek)
		die_no_copy();
#endif
	/* the put-back needs no timed send (ipc_pmq_send_within) */
	if (o.posix)
		wait_need(&w, o.t.text, true, ipc_pmq_timed_receive(),
		    "MQ_TIMEDRECEIVE");
	create_first(&o, &cf);
	/* POSIX: write access too, to put back what stdout refuses */
	if (o.posix && ipc_pmq_open(o.t.name, IPC_PMQ_READ | IPC_PMQ_WRITE,
	    &o.pq) == -1) {
		if (errno != EACCES)
			die_target(&o.t, errno);
		obj_open(&o, IPC_PMQ_READ);
	} else if (!o.posix)
		obj_open(&o, 0);
	wait_begin();
	if (o.posix) {
		if (ipc_pmq_getattr(o.pq, &attr) == -1)
			die_target(&o.t, errno);
		max = (size_t)attr.msgsize;
	} else {
		if (ipc_msg_limits(&msgmax, &msgmnb) == -1)
			die_errno(errno, "cannot read the kernel's MSGMAX");
		max = msgmax > 8192 ? msgmax : 8192;
		flags = except ? IPC_MSG_EXCEPT : 0;
#if HAVE_DECL_MSG_COPY
		/* no put-back without write access: copy first */
		copy = !peek && type == 0 && !except &&
		    ipc_msg_writable(o.id) == 0;
#endif
	}
	q = (struct ipc_mq){ .posix = o.posix, .id = o.id, .pq = o.pq };
	if (ipc_msgrx_init(&r, &q, max, rxflags) == -1)
		die_errno(errno, "cannot allocate");
	r.keep = keep;
	/* a closed pipe is an EPIPE to handle, not a death with messages */
	if (ipc_ignore_sigpipe() == -1)
		die_errno(errno, "cannot ignore SIGPIPE");

	while (follow || got < count) {
		if (ipc_caught_signal) {
			errno = EINTR;
			status = warn_op(&o, &w, EINTR, false);
			break;
		}
		extra = 0;
		if (peek)
			n = ipc_msgrx_take(&r, (long)index, IPC_MSG_COPY,
			    NULL);
		else if (copy)
			n = rx_copy_first(&o, &r, &w, &status, &extra);
		else
			n = rx_wait(&o, &r, &w, (long)type, flags, false);
		if (n == -1) {
			if (errno == ENOTSUP && peek)
				die_no_copy();
			if (errno == ENOTSUP && copy) {
				/* no MSG_COPY in this kernel after all */
				copy = false;
				continue;
			}
			if (errno == E2BIG && !o.posix) {
				/* rare: write out what is held first */
				if ((status = rx_flush(&o, &r)) != 0)
					break;
				if (ipc_msgrx_grow(&r) == -1) {
					if (errno != EMSGSIZE)
						die_errno(errno,
						    "cannot allocate");
					die(EXIT_LIMIT, "%s: a message is "
					    "longer than %zu bytes", o.t.text,
					    r.mbmax);
				}
				continue;
			}
			/* --follow with -t or --nowait: drained */
			if (follow && (errno == EAGAIN || errno == ETIMEDOUT))
				break;
			if (peek && errno == EAGAIN) {
				if (got > 0)
					snprintf(more, sizeof more, " at index "
					    "%lld (peeked %lld of %lld)", index,
					    got, count);
				else
					snprintf(more, sizeof more, " at index "
					    "%lld", index);
				status = warn_op_more(&o, &w, errno, false, more);
			} else if (got > 0 && (errno == EAGAIN ||
			    errno == ETIMEDOUT)) {
				snprintf(more, sizeof more, " (received %lld "
				    "of %lld)", got, count);
				status = warn_op_more(&o, &w, errno, false, more);
			} else
				status = warn_op(&o, &w, errno, false);
			break;
		}
		index++;
		got += extra;
		if (status != 0)
			break;
		/*
		 * One message at a time: nothing taken off the queue waits
		 * in memory behind a stdout that blocks, so a signal that
		 * cannot be caught (SIGKILL) loses at most this one.
		 */
		got++;
		if ((status = rx_flush(&o, &r)) != 0)
			break;
		if (!copy)
			rx_say_cut(&o, &r);
	}
	if ((fstatus = rx_flush(&o, &r)) != 0 && status == 0)
		status = fstatus;
	ipc_msgrx_free(&r);
	if (o.posix)
		ipc_pmq_close(o.pq);
	return status;
}

/* ---- notify ---- */

static int
mq_notify_cmd(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	struct timespec		 dl;
	int			 c;

	while ((c = args_opt(a)) != -1)
		wait_opt(&w, c, a->optarg);
	obj_parse("mq", a->pos[0], &o);
	obj_refuse_sysv(&o, true, "have no notification (notify is POSIX "
	    "only)");
	/* --nowait only looks */
	if (!w.nowait)
		wait_need(&w, o.t.text, false, ipc_pmq_can_notify(),
		    "MQ_NOTIFY");
	obj_open(&o, 0);
	wait_begin();
	if (ipc_pmq_notify_wait(o.pq, wait_deadline(&w, &dl), w.nowait) ==
	    -1) {
		c = errno;
		if (c == EBUSY)
			die(wait_busy_exit(&w), "%s: another process is registered "
			    "for its notification", o.t.text);
		if (c == EAGAIN && w.timed)
			c = ETIMEDOUT;
		exit(warn_op(&o, &w, c, false));
	}
	ipc_pmq_close(o.pq);
	return 0;
}

/* ---- stat, set ---- */

static const struct out_column stat_cols[] = {
	OWNER_COLUMNS,
	{ "MSGS", COL_NUM, COL_DEFAULT, "messages queued (qnum)" },
	{ "USEDBYTES", COL_SIZE, COL_DEFAULT, "bytes queued (cbytes)" },
	{ "QBYTES", COL_SIZE, COL_DEFAULT, "most bytes the queue holds" },
	{ "MAXMSG", COL_NUM, COL_DEFAULT, "most messages (POSIX)" },
	{ "MSGSIZE", COL_SIZE, COL_DEFAULT, "largest message (POSIX)" },
	{ "LSPID", COL_NUM, COL_DEFAULT, "last sender's pid" },
	{ "LRPID", COL_NUM, COL_DEFAULT, "last receiver's pid" },
	{ "SEND", COL_TIME, COL_DEFAULT, "time of the last send" },
	{ "RECV", COL_TIME, COL_DEFAULT, "time of the last receive" },
	{ "CTIME", COL_TIME, COL_DEFAULT, "time of the last change" },
	{ "MTIME", COL_TIME, 0, "time of the last change (POSIX)" },
	/* only a read of /dev/mqueue/NAME says, which moves its ctime */
	{ "NOTIFY_PID", COL_NUM, 0, "mq_notify's pid (POSIX): unknown" },
};
enum { SC_MSGS = OC_COUNT, SC_USEDBYTES, SC_QBYTES, SC_MAXMSG, SC_MSGSIZE,
	SC_LSPID, SC_LRPID, SC_SEND, SC_RECV, SC_CTIME, SC_MTIME,
	SC_NOTIFY_PID };

/* what stat read */
struct mq_stat {
	struct ipc_msg_info	info;
	struct ipc_pmq_attr	attr;
	struct ipc_posix_stat	ps;
};

static const struct ipc_posix_stat *
mq_stat_load(struct obj *o, void *arg)
{
	struct mq_stat	*st = arg;

	if (o->posix) {
		if (ipc_pmq_getattr(o->pq, &st->attr) == -1 ||
		    ipc_pmq_stat(o->pq, &st->ps) == -1)
			die_target(&o->t, errno);
		ipc_pmq_close(o->pq);
		return &st->ps;
	}
	if (ipc_msg_stat(o->id, &st->info) == -1)
		die_target(&o->t, errno);
	return NULL;
}

static bool
mq_stat_fill(struct out *out, const struct out_opts *oo,
    const struct obj *o, void *arg, struct ipc_obj *ob)
{
	const struct mq_stat	*st = arg;

	(void)oo;
	if (o->posix) {
		out_num(out, SC_MSGS, st->attr.curmsgs);
		out_num(out, SC_MAXMSG, st->attr.maxmsg);
		out_num(out, SC_MSGSIZE, st->attr.msgsize);
		return false;
	}
	out_owner(out, SYSV_OWNER(&st->info));
	out_unum(out, SC_MSGS, st->info.qnum);
	out_unum(out, SC_USEDBYTES, st->info.cbytes);
	out_unum(out, SC_QBYTES, st->info.qbytes);
	out_num(out, SC_LSPID, st->info.lspid);
	out_num(out, SC_LRPID, st->info.lrpid);
	out_time(out, SC_SEND, st->info.stime);
	out_time(out, SC_RECV, st->info.rtime);
	out_time(out, SC_CTIME, st->info.ctime);
	ob->id = st->info.id;
	ob->cpid = st->info.lspid;
	ob->lpid = st->info.lrpid;
	return false;
}

static const struct stat_family mq_stats = {
	"mq", stat_cols, sizeof stat_cols / sizeof stat_cols[0],
	{ "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,MSGS,USEDBYTES,QBYTES,"
	    "LSPID,LRPID,SEND,RECV,CTIME",
	    "NAME,PERMS,OWNER,GROUP,UID,GID,MSGS,MAXMSG,MSGSIZE,MTIME,CTIME" },
	SC_MTIME, SC_CTIME, mq_stat_load, mq_stat_fill
};

static int
mq_stat(struct cmdargs *a)
{
	struct mq_stat	st;

	return stat_exec(a, &mq_stats, &st);
}

/* set's --max-bytes (0: not given) */
static void
mq_set_opt(int c, const char *optarg, void *arg)
{
	if (c == OPT_MAX_BYTES)
		*(unsigned long *)arg = (unsigned long)xparse_size(
		    "--max-bytes", optarg, 1, ULONG_MAX);
}

static void
mq_set_usage(const struct perm_opts *perm, void *arg)
{
	if (!perm_any(perm) && *(unsigned long *)arg == 0)
		die_usage("nothing to set (--mode, --owner or --max-bytes)");
}

static void
mq_set_check(const struct obj *o, void *arg)
{
	obj_refuse_posix(o, *(unsigned long *)arg != 0, "have no byte limit "
	    "to set (their sizes are fixed at create)");
}

static void
mq_set_apply(struct obj *o, const struct perm_opts *perm, void *arg)
{
	unsigned long	 max_bytes = *(unsigned long *)arg;
	size_t		 msgmax, msgmnb;
	int		 e;

	if (o->posix) {
		if (ipc_pmq_set_perm(o->pq, perm->puid, perm->pgid,
		    perm->pmode) == -1)
			die_target(&o->t, errno);
		ipc_pmq_close(o->pq);
		return;
	}
	if (ipc_msg_set(o->id, perm->puid, perm->pgid, perm->pmode,
	    max_bytes != 0 ? &max_bytes : NULL) == -1) {
		e = errno;
		if (e == EPERM && max_bytes != 0 &&
		    ipc_msg_limits(&msgmax, &msgmnb) == 0 && max_bytes > msgmnb)
			die(EXIT_PERM, "--max-bytes: %lu is more than MSGMNB "
			    "(%zu); raising it needs CAP_SYS_RESOURCE",
			    max_bytes, msgmnb);
		die_target(&o->t, e);
	}
}

static const struct set_family mq_sets = {
	"mq", mq_set_opt, mq_set_usage, mq_set_check,
	mq_set_apply
};

static int
mq_set(struct cmdargs *a)
{
	unsigned long	max_bytes = 0;

	return set_exec(a, &mq_sets, &max_bytes);
}

/* ---- removal ---- */

static int
mq_rm(struct cmdargs *a)
{
	return rm_targets("mq", a->npos, a->pos);
}

/* ---- the entries ---- */

const struct verb verb_mq_create = {
	.entry = { "create", "[TARGET... | --posix] [-m MODE] [--max-bytes N] "
	    "[--max-messages N] [--message-size N] [--exist-ok] "
	    "[--manifest FILE] [--json]",
	    "Create message queues (System V, or POSIX for /NAME), all or "
	    "none, and print their TARGETs" },
	.object = "mq", .minpos = 0, .maxpos = -1, .pos = P_NEW,
	.families = SYSV_POSIX, .opts = o_create, .exec = mq_create
};
const struct verb verb_mq_send = {
	.entry = { "send", "TARGET [-T TYPE | -p PRIO] [-t SECS | --nowait] "
	    "[-E N] [DATA] [--lines] [--verbose] [--create [-m MODE]] "
	    "[--max-bytes N | --max-messages N --message-size N]",
	    "Send DATA, or stdin as one message, or each line of stdin as a "
	    "message" },
	.object = "mq", .minpos = 1, .maxpos = 2, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_send, .exec = mq_send
};
const struct verb verb_mq_receive = {
	.entry = { "receive", "TARGET [-T TYPE] [--except] "
	    "[-t SECS | --nowait] [-E N] [-c COUNT | --follow] [--lines] "
	    "[--print-type] [--verbose] [--peek [-n INDEX]] "
	    "[--truncate SIZE] [--create [-m MODE]] "
	    "[--max-bytes N | --max-messages N --message-size N]",
	    "Receive messages and write them to stdout" },
	.object = "mq", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_receive, .exec = mq_receive
};
const struct verb verb_mq_notify = {
	.entry = { "notify", "TARGET [-t SECS | --nowait] [-E N]",
	    "Wait until a POSIX queue holds a message, without taking it "
	    "(mq_notify)" },
	.object = "mq", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = FAM_POSIX, .opts = opts_wait, .exec = mq_notify_cmd
};
const struct verb verb_mq_stat = {
	.entry = { "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings] [--human]",
	    "Show every attribute of a message queue" },
	.object = "mq", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = opts_stat,
	.cols = stat_cols, .ncols = sizeof stat_cols / sizeof stat_cols[0], .exec = mq_stat
};
const struct verb verb_mq_set = {
	.entry = { "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] "
	    "[--max-bytes N]",
	    "Change a queue's mode, owner or byte limit" },
	.object = "mq", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_set, .exec = mq_set
};
const struct verb verb_mq_rm = {
	.entry = { "rm", "TARGET...", "Remove message queues" },
	.object = "mq", .minpos = 1, .maxpos = -1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = opts_none, .exec = mq_rm
};
