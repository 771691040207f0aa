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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/ipc.h"

/* A System V call on an id that does not exist fails with EINVAL. */
static int
no_such_id(void)
{
	if (errno == EINVAL)
		errno = ENOENT;
	return -1;
}

int
ipc_shm_open(const struct ipc_target *t, int *id)
{
	struct shmid_ds	ds;
	int		r;

	switch (t->kind) {
	case IPC_T_ID:
		if (shmctl(t->id, IPC_STAT, &ds) == -1)
			return no_such_id();
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
		return no_such_id();
	return 0;
}

static int
pshm_path(const char *name, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", IPC_SHM_DIR, name + 1) >=
	    len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
ipc_pshm_stat(const char *name, struct ipc_posix_stat *st)
{
	struct stat	sb;
	char		path[PATH_MAX];

	if (pshm_path(name, path, sizeof path) == -1 || stat(path, &sb) == -1)
		return -1;
	st->size = sb.st_size;
	st->uid = sb.st_uid;
	st->gid = sb.st_gid;
	st->mode = sb.st_mode & 07777;
	st->mtime = sb.st_mtim;
	st->ctime = sb.st_ctim;
	st->atime = sb.st_atim;
	return 0;
}

int
ipc_pshm_unlink(const char *name)
{
	return shm_unlink(name);
}
