/* SPDX-License-Identifier: ISC */
/*
 * One create for every family ("sem create", "shm create", "mq create"):
 * the TARGETs parsed before anything is made (none: a random key, or with
 * --posix a random POSIX name, O_EXCL retried), mode, --exist-ok, each
 * object made or opened by the family's make step, --manifest, the TARGET
 * lines or the JSON record (the family's describe step), and all or none:
 * when any step fails, what this call made is removed again and the exit
 * code is the failure's.  A family supplies its checks, make and describe.
 */
#ifndef IPCTOOL_CREATE_H
#define IPCTOOL_CREATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "family.h"

struct out;
struct out_column;

/* the shared long-only option ids of the create verbs */
enum {
	OPT_CREATE_EXIST_OK = CHAR_MAX + 160,
	OPT_CREATE_MANIFEST,
	OPT_CREATE_POSIX
};

/* One object that create makes or, with --exist-ok, opens. */
struct create_obj {
	struct ipc_target	 t;
	char			 target[NAME_MAX + 16];	/* "id:N", "/NAME" */
	bool			 created;
	int			 id;		/* System V */
	key_t			 key;
	mode_t			 mode;		/* asked for; then the object's */
	/* the family's own cells: nsems, size or qbytes; mq's attributes */
	unsigned long long	 n;
	long			 maxmsg, msgsize;
};

struct create_family {
	const char		*word;		/* "sem", "shm", "mq" */
	int			 target_flags;	/* TARGET_PSEM for sem */
	/* the JSON record: TARGET KEY ID NAME PERMS CREATED and its own */
	const struct out_column	*cols;
	size_t			 ncols;
	/* usage checks of one TARGET, before anything is made; may die */
	void	(*check)(const struct create_obj *o, void *arg);
	/*
	 * Makes o->t (or opens it when exist_ok): sets created, id, key,
	 * mode, the family's cells.  0; -1 with errno for a failure to
	 * report by the TARGET (EEXIST retries a random POSIX name); or an
	 * exit code after its own message, having removed what it made.
	 */
	int	(*make)(struct create_obj *o, bool exist_ok, void *arg);
	/* the family's own JSON cells of o */
	void	(*describe)(struct out *out, const struct create_obj *o,
		    void *arg);
};

struct create_run {
	const struct create_family *fam;
	bool			 exist_ok, json, posix;
	mode_t			 mode;		/* -m, default 0600 */
	const char		*manifest;
};
void	create_init(struct create_run *r, const struct create_family *f);
/* -m, -J, --exist-ok, --manifest, --posix; false when c is none */
bool	create_run_opt(struct create_run *r, int c, const char *arg);
/* Everything after the options; returns the exit code. */
int	create_exec(struct create_run *r, int npos, char **pos, void *arg);

#endif
