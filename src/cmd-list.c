/*
 * ipctool list: every IPC object of the namespace, System V and POSIX, with
 * the filters that `rm --all` shares (the selection part of this file).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipctool.h"
#include "output.h"

static int	cmd_list(int, char **);

const struct cmd_entry cmd_list_entry = {
	"list", "[--sem] [--shm] [--mq] [--sysv | --posix] [--owner USER] "
	"[--creator USER] [--key KEY] [--orphaned] [--older-than DURATION] "
	"[--empty] [--pids] [--json | --raw | --export] [-o COLS] "
	"[--no-headings] [--human]",
	"List IPC objects, System V and POSIX", cmd_list
};

static const char *const kind_words[IPC_K_COUNT] = {
	"sem", "shm", "mq", "sem", "shm", "mq"
};

const char *
kind_word(enum ipc_kind k)
{
	return kind_words[k];
}

/* ---- selection: kinds and filters, shared with rm --all ---- */

void
select_init(struct ipc_select *s)
{
	memset(s, 0, sizeof *s);
	s->older_than = -1;
	s->use_proc = getenv("IPCTOOL_NO_PROC") == NULL ||
	    strcmp(getenv("IPCTOOL_NO_PROC"), "1") != 0;
}

bool
select_opt(struct ipc_select *s, int c, const char *arg)
{
	const char	*why;
	gid_t		 gid;
	bool		 has_gid, has_uid;

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
		xparse_owner("--owner", arg, &s->owner, &has_uid, &gid,
		    &has_gid);
		if (has_gid || !has_uid)
			die_usage("--owner: '%s' is not a user", arg);
		s->has_owner = true;
		break;
	case OPT_SEL_CREATOR:
		xparse_owner("--creator", arg, &s->creator, &has_uid, &gid,
		    &has_gid);
		if (has_gid || !has_uid)
			die_usage("--creator: '%s' is not a user", arg);
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

bool
select_done(struct ipc_select *s)
{
	bool	anyfam = s->fam[0] || s->fam[1] || s->fam[2];
	bool	any = false;
	int	k;

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
	return any;
}

/* ---- who maps what: --pids and --orphaned on POSIX objects ---- */

struct mapping {
	enum ipc_kind	 kind;
	int		 id;
	char		*name;
	pid_t		 pid;
};

struct fdref {
	dev_t		 dev;
	ino_t		 ino;
};

static int
mapping_cmp(const void *a, const void *b)
{
	const struct mapping	*x = a, *y = b;
	int			 r;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->name != NULL && y->name != NULL &&
	    (r = strcmp(x->name, y->name)) != 0)
		return r;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return 0;
}

static int
on_mapping(pid_t pid, enum ipc_kind kind, int id, const char *name,
    void *arg)
{
	struct ipc_select	*s = arg;
	struct mapping		*m, *last;

	if (s->nmaps > 0) {
		last = &s->maps[s->nmaps - 1];
		if (last->pid == pid && last->kind == kind &&
		    last->id == id && (name == NULL ||
		    strcmp(last->name, name) == 0))
			return 0;	/* the next mapping of the same */
	}
	if (s->nmaps == s->maps_cap) {
		s->maps_cap = s->maps_cap ? s->maps_cap * 2 : 64;
		m = reallocarray(s->maps, s->maps_cap, sizeof *m);
		if (m == NULL)
			die_errno(errno, "cannot allocate");
		s->maps = m;
	}
	m = &s->maps[s->nmaps++];
	m->kind = kind;
	m->id = id;
	m->pid = pid;
	m->name = NULL;
	if (name != NULL && (m->name = strdup(name)) == NULL)
		die_errno(errno, "cannot allocate");
	return 0;
}

void
select_scan_maps(struct ipc_select *s)
{
	size_t	i, j;

	if (s->maps_scanned)
		return;
	s->maps_scanned = true;
	if (ipc_scan_maps(on_mapping, s) == -1)
		warn_errno(errno, "cannot scan /proc/*/maps");
	if (s->nmaps > 1)
		qsort(s->maps, s->nmaps, sizeof *s->maps, mapping_cmp);
	/* drop duplicates */
	for (i = j = 0; i < s->nmaps; i++) {
		if (j > 0 && mapping_cmp(&s->maps[j - 1], &s->maps[i]) == 0) {
			free(s->maps[i].name);
			continue;
		}
		s->maps[j++] = s->maps[i];
	}
	s->nmaps = j;
}

/* The first mapping of o in s->maps and how many there are. */
size_t
select_mappings(const struct ipc_select *s, const struct ipc_obj *o,
    const struct mapping **first)
{
	struct mapping	key;
	size_t		lo = 0, hi = s->nmaps, mid, n = 0;
	enum ipc_kind	kind = o->kind;

	key.kind = kind;
	key.id = kind == IPC_K_SHM ? o->id : -1;
	key.name = kind == IPC_K_SHM ? NULL : (char *)o->name;
	key.pid = INT_MIN;
	while (lo < hi) {	/* lower bound */
		mid = lo + (hi - lo) / 2;
		if (mapping_cmp(&s->maps[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = &s->maps[lo];
	while (lo + n < s->nmaps && s->maps[lo + n].kind == kind &&
	    s->maps[lo + n].id == key.id && (key.name == NULL ||
	    strcmp(s->maps[lo + n].name, key.name) == 0))
		n++;
	return n;
}

static int
fdref_cmp(const void *a, const void *b)
{
	const struct fdref	*x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static int
on_fd(pid_t pid, dev_t dev, ino_t ino, void *arg)
{
	struct ipc_select	*s = arg;
	struct fdref		*f;

	(void)pid;
	if (dev != s->mq_dev)
		return 0;
	if (s->nfds == s->fds_cap) {
		s->fds_cap = s->fds_cap ? s->fds_cap * 2 : 64;
		f = reallocarray(s->fds, s->fds_cap, sizeof *f);
		if (f == NULL)
			die_errno(errno, "cannot allocate");
		s->fds = f;
	}
	s->fds[s->nfds].dev = dev;
	s->fds[s->nfds++].ino = ino;
	return 0;
}

static bool
pmq_is_open(struct ipc_select *s, const struct ipc_obj *o)
{
	struct fdref	key = { o->dev, o->ino };

	if (!s->fds_scanned) {
		s->fds_scanned = true;
		s->mq_dev = o->dev;
		if (ipc_scan_fds(on_fd, s) == -1)
			warn_errno(errno, "cannot scan /proc/*/fd");
		if (s->nfds > 1)
			qsort(s->fds, s->nfds, sizeof *s->fds, fdref_cmp);
	}
	return bsearch(&key, s->fds, s->nfds, sizeof *s->fds, fdref_cmp) !=
	    NULL;
}

static bool
orphaned(struct ipc_select *s, const struct ipc_obj *o)
{
	const struct mapping	*m;
	pid_t			 small[64], *pids;
	unsigned long		 i;
	bool			 alive = false;

	switch (o->kind) {
	case IPC_K_SHM:
		return o->nattch == 0 && !ipc_pid_alive(o->cpid) &&
		    !ipc_pid_alive(o->lpid);
	case IPC_K_MSG:
		return !ipc_pid_alive(o->cpid) && !ipc_pid_alive(o->lpid);
	case IPC_K_SEM:
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
		select_scan_maps(s);
		return select_mappings(s, o, &m) == 0;
	case IPC_K_PMQ:
		return !pmq_is_open(s, o);
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
	if (s->older_than >= 0 && (o->ctime == 0 ||
	    s->now - o->ctime < s->older_than))
		return false;
	if (s->empty && (!(o->known & IPC_KNOWN_QNUM) || o->qnum != 0))
		return false;
	if (s->orphaned && !orphaned(s, o))
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
		if (!s->mq_warned)
			warn_msg("POSIX message queues: %s is not an mqueue "
			    "file system; mount it with 'mount -t mqueue none "
			    "%s'", IPC_MQUEUE_DIR, IPC_MQUEUE_DIR);
		s->mq_warned = true;
		return 0;
	}
	return warn_errno(errno, "cannot list %s %s", k < IPC_K_PSEM ?
	    "System V" : "POSIX", kind_word(k));
}

void
select_free(struct ipc_select *s)
{
	size_t	i;

	for (i = 0; i < s->nmaps; i++)
		free(s->maps[i].name);
	free(s->maps);
	free(s->fds);
}

/* ---- list ---- */

static const struct out_column cols[] = {
	{ "KIND", COL_STR, 0, "sem, shm or mq" },
	{ "TARGET", COL_STR, 0, "id:N or /NAME, for other commands" },
	{ "KEY", COL_KEY, 0, "System V key" },
	{ "ID", COL_NUM, 0, "System V identifier" },
	{ "NAME", COL_STR, 0, "POSIX name" },
	{ "PERMS", COL_STR, 0, "permissions, octal" },
	{ "OWNER", COL_STR, 0, "owner's user name" },
	{ "CUID", COL_NUM, 0, "creator's user id" },
	{ "CUSER", COL_STR, 0, "creator's user name" },
	{ "CGID", COL_NUM, 0, "creator's group id" },
	{ "CGROUP", COL_STR, 0, "creator's group name" },
	{ "UID", COL_NUM, 0, "owner's user id" },
	{ "USER", COL_STR, 0, "owner's user name" },
	{ "GID", COL_NUM, 0, "owner's group id" },
	{ "GROUP", COL_STR, 0, "owner's group name" },
	{ "SIZE", COL_SIZE, 0, "segment size in bytes" },
	{ "NATTCH", COL_NUM, 0, "attached processes" },
	{ "STATUS", COL_STR, 0, "dest (removed when detached), locked" },
	{ "ATTACH", COL_TIME, 0, "time of the last attach" },
	{ "DETACH", COL_TIME, 0, "time of the last detach" },
	{ "COMMAND", COL_STR, 0, "creator's command, if it runs" },
	{ "CPID", COL_NUM, 0, "creator's pid" },
	{ "LPID", COL_NUM, 0, "pid of the last attach or detach" },
	{ "RSS", COL_SIZE, 0, "resident bytes" },
	{ "SWAP", COL_SIZE, 0, "swapped bytes" },
	{ "USEDBYTES", COL_SIZE, 0, "bytes queued" },
	{ "MSGS", COL_NUM, 0, "messages queued" },
	{ "MAXMSGS", COL_NUM, 0, "POSIX queue capacity in messages" },
	{ "MSGSIZE", COL_NUM, 0, "POSIX largest message" },
	{ "SEND", COL_TIME, 0, "time of the last send" },
	{ "RECV", COL_TIME, 0, "time of the last receive" },
	{ "LSPID", COL_NUM, 0, "pid of the last send" },
	{ "LRPID", COL_NUM, 0, "pid of the last receive" },
	{ "NSEMS", COL_NUM, 0, "semaphores in the set" },
	{ "OTIME", COL_TIME, 0, "time of the last semop" },
	{ "SVAL", COL_NUM, 0, "POSIX semaphore value" },
	{ "MTIME", COL_TIME, 0, "POSIX: time of the last change" },
	{ "CTIME", COL_TIME, 0, "time of the last change of attributes" },
	{ "PIDS", COL_STR, 0, "processes mapping it now (--pids)" },
};
enum {
	L_KIND, L_TARGET, L_KEY, L_ID, L_NAME, L_PERMS, L_OWNER, L_CUID,
	L_CUSER, L_CGID, L_CGROUP, L_UID, L_USER, L_GID, L_GROUP, L_SIZE,
	L_NATTCH, L_STATUS, L_ATTACH, L_DETACH, L_COMMAND, L_CPID, L_LPID,
	L_RSS, L_SWAP, L_USEDBYTES, L_MSGS, L_MAXMSGS, L_MSGSIZE, L_SEND,
	L_RECV, L_LSPID, L_LRPID, L_NSEMS, L_OTIME, L_SVAL, L_MTIME, L_CTIME,
	L_PIDS, L_NCOLS
};

static const char *const defaults[IPC_K_COUNT] = {
	"KEY,ID,PERMS,OWNER,NSEMS,OTIME,CTIME",
	"KEY,ID,PERMS,OWNER,SIZE,NATTCH,STATUS,CTIME,CPID,LPID",
	"KEY,ID,PERMS,OWNER,USEDBYTES,MSGS,SEND,RECV,LSPID,LRPID",
	"NAME,PERMS,OWNER,SVAL,MTIME",
	"NAME,PERMS,OWNER,SIZE,MTIME",
	"NAME,PERMS,OWNER,USEDBYTES,MSGS,MTIME"
};

static const char *const sections[IPC_K_COUNT] = {
	"semaphores", "sharedmemory", "messages",
	"posix_semaphores", "posix_sharedmemory", "posix_messages"
};

static const char *const titles[IPC_K_COUNT] = {
	"System V semaphore sets", "System V shared memory segments",
	"System V message queues", "POSIX named semaphores",
	"POSIX shared memory objects", "POSIX message queues"
};

static const struct out_column proc_cols[] = {
	{ "PID", COL_NUM, COL_DEFAULT, NULL },
	{ "COMMAND", COL_STR, COL_DEFAULT, NULL },
};

struct list_ctx {
	struct ipc_select	*s;
	struct out		*o;
	bool			 pids;
	bool			 nested;	/* JSON "processes" arrays */
	enum out_format		 format;
	size_t			 nrows;
};

static const char *
fmt_pids(const struct mapping *m, size_t n, char **buf)
{
	char	comm[64];
	FILE	*f;
	size_t	len, i;

	if ((f = open_memstream(buf, &len)) == NULL)
		die_errno(errno, "cannot allocate");
	for (i = 0; i < n; i++) {
		if (ipc_proc_comm(m[i].pid, comm, sizeof comm) == -1)
			strlcpy(comm, "?", sizeof comm);
		fprintf(f, "%s%d(%s)", i ? "," : "", (int)m[i].pid, comm);
	}
	if (fclose(f) != 0)
		die_errno(errno, "cannot allocate");
	return *buf;
}

static int
list_row(const struct ipc_obj *ob, void *arg)
{
	struct list_ctx		*c = arg;
	struct out		*o = c->o;
	struct out		 po;
	const struct mapping	*m = NULL;
	const char		*bad;
	char			 buf[NAME_MAX + 16], *pbuf = NULL, comm[64];
	size_t			 nm = 0, i;
	bool			 posix = ob->kind >= IPC_K_PSEM;

	c->nrows++;
	if (out_wants(o, L_KIND))
		out_str(o, L_KIND, kind_word(ob->kind));
	if (out_wants(o, L_TARGET)) {
		if (posix)
			out_str(o, L_TARGET, ob->name);
		else {
			snprintf(buf, sizeof buf, "id:%d", ob->id);
			out_str(o, L_TARGET, buf);
		}
	}
	if (posix)
		out_str(o, L_NAME, ob->name);
	else {
		if (out_wants(o, L_KEY))
			out_str(o, L_KEY, fmt_key(ob->key, buf));
		out_num(o, L_ID, ob->id);
	}
	if (out_wants(o, L_PERMS))
		out_str(o, L_PERMS, fmt_perms(ob->mode & 0777, buf));
	if (out_wants(o, L_OWNER))
		out_str(o, L_OWNER, user_name(ob->uid));
	if (out_wants(o, L_USER))
		out_str(o, L_USER, user_name(ob->uid));
	if (out_wants(o, L_GROUP))
		out_str(o, L_GROUP, group_name(ob->gid));
	out_unum(o, L_UID, ob->uid);
	out_unum(o, L_GID, ob->gid);
	if (ob->known & IPC_KNOWN_CREATOR) {
		out_unum(o, L_CUID, ob->cuid);
		out_unum(o, L_CGID, ob->cgid);
		if (out_wants(o, L_CUSER))
			out_str(o, L_CUSER, user_name(ob->cuid));
		if (out_wants(o, L_CGROUP))
			out_str(o, L_CGROUP, group_name(ob->cgid));
	}
	out_time(o, L_CTIME, ob->ctime);
	switch (ob->kind) {
	case IPC_K_SEM:
		out_unum(o, L_NSEMS, ob->nsems);
		out_time(o, L_OTIME, ob->otime);
		break;
	case IPC_K_SHM:
		out_unum(o, L_SIZE, ob->size);
		out_unum(o, L_NATTCH, ob->nattch);
		if (out_wants(o, L_STATUS)) {
			buf[0] = '\0';
			if (ob->mode & 01000)	/* SHM_DEST */
				strlcat(buf, "dest", sizeof buf);
			if (ob->mode & 02000)	/* SHM_LOCKED */
				strlcat(buf, buf[0] ? ",locked" : "locked",
				    sizeof buf);
			if (buf[0] == '\0' && (c->format == OUT_TABLE ||
			    c->format == OUT_RAW))
				out_null(o, L_STATUS);
			else
				out_str(o, L_STATUS, buf);
		}
		out_time(o, L_ATTACH, ob->atime);
		out_time(o, L_DETACH, ob->dtime);
		out_num(o, L_CPID, ob->cpid);
		out_num(o, L_LPID, ob->lpid);
		if (out_wants(o, L_COMMAND) && ipc_pid_alive(ob->cpid) &&
		    ipc_proc_comm(ob->cpid, comm, sizeof comm) == 0)
			out_str(o, L_COMMAND, comm);
		if (ob->known & IPC_KNOWN_RSS) {
			out_unum(o, L_RSS, ob->rss);
			out_unum(o, L_SWAP, ob->swap);
		}
		break;
	case IPC_K_MSG:
		out_unum(o, L_USEDBYTES, ob->size);
		out_unum(o, L_MSGS, ob->qnum);
		out_time(o, L_SEND, ob->atime);
		out_time(o, L_RECV, ob->dtime);
		out_num(o, L_LSPID, ob->cpid);
		out_num(o, L_LRPID, ob->lpid);
		break;
	case IPC_K_PSEM:
		if (ob->known & IPC_KNOWN_SVAL)
			out_num(o, L_SVAL, ob->sval);
		out_unum(o, L_NSEMS, 1);
		out_time(o, L_MTIME, ob->mtime);
		break;
	case IPC_K_PSHM:
		out_unum(o, L_SIZE, ob->size);
		out_time(o, L_MTIME, ob->mtime);
		break;
	case IPC_K_PMQ:
		if (ob->known & IPC_KNOWN_SIZE)
			out_unum(o, L_USEDBYTES, ob->size);
		if (ob->known & IPC_KNOWN_QNUM)
			out_unum(o, L_MSGS, ob->qnum);
		if (ob->known & IPC_KNOWN_MQATTR) {
			out_num(o, L_MAXMSGS, ob->maxmsg);
			out_num(o, L_MSGSIZE, ob->msgsize);
		}
		out_time(o, L_MTIME, ob->mtime);
		break;
	default:
		break;
	}
	if (c->pids && (ob->kind == IPC_K_SHM || ob->kind == IPC_K_PSHM ||
	    ob->kind == IPC_K_PSEM)) {
		nm = select_mappings(c->s, ob, &m);
		if (out_wants(o, L_PIDS))
			out_str(o, L_PIDS, nm ? fmt_pids(m, nm, &pbuf) : "");
		free(pbuf);
	}
	if (!c->nested || !(ob->kind == IPC_K_SHM || ob->kind == IPC_K_PSHM ||
	    ob->kind == IPC_K_PSEM)) {
		out_row(o);
		return 0;
	}
	out_row_open(o);
	out_init(&po, stdout, OUT_JSON, proc_cols, 2, NULL, &bad);
	po.parent = o;
	out_begin(&po, "processes");
	for (i = 0; i < nm; i++) {
		if (ipc_proc_comm(m[i].pid, comm, sizeof comm) == -1)
			out_null(&po, 1);
		else
			out_str(&po, 1, comm);
		out_num(&po, 0, m[i].pid);
		out_row(&po);
	}
	out_end(&po);
	out_finish(&po);
	out_row_close(o);
	return 0;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "pids",	no_argument,		NULL, OPT_PIDS },
		SELECT_LONGOPTS,
		OUT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct ipc_select	 s;
	struct out_opts		 oo = { 0 };
	struct out		 out, prev;
	struct out_opts		 ko;
	struct list_ctx		 ctx;
	char			*spec;
	bool			 pids = false, first = true, started = false;
	int			 c, k, nkinds = 0, r, status = 0;

	/*
	 * One thread: no stdio locking.  Rows are written a line (JSON, raw)
	 * or 32 KiB (tables) at a time: a pipe's worth of buffer (64 KiB)
	 * makes a write per pipe-full rather than per 4 KiB; a terminal
	 * keeps its line buffering.
	 */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	select_init(&s);
	args_init(&a, argc, argv, OUT_OPTSTRING, longopts, 0, 0, false);
	while ((c = args_next(&a)) != -1) {
		if (c == OPT_PIDS)
			pids = true;
		else if (!select_opt(&s, c, a.optarg))
			out_opt(&oo, c, a.optarg);
	}
	if (!select_done(&s))
		die_usage("no kind of object matches these options");
	for (k = 0; k < IPC_K_COUNT; k++)
		nkinds += s.kinds[k];
	if (pids && (s.kinds[IPC_K_SHM] || s.kinds[IPC_K_PSHM] ||
	    s.kinds[IPC_K_PSEM]))
		select_scan_maps(&s);

	memset(&ctx, 0, sizeof ctx);
	ctx.s = &s;
	ctx.o = &out;
	ctx.pids = pids;
	ctx.format = oo.format;
	ctx.nested = pids && oo.format == OUT_JSON;
	for (k = 0; k < IPC_K_COUNT; k++) {
		if (!s.kinds[k])
			continue;
		ko = oo;
		spec = NULL;
		if (oo.spec == NULL || oo.spec[0] == '+') {
			if (asprintf(&spec, "%s%s%s%s%s",
			    nkinds > 1 && (oo.format == OUT_RAW ||
			    oo.format == OUT_EXPORT) ? "KIND," : "",
			    defaults[k],
			    pids && !ctx.nested && (k == IPC_K_SHM ||
			    k == IPC_K_PSHM || k == IPC_K_PSEM) ? ",PIDS" : "",
			    oo.spec != NULL ? "," : "",
			    oo.spec != NULL ? oo.spec + 1 : "") == -1)
				die_errno(errno, "cannot allocate");
			ko.spec = spec;
		}
		xout_init(&out, &ko, cols, L_NCOLS);
		free(spec);
		if (started)
			out_continue(&out, &prev);
		started = true;
		out_begin(&out, sections[k]);
		ctx.nrows = 0;
		r = select_walk(&s, (enum ipc_kind)k, list_row, &ctx);
		if (r != 0 && status == 0)
			status = r;
		if (oo.format == OUT_TABLE && nkinds > 1) {
			/* one titled table per kind that has objects */
			if (ctx.nrows > 0 && out.headings)
				printf("%s%s:\n", first ? "" : "\n",
				    titles[k]);
			else if (ctx.nrows == 0)
				out.nrows = 0, out.headings = false;
			if (ctx.nrows > 0)
				first = false;
			if (ctx.nrows == 0) {
				out_free(&out);
				prev = out;
				continue;
			}
		}
		out_end(&out);
		out_free(&out);
		prev = out;
	}
	if (oo.format == OUT_JSON)
		out_finish(&prev);
	select_free(&s);
	return status;
}
