/* SPDX-License-Identifier: ISC */
/*
 * The process-start floor for bench/sem: semget + semop and nothing else.
 * usage: floor-sem KEY +1|-1
 */
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include <stdlib.h>

int
main(int argc, char **argv)
{
	struct sembuf	op;
	int		id;

	if (argc != 3)
		return 2;
	if ((id = semget((key_t)strtoul(argv[1], NULL, 0), 0, 0)) == -1)
		return 3;
	op.sem_num = 0;
	op.sem_op = (short)atoi(argv[2]);
	op.sem_flg = IPC_NOWAIT;
	return semop(id, &op, 1) == -1;
}
