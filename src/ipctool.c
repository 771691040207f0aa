/* SPDX-License-Identifier: ISC */
/*
 * ipctool: System V and POSIX IPC from the command line.
 *
 * main: global options, dispatch through the command table (table.c), and
 * the check that everything written to stdout really got out.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"
#include "table.h"

enum { OPT_NS = 'N' };

static const struct opt global_opts[] = {
	{ OPT("ns", 0, A_FILE, OPT_NS,
	    "run in the IPC namespace of process PID, or of FILE"),
	    .meta = "PID|FILE" },
	{ OPT("version", 'V', A_NONE, 'V', "print the version") },
	OPT_END
};

/* The options before the command word. */
static const struct verb global = {
	.entry = { "ipctool", "[--ns PID|FILE] COMMAND ...", NULL },
	.maxpos = -1,
	.flags = V_HIDDEN,
	.opts = global_opts,
};

static const struct object	*cur_object;
static char			 cmd_name_buf[64];

static int	close_stdout(int);

/*
 * usage(status): the current command's help (or the object's, or
 * everything), to stdout when asked for with --help, to stderr otherwise.
 */
void
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	if (table_current != NULL)
		table_help(f, table_current);
	else if (cur_object != NULL)
		table_help_object(f, cur_object->name);
	else
		table_help_all(f, &global);
	exit(status == 0 ? close_stdout(0) : status);
}

/* Refuse an unknown word, listing what would have been accepted. */
static void __attribute__((noreturn))
unknown(const char *what, const char *word, const char *object)
{
	const struct verb	*const *vp;
	const struct object	*o;
	const char		*sep = "";

	fprintf(stderr, "ipctool: unknown %s '%s' (one of: ", what, word);
	if (object == NULL)
		for (o = table_objects; o->name != NULL; o++, sep = ", ")
			fprintf(stderr, "%s%s", sep, o->name);
	for (vp = table_verbs; *vp != NULL; vp++) {
		if ((*vp)->flags & V_HIDDEN)
			continue;
		if (object == NULL ? (*vp)->object != NULL :
		    (*vp)->object == NULL || strcmp((*vp)->object, object) != 0)
			continue;
		fprintf(stderr, "%s%s", sep, (*vp)->entry.name);
		sep = ", ";
	}
	fprintf(stderr, ")\nTry 'ipctool --help'.\n");
	exit(EXIT_USAGE);
}

static int
join_namespace(const char *spec)
{
	char		 path[64];
	const char	*file = spec, *errstr;
	long long	 pid = 0;
	int		 e;

	if (spec[0] != '/' && spec[0] != '.') {
		pid = strtonum(spec, 1, INT32_MAX, &errstr);
		if (errstr != NULL)
			die_usage("--ns: '%s' is neither a PID nor a file",
			    spec);
		snprintf(path, sizeof path, "/proc/%lld/ns/ipc", pid);
		file = path;
	}
	if (file == path ? ipc_setns_pid(pid, 0) == -1 : ipc_setns(file) == -1) {
		e = errno;
		die(exit_code(e), "--ns %s: cannot join its IPC namespace: %s",
		    spec, e == ENOSYS ? not_supported(ipc_unsupported) :
		    strerror(e));
	}
	return 0;
}

/* Flush and check stdout: a failed write must not exit 0. */
static int
close_stdout(int status)
{
	int	 e;

	if (fflush(stdout) != 0 || ferror(stdout)) {
		e = errno;
		if (e == EPIPE)
			return status != 0 ? status : 128 + 13;
		warn_msg("write error on stdout: %s", strerror(e ? e : EIO));
		return status != 0 ? status : EXIT_SYSERR;
	}
	if (fclose(stdout) != 0 && errno != EBADF) {
		e = errno;
		if (e == EPIPE)
			return status != 0 ? status : 128 + 13;
		warn_msg("write error on stdout: %s", strerror(e));
		return status != 0 ? status : EXIT_SYSERR;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct cmdargs		 a, va;
	const struct object	*o;
	const struct verb	*v;
	const char		*ns = NULL;
	int			 c;

	cmd_name = "ipctool";
	args_parse(&a, &global, argc, argv, true);
	while ((c = args_opt(&a)) != -1) {
		switch (c) {
		case OPT_NS:
			ns = a.optarg;
			break;
		case 'V':
			printf("ipctool %s\n", PACKAGE_VERSION);
			return close_stdout(0);
		}
	}
	if (a.rest == NULL || a.rest[0] == NULL)
		usage(EXIT_USAGE);
	argc -= (int)(a.rest - argv);
	argv = a.rest;
	/* hidden helpers for the completions and the man-page check */
	if (strcmp(argv[0], "__complete") == 0)
		return close_stdout(table_complete(argc, argv, &global));
	if (strcmp(argv[0], "__options") == 0)
		return close_stdout(table_options(argc, argv, &global));
	if (ns != NULL) {
		join_namespace(ns);
		ns_joined = true;
	}

	for (o = table_objects; o->name != NULL; o++)
		if (strcmp(o->name, argv[0]) == 0)
			break;
	if (o->name != NULL) {
		cur_object = o;
		/* strlcpy, not snprintf: printf's code is pages a start faults */
		strlcpy(cmd_name_buf, o->name, sizeof cmd_name_buf);
		cmd_name = cmd_name_buf;
		if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)
			usage(argc < 2 ? EXIT_USAGE : 0);
		if ((v = table_find(o->name, argv[1])) == NULL)
			unknown("verb", argv[1], o->name);
		strlcat(cmd_name_buf, " ", sizeof cmd_name_buf);
		strlcat(cmd_name_buf, v->entry.name, sizeof cmd_name_buf);
		argc--;
		argv++;
	} else {
		if ((v = table_find(NULL, argv[0])) == NULL)
			unknown("command", argv[0], NULL);
		strlcpy(cmd_name_buf, v->entry.name, sizeof cmd_name_buf);
	}
	cmd_name = cmd_name_buf;
	table_current = v;
	cmd_current = &v->entry;
	/*
	 * A create past RLIMIT_FSIZE (sem_open's file, --manifest, stdout)
	 * gets EFBIG and removes what it made, rather than dying with the
	 * object made; creates run no CMD that would inherit the setting.
	 */
	if (cur_object != NULL && strcmp(cmd_current->name, "create") == 0 &&
	    ipc_ignore_sigxfsz() == -1)
		die_errno(errno, "cannot ignore SIGXFSZ");
	args_parse(&va, v, argc, argv, false);
	return close_stdout(v->exec(&va));
}
