/* SPDX-License-Identifier: ISC */
/*
 * Kernel IPC limits and their current use: /proc/sys first, the *_INFO
 * control calls when /proc is not there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/statvfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ipc.h"

/* Reads up to n unsigned numbers from a /proc file; returns how many. */
static int
read_nums(const char *path, unsigned long long *v, int n)
{
	char	buf[256], *p, *end;
	ssize_t	len;
	int	fd, i;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (i = 0, p = buf; i < n; i++, p = end) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno != 0)
			break;
	}
	return i;
}

static unsigned long long
proc_num(const char *path, unsigned long long fallback, bool *ok)
{
	unsigned long long	v;

	if (read_nums(path, &v, 1) == 1) {
		*ok = true;
		return v;
	}
	*ok = fallback != 0;
	return fallback;
}

static void
add(struct ipc_limit *lim, size_t max, size_t *n, const char *name,
    const char *desc, const char *unit, bool has_limit,
    unsigned long long limit, bool has_used, unsigned long long used)
{
	if (*n >= max)
		return;
	lim[*n] = (struct ipc_limit){ name, desc, unit, has_limit, has_used,
	    limit, used };
	(*n)++;
}

static long
count_dir(const char *path)
{
	struct dirent	*d;
	DIR		*dir;
	long		 n = 0;

	if (path == NULL || (dir = opendir(path)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

size_t
ipc_limits(struct ipc_limit *lim, size_t max)
{
	struct seminfo		 si;
	struct shminfo		 shi;
	struct shm_info		 shu;
	struct msginfo		 mi, mu;
	struct statvfs		 vfs;
	union semun		 arg;
	unsigned long long	 sem[4], v;
	bool			 have_si, have_shi, have_shu, have_mi, have_mu;
	bool			 have_su, ok;
	struct seminfo		 su;
	size_t			 n = 0;
	long			 queues;

	memset(&si, 0, sizeof si);
	arg.__buf = &si;
	have_si = semctl(0, 0, IPC_INFO, arg) != -1;
	memset(&su, 0, sizeof su);
	arg.__buf = &su;
	have_su = semctl(0, 0, SEM_INFO, arg) != -1;
	memset(&shi, 0, sizeof shi);
	have_shi = shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&shi) != -1;
	memset(&shu, 0, sizeof shu);
	have_shu = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shu) != -1;
	memset(&mi, 0, sizeof mi);
	have_mi = msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi) != -1;
	memset(&mu, 0, sizeof mu);
	have_mu = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mu) != -1;

	/* System V message queues */
	v = proc_num("/proc/sys/kernel/msgmni", have_mi ? mi.msgmni : 0, &ok);
	add(lim, max, &n, "MSGMNI", "Number of message queues", NULL, ok, v,
	    have_mu, (unsigned long long)mu.msgpool);
	v = proc_num("/proc/sys/kernel/msgmax", have_mi ? mi.msgmax : 0, &ok);
	add(lim, max, &n, "MSGMAX", "Max size of message", "bytes", ok, v,
	    false, 0);
	v = proc_num("/proc/sys/kernel/msgmnb", have_mi ? mi.msgmnb : 0, &ok);
	add(lim, max, &n, "MSGMNB", "Default max size of queue", "bytes", ok,
	    v, false, 0);
	add(lim, max, &n, "MSGS", "Messages queued now", NULL, false, 0,
	    have_mu, (unsigned long long)mu.msgmap);
	add(lim, max, &n, "MSGBYTES", "Bytes queued now", "bytes", false, 0,
	    have_mu, (unsigned long long)mu.msgtql);

	/* System V shared memory */
	v = proc_num("/proc/sys/kernel/shmmni", have_shi ? shi.shmmni : 0, &ok);
	add(lim, max, &n, "SHMMNI", "Shared memory segments", NULL, ok, v,
	    have_shu, (unsigned long long)shu.used_ids);
	v = proc_num("/proc/sys/kernel/shmall", have_shi ? shi.shmall : 0, &ok);
	add(lim, max, &n, "SHMALL", "Shared memory pages", "pages", ok, v,
	    have_shu, (unsigned long long)shu.shm_tot);
	v = proc_num("/proc/sys/kernel/shmmax", have_shi ? shi.shmmax : 0, &ok);
	add(lim, max, &n, "SHMMAX", "Max size of shared memory segment",
	    "bytes", ok, v, false, 0);
	add(lim, max, &n, "SHMMIN", "Min size of shared memory segment",
	    "bytes", true, have_shi && shi.shmmin ? shi.shmmin : 1, false, 0);

	/* System V semaphores: "SEMMSL SEMMNS SEMOPM SEMMNI" */
	ok = read_nums("/proc/sys/kernel/sem", sem, 4) == 4;
	if (!ok && have_si) {
		sem[0] = (unsigned long long)si.semmsl;
		sem[1] = (unsigned long long)si.semmns;
		sem[2] = (unsigned long long)si.semopm;
		sem[3] = (unsigned long long)si.semmni;
		ok = true;
	}
	add(lim, max, &n, "SEMMNI", "Number of semaphore identifiers", NULL,
	    ok, sem[3], have_su, (unsigned long long)su.semusz);
	add(lim, max, &n, "SEMMNS", "Total number of semaphores", NULL, ok,
	    sem[1], have_su, (unsigned long long)su.semaem);
	add(lim, max, &n, "SEMMSL", "Max semaphores per semaphore set", NULL,
	    ok, sem[0], false, 0);
	add(lim, max, &n, "SEMOPM", "Max number of operations per semop(2)",
	    NULL, ok, sem[2], false, 0);
	add(lim, max, &n, "SEMVMX", "Semaphore max value", NULL, true,
	    have_si && si.semvmx ? (unsigned long long)si.semvmx : SEMVMX,
	    false, 0);

	/* POSIX message queues */
	queues = count_dir(ipc_mqueue_dir());
	v = proc_num("/proc/sys/fs/mqueue/queues_max", 0, &ok);
	add(lim, max, &n, "MQ_QUEUES_MAX", "POSIX message queues", NULL, ok, v,
	    queues >= 0, queues >= 0 ? (unsigned long long)queues : 0);
	v = proc_num("/proc/sys/fs/mqueue/msg_max", 0, &ok);
	add(lim, max, &n, "MQ_MSG_MAX", "Max messages per POSIX queue", NULL,
	    ok, v, false, 0);
	v = proc_num("/proc/sys/fs/mqueue/msgsize_max", 0, &ok);
	add(lim, max, &n, "MQ_MSGSIZE_MAX", "Max size of a POSIX message",
	    "bytes", ok, v, false, 0);
	v = proc_num("/proc/sys/fs/mqueue/msg_default", 0, &ok);
	add(lim, max, &n, "MQ_MSG_DEFAULT", "Default max messages per queue",
	    NULL, ok, v, false, 0);
	v = proc_num("/proc/sys/fs/mqueue/msgsize_default", 0, &ok);
	add(lim, max, &n, "MQ_MSGSIZE_DEFAULT", "Default max message size",
	    "bytes", ok, v, false, 0);
	add(lim, max, &n, "MQ_PRIO_MAX", "Number of POSIX message priorities",
	    NULL, true, (unsigned long long)sysconf(_SC_MQ_PRIO_MAX), false,
	    0);

	/* the unit of shared memory sizes and of SHMALL */
	add(lim, max, &n, "PAGE_SIZE", "Memory page size", "bytes", true,
	    (unsigned long long)sysconf(_SC_PAGESIZE), false, 0);

	/* POSIX semaphores and shared memory */
	add(lim, max, &n, "SEM_VALUE_MAX", "POSIX semaphore max value", NULL,
	    true, SEM_VALUE_MAX, false, 0);
	ok = ipc_shm_dir() != NULL && statvfs(ipc_shm_dir(), &vfs) == 0;
	add(lim, max, &n, "SHM_FS_SIZE", "Size of " IPC_SHM_DIR, "bytes", ok,
	    ok ? (unsigned long long)vfs.f_blocks * vfs.f_frsize : 0, ok,
	    ok ? (unsigned long long)(vfs.f_blocks - vfs.f_bfree) *
	    vfs.f_frsize : 0);
	return n;
}
