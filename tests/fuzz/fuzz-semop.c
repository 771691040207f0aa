/* SPDX-License-Identifier: ISC */
/* One INDEX:DELTA of `sem op`. */
#include "config.h"
#include <limits.h>
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	long long		 index, delta;
	char			*s;

	s = fuzz_str(data, size);
	if (parse_semop(s, &index, &delta, &e) == 0) {
		FUZZ_CHECK(index >= 0 && index <= USHRT_MAX);
		FUZZ_CHECK(delta >= INT_MIN && delta <= INT_MAX);
	}
	free(s);
	return 0;
}
