/* SPDX-License-Identifier: ISC */
/*
 * The stat and set skeleton of every family (statset.h).
 */
#include "config.h"

#include <string.h>

#include "statset.h"

int
stat_exec(struct cmdargs *a, const struct stat_family *sf, void *arg)
{
	struct obj		 o;
	struct out_opts		 oo = { 0 };
	struct out		 out;
	struct ipc_obj		 ob;
	const struct ipc_posix_stat *ps;
	enum ipc_kind		 k;
	int			 c;

	while ((c = args_opt(a)) != -1)
		out_opt(&oo, c, a->optarg);
	obj_resolve(sf->word, a->pos[0], 0, &o);
	ps = sf->load(&o, arg);
	/* what applies to the family, unless -o says otherwise */
	xout_init_defaults(&out, &oo, sf->cols, sf->ncols,
	    sf->defaults[o.posix]);
	out.vertical = true;
	k = family_kind(o.f, &o.t);
	out_begin(&out, kind_section(k));
	/* and who holds, maps or waits on it now */
	memset(&ob, 0, sizeof ob);
	ob.kind = k;
	ob.id = -1;
	if (ps != NULL) {
		out_owner(&out, &(struct owner_cells){ .name = o.t.name,
		    .mode = ps->mode, .uid = ps->uid, .gid = ps->gid });
		out_time(&out, sf->mtime_col, ps->mtime.tv_sec);
		out_time(&out, sf->ctime_col, ps->ctime.tv_sec);
		ob.dev = ps->dev;
		ob.ino = ps->ino;
	}
	if (!sf->fill(&out, &oo, &o, arg, &ob))
		who_stat(&out, &oo, &ob, -1);
	out_finish(&out);
	return 0;
}

int
set_exec(struct cmdargs *a, const struct set_family *sf, void *arg)
{
	struct obj		 o;
	struct perm_opts	 perm = { 0 };
	int			 c;

	while ((c = args_opt(a)) != -1) {
		if (c == OPT_PERM_MODE)
			perm_mode(&perm, a->optarg);
		else if (c == OPT_PERM_OWNER)
			perm_owner(&perm, a->optarg);
		else
			sf->opt(c, a->optarg, arg);
	}
	sf->usage(&perm, arg);
	obj_parse(sf->word, a->pos[0], &o);
	/* usage first: nothing is looked up for a refused combination */
	if (sf->check != NULL)
		sf->check(&o, arg);
	obj_open(&o, 0);
	sf->apply(&o, &perm, arg);
	return 0;
}
