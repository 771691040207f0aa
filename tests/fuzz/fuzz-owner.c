/* SPDX-License-Identifier: ISC */
/* --owner USER[:GROUP], names or numbers (the reserved -1 refused). */
#include "config.h"
#include "ipctool.h"
#include "parse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err	 e;
	uid_t			 uid;
	gid_t			 gid;
	bool			 hu, hg;
	char			*s;

	s = fuzz_str(data, size);
	if (parse_owner("--owner", s, &uid, &hu, &gid, &hg, &e) == 0) {
		FUZZ_CHECK(hu || hg);
		FUZZ_CHECK(!hu || uid != (uid_t)-1);
		FUZZ_CHECK(!hg || gid != (gid_t)-1);
	}
	free(s);
	return 0;
}
