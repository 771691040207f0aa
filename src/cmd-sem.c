/*
 * ipctool sem: System V semaphore sets and POSIX named semaphores.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"
#include "output.h"

static int	sem_create(int, char **);
static int	sem_acquire(int, char **);
static int	sem_release(int, char **);
static int	sem_z(int, char **);
static int	sem_value(int, char **);
static int	sem_op(int, char **);
static int	sem_stat(int, char **);
static int	sem_set(int, char **);
static int	sem_rm(int, char **);

const struct cmd_entry cmd_sem_verbs[] = {
	{ "create", "[TARGET] [-n NSEMS] [-v VALUE] [-m MODE] [--exist-ok] "
	    "[-t SECS] [--manifest FILE] [--json]",
	    "Create a semaphore set (or POSIX semaphore) and print its TARGET",
	    sem_create },
	{ "acquire", "TARGET [-d DELTA] [-i INDEX] [-t SECS | --nowait] "
	    "[-u|--undo] [-E N] [-- CMD ARGS...]",
	    "Take DELTA from a semaphore, waiting while it is too low; with "
	    "CMD, hold it while CMD runs", sem_acquire },
	{ "release", "TARGET [-d DELTA] [-i INDEX]",
	    "Add DELTA to a semaphore", sem_release },
	{ "z", "TARGET [-i INDEX] [-t SECS | --nowait] [-E N]",
	    "Wait until a semaphore is zero", sem_z },
	{ "value", "TARGET [-i INDEX]",
	    "Print a semaphore's value (every member's, one a line)",
	    sem_value },
	{ "op", "TARGET INDEX:DELTA... [-t SECS | --nowait] [-E N] "
	    "[-- CMD ARGS...]",
	    "One atomic semop over several members (DELTA 0 waits for zero)",
	    sem_op },
	{ "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings]",
	    "Show every attribute of a semaphore set and of each member",
	    sem_stat },
	{ "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] "
	    "[--value VALUE [-i INDEX]]",
	    "Change a semaphore's mode, owner or value", sem_set },
	{ "rm", "TARGET...", "Remove semaphores", sem_rm },
	{ NULL, NULL, NULL, NULL }
};

/* long-only options */
enum {
	OPT_EXIST_OK = CHAR_MAX + 1,
	OPT_MANIFEST,
	OPT_NOWAIT,
	OPT_MODE,
	OPT_OWNER,
	OPT_VALUE
};

/* A TARGET resolved to something to operate on. */
struct sem_obj {
	struct ipc_target	 t;
	bool			 posix;
	int			 id;
	struct ipc_psem		*ps;
};

static void
sem_resolve(const char *arg, struct sem_obj *o)
{
	memset(o, 0, sizeof *o);
	xparse_target(arg, TARGET_PSEM, &o->t);
	if (o->t.kind == IPC_T_POSIX) {
		o->posix = true;
		if (ipc_psem_open(o->t.name, &o->ps) == -1)
			die_target(&o->t, errno);
	} else if (ipc_sem_open(&o->t, &o->id) == -1)
		die_target(&o->t, errno);
}

/* Shared by acquire, z and op: -t SECS or --nowait. */
struct wait_opts {
	bool		 nowait;
	bool		 timed;
	struct timespec	 timeout;
	struct timespec	 deadline;
};

static void
wait_opt(struct wait_opts *w, int c, const char *arg)
{
	switch (c) {
	case 't':
		xparse_secs("-t", arg, &w->timeout);
		w->timed = true;
		break;
	case OPT_NOWAIT:
		w->nowait = true;
		break;
	case 'E':
		conflict_exit = (int)xparse_num("-E", arg, 0, 255);
		break;
	}
}

static const struct timespec *
wait_start(struct wait_opts *w)
{
	if (w->nowait && w->timed)
		die_usage("-t and --nowait exclude each other");
	if (!w->nowait && ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	if (!w->timed)
		return NULL;
	if (ipc_deadline(&w->timeout, &w->deadline) == -1)
		die_errno(errno, "clock");
	return &w->deadline;
}

/* The message and exit code for a failed wait or operation. */
static void __attribute__((noreturn))
die_op(const struct sem_obj *o, const struct wait_opts *w, int err)
{
	switch (err) {
	case EAGAIN:
		if (w != NULL && w->timed)
			die(conflict_exit, "%s: timed out", o->t.text);
		die(conflict_exit, "%s: busy", o->t.text);
	case ERANGE:
		die(EXIT_LIMIT, "%s: the value would leave 0..%d (SEMVMX)",
		    o->t.text, o->posix ? SEM_VALUE_MAX : SEMVMX);
	case EFBIG:
		die(EXIT_LIMIT, "%s: no such member (index >= NSEMS)",
		    o->t.text);
	case E2BIG:
		die(EXIT_LIMIT, "%s: more operations than SEMOPM allows",
		    o->t.text);
	default:
		die_target(&o->t, err);
	}
}

static long long
parse_index(const char *arg)
{
	return xparse_num("-i", arg, 0, USHRT_MAX);
}

static int
parse_delta(const char *arg)
{
	long long	d = xparse_num("-d", arg, 1, INT_MAX);

	if (d > SEMVMX)
		die(EXIT_LIMIT, "-d: %lld is more than SEMVMX (%d)", d,
		    SEMVMX);
	return (int)d;
}

static void
refuse_posix(const struct sem_obj *o, const char *why)
{
	if (o->posix)
		die_usage("%s: POSIX semaphores %s", o->t.text, why);
}

/* ---- create ---- */

static const struct out_column create_cols[] = {
	{ "TARGET", COL_STR, COL_DEFAULT, NULL },
	{ "KEY", COL_KEY, COL_DEFAULT, NULL },
	{ "ID", COL_NUM, COL_DEFAULT, NULL },
	{ "NAME", COL_STR, COL_DEFAULT, NULL },
	{ "NSEMS", COL_NUM, COL_DEFAULT, NULL },
	{ "PERMS", COL_STR, COL_DEFAULT, NULL },
	{ "CREATED", COL_BOOL, COL_DEFAULT, NULL },
};
enum { CC_TARGET, CC_KEY, CC_ID, CC_NAME, CC_NSEMS, CC_PERMS, CC_CREATED };

static int
sem_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exist-ok",	no_argument,		NULL, OPT_EXIST_OK },
		{ "help",	no_argument,		NULL, 'h' },
		{ "json",	no_argument,		NULL, 'J' },
		{ "manifest",	required_argument,	NULL, OPT_MANIFEST },
		{ "mode",	required_argument,	NULL, 'm' },
		{ "nsems",	required_argument,	NULL, 'n' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "value",	required_argument,	NULL, 'v' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct ipc_target	 t;
	struct ipc_sem_info	 info;
	struct ipc_psem		*ps = NULL;
	struct ipc_posix_stat	 pst;
	struct timespec		 wait = { 5, 0 }, deadline;
	struct out		 out;
	const char		*manifest = NULL, *errstr;
	char			 target[NAME_MAX + 16], kbuf[11], pbuf[8];
	unsigned long		 nsems = 1;
	mode_t			 mode = 0600;
	bool			 exist_ok = false, json = false, created = false;
	bool			 nsems_given = false;
	long long		 value = 0;
	key_t			 key = IPC_PRIVATE;
	int			 c, id = -1, tries = 0;

	args_init(&a, argc, argv, "Jm:n:t:v:", longopts, 0, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'm':
			mode = xparse_mode("-m", a.optarg);
			break;
		case 'n':
			nsems = (unsigned long)xparse_num("-n", a.optarg, 1,
			    INT_MAX);
			nsems_given = true;
			break;
		case 't':
			xparse_secs("-t", a.optarg, &wait);
			break;
		case 'v':
			value = xparse_num("-v", a.optarg, 0, INT_MAX);
			break;
		case OPT_EXIST_OK:
			exist_ok = true;
			break;
		case OPT_MANIFEST:
			manifest = a.optarg;
			break;
		}
	}
	if (a.npos == 1)
		xparse_target(a.pos[0], TARGET_CREATE | TARGET_PSEM, &t);
	else {
		memset(&t, 0, sizeof t);
		t.kind = IPC_T_NONE;
		t.text = "(random key)";
	}
	(void)errstr;

	if (t.kind == IPC_T_POSIX) {
		if (nsems != 1)
			die_usage("%s: a POSIX semaphore is a single value "
			    "(no -n)", t.text);
		if (value > SEM_VALUE_MAX)
			die(EXIT_LIMIT, "-v: %lld is more than SEM_VALUE_MAX "
			    "(%d)", value, SEM_VALUE_MAX);
		if (ipc_psem_create(t.name, mode, (unsigned int)value,
		    exist_ok, &created, &ps) == -1)
			die_target(&t, errno);
		ipc_psem_close(ps);
		if (!created && ipc_psem_stat(t.name, &pst) == 0)
			mode = pst.mode;
		snprintf(target, sizeof target, "%s", t.name);
	} else {
		if (value > SEMVMX)
			die(EXIT_LIMIT, "-v: %lld is more than SEMVMX (%d)",
			    value, SEMVMX);
		if (exist_ok && t.kind == IPC_T_PRIVATE)
			die_usage("--exist-ok: 'private' always creates");
		if (t.kind == IPC_T_KEY)
			key = t.key;
		for (;;) {
			if (ipc_sem_create(key, t.kind == IPC_T_NONE, nsems,
			    (int)value, mode, &id, &key) == 0) {
				created = true;
				break;
			}
			if (errno == EINVAL)	/* nsems > SEMMSL */
				die(EXIT_LIMIT, "-n: %lu is more than the "
				    "kernel's SEMMSL", nsems);
			if (errno != EEXIST || !exist_ok)
				die_target(&t, errno);
			if (ipc_sem_open(&t, &id) == -1) {
				/* removed since: try to create again */
				if (errno == ENOENT && ++tries < 100)
					continue;
				die_target(&t, errno);
			}
			if (ipc_sem_stat(id, &info) == -1)
				die_target(&t, errno);
			if (nsems_given && info.nsems < nsems)
				die(EXIT_LIMIT, "%s: exists with %lu "
				    "semaphores, fewer than %lu", t.text,
				    info.nsems, nsems);
			if (ipc_deadline(&wait, &deadline) == -1 ||
			    ipc_catch_signals() == -1)
				die_errno(errno, "clock");
			if (ipc_sem_wait_init(id, &deadline) == -1) {
				if (errno == ETIMEDOUT)
					die(conflict_exit, "%s: exists but was "
					    "never initialised (sem_otime is "
					    "0)", t.text);
				die_target(&t, errno);
			}
			nsems = info.nsems;
			mode = info.mode;
			break;
		}
		snprintf(target, sizeof target, "id:%d", id);
	}
	if (manifest != NULL && created)
		create_manifest("sem", target, manifest);
	if (!json) {
		printf("%s\n", target);
		if (created)
			create_done("sem", target);
		return 0;
	}
	out_init(&out, stdout, OUT_JSON, create_cols,
	    sizeof create_cols / sizeof create_cols[0], NULL, &errstr);
	out_begin(&out, "semaphores");
	out_str(&out, CC_TARGET, target);
	if (t.kind == IPC_T_POSIX) {
		out_str(&out, CC_NAME, t.name);
		out_unum(&out, CC_NSEMS, 1);
	} else {
		out_str(&out, CC_KEY, fmt_key(key, kbuf));
		out_num(&out, CC_ID, id);
		out_unum(&out, CC_NSEMS, nsems);
	}
	out_str(&out, CC_PERMS, fmt_perms(mode, pbuf));
	out_str(&out, CC_CREATED, created ? "true" : "false");
	out_row(&out);
	out_end(&out);
	out_finish(&out);
	if (created)
		create_done("sem", target);
	return 0;
}

/* ---- acquire, release, z ---- */

static int
posix_run_holding(struct sem_obj *o, char **cmd)
{
	pid_t	pid;
	int	status, e, r;

	if (ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	if (ipc_spawn(cmd, &pid) == -1) {
		e = errno;
		ipc_psem_post(o->ps, 1);
		ipc_psem_close(o->ps);
		warn_msg("%s: %s", cmd[0], strerror(e));
		return e == ENOENT ? EXIT_CMD_NOT_FOUND : EXIT_CANNOT_EXEC;
	}
	r = ipc_wait_child(pid, &status);
	e = errno;
	if (ipc_psem_post(o->ps, 1) == -1)
		warn_errno(errno, "%s: cannot release", o->t.text);
	ipc_psem_close(o->ps);
	if (r == -1)
		die_errno(e, "wait for %s", cmd[0]);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void __attribute__((noreturn))
exec_holding(char **cmd)
{
	int	e;

	/* SEM_UNDO's adjustment survives execve: kill -9 of CMD releases */
	ipc_exec(cmd);
	e = errno;
	warn_msg("%s: %s", cmd[0], strerror(e));
	exit(e == ENOENT ? EXIT_CMD_NOT_FOUND : EXIT_CANNOT_EXEC);
}

static int
sem_acquire(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "delta",	required_argument,	NULL, 'd' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "undo",	no_argument,		NULL, 'u' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct wait_opts	 w = { 0 };
	const struct timespec	*deadline;
	struct sembuf		 op;
	long long		 index = 0;
	int			 c, delta = 1;
	bool			 undo = false, index_given = false;

	args_init(&a, argc, argv, "E:d:i:t:u", longopts, 1, 1, true);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'd':
			delta = parse_delta(a.optarg);
			break;
		case 'i':
			index = parse_index(a.optarg);
			index_given = true;
			break;
		case 'u':
			undo = true;
			break;
		default:
			wait_opt(&w, c, a.optarg);
		}
	}
	if (undo && a.cmd == NULL)
		die_usage("--undo needs -- CMD: the undo would release as "
		    "ipctool exits");
	sem_resolve(a.pos[0], &o);
	if (o.posix) {
		if (delta != 1)
			refuse_posix(&o, "take one at a time (no -d > 1)");
		if (index_given && index != 0)
			refuse_posix(&o, "have a single member (no -i)");
		if (undo)
			refuse_posix(&o, "have no undo (--undo)");
		deadline = wait_start(&w);
		if (ipc_psem_wait(o.ps, deadline, w.nowait) == -1)
			die_op(&o, &w, errno);
		if (a.cmd != NULL)
			return posix_run_holding(&o, a.cmd);
		ipc_psem_close(o.ps);
		return 0;
	}
	deadline = wait_start(&w);
	op.sem_num = (unsigned short)index;
	op.sem_op = (short)-delta;
	op.sem_flg = (short)((w.nowait ? IPC_NOWAIT : 0) |
	    (undo || a.cmd != NULL ? SEM_UNDO : 0));
	if (ipc_sem_op(o.id, &op, 1, deadline) == -1)
		die_op(&o, &w, errno);
	if (a.cmd != NULL)
		exec_holding(a.cmd);
	return 0;
}

static int
sem_release(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "delta",	required_argument,	NULL, 'd' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args	 a;
	struct sem_obj	 o;
	struct sembuf	 op;
	long long	 index = 0;
	int		 c, delta = 1;
	bool		 index_given = false;

	args_init(&a, argc, argv, "d:i:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'd':
			delta = parse_delta(a.optarg);
			break;
		case 'i':
			index = parse_index(a.optarg);
			index_given = true;
			break;
		}
	}
	sem_resolve(a.pos[0], &o);
	if (o.posix) {
		if (index_given && index != 0)
			refuse_posix(&o, "have a single member (no -i)");
		if (ipc_psem_post(o.ps, (unsigned int)delta) == -1)
			die_op(&o, NULL, errno == EOVERFLOW ? ERANGE : errno);
		ipc_psem_close(o.ps);
		return 0;
	}
	op.sem_num = (unsigned short)index;
	op.sem_op = (short)delta;
	op.sem_flg = IPC_NOWAIT;
	if (ipc_sem_op(o.id, &op, 1, NULL) == -1)
		die_op(&o, NULL, errno);
	return 0;
}

static int
sem_z(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "timeout",	required_argument,	NULL, 't' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct wait_opts	 w = { 0 };
	const struct timespec	*deadline;
	struct sembuf		 op;
	long long		 index = 0;
	int			 c;

	args_init(&a, argc, argv, "E:i:t:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		if (c == 'i')
			index = parse_index(a.optarg);
		else
			wait_opt(&w, c, a.optarg);
	}
	sem_resolve(a.pos[0], &o);
	refuse_posix(&o, "cannot wait for zero (z is System V only)");
	deadline = wait_start(&w);
	op.sem_num = (unsigned short)index;
	op.sem_op = 0;
	op.sem_flg = w.nowait ? IPC_NOWAIT : 0;
	if (ipc_sem_op(o.id, &op, 1, deadline) == -1)
		die_op(&o, &w, errno);
	return 0;
}

/* ---- op: one atomic semop over several members ---- */

static int
sem_op(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conflict-exit-code", required_argument, NULL, 'E' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "nowait",	no_argument,		NULL, OPT_NOWAIT },
		{ "timeout",	required_argument,	NULL, 't' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct wait_opts	 w = { 0 };
	const struct timespec	*deadline;
	struct sembuf		*ops;
	const char		*colon;
	char			*idx;
	long long		 index, delta;
	int			 c, i, n;

	args_init(&a, argc, argv, "E:t:", longopts, 2, -1, true);
	while ((c = args_next(&a)) != -1)
		wait_opt(&w, c, a.optarg);
	n = a.npos - 1;
	if ((ops = calloc((size_t)n, sizeof *ops)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		colon = strchr(a.pos[i + 1], ':');
		if (colon == NULL || colon == a.pos[i + 1])
			die_usage("'%s' is not INDEX:DELTA", a.pos[i + 1]);
		if ((idx = strndup(a.pos[i + 1],
		    (size_t)(colon - a.pos[i + 1]))) == NULL)
			die_errno(errno, "cannot allocate");
		index = xparse_num("INDEX", idx, 0, USHRT_MAX);
		free(idx);
		if (colon[1] == '+' && colon[2] == '-')
			die_usage("'%s' is not INDEX:DELTA", a.pos[i + 1]);
		delta = xparse_num("DELTA", colon[1] == '+' ? colon + 2 :
		    colon + 1, INT_MIN, INT_MAX);
		if (delta > SEMVMX || delta < -SEMVMX)
			die(EXIT_LIMIT, "DELTA %lld is beyond SEMVMX (%d)",
			    delta, SEMVMX);
		ops[i].sem_num = (unsigned short)index;
		ops[i].sem_op = (short)delta;
		ops[i].sem_flg = (short)((w.nowait ? IPC_NOWAIT : 0) |
		    (a.cmd != NULL ? SEM_UNDO : 0));
	}
	sem_resolve(a.pos[0], &o);
	refuse_posix(&o, "have no multi-member operations (op is System V "
	    "only)");
	deadline = wait_start(&w);
	if (ipc_sem_op(o.id, ops, (size_t)n, deadline) == -1)
		die_op(&o, &w, errno);
	free(ops);
	if (a.cmd != NULL)
		exec_holding(a.cmd);
	return 0;
}

/* ---- value, stat, set ---- */

static int
sem_value(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct ipc_sem_info	 info;
	struct ipc_sem_member	*m;
	long long		 index = -1;
	unsigned long		 i;
	int			 c, v;

	args_init(&a, argc, argv, "i:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1)
		if (c == 'i')
			index = parse_index(a.optarg);
	sem_resolve(a.pos[0], &o);
	if (o.posix) {
		if (index > 0)
			refuse_posix(&o, "have a single member (no -i)");
		if (ipc_psem_value(o.ps, &v) == -1)
			die_target(&o.t, errno);
		ipc_psem_close(o.ps);
		printf("%d\n", v);
		return 0;
	}
	if (ipc_sem_stat(o.id, &info) == -1)
		die_target(&o.t, errno);
	if (index >= 0 && (unsigned long)index >= info.nsems)
		die(EXIT_LIMIT, "%s: no member %lld (NSEMS is %lu)", o.t.text,
		    index, info.nsems);
	if ((m = calloc(info.nsems, sizeof *m)) == NULL)
		die_errno(errno, "cannot allocate");
	if (ipc_sem_members(o.id, info.nsems, m) == -1)
		die_target(&o.t, errno);
	for (i = 0; i < info.nsems; i++)
		if (index < 0 || (unsigned long)index == i)
			printf("%d\n", m[i].value);
	free(m);
	return 0;
}

static const struct out_column stat_cols[] = {
	OWNER_COLUMNS,
	{ "NSEMS", COL_NUM, COL_DEFAULT, "number of semaphores" },
	{ "SVAL", COL_NUM, COL_DEFAULT, "value (POSIX)" },
	{ "OTIME", COL_TIME, COL_DEFAULT, "time of the last semop" },
	{ "CTIME", COL_TIME, COL_DEFAULT, "time of the last change" },
	{ "MTIME", COL_TIME, 0, "time of the last change (POSIX)" },
};
enum { SC_NSEMS = OC_COUNT, SC_SVAL, SC_OTIME, SC_CTIME, SC_MTIME };

static const struct out_column member_cols[] = {
	{ "SEMNUM", COL_NUM, COL_DEFAULT, NULL },
	{ "VALUE", COL_NUM, COL_DEFAULT, NULL },
	{ "NCOUNT", COL_NUM, COL_DEFAULT, NULL },
	{ "ZCOUNT", COL_NUM, COL_DEFAULT, NULL },
	{ "PID", COL_NUM, COL_DEFAULT, NULL },
};

static int
sem_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		OUT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct out_opts		 oo = { 0 };
	struct out		 out, mout;
	struct ipc_sem_info	 info;
	struct ipc_sem_member	*m;
	struct ipc_posix_stat	 ps;
	const char		*bad;
	unsigned long		 i;
	int			 c, v;

	args_init(&a, argc, argv, OUT_OPTSTRING, longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1)
		out_opt(&oo, c, a.optarg);
	sem_resolve(a.pos[0], &o);
	xout_init_defaults(&out, &oo, stat_cols, sizeof stat_cols /
	    sizeof stat_cols[0], o.posix ?
	    "NAME,PERMS,OWNER,GROUP,UID,GID,SVAL,MTIME,CTIME" :
	    "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,NSEMS,OTIME,CTIME");
	out.vertical = true;
	out_begin(&out, "semaphores");
	if (o.posix) {
		if (ipc_psem_value(o.ps, &v) == -1 ||
		    ipc_psem_stat(o.t.name, &ps) == -1)
			die_target(&o.t, errno);
		ipc_psem_close(o.ps);
		out_owner(&out, &(struct owner_cells){ .name = o.t.name,
		    .mode = ps.mode, .uid = ps.uid, .gid = ps.gid });
		out_num(&out, SC_NSEMS, 1);
		out_num(&out, SC_SVAL, v);
		out_time(&out, SC_MTIME, ps.mtime.tv_sec);
		out_time(&out, SC_CTIME, ps.ctime.tv_sec);
		out_row(&out);
		out_end(&out);
		out_finish(&out);
		return 0;
	}
	if (ipc_sem_stat(o.id, &info) == -1)
		die_target(&o.t, errno);
	if ((m = calloc(info.nsems, sizeof *m)) == NULL)
		die_errno(errno, "cannot allocate");
	if (ipc_sem_members(o.id, info.nsems, m) == -1)
		die_target(&o.t, errno);
	out_owner(&out, &(struct owner_cells){ .key = info.key,
	    .id = info.id, .mode = info.mode, .uid = info.uid,
	    .gid = info.gid, .cuid = info.cuid, .cgid = info.cgid });
	out_unum(&out, SC_NSEMS, info.nsems);
	out_time(&out, SC_OTIME, info.otime);
	out_time(&out, SC_CTIME, info.ctime);

	/* members, unless -o chose the record's columns */
	if (oo.spec != NULL && oo.spec[0] != '+') {
		out_row(&out);
		out_end(&out);
		out_finish(&out);
		free(m);
		return 0;
	}
	out_init(&mout, stdout, oo.format, member_cols,
	    sizeof member_cols / sizeof member_cols[0], NULL, &bad);
	mout.headings = !oo.no_headings;
	if (oo.format == OUT_JSON) {
		out_row_open(&out);
		mout.parent = &out;
	} else {
		out_row(&out);
		out_end(&out);
		if (oo.format == OUT_TABLE)
			putchar('\n');
	}
	out_begin(&mout, "members");
	for (i = 0; i < info.nsems; i++) {
		out_unum(&mout, 0, i);
		out_num(&mout, 1, m[i].value);
		out_num(&mout, 2, m[i].ncount);
		out_num(&mout, 3, m[i].zcount);
		out_num(&mout, 4, m[i].pid);
		out_row(&mout);
	}
	out_end(&mout);
	out_finish(&mout);
	if (oo.format == OUT_JSON) {
		out_row_close(&out);
		out_end(&out);
	}
	out_finish(&out);
	free(m);
	return 0;
}

static int
sem_set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "mode",	required_argument,	NULL, OPT_MODE },
		{ "owner",	required_argument,	NULL, OPT_OWNER },
		{ "value",	required_argument,	NULL, OPT_VALUE },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct sem_obj		 o;
	struct ipc_sem_info	 info;
	long long		 index = -1, value = -1;
	struct perm_opts	 perm = { 0 };
	int			 c;

	args_init(&a, argc, argv, "i:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'i':
			index = parse_index(a.optarg);
			break;
		case OPT_MODE:
			perm_mode(&perm, a.optarg);
			break;
		case OPT_OWNER:
			perm_owner(&perm, a.optarg);
			break;
		case OPT_VALUE:
			value = xparse_num("--value", a.optarg, 0, INT_MAX);
			break;
		}
	}
	if (!perm_any(&perm) && value < 0)
		die_usage("nothing to set (--mode, --owner or --value)");
	if (index >= 0 && value < 0)
		die_usage("-i goes with --value");
	sem_resolve(a.pos[0], &o);
	if (o.posix) {
		if (value >= 0)
			refuse_posix(&o, "cannot be set to a value (use "
			    "acquire and release)");
		if (ipc_psem_set_perm(o.t.name, perm.puid, perm.pgid,
		    perm.pmode) == -1)
			die_target(&o.t, errno);
		ipc_psem_close(o.ps);
		return 0;
	}
	if (value > SEMVMX)
		die(EXIT_LIMIT, "--value: %lld is more than SEMVMX (%d)", value,
		    SEMVMX);
	if (value >= 0) {
		if (ipc_sem_stat(o.id, &info) == -1)
			die_target(&o.t, errno);
		if (index >= 0 && (unsigned long)index >= info.nsems)
			die(EXIT_LIMIT, "%s: no member %lld (NSEMS is %lu)",
			    o.t.text, index, info.nsems);
	}
	/*
	 * The value first: it needs write permission, which a new mode may
	 * take away, while the owner may always change the mode after.
	 * SETVAL/SETALL also wipe every process's undo record.
	 */
	if (value >= 0 && (index >= 0 ?
	    ipc_sem_setval(o.id, (unsigned long)index, (int)value) :
	    ipc_sem_setall(o.id, info.nsems, (int)value)) == -1)
		die_op(&o, NULL, errno);
	if (perm_any(&perm) && ipc_sem_set_perm(o.id, perm.puid, perm.pgid,
	    perm.pmode) == -1)
		die_target(&o.t, errno);
	return 0;
}

/* ---- removal ---- */

static int
sem_rm(int argc, char **argv)
{
	return rm_kind("sem", argc, argv);
}
