/*
 * Shared memory: System V segments and POSIX shared memory objects.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/ipc.h"

int
ipc_shm_open(const struct ipc_target *t, int *id)
{
	struct shmid_ds	ds;
	int		r;

	switch (t->kind) {
	case IPC_T_ID:
		/* EACCES: it exists, and the operation will say more */
		if (shmctl(t->id, IPC_STAT, &ds) == -1 && errno != EACCES)
			return ipc_no_such_id();
		*id = t->id;
		return 0;
	case IPC_T_KEY:
		if ((r = shmget(t->key, 0, 0)) == -1)
			return -1;
		*id = r;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int
ipc_shm_remove(int id)
{
	if (shmctl(id, IPC_RMID, NULL) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_pshm_stat(const char *name, struct ipc_posix_stat *st)
{
	return ipc_posix_file_stat(name, "", st);
}

int
ipc_pshm_unlink(const char *name)
{
	return shm_unlink(name);
}

/* ---- System V segments ---- */

int
ipc_shm_create(key_t key, bool random, size_t size, mode_t mode, int flags,
    int *id, key_t *key_out)
{
	int	 r, shmflg, tries = 0;
	key_t	 k = key;

	shmflg = IPC_CREAT | IPC_EXCL | (int)(mode & 0777);
	if (flags & IPC_SHM_HUGETLB) {
#if HAVE_DECL_SHM_HUGETLB
		shmflg |= SHM_HUGETLB;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	if (flags & IPC_SHM_NORESERVE) {
#if HAVE_DECL_SHM_NORESERVE
		shmflg |= SHM_NORESERVE;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	for (;;) {
		if (random)
			k = ipc_random_key();
		if ((r = shmget(k, size, shmflg)) != -1)
			break;
		if (!random || errno != EEXIST || ++tries > 1000)
			return -1;
	}
	*id = r;
	*key_out = k;
	return 0;
}

int
ipc_shm_stat(int id, struct ipc_shm_info *info)
{
	struct shmid_ds	ds;

	if (shmctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	info->id = id;
	info->key = ds.shm_perm.__key;
	info->uid = ds.shm_perm.uid;
	info->gid = ds.shm_perm.gid;
	info->cuid = ds.shm_perm.cuid;
	info->cgid = ds.shm_perm.cgid;
	info->mode = ds.shm_perm.mode & 0777;
#if HAVE_DECL_SHM_DEST
	info->dest = (ds.shm_perm.mode & SHM_DEST) != 0;
#else
	info->dest = false;
#endif
#if HAVE_DECL_SHM_LOCKED
	info->locked = (ds.shm_perm.mode & SHM_LOCKED) != 0;
#else
	info->locked = false;
#endif
	info->size = ds.shm_segsz;
	info->cpid = ds.shm_cpid;
	info->lpid = ds.shm_lpid;
	info->nattch = (unsigned long)ds.shm_nattch;
	info->atime = ds.shm_atime;
	info->dtime = ds.shm_dtime;
	info->ctime = ds.shm_ctime;
	return 0;
}

int
ipc_shm_set_perm(int id, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	struct shmid_ds	ds;

	if (shmctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	if (uid != NULL)
		ds.shm_perm.uid = *uid;
	if (gid != NULL)
		ds.shm_perm.gid = *gid;
	if (mode != NULL)
		ds.shm_perm.mode = (ds.shm_perm.mode & ~0777u) | (*mode & 0777);
	if (shmctl(id, IPC_SET, &ds) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_shm_lock(int id, bool lock)
{
#if HAVE_DECL_SHM_LOCK
	if (shmctl(id, lock ? SHM_LOCK : SHM_UNLOCK, NULL) == -1)
		return ipc_no_such_id();
	return 0;
#else
	(void)id;
	(void)lock;
	errno = ENOTSUP;
	return -1;
#endif
}

int
ipc_shm_attach(int id, uintptr_t addr, int flags, void **out)
{
	void	*p;
	int	 shmflg = 0;

	if (flags & IPC_SHM_RDONLY)
		shmflg |= SHM_RDONLY;
	if (flags & IPC_SHM_RND) {
#if HAVE_DECL_SHM_RND
		shmflg |= SHM_RND;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	if (flags & IPC_SHM_REMAP) {
#if HAVE_DECL_SHM_REMAP
		shmflg |= SHM_REMAP;
#else
		errno = ENOTSUP;
		return -1;
#endif
	}
	if ((p = shmat(id, (const void *)addr, shmflg)) == (void *)-1) {
		/* with an address, EINVAL is about the address */
		if (addr == 0 && errno == EINVAL)
			errno = ENOENT;
		return -1;
	}
	*out = p;
	return 0;
}

int
ipc_shm_detach(const void *addr)
{
	return shmdt(addr);
}

/* ---- POSIX shared memory objects ---- */

int
ipc_pshm_create(const char *name, off_t size, mode_t mode, bool exist_ok,
    bool *created, off_t *size_out)
{
	struct stat	sb;
	mode_t		old;
	int		fd, e;

	*created = false;
	/* -m is the mode, exactly: the umask does not apply */
	old = umask(0);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	e = errno;
	umask(old);
	if (fd == -1) {
		if (e != EEXIST || !exist_ok) {
			errno = e;
			return -1;
		}
		if ((fd = shm_open(name, O_RDONLY | O_CLOEXEC, 0)) == -1) {
			/* no read permission: still, it exists */
			if (errno != EACCES)
				return -1;
			if (ipc_pshm_stat(name, &(struct ipc_posix_stat){ 0 })
			    == -1)
				return -1;
			errno = EACCES;
			return -1;
		}
		if (fstat(fd, &sb) == -1) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		close(fd);
		*size_out = sb.st_size;
		return 0;
	}
	if (ftruncate(fd, size) == -1) {
		e = errno;
		close(fd);
		shm_unlink(name);
		errno = e;
		return -1;
	}
	close(fd);
	*created = true;
	*size_out = size;
	return 0;
}

int
ipc_pshm_set_perm(const char *name, const uid_t *uid, const gid_t *gid,
    const mode_t *mode)
{
	return ipc_posix_file_set_perm(name, "", uid, gid, mode);
}

int
ipc_pshm_resize(const char *name, off_t size)
{
	int	fd, e;

	if ((fd = shm_open(name, O_RDWR | O_CLOEXEC, 0)) == -1)
		return -1;
	if (ftruncate(fd, size) == -1) {
		e = errno;
		close(fd);
		errno = e == EINVAL ? EFBIG : e;
		return -1;
	}
	return close(fd);
}

/* ---- mappings: read and write either kind ---- */

int
ipc_shm_map_id(int id, bool rdonly, struct ipc_shm_map *m)
{
	struct shmid_ds	 ds;
	void		*p;

	memset(m, 0, sizeof *m);
	m->fd = -1;
	if (shmctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	if ((p = shmat(id, NULL, rdonly ? SHM_RDONLY : 0)) == (void *)-1)
		return ipc_no_such_id();
	m->addr = p;
	m->size = ds.shm_segsz;
	m->id = id;
	m->rdonly = rdonly;
	return 0;
}

/*
 * Maps the whole POSIX object name at addr (0: anywhere) with mflags;
 * an empty object maps to nothing unless it must be placed (attach).
 */
static int
pshm_map(const char *name, uintptr_t addr, int mflags, bool rdonly,
    bool empty_ok, struct ipc_shm_map *m)
{
	struct stat	 sb;
	void		*p = NULL;
	int		 fd, e;

	memset(m, 0, sizeof *m);
	m->fd = -1;
	m->id = -1;
	if ((fd = shm_open(name, (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0))
	    == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (sb.st_size == 0 && !empty_ok) {
		errno = EINVAL;
		goto fail;
	}
	if (sb.st_size > 0 && (p = mmap((void *)addr, (size_t)sb.st_size,
	    PROT_READ | (rdonly ? 0 : PROT_WRITE), mflags, fd, 0)) ==
	    MAP_FAILED)
		goto fail;
	m->addr = p;
	m->size = (size_t)sb.st_size;
	m->fd = fd;
	m->rdonly = rdonly;
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
ipc_pshm_map(const char *name, bool rdonly, struct ipc_shm_map *m)
{
	return pshm_map(name, 0, MAP_SHARED, rdonly, true, m);
}

int
ipc_pshm_map_at(const char *name, uintptr_t addr, int flags,
    struct ipc_shm_map *m)
{
	int	mflags = MAP_SHARED;
	long	page = sysconf(_SC_PAGESIZE);

	if (addr != 0 && (flags & IPC_SHM_RND))
		addr &= ~(uintptr_t)(page - 1);
	if (addr != 0)
#ifdef MAP_FIXED_NOREPLACE
		mflags |= (flags & IPC_SHM_REMAP) ? MAP_FIXED :
		    MAP_FIXED_NOREPLACE;
#else
		mflags |= (flags & IPC_SHM_REMAP) ? MAP_FIXED : 0;
#endif
	return pshm_map(name, addr, mflags, (flags & IPC_SHM_RDONLY) != 0,
	    false, m);
}

int
ipc_shm_unmap(struct ipc_shm_map *m)
{
	int	r = 0;

	if (m->fd >= 0) {
		if (m->addr != NULL && munmap(m->addr, m->size) == -1)
			r = -1;
		if (close(m->fd) == -1)
			r = -1;
	} else if (m->addr != NULL && shmdt(m->addr) == -1)
		r = -1;
	m->addr = NULL;
	m->fd = -1;
	return r;
}

/*
 * The bytes moved between a mapping and a file go through in windows;
 * after each one its page table entries are dropped (the data stays in the
 * segment), so that the resident set does not grow with the segment.
 */
#define SHM_WINDOW	(4UL << 20)

static void
window_done(const struct ipc_shm_map *m, size_t from, size_t to)
{
	uintptr_t	base = (uintptr_t)m->addr, a, b;
	long		page = sysconf(_SC_PAGESIZE);

	a = (base + from) & ~(uintptr_t)(page - 1);
	b = (base + to + (size_t)page - 1) & ~(uintptr_t)(page - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
}

/* One call faults the window in, instead of one fault per page. */
static void
window_populate(const struct ipc_shm_map *m, size_t from, size_t to,
    bool write)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
	uintptr_t	base = (uintptr_t)m->addr, a, b;
	long		page = sysconf(_SC_PAGESIZE);

	a = (base + from) & ~(uintptr_t)(page - 1);
	b = (base + to + (size_t)page - 1) & ~(uintptr_t)(page - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, write ? MADV_POPULATE_WRITE :
		    MADV_POPULATE_READ);
#else
	(void)m;
	(void)from;
	(void)to;
	(void)write;
#endif
}

int
ipc_shm_to_fd(const struct ipc_shm_map *m, size_t off, size_t len, int fd)
{
	struct stat	 sb;
	const char	*p = m->addr;
	size_t		 pos = off, end, wstart, wend;
	ssize_t		 n;
	bool		 populate;

	if (off > m->size || len > m->size - off) {
		errno = EFBIG;
		return -1;
	}
	end = off + len;
	/* a larger pipe means fewer sleeps and wake-ups with the reader */
	if (len > 65536)
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
	/* a device such as /dev/null may never touch the bytes */
	populate = fstat(fd, &sb) == 0 && !S_ISCHR(sb.st_mode);
	while (pos < end) {
		wstart = pos;
		wend = (pos / SHM_WINDOW + 1) * SHM_WINDOW;
		if (wend > end)
			wend = end;
		if (populate)
			window_populate(m, wstart, wend, false);
		while (pos < wend) {
			n = write(fd, p + pos, wend - pos);
			if (n == -1) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			pos += (size_t)n;
		}
		window_done(m, wstart, pos);
	}
	return 0;
}

int
ipc_shm_fill(const struct ipc_shm_map *m, int byte)
{
	size_t	pos, n;

	for (pos = 0; pos < m->size; pos += n) {
		n = m->size - pos < SHM_WINDOW ? m->size - pos : SHM_WINDOW;
		memset((char *)m->addr + pos, byte, n);
		window_done(m, pos, pos + n);
	}
	return 0;
}

int
ipc_shm_put(const struct ipc_shm_map *m, size_t off, const void *data,
    size_t len)
{
	if (off > m->size || len > m->size - off) {
		errno = EFBIG;
		return -1;
	}
	if (len > 0)
		memcpy((char *)m->addr + off, data, len);
	return 0;
}

/* Reads up to len bytes (fewer only at end of file); sets *got. */
static int
read_full(int fd, char *buf, size_t len, size_t *got)
{
	ssize_t	n;

	*got = 0;
	while (*got < len) {
		n = read(fd, buf + *got, len - *got);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

static int
write_full(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Input of a known length (a regular file): checked against the room first,
 * then read straight into the mapping.
 */
static int
from_file(const struct ipc_shm_map *m, size_t off, int fd, size_t avail,
    size_t *written)
{
	char	*p = m->addr;
	size_t	 pos = off, end = off + avail, wstart, wend, got;

	while (pos < end) {
		wstart = pos;
		wend = (pos / SHM_WINDOW + 1) * SHM_WINDOW;
		if (wend > end)
			wend = end;
		window_populate(m, wstart, wend, true);
		if (read_full(fd, p + pos, wend - pos, &got) == -1)
			return -1;
		pos += got;
		window_done(m, wstart, wend);
		if (got < wend - wstart)
			break;		/* the file shrank: that is its end */
	}
	*written = pos - off;
	return 0;
}

/*
 * Input of unknown length (a pipe): read straight into the mapping, each
 * window's old bytes saved first to an undo file (a memfd, so they never
 * count in this process's memory), and put back if the input turns out
 * longer than the room or fails.
 */
static int
from_stream(const struct ipc_shm_map *m, size_t off, int fd, size_t *written)
{
	char	*p = m->addr, extra;
	size_t	 pos = off, end = m->size, wstart, wend, got, saved = 0;
	int	 undo, e;

	if ((undo = memfd_create("ipctool-shm-undo", MFD_CLOEXEC)) == -1)
		return -1;
	while (pos < end) {
		wstart = pos;
		wend = (pos / SHM_WINDOW + 1) * SHM_WINDOW;
		if (wend > end)
			wend = end;
		if (write_full(undo, p + pos, wend - pos) == -1)
			goto fail;
		saved += wend - pos;
		if (read_full(fd, p + pos, wend - pos, &got) == -1)
			goto fail;
		pos += got;
		window_done(m, wstart, wend);
		if (got < wend - wstart)
			goto done;	/* end of input */
	}
	/* the segment is full: any more input is too much */
	if (read_full(fd, &extra, 1, &got) == -1)
		goto fail;
	if (got == 1) {
		errno = EFBIG;
		goto fail;
	}
done:
	close(undo);
	*written = pos - off;
	return 0;
fail:
	e = errno;
	/* put the old bytes back: nothing was written */
	(void)pread(undo, p + off, saved, 0);
	window_done(m, off, off + saved);
	close(undo);
	errno = e;
	return -1;
}

int
ipc_shm_from_fd(const struct ipc_shm_map *m, size_t off, int fd,
    size_t *written)
{
	struct stat	sb;
	off_t		cur;

	*written = 0;
	if (off > m->size) {
		errno = EFBIG;
		return -1;
	}
	if (fstat(fd, &sb) == -1)
		return -1;
	if (S_ISREG(sb.st_mode) && (cur = lseek(fd, 0, SEEK_CUR)) != -1) {
		if (cur > sb.st_size)
			cur = sb.st_size;
		if ((unsigned long long)(sb.st_size - cur) > m->size - off) {
			errno = EFBIG;
			return -1;
		}
		return from_file(m, off, fd, (size_t)(sb.st_size - cur),
		    written);
	}
	return from_stream(m, off, fd, written);
}

int
ipc_hold(int fd)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct pollfd	 pfd;
	struct stat	 sb;
	sigset_t	 block, old;
	char		 buf[512];
	ssize_t		 n;
	size_t		 i;
	bool		 stream;
	int		 r = 0, e;

	/*
	 * Only a pipe, socket or terminal can "close": a background job's
	 * /dev/null or a regular file would end the hold at once, so those
	 * wait for a signal alone.
	 */
	stream = fstat(fd, &sb) == 0 && (S_ISFIFO(sb.st_mode) ||
	    S_ISSOCK(sb.st_mode) || isatty(fd));
	/* the signals stay blocked but while waiting: none is missed */
	sigemptyset(&block);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&block, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &block, &old) == -1)
		return -1;
	while (!ipc_caught_signal) {
		if (!stream) {
			sigsuspend(&old);
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (ppoll(&pfd, 1, NULL, &old) == -1) {
			if (errno == EINTR)
				continue;
			r = -1;
			break;
		}
		n = read(fd, buf, sizeof buf);
		if (n == 0)
			break;
		if (n == -1 && errno != EINTR && errno != EAGAIN) {
			r = -1;
			break;
		}
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}
