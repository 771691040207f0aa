/* SPDX-License-Identifier: ISC */
/*
 * The family table and the removal of objects by TARGET (family.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "family.h"
#include "ipctool.h"

const struct kind_info kinds[IPC_K_COUNT] = {
	[IPC_K_SEM] = { "sem", "semaphores", "semaphore set", false,
	    ipc_sem_remove, NULL },
	[IPC_K_SHM] = { "shm", "sharedmemory", "shared memory segment", false,
	    ipc_shm_remove, NULL },
	[IPC_K_MSG] = { "mq", "messages", "message queue", false,
	    ipc_msg_remove, NULL },
	[IPC_K_PSEM] = { "sem", "posix_semaphores", "POSIX semaphore", true,
	    NULL, ipc_psem_unlink },
	[IPC_K_PSHM] = { "shm", "posix_sharedmemory",
	    "POSIX shared memory object", true, NULL, ipc_pshm_unlink },
	[IPC_K_PMQ] = { "mq", "posix_messages", "POSIX queue", true,
	    NULL, ipc_pmq_unlink },
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
sem_open_posix(struct obj *o, int access)
{
	(void)access;
	return ipc_psem_open(o->t.name, &o->ps);
}

static int
mq_open_posix(struct obj *o, int access)
{
	return ipc_pmq_open(o->t.name, access, &o->pq);
}

const struct family families[] = {
	{ "sem", "semaphores", IPC_K_SEM, IPC_K_PSEM, TARGET_PSEM, sem_exists,
	    ipc_sem_open, sem_open_posix },
	{ "shm", "shared memory objects", IPC_K_SHM, IPC_K_PSHM, 0, shm_exists,
	    ipc_shm_open, NULL },
	{ "mq", "message queues", IPC_K_MSG, IPC_K_PMQ, 0, mq_exists,
	    ipc_msg_open, mq_open_posix },
};
const size_t nfamilies = sizeof families / sizeof families[0];

const struct family *
family_named(const char *word)
{
	size_t	i;

	for (i = 0; i < nfamilies; i++)
		if (strcmp(families[i].word, word) == 0)
			return &families[i];
	return NULL;
}

enum ipc_kind
family_kind(const struct family *f, const struct ipc_target *t)
{
	return t->kind == IPC_T_POSIX ? f->posix : f->sysv;
}

int
family_remove(const struct family *f, const struct ipc_target *t)
{
	int	id;

	if (t->kind == IPC_T_POSIX)
		return kinds[f->posix].remove_name(t->name);
	if (f->open(t, &id) == -1)
		return -1;
	return kinds[f->sysv].remove_id(id);
}

int
kind_remove(const struct ipc_obj *o)
{
	if (kinds[o->kind].posix)
		return kinds[o->kind].remove_name(o->name);
	return kinds[o->kind].remove_id(o->id);
}

const char *
kind_word(enum ipc_kind k)
{
	return kinds[k].word;
}

const char *
kind_section(enum ipc_kind k)
{
	return kinds[k].section;
}

const struct family *
xfamily_named(const char *word)
{
	const struct family	*f;

	if ((f = family_named(word)) == NULL)
		die_usage("--%s: not supported by this build", word);
	return f;
}

int
rm_targets(const char *kind, int n, char *const *targets)
{
	const struct family	*f = xfamily_named(kind);
	struct ipc_target	 t;
	const char		*why;
	int			 i, r, status = 0;

	for (i = 0; i < n; i++) {
		r = parse_target(targets[i], f->target_flags, &t, &why);
		if (r != 0)
			warn_msg("%s: %s", targets[i], why);
		else if (t.kind == IPC_T_POSIX && ns_joined &&
		    !ipc_posix_elsewhere())
			r = refuse_posix_ns(t.text);
		else if (family_remove(f, &t) == -1)
			r = warn_target(&t, errno);
		if (r != 0 && status == 0)
			status = r;
	}
	return status;
}

int
undo_create(const char *kind, const char *target)
{
	const struct family	*f = xfamily_named(kind);
	struct ipc_target	 t;
	const char		*why;

	if (parse_target(target, f->target_flags, &t, &why) != 0) {
		errno = EINVAL;
		return -1;
	}
	return family_remove(f, &t);
}

void
obj_parse(const char *word, const char *arg, struct obj *o)
{
	memset(o, 0, sizeof *o);
	o->f = xfamily_named(word);
	o->id = -1;
	xparse_target(arg, o->f->target_flags, &o->t);
	o->posix = o->t.kind == IPC_T_POSIX;
}

void
obj_open(struct obj *o, int access)
{
	if (o->posix) {
		if (o->f->open_posix != NULL &&
		    o->f->open_posix(o, access) == -1)
			die_target(&o->t, errno);
	} else if (o->f->open(&o->t, &o->id) == -1)
		die_target(&o->t, errno);
}

void
obj_resolve(const char *word, const char *arg, int access, struct obj *o)
{
	obj_parse(word, arg, o);
	obj_open(o, access);
}

void
obj_refuse_posix(const struct obj *o, bool cond, const char *why)
{
	if (o->posix && cond)
		die_usage("%s: POSIX %s %s", o->t.text, o->f->noun, why);
}

void
obj_refuse_sysv(const struct obj *o, bool cond, const char *why)
{
	if (!o->posix && cond)
		die_usage("%s: System V %s %s", o->t.text, o->f->noun, why);
}
