/* SPDX-License-Identifier: ISC */
/* A System V key: never 0, never wrapped, round-trips through 0x%08x. */
#include "config.h"
#include <stdio.h>
#include "ipctool.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*why = NULL;
	char		*s, buf[11];
	key_t		 k, k2;

	s = fuzz_str(data, size);
	if (parse_key(s, &k, &why) == 0) {
		FUZZ_CHECK(k != 0);
		snprintf(buf, sizeof buf, "0x%08x", (unsigned int)k);
		FUZZ_CHECK(parse_key(buf, &k2, &why) == 0 && k2 == k);
	} else
		FUZZ_CHECK(why != NULL);
	free(s);
	return 0;
}
