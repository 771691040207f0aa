/* SPDX-License-Identifier: ISC */
/*
 * Test shim (LD_PRELOAD): a kernel without SEM_STAT_ANY, SHM_STAT_ANY and
 * MSG_STAT_ANY (Linux < 4.17, qemu-user), which fail with EINVAL there.
 */
#define _GNU_SOURCE		/* RTLD_NEXT */
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>

union semun_shim {
	int		 val;
	void		*ptr;
};

int
semctl(int id, int num, int cmd, ...)
{
	static int	(*real)(int, int, int, ...);
	union semun_shim arg;
	va_list		 ap;

	va_start(ap, cmd);
	arg = va_arg(ap, union semun_shim);
	va_end(ap);
	if (cmd == 20) {	/* SEM_STAT_ANY */
		errno = EINVAL;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, int, int, ...))dlsym(RTLD_NEXT, "semctl");
	return real(id, num, cmd, arg);
}

int
shmctl(int id, int cmd, struct shmid_ds *buf)
{
	static int	(*real)(int, int, struct shmid_ds *);

	if (cmd == 15) {	/* SHM_STAT_ANY */
		errno = EINVAL;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, int, struct shmid_ds *))dlsym(RTLD_NEXT, "shmctl");
	return real(id, cmd, buf);
}

int
msgctl(int id, int cmd, struct msqid_ds *buf)
{
	static int	(*real)(int, int, struct msqid_ds *);

	if (cmd == 13) {	/* MSG_STAT_ANY */
		errno = EINVAL;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, int, struct msqid_ds *))dlsym(RTLD_NEXT, "msgctl");
	return real(id, cmd, buf);
}
