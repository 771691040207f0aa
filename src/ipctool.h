/*
 * ipctool: the command layer.  Command files parse their arguments with the
 * helpers here, call the library in lib/ and print.
 */
#ifndef IPCTOOL_H
#define IPCTOOL_H

#include <sys/types.h>

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lib/ipc.h"

/* Exit status, as in SPEC.md and the man page. */
enum {
	EXIT_BUSY = 1,		/* would block, or the timeout passed */
	EXIT_USAGE = 2,		/* bad option, argument, TARGET or value */
	EXIT_NOENT = 3,		/* no such object */
	EXIT_EXISTS = 4,	/* the object already exists */
	EXIT_PERM = 5,		/* permission denied */
	EXIT_LIMIT = 6,		/* a limit of the kernel or of the object */
	EXIT_REMOVED = 7,	/* removed while waiting on it */
	EXIT_SYSERR = 8,	/* any other system error */
	EXIT_CANNOT_EXEC = 126,
	EXIT_CMD_NOT_FOUND = 127
};

/* One verb of an object ("sem create") or a top-level command ("list"). */
struct cmd_entry {
	const char	*name;
	const char	*usage;		/* the synopsis after the command words */
	const char	*help;		/* one line for `ipctool --help` */
	int		(*exec)(int argc, char **argv);
};

struct cmd_object {
	const char		*name;
	const char		*help;
	const struct cmd_entry	*verbs;	/* NULL-name terminated */
};

extern const struct cmd_entry	 cmd_sem_verbs[];
extern const struct cmd_entry	 cmd_shm_verbs[];
extern const struct cmd_entry	 cmd_mq_verbs[];
extern const struct cmd_entry	 cmd_key_entry;
extern const struct cmd_entry	 cmd_info_entry;
extern const struct cmd_entry	 cmd_list_entry;
extern const struct cmd_entry	 cmd_rm_entry;

/* The running command, e.g. "sem acquire": used in every message. */
extern const char		*cmd_name;
extern const struct cmd_entry	*cmd_current;
/* -E/--conflict-exit-code: replaces EXIT_BUSY. */
extern int			 conflict_exit;

/* ---- messages (all end the line; the die* functions exit) ---- */
void	warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	die(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
/* "...: <why>" with strerror(err); returns the exit code for err */
int	warn_errno(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	die_errno(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	die_usage(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	usage(int status) __attribute__((noreturn));
/* Exit code for an errno value from the library. */
int	exit_code(int err);
/* A short reason for err when the subject is an IPC object. */
const char *object_strerror(int err);
/* Message about target t failing with err; returns the exit code. */
int	warn_target(const struct ipc_target *t, int err);
void	die_target(const struct ipc_target *t, int err) __attribute__((noreturn));

/* ---- argument parsing ---- */
/*
 * A getopt_long loop that also collects positional arguments wherever they
 * stand, and splits off "-- CMD ARGS" for commands that run one:
 *
 *	struct args a;
 *	args_init(&a, argc, argv, "d:i:t:", longopts, 1, 1, true);
 *	while ((c = args_next(&a)) != -1) switch (c) { ... }
 *
 * After "--", the positional arguments still missing are taken first
 * (so "-- -2" names key -2), then, for commands with takes_cmd, an optional
 * second "--" and the command.  optstring is extended with "+:h"; every
 * longopts table has { "help", no_argument, NULL, 'h' }, handled here.
 */
struct args {
	int		 argc;
	char		**argv;
	const char	*optstring;
	char		*optbuf;
	const struct option *longopts;
	int		 minpos, maxpos;	/* maxpos -1: no limit */
	bool		 takes_cmd;
	bool		 done;
	int		 npos;
	char		**pos;
	char		**cmd;			/* NULL-terminated, or NULL */
	const char	*optarg;		/* argument of the last option */
};
void	args_init(struct args *a, int argc, char **argv, const char *optstring,
	    const struct option *longopts, int minpos, int maxpos,
	    bool takes_cmd);
int	args_next(struct args *a);

/* ---- value parsers: exit with EXIT_USAGE (or as noted) on bad input ---- */
#define TARGET_CREATE	0x01	/* "private" is accepted */
#define TARGET_PSEM	0x02	/* POSIX names are semaphore names */
#define TARGET_NOPOSIX	0x04	/* System V only */
#define TARGET_NOSYSV	0x08	/* POSIX only */
/*
 * Parses TARGET; returns 0, or an exit code with *why set: EXIT_USAGE for a
 * malformed target, EXIT_NOENT for path:FILE on a missing file.
 */
int	parse_target(const char *s, int flags, struct ipc_target *t,
	    const char **why);
void	xparse_target(const char *s, int flags, struct ipc_target *t);
int	parse_key(const char *s, key_t *key, const char **why);
/* Decimal number in [min, max]; exits 2 naming opt when it is not. */
long long xparse_num(const char *opt, const char *s, long long min,
	    long long max);
/* SIZE with K/M/G suffixes (powers of 1024), in [min, max]. */
unsigned long long xparse_size(const char *opt, const char *s,
	    unsigned long long min, unsigned long long max);
/* SECS with decimals, e.g. 0.25 */
void	xparse_secs(const char *opt, const char *s, struct timespec *ts);
/* DURATION: N[s|m|h|d|w], whole seconds */
long long xparse_duration(const char *opt, const char *s);
mode_t	xparse_mode(const char *opt, const char *s);
/* A byte 0..255, decimal or 0xHEX. */
int	xparse_byte(const char *opt, const char *s);
/* USER[:GROUP] or :GROUP, names or numbers; unset parts stay NULL. */
void	xparse_owner(const char *opt, const char *s, uid_t *uid, bool *has_uid,
	    gid_t *gid, bool *has_gid);

/*
 * --mode and --owner of the set verbs, ready for the library's set_perm
 * calls: a NULL pointer leaves that field as it is.
 */
struct perm_opts {
	mode_t		 mode;
	uid_t		 uid;
	gid_t		 gid;
	const mode_t	*pmode;
	const uid_t	*puid;
	const gid_t	*pgid;
};
void	perm_mode(struct perm_opts *p, const char *arg);
void	perm_owner(struct perm_opts *p, const char *arg);
bool	perm_any(const struct perm_opts *p);

/* ---- formatting helpers ---- */
/* "0x%08x" of a key */
const char *fmt_key(key_t key, char buf[static 11]);
/* "0644": the mode in octal */
const char *fmt_perms(mode_t mode, char buf[static 8]);
/* Cached user and group names (the number when unknown). */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);

/* ---- per-family removal, shared by "KIND rm" and the top-level rm ---- */
/*
 * "sem rm", "shm rm" and "mq rm": remove each TARGET of that family, going
 * on past failures; returns the first failure's exit code.
 */
int	rm_kind(const char *kind, int argc, char **argv);
/* Removes what a create just made: KIND "sem", TARGET "id:N" or "/NAME". */
int	undo_create(const char *kind, const char *target);
/*
 * create's last step: stdout must take the new object's name, or nobody
 * could name it; if it does not, the object is removed and ipctool exits 8.
 */
void	create_done(const char *kind, const char *target);
/* --manifest: appends "KIND TARGET"; if it cannot, undoes the creation. */
void	create_manifest(const char *kind, const char *target,
	    const char *manifest);

/* ---- list and rm --all: kinds and filters (cmd-list.c) ---- */
/* long-only options of the selection, shared by list and rm */
enum {
	OPT_SEL_SEM = CHAR_MAX + 64,
	OPT_SEL_SHM,
	OPT_SEL_MQ,
	OPT_SEL_SYSV,
	OPT_SEL_POSIX,
	OPT_SEL_OWNER,
	OPT_SEL_CREATOR,
	OPT_SEL_KEY,
	OPT_SEL_ORPHANED,
	OPT_SEL_OLDER,
	OPT_SEL_EMPTY,
	OPT_PIDS
};
#define SELECT_LONGOPTS							\
	{ "creator",	required_argument,	NULL, OPT_SEL_CREATOR },	\
	{ "empty",	no_argument,		NULL, OPT_SEL_EMPTY },	\
	{ "key",	required_argument,	NULL, OPT_SEL_KEY },	\
	{ "mq",		no_argument,		NULL, OPT_SEL_MQ },	\
	{ "older-than",	required_argument,	NULL, OPT_SEL_OLDER },	\
	{ "orphaned",	no_argument,		NULL, OPT_SEL_ORPHANED }, \
	{ "owner",	required_argument,	NULL, OPT_SEL_OWNER },	\
	{ "posix",	no_argument,		NULL, OPT_SEL_POSIX },	\
	{ "sem",	no_argument,		NULL, OPT_SEL_SEM },	\
	{ "shm",	no_argument,		NULL, OPT_SEL_SHM },	\
	{ "sysv",	no_argument,		NULL, OPT_SEL_SYSV }

struct mapping;
struct fdref;
struct ipc_select {
	bool		 fam[3];		/* --sem --shm --mq */
	bool		 sysv, posix;
	bool		 kinds[IPC_K_COUNT];	/* the outcome */
	bool		 use_proc;		/* not IPCTOOL_NO_PROC=1 */
	bool		 has_owner, has_creator, has_key;
	bool		 orphaned, empty, mq_warned;
	uid_t		 owner, creator;
	key_t		 key;
	long long	 older_than;		/* seconds, -1: none */
	time_t		 now;
	/* who maps what, scanned once when needed */
	struct mapping	*maps;
	size_t		 nmaps, maps_cap;
	bool		 maps_scanned, fds_scanned;
	struct fdref	*fds;
	size_t		 nfds, fds_cap;
	dev_t		 mq_dev;
};
const char *kind_word(enum ipc_kind k);		/* "sem", "shm", "mq" */
void	select_init(struct ipc_select *s);
/* true if c was a selection option */
bool	select_opt(struct ipc_select *s, int c, const char *arg);
/* Settles the kinds; false if none is left. */
bool	select_done(struct ipc_select *s);
void	select_scan_maps(struct ipc_select *s);
size_t	select_mappings(const struct ipc_select *s, const struct ipc_obj *o,
	    const struct mapping **first);
/* Calls cb for each selected object of kind k; returns 0 or an exit code
 * (after a message). */
int	select_walk(struct ipc_select *s, enum ipc_kind k, ipc_list_cb cb,
	    void *arg);
void	select_free(struct ipc_select *s);

#endif
