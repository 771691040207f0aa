/* SPDX-License-Identifier: ISC */
/*
 * ipctool info: what configure found, and every kernel IPC limit with its
 * current use.
 */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include "ipctool.h"
#include "metrics.h"
#include "output.h"
#include "table.h"

static int	cmd_info(struct cmdargs *);

#ifndef HAVE_SEMTIMEDOP
#define HAVE_SEMTIMEDOP 0
#endif
#ifndef HAVE_UNION_SEMUN
#define HAVE_UNION_SEMUN 0
#endif
#ifndef HAVE_SEM_TIMEDWAIT
#define HAVE_SEM_TIMEDWAIT 0
#endif
#ifndef HAVE_SEM_CLOCKWAIT
#define HAVE_SEM_CLOCKWAIT 0
#endif
#ifndef HAVE_MQ_TIMEDSEND
#define HAVE_MQ_TIMEDSEND 0
#endif
#ifndef HAVE_MQ_TIMEDRECEIVE
#define HAVE_MQ_TIMEDRECEIVE 0
#endif
#ifndef HAVE_MQ_NOTIFY
#define HAVE_MQ_NOTIFY 0
#endif
#ifndef HAVE_SETNS
#define HAVE_SETNS 0
#endif

/* configure's findings, in the order `info` shows them */
static const struct {
	const char	*name;
	int		 have;
} features[] = {
	{ "UNION_SEMUN",	HAVE_UNION_SEMUN },
	{ "SEMTIMEDOP",		HAVE_SEMTIMEDOP },
	{ "SEM_STAT_ANY",	HAVE_DECL_SEM_STAT_ANY },
	{ "SHM_HUGETLB",	HAVE_DECL_SHM_HUGETLB },
	{ "SHM_NORESERVE",	HAVE_DECL_SHM_NORESERVE },
	{ "SHM_REMAP",		HAVE_DECL_SHM_REMAP },
	{ "SHM_RND",		HAVE_DECL_SHM_RND },
	{ "SHM_LOCK",		HAVE_DECL_SHM_LOCK },
	{ "SHM_DEST",		HAVE_DECL_SHM_DEST },
	{ "SHM_LOCKED",		HAVE_DECL_SHM_LOCKED },
	{ "SHM_STAT_ANY",	HAVE_DECL_SHM_STAT_ANY },
	{ "MSG_EXCEPT",		HAVE_DECL_MSG_EXCEPT },
	{ "MSG_COPY",		HAVE_DECL_MSG_COPY },
	{ "MSG_STAT_ANY",	HAVE_DECL_MSG_STAT_ANY },
	{ "SEM_TIMEDWAIT",	HAVE_SEM_TIMEDWAIT },
	{ "SEM_CLOCKWAIT",	HAVE_SEM_CLOCKWAIT },
	{ "MQ_TIMEDSEND",	HAVE_MQ_TIMEDSEND },
	{ "MQ_TIMEDRECEIVE",	HAVE_MQ_TIMEDRECEIVE },
	{ "MQ_NOTIFY",		HAVE_MQ_NOTIFY },
	{ "SETNS",		HAVE_SETNS },
};
#define NFEATURES (sizeof features / sizeof features[0])

static const struct out_column feature_cols[] = {
	{ "FEATURE", COL_STR, COL_DEFAULT, "" },
	{ "AVAILABLE", COL_BOOL, COL_DEFAULT, "" },
};

static const struct out_column limit_cols[] = {
	{ "RESOURCE", COL_STR, COL_DEFAULT, "resource name" },
	{ "DESCRIPTION", COL_STR, 0, "what it limits (not in the table: "
	    "80 columns)" },
	{ "LIMIT", COL_SIZE, COL_DEFAULT, "system-wide limit" },
	{ "USED", COL_SIZE, COL_DEFAULT, "currently used" },
	{ "USE%", COL_STR, COL_DEFAULT, "use in percent" },
	{ "UNIT", COL_STR, COL_DEFAULT, "bytes, pages or a count" },
};
enum { LC_RESOURCE, LC_DESC, LC_LIMIT, LC_USED, LC_USEPCT, LC_UNIT };

static const struct opt info_opts[] = {
	OPT_SET(SET_OUTPUT),
	OPT_SET(SET_METRICS),
	OPT_END
};

const struct verb verb_info = {
	.entry = { "info", "[--json | --raw | --export | --metrics] "
	    "[-o COLS] [--no-headings] [--human]",
	    "Show the features configure found and the kernel's IPC limits" },
	.pos = P_NONE, .families = FAM_SYSV | FAM_POSIX,
	.opts = info_opts,
	.cols = limit_cols, .ncols = sizeof limit_cols / sizeof limit_cols[0],
	.exec = cmd_info
};

static int
cmd_info(struct cmdargs *a)
{
	struct out_opts		 oo = { 0 };
	struct out		 out;
	struct ipc_limit	 lim[40];
	const char		*bad;
	char			 pct[32];
	size_t			 i, n;
	char			 word[64];
	int			 c, col, w;
	bool			 metrics = false;
	bool			 bytes;

	while ((c = args_opt(a)) != -1)
		if (c == OPT_METRICS)
			metrics = true;
		else
			out_opt(&oo, c, a->optarg);
	if (metrics) {	/* the same limits: metrics.c */
		metrics_limits(stdout, lim, ipc_limits(lim, sizeof lim /
		    sizeof lim[0]));
		return 0;
	}
	/* JSON has every column; the table fits 80 (-o +DESCRIPTION) */
	if (oo.format == OUT_JSON && oo.spec == NULL)
		oo.spec = "RESOURCE,DESCRIPTION,LIMIT,USED,USE%,UNIT";
	xout_init(&out, &oo, limit_cols, sizeof limit_cols /
	    sizeof limit_cols[0]);
	n = ipc_limits(lim, sizeof lim / sizeof lim[0]);

	if (oo.format == OUT_JSON) {
		struct out	fo;

		out_init(&fo, stdout, OUT_JSON, feature_cols, 2, NULL, &bad);
		out_begin(&fo, "features");
		for (i = 0; i < NFEATURES; i++) {
			out_str(&fo, 0, features[i].name);
			out_str(&fo, 1, features[i].have ? "true" : "false");
			out_row(&fo);
		}
		out_end(&fo);
		out_continue(&out, &fo);
		out_free(&fo);
	} else if (oo.format == OUT_TABLE) {
		/* wrapped at 80 columns, the rest indented under the first */
		col = printf("FEATURES:");
		for (i = 0; i <= NFEATURES; i++) {
			if (i < NFEATURES)
				w = snprintf(word, sizeof word, "%c%s",
				    features[i].have ? '+' : '-',
				    features[i].name);
			else
				w = snprintf(word, sizeof word, "KEY_T=%d",
				    (int)(SIZEOF_KEY_T * 8));
			if (col + 1 + w > 80)
				col = printf("\n%9s", "") - 1;
			col += printf(" %s", word);
		}
		fputs("\n\n", stdout);
	}
	out_begin(&out, "limits");
	for (i = 0; i < n; i++) {
		out_str(&out, LC_RESOURCE, lim[i].name);
		out_str(&out, LC_DESC, lim[i].desc);
		out_str(&out, LC_UNIT, lim[i].unit);
		/* --human: bytes only; counts and pages stay numbers */
		bytes = lim[i].unit != NULL && strcmp(lim[i].unit, "bytes") == 0;
		if (lim[i].has_limit)
			(bytes ? out_unum : out_count)(&out, LC_LIMIT,
			    lim[i].limit);
		if (lim[i].has_used)
			(bytes ? out_unum : out_count)(&out, LC_USED,
			    lim[i].used);
		if (lim[i].has_limit && lim[i].has_used && lim[i].limit > 0) {
			snprintf(pct, sizeof pct, "%.2f%%",
			    (double)lim[i].used * 100.0 /
			    (double)lim[i].limit);
			out_str(&out, LC_USEPCT, pct);
		}
		out_row(&out);
	}
	out_end(&out);
	out_finish(&out);
	return 0;
}
