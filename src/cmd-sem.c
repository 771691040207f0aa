/* SPDX-License-Identifier: ISC */
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
#include "create.h"
#include "family.h"
#include "statset.h"
#include "output.h"
#include "parse.h"
#include "table.h"
#include "wait.h"

/* long-only options */
enum {
	OPT_VALUE = CHAR_MAX + 1,
	OPT_FOR,
	OPT_CREATE,
	OPT_SHARED,
	OPT_EXCLUSIVE
};

/*
 * A readers-writer set (acquire --shared / --exclusive): member 0 holds the
 * free reader units, member 1 is the turnstile (1 when open), member 2 the
 * number of units N, which never changes.  A reader passes the turnstile
 * and takes a unit in one semop; a writer takes the turnstile (so no new
 * reader gets in: no writer starvation), then all N units and gives the
 * turnstile back in a second semop.
 */
#define RW_UNITS	0
#define RW_TURNSTILE	1
#define RW_CAPACITY	2
#define RW_NSEMS	3
#define RW_READERS	64	/* N for --create without -n */

#define CREATE_OPTS \
	{ OPT("create", 0, A_NONE, OPT_CREATE, \
	    "create it first if it does not exist (never resets it)") }, \
	{ OPT("value", 'v', A_NUM, 'v', "with --create: the initial value") }, \
	{ OPT("mode", 'm', A_MODE, 'm', \
	    "with --create: octal mode (default 0600)") }

#define SYSV_POSIX	(FAM_SYSV | FAM_POSIX)

static const struct opt o_create[] = {
	{ OPT("nsems", 'n', A_NUM, 'n', "members (default 1)") },
	{ OPT("value", 'v', A_NUM, 'v', "initial value (default 0)") },
	{ OPT("mode", 'm', A_MODE, 'm', "octal mode (default 0600)") },
	{ OPT("exist-ok", 0, A_NONE, OPT_CREATE_EXIST_OK,
	    "open an existing set instead") },
	{ OPT("timeout", 't', A_SECS, 't',
	    "with --exist-ok, wait for initialisation (5)") },
	{ OPT("manifest", 0, A_FILE, OPT_CREATE_MANIFEST,
	    "append \"sem TARGET\" to FILE") },
	{ OPT("posix", 0, A_NONE, OPT_CREATE_POSIX,
	    "a POSIX semaphore with a random unused name") },
	{ OPT("json", 'J', A_NONE, 'J', "print the record as JSON") },
	OPT_END
};
static const struct opt o_acquire[] = {
	{ OPT("delta", 'd', A_NUM, 'd', "the amount to take (default 1)") },
	{ OPT("index", 'i', A_NUM, 'i', "the member (default 0)") },
	OPT_SET(SET_WAIT),
	{ OPT("undo", 'u', A_NONE, 'u', "SEM_UNDO: released when CMD ends"),
	    .flags = OPT_SYSV },
	{ OPT("verbose", 0, A_NONE, OPT_WAIT_VERBOSE,
	    "say when it waits, and for how long") },
	{ OPT("for", 0, A_NUM, OPT_FOR,
	    "hold it until process PID (default: the parent) ends"),
	    .meta = "PID", .flags = OPT_OPTARG },
	CREATE_OPTS,
	{ OPT("readers", 'n', A_NUM, 'n',
	    "with --create and --shared/--exclusive: N units (64)"),
	    .meta = "N", .flags = OPT_SYSV },
	{ OPT("shared", 0, A_NONE, OPT_SHARED,
	    "a reader's hold of a readers-writer set"),
	    .flags = OPT_SYSV, .excl = EXCL_LOCK },
	{ OPT("exclusive", 0, A_NONE, OPT_EXCLUSIVE,
	    "a writer's hold: every unit of the set"),
	    .flags = OPT_SYSV, .excl = EXCL_LOCK },
	OPT_END
};
static const struct opt o_release[] = {
	{ OPT("delta", 'd', A_NUM, 'd', "the amount to add (default 1)") },
	{ OPT("index", 'i', A_NUM, 'i', "the member (default 0)") },
	{ OPT("for", 0, A_NUM, OPT_FOR,
	    "end a holder that acquire --for PID started"), .meta = "PID",
	    .flags = OPT_OPTARG },
	OPT_END
};
static const struct opt o_z[] = {
	{ OPT("index", 'i', A_NUM, 'i', "the member (default 0)") },
	CREATE_OPTS,
	OPT_SET(SET_WAIT),
	{ OPT("verbose", 0, A_NONE, OPT_WAIT_VERBOSE,
	    "say when it waits, and for how long") },
	OPT_END
};
static const struct opt o_op[] = {
	CREATE_OPTS,
	OPT_SET(SET_WAIT),
	{ OPT("verbose", 0, A_NONE, OPT_WAIT_VERBOSE,
	    "say when it waits, and for how long") },
	OPT_END
};
static const struct opt o_value[] = {
	{ OPT("index", 'i', A_NUM, 'i', "only that member") },
	OPT_END
};
static const struct opt o_set[] = {
	OPT_SET(SET_PERM),
	{ OPT("value", 0, A_NUM, OPT_VALUE,
	    "set the value (wipes undo records)") },
	{ OPT("index", 'i', A_NUM, 'i', "the member --value sets") },
	OPT_END
};


/*
 * ipc_sem_op for the verbs that wait: with --verbose, tries without
 * waiting first and says so only when it has to wait.
 */
static void
steps_flag(struct ipc_sem_steps *s, unsigned int flag, bool on)
{
	size_t	i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < s->nops[i]; j++)
			s->ops[i][j].flags = on ? s->ops[i][j].flags | flag :
			    s->ops[i][j].flags & ~flag;
}

static int
sem_take_wait(const struct obj *o, struct wait_opts *w,
    struct ipc_sem_steps *s, const struct timespec *deadline)
{
	int	r;

	if (w->nowait || !w->verbose.on)
		return ipc_sem_take(o->id, s, deadline);
	steps_flag(s, IPC_SEMSTEP_NOWAIT, true);
	r = ipc_sem_take(o->id, s, NULL);
	steps_flag(s, IPC_SEMSTEP_NOWAIT, false);
	if (r == 0 || errno != EAGAIN)
		return r;
	verbose_wait_start(&w->verbose, o->t.text);
	if ((r = ipc_sem_take(o->id, s, deadline)) == 0)
		verbose_wait_done(&w->verbose);
	return r;
}

static int
sem_op_wait(const struct obj *o, struct wait_opts *w,
    struct ipc_semstep *ops, size_t n, const struct timespec *deadline)
{
	struct ipc_sem_steps	s = { { ops, NULL }, { n, 0 } };

	return sem_take_wait(o, w, &s, deadline);
}

/* The message and exit code for a failed wait or operation. */
static void __attribute__((noreturn))
die_op(const struct obj *o, const struct wait_opts *w, int err)
{
	switch (err) {
	case EAGAIN:
		if (w != NULL && w->timed)
			die(wait_busy_exit(w), "%s: timed out", o->t.text);
		die(wait_busy_exit(w), "%s: busy", o->t.text);
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

/* --for=PID, or bare --for: the parent, the script that runs ipctool */
static pid_t
parse_for(const char *arg)
{
	pid_t	ppid;

	if (arg == NULL) {
		/* 0: the parent is outside our PID namespace */
		if ((ppid = getppid()) <= 1)
			die_usage("--for: the parent process (%ld) cannot be "
			    "held for: give --for=PID", (long)ppid);
		return ppid;
	}
	return (pid_t)xparse_num("--for", arg, 1, INT_MAX);
}

/* ---- create ---- */

static const struct out_column create_cols[] = {
	{ "TARGET", COL_STR, COL_DEFAULT, "" },
	{ "KEY", COL_KEY, COL_DEFAULT, "" },
	{ "ID", COL_NUM, COL_DEFAULT, "" },
	{ "NAME", COL_STR, COL_DEFAULT, "" },
	{ "NSEMS", COL_NUM, COL_DEFAULT, "" },
	{ "PERMS", COL_STR, COL_DEFAULT, "" },
	{ "CREATED", COL_BOOL, COL_DEFAULT, "" },
};
enum { CC_TARGET, CC_KEY, CC_ID, CC_NAME, CC_NSEMS, CC_PERMS, CC_CREATED };

/*
 * Creates the set t names with values[*nsems] (free of the initialisation
 * race, ipc_sem_create_values), or with exist_ok opens the one that
 * exists, never changing it: more members than asked for are fine (fewer,
 * when nsems_given, are exit 6), and it waits up to *wait for its creator
 * to initialise it (sem_otime).  Returns whether it created; *nsems and
 * *mode are then the set's.  create --exist-ok and --create on acquire,
 * op and z.
 */
static bool
sem_make(const struct ipc_target *t, bool exist_ok, unsigned long *nsems,
    bool nsems_given, const int *values, mode_t *mode,
    const struct timespec *wait, int *id, key_t *key)
{
	struct ipc_sem_info	info;
	struct timespec		deadline;
	int			tries = 0;

	if (t->kind == IPC_T_KEY)
		*key = t->key;
	for (;;) {
		if (ipc_sem_create_values(*key, t->kind == IPC_T_NONE, *nsems,
		    values, *mode, id, key) == 0)
			return true;
		if (errno == EINVAL)	/* nsems > SEMMSL */
			die(EXIT_LIMIT, "-n: %lu is more than the "
			    "kernel's SEMMSL", *nsems);
		if (errno != EEXIST || !exist_ok)
			die_target(t, errno);
		if (ipc_sem_open(t, id) == -1) {
			/* removed since: try to create again */
			if (errno == ENOENT && ++tries < 100)
				continue;
			die_target(t, errno);
		}
		if (ipc_sem_stat(*id, &info) == -1)
			die_target(t, errno);
		if (nsems_given && info.nsems < *nsems)
			die(EXIT_LIMIT, "%s: exists with %lu "
			    "semaphores, fewer than %lu", t->text,
			    info.nsems, *nsems);
		if (ipc_deadline(wait, &deadline) == -1 ||
		    ipc_catch_signals() == -1)
			die_errno(errno, "clock");
		if (ipc_sem_wait_init(*id, &deadline) == -1) {
			if (errno == ETIMEDOUT)
				die(EXIT_BUSY, "%s: exists but was "
				    "never initialised (sem_otime is "
				    "0)", t->text);
			die_target(t, errno);
		}
		*nsems = info.nsems;
		*mode = info.mode;
		return false;
	}
}

/* sem create's own options, for its steps */
struct sem_create {
	unsigned long		 nsems;
	bool			 nsems_given;
	long long		 value;
	struct timespec		 wait;
};

static void
sem_create_check(const struct create_obj *o, void *arg)
{
	const struct sem_create	*sc = arg;

	if (o->t.kind == IPC_T_POSIX) {
		if (ns_joined)	/* not in the namespace's /dev/shm */
			exit(refuse_posix_ns(o->t.text));
		if (sc->nsems != 1)
			die_usage("%s: a POSIX semaphore is a single value "
			    "(no -n)", o->t.text);
		if (sc->value > SEM_VALUE_MAX)
			die(EXIT_LIMIT, "-v: %lld is more than SEM_VALUE_MAX "
			    "(%d)", sc->value, SEM_VALUE_MAX);
	} else if (sc->value > SEMVMX)
		die(EXIT_LIMIT, "-v: %lld is more than SEMVMX (%d)",
		    sc->value, SEMVMX);
}

static int
sem_create_make(struct create_obj *o, bool exist_ok, void *arg)
{
	struct sem_create	*sc = arg;
	struct ipc_psem		*ps;
	struct ipc_posix_stat	 pst;
	unsigned long		 i, nsems = sc->nsems;
	int			*values;

	if (o->t.kind == IPC_T_POSIX) {
		if (ipc_psem_create(o->t.name, o->mode,
		    (unsigned int)sc->value, exist_ok, &o->created, &ps) == -1)
			return -1;
		ipc_psem_close(ps);
		if (!o->created && ipc_psem_stat(o->t.name, &pst) == 0)
			o->mode = pst.mode;
		o->n = 1;
		return 0;
	}
	if ((values = calloc(nsems, sizeof *values)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < nsems; i++)
		values[i] = (int)sc->value;
	o->key = IPC_PRIVATE;
	o->created = sem_make(&o->t, exist_ok, &nsems, sc->nsems_given,
	    values, &o->mode, &sc->wait, &o->id, &o->key);
	free(values);
	o->n = nsems;
	return 0;
}

static void
sem_create_describe(struct out *out, const struct create_obj *o, void *arg)
{
	(void)arg;
	out_unum(out, CC_NSEMS, o->n);
}

static const struct create_family sem_family = {
	"sem", TARGET_PSEM, create_cols, sizeof create_cols /
	    sizeof create_cols[0], sem_create_check, sem_create_make,
	sem_create_describe
};

static int
sem_create(struct cmdargs *a)
{
	struct create_run	 cr;
	struct sem_create	 sc = { 1, false, 0, { 5, 0 } };
	int			 c;

	create_init(&cr, &sem_family);
	while ((c = args_opt(a)) != -1) {
		if (create_run_opt(&cr, c, a->optarg))
			continue;
		switch (c) {
		case 'n':
			sc.nsems = (unsigned long)xparse_num("-n", a->optarg, 1,
			    INT_MAX);
			sc.nsems_given = true;
			break;
		case 't':
			xparse_secs("-t", a->optarg, &sc.wait);
			break;
		case 'v':
			sc.value = xparse_num("-v", a->optarg, 0, INT_MAX);
			break;
		}
	}
	return create_exec(&cr, a->npos, a->pos, &sc);
}

/* ---- acquire, release, z ---- */

/* After acquire -- CMD on a POSIX semaphore: gives it back. */
static int
posix_release(void *arg, bool ran)
{
	struct obj	*o = arg;
	int		 rel = 0;

	if (ipc_psem_post(o->ps, 1) == -1 && ran) {
		warn_msg("%s: cannot release: %s", o->t.text,
		    object_strerror(errno));
		rel = exit_code(errno);
	}
	ipc_psem_close(o->ps);
	return rel;
}

static int
posix_run_holding(struct obj *o, char **cmd)
{
	if (ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	return run_cmd(cmd, posix_release, o);
}

static void __attribute__((noreturn))
exec_holding(char **cmd)
{
	/* SEM_UNDO's adjustment survives execve: kill -9 of CMD releases */
	ipc_exec(cmd);
	exit(warn_cmd(cmd[0], errno));
}

/* --create [-v VALUE] [-m MODE] on acquire, op and z */
struct create_opts {
	bool		 on;
	bool		 value_given;
	bool		 mode_given;
	long long	 value;
	mode_t		 mode;
};

static bool
create_opt(struct create_opts *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_CREATE:
		c->on = true;
		return true;
	case 'v':
		c->value = xparse_num("-v", arg, 0, INT_MAX);
		c->value_given = true;
		return true;
	case 'm':
		c->mode = xparse_mode("-m", arg);
		c->mode_given = true;
		return true;
	}
	return false;
}

static void
create_check(const struct create_opts *c)
{
	if (!c->on && (c->value_given || c->mode_given))
		die_usage("-v and -m go with --create");
}

/*
 * Opens o or, with --create, makes it first on first use with values
 * (a System V set of nsems members; a POSIX semaphore takes values[0]):
 * race-free with any number of first users, never resetting what exists
 * (sem_make: the sem_otime protocol; sem_open's O_EXCL for POSIX).  values
 * may be NULL without --create.
 */
static void
sem_open_create(struct obj *o, const struct create_opts *c,
    unsigned long nsems, const int *values)
{
	struct timespec	 wait = { 5, 0 };
	mode_t		 mode = c->mode_given ? c->mode : 0600;
	key_t		 key = IPC_PRIVATE;
	unsigned long	 i;
	bool		 created;

	if (!c->on) {
		obj_open(o, 0);
		return;
	}
	if (o->posix) {
		if ((unsigned long long)values[0] > SEM_VALUE_MAX)
			die(EXIT_LIMIT, "-v: %d is more than SEM_VALUE_MAX "
			    "(%d)", values[0], SEM_VALUE_MAX);
		if (ipc_psem_create(o->t.name, mode, (unsigned int)values[0],
		    true, &created, &o->ps) == -1)
			die_target(&o->t, errno);
		return;
	}
	if (o->t.kind != IPC_T_KEY)
		die_usage("--create: %s: needs a key or path:FILE (an id "
		    "names a set that exists)", o->t.text);
	for (i = 0; i < nsems; i++)
		if (values[i] > SEMVMX)
			die(EXIT_LIMIT, "-v: %d is more than SEMVMX (%d)",
			    values[i], SEMVMX);
	sem_make(&o->t, true, &nsems, true, values, &mode, &wait, &o->id,
	    &key);
}

/* sem_open_create with nsems members of -v VALUE (default 0) */
static void
sem_open_values(struct obj *o, const struct create_opts *c,
    unsigned long nsems)
{
	unsigned long	 i;
	int		*values;

	if (!c->on) {		/* no values to make: no heap at all */
		sem_open_create(o, c, nsems, NULL);
		return;
	}
	if ((values = calloc(nsems, sizeof *values)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < nsems; i++)
		values[i] = (int)c->value;
	sem_open_create(o, c, nsems, values);
	free(values);
}

static void
on_holder_wait(void *arg)
{
	struct obj		*o = ((void **)arg)[0];
	struct wait_opts	*w = ((void **)arg)[1];

	verbose_wait_start(&w->verbose, o->t.text);
}

static int
sem_acquire(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	struct create_opts	 cr = { 0 };
	struct ipc_holder	 h;
	struct ipc_sem_steps	 st;
	struct ipc_sem_member	 m[RW_NSEMS];
	struct ipc_sem_info	 info;
	const struct timespec	*deadline;
	struct ipc_semstep	 ops[2][IPC_SEM_STEP_MAX];
	long long		 index = 0, readers = RW_READERS;
	unsigned long		 nsems, i;
	void			*cb[2];
	pid_t			 pid = 0, holder;
	int			 c, r, delta = 1, *values, rw = 0, n;
	bool			 undo = false, index_given = false;
	bool			 delta_given = false, readers_given = false;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case 'd':
			delta = parse_delta(a->optarg);
			delta_given = true;
			break;
		case 'i':
			index = parse_index(a->optarg);
			index_given = true;
			break;
		case 'n':
			readers = xparse_num("-n", a->optarg, 1, INT_MAX);
			readers_given = true;
			break;
		case 'u':
			undo = true;
			break;
		case OPT_FOR:
			pid = parse_for(a->optarg);
			break;
		case OPT_SHARED:
		case OPT_EXCLUSIVE:
			rw = c;
			break;
		default:
			if (!create_opt(&cr, c, a->optarg))
				wait_opt(&w, c, a->optarg);
		}
	}
	create_check(&cr);
	if (undo && a->cmd == NULL)
		die_usage("--undo needs -- CMD: the undo would release as "
		    "ipctool exits");
	if (pid != 0 && a->cmd != NULL)
		die_usage("--for PID and -- CMD: one or the other");
	if (pid != 0 && undo)
		die_usage("--for PID holds with SEM_UNDO already (no --undo)");
	if (readers_given && (rw == 0 || !cr.on))
		die_usage("-n goes with --create and --shared or --exclusive");
	if (rw != 0) {
		if (delta_given || index_given || cr.value_given)
			die_usage("--%s: a readers-writer set has its own "
			    "layout (no -d, -i or -v; -n with --create)",
			    rw == OPT_SHARED ? "shared" : "exclusive");
		if (a->cmd == NULL && pid == 0)
			die_usage("--%s needs -- CMD or --for PID",
			    rw == OPT_SHARED ? "shared" : "exclusive");
		if (readers > SEMVMX)
			die(EXIT_LIMIT, "-n: %lld is more than SEMVMX (%d)",
			    readers, SEMVMX);
	}
	obj_parse("sem", a->pos[0], &o);
	obj_refuse_posix(&o, delta != 1, "take one at a time (no -d > 1)");
	obj_refuse_posix(&o, index_given && index != 0,
	    "have a single member (no -i)");
	obj_refuse_posix(&o, undo, "have no undo (--undo)");
	obj_refuse_posix(&o, rw != 0, "have no readers-writer form "
	    "(--shared and --exclusive are System V only)");
	if (o.posix)
		wait_need(&w, o.t.text, true, ipc_psem_timed(),
		    "SEM_TIMEDWAIT");
	if (pid != 0 && kill(pid, 0) == -1 && errno == ESRCH)
		die(EXIT_NOENT, "--for: %ld: no such process", (long)pid);

	/* the values --create makes (none to make: no heap, a start's cost) */
	nsems = rw != 0 ? RW_NSEMS : (unsigned long)index + 1;
	values = NULL;
	if (cr.on && (values = calloc(nsems, sizeof *values)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; values != NULL && i < nsems; i++)
		values[i] = cr.value_given ? (int)cr.value : 1;
	if (values != NULL && rw != 0) {
		values[RW_UNITS] = values[RW_CAPACITY] = (int)readers;
		values[RW_TURNSTILE] = 1;
	}
	sem_open_create(&o, &cr, nsems, values);
	free(values);

	/* what is taken: one step, or the writer's two */
	memset(&st, 0, sizeof st);
	st.ops[0] = ops[0];
	st.ops[1] = ops[1];
	if (rw == OPT_SHARED) {
		ops[0][0] = (struct ipc_semstep){ RW_TURNSTILE, -1, 0 };
		ops[0][1] = (struct ipc_semstep){ RW_UNITS, -1, 0 };
		ops[0][2] = (struct ipc_semstep){ RW_TURNSTILE, 1, 0 };
		st.nops[0] = 3;
	} else if (rw == OPT_EXCLUSIVE) {
		if (ipc_sem_stat(o.id, &info) == -1)
			die_target(&o.t, errno);
		if (info.nsems < RW_NSEMS || ipc_sem_members(o.id, RW_NSEMS,
		    m) == -1 || (n = m[RW_CAPACITY].value) < 1)
			die(EXIT_LIMIT, "%s: not a readers-writer set (%d "
			    "members: free units, turnstile, units; make it "
			    "with --create)", o.t.text, RW_NSEMS);
		ops[0][0] = (struct ipc_semstep){ RW_TURNSTILE, -1, 0 };
		ops[1][0] = (struct ipc_semstep){ RW_UNITS, (short)-n, 0 };
		ops[1][1] = (struct ipc_semstep){ RW_TURNSTILE, 1, 0 };
		st.nops[0] = 1;
		st.nops[1] = 2;
	} else if (!o.posix) {
		ops[0][0] = (struct ipc_semstep){ (unsigned short)index,
		    (short)-delta, 0 };
		st.nops[0] = 1;
	}
	if (rw == OPT_SHARED && !o.posix) {
		if (ipc_sem_stat(o.id, &info) == -1)
			die_target(&o.t, errno);
		if (info.nsems < RW_NSEMS)
			die(EXIT_LIMIT, "%s: not a readers-writer set (%d "
			    "members: free units, turnstile, units; make it "
			    "with --create)", o.t.text, RW_NSEMS);
	}

	if (pid != 0) {
		/* a holder takes it, with SEM_UNDO, and keeps it for PID */
		memset(&h, 0, sizeof h);
		h.semid = o.id;
		h.steps = st;
		if (o.posix) {
			h.psem_name = o.t.name;
			h.ps = o.ps;
		}
		h.index = rw != 0 ? RW_UNITS : (unsigned short)index;
		h.pid = pid;
		if (ipc_catch_signals() == -1)
			die_errno(errno, "cannot catch signals");
		h.deadline = wait_start(&w);
		h.nowait = w.nowait;
		h.verbose = w.verbose.on;
		cb[0] = &o;
		cb[1] = &w;
		if ((r = ipc_holder_start(&h, on_holder_wait, cb, &holder)) ==
		    -2)
			die(errno == EAGAIN ? EXIT_LIMIT : exit_code(errno),
			    "%s: cannot start a holder process: %s", o.t.text,
			    strerror(errno));
		if (r == -1) {
			if (errno == ESRCH)
				die(EXIT_NOENT, "--for: %ld: no such process",
				    (long)pid);
			if (errno == ENOSPC)
				die(EXIT_LIMIT, "%s: %d holders for process "
				    "%ld already", o.t.text, IPC_HOLDER_SLOTS,
				    (long)pid);
			die_op(&o, &w, errno);
		}
		verbose_wait_done(&w.verbose);
		if (o.posix)
			ipc_psem_close(o.ps);
		return 0;
	}
	if (o.posix) {
		deadline = wait_start(&w);
		/* with --verbose, a try first: say "waiting" only if busy */
		r = -1;
		errno = EAGAIN;
		if (!w.nowait && w.verbose.on)
			r = ipc_psem_wait(o.ps, NULL, true);
		if (r == -1) {
			if (errno != EAGAIN)
				die_op(&o, &w, errno);
			if (!w.nowait)
				verbose_wait_start(&w.verbose, o.t.text);
			if (ipc_psem_wait(o.ps, deadline, w.nowait) == -1)
				die_op(&o, &w, errno);
			verbose_wait_done(&w.verbose);
		}
		if (a->cmd != NULL)
			return posix_run_holding(&o, a->cmd);
		ipc_psem_close(o.ps);
		return 0;
	}
	deadline = wait_start(&w);
	steps_flag(&st, IPC_SEMSTEP_NOWAIT, w.nowait);
	steps_flag(&st, IPC_SEMSTEP_UNDO, undo || a->cmd != NULL);
	if (sem_take_wait(&o, &w, &st, deadline) == -1)
		die_op(&o, &w, errno);
	if (a->cmd != NULL)
		exec_holding(a->cmd);
	return 0;
}

static int
sem_release(struct cmdargs *a)
{
	struct obj		 o;
	struct ipc_semstep	 op;
	struct ipc_holder	 h;
	long long		 index = 0;
	pid_t			 pid = 0;
	int			 c, delta = 1;
	bool			 index_given = false, delta_given = false;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case 'd':
			delta = parse_delta(a->optarg);
			delta_given = true;
			break;
		case 'i':
			index = parse_index(a->optarg);
			index_given = true;
			break;
		case OPT_FOR:
			pid = parse_for(a->optarg);
			break;
		}
	}
	if (pid != 0 && delta_given)
		die_usage("--for gives back what its holder took (no -d)");
	obj_parse("sem", a->pos[0], &o);
	obj_refuse_posix(&o, index_given && index != 0,
	    "have a single member (no -i)");
	obj_open(&o, 0);
	if (pid != 0) {
		memset(&h, 0, sizeof h);
		h.semid = o.id;
		h.psem_name = o.posix ? o.t.name : NULL;
		h.index = (unsigned short)index;
		h.pid = pid;
		if (ipc_holder_release(&h) == -1) {
			if (errno == ENOENT)
				die(EXIT_NOENT, "%s: no holder for process %ld",
				    o.t.text, (long)pid);
			die_op(&o, NULL, errno);
		}
		if (o.posix)
			ipc_psem_close(o.ps);
		return 0;
	}
	if (o.posix) {
		if (ipc_psem_post(o.ps, (unsigned int)delta) == -1)
			die_op(&o, NULL, errno == EOVERFLOW ? ERANGE : errno);
		ipc_psem_close(o.ps);
		return 0;
	}
	op.member = (unsigned short)index;
	op.delta = (short)delta;
	op.flags = IPC_SEMSTEP_NOWAIT;
	if (ipc_sem_op(o.id, &op, 1, NULL) == -1)
		die_op(&o, NULL, errno);
	return 0;
}

static int
sem_z(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	const struct timespec	*deadline;
	struct ipc_semstep	 op;
	struct create_opts	 cr = { 0 };
	long long		 index = 0;
	int			 c;

	while ((c = args_opt(a)) != -1) {
		if (c == 'i')
			index = parse_index(a->optarg);
		else if (!create_opt(&cr, c, a->optarg))
			wait_opt(&w, c, a->optarg);
	}
	create_check(&cr);
	obj_parse("sem", a->pos[0], &o);
	obj_refuse_posix(&o, true, "cannot wait for zero (z is System V only)");
	sem_open_values(&o, &cr, (unsigned long)index + 1);
	deadline = wait_start(&w);
	op.member = (unsigned short)index;
	op.delta = 0;
	op.flags = w.nowait ? IPC_SEMSTEP_NOWAIT : 0;
	if (sem_op_wait(&o, &w, &op, 1, deadline) == -1)
		die_op(&o, &w, errno);
	return 0;
}

/* ---- op: one atomic semop over several members ---- */

static int
sem_op(struct cmdargs *a)
{
	struct obj		 o;
	struct wait_opts	 w = { 0 };
	const struct timespec	*deadline;
	struct ipc_semstep	*ops;
	struct parse_err	 pe;
	struct create_opts	 cr = { 0 };
	long long		 index, delta;
	unsigned long		 nsems = 1;
	int			 c, i, n, r;

	while ((c = args_opt(a)) != -1)
		if (!create_opt(&cr, c, a->optarg))
			wait_opt(&w, c, a->optarg);
	create_check(&cr);
	obj_parse("sem", a->pos[0], &o);
	obj_refuse_posix(&o, true, "have no multi-member operations (op is "
	    "System V only)");
	n = a->npos - 1;
	if ((ops = calloc((size_t)n, sizeof *ops)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if ((r = parse_semop(a->pos[i + 1], &index, &delta, &pe)) != 0) {
			if (r == -1)
				die_errno(errno, "cannot allocate");
			if (r == EXIT_USAGE)
				die_usage("%s", pe.msg);
			die(r, "%s", pe.msg);
		}
		if (delta > SEMVMX || delta < -SEMVMX)
			die(EXIT_LIMIT, "DELTA %lld is beyond SEMVMX (%d)",
			    delta, SEMVMX);
		ops[i].member = (unsigned short)index;
		ops[i].delta = (short)delta;
		if ((unsigned long)index >= nsems)
			nsems = (unsigned long)index + 1;
		ops[i].flags = (w.nowait ? IPC_SEMSTEP_NOWAIT : 0) |
		    (a->cmd != NULL ? IPC_SEMSTEP_UNDO : 0);
	}
	sem_open_values(&o, &cr, nsems);
	deadline = wait_start(&w);
	if (sem_op_wait(&o, &w, ops, (size_t)n, deadline) == -1)
		die_op(&o, &w, errno);
	free(ops);
	if (a->cmd != NULL)
		exec_holding(a->cmd);
	return 0;
}

/* ---- value, stat, set ---- */

static int
sem_value(struct cmdargs *a)
{
	struct obj		 o;
	struct ipc_sem_info	 info;
	struct ipc_sem_member	*m;
	long long		 index = -1;
	unsigned long		 i;
	int			 c, v;

	while ((c = args_opt(a)) != -1)
		if (c == 'i')
			index = parse_index(a->optarg);
	obj_parse("sem", a->pos[0], &o);
	obj_refuse_posix(&o, index > 0, "have a single member (no -i)");
	obj_open(&o, 0);
	if (o.posix) {
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
	{ "SEMNUM", COL_NUM, COL_DEFAULT, "" },
	{ "VALUE", COL_NUM, COL_DEFAULT, "" },
	{ "NCOUNT", COL_NUM, COL_DEFAULT, "" },
	{ "ZCOUNT", COL_NUM, COL_DEFAULT, "" },
	{ "PID", COL_NUM, COL_DEFAULT, "" },
};

/* what stat read */
struct sem_stat {
	struct ipc_sem_info	 info;
	struct ipc_sem_member	*m;
	struct ipc_posix_stat	 ps;
	int			 v;
};

static const struct ipc_posix_stat *
sem_stat_load(struct obj *o, void *arg)
{
	struct sem_stat	*st = arg;

	if (o->posix) {
		if (ipc_psem_value(o->ps, &st->v) == -1 ||
		    ipc_psem_stat(o->t.name, &st->ps) == -1)
			die_target(&o->t, errno);
		ipc_psem_close(o->ps);
		return &st->ps;
	}
	if (ipc_sem_stat(o->id, &st->info) == -1)
		die_target(&o->t, errno);
	if ((st->m = calloc(st->info.nsems, sizeof *st->m)) == NULL)
		die_errno(errno, "cannot allocate");
	if (ipc_sem_members(o->id, st->info.nsems, st->m) == -1)
		die_target(&o->t, errno);
	return NULL;
}

/* A set's members, and who waits on it (NCOUNT + ZCOUNT), who used it. */
static void
sem_stat_members(struct out *out, const struct out_opts *oo,
    const struct sem_stat *st, struct ipc_obj *ob)
{
	struct out	 mout;
	const char	*bad;
	unsigned long	 i;
	long long	 waiting = 0;

	out_init(&mout, stdout, oo->format, member_cols,
	    sizeof member_cols / sizeof member_cols[0], NULL, &bad);
	mout.headings = !oo->no_headings;
	if (oo->format == OUT_JSON) {
		out_row_open(out);
		mout.parent = out;
	} else {
		out_row(out);
		out_end(out);
		if (oo->format == OUT_TABLE)
			putchar('\n');
	}
	out_begin(&mout, "members");
	for (i = 0; i < st->info.nsems; i++) {
		out_unum(&mout, 0, i);
		out_num(&mout, 1, st->m[i].value);
		out_num(&mout, 2, st->m[i].ncount);
		out_num(&mout, 3, st->m[i].zcount);
		out_num(&mout, 4, st->m[i].pid);
		out_row(&mout);
	}
	out_end(&mout);
	out_finish(&mout);
	ob->nsems = st->info.nsems;
	for (i = 0; i < st->info.nsems; i++)
		waiting += st->m[i].ncount + st->m[i].zcount;
	who_sections(oo->format == OUT_JSON ? out : NULL, oo, ob, waiting);
	if (oo->format == OUT_JSON) {
		out_row_close(out);
		out_end(out);
	}
}

static bool
sem_stat_fill(struct out *out, const struct out_opts *oo,
    const struct obj *o, void *arg, struct ipc_obj *ob)
{
	struct sem_stat	*st = arg;

	if (o->posix) {
		out_num(out, SC_NSEMS, 1);
		out_num(out, SC_SVAL, st->v);
		return false;
	}
	out_owner(out, SYSV_OWNER(&st->info));
	out_unum(out, SC_NSEMS, st->info.nsems);
	out_time(out, SC_OTIME, st->info.otime);
	out_time(out, SC_CTIME, st->info.ctime);
	ob->id = st->info.id;
	/* members, unless -o chose the record's columns */
	if (oo->spec != NULL && oo->spec[0] != '+') {
		out_row(out);
		out_end(out);
	} else
		sem_stat_members(out, oo, st, ob);
	free(st->m);
	return true;
}

static const struct stat_family sem_stats = {
	"sem", stat_cols, sizeof stat_cols / sizeof stat_cols[0],
	{ "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,NSEMS,OTIME,CTIME",
	    "NAME,PERMS,OWNER,GROUP,UID,GID,SVAL,MTIME,CTIME" },
	SC_MTIME, SC_CTIME, sem_stat_load, sem_stat_fill
};

static int
sem_stat(struct cmdargs *a)
{
	struct sem_stat	st = { .m = NULL };

	return stat_exec(a, &sem_stats, &st);
}

/* what set changes beyond --mode and --owner */
struct sem_set {
	long long	index, value;	/* -1: not given */
};

static void
sem_set_opt(int c, const char *optarg, void *arg)
{
	struct sem_set	*ss = arg;

	if (c == 'i')
		ss->index = parse_index(optarg);
	else if (c == OPT_VALUE)
		ss->value = xparse_num("--value", optarg, 0, INT_MAX);
}

static void
sem_set_usage(const struct perm_opts *perm, void *arg)
{
	const struct sem_set	*ss = arg;

	if (!perm_any(perm) && ss->value < 0)
		die_usage("nothing to set (--mode, --owner or --value)");
	if (ss->index >= 0 && ss->value < 0)
		die_usage("-i goes with --value");
}

static void
sem_set_check(const struct obj *o, void *arg)
{
	const struct sem_set	*ss = arg;

	obj_refuse_posix(o, ss->value >= 0, "cannot be set to a value (use "
	    "acquire and release)");
	if (ss->value > SEMVMX)
		die(EXIT_LIMIT, "--value: %lld is more than SEMVMX (%d)",
		    ss->value, SEMVMX);
}

static void
sem_set_apply(struct obj *o, const struct perm_opts *perm, void *arg)
{
	const struct sem_set	*ss = arg;
	long long		 index = ss->index, value = ss->value;
	struct ipc_sem_info	 info;
	struct ipc_sem_member	*old = NULL;
	unsigned long		 i;
	int			 e;

	if (o->posix) {
		if (ipc_psem_set_perm(o->t.name, perm->puid, perm->pgid,
		    perm->pmode) == -1)
			die_target(&o->t, errno);
		ipc_psem_close(o->ps);
		return;
	}
	if (value >= 0) {
		if (ipc_sem_stat(o->id, &info) == -1)
			die_target(&o->t, errno);
		if (index >= 0 && (unsigned long)index >= info.nsems)
			die(EXIT_LIMIT, "%s: no member %lld (NSEMS is %lu)",
			    o->t.text, index, info.nsems);
		/* the values as they were, to put back if the rest fails */
		if (perm_any(perm) && ((old = calloc(info.nsems,
		    sizeof *old)) == NULL ||
		    ipc_sem_members(o->id, info.nsems, old) == -1))
			die_target(&o->t, errno);
	}
	/*
	 * The value first: it needs write permission, which a new mode may
	 * take away, while the owner may always change the mode after.
	 * SETVAL/SETALL also wipe every process's undo record.
	 */
	if (value >= 0 && (index >= 0 ?
	    ipc_sem_setval(o->id, (unsigned long)index, (int)value) :
	    ipc_sem_setall(o->id, info.nsems, (int)value)) == -1)
		die_op(o, NULL, errno);
	if (perm_any(perm) && ipc_sem_set_perm(o->id, perm->puid, perm->pgid,
	    perm->pmode) == -1) {
		e = errno;
		/* a failed set changes nothing: the values go back */
		for (i = 0; old != NULL && i < info.nsems; i++)
			if ((index < 0 || (unsigned long)index == i) &&
			    ipc_sem_setval(o->id, i, old[i].value) == -1)
				die(exit_code(e), "%s: %s; the values were set "
				    "and could not be put back: %s", o->t.text,
				    object_strerror(e), strerror(errno));
		die_target(&o->t, e);
	}
	free(old);
}

static const struct set_family sem_sets = {
	"sem", sem_set_opt, sem_set_usage, sem_set_check,
	sem_set_apply
};

static int
sem_set(struct cmdargs *a)
{
	struct sem_set	ss = { .index = -1, .value = -1 };

	return set_exec(a, &sem_sets, &ss);
}

/* ---- removal ---- */

static int
sem_rm(struct cmdargs *a)
{
	return rm_targets("sem", a->npos, a->pos);
}

const struct verb verb_sem_create = {
	.entry = { "create", "[TARGET... | --posix] [-n NSEMS] [-v VALUE] "
	    "[-m MODE] [--exist-ok] [-t SECS] [--manifest FILE] [--json]",
	    "Create semaphore sets (or POSIX semaphores), all or none, and "
	    "print their TARGETs" },
	.object = "sem", .minpos = 0, .maxpos = -1, .pos = P_NEW,
	.families = SYSV_POSIX, .opts = o_create, .exec = sem_create
};
const struct verb verb_sem_acquire = {
	.entry = { "acquire", "TARGET [-d DELTA] [-i INDEX] "
	    "[--shared | --exclusive] [--create [-v VALUE] [-n N] [-m MODE]] "
	    "[-t SECS | --nowait] [-u|--undo] [-E N] [--verbose] "
	    "[--for[=PID] | -- CMD ARGS...]",
	    "Take DELTA from a semaphore, waiting while it is too low; with "
	    "CMD, hold it while CMD runs" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.flags = V_CMD, .families = SYSV_POSIX, .opts = o_acquire,
	.exec = sem_acquire
};
const struct verb verb_sem_release = {
	.entry = { "release", "TARGET [-d DELTA] [-i INDEX] | TARGET [-i INDEX] "
	    "--for[=PID]",
	    "Add DELTA to a semaphore, or end a holder of acquire --for" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_release, .exec = sem_release
};
const struct verb verb_sem_z = {
	.entry = { "z", "TARGET [-i INDEX] [--create [-v VALUE] [-m MODE]] "
	    "[-t SECS | --nowait] [-E N] [--verbose]",
	    "Wait until a semaphore is zero" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = FAM_SYSV, .opts = o_z, .exec = sem_z
};
const struct verb verb_sem_value = {
	.entry = { "value", "TARGET [-i INDEX]",
	    "Print a semaphore's value (every member's, one a line)" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_value, .exec = sem_value
};
const struct verb verb_sem_op = {
	.entry = { "op", "TARGET INDEX:DELTA... [--create [-v VALUE] [-m MODE]] "
	    "[-t SECS | --nowait] [-E N] [--verbose] [-- CMD ARGS...]",
	    "One atomic semop over several members (DELTA 0 waits for zero)" },
	.object = "sem", .minpos = 2, .maxpos = -1, .pos = P_TARGET,
	.flags = V_CMD, .families = FAM_SYSV, .opts = o_op, .exec = sem_op
};
const struct verb verb_sem_stat = {
	.entry = { "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings]",
	    "Show every attribute of a semaphore set and of each member" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = opts_stat, .exec = sem_stat
};
const struct verb verb_sem_set = {
	.entry = { "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] "
	    "[--value VALUE [-i INDEX]]",
	    "Change a semaphore's mode, owner or value" },
	.object = "sem", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = o_set, .exec = sem_set
};
const struct verb verb_sem_rm = {
	.entry = { "rm", "TARGET...", "Remove semaphores" },
	.object = "sem", .minpos = 1, .maxpos = -1, .pos = P_TARGET,
	.families = SYSV_POSIX, .opts = opts_none, .exec = sem_rm
};
