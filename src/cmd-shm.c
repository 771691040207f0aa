/* SPDX-License-Identifier: ISC */
/*
 * ipctool shm: System V shared memory segments and POSIX shared memory
 * objects.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"
#include "create.h"
#include "family.h"
#include "statset.h"
#include "output.h"
#include "table.h"


/* long-only options */
enum {
	OPT_ADDRESS = CHAR_MAX + 1,
	OPT_FILL,
	OPT_HOLD,
	OPT_HUGETLB,
	OPT_LOCK,
	OPT_NORESERVE,
	OPT_RDONLY,
	OPT_REMAP,
	OPT_RND,
	OPT_SIZE,
	OPT_UNLOCK
};

/*
 * Largest size or offset: what off_t holds.  A System V segment must also
 * fit size_t, and a mapping this address space: past that is exit 6.
 */
#define SHM_SIZE_MAX	((unsigned long long)INT64_MAX)

/* The lib's errno for o, with what ELOOP means for a POSIX object. */
static void __attribute__((noreturn))
die_obj(const struct obj *o, int err)
{
	if (o->posix && err == ELOOP)
		die(EXIT_SYSERR, "%s: not a regular file in %s (a symbolic "
		    "link?): refused", o->t.text, IPC_SHM_DIR);
	die_target(&o->t, err);
}

/* Through /proc/self/map_files unless IPCTOOL_NO_PROC=1. */
static int
map_flags(bool rdonly)
{
	const char	*np = getenv("IPCTOOL_NO_PROC");

	return (rdonly ? IPC_SHM_RDONLY : 0) |
	    (np != NULL && strcmp(np, "1") == 0 ? IPC_SHM_NO_PROC : 0);
}

/*
 * Opens o for len bytes from off: refused by its size before anything is
 * attached or read, so a refusal changes nothing (times included).
 */
static void
shm_map(const struct obj *o, bool rdonly, unsigned long long off,
    unsigned long long len, struct ipc_shm_map *m)
{
	int	r, e;

	if (o->posix)
		r = ipc_pshm_open(o->t.name, rdonly, off, len, m);
	else
		r = ipc_shm_map_id(o->id, map_flags(rdonly), off, len, m);
	if (r == 0)
		return;
	e = errno;
	if (e == ENXIO)
		die(EXIT_LIMIT, "%s: offset %llu is at or past the end (%llu "
		    "bytes)", o->t.text, off, (unsigned long long)m->size);
	if (e == EFBIG && len > 0 && off < m->size && len > m->size - off)
		die(EXIT_LIMIT, "%s: %llu bytes do not fit in the %llu from "
		    "offset %llu", o->t.text, len,
		    (unsigned long long)(m->size - off), off);
	die_obj(o, e);
}

/* ---- create ---- */

static const struct out_column create_cols[] = {
	{ "TARGET", COL_STR, COL_DEFAULT, "" },
	{ "KEY", COL_KEY, COL_DEFAULT, "" },
	{ "ID", COL_NUM, COL_DEFAULT, "" },
	{ "NAME", COL_STR, COL_DEFAULT, "" },
	{ "SIZE", COL_SIZE, COL_DEFAULT, "" },
	{ "PERMS", COL_STR, COL_DEFAULT, "" },
	{ "CREATED", COL_BOOL, COL_DEFAULT, "" },
};
enum { CC_TARGET, CC_KEY, CC_ID, CC_NAME, CC_SIZE, CC_PERMS, CC_CREATED };

static void __attribute__((noreturn))
die_create(const struct ipc_target *t, int err, int flags)
{
	switch (err) {
	case EINVAL:
		die(EXIT_LIMIT, "%s: size out of the kernel's range (SHMMIN.."
		    "SHMMAX)", t->text);
	case ENOSPC:
		die(EXIT_LIMIT, "%s: the kernel's SHMMNI or SHMALL limit is "
		    "reached", t->text);
	case ENOMEM:
		if (flags & IPC_SHM_HUGETLB)
			die(EXIT_LIMIT, "%s: not enough huge pages", t->text);
		die(EXIT_LIMIT, "%s: not enough memory", t->text);
	case ENOTSUP:
		die_usage("%s: not supported on this system", t->text);
	default:
		die_target(t, err);
	}
}

/* Fills a new object with byte; returns 0 or an errno. */
static int
create_fill(const struct ipc_target *t, int id, int byte)
{
	struct ipc_shm_map	m;
	int			e;

	if (t->kind == IPC_T_POSIX) {
		if (ipc_pshm_open(t->name, false, 0, 0, &m) == -1)
			return errno;
	} else if (ipc_shm_map_id(id, map_flags(false), 0, 0, &m) == -1)
		return errno;
	e = ipc_shm_fill(&m, byte) == -1 ? errno : 0;
	if (ipc_shm_unmap(&m) == -1 && e == 0)
		e = errno;
	return e;
}

/* shm create's own options, for its steps */
struct shm_create {
	unsigned long long	 size;
	bool			 size_given;
	int			 fill, flags;
};

static void
shm_create_check(const struct create_obj *o, void *arg)
{
	const struct shm_create	*sc = arg;

	if (o->t.kind == IPC_T_POSIX) {
		if (ns_joined)	/* not in the namespace's /dev/shm */
			exit(refuse_posix_ns(o->t.text));
		if (sc->flags & IPC_SHM_HUGETLB)
			die_usage("--hugetlb: System V segments only");
		if (sc->flags & IPC_SHM_NORESERVE)
			die_usage("--noreserve: System V segments only");
	} else if (sc->size > SIZE_MAX)
		die(EXIT_LIMIT, "%s: size %llu is more than this system "
		    "can map", o->t.text, sc->size);
}

/* Makes or opens o; the set-up (--fill, the mode) of a new one. */
static int
shm_create_open(struct create_obj *o, bool exist_ok,
    const struct shm_create *sc)
{
	struct ipc_shm_info	 info;
	struct ipc_posix_stat	 pst;
	off_t			 psize;
	int			 tries = 0;

	o->n = sc->size;
	if (o->t.kind == IPC_T_POSIX) {
		/* read and write for the set-up; the mode at the end */
		if (ipc_pshm_create(o->t.name, (off_t)sc->size, o->mode | 0600,
		    exist_ok, &o->created, &psize) == -1) {
			if (errno == EEXIST)
				return -1;
			die_create(&o->t, errno == EINVAL ? EFBIG : errno, 0);
		}
		if (!o->created && sc->size_given &&
		    (unsigned long long)psize < sc->size)
			die(EXIT_LIMIT, "%s: exists with %lld bytes, fewer "
			    "than %llu", o->t.text, (long long)psize, sc->size);
		o->n = (unsigned long long)psize;
		if (!o->created && ipc_pshm_stat(o->t.name, &pst) == 0)
			o->mode = pst.mode;
		return 0;
	}
	o->key = o->t.kind == IPC_T_KEY ? o->t.key : IPC_PRIVATE;
	for (;;) {
		if (ipc_shm_create(o->key, o->t.kind == IPC_T_NONE,
		    (size_t)sc->size, o->mode | 0600, sc->flags, &o->id,
		    &o->key) == 0) {
			o->created = true;
			return 0;
		}
		if (errno != EEXIST || !exist_ok)
			die_create(&o->t, errno, sc->flags);
		if (ipc_shm_open(&o->t, &o->id) == -1) {
			/* removed since: try to create again */
			if (errno == ENOENT && ++tries < 100)
				continue;
			die_target(&o->t, errno);
		}
		if (ipc_shm_stat(o->id, &info) == -1)
			die_target(&o->t, errno);
		if (sc->size_given && info.size < sc->size)
			die(EXIT_LIMIT, "%s: exists with %llu bytes, "
			    "fewer than %llu", o->t.text,
			    (unsigned long long)info.size, sc->size);
		o->n = info.size;
		o->mode = info.mode;
		return 0;
	}
}

static int
shm_create_make(struct create_obj *o, bool exist_ok, void *arg)
{
	const struct shm_create	*sc = arg;
	int			 e;

	if ((e = shm_create_open(o, exist_ok, sc)) != 0 || !o->created)
		return e;
	if (sc->fill >= 0 && (e = create_fill(&o->t, o->id, sc->fill)) != 0)
		e = warn_errno(e, "%s: --fill", o->t.text);
	else if ((o->mode & 0600) != 0600 && (o->t.kind == IPC_T_POSIX ?
	    ipc_pshm_set(o->t.name, NULL, NULL, &o->mode, NULL) :
	    ipc_shm_set_perm(o->id, NULL, NULL, &o->mode)) == -1)
		e = warn_errno(errno, "%s: -m", o->t.text);
	if (e != 0) {
		/* nothing half done: remove what was made */
		if (o->t.kind == IPC_T_POSIX)
			ipc_pshm_unlink(o->t.name);
		else
			ipc_shm_remove(o->id);
	}
	return e;
}

static void
shm_create_describe(struct out *out, const struct create_obj *o, void *arg)
{
	(void)arg;
	out_unum(out, CC_SIZE, o->n);
}

static const struct create_family shm_family = {
	"shm", 0, create_cols, sizeof create_cols / sizeof create_cols[0],
	shm_create_check, shm_create_make, shm_create_describe
};

static int
shm_create(struct cmdargs *a)
{
	struct create_run	 cr;
	struct shm_create	 sc = { 0, false, -1, 0 };
	int			 c;

	sc.size = (unsigned long long)sysconf(_SC_PAGESIZE);
	create_init(&cr, &shm_family);
	while ((c = args_opt(a)) != -1) {
		if (create_run_opt(&cr, c, a->optarg))
			continue;
		switch (c) {
		case 's':
			sc.size = xparse_size("-s", a->optarg, 1,
			    SHM_SIZE_MAX);
			sc.size_given = true;
			break;
		case OPT_FILL:
			sc.fill = xparse_byte("--fill", a->optarg);
			break;
		case OPT_HUGETLB:
#if HAVE_DECL_SHM_HUGETLB
			sc.flags |= IPC_SHM_HUGETLB;
			break;
#else
			die_usage("--hugetlb: %s", not_supported("SHM_HUGETLB"));
#endif
		case OPT_NORESERVE:
#if HAVE_DECL_SHM_NORESERVE
			sc.flags |= IPC_SHM_NORESERVE;
			break;
#else
			die_usage("--noreserve: %s",
			    not_supported("SHM_NORESERVE"));
#endif
		}
	}
	return create_exec(&cr, a->npos, a->pos, &sc);
}

/* ---- read and write ---- */

static int
shm_read(struct cmdargs *a)
{
	struct obj		 o;
	struct ipc_shm_map	 m;
	unsigned long long	 off = 0, count = SHM_SIZE_MAX;
	int			 c, e;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case 'c':
			count = xparse_size("-c", a->optarg, 0, SHM_SIZE_MAX);
			break;
		case 'o':
			off = xparse_size("-o", a->optarg, 0, SHM_SIZE_MAX);
			break;
		}
	}
	obj_resolve("shm", a->pos[0], 0, &o);
	shm_map(&o, true, off, 0, &m);
	if (count > m.size - off)
		count = m.size - off;	/* to the end */
	/* a reader that went away is EPIPE here, not a death by SIGPIPE */
	if (ipc_ignore_sigpipe() == -1)
		die_errno(errno, "cannot ignore SIGPIPE");
	if (fflush(stdout) == EOF)
		die_errno(errno, "write error on stdout");
	if (ipc_shm_to_fd(&m, off, count, STDOUT_FILENO) == -1) {
		e = errno;
		ipc_shm_unmap(&m);
		if (e == EPIPE)
			return 128 + SIGPIPE;
		warn_msg("write error on stdout: %s", strerror(e));
		return EXIT_SYSERR;
	}
	ipc_shm_unmap(&m);
	return 0;
}

static int
shm_write(struct cmdargs *a)
{
	struct obj		 o;
	struct ipc_shm_map	 m;
	unsigned long long	 off = 0;
	uint64_t		 written;
	size_t			 len;
	int			 c, e;

	while ((c = args_opt(a)) != -1)
		if (c == 'o')
			off = xparse_size("-o", a->optarg, 0, SHM_SIZE_MAX);
	len = a->npos == 2 ? strlen(a->pos[1]) : 0;
	obj_resolve("shm", a->pos[0], 0, &o);
	shm_map(&o, false, off, len, &m);
	if (a->npos == 2) {
		if (ipc_shm_put(&m, off, a->pos[1], len) == -1) {
			e = errno;
			if (e == EFBIG)
				die(EXIT_LIMIT, "%s: %zu bytes do not fit in "
				    "the %llu from offset %llu", o.t.text, len,
				    (unsigned long long)(m.size - off), off);
			die_obj(&o, e);
		}
		written = len;
	} else {
		/* a signal ends the copy, and the old bytes are put back */
		if (ipc_catch_signals() == -1)
			die_errno(errno, "cannot catch signals");
		if (ipc_shm_from_fd(&m, off, STDIN_FILENO, &written) == -1) {
			e = errno;
			if (e == EFBIG)
				die(EXIT_LIMIT, "%s: the input is longer than "
				    "the %llu bytes from offset %llu (nothing "
				    "written)", o.t.text,
				    (unsigned long long)(m.size - off), off);
			if (e == ENOSPC)
				die(EXIT_LIMIT, "%s: no space left in %s "
				    "(nothing written)", o.t.text,
				    IPC_SHM_DIR);
			if (e == EINTR && ipc_caught_signal > 0)
				die(128 + ipc_caught_signal, "%s: %s (nothing "
				    "written)", o.t.text,
				    strsignal(ipc_caught_signal));
			die_errno(e, "stdin");
		}
	}
	(void)written;
	if (ipc_shm_unmap(&m) == -1)
		die_target(&o.t, errno);
	return 0;
}

/* ---- attach ---- */

static uintptr_t
parse_address(const char *s)
{
	unsigned long long	 v;
	char			*end;

	if (s[0] < '0' || s[0] > '9')
		die_usage("--address: '%s' is not an address", s);
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > UINTPTR_MAX)
		die_usage("--address: '%s' is not an address", s);
	if (v == 0)
		die_usage("--address: 0 means anywhere: leave it out");
	return (uintptr_t)v;
}

static int
shm_attach(struct cmdargs *a)
{
	struct obj		 o;
	struct ipc_shm_map	 m;
	struct ipc_shm_info	 info;
	const char		*addr_arg = NULL;
	char			 abuf[32];
	uintptr_t		 addr = 0;
	void			*p;
	bool			 hold = false;
	int			 c, e, r, flags = 0, status = 0;

	while ((c = args_opt(a)) != -1) {
		switch (c) {
		case OPT_ADDRESS:
			addr = parse_address(a->optarg);
			addr_arg = a->optarg;
			break;
		case OPT_HOLD:
			hold = true;
			break;
		case OPT_RDONLY:
			flags |= IPC_SHM_RDONLY;
			break;
		case OPT_REMAP:
			flags |= IPC_SHM_REMAP;
			break;
		case OPT_RND:
			flags |= IPC_SHM_RND;
			break;
		}
	}
	if ((flags & (IPC_SHM_RND | IPC_SHM_REMAP)) && addr == 0)
		die_usage("--rnd and --remap go with --address");
	if (hold && a->cmd != NULL)
		die_usage("--hold and -- CMD exclude each other");
#if !HAVE_DECL_SHM_REMAP
	if (flags & IPC_SHM_REMAP)
		die_usage("--remap: %s", not_supported("SHM_REMAP"));
#endif
#if !HAVE_DECL_SHM_RND
	if (flags & IPC_SHM_RND)
		die_usage("--rnd: %s", not_supported("SHM_RND"));
#endif
	obj_resolve("shm", a->pos[0], 0, &o);
	if ((hold || a->cmd != NULL) && ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	if (o.posix) {
		r = ipc_pshm_map_at(o.t.name, addr, flags, &m);
		p = m.addr;
	} else {
		r = ipc_shm_attach(o.id, addr, flags, &p);
		memset(&m, 0, sizeof m);
		m.addr = p;
		m.fd = -1;
	}
	if (r == -1) {
		e = errno;
		if (addr != 0 && e == EEXIST && (flags & IPC_SHM_REMAP))
			die_usage("--address %s: --remap over ipctool's own "
			    "memory: refused", addr_arg);
		if (addr != 0 && (e == EINVAL || e == EEXIST))
			die_usage("--address %s: not aligned (see --rnd) or "
			    "over another mapping (see --remap)", addr_arg);
		die_obj(&o, e);
	}
	snprintf(abuf, sizeof abuf, "%p", p);
	if (a->cmd != NULL) {
		/* the child inherits nothing of it: execve drops mappings */
		if (setenv("IPCTOOL_SHM_ADDR", abuf, 1) == -1)
			die_errno(errno, "setenv");
		if (fflush(stdout) == EOF)
			die_errno(errno, "write error on stdout");
		status = run_cmd(a->cmd, NULL, NULL);
	} else {
		if (o.posix)
			printf("%s\n", abuf);
		else {
			if (ipc_shm_stat(o.id, &info) == -1)
				die_target(&o.t, errno);
			printf("%s %lu\n", abuf, info.nattch);
		}
		if (hold) {
			if (fflush(stdout) == EOF)
				die_errno(errno, "write error on stdout");
			if (ipc_hold(STDIN_FILENO) == -1)
				warn_errno(errno, "stdin");
			/* ended by a signal: 128+N, as every other wait */
			if (ipc_caught_signal > 0)
				status = 128 + ipc_caught_signal;
		}
	}
	if (ipc_shm_unmap(&m) == -1)
		warn_errno(errno, "%s: detach", o.t.text);
	return status;
}

/* ---- stat, set ---- */

static const struct out_column stat_cols[] = {
	OWNER_COLUMNS,
	{ "SIZE", COL_SIZE, COL_DEFAULT, "size in bytes" },
	{ "NATTCH", COL_NUM, COL_DEFAULT, "number of attachments" },
	{ "STATUS", COL_STR, COL_DEFAULT, "dest (removed, still attached), "
	    "locked" },
	{ "CPID", COL_NUM, COL_DEFAULT, "creator's pid" },
	{ "LPID", COL_NUM, COL_DEFAULT, "pid of the last attach or detach" },
	{ "ATTACH", COL_TIME, COL_DEFAULT, "time of the last attach" },
	{ "DETACH", COL_TIME, COL_DEFAULT, "time of the last detach" },
	{ "CTIME", COL_TIME, COL_DEFAULT, "time of the last change" },
	{ "MTIME", COL_TIME, COL_DEFAULT, "time of the last write (POSIX)" },
	{ "DEST", COL_BOOL, 0, "removed, still attached" },
	{ "LOCKED", COL_BOOL, 0, "locked in memory (SHM_LOCK)" },
};
enum { SC_SIZE = OC_COUNT, SC_NATTCH, SC_STATUS, SC_CPID, SC_LPID, SC_ATTACH,
	SC_DETACH, SC_CTIME, SC_MTIME, SC_DEST, SC_LOCKED };

/* what stat read */
struct shm_stat {
	struct ipc_shm_info	info;
	struct ipc_posix_stat	ps;
};

static const struct ipc_posix_stat *
shm_stat_load(struct obj *o, void *arg)
{
	struct shm_stat	*st = arg;

	if ((o->posix ? ipc_pshm_stat(o->t.name, &st->ps) :
	    ipc_shm_stat(o->id, &st->info)) == -1)
		die_obj(o, errno);
	return o->posix ? &st->ps : NULL;
}

static bool
shm_stat_fill(struct out *out, const struct out_opts *oo,
    const struct obj *o, void *arg, struct ipc_obj *ob)
{
	const struct ipc_shm_info	*info = &((struct shm_stat *)arg)->info;
	const struct ipc_posix_stat	*ps = &((struct shm_stat *)arg)->ps;
	const char			*status;

	(void)oo;
	if (o->posix) {
		out_num(out, SC_SIZE, (long long)ps->size);
		return false;
	}
	out_owner(out, SYSV_OWNER(info));
	out_unum(out, SC_SIZE, info->size);
	out_unum(out, SC_NATTCH, info->nattch);
	if (info->dest && info->locked)
		status = "dest,locked";
	else if (info->dest)
		status = "dest";
	else if (info->locked)
		status = "locked";
	else	/* no flag: unknown is null ('-' in a table) */
		status = NULL;
	out_str(out, SC_STATUS, status);
	out_str(out, SC_DEST, info->dest ? "true" : "false");
	out_str(out, SC_LOCKED, info->locked ? "true" : "false");
	out_num(out, SC_CPID, info->cpid);
	out_num(out, SC_LPID, info->lpid);
	out_time(out, SC_ATTACH, info->atime);
	out_time(out, SC_DETACH, info->dtime);
	out_time(out, SC_CTIME, info->ctime);
	ob->id = info->id;
	return false;
}

static const struct stat_family shm_stats = {
	"shm", stat_cols, sizeof stat_cols / sizeof stat_cols[0],
	{ "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,SIZE,NATTCH,STATUS,"
	    "CPID,LPID,ATTACH,DETACH,CTIME",
	    "NAME,PERMS,OWNER,GROUP,UID,GID,SIZE,MTIME,CTIME" },
	SC_MTIME, SC_CTIME, shm_stat_load, shm_stat_fill
};

static int
shm_stat(struct cmdargs *a)
{
	struct shm_stat	st;

	return stat_exec(a, &shm_stats, &st);
}

/* what set changes beyond --mode and --owner */
struct shm_set {
	unsigned long long	size;
	bool			has_size;
	int			lock;		/* -1: neither */
};

static void
shm_set_opt(int c, const char *optarg, void *arg)
{
	struct shm_set	*ss = arg;

	switch (c) {
	case OPT_LOCK:
	case OPT_UNLOCK:	/* EXCL_LOCK: not both */
#if !HAVE_DECL_SHM_LOCK
		/* refused before --mode or --owner could change anything */
		die_usage("--%s: %s", c == OPT_LOCK ? "lock" : "unlock",
		    not_supported("SHM_LOCK"));
#endif
		ss->lock = c == OPT_LOCK;
		break;
	case OPT_SIZE:
		ss->size = xparse_size("--size", optarg, 0, SHM_SIZE_MAX);
		ss->has_size = true;
		break;
	}
}

static void
shm_set_usage(const struct perm_opts *perm, void *arg)
{
	const struct shm_set	*ss = arg;

	if (!perm_any(perm) && ss->lock < 0 && !ss->has_size)
		die_usage("nothing to set (--mode, --owner, --lock, --unlock "
		    "or --size)");
}

static void
shm_set_check(const struct obj *o, void *arg)
{
	const struct shm_set	*ss = arg;

	if (o->posix && ss->lock >= 0)
		die_usage("%s: POSIX shared memory cannot be locked (--lock "
		    "is System V only)", o->t.text);
	if (!o->posix && ss->has_size)
		die_usage("%s: a System V segment cannot be resized (--size "
		    "is POSIX only)", o->t.text);
}

static void
shm_set_apply(struct obj *o, const struct perm_opts *perm, void *arg)
{
	const struct shm_set	*ss = arg;
	struct ipc_shm_info	 old;
	int			 e;

	if (o->posix) {
		/* all or nothing: a size that fails puts the mode back */
		if (ipc_pshm_set(o->t.name, perm->puid, perm->pgid,
		    perm->pmode, ss->has_size ?
		    &(off_t){ (off_t)ss->size } : NULL) == -1)
			die_obj(o, errno);
		return;
	}
	if (perm_any(perm) && ss->lock >= 0 &&
	    ipc_shm_stat(o->id, &old) == -1)
		die_target(&o->t, errno);
	if (perm_any(perm) && ipc_shm_set_perm(o->id, perm->puid, perm->pgid,
	    perm->pmode) == -1)
		die_target(&o->t, errno);
	if (ss->lock >= 0 && ipc_shm_lock(o->id, ss->lock == 1) == -1) {
		e = errno;
		/* nothing half done: the owner and mode as they were */
		if (perm_any(perm))
			(void)ipc_shm_set_perm(o->id, &old.uid, &old.gid,
			    &old.mode);
		if (e == ENOMEM)
			die(EXIT_LIMIT, "%s: --lock: more than RLIMIT_MEMLOCK "
			    "allows", o->t.text);
		if (e == ENOTSUP)
			die_usage("--lock: %s", not_supported("SHM_LOCK"));
		die_target(&o->t, e);
	}
}

static const struct set_family shm_sets = {
	"shm", shm_set_opt, shm_set_usage,
	shm_set_check, shm_set_apply
};

static int
shm_set(struct cmdargs *a)
{
	struct shm_set	ss = { .lock = -1 };

	return set_exec(a, &shm_sets, &ss);
}

/* ---- removal ---- */

static int
shm_rm(struct cmdargs *a)
{
	return rm_targets("shm", a->npos, a->pos);
}

/* ---- the entries ---- */

#define SHM_FAMS	(FAM_SYSV | FAM_POSIX)

static const struct opt create_opts[] = {
	{ OPT("size", 's', A_SIZE, 's', "the size (default one page)") },
	{ OPT("mode", 'm', A_MODE, 'm', "octal mode (default 0600)") },
	{ OPT("fill", 0, A_NUM, OPT_FILL, "fill with BYTE (0..255)"),
	    .meta = "BYTE" },
	{ OPT("hugetlb", 0, A_NONE, OPT_HUGETLB, "SHM_HUGETLB: huge pages"),
	    .flags = OPT_SYSV },
	{ OPT("noreserve", 0, A_NONE, OPT_NORESERVE,
	    "SHM_NORESERVE: no swap reserved"), .flags = OPT_SYSV },
	{ OPT("exist-ok", 0, A_NONE, OPT_CREATE_EXIST_OK,
	    "open an existing segment instead") },
	{ OPT("manifest", 0, A_FILE, OPT_CREATE_MANIFEST,
	    "append \"shm TARGET\" to FILE") },
	{ OPT("posix", 0, A_NONE, OPT_CREATE_POSIX,
	    "a POSIX object with a random unused name") },
	{ OPT("json", 'J', A_NONE, 'J', "print the record as JSON") },
	OPT_END
};
static const struct opt read_opts[] = {
	{ OPT("offset", 'o', A_SIZE, 'o', "start at OFFSET") },
	{ OPT("count", 'c', A_SIZE, 'c', "at most COUNT bytes") },
	OPT_END
};
static const struct opt write_opts[] = {
	{ OPT("offset", 'o', A_SIZE, 'o', "start at OFFSET") },
	OPT_END
};
static const struct opt attach_opts[] = {
	{ OPT("rdonly", 0, A_NONE, OPT_RDONLY, "attach read-only") },
	{ OPT("address", 0, A_TEXT, OPT_ADDRESS, "attach at ADDR"),
	    .meta = "ADDR" },
	{ OPT("rnd", 0, A_NONE, OPT_RND, "SHM_RND: round ADDR down"),
	    .flags = OPT_SYSV },
	{ OPT("remap", 0, A_NONE, OPT_REMAP,
	    "SHM_REMAP: replace a mapping at ADDR"), .flags = OPT_SYSV },
	{ OPT("hold", 0, A_NONE, OPT_HOLD, "stay attached until a signal") },
	OPT_END
};
static const struct opt set_opts[] = {
	OPT_SET(SET_PERM),
	{ OPT("lock", 0, A_NONE, OPT_LOCK, "SHM_LOCK: keep it in memory"),
	    .flags = OPT_SYSV, .excl = EXCL_LOCK },
	{ OPT("unlock", 0, A_NONE, OPT_UNLOCK, "SHM_UNLOCK"),
	    .flags = OPT_SYSV, .excl = EXCL_LOCK },
	{ OPT("size", 0, A_SIZE, OPT_SIZE, "the new size"),
	    .flags = OPT_POSIX },
	OPT_END
};

const struct verb verb_shm_create = {
	.entry = { "create", "[TARGET... | --posix] [-s SIZE] [-m MODE] "
	    "[--fill BYTE] [--hugetlb] [--noreserve] [--exist-ok] "
	    "[--manifest FILE] [--json]",
	    "Create segments (or POSIX shared memory objects), all or none, "
	    "and print their TARGETs" },
	.object = "shm", .minpos = 0, .maxpos = -1, .pos = P_NEW,
	.families = SHM_FAMS, .opts = create_opts, .exec = shm_create
};
const struct verb verb_shm_read = {
	.entry = { "read", "TARGET [-o OFFSET] [-c COUNT]",
	    "Copy a segment's bytes to stdout" },
	.object = "shm", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SHM_FAMS, .opts = read_opts, .exec = shm_read
};
const struct verb verb_shm_write = {
	.entry = { "write", "TARGET [-o OFFSET] [DATA]",
	    "Copy DATA or stdin into a segment, all or nothing" },
	.object = "shm", .minpos = 1, .maxpos = 2, .pos = P_TARGET,
	.families = SHM_FAMS, .opts = write_opts, .exec = shm_write
};
const struct verb verb_shm_attach = {
	.entry = { "attach", "TARGET [--rdonly] [--address ADDR [--rnd] "
	    "[--remap]] [--hold | -- CMD ARGS...]",
	    "Attach a segment and print the address and the attach count; "
	    "with --hold or CMD, stay attached" },
	.object = "shm", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.flags = V_CMD, .families = SHM_FAMS, .opts = attach_opts,
	.exec = shm_attach
};
const struct verb verb_shm_stat = {
	.entry = { "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings] [--human]",
	    "Show every attribute of a segment" },
	.object = "shm", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SHM_FAMS, .opts = opts_stat,
	.cols = stat_cols, .ncols = sizeof stat_cols / sizeof stat_cols[0],
	.exec = shm_stat
};
const struct verb verb_shm_set = {
	.entry = { "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] "
	    "[--lock | --unlock] [--size SIZE]",
	    "Change a segment's mode, owner, memory lock or (POSIX) size" },
	.object = "shm", .minpos = 1, .maxpos = 1, .pos = P_TARGET,
	.families = SHM_FAMS, .opts = set_opts, .exec = shm_set
};
const struct verb verb_shm_rm = {
	.entry = { "rm", "TARGET...", "Remove segments" },
	.object = "shm", .minpos = 1, .maxpos = -1, .pos = P_TARGET,
	.families = SHM_FAMS, .opts = opts_none, .exec = shm_rm
};
