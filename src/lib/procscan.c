/* SPDX-License-Identifier: ISC */
/*
 * Who uses an IPC object, and who waits on one: one walk over /proc that
 * reads, for each process, its command name, its mappings of System V
 * segments and of /dev/shm's files (/proc/PID/maps), its open files
 * (/proc/PID/fd) and the system call it is blocked in (/proc/PID/syscall,
 * with a semop's sembuf array from /proc/PID/mem).  The system call
 * numbers come from <sys/syscall.h>: whatever the architecture has.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

/*
 * The futex operations a waiter's /proc/PID/syscall shows are the kernel's
 * ABI; a libc without the kernel's headers (musl-gcc) gets them here.
 */
#if defined(__has_include)
#if __has_include(<linux/futex.h>)
#include <linux/futex.h>
#endif
#endif
#ifndef FUTEX_WAIT
#define FUTEX_WAIT		0
#endif
#ifndef FUTEX_WAIT_BITSET
#define FUTEX_WAIT_BITSET	9
#endif
#ifndef FUTEX_CMD_MASK
#define FUTEX_CMD_MASK		(~(128 | 256))	/* PRIVATE_FLAG, CLOCK_REALTIME */
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ipc.h"

#define MAPS_CHUNK	(64 * 1024)

static pid_t
pid_of(const char *s)
{
	long	v = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > INT_MAX / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return (pid_t)v;
}

/* Hex or decimal digits of s (up to end) into *v; the first byte after. */
static const char *
maps_num(const char *s, const char *end, int base, unsigned long long *v)
{
	unsigned long long	n = 0;
	int			d;

	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			break;
		if (n > (ULLONG_MAX - (unsigned long long)d) / (unsigned)base)
			return NULL;
		n = n * (unsigned)base + (unsigned long long)d;
	}
	*v = n;
	return s;
}

struct scan {
	const struct ipc_scan_ops *ops;
	const dev_t	*shm_devs;	/* the /dev/shm file systems */
	size_t		 nshm_devs;
	dev_t		 shm_dev;	/* ipc_shm_dir()'s, without ALLNS */
	struct ipc_proc	 p;
	bool		 ipcns_read;	/* p.ipcns */
	/* this process's mappings of /dev/shm files, for futex addresses */
	struct ipc_mapping *maps;
	size_t		 nmaps, maps_cap;
	char		*buf;
	size_t		 cap;
};

/*
 * Whether s->p.pid lives in our IPC namespace, asked once per process;
 * one we cannot tell about counts.
 */
static bool
same_ipcns(struct scan *s)
{
	if (s->p.same_ipcns == -2)
		s->p.same_ipcns = ipc_pid_ipcns_ours(s->p.pid);
	return s->p.same_ipcns != 0;
}

/* IPC_SCAN_ALLNS: the inode of the process's IPC namespace, 0 unknown. */
static unsigned long long
proc_ipcns(struct scan *s)
{
	struct stat	sb;
	char		path[64];

	if (!s->ipcns_read) {
		s->ipcns_read = true;
		snprintf(path, sizeof path, "/proc/%d/ns/ipc", (int)s->p.pid);
		if (stat(path, &sb) == 0)
			s->p.ipcns = (unsigned long long)sb.st_ino;
	}
	return s->p.ipcns;
}

/*
 * Whether a System V id the process uses is reported: ids are per IPC
 * namespace, so one of ours, or with IPC_SCAN_ALLNS one of a namespace
 * that /proc names (p.ipcns).
 */
static bool
sysv_reported(struct scan *s)
{
	if (s->ops->flags & IPC_SCAN_ALLNS)
		return proc_ipcns(s) != 0;
	return same_ipcns(s);
}

/* Whether dev is one of the /dev/shm file systems looked at. */
static bool
shm_fs(const struct scan *s, dev_t dev)
{
	size_t	i;

	for (i = 0; i < s->nshm_devs; i++)
		if (s->shm_devs[i] == dev)
			return true;
	return false;
}

static int
keep_map(struct scan *s, const struct ipc_mapping *m)
{
	struct ipc_mapping	*n;

	if (s->nmaps == s->maps_cap) {
		s->maps_cap = s->maps_cap ? s->maps_cap * 2 : 16;
		if ((n = reallocarray(s->maps, s->maps_cap, sizeof *n)) ==
		    NULL)
			return -1;
		s->maps = n;
	}
	s->maps[s->nmaps++] = *m;
	return 0;
}

/*
 * One line of /proc/PID/maps:
 *	start-end perms offset major:minor inode   path
 * The path is not parsed for POSIX objects: maps escapes only newlines
 * in it (as \012, and not backslashes) and appends " (deleted)" to an
 * unlinked file, so a name can pass for another.  The device and inode are
 * exact: a file of /dev/shm's file system is reported by them.  A System V
 * segment shows as "/SYSV%08x (deleted)" (the key) with its shmid as the
 * inode, and shmids are per IPC namespace: only processes of ours count,
 * or with IPC_SCAN_ALLNS every process, its namespace said (ipcns).
 */
static int
maps_line(struct scan *s, const char *line, const char *end)
{
	struct ipc_mapping	 m;
	unsigned long long	 start, stop, major, minor, ino, key;
	const char		*p = line, *q;
	int			 i;

	if ((p = maps_num(p, end, 16, &start)) == NULL || p >= end ||
	    *p != '-' || (p = maps_num(p + 1, end, 16, &stop)) == NULL)
		return 0;
	for (i = 0; i < 3; i++) {	/* to the device field */
		if ((p = memchr(p, ' ', (size_t)(end - p))) == NULL)
			return 0;
		p++;
	}
	if ((p = maps_num(p, end, 16, &major)) == NULL || p >= end ||
	    *p != ':' || (p = maps_num(p + 1, end, 16, &minor)) == NULL ||
	    p >= end || *p != ' ' ||
	    (p = maps_num(p + 1, end, 10, &ino)) == NULL)
		return 0;	/* shmid 0 is inode 0: no test for 0 here */
	while (p < end && *p == ' ')
		p++;
	memset(&m, 0, sizeof m);
	m.pid = s->p.pid;
	m.id = -1;
	m.start = start;
	m.end = stop;
	if (shm_fs(s, makedev(major, minor))) {
		m.kind = IPC_K_PSHM;
		m.dev = makedev(major, minor);
		m.ino = (ino_t)ino;
		if (keep_map(s, &m) == -1)
			return -1;
		return s->ops->map ? s->ops->map(&m, s->ops->arg) : 0;
	}
	/* exactly "/SYSV" 8 hex digits " (deleted)" */
	if (end - p != 23 || memcmp(p, "/SYSV", 5) != 0 ||
	    memcmp(p + 13, " (deleted)", 10) != 0 ||
	    (q = maps_num(p + 5, p + 13, 16, &key)) != p + 13 ||
	    ino > INT_MAX || !sysv_reported(s))
		return 0;
	m.kind = IPC_K_SHM;
	m.id = (int)ino;
	m.ipcns = s->ops->flags & IPC_SCAN_ALLNS ? s->p.ipcns : 0;
	return s->ops->map ? s->ops->map(&m, s->ops->arg) : 0;
}

/*
 * Why /proc/PID/FILE did not open: the process went away or is not ours
 * to read (it is then not counted), or we could not look (EMFILE, ENOMEM:
 * a scan that skipped it would call a mapped object unused).
 */
static bool
proc_gone_or_closed(int e)
{
	return e == ENOENT || e == ESRCH || e == EACCES || e == EPERM;
}

/* Opens /proc/PID/what: the fd, -2 when gone or closed to us, -1. */
static int
proc_open(pid_t pid, const char *what, int flags)
{
	char	path[64];
	int	fd;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
	if ((fd = open(path, flags | O_CLOEXEC)) == -1)
		return proc_gone_or_closed(errno) ? -2 : -1;
	return fd;
}

static int
scan_maps(struct scan *s)
{
	char	*p, *nl;
	size_t	 have = 0;
	ssize_t	 n;
	int	 fd, r = 0;

	if ((fd = proc_open(s->p.pid, "maps", O_RDONLY)) < 0)
		return fd == -2 ? 0 : -1;
	for (;;) {
		n = read(fd, s->buf + have, s->cap - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		p = s->buf;
		while (r == 0 && (nl = memchr(p, '\n',
		    have - (size_t)(p - s->buf))) != NULL) {
			r = maps_line(s, p, nl);
			p = nl + 1;
		}
		have -= (size_t)(p - s->buf);
		memmove(s->buf, p, have);
		if (have == s->cap)	/* absurd line: skip it */
			have = 0;
		if (r != 0)
			break;
	}
	close(fd);
	return r;
}

static int
scan_fds(struct scan *s)
{
	struct dirent	*fe;
	struct stat	 sb;
	DIR		*d;
	int		 dfd, fdn, r = 0, e;
	long long	 v;
	char		*end;

	if ((dfd = proc_open(s->p.pid, "fd", O_RDONLY | O_DIRECTORY)) < 0)
		return dfd == -2 ? 0 : -1;
	/* fdopendir's fstat says ENOENT once the process is reaped (6.2+) */
	if ((d = fdopendir(dfd)) == NULL) {
		e = errno;
		close(dfd);
		errno = e;
		return proc_gone_or_closed(e) ? 0 : -1;
	}
	while (r == 0) {
		errno = 0;
		if ((fe = readdir(d)) == NULL)
			break;
		if (fe->d_name[0] == '.')
			continue;
		v = strtoll(fe->d_name, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > INT_MAX)
			continue;
		fdn = (int)v;
		if (fstatat(dirfd(d), fe->d_name, &sb, 0) == 0)
			r = s->ops->fd(s->p.pid, fdn, sb.st_dev, sb.st_ino,
			    s->ops->arg);
	}
	/* a listing cut short by an error is not a process without files */
	e = errno;
	closedir(d);
	if (r == 0 && e != 0 && !proc_gone_or_closed(e)) {
		errno = e;
		return -1;
	}
	return r;
}

/* Reads /proc/PID/comm; unreadable leaves it empty. */
static void
read_comm(struct scan *s)
{
	ssize_t	n;
	int	fd;

	s->p.comm[0] = '\0';
	if ((fd = proc_open(s->p.pid, "comm", O_RDONLY)) < 0)
		return;
	n = read(fd, s->p.comm, sizeof s->p.comm - 1);
	close(fd);
	if (n <= 0)
		return;
	if (s->p.comm[n - 1] == '\n')
		n--;
	s->p.comm[n] = '\0';
}

int
ipc_proc_read_mem(pid_t pid, unsigned long long addr, void *buf, size_t len)
{
	ssize_t	n;
	int	fd, e;

	if (addr > (unsigned long long)INT64_MAX) {
		errno = EFAULT;
		return -1;
	}
	if ((fd = proc_open(pid, "mem", O_RDONLY)) < 0) {
		if (fd == -2 && errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	n = pread(fd, buf, len, (off_t)addr);
	e = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n == -1 ? e : EFAULT;
		return -1;
	}
	return 0;
}

/* The sembuf array of a blocked semop, when /proc/PID/mem lets us read it. */
static void
read_sops(struct scan *s, unsigned long long addr, unsigned long long nsops)
{
	struct sembuf	sb[IPC_WAIT_SOPS];
	size_t		n, i;

	s->p.wait.nsops = nsops;
	n = nsops < IPC_WAIT_SOPS ? (size_t)nsops : IPC_WAIT_SOPS;
	if (n == 0 || ipc_proc_read_mem(s->p.pid, addr, sb, n * sizeof *sb)
	    == -1)
		return;
	for (i = 0; i < n; i++) {
		s->p.wait.sops[i].num = sb[i].sem_num;
		s->p.wait.sops[i].op = sb[i].sem_op;
		s->p.wait.sops[i].flg = sb[i].sem_flg;
	}
	s->p.wait.sops_known = true;
}

/* The /dev/shm file whose mapping holds addr, in this process. */
static bool
futex_file(struct scan *s, unsigned long long addr)
{
	size_t	i;

	for (i = 0; i < s->nmaps; i++)
		if (addr >= s->maps[i].start && addr < s->maps[i].end) {
			s->p.wait.dev = s->maps[i].dev;
			s->p.wait.ino = s->maps[i].ino;
			return true;
		}
	return false;
}

/* The file behind descriptor fdn of the process. */
static bool
fd_file(struct scan *s, unsigned long long fdn)
{
	struct stat	sb;
	char		path[64];

	if (fdn > INT_MAX)
		return false;
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)s->p.pid,
	    (int)fdn);
	if (stat(path, &sb) == -1)
		return false;
	s->p.wait.dev = sb.st_dev;
	s->p.wait.ino = sb.st_ino;
	return true;
}

/*
 * /proc/PID/syscall: "NR ARG1 ... ARG6 SP PC" (hex arguments) while the
 * process sleeps in a system call, "running", or "-1 SP PC" outside one.
 * Readable only with ptrace access: else the process is not visible.
 */
static void
read_syscall(struct scan *s)
{
	struct ipc_wait		*w = &s->p.wait;
	unsigned long long	 a[6];
	char			 buf[256], *p, *end;
	long			 nr;
	ssize_t			 n;
	int			 fd, i, e;

	memset(w, 0, sizeof *w);
	w->id = -1;
	/* closed to us (EACCES, EPERM), not gone (ENOENT, ESRCH) */
	if ((fd = proc_open(s->p.pid, "syscall", O_RDONLY)) < 0) {
		s->p.visible = errno != EACCES && errno != EPERM;
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	e = errno;
	close(fd);
	if (n <= 0) {
		s->p.visible = n == 0 || (e != EACCES && e != EPERM);
		return;
	}
	buf[n] = '\0';
	errno = 0;
	nr = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || nr < 0)
		return;			/* running, or not in a call */
	p = end;
	for (i = 0; i < 6; i++) {
		errno = 0;
		a[i] = strtoull(p, &end, 16);
		if (errno != 0 || end == p)
			return;
		p = end;
	}
	switch (nr) {
#ifdef SYS_semop
	case SYS_semop:
#endif
#ifdef SYS_semtimedop
	case SYS_semtimedop:
#endif
#ifdef SYS_semtimedop_time64	/* 32-bit with a 64-bit time_t */
	case SYS_semtimedop_time64:
#endif
#if defined(SYS_semop) || defined(SYS_semtimedop) || \
    defined(SYS_semtimedop_time64)
		if (a[0] > INT_MAX || !sysv_reported(s))
			return;
		w->call = IPC_WAIT_SEMOP;
		w->id = (int)a[0];
		read_sops(s, a[1], a[2]);
		break;
#endif
#ifdef SYS_msgsnd
	case SYS_msgsnd:
		if (a[0] > INT_MAX || !sysv_reported(s))
			return;
		w->call = IPC_WAIT_MSGSND;
		w->id = (int)a[0];
		break;
#endif
#ifdef SYS_msgrcv
	case SYS_msgrcv:
		if (a[0] > INT_MAX || !sysv_reported(s))
			return;
		w->call = IPC_WAIT_MSGRCV;
		w->id = (int)a[0];
		w->msgtype = (long)a[3];
		w->except = (a[4] & 020000) != 0;	/* MSG_EXCEPT */
		break;
#endif
#ifdef SYS_mq_timedsend_time64
	case SYS_mq_timedsend_time64:
#endif
#ifdef SYS_mq_timedsend
	case SYS_mq_timedsend:
#endif
#if defined(SYS_mq_timedsend) || defined(SYS_mq_timedsend_time64)
		if (fd_file(s, a[0]))
			w->call = IPC_WAIT_PMQ_SEND;
		break;
#endif
#ifdef SYS_mq_timedreceive_time64
	case SYS_mq_timedreceive_time64:
#endif
#ifdef SYS_mq_timedreceive
	case SYS_mq_timedreceive:
#endif
#if defined(SYS_mq_timedreceive) || defined(SYS_mq_timedreceive_time64)
		if (fd_file(s, a[0]))
			w->call = IPC_WAIT_PMQ_RECEIVE;
		break;
#endif
#ifdef SYS_futex_time64
	case SYS_futex_time64:
#endif
#ifdef SYS_futex
	case SYS_futex:
#endif
#if defined(SYS_futex) || defined(SYS_futex_time64)
		switch (a[1] & FUTEX_CMD_MASK) {
		case FUTEX_WAIT:
		case FUTEX_WAIT_BITSET:
			if (futex_file(s, a[0]))
				w->call = IPC_WAIT_FUTEX;
			break;
		default:
			break;
		}
		break;
#endif
	default:
		break;
	}
}

int
ipc_scan_procs(const struct ipc_scan_ops *ops)
{
	struct scan	 s;
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	int		 r = 0, e;

	memset(&s, 0, sizeof s);
	s.ops = ops;
	if (ops->flags & IPC_SCAN_ALLNS) {
		s.shm_devs = ops->shm_devs;
		s.nshm_devs = ops->nshm_devs;
	} else if (ipc_shm_dir() != NULL && stat(ipc_shm_dir(), &sb) == 0) {
		s.shm_dev = sb.st_dev;
		s.shm_devs = &s.shm_dev;
		s.nshm_devs = 1;
	}
	if ((d = opendir("/proc")) == NULL)
		return -1;
	s.cap = MAPS_CHUNK;
	if ((s.buf = malloc(s.cap)) == NULL) {
		e = errno;
		closedir(d);
		errno = e;
		return -1;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		memset(&s.p, 0, sizeof s.p);
		if ((s.p.pid = pid_of(de->d_name)) == 0)
			continue;
		s.p.same_ipcns = -2;
		s.ipcns_read = false;
		s.p.visible = true;
		s.nmaps = 0;
		if (ops->flags & (IPC_SCAN_MAPS | IPC_SCAN_WAITS))
			r = scan_maps(&s);
		if (r == 0 && (ops->flags & IPC_SCAN_FDS) && ops->fd != NULL)
			r = scan_fds(&s);
		if (r != 0)
			break;
		if (ops->flags & IPC_SCAN_WAITS)
			read_syscall(&s);
		else
			s.p.wait.id = -1;
		if (ops->proc != NULL) {
			read_comm(&s);
			r = ops->proc(&s.p, ops->arg);
		}
	}
	e = errno;
	free(s.maps);
	free(s.buf);
	closedir(d);
	errno = e;
	return r;
}
