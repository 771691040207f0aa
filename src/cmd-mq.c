/*
 * ipctool mq: System V message queues and POSIX message queues.
 *
 * receive never loses a message it took off a queue: messages are received
 * into memory, then written to stdout (in large batches when stdout is not
 * a terminal).  When a write fails, every message that did not get out
 * whole is sent back to the queue, in order and with its type or priority,
 * and the error says how many; only when that is impossible too (the queue
 * was removed, or stays full) does it say exactly what was lost.
 *
 * MSG_COPY (peek by position, write, then remove) is deliberately not used:
 * between the peek and the removal another receiver can take the same
 * message, and then both have written it.  A work queue with several
 * receivers must never deliver a message twice; a put-back after a failed
 * write keeps every message exactly once, at the cost of its place in the
 * queue (it goes behind what was sent since).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"
#include "output.h"

static int	mq_create(int, char **);
static int	mq_send(int, char **);
static int	mq_receive(int, char **);
static int	mq_notify_cmd(int, char **);
static int	mq_stat(int, char **);
static int	mq_set(int, char **);
static int	mq_rm(int, char **);

const struct cmd_entry cmd_mq_verbs[] = {
	{ "create", "[TARGET] [-m MODE] [--max-bytes N] [--max-messages N] "
	    "[--message-size N] [--exist-ok] [--manifest FILE] [--json]",
	    "Create a message queue (System V, or POSIX for /NAME) and print "
	    "its TARGET", mq_create },
	{ "send", "TARGET [-T TYPE | -p PRIO] [-t SECS | --nowait] [-E N] "
	    "[DATA] [--lines]",
	    "Send DATA, or stdin as one message, or each line of stdin as a "
	    "message", mq_send },
	{ "receive", "TARGET [-T TYPE] [--except] [-t SECS | --nowait] [-E N] "
	    "[-c COUNT | --follow] [--lines] [--print-type]",
	    "Receive messages and write them to stdout", mq_receive },
	{ "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings]",
	    "Show every attribute of a message queue", mq_stat },
	{ "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] [--max-bytes N]",
	    "Change a queue's mode, owner or byte limit", mq_set },
	{ "notify", "TARGET [-t SECS | --nowait] [-E N]",
	    "Wait until a POSIX queue holds a message, without taking it "
	    "(mq_notify)", mq_notify_cmd },
	{ "rm", "TARGET...", "Remove message queues", mq_rm },
	{ NULL, NULL, NULL, NULL }
};

/* long-only options */
enum {
	OPT_EXCEPT = CHAR_MAX + 1,
	OPT_EXIST_OK,
	OPT_FOLLOW,
	OPT_LINES,
	OPT_MANIFEST,
	OPT_MAX_BYTES,
	OPT_MAX_MESSAGES,
	OPT_MESSAGE_SIZE,
	OPT_MODE,
	OPT_NOWAIT,
	OPT_OWNER,
	OPT_PRINT_TYPE
};

/* stdin is read, and stdout written, in chunks of this size */
#define IO_CHUNK	(256 * 1024)
/*
 * Non-blocking receives tried before blocking.  Measured with a concurrent
 * sender on two cores: more than one try gains nothing measurable and
 * burns CPU the sender needs.
 */
#define RX_SPIN		1

/* A TARGET resolved to something to operate on. */
struct mq_obj {
	struct ipc_target	 t;
	bool			 posix;
	int			 id;
	struct ipc_pmq		*pq;
};

static void
mq_resolve(const char *arg, int access, struct mq_obj *o)
{
	memset(o, 0, sizeof *o);
	xparse_target(arg, 0, &o->t);
	if (o->t.kind == IPC_T_POSIX) {
		o->posix = true;
		if (ipc_pmq_open(o->t.name, access, &o->pq) == -1)
			die_target(&o->t, errno);
	} else if (ipc_msg_open(&o->t, &o->id) == -1)
		die_target(&o->t, errno);
}

/* -t SECS or --nowait; -t bounds each wait (for room, for a message). */
struct wait_opts {
	bool		 nowait;
	bool		 timed;
	struct timespec	 timeout;
};

static void
wait_check(const struct wait_opts *w)
{
	if (w->nowait && w->timed)
		die_usage("-t and --nowait exclude each other");
	if (ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
}

static const struct timespec *
wait_deadline(const struct wait_opts *w, struct timespec *deadline)
{
	if (!w->timed)
		return NULL;
	if (ipc_deadline(&w->timeout, deadline) == -1)
		die_errno(errno, "clock");
	return deadline;
}

/* Prints why an operation on o failed; returns the exit code. */
static int
warn_op(const struct mq_obj *o, int err, bool sending)
{
	switch (err) {
	case EAGAIN:
		if (sending) {
			warn_msg("%s: the queue is full", o->t.text);
			return EXIT_LIMIT;
		}
		warn_msg("%s: no message", o->t.text);
		return conflict_exit;
	case ETIMEDOUT:
		warn_msg("%s: timed out", o->t.text);
		return conflict_exit;
	case EMSGSIZE:
	case E2BIG:
		warn_msg("%s: the message is longer than the queue allows",
		    o->t.text);
		return EXIT_LIMIT;
	case EBADF:
		/* POSIX: opened without the access the operation needs */
		return warn_target(&o->t, EACCES);
	default:
		return warn_target(&o->t, err);
	}
}

static void
refuse_posix(const struct mq_obj *o, bool cond, const char *why)
{
	if (o->posix && cond)
		die_usage("%s: POSIX message queues %s", o->t.text, why);
}

static void
refuse_sysv(const struct mq_obj *o, bool cond, const char *why)
{
	if (!o->posix && cond)
		die_usage("%s: System V message queues %s", o->t.text, why);
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
	{ "TARGET", COL_STR, COL_DEFAULT, NULL },
	{ "KEY", COL_KEY, COL_DEFAULT, NULL },
	{ "ID", COL_NUM, COL_DEFAULT, NULL },
	{ "NAME", COL_STR, COL_DEFAULT, NULL },
	{ "PERMS", COL_STR, COL_DEFAULT, NULL },
	{ "QBYTES", COL_NUM, COL_DEFAULT, NULL },
	{ "MAXMSG", COL_NUM, COL_DEFAULT, NULL },
	{ "MSGSIZE", COL_NUM, COL_DEFAULT, NULL },
	{ "CREATED", COL_BOOL, COL_DEFAULT, NULL },
};
enum { CC_TARGET, CC_KEY, CC_ID, CC_NAME, CC_PERMS, CC_QBYTES, CC_MAXMSG,
	CC_MSGSIZE, CC_CREATED };

static int
mq_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exist-ok",	no_argument,		NULL, OPT_EXIST_OK },
		{ "help",	no_argument,		NULL, 'h' },
		{ "json",	no_argument,		NULL, 'J' },
		{ "manifest",	required_argument,	NULL, OPT_MANIFEST },
		{ "max-bytes",	required_argument,	NULL, OPT_MAX_BYTES },
		{ "max-messages", required_argument,	NULL, OPT_MAX_MESSAGES },
		{ "message-size", required_argument,	NULL, OPT_MESSAGE_SIZE },
		{ "mode",	required_argument,	NULL, 'm' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct ipc_target	 t;
	struct ipc_msg_info	 info;
	struct ipc_pmq		*pq = NULL;
	struct ipc_pmq_attr	 attr = { 0, 0, 0 };
	struct out		 out;
	const char		*manifest = NULL, *errstr;
	char			 target[NAME_MAX + 16], kbuf[11], pbuf[8];
	unsigned long		 max_bytes = 0;
	size_t			 msgmax, msgmnb;
	long			 maxmsg = 0, msgsize = 0;
	mode_t			 mode = 0600;
	bool			 exist_ok = false, json = false, created = false;
	key_t			 key = IPC_PRIVATE;
	int			 c, e, id = -1, tries = 0;

	args_init(&a, argc, argv, "Jm:", longopts, 0, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'm':
			mode = xparse_mode("-m", a.optarg);
			break;
		case OPT_EXIST_OK:
			exist_ok = true;
			break;
		case OPT_MANIFEST:
			manifest = a.optarg;
			break;
		case OPT_MAX_BYTES:
			max_bytes = (unsigned long)xparse_size("--max-bytes",
			    a.optarg, 1, ULONG_MAX);
			break;
		case OPT_MAX_MESSAGES:
			maxmsg = (long)xparse_num("--max-messages", a.optarg,
			    1, LONG_MAX);
			break;
		case OPT_MESSAGE_SIZE:
			msgsize = (long)xparse_size("--message-size",
			    a.optarg, 1, LONG_MAX);
			break;
		}
	}
	if (a.npos == 1)
		xparse_target(a.pos[0], TARGET_CREATE, &t);
	else {
		memset(&t, 0, sizeof t);
		t.kind = IPC_T_NONE;
		t.text = "(random key)";
	}

	if (t.kind == IPC_T_POSIX) {
		if (max_bytes != 0)
			die_usage("%s: POSIX message queues have no byte limit "
			    "(--max-messages, --message-size)", t.text);
		if (ipc_pmq_create(t.name, mode, maxmsg, msgsize, exist_ok,
		    &created, &pq) == -1) {
			if (errno == EINVAL)
				die(EXIT_LIMIT, "%s: --max-messages or "
				    "--message-size is beyond the system's "
				    "limits (/proc/sys/fs/mqueue)", t.text);
			die_target(&t, errno);
		}
		if (ipc_pmq_getattr(pq, &attr) == -1)
			die_target(&t, errno);
		if (!created && (attr.maxmsg < maxmsg ||
		    attr.msgsize < msgsize))
			die(EXIT_LIMIT, "%s: exists with %ld messages of %ld "
			    "bytes, less than asked for", t.text, attr.maxmsg,
			    attr.msgsize);
		ipc_pmq_close(pq);
		snprintf(target, sizeof target, "%s", t.name);
	} else {
		if (maxmsg != 0 || msgsize != 0)
			die_usage("--max-messages and --message-size are for "
			    "POSIX queues (/NAME); System V has --max-bytes");
		if (exist_ok && t.kind == IPC_T_PRIVATE)
			die_usage("--exist-ok: 'private' always creates");
		if (t.kind == IPC_T_KEY)
			key = t.key;
		for (;;) {
			/* read and write for the set-up; the mode at the end */
			if (ipc_msg_create(key, t.kind == IPC_T_NONE,
			    mode | 0600, &id, &key) == 0) {
				created = true;
				break;
			}
			if (errno != EEXIST || !exist_ok)
				die_target(&t, errno);
			if (ipc_msg_open(&t, &id) == 0)
				break;
			/* removed since: try to create again */
			if (errno != ENOENT || ++tries >= 100)
				die_target(&t, errno);
		}
		if (created && max_bytes != 0 &&
		    ipc_msg_set(id, NULL, NULL, NULL, &max_bytes) == -1) {
			e = errno;
			ipc_msg_remove(id);
			if (e == EPERM && ipc_msg_limits(&msgmax,
			    &msgmnb) == 0)
				die(EXIT_PERM, "--max-bytes: %lu is more than "
				    "MSGMNB (%zu); raising it needs "
				    "CAP_SYS_RESOURCE", max_bytes, msgmnb);
			die_errno(e, "--max-bytes %lu", max_bytes);
		}
		if (ipc_msg_stat(id, &info) == -1) {
			e = errno;
			if (created)
				ipc_msg_remove(id);
			die_target(&t, e);
		}
		if (!created && info.qbytes < max_bytes)
			die(EXIT_LIMIT, "%s: exists with a limit of %lu "
			    "bytes, less than %lu", t.text, info.qbytes,
			    max_bytes);
		if (created && (mode & 0600) != 0600 &&
		    ipc_msg_set(id, NULL, NULL, &mode, NULL) == -1) {
			e = errno;
			ipc_msg_remove(id);
			die_target(&t, e);
		}
		if (!created)
			mode = info.mode;
		snprintf(target, sizeof target, "id:%d", id);
	}
	if (manifest != NULL && created)
		create_manifest("mq", target, manifest);
	if (!json) {
		printf("%s\n", target);
		if (created)
			create_done("mq", target);
		return 0;
	}
	out_init(&out, stdout, OUT_JSON, create_cols,
	    sizeof create_cols / sizeof create_cols[0], NULL, &errstr);
	out_begin(&out, "queues");
	out_str(&out, CC_TARGET, target);
	if (t.kind == IPC_T_POSIX) {
		out_str(&out, CC_NAME, t.name);
		out_num(&out, CC_MAXMSG, attr.maxmsg);
		out_num(&out, CC_MSGSIZE, attr.msgsize);
	} else {
		out_str(&out, CC_KEY, fmt_key(key, kbuf));
		out_num(&out, CC_ID, id);
		out_unum(&out, CC_QBYTES, info.qbytes);
	}
	out_str(&out, CC_PERMS, fmt_perms(mode, pbuf));
	out_str(&out, CC_CREATED, created ? "true" : "false");
	out_row(&out);
	out_end(&out);
	out_finish(&out);
	if (created)
		create_done("mq", target);
	return 0;
}

/* ---- send ---- */

struct sender {
	struct mq_obj		*o;
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
send_one(struct sender *s, size_t len)
{
	struct timespec		 dl;
	const struct timespec	*deadline = wait_deadline(s->w, &dl);

	if (s->o->posix)
		return ipc_pmq_send(s->o->pq, s->mb->mtext, len, s->prio,
		    s->w->nowait, deadline);
	return ipc_msg_send(s->o->id, s->mb, len, s->w->nowait, deadline);
}

static void __attribute__((noreturn))
die_too_long(struct sender *s, unsigned long long line)
{
	if (line == 0)
		die(EXIT_LIMIT, "%s: the message is longer than %s (%zu "
		    "bytes); nothing was sent", s->o->t.text, s->limit_name,
		    s->limit);
	die(EXIT_LIMIT, "%s: line %llu is longer than %s (%zu bytes); %llu "
	    "messages were sent before it", s->o->t.text, line, s->limit_name,
	    s->limit, s->sent);
}

static ssize_t
read_in(char *buf, size_t len)
{
	ssize_t	n;

	for (;;) {
		if ((n = read(STDIN_FILENO, buf, len)) >= 0)
			return n;
		if (errno != EINTR || ipc_caught_signal)
			return -1;
	}
}

/*
 * When stdin is a regular file, every line is checked before the first
 * is sent, so a line that is too long sends nothing.  (A pipe can only be
 * checked as it streams: then the error says how many were sent.)
 */
static void
prescan_lines(struct sender *s, char *buf)
{
	struct stat		 st;
	off_t			 off;
	ssize_t			 n;
	size_t			 len = 0;
	unsigned long long	 line = 1;
	char			*p, *end, *nl;

	if (fstat(STDIN_FILENO, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (off = lseek(STDIN_FILENO, 0, SEEK_CUR)) == -1)
		return;
	for (;;) {
		n = pread(STDIN_FILENO, buf, IO_CHUNK, off);
		if (n <= 0)
			break;
		off += n;
		for (p = buf, end = buf + n; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				len += (size_t)(end - p);
				if (len > s->limit)
					die_too_long(s, line);
				break;
			}
			len += (size_t)(nl - p);
			if (len > s->limit)
				die_too_long(s, line);
			len = 0;
			line++;
		}
	}
}

static void __attribute__((noreturn))
die_send(struct sender *s, int err, unsigned long long line)
{
	int	code = warn_op(s->o, err, true);

	if (line > 0)
		warn_msg("%s: stopped at line %llu; %llu messages were sent",
		    s->o->t.text, line, s->sent);
	exit(code);
}

static int
send_lines(struct sender *s)
{
	char			*buf, *p, *end, *nl;
	size_t			 len = 0, seg;
	ssize_t			 n;
	unsigned long long	 line = 1;
	bool			 partial = false;

	buf = xmalloc(IO_CHUNK);
	prescan_lines(s, buf);
	for (;;) {
		if ((n = read_in(buf, IO_CHUNK)) == -1) {
			if (errno == EINTR)
				die_send(s, EINTR, line);
			die_errno(errno, "read error on stdin (%llu messages "
			    "sent)", s->sent);
		}
		if (n == 0)
			break;
		for (p = buf, end = buf + n; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			seg = (size_t)((nl != NULL ? nl : end) - p);
			if (seg > s->limit - len)
				die_too_long(s, line);
			memcpy(s->mb->mtext + len, p, seg);
			len += seg;
			if (nl == NULL) {
				partial = true;
				break;
			}
			if (send_one(s, len) == -1)
				die_send(s, errno, line);
			s->sent++;
			line++;
			len = 0;
			partial = false;
		}
	}
	/* a last line without its newline is a message too */
	if (partial) {
		if (send_one(s, len) == -1)
			die_send(s, errno, line);
		s->sent++;
	}
	free(buf);
	return 0;
}

static int
mq_send(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "lines",	no_argument,		NULL, OPT_LINES },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "priority",	required_argument,	NULL, 'p' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "type",	required_argument,	NULL, 'T' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct mq_obj		 o;
	struct wait_opts	 w = { 0 };
	struct sender		 s;
	long long		 type = 1, prio = 0;
	size_t			 len = 0;
	ssize_t			 n;
	bool			 lines = false, type_given = false;
	bool			 prio_given = false;
	int			 c;

	args_init(&a, argc, argv, "E:T:p:t:", longopts, 1, 2, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'T':
			type = xparse_num("-T", a.optarg, 1, LONG_MAX);
			type_given = true;
			break;
		case 'p':
			prio = xparse_num("-p", a.optarg, 0, UINT_MAX);
			prio_given = true;
			break;
		case 't':
			xparse_secs("-t", a.optarg, &w.timeout);
			w.timed = true;
			break;
		case OPT_LINES:
			lines = true;
			break;
		case OPT_NOWAIT:
			w.nowait = true;
			break;
		case 'E':
			conflict_exit = (int)xparse_num("-E", a.optarg, 0, 255);
			break;
		}
	}
	if (type_given && prio_given)
		die_usage("-T and -p exclude each other");
	if (lines && a.npos == 2)
		die_usage("--lines reads stdin: no DATA");
	wait_check(&w);
	mq_resolve(a.pos[0], IPC_PMQ_WRITE, &o);
	refuse_posix(&o, type_given, "have priorities (-p), not types (-T)");
	refuse_sysv(&o, prio_given, "have types (-T), not priorities (-p)");
	if (prio_given && prio >= ipc_pmq_prio_max())
		die(EXIT_LIMIT, "-p: %lld is not below MQ_PRIO_MAX (%ld)",
		    prio, ipc_pmq_prio_max());

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
	if (a.npos == 2) {
		len = strlen(a.pos[1]);
		if (len > s.limit)
			die_too_long(&s, 0);
		memcpy(s.mb->mtext, a.pos[1], len);
	} else {
		/* all of stdin, but never more than fits (limit + 1 tells) */
		for (;;) {
			n = read_in(s.mb->mtext + len, s.limit + 1 - len);
			if (n == -1) {
				if (errno == EINTR)
					die_send(&s, EINTR, 0);
				die_errno(errno, "read error on stdin");
			}
			if (n == 0)
				break;
			len += (size_t)n;
			if (len > s.limit)
				die_too_long(&s, 0);
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

/* A message written to the output buffer but not yet to stdout. */
struct pending {
	size_t		 end;		/* where its output ends */
	size_t		 body;		/* where its body starts */
	size_t		 len;		/* the body's length */
	long		 type;		/* type, or priority */
};

struct receiver {
	struct mq_obj		*o;
	bool			 lines, print_type;
	char			*ob;		/* output not yet written */
	size_t			 olen, ocap;
	struct pending		*pend;
	size_t			 npend, pcap;
	struct ipc_msgbuf	*mb;		/* one received message */
	size_t			 mbmax;
	unsigned long long	 written;	/* messages out whole */
};

static void
rx_append(struct receiver *r, long type, const char *body, size_t len)
{
	struct pending	*p;
	size_t		 need = len + 32;
	int		 k;

	if (r->ocap - r->olen < need) {
		r->ocap = r->olen + need > 2 * r->ocap ? r->olen + need :
		    2 * r->ocap;
		if ((r->ob = realloc(r->ob, r->ocap)) == NULL)
			die_errno(errno, "cannot allocate");
	}
	if (r->npend == r->pcap) {
		r->pcap = r->pcap ? 2 * r->pcap : 1024;
		if ((r->pend = reallocarray(r->pend, r->pcap,
		    sizeof *r->pend)) == NULL)
			die_errno(errno, "cannot allocate");
	}
	if (r->print_type) {
		k = snprintf(r->ob + r->olen, 32, "%ld\t", type);
		r->olen += (size_t)k;
	}
	p = &r->pend[r->npend++];
	p->body = r->olen;
	p->len = len;
	p->type = type;
	memcpy(r->ob + r->olen, body, len);
	r->olen += len;
	if (r->lines)
		r->ob[r->olen++] = '\n';
	p->end = r->olen;
}

/* Sends back what stdout did not take; returns how many went back. */
static size_t
rx_put_back(struct receiver *r, size_t first)
{
	struct timespec	 rel = { 5, 0 }, deadline;
	struct pending	*p;
	size_t		 i;
	int		 rv;

	if (ipc_deadline(&rel, &deadline) == -1)
		return 0;
	for (i = first; i < r->npend; i++) {
		p = &r->pend[i];
		if (r->o->posix)
			rv = ipc_pmq_send(r->o->pq, r->ob + p->body, p->len,
			    (unsigned int)p->type, false, &deadline);
		else {
			r->mb->mtype = p->type;
			memcpy(r->mb->mtext, r->ob + p->body, p->len);
			rv = ipc_msg_send(r->o->id, r->mb, p->len, false,
			    &deadline);
		}
		if (rv == -1)
			break;
	}
	return i - first;
}

/* Writes the buffer out; returns 0, or an exit code after saying why. */
static int
rx_flush(struct receiver *r)
{
	const char	*what;
	size_t	off = 0, first, back, left;
	ssize_t	n;
	int	e;

	while (off < r->olen) {
		n = write(STDOUT_FILENO, r->ob + off, r->olen - off);
		if (n >= 0) {
			off += (size_t)n;
			/*
			 * A pipe write comes back short only when a signal
			 * interrupted it: after a terminating one, a reader
			 * that does not read must not hold ipctool.
			 */
			if (off < r->olen && ipc_caught_signal) {
				errno = EINTR;
				break;
			}
			continue;
		}
		/* a stop and continue: go on; a terminating signal: stop */
		if (errno == EINTR && !ipc_caught_signal)
			continue;
		break;
	}
	if (off == r->olen) {
		r->written += r->npend;
		r->olen = 0;
		r->npend = 0;
		return 0;
	}
	e = errno;
	for (first = 0; first < r->npend && r->pend[first].end <= off;
	    first++)
		continue;
	r->written += first;
	left = r->npend - first;
	if (r->o->posix && !(ipc_pmq_access(r->o->pq) & IPC_PMQ_WRITE))
		back = 0;
	else
		back = rx_put_back(r, first);
	if (e == EINTR && ipc_caught_signal)
		what = strsignal(ipc_caught_signal);
	else
		what = strerror(e);
	if (back == left)
		warn_msg("write error on stdout: %s; %zu message%s received "
		    "but not written %s put back on %s%s", what, left,
		    left == 1 ? "" : "s", left == 1 ? "was" : "were",
		    r->o->t.text, off > (first > 0 ? r->pend[first - 1].end :
		    0) ? " (the first of them was partly written)" : "");
	else
		warn_msg("write error on stdout: %s; %zu message%s received "
		    "but not written: %zu put back on %s, the last %zu "
		    "LOST (could not send %s back)", what, left,
		    left == 1 ? "" : "s", back, r->o->t.text, left - back,
		    left - back == 1 ? "it" : "them");
	r->olen = 0;
	r->npend = 0;
	if (e == EINTR && ipc_caught_signal)
		return 128 + ipc_caught_signal;
	return e == EPIPE ? 128 + SIGPIPE : EXIT_SYSERR;
}

static ssize_t
rx_one(struct receiver *r, long type, int flags, bool nowait,
    const struct timespec *deadline, long *got_type)
{
	unsigned int	prio;
	ssize_t		n;

	if (r->o->posix) {
		n = ipc_pmq_receive(r->o->pq, r->mb->mtext, r->mbmax, &prio,
		    nowait, deadline);
		*got_type = (long)prio;
		return n;
	}
	n = ipc_msg_receive(r->o->id, r->mb, r->mbmax, type,
	    flags | (nowait ? IPC_NOWAIT : 0), deadline);
	*got_type = r->mb->mtype;
	return n;
}

/* A message longer than the buffer (MSGMAX was lowered): make room. */
static void
rx_grow(struct receiver *r)
{
	struct ipc_msg_info	info;
	size_t			n = 2 * r->mbmax;

	if (ipc_msg_stat(r->o->id, &info) == 0 && info.qbytes > n)
		n = info.qbytes;
	if (n > (size_t)INT_MAX)
		n = INT_MAX;
	if (n <= r->mbmax)
		die(EXIT_LIMIT, "%s: a message is longer than %zu bytes",
		    r->o->t.text, r->mbmax);
	free(r->mb);
	r->mbmax = n;
	r->mb = xmalloc(sizeof *r->mb + n);
}

static int
mq_receive(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count",	required_argument,	NULL, 'c' },
		{ "except",	no_argument,		NULL, OPT_EXCEPT },
		{ "follow",	no_argument,		NULL, OPT_FOLLOW },
		{ "help",	no_argument,		NULL, 'h' },
		{ "lines",	no_argument,		NULL, OPT_LINES },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "print-type",	no_argument,		NULL, OPT_PRINT_TYPE },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "type",	required_argument,	NULL, 'T' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct mq_obj		 o;
	struct wait_opts	 w = { 0 };
	struct receiver		 r;
	struct ipc_pmq_attr	 attr;
	struct timespec		 dl;
	size_t			 msgmax, msgmnb;
	long long		 type = 0, count = 1, got = 0;
	long			 mtype;
	ssize_t			 n;
	bool			 follow = false, except = false;
	bool			 type_given = false, count_given = false, tty;
	int			 c, flags = 0, status = 0, fstatus;
	int			 spin;

	args_init(&a, argc, argv, "E:T:c:t:", longopts, 1, 1, false);
	memset(&r, 0, sizeof r);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'T':
			type = xparse_num("-T", a.optarg, LONG_MIN + 1,
			    LONG_MAX);
			type_given = true;
			break;
		case 'c':
			count = xparse_num("-c", a.optarg, 1, LLONG_MAX);
			count_given = true;
			break;
		case 't':
			xparse_secs("-t", a.optarg, &w.timeout);
			w.timed = true;
			break;
		case OPT_EXCEPT:
			except = true;
			break;
		case OPT_FOLLOW:
			follow = true;
			break;
		case OPT_LINES:
			r.lines = true;
			break;
		case OPT_NOWAIT:
			w.nowait = true;
			break;
		case 'E':
			conflict_exit = (int)xparse_num("-E", a.optarg, 0, 255);
			break;
		case OPT_PRINT_TYPE:
			r.print_type = true;
			break;
		}
	}
	if (follow && count_given)
		die_usage("-c and --follow exclude each other");
	if (except && type <= 0)
		die_usage("--except needs -T TYPE > 0 (every other type)");
#if !HAVE_DECL_MSG_EXCEPT
	if (except)
		die_usage("--except: MSG_EXCEPT is not available here");
#define MSG_EXCEPT 0
#endif
	wait_check(&w);
	/* POSIX: write access too, to put back what stdout refuses */
	memset(&o, 0, sizeof o);
	xparse_target(a.pos[0], 0, &o.t);
	if (o.t.kind == IPC_T_POSIX && ipc_pmq_open(o.t.name,
	    IPC_PMQ_READ | IPC_PMQ_WRITE, &o.pq) == -1) {
		if (errno != EACCES)
			die_target(&o.t, errno);
		mq_resolve(a.pos[0], IPC_PMQ_READ, &o);
	} else if (o.t.kind == IPC_T_POSIX)
		o.posix = true;
	else
		mq_resolve(a.pos[0], 0, &o);
	refuse_posix(&o, type_given, "have priorities, not types (no -T): "
	    "the highest priority comes first");
	refuse_posix(&o, except, "have no --except");
	r.o = &o;
	if (o.posix) {
		if (ipc_pmq_getattr(o.pq, &attr) == -1)
			die_target(&o.t, errno);
		r.mbmax = (size_t)attr.msgsize;
	} else {
		if (ipc_msg_limits(&msgmax, &msgmnb) == -1)
			die_errno(errno, "cannot read the kernel's MSGMAX");
		r.mbmax = msgmax > 8192 ? msgmax : 8192;
		flags = except ? MSG_EXCEPT : 0;
	}
	r.mb = xmalloc(sizeof *r.mb + r.mbmax);
	r.ocap = IO_CHUNK + r.mbmax + 64;
	r.ob = xmalloc(r.ocap);
	/* a closed pipe is an EPIPE to handle, not a death with messages */
	if (ipc_ignore_sigpipe() == -1)
		die_errno(errno, "cannot ignore SIGPIPE");
	tty = isatty(STDOUT_FILENO);

	while (follow || got < count) {
		if (ipc_caught_signal) {
			errno = EINTR;
			status = warn_op(&o, EINTR, false);
			break;
		}
		n = -1;
		errno = EAGAIN;
		if (!w.nowait) {
			/*
			 * Take what is there without blocking; on an empty
			 * queue flush what is held, then block: output is
			 * batched while messages keep coming and never held
			 * back while waiting.
			 */
			for (spin = 0; spin < RX_SPIN; spin++) {
				n = rx_one(&r, (long)type, flags, true, NULL,
				    &mtype);
				if (n != -1 || errno != EAGAIN)
					break;
			}
			if (n == -1 && errno == EAGAIN && r.olen > 0 &&
			    (status = rx_flush(&r)) != 0)
				break;
		}
		if (n == -1 && errno == EAGAIN)
			n = rx_one(&r, (long)type, flags, w.nowait,
			    wait_deadline(&w, &dl), &mtype);
		if (n == -1) {
			if (errno == E2BIG && !o.posix) {
				/* rare: write out what is held first */
				if ((status = rx_flush(&r)) != 0)
					break;
				rx_grow(&r);
				continue;
			}
			/* --follow with -t or --nowait: drained */
			if (follow && (errno == EAGAIN || errno == ETIMEDOUT))
				break;
			status = warn_op(&o, errno, false);
			if (got > 0 && (errno == EAGAIN || errno == ETIMEDOUT))
				warn_msg("%s: received %lld of %lld", o.t.text,
				    got, count);
			break;
		}
		rx_append(&r, mtype, r.mb->mtext, (size_t)n);
		got++;
		if (tty || r.olen >= IO_CHUNK) {
			if ((status = rx_flush(&r)) != 0)
				break;
		}
	}
	if ((fstatus = rx_flush(&r)) != 0 && status == 0)
		status = fstatus;
	free(r.ob);
	free(r.pend);
	free(r.mb);
	if (o.posix)
		ipc_pmq_close(o.pq);
	return status;
}

/* ---- notify ---- */

static int
mq_notify_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "timeout",	required_argument,	NULL, 't' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct mq_obj		 o;
	struct wait_opts	 w = { 0 };
	struct timespec		 dl;
	int			 c;

	args_init(&a, argc, argv, "E:t:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'E':
			conflict_exit = (int)xparse_num("-E", a.optarg, 0, 255);
			break;
		case 't':
			xparse_secs("-t", a.optarg, &w.timeout);
			w.timed = true;
			break;
		case OPT_NOWAIT:
			w.nowait = true;
			break;
		}
	}
	mq_resolve(a.pos[0], 0, &o);
	refuse_sysv(&o, true, "have no notification (notify is POSIX "
	    "only)");
	wait_check(&w);
	if (ipc_pmq_notify_wait(o.pq, wait_deadline(&w, &dl), w.nowait) ==
	    -1) {
		c = errno;
		if (c == EBUSY)
			die(conflict_exit, "%s: another process is registered "
			    "for its notification", o.t.text);
		if (c == EAGAIN && w.timed)
			c = ETIMEDOUT;
		exit(warn_op(&o, c, false));
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
};
enum { SC_MSGS = OC_COUNT, SC_USEDBYTES, SC_QBYTES, SC_MAXMSG, SC_MSGSIZE,
	SC_LSPID, SC_LRPID, SC_SEND, SC_RECV, SC_CTIME, SC_MTIME };

static int
mq_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		OUT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct mq_obj		 o;
	struct out_opts		 oo = { 0 };
	struct out		 out;
	struct ipc_msg_info	 info;
	struct ipc_pmq_attr	 attr;
	struct ipc_posix_stat	 ps;
	int			 c;

	args_init(&a, argc, argv, OUT_OPTSTRING, longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1)
		out_opt(&oo, c, a.optarg);
	mq_resolve(a.pos[0], 0, &o);
	/* what applies to the family, unless -o says otherwise */
	xout_init_defaults(&out, &oo, stat_cols, sizeof stat_cols /
	    sizeof stat_cols[0], o.posix ?
	    "NAME,PERMS,OWNER,GROUP,UID,GID,MSGS,MAXMSG,MSGSIZE,MTIME,CTIME" :
	    "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,MSGS,USEDBYTES,QBYTES,"
	    "LSPID,LRPID,SEND,RECV,CTIME");
	out.vertical = true;
	if (o.posix) {
		if (ipc_pmq_getattr(o.pq, &attr) == -1 ||
		    ipc_pmq_stat(o.pq, &ps) == -1)
			die_target(&o.t, errno);
		out_begin(&out, "queues");
		out_owner(&out, &(struct owner_cells){ .name = o.t.name,
		    .mode = ps.mode, .uid = ps.uid, .gid = ps.gid });
		out_num(&out, SC_MSGS, attr.curmsgs);
		out_num(&out, SC_MAXMSG, attr.maxmsg);
		out_num(&out, SC_MSGSIZE, attr.msgsize);
		out_time(&out, SC_MTIME, ps.mtime.tv_sec);
		out_time(&out, SC_CTIME, ps.ctime.tv_sec);
		ipc_pmq_close(o.pq);
	} else {
		if (ipc_msg_stat(o.id, &info) == -1)
			die_target(&o.t, errno);
		out_begin(&out, "queues");
		out_owner(&out, &(struct owner_cells){ .key = info.key,
		    .id = info.id, .mode = info.mode, .uid = info.uid,
		    .gid = info.gid, .cuid = info.cuid, .cgid = info.cgid });
		out_unum(&out, SC_MSGS, info.qnum);
		out_unum(&out, SC_USEDBYTES, info.cbytes);
		out_unum(&out, SC_QBYTES, info.qbytes);
		out_num(&out, SC_LSPID, info.lspid);
		out_num(&out, SC_LRPID, info.lrpid);
		out_time(&out, SC_SEND, info.stime);
		out_time(&out, SC_RECV, info.rtime);
		out_time(&out, SC_CTIME, info.ctime);
	}
	out_row(&out);
	out_end(&out);
	out_finish(&out);
	return 0;
}

static int
mq_set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "max-bytes",	required_argument,	NULL, OPT_MAX_BYTES },
		{ "mode",	required_argument,	NULL, OPT_MODE },
		{ "owner",	required_argument,	NULL, OPT_OWNER },
		{ NULL,		0,			NULL, 0 }
	};
	struct args	 a;
	struct mq_obj	 o;
	unsigned long	 max_bytes = 0;
	size_t		 msgmax, msgmnb;
	struct perm_opts perm = { 0 };
	int		 c, e;

	args_init(&a, argc, argv, "", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case OPT_MAX_BYTES:
			max_bytes = (unsigned long)xparse_size("--max-bytes",
			    a.optarg, 1, ULONG_MAX);
			break;
		case OPT_MODE:
			perm_mode(&perm, a.optarg);
			break;
		case OPT_OWNER:
			perm_owner(&perm, a.optarg);
			break;
		}
	}
	if (!perm_any(&perm) && max_bytes == 0)
		die_usage("nothing to set (--mode, --owner or --max-bytes)");
	mq_resolve(a.pos[0], 0, &o);
	if (o.posix) {
		refuse_posix(&o, max_bytes != 0, "have no byte limit to set "
		    "(their sizes are fixed at create)");
		if (ipc_pmq_set_perm(o.pq, perm.puid, perm.pgid,
		    perm.pmode) == -1)
			die_target(&o.t, errno);
		ipc_pmq_close(o.pq);
		return 0;
	}
	if (ipc_msg_set(o.id, perm.puid, perm.pgid, perm.pmode,
	    max_bytes != 0 ? &max_bytes : NULL) == -1) {
		e = errno;
		if (e == EPERM && max_bytes != 0 &&
		    ipc_msg_limits(&msgmax, &msgmnb) == 0 && max_bytes > msgmnb)
			die(EXIT_PERM, "--max-bytes: %lu is more than MSGMNB "
			    "(%zu); raising it needs CAP_SYS_RESOURCE",
			    max_bytes, msgmnb);
		die_target(&o.t, e);
	}
	return 0;
}

/* ---- removal ---- */

static int
mq_rm(int argc, char **argv)
{
	return rm_kind("mq", argc, argv);
}
