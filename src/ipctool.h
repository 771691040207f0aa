/* SPDX-License-Identifier: ISC */
/*
 * ipctool: the command layer.  Command files parse their arguments with the
 * helpers here, call the library in lib/ and print.
 */
#ifndef IPCTOOL_H
#define IPCTOOL_H

#include <sys/types.h>

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
};

/* the sem verbs' table entries (cmd-sem.c) */
struct verb;
extern const struct verb	 verb_sem_create, verb_sem_acquire,
				 verb_sem_release, verb_sem_z, verb_sem_value,
				 verb_sem_op, verb_sem_stat, verb_sem_set,
				 verb_sem_rm;

/* The running command, e.g. "sem acquire": used in every message. */
extern const char		*cmd_name;
extern const struct cmd_entry	*cmd_current;
/* -E/--conflict-exit-code: replaces EXIT_BUSY. */
/*
 * --ns was given: the IPC namespace is another's.  With --ns PID the POSIX
 * objects are the target's too (ipc_posix_elsewhere()); with --ns FILE
 * /dev/shm and /dev/mqueue are still the caller's, so nothing touches
 * POSIX objects.
 */
extern bool			 ns_joined;
/* The refusal of a POSIX object under --ns, one line; returns EXIT_USAGE. */
int	refuse_posix_ns(const char *what);
/* "CMD: <why>" for a CMD that could not run: returns 127 or 126 */
int	warn_cmd(const char *cmd, int err);
/*
 * Runs -- CMD and waits for it: its exit status, or 128+N for signal N,
 * 127 or 126 when it cannot run.  done(arg, ran), if not NULL, runs
 * after CMD (or its failed start); its nonzero return is the status
 * when CMD succeeded.
 */
int	run_cmd(char **cmd, int (*done)(void *, bool), void *arg);

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
const char *not_supported(const char *name);
/* Message about target t failing with err; returns the exit code. */
int	warn_target(const struct ipc_target *t, int err);
void	die_target(const struct ipc_target *t, int err) __attribute__((noreturn));

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

/* ---- per-family removal (family.c), "KIND rm" and create's undo ---- */
/*
 * "sem rm", "shm rm" and "mq rm": remove each TARGET of that family, going
 * on past failures; returns the first failure's exit code.
 */
int	rm_targets(const char *kind, int n, char *const *targets);
/* Removes what a create just made: KIND "sem", TARGET "id:N" or "/NAME". */
int	undo_create(const char *kind, const char *target);

/* ---- names and manifests (manifest.c) ---- */
/* The length of the valid UTF-8 sequence at s (2 to 4), or 0. */
size_t	utf8_seq(const unsigned char *s, size_t n);
/*
 * The length of the printable character at s (ASCII from ' ' to '~', or
 * UTF-8 other than C1 controls), or 0 for a byte a terminal must not get.
 */
size_t	name_printable(const unsigned char *s, size_t n);
/*
 * The two escapings of names, one walker: NAME_ESC_HEX for manifests,
 * --raw and --export (space, backslash, control and non-UTF-8 bytes as
 * \xHH; read back by name_unescape); NAME_ESC_TABLE for table cells, as
 * ls shows a name (\n, \t, ... or \ooo, a backslash as \\), so that no
 * name can move the cursor or recolour the screen.  out holds 4 * len + 1;
 * returns the length written (NUL terminated).
 */
enum name_esc { NAME_ESC_HEX, NAME_ESC_TABLE };
size_t	name_escape_as(enum name_esc how, const char *s, size_t len,
	    char *out);
size_t	name_escape(const char *s, size_t len, char *out);
char	*name_escape_dup(const char *s);
/* parse_target for a TARGET read back: POSIX names may hold any byte. */
int	manifest_parse_target(const char *s, int flags, struct ipc_target *t,
	    const char **why);
/*
 * Appends "KIND TARGET" (escaped) to a manifest; EINTR when a terminating
 * signal came while it blocked (a FIFO).
 */
int	manifest_append(const char *file, const char *kind,
	    const char *target);
struct manifest {
	FILE		*f;
	const char	*file;
	char		*line;
	size_t		 cap;
	long		 lineno;	/* of the line last read */
};
int	manifest_open(struct manifest *m, const char *file);
/*
 * One line of len bytes (its newline included or not), parsed in place:
 * 1 with KIND and TARGET (decoded) pointing into it, 0 for an empty or
 * comment line, -2 with *why for a malformed one.  Touches nothing else.
 */
int	manifest_parse_line(char *line, size_t len, const char **kind,
	    char **target, const char **why);
/*
 * The next entry, KIND and TARGET decoded (valid until the next call):
 * 1, or 0 at the end, -1 on a read error (errno), -2 for a malformed line
 * (*why; m->lineno is its number).
 */
int	manifest_next(struct manifest *m, const char **kind, char **target,
	    const char **why);
void	manifest_close(struct manifest *m);

/* ---- list and rm --all: kinds and filters (select.c) ---- */
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
/*
 * A use of an object by a process, from the /proc scan: kind IPC_K_SHM, a
 * System V segment mapped, by id; IPC_K_PSHM, a file of /dev/shm (a POSIX
 * semaphore or shared memory object) mapped or open, by device and inode
 * (never by name); IPC_K_PMQ, a POSIX queue open, by device and inode.
 * Under -A a System V id is its namespace's: ns is that namespace's inode
 * (0 for POSIX objects, whose device and inode are unique, and without -A).
 */
struct mapping {
	enum ipc_kind	 kind;
	unsigned long long ns;
	int		 id;
	dev_t		 dev;
	ino_t		 ino;
	pid_t		 pid;
};
/* A process blocked on an object: kind IPC_K_SEM, IPC_K_MSG (by id),
 * IPC_K_PMQ or IPC_K_PSEM (by device and inode). */
struct waiter {
	struct mapping	 on;
	struct ipc_wait	 w;
};
struct procname {
	pid_t		 pid;
	char		 comm[64];
};
/* What select_scan reads; WHO_WAITS implies the rest. */
#define WHO_USES	0x01	/* maps and descriptors */
#define WHO_WAITS	0x02	/* /proc/PID/syscall */
struct ipc_select {
	bool		 fam[3];		/* --sem --shm --mq */
	bool		 sysv, posix;
	bool		 kinds[IPC_K_COUNT];	/* the outcome */
	bool		 use_proc;		/* not IPCTOOL_NO_PROC=1 */
	bool		 has_owner, has_creator, has_key;
	bool		 orphaned, empty, mq_warned;
	bool		 mq_quiet;	/* -A: no /dev/mqueue is no news */
	bool		 has_id;	/* list --metrics --id */
	int		 id;
	uid_t		 owner, creator;
	key_t		 key;
	long long	 older_than;		/* seconds, -1: none */
	time_t		 now;
	/* who uses and waits on what: one /proc scan, when needed */
	unsigned int	 scan;			/* WHO_*: wanted by the caller */
	bool		 scanned;
	struct mapping	*maps;
	size_t		 nmaps, maps_cap;
	struct waiter	*waits;
	size_t		 nwaits, waits_cap;
	struct procname	*procs;
	size_t		 nprocs, procs_cap;
	size_t		 nhidden;		/* syscall not readable */
	dev_t		 shm_dev, mq_dev;
	bool		 have_shm, have_mq;
	/*
	 * -A (allns, set before select_done): every IPC namespace a process
	 * lives in, with their /dev/shm and mqueue file systems (each once)
	 * for the one scan; shm_dup[i]: namespace i's /dev/shm is an earlier
	 * one's.  cur_ns: the namespace select_enter_ns joined.
	 */
	bool		 allns;
	struct ipc_ns	*ns;
	size_t		 nns;
	bool		*shm_dup;
	dev_t		*shm_devs, *mq_devs;
	size_t		 nshm_devs, nmq_devs;
	unsigned long long cur_ns;
};
const char *kind_word(enum ipc_kind k);		/* "sem", "shm", "mq" */
/* The JSON array of kind k, in list, stat and create: "sharedmemory"... */
const char *kind_section(enum ipc_kind k);
void	select_init(struct ipc_select *s);
/* true if c was a selection option */
bool	select_opt(struct ipc_select *s, int c, const char *arg);
/* Settles the kinds; false if none is left. */
bool	select_done(struct ipc_select *s);
/* Forgets the last scan and scans again as select_done did (list --watch);
 * under -A, finds the namespaces anew. */
void	select_refresh(struct ipc_select *s);
/*
 * -A: joins namespace i (of s->ns) to walk kind k there; false when there
 * is nothing of k to walk (its /dev/shm was an earlier namespace's, or its
 * last process is gone).
 */
bool	select_enter_ns(struct ipc_select *s, size_t i, enum ipc_kind k);
/* The /proc scan, once per command: s->scan's WHO_* and what
 * --orphaned needs; dies on failure. */
void	select_scan(struct ipc_select *s, unsigned int what);
/*
 * The processes using o (sorted pids, each once; *n of them, an array to
 * free): mapping or holding it open, for System V semaphores and queues
 * their waiters and the last pids that still run.
 */
pid_t	*select_users(const struct ipc_select *s, const struct ipc_obj *o,
	    size_t *n);
/* The first waiter on o and how many there are. */
size_t	select_waiters(const struct ipc_select *s, const struct ipc_obj *o,
	    const struct waiter **first);
/* The command of pid as the scan saw it; NULL if it did not. */
const char *select_comm(const struct ipc_select *s, pid_t pid);
/* "semop 0:-1 1:0", "msgrcv type 3", ... into buf (at most len). */
const char *wait_describe(const struct ipc_wait *w, char *buf, size_t len);
/* Calls cb for each selected object of kind k; returns 0 or an exit code
 * (after a message). */
int	select_walk(struct ipc_select *s, enum ipc_kind k, ipc_list_cb cb,
	    void *arg);
void	select_free(struct ipc_select *s);

/*
 * What `list --metrics` counts: the objects of each kind that pass the
 * selection's filters, and their sizes.  A kind is counted only when it
 * could be listed whole; bytes and messages only when every object of the
 * kind told them (a POSIX queue's bytes never: see ipc_list_posix).
 */
struct ipc_count {
	unsigned long long	 objects, orphaned;
	unsigned long long	 semaphores;	/* sem: members of the sets */
	unsigned long long	 bytes;		/* shm: sizes; mq: queued */
	unsigned long long	 messages;	/* mq */
	unsigned long long	 attachments;	/* System V shm: nattch */
	unsigned long long	 bytes_unknown, messages_unknown;
};
struct ipc_counts {
	bool			 counted[IPC_K_COUNT];
	struct ipc_count	 k[IPC_K_COUNT];
};
/* Whether o is orphaned as --orphaned means it (scans /proc when needed). */
bool	select_orphaned(struct ipc_select *s, const struct ipc_obj *o);
/* Counts every selected kind; returns 0 or an exit code (after a message). */
int	select_count(struct ipc_select *s, struct ipc_counts *c);

#endif
