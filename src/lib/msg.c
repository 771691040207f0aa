/* SPDX-License-Identifier: ISC */
/*
 * Message queues: System V queues and POSIX message queues.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

int
ipc_msg_open(const struct ipc_target *t, int *id)
{
	return ipc_sysv_open(IPC_K_MSG, t, id);
}

int
ipc_msg_remove(int id)
{
	if (msgctl(id, IPC_RMID, NULL) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_pmq_exists(const char *name)
{
	mqd_t	q;

	/* O_PATH-like probe: a queue we may not read still exists */
	if ((q = mq_open(name, O_RDONLY)) == (mqd_t)-1)
		return errno == EACCES ? 0 : -1;
	mq_close(q);
	return 0;
}

int
ipc_pmq_unlink(const char *name)
{
	return mq_unlink(name);
}

int
ipc_msg_create(key_t key, bool random, mode_t mode, int *id, key_t *key_out)
{
	int	r, tries = 0;
	key_t	k = key;

	/* a queue keeps only the permission bits */
	for (;;) {
		if (random)
			k = ipc_random_key();
		r = msgget(k, IPC_CREAT | IPC_EXCL | (int)(mode & 0777));
		if (r != -1)
			break;
		if (!random || errno != EEXIST || ++tries >= 1000)
			return -1;
	}
	*id = r;
	*key_out = k;
	return 0;
}

int
ipc_msg_stat(int id, struct ipc_msg_info *info)
{
	struct msqid_ds	ds;

	if (msgctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	info->id = id;
	info->key = ds.msg_perm.__key;
	info->uid = ds.msg_perm.uid;
	info->gid = ds.msg_perm.gid;
	info->cuid = ds.msg_perm.cuid;
	info->cgid = ds.msg_perm.cgid;
	info->mode = ds.msg_perm.mode & 07777;
	info->qnum = ds.msg_qnum;
	info->qbytes = ds.msg_qbytes;
	info->cbytes = ds.__msg_cbytes;
	info->lspid = ds.msg_lspid;
	info->lrpid = ds.msg_lrpid;
	info->stime = ds.msg_stime;
	info->rtime = ds.msg_rtime;
	info->ctime = ds.msg_ctime;
	return 0;
}

int
ipc_msg_set(int id, const uid_t *uid, const gid_t *gid, const mode_t *mode,
    const unsigned long *qbytes)
{
	struct msqid_ds	ds;

	if (msgctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	if (uid != NULL)
		ds.msg_perm.uid = *uid;
	if (gid != NULL)
		ds.msg_perm.gid = *gid;
	if (mode != NULL)
		ds.msg_perm.mode = *mode & 0777;
	if (qbytes != NULL)
		ds.msg_qbytes = *qbytes;
	if (msgctl(id, IPC_SET, &ds) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_msg_limits(size_t *msgmax, size_t *msgmnb)
{
	struct msginfo	mi;

	if (msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi) == -1)
		return -1;
	*msgmax = mi.msgmax > 0 ? (size_t)mi.msgmax : 0;
	*msgmnb = mi.msgmnb > 0 ? (size_t)mi.msgmnb : 0;
	return 0;
}

/* One msgsnd (sm) or msgrcv (rm), with the kernel's flags. */
static ssize_t
msg_call(int id, const struct ipc_msgbuf *sm, struct ipc_msgbuf *rm,
    size_t len, long type, int flags)
{
	if (sm != NULL)
		return msgsnd(id, sm, len, flags);
	return msgrcv(id, rm, len, type, flags);
}

/*
 * msg_call until it is done, the deadline passes (ETIMEDOUT) or a caught
 * signal ends it (EINTR).  There is no timed msgsnd or msgrcv: a timer
 * interrupts the wait at the deadline.
 */
static ssize_t
msg_xfer(int id, const struct ipc_msgbuf *sm, struct ipc_msgbuf *rm,
    size_t len, long type, int flags, const struct timespec *deadline)
{
	struct timespec	left;
	ssize_t		r;
	int		e;

	for (;;) {
		if (flags & IPC_NOWAIT)
			r = msg_call(id, sm, rm, len, type, flags);
		else if (deadline != NULL && !ipc_time_left(deadline, &left)) {
			/* the time is up: one last try that cannot block */
			if ((r = msg_call(id, sm, rm, len, type,
			    flags | IPC_NOWAIT)) == -1 &&
			    (errno == EAGAIN || errno == ENOMSG))
				errno = ETIMEDOUT;
		} else {
			/* armed first: a kick from then on is not undone */
			if (deadline != NULL && ipc_timer_arm(deadline) == -1)
				return -1;
			if (ipc_wait_begin(true) == -1) {
				e = errno;
				ipc_timer_disarm();
				errno = e;
				return -1;
			}
			r = msg_call(id, sm, rm, len, type, flags);
			e = errno;
			ipc_wait_end();
			ipc_timer_disarm();
			errno = e;
		}
		if (r >= 0)
			return r;
		if (errno == EINTR && !ipc_caught_signal)
			continue;	/* the timer, or a stop and continue */
		return -1;
	}
}

int
ipc_msg_send(int id, const struct ipc_msgbuf *m, size_t len, bool nowait,
    const struct timespec *deadline)
{
	if (msg_xfer(id, m, NULL, len, 0, nowait ? IPC_NOWAIT : 0,
	    deadline) == -1)
		return ipc_no_such_id();
	return 0;
}

ssize_t
ipc_msg_receive(int id, struct ipc_msgbuf *m, size_t max, long type,
    int flags, const struct timespec *deadline)
{
	ssize_t		r;
	int		nowait = flags & IPC_MSG_NOWAIT;
	int		except = flags & IPC_MSG_EXCEPT;
	int		copy = flags & IPC_MSG_COPY;

	flags = nowait ? IPC_NOWAIT : 0;
	if (except) {
#if HAVE_DECL_MSG_EXCEPT
		flags |= MSG_EXCEPT;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	if (copy) {
#if HAVE_DECL_MSG_COPY
		/* the kernel refuses a MSG_COPY that could wait */
		flags |= MSG_COPY | IPC_NOWAIT;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	if ((r = msg_xfer(id, NULL, m, max, type, flags, deadline)) >= 0)
		return r;
	if (errno == ENOMSG)
		errno = EAGAIN;
	else if (copy && errno == ENOSYS)
		errno = ENOTSUP;
	return ipc_no_such_id();
}

int
ipc_msg_wait(int id, struct ipc_msgbuf *m, long type, int flags,
    const struct timespec *deadline)
{
	/* room for no byte: a message there fails with E2BIG and stays */
	if (ipc_msg_receive(id, m, 0, type, flags & ~IPC_MSG_COPY,
	    deadline) == 0)
		return 1;
	return errno == E2BIG ? 0 : -1;
}

int
ipc_msg_writable(int id)
{
	struct msqid_ds	 ds;
	gid_t		*groups;
	uid_t		 uid = geteuid();
	mode_t		 bits;
	int		 i, n;

	if (msgctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	/* as the kernel's ipcperms(); root stands for CAP_IPC_OWNER */
	if (uid == 0)
		return 1;
	if (uid == ds.msg_perm.uid || uid == ds.msg_perm.cuid)
		bits = ds.msg_perm.mode >> 6;
	else {
		bits = ds.msg_perm.mode;
		if (getegid() == ds.msg_perm.gid ||
		    getegid() == ds.msg_perm.cgid)
			bits = ds.msg_perm.mode >> 3;
		else if ((n = getgroups(0, NULL)) > 0) {
			if ((groups = calloc((size_t)n, sizeof *groups)) ==
			    NULL)
				return -1;
			n = getgroups(n, groups);
			for (i = 0; i < n; i++)
				if (groups[i] == ds.msg_perm.gid ||
				    groups[i] == ds.msg_perm.cgid) {
					bits = ds.msg_perm.mode >> 3;
					break;
				}
			free(groups);
		}
	}
	return (bits & 02) != 0;
}

/* ---- POSIX message queues ---- */

struct ipc_pmq {
	mqd_t	 q;
	int	 access;
};

static int
pmq_flags(int access)
{
	switch (access & (IPC_PMQ_READ | IPC_PMQ_WRITE)) {
	case IPC_PMQ_READ:
		return O_RDONLY;
	case IPC_PMQ_WRITE:
		return O_WRONLY;
	default:
		return O_RDWR;
	}
}

static int
pmq_wrap(mqd_t q, int access, struct ipc_pmq **out)
{
	struct ipc_pmq	*p;
	int		 e;

	if ((p = malloc(sizeof *p)) == NULL) {
		e = errno;
		mq_close(q);
		errno = e;
		return -1;
	}
	p->q = q;
	p->access = access;
	*out = p;
	return 0;
}

static long
read_long(const char *path, long dflt)
{
	FILE	*f;
	long	 v;

	if ((f = fopen(path, "re")) == NULL)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1 || v <= 0)
		v = dflt;
	fclose(f);
	return v;
}

int
ipc_pmq_create(const char *name, mode_t mode, long maxmsg, long msgsize,
    bool exist_ok, bool *created, struct ipc_pmq **out)
{
	struct mq_attr	 attr, *ap = NULL;
	mqd_t		 q;
	mode_t		 old;
	int		 e;

	if (maxmsg > 0 || msgsize > 0) {
		memset(&attr, 0, sizeof attr);
		attr.mq_maxmsg = maxmsg > 0 ? maxmsg :
		    read_long("/proc/sys/fs/mqueue/msg_default", 10);
		attr.mq_msgsize = msgsize > 0 ? msgsize :
		    read_long("/proc/sys/fs/mqueue/msgsize_default", 8192);
		ap = &attr;
	}
	/* the mode exactly as asked: the umask is for files, not this */
	old = umask(0);
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC,
	    mode & 07777, ap);
	e = errno;
	umask(old);
	if (q != (mqd_t)-1) {
		*created = true;
		return pmq_wrap(q, IPC_PMQ_READ | IPC_PMQ_WRITE, out);
	}
	if (e != EEXIST || !exist_ok) {
		errno = e;
		return -1;
	}
	*created = false;
	return ipc_pmq_open(name, 0, out);
}

int
ipc_pmq_open(const char *name, int access, struct ipc_pmq **out)
{
	mqd_t	q;

	if (access == 0) {
		/* stat or set: any access will do */
		q = mq_open(name, O_RDONLY | O_CLOEXEC);
		if (q != (mqd_t)-1)
			return pmq_wrap(q, IPC_PMQ_READ, out);
		if (errno != EACCES)
			return -1;
		access = IPC_PMQ_WRITE;
	}
	if ((q = mq_open(name, pmq_flags(access) | O_CLOEXEC)) == (mqd_t)-1)
		return -1;
	return pmq_wrap(q, access, out);
}

int
ipc_pmq_close(struct ipc_pmq *q)
{
	int	r;

	if (q == NULL)
		return 0;
	r = mq_close(q->q);
	free(q);
	return r;
}

int
ipc_pmq_access(const struct ipc_pmq *q)
{
	return q->access;
}

int
ipc_pmq_getattr(struct ipc_pmq *q, struct ipc_pmq_attr *attr)
{
	struct mq_attr	a;

	if (mq_getattr(q->q, &a) == -1)
		return -1;
	attr->maxmsg = a.mq_maxmsg;
	attr->msgsize = a.mq_msgsize;
	attr->curmsgs = a.mq_curmsgs;
	return 0;
}

int
ipc_pmq_stat(struct ipc_pmq *q, struct ipc_posix_stat *st)
{
	struct stat	sb;

	/* on Linux an mqd_t is a descriptor of the mqueue filesystem's
	 * inode, whether or not /dev/mqueue is mounted */
	if (fstat((int)q->q, &sb) == -1)
		return -1;
	ipc_posix_stat_fill(&sb, st);
	return 0;
}

int
ipc_pmq_set_perm(struct ipc_pmq *q, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	if ((uid != NULL || gid != NULL) && fchown((int)q->q,
	    uid ? *uid : (uid_t)-1, gid ? *gid : (gid_t)-1) == -1)
		return -1;
	if (mode != NULL && fchmod((int)q->q, *mode & 07777) == -1)
		return -1;
	return 0;
}

/* The CLOCK_REALTIME instant mq_timed* want for a monotonic deadline. */
static void __attribute__((unused))
pmq_abstime(const struct timespec *deadline, struct timespec *abs)
{
	struct timespec	left;

	ipc_time_left(deadline, &left);
	if (clock_gettime(CLOCK_REALTIME, abs) == -1) {
		abs->tv_sec = 0;
		abs->tv_nsec = 0;
		return;
	}
	abs->tv_sec += left.tv_sec;
	abs->tv_nsec += left.tv_nsec;
	if (abs->tv_nsec >= 1000000000L) {
		abs->tv_sec++;
		abs->tv_nsec -= 1000000000L;
	}
}

/*
 * A try that cannot block (--nowait) needs no timed call: the descriptor
 * is made O_NONBLOCK for it (mq_setattr), and blocking again after.
 */
static int
pmq_nonblock(struct ipc_pmq *q, bool on)
{
	struct mq_attr	a;

	memset(&a, 0, sizeof a);
	a.mq_flags = on ? O_NONBLOCK : 0;
	return mq_setattr(q->q, &a, NULL);
}

bool
ipc_pmq_timed_send(void)
{
#ifdef HAVE_MQ_TIMEDSEND
	return true;
#else
	return false;
#endif
}

bool
ipc_pmq_timed_receive(void)
{
#ifdef HAVE_MQ_TIMEDRECEIVE
	return true;
#else
	return false;
#endif
}

bool
ipc_pmq_can_notify(void)
{
#ifdef HAVE_MQ_NOTIFY
	return true;
#else
	return false;
#endif
}

/*
 * One mq_send (sbuf) or mq_receive (rbuf): without waiting (nowait), until
 * the deadline, or for as long as it takes; EINTR after a caught signal.
 */
static ssize_t
pmq_xfer(struct ipc_pmq *q, const char *sbuf, char *rbuf, size_t len,
    unsigned int *prio, bool nowait, const struct timespec *deadline)
{
	struct timespec	abs;
	ssize_t		r;
	int		e;

	(void)abs;
	if (!nowait && deadline != NULL) {
#ifndef HAVE_MQ_TIMEDSEND
		if (sbuf != NULL)
			return ipc_not_supported("MQ_TIMEDSEND");
#endif
#ifndef HAVE_MQ_TIMEDRECEIVE
		if (sbuf == NULL)
			return ipc_not_supported("MQ_TIMEDRECEIVE");
#endif
	}
	for (;;) {
		if (nowait ? pmq_nonblock(q, true) == -1 :
		    ipc_wait_begin(true) == -1)
			return -1;
		if (nowait || deadline == NULL)
			r = sbuf != NULL ? mq_send(q->q, sbuf, len, *prio) :
			    mq_receive(q->q, rbuf, len, prio);
		else {
			r = -1;		/* refused above where it is missing */
			pmq_abstime(deadline, &abs);
#ifdef HAVE_MQ_TIMEDSEND
			if (sbuf != NULL)
				r = mq_timedsend(q->q, sbuf, len, *prio, &abs);
#endif
#ifdef HAVE_MQ_TIMEDRECEIVE
			if (sbuf == NULL)
				r = mq_timedreceive(q->q, rbuf, len, prio,
				    &abs);
#endif
		}
		e = errno;
		if (nowait)
			(void)pmq_nonblock(q, false);
		else
			ipc_wait_end();
		errno = e;
		if (r >= 0)
			return r;
		if (errno == EINTR && !ipc_caught_signal)
			continue;
		return -1;
	}
}

int
ipc_pmq_send(struct ipc_pmq *q, const char *buf, size_t len,
    unsigned int prio, bool nowait, const struct timespec *deadline)
{
	return pmq_xfer(q, buf, NULL, len, &prio, nowait, deadline) == -1 ?
	    -1 : 0;
}

int
ipc_pmq_send_within(struct ipc_pmq *q, const char *buf, size_t len,
    unsigned int prio, const struct timespec *deadline)
{
#ifdef HAVE_MQ_TIMEDSEND
	return ipc_pmq_send(q, buf, len, prio, false, deadline);
#else
	static const struct timespec	tick = { 0, 10000000L };
	struct timespec			left;

	/* tries that cannot block, 10 ms apart, until the deadline */
	for (;;) {
		if (ipc_pmq_send(q, buf, len, prio, true, NULL) == 0)
			return 0;
		if (errno != EAGAIN)
			return -1;
		if (!ipc_time_left(deadline, &left)) {
			errno = EAGAIN;
			return -1;
		}
		if (nanosleep(&tick, NULL) == -1 && ipc_caught_signal) {
			errno = EINTR;
			return -1;
		}
	}
#endif
}

ssize_t
ipc_pmq_receive(struct ipc_pmq *q, char *buf, size_t len,
    unsigned int *prio, bool nowait, const struct timespec *deadline)
{
	return pmq_xfer(q, NULL, buf, len, prio, nowait, deadline);
}

int
ipc_pmq_notify_wait(struct ipc_pmq *q, const struct timespec *deadline,
    bool nowait)
{
#ifdef HAVE_MQ_NOTIFY
	struct sigevent		sev;
	struct timespec		left;
	sigset_t		set, wait, old;
	siginfo_t		si;
	int			sig = SIGRTMIN, r, e;
#endif
	struct mq_attr		a;

	/* a look needs no notification */
	if (nowait) {
		if (mq_getattr(q->q, &a) == -1)
			return -1;
		if (a.mq_curmsgs > 0)
			return 0;
		errno = EAGAIN;
		return -1;
	}
#ifndef HAVE_MQ_NOTIFY
	(void)deadline;
	return ipc_not_supported("MQ_NOTIFY");
#else
	/* the notification is a queued signal, taken with sigtimedwait */
	sigemptyset(&set);
	sigaddset(&set, sig);
	/* the caught signals are taken here too, never by their handler */
	wait = set;
	ipc_caught_sigset(&wait);
	if (sigprocmask(SIG_BLOCK, &wait, &old) == -1)
		return -1;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	if (mq_notify(q->q, &sev) == -1) {
		e = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = e;
		return -1;
	}
	/* it fires only when an empty queue gets a message: look first */
	if (mq_getattr(q->q, &a) == -1)
		r = -1;
	else if (a.mq_curmsgs > 0)
		r = 0;
	else {
		for (;;) {
			if (deadline != NULL) {
				if (!ipc_time_left(deadline, &left)) {
					errno = EAGAIN;
					r = -1;
					break;
				}
				r = sigtimedwait(&wait, &si, &left);
			} else
				r = sigwaitinfo(&wait, &si);
			if (r == sig) {
				r = 0;
				break;
			}
			if (r > 0) {
				ipc_take_signal(r, &si);
				if (!ipc_caught_signal)
					continue;	/* a timer's tick */
				errno = EINTR;
				r = -1;
				break;
			}
			if (r == -1 && errno == EAGAIN)
				continue;	/* time is checked above */
			if (r == -1 && errno == EINTR && !ipc_caught_signal)
				continue;
			r = -1;
			break;
		}
	}
	e = errno;
	/* a registration still in place would keep others out */
	if (r != 0 || a.mq_curmsgs > 0)
		mq_notify(q->q, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
#endif
}

long
ipc_pmq_prio_max(void)
{
	long	v = sysconf(_SC_MQ_PRIO_MAX);

	return v > 0 ? v : 32768;
}
