/* SPDX-License-Identifier: ISC */
/*
 * The family table: what ipctool knows of each kind of object (sem, shm,
 * mq x System V, POSIX) in one place, and the removal by TARGET that
 * "KIND rm", the top-level rm and create's undo share.  Indexed by
 * enum ipc_kind (kinds) and by the word "sem", "shm", "mq" (families).
 */
#ifndef IPCTOOL_FAMILY_H
#define IPCTOOL_FAMILY_H

#include <stdbool.h>

#include "lib/ipc.h"

struct kind_info {
	const char	*word;		/* "sem": the command word */
	const char	*section;	/* JSON array: "posix_semaphores" */
	const char	*what;		/* "POSIX semaphore": in messages */
	bool		 posix;
	int		(*remove_id)(int);		/* System V */
	int		(*remove_name)(const char *);	/* POSIX */
};
extern const struct kind_info	kinds[IPC_K_COUNT];

struct obj;

struct family {
	const char	*word;		/* "sem", "shm", "mq" */
	const char	*noun;		/* "semaphores": in refusals */
	enum ipc_kind	 sysv, posix;	/* its two kinds */
	int		 target_flags;	/* for parse_target */
	/* 1 if t names an object (or one ipctool may not look at), 0 if
	 * not, -1 with errno */
	int		(*exists)(const struct ipc_target *t);
	/* the System V id of a key or id TARGET: 0, or -1 with errno */
	int		(*open)(const struct ipc_target *t, int *id);
	/* opens o's POSIX handle (NULL: opened by name when used) */
	int		(*open_posix)(struct obj *o, int access);
};
extern const struct family	families[];
extern const size_t		nfamilies;

/* The family of a command word; NULL when there is none. */
const struct family *family_named(const char *word);
/* The same, exiting 2 when there is none (a kind option, a manifest line). */
const struct family *xfamily_named(const char *word);
/* The kind t names in family f. */
enum ipc_kind family_kind(const struct family *f, const struct ipc_target *t);
/* Removes the object t names: 0, or -1 with errno. */
int	family_remove(const struct family *f, const struct ipc_target *t);
/* Removes a listed object: 0, or -1 with errno. */
int	kind_remove(const struct ipc_obj *o);

/*
 * A TARGET resolved to something to operate on, in one of the families:
 * obj_parse parses it, every usage check that depends on its family
 * (obj_refuse_posix, obj_refuse_sysv) runs next, then obj_open looks it
 * up.  Each exits with the message and the exit code of SPEC on failure.
 */
struct obj {
	const struct family	*f;
	struct ipc_target	 t;
	bool			 posix;
	int			 id;		/* System V; -1 until opened */
	union {					/* POSIX, by family */
		struct ipc_psem	*ps;
		struct ipc_pmq	*pq;
	};
};

void	obj_parse(const char *word, const char *arg, struct obj *o);
/* access: IPC_PMQ_READ, IPC_PMQ_WRITE for a POSIX queue, else 0 */
void	obj_open(struct obj *o, int access);
void	obj_resolve(const char *word, const char *arg, int access,
	    struct obj *o);
/* Usage error (exit 2) if cond and o is POSIX (System V): "POSIX
 * semaphores why". */
void	obj_refuse_posix(const struct obj *o, bool cond, const char *why);
void	obj_refuse_sysv(const struct obj *o, bool cond, const char *why);

#endif
