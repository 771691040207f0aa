/* SPDX-License-Identifier: ISC */
/*
 * The kinds of objects and the selection of them that list, rm --all and
 * the completion of TARGETs share: the kind options, the filters, the
 * /proc scans behind --orphaned and --pids, and the walk over what passes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipctool.h"

void
select_init(struct ipc_select *s)
{
	memset(s, 0, sizeof *s);
	s->older_than = -1;
	s->use_proc = getenv("IPCTOOL_NO_PROC") == NULL ||
	    strcmp(getenv("IPCTOOL_NO_PROC"), "1") != 0;
}

/* --owner USER, --creator USER: a user, no group */
static uid_t
xparse_user(const char *opt, const char *arg)
{
	uid_t	uid;
	gid_t	gid;
	bool	has_gid, has_uid;

	xparse_owner(opt, arg, &uid, &has_uid, &gid, &has_gid);
	if (has_gid || !has_uid)
		die_usage("%s: '%s' is not a user", opt, arg);
	return uid;
}

bool
select_opt(struct ipc_select *s, int c, const char *arg)
{
	const char	*why;

	switch (c) {
	case OPT_SEL_SEM:
		s->fam[0] = true;
		break;
	case OPT_SEL_SHM:
		s->fam[1] = true;
		break;
	case OPT_SEL_MQ:
		s->fam[2] = true;
		break;
	case OPT_SEL_SYSV:
		s->sysv = true;
		break;
	case OPT_SEL_POSIX:
		s->posix = true;
		break;
	case OPT_SEL_OWNER:
		s->owner = xparse_user("--owner", arg);
		s->has_owner = true;
		break;
	case OPT_SEL_CREATOR:
		s->creator = xparse_user("--creator", arg);
		s->has_creator = true;
		break;
	case OPT_SEL_KEY:
		if (parse_key(arg, &s->key, &why) != 0)
			die_usage("--key: '%s': %s", arg, why);
		s->has_key = true;
		break;
	case OPT_SEL_ORPHANED:
		s->orphaned = true;
		break;
	case OPT_SEL_OLDER:
		s->older_than = xparse_duration("--older-than", arg);
		break;
	case OPT_SEL_EMPTY:
		s->empty = true;
		break;
	default:
		return false;
	}
	return true;
}

/* Whether d is one of v[0..n-1]. */
static bool
in_devs(const dev_t *v, size_t n, dev_t d)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i] == d)
			return true;
	return false;
}

/* Adds d to v (room for it made by the caller) unless it is there. */
static void
add_dev(dev_t *v, size_t *n, dev_t d)
{
	if (!in_devs(v, *n, d))
		v[(*n)++] = d;
}

static void
allns_free(struct ipc_select *s)
{
	free(s->ns);
	free(s->shm_dup);
	free(s->shm_devs);
	free(s->mq_devs);
	s->ns = NULL;
	s->shm_dup = NULL;
	s->shm_devs = s->mq_devs = NULL;
	s->nns = s->nshm_devs = s->nmq_devs = 0;
}

/*
 * -A: every IPC namespace, joined in turn.  POSIX semaphores and segments
 * are files of a mount namespace's /dev/shm, which several IPC namespaces
 * may share: each /dev/shm is walked once, for the first namespace that
 * has it.  The /dev/shm and mqueue file systems found are what the /proc
 * scan looks for in every process.
 */
static void
allns_find(struct ipc_select *s)
{
	unsigned long long	 dev, ino, (*seen)[2];
	size_t			 i, j, n, nseen = 0;

	allns_free(s);
	if (ipc_ipcns_list(&s->ns, &s->nns) == -1)
		die_errno(errno, "cannot list the IPC namespaces in /proc");
	n = s->nns ? s->nns : 1;
	if ((s->shm_dup = calloc(n, sizeof *s->shm_dup)) == NULL ||
	    (s->shm_devs = calloc(n, sizeof *s->shm_devs)) == NULL ||
	    (s->mq_devs = calloc(n, sizeof *s->mq_devs)) == NULL ||
	    (seen = calloc(n, sizeof *seen)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < s->nns; i++) {
		if (ipc_setns_pid(s->ns[i].pid, s->ns[i].ino) == -1)
			continue;
		if (ipc_pmq_mounted() == 1 &&
		    ipc_posix_dir_ident(true, &dev, &ino) == 0)
			add_dev(s->mq_devs, &s->nmq_devs, (dev_t)dev);
		if (ipc_posix_dir_ident(false, &seen[nseen][0],
		    &seen[nseen][1]) == -1)
			continue;
		for (j = 0; j < nseen; j++)
			if (seen[j][0] == seen[nseen][0] &&
			    seen[j][1] == seen[nseen][1])
				break;
		s->shm_dup[i] = j < nseen;
		if (j == nseen)
			add_dev(s->shm_devs, &s->nshm_devs,
			    (dev_t)seen[nseen++][0]);
	}
	free(seen);
}

bool
select_enter_ns(struct ipc_select *s, size_t i, enum ipc_kind k)
{
	if ((k == IPC_K_PSEM || k == IPC_K_PSHM) && s->shm_dup[i])
		return false;
	/* its last process gone since: its objects cannot be reached */
	if (ipc_setns_pid(s->ns[i].pid, s->ns[i].ino) == -1)
		return false;
	s->cur_ns = s->ns[i].ino;
	return true;
}

/*
 * Who maps or opens what is known before anything is removed: a scan
 * that fails (EMFILE) ends the command with nothing done.
 */
static void
scan_needed(struct ipc_select *s)
{
	/* a System V set or queue that a process waits on is in use */
	if (s->orphaned && (s->kinds[IPC_K_SEM] || s->kinds[IPC_K_MSG]))
		s->scan |= WHO_WAITS;
	if (s->scan != 0 || (s->orphaned && (s->kinds[IPC_K_PSEM] ||
	    s->kinds[IPC_K_PSHM] || s->kinds[IPC_K_PMQ])))
		select_scan(s, WHO_USES);
}

bool
select_done(struct ipc_select *s)
{
	bool		anyfam = s->fam[0] || s->fam[1] || s->fam[2];
	bool		any = false;
	int		k;

	/* --sysv with --posix: EXCL_FAMILY, refused by the parser */
	if (s->posix && ns_joined && !ipc_posix_elsewhere())
		exit(refuse_posix_ns("--posix"));
	/* under --ns FILE, the caller's POSIX objects are not the namespace's */
	if (ns_joined && !ipc_posix_elsewhere())
		s->sysv = true;
	for (k = 0; k < IPC_K_COUNT; k++) {
		s->kinds[k] = (!anyfam || s->fam[k % 3]) &&
		    (k < 3 ? !s->posix || s->sysv : !s->sysv || s->posix);
		/* only queues can be empty */
		if (s->empty && k != IPC_K_MSG && k != IPC_K_PMQ)
			s->kinds[k] = false;
		/* only System V objects have keys */
		if (s->has_key && k >= IPC_K_PSEM)
			s->kinds[k] = false;
		any |= s->kinds[k];
	}
	s->now = time(NULL);
	if (s->allns)
		allns_find(s);
	scan_needed(s);
	return any;
}

void
select_refresh(struct ipc_select *s)
{
	select_free(s);
	s->nmaps = s->maps_cap = s->nwaits = s->waits_cap = 0;
	s->nprocs = s->procs_cap = s->nhidden = 0;
	s->scanned = false;
	s->now = time(NULL);
	if (s->allns)
		allns_find(s);
	scan_needed(s);
}

/* ---- who uses and waits on what: --pids, WAITERS, --orphaned ---- */

/* The object's part of a mapping: everything but the pid. */
static int
mapping_obj_cmp(const struct mapping *x, const struct mapping *y)
{
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static int
mapping_cmp(const void *a, const void *b)
{
	const struct mapping	*x = a, *y = b;
	int			 r;

	if ((r = mapping_obj_cmp(x, y)) != 0)
		return r;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return 0;
}

static int
waiter_cmp(const void *a, const void *b)
{
	return mapping_cmp(&((const struct waiter *)a)->on,
	    &((const struct waiter *)b)->on);
}

static int
procname_cmp(const void *a, const void *b)
{
	const struct procname	*x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Room for one more of an array of size sz. */
static void *
grow(void *arr, size_t n, size_t *cap, size_t sz)
{
	void	*p;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	if ((p = reallocarray(arr, *cap, sz)) == NULL)
		die_errno(errno, "cannot allocate");
	return p;
}

static void
add_use(struct ipc_select *s, const struct mapping *key)
{
	/* the next mapping of the same */
	if (s->nmaps > 0 && mapping_cmp(&s->maps[s->nmaps - 1], key) == 0)
		return;
	s->maps = grow(s->maps, s->nmaps, &s->maps_cap, sizeof *s->maps);
	s->maps[s->nmaps++] = *key;
}

static int
on_mapping(const struct ipc_mapping *im, void *arg)
{
	struct mapping	key;

	key.kind = im->kind;
	key.ns = im->ipcns;
	key.id = im->id;
	key.dev = im->dev;
	key.ino = im->ino;
	key.pid = im->pid;
	add_use(arg, &key);
	return 0;
}

/* Whether dev is a /dev/shm looked at (one of them, under -A). */
static bool
is_shm_fs(const struct ipc_select *s, dev_t dev)
{
	if (s->allns)
		return in_devs(s->shm_devs, s->nshm_devs, dev);
	return s->have_shm && dev == s->shm_dev;
}

/* Whether dev is an mqueue file system looked at. */
static bool
is_mq_fs(const struct ipc_select *s, dev_t dev)
{
	if (s->allns)
		return in_devs(s->mq_devs, s->nmq_devs, dev);
	return s->have_mq && dev == s->mq_dev;
}

static int
on_fd(pid_t pid, int fd, dev_t dev, ino_t ino, void *arg)
{
	struct ipc_select	*s = arg;
	struct mapping		 key;

	(void)fd;
	if (is_shm_fs(s, dev))
		key.kind = IPC_K_PSHM;
	else if (is_mq_fs(s, dev))
		key.kind = IPC_K_PMQ;
	else
		return 0;
	key.ns = 0;
	key.id = -1;
	key.dev = dev;
	key.ino = ino;
	key.pid = pid;
	add_use(s, &key);
	return 0;
}

static int
on_proc(const struct ipc_proc *p, void *arg)
{
	struct ipc_select	*s = arg;
	struct waiter		*w;

	s->procs = grow(s->procs, s->nprocs, &s->procs_cap,
	    sizeof *s->procs);
	s->procs[s->nprocs].pid = p->pid;
	strlcpy(s->procs[s->nprocs++].comm, p->comm[0] ? p->comm : "?",
	    sizeof s->procs->comm);
	if (!(s->scan & WHO_WAITS))
		return 0;
	if (!p->visible) {
		s->nhidden++;
		return 0;
	}
	if (p->wait.call == IPC_WAIT_NONE)
		return 0;
	s->waits = grow(s->waits, s->nwaits, &s->waits_cap, sizeof *s->waits);
	w = &s->waits[s->nwaits];
	memset(w, 0, sizeof *w);
	w->w = p->wait;
	w->on.pid = p->pid;
	w->on.id = -1;
	switch (p->wait.call) {
	case IPC_WAIT_SEMOP:
		w->on.kind = IPC_K_SEM;
		w->on.ns = s->allns ? p->ipcns : 0;
		w->on.id = p->wait.id;
		break;
	case IPC_WAIT_MSGSND:
	case IPC_WAIT_MSGRCV:
		w->on.kind = IPC_K_MSG;
		w->on.ns = s->allns ? p->ipcns : 0;
		w->on.id = p->wait.id;
		break;
	case IPC_WAIT_PMQ_SEND:
	case IPC_WAIT_PMQ_RECEIVE:
		if (!is_mq_fs(s, p->wait.dev))
			return 0;
		w->on.kind = IPC_K_PMQ;
		w->on.dev = p->wait.dev;
		w->on.ino = p->wait.ino;
		break;
	case IPC_WAIT_FUTEX:
		w->on.kind = IPC_K_PSEM;
		w->on.dev = p->wait.dev;
		w->on.ino = p->wait.ino;
		break;
	default:
		return 0;
	}
	s->nwaits++;
	return 0;
}

static void
dedup(struct ipc_select *s)
{
	size_t	i, j;

	if (s->nmaps > 1)
		qsort(s->maps, s->nmaps, sizeof *s->maps, mapping_cmp);
	for (i = j = 0; i < s->nmaps; i++)
		if (j == 0 || mapping_cmp(&s->maps[j - 1], &s->maps[i]) != 0)
			s->maps[j++] = s->maps[i];
	s->nmaps = j;
}

void
select_scan(struct ipc_select *s, unsigned int what)
{
	struct ipc_scan_ops	 ops;
	struct stat		 sb;

	if (s->scanned)
		return;
	s->scanned = true;
	s->scan |= what;
	if (ipc_shm_dir() != NULL && stat(ipc_shm_dir(), &sb) == 0) {
		s->shm_dev = sb.st_dev;
		s->have_shm = true;
	}
	if (ipc_pmq_mounted() == 1 && stat(ipc_mqueue_dir(), &sb) == 0) {
		s->mq_dev = sb.st_dev;
		s->have_mq = true;
	}
	memset(&ops, 0, sizeof ops);
	ops.flags = IPC_SCAN_MAPS | IPC_SCAN_FDS |
	    (s->scan & WHO_WAITS ? IPC_SCAN_WAITS : 0);
	if (s->allns) {	/* one scan for every namespace */
		ops.flags |= IPC_SCAN_ALLNS;
		ops.shm_devs = s->shm_devs;
		ops.nshm_devs = s->nshm_devs;
	}
	ops.map = on_mapping;
	ops.fd = on_fd;
	ops.proc = on_proc;
	ops.arg = s;
	/* a partial scan would call a used object unused: never go on */
	if (ipc_scan_procs(&ops) == -1)
		die_errno(errno, "cannot scan /proc");
	dedup(s);
	if (s->nwaits > 1)
		qsort(s->waits, s->nwaits, sizeof *s->waits, waiter_cmp);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof *s->procs, procname_cmp);
}

/* The key of o's uses (kind k) or waits. */
static void
obj_key(const struct ipc_select *s, const struct ipc_obj *o, enum ipc_kind k,
    struct mapping *key)
{
	memset(key, 0, sizeof *key);
	key->kind = k;
	key->id = -1;
	if (o->kind < IPC_K_PSEM) {
		key->id = o->id;
		/* -A: the id of the namespace being walked */
		key->ns = s->allns ? s->cur_ns : 0;
	} else {
		key->dev = o->dev;
		key->ino = o->ino;
	}
	key->pid = INT_MIN;
}

/* Lower bound of key in a sorted array of n elements of size sz, whose
 * first member is a struct mapping. */
static size_t
range(const void *arr, size_t n, size_t sz, const struct mapping *key,
    size_t *count)
{
	const char	*base = arr;
	size_t		 lo = 0, hi = n, mid, c = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mapping_cmp(base + mid * sz, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + c < n && mapping_obj_cmp((const struct mapping *)
	    (const void *)(base + (lo + c) * sz), key) == 0)
		c++;
	*count = c;
	return lo;
}

/* How many processes map o or hold it open; *first the first of them. */
static size_t
select_mappings(const struct ipc_select *s, const struct ipc_obj *o,
    const struct mapping **first)
{
	struct mapping	key;
	size_t		lo, n;

	/* POSIX semaphores and segments are both files of /dev/shm */
	obj_key(s, o, o->kind == IPC_K_PSEM ? IPC_K_PSHM : o->kind, &key);
	lo = range(s->maps, s->nmaps, sizeof *s->maps, &key, &n);
	*first = s->maps + lo;
	return n;
}

size_t
select_waiters(const struct ipc_select *s, const struct ipc_obj *o,
    const struct waiter **first)
{
	struct mapping	key;
	size_t		lo, n;

	obj_key(s, o, o->kind == IPC_K_PSHM ? IPC_K_PSEM : o->kind, &key);
	lo = range(s->waits, s->nwaits, sizeof *s->waits, &key, &n);
	*first = s->waits + lo;
	return n;
}

const char *
select_comm(const struct ipc_select *s, pid_t pid)
{
	struct procname	key, *p;

	if (s->nprocs == 0)
		return NULL;	/* procs may be NULL, which bsearch may not take */
	key.pid = pid;
	p = bsearch(&key, s->procs, s->nprocs, sizeof *s->procs,
	    procname_cmp);
	return p != NULL ? p->comm : NULL;
}

static int
pid_cmp(const void *a, const void *b)
{
	pid_t	x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

pid_t *
select_users(const struct ipc_select *s, const struct ipc_obj *o, size_t *n)
{
	const struct mapping	*m;
	const struct waiter	*w;
	pid_t			*p;
	size_t			 nm = 0, nw = 0, nl = 0, i, j, cap;

	if (o->kind == IPC_K_SEM || o->kind == IPC_K_MSG) {
		nw = select_waiters(s, o, &w);
		nl = o->kind == IPC_K_SEM ? o->nsems : 2;
	} else
		nm = select_mappings(s, o, &m);
	cap = nm + nw + nl + 1;
	if ((p = calloc(cap, sizeof *p)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < nm; i++)
		p[i] = m[i].pid;
	for (j = 0; j < nw; j++)
		p[i++] = w[j].on.pid;
	if (o->kind == IPC_K_MSG) {
		p[i++] = o->cpid;	/* lspid */
		p[i++] = o->lpid;	/* lrpid */
	} else if (o->kind == IPC_K_SEM && nl > 0 &&
	    ipc_sem_pids(o->id, o->nsems, p + i) == 0)
		i += nl;
	/* the last pids count while they run in our namespace */
	for (j = nm + nw; j < i; j++)
		if (p[j] <= 0 || select_comm(s, p[j]) == NULL ||
		    !ipc_pid_alive(p[j]))
			p[j] = 0;
	qsort(p, i, sizeof *p, pid_cmp);
	for (nl = j = 0; j < i; j++)
		if (p[j] > 0 && (nl == 0 || p[nl - 1] != p[j]))
			p[nl++] = p[j];
	*n = nl;
	return p;
}

/* A semop's members and deltas: "0:-1 1:0". */
static void
describe_sops(const struct ipc_wait *w, char *buf, size_t len)
{
	char	one[48];
	size_t	i, n = w->nsops < IPC_WAIT_SOPS ? w->nsops : IPC_WAIT_SOPS;

	for (i = 0; i < n; i++) {
		if (w->sops[i].op == 0)
			snprintf(one, sizeof one, " %u:0 (waits for zero)",
			    w->sops[i].num);
		else
			snprintf(one, sizeof one, " %u:%+d", w->sops[i].num,
			    w->sops[i].op);
		strlcat(buf, one, len);
	}
	if (w->nsops > n)
		strlcat(buf, " ...", len);
}

const char *
wait_describe(const struct ipc_wait *w, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (w->call) {
	case IPC_WAIT_SEMOP:
		strlcpy(buf, "semop", len);
		if (w->sops_known)
			describe_sops(w, buf, len);
		else
			snprintf(buf, len, "semop %llu ops", w->nsops);
		break;
	case IPC_WAIT_MSGSND:
		strlcpy(buf, "msgsnd (queue full)", len);
		break;
	case IPC_WAIT_MSGRCV:
		if (w->msgtype == 0)
			strlcpy(buf, "msgrcv any type", len);
		else if (w->msgtype < 0)
			snprintf(buf, len, "msgrcv type <= %ld", -w->msgtype);
		else
			snprintf(buf, len, "msgrcv %stype %ld",
			    w->except ? "EXCEPT " : "", w->msgtype);
		break;
	case IPC_WAIT_PMQ_SEND:
		strlcpy(buf, "mq_timedsend (queue full)", len);
		break;
	case IPC_WAIT_PMQ_RECEIVE:
		strlcpy(buf, "mq_timedreceive", len);
		break;
	case IPC_WAIT_FUTEX:
		strlcpy(buf, "sem_wait (futex)", len);
		break;
	default:
		break;
	}
	return buf;
}

bool
select_orphaned(struct ipc_select *s, const struct ipc_obj *o)
{
	const struct mapping	*m;
	const struct waiter	*w;
	pid_t			 small[64], *pids;
	unsigned long		 i;
	bool			 alive = false;

	switch (o->kind) {
	case IPC_K_SHM:
		return o->nattch == 0 && !ipc_pid_alive(o->cpid) &&
		    !ipc_pid_alive(o->lpid);
	case IPC_K_MSG:
		return !ipc_pid_alive(o->cpid) && !ipc_pid_alive(o->lpid) &&
		    select_waiters(s, o, &w) == 0;
	case IPC_K_SEM:
		if (select_waiters(s, o, &w) != 0)
			return false;
		pids = small;
		if (o->nsems > 64 &&
		    (pids = calloc(o->nsems, sizeof *pids)) == NULL)
			die_errno(errno, "cannot allocate");
		if (ipc_sem_pids(o->id, o->nsems, pids) == -1)
			alive = true;	/* gone or unreadable: leave it */
		for (i = 0; !alive && i < o->nsems; i++)
			alive = ipc_pid_alive(pids[i]);
		if (pids != small)
			free(pids);
		return !alive;
	case IPC_K_PSEM:
	case IPC_K_PSHM:
		/* no process maps or holds it, none waits, its owner runs none */
		select_scan(s, WHO_USES);
		return select_mappings(s, o, &m) == 0 &&
		    select_waiters(s, o, &w) == 0;
	case IPC_K_PMQ:
		select_scan(s, WHO_USES);
		return select_mappings(s, o, &m) == 0;
	default:
		return false;
	}
}

/* Whether o passes every filter. */
static bool
selected(struct ipc_select *s, const struct ipc_obj *o)
{
	bool	posix = o->kind >= IPC_K_PSEM;

	if (s->has_owner && o->uid != s->owner)
		return false;
	/* a POSIX object's creator is its file's owner */
	if (s->has_creator && (posix ? o->uid : o->cuid) != s->creator)
		return false;
	if (s->has_key && (posix || o->key != s->key))
		return false;
	if (s->has_id && (posix || o->id != s->id))
		return false;
	if (s->older_than >= 0 && (o->ctime == 0 ||
	    s->now - o->ctime < s->older_than))
		return false;
	if (s->empty && (!(o->known & IPC_KNOWN_QNUM) || o->qnum != 0))
		return false;
	if (s->orphaned && !select_orphaned(s, o))
		return false;
	return true;
}

struct walk {
	struct ipc_select	*s;
	ipc_list_cb		 cb;
	void			*arg;
};

static int
walk_one(const struct ipc_obj *o, void *arg)
{
	struct walk	*w = arg;

	if (!selected(w->s, o))
		return 0;
	return w->cb(o, w->arg);
}

int
select_walk(struct ipc_select *s, enum ipc_kind k, ipc_list_cb cb, void *arg)
{
	struct walk	w = { s, cb, arg };
	int		r;

	if (k < IPC_K_PSEM)
		r = ipc_list_sysv(k, s->use_proc, walk_one, &w);
	else
		r = ipc_list_posix(k, walk_one, &w);
	if (r != -1)
		return r;
	if (k == IPC_K_PMQ && errno == ENODEV) {
		if (s->mq_quiet)
			;
		else if (!s->mq_warned && ipc_posix_elsewhere())
			warn_msg("POSIX message queues: the namespace's %s "
			    "is not an mqueue file system", IPC_MQUEUE_DIR);
		else if (!s->mq_warned)
			warn_msg("POSIX message queues: %s is not an mqueue "
			    "file system; mount it with 'mount -t mqueue none "
			    "%s'", IPC_MQUEUE_DIR, IPC_MQUEUE_DIR);
		s->mq_warned = true;
		return 0;
	}
	return warn_errno(errno, "cannot list %s %s", k < IPC_K_PSEM ?
	    "System V" : "POSIX", kind_word(k));
}

/* ---- list --metrics: the same walk, counted ---- */

struct count {
	struct ipc_select	*s;
	struct ipc_count	*c;
};

static int
count_one(const struct ipc_obj *o, void *arg)
{
	struct count		*w = arg;
	struct ipc_count	*c = w->c;

	c->objects++;
	/* with --orphaned every object that passed is one */
	if (w->s->orphaned || select_orphaned(w->s, o))
		c->orphaned++;
	switch (o->kind) {
	case IPC_K_SEM:
		c->semaphores += o->nsems;
		break;
	case IPC_K_PSEM:
		c->semaphores++;
		break;
	case IPC_K_SHM:
		c->bytes += o->size;
		c->attachments += o->nattch;
		break;
	case IPC_K_PSHM:
		if (o->known & IPC_KNOWN_SIZE)
			c->bytes += o->size;
		else
			c->bytes_unknown++;
		break;
	case IPC_K_MSG:
	case IPC_K_PMQ:
		if (o->kind == IPC_K_MSG || (o->known & IPC_KNOWN_SIZE))
			c->bytes += o->size;
		else
			c->bytes_unknown++;
		if (o->known & IPC_KNOWN_QNUM)
			c->messages += o->qnum;
		else
			c->messages_unknown++;
		break;
	default:
		break;
	}
	return 0;
}

int
select_count(struct ipc_select *s, struct ipc_counts *c)
{
	struct count	w = { s, NULL };
	bool		warned;
	int		k, r, status = 0;

	memset(c, 0, sizeof *c);
	for (k = 0; k < IPC_K_COUNT; k++) {
		if (!s->kinds[k])
			continue;
		w.c = &c->k[k];
		warned = s->mq_warned;
		r = select_walk(s, (enum ipc_kind)k, count_one, &w);
		/* a kind listed in part, or not at all, is not reported */
		c->counted[k] = r == 0 && s->mq_warned == warned;
		if (r != 0 && status == 0)
			status = r;
	}
	return status;
}

void
select_free(struct ipc_select *s)
{
	free(s->maps);
	free(s->waits);
	free(s->procs);
	s->maps = NULL;
	s->waits = NULL;
	s->procs = NULL;
	allns_free(s);
}
