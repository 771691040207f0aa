/* SPDX-License-Identifier: ISC */
/* TARGET: 0x..., decimal keys, id:N, path:FILE[:PROJ], /NAME, private. */
#include "config.h"
#include "ipctool.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_target	 t;
	const char		*why = NULL;
	char			*s;
	int			 flags, r;

	if (size < 1)
		return 0;
	flags = data[0] & (TARGET_CREATE | TARGET_PSEM | TARGET_NOPOSIX |
	    TARGET_NOSYSV);
	s = fuzz_str(data + 1, size - 1);
	r = parse_target(s, flags, &t, &why);
	if (r != 0)
		FUZZ_CHECK(why != NULL && *why != '\0');
	else if (t.kind == IPC_T_POSIX)
		FUZZ_CHECK(t.name[0] == '/' && strchr(t.name + 1, '/') == NULL);
	else if (t.kind == IPC_T_KEY)
		FUZZ_CHECK(t.key != 0);
	free(s);
	return 0;
}
