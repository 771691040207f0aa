/* SPDX-License-Identifier: ISC */
/*
 * bench/floor-shm: the fewest syscalls for each way bench/shm moves bytes
 * into or out of shared memory; the floor ipctool is measured against.
 *
 *   floor-shm METHOD w|r TARGET		(stdin -> TARGET, TARGET -> stdout)
 *
 * TARGET is a file (a POSIX object: /dev/shm/NAME) or id:SHMID (a System V
 * segment: METHOD map works through shmat, the others through
 * /proc/self/map_files, which needs CAP_SYS_ADMIN).  METHOD:
 *   cfr	copy_file_range (stdin a regular file, or stdout one)
 *   sendfile	sendfile (read only: to any stdout)
 *   splice	splice (stdin or stdout a pipe)
 *   rw		read/write with a 1 MiB buffer, pwrite/pread at the offset
 *   map	shmat/mmap, one MADV_POPULATE_*, then read(2) into it or
 *		write(2) from it
 *   stage	(write, stdin a pipe) all or nothing, as ipctool: the whole
 *		input held in pipes of its own first (splice pipe to pipe
 *		moves pages, copies nothing), one byte more is too long, then
 *		spliced into the file at the offset
 *   mapstage	stage, then one MADV_POPULATE_WRITE and read(2) from the
 *		pipes into the mapping
 * Build: cc -O2 -o floor-shm floor-shm.c
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1 << 20)

static char	buf[CHUNK];
static int	held[65536];

/* Holds up to size bytes of stdin in pipes; the count of pipes. */
static int
stage(size_t size, size_t *len)
{
	struct pollfd	pfd = { .fd = 0, .events = POLLIN };
	ssize_t		n;
	int		p[2], w = -1, np = 0, avail;
	char		c;

	*len = 0;
	while (*len < size) {
		if (w < 0) {
			if (np == 65536 || pipe(p) == -1)
				errx(1, "out of pipes");
			(void)fcntl(p[1], F_SETPIPE_SZ, CHUNK);
			held[np++] = p[0];
			w = p[1];
		}
		if (poll(&pfd, 1, -1) == -1)
			err(1, "poll");
		n = splice(0, NULL, w, NULL, size - *len, SPLICE_F_NONBLOCK);
		if (n > 0)
			*len += (size_t)n;
		else if (n == 0)
			break;
		else if (errno != EAGAIN)
			err(1, "splice");
		else if (ioctl(0, FIONREAD, &avail) == 0 && avail > 0) {
			close(w);
			w = -1;
		} else if (pfd.revents & POLLHUP)
			break;
	}
	if (w >= 0)
		close(w);
	if (*len == size && read(0, &c, 1) == 1)
		errx(6, "too long");
	return np;
}

int
main(int argc, char **argv)
{
	struct stat	 sb;
	const char	*how, *dir, *tgt;
	char		 path[64], *p = NULL;
	size_t		 size;
	loff_t		 off = 0;
	ssize_t		 n = 0, w;
	int		 fd = -1, id = -1, wr;

	if (argc != 4)
		errx(2, "usage: floor-shm METHOD w|r TARGET");
	how = argv[1];
	dir = argv[2];
	tgt = argv[3];
	wr = dir[0] == 'w';
	if (strncmp(tgt, "id:", 3) == 0) {
		struct shmid_ds	ds;

		id = atoi(tgt + 3);
		if (shmctl(id, IPC_STAT, &ds) == -1)
			err(1, "shmctl");
		size = ds.shm_segsz;
		if ((p = shmat(id, NULL, wr ? 0 : SHM_RDONLY)) == (void *)-1)
			err(1, "shmat");
		if (strncmp(how, "map", 3) != 0) {
			snprintf(path, sizeof path,
			    "/proc/self/map_files/%lx-%lx", (unsigned long)p,
			    (unsigned long)p + ((size + 4095) & ~4095UL));
			if ((fd = open(path, wr ? O_RDWR : O_RDONLY)) == -1)
				err(1, "%s", path);
		}
	} else {
		if ((fd = open(tgt, wr ? O_RDWR : O_RDONLY)) == -1)
			err(1, "%s", tgt);
		if (fstat(fd, &sb) == -1)
			err(1, "fstat");
		size = (size_t)sb.st_size;
		if (strncmp(how, "map", 3) == 0 && (p = mmap(NULL, size, PROT_READ |
		    (wr ? PROT_WRITE : 0), MAP_SHARED, fd, 0)) == MAP_FAILED)
			err(1, "mmap");
	}
	/* the pipe on either side as large as ipctool makes it */
	if ((size_t)CHUNK < size)
		(void)fcntl(wr ? 0 : 1, F_SETPIPE_SZ, CHUNK);
	if (strcmp(how, "map") == 0) {
		(void)madvise(p, size, wr ? MADV_POPULATE_WRITE :
		    MADV_POPULATE_READ);
		while ((size_t)off < size) {
			n = wr ? read(0, p + off, size - (size_t)off) :
			    write(1, p + off, size - (size_t)off);
			if (n <= 0)
				break;
			off += n;
		}
	} else if (strcmp(how, "stage") == 0 || strcmp(how, "mapstage") == 0) {
		size_t	len;
		int	i, np;

		np = stage(size, &len);
		if (how[0] == 'm')
			(void)madvise(p, len, MADV_POPULATE_WRITE);
		for (i = 0; i < np; i++)
			while ((n = how[0] == 'm' ? read(held[i], p + off,
			    size - (size_t)off) : splice(held[i], NULL, fd, &off,
			    size - (size_t)off, 0)) > 0)
				if (how[0] == 'm')
					off += n;
	} else if (strcmp(how, "cfr") == 0) {
		while ((size_t)off < size && (n = wr ?
		    copy_file_range(0, NULL, fd, &off, size - (size_t)off, 0) :
		    copy_file_range(fd, &off, 1, NULL, size - (size_t)off, 0))
		    > 0)
			;
	} else if (strcmp(how, "sendfile") == 0) {
		/* written at the file position: 0 here */
		while ((size_t)off < size && (n = wr ? sendfile(fd, 0, NULL,
		    size - (size_t)off) : sendfile(1, fd, &off,
		    size - (size_t)off)) > 0)
			if (wr)
				off += n;
	} else if (strcmp(how, "splice") == 0) {
		while ((size_t)off < size && (n = wr ?
		    splice(0, NULL, fd, &off, size - (size_t)off, 0) :
		    splice(fd, &off, 1, NULL, size - (size_t)off, 0)) > 0)
			;
	} else if (strcmp(how, "rw") == 0) {
		while ((size_t)off < size) {
			n = size - (size_t)off < CHUNK ? size - (size_t)off :
			    CHUNK;
			n = wr ? read(0, buf, (size_t)n) : pread(fd, buf,
			    (size_t)n, off);
			if (n <= 0)
				break;
			w = wr ? pwrite(fd, buf, (size_t)n, off) : write(1, buf,
			    (size_t)n);
			if (w != n)
				err(1, "write");
			off += n;
		}
	} else
		errx(2, "%s: unknown method", how);
	if (n == -1)
		err(1, "%s", how);
	return 0;
}
