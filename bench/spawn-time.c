/* SPDX-License-Identifier: ISC */
/*
 * Times whole commands by wall clock, interleaved: each round runs every
 * command once, so a change in the machine's load touches all of them
 * alike, in an order shuffled anew each round (a fixed seed), so that no
 * command always runs right after the same other one (a holder process
 * that one command leaves behind ends while the next one runs).  Prints the median and mean
 * wall microseconds of each, and the median CPU microseconds (user +
 * system) and minor page faults of the processes it waited for (wait4: a
 * holder that a command leaves running is not counted).
 *
 * usage: spawn-time ROUNDS NAME CMD [ARGS...] \; NAME CMD [ARGS...] ...
 * A `+` word inside one NAME's words separates commands that run one
 * after the other and are timed together (a pair: acquire + release).
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SEQ_MAX	4

struct cmd {
	const char	 *name;
	char		**argv[SEQ_MAX];
	int		  nseq;
	double		 *us;
	double		 *cpu;
	double		 *flt;
	int		  fails;
};

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t	 fa;
	struct timespec			 t0, t1;
	struct rusage			 ru;
	double				 cpu, flt;
	struct cmd			 cmds[16];
	int				 ord[16];
	double				 sum;
	pid_t				 pid;
	long				 rounds;
	int				 i, j, k, n = 0, r, st, ok;

	if (argc < 4 || (rounds = strtol(argv[1], NULL, 10)) <= 0)
		return 2;
	for (i = 2; i < argc && n < 16; ) {
		cmds[n].name = argv[i++];
		cmds[n].argv[0] = &argv[i];
		cmds[n].nseq = 1;
		while (i < argc && strcmp(argv[i], ";") != 0) {
			if (strcmp(argv[i], "+") == 0) {
				if (cmds[n].nseq == SEQ_MAX)
					return 2;
				argv[i] = NULL;
				cmds[n].argv[cmds[n].nseq++] = &argv[i + 1];
			}
			i++;
		}
		if (i < argc)
			argv[i++] = NULL;
		if ((cmds[n].us = calloc((size_t)rounds, sizeof(double))) == NULL ||
		    (cmds[n].cpu = calloc((size_t)rounds, sizeof(double))) == NULL ||
		    (cmds[n].flt = calloc((size_t)rounds, sizeof(double))) == NULL)
			return 1;
		cmds[n].fails = 0;
		n++;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < n; i++)
		ord[i] = i;
	srandom(1);
	for (r = 0; r < rounds; r++) {
		for (k = n - 1; k > 0; k--) {	/* Fisher-Yates */
			j = (int)(random() % (k + 1));
			i = ord[k];
			ord[k] = ord[j];
			ord[j] = i;
		}
		for (k = 0; k < n; k++) {
			i = ord[k];
			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (cpu = flt = 0, ok = 1, j = 0; j < cmds[i].nseq;
			    j++) {
				if (posix_spawn(&pid, cmds[i].argv[j][0], &fa,
				    NULL, cmds[i].argv[j], environ) != 0)
					return 1;
				if (wait4(pid, &st, 0, &ru) != pid)
					return 1;
				cpu += (double)(ru.ru_utime.tv_sec +
				    ru.ru_stime.tv_sec) * 1e6 +
				    (double)(ru.ru_utime.tv_usec +
				    ru.ru_stime.tv_usec);
				flt += (double)ru.ru_minflt;
				if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
					ok = 0;
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (!ok)
				cmds[i].fails++;
			cmds[i].us[r] = (double)(t1.tv_sec - t0.tv_sec) * 1e6 +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
			cmds[i].cpu[r] = cpu;
			cmds[i].flt[r] = flt;
		}
	}
	for (i = 0; i < n; i++) {
		for (sum = 0, r = 0; r < rounds; r++)
			sum += cmds[i].us[r];
		qsort(cmds[i].us, (size_t)rounds, sizeof(double), cmp);
		qsort(cmds[i].cpu, (size_t)rounds, sizeof(double), cmp);
		qsort(cmds[i].flt, (size_t)rounds, sizeof(double), cmp);
		printf("%s %.1f %.1f %d %.1f %.0f\n", cmds[i].name,
		    cmds[i].us[rounds / 2], sum / (double)rounds, cmds[i].fails,
		    cmds[i].cpu[rounds / 2], cmds[i].flt[rounds / 2]);
	}
	return 0;
}
