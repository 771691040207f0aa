/* SPDX-License-Identifier: ISC */
/*
 * Shared by the libFuzzer harnesses of tests/fuzz: the input as a C string,
 * as a command line would give it (argv holds no NUL: the first one ends it).
 */
#ifndef IPCTOOL_FUZZ_H
#define IPCTOOL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An option's argument is its own string: ASan sees any read past it. */
#define FUZZ_CHECK(c)	do { if (!(c)) abort(); } while (0)

#endif
