/*
 * ipctool info: what configure found, and every kernel IPC limit with its
 * current use.
 */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include "ipctool.h"
#include "output.h"

static int	cmd_info(int, char **);

const struct cmd_entry cmd_info_entry = {
	"info", "[--json | --raw | --export] [-o COLS] [--no-headings]",
	"Show the features configure found and the kernel's IPC limits",
	cmd_info
};

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
#ifndef HAVE_SEM_GETVALUE
#define HAVE_SEM_GETVALUE 0
#endif
#ifndef HAVE_MQ_OPEN
#define HAVE_MQ_OPEN 0
#endif
#ifndef HAVE_MQ_TIMEDSEND
#define HAVE_MQ_TIMEDSEND 0
#endif
#ifndef HAVE_MQ_TIMEDRECEIVE
#define HAVE_MQ_TIMEDRECEIVE 0
#endif
#ifndef HAVE_SHM_OPEN
#define HAVE_SHM_OPEN 0
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
	{ "SHM_STAT_ANY",	HAVE_DECL_SHM_STAT_ANY },
	{ "MSG_EXCEPT",		HAVE_DECL_MSG_EXCEPT },
	{ "MSG_COPY",		HAVE_DECL_MSG_COPY },
	{ "MSG_STAT_ANY",	HAVE_DECL_MSG_STAT_ANY },
	{ "SEM_TIMEDWAIT",	HAVE_SEM_TIMEDWAIT },
	{ "SEM_CLOCKWAIT",	HAVE_SEM_CLOCKWAIT },
	{ "SEM_GETVALUE",	HAVE_SEM_GETVALUE },
	{ "MQ_OPEN",		HAVE_MQ_OPEN },
	{ "MQ_TIMEDSEND",	HAVE_MQ_TIMEDSEND },
	{ "MQ_TIMEDRECEIVE",	HAVE_MQ_TIMEDRECEIVE },
	{ "SHM_OPEN",		HAVE_SHM_OPEN },
	{ "SETNS",		HAVE_SETNS },
};
#define NFEATURES (sizeof features / sizeof features[0])

static const struct out_column feature_cols[] = {
	{ "FEATURE", COL_STR, COL_DEFAULT, NULL },
	{ "AVAILABLE", COL_BOOL, COL_DEFAULT, NULL },
};

static const struct out_column limit_cols[] = {
	{ "RESOURCE", COL_STR, COL_DEFAULT, "resource name" },
	{ "DESCRIPTION", COL_STR, COL_DEFAULT, "what it limits" },
	{ "LIMIT", COL_SIZE, COL_DEFAULT, "system-wide limit" },
	{ "USED", COL_SIZE, COL_DEFAULT, "currently used" },
	{ "USE%", COL_STR, COL_DEFAULT, "use in percent" },
	{ "UNIT", COL_STR, COL_DEFAULT, "bytes, pages or a count" },
};
enum { LC_RESOURCE, LC_DESC, LC_LIMIT, LC_USED, LC_USEPCT, LC_UNIT };

static int
cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		OUT_LONGOPTS,
		{ NULL,		0,			NULL, 0 }
	};
	struct args		 a;
	struct out_opts		 oo = { 0 };
	struct out		 out;
	struct ipc_limit	 lim[40];
	const char		*bad;
	char			 pct[32];
	size_t			 i, n;
	int			 c;

	args_init(&a, argc, argv, OUT_OPTSTRING, longopts, 0, 0, false);
	while ((c = args_next(&a)) != -1)
		out_opt(&oo, c, a.optarg);
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
		fputs("FEATURES:", stdout);
		for (i = 0; i < NFEATURES; i++)
			printf(" %c%s", features[i].have ? '+' : '-',
			    features[i].name);
		printf(" KEY_T=%d\n\n", (int)(SIZEOF_KEY_T * 8));
	}
	out_begin(&out, "limits");
	for (i = 0; i < n; i++) {
		out_str(&out, LC_RESOURCE, lim[i].name);
		out_str(&out, LC_DESC, lim[i].desc);
		out_str(&out, LC_UNIT, lim[i].unit);
		if (lim[i].has_limit)
			out_unum(&out, LC_LIMIT, lim[i].limit);
		if (lim[i].has_used)
			out_unum(&out, LC_USED, lim[i].used);
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
