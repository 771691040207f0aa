/*
 * Semaphores: System V sets and POSIX named semaphores.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

int
ipc_sem_open(const struct ipc_target *t, int *id)
{
	int	r;

	switch (t->kind) {
	case IPC_T_ID:
		*id = t->id;
		return 0;
	case IPC_T_KEY:
		if ((r = semget(t->key, 0, 0)) == -1)
			return -1;
		*id = r;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/*
 * sem_otime stays 0 until the first semop.  The creator sets every value
 * with SETALL and then makes one semop that changes nothing but sem_otime;
 * openers wait for sem_otime != 0 (ipc_sem_wait_init).
 */
static int
sem_initialise(int id, unsigned long nsems, int value)
{
	struct sembuf	 ops[2];
	int		 r;

	if (ipc_sem_setall(id, nsems, value) == -1)
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
	int	 r, e, tries = 0;
	key_t	 k = key;

	if (value < 0 || value > SEMVMX) {
		errno = ERANGE;
		return -1;
	}
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
	if (sem_initialise(r, nsems, value) == -1 ||
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
	union semun	 arg;
	unsigned long	 i;
	int		 r, e;

	if ((vals = calloc(nsems ? nsems : 1, sizeof *vals)) == NULL)
		return -1;
	arg.array = vals;
	if (semctl(id, 0, GETALL, arg) == -1) {
		e = errno;
		free(vals);
		errno = e;
		return ipc_no_such_id();
	}
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

int
ipc_sem_op(int id, struct sembuf *ops, size_t nops,
    const struct timespec *deadline)
{
	struct timespec	left;
	int		r;

	for (;;) {
		if (deadline != NULL) {
			ipc_time_left(deadline, &left);
#ifdef HAVE_SEMTIMEDOP
			r = semtimedop(id, ops, nops, &left);
#else
			if (ipc_timer_arm(deadline) == -1)
				return -1;
			r = semop(id, ops, nops);
			ipc_timer_disarm();
			if (r == -1 && errno == EINTR && !ipc_caught_signal &&
			    ipc_timer_expired())
				errno = EAGAIN;
#endif
		} else
			r = semop(id, ops, nops);
		if (r == 0)
			return 0;
		if (errno == EINTR && !ipc_caught_signal)
			continue;	/* stopped and continued: wait on */
		return ipc_no_such_id();
	}
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
	unsigned short	*vals;
	union semun	 arg;
	unsigned long	 i;
	int		 r, e;

	if (value < 0 || value > SEMVMX) {
		errno = ERANGE;
		return -1;
	}
	if ((vals = calloc(nsems ? nsems : 1, sizeof *vals)) == NULL)
		return -1;
	for (i = 0; i < nsems; i++)
		vals[i] = (unsigned short)value;
	arg.array = vals;
	r = semctl(id, 0, SETALL, arg);
	e = errno;
	free(vals);
	errno = e;
	return r == -1 ? ipc_no_such_id() : 0;
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

struct ipc_psem {
	sem_t	*sem;
};

static int
psem_wrap(sem_t *sem, struct ipc_psem **out)
{
	struct ipc_psem	*s;

	if ((s = malloc(sizeof *s)) == NULL) {
		sem_close(sem);
		return -1;
	}
	s->sem = sem;
	*out = s;
	return 0;
}

int
ipc_psem_create(const char *name, mode_t mode, unsigned int value,
    bool exist_ok, bool *created, struct ipc_psem **out)
{
	sem_t	*sem;
	mode_t	 old;
	int	 e;

	if (value > SEM_VALUE_MAX) {
		errno = ERANGE;
		return -1;
	}
	/* -m is the mode, exactly: the umask does not apply */
	old = umask(0);
	sem = sem_open(name, O_CREAT | O_EXCL, mode & 0777, value);
	e = errno;
	umask(old);
	*created = sem != SEM_FAILED;
	if (sem == SEM_FAILED) {
		if (e != EEXIST || !exist_ok) {
			errno = e;
			return -1;
		}
		/* glibc links a fully initialised file: no race to wait out */
		if ((sem = sem_open(name, 0)) == SEM_FAILED)
			return -1;
	}
	return psem_wrap(sem, out);
}

int
ipc_psem_open(const char *name, struct ipc_psem **out)
{
	sem_t	*sem;

	if ((sem = sem_open(name, 0)) == SEM_FAILED)
		return -1;
	return psem_wrap(sem, out);
}

int
ipc_psem_close(struct ipc_psem *s)
{
	int	r;

	if (s == NULL)
		return 0;
	r = sem_close(s->sem);
	free(s);
	return r;
}

int
ipc_psem_wait(struct ipc_psem *s, const struct timespec *deadline,
    bool nowait)
{
	struct timespec	left;
	int		r;
#if !defined(HAVE_SEM_CLOCKWAIT)
	struct timespec	abs;
#endif

	for (;;) {
		if (nowait)
			r = sem_trywait(s->sem);
		else if (deadline != NULL) {
#ifdef HAVE_SEM_CLOCKWAIT
			(void)left;
			r = sem_clockwait(s->sem, CLOCK_MONOTONIC, deadline);
#else
			ipc_time_left(deadline, &left);
			if (clock_gettime(CLOCK_REALTIME, &abs) == -1)
				return -1;
			abs.tv_sec += left.tv_sec;
			abs.tv_nsec += left.tv_nsec;
			if (abs.tv_nsec >= 1000000000L) {
				abs.tv_sec++;
				abs.tv_nsec -= 1000000000L;
			}
			r = sem_timedwait(s->sem, &abs);
#endif
			if (r == -1 && errno == ETIMEDOUT)
				errno = EAGAIN;
		} else
			r = sem_wait(s->sem);
		if (r == 0)
			return 0;
		if (errno == EINTR && !ipc_caught_signal)
			continue;
		return -1;
	}
}

int
ipc_psem_post(struct ipc_psem *s, unsigned int count)
{
	unsigned int	i;
	int		v;

	/* POSIX has no multi-post: check the room first, then post */
	if (count > 1) {
		if (sem_getvalue(s->sem, &v) == -1)
			return -1;
		if ((unsigned int)v > SEM_VALUE_MAX - count) {
			errno = ERANGE;
			return -1;
		}
	}
	for (i = 0; i < count; i++)
		if (sem_post(s->sem) == -1)
			return -1;
	return 0;
}

int
ipc_psem_value(struct ipc_psem *s, int *value)
{
	return sem_getvalue(s->sem, value);
}

int
ipc_psem_unlink(const char *name)
{
	return sem_unlink(name);
}

int
ipc_psem_stat(const char *name, struct ipc_posix_stat *st)
{
	return ipc_posix_file_stat(name, "sem.", st);
}

int
ipc_psem_set_perm(const char *name, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	return ipc_posix_file_set_perm(name, "sem.", uid, gid, mode);
}
