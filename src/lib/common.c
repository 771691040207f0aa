/* SPDX-License-Identifier: ISC */
/*
 * The library's common part: keys, signals, deadlines, processes,
 * namespaces, manifests.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

volatile sig_atomic_t ipc_caught_signal;
const char *ipc_unsupported;

int
ipc_not_supported(const char *name)
{
	ipc_unsupported = name;
	errno = ENOSYS;
	return -1;
}

/*
 * Every signal whose default action ends the process and that a handler
 * can catch (SIGPIPE aside: see ipc_ignore_sigpipe), and the real-time
 * signals below.  A signal ignored when ipctool started stays ignored
 * (nohup, a script's background job): its handler is never installed.
 */
static const int caught[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
#ifdef SIGIO
	SIGIO,
#endif
#ifdef SIGPWR
	SIGPWR,
#endif
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};
#define NCAUGHT	(sizeof caught / sizeof caught[0])
#define NRT_MAX	64
static struct sigaction saved[NCAUGHT + NRT_MAX];
static bool		installed[NCAUGHT + NRT_MAX];
static bool		catching;
/* SIGALRM from anyone but ipctool's own timer: ignored at start */
static volatile sig_atomic_t alrm_ignored;

static void	kick(void);
static int	alrm_release(void);

static void
on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGALRM) {
		/* the timer's tick interrupts a call and nothing else */
		if (si != NULL && si->si_code == SI_TIMER)
			return;
		if (alrm_ignored || !catching)
			return;
	}
	ipc_caught_signal = sig;
	kick();
}

static int
sig_at(size_t i)
{
	return i < NCAUGHT ? caught[i] : SIGRTMIN + (int)(i - NCAUGHT);
}

static size_t
sig_count(void)
{
	int	nrt = SIGRTMAX - SIGRTMIN + 1;

	if (nrt < 0)
		nrt = 0;
	if (nrt > NRT_MAX)
		nrt = NRT_MAX;
	return NCAUGHT + (size_t)nrt;
}

static int
install(int sig, struct sigaction *old)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;	/* no SA_RESTART: a wait sees EINTR */
	return sigaction(sig, &sa, old);
}

int
ipc_catch_signals(void)
{
	struct sigaction	cur;
	size_t			i, n = sig_count();
	int			sig;

	if (catching)
		return 0;
	for (i = 0; i < n; i++) {
		sig = sig_at(i);
		if (sigaction(sig, NULL, &cur) == -1)
			return -1;
		if (cur.sa_handler == SIG_IGN && !(cur.sa_flags & SA_SIGINFO)) {
			if (sig == SIGALRM)
				alrm_ignored = 1;
			continue;
		}
		if (cur.sa_handler != SIG_DFL && !(cur.sa_flags & SA_SIGINFO &&
		    cur.sa_sigaction == on_signal))
			continue;	/* someone else's handler */
		if (install(sig, &saved[i]) == -1)
			return -1;
		installed[i] = true;
	}
	catching = true;
	return 0;
}

/*
 * For a wait in sigtimedwait: musl's restarts after a handler has run, so
 * a caught signal would never end it.  The caller blocks and waits for
 * these too (the signals whose handler is installed), then hands one it
 * took to ipc_take_signal, which does what the handler would have done.
 */
void
ipc_caught_sigset(sigset_t *set)
{
	size_t	i, n = sig_count();

	for (i = 0; i < n; i++)
		if (installed[i])
			sigaddset(set, sig_at(i));
}

void
ipc_take_signal(int sig, siginfo_t *si)
{
	on_signal(sig, si, NULL);
}

static struct sigaction		saved_alrm;
static bool			alrm_set;

int
ipc_restore_signals(void)
{
	size_t	i, n = sig_count();

	/* no tick may come once SIGALRM's disposition is back */
	if (alrm_release() == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (!installed[i])
			continue;
		if (sigaction(sig_at(i), &saved[i], NULL) == -1)
			return -1;
		installed[i] = false;
	}
	if (alrm_set && sigaction(SIGALRM, &saved_alrm, NULL) == -1)
		return -1;
	alrm_set = false;
	catching = false;
	return 0;
}

static int
ignore_signal(int sig)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* A reader that went away is then EPIPE from write, not a death. */
int
ipc_ignore_sigpipe(void)
{
	return ignore_signal(SIGPIPE);
}

/* A file size limit (RLIMIT_FSIZE) is then EFBIG from write, not a death. */
int
ipc_ignore_sigxfsz(void)
{
	return ignore_signal(SIGXFSZ);
}

int
ipc_deadline(const struct timespec *rel, struct timespec *abs_out)
{
	if (clock_gettime(CLOCK_MONOTONIC, abs_out) == -1)
		return -1;
	abs_out->tv_sec += rel->tv_sec;
	abs_out->tv_nsec += rel->tv_nsec;
	if (abs_out->tv_nsec >= 1000000000L) {
		abs_out->tv_sec++;
		abs_out->tv_nsec -= 1000000000L;
	}
	return 0;
}

bool
ipc_time_left(const struct timespec *deadline, struct timespec *left)
{
	struct timespec	now;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1) {
		left->tv_sec = 0;
		left->tv_nsec = 0;
		return false;
	}
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
	if (left->tv_sec < 0) {
		left->tv_sec = 0;
		left->tv_nsec = 0;
		return false;
	}
	return left->tv_sec > 0 || left->tv_nsec > 0;
}

static timer_t			timer;
static bool			timer_made;
static struct timespec		timer_deadline;
static bool			timer_armed, timer_timed;
/* SIGALRM's handler and the timer are ready; SIGALRM was found blocked */
static bool			alrm_ready, alrm_was_blocked;
/* between ipc_wait_begin and ipc_wait_end; the handler armed the ticks */
static volatile sig_atomic_t	in_wait, kicked;

#define TICK_NS		(10 * 1000 * 1000)

/*
 * The timer signals SIGALRM whatever the disposition or mask ipctool
 * inherited: the handler is installed here (it tells the timer's ticks,
 * SI_TIMER, from a SIGALRM someone sent), and SIGALRM is unblocked until
 * ipc_restore_signals.  A SIGALRM ignored or blocked on entry is one that
 * ipctool was never to act on: only the ticks are then seen.
 */
static int
alrm_prepare(void)
{
	struct sigaction	cur;
	struct sigevent		sev;
	sigset_t		alrm, old;
	size_t			i;
	bool			ours = false;

	if (alrm_ready)
		return 0;
	for (i = 0; i < NCAUGHT; i++)
		if (caught[i] == SIGALRM && installed[i])
			ours = true;
	if (!ours && !alrm_set) {
		if (sigaction(SIGALRM, NULL, &cur) == -1)
			return -1;
		if (cur.sa_handler == SIG_IGN && !(cur.sa_flags & SA_SIGINFO))
			alrm_ignored = 1;
		if (install(SIGALRM, &saved_alrm) == -1)
			return -1;
		alrm_set = true;
	}
	if (!timer_made) {
		memset(&sev, 0, sizeof sev);
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGALRM;
		if (timer_create(CLOCK_MONOTONIC, &sev, &timer) == -1)
			return -1;
		timer_made = true;
	}
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	if (sigprocmask(SIG_UNBLOCK, &alrm, &old) == -1)
		return -1;
	if (sigismember(&old, SIGALRM)) {
		alrm_was_blocked = true;
		alrm_ignored = 1;
	}
	alrm_ready = true;
	return 0;
}

/* Stops the ticks and puts SIGALRM's mask back (ipc_restore_signals). */
static int
alrm_release(void)
{
	struct itimerspec	its;
	sigset_t		alrm;
	int			r = 0;

	in_wait = 0;
	if (timer_made && (timer_armed || kicked)) {
		memset(&its, 0, sizeof its);
		r = timer_settime(timer, 0, &its, NULL);
	}
	timer_armed = false;
	kicked = 0;
	if (alrm_was_blocked) {
		sigemptyset(&alrm);
		sigaddset(&alrm, SIGALRM);
		if (sigprocmask(SIG_BLOCK, &alrm, NULL) == -1)
			r = -1;
		alrm_was_blocked = false;
	}
	alrm_ready = false;
	return r;
}

/*
 * From the handler, once a terminating signal is caught inside a wait:
 * the timer ticks now and every 10 ms, and a tick interrupts the call,
 * whether or not it was entered when the signal came.
 */
static void
kick(void)
{
	struct itimerspec	its;
	int			e;

	if (!in_wait || kicked)
		return;
	e = errno;
	kicked = 1;
	memset(&its, 0, sizeof its);
	its.it_value.tv_nsec = 1;
	its.it_interval.tv_nsec = TICK_NS;
	(void)timer_settime(timer, 0, &its, NULL);
	errno = e;
}

/*
 * The wait's bracket.  A signal caught before it starts the ticks at once
 * with kick_now; without, the caller has looked at ipc_caught_signal.
 * With no timer to be had (timer_create's EAGAIN past RLIMIT_SIGPENDING),
 * the wait is still made, as it was before the ticks: only a signal in
 * the last instant before it would then be missed.
 */
static void
wait_enter(bool kick_now)
{
	if (!catching || alrm_prepare() == -1)
		return;
	in_wait = 1;
	if (kick_now && ipc_caught_signal != 0)
		kick();
}

int
ipc_wait_begin(bool stop)
{
	wait_enter(!stop);
	/* looked at once in the bracket: one caught later kicks the call */
	if (stop && ipc_caught_signal != 0) {
		ipc_wait_end();
		errno = EINTR;
		return -1;
	}
	return 0;
}

void
ipc_wait_end(void)
{
	struct itimerspec	its;
	int			e;

	in_wait = 0;
	if (!kicked)
		return;
	/* the timed wait's own ticks, if any, stop at ipc_timer_disarm */
	e = errno;
	kicked = 0;
	if (!timer_armed) {
		memset(&its, 0, sizeof its);
		(void)timer_settime(timer, 0, &its, NULL);
	}
	errno = e;
}

int
ipc_cleanup_begin(void)
{
	int	sig = ipc_caught_signal;

	ipc_caught_signal = 0;
	return sig;
}

void
ipc_cleanup_end(int sig)
{
	if (ipc_caught_signal == 0)
		ipc_caught_signal = sig;
}

int
ipc_timer_arm(const struct timespec *deadline)
{
	struct itimerspec	its;

	if (alrm_prepare() == -1)
		return -1;
	timer_armed = true;
	timer_timed = true;
	timer_deadline = *deadline;
	memset(&its, 0, sizeof its);
	its.it_value = *deadline;
	its.it_interval.tv_nsec = TICK_NS;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	return timer_settime(timer, TIMER_ABSTIME, &its, NULL);
}

int
ipc_timer_disarm(void)
{
	struct itimerspec	its;

	if (!timer_armed)
		return 0;
	timer_armed = false;
	memset(&its, 0, sizeof its);
	return timer_settime(timer, 0, &its, NULL);
}

bool
ipc_timer_expired(void)
{
	struct timespec	left;

	/* the timer is made for the ticks too: only a deadline expires */
	return timer_timed && !ipc_time_left(&timer_deadline, &left);
}

/*
 * Waits until fd has bytes to read (or its end) and returns poll's
 * revents, or -1 (EINTR) when a signal caught by ipc_catch_signals stops
 * the copy.  The caught signals
 * stay blocked but inside ppoll: one that lands after the last check and
 * before the wait still ends it, where a plain poll or a blocking read
 * would sleep on with the signal already handled.
 */
int
ipc_wait_input(int fd, bool stop)
{
	struct pollfd	pfd;
	sigset_t	block, old;
	int		r, e;

	sigemptyset(&block);
	ipc_caught_sigset(&block);
	if (sigprocmask(SIG_BLOCK, &block, &old) == -1)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (stop && ipc_caught_signal != 0) {
			errno = EINTR;
			r = -1;
			break;
		}
		if ((r = ppoll(&pfd, 1, NULL, &old)) >= 0) {
			r = pfd.revents;
			break;
		}
		if (errno != EINTR)
			break;
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}

int
ipc_no_such_id(void)
{
	if (errno == EINVAL)
		errno = ENOENT;
	return -1;
}

int
ipc_sysv_open(enum ipc_kind k, const struct ipc_target *t, int *id)
{
	struct semid_ds	sds;
	struct shmid_ds	mds;
	struct msqid_ds	qds;
	union semun	arg;
	int		r;

	switch (t->kind) {
	case IPC_T_ID:
		arg.buf = &sds;
		r = k == IPC_K_SEM ? semctl(t->id, 0, IPC_STAT, arg) :
		    k == IPC_K_SHM ? shmctl(t->id, IPC_STAT, &mds) :
		    msgctl(t->id, IPC_STAT, &qds);
		/* EACCES: it exists, and the operation will say more */
		if (r == -1 && errno != EACCES)
			return ipc_no_such_id();
		*id = t->id;
		return 0;
	case IPC_T_KEY:
		r = k == IPC_K_SEM ? semget(t->key, 0, 0) :
		    k == IPC_K_SHM ? shmget(t->key, 0, 0) : msgget(t->key, 0);
		if (r == -1)
			return -1;
		*id = r;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int
ipc_posix_file(const char *name, const char *prefix, char *buf, size_t len)
{
	const char	*dir;

	if ((dir = ipc_shm_dir()) == NULL)
		return -1;
	if ((size_t)snprintf(buf, len, "%s/%s%s", dir, prefix,
	    name + 1) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

void
ipc_posix_stat_fill(const struct stat *sb, struct ipc_posix_stat *st)
{
	st->size = sb->st_size;
	st->uid = sb->st_uid;
	st->gid = sb->st_gid;
	st->mode = sb->st_mode & 07777;
	st->mtime = sb->st_mtim;
	st->ctime = sb->st_ctim;
	st->atime = sb->st_atim;
	st->dev = sb->st_dev;
	st->ino = sb->st_ino;
}

/*
 * Whatever another user planted under the name (a symlink, a directory, a
 * FIFO) is refused, never followed: the file is opened with O_NOFOLLOW and
 * checked through the descriptor.  O_NOATIME where we may (the owner,
 * root) keeps even a read-only command from moving the atime.
 */
int
ipc_posix_file_open(const char *name, const char *prefix, int flags,
    struct stat *sb)
{
	char	path[PATH_MAX];
	int	fd, e;

	if (ipc_posix_file(name, prefix, path, sizeof path) == -1)
		return -1;
	flags |= O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_PATH) == 0) {
		flags |= O_NONBLOCK;	/* a FIFO must not block us */
		fd = open(path, flags | O_NOATIME);
		if (fd == -1 && errno == EPERM)
			fd = open(path, flags);
	} else
		fd = open(path, flags);
	if (fd == -1) {
		/* the last component is a symlink, or a directory */
		if (errno == ELOOP || errno == EISDIR)
			errno = IPC_EBADOBJ;
		return -1;
	}
	if (fstat(fd, sb) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		close(fd);
		errno = IPC_EBADOBJ;
		return -1;
	}
	return fd;
}

int
ipc_posix_file_stat(const char *name, const char *prefix,
    struct ipc_posix_stat *st)
{
	struct stat	sb;
	int		fd;

	/* O_PATH: no permission asked, no side effect on the file */
	if ((fd = ipc_posix_file_open(name, prefix, O_PATH, &sb)) == -1)
		return -1;
	close(fd);
	ipc_posix_stat_fill(&sb, st);
	return 0;
}

int
ipc_posix_file_set_perm(const char *name, const char *prefix,
    const uid_t *uid, const gid_t *gid, const mode_t *mode)
{
	struct stat	 sb;
	char		 proc[64];
	bool		 opath = false;
	int		 fd, r = 0, e;

	/*
	 * A real descriptor takes fchmod; an owner without read permission
	 * gets an O_PATH one, whose file is changed through /proc/self/fd
	 * (the very inode, whatever the name now points to).
	 */
	fd = ipc_posix_file_open(name, prefix, O_RDONLY, &sb);
	if (fd == -1 && errno == EACCES) {
		fd = ipc_posix_file_open(name, prefix, O_PATH, &sb);
		opath = true;
	}
	if (fd == -1)
		return -1;
	if ((uid != NULL || gid != NULL) && fchownat(fd, "",
	    uid != NULL ? *uid : (uid_t)-1, gid != NULL ? *gid : (gid_t)-1,
	    AT_EMPTY_PATH) == -1)
		r = -1;
	if (r == 0 && mode != NULL) {
		if (!opath)
			r = fchmod(fd, *mode & 07777);
		else {
			snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
			r = chmod(proc, *mode & 07777);
		}
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
ipc_ftok(const char *path, int proj, key_t *key)
{
	struct stat	st;
	key_t		k;

	/* ftok(3) hides why it failed; stat first to keep errno exact */
	if (stat(path, &st) == -1)
		return -1;
	k = ftok(path, proj);
	if (k == (key_t)-1 && errno != 0)
		return -1;
	*key = k;
	return 0;
}

key_t
ipc_random_key(void)
{
	uint32_t	k;

	do
		k = arc4random();
	while (k == 0 || k == UINT32_MAX);
	return (key_t)(int32_t)k;
}

int
ipc_exec(char *const argv[])
{
	/* one caught up to here is seen; one after it ends us as it would */
	if (ipc_restore_signals() == -1)
		return -1;
	if (ipc_caught_signal != 0) {
		errno = EINTR;
		return -1;
	}
	execvp(argv[0], argv);
	return -1;
}

int
ipc_spawn(char *const argv[], pid_t *pid)
{
	int	fds[2], e = 0;
	ssize_t	n;
	pid_t	p;

	/* one caught later is passed on by ipc_wait_child */
	if (ipc_caught_signal != 0) {
		errno = EINTR;
		return -1;
	}
	/* a close-on-exec pipe carries the child's exec errno back */
	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	p = fork();
	if (p == -1) {
		e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (p == 0) {
		close(fds[0]);
		ipc_restore_signals();
		execvp(argv[0], argv);
		e = errno;
		if (write(fds[1], &e, sizeof e) != (ssize_t)sizeof e)
			_exit(126);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(fds[1]);
	do
		n = read(fds[0], &e, sizeof e);
	while (n == -1 && errno == EINTR);
	close(fds[0]);
	*pid = p;
	if (n == (ssize_t)sizeof e) {
		/* exec failed: reap the child, report its errno */
		while (waitpid(p, NULL, 0) == -1 && errno == EINTR)
			continue;
		errno = e;
		return -1;
	}
	return 0;
}

int
ipc_wait_child(pid_t pid, int *status)
{
	pid_t	r;
	int	sig, forwarded = 0, e;

	for (;;) {
		sig = ipc_caught_signal;
		if (sig != 0 && sig != forwarded) {
			/* pass a terminating signal on, as timeout(1) does */
			kill(pid, sig);
			forwarded = sig;
		}
		wait_enter(false);
		/* one that came since the look above: pass it on first */
		if (ipc_caught_signal != forwarded) {
			ipc_wait_end();
			continue;
		}
		r = waitpid(pid, status, 0);
		e = errno;
		ipc_wait_end();
		if (r == pid)
			return 0;
		if (e != EINTR) {
			errno = e;
			return -1;
		}
	}
}

int
ipc_setns(const char *file)
{
#ifdef HAVE_SETNS
	int	fd, e;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (setns(fd, CLONE_NEWIPC) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	ipc_ipcns_changed();
	return 0;
#else
	(void)file;
	return ipc_not_supported("SETNS");
#endif
}

/*
 * Under --ns PID the POSIX objects are the target's: its /dev/shm and
 * /dev/mqueue, reached from /proc/PID/root one component at a time without
 * following a symbolic link (a link planted in a container's tree would
 * otherwise resolve against our root), and named from then on through the
 * descriptor, /proc/self/fd/N, so that every later open, unlink and walk
 * starts from the very directory checked here.
 */
struct posix_dir {
	const char	*dflt;
	char		 path[32];
	int		 fd;
	int		 err;		/* why there is none */
};
static struct posix_dir	pdir_shm = { IPC_SHM_DIR, "", -1, 0 };
static struct posix_dir	pdir_mq = { IPC_MQUEUE_DIR, "", -1, 0 };
static bool		pdir_elsewhere;

#ifdef HAVE_SETNS
static void
pdir_open(struct posix_dir *p, int root)
{
	int	dev, e;

	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;

	/* dflt is "/dev/NAME" */
	dev = openat(root, "dev", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (dev != -1) {
		p->fd = openat(dev, p->dflt + 5, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		close(dev);
		errno = e;
	}
	if (dev == -1 || p->fd == -1) {
		/* a symbolic link is refused, as a planted one would be */
		p->err = errno == ENOTDIR ? ELOOP : errno;
		return;
	}
	snprintf(p->path, sizeof p->path, "/proc/self/fd/%d", p->fd);
}
#endif

static const char *
pdir_get(const struct posix_dir *p)
{
	if (!pdir_elsewhere)
		return p->dflt;
	if (p->fd == -1) {
		errno = p->err;
		return NULL;
	}
	return p->path;
}

const char *
ipc_shm_dir(void)
{
	return pdir_get(&pdir_shm);
}

const char *
ipc_mqueue_dir(void)
{
	return pdir_get(&pdir_mq);
}

bool
ipc_posix_elsewhere(void)
{
	return pdir_elsewhere;
}

int
ipc_posix_unlink(const char *name, const char *prefix)
{
	char	path[PATH_MAX];

	if (ipc_posix_file(name, prefix, path, sizeof path) == -1)
		return -1;
	return unlink(path);
}

int
ipc_posix_dir_ident(bool mq, unsigned long long *dev, unsigned long long *ino)
{
	const struct posix_dir	*p = mq ? &pdir_mq : &pdir_shm;
	struct stat		 sb;

	if (!pdir_elsewhere ? stat(p->dflt, &sb) == -1 : p->fd == -1 ?
	    (errno = p->err, true) : fstat(p->fd, &sb) == -1)
		return -1;
	*dev = sb.st_dev;
	*ino = sb.st_ino;
	return 0;
}

int
ipc_setns_pid(long long pid, unsigned long long ino)
{
#ifdef HAVE_SETNS
	struct stat	sb;
	char		path[32];
	int		dir, ns, root, e;

	/* one /proc/PID: the namespace and the root are the same process's */
	snprintf(path, sizeof path, "/proc/%lld", pid);
	if ((dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	ns = openat(dir, "ns/ipc", O_RDONLY | O_CLOEXEC);
	e = errno;
	root = ns == -1 ? -1 : openat(dir, "root", O_PATH | O_DIRECTORY |
	    O_CLOEXEC);
	if (ns != -1 && root == -1)
		e = errno;
	close(dir);
	if (root == -1) {
		if (ns != -1)
			close(ns);
		errno = e;
		return -1;
	}
	/* the pid may be another process's by now, of another namespace */
	if (ino != 0 && (fstat(ns, &sb) == -1 || sb.st_ino != ino))
		errno = ESRCH;
	else if (setns(ns, CLONE_NEWIPC) == 0)
		errno = 0;
	if (errno != 0) {
		e = errno;
		close(ns);
		close(root);
		errno = e;
		return -1;
	}
	close(ns);
	ipc_ipcns_changed();
	pdir_open(&pdir_shm, root);
	pdir_open(&pdir_mq, root);
	pdir_elsewhere = true;
	close(root);
	return 0;
#else
	(void)pid;
	(void)ino;
	return ipc_not_supported("SETNS");
#endif
}

/* ---- list --watch ---- */

int
ipc_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	r;

	while (len > 0) {
		/* what a caught signal leaves is written if it can be */
		if (ipc_wait_begin(false) == -1)
			return -1;
		r = write(fd, buf, len);
		ipc_wait_end();
		if (r == -1) {
			if (errno == EINTR && ipc_caught_signal == 0)
				continue;
			return -1;
		}
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

int
ipc_pause(const struct timespec *ts)
{
	struct timespec	deadline, left;
	int		r;

	if (clock_gettime(CLOCK_MONOTONIC, &deadline) == -1)
		return -1;
	deadline.tv_sec += ts->tv_sec;
	deadline.tv_nsec += ts->tv_nsec;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		if (ipc_caught_signal != 0) {
			errno = EINTR;
			return -1;
		}
		if (clock_gettime(CLOCK_MONOTONIC, &left) == -1)
			return -1;
		if (left.tv_sec > deadline.tv_sec || (left.tv_sec ==
		    deadline.tv_sec && left.tv_nsec >= deadline.tv_nsec))
			return 0;
		/* absolute: a stop and continue sleeps only what is left */
		if (ipc_wait_begin(true) == -1)
			return -1;
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline,
		    NULL);
		ipc_wait_end();
		if (r == 0)
			return 0;
		if (r != EINTR) {
			errno = r;
			return -1;
		}
	}
}

static int
ns_cmp(const void *a, const void *b)
{
	const struct ipc_ns	*x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int
ns_pid_cmp(const void *a, const void *b)
{
	const struct ipc_ns	*x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int
ipc_ipcns_list(struct ipc_ns **out, size_t *count)
{
	struct ipc_ns	*v = NULL, *nv;
	struct dirent	*de;
	struct stat	 sb;
	char		 path[64];
	const char	*errstr;
	size_t		 n = 0, cap = 0, i, j;
	long long	 pid;
	DIR		*d;
	int		 e;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((errno = 0, de = readdir(d)) != NULL) {
		pid = strtonum(de->d_name, 1, INT32_MAX, &errstr);
		if (errstr != NULL)
			continue;
		snprintf(path, sizeof path, "/proc/%lld/ns/ipc", pid);
		/* gone, or not ours to inspect: not seen */
		if (stat(path, &sb) == -1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = reallocarray(v, cap, sizeof *v)) == NULL)
				goto fail;
			v = nv;
		}
		v[n].ino = sb.st_ino;
		v[n].pid = (pid_t)pid;
		n++;
	}
	if (errno != 0)
		goto fail;
	closedir(d);
	/* each namespace once, with its lowest pid; then in pid order */
	if (n > 1)
		qsort(v, n, sizeof *v, ns_cmp);
	for (i = j = 0; i < n; i++)
		if (j == 0 || v[j - 1].ino != v[i].ino)
			v[j++] = v[i];
	n = j;
	if (n > 1)
		qsort(v, n, sizeof *v, ns_pid_cmp);
	*out = v;
	*count = n;
	return 0;
fail:
	e = errno;
	closedir(d);
	free(v);
	errno = e;
	return -1;
}

int
ipc_manifest_open(const char *file, int flags)
{
	struct stat	sb;
	int		fd;

	fd = open(file, flags | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd != -1 || errno != ELOOP)
		return fd;
	/*
	 * A symbolic link: followed only when the caller or root made it
	 * (/dev/stdout, a link of one's own), never one that another user
	 * planted where the caller writes.
	 */
	if (lstat(file, &sb) == -1)
		return -1;
	if (!S_ISLNK(sb.st_mode) || (sb.st_uid != geteuid() &&
	    sb.st_uid != 0)) {
		errno = ELOOP;
		return -1;
	}
	return open(file, flags | O_CLOEXEC, 0666);
}

int
ipc_manifest_append(const char *file, const char *kind, const char *target)
{
	char	*line;
	int	 fd, len, e;
	ssize_t	 n;

	len = asprintf(&line, "%s %s\n", kind, target);
	if (len == -1)
		return -1;
	fd = ipc_manifest_open(file, O_WRONLY | O_CREAT | O_APPEND);
	if (fd == -1) {
		e = errno;
		free(line);
		errno = e;
		return -1;
	}
	/* one write with O_APPEND: concurrent jobs never interleave lines */
	n = write(fd, line, (size_t)len);
	e = errno;
	free(line);
	if (n != len) {
		close(fd);
		errno = n == -1 ? e : EIO;
		return -1;
	}
	if (close(fd) == -1)
		return -1;
	return 0;
}
