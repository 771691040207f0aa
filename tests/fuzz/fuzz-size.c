/* SPDX-License-Identifier: ISC */
/* SIZE, OFFSET, COUNT and byte limits: N[K|M|G], in [min, max], no wrap. */
#include "config.h"
#include <limits.h>
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	unsigned long long	 v, min, max;
	char			*s;

	if (size < 1)
		return 0;
	min = data[0] & 1;
	max = data[0] & 2 ? ULLONG_MAX : (1ULL << (data[0] >> 2));
	s = fuzz_str(data + 1, size - 1);
	if (parse_size("-s", s, min, max, &v, &e) == 0)
		FUZZ_CHECK(v >= min && v <= max);
	free(s);
	return 0;
}
