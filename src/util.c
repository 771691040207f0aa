/* SPDX-License-Identifier: ISC */
/*
 * Messages, exit codes and name caches shared by the command files.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

const char		*cmd_name = "ipctool";
const struct cmd_entry	*cmd_current;
bool			 ns_joined;

static void
vmsg(const char *fmt, va_list ap, const char *why)
{
	char	buf[1024], *p;

	vsnprintf(buf, sizeof buf, fmt, ap);
	/* one line, whatever a name holds */
	for (p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (cmd_current == NULL)	/* before a command was chosen */
		fprintf(stderr, "ipctool: %s%s%s\n", buf, why ? ": " : "",
		    why ? why : "");
	else if (why != NULL)
		fprintf(stderr, "ipctool: %s: %s: %s\n", cmd_name, buf, why);
	else
		fprintf(stderr, "ipctool: %s: %s\n", cmd_name, buf);
}

void
warn_msg(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
die(int code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
	exit(code);
}

int
warn_errno(int err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, strerror(err));
	va_end(ap);
	return exit_code(err);
}

void
die_errno(int err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, strerror(err));
	va_end(ap);
	exit(exit_code(err));
}

void
die_usage(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
	if (cmd_current != NULL)
		fprintf(stderr, "Try 'ipctool %s --help'.\n", cmd_name);
	else
		fprintf(stderr, "Try 'ipctool --help'.\n");
	exit(EXIT_USAGE);
}

int
exit_code(int err)
{
	switch (err) {
	case 0:
		return 0;
	case EAGAIN:
	case ETIMEDOUT:
		return EXIT_BUSY;
	case EINVAL:
		return EXIT_USAGE;
	case ENOENT:
	case ESRCH:
		return EXIT_NOENT;
	case EEXIST:
		return EXIT_EXISTS;
	case EACCES:
	case EPERM:
		return EXIT_PERM;
	case E2BIG:
	case EFBIG:
	case ERANGE:
	case ENOSPC:
	case ENOMEM:
	case EMFILE:
	case ENFILE:
	case EMSGSIZE:
	case ENAMETOOLONG:
	case EOVERFLOW:
		return EXIT_LIMIT;
	case EIDRM:
		return EXIT_REMOVED;
	case EINTR:
		return ipc_caught_signal > 0 ? 128 + ipc_caught_signal :
		    EXIT_SYSERR;
	case ENOSYS:
		return EXIT_USAGE;	/* configure found it missing */
	default:
		return EXIT_SYSERR;
	}
}

/*
 * The one wording for what configure found missing (NAME as `info` shows
 * it): "not supported on this system: NAME"; exit 2 goes with it.
 */
const char *
not_supported(const char *name)
{
	static char	buf[64];

	if (name == NULL)
		return "not supported on this system";
	snprintf(buf, sizeof buf, "not supported on this system: %s", name);
	return buf;
}

const char *
object_strerror(int err)
{
	switch (err) {
	case ENOENT:
		return "no such object";
	case EEXIST:
		return "already exists";
	case EIDRM:
		return "removed while waiting on it";
	case EAGAIN:
		return "busy";
	case ETIMEDOUT:
		return "timed out";
	case IPC_EBADOBJ:
		return "not an object of this kind (the file's type or size)";
	case EINTR:
		if (ipc_caught_signal > 0)
			return strsignal(ipc_caught_signal);
		return strerror(err);
	case ENOSYS:
		return not_supported(ipc_unsupported);
	default:
		return strerror(err);
	}
}

int
warn_target(const struct ipc_target *t, int err)
{
	warn_msg("%s: %s", t->text, object_strerror(err));
	return exit_code(err);
}

void
die_target(const struct ipc_target *t, int err)
{
	exit(warn_target(t, err));
}

int
refuse_posix_ns(const char *what)
{
	if (ipc_posix_elsewhere())
		warn_msg("%s: under --ns, POSIX semaphores and segments are "
		    "not created in the namespace's /dev/shm: refused", what);
	else
		warn_msg("%s: under --ns FILE, POSIX objects are this "
		    "system's, not the namespace's (--ns PID reaches them): "
		    "refused", what);
	return EXIT_USAGE;
}

/* ---- formatting and name caches ---- */

/* By hand, not snprintf: a listing formats one of each per row. */
const char *
fmt_key(key_t key, char buf[static 11])
{
	static const char	hex[] = "0123456789abcdef";
	uint32_t		k = (uint32_t)key;
	int			i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 9; i >= 2; i--, k >>= 4)
		buf[i] = hex[k & 15];
	buf[10] = '\0';
	return buf;
}

const char *
fmt_perms(mode_t mode, char buf[static 8])
{
	unsigned int	m = (unsigned int)(mode & 07777);
	int		i;

	for (i = 3; i >= 0; i--, m >>= 3)
		buf[i] = (char)('0' + (m & 7));
	buf[4] = '\0';
	return buf;
}

struct name_cache {
	unsigned int	  id;
	char		 *name;
};

/*
 * A small open-addressing cache, so that a listing of many objects looks
 * each owner up once.
 */
struct name_table {
	struct name_cache	*slots;
	size_t			 size, used;
};

static const char *
cache_lookup(struct name_table *t, unsigned int id, bool group)
{
	struct name_cache	*old, *s;
	struct passwd		*pw;
	struct group		*gr;
	char			 num[16];
	const char		*name;
	size_t			 i, n;

	if (t->used * 2 >= t->size) {
		old = t->slots;
		n = t->size;
		t->size = n ? n * 2 : 64;
		t->slots = calloc(t->size, sizeof *t->slots);
		if (t->slots == NULL)
			die_errno(errno, "cannot allocate");
		t->used = 0;
		for (i = 0; i < n; i++)
			if (old[i].name != NULL) {
				s = &t->slots[(old[i].id * 2654435761u) &
				    (t->size - 1)];
				while (s->name != NULL)
					s = s == &t->slots[t->size - 1] ?
					    t->slots : s + 1;
				*s = old[i];
				t->used++;
			}
		free(old);
	}
	s = &t->slots[(id * 2654435761u) & (t->size - 1)];
	while (s->name != NULL) {
		if (s->id == id)
			return s->name;
		s = s == &t->slots[t->size - 1] ? t->slots : s + 1;
	}
	if (group) {
		gr = getgrgid((gid_t)id);
		name = gr != NULL ? gr->gr_name : NULL;
	} else {
		pw = getpwuid((uid_t)id);
		name = pw != NULL ? pw->pw_name : NULL;
	}
	if (name == NULL) {
		snprintf(num, sizeof num, "%u", id);
		name = num;
	}
	s->id = id;
	s->name = strdup(name);
	if (s->name == NULL)
		die_errno(errno, "cannot allocate");
	t->used++;
	return s->name;
}

const char *
user_name(uid_t uid)
{
	static struct name_table users;

	return cache_lookup(&users, (unsigned int)uid, false);
}

const char *
group_name(gid_t gid)
{
	static struct name_table groups;

	return cache_lookup(&groups, (unsigned int)gid, true);
}

int
warn_cmd(const char *cmd, int err)
{
	/* a signal came before CMD could start: as for any wait it ended */
	if (err == EINTR && ipc_caught_signal > 0) {
		warn_msg("%s not run: %s", cmd, strsignal(ipc_caught_signal));
		return 128 + ipc_caught_signal;
	}
	warn_msg("%s: %s", cmd, strerror(err));
	return err == ENOENT ? EXIT_CMD_NOT_FOUND : EXIT_CANNOT_EXEC;
}

int
run_cmd(char **cmd, int (*done)(void *, bool), void *arg)
{
	pid_t	pid;
	int	status, e, r, after = 0;

	if (ipc_spawn(cmd, &pid) == -1) {
		e = errno;
		if (done != NULL)
			(void)done(arg, false);
		return warn_cmd(cmd[0], e);
	}
	r = ipc_wait_child(pid, &status);
	e = errno;
	if (done != NULL)
		after = done(arg, true);
	if (r == -1)
		die_errno(e, "wait for %s", cmd[0]);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	/* CMD's status, unless it succeeded and what followed failed */
	return WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : after;
}
