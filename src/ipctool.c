/*
 * ipctool: System V and POSIX IPC from the command line.
 *
 * main: global options, the object/verb table, dispatch, and the check that
 * everything written to stdout really got out.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipctool.h"

static const struct cmd_object objects[] = {
	{ "sem", "System V semaphore sets and POSIX named semaphores",
	    cmd_sem_verbs },
	{ "shm", "System V shared memory segments and POSIX shared memory",
	    cmd_shm_verbs },
	{ "mq", "System V message queues and POSIX message queues",
	    cmd_mq_verbs },
	{ NULL, NULL, NULL }
};

static const struct cmd_entry *const commands[] = {
	&cmd_list_entry,
	&cmd_rm_entry,
	&cmd_key_entry,
	&cmd_info_entry,
	NULL
};

static const struct cmd_object	*cur_object;
static char			 cmd_name_buf[64];

static void
print_usage_lines(FILE *f, const struct cmd_object *only)
{
	const struct cmd_object	*o;
	const struct cmd_entry	*e;
	size_t			 i;

	for (o = objects; o->name != NULL; o++) {
		if (only != NULL && only != o)
			continue;
		for (e = o->verbs; e->name != NULL; e++)
			fprintf(f, "  ipctool %s %s %s\n", o->name, e->name,
			    e->usage);
	}
	if (only != NULL)
		return;
	for (i = 0; commands[i] != NULL; i++)
		fprintf(f, "  ipctool %s %s\n", commands[i]->name,
		    commands[i]->usage);
}

/*
 * usage(status): the current command's synopsis (or everything), to stdout
 * when asked for with --help, to stderr otherwise.
 */
void
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	if (cmd_current != NULL) {
		fprintf(f, "usage: ipctool %s %s\n", cmd_name,
		    cmd_current->usage);
		if (cmd_current->help != NULL)
			fprintf(f, "%s.\n", cmd_current->help);
		fprintf(f, "See ipctool(1) for the options.\n");
	} else if (cur_object != NULL) {
		fprintf(f, "usage:\n");
		print_usage_lines(f, cur_object);
	} else {
		fprintf(f, "usage: ipctool [--ns PID|FILE] COMMAND ...\n\n");
		print_usage_lines(f, NULL);
		fprintf(f, "\nGlobal options: --ns PID|FILE, -h/--help, "
		    "-V/--version.  See ipctool(1).\n");
	}
	exit(status);
}

/* Refuse an unknown word, listing what would have been accepted. */
static void __attribute__((noreturn))
unknown(const char *what, const char *word, const char *const *cands)
{
	char	list[512];
	size_t	i;

	list[0] = '\0';
	for (i = 0; cands[i] != NULL; i++) {
		if (i > 0)
			strlcat(list, ", ", sizeof list);
		strlcat(list, cands[i], sizeof list);
	}
	fprintf(stderr, "ipctool: unknown %s '%s' (one of: %s)\n", what, word,
	    list);
	fprintf(stderr, "Try 'ipctool --help'.\n");
	exit(EXIT_USAGE);
}

static const struct cmd_entry *
find_verb(const struct cmd_object *o, const char *word)
{
	const struct cmd_entry	*e;
	const char		*cands[32];
	size_t			 n = 0;

	for (e = o->verbs; e->name != NULL; e++) {
		if (strcmp(e->name, word) == 0)
			return e;
		if (n < 31)
			cands[n++] = e->name;
	}
	cands[n] = NULL;
	snprintf(cmd_name_buf, sizeof cmd_name_buf, "%s", o->name);
	unknown("verb", word, cands);
}

static int
join_namespace(const char *spec)
{
	char		 path[64];
	const char	*file = spec, *errstr;
	long long	 pid;
	int		 e;

	if (spec[0] != '/' && spec[0] != '.') {
		pid = strtonum(spec, 1, INT32_MAX, &errstr);
		if (errstr != NULL)
			die_usage("--ns: '%s' is neither a PID nor a file",
			    spec);
		snprintf(path, sizeof path, "/proc/%lld/ns/ipc", pid);
		file = path;
	}
	if (ipc_setns(file) == -1) {
		e = errno;
		die(exit_code(e), "--ns %s: cannot join its IPC namespace: %s",
		    spec, strerror(e));
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
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "ns",		required_argument,	NULL, 'N' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct cmd_object	*o;
	const struct cmd_entry	*e = NULL;
	const char		*ns = NULL, *cands[16];
	size_t			 i, n;
	int			 c, status;

	cmd_name = "ipctool";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(0);
		case 'N':
			ns = optarg;
			break;
		case 'V':
			printf("ipctool %s\n", PACKAGE_VERSION);
			return close_stdout(0);
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			if (strncmp(argv[optind - 1], "--", 2) != 0 &&
			    optopt > 0 && optopt < 128)
				die_usage("unknown option '-%c'", optopt);
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(EXIT_USAGE);
	if (ns != NULL)
		join_namespace(ns);

	for (o = objects; o->name != NULL; o++)
		if (strcmp(o->name, argv[0]) == 0)
			break;
	if (o->name != NULL) {
		cur_object = o;
		if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			snprintf(cmd_name_buf, sizeof cmd_name_buf, "%s",
			    o->name);
			cmd_name = cmd_name_buf;
			usage(argc < 2 ? EXIT_USAGE : 0);
		}
		e = find_verb(o, argv[1]);
		snprintf(cmd_name_buf, sizeof cmd_name_buf, "%s %s", o->name,
		    e->name);
		argc--;
		argv++;
	} else {
		for (i = 0; commands[i] != NULL; i++)
			if (strcmp(commands[i]->name, argv[0]) == 0)
				e = commands[i];
		if (e == NULL) {
			n = 0;
			for (o = objects; o->name != NULL; o++)
				cands[n++] = o->name;
			for (i = 0; commands[i] != NULL; i++)
				cands[n++] = commands[i]->name;
			cands[n] = NULL;
			unknown("command", argv[0], cands);
		}
		snprintf(cmd_name_buf, sizeof cmd_name_buf, "%s", e->name);
	}
	cmd_name = cmd_name_buf;
	cmd_current = e;
	optind = 0;		/* full reset of glibc's getopt */
	status = e->exec(argc, argv);
	return close_stdout(status);
}
