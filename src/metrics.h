/* SPDX-License-Identifier: ISC */
/*
 * `list --metrics` and `info --metrics`: the Prometheus text exposition
 * format (version 0.0.4), for node_exporter's textfile collector.  The
 * printer only formats what the selection (select_count) and the library
 * (ipc_limits) found; it makes no system call.
 */
#ifndef IPCTOOL_METRICS_H
#define IPCTOOL_METRICS_H

#include <limits.h>
#include <stdio.h>

#include "ipctool.h"
#include "table.h"

/* the id of --metrics, in list and info (past every other range) */
enum { OPT_METRICS = CHAR_MAX + 200 };

/* --metrics, a set for the entries of list and info */
extern const struct opt	opts_metrics[];

/*
 * The objects each counted kind has: ipctool_objects{kind,family} ...; of
 * n namespaces with ns (labels namespace=ns[i]; a NULL one is left out),
 * or of one (n 1, ns NULL).
 */
void	metrics_objects(FILE *f, const struct ipc_counts *c, size_t n,
	    const char *const *ns);
/* Every limit and its use: ipctool_resource_limit{resource} ... */
void	metrics_limits(FILE *f, const struct ipc_limit *lim, size_t n);
/* A label value or HELP text as the format escapes it. */
void	metrics_escape(FILE *f, const char *s, bool label);

#endif
