/*
 * Messages, exit codes, argument collection and name caches shared by the
 * command files.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"
#include "output.h"

const char		*cmd_name = "ipctool";
const struct cmd_entry	*cmd_current;
int			 conflict_exit = EXIT_BUSY;

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
		return conflict_exit;
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
	default:
		return EXIT_SYSERR;
	}
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
	case EINTR:
		if (ipc_caught_signal > 0)
			return strsignal(ipc_caught_signal);
		return strerror(err);
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

void
create_done(const char *kind, const char *target)
{
	int	e;

	if (fflush(stdout) == 0 && !ferror(stdout))
		return;
	e = errno != 0 ? errno : EIO;
	if (undo_create(kind, target) == -1)
		die(EXIT_SYSERR, "write error on stdout: %s; %s %s was "
		    "created and could not be removed: %s", strerror(e), kind,
		    target, strerror(errno));
	die(EXIT_SYSERR, "write error on stdout: %s; %s %s removed again",
	    strerror(e), kind, target);
}

void
create_manifest(const char *kind, const char *target, const char *manifest)
{
	int	e;

	if (ipc_manifest_append(manifest, kind, target) == 0)
		return;
	e = errno;
	/* nothing half done: the manifest could not take it */
	undo_create(kind, target);
	die_errno(e, "--manifest %s", manifest);
}

/* ---- argument collection ---- */

/* kept reachable, so that leak checkers see no leak at exit */
static char	**args_pos_mem;
static char	 *args_opt_mem;

void
args_init(struct args *a, int argc, char **argv, const char *optstring,
    const struct option *longopts, int minpos, int maxpos, bool takes_cmd)
{
	memset(a, 0, sizeof *a);
	a->argc = argc;
	a->argv = argv;
	if (asprintf(&a->optbuf, "+:h%s", optstring) == -1)
		die_errno(errno, "cannot allocate");
	a->optstring = a->optbuf;
	a->longopts = longopts;
	a->minpos = minpos;
	a->maxpos = maxpos;
	a->takes_cmd = takes_cmd;
	a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
	if (a->pos == NULL)
		die_errno(errno, "cannot allocate");
	free(args_pos_mem);
	free(args_opt_mem);
	args_pos_mem = a->pos;
	args_opt_mem = a->optbuf;
	optind = 0;
	opterr = 0;
}

static void
args_push(struct args *a, char *arg)
{
	if (a->maxpos >= 0 && a->npos >= a->maxpos)
		die_usage("unexpected argument '%s'", arg);
	a->pos[a->npos++] = arg;
}

/* After "--": missing positionals first, then the command. */
static void
args_rest(struct args *a, int i)
{
	if (a->takes_cmd && a->maxpos < 0 && a->npos < a->minpos) {
		/* "-- -5 0:-1 1:-1 -- CMD": positionals up to a second "--" */
		while (i < a->argc && strcmp(a->argv[i], "--") != 0)
			args_push(a, a->argv[i++]);
	}
	while (i < a->argc && (a->npos < a->minpos ||
	    (!a->takes_cmd && (a->maxpos < 0 || a->npos < a->maxpos))))
		args_push(a, a->argv[i++]);
	if (a->takes_cmd) {
		if (i < a->argc && strcmp(a->argv[i], "--") == 0)
			i++;
		if (i < a->argc)
			a->cmd = a->argv + i;
	} else if (i < a->argc)
		args_push(a, a->argv[i]);
}

int
args_next(struct args *a)
{
	char	 optbuf[3] = "-?";
	int	 before, c;

	for (;;) {
		if (a->done)
			return -1;
		before = optind == 0 ? 1 : optind;
		c = getopt_long(a->argc, a->argv, a->optstring, a->longopts,
		    NULL);
		if (c == '?') {
			if (strncmp(a->argv[optind - 1], "--", 2) == 0)
				die_usage(strchr(a->argv[optind - 1], '=') ?
				    "option '%s' takes no value, or is unknown" :
				    "unknown or ambiguous option '%s'",
				    a->argv[optind - 1]);
			if (optopt > 0 && optopt < 128) {
				optbuf[1] = (char)optopt;
				die_usage("unknown option '%s'", optbuf);
			}
			die_usage("unknown or ambiguous option '%s'",
			    a->argv[optind - 1]);
		}
		if (c == ':')
			die_usage("option '%s' needs a value",
			    a->argv[optind - 1]);
		if (c == 'h')
			usage(0);
		if (c != -1) {
			a->optarg = optarg;
			return c;
		}
		if (optind > before && strcmp(a->argv[optind - 1], "--") == 0) {
			args_rest(a, optind);
			a->done = true;
			break;
		}
		if (optind >= a->argc) {
			a->done = true;
			break;
		}
		args_push(a, a->argv[optind++]);
	}
	if (a->npos < a->minpos)
		die_usage("missing %s", a->minpos - a->npos > 1 ? "arguments" :
		    "argument");
	return -1;
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

void
out_owner(struct out *o, const struct owner_cells *c)
{
	char	kbuf[11], pbuf[8];

	if (c->name != NULL)
		out_str(o, OC_NAME, c->name);
	else {
		out_str(o, OC_KEY, fmt_key(c->key, kbuf));
		out_num(o, OC_ID, c->id);
		out_num(o, OC_CUID, c->cuid);
		out_num(o, OC_CGID, c->cgid);
		out_str(o, OC_CUSER, user_name(c->cuid));
		out_str(o, OC_CGROUP, group_name(c->cgid));
	}
	out_str(o, OC_PERMS, fmt_perms(c->mode, pbuf));
	out_str(o, OC_OWNER, user_name(c->uid));
	out_str(o, OC_USER, user_name(c->uid));
	out_str(o, OC_GROUP, group_name(c->gid));
	out_num(o, OC_UID, c->uid);
	out_num(o, OC_GID, c->gid);
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
