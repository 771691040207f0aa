/* SPDX-License-Identifier: ISC */
/*
 * Strict parsers for everything a user types: TARGETs, keys, numbers with
 * ranges, sizes, durations, modes, owners.  Nothing wraps, nothing is
 * silently defaulted.
 */
#include "config.h"

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"
#include "parse.h"

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * A key: 0x followed by up to 8 significant hex digits, or a decimal number
 * from INT32_MIN to UINT32_MAX.  0 (IPC_PRIVATE) and leading zeros in
 * decimal (octal to some tools) are refused.
 */
int
parse_key(const char *s, key_t *key, const char **why)
{
	unsigned long long	 u;
	long long		 v;
	const char		*p;
	char			*end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		p = s + 2;
		if (*p == '\0' || strspn(p, "0123456789abcdefABCDEF") !=
		    strlen(p)) {
			*why = "malformed hex key";
			return EXIT_USAGE;
		}
		while (*p == '0' && p[1] != '\0')
			p++;
		if (strlen(p) > 8) {
			*why = "key out of range (0x1..0xffffffff)";
			return EXIT_USAGE;
		}
		u = strtoull(p, &end, 16);
		v = (long long)u;
	} else {
		p = s[0] == '-' ? s + 1 : s;
		if (!all_digits(p)) {
			*why = "malformed key (hex 0x... or decimal)";
			return EXIT_USAGE;
		}
		if (p[0] == '0' && p[1] != '\0') {
			*why = "ambiguous leading zero in key (write hex as 0x...)";
			return EXIT_USAGE;
		}
		if (strlen(p) > 10) {
			*why = "key out of range (-2147483648..4294967295)";
			return EXIT_USAGE;
		}
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0' || v < INT32_MIN ||
		    v > (long long)UINT32_MAX) {
			*why = "key out of range (-2147483648..4294967295)";
			return EXIT_USAGE;
		}
	}
	if (v == 0) {
		*why = "key 0 is IPC_PRIVATE: write 'private' to mean it";
		return EXIT_USAGE;
	}
	*key = (key_t)(int32_t)(uint32_t)(v & 0xffffffffLL);
	return 0;
}

static int
parse_posix_name(const char *s, int flags, struct ipc_target *t,
    const char **why)
{
	const char	*name = s + 1, *p;
	size_t		 len = strlen(name);
	size_t		 max = flags & TARGET_PSEM ? IPC_PSEM_NAME_MAX :
			    IPC_POSIX_NAME_MAX;

	if (flags & TARGET_NOPOSIX) {
		*why = "a POSIX name is not accepted here";
		return EXIT_USAGE;
	}
	if (len == 0) {
		*why = "empty POSIX name";
		return EXIT_USAGE;
	}
	if (strchr(name, '/') != NULL) {
		*why = "a POSIX name has one leading slash and no other";
		return EXIT_USAGE;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "control characters are not allowed in names";
			return EXIT_USAGE;
		}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		*why = "'.' and '..' are not names";
		return EXIT_USAGE;
	}
	if (len > max) {
		*why = flags & TARGET_PSEM ?
		    "POSIX semaphore name too long (NAME_MAX - 4)" :
		    "POSIX name too long (NAME_MAX)";
		return EXIT_USAGE;
	}
	t->kind = IPC_T_POSIX;
	memcpy(t->name, s, len + 2);
	return 0;
}

int
parse_target(const char *s, int flags, struct ipc_target *t,
    const char **why)
{
	const char	*errstr, *colon;
	char		*file;
	long long	 n;
	int		 proj = 1, e;

	memset(t, 0, sizeof *t);
	t->text = s;
	if (s[0] == '/')
		return parse_posix_name(s, flags, t, why);
	if (flags & TARGET_NOSYSV) {
		*why = "a POSIX /NAME is needed here";
		return EXIT_USAGE;
	}
	if (strcmp(s, "private") == 0) {
		if (!(flags & TARGET_CREATE)) {
			*why = "'private' names no existing object";
			return EXIT_USAGE;
		}
		t->kind = IPC_T_PRIVATE;
		t->key = IPC_PRIVATE;
		return 0;
	}
	if (strncmp(s, "id:", 3) == 0) {
		if (!all_digits(s + 3) || (s[3] == '0' && s[4] != '\0')) {
			*why = "malformed id (id:N)";
			return EXIT_USAGE;
		}
		n = strtonum(s + 3, 0, INT_MAX, &errstr);
		if (errstr != NULL) {
			*why = "id out of range";
			return EXIT_USAGE;
		}
		if (flags & TARGET_CREATE) {
			*why = "create takes a key, not an id";
			return EXIT_USAGE;
		}
		t->kind = IPC_T_ID;
		t->id = (int)n;
		return 0;
	}
	if (strncmp(s, "path:", 5) == 0) {
		file = strdup(s + 5);
		if (file == NULL) {
			*why = strerror(errno);
			return EXIT_SYSERR;
		}
		/* a PROJ that looks like a number is one, in range or not */
		colon = strrchr(file, ':');
		if (colon != NULL && all_digits(colon[1] == '-' ||
		    colon[1] == '+' ? colon + 2 : colon + 1)) {
			proj = (int)strtonum(colon + 1, 1, 255, &errstr);
			if (errstr != NULL) {
				free(file);
				*why = "PROJ out of range (1..255)";
				return EXIT_USAGE;
			}
			file[colon - file] = '\0';
		}
		if (file[0] == '\0') {
			free(file);
			*why = "empty path";
			return EXIT_USAGE;
		}
		if (ipc_ftok(file, proj, &t->key) == -1) {
			e = errno;
			free(file);
			*why = strerror(e);
			return e == ENOENT || e == ENOTDIR ? EXIT_NOENT :
			    exit_code(e);
		}
		free(file);
		t->kind = IPC_T_KEY;
		return 0;
	}
	t->kind = IPC_T_KEY;
	return parse_key(s, &t->key, why);
}

void
xparse_target(const char *s, int flags, struct ipc_target *t)
{
	const char	*why = NULL;
	int		 r;

	r = parse_target(s, flags, t, &why);
	if (r == EXIT_USAGE)
		die_usage("%s: %s", s, why);
	if (r != 0)
		die(r, "%s: %s", s, why);
}

static int __attribute__((format(printf, 2, 3)))
perr(struct parse_err *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static void __attribute__((noreturn))
parse_die(int r, const struct parse_err *e)
{
	if (r == -1)
		die_errno(errno, "cannot allocate");
	if (r == EXIT_USAGE)
		die_usage("%s", e->msg);
	die(r, "%s", e->msg);
}

int
parse_num(const char *opt, const char *s, long long min, long long max,
    long long *v, struct parse_err *e)
{
	const char	*errstr;
	long long	 n;

	if (!all_digits(s[0] == '-' ? s + 1 : s))
		return perr(e, "%s: '%s' is not a number", opt, s);
	n = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		return perr(e, "%s: '%s' is out of range (%lld..%lld)", opt, s,
		    min, max);
	*v = n;
	return 0;
}

long long
xparse_num(const char *opt, const char *s, long long min, long long max)
{
	struct parse_err	e;
	long long		v;
	int			r;

	if ((r = parse_num(opt, s, min, max, &v, &e)) != 0)
		parse_die(r, &e);
	return v;
}

int
parse_size(const char *opt, const char *s, unsigned long long min,
    unsigned long long max, unsigned long long *out, struct parse_err *e)
{
	unsigned long long	 v, mul = 1;
	const char		*p = s;
	char			*end;

	if (!isdigit((unsigned char)*p))
		return perr(e, "%s: '%s' is not a size", opt, s);
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		return perr(e, "%s: '%s' is out of range", opt, s);
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1ULL << 10;
		break;
	case 'm': case 'M':
		mul = 1ULL << 20;
		break;
	case 'g': case 'G':
		mul = 1ULL << 30;
		break;
	default:
		return perr(e, "%s: '%s' is not a size (N, NK, NM or NG)",
		    opt, s);
	}
	if (*end != '\0' && end[1] != '\0')
		return perr(e, "%s: '%s' is not a size (N, NK, NM or NG)",
		    opt, s);
	if (v > ULLONG_MAX / mul)
		return perr(e, "%s: '%s' is out of range", opt, s);
	v *= mul;
	if (v < min || v > max)
		return perr(e, "%s: '%s' is out of range (%llu..%llu)", opt, s,
		    min, max);
	*out = v;
	return 0;
}

unsigned long long
xparse_size(const char *opt, const char *s, unsigned long long min,
    unsigned long long max)
{
	struct parse_err	e;
	unsigned long long	v;
	int			r;

	if ((r = parse_size(opt, s, min, max, &v, &e)) != 0)
		parse_die(r, &e);
	return v;
}

int
parse_secs(const char *opt, const char *s, struct timespec *ts,
    struct parse_err *e)
{
	const char	*p = s;
	long long	 sec = 0;
	long		 nsec = 0, scale = 100000000;

	if (!isdigit((unsigned char)*p) && !(*p == '.' &&
	    isdigit((unsigned char)p[1])))
		return perr(e, "%s: '%s' is not a number of seconds", opt, s);
	for (; isdigit((unsigned char)*p); p++) {
		sec = sec * 10 + (*p - '0');
		if (sec > INT32_MAX)
			return perr(e, "%s: '%s' is out of range", opt, s);
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (scale == 0)
				return perr(e, "%s: '%s': at most nine "
				    "decimals", opt, s);
			nsec += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0')
		return perr(e, "%s: '%s' is not a number of seconds", opt, s);
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = nsec;
	return 0;
}

void
xparse_secs(const char *opt, const char *s, struct timespec *ts)
{
	struct parse_err	e;
	int			r;

	if ((r = parse_secs(opt, s, ts, &e)) != 0)
		parse_die(r, &e);
}

int
parse_duration(const char *opt, const char *s, long long *out,
    struct parse_err *e)
{
	const char	*p = s;
	long long	 v = 0, mul = 1;

	if (!isdigit((unsigned char)*p))
		return perr(e, "%s: '%s' is not a duration (e.g. 30s, 10m, "
		    "2h, 1d)", opt, s);
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > INT32_MAX)
			return perr(e, "%s: '%s' is out of range", opt, s);
	}
	switch (*p) {
	case '\0':
	case 's':
		break;
	case 'm':
		mul = 60;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'd':
		mul = 86400;
		break;
	case 'w':
		mul = 7 * 86400;
		break;
	default:
		return perr(e, "%s: '%s' is not a duration (e.g. 30s, 10m, "
		    "2h, 1d)", opt, s);
	}
	if (*p != '\0' && p[1] != '\0')
		return perr(e, "%s: '%s' is not a duration (e.g. 30s, 10m, "
		    "2h, 1d)", opt, s);
	*out = v * mul;
	return 0;
}

long long
xparse_duration(const char *opt, const char *s)
{
	struct parse_err	e;
	long long		v;
	int			r;

	if ((r = parse_duration(opt, s, &v, &e)) != 0)
		parse_die(r, &e);
	return v;
}

/*
 * MODE: octal, 0 to 0777 for every family.  System V keeps nine permission
 * bits, and a POSIX object's setuid, setgid or sticky bit means nothing: more
 * is a usage error, never silently dropped.
 */
int
parse_mode(const char *opt, const char *s, mode_t *mode, struct parse_err *e)
{
	unsigned long	 v;
	char		*end;

	if (*s == '\0' || strspn(s, "01234567") != strlen(s))
		return perr(e, "%s: '%s' is not an octal mode", opt, s);
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || v > 0777)
		return perr(e, "%s: '%s' is out of range (0..0777: permission "
		    "bits only)", opt, s);
	*mode = (mode_t)v;
	return 0;
}

mode_t
xparse_mode(const char *opt, const char *s)
{
	struct parse_err	e;
	mode_t			m;
	int			r;

	if ((r = parse_mode(opt, s, &m, &e)) != 0)
		parse_die(r, &e);
	return m;
}

int
parse_byte(const char *opt, const char *s, int *byte, struct parse_err *e)
{
	long long	 v;
	int		 r;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (s[2] == '\0' || strspn(s + 2, "0123456789abcdefABCDEF") !=
		    strlen(s + 2) || strlen(s + 2) > 2)
			return perr(e, "%s: '%s' is not a byte (0..255 or "
			    "0x00..0xff)", opt, s);
		*byte = (int)strtoul(s + 2, NULL, 16);
		return 0;
	}
	if ((r = parse_num(opt, s, 0, 255, &v, e)) != 0)
		return r;
	*byte = (int)v;
	return 0;
}

int
xparse_byte(const char *opt, const char *s)
{
	struct parse_err	e;
	int			b, r;

	if ((r = parse_byte(opt, s, &b, &e)) != 0)
		parse_die(r, &e);
	return b;
}

/* A user or group: its name, else a number (not the reserved -1). */
static int
parse_id(const char *opt, const char *s, bool group, unsigned int *id,
    struct parse_err *e)
{
	struct passwd	*pw;
	struct group	*gr;
	long long	 v;
	int		 r;

	if (!group && (pw = getpwnam(s)) != NULL)
		*id = pw->pw_uid;
	else if (group && (gr = getgrnam(s)) != NULL)
		*id = gr->gr_gid;
	else if (all_digits(s)) {
		if ((r = parse_num(opt, s, 0, UINT32_MAX - 1, &v, e)) != 0)
			return r;
		*id = (unsigned int)v;
	} else
		return perr(e, "%s: no such %s '%s'", opt,
		    group ? "group" : "user", s);
	return 0;
}

int
parse_owner(const char *opt, const char *s, uid_t *uid, bool *has_uid,
    gid_t *gid, bool *has_gid, struct parse_err *e)
{
	const char	*colon = strchr(s, ':');
	char		*user;
	unsigned int	 id;
	int		 r = 0;

	*has_uid = *has_gid = false;
	user = colon != NULL ? strndup(s, (size_t)(colon - s)) : strdup(s);
	if (user == NULL)
		return -1;
	if (user[0] != '\0') {
		r = parse_id(opt, user, false, &id, e);
		if (r == 0) {
			*uid = (uid_t)id;
			*has_uid = true;
		}
	}
	free(user);
	if (r != 0)
		return r;
	if (colon != NULL && colon[1] != '\0') {
		if ((r = parse_id(opt, colon + 1, true, &id, e)) != 0)
			return r;
		*gid = (gid_t)id;
		*has_gid = true;
	}
	if (!*has_uid && !*has_gid)
		return perr(e, "%s: '%s' names neither a user nor a group",
		    opt, s);
	return 0;
}

void
xparse_owner(const char *opt, const char *s, uid_t *uid, bool *has_uid,
    gid_t *gid, bool *has_gid)
{
	struct parse_err	e;
	int			r;

	if ((r = parse_owner(opt, s, uid, has_uid, gid, has_gid, &e)) != 0)
		parse_die(r, &e);
}

int
parse_semop(const char *s, long long *index, long long *delta,
    struct parse_err *e)
{
	const char	*colon = strchr(s, ':');
	char		*idx;
	int		 r;

	if (colon == NULL || colon == s)
		return perr(e, "'%s' is not INDEX:DELTA", s);
	if ((idx = strndup(s, (size_t)(colon - s))) == NULL)
		return -1;
	r = parse_num("INDEX", idx, 0, USHRT_MAX, index, e);
	free(idx);
	if (r != 0)
		return r;
	if (colon[1] == '+' && colon[2] == '-')
		return perr(e, "'%s' is not INDEX:DELTA", s);
	return parse_num("DELTA", colon[1] == '+' ? colon + 2 : colon + 1,
	    INT_MIN, INT_MAX, delta, e);
}

void
perm_mode(struct perm_opts *p, const char *arg)
{
	p->mode = xparse_mode("--mode", arg);
	p->pmode = &p->mode;
}

void
perm_owner(struct perm_opts *p, const char *arg)
{
	bool	has_uid, has_gid;

	xparse_owner("--owner", arg, &p->uid, &has_uid, &p->gid, &has_gid);
	p->puid = has_uid ? &p->uid : NULL;
	p->pgid = has_gid ? &p->gid : NULL;
}

bool
perm_any(const struct perm_opts *p)
{
	return p->pmode != NULL || p->puid != NULL || p->pgid != NULL;
}
