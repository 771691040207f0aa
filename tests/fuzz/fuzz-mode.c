/* SPDX-License-Identifier: ISC */
/* MODE: octal 0..0777 for every family. */
#include "config.h"
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	mode_t			 m;
	char			*s;

	s = fuzz_str(data, size);
	if (parse_mode("-m", s, &m, &e) == 0)
		FUZZ_CHECK((m & ~0777u) == 0);
	free(s);
	return 0;
}
