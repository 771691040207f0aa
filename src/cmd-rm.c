/* SPDX-License-Identifier: ISC */
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

#include "family.h"
#include "ipctool.h"
#include "table.h"

static int	cmd_rm(struct cmdargs *);

enum {
	OPT_ALL = CHAR_MAX + 1, OPT_DRY_RUN, OPT_FORCE, OPT_MANIFEST, OPT_ALLNS
};

static const struct opt rm_opts[] = {
	OPT_SET(SET_KINDS),
	{ OPT("all", 0, A_NONE, OPT_ALL, "every object the filters select") },
	OPT_SET(SET_FILTERS),
	{ OPT("force", 0, A_NONE, OPT_FORCE,
	    "with --all: no filter needed") },
	{ OPT("manifest", 0, A_FILE, OPT_MANIFEST,
	    "the objects listed in FILE") },
	{ OPT("dry-run", 0, A_NONE, OPT_DRY_RUN,
	    "only say what would be removed") },
	{ OPT("all-namespaces", 'A', A_NONE, OPT_ALLNS,
	    "with --all --dry-run: in every IPC namespace") },
	{ OPT("verbose", 'v', A_NONE, 'v', "name each object removed") },
	OPT_END
};

const struct verb verb_rm = {
	.entry = { "rm", "[--sem | --shm | --mq] [--dry-run] [-v] TARGET... | "
	    "--manifest FILE [--dry-run] [-v] | --all [--sem] [--shm] [--mq] "
	    "[--sysv | --posix] [--owner USER] [--creator USER] [--key KEY] "
	    "[--orphaned] [--older-than DURATION] [--empty] [--dry-run] [-v] "
	    "[--force] | --all -A --dry-run [--sem] [--shm] [--mq] "
	    "[--sysv | --posix] [filters]",
	    "Remove objects: named, listed in a manifest, or all that match; "
	    "a TARGET that several families have needs a kind option" },
	.minpos = 0, .maxpos = -1, .pos = P_TARGETS,
	.families = FAM_SYSV | FAM_POSIX,
	.opts = rm_opts,
	.exec = cmd_rm
};

/* --dry-run and -v */
static bool	dry_run, verbose;

/* "KIND TARGET" for --dry-run and -v: a manifest line, the name escaped */
static void
print_entry(const char *prefix, const char *kind, const char *target)
{
	char	*esc;

	if ((esc = name_escape_dup(target)) == NULL)
		die_errno(errno, "cannot allocate");
	printf("%s%s %s\n", prefix, kind, esc);
	free(esc);
}

typedef int	(*target_parser)(const char *, int, struct ipc_target *,
		    const char **);

/* Removes one TARGET; returns 0 or the exit code of its failure. */
static int
rm_one(const char *arg, const struct family *only, target_parser parse)
{
	const struct family	*hit = NULL;
	struct ipc_target	 t;
	const char		*why;
	size_t			 i, nhits = 0;
	int			 r;

	for (i = 0; i < nfamilies; i++) {
		if (only != NULL && only != &families[i])
			continue;
		r = parse(arg, families[i].target_flags, &t, &why);
		if (r != 0) {
			warn_msg("%s: %s", arg, why);
			return r;
		}
		if (t.kind == IPC_T_POSIX && ns_joined &&
		    !ipc_posix_elsewhere())
			return refuse_posix_ns(t.text);
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
	parse(arg, hit->target_flags, &t, &why);
	if (dry_run) {
		if (only != NULL && (r = hit->exists(&t)) != 1)
			return warn_target(&t, r == 0 ? ENOENT : errno);
		print_entry("", hit->word, arg);
		return 0;
	}
	if (family_remove(hit, &t) == -1)
		return warn_target(&t, errno);
	if (verbose)
		print_entry("removed ", hit->word, arg);
	return 0;
}

/* rm --manifest FILE: lines "KIND TARGET", as create --manifest writes. */
static int
rm_manifest(const char *file)
{
	struct manifest	 m;
	const char	*kind, *why;
	char		*target;
	int		 r, status = 0;

	if (manifest_open(&m, file) == -1)
		return warn_errno(errno, "--manifest %s", file);
	while ((r = manifest_next(&m, &kind, &target, &why)) != 0) {
		if (r == -1) {
			r = warn_errno(errno, "--manifest %s: after line %ld",
			    file, m.lineno);
			/* what was not read was not removed: never 0 */
			if (status == 0)
				status = r != 0 ? r : EXIT_SYSERR;
			break;
		}
		if (r == -2) {
			warn_msg("%s:%ld: %s", file, m.lineno, why);
			if (status == 0)
				status = EXIT_USAGE;
			continue;
		}
		r = rm_one(target, xfamily_named(kind), manifest_parse_target);
		if (r != 0 && status == 0)
			status = r;
	}
	manifest_close(&m);
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
	int			 status;
	size_t			 removed[IPC_K_COUNT];
	const struct ipc_ns	*ns;	/* -A: the namespace walked */
};

static int
rm_all_one(const struct ipc_obj *o, void *arg)
{
	struct rm_all	*ra = arg;
	char		 target[NAME_MAX + 16], ns[32];
	int		 r, e;

	if (dry_run) {	/* -A: "NAMESPACE KIND TARGET", as list -A --raw */
		ns[0] = '\0';
		if (ra->ns != NULL)
			snprintf(ns, sizeof ns, "%llu ", ra->ns->ino);
		print_entry(ns, kind_word(o->kind),
		    obj_target(o, target, sizeof target));
		return 0;
	}
	r = kind_remove(o);
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
	ra->removed[o->kind]++;
	if (verbose)
		print_entry("removed ", kind_word(o->kind),
		    obj_target(o, target, sizeof target));
	return 0;
}

/* "removed 3 sem, 0 shm, 1 POSIX mq": every kind that was chosen */
static void
rm_all_report(const struct ipc_select *s, const struct rm_all *ra)
{
	char	line[256];
	int	k;

	line[0] = '\0';
	for (k = 0; k < IPC_K_COUNT; k++) {
		if (!s->kinds[k])
			continue;
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s%zu %s%s", line[0] != '\0' ? ", " : "", ra->removed[k],
		    k >= IPC_K_PSEM ? "POSIX " : "", kind_word((enum ipc_kind)k));
	}
	warn_msg("removed %s", line);
}

static int
cmd_rm(struct cmdargs *a)
{
	const struct family	*only = NULL;
	struct ipc_select	 s;
	struct rm_all		 ra;
	const char		*manifest = NULL;
	bool			 all = false, filters = false, force = false;
	bool			 sysv_posix = false, allns = false;
	size_t			 ni;
	int			 c, i, k, r, status = 0, nfam = 0;

	select_init(&s);
	while ((c = args_opt(a)) != -1) {
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
		case OPT_FORCE:
			force = true;
			break;
		case OPT_ALLNS:
			allns = true;
			break;
		case OPT_MANIFEST:
			if (manifest != NULL)
				die_usage("one --manifest at a time");
			manifest = a->optarg;
			break;
		default:
			select_opt(&s, c, a->optarg);
			if (c == OPT_SEL_SYSV || c == OPT_SEL_POSIX)
				sysv_posix = true;
			else if (c != OPT_SEL_SEM && c != OPT_SEL_SHM &&
			    c != OPT_SEL_MQ)
				filters = true;
		}
	}
	for (i = 0; i < 3; i++)
		nfam += s.fam[i];
	if (allns && !all)
		die_usage("-A goes with --all --dry-run");
	if (allns && ns_joined)
		die_usage("-A: every namespace already; not with --ns");
	/* nothing is removed across namespaces at once: one is named */
	if (allns && !dry_run)
		die_usage("--all -A only looks (--dry-run): remove in one "
		    "namespace at a time, with --ns PID rm --all");
	if (all) {
		if (a->npos > 0 || manifest != NULL)
			die_usage("--all takes no TARGET and no --manifest");
		/* the namespaces are found and the scan made after the checks */
		s.allns = s.mq_quiet = allns;
		if (!select_done(&s))
			die_usage("no kind of object matches these options");
		/* /dev/shm holds other programs' files too */
		if (!filters && !dry_run && !force)
			die_usage("--all without a filter removes every object "
			    "of these kinds: look with --dry-run, narrow with "
			    "--owner, --creator, --key, --orphaned, "
			    "--older-than or --empty, or confirm with --force");
		memset(&ra, 0, sizeof ra);
		/*
		 * The *_STAT_ANY loop hands out the ids without the kernel
		 * rendering /proc text: what ipcrm -a does, and as fast.
		 */
		s.use_proc = false;
		for (k = 0; k < IPC_K_COUNT; k++) {
			if (!s.kinds[k])
				continue;
			for (ni = 0; ni < (allns ? s.nns : 1); ni++) {
				if (allns && !select_enter_ns(&s, ni,
				    (enum ipc_kind)k))
					continue;
				ra.ns = allns ? &s.ns[ni] : NULL;
				r = select_walk(&s, (enum ipc_kind)k,
				    rm_all_one, &ra);
				if (r != 0 && status == 0)
					status = r;
			}
		}
		if (!dry_run)
			rm_all_report(&s, &ra);
		select_free(&s);
		return status != 0 ? status : ra.status;
	}
	if (force)
		die_usage("--force goes with --all");
	if (filters || sysv_posix)
		die_usage("filters and --sysv/--posix go with --all");
	if (a->npos == 0 && manifest == NULL)
		die_usage("nothing to remove: give TARGETs, --manifest FILE or "
		    "--all (with filters)");
	if (nfam > 1)
		die_usage("one kind at a time (--sem, --shm or --mq)");
	if (nfam == 1)
		only = xfamily_named(s.fam[0] ? "sem" : s.fam[1] ? "shm" :
		    "mq");
	if (only != NULL && manifest != NULL)
		die_usage("--manifest names the kind on each line");
	for (i = 0; i < a->npos; i++) {
		r = rm_one(a->pos[i], only, parse_target);
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
