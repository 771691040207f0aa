/* SPDX-License-Identifier: ISC */
/* SECS (decimals, -t) and DURATION (N[s|m|h|d|w], --older-than). */
#include "config.h"
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	struct timespec		 ts;
	long long		 d;
	char			*s;

	s = fuzz_str(data, size);
	if (parse_secs("-t", s, &ts, &e) == 0)
		FUZZ_CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0 &&
		    ts.tv_nsec < 1000000000L);
	if (parse_duration("--older-than", s, &d, &e) == 0)
		FUZZ_CHECK(d >= 0);
	free(s);
	return 0;
}
