/* SPDX-License-Identifier: ISC */
/*
 * bench/floor-ns: the floor of `ipctool list -A`: for every PID given,
 * join its IPC namespace and read /proc/sysvipc/{sem,shm,msg} to the end,
 * nothing parsed or printed.  Usage: floor-ns PID...
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static const char *const files[] = {
		"/proc/sysvipc/sem", "/proc/sysvipc/shm", "/proc/sysvipc/msg"
	};
	char	path[64], buf[65536];
	int	i, j, fd;

	for (i = 1; i < argc; i++) {
		snprintf(path, sizeof path, "/proc/%s/ns/ipc", argv[i]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
		    setns(fd, CLONE_NEWIPC) == -1)
			err(1, "%s", path);
		close(fd);
		for (j = 0; j < 3; j++) {
			if ((fd = open(files[j], O_RDONLY | O_CLOEXEC)) == -1)
				err(1, "%s", files[j]);
			while (read(fd, buf, sizeof buf) > 0)
				;
			close(fd);
		}
	}
	return 0;
}
