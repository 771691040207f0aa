/*
 * The library's common part: keys, signals, deadlines, processes,
 * namespaces, manifests.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/ipc.h"

volatile sig_atomic_t ipc_caught_signal;

static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction saved[sizeof caught / sizeof caught[0]];
static bool catching;

static void
on_signal(int sig)
{
	ipc_caught_signal = sig;
}

int
ipc_catch_signals(void)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a wait must see EINTR */
	for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
		if (sigaction(caught[i], &sa, &saved[i]) == -1)
			return -1;
	catching = true;
	return 0;
}

int
ipc_restore_signals(void)
{
	size_t	i;

	if (!catching)
		return 0;
	for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
		if (sigaction(caught[i], &saved[i], NULL) == -1)
			return -1;
	catching = false;
	return 0;
}

/* A reader that went away is then EPIPE from write, not a death. */
int
ipc_ignore_sigpipe(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGPIPE, &sa, NULL);
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
static struct sigaction		saved_alrm;

static void
on_alarm(int sig)
{
	(void)sig;
}

int
ipc_timer_arm(const struct timespec *deadline)
{
	struct sigaction	sa;
	struct sigevent		sev;
	struct itimerspec	its;

	if (!timer_made) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGALRM, &sa, &saved_alrm) == -1)
			return -1;
		memset(&sev, 0, sizeof sev);
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGALRM;
		if (timer_create(CLOCK_MONOTONIC, &sev, &timer) == -1)
			return -1;
		timer_made = true;
	}
	timer_deadline = *deadline;
	memset(&its, 0, sizeof its);
	its.it_value = *deadline;
	its.it_interval.tv_nsec = 10 * 1000 * 1000;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	return timer_settime(timer, TIMER_ABSTIME, &its, NULL);
}

int
ipc_timer_disarm(void)
{
	struct itimerspec	its;

	if (!timer_made)
		return 0;
	memset(&its, 0, sizeof its);
	return timer_settime(timer, 0, &its, NULL);
}

bool
ipc_timer_expired(void)
{
	struct timespec	left;

	return timer_made && !ipc_time_left(&timer_deadline, &left);
}

int
ipc_no_such_id(void)
{
	if (errno == EINVAL)
		errno = ENOENT;
	return -1;
}

int
ipc_posix_file(const char *name, const char *prefix, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s%s", IPC_SHM_DIR, prefix,
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
}

int
ipc_posix_file_stat(const char *name, const char *prefix,
    struct ipc_posix_stat *st)
{
	struct stat	sb;
	char		path[PATH_MAX];

	if (ipc_posix_file(name, prefix, path, sizeof path) == -1 ||
	    stat(path, &sb) == -1)
		return -1;
	ipc_posix_stat_fill(&sb, st);
	return 0;
}

int
ipc_posix_file_set_perm(const char *name, const char *prefix,
    const uid_t *uid, const gid_t *gid, const mode_t *mode)
{
	char	path[PATH_MAX];

	if (ipc_posix_file(name, prefix, path, sizeof path) == -1)
		return -1;
	if ((uid != NULL || gid != NULL) && chown(path,
	    uid != NULL ? *uid : (uid_t)-1, gid != NULL ? *gid : (gid_t)-1) ==
	    -1)
		return -1;
	if (mode != NULL && chmod(path, *mode & 07777) == -1)
		return -1;
	return 0;
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
	ipc_restore_signals();
	execvp(argv[0], argv);
	return -1;
}

int
ipc_spawn(char *const argv[], pid_t *pid)
{
	int	fds[2], e = 0;
	ssize_t	n;
	pid_t	p;

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
	int	sig, forwarded = 0;

	for (;;) {
		if (waitpid(pid, status, 0) == pid)
			return 0;
		if (errno != EINTR)
			return -1;
		sig = ipc_caught_signal;
		if (sig != 0 && sig != forwarded) {
			/* pass a terminating signal on, as timeout(1) does */
			kill(pid, sig);
			forwarded = sig;
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
	return 0;
#else
	(void)file;
	errno = ENOSYS;
	return -1;
#endif
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
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
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
