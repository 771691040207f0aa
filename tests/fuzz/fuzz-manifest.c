/* SPDX-License-Identifier: ISC */
/*
 * A manifest line ("KIND TARGET", the name \xHH-escaped), as rm --manifest
 * reads it: any bytes, NULs and newlines included.  A line parsed is
 * written back with name_escape and must parse to the same KIND and TARGET.
 */
#include "config.h"
#include "ipctool.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*kind = NULL, *kind2 = NULL, *why = NULL;
	char		*line, *target = NULL, *target2 = NULL, *again;
	size_t		 n, k, cap;
	int		 r;

	/* a copy of exactly size bytes: ASan sees a read past the line */
	if ((line = malloc(size + 1)) == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = '\0';
	r = manifest_parse_line(line, size, &kind, &target, &why);
	FUZZ_CHECK(r == 1 || r == 0 || r == -2);
	if (r == -2)
		FUZZ_CHECK(why != NULL && *why != '\0');
	if (r == 1) {
		FUZZ_CHECK(strcmp(kind, "sem") == 0 ||
		    strcmp(kind, "shm") == 0 || strcmp(kind, "mq") == 0);
		FUZZ_CHECK(target[0] != '\0');
		n = strlen(target);
		cap = strlen(kind) + 1 + 4 * n + 2;
		if ((again = malloc(cap)) == NULL)
			abort();
		k = (size_t)snprintf(again, cap, "%s ", kind);
		k += name_escape(target, n, again + k);
		again[k++] = '\n';
		again[k] = '\0';
		r = manifest_parse_line(again, k, &kind2, &target2, &why);
		FUZZ_CHECK(r == 1 && strcmp(kind2, kind) == 0 &&
		    strcmp(target2, target) == 0);
		free(again);
	}
	free(line);
	return 0;
}
