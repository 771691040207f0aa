/* SPDX-License-Identifier: ISC */
/*
 * The create skeleton of every family (create.h): all or none.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"
#include "ipctool.h"
#include "output.h"
#include "table.h"

/* What this call made and has not yet given out: removed at any exit. */
static struct {
	const char		*word;
	struct create_obj	*objs;
	size_t			 n;
} pending;

/*
 * Removes everything pending, newest first; buf gets "; sem id:1, sem /a
 * removed again" (and what could not be removed, with why).
 */
static void
undo_pending(char *buf, size_t len)
{
	const struct create_obj	*o;
	size_t			 i, at = 0, removed = 0;
	int			 n;

	buf[0] = '\0';
	for (i = pending.n; i-- > 0;) {
		o = &pending.objs[i];
		if (!o->created)
			continue;
		if (undo_create(pending.word, o->target) == 0) {
			n = snprintf(buf + at, len - at, "%s%s %s",
			    removed++ ? ", " : "; ", pending.word, o->target);
		} else
			n = snprintf(buf + at, len - at, "; %s %s was created "
			    "and could not be removed: %s", pending.word,
			    o->target, strerror(errno));
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
	if (removed > 0)
		snprintf(buf + at, len - at, " removed again");
	pending.n = 0;
}

/* A failure that exited from a family's step: all or none. */
static void
undo_at_exit(void)
{
	char	buf[1024];

	if (pending.n == 0)
		return;
	undo_pending(buf, sizeof buf);
	if (buf[0] != '\0')
		warn_msg("%s", buf + 2);
}

void
create_init(struct create_run *r, const struct create_family *f)
{
	memset(r, 0, sizeof *r);
	r->fam = f;
	r->mode = 0600;
}

bool
create_run_opt(struct create_run *r, int c, const char *arg)
{
	switch (c) {
	case 'J':
		r->json = true;
		return true;
	case 'm':
		r->mode = xparse_mode("-m", arg);
		return true;
	case OPT_CREATE_EXIST_OK:
		r->exist_ok = true;
		return true;
	case OPT_CREATE_MANIFEST:
		r->manifest = arg;
		return true;
	case OPT_CREATE_POSIX:
		r->posix = true;
		return true;
	}
	return false;
}

/* A fresh random POSIX name for o (the retry after EEXIST). */
static void
random_name(struct create_obj *o)
{
	snprintf(o->t.name, sizeof o->t.name, "/ipctool-%08x",
	    (unsigned int)ipc_random_key());
	o->t.text = o->t.name;
}

static void
make_one(struct create_run *r, struct create_obj *o, void *arg)
{
	int	e, tries = 0;

	for (;;) {
		if (r->posix)
			random_name(o);
		o->mode = r->mode;
		if ((e = r->fam->make(o, r->exist_ok && !r->posix, arg)) > 0)
			exit(e);
		if (e == 0)
			break;
		if (!r->posix || errno != EEXIST || ++tries >= 100)
			die_target(&o->t, errno);
	}
	if (o->t.kind == IPC_T_POSIX)
		snprintf(o->target, sizeof o->target, "%s", o->t.name);
	else
		snprintf(o->target, sizeof o->target, "id:%d", o->id);
}

static size_t
col_index(const struct create_family *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i].name, name) == 0)
			return i;
	abort();
}

static void
print_json(struct create_run *r, const struct create_obj *objs, size_t n,
    void *arg)
{
	const struct create_family *f = r->fam;
	struct out		 out;
	const struct create_obj	*o;
	const char		*errstr;
	char			 kbuf[11], pbuf[8];
	bool			 posix;
	size_t			 i, p;

	out_init(&out, stdout, OUT_JSON, f->cols, f->ncols, NULL, &errstr);
	/* one array per kind, in the order System V, POSIX */
	for (p = 0; p < 2; p++) {
		posix = p == 1;
		for (i = 0; i < n; i++)
			if ((objs[i].t.kind == IPC_T_POSIX) == posix)
				break;
		if (i == n)
			continue;
		out_begin(&out, kind_section(posix ?
		    family_named(f->word)->posix : family_named(f->word)->sysv));
		for (; i < n; i++) {
			o = &objs[i];
			if ((o->t.kind == IPC_T_POSIX) != posix)
				continue;
			out_str(&out, col_index(f, "TARGET"), o->target);
			if (posix)
				out_str(&out, col_index(f, "NAME"), o->t.name);
			else {
				out_str(&out, col_index(f, "KEY"),
				    fmt_key(o->key, kbuf));
				out_num(&out, col_index(f, "ID"), o->id);
			}
			f->describe(&out, o, arg);
			out_str(&out, col_index(f, "PERMS"),
			    fmt_perms(o->mode, pbuf));
			out_str(&out, col_index(f, "CREATED"),
			    o->created ? "true" : "false");
			out_row(&out);
		}
		out_end(&out);
	}
	out_finish(&out);
}

int
create_exec(struct create_run *r, int npos, char **pos, void *arg)
{
	const struct create_family *f = r->fam;
	struct create_obj	*objs;
	char			 buf[1024];
	size_t			 i, n = npos > 0 ? (size_t)npos : 1;
	bool			 ok;
	int			 e;

	if (r->posix && npos > 0)
		die_usage("--posix makes a random name: no TARGET");
	if (r->posix && r->exist_ok)
		die_usage("--exist-ok: --posix always creates");
	if ((objs = calloc(n, sizeof *objs)) == NULL)
		die_errno(errno, "cannot allocate");
	/* reachable at any exit, for the leak check too */
	pending.word = f->word;
	pending.objs = objs;
	/* every usage check before anything is made */
	for (i = 0; i < n; i++) {
		if (r->posix) {
			objs[i].t.kind = IPC_T_POSIX;
			random_name(&objs[i]);
		} else if (npos > 0)
			xparse_target(pos[i], TARGET_CREATE | f->target_flags,
			    &objs[i].t);
		else {
			objs[i].t.kind = IPC_T_NONE;
			objs[i].t.text = "(random key)";
		}
		if (r->exist_ok && objs[i].t.kind == IPC_T_PRIVATE)
			die_usage("--exist-ok: 'private' always creates");
		f->check(&objs[i], arg);
	}
	atexit(undo_at_exit);
	for (i = 0; i < n; i++) {
		make_one(r, &objs[i], arg);
		pending.n = i + 1;
	}
	for (i = 0; r->manifest != NULL && i < n; i++) {
		if (!objs[i].created ||
		    manifest_append(r->manifest, f->word, objs[i].target) == 0)
			continue;
		e = errno;
		undo_pending(buf, sizeof buf);
		die(exit_code(e), "--manifest %s: %s%s", r->manifest,
		    object_strerror(e), buf);
	}
	/*
	 * stdout must take the new names, or nobody could name the objects.
	 * A reader gone (SIGPIPE) must be a failed write that undoes the
	 * creation, not a death that leaves them behind (SIGXFSZ is ignored
	 * by main for every create).
	 */
	errno = 0;
	ok = ipc_ignore_sigpipe() == 0;
	if (r->json)
		print_json(r, objs, n, arg);
	else
		for (i = 0; i < n; i++)
			printf("%s\n", objs[i].target);
	if (!ok || fflush(stdout) != 0 ||
	    ferror(stdout)) {
		e = errno != 0 ? errno : EIO;
		undo_pending(buf, sizeof buf);
		die(EXIT_SYSERR, "write error on stdout: %s%s", strerror(e),
		    buf);
	}
	pending.n = 0;
	free(objs);
	return 0;
}
