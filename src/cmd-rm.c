/*
 * ipctool rm: remove objects of any family.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

static int	cmd_rm(int, char **);

const struct cmd_entry cmd_rm_entry = {
	"rm", "[--sem | --shm | --mq] [--dry-run] [-v] TARGET... | "
	"--manifest FILE | --all [--sem] [--shm] [--mq] [--sysv | --posix] "
	"[--owner USER] [--creator USER] [--key KEY] [--orphaned] "
	"[--older-than DURATION] [--empty]",
	"Remove objects: named, listed in a manifest, or all that match; a "
	"TARGET that several families have needs a kind option", cmd_rm
};

struct family {
	const char	*kind;
	int		 target_flags;
	int		(*exists)(const struct ipc_target *);
	int		(*remove)(const struct ipc_target *);
};

static int
sem_exists(const struct ipc_target *t)
{
	struct ipc_sem_info	info;
	struct ipc_posix_stat	st;
	int			id, r;

	if (t->kind == IPC_T_POSIX)
		r = ipc_psem_stat(t->name, &st);
	else if ((r = ipc_sem_open(t, &id)) == 0)
		r = ipc_sem_stat(id, &info);
	if (r == 0 || errno == EACCES)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

static int
sem_remove(const struct ipc_target *t)
{
	int	id;

	if (t->kind == IPC_T_POSIX)
		return ipc_psem_unlink(t->name);
	if (ipc_sem_open(t, &id) == -1)
		return -1;
	return ipc_sem_remove(id);
}

static int
shm_exists(const struct ipc_target *t)
{
	struct ipc_posix_stat	st;
	int			id, r;

	if (t->kind == IPC_T_POSIX)
		r = ipc_pshm_stat(t->name, &st);
	else
		r = ipc_shm_open(t, &id);
	if (r == 0 || errno == EACCES)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

static int
shm_remove(const struct ipc_target *t)
{
	int	id;

	if (t->kind == IPC_T_POSIX)
		return ipc_pshm_unlink(t->name);
	if (ipc_shm_open(t, &id) == -1)
		return -1;
	return ipc_shm_remove(id);
}

static int
mq_exists(const struct ipc_target *t)
{
	int	id, r;

	if (t->kind == IPC_T_POSIX)
		r = ipc_pmq_exists(t->name);
	else
		r = ipc_msg_open(t, &id);
	if (r == 0 || errno == EACCES)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

static int
mq_remove(const struct ipc_target *t)
{
	int	id;

	if (t->kind == IPC_T_POSIX)
		return ipc_pmq_unlink(t->name);
	if (ipc_msg_open(t, &id) == -1)
		return -1;
	return ipc_msg_remove(id);
}

static const struct family families[] = {
	{ "sem", TARGET_PSEM, sem_exists, sem_remove },
	{ "shm", 0, shm_exists, shm_remove },
	{ "mq", 0, mq_exists, mq_remove },
};
#define NFAMILIES (sizeof families / sizeof families[0])

enum { OPT_ALL = CHAR_MAX + 1, OPT_DRY_RUN, OPT_MANIFEST };

/* --dry-run and -v */
static bool	dry_run, verbose;

static const struct family *
family_named(const char *kind)
{
	size_t	i;

	for (i = 0; i < NFAMILIES; i++)
		if (strcmp(families[i].kind, kind) == 0)
			return &families[i];
	die_usage("--%s: not supported by this build", kind);
}

int
rm_kind(const char *kind, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct family	*f = family_named(kind);
	struct args		 a;
	struct ipc_target	 t;
	const char		*why;
	int			 c, i, r, status = 0;

	args_init(&a, argc, argv, "", longopts, 1, -1, false);
	while ((c = args_next(&a)) != -1)
		continue;
	for (i = 0; i < a.npos; i++) {
		r = parse_target(a.pos[i], f->target_flags, &t, &why);
		if (r != 0)
			warn_msg("%s: %s", a.pos[i], why);
		else if (f->remove(&t) == -1)
			r = warn_target(&t, errno);
		if (r != 0 && status == 0)
			status = r;
	}
	return status;
}

int
undo_create(const char *kind, const char *target)
{
	const struct family	*f = family_named(kind);
	struct ipc_target	 t;
	const char		*why;

	if (parse_target(target, f->target_flags, &t, &why) != 0) {
		errno = EINVAL;
		return -1;
	}
	return f->remove(&t);
}

/* Removes one TARGET; returns 0 or the exit code of its failure. */
static int
rm_one(const char *arg, const struct family *only)
{
	const struct family	*hit = NULL;
	struct ipc_target	 t;
	const char		*why;
	size_t			 i, nhits = 0;
	int			 r;

	for (i = 0; i < NFAMILIES; i++) {
		if (only != NULL && only != &families[i])
			continue;
		r = parse_target(arg, families[i].target_flags, &t, &why);
		if (r != 0) {
			warn_msg("%s: %s", arg, why);
			return r;
		}
		if (only != NULL) {
			hit = only;
			break;
		}
		r = families[i].exists(&t);
		if (r == -1)
			return warn_target(&t, errno);
		if (r == 1) {
			hit = &families[i];
			nhits++;
		}
	}
	if (nhits > 1) {
		warn_msg("%s: names objects of several kinds: choose one with "
		    "--sem, --shm or --mq", arg);
		return EXIT_USAGE;
	}
	if (hit == NULL)
		return warn_target(&t, ENOENT);
	parse_target(arg, hit->target_flags, &t, &why);
	if (dry_run) {
		if (only != NULL && (r = hit->exists(&t)) != 1)
			return warn_target(&t, r == 0 ? ENOENT : errno);
		printf("%s %s\n", hit->kind, arg);
		return 0;
	}
	if (hit->remove(&t) == -1)
		return warn_target(&t, errno);
	if (verbose)
		printf("removed %s %s\n", hit->kind, arg);
	return 0;
}

/* rm --manifest FILE: lines "KIND TARGET", as create --manifest writes. */
static int
rm_manifest(const char *file)
{
	FILE	*f;
	char	*line = NULL, *target;
	size_t	 cap = 0;
	ssize_t	 len;
	long	 lineno = 0;
	int	 r, status = 0;

	if ((f = fopen(file, "re")) == NULL)
		return warn_errno(errno, "--manifest %s", file);
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		target = strchr(line, ' ');
		if (target == NULL || target[1] == '\0' ||
		    strchr(target + 1, ' ') != NULL ||
		    !(target - line == 2 ? strncmp(line, "mq", 2) == 0 :
		    target - line == 3 && (strncmp(line, "sem", 3) == 0 ||
		    strncmp(line, "shm", 3) == 0))) {
			warn_msg("%s:%ld: not 'KIND TARGET' (KIND sem, shm or "
			    "mq): '%s'", file, lineno, line);
			if (status == 0)
				status = EXIT_USAGE;
			continue;
		}
		*target++ = '\0';
		r = rm_one(target, family_named(line));
		if (r != 0 && status == 0)
			status = r;
	}
	if (ferror(f)) {
		r = warn_errno(errno, "--manifest %s", file);
		if (status == 0)
			status = r;
	}
	free(line);
	fclose(f);
	return status;
}

/* ---- rm --all ---- */

/* "id:N" or "/NAME": only when printed (70,000 snprintf add up) */
static const char *
obj_target(const struct ipc_obj *o, char *buf, size_t len)
{
	if (o->kind >= IPC_K_PSEM)
		snprintf(buf, len, "%s", o->name);
	else
		snprintf(buf, len, "id:%d", o->id);
	return buf;
}

struct rm_all {
	int	status;
	size_t	removed;
};

static int
rm_all_one(const struct ipc_obj *o, void *arg)
{
	struct rm_all	*ra = arg;
	char		 target[NAME_MAX + 16];
	int		 r, e;

	if (dry_run) {
		obj_target(o, target, sizeof target);
		printf("%s %s\n", kind_word(o->kind), target);
		return 0;
	}
	switch (o->kind) {
	case IPC_K_SEM:
		r = ipc_sem_remove(o->id);
		break;
	case IPC_K_SHM:
		r = ipc_shm_remove(o->id);
		break;
	case IPC_K_MSG:
		r = ipc_msg_remove(o->id);
		break;
	case IPC_K_PSEM:
		r = ipc_psem_unlink(o->name);
		break;
	case IPC_K_PSHM:
		r = ipc_pshm_unlink(o->name);
		break;
	default:
		r = ipc_pmq_unlink(o->name);
		break;
	}
	if (r == -1) {
		e = errno;
		if (e == ENOENT)	/* removed meanwhile: gone all the same */
			return 0;
		r = warn_errno(e, "%s %s", kind_word(o->kind),
		    obj_target(o, target, sizeof target));
		if (ra->status == 0)
			ra->status = r;
		return 0;
	}
	ra->removed++;
	if (verbose)
		printf("removed %s %s\n", kind_word(o->kind),
		    obj_target(o, target, sizeof target));
	return 0;
}

static int
cmd_rm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all",	no_argument,		NULL, OPT_ALL },
		{ "dry-run",	no_argument,		NULL, OPT_DRY_RUN },
		{ "help",	no_argument,		NULL, 'h' },
		{ "manifest",	required_argument,	NULL, OPT_MANIFEST },
		{ "verbose",	no_argument,		NULL, 'v' },
		SELECT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	const struct family	*only = NULL;
	struct ipc_select	 s;
	struct rm_all		 ra = { 0, 0 };
	struct args		 a;
	const char		*manifest = NULL;
	bool			 all = false, filters = false;
	int			 c, i, k, r, status = 0, nfam = 0;

	select_init(&s);
	args_init(&a, argc, argv, "v", longopts, 0, -1, false);
	while ((c = args_next(&a)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case OPT_ALL:
			all = true;
			break;
		case OPT_DRY_RUN:
			dry_run = true;
			break;
		case OPT_MANIFEST:
			if (manifest != NULL)
				die_usage("one --manifest at a time");
			manifest = a.optarg;
			break;
		default:
			select_opt(&s, c, a.optarg);
			if (c != OPT_SEL_SEM && c != OPT_SEL_SHM &&
			    c != OPT_SEL_MQ)
				filters = true;
		}
	}
	for (i = 0; i < 3; i++)
		nfam += s.fam[i];
	if (all) {
		if (a.npos > 0 || manifest != NULL)
			die_usage("--all takes no TARGET and no --manifest");
		if (!select_done(&s))
			die_usage("no kind of object matches these options");
		/*
		 * The *_STAT_ANY loop hands out the ids without the kernel
		 * rendering /proc text: what ipcrm -a does, and as fast.
		 */
		s.use_proc = false;
		for (k = 0; k < IPC_K_COUNT; k++) {
			if (!s.kinds[k])
				continue;
			r = select_walk(&s, (enum ipc_kind)k, rm_all_one, &ra);
			if (r != 0 && status == 0)
				status = r;
		}
		select_free(&s);
		return status != 0 ? status : ra.status;
	}
	if (filters)
		die_usage("filters and --sysv/--posix go with --all");
	if (a.npos == 0 && manifest == NULL)
		die_usage("nothing to remove: give TARGETs, --manifest FILE or "
		    "--all (with filters)");
	if (nfam > 1)
		die_usage("one kind at a time (--sem, --shm or --mq)");
	if (nfam == 1)
		only = family_named(s.fam[0] ? "sem" : s.fam[1] ? "shm" :
		    "mq");
	if (only != NULL && manifest != NULL)
		die_usage("--manifest names the kind on each line");
	for (i = 0; i < a.npos; i++) {
		r = rm_one(a.pos[i], only);
		if (r != 0 && status == 0)
			status = r;
	}
	if (manifest != NULL) {
		r = rm_manifest(manifest);
		if (r != 0 && status == 0)
			status = r;
	}
	return status;
}
