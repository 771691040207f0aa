/* SPDX-License-Identifier: ISC */
/*
 * The parsers of parse.c in their returning form: each returns 0, or an
 * exit code (EXIT_USAGE for bad input) with a message in *e, and never
 * exits.  The xparse_* functions of ipctool.h are thin wrappers that die
 * with that message; tests/fuzz/ calls these directly.
 */
#ifndef IPCTOOL_PARSE_H
#define IPCTOOL_PARSE_H

#include <sys/types.h>

#include <stdbool.h>
#include <time.h>

/* what util.c's message buffer holds: longer messages are cut there too */
#define PARSE_MSG_MAX	1024

struct parse_err {
	char	msg[PARSE_MSG_MAX];
};

int	parse_num(const char *opt, const char *s, long long min,
	    long long max, long long *v, struct parse_err *e);
int	parse_size(const char *opt, const char *s, unsigned long long min,
	    unsigned long long max, unsigned long long *v, struct parse_err *e);
int	parse_secs(const char *opt, const char *s, struct timespec *ts,
	    struct parse_err *e);
int	parse_duration(const char *opt, const char *s, long long *v,
	    struct parse_err *e);
int	parse_mode(const char *opt, const char *s, mode_t *mode,
	    struct parse_err *e);
int	parse_byte(const char *opt, const char *s, int *byte,
	    struct parse_err *e);
/* -1 with errno set when memory runs out; otherwise as above. */
int	parse_owner(const char *opt, const char *s, uid_t *uid, bool *has_uid,
	    gid_t *gid, bool *has_gid, struct parse_err *e);
/*
 * One INDEX:DELTA of `sem op` (DELTA may carry one '+'): index in
 * 0..USHRT_MAX, delta in INT_MIN..INT_MAX; the caller checks SEMVMX.
 * -1 with errno set when memory runs out.
 */
int	parse_semop(const char *s, long long *index, long long *delta,
	    struct parse_err *e);

#endif
