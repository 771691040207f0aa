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
#include "output.h"

static int	shm_create(int, char **);
static int	shm_read(int, char **);
static int	shm_write(int, char **);
static int	shm_attach(int, char **);
static int	shm_stat(int, char **);
static int	shm_set(int, char **);
static int	shm_rm(int, char **);

const struct cmd_entry cmd_shm_verbs[] = {
	{ "create", "[TARGET] [-s SIZE] [-m MODE] [--fill BYTE] [--hugetlb] "
	    "[--noreserve] [--exist-ok] [--manifest FILE] [--json]",
	    "Create a segment (or POSIX shared memory object) and print its "
	    "TARGET", shm_create },
	{ "read", "TARGET [-o OFFSET] [-c COUNT]",
	    "Copy a segment's bytes to stdout", shm_read },
	{ "write", "TARGET [-o OFFSET] [DATA]",
	    "Copy DATA or stdin into a segment, all or nothing", shm_write },
	{ "attach", "TARGET [--rdonly] [--address ADDR [--rnd] [--remap]] "
	    "[--hold | -- CMD ARGS...]",
	    "Attach a segment and print the address and the attach count; "
	    "with --hold or CMD, stay attached", shm_attach },
	{ "stat", "TARGET [--json | --raw | --export] [-o COLS] "
	    "[--no-headings]",
	    "Show every attribute of a segment", shm_stat },
	{ "set", "TARGET [--mode MODE] [--owner USER[:GROUP]] "
	    "[--lock | --unlock] [--size SIZE]",
	    "Change a segment's mode, owner, memory lock or (POSIX) size",
	    shm_set },
	{ "rm", "TARGET...", "Remove segments", shm_rm },
	{ NULL, NULL, NULL, NULL }
};

/* long-only options */
enum {
	OPT_ADDRESS = CHAR_MAX + 1,
	OPT_EXIST_OK,
	OPT_FILL,
	OPT_HOLD,
	OPT_HUGETLB,
	OPT_LOCK,
	OPT_MANIFEST,
	OPT_MODE,
	OPT_NORESERVE,
	OPT_OWNER,
	OPT_RDONLY,
	OPT_REMAP,
	OPT_RND,
	OPT_SIZE,
	OPT_UNLOCK
};

/* Largest size or offset: what off_t and size_t both hold. */
#define SHM_SIZE_MAX	((unsigned long long)(SIZE_MAX < INT64_MAX ? \
			    SIZE_MAX : INT64_MAX))

/* A TARGET resolved to something to operate on. */
struct shm_obj {
	struct ipc_target	 t;
	bool			 posix;
	int			 id;
};

static void
shm_resolve(const char *arg, struct shm_obj *o)
{
	memset(o, 0, sizeof *o);
	o->id = -1;
	xparse_target(arg, 0, &o->t);
	if (o->t.kind == IPC_T_POSIX)
		o->posix = true;
	else if (ipc_shm_open(&o->t, &o->id) == -1)
		die_target(&o->t, errno);
}

static void
shm_map(const struct shm_obj *o, bool rdonly, struct ipc_shm_map *m)
{
	int	r;

	if (o->posix)
		r = ipc_pshm_map(o->t.name, rdonly, m);
	else
		r = ipc_shm_map_id(o->id, rdonly, m);
	if (r == -1)
		die_target(&o->t, errno);
}

static void
refuse_posix(const struct shm_obj *o, const char *why)
{
	if (o->posix)
		die_usage("%s: POSIX shared memory %s", o->t.text, why);
}

/* ---- create ---- */

static const struct out_column create_cols[] = {
	{ "TARGET", COL_STR, COL_DEFAULT, NULL },
	{ "KEY", COL_KEY, COL_DEFAULT, NULL },
	{ "ID", COL_NUM, COL_DEFAULT, NULL },
	{ "NAME", COL_STR, COL_DEFAULT, NULL },
	{ "SIZE", COL_SIZE, COL_DEFAULT, NULL },
	{ "PERMS", COL_STR, COL_DEFAULT, NULL },
	{ "CREATED", COL_BOOL, COL_DEFAULT, NULL },
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
		if (ipc_pshm_map(t->name, false, &m) == -1)
			return errno;
	} else if (ipc_shm_map_id(id, false, &m) == -1)
		return errno;
	ipc_shm_fill(&m, byte);
	e = ipc_shm_unmap(&m) == -1 ? errno : 0;
	return e;
}

static int
shm_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exist-ok",	no_argument,		NULL, OPT_EXIST_OK },
		{ "fill",	required_argument,	NULL, OPT_FILL },
		{ "help",	no_argument,		NULL, 'h' },
		{ "hugetlb",	no_argument,		NULL, OPT_HUGETLB },
		{ "json",	no_argument,		NULL, 'J' },
		{ "manifest",	required_argument,	NULL, OPT_MANIFEST },
		{ "mode",	required_argument,	NULL, 'm' },
		{ "noreserve",	no_argument,		NULL, OPT_NORESERVE },
		{ "size",	required_argument,	NULL, 's' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct ipc_target	 t;
	struct ipc_shm_info	 info;
	struct ipc_posix_stat	 pst;
	struct out		 out;
	const char		*manifest = NULL, *errstr;
	char			 target[NAME_MAX + 16], kbuf[11], pbuf[8];
	unsigned long long	 size;
	off_t			 psize;
	mode_t			 mode = 0600;
	bool			 exist_ok = false, json = false, created = false;
	bool			 size_given = false;
	key_t			 key = IPC_PRIVATE;
	int			 c, e, id = -1, fill = -1, flags = 0, tries = 0;

	size = (unsigned long long)sysconf(_SC_PAGESIZE);
	args_init(&a, argc, argv, "Jm:s:", longopts, 0, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'm':
			mode = xparse_mode("-m", a.optarg);
			if (mode & ~0777u)
				die_usage("-m: '%s': a segment's mode has no "
				    "setuid, setgid or sticky bit", a.optarg);
			break;
		case 's':
			size = xparse_size("-s", a.optarg, 1, SHM_SIZE_MAX);
			size_given = true;
			break;
		case OPT_EXIST_OK:
			exist_ok = true;
			break;
		case OPT_FILL:
			fill = xparse_byte("--fill", a.optarg);
			break;
		case OPT_HUGETLB:
#if HAVE_DECL_SHM_HUGETLB
			flags |= IPC_SHM_HUGETLB;
			break;
#else
			die_usage("--hugetlb: not supported on this system");
#endif
		case OPT_MANIFEST:
			manifest = a.optarg;
			break;
		case OPT_NORESERVE:
#if HAVE_DECL_SHM_NORESERVE
			flags |= IPC_SHM_NORESERVE;
			break;
#else
			die_usage("--noreserve: not supported on this system");
#endif
		}
	}
	if (a.npos == 1)
		xparse_target(a.pos[0], TARGET_CREATE, &t);
	else {
		memset(&t, 0, sizeof t);
		t.kind = IPC_T_NONE;
		t.text = "(random key)";
	}

	if (t.kind == IPC_T_POSIX) {
		if (flags & IPC_SHM_HUGETLB)
			die_usage("--hugetlb: System V segments only");
		if (flags & IPC_SHM_NORESERVE)
			die_usage("--noreserve: System V segments only");
		/* read and write for the set-up; the mode at the end */
		if (ipc_pshm_create(t.name, (off_t)size, mode | 0600, exist_ok,
		    &created, &psize) == -1)
			die_create(&t, errno == EINVAL ? EFBIG : errno, 0);
		if (!created && size_given && (unsigned long long)psize < size)
			die(EXIT_LIMIT, "%s: exists with %lld bytes, fewer "
			    "than %llu", t.text, (long long)psize, size);
		size = (unsigned long long)psize;
		if (!created && ipc_pshm_stat(t.name, &pst) == 0)
			mode = pst.mode;
		snprintf(target, sizeof target, "%s", t.name);
	} else {
		if (exist_ok && t.kind == IPC_T_PRIVATE)
			die_usage("--exist-ok: 'private' always creates");
		if (t.kind == IPC_T_KEY)
			key = t.key;
		for (;;) {
			if (ipc_shm_create(key, t.kind == IPC_T_NONE,
			    (size_t)size, mode | 0600, flags, &id, &key) == 0) {
				created = true;
				break;
			}
			if (errno != EEXIST || !exist_ok)
				die_create(&t, errno, flags);
			if (ipc_shm_open(&t, &id) == -1) {
				/* removed since: try to create again */
				if (errno == ENOENT && ++tries < 100)
					continue;
				die_target(&t, errno);
			}
			if (ipc_shm_stat(id, &info) == -1)
				die_target(&t, errno);
			if (size_given && info.size < size)
				die(EXIT_LIMIT, "%s: exists with %zu bytes, "
				    "fewer than %llu", t.text, info.size,
				    size);
			size = info.size;
			mode = info.mode;
			break;
		}
		snprintf(target, sizeof target, "id:%d", id);
	}
	e = 0;
	if (created && fill >= 0 && (e = create_fill(&t, id, fill)) != 0)
		e = warn_errno(e, "%s: --fill", t.text);
	else if (created && (mode & 0600) != 0600 && (t.kind == IPC_T_POSIX ?
	    ipc_pshm_set_perm(t.name, NULL, NULL, &mode) :
	    ipc_shm_set_perm(id, NULL, NULL, &mode)) == -1)
		e = warn_errno(errno, "%s: -m", t.text);
	else if (manifest != NULL && created &&
	    ipc_manifest_append(manifest, "shm", target) == -1)
		e = warn_errno(errno, "--manifest %s", manifest);
	if (e != 0) {
		/* nothing half done: remove what was made */
		if (t.kind == IPC_T_POSIX)
			ipc_pshm_unlink(t.name);
		else
			ipc_shm_remove(id);
		return e;
	}
	if (!json) {
		printf("%s\n", target);
		if (created)
			create_done("shm", target);
		return 0;
	}
	out_init(&out, stdout, OUT_JSON, create_cols,
	    sizeof create_cols / sizeof create_cols[0], NULL, &errstr);
	out_begin(&out, "segments");
	out_str(&out, CC_TARGET, target);
	if (t.kind == IPC_T_POSIX)
		out_str(&out, CC_NAME, t.name);
	else {
		out_str(&out, CC_KEY, fmt_key(key, kbuf));
		out_num(&out, CC_ID, id);
	}
	out_unum(&out, CC_SIZE, size);
	out_str(&out, CC_PERMS, fmt_perms(mode, pbuf));
	out_str(&out, CC_CREATED, created ? "true" : "false");
	out_row(&out);
	out_end(&out);
	out_finish(&out);
	if (created)
		create_done("shm", target);
	return 0;
}

/* ---- read and write ---- */

static void
check_offset(const struct shm_obj *o, const struct ipc_shm_map *m,
    unsigned long long off)
{
	if (off >= m->size)
		die(EXIT_LIMIT, "%s: offset %llu is at or past the end (%zu "
		    "bytes)", o->t.text, off, m->size);
}

static int
shm_read(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count",	required_argument,	NULL, 'c' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "offset",	required_argument,	NULL, 'o' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct shm_obj		 o;
	struct ipc_shm_map	 m;
	unsigned long long	 off = 0, count = SHM_SIZE_MAX;
	int			 c, e;

	args_init(&a, argc, argv, "c:o:", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'c':
			count = xparse_size("-c", a.optarg, 0, SHM_SIZE_MAX);
			break;
		case 'o':
			off = xparse_size("-o", a.optarg, 0, SHM_SIZE_MAX);
			break;
		}
	}
	shm_resolve(a.pos[0], &o);
	shm_map(&o, true, &m);
	check_offset(&o, &m, off);
	if (count > m.size - off)
		count = m.size - off;	/* to the end */
	/* a reader that went away is EPIPE here, not a death by SIGPIPE */
	if (ipc_ignore_sigpipe() == -1)
		die_errno(errno, "cannot ignore SIGPIPE");
	if (fflush(stdout) == EOF)
		die_errno(errno, "write error on stdout");
	if (ipc_shm_to_fd(&m, (size_t)off, (size_t)count, STDOUT_FILENO) ==
	    -1) {
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
shm_write(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "offset",	required_argument,	NULL, 'o' },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct shm_obj		 o;
	struct ipc_shm_map	 m;
	unsigned long long	 off = 0;
	size_t			 len, written;
	int			 c, e;

	args_init(&a, argc, argv, "o:", longopts, 1, 2, false);
	while ((c = args_next(&a)) != -1)
		if (c == 'o')
			off = xparse_size("-o", a.optarg, 0, SHM_SIZE_MAX);
	shm_resolve(a.pos[0], &o);
	shm_map(&o, false, &m);
	check_offset(&o, &m, off);
	if (a.npos == 2) {
		len = strlen(a.pos[1]);
		if (ipc_shm_put(&m, (size_t)off, a.pos[1], len) == -1)
			die(EXIT_LIMIT, "%s: %zu bytes do not fit in the %llu "
			    "from offset %llu", o.t.text, len, m.size - off,
			    off);
	} else if (ipc_shm_from_fd(&m, (size_t)off, STDIN_FILENO, &written) ==
	    -1) {
		e = errno;
		if (e == EFBIG)
			die(EXIT_LIMIT, "%s: the input is longer than the %llu "
			    "bytes from offset %llu (nothing written)",
			    o.t.text, m.size - off, off);
		die_errno(e, "stdin");
	}
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
run_attached(char **cmd)
{
	pid_t	pid;
	int	status, e;

	if (ipc_spawn(cmd, &pid) == -1) {
		e = errno;
		warn_msg("%s: %s", cmd[0], strerror(e));
		return e == ENOENT ? EXIT_CMD_NOT_FOUND : EXIT_CANNOT_EXEC;
	}
	if (ipc_wait_child(pid, &status) == -1)
		die_errno(errno, "wait for %s", cmd[0]);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int
shm_attach(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "address",	required_argument,	NULL, OPT_ADDRESS },
		{ "help",	no_argument,		NULL, 'h' },
		{ "hold",	no_argument,		NULL, OPT_HOLD },
		{ "rdonly",	no_argument,		NULL, OPT_RDONLY },
		{ "remap",	no_argument,		NULL, OPT_REMAP },
		{ "rnd",	no_argument,		NULL, OPT_RND },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct shm_obj		 o;
	struct ipc_shm_map	 m;
	struct ipc_shm_info	 info;
	const char		*addr_arg = NULL;
	char			 abuf[32];
	uintptr_t		 addr = 0;
	void			*p;
	bool			 hold = false;
	int			 c, e, r, flags = 0, status = 0;

	args_init(&a, argc, argv, "", longopts, 1, 1, true);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case OPT_ADDRESS:
			addr = parse_address(a.optarg);
			addr_arg = a.optarg;
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
	if (hold && a.cmd != NULL)
		die_usage("--hold and -- CMD exclude each other");
#if !HAVE_DECL_SHM_REMAP
	if (flags & IPC_SHM_REMAP)
		die_usage("--remap: not supported on this system");
#endif
	shm_resolve(a.pos[0], &o);
	if ((hold || a.cmd != NULL) && ipc_catch_signals() == -1)
		die_errno(errno, "cannot catch signals");
	if (o.posix) {
		r = ipc_pshm_map_at(o.t.name, addr, flags, &m);
		p = m.addr;
	} else {
		r = ipc_shm_attach(o.id, addr, flags, &p);
		m.addr = p;
		m.fd = -1;
	}
	if (r == -1) {
		e = errno;
		if (addr != 0 && (e == EINVAL || e == EEXIST))
			die_usage("--address %s: not aligned (see --rnd) or "
			    "over another mapping (see --remap)", addr_arg);
		die_target(&o.t, e);
	}
	snprintf(abuf, sizeof abuf, "%p", p);
	if (a.cmd != NULL) {
		/* the child inherits nothing of it: execve drops mappings */
		if (setenv("IPCTOOL_SHM_ADDR", abuf, 1) == -1)
			die_errno(errno, "setenv");
		if (fflush(stdout) == EOF)
			die_errno(errno, "write error on stdout");
		status = run_attached(a.cmd);
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

static int
shm_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		OUT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct shm_obj		 o;
	struct out_opts		 oo = { 0 };
	struct out		 out;
	struct ipc_shm_info	 info;
	struct ipc_posix_stat	 ps;
	const char		*status;
	int			 c;

	args_init(&a, argc, argv, OUT_OPTSTRING, longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1)
		out_opt(&oo, c, a.optarg);
	shm_resolve(a.pos[0], &o);
	if ((o.posix ? ipc_pshm_stat(o.t.name, &ps) :
	    ipc_shm_stat(o.id, &info)) == -1)
		die_target(&o.t, errno);
	/* what applies to the family, unless -o says otherwise */
	xout_init_defaults(&out, &oo, stat_cols, sizeof stat_cols /
	    sizeof stat_cols[0], o.posix ?
	    "NAME,PERMS,OWNER,GROUP,UID,GID,SIZE,MTIME,CTIME" :
	    "KEY,ID,PERMS,OWNER,GROUP,UID,GID,CUID,CGID,SIZE,NATTCH,STATUS,"
	    "CPID,LPID,ATTACH,DETACH,CTIME");
	out.vertical = true;
	out_begin(&out, "segments");
	if (o.posix) {
		out_owner(&out, &(struct owner_cells){ .name = o.t.name,
		    .mode = ps.mode, .uid = ps.uid, .gid = ps.gid });
		out_num(&out, SC_SIZE, (long long)ps.size);
		out_time(&out, SC_MTIME, ps.mtime.tv_sec);
		out_time(&out, SC_CTIME, ps.ctime.tv_sec);
	} else {
		out_owner(&out, &(struct owner_cells){ .key = info.key,
		    .id = info.id, .mode = info.mode, .uid = info.uid,
		    .gid = info.gid, .cuid = info.cuid, .cgid = info.cgid });
		out_unum(&out, SC_SIZE, info.size);
		out_unum(&out, SC_NATTCH, info.nattch);
		if (info.dest && info.locked)
			status = "dest,locked";
		else if (info.dest)
			status = "dest";
		else if (info.locked)
			status = "locked";
		else	/* no flag: '-' in a table, "" in JSON, as list */
			status = oo.format == OUT_TABLE || oo.format ==
			    OUT_RAW ? NULL : "";
		out_str(&out, SC_STATUS, status);
		out_str(&out, SC_DEST, info.dest ? "true" : "false");
		out_str(&out, SC_LOCKED, info.locked ? "true" : "false");
		out_num(&out, SC_CPID, info.cpid);
		out_num(&out, SC_LPID, info.lpid);
		out_time(&out, SC_ATTACH, info.atime);
		out_time(&out, SC_DETACH, info.dtime);
		out_time(&out, SC_CTIME, info.ctime);
	}
	out_row(&out);
	out_end(&out);
	out_finish(&out);
	return 0;
}

static int
shm_set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "lock",	no_argument,		NULL, OPT_LOCK },
		{ "mode",	required_argument,	NULL, OPT_MODE },
		{ "owner",	required_argument,	NULL, OPT_OWNER },
		{ "size",	required_argument,	NULL, OPT_SIZE },
		{ "unlock",	no_argument,		NULL, OPT_UNLOCK },
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct shm_obj		 o;
	unsigned long long	 size = 0;
	struct perm_opts	 perm = { 0 };
	bool			 has_size = false;
	int			 c, lock = -1, e;

	args_init(&a, argc, argv, "", longopts, 1, 1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case OPT_LOCK:
		case OPT_UNLOCK:
			if (lock >= 0 && lock != (c == OPT_LOCK))
				die_usage("--lock and --unlock exclude each "
				    "other");
			lock = c == OPT_LOCK;
			break;
		case OPT_MODE:
			perm_mode(&perm, a.optarg);
			if (perm.mode & ~0777u)
				die_usage("--mode: '%s': a segment's mode has "
				    "no setuid, setgid or sticky bit",
				    a.optarg);
			break;
		case OPT_OWNER:
			perm_owner(&perm, a.optarg);
			break;
		case OPT_SIZE:
			size = xparse_size("--size", a.optarg, 0,
			    SHM_SIZE_MAX);
			has_size = true;
			break;
		}
	}
	if (!perm_any(&perm) && lock < 0 && !has_size)
		die_usage("nothing to set (--mode, --owner, --lock, --unlock "
		    "or --size)");
	shm_resolve(a.pos[0], &o);
	if (o.posix) {
		if (lock >= 0)
			refuse_posix(&o, "cannot be locked (--lock is System "
			    "V only)");
		if (perm_any(&perm) && ipc_pshm_set_perm(o.t.name, perm.puid,
		    perm.pgid, perm.pmode) == -1)
			die_target(&o.t, errno);
		if (has_size && ipc_pshm_resize(o.t.name, (off_t)size) == -1)
			die_target(&o.t, errno);
		return 0;
	}
	if (has_size)
		die_usage("%s: a System V segment cannot be resized (--size "
		    "is POSIX only)", o.t.text);
	if (perm_any(&perm) && ipc_shm_set_perm(o.id, perm.puid, perm.pgid,
	    perm.pmode) == -1)
		die_target(&o.t, errno);
	if (lock >= 0 && ipc_shm_lock(o.id, lock == 1) == -1) {
		e = errno;
		if (e == ENOMEM)
			die(EXIT_LIMIT, "%s: --lock: more than RLIMIT_MEMLOCK "
			    "allows", o.t.text);
		if (e == ENOTSUP)
			die_usage("--lock: not supported on this system");
		die_target(&o.t, e);
	}
	return 0;
}

/* ---- removal ---- */

static int
shm_rm(int argc, char **argv)
{
	return rm_kind("shm", argc, argv);
}
