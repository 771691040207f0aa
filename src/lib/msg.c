/*
 * Message queues: System V queues and POSIX message queues.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>

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
ipc_msg_open(const struct ipc_target *t, int *id)
{
	struct msqid_ds	ds;
	int		r;

	switch (t->kind) {
	case IPC_T_ID:
		if (msgctl(t->id, IPC_STAT, &ds) == -1)
			return no_such_id();
		*id = t->id;
		return 0;
	case IPC_T_KEY:
		if ((r = msgget(t->key, 0)) == -1)
			return -1;
		*id = r;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int
ipc_msg_remove(int id)
{
	if (msgctl(id, IPC_RMID, NULL) == -1)
		return no_such_id();
	return 0;
}

int
ipc_pmq_exists(const char *name)
{
	mqd_t	q;

	/* O_PATH-like probe: a queue we may not read still exists */
	if ((q = mq_open(name, O_RDONLY)) == (mqd_t)-1)
		return errno == EACCES ? 0 : -1;
	mq_close(q);
	return 0;
}

int
ipc_pmq_unlink(const char *name)
{
	return mq_unlink(name);
}
