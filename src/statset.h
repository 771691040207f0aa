/* SPDX-License-Identifier: ISC */
/*
 * The one "KIND stat" and "KIND set" of every family: the driver parses
 * the options and the TARGET, resolves it (struct obj) and prints or
 * changes it; a family supplies only its columns, how to read and show
 * an object, and the attributes its set takes beyond --mode and --owner.
 */
#ifndef IPCTOOL_STATSET_H
#define IPCTOOL_STATSET_H

#include <stdbool.h>
#include <stddef.h>

#include "family.h"
#include "ipctool.h"
#include "output.h"
#include "table.h"

struct stat_family {
	const char		*word;		/* "sem" */
	const struct out_column	*cols;
	size_t			 ncols;
	const char		*defaults[2];	/* System V, POSIX */
	size_t			 mtime_col, ctime_col;
	/*
	 * Reads o into arg before anything is printed; exits on failure.
	 * Returns a POSIX object's file status (NULL for System V): the
	 * driver shows its owner, MTIME and CTIME.
	 */
	const struct ipc_posix_stat *(*load)(struct obj *o, void *arg);
	/*
	 * Fills the rest of out's record from arg, and ob for who_stat
	 * (kind, id -1 and a POSIX file are set); true when it printed the
	 * rest itself (no who_stat).
	 */
	bool	(*fill)(struct out *out, const struct out_opts *oo,
		    const struct obj *o, void *arg, struct ipc_obj *ob);
};

/* The owner cells of a System V ipc_{sem,shm,msg}_info *i. */
#define SYSV_OWNER(i)	(&(struct owner_cells){ .key = (i)->key,	\
	.id = (i)->id, .mode = (i)->mode, .uid = (i)->uid, .gid = (i)->gid, \
	.cuid = (i)->cuid, .cgid = (i)->cgid })

/* "KIND stat TARGET": arg is the family's record for load and fill. */
int	stat_exec(struct cmdargs *a, const struct stat_family *sf, void *arg);

struct set_family {
	const char	*word;
	/* any option of the verb but opts_perm's --mode and --owner */
	void	(*opt)(int c, const char *optarg, void *arg);
	/* after the options, before the TARGET: "nothing to set", ... */
	void	(*usage)(const struct perm_opts *p, void *arg);
	/* the TARGET parsed, not looked up: refusals by family (or NULL) */
	void	(*check)(const struct obj *o, void *arg);
	/* all or nothing: a failed set changes nothing */
	void	(*apply)(struct obj *o, const struct perm_opts *p, void *arg);
};

/* "KIND set TARGET": arg is the family's state for its hooks. */
int	set_exec(struct cmdargs *a, const struct set_family *sf, void *arg);

#endif
