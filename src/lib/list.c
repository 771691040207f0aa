/* SPDX-License-Identifier: ISC */
/*
 * Listing: every object of the IPC namespace, from /proc/sysvipc (parsed
 * by hand with large reads: this is the hot path of `ipctool list` and of
 * `rm --all`), or from IPC_INFO and the *_STAT_ANY loops when /proc is
 * absent; POSIX objects from /dev/shm and /dev/mqueue; the processes that
 * map a segment, from /proc/PID/maps.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/ioctl.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lib/ipc.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC	0x19800202
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC	0x01021994
#endif

#define READ_CHUNK	(256 * 1024)

/* ---- /proc/sysvipc/{sem,shm,msg} ---- */

/* The fields we use, found by name in the header line. */
enum pf {
	PF_KEY, PF_ID, PF_PERMS, PF_UID, PF_GID, PF_CUID, PF_CGID, PF_CTIME,
	PF_NSEMS, PF_OTIME,
	PF_SIZE, PF_CPID, PF_LPID, PF_NATTCH, PF_ATIME, PF_DTIME, PF_RSS,
	PF_SWAP,
	PF_CBYTES, PF_QNUM, PF_LSPID, PF_LRPID, PF_STIME, PF_RTIME,
	PF_COUNT
};

static const char *const pf_names[PF_COUNT] = {
	"key", NULL, "perms", "uid", "gid", "cuid", "cgid", "ctime",
	"nsems", "otime",
	"size", "cpid", "lpid", "nattch", "atime", "dtime", "rss", "swap",
	"cbytes", "qnum", "lspid", "lrpid", "stime", "rtime"
};

#define MAXFIELDS	32

struct proc_parse {
	enum ipc_kind	 kind;
	int		 field[MAXFIELDS];	/* column -> PF_* or -1 */
	int		 nfields;
	bool		 have_rss;
};

static int
parse_header(struct proc_parse *pp, const char *s, const char *end)
{
	const char	*w;
	size_t		 len, i;
	int		 n = 0;

	while (s < end) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end)
			break;
		w = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		len = (size_t)(s - w);
		if (n >= MAXFIELDS)
			break;
		pp->field[n] = -1;
		if ((len == 5 && memcmp(w, "semid", 5) == 0) ||
		    (len == 5 && memcmp(w, "shmid", 5) == 0) ||
		    (len == 5 && memcmp(w, "msqid", 5) == 0))
			pp->field[n] = PF_ID;
		else
			for (i = 0; i < PF_COUNT; i++)
				if (pf_names[i] != NULL &&
				    strlen(pf_names[i]) == len &&
				    memcmp(pf_names[i], w, len) == 0) {
					pp->field[n] = (int)i;
					break;
				}
		if (pp->field[n] == PF_RSS)
			pp->have_rss = true;
		n++;
	}
	pp->nfields = n;
	if (n < 3 || pp->field[0] != PF_KEY || pp->field[1] != PF_ID) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* One data line into o; returns -1 (EPROTO) on a malformed line. */
static int
parse_line(const struct proc_parse *pp, const char *s, const char *end,
    struct ipc_obj *o)
{
	long long	 v[PF_COUNT];
	unsigned long long u;
	unsigned	 d;
	int		 i, f, base;
	bool		 neg;

	memset(v, 0, sizeof v);
	for (i = 0; i < pp->nfields; i++) {
		while (s < end && *s == ' ')
			s++;
		if (s >= end)
			break;
		f = pp->field[i];
		base = f == PF_PERMS ? 8 : 10;
		neg = false;
		if (*s == '-') {
			neg = true;
			s++;
		}
		u = 0;
		if (s >= end || *s < '0' || *s > '9')
			goto bad;
		/* no division a digit: a million lines' worth of fields */
		for (; s < end && *s >= '0' && *s < '0' + base; s++) {
			d = (unsigned)(*s - '0');
			if (__builtin_mul_overflow(u, (unsigned)base, &u) ||
			    __builtin_add_overflow(u, d, &u))
				goto bad;	/* more than 64 bits */
		}
		if (s < end && *s != ' ')
			goto bad;
		/*
		 * The kernel prints sizes unsigned (%lu): they keep their bits.
		 * A negative number is at most -2^63; -(long long)u would
		 * overflow for exactly that one, so it is taken apart.
		 */
		if (neg && u > (unsigned long long)LLONG_MAX + 1)
			goto bad;
		if (f >= 0)
			v[f] = !neg ? (long long)u :
			    u == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
			    -(long long)u;
	}
	if (i < 2)
		goto bad;
	o->kind = pp->kind;
	o->key = (key_t)v[PF_KEY];
	o->id = (int)v[PF_ID];
	o->mode = (mode_t)v[PF_PERMS];
	o->uid = (uid_t)v[PF_UID];
	o->gid = (gid_t)v[PF_GID];
	o->cuid = (uid_t)v[PF_CUID];
	o->cgid = (gid_t)v[PF_CGID];
	o->ctime = (time_t)v[PF_CTIME];
	o->known = IPC_KNOWN_CREATOR;
	switch (pp->kind) {
	case IPC_K_SEM:
		o->nsems = (unsigned long)v[PF_NSEMS];
		o->otime = (time_t)v[PF_OTIME];
		break;
	case IPC_K_SHM:
		o->size = (unsigned long long)v[PF_SIZE];
		o->cpid = (pid_t)v[PF_CPID];
		o->lpid = (pid_t)v[PF_LPID];
		o->nattch = (unsigned long)v[PF_NATTCH];
		o->atime = (time_t)v[PF_ATIME];
		o->dtime = (time_t)v[PF_DTIME];
		if (pp->have_rss) {
			o->rss = (unsigned long long)v[PF_RSS];
			o->swap = (unsigned long long)v[PF_SWAP];
			o->known |= IPC_KNOWN_RSS;
		}
		break;
	case IPC_K_MSG:
		o->size = (unsigned long long)v[PF_CBYTES];
		o->qnum = (unsigned long)v[PF_QNUM];
		o->cpid = (pid_t)v[PF_LSPID];
		o->lpid = (pid_t)v[PF_LRPID];
		o->atime = (time_t)v[PF_STIME];
		o->dtime = (time_t)v[PF_RTIME];
		o->known |= IPC_KNOWN_QNUM;
		break;
	default:
		break;
	}
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

static const char *
proc_file(enum ipc_kind kind)
{
	switch (kind) {
	case IPC_K_SEM:
		return "/proc/sysvipc/sem";
	case IPC_K_SHM:
		return "/proc/sysvipc/shm";
	default:
		return "/proc/sysvipc/msg";
	}
}

/* Returns 0, -1 with errno, or 1 when the file does not exist. */
static int
list_proc(enum ipc_kind kind, ipc_list_cb cb, void *arg)
{
	struct proc_parse	 pp;
	struct ipc_obj		 o;
	char			*buf, *nl, *p;
	size_t			 have = 0, cap = READ_CHUNK;
	ssize_t			 n;
	bool			 header = true, eof = false;
	int			 fd, e, r = 0;

	if ((fd = open(proc_file(kind), O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 1 : -1;
	memset(&pp, 0, sizeof pp);
	pp.kind = kind;
	memset(&o, 0, sizeof o);
	if ((buf = malloc(cap)) == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	while (!eof) {
		if (have == cap) {	/* a line longer than the buffer */
			errno = EPROTO;
			r = -1;
			break;
		}
		n = read(fd, buf + have, cap - have);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			r = -1;
			break;
		}
		if (n == 0) {
			eof = true;
			if (have > 0 && buf[have - 1] != '\n')
				buf[have++] = '\n';	/* cap > have here */
		}
		have += (size_t)n;
		p = buf;
		while ((nl = memchr(p, '\n', have - (size_t)(p - buf))) !=
		    NULL) {
			if (header) {
				if (parse_header(&pp, p, nl) == -1) {
					r = -1;
					goto out;
				}
				header = false;
			} else if (nl > p) {
				if (parse_line(&pp, p, nl, &o) == -1) {
					r = -1;
					goto out;
				}
				if ((r = cb(&o, arg)) != 0)
					goto out;
			}
			p = nl + 1;
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
	}
out:
	e = errno;
	free(buf);
	close(fd);
	errno = e;
	return r;
}

/* ---- the fallback: IPC_INFO and the *_STAT_ANY loops ---- */

#if !HAVE_DECL_SEM_STAT_ANY
#define SEM_STAT_ANY	20
#endif
#if !HAVE_DECL_SHM_STAT_ANY
#define SHM_STAT_ANY	15
#endif
#if !HAVE_DECL_MSG_STAT_ANY
#define MSG_STAT_ANY	13
#endif

/* The key, mode and owners every System V object has. */
static void
perm_fill(struct ipc_obj *o, const struct ipc_perm *p)
{
	o->key = p->__key;
	o->mode = p->mode;
	o->uid = p->uid;
	o->gid = p->gid;
	o->cuid = p->cuid;
	o->cgid = p->cgid;
}

/*
 * The object at index i into o with *_STAT_ANY (any, no permission
 * asked) or *_STAT; returns its id, or -1 with errno (EINVAL: no object
 * there).
 */
static int
stat_index(enum ipc_kind kind, int i, bool any, struct ipc_obj *o)
{
	struct semid_ds	 sd;
	struct shmid_ds	 shd;
	struct msqid_ds	 md;
	union semun	 su;
	int		 id;

	memset(o, 0, sizeof *o);
	/*
	 * The kernel fills these; zeroed first because valgrind 3.19 does not
	 * know the *_STAT_ANY commands and took what they wrote as undefined.
	 */
	memset(&sd, 0, sizeof sd);
	memset(&shd, 0, sizeof shd);
	memset(&md, 0, sizeof md);
	o->kind = kind;
	o->known = IPC_KNOWN_CREATOR;
	switch (kind) {
	case IPC_K_SEM:
		su.buf = &sd;
		if ((id = semctl(i, 0, any ? SEM_STAT_ANY : SEM_STAT, su)) ==
		    -1)
			return -1;
		perm_fill(o, &sd.sem_perm);
		o->nsems = sd.sem_nsems;
		o->otime = sd.sem_otime;
		o->ctime = sd.sem_ctime;
		break;
	case IPC_K_SHM:
		if ((id = shmctl(i, any ? SHM_STAT_ANY : SHM_STAT, &shd)) == -1)
			return -1;
		perm_fill(o, &shd.shm_perm);
		o->size = shd.shm_segsz;
		o->cpid = shd.shm_cpid;
		o->lpid = shd.shm_lpid;
		o->nattch = shd.shm_nattch;
		o->atime = shd.shm_atime;
		o->dtime = shd.shm_dtime;
		o->ctime = shd.shm_ctime;
		break;
	default:
		if ((id = msgctl(i, any ? MSG_STAT_ANY : MSG_STAT, &md)) == -1)
			return -1;
		perm_fill(o, &md.msg_perm);
		o->size = md.__msg_cbytes;
		o->qnum = md.msg_qnum;
		o->cpid = md.msg_lspid;
		o->lpid = md.msg_lrpid;
		o->atime = md.msg_stime;
		o->dtime = md.msg_rtime;
		o->ctime = md.msg_ctime;
		o->known |= IPC_KNOWN_QNUM;
		break;
	}
	o->id = id;
	return id;
}

static int
list_stat(enum ipc_kind kind, ipc_list_cb cb, void *arg)
{
	struct seminfo	 si;
	struct shm_info	 shi;
	struct msginfo	 mi;
	struct ipc_obj	 o;
	union semun	 su;
	bool		 any = true;
	int		 maxidx, i, r, missed = 0;

	switch (kind) {
	case IPC_K_SEM:
		su.__buf = &si;
		maxidx = semctl(0, 0, SEM_INFO, su);
		break;
	case IPC_K_SHM:
		maxidx = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shi);
		break;
	default:
		maxidx = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
		break;
	}
	if (maxidx == -1)
		return -1;
	/*
	 * *_INFO returns the highest index in use, so *_STAT_ANY must find
	 * an object there.  If it fails with EINVAL where *_STAT finds one
	 * (or is refused it), the kernel has no *_STAT_ANY (Linux < 4.17,
	 * qemu-user): walk with *_STAT, which needs read permission.
	 */
	if (maxidx >= 0 && stat_index(kind, maxidx, true, &o) == -1 &&
	    errno == EINVAL && (stat_index(kind, maxidx, false, &o) != -1 ||
	    errno == EACCES))
		any = false;
	for (i = 0; i <= maxidx; i++) {
		if (stat_index(kind, i, any, &o) == -1) {
			/* an object we may not read is not listed: say so */
			if (errno == EACCES && missed == 0)
				missed = EACCES;
			continue;
		}
		if ((r = cb(&o, arg)) != 0)
			return r;
	}
	if (missed != 0) {
		errno = missed;
		return -1;
	}
	return 0;
}

int
ipc_list_sysv(enum ipc_kind kind, bool use_proc, ipc_list_cb cb, void *arg)
{
	int	r;

	if (kind != IPC_K_SEM && kind != IPC_K_SHM && kind != IPC_K_MSG) {
		errno = EINVAL;
		return -1;
	}
	if (use_proc && (r = list_proc(kind, cb, arg)) != 1)
		return r;
	return list_stat(kind, cb, arg);
}

/* ---- POSIX: /dev/shm and /dev/mqueue ---- */

int
ipc_pmq_mounted(void)
{
	struct statfs	sf;
	const char	*dir;

	if ((dir = ipc_mqueue_dir()) == NULL || statfs(dir, &sf) == -1)
		return errno == ENOENT ? 0 : -1;
	return sf.f_type == MQUEUE_MAGIC ? 1 : 0;
}

/*
 * The queue's attributes; false when the queue of that name in our IPC
 * namespace is another file than the one listed: the directory walked is
 * the mqueue file system of another namespace (under --ns, a target whose
 * /dev/mqueue was mounted outside its IPC namespace), not ours to show.
 */
static bool
pmq_attr(const char *name, struct ipc_obj *o)
{
	struct mq_attr	at;
	struct stat	sb;
	mqd_t		q;

	if ((q = mq_open(name, O_RDONLY | O_NONBLOCK)) == (mqd_t)-1)
		return true;
	if (fstat(q, &sb) == 0 && (sb.st_ino != o->ino ||
	    sb.st_dev != o->dev)) {
		mq_close(q);
		return false;
	}
	if (mq_getattr(q, &at) == 0) {
		o->qnum = (unsigned long)at.mq_curmsgs;
		o->maxmsg = at.mq_maxmsg;
		o->msgsize = at.mq_msgsize;
		o->known |= IPC_KNOWN_QNUM | IPC_KNOWN_MQATTR;
	}
	mq_close(q);
	return true;
}

/*
 * A POSIX queue's QSIZE (bytes queued) is not listed: the kernel tells it
 * only by a read of /dev/mqueue/NAME, and that read sets the queue's atime
 * and ctime to now (measured on 6.x; O_NOATIME does not help), which would
 * make a read-only list move what --older-than looks at.  mq_open, mq_getattr
 * and fstat leave every time alone.
 */
#define PSEM_PREFIX_LEN	(sizeof IPC_PSEM_PREFIX - 1)

int
ipc_list_posix(enum ipc_kind kind, ipc_list_cb cb, void *arg)
{
	struct ipc_obj	 o;
	struct stat	 sb;
	struct statfs	 sf;
	struct dirent	*de;
	const char	*dir, *n;
	DIR		*d;
	bool		 is_sem;
	int		 r = 0, e, v, missed = 0;

	switch (kind) {
	case IPC_K_PSEM:
	case IPC_K_PSHM:
		if ((dir = ipc_shm_dir()) == NULL)
			return errno == ENOENT ? 0 : -1;
		break;
	case IPC_K_PMQ:
		if ((r = ipc_pmq_mounted()) != 1) {
			if (r == 0)
				errno = ENODEV;
			return -1;
		}
		r = 0;
		dir = ipc_mqueue_dir();
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	/* what was opened is the mqueue file system, whatever the path was */
	if (kind == IPC_K_PMQ) {
		e = fstatfs(dirfd(d), &sf) == -1 ? errno :
		    sf.f_type != MQUEUE_MAGIC ? ENODEV : 0;
		if (e != 0) {
			closedir(d);
			errno = e;
			return -1;
		}
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		n = de->d_name;
		if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' &&
		    n[2] == '\0')))
			continue;
		/* glibc's sem.NAME; musl's NAME is told by its size below */
		is_sem = !IPC_PSEM_BESIDE_SHM && strncmp(n, IPC_PSEM_PREFIX,
		    PSEM_PREFIX_LEN) == 0 && n[PSEM_PREFIX_LEN] != '\0';
		if (!IPC_PSEM_BESIDE_SHM && kind == IPC_K_PSEM && !is_sem)
			continue;
		if (!IPC_PSEM_BESIDE_SHM && kind == IPC_K_PSHM && is_sem)
			continue;
		if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
			/*
			 * Gone since readdir: fine.  Anything else (EOVERFLOW:
			 * a time past 2038 with a 32-bit time_t) is an object
			 * not listed: the walk does not end in success.
			 */
			if (errno != ENOENT && missed == 0)
				missed = errno;
			continue;
		}
		/* a symlink or a directory is nobody's object: not followed */
		if (!S_ISREG(sb.st_mode))
			continue;
		if (IPC_PSEM_BESIDE_SHM && kind != IPC_K_PMQ) {
			is_sem = sb.st_size == (off_t)sizeof(sem_t);
			if (is_sem != (kind == IPC_K_PSEM))
				continue;
		}
		memset(&o, 0, sizeof o);
		o.kind = kind;
		o.id = -1;
		snprintf(o.name, sizeof o.name, "/%s",
		    kind == IPC_K_PSEM ? n + PSEM_PREFIX_LEN : n);
		o.uid = sb.st_uid;
		o.gid = sb.st_gid;
		/*
		 * POSIX objects record no creator: the file's owner stands
		 * for it, as lsipc shows (a chown moves it too).
		 */
		o.cuid = sb.st_uid;
		o.cgid = sb.st_gid;
		o.mode = sb.st_mode & 07777;
		o.size = (unsigned long long)sb.st_size;
		o.known = IPC_KNOWN_SIZE | IPC_KNOWN_CREATOR;
		o.mtime = sb.st_mtim.tv_sec;
		o.mtime_nsec = sb.st_mtim.tv_nsec;
		o.ctime = sb.st_ctim.tv_sec;
		o.atime = sb.st_atim.tv_sec;
		o.dev = sb.st_dev;
		o.ino = sb.st_ino;
		if (kind == IPC_K_PSEM) {
			/* a file that is no semaphore: listed, value null */
			if (ipc_psem_peek(o.name, &v) == 0) {
				o.sval = v;
				o.known |= IPC_KNOWN_SVAL;
			}
		} else if (kind == IPC_K_PMQ) {
			o.known &= ~IPC_KNOWN_SIZE;
			if (!pmq_attr(o.name, &o))
				continue;
		}
		if ((r = cb(&o, arg)) != 0)
			break;
	}
	e = errno;
	closedir(d);
	if (r != 0) {
		errno = e;
		return r;
	}
	if (e == 0 && missed != 0)
		e = missed;
	errno = e;
	return e != 0 ? -1 : 0;
}

/* ---- processes ---- */

/* our IPC namespace, as /proc/self/ns/ipc says; have: -1 to be read */
static struct stat	self_ipcns;
static int		have_self_ipcns = -1;

void
ipc_ipcns_changed(void)
{
	have_self_ipcns = -1;
}

/*
 * Whether pid's IPC namespace is ours (the joined one under --ns, the one
 * being walked under -A): 1, 0, or -1 when we cannot tell (no /proc, or
 * not ours to inspect).
 */
int
ipc_pid_ipcns_ours(pid_t pid)
{
	struct stat	sb;
	char		path[64];

	if (have_self_ipcns == -1)
		have_self_ipcns = stat("/proc/self/ns/ipc", &self_ipcns) == 0;
	if (!have_self_ipcns)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/ns/ipc", (int)pid);
	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	return sb.st_dev == self_ipcns.st_dev && sb.st_ino == self_ipcns.st_ino;
}

int
ipc_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (kill(pid, 0) == -1 && errno != EPERM)
		return 0;
	/* a pid of another IPC namespace (reused, or unshared) is not ours */
	return ipc_pid_ipcns_ours(pid) != 0;
}

int
ipc_sem_pids(int id, unsigned long nsems, pid_t *pids)
{
	unsigned long	i;
	int		r;

	for (i = 0; i < nsems; i++) {
		if ((r = semctl(id, (int)i, GETPID)) == -1) {
			if (errno == EINVAL)
				errno = ENOENT;
			return -1;
		}
		pids[i] = r;
	}
	return 0;
}

int
ipc_proc_comm(pid_t pid, char *buf, size_t len)
{
	char	path[64];
	ssize_t	n;
	int	fd;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EIO : errno;
		return -1;
	}
	if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

/* ---- list --watch: the terminal and its keys ---- */

static struct termios	tty_saved;
static int		tty_fd = -1;

int
ipc_tty_cbreak(int fd)
{
	struct termios	t;

	if (!isatty(fd) || tcgetpgrp(fd) != getpgrp()) {
		errno = ENOTTY;
		return -1;
	}
	if (tcgetattr(fd, &tty_saved) == -1)
		return -1;
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &t) == -1)
		return -1;
	tty_fd = fd;
	return 0;
}

int
ipc_tty_restore(void)
{
	int	fd = tty_fd;

	if (fd < 0)
		return 0;
	tty_fd = -1;
	return tcsetattr(fd, TCSANOW, &tty_saved);
}

int
ipc_tty_size(int fd, unsigned int *rows, unsigned int *cols)
{
	struct winsize	ws;

	*rows = *cols = 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == -1)
		return -1;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}

int
ipc_wait_key(int fd, const struct timespec *deadline, char *key)
{
	struct pollfd	pf;
	struct timespec	left;
	sigset_t	block, old;
	ssize_t		n;
	int		r, e = 0;

	sigemptyset(&block);
	ipc_caught_sigset(&block);
	if (sigprocmask(SIG_BLOCK, &block, &old) == -1)
		return -1;
	for (;;) {
		if (ipc_caught_signal != 0) {
			r = -1;
			e = EINTR;
			break;
		}
		if (!ipc_time_left(deadline, &left)) {
			r = 0;
			break;
		}
		pf.fd = fd;
		pf.events = POLLIN;
		pf.revents = 0;
		/* the caught signals come in only here: none is missed */
		if ((r = ppoll(fd >= 0 ? &pf : NULL, fd >= 0 ? 1 : 0, &left,
		    &old)) == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		if (r == 0)
			continue;
		if ((n = read(fd, key, 1)) == 1) {
			r = 1;
			break;
		}
		if (n == 0 || (n == -1 && errno == EIO)) {
			r = 2;
			break;
		}
		if (errno == EINTR || errno == EAGAIN)
			continue;
		e = errno;
		r = -1;
		break;
	}
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1 && r != -1) {
		e = errno;
		r = -1;
	}
	if (r == -1)
		errno = e;
	return r;
}
