/*
 * Times whole commands by wall clock, interleaved: each round runs every
 * command once, so a change in the machine's load touches all of them
 * alike.  Prints the median and mean microseconds of each.
 *
 * usage: spawn-time ROUNDS NAME CMD [ARGS...] \; NAME CMD [ARGS...] ...
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
	const char	 *name;
	char		**argv;
	double		 *us;
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
	struct cmd			 cmds[16];
	double				 sum;
	pid_t				 pid;
	long				 rounds;
	int				 i, n = 0, r, st;

	if (argc < 4 || (rounds = strtol(argv[1], NULL, 10)) <= 0)
		return 2;
	for (i = 2; i < argc && n < 16; ) {
		cmds[n].name = argv[i++];
		cmds[n].argv = &argv[i];
		while (i < argc && strcmp(argv[i], ";") != 0)
			i++;
		if (i < argc)
			argv[i++] = NULL;
		if ((cmds[n].us = calloc((size_t)rounds, sizeof(double))) == NULL)
			return 1;
		cmds[n].fails = 0;
		n++;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (posix_spawn(&pid, cmds[i].argv[0], &fa, NULL,
			    cmds[i].argv, environ) != 0)
				return 1;
			waitpid(pid, &st, 0);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				cmds[i].fails++;
			cmds[i].us[r] = (double)(t1.tv_sec - t0.tv_sec) * 1e6 +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
		}
	for (i = 0; i < n; i++) {
		for (sum = 0, r = 0; r < rounds; r++)
			sum += cmds[i].us[r];
		qsort(cmds[i].us, (size_t)rounds, sizeof(double), cmp);
		printf("%s %.1f %.1f %d\n", cmds[i].name,
		    cmds[i].us[rounds / 2], sum / (double)rounds, cmds[i].fails);
	}
	return 0;
}
