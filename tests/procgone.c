/* SPDX-License-Identifier: ISC */
/*
 * Test shim (LD_PRELOAD): the process IPCTOOL_TEST_GONE_PID is reaped
 * between the open of its /proc/PID/fd and the fstat that fdopendir does,
 * which then fails with ENOENT (Linux 6.2 and later count a reaped
 * process's descriptors for st_size, and find none).
 */
#define _GNU_SOURCE		/* RTLD_NEXT */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DIR *
fdopendir(int fd)
{
	static DIR	*(*real)(int);
	const char	*pid = getenv("IPCTOOL_TEST_GONE_PID");
	char		 link[64], want[64], path[128];
	ssize_t		 n;

	if (real == NULL)
		real = (DIR *(*)(int))dlsym(RTLD_NEXT, "fdopendir");
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if (pid != NULL && (n = readlink(link, path, sizeof path - 1)) > 0) {
		path[n] = '\0';
		snprintf(want, sizeof want, "/proc/%s/fd", pid);
		if (strcmp(path, want) == 0) {
			errno = ENOENT;
			return NULL;
		}
	}
	return real(fd);
}
