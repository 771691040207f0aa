/*
 * ipctool rm: remove objects of any family.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ipctool.h"

static int	cmd_rm(int, char **);

const struct cmd_entry cmd_rm_entry = {
	"rm", "[--sem | --shm | --mq] TARGET...",
	"Remove objects; a TARGET that several families have needs a kind "
	"option", cmd_rm
};

struct family {
	const char	*kind;
	int		 target_flags;
	int		(*exists)(const struct ipc_target *);
	int		(*remove)(const struct ipc_target *);
};

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
	{ "sem", TARGET_PSEM, sem_exists_target, sem_remove_target },
	{ "shm", 0, shm_exists, shm_remove },
	{ "mq", 0, mq_exists, mq_remove },
};
#define NFAMILIES (sizeof families / sizeof families[0])

enum { OPT_SEM = CHAR_MAX + 1, OPT_SHM, OPT_MQ };

static const struct family *
family_named(const char *kind)
{
	size_t	i;

	for (i = 0; i < NFAMILIES; i++)
		if (strcmp(families[i].kind, kind) == 0)
			return &families[i];
	die_usage("--%s: not supported by this build", kind);
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
	if (hit->remove(&t) == -1)
		return warn_target(&t, errno);
	return 0;
}

static int
cmd_rm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "mq",		no_argument,	NULL, OPT_MQ },
		{ "sem",	no_argument,	NULL, OPT_SEM },
		{ "shm",	no_argument,	NULL, OPT_SHM },
		{ NULL,		0,		NULL, 0 }
	};
	const struct family	*only = NULL;
	struct args		 a;
	int			 c, i, r, status = 0;

	args_init(&a, argc, argv, "", longopts, 1, -1, false);
	while ((c = args_next(&a)) != -1) {
		if (only != NULL)
			die_usage("one kind at a time (--sem, --shm or --mq)");
		only = family_named(c == OPT_SEM ? "sem" : c == OPT_SHM ?
		    "shm" : "mq");
	}
	for (i = 0; i < a.npos; i++) {
		r = rm_one(a.pos[i], only);
		if (r != 0 && status == 0)
			status = r;
	}
	return status;
}
