/* SPDX-License-Identifier: ISC */
/*
 * strtonum, strlcpy, strlcat, arc4random and reallocarray for C libraries
 * without them, when libbsd is not used (musl, or a libbsd built for
 * another libc).  Each is compiled only where configure did not find it;
 * the semantics are those of the OpenBSD manual pages.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#ifndef HAVE_STRTONUM
long long
strtonum(const char *s, long long min, long long max, const char **errstr)
{
	const char	*why = NULL;
	char		*end;
	long long	 v = 0;
	int		 saved = errno;

	if (min > max) {
		why = "invalid";
		errno = EINVAL;
	} else {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (end == s || *end != '\0') {
			why = "invalid";
			errno = EINVAL;
		} else if ((v == LLONG_MIN && errno == ERANGE) || v < min) {
			why = "too small";
			errno = ERANGE;
		} else if ((v == LLONG_MAX && errno == ERANGE) || v > max) {
			why = "too large";
			errno = ERANGE;
		} else
			errno = saved;
	}
	if (errstr != NULL)
		*errstr = why;
	return why != NULL ? 0 : v;
}
#endif

#ifndef HAVE_STRLCPY
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t	n = strlen(src);

	if (size > 0) {
		size_t	c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
#endif

#ifndef HAVE_STRLCAT
size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t	d = strnlen(dst, size);

	if (d == size)
		return size + strlen(src);
	return d + strlcpy(dst + d, src, size - d);
}
#endif

#ifndef HAVE_REALLOCARRAY
void *
reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}
#endif

#ifndef HAVE_ARC4RANDOM
/* Reads 4 bytes from the kernel's generator; like arc4random, it cannot
 * fail: without any source of randomness the process aborts. */
uint32_t
arc4random(void)
{
	uint32_t	 v;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

#ifdef HAVE_GETRANDOM
	while (got < sizeof v) {
		n = getrandom((char *)&v + got, sizeof v - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == sizeof v)
		return v;
	got = 0;
#endif
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		abort();
	while (got < sizeof v) {
		n = read(fd, (char *)&v + got, sizeof v - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort();
		got += (size_t)n;
	}
	(void)close(fd);
	return v;
}
#endif
