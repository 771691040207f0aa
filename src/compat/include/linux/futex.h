/* SPDX-License-Identifier: ISC */
/*
 * The futex operation numbers src/lib/procscan.c reads from a blocked
 * process's syscall arguments, for a toolchain without the kernel's
 * headers (Debian's musl-gcc searches no /usr/include).  They are the
 * kernel's ABI and never change.  configure puts this directory on the
 * include path only when <linux/futex.h> is missing.
 */
#ifndef IPCTOOL_COMPAT_LINUX_FUTEX_H
#define IPCTOOL_COMPAT_LINUX_FUTEX_H

#define FUTEX_WAIT		0
#define FUTEX_WAIT_BITSET	9
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#endif /* IPCTOOL_COMPAT_LINUX_FUTEX_H */
