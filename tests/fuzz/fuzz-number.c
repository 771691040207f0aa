/* SPDX-License-Identifier: ISC */
/* Plain numbers in a range (-n, -v, -i, -d, -E, INDEX, ...) and --fill BYTE. */
#include "config.h"
#include <limits.h>
#include <stdio.h>
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

static const long long ranges[][2] = {
	{ 0, 255 }, { 1, 65535 }, { -32767, 32767 }, { INT_MIN, INT_MAX },
	{ 0, UINT32_MAX - 1 }, { LLONG_MIN, LLONG_MAX }, { 1, 1 },
	{ 0, LLONG_MAX },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	long long		 v, min, max;
	char			*s, buf[32];
	int			 b;

	if (size < 1)
		return 0;
	min = ranges[data[0] % (sizeof ranges / sizeof ranges[0])][0];
	max = ranges[data[0] % (sizeof ranges / sizeof ranges[0])][1];
	s = fuzz_str(data + 1, size - 1);
	if (parse_num("-n", s, min, max, &v, &e) == 0) {
		FUZZ_CHECK(v >= min && v <= max);
		snprintf(buf, sizeof buf, "%lld", v);
		FUZZ_CHECK(parse_num("-n", buf, min, max, &v, &e) == 0);
	}
	if (parse_byte("--fill", s, &b, &e) == 0)
		FUZZ_CHECK(b >= 0 && b <= 255);
	free(s);
	return 0;
}
