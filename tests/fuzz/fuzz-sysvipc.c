/* SPDX-License-Identifier: ISC */
/*
 * The /proc/sysvipc/{sem,shm,msg} parser of lib/list.c: "KIND-BYTE
 * HEADER\nLINE\nLINE...".  Its functions are static: the file is compiled
 * in here (the real code, not a copy).
 */
#include "../../src/lib/list.c"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ipc_kind kinds[] = { IPC_K_SEM, IPC_K_SHM,
	    IPC_K_MSG };
	struct proc_parse	 pp;
	struct ipc_obj		 o;
	const char		*s, *end, *nl;

	if (size < 1)
		return 0;
	memset(&pp, 0, sizeof pp);
	pp.kind = kinds[data[0] % 3];
	s = (const char *)data + 1;
	end = (const char *)data + size;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (parse_header(&pp, s, nl != NULL ? nl : end) == -1)
		return 0;
	while (nl != NULL) {
		s = nl + 1;
		nl = memchr(s, '\n', (size_t)(end - s));
		memset(&o, 0, sizeof o);
		(void)parse_line(&pp, s, nl != NULL ? nl : end, &o);
	}
	return 0;
}
