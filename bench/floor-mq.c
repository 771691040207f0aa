/* SPDX-License-Identifier: ISC */
/*
 * The floor for bench/mq: raw msgsnd/msgrcv with nothing around them.
 *	floor-mq send ID FILE	each line of FILE one message (read whole)
 *	floor-mq recv ID N	N messages, written to stdout with a newline
 */
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg {
	long	mtype;
	char	mtext[8192];
};

int
main(int argc, char **argv)
{
	static struct msg	 m;
	static char		 obuf[1 << 18];
	FILE			*f;
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 n;
	long			 i, count;
	int			 id;

	if (argc != 4)
		return 2;
	id = atoi(argv[2]);
	if (strcmp(argv[1], "send") == 0) {
		if ((f = fopen(argv[3], "r")) == NULL)
			return 1;
		m.mtype = 1;
		while ((n = getline(&line, &cap, f)) > 0) {
			if (line[n - 1] == '\n')
				n--;
			memcpy(m.mtext, line, (size_t)n);
			if (msgsnd(id, &m, (size_t)n, 0) == -1)
				return 1;
		}
		return 0;
	}
	count = atol(argv[3]);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	for (i = 0; i < count; i++) {
		if ((n = msgrcv(id, &m, sizeof m.mtext, 0, 0)) == -1)
			return 1;
		m.mtext[n] = '\n';
		fwrite(m.mtext, 1, (size_t)n + 1, stdout);
	}
	return fflush(stdout) != 0;
}
