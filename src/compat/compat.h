/* SPDX-License-Identifier: ISC */
/*
 * The BSD functions ipctool uses beyond C11 and POSIX, declared when
 * libbsd is not used and the C library lacks them (src/compat/compat.c
 * defines them).  config.h includes this file, so every source sees it.
 */
#ifndef IPCTOOL_COMPAT_H
#define IPCTOOL_COMPAT_H

#ifndef HAVE_LIBBSD
#include <stddef.h>
#include <stdint.h>

#ifndef HAVE_STRTONUM
long long	strtonum(const char *, long long, long long, const char **);
#endif
#ifndef HAVE_STRLCPY
size_t		strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t		strlcat(char *, const char *, size_t);
#endif
#ifndef HAVE_ARC4RANDOM
uint32_t	arc4random(void);
#endif
#ifndef HAVE_REALLOCARRAY
void		*reallocarray(void *, size_t, size_t);
#endif
#endif /* !HAVE_LIBBSD */

#endif /* IPCTOOL_COMPAT_H */
