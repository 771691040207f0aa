/*
 * ipctool key FILE [PROJ]: the key ftok(3) makes of FILE and PROJ.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipctool.h"

static int	cmd_key(int, char **);

const struct cmd_entry cmd_key_entry = {
	"key", "FILE [PROJ]",
	"Print the key ftok(3) makes of FILE and PROJ (1..255, default 1)",
	cmd_key
};

static int
cmd_key(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 }
	};
	struct args	 a;
	key_t		 key;
	char		 buf[11];
	int		 c, proj = 1;

	args_init(&a, argc, argv, "", longopts, 1, 2, false);
	while ((c = args_next(&a)) != -1)
		continue;
	if (a.npos == 2)
		proj = (int)xparse_num("PROJ", a.pos[1], 1, 255);
	if (ipc_ftok(a.pos[0], proj, &key) == -1) {
		c = errno;
		die(c == ENOENT || c == ENOTDIR ? EXIT_NOENT : exit_code(c),
		    "%s: %s", a.pos[0], strerror(c));
	}
	printf("%s\n", fmt_key(key, buf));
	return 0;
}
