/* SPDX-License-Identifier: ISC */
/*
 * Holders: `sem acquire TARGET --for PID` and `sem release TARGET --for PID`.
 *
 * acquire forks a holder and waits for its word.  The holder leaves the
 * caller's session (setsid), puts /dev/null on 0, 1 and 2 and closes every
 * other descriptor it inherited (so `x=$(ipctool sem acquire ...)` and a
 * test harness's pipes see end of file when acquire exits), then takes the
 * semaphore itself: System V with SEM_UNDO, so that the kernel gives the
 * units back whenever the holder ends, however it ends; POSIX by sem_wait,
 * posted back by the holder (POSIX has no undo: kill -9 of the holder
 * itself loses the unit).  Until it has said "held", the holder dies with
 * acquire (PR_SET_PDEATHSIG) and is ended by an interrupted acquire, so a
 * killed, interrupted or timed-out acquire leaves nothing held.
 *
 * Then the holder waits, in one ppoll, for PID to end (a pidfd; where the
 * kernel has no pidfd_open, PID's start time in /proc/PID/stat is checked
 * every 200 ms, which a reused PID cannot fool), for a terminating signal,
 * and for a release.  Any of them gives the units back and ends it.
 *
 * Finding a holder: it listens on an abstract unix socket whose name says
 * what it holds and for whom,
 *	ipctool-hold/UID/OBJECT/INDEX/PID/SLOT
 * (OBJECT: "sNS:SEMID" for System V, NS the IPC namespace's inode; "pDEV:INO"
 * for the POSIX semaphore's file; SLOT 0..IPC_HOLDER_SLOTS-1, the first
 * free, so that several holders of one semaphore for one PID coexist).
 * Nothing is written to a file system.  Anybody can bind any abstract
 * name, so the name is only where to look: release checks the listener's
 * credentials, which the kernel gives (SO_PEERCRED), and talks only to a
 * holder of its own user; the holder in turn obeys only its own user or
 * root.  One release asks one holder, which gives back exactly what it took
 * and then is gone: a second release finds no holder (ENOENT).
 */
#include "config.h"

#include <sys/types.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

/* what the holder tells acquire through the pipe */
#define HOLD_WAITING	(-1)	/* busy: it waits now (for --verbose) */
#define HOLD_HELD	0	/* else an errno */

static int
holder_object(const struct ipc_holder *h, char *buf, size_t len)
{
	struct stat	sb;
	char		path[PATH_MAX];
	int		n;

	if (h->psem_name != NULL) {
		if (ipc_posix_file(h->psem_name, IPC_PSEM_PREFIX, path,
		    sizeof path) == -1 || stat(path, &sb) == -1)
			return -1;
		n = snprintf(buf, len, "p%llx:%llx",
		    (unsigned long long)sb.st_dev,
		    (unsigned long long)sb.st_ino);
	} else {
		/* no /proc: one namespace is all there is to tell apart */
		if (stat("/proc/self/ns/ipc", &sb) == -1)
			sb.st_ino = 0;
		n = snprintf(buf, len, "s%llx:%d",
		    (unsigned long long)sb.st_ino, h->semid);
	}
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
holder_addr(const char *object, const struct ipc_holder *h, unsigned slot,
    struct sockaddr_un *sa, socklen_t *len)
{
	int	n;

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	/* sun_path[0] stays 0: the abstract namespace */
	n = snprintf(sa->sun_path + 1, sizeof sa->sun_path - 1,
	    "ipctool-hold/%lu/%s/%u/%ld/%u", (unsigned long)geteuid(), object,
	    (unsigned)h->index, (long)h->pid, slot);
	if (n < 0 || (size_t)n >= sizeof sa->sun_path - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)n);
	return 0;
}

/* ---- watching PID ---- */

/* Field 22 of /proc/PID/stat (start time); ESRCH when PID is gone. */
static int
pid_start_time(pid_t pid, unsigned long long *start)
{
	char	 path[64], buf[1024], *p;
	ssize_t	 n;
	int	 fd, i;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errno = errno == ENOENT ? ESRCH : errno;
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) {
		errno = ESRCH;
		return -1;
	}
	buf[n] = '\0';
	/* after the comm's last ')': state is field 3, start time 22 */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		goto bad;
	p += 2;
	if (*p == 'Z' || *p == 'X') {
		errno = ESRCH;
		return -1;
	}
	for (i = 3; i < 22; i++)
		if ((p = strchr(p, ' ')) == NULL)
			goto bad;
		else
			p++;
	*start = strtoull(p, NULL, 10);
	return 0;
bad:
	errno = EIO;
	return -1;
}

/* A pidfd of pid, or (-1 with *start set) where pidfd_open is missing. */
static int
pid_watch(pid_t pid, unsigned long long *start)
{
	int	fd = -1;

#ifdef SYS_pidfd_open
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd != -1) {
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
			close(fd);
			return -2;
		}
		return fd;
	}
	if (errno != ENOSYS)
		return -2;
#endif
	(void)fd;
	return pid_start_time(pid, start) == -1 ? -2 : -1;
}

static bool
pid_gone(pid_t pid, unsigned long long start)
{
	unsigned long long	now;

	return pid_start_time(pid, &now) == -1 ? errno == ESRCH : now != start;
}

/* ---- the holder ---- */

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* /dev/null on 0, 1, 2; every other descriptor but keep[] closed. */
static void
holder_quiet(int *keep, size_t nkeep)
{
	DIR		*d;
	struct dirent	*de;
	const char	*errstr;
	size_t		 i;
	int		 fd, dfd, nul;

	if ((nul = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
		for (fd = 0; fd < 3; fd++)
			if (fd != nul)
				dup2(nul, fd);
		if (nul > 2)
			close(nul);
	}
	qsort(keep, nkeep, sizeof *keep, cmp_int);
	if ((d = opendir("/proc/self/fd")) == NULL) {
		/* no /proc: as many as the limit says */
		long max = sysconf(_SC_OPEN_MAX);

		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
			if (bsearch(&fd, keep, nkeep, sizeof *keep,
			    cmp_int) == NULL)
				close(fd);
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		fd = (int)strtonum(de->d_name, 3, INT_MAX, &errstr);
		if (errstr != NULL || fd == dfd)
			continue;
		for (i = 0; i < nkeep && keep[i] != fd; i++)
			;
		if (i == nkeep)
			close(fd);	/* closing does not disturb readdir */
	}
	closedir(d);
}

static int
holder_take(const struct ipc_holder *h, bool nowait)
{
	struct ipc_sem_steps	s = h->steps;
	struct ipc_semstep	ops[2][IPC_SEM_STEP_MAX];
	size_t			i, j;

	if (h->psem_name != NULL)
		return ipc_psem_wait(h->ps, h->deadline, nowait);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < s.nops[i]; j++) {
			ops[i][j] = s.ops[i][j];
			ops[i][j].flags |= IPC_SEMSTEP_UNDO;
			if (nowait)
				ops[i][j].flags |= IPC_SEMSTEP_NOWAIT;
		}
		s.ops[i] = ops[i];
	}
	return ipc_sem_take(h->semid, &s, nowait ? NULL : h->deadline);
}

static int
holder_give_back(const struct ipc_holder *h)
{
	struct ipc_sem_steps	s = h->steps;
	struct ipc_semstep	ops[2][IPC_SEM_STEP_MAX];
	size_t			i, j;

	if (h->psem_name != NULL)
		return ipc_psem_post(h->ps, 1);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < s.nops[i]; j++) {
			ops[i][j] = s.ops[i][j];
			ops[i][j].flags |= IPC_SEMSTEP_UNDO;
		}
		s.ops[i] = ops[i];
	}
	return ipc_sem_give_back(h->semid, &s);
}

/* What ends a holder that has not said "held" yet (see holder_main). */
static int
holder_stop_signal(const struct ipc_holder *h)
{
	return h->psem_name != NULL ? SIGTERM : SIGKILL;
}

/*
 * Ends a holder that has not said "held" (acquire was interrupted).  A
 * SIGTERM that lands between the holder's check of ipc_caught_signal and
 * its sem_wait would not interrupt the wait: it is sent again until the
 * holder is gone.
 */
static void
holder_stop(const struct ipc_holder *h, pid_t pid)
{
	struct timespec	 nap = { 0, 20000000 };
	int		 status, sig = holder_stop_signal(h), i;
	pid_t		 r;

	for (i = 0;; i++) {
		if (i % 5 == 0 && kill(pid, sig) == -1 && errno != EPERM)
			break;
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r == -1 && errno != EINTR))
			return;
		nanosleep(&nap, NULL);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/*
 * Reads one word from the holder.  The caught signals stay blocked but
 * during ppoll, so that one that comes at any moment ends the wait
 * (EINTR), never a read that blocks with the signal already caught.
 */
static ssize_t
hear(int fd, int *word)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	sigset_t	 all, old;
	ssize_t		 n;
	int		 r, e;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, &old) == -1)
		return -1;
	for (;;) {
		if (ipc_caught_signal) {
			e = EINTR;
			n = -1;
			break;
		}
		r = ppoll(&pfd, 1, NULL, &old);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			n = -1;
			break;
		}
		n = read(fd, word, sizeof *word);
		e = errno;
		if (n != -1 || e != EINTR)
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return n;
}

static int
say(int fd, int word)
{
	ssize_t	n;

	do
		n = write(fd, &word, sizeof word);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)sizeof word ? 0 : -1;
}

/* One connection on the holder's socket: true when it was a release. */
static bool
holder_serve(const struct ipc_holder *h, int lfd)
{
	struct ucred	 cr;
	struct timeval	 tv = { 2, 0 };
	socklen_t	 len = sizeof cr;
	char		 req;
	ssize_t		 n;
	int		 c, r;

	if ((c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return false;
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
	    (cr.uid != geteuid() && cr.uid != 0) ||
	    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1) {
		close(c);
		return false;
	}
	n = read(c, &req, 1);
	if (n != 1 || req != 'R') {
		close(c);
		return false;
	}
	r = holder_give_back(h) == -1 ? errno : 0;
	say(c, r);
	close(c);
	return true;
}

static void __attribute__((noreturn))
holder_main(const struct ipc_holder *h, const char *object, pid_t parent,
    int pidfd, unsigned long long start, int wfd)
{
	struct sockaddr_un	 sa;
	struct pollfd		 pfd[2];
	struct timespec		 tick = { 0, 200000000 };
	sigset_t		 all, old;
	socklen_t		 salen;
	unsigned		 slot;
	int			 keep[2], lfd = -1, r, e;

	/*
	 * Until it has said "held", the holder dies with acquire: System V
	 * by SIGKILL (SEM_UNDO gives back anything taken); POSIX by SIGTERM,
	 * so that it can post back a unit it has just taken.
	 */
	if (prctl(PR_SET_PDEATHSIG, holder_stop_signal(h)) == -1 ||
	    getppid() != parent)
		_exit(1);
	setsid();
	keep[0] = wfd;
	keep[1] = pidfd;
	holder_quiet(keep, pidfd == -1 ? 1 : 2);
	if (ipc_catch_signals() == -1)
		_exit(1);

	r = -1;
	errno = EAGAIN;
	if (h->verbose && !h->nowait)
		r = holder_take(h, true);
	if (r == -1 && errno == EAGAIN) {
		if (h->verbose && !h->nowait)
			say(wfd, HOLD_WAITING);
		r = holder_take(h, h->nowait);
	}
	if (r == -1) {
		say(wfd, errno);
		_exit(1);
	}

	/* held: now findable, first free slot */
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	for (slot = 0; slot < IPC_HOLDER_SLOTS; slot++) {
		if (holder_addr(object, h, slot, &sa, &salen) == -1)
			goto fail;
		if (bind(lfd, (struct sockaddr *)&sa, salen) == 0)
			break;
		if (errno != EADDRINUSE)
			goto fail;
	}
	if (slot == IPC_HOLDER_SLOTS) {
		errno = ENOSPC;
		goto fail;
	}
	if (listen(lfd, 8) == -1)
		goto fail;

	/* from here on only PID, a signal or a release end it */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (prctl(PR_SET_PDEATHSIG, 0) == -1)
		goto fail;
	if (getppid() != parent) {	/* acquire died before our word */
		errno = ESRCH;
		goto fail;
	}
	if (say(wfd, HOLD_HELD) == -1)
		goto fail;
	close(wfd);

	for (;;) {
		if (ipc_caught_signal)
			break;
		pfd[0] = (struct pollfd){ pidfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ lfd, POLLIN, 0 };
		r = ppoll(pfd, 2, pidfd == -1 ? &tick : NULL, &old);
		if (r == -1 && errno != EINTR)
			break;
		if (pidfd == -1 ? pid_gone(h->pid, start) :
		    r > 0 && pfd[0].revents != 0)
			break;
		if (r > 0 && (pfd[1].revents & POLLIN) && holder_serve(h, lfd))
			_exit(0);
	}
	holder_give_back(h);
	_exit(0);
fail:
	e = errno;
	holder_give_back(h);
	say(wfd, e);
	_exit(1);
}

int
ipc_holder_start(const struct ipc_holder *h, void (*on_wait)(void *),
    void *arg, pid_t *holder)
{
	char			 object[64];
	unsigned long long	 start = 0;
	pid_t			 pid, self = getpid();
	ssize_t			 n;
	int			 p[2], pidfd, word, status, e;

	if (holder_object(h, object, sizeof object) == -1)
		return -1;
	if ((pidfd = pid_watch(h->pid, &start)) == -2)
		return -1;
	if (pipe2(p, O_CLOEXEC) == -1) {
		e = errno;
		if (pidfd != -1)
			close(pidfd);
		errno = e;
		return -2;
	}
	if ((pid = fork()) == -1) {
		e = errno;
		close(p[0]);
		close(p[1]);
		if (pidfd != -1)
			close(pidfd);
		errno = e;
		return -2;
	}
	if (pid == 0) {
		close(p[0]);
		holder_main(h, object, self, pidfd, start, p[1]);
	}
	close(p[1]);
	if (pidfd != -1)
		close(pidfd);
	for (;;) {
		n = hear(p[0], &word);
		if (n == -1 && errno == EINTR) {
			/* acquire is interrupted: so is the holder's wait */
			e = EINTR;
			holder_stop(h, pid);
			break;
		}
		if (n != (ssize_t)sizeof word) {
			e = n == -1 ? errno : EPIPE;
			break;
		}
		if (word == HOLD_WAITING) {
			if (on_wait != NULL)
				on_wait(arg);
			continue;
		}
		e = word;
		break;
	}
	close(p[0]);
	if (e == 0) {
		*holder = pid;
		return 0;
	}
	/* nothing is left behind when acquire fails */
	if (e != EINTR)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	errno = e;
	return -1;
}

int
ipc_holder_release(const struct ipc_holder *h)
{
	struct sockaddr_un	 sa;
	struct ucred		 cr;
	struct timeval		 tv = { 10, 0 };
	socklen_t		 salen, len;
	char			 object[64], req = 'R';
	unsigned		 slot;
	ssize_t			 n;
	int			 s, word;

	if (holder_object(h, object, sizeof object) == -1)
		return -1;
	for (slot = 0; slot < IPC_HOLDER_SLOTS; slot++) {
		if (holder_addr(object, h, slot, &sa, &salen) == -1)
			return -1;
		if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			return -1;
		len = sizeof cr;
		/* a name bound by another user is not a holder of ours */
		if (connect(s, (struct sockaddr *)&sa, salen) == -1 ||
		    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
		    cr.uid != geteuid()) {
			close(s);
			continue;
		}
		if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof tv) == -1 || write(s, &req, 1) != 1) {
			close(s);
			continue;
		}
		n = read(s, &word, sizeof word);
		close(s);
		if (n != (ssize_t)sizeof word) {
			/* it ended meanwhile (PID too): it gave back then */
			if (n == 0)
				return 0;
			errno = n == -1 ? errno : EPROTO;
			return -1;
		}
		if (word != 0) {
			errno = word;
			return -1;
		}
		return 0;
	}
	errno = ENOENT;
	return -1;
}
