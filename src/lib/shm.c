/* SPDX-License-Identifier: ISC */
/*
 * Shared memory: System V segments and POSIX shared memory objects.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <errno.h>
#include <stdlib.h>
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

static int	pshm_open(const char *, int, struct stat *);
static int	addr_in_use(uintptr_t, size_t);
static uint64_t	page_up(uint64_t);

int
ipc_shm_open(const struct ipc_target *t, int *id)
{
	return ipc_sysv_open(IPC_K_SHM, t, id);
}

int
ipc_shm_remove(int id)
{
	if (shmctl(id, IPC_RMID, NULL) == -1)
		return ipc_no_such_id();
	return 0;
}

int
ipc_pshm_unlink(const char *name)
{
	return ipc_posix_elsewhere() ? ipc_posix_unlink(name, "") :
	    shm_unlink(name);
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

/*
 * Where size_t is 32 bits, the kernel cuts shm_segsz to 32 bits (a 5 GiB
 * segment reads as 1 GiB); /proc/sysvipc/shm has the whole size.
 */
static void
proc_segsz(int id, uint64_t *size)
{
	unsigned long long	 sz;
	char			 line[512];
	FILE			*fp;
	int			 key, shmid;

	if ((fp = fopen("/proc/sysvipc/shm", "re")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "%d %d %*o %llu", &key, &shmid, &sz) == 3 &&
		    shmid == id) {
			*size = sz;
			break;
		}
	fclose(fp);
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
	if (sizeof ds.shm_segsz < sizeof info->size)
		proc_segsz(id, &info->size);
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
	if ((flags & IPC_SHM_REMAP) && addr != 0) {
		struct shmid_ds	ds;
		uintptr_t	a = addr;

		if (shmctl(id, IPC_STAT, &ds) == -1)
			return ipc_no_such_id();
#ifdef SHMLBA
		if (flags & IPC_SHM_RND)
			a &= ~(uintptr_t)(SHMLBA - 1);
#endif
		/* never over this program's own memory */
		if (addr_in_use(a, (size_t)page_up(ds.shm_segsz)) != 0)
			return -1;
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
		/* no read permission is EACCES: still, it exists */
		if ((fd = pshm_open(name, O_RDONLY, &sb)) == -1)
			return -1;
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

/* ---- the data path: either kind ---- */

/*
 * The bytes move through a descriptor on the object's tmpfs file wherever
 * there is one, with the calls cat would make or better ones (sendfile and
 * splice copy once, inside the kernel): a POSIX object is that file, and a
 * System V segment's file is reachable through /proc/self/map_files/ when
 * the caller may open it there (CAP_SYS_ADMIN).  Otherwise they go through
 * the mapping, faulted in by one MADV_POPULATE_* over the whole range and
 * never dropped: its pages are the segment's own memory (RssShmem), not
 * this process's.  Nothing here allocates memory that grows with the size.
 * Chosen by measurement: see bench/shm and bench/RESULTS-shm.md.
 */
#define SHM_CHUNK	(1 << 20)	/* a buffer, a pipe, an undo step */

static uint64_t
page_up(uint64_t n)
{
	uint64_t	page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) & ~(page - 1);
}

/* A descriptor on a segment's file, or -1 (refused: use the mapping). */
static int
map_files_open(const void *addr, uint64_t size, bool rdonly)
{
	char		path[64];
	uintptr_t	a = (uintptr_t)addr;

	if ((size_t)snprintf(path, sizeof path, "/proc/self/map_files/%lx-%lx",
	    (unsigned long)a, (unsigned long)(a + (uintptr_t)page_up(size))) >=
	    sizeof path)
		return -1;
	return open(path, (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
}

/* off inside size and len bytes from off too: 0, or ENXIO, EFBIG */
static int
check_range(uint64_t size, uint64_t off, uint64_t len)
{
	if (off >= size) {
		errno = ENXIO;
		return -1;
	}
	if (len > size - off) {
		errno = EFBIG;
		return -1;
	}
	return 0;
}

int
ipc_shm_map_id(int id, int flags, uint64_t off, uint64_t len,
    struct ipc_shm_map *m)
{
	struct shmid_ds	 ds;
	void		*p;
	bool		 rdonly = (flags & IPC_SHM_RDONLY) != 0;

	memset(m, 0, sizeof *m);
	m->fd = -1;
	if (shmctl(id, IPC_STAT, &ds) == -1)
		return ipc_no_such_id();
	m->size = ds.shm_segsz;
	if (sizeof ds.shm_segsz < sizeof m->size) {
		proc_segsz(id, &m->size);
		if (m->size > SIZE_MAX) {
			errno = EFBIG;	/* larger than this address space */
			return -1;
		}
	}
	/* refused before shmat: a failed command moves no lpid or time */
	if (check_range(m->size, off, len) == -1)
		return -1;
	if ((p = shmat(id, NULL, rdonly ? SHM_RDONLY : 0)) == (void *)-1)
		return ipc_no_such_id();
	m->addr = p;
	m->id = id;
	m->rdonly = rdonly;
	if (!(flags & IPC_SHM_NO_PROC))
		m->fd = map_files_open(p, m->size, rdonly);
	return 0;
}

/*
 * Opens the POSIX object name as every POSIX file is opened
 * (ipc_posix_file_open: no symbolic link followed, never blocking, no
 * atime moved where allowed) and refuses what is not a regular file with
 * ELOOP, as for a link.
 */
static int
pshm_open(const char *name, int oflag, struct stat *sb)
{
	int	fd;

	if ((fd = ipc_posix_file_open(name, "", oflag | O_NOCTTY, sb)) == -1 &&
	    errno == IPC_EBADOBJ)
		errno = ELOOP;
	return fd;
}

int
ipc_pshm_stat(const char *name, struct ipc_posix_stat *st)
{
	struct stat	sb;
	int		fd;

	/* as every other stat: read permission, or EACCES */
	if ((fd = pshm_open(name, O_RDONLY, &sb)) == -1)
		return -1;
	close(fd);
	ipc_posix_stat_fill(&sb, st);
	return 0;
}

int
ipc_pshm_set(const char *name, const uid_t *uid, const gid_t *gid,
    const mode_t *mode, const off_t *size)
{
	struct stat	sb;
	char		path[32];
	bool		owned = false, moded = false;
	int		fd, e;

	/* write permission is checked before anything changes */
	if ((fd = pshm_open(name, size != NULL ? O_RDWR : O_PATH, &sb)) == -1)
		return -1;
	if ((uid != NULL || gid != NULL) && fchownat(fd, "", uid != NULL ?
	    *uid : (uid_t)-1, gid != NULL ? *gid : (gid_t)-1, AT_EMPTY_PATH)
	    == -1)
		goto fail;
	owned = uid != NULL || gid != NULL;
	if (mode != NULL) {
		/* an O_PATH descriptor takes no fchmod: its /proc link does */
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		if ((size != NULL ? fchmod(fd, *mode & 0777) :
		    chmod(path, *mode & 0777)) == -1)
			goto fail;
		moded = true;
	}
	if (size != NULL && ftruncate(fd, *size) == -1) {
		if (errno == EINVAL)
			errno = EFBIG;
		goto fail;
	}
	return close(fd);
fail:
	/* nothing half done: what changed is put back */
	e = errno;
	if (moded) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		(void)chmod(path, sb.st_mode & 07777);
	}
	if (owned)
		(void)fchownat(fd, "", sb.st_uid, sb.st_gid, AT_EMPTY_PATH);
	close(fd);
	errno = e;
	return -1;
}

/*
 * Maps the whole POSIX object name at addr with mflags; only attach places
 * a mapping: reading and writing go through the descriptor.
 */
static int
pshm_map(const char *name, uintptr_t addr, int mflags, bool rdonly,
    struct ipc_shm_map *m)
{
	struct stat	 sb;
	void		*p;
	int		 fd, e;

	memset(m, 0, sizeof *m);
	m->id = -1;
	if ((fd = pshm_open(name, rdonly ? O_RDONLY : O_RDWR, &sb)) == -1)
		return -1;
	if (sb.st_size == 0) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)sb.st_size > SIZE_MAX) {
		errno = EFBIG;	/* larger than this address space */
		goto fail;
	}
	if ((mflags & MAP_FIXED) && addr_in_use(addr,
	    (size_t)sb.st_size) != 0)
		goto fail;
	if ((p = mmap((void *)addr, (size_t)sb.st_size, PROT_READ |
	    (rdonly ? 0 : PROT_WRITE), mflags, fd, 0)) == MAP_FAILED)
		goto fail;
	m->addr = p;
	m->size = (uint64_t)sb.st_size;
	m->fd = fd;
	m->rdonly = rdonly;
	m->mapped = true;
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
ipc_pshm_open(const char *name, bool rdonly, uint64_t off, uint64_t len,
    struct ipc_shm_map *m)
{
	struct stat	sb;
	int		fd;

	memset(m, 0, sizeof *m);
	m->id = -1;
	m->fd = -1;
	if ((fd = pshm_open(name, rdonly ? O_RDONLY : O_RDWR, &sb)) == -1)
		return -1;
	m->size = (uint64_t)sb.st_size;
	/* by fstat, before any read or write: no time moves */
	if (check_range(m->size, off, len) == -1) {
		close(fd);
		return -1;
	}
	m->fd = fd;
	m->rdonly = rdonly;
	return 0;
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
	return pshm_map(name, addr, mflags, (flags & IPC_SHM_RDONLY) != 0, m);
}

int
ipc_shm_unmap(struct ipc_shm_map *m)
{
	int	r = 0;

	if (m->fd >= 0 && close(m->fd) == -1)
		r = -1;
	if (m->mapped) {
		if (munmap(m->addr, (size_t)m->size) == -1)
			r = -1;
	} else if (m->addr != NULL && shmdt(m->addr) == -1)
		r = -1;
	m->addr = NULL;
	m->fd = -1;
	m->mapped = false;
	return r;
}

/*
 * 0 if no mapping of this process meets [addr, addr + len): what MAP_FIXED
 * or SHM_REMAP would replace there is this program's own memory (its code,
 * heap, stack), and replacing it crashes it.  EEXIST if one does.
 */
static int
addr_in_use(uintptr_t addr, size_t len)
{
	unsigned long long	 a, b;
	char			 line[512];
	FILE			*fp;
	int			 r = 0;

	if ((fp = fopen("/proc/self/maps", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		/* a line longer than the buffer goes on without a newline */
		if (sscanf(line, "%llx-%llx", &a, &b) == 2 &&
		    a < (unsigned long long)addr + len &&
		    b > (unsigned long long)addr) {
			r = -1;
			errno = EEXIST;
			break;
		}
		while (strchr(line, '\n') == NULL &&
		    fgets(line, sizeof line, fp) != NULL)
			;
	}
	fclose(fp);
	return r;
}

/* One call faults a range of the mapping in, not one fault per page. */
static void
populate(const struct ipc_shm_map *m, uint64_t from, uint64_t to, bool write)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
	uintptr_t	base = (uintptr_t)m->addr, page, a, b;

	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	a = (base + (uintptr_t)from) & ~(page - 1);
	b = (uintptr_t)page_up(base + (uintptr_t)to);
	/* EINVAL on kernels before 5.14: the faults then come one by one */
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

/*
 * Stops a copy for a signal caught by ipc_catch_signals, unless the copy
 * has no undo (a regular file's, of known length and quick): that one ends
 * first, whole.
 */
static bool	no_undo;

static bool
interrupted(void)
{
	if (ipc_caught_signal == 0 || no_undo)
		return false;
	errno = EINTR;
	return true;
}

static int
write_full(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR && !interrupted())
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
pwrite_full(int fd, const char *buf, size_t len, off_t off)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = pwrite(fd, buf, len, off)) == -1) {
			if (errno == EINTR && !interrupted())
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* Reads up to len bytes (fewer only at end of file); sets *got. */
static int
read_full(int fd, char *buf, size_t len, size_t *got)
{
	ssize_t	n;

	*got = 0;
	while (*got < len) {
		if (ipc_wait_input(fd, !no_undo) == -1)
			return -1;
		if ((n = read(fd, buf + *got, len - *got)) == -1) {
			if (errno == EINTR && !interrupted())
				continue;
			return -1;
		}
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/*
 * Copies len bytes of fd in from *inoff (NULL: its file position) to out at
 * *outoff (NULL: its position), stopping early only at in's end; sets *done.
 * sendfile where it applies (any output, a file input), splice for a pipe
 * into a file, else read and write through a buffer.
 */
static int
copy_fd(int in, off_t *inoff, int out, off_t *outoff, uint64_t len,
    bool in_pipe, uint64_t *done)
{
	char	*buf = NULL;
	size_t	 want, got;
	ssize_t	 n;
	bool	 kernel = true;
	int	 e;

	*done = 0;
	if (outoff != NULL && !in_pipe && lseek(out, *outoff, SEEK_SET) == -1)
		kernel = false;
	while (*done < len) {
		want = len - *done > SSIZE_MAX / 2 ? SSIZE_MAX / 2 :
		    (size_t)(len - *done);
		if (kernel) {
			if (in_pipe) {
				if (ipc_wait_input(in, !no_undo) == -1)
					goto fail;
				n = splice(in, NULL, out, outoff, want,
				    SPLICE_F_NONBLOCK);
				if (n == -1 && errno == EAGAIN)
					continue;
			} else
				n = sendfile(out, in, inoff, want);
			if (n > 0) {
				if (!in_pipe && outoff != NULL)
					*outoff += n;
				*done += (uint64_t)n;
				continue;
			}
			if (n == 0)
				break;
			if (errno == EINTR && !interrupted())
				continue;
			/* not for these files: the buffer does it */
			if (*done > 0 || (errno != EINVAL && errno != ENOSYS &&
			    errno != EOPNOTSUPP && errno != EXDEV))
				goto fail;
			kernel = false;
		}
		if (buf == NULL && (buf = malloc(SHM_CHUNK)) == NULL)
			goto fail;
		if (want > SHM_CHUNK)
			want = SHM_CHUNK;
		if (inoff != NULL) {
			if ((n = pread(in, buf, want, *inoff)) == -1) {
				if (errno == EINTR && !interrupted())
					continue;
				goto fail;
			}
			got = (size_t)n;
		} else if (read_full(in, buf, want, &got) == -1)
			goto fail;
		if (got == 0)
			break;
		if ((outoff != NULL ? pwrite_full(out, buf, got, *outoff) :
		    write_full(out, buf, got)) == -1)
			goto fail;
		if (inoff != NULL)
			*inoff += (off_t)got;
		if (outoff != NULL)
			*outoff += (off_t)got;
		*done += got;
	}
	free(buf);
	return 0;
fail:
	e = errno;
	free(buf);
	errno = e;
	return -1;
}

int
ipc_shm_to_fd(const struct ipc_shm_map *m, uint64_t off, uint64_t len,
    int fd)
{
	struct stat	 sb;
	const char	*p = m->addr;
	uint64_t	 done;
	off_t		 pos = (off_t)off;
	ssize_t		 n;

	if (off > m->size || len > m->size - off) {
		errno = EFBIG;
		return -1;
	}
	if (fstat(fd, &sb) == -1)
		return -1;
	/* a larger pipe means fewer sleeps and wake-ups with the reader */
	if (S_ISFIFO(sb.st_mode) && len > 65536)
		(void)fcntl(fd, F_SETPIPE_SZ, SHM_CHUNK);
	if (m->fd >= 0) {
		if (copy_fd(m->fd, &pos, fd, NULL, len, false, &done) == -1)
			return -1;
		if (done < len) {
			errno = EIO;	/* the object shrank under us */
			return -1;
		}
		return 0;
	}
	/* a device such as /dev/null may never touch the bytes */
	if (!S_ISCHR(sb.st_mode))
		populate(m, off, off + len, false);
	while (len > 0) {
		if ((n = write(fd, p + off, len > SSIZE_MAX / 2 ? SSIZE_MAX / 2 :
		    (size_t)len)) == -1) {
			if (errno == EINTR && !interrupted())
				continue;
			return -1;
		}
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/*
 * What one fstat says of a tmpfs file's pages, where SEEK_HOLE walks every
 * page (about 20 ms a GiB on the bench machine, for each write into a
 * populated object): PAGES_NONE, not one page; PAGES_ALL, as many pages as
 * its size.  A hole inside such a file needs a page past its end (fallocate
 * with FALLOC_FL_KEEP_SIZE), so it counts as full only where the file
 * system has room for len bytes anyway.  PAGES_SOME: lseek must say.
 */
enum pages { PAGES_SOME, PAGES_NONE, PAGES_ALL };

static enum pages
pages_of(int fd, uint64_t len)
{
	struct statfs	sf;
	struct stat	sb;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		return PAGES_SOME;
	if (sb.st_blocks == 0)
		return PAGES_NONE;
	if ((uint64_t)sb.st_blocks * 512 < page_up((uint64_t)sb.st_size) ||
	    fstatfs(fd, &sf) == -1)
		return PAGES_SOME;
	/* f_blocks 0: no limit (the mount behind System V segments) */
	if (sf.f_blocks == 0 || (uint64_t)sf.f_bavail * (uint64_t)sf.f_bsize >=
	    len)
		return PAGES_ALL;
	return PAGES_SOME;
}

/*
 * Before bytes go into [off, off + len) of a tmpfs file: sets *holes when
 * the range holds no data yet (a fresh object: undone by punching the holes
 * again) and makes sure the space is there when it holds both (fallocate
 * fails with ENOSPC and leaves nothing; a write into a hole would fail half
 * way).
 */
static int
reserve(int fd, uint64_t off, uint64_t len, bool *holes)
{
	off_t	d, h;

	*holes = false;
	if (len == 0)
		return 0;
	switch (pages_of(fd, len)) {
	case PAGES_NONE:
		*holes = true;
		return 0;
	case PAGES_ALL:
		return 0;	/* no page to allocate */
	case PAGES_SOME:
		break;
	}
	d = lseek(fd, (off_t)off, SEEK_DATA);
	if (d == -1 && errno == ENXIO)
		d = (off_t)(off + len);
	else if (d == -1)
		return 0;	/* not answered: nothing to say */
	if ((uint64_t)d >= off + len) {
		*holes = true;
		return 0;
	}
	if ((h = lseek(fd, (off_t)off, SEEK_HOLE)) == -1 ||
	    (uint64_t)h >= off + len)
		return 0;	/* all data: no page to allocate */
	if (fallocate(fd, 0, (off_t)off, (off_t)len) == -1 &&
	    errno != EOPNOTSUPP)
		return -1;
	return 0;
}

/* Puts holes back where a failed write found them; see reserve. */
static void
unreserve(int fd, uint64_t off, uint64_t len)
{
	if (len > 0)
		(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		    (off_t)off, (off_t)len);
}

int
ipc_shm_fill(const struct ipc_shm_map *m, int byte)
{
	char		*buf;
	uint64_t	 pos, n;
	int		 e;

	if (m->fd < 0) {
		populate(m, 0, m->size, true);
		memset(m->addr, byte, (size_t)m->size);
		return 0;
	}
	/* the room first: a full tmpfs is ENOSPC, not a half fill */
	if (fallocate(m->fd, 0, 0, (off_t)m->size) == -1 &&
	    errno != EOPNOTSUPP)
		return -1;
	if (byte == 0)
		return 0;	/* what a new object holds */
	if ((buf = malloc(SHM_CHUNK)) == NULL)
		return -1;
	memset(buf, byte, SHM_CHUNK);
	for (pos = 0; pos < m->size; pos += n) {
		n = m->size - pos < SHM_CHUNK ? m->size - pos : SHM_CHUNK;
		if (pwrite_full(m->fd, buf, (size_t)n, (off_t)pos) == -1) {
			e = errno;
			free(buf);
			errno = e;
			return -1;
		}
	}
	free(buf);
	return 0;
}

int
ipc_shm_put(const struct ipc_shm_map *m, uint64_t off, const void *data,
    size_t len)
{
	bool	holes;

	if (off > m->size || len > m->size - off) {
		errno = EFBIG;
		return -1;
	}
	if (len == 0)
		return 0;
	if (m->fd < 0) {
		memcpy((char *)m->addr + off, data, len);
		return 0;
	}
	if (reserve(m->fd, off, len, &holes) == -1)
		return -1;
	if (pwrite_full(m->fd, data, len, (off_t)off) == -1) {
		if (holes)
			unreserve(m->fd, off, len);
		return -1;
	}
	return 0;
}

/*
 * Input of a known length (a regular file, or pipes of this process that
 * hold all of it), checked against the room before: copied in by the
 * kernel (the object's file), or read straight into the mapping.  The fds
 * are read in turn, each to its end; pipe says they are pipes.
 */
static int
from_fds(const struct ipc_shm_map *m, uint64_t off, const int *fds, size_t n,
    bool pipe, uint64_t avail, uint64_t *written)
{
	uint64_t	done = 0, got;
	size_t		rgot, i;
	off_t		pos = (off_t)off;
	bool		holes;
	int		e;

	if (m->fd < 0) {
		populate(m, off, off + avail, true);
		for (i = 0; i < n && done < avail; i++)
			for (;;) {
				if (read_full(fds[i], (char *)m->addr + off +
				    done, avail - done > SHM_CHUNK * 64 ?
				    SHM_CHUNK * 64 : (size_t)(avail - done),
				    &rgot) == -1)
					return -1;
				done += rgot;
				if (rgot == 0 || done == avail)
					break;	/* the end (a file shrank) */
			}
		*written = done;
		return 0;
	}
	if (reserve(m->fd, off, avail, &holes) == -1)
		return -1;
	for (i = 0; i < n && done < avail; i++) {
		got = 0;
		if (copy_fd(fds[i], NULL, m->fd, &pos, avail - done, pipe,
		    &got) == -1) {
			e = errno;
			if (holes)
				unreserve(m->fd, off, done + got);
			errno = e;
			return -1;
		}
		done += got;
	}
	*written = done;
	return 0;
}

/*
 * Copies the data of [from, to) of fd to the same offsets of undo, and
 * leaves its holes holes there: what undo holds is then exactly what to
 * put back (data) or to punch out again (holes).
 */
static int
save_data(int fd, int undo, uint64_t from, uint64_t to)
{
	uint64_t	got;
	off_t		d, h, o;

	while (from < to) {
		if ((d = lseek(fd, (off_t)from, SEEK_DATA)) == -1)
			return errno == ENXIO ? 0 : -1;
		if ((uint64_t)d >= to)
			return 0;
		if ((uint64_t)d < from)
			d = (off_t)from;
		if ((h = lseek(fd, d, SEEK_HOLE)) == -1)
			return -1;
		if ((uint64_t)h > to)
			h = (off_t)to;
		o = d;
		if (copy_fd(fd, &o, undo, &(off_t){ d }, (uint64_t)(h - d),
		    false, &got) == -1)
			return -1;
		from = (uint64_t)h;
	}
	return 0;
}

/*
 * Where a pipe's bytes come from: pipes of this process that hold the
 * first of them (see stage_fill), then the input itself.
 */
struct source {
	const int	*fd;
	size_t		 n, i;
	int		 in;
	bool		 in_pipe;
};

/* Up to len bytes from s into the object at pos; fewer only at the end. */
static int
source_copy(const struct ipc_shm_map *m, struct source *s, uint64_t pos,
    uint64_t len, uint64_t *got)
{
	uint64_t	n;
	size_t		rn;
	off_t		opos;
	bool		last;
	int		r;

	*got = 0;
	while (*got < len) {
		last = s->i >= s->n;
		n = 0;
		if (m->fd >= 0) {
			opos = (off_t)(pos + *got);
			r = copy_fd(last ? s->in : s->fd[s->i], NULL, m->fd,
			    &opos, len - *got, last ? s->in_pipe : true, &n);
		} else {
			r = read_full(last ? s->in : s->fd[s->i],
			    (char *)m->addr + pos + *got, (size_t)(len - *got),
			    &rn);
			n = rn;
		}
		*got += n;
		if (r == -1)
			return -1;
		if (*got < len && last)
			break;
		if (*got < len)
			s->i++;		/* that pipe is empty: the next */
	}
	return 0;
}

/* Drops the pages of [from, to) of a segment known to be all holes. */
static void
unpopulate(const struct ipc_shm_map *m, uint64_t from, uint64_t to)
{
	uintptr_t	base = (uintptr_t)m->addr, page, a, b;

	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	a = (base + (uintptr_t)from) & ~(page - 1);
	b = (uintptr_t)page_up(base + (uintptr_t)to);
	if (b > a && madvise((void *)a, b - a, MADV_REMOVE) == -1)
		memset((char *)m->addr + from, 0, (size_t)(to - from));
}

/*
 * Input of unknown length (a pipe, a /proc file, a device) into an object
 * that holds data where it goes, or beyond what stage_fill could hold: the
 * old bytes of each step are saved to an undo file first (a memfd at the
 * same offsets, so they never count in this process's memory; a step still
 * all holes saves nothing and is punched out again), the input goes
 * straight in, and the old bytes are put back if the input turns out
 * longer than the room, or fails, or a signal ends the command.  fresh: the
 * whole object is holes (a System V segment of no pages), so its mapping
 * is faulted in ahead in large spans and what was not written is dropped
 * again.
 */
static int
from_stream(const struct ipc_shm_map *m, uint64_t off, struct source *src,
    bool fresh, uint64_t *written)
{
	char		*p = m->addr, extra;
	uint64_t	 pos = off, end = m->size, step, got, u, popto = off;
	off_t		 opos, d, h;
	size_t		 rgot;
	int		 undo, e;
	bool		 holes;

	if ((undo = memfd_create("ipctool-shm-undo", MFD_CLOEXEC)) == -1)
		return -1;
	while (pos < end) {
		step = end - pos < SHM_CHUNK ? end - pos : SHM_CHUNK;
		holes = fresh;
		if (m->fd >= 0) {
			d = lseek(m->fd, (off_t)pos, SEEK_DATA);
			holes = (d == -1 && errno == ENXIO) ||
			    (d != -1 && (uint64_t)d >= pos + step);
		}
		if (m->fd < 0 && pos >= popto) {
			popto = pos + (fresh ? SHM_CHUNK * 64 : step);
			if (popto > end)
				popto = end;
			populate(m, pos, popto, true);
		}
		if (!holes && m->fd >= 0) {
			if (save_data(m->fd, undo, pos, pos + step) == -1)
				goto fail;
		} else if (!holes && pwrite_full(undo, p + pos, (size_t)step,
		    (off_t)pos) == -1)
			goto fail;
		if (source_copy(m, src, pos, step, &got) == -1) {
			pos += got;	/* put back as well */
			goto fail;
		}
		pos += got;
		if (got < step)
			goto done;	/* end of input */
	}
	/* the object is full: any more input is too much */
	if (read_full(src->in, &extra, 1, &rgot) == -1)
		goto fail;
	if (rgot == 1) {
		errno = EFBIG;
		goto fail;
	}
done:
	/* the pages past the input's end, faulted in ahead, go again */
	if (m->fd < 0 && fresh && popto > page_up(pos))
		unpopulate(m, page_up(pos), popto);
	close(undo);
	*written = pos - off;
	return 0;
fail:
	e = errno;
	/*
	 * Put the old bytes back: nothing was written.  A step saved in the
	 * undo file is data there; one that was all holes is a hole there.
	 */
	if (m->fd < 0 && fresh) {
		unpopulate(m, off, popto > pos ? popto : pos);
		pos = off;
	}
	for (u = off; u < pos; u = (uint64_t)h) {
		if ((d = lseek(undo, (off_t)u, SEEK_DATA)) == -1 ||
		    (uint64_t)d > pos)
			d = (off_t)pos;
		else if ((uint64_t)d < u)
			d = (off_t)u;	/* the page holds bytes before off */
		if ((uint64_t)d > u && m->fd >= 0)
			unreserve(m->fd, u, (uint64_t)d - u);
		else if ((uint64_t)d > u)
			memset(p + u, 0, (size_t)((uint64_t)d - u));
		if ((uint64_t)d >= pos)
			break;
		if ((h = lseek(undo, d, SEEK_HOLE)) == -1 ||
		    (uint64_t)h > pos)
			h = (off_t)pos;
		if (m->fd >= 0) {
			opos = d;
			(void)copy_fd(undo, &opos, m->fd, &(off_t){ d },
			    (uint64_t)(h - d), false, &got);
		} else
			(void)pread(undo, p + d, (size_t)(h - d), d);
	}
	close(undo);
	errno = e;
	return -1;
}

/*
 * A pipe's input, held whole before anything is written: splice from the
 * input to pipes of this process moves the input's pages and copies
 * nothing, so input that fits costs one copy (into the object, as from a
 * file) and input that is too long leaves the object untouched, with no
 * undo either way.  The pages held are the pipe's, not this process's
 * memory; they are bounded by the room, by STAGE_FRACTION of the machine's
 * memory, and by what the kernel grants (a pipe per pipe-max-size, a
 * descriptor each).  Where that runs out, what is held is the start of the
 * input for from_stream.
 */
#define STAGE_FRACTION	8

struct stage {
	int		*fd;		/* read ends, in order */
	size_t		 n, alloc;
	int		 w;		/* write end of the last, or -1 */
	uint64_t	 len;		/* bytes held */
	bool		 eof;		/* the input ended */
	bool		 stopped;	/* no more room to hold it */
	bool		 raised;	/* RLIMIT_NOFILE raised from nofile */
	struct rlimit	 nofile;
};

static void
stage_free(struct stage *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++)
		close(st->fd[i]);
	if (st->w >= 0)
		close(st->w);
	free(st->fd);
	st->fd = NULL;
	st->n = 0;
	st->w = -1;
	if (st->raised)
		(void)setrlimit(RLIMIT_NOFILE, &st->nofile);
	st->raised = false;
}

/*
 * Out of descriptors: the soft limit goes up to the hard one while the
 * input is held (a shell's 1024 is 1 GiB in 1 MiB pipes), once; the
 * pipes are polled, never select()ed.  false if it cannot.
 */
static bool
stage_more_fds(struct stage *st)
{
	struct rlimit	rl;

	if (st->raised || getrlimit(RLIMIT_NOFILE, &st->nofile) == -1 ||
	    st->nofile.rlim_cur >= st->nofile.rlim_max)
		return false;
	rl.rlim_cur = rl.rlim_max = st->nofile.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		return false;
	st->raised = true;
	return true;
}

/* A new pipe to hold more; false (stopped) if none can be had. */
static bool
stage_grow(struct stage *st)
{
	int	 p[2], *a;

	if (st->n == st->alloc) {
		if ((a = reallocarray(st->fd, st->alloc ? st->alloc * 2 : 64,
		    sizeof *a)) == NULL)
			return false;
		st->fd = a;
		st->alloc = st->alloc ? st->alloc * 2 : 64;
	}
	if (pipe2(p, O_CLOEXEC) == -1 && (errno != EMFILE ||
	    !stage_more_fds(st) || pipe2(p, O_CLOEXEC) == -1))
		return false;
	/* each pipe as large as allowed: fewer descriptors */
	(void)fcntl(p[1], F_SETPIPE_SZ, SHM_CHUNK);
	st->fd[st->n++] = p[0];
	st->w = p[1];
	return true;
}

/* Holds up to room bytes of the pipe in; see above. */
static int
stage_fill(int in, uint64_t room, struct stage *st)
{
	uint64_t	max;
	ssize_t		n;
	int		avail, revents;

	max = (uint64_t)sysconf(_SC_PHYS_PAGES) *
	    (uint64_t)sysconf(_SC_PAGESIZE) / STAGE_FRACTION;
	if (room < max)
		max = room;
	while (st->len < max) {
		if (interrupted())
			return -1;
		if (st->w < 0 && !stage_grow(st)) {
			st->stopped = true;
			return 0;
		}
		if ((revents = ipc_wait_input(in, !no_undo)) == -1)
			return -1;
		n = splice(in, NULL, st->w, NULL, (size_t)(max - st->len >
		    SSIZE_MAX / 2 ? SSIZE_MAX / 2 : max - st->len),
		    SPLICE_F_NONBLOCK);
		if (n > 0) {
			st->len += (uint64_t)n;
			continue;
		}
		if (n == 0) {
			st->eof = true;
			break;
		}
		if (errno == EINTR && !interrupted())
			continue;
		if (errno != EAGAIN)
			return -1;
		/* bytes to move but no room for them: that pipe is full */
		if (ioctl(in, FIONREAD, &avail) == 0 && avail > 0) {
			close(st->w);
			st->w = -1;
		} else if (revents & POLLHUP) {
			st->eof = true;	/* nothing left, and no writer */
			break;
		}
	}
	if (st->w >= 0) {
		close(st->w);	/* its reader now ends where it does */
		st->w = -1;
	}
	if (!st->eof && st->len < room)
		st->stopped = true;	/* held all it may: from_stream */
	return 0;
}

/* true if [off, end) of the object holds no page yet (a fresh object) */
static bool
all_holes(const struct ipc_shm_map *m, uint64_t off)
{
	unsigned long long	 rss, swp;
	char			 line[512];
	FILE			*fp;
	off_t			 d;
	int			 id;
	bool			 r = false;

	if (m->fd >= 0) {
		switch (pages_of(m->fd, 0)) {
		case PAGES_NONE:
			return true;
		case PAGES_ALL:
			return false;
		case PAGES_SOME:
			break;
		}
		d = lseek(m->fd, (off_t)off, SEEK_DATA);
		return (d == -1 && errno == ENXIO) ||
		    (d != -1 && (uint64_t)d >= m->size);
	}
	/* a mapping: the kernel's count of the segment's pages */
	if (m->id < 0 || (fp = fopen("/proc/sysvipc/shm", "re")) == NULL)
		return false;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "%*d %d %*o %*u %*d %*d %*u %*u %*u %*u %*u "
		    "%*d %*d %*d %llu %llu", &id, &rss, &swp) == 3 &&
		    id == m->id) {
			r = rss == 0 && swp == 0;
			break;
		}
	fclose(fp);
	return r;
}

int
ipc_shm_from_fd(const struct ipc_shm_map *m, uint64_t off, int fd,
    uint64_t *written)
{
	struct stage	st = { .w = -1 };
	struct source	src = { .in = fd };
	struct stat	sb;
	off_t		cur;
	size_t		rgot;
	char		extra;
	bool		fresh;
	int		r, e;

	*written = 0;
	if (off > m->size) {
		errno = EFBIG;
		return -1;
	}
	if (fstat(fd, &sb) == -1)
		return -1;
	/* a file of st_size 0 may have content all the same (/proc) */
	if (S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    (cur = lseek(fd, 0, SEEK_CUR)) != -1) {
		if (cur > sb.st_size)
			cur = sb.st_size;
		if ((uint64_t)(sb.st_size - cur) > m->size - off) {
			errno = EFBIG;
			return -1;
		}
		no_undo = true;
		r = from_fds(m, off, &fd, 1, false, (uint64_t)(sb.st_size -
		    cur), written);
		no_undo = false;
		return r;
	}
	src.in_pipe = S_ISFIFO(sb.st_mode);
	/* a larger pipe: each splice moves more */
	if (src.in_pipe && m->size - off > 65536)
		(void)fcntl(fd, F_SETPIPE_SZ, SHM_CHUNK);
	/* into holes, straight in: the undo is to punch them again */
	fresh = all_holes(m, off);
	if (!src.in_pipe || fresh || off == m->size)
		return from_stream(m, off, &src, fresh && m->fd < 0, written);
	if (stage_fill(fd, m->size - off, &st) == -1)
		goto fail;
	if (!st.eof && !st.stopped) {
		/* the room is held: any more input is too much */
		if (read_full(fd, &extra, 1, &rgot) == -1)
			goto fail;
		if (rgot == 1) {
			errno = EFBIG;
			goto fail;
		}
		st.eof = true;
	}
	if (st.eof) {
		/* all of it, and it fits: written whole, as a file is */
		no_undo = true;
		r = from_fds(m, off, st.fd, st.n, true, st.len, written);
		no_undo = false;
	} else {
		src.fd = st.fd;
		src.n = st.n;
		r = from_stream(m, off, &src, false, written);
	}
	e = errno;
	stage_free(&st);
	errno = e;
	return r;
fail:
	e = errno;
	stage_free(&st);
	errno = e;
	return -1;
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
