/* SPDX-License-Identifier: ISC */
/*
 * Test helper: a real process blocked on a POSIX object, for WAITERS.
 *	waiter sem NAME		sem_wait on the named semaphore
 *	waiter receive NAME	mq_receive on an (empty) queue
 *	waiter send NAME	fills the queue, then blocks in mq_send
 * Blocks until killed, or 60 s at most.
 */
#include <sys/types.h>

#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct timespec *
deadline(struct timespec *ts)
{
	if (clock_gettime(CLOCK_REALTIME, ts) == -1)
		err(1, "clock_gettime");
	ts->tv_sec += 60;
	return ts;
}

int
main(int argc, char **argv)
{
	struct timespec	 ts;
	struct mq_attr	 at;
	sem_t		*s;
	mqd_t		 q;
	char		*buf;

	if (argc != 3)
		errx(2, "usage: waiter sem|receive|send NAME");
	if (strcmp(argv[1], "sem") == 0) {
		if ((s = sem_open(argv[2], 0)) == SEM_FAILED)
			err(1, "sem_open %s", argv[2]);
		if (sem_timedwait(s, deadline(&ts)) == -1)
			err(1, "sem_timedwait");
		return 0;
	}
	if ((q = mq_open(argv[2], O_RDWR)) == (mqd_t)-1)
		err(1, "mq_open %s", argv[2]);
	if (mq_getattr(q, &at) == -1)
		err(1, "mq_getattr");
	if ((buf = calloc(1, (size_t)at.mq_msgsize)) == NULL)
		err(1, "calloc");
	if (strcmp(argv[1], "receive") == 0) {
		if (mq_timedreceive(q, buf, (size_t)at.mq_msgsize, NULL,
		    deadline(&ts)) == -1)
			err(1, "mq_timedreceive");
		return 0;
	}
	if (strcmp(argv[1], "send") != 0)
		errx(2, "%s: not sem, receive or send", argv[1]);
	for (;;)	/* the last one blocks: the queue is full */
		if (mq_timedsend(q, buf, 1, 0, deadline(&ts)) == -1)
			err(1, "mq_timedsend");
}
