/* SPDX-License-Identifier: ISC */
/*
 * The /proc/PID/maps line parser of lib/procscan.c (static: the file is
 * compiled in here).  A mapping is reported as a System V segment (an id,
 * no device) or as a file of /dev/shm's file system (its device), never
 * both.  The first byte says whether /dev/shm exists (its device 0:1f);
 * the namespace check is answered "ours" so that no /proc is read.
 */
#include "../../src/lib/procscan.c"
#include "fuzz.h"

static struct scan	*cur;

static int
check(const struct ipc_mapping *m, void *arg)
{
	(void)arg;
	FUZZ_CHECK(m->pid == 42);
	if (m->kind == IPC_K_SHM)
		FUZZ_CHECK(m->id >= 0 && m->dev == 0);
	else {
		FUZZ_CHECK(m->kind == IPC_K_PSHM);
		FUZZ_CHECK(cur->nshm_devs == 1 && m->dev == cur->shm_dev &&
		    m->id == -1);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_scan_ops	 ops;
	struct scan		 s;
	const char		*p = (const char *)data, *end = p + size, *nl;

	if (size == 0)
		return 0;
	memset(&ops, 0, sizeof ops);
	ops.map = check;
	memset(&s, 0, sizeof s);
	s.ops = &ops;
	s.shm_dev = makedev(0, 0x1f);
	s.shm_devs = &s.shm_dev;
	s.nshm_devs = (data[0] & 1) != 0;
	s.p.pid = 42;
	s.p.same_ipcns = 1;
	cur = &s;
	p++;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		(void)maps_line(&s, p, nl != NULL ? nl : end);
		p = nl != NULL ? nl + 1 : end;
	}
	free(s.maps);
	return 0;
}
