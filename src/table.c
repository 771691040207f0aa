/* SPDX-License-Identifier: ISC */
/*
 * The command table and what is made from it: the one option parser,
 * `--help` of every verb and of ipctool, the completion helper and the
 * option dump that tests/table.bats checks the man page against.  See
 * table.h for how to add an option or a verb.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"
#include "metrics.h"
#include "output.h"
#include "table.h"

/* ---- shared option sets ---- */


const struct opt opts_output[] = {
	{ OPT("json", 'J', A_NONE, 'J', "print one JSON document"),
	    .excl = EXCL_FORMAT },
	{ OPT("raw", 'r', A_NONE, 'r', "one line a record, fields escaped"),
	    .excl = EXCL_FORMAT },
	{ OPT("export", 'e', A_NONE, 'e', "NAME=\"value\" pairs for eval"),
	    .excl = EXCL_FORMAT },
	{ OPT("output", 'o', A_COLS, 'o',
	    "the columns, comma separated (+COLS adds)"),
	    .excl = EXCL_COLS },
	{ OPT("no-headings", 'n', A_NONE, 'n', "no heading line"),
	    .excl = EXCL_HEADINGS },
	{ OPT("noheadings", 0, A_NONE, 'n', "no heading line"),
	    .flags = OPT_HIDDEN, .excl = EXCL_HEADINGS },
	{ OPT("human", 'H', A_NONE, 'H', "sizes with K, M, G suffixes"),
	    .excl = EXCL_HUMAN },
	{ OPT("time-format", 0, A_WORD, OUT_OPT_TIME_FORMAT,
	    "tables' times: short (12:04, Nov 30) or iso"),
	    .meta = "short|iso" },
	{ OPT("numeric-perms", 0, A_NONE, OUT_OPT_NUMERIC_PERMS,
	    "tables' PERMS in octal, not rw-------") },
	OPT_END
};

/* the kinds of list and rm; ids as select_opt() takes them */
const struct opt opts_kinds[] = {
	{ OPT("sem", 0, A_NONE, OPT_SEL_SEM, "semaphores") },
	{ OPT("shm", 0, A_NONE, OPT_SEL_SHM, "shared memory") },
	{ OPT("mq", 0, A_NONE, OPT_SEL_MQ, "message queues") },
	{ OPT("sysv", 0, A_NONE, OPT_SEL_SYSV, "System V objects only"),
	    .excl = EXCL_FAMILY },
	{ OPT("posix", 0, A_NONE, OPT_SEL_POSIX, "POSIX objects only"),
	    .excl = EXCL_FAMILY },
	OPT_END
};

/* the filters of list and rm --all: "filters" in the man page */
const struct opt opts_filters[] = {
	{ OPT("owner", 0, A_USER, OPT_SEL_OWNER, "owned by USER"),
	    .meta = "USER" },
	{ OPT("creator", 0, A_USER, OPT_SEL_CREATOR, "created by USER"),
	    .meta = "USER" },
	{ OPT("key", 0, A_TEXT, OPT_SEL_KEY, "with that System V key"),
	    .meta = "KEY" },
	{ OPT("orphaned", 0, A_NONE, OPT_SEL_ORPHANED,
	    "no process attached or alive that last used it") },
	{ OPT("older-than", 0, A_DURATION, OPT_SEL_OLDER,
	    "changed longer ago than DURATION") },
	{ OPT("empty", 0, A_NONE, OPT_SEL_EMPTY, "queues with no message") },
	OPT_END
};

const struct opt opts_select[] = {
	OPT_SET(SET_KINDS),
	OPT_SET(SET_FILTERS),
	OPT_END
};

const struct opt opts_wait[] = {
	{ OPT("timeout", 't', A_SECS, 't', "wait at most SECS"),
	    .excl = EXCL_WAIT },
	{ OPT("nowait", 0, A_NONE, OPT_WAIT_NOWAIT,
	    "never wait: exit 1 when busy"), .excl = EXCL_WAIT },
	{ OPT("conflict-exit-code", 'E', A_NUM, 'E',
	    "exit N instead of 1 when busy or timed out"), .meta = "N" },
	OPT_END
};

/* what every "KIND set" changes; the rest is the family's */
const struct opt opts_perm[] = {
	{ OPT("mode", 0, A_MODE, OPT_PERM_MODE, "the new octal mode") },
	{ OPT("owner", 0, A_USER, OPT_PERM_OWNER, "the new owner (and group)"),
	    .meta = "USER[:GROUP]" },
	OPT_END
};

const struct opt opts_none[] = {
	OPT_END
};

/* included, not the set itself: the man page names it as a whole */
const struct opt opts_stat[] = {
	OPT_SET(SET_OUTPUT),
	OPT_END
};

const struct object table_objects[] = {
	{ "sem", "System V semaphore sets and POSIX named semaphores" },
	{ "shm", "System V shared memory segments and POSIX shared memory" },
	{ "mq", "System V message queues and POSIX message queues" },
	{ NULL, NULL }
};

const struct verb *const table_verbs[] = {
	&verb_sem_create, &verb_sem_acquire, &verb_sem_release, &verb_sem_z,
	&verb_sem_value, &verb_sem_op, &verb_sem_stat, &verb_sem_set,
	&verb_sem_rm,
	&verb_shm_create, &verb_shm_read, &verb_shm_write, &verb_shm_attach,
	&verb_shm_stat, &verb_shm_set, &verb_shm_rm,
	&verb_mq_create, &verb_mq_send, &verb_mq_receive, &verb_mq_notify,
	&verb_mq_stat, &verb_mq_set, &verb_mq_rm,
	&verb_list, &verb_rm, &verb_key, &verb_info,
	NULL
};

const struct verb	*table_current;

const struct verb *
table_find(const char *object, const char *name)
{
	const struct verb	*const *vp;

	for (vp = table_verbs; *vp != NULL; vp++) {
		if (((*vp)->object == NULL) != (object == NULL))
			continue;
		if (object != NULL && strcmp((*vp)->object, object) != 0)
			continue;
		if (strcmp((*vp)->entry.name, name) == 0)
			return *vp;
	}
	return NULL;
}

const char *
verb_usage(const struct verb *v)
{
	return v->entry.usage != NULL ? v->entry.usage : "";
}

const char *
verb_help(const struct verb *v)
{
	return v->entry.help;
}

/* ---- walking an entry's options, shared sets included ---- */

/*
 * Calls cb on each option of set (sets nest one level or more); stops
 * and returns what cb returned when that is not NULL.
 */
typedef const struct opt *(*opt_cb)(const struct opt *, const struct opt *,
    const void *);

static const struct opt *
shared_set(int set)
{
	static const struct opt *const	sets[] = {
		[SET_OUTPUT] = opts_output, [SET_METRICS] = opts_metrics,
		[SET_SELECT] = opts_select, [SET_KINDS] = opts_kinds,
		[SET_FILTERS] = opts_filters, [SET_WAIT] = opts_wait,
		[SET_PERM] = opts_perm
	};

	if (set <= SET_NONE || (size_t)set >= sizeof sets / sizeof sets[0])
		return NULL;
	return sets[set];
}

static const struct opt *
opt_walk(const struct opt *set, const struct opt *from, opt_cb cb,
    const void *arg)
{
	const struct opt	*o, *r, *inc;

	for (o = set; o->name[0] != '\0' || o->letter != 0 ||
	    o->include != SET_NONE; o++) {
		inc = shared_set(o->include);
		r = inc != NULL ? opt_walk(inc, inc, cb, arg) :
		    cb(o, from, arg);
		if (r != NULL)
			return r;
	}
	return NULL;
}

static const struct opt *
match_long(const struct opt *o, const struct opt *from, const void *arg)
{
	const char	*s = arg;
	size_t		 n = strcspn(s, "=");

	(void)from;
	if (o->name[0] != '\0' && strlen(o->name) == n &&
	    strncmp(o->name, s, n) == 0)
		return o;
	return NULL;
}

static const struct opt *
match_short(const struct opt *o, const struct opt *from, const void *arg)
{
	(void)from;
	return o->letter == *(const char *)arg ? o : NULL;
}

static const struct opt *
find_long(const struct verb *v, const char *s)
{
	return opt_walk(v->opts, NULL, match_long, s);
}

static const struct opt *
find_short(const struct verb *v, char c)
{
	return opt_walk(v->opts, NULL, match_short, &c);
}

/*
 * Whether an option takes word as its argument when it is the next word:
 * always, unless the argument is optional (then only a number, for A_NUM).
 */
static bool
takes_next(const struct opt *o, const char *word)
{
	if (!(o->flags & OPT_OPTARG))
		return true;
	return o->arg == A_NUM && *word != '\0' &&
	    word[strspn(word, "0123456789")] == '\0';
}

static int
opt_id(const struct opt *o)
{
	return o->id != 0 ? o->id : o->letter;
}

/* "--name" or "-x", for messages */
static const char *
opt_spell(const struct opt *o, char buf[static 64])
{
	if (o->name[0] != '\0')
		snprintf(buf, 64, "--%s", o->name);
	else
		snprintf(buf, 64, "-%c", o->letter);
	return buf;
}

/* ---- the parser ---- */

/*
 * The positional and option arrays of the last parse (each parse ends the
 * previous one's).  A command line of up to ARGS_STATIC words uses static
 * arrays: most runs then never start malloc, which a per-call command
 * such as `sem release` pays for in start-up time (heap set-up, a
 * getrandom for its key, page faults).  Longer ones are allocated, kept
 * reachable so that leak checkers see no leak at exit.
 */
#define ARGS_STATIC	32
static char			*args_pos_static[ARGS_STATIC];
static struct cmdargs_opt	 args_opt_static[ARGS_STATIC];
static char			**args_pos_mem;
static struct cmdargs_opt	 *args_opt_mem;

static void
help_exit(const struct verb *v)
{
	if (!(v->flags & V_HIDDEN))
		table_current = v;
	usage(0);
}

static void
push_pos(struct cmdargs *a, char *arg)
{
	if (a->verb->maxpos >= 0 && a->npos >= a->verb->maxpos)
		die_usage("unexpected argument '%s'", arg);
	a->pos[a->npos++] = arg;
}

static void
push_opt(struct cmdargs *a, const struct opt *o, const char *arg)
{
	a->opts[a->nopts].opt = o;
	a->opts[a->nopts].arg = arg;
	a->nopts++;
}

/* After "--": the missing positionals first, then the command. */
static void
parse_rest(struct cmdargs *a, int argc, char **argv, int i)
{
	const struct verb	*v = a->verb;
	bool			 cmd = (v->flags & V_CMD) != 0;

	if (cmd && v->maxpos < 0 && a->npos < v->minpos) {
		/* "-- -5 0:-1 1:-1 -- CMD": positionals up to a second "--" */
		while (i < argc && strcmp(argv[i], "--") != 0)
			push_pos(a, argv[i++]);
	}
	while (i < argc && (a->npos < v->minpos ||
	    (!cmd && (v->maxpos < 0 || a->npos < v->maxpos))))
		push_pos(a, argv[i++]);
	if (cmd) {
		if (i < argc && strcmp(argv[i], "--") == 0)
			i++;
		if (i < argc)
			a->cmd = argv + i;
	} else if (i < argc)
		push_pos(a, argv[i]);
}

static void
check_exclusive(const struct cmdargs *a)
{
	char	b1[64], b2[64];
	int	i, j;

	for (i = 0; i < a->nopts; i++)
		for (j = 0; j < i; j++) {
			if ((a->opts[i].opt->excl & a->opts[j].opt->excl) == 0 ||
			    opt_id(a->opts[i].opt) == opt_id(a->opts[j].opt))
				continue;
			die_usage("%s and %s cannot be used together",
			    opt_spell(a->opts[j].opt, b1),
			    opt_spell(a->opts[i].opt, b2));
		}
}

void
args_parse(struct cmdargs *a, const struct verb *v, int argc, char **argv,
    bool stop)
{
	const struct opt	*o;
	const char		*s, *eq, *arg;
	int			 i;

	memset(a, 0, sizeof *a);
	a->verb = v;
	free(args_pos_mem);
	free(args_opt_mem);
	args_pos_mem = NULL;
	args_opt_mem = NULL;
	if ((size_t)argc + 1 <= ARGS_STATIC) {
		memset(args_pos_static, 0, sizeof args_pos_static);
		memset(args_opt_static, 0, sizeof args_opt_static);
		a->pos = args_pos_static;
		a->opts = args_opt_static;
	} else {
		a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
		a->opts = calloc((size_t)argc + 1, sizeof *a->opts);
		if (a->pos == NULL || a->opts == NULL)
			die_errno(errno, "cannot allocate");
		args_pos_mem = a->pos;
		args_opt_mem = a->opts;
	}

	for (i = 1; i < argc; i++) {
		s = argv[i];
		if (s[0] != '-' || s[1] == '\0') {
			if (stop) {
				a->rest = argv + i;
				break;
			}
			push_pos(a, argv[i]);
			continue;
		}
		if (strcmp(s, "--") == 0) {
			if (stop) {
				a->rest = argv + i + 1;
				break;
			}
			parse_rest(a, argc, argv, i + 1);
			break;
		}
		if (s[1] == '-') {
			s += 2;
			eq = strchr(s, '=');
			if (strcmp(s, "help") == 0)
				help_exit(v);
			if ((o = find_long(v, s)) == NULL)
				die_usage("unknown option '--%.*s'",
				    (int)strcspn(s, "="), s);
			if (o->arg == A_NONE) {
				if (eq != NULL)
					die_usage("option '%s' takes no value",
					    argv[i]);
				arg = NULL;
			} else if (eq != NULL)
				arg = eq + 1;
			else if (i + 1 < argc && takes_next(o, argv[i + 1]))
				arg = argv[++i];
			else if (o->flags & OPT_OPTARG)
				arg = NULL;	/* bare */
			else
				die_usage("option '%s' needs a value",
				    argv[i]);
			push_opt(a, o, arg);
			continue;
		}
		/* a cluster of short options: -un, -d5, -d 5 */
		for (s++; *s != '\0'; s++) {
			if (*s == 'h')
				help_exit(v);
			if ((o = find_short(v, *s)) == NULL)
				die_usage("unknown option '-%c'", *s);
			if (o->arg == A_NONE) {
				push_opt(a, o, NULL);
				continue;
			}
			if (s[1] != '\0')
				arg = s + 1;
			else if (i + 1 < argc && takes_next(o, argv[i + 1]))
				arg = argv[++i];
			else if (o->flags & OPT_OPTARG)
				arg = NULL;
			else
				die_usage("option '-%c' needs a value", *s);
			push_opt(a, o, arg);
			break;
		}
	}
	check_exclusive(a);
	if (a->npos < v->minpos)
		die_usage("missing %s", v->minpos - a->npos > 1 ? "arguments" :
		    "argument");
}

int
args_opt(struct cmdargs *a)
{
	if (a->next >= a->nopts)
		return -1;
	a->opt = a->opts[a->next].opt;
	a->optarg = a->opts[a->next].arg;
	a->next++;
	return opt_id(a->opt);
}

/* ---- help ---- */

#define HELP_WIDTH	79

/* every verb takes it; the parser handles it itself */
static const struct opt opt_help = {
	OPT("help", 'h', A_NONE, 'h', "show this help")
};
#define OPT_COLUMN	26

/*
 * Writes text from column col, breaking lines at spaces (outside
 * brackets, for usage lines) before HELP_WIDTH; continuation lines start
 * at column indent.
 */
static void
wrap(FILE *f, const char *text, size_t col, size_t indent, bool brackets)
{
	const char	*p = text, *w;
	size_t		 n, depth;
	bool		 bol = col == indent;	/* nothing on the line yet */

	while (*p == ' ')
		p++;
	while (*p != '\0') {
		/* the next unit: up to a space at bracket depth 0 */
		depth = 0;
		for (w = p; *w != '\0'; w++) {
			if (brackets && *w == '[')
				depth++;
			else if (brackets && *w == ']' && depth > 0)
				depth--;
			else if (*w == ' ' && depth == 0)
				break;
		}
		n = (size_t)(w - p);
		if (!bol && col + 1 + n > HELP_WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!bol) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		bol = false;
		p = w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static const char *
arg_meta(const struct opt *o)
{
	static const char *const names[] = {
		[A_NONE] = "", [A_NUM] = "N", [A_SIZE] = "SIZE",
		[A_DURATION] = "DURATION", [A_SECS] = "SECS",
		[A_MODE] = "MODE", [A_TARGET] = "TARGET", [A_USER] = "USER",
		[A_COLS] = "COLS", [A_FILE] = "FILE", [A_CMD] = "CMD",
		[A_TEXT] = "TEXT", [A_WORD] = "WORD"
	};

	return o->meta[0] != '\0' ? o->meta : names[o->arg];
}

static const struct opt *
help_line(const struct opt *o, const struct opt *from, const void *arg)
{
	FILE		*f = (FILE *)arg;
	char		 left[96], help[160];
	const char	*only;
	int		 n;

	(void)from;
	if (o->flags & OPT_HIDDEN)
		return NULL;
	if (o->name[0] != '\0' && (o->flags & OPT_OPTARG))
		n = snprintf(left, sizeof left, "  %c%c%c --%s[=%s]",
		    o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		    o->letter ? ',' : ' ', o->name, arg_meta(o));
	else if (o->name[0] != '\0')
		n = snprintf(left, sizeof left, "  %c%c%c --%s%s%s",
		    o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		    o->letter ? ',' : ' ', o->name, o->arg ? " " : "",
		    arg_meta(o));
	else
		n = snprintf(left, sizeof left, "  -%c%s%s", o->letter,
		    o->arg ? " " : "", arg_meta(o));
	only = o->flags & OPT_SYSV ? " (System V)" :
	    o->flags & OPT_POSIX ? " (POSIX)" : "";
	snprintf(help, sizeof help, "%s%s", o->help, only);
	fputs(left, f);
	if (n >= OPT_COLUMN) {
		fprintf(f, "\n%*s", OPT_COLUMN, "");
	} else
		fprintf(f, "%*s", OPT_COLUMN - n, "");
	wrap(f, help, OPT_COLUMN, OPT_COLUMN, false);
	return NULL;
}

static void
help_usage(FILE *f, const char *lead, const struct verb *v)
{
	char	buf[64];
	size_t	n;

	if (v->object != NULL)
		n = (size_t)snprintf(buf, sizeof buf, "%sipctool %s %s", lead,
		    v->object, v->entry.name);
	else
		n = (size_t)snprintf(buf, sizeof buf, "%sipctool %s", lead,
		    v->entry.name);
	fputs(buf, f);
	if (*verb_usage(v) != '\0')
		wrap(f, verb_usage(v), n, strlen(lead) + 8, true);
	else
		fputc('\n', f);
}

static void
help_exit_codes(FILE *f, const struct verb *v)
{
	fputs("\nExit status: 0 success, 1 busy or timed out, 2 usage, "
	    "3 no such object,\n4 exists, 5 permission denied, 6 a limit, "
	    "7 removed while waiting,\n8 system error, 128+N signal N", f);
	fputs(v->flags & V_CMD ? "; with CMD, its status, 126 or 127 when "
	    "it\ncould not be run.\n" : ".\n", f);
}

void
table_help(FILE *f, const struct verb *v)
{
	char	line[256];
	size_t	i;
	int	n;

	help_usage(f, "usage: ", v);
	if (verb_help(v) != NULL) {
		snprintf(line, sizeof line, "%s.", verb_help(v));
		wrap(f, line, 0, 0, false);
	}
	fputs("\nOptions:\n", f);
	opt_walk(v->opts, NULL, help_line, f);
	help_line(&opt_help, NULL, f);
	if (v->cols != NULL) {
		fputs("\nColumns (-o):\n", f);
		for (i = 0; i < v->ncols; i++) {
			n = fprintf(f, "  %s", v->cols[i].name);
			fprintf(f, "%*s", n < 16 ? 16 - n : 1, "");
			wrap(f, v->cols[i].help,
			    16, 16, false);
		}
	}
	help_exit_codes(f, v);
}

void
table_help_object(FILE *f, const char *object)
{
	const struct verb	*const *vp;

	fputs("usage:\n", f);
	for (vp = table_verbs; *vp != NULL; vp++)
		if ((*vp)->object != NULL && strcmp((*vp)->object, object) == 0)
			help_usage(f, "  ", *vp);
	fprintf(f, "\nSee 'ipctool %s VERB --help' for a verb's options.\n",
	    object);
}

void
table_help_all(FILE *f, const struct verb *global)
{
	const struct verb	*const *vp;

	fputs("usage: ipctool [--ns PID|FILE] COMMAND ...\n\n", f);
	for (vp = table_verbs; *vp != NULL; vp++)
		if (!((*vp)->flags & V_HIDDEN))
			help_usage(f, "  ", *vp);
	fputs("\nGlobal options:\n", f);
	opt_walk(global->opts, NULL, help_line, f);
	help_line(&opt_help, NULL, f);
	fputs("\nSee 'ipctool COMMAND --help' and ipctool(1).\n", f);
	help_exit_codes(f, global);
}

/* ---- the hidden helpers ---- */

static const struct opt *
dump_line(const struct opt *o, const struct opt *from, const void *arg)
{
	static const char *const kinds[] = {
		[A_NONE] = "none", [A_NUM] = "number", [A_SIZE] = "size",
		[A_DURATION] = "duration", [A_SECS] = "secs",
		[A_MODE] = "mode", [A_TARGET] = "target", [A_USER] = "user",
		[A_COLS] = "columns", [A_FILE] = "file", [A_CMD] = "command",
		[A_TEXT] = "text", [A_WORD] = "word"
	};
	const struct verb	*v = arg;
	const char		*set = "-";

	if (from == opts_output)
		set = "output";
	else if (from == opts_filters)
		set = "filters";
	else if (from != NULL)
		set = "shared";
	printf("%s%s%s\t%s%s\t%s%c\t%s%s\t%s\t%s\t%u\n",
	    v->object ? v->object : "", v->object ? " " : "", v->entry.name,
	    o->name[0] ? "--" : "", o->name[0] ? o->name : "-",
	    o->letter ? "-" : "", o->letter ? o->letter : '-',
	    kinds[o->arg], o->flags & OPT_OPTARG ? "?" : "", set,
	    o->flags & OPT_HIDDEN ? "hidden" : "table",
	    o->excl);
	return NULL;
}

/*
 * `ipctool __options`: one line an option of every verb:
 * VERB<TAB>--LONG<TAB>-S<TAB>KIND<TAB>SET<TAB>STATE<TAB>EXCL, "-" for
 * none; KIND ends in "?" when the argument is optional (--name[=ARG]); SET is "output" or "filters" for the sets the man page names as a
 * whole, STATE "table" (a visible option) or "hidden" (an alias), EXCL
 * the exclusive-group bits.  Verbs without
 * options have a line with "-" for LONG and SHORT.
 */
int
table_options(int argc, char **argv, const struct verb *global)
{
	const struct verb	*const *vp;

	(void)argc;
	(void)argv;
	opt_walk(global->opts, NULL, dump_line, global);
	for (vp = table_verbs; *vp != NULL; vp++) {
		printf("%s%s%s\t-\t-\tnone\t-\ttable\t0\n",
		    (*vp)->object ? (*vp)->object : "",
		    (*vp)->object ? " " : "", (*vp)->entry.name);
		opt_walk((*vp)->opts, NULL, dump_line, *vp);
	}
	return 0;
}

static const char	*comp_cur;	/* the word being completed */

/* A candidate (with prefix, if cur has it) and an optional description. */
static void
cand_desc(const char *prefix, const char *s, const char *desc)
{
	size_t	n = strlen(comp_cur), p = strlen(prefix);

	/* the prefix is part of cur: "--owner=ro" -> "--owner=root" */
	if (p > n || strncmp(comp_cur, prefix, p) != 0)
		return;
	if (strncmp(s, comp_cur + p, n - p) != 0)
		return;
	if (desc != NULL)
		printf("%s%s\t%s\n", prefix, s, desc);
	else
		printf("%s%s\n", prefix, s);
}

static void
cand(const char *prefix, const char *s)
{
	cand_desc(prefix, s, NULL);
}

struct given {
	const struct cmdargs_opt	*opts;
	int				 nopts;
};

static const struct opt *
cand_opt(const struct opt *o, const struct opt *from, const void *arg)
{
	const struct given	*g = arg;
	char			 buf[64];
	int			 i;

	(void)from;
	if (o->flags & OPT_HIDDEN)
		return NULL;
	for (i = 0; i < g->nopts; i++)
		if (g->opts[i].opt == o || (o->excl & g->opts[i].opt->excl))
			return NULL;	/* given, or excluded by one given */
	/* with its help: fish and zsh show it, bash drops it */
	cand_desc("", opt_spell(o, buf), o->help);
	return NULL;
}

static void
cand_users(const char *prefix)
{
	struct passwd	*pw;

	setpwent();
	while ((pw = getpwent()) != NULL)
		cand(prefix, pw->pw_name);
	endpwent();
}

static void
cand_columns(const struct verb *v, const char *prefix)
{
	char		 pre[256];
	const char	*comma;
	size_t		 i;

	/* "-o KEY,ID,N": complete after the last comma */
	comma = strrchr(comp_cur + strlen(prefix), ',');
	if (comma == NULL && comp_cur[strlen(prefix)] == '+')
		comma = comp_cur + strlen(prefix);
	if (comma != NULL)
		snprintf(pre, sizeof pre, "%.*s", (int)(comma + 1 - comp_cur),
		    comp_cur);
	else
		snprintf(pre, sizeof pre, "%s", prefix);
	for (i = 0; i < v->ncols; i++)
		cand(pre, v->cols[i].name);
}

/* The TARGETs given already, which are not offered again. */
struct cand_given {
	char	**pos;
	int	  npos;
};

static int
cand_target(const struct ipc_obj *o, void *arg)
{
	const struct cand_given	*g = arg;
	char			 buf[32], *esc = NULL;
	const char		*t = buf;
	int			 i;

	if (o->kind >= IPC_K_PSEM) {
		/* escaped as `list --raw` writes it */
		if ((t = esc = name_escape_dup(o->name)) == NULL)
			return 0;
	} else
		snprintf(buf, sizeof buf, "id:%d", o->id);
	for (i = 0; i < g->npos; i++)
		if (strcmp(g->pos[i], t) == 0)
			break;
	if (i == g->npos)
		cand("", t);
	free(esc);
	return 0;
}

/* Live objects of one kind (or every kind), as `list -o TARGET` names. */
static void
cand_targets(const struct verb *v, char **given, int ngiven)
{
	static const struct {
		const char	*object;
		int		 id;
	} kinds[] = {
		{ "sem", OPT_SEL_SEM }, { "shm", OPT_SEL_SHM },
		{ "mq", OPT_SEL_MQ }
	};
	struct cand_given	 g = { given, ngiven };
	struct ipc_select	 s;
	size_t			 i;
	int			 k;

	select_init(&s);
	for (i = 0; v->object != NULL && i < sizeof kinds / sizeof kinds[0];
	    i++)
		if (strcmp(v->object, kinds[i].object) == 0)
			select_opt(&s, kinds[i].id, NULL);
	if (v->families == FAM_SYSV)
		select_opt(&s, OPT_SEL_SYSV, NULL);
	else if (v->families == FAM_POSIX)
		select_opt(&s, OPT_SEL_POSIX, NULL);
	/* errors are not candidates */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return;
	if (!select_done(&s))
		return;
	for (k = 0; k < IPC_K_COUNT; k++)
		if (s.kinds[k])
			select_walk(&s, (enum ipc_kind)k, cand_target, &g);
	select_free(&s);
}

static void
cand_arg(const struct verb *v, const struct opt *o, const char *prefix)
{
	char		 word[OPT_META_MAX];
	const char	*w;
	size_t		 n;

	switch (o->arg) {
	case A_USER:
		cand_users(prefix);
		break;
	case A_COLS:
		cand_columns(v, prefix);
		break;
	case A_FILE:
		puts(":files");
		break;
	case A_WORD:
		/* the words of .meta, "short|iso" */
		for (w = o->meta; *w != '\0'; w += n + (w[n] == '|')) {
			n = strcspn(w, "|");
			memcpy(word, w, n);	/* n < sizeof word: a part of meta */
			word[n] = '\0';
			cand(prefix, word);
		}
		break;
	case A_TARGET:
		cand_targets(v, NULL, 0);
		break;
	default:
		break;
	}
}

/*
 * `ipctool __complete WORDS...`: WORDS are the command line after
 * "ipctool", the last one the word being completed ("" for a new one).
 * Prints the candidates, one a line; ":files" alone asks the shell to
 * complete file names.
 */
static void	complete_words(int, char **, const struct verb *,
		    struct cmdargs_opt *, char **);

int
table_complete(int argc, char **argv, const struct verb *global)
{
	struct cmdargs_opt	*given;
	char			**pos;
	int			 rc = 0;

	if (argc < 2)
		return 0;
	comp_cur = argv[argc - 1];
	given = calloc((size_t)argc, sizeof *given);
	pos = calloc((size_t)argc, sizeof *pos);
	if (given == NULL || pos == NULL)
		rc = EXIT_SYSERR;
	else
		complete_words(argc, argv, global, given, pos);
	free(given);
	free(pos);
	return rc;
}

/* table_complete's walk, in arrays of argc entries it owns */
static void
complete_words(int argc, char **argv, const struct verb *global,
    struct cmdargs_opt *given, char **pos)
{
	const struct verb	*const *vp, *v = global;
	const struct object	*ob;
	const struct opt	*o;
	struct given		 g;
	int			 i, npos = 0, ngiven = 0;
	bool			 dashdash = false;

	/* argv[1 .. argc-2] are complete words */
	for (i = 1; i < argc - 1; i++) {
		const char	*s = argv[i];

		if (dashdash || s[0] != '-' || s[1] == '\0') {
			if (v == global) {
				/* the command word, then an object's verb */
				for (ob = table_objects; ob->name != NULL; ob++)
					if (strcmp(ob->name, s) == 0)
						break;
				if (ob->name != NULL) {
					if (i + 1 >= argc - 1) {
						for (vp = table_verbs;
						    *vp != NULL; vp++)
							if ((*vp)->object &&
							    strcmp((*vp)->object,
							    s) == 0)
								cand_desc("",
								    (*vp)->entry.name,
								    verb_help(*vp));
						return;
					}
					v = table_find(s, argv[++i]);
				} else
					v = table_find(NULL, s);
				if (v == NULL)
					return;
				ngiven = 0;
				continue;
			}
			if (dashdash && npos >= v->minpos &&
			    (v->flags & V_CMD))
				return;	/* inside CMD */
			pos[npos++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			if (v == global)
				return;
			dashdash = true;
			continue;
		}
		o = s[1] == '-' ? find_long(v, s + 2) :
		    find_short(v, s[strlen(s) - 1]);
		if (o == NULL)
			continue;
		given[ngiven].opt = o;
		given[ngiven++].arg = NULL;
		if (o->arg != A_NONE && strchr(s, '=') == NULL &&
		    (s[1] == '-' || s[2] == '\0')) {
			/* an optional one: the next word only if it is one */
			if ((o->flags & OPT_OPTARG) && (i + 1 == argc - 1 ||
			    !takes_next(o, argv[i + 1])))
				continue;
			if (i + 1 == argc - 1) {
				cand_arg(v, o, "");
				return;
			}
			i++;
		}
	}
	/* the word being completed */
	if (!dashdash && comp_cur[0] == '-') {
		const char	*eq = strchr(comp_cur, '=');

		if (comp_cur[1] == '-' && eq != NULL) {
			char	pre[128];

			if ((o = find_long(v, comp_cur + 2)) != NULL) {
				snprintf(pre, sizeof pre, "%.*s",
				    (int)(eq + 1 - comp_cur), comp_cur);
				cand_arg(v, o, pre);
			}
			return;
		}
		g.opts = given;
		g.nopts = ngiven;
		opt_walk(v->opts, NULL, cand_opt, &g);
		cand_opt(&opt_help, NULL, &g);
		return;
	}
	if (v == global) {
		for (ob = table_objects; ob->name != NULL; ob++)
			cand_desc("", ob->name, ob->help);
		for (vp = table_verbs; *vp != NULL; vp++)
			if ((*vp)->object == NULL && !((*vp)->flags & V_HIDDEN))
				cand_desc("", (*vp)->entry.name,
				    verb_help(*vp));
		return;
	}
	if (v->maxpos >= 0 && npos >= v->maxpos)
		return;		/* nothing more to name */
	switch (v->pos) {
	case P_TARGET:
		if (npos == 0)
			cand_targets(v, NULL, 0);
		break;
	case P_TARGETS:
		cand_targets(v, pos, npos);
		break;
	case P_FILE:
		if (npos == 0)
			puts(":files");
		break;
	default:
		break;
	}
}
