/* SPDX-License-Identifier: ISC */
/*
 * Semaphores: System V sets and POSIX named semaphores.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

int
ipc_sem_open(const struct ipc_target *t, int *id)
{
	return ipc_sysv_open(IPC_K_SEM, t, id);
}

/* GETALL or SETALL (cmd) through vals, which it frees when it fails. */
static int
sem_all(int id, int cmd, unsigned short *vals)
{
	union semun	arg;
	int		e;

	arg.array = vals;
	if (semctl(id, 0, cmd, arg) != -1)
		return 0;
	e = errno;
	free(vals);
	errno = e;
	return ipc_no_such_id();
}

/* SETALL from values[nsems], or with same, values[0] for every member */
static int
sem_setall_values(int id, unsigned long nsems, const int *values, bool same)
{
	unsigned short	*vals;
	unsigned long	 i;

	if ((vals = calloc(nsems ? nsems : 1, sizeof *vals)) == NULL)
		return -1;
	for (i = 0; i < nsems; i++) {
		int v = values[same ? 0 : i];

		if (v < 0 || v > SEMVMX) {
			free(vals);
			errno = ERANGE;
			return -1;
		}
		vals[i] = (unsigned short)v;
	}
	if (sem_all(id, SETALL, vals) == -1)
		return -1;
	free(vals);
	return 0;
}

/*
 * sem_otime stays 0 until the first semop.  The creator sets every value
 * with SETALL and then makes one semop that changes nothing but sem_otime;
 * openers wait for sem_otime != 0 (ipc_sem_wait_init).
 */
static int
sem_initialise(int id, unsigned long nsems, const int *values)
{
	struct sembuf	 ops[2];
	int		 r, value = values[0];

	if (sem_setall_values(id, nsems, values, false) == -1)
		return -1;
	if (value == 0) {
		ops[0] = (struct sembuf){ 0, 0, IPC_NOWAIT };
		r = semop(id, ops, 1);
	} else {
		ops[0] = (struct sembuf){ 0, (short)-value, IPC_NOWAIT };
		ops[1] = (struct sembuf){ 0, (short)value, IPC_NOWAIT };
		r = semop(id, ops, 2);
	}
	return r;
}

int
ipc_sem_create(key_t key, bool random, unsigned long nsems, int value,
    mode_t mode, int *id, key_t *key_out)
{
	unsigned long	 i;
	int		*values, r, e;

	if (value < 0 || value > SEMVMX) {
		errno = ERANGE;
		return -1;
	}
	if (nsems == 0 || nsems > INT_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((values = calloc(nsems, sizeof *values)) == NULL)
		return -1;
	for (i = 0; i < nsems; i++)
		values[i] = value;
	r = ipc_sem_create_values(key, random, nsems, values, mode, id,
	    key_out);
	e = errno;
	free(values);
	errno = e;
	return r;
}

int
ipc_sem_create_values(key_t key, bool random, unsigned long nsems,
    const int *values, mode_t mode, int *id, key_t *key_out)
{
	int	 r, e, tries = 0;
	key_t	 k = key;

	if (nsems == 0 || nsems > INT_MAX) {
		errno = EINVAL;
		return -1;
	}
	/*
	 * The creator keeps read and write until the set is initialised
	 * (SETALL and semop need them), then the mode becomes exactly mode.
	 */
	for (;;) {
		if (random)
			k = ipc_random_key();
		r = semget(k, (int)nsems, IPC_CREAT | IPC_EXCL |
		    (int)((mode | 0600) & 0777));
		if (r != -1)
			break;
		if (!random || errno != EEXIST || ++tries > 1000)
			return -1;
	}
	if (sem_initialise(r, nsems, values) == -1 ||
	    ((mode & 0600) != 0600 &&
	    ipc_sem_set_perm(r, NULL, NULL, &mode) == -1)) {
		e = errno;
		semctl(r, 0, IPC_RMID);
		errno = e;
		return -1;
	}
	*id = r;
	*key_out = k;
	return 0;
}

int
ipc_sem_wait_init(int id, const struct timespec *deadline)
{
	struct semid_ds	 ds;
	union semun	 arg;
	struct timespec	 left, nap = { 0, 1000000 };

	arg.buf = &ds;
	for (;;) {
		if (semctl(id, 0, IPC_STAT, arg) == -1)
			return ipc_no_such_id();
		if (ds.sem_otime != 0)
			return 0;
		if (ipc_caught_signal) {
			errno = EINTR;
			return -1;
		}
		if (deadline != NULL && !ipc_time_left(deadline, &left)) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* no event tells of the first semop: poll, backing off */
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 64000000)
			nap.tv_nsec *= 2;
	}
}

int
ipc_sem_stat(int id, struct ipc_sem_info *info)
{
	struct semid_ds	ds;
	union semun	arg;

	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) == -1)
		return ipc_no_such_id();
	info->id = id;
	info->key = ds.sem_perm.__key;
	info->uid = ds.sem_perm.uid;
	info->gid = ds.sem_perm.gid;
	info->cuid = ds.sem_perm.cuid;
	info->cgid = ds.sem_perm.cgid;
	info->mode = ds.sem_perm.mode & 0777;
	info->nsems = ds.sem_nsems;
	info->otime = ds.sem_otime;
	info->ctime = ds.sem_ctime;
	return 0;
}

int
ipc_sem_members(int id, unsigned long nsems, struct ipc_sem_member *m)
{
	unsigned short	*vals;
	unsigned long	 i;
	int		 r, e;

	if ((vals = calloc(nsems ? nsems : 1, sizeof *vals)) == NULL ||
	    sem_all(id, GETALL, vals) == -1)
		return -1;
	for (i = 0; i < nsems; i++) {
		m[i].value = vals[i];
		if ((r = semctl(id, (int)i, GETNCNT)) == -1)
			goto fail;
		m[i].ncount = r;
		if ((r = semctl(id, (int)i, GETZCNT)) == -1)
			goto fail;
		m[i].zcount = r;
		if ((r = semctl(id, (int)i, GETPID)) == -1)
			goto fail;
		m[i].pid = r;
	}
	free(vals);
	return 0;
fail:
	e = errno;
	free(vals);
	errno = e;
	return ipc_no_such_id();
}

/* The kernel's flags of a step's. */
static short
step_flags(unsigned int flags)
{
	return (short)((flags & IPC_SEMSTEP_NOWAIT ? IPC_NOWAIT : 0) |
	    (flags & IPC_SEMSTEP_UNDO ? SEM_UNDO : 0));
}

/* Whether a semop of these can wait: a decrement or a wait for zero. */
static bool
semop_can_wait(const struct sembuf *ops, size_t nops)
{
	size_t	i;

	for (i = 0; i < nops; i++)
		if (ops[i].sem_op <= 0 && !(ops[i].sem_flg & IPC_NOWAIT))
			return true;
	return false;
}

static int
semop_raw(int id, struct sembuf *ops, size_t nops,
    const struct timespec *deadline)
{
	struct timespec	left;
	bool		waits = semop_can_wait(ops, nops);
	int		r, e;

	for (;;) {
#ifndef HAVE_SEMTIMEDOP
		/* armed first: a kick from then on is not undone */
		if (deadline != NULL && ipc_timer_arm(deadline) == -1)
			return -1;
#endif
		/* an undo (additions only) is made after a signal too */
		if (waits && ipc_wait_begin(true) == -1) {
			e = errno;
			ipc_timer_disarm();
			errno = e;
			return -1;
		}
		if (deadline != NULL) {
			ipc_time_left(deadline, &left);
#ifdef HAVE_SEMTIMEDOP
			r = semtimedop(id, ops, nops, &left);
#else
			r = semop(id, ops, nops);
#endif
		} else
			r = semop(id, ops, nops);
		e = errno;
		if (waits)
			ipc_wait_end();
#ifndef HAVE_SEMTIMEDOP
		ipc_timer_disarm();
		if (deadline != NULL && r == -1 && e == EINTR &&
		    !ipc_caught_signal && ipc_timer_expired())
			e = EAGAIN;
#endif
		errno = e;
		if (r == 0)
			return 0;
		if (errno == EINTR && !ipc_caught_signal)
			continue;	/* stopped and continued: wait on */
		return ipc_no_such_id();
	}
}

/*
 * One semop that undoes what a and b did: per member, minus their sum
 * (only additions then, which never wait), with SEM_UNDO if they had it.
 */
static int
sem_reverse(int id, const struct ipc_semstep *a, size_t na,
    const struct ipc_semstep *b, size_t nb)
{
	struct sembuf	 rev[IPC_SEM_STEP_MAX * 2];
	size_t		 i, j, n = 0;
	unsigned int	 undo = 0;
	int		 sum;

	for (i = 0; i < na + nb; i++) {
		const struct ipc_semstep *op = i < na ? &a[i] : &b[i - na];

		undo |= op->flags & IPC_SEMSTEP_UNDO;
		for (j = 0; j < n; j++)
			if (rev[j].sem_num == op->member)
				break;
		if (j == n) {
			if (n == sizeof rev / sizeof rev[0]) {
				errno = E2BIG;
				return -1;
			}
			rev[n++] = (struct sembuf){ op->member, 0, 0 };
		}
		sum = rev[j].sem_op - op->delta;
		rev[j].sem_op = (short)sum;
	}
	for (i = j = 0; i < n; i++)
		if (rev[i].sem_op != 0) {
			rev[j] = rev[i];
			rev[j++].sem_flg = step_flags(IPC_SEMSTEP_NOWAIT | undo);
		}
	if (j == 0)
		return 0;
	return semop_raw(id, rev, j, NULL);
}

int
ipc_sem_op(int id, const struct ipc_semstep *ops, size_t nops,
    const struct timespec *deadline)
{
	struct sembuf	 buf[16], *sb = buf;
	size_t		 i;
	int		 r, e;

	if (nops > sizeof buf / sizeof buf[0] &&
	    (sb = reallocarray(NULL, nops, sizeof *sb)) == NULL)
		return -1;
	for (i = 0; i < nops; i++)
		sb[i] = (struct sembuf){ ops[i].member, ops[i].delta,
		    step_flags(ops[i].flags) };
	r = semop_raw(id, sb, nops, deadline);
	if (sb != buf) {
		e = errno;
		free(sb);
		errno = e;
	}
	return r;
}

int
ipc_sem_take(int id, const struct ipc_sem_steps *s,
    const struct timespec *deadline)
{
	int	e;

	if (ipc_sem_op(id, s->ops[0], s->nops[0], deadline) == -1)
		return -1;
	if (s->nops[1] == 0 ||
	    ipc_sem_op(id, s->ops[1], s->nops[1], deadline) == 0)
		return 0;
	/* the second step failed: the first one goes back */
	e = errno;
	sem_reverse(id, s->ops[0], s->nops[0], NULL, 0);
	errno = e;
	return -1;
}

int
ipc_sem_give_back(int id, const struct ipc_sem_steps *s)
{
	return sem_reverse(id, s->ops[0], s->nops[0], s->ops[1], s->nops[1]);
}

int
ipc_sem_setval(int id, unsigned long index, int value)
{
	union semun	arg;

	arg.val = value;
	if (semctl(id, (int)index, SETVAL, arg) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_sem_setall(int id, unsigned long nsems, int value)
{
	return sem_setall_values(id, nsems, &value, true);
}

int
ipc_sem_set_perm(int id, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	struct semid_ds	ds;
	union semun	arg;

	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) == -1)
		return ipc_no_such_id();
	if (uid != NULL)
		ds.sem_perm.uid = *uid;
	if (gid != NULL)
		ds.sem_perm.gid = *gid;
	if (mode != NULL)
		ds.sem_perm.mode = (ds.sem_perm.mode & ~0777u) | (*mode & 0777);
	if (semctl(id, 0, IPC_SET, arg) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_sem_remove(int id)
{
	if (semctl(id, 0, IPC_RMID) == -1)
		return ipc_no_such_id();
	return 0;
}

/* ---- POSIX named semaphores ---- */

/*
 * glibc keeps a named semaphore as /dev/shm/sem.NAME holding one sem_t, and
 * sem_open maps it blindly: an empty file is a SIGBUS at the first access,
 * a short one a garbage value.  So an existing semaphore is opened here:
 * the file is checked (regular, not a symlink, exactly one sem_t as
 * sem_open writes it) and mapped through the same descriptor, and every
 * access runs under a SIGBUS guard, for a file truncated after the check.
 */
struct ipc_psem {
	sem_t	*sem;
	bool	 mapped;	/* by psem_map, not by sem_open */
	bool	 broken;	/* its file was truncated under us */
};

static sigjmp_buf		bus_jmp;
static void *volatile		bus_page;
static volatile sig_atomic_t	bus_armed;

/*
 * A fault on the guarded semaphore: an anonymous page is put where its
 * file's page was, since unwinding out of sem_wait runs glibc's cleanup,
 * which touches the semaphore again (a second SIGBUS, blocked inside this
 * handler, would kill us); then back to psem_guarded.
 */
static void
on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (bus_armed && (uintptr_t)si->si_addr - (uintptr_t)bus_page <
	    sizeof(sem_t)) {
		if (mmap(bus_page, sizeof(sem_t), PROT_READ | PROT_WRITE,
		    MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED)
			siglongjmp(bus_jmp, 1);
	}
	signal(sig, SIG_DFL);	/* not ours: fault again, and die of it */
}

typedef int	(*psem_fn)(sem_t *, void *);

/*
 * Runs fn(sem, arg) with SIGBUS on sem turned into a failure
 * (IPC_EBADOBJ): the handler is installed only around the call.
 */
static int
psem_guarded(sem_t *sem, psem_fn fn, void *arg)
{
	struct sigaction	sa, old;
	int			r, e;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) == -1)
		return -1;
	bus_page = sem;		/* page aligned: mmap put it there */
	if (sigsetjmp(bus_jmp, 1) != 0) {
		bus_armed = 0;
		ipc_wait_end();		/* the fault came inside sem_wait */
		sigaction(SIGBUS, &old, NULL);
		errno = IPC_EBADOBJ;
		return -1;
	}
	bus_armed = 1;
	r = fn(sem, arg);
	e = errno;
	bus_armed = 0;
	sigaction(SIGBUS, &old, NULL);
	errno = e;
	return r;
}

/* psem_guarded on s; once its file was found truncated, always fails. */
static int
psem_run(struct ipc_psem *s, psem_fn fn, void *arg)
{
	int	r;

	if (s->broken) {
		errno = IPC_EBADOBJ;
		return -1;
	}
	if ((r = psem_guarded(s->sem, fn, arg)) == -1 && errno == IPC_EBADOBJ)
		s->broken = true;
	return r;
}

static int
psem_map(const char *name, bool rdonly, sem_t **out)
{
	struct stat	 sb;
	void		*p;
	int		 fd, e;

	if ((fd = ipc_posix_file_open(name, IPC_PSEM_PREFIX, rdonly ? O_RDONLY :
	    O_RDWR, &sb)) == -1)
		return -1;
	if (sb.st_size != (off_t)sizeof(sem_t)) {
		close(fd);
		/* beside the shared memory objects, it is one of those */
		errno = IPC_PSEM_BESIDE_SHM ? ENOENT : IPC_EBADOBJ;
		return -1;
	}
	p = mmap(NULL, sizeof(sem_t), rdonly ? PROT_READ :
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = errno;
	close(fd);
	if (p == MAP_FAILED) {
		errno = e;
		return -1;
	}
	*out = p;
	return 0;
}

static int
psem_wrap(sem_t *sem, bool mapped, struct ipc_psem **out)
{
	struct ipc_psem	*s;
	int		 e;

	if ((s = malloc(sizeof *s)) == NULL) {
		e = errno;
		if (mapped)
			munmap(sem, sizeof(sem_t));
		else
			sem_close(sem);
		errno = e;
		return -1;
	}
	s->sem = sem;
	s->mapped = mapped;
	s->broken = false;
	*out = s;
	return 0;
}

int
ipc_psem_create(const char *name, mode_t mode, unsigned int value,
    bool exist_ok, bool *created, struct ipc_psem **out)
{
	struct stat	 sb;
	sem_t		*sem;
	mode_t		 old;
	char		 path[PATH_MAX];
	int		 e;

	if (value > SEM_VALUE_MAX) {
		errno = ERANGE;
		return -1;
	}
	/*
	 * sem_open(O_CREAT | O_EXCL) makes a temporary file in /dev/shm even
	 * when the name exists: look first, so that finding one changes
	 * nothing at all.
	 */
	if (ipc_posix_file(name, IPC_PSEM_PREFIX, path, sizeof path) == -1)
		return -1;
	if (lstat(path, &sb) == 0) {
		*created = false;
		if (!exist_ok) {
			errno = EEXIST;
			return -1;
		}
		return ipc_psem_open(name, out);
	}
	/* -m is the mode, exactly: the umask does not apply */
	old = umask(0);
	sem = sem_open(name, O_CREAT | O_EXCL, mode & 0777, value);
	e = errno;
	umask(old);
	*created = sem != SEM_FAILED;
	if (sem != SEM_FAILED)
		return psem_wrap(sem, false, out);
	if (e != EEXIST || !exist_ok) {
		errno = e;
		return -1;
	}
	/* glibc links a fully initialised file: no race to wait out */
	return ipc_psem_open(name, out);
}

int
ipc_psem_open(const char *name, struct ipc_psem **out)
{
	sem_t	*sem;

	if (psem_map(name, false, &sem) == -1)
		return -1;
	return psem_wrap(sem, true, out);
}

int
ipc_psem_close(struct ipc_psem *s)
{
	int	r;

	if (s == NULL)
		return 0;
	r = s->mapped ? munmap(s->sem, sizeof(sem_t)) : sem_close(s->sem);
	free(s);
	return r;
}

struct psem_wait_args {
	const struct timespec	*deadline;
	bool			 nowait;
};

static int
psem_wait(sem_t *sem, void *arg)
{
	struct psem_wait_args	*w = arg;
	int			 r, e;
#if !defined(HAVE_SEM_CLOCKWAIT) && defined(HAVE_SEM_TIMEDWAIT)
	struct timespec		 left, abs;
#endif

#if !defined(HAVE_SEM_CLOCKWAIT) && !defined(HAVE_SEM_TIMEDWAIT)
	if (!w->nowait && w->deadline != NULL)
		return ipc_not_supported("SEM_TIMEDWAIT");
#endif
	for (;;) {
		if (w->nowait)
			r = sem_trywait(sem);
		else {
#if !defined(HAVE_SEM_CLOCKWAIT) && defined(HAVE_SEM_TIMEDWAIT)
			if (w->deadline != NULL) {
				ipc_time_left(w->deadline, &left);
				if (clock_gettime(CLOCK_REALTIME, &abs) == -1)
					return -1;
				abs.tv_sec += left.tv_sec;
				abs.tv_nsec += left.tv_nsec;
				if (abs.tv_nsec >= 1000000000L) {
					abs.tv_sec++;
					abs.tv_nsec -= 1000000000L;
				}
			}
#endif
			if (ipc_wait_begin(true) == -1)
				return -1;
			if (w->deadline == NULL)
				r = sem_wait(sem);
			else
#if defined(HAVE_SEM_CLOCKWAIT)
				r = sem_clockwait(sem, CLOCK_MONOTONIC,
				    w->deadline);
#elif defined(HAVE_SEM_TIMEDWAIT)
				r = sem_timedwait(sem, &abs);
#else
				r = -1;		/* refused above */
#endif
			e = errno;
			ipc_wait_end();
			errno = e;
			if (r == -1 && errno == ETIMEDOUT)
				errno = EAGAIN;
		}
		if (r == 0)
			return 0;
		if (errno == EINTR && !ipc_caught_signal)
			continue;
		return -1;
	}
}

bool
ipc_psem_timed(void)
{
#if defined(HAVE_SEM_CLOCKWAIT) || defined(HAVE_SEM_TIMEDWAIT)
	return true;
#else
	return false;
#endif
}

int
ipc_psem_wait(struct ipc_psem *s, const struct timespec *deadline,
    bool nowait)
{
	struct psem_wait_args	w = { deadline, nowait };

	return psem_run(s, psem_wait, &w);
}

/* sem_getvalue; a negative value is no semaphore's (garbage bytes). */
static int
psem_getvalue(sem_t *sem, void *arg)
{
	int	*v = arg;

	if (sem_getvalue(sem, v) == -1)
		return -1;
	if (*v < 0) {
		errno = IPC_EBADOBJ;
		return -1;
	}
	return 0;
}

static int
psem_post(sem_t *sem, void *arg)
{
	unsigned int	count = *(unsigned int *)arg, i;
	int		v;

	/* POSIX has no multi-post: check the room first, then post */
	if (count > 1) {
		if (psem_getvalue(sem, &v) == -1)
			return -1;
		if ((unsigned int)v > SEM_VALUE_MAX - count) {
			errno = ERANGE;
			return -1;
		}
	}
	for (i = 0; i < count; i++)
		if (sem_post(sem) == -1)
			return -1;
	return 0;
}

int
ipc_psem_post(struct ipc_psem *s, unsigned int count)
{
	return psem_run(s, psem_post, &count);
}

int
ipc_psem_value(struct ipc_psem *s, int *value)
{
	return psem_run(s, psem_getvalue, value);
}

int
ipc_psem_peek(const char *name, int *value)
{
	sem_t	*sem;
	int	 r, e;

	if (psem_map(name, true, &sem) == -1)
		return -1;
	r = psem_guarded(sem, psem_getvalue, value);
	e = errno;
	munmap(sem, sizeof(sem_t));
	errno = e;
	return r;
}

int
ipc_psem_unlink(const char *name)
{
	return ipc_posix_elsewhere() ? ipc_posix_unlink(name, IPC_PSEM_PREFIX) :
	    sem_unlink(name);
}

int
ipc_psem_stat(const char *name, struct ipc_posix_stat *st)
{
	if (ipc_posix_file_stat(name, IPC_PSEM_PREFIX, st) == -1)
		return -1;
	/* beside the shared memory objects, only a sem_t's size is one */
	if (IPC_PSEM_BESIDE_SHM && st->size != (off_t)sizeof(sem_t)) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int
ipc_psem_set_perm(const char *name, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	struct ipc_posix_stat	st;

	if (IPC_PSEM_BESIDE_SHM && ipc_psem_stat(name, &st) == -1)
		return -1;
	return ipc_posix_file_set_perm(name, IPC_PSEM_PREFIX, uid, gid, mode);
}
