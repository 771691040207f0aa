/* SPDX-License-Identifier: ISC */
/*
 * Test shim (LD_PRELOAD): the signal IPCTOOL_TEST_EARLY_SIGNAL (a number)
 * is raised once, at the first call that can block (or the first call to
 * IPCTOOL_TEST_EARLY_CALL, a name, if set), right before it is entered.  Its handler runs then, after every look ipctool took at
 * ipc_caught_signal and before the kernel sees the wait: the moment a
 * signal from another process can come, made certain.  A wait that does
 * not end on it is the lost signal.
 */
#define _GNU_SOURCE		/* RTLD_NEXT */
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
early(const char *call)
{
	static int	done;
	const char	*s = getenv("IPCTOOL_TEST_EARLY_SIGNAL");
	const char	*only = getenv("IPCTOOL_TEST_EARLY_CALL");
	char		*end;
	long		 sig;
	int		 e = errno;

	if (done || s == NULL || (only != NULL && strcmp(only, call) != 0))
		return;
	done = 1;
	sig = strtol(s, &end, 10);
	if (*s != '\0' && *end == '\0' && sig > 0 && sig < NSIG)
		raise((int)sig);
	errno = e;
}

/* real_NAME: the C library's NAME, found once */
#define REAL(name)							\
	static __typeof__(name)	*real_##name;				\
	if (real_##name == NULL)					\
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static int
sem_blocks(const struct sembuf *ops, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ops[i].sem_op <= 0 && !(ops[i].sem_flg & IPC_NOWAIT))
			return 1;
	return 0;
}

static int
mq_blocks(mqd_t q)
{
	struct mq_attr	a;

	return mq_getattr(q, &a) == 0 && !(a.mq_flags & O_NONBLOCK);
}

int
msgsnd(int id, const void *m, size_t len, int flags)
{
	REAL(msgsnd);
	if (!(flags & IPC_NOWAIT))
		early("msgsnd");
	return real_msgsnd(id, m, len, flags);
}

ssize_t
msgrcv(int id, void *m, size_t len, long type, int flags)
{
	REAL(msgrcv);
	if (!(flags & IPC_NOWAIT))
		early("msgrcv");
	return real_msgrcv(id, m, len, type, flags);
}

int
semop(int id, struct sembuf *ops, size_t n)
{
	REAL(semop);
	if (sem_blocks(ops, n))
		early("semop");
	return real_semop(id, ops, n);
}

int
semtimedop(int id, struct sembuf *ops, size_t n, const struct timespec *t)
{
	REAL(semtimedop);
	if (sem_blocks(ops, n))
		early("semtimedop");
	return real_semtimedop(id, ops, n, t);
}

int
mq_send(mqd_t q, const char *b, size_t len, unsigned int prio)
{
	REAL(mq_send);
	if (mq_blocks(q))
		early("mq_send");
	return real_mq_send(q, b, len, prio);
}

int
mq_timedsend(mqd_t q, const char *b, size_t len, unsigned int prio,
    const struct timespec *t)
{
	REAL(mq_timedsend);
	if (mq_blocks(q))
		early("mq_timedsend");
	return real_mq_timedsend(q, b, len, prio, t);
}

ssize_t
mq_receive(mqd_t q, char *b, size_t len, unsigned int *prio)
{
	REAL(mq_receive);
	if (mq_blocks(q))
		early("mq_receive");
	return real_mq_receive(q, b, len, prio);
}

ssize_t
mq_timedreceive(mqd_t q, char *b, size_t len, unsigned int *prio,
    const struct timespec *t)
{
	REAL(mq_timedreceive);
	if (mq_blocks(q))
		early("mq_timedreceive");
	return real_mq_timedreceive(q, b, len, prio, t);
}

int
sem_wait(sem_t *s)
{
	REAL(sem_wait);
	early("sem_wait");
	return real_sem_wait(s);
}

int
sem_timedwait(sem_t *s, const struct timespec *t)
{
	REAL(sem_timedwait);
	early("sem_timedwait");
	return real_sem_timedwait(s, t);
}

int
sem_clockwait(sem_t *s, clockid_t c, const struct timespec *t)
{
	REAL(sem_clockwait);
	early("sem_clockwait");
	return real_sem_clockwait(s, c, t);
}

pid_t
waitpid(pid_t pid, int *status, int flags)
{
	REAL(waitpid);
	if (!(flags & WNOHANG))
		early("waitpid");
	return real_waitpid(pid, status, flags);
}
