/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus text exposition format of `list --metrics` and
 * `info --metrics` (see metrics.h).  Every metric is a gauge, named with
 * its unit as Prometheus's naming conventions ask ("_bytes", "_pages",
 * "_ratio"; counts have none); each family is written once, its HELP and
 * TYPE first, only when it has a sample, so no series is ever repeated.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ipctool.h"
#include "metrics.h"

/* exclusive with the other formats and with what only tables take */
const struct opt opts_metrics[] = {
	{ OPT("metrics", 0, A_NONE, OPT_METRICS,
	    "Prometheus text format (node_exporter's textfile collector)"),
	    .excl = EXCL_FORMAT | EXCL_METRICS },
	OPT_END
};

/* Label values escape \ " and newline; HELP text \ and newline. */
void
metrics_escape(FILE *f, const char *s, bool label)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && label)
			fputs("\\\"", f);
		else
			putc(*s, f);
	}
}

static void
family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s ", name);
	metrics_escape(f, help, false);
	fprintf(f, "\n# TYPE %s gauge\n", name);
}

/* name{l0="v0",l1="v1",namespace="NS"} (l1, ns may be NULL) */
static void
series(FILE *f, const char *name, const char *l0, const char *v0,
    const char *l1, const char *v1, const char *ns)
{
	fprintf(f, "%s{%s=\"", name, l0);
	metrics_escape(f, v0, true);
	if (l1 != NULL) {
		fprintf(f, "\",%s=\"", l1);
		metrics_escape(f, v1, true);
	}
	if (ns != NULL) {
		fputs("\",namespace=\"", f);
		metrics_escape(f, ns, true);
	}
	fputs("\"} ", f);
}

/* ---- list --metrics ---- */

enum field { F_OBJECTS, F_ORPHANED, F_SEMAPHORES, F_BYTES, F_MESSAGES,
    F_ATTACHMENTS };

#define K(k)	(1u << (k))
static const struct {
	const char	*name;
	const char	*help;
	unsigned int	 kinds;
	enum field	 field;
} objmetrics[] = {
	{ "ipctool_objects", "IPC objects that pass the selection of the "
	    "command line.", ~0u, F_OBJECTS },
	{ "ipctool_orphaned_objects", "Selected objects that are orphaned "
	    "as list --orphaned means it.", ~0u, F_ORPHANED },
	{ "ipctool_semaphores", "Semaphores: the members of System V sets, "
	    "one per POSIX semaphore.", K(IPC_K_SEM) | K(IPC_K_PSEM),
	    F_SEMAPHORES },
	{ "ipctool_size_bytes", "Shared memory: the sizes of the segments "
	    "and objects in bytes.", K(IPC_K_SHM) | K(IPC_K_PSHM), F_BYTES },
	{ "ipctool_attachments", "Attachments of System V shared memory "
	    "segments (their NATTCH).", K(IPC_K_SHM), F_ATTACHMENTS },
	{ "ipctool_queued_messages", "Messages queued in message queues.",
	    K(IPC_K_MSG) | K(IPC_K_PMQ), F_MESSAGES },
	/* a POSIX queue's bytes are not listed (see ipc_list_posix) */
	{ "ipctool_queued_bytes", "Bytes queued in System V message queues.",
	    K(IPC_K_MSG), F_BYTES },
};
#define NOBJMETRICS (sizeof objmetrics / sizeof objmetrics[0])

/* The value of field in c; false when some object did not tell it. */
static bool
count_value(const struct ipc_count *c, enum field field,
    unsigned long long *v)
{
	switch (field) {
	case F_OBJECTS:
		*v = c->objects;
		return true;
	case F_ORPHANED:
		*v = c->orphaned;
		return true;
	case F_SEMAPHORES:
		*v = c->semaphores;
		return true;
	case F_BYTES:
		*v = c->bytes;
		return c->bytes_unknown == 0;
	case F_MESSAGES:
		*v = c->messages;
		return c->messages_unknown == 0;
	case F_ATTACHMENTS:
		*v = c->attachments;
		return true;
	}
	return false;
}

void
metrics_objects(FILE *f, const struct ipc_counts *cs, size_t n,
    const char *const *ns)
{
	const struct ipc_counts	*c;
	unsigned long long	 v;
	size_t			 i, j;
	bool			 head;
	int			 k;

	/* a metric's series all follow its HELP and TYPE, once */
	for (i = 0; i < NOBJMETRICS; i++) {
		head = false;
		for (j = 0; j < n; j++) {
			c = &cs[j];
			if (ns != NULL && ns[j] == NULL)
				continue;
			for (k = 0; k < IPC_K_COUNT; k++) {
				if (!c->counted[k] ||
				    !(objmetrics[i].kinds & K(k)) ||
				    !count_value(&c->k[k], objmetrics[i].field,
				    &v))
					continue;
				if (!head)
					family(f, objmetrics[i].name,
					    objmetrics[i].help);
				head = true;
				series(f, objmetrics[i].name, "kind",
				    kind_word((enum ipc_kind)k), "family",
				    k < IPC_K_PSEM ? "sysv" : "posix",
				    ns != NULL ? ns[j] : NULL);
				fprintf(f, "%llu\n", v);
			}
		}
	}
}

/* ---- info --metrics ---- */

/* the suffix of a unit as info names it; NULL: no metric for it */
static const char *
unit_suffix(const char *unit)
{
	if (unit == NULL)
		return "";
	if (strcmp(unit, "bytes") == 0)
		return "_bytes";
	if (strcmp(unit, "pages") == 0)
		return "_pages";
	return NULL;
}

enum lfield { LF_LIMIT, LF_USED, LF_RATIO };

static const struct {
	const char	*name;
	const char	*help;
	enum lfield	 field;
	const char	*unit;
} limmetrics[] = {
	{ "ipctool_resource_limit", "Kernel IPC limits (a count), as info "
	    "shows them.", LF_LIMIT, "" },
	{ "ipctool_resource_limit_bytes", "Kernel IPC limits in bytes, as "
	    "info shows them.", LF_LIMIT, "_bytes" },
	{ "ipctool_resource_limit_pages", "Kernel IPC limits in memory "
	    "pages, as info shows them.", LF_LIMIT, "_pages" },
	{ "ipctool_resource_used", "Current use of a kernel IPC resource "
	    "(a count).", LF_USED, "" },
	{ "ipctool_resource_used_bytes", "Current use of a kernel IPC "
	    "resource in bytes.", LF_USED, "_bytes" },
	{ "ipctool_resource_used_pages", "Current use of a kernel IPC "
	    "resource in memory pages.", LF_USED, "_pages" },
	{ "ipctool_resource_use_ratio", "Current use of a kernel IPC "
	    "resource over its limit (1 is full).", LF_RATIO, NULL },
};
#define NLIMMETRICS (sizeof limmetrics / sizeof limmetrics[0])

void
metrics_limits(FILE *f, const struct ipc_limit *lim, size_t n)
{
	const struct ipc_limit	*l;
	const char		*suffix;
	size_t			 i, j;
	bool			 head;

	for (i = 0; i < NLIMMETRICS; i++) {
		head = false;
		for (j = 0; j < n; j++) {
			l = &lim[j];
			if ((suffix = unit_suffix(l->unit)) == NULL)
				continue;
			switch (limmetrics[i].field) {
			case LF_LIMIT:
				if (!l->has_limit)
					continue;
				break;
			case LF_USED:
				if (!l->has_used)
					continue;
				break;
			case LF_RATIO:
				if (!l->has_limit || !l->has_used ||
				    l->limit == 0)
					continue;
				break;
			}
			if (limmetrics[i].unit != NULL &&
			    strcmp(limmetrics[i].unit, suffix) != 0)
				continue;
			if (!head)
				family(f, limmetrics[i].name,
				    limmetrics[i].help);
			head = true;
			series(f, limmetrics[i].name, "resource", l->name,
			    NULL, NULL, NULL);
			if (limmetrics[i].field == LF_LIMIT)
				fprintf(f, "%llu\n", l->limit);
			else if (limmetrics[i].field == LF_USED)
				fprintf(f, "%llu\n", l->used);
			else
				fprintf(f, "%.6g\n", (double)l->used /
				    (double)l->limit);
		}
	}
}
