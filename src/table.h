/* SPDX-License-Identifier: ISC */
/*
 * The command table: every verb of ipctool as one declarative entry that
 * owns its options.  One parser (args_parse) consumes an entry; `--help`,
 * `ipctool --help`, the completion helper (`ipctool __complete WORDS...`)
 * and the option dump the man-page check reads (`ipctool __options`) are
 * generated from the same data, so they cannot drift apart.
 *
 * Adding an option to a verb:
 *	1. one line in the verb's option array (its cmd-*.c file, or a shared
 *	   set in table.c): { OPT("name", 'x', A_NUM, OPT_ID, "help") };
 *	   short-only options take "" as the name, long-only ones 0 as the
 *	   letter and an id from the file's own enum (CHAR_MAX + 1 ...);
 *	2. its `case OPT_ID:` in the verb's exec function, which reads
 *	   a->optarg and parses it with the xparse_* helpers;
 *	3. its text in man/ipctool.1 (the verb's SYNOPSIS line and an .It in
 *	   its option list): tests/table.bats fails until it is there.
 *	Help, usage errors and the bash/zsh/fish completions follow by
 *	themselves.  Options that may not be given together share an EXCL_*
 *	bit in .excl.
 * Adding a verb: a `struct verb` in its cmd file (name, usage line, help,
 *	positional counts and kind, families, options, exec), its address in
 *	the list in table.c, and its man text.
 */
#ifndef IPCTOOL_TABLE_H
#define IPCTOOL_TABLE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "ipctool.h"

struct out_column;

/* What an option's argument is: its help name and how it completes. */
enum arg_kind {
	A_NONE = 0,
	A_NUM,			/* a decimal number */
	A_SIZE,			/* bytes, K/M/G suffixes */
	A_DURATION,		/* 30s, 10m, 2h, 1d */
	A_SECS,			/* seconds with decimals */
	A_MODE,			/* octal 0..0777 */
	A_TARGET,		/* a TARGET: completes live objects */
	A_USER,			/* USER[:GROUP]: completes user names */
	A_COLS,			/* a column list: completes the verb's columns */
	A_FILE,			/* a file name */
	A_CMD,			/* a command */
	A_TEXT,			/* anything */
	A_WORD			/* one of .meta's words: "short|iso" */
};

/* option flags */
#define OPT_HIDDEN	0x01	/* an alias: accepted, not shown in help */
#define OPT_SYSV	0x02	/* System V only (help says so) */
#define OPT_POSIX	0x04	/* POSIX only (help says so) */
/*
 * The argument is optional: `--name=ARG` (or `-xARG`) gives it, and so
 * does `--name ARG` when ARG is a decimal number and the kind A_NUM (so
 * `--for $$` keeps working); otherwise a bare `--name` leaves a->optarg
 * NULL and does not take the next word.  Help and the man page spell it
 * `--name[=ARG]`.
 */
#define OPT_OPTARG	0x08

/*
 * Exclusive groups: two options of one verb sharing a bit here, with
 * different ids, are a usage error before anything touches the system.
 */
#define EXCL_FORMAT	0x01	/* --json | --raw | --export | --metrics */
#define EXCL_WAIT	0x02	/* -t SECS | --nowait */
#define EXCL_FAMILY	0x04	/* --sysv | --posix */
#define EXCL_LOCK	0x08	/* --lock | --unlock */
#define EXCL_TYPE	0x10	/* -T TYPE | -p PRIO */
#define EXCL_COUNT	0x20	/* -c COUNT | --follow */
/* --metrics excludes each of these, which do not exclude each other */
#define EXCL_COLS	0x40	/* --metrics | -o COLS */
#define EXCL_HEADINGS	0x80	/* --metrics | -n */
#define EXCL_HUMAN	0x100	/* --metrics | -H */
#define EXCL_PIDS	0x200	/* --metrics | --pids */
#define EXCL_METRICS	(EXCL_COLS | EXCL_HEADINGS | EXCL_HUMAN | EXCL_PIDS)

/*
 * The texts are arrays, not pointers: a table of pointers is relocated at
 * every start of a position-independent ipctool, and its pages are
 * written, each a page fault (about 5 of a start's 80, measured); arrays
 * stay in the read-only file pages.  The compiler refuses a text too long.
 */
#define OPT_NAME_MAX	20
#define OPT_HELP_MAX	72
#define OPT_META_MAX	16
struct opt {
	char			 name[OPT_NAME_MAX];	/* without "--"; "": none */
	int			 letter;	/* short option, or 0 */
	enum arg_kind		 arg;
	int			 id;	/* what args_opt returns */
	char			 help[OPT_HELP_MAX];
	char			 meta[OPT_META_MAX];	/* "": from arg */
	unsigned int		 flags;
	unsigned int		 excl;
	int			 include;	/* a shared set, in place */
};

/* The shared sets an entry includes (by number: no pointer in a table). */
enum opt_set {
	SET_NONE = 0,
	SET_OUTPUT,
	SET_METRICS,
	SET_SELECT,
	SET_KINDS,
	SET_FILTERS,
	SET_WAIT,
	SET_PERM
};
/* An option; the optional fields by name after it: OPT(...), .excl = X
 * (an optional argument: .flags = OPT_OPTARG).  A short-only option has
 * "" as its name. */
#define OPT(n, l, k, i, h)	.name = n, .letter = (l), .arg = (k),	\
				.id = (i), .help = h
/* Includes a shared, { 0 }-terminated set (an enum opt_set) in place. */
#define OPT_SET(s)		{ .include = (s) }
#define OPT_END			{ .letter = 0 }

/* Shared sets (table.c): included by reference in several entries. */
extern const struct opt	opts_output[];	/* --json --raw --export -o -n -H */
extern const struct opt	opts_select[];	/* kinds and filters: list, rm */
extern const struct opt	opts_kinds[];	/* --sem --shm --mq --sysv --posix */
extern const struct opt	opts_filters[];	/* --owner ... --empty */
extern const struct opt	opts_wait[];	/* -t --nowait -E */
extern const struct opt	opts_perm[];	/* --mode --owner of every set */
extern const struct opt	opts_none[];	/* a verb without options */
extern const struct opt	opts_stat[];	/* "KIND stat": opts_output */
/* ids of the shared long-only options */
enum {
	OPT_WAIT_NOWAIT = CHAR_MAX + 128,
	OPT_WAIT_VERBOSE,	/* --verbose of the verbs that wait (wait.h) */
	OPT_PERM_MODE,		/* set's --mode (statset.c) */
	OPT_PERM_OWNER		/* set's --owner */
};

/* What the positional arguments are, for completion. */
enum pos_kind {
	P_NONE = 0,
	P_TARGET,		/* the first is an existing object's TARGET */
	P_NEW,			/* an optional TARGET for a new object */
	P_TARGETS,		/* every one is a TARGET, of any kind */
	P_FILE			/* the first is a file */
};

/* families an entry accepts */
#define FAM_SYSV	0x01
#define FAM_POSIX	0x02

/* verb flags */
#define V_CMD		0x01	/* takes "-- CMD ARGS..." */
#define V_HIDDEN	0x02	/* not in help or completion */

struct cmdargs;
struct verb {
	struct cmd_entry	 entry;	/* name, usage, help; cmd_current */
	const char		*object;	/* "sem", or NULL: top level */
	int			 minpos, maxpos;	/* maxpos -1: no limit */
	enum pos_kind		 pos;
	unsigned int		 flags;
	unsigned int		 families;
	const struct opt	*opts;
	/* the columns -o takes, for help and completion; NULL: none */
	const struct out_column	*cols;
	size_t			 ncols;
	int			(*exec)(struct cmdargs *);
};

/* The objects and every verb, in help order; NULL-terminated. */
struct object {
	const char	*name;
	const char	*help;
};
extern const struct object	 table_objects[];
/* the converted verbs, each in its cmd file */
extern const struct verb	 verb_info;
extern const struct verb	 verb_key;
extern const struct verb	 verb_shm_create, verb_shm_read, verb_shm_write,
				 verb_shm_attach, verb_shm_stat, verb_shm_set,
				 verb_shm_rm;
extern const struct verb	 verb_mq_create, verb_mq_send, verb_mq_receive,
				 verb_mq_notify, verb_mq_stat, verb_mq_set,
				 verb_mq_rm;
extern const struct verb	 verb_list;
extern const struct verb	 verb_rm;
extern const struct verb *const	 table_verbs[];

/* The verb being run (set by the dispatcher), or NULL. */
extern const struct verb	*table_current;

/* Exact lookup; NULL when there is none. */
const struct verb *table_find(const char *object, const char *name);

/*
 * The parsed command line of one verb: options in order, positionals
 * wherever they stood, "-- CMD".
 */
struct cmdargs_opt {
	const struct opt	*opt;
	const char		*arg;
};
struct cmdargs {
	const struct verb	*verb;
	int			 npos;
	char			**pos;
	char			**cmd;	/* NULL-terminated, or NULL */
	char			**rest;	/* with stop: from the first word */
	const char		*optarg;	/* the last option's argument */
	const struct opt	*opt;	/* the last option */
	struct cmdargs_opt		*opts;
	int			 nopts, next;
};
/*
 * Parses argv[1..] against v: exits 2 on a usage error, prints the help
 * and exits on -h/--help.  With stop, parsing ends at the first positional
 * (global options before the command word): a->rest points at it.
 */
void	args_parse(struct cmdargs *a, const struct verb *v, int argc,
	    char **argv, bool stop);
/* The next option's id (a->optarg, a->opt set), or -1. */
int	args_opt(struct cmdargs *a);

/* `VERB --help`, `OBJECT --help`, `ipctool --help` (usage lines). */
void	table_help(FILE *f, const struct verb *v);
void	table_help_object(FILE *f, const char *object);
void	table_help_all(FILE *f, const struct verb *global);
/* The usage line ("" for none) and the help of v. */
const char *verb_usage(const struct verb *v);
const char *verb_help(const struct verb *v);

/* The hidden helpers: `__complete WORDS...` and `__options [VERB]`. */
int	table_complete(int argc, char **argv, const struct verb *global);
int	table_options(int argc, char **argv, const struct verb *global);

#endif
