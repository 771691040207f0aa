/* SPDX-License-Identifier: ISC */
/*
 * ipctool key FILE [PROJ]: the key ftok(3) makes of FILE and PROJ.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipctool.h"
#include "table.h"

static int	cmd_key(struct cmdargs *);

static const struct opt key_opts[] = {
	OPT_END
};

const struct verb verb_key = {
	.entry = { "key", "FILE [PROJ]",
	    "Print the key ftok(3) makes of FILE and PROJ (1..255, default 1)"
	},
	.minpos = 1, .maxpos = 2, .pos = P_FILE, .families = FAM_SYSV,
	.opts = key_opts,
	.exec = cmd_key
};

static int
cmd_key(struct cmdargs *a)
{
	key_t		 key;
	char		 buf[11];
	int		 e, proj = 1;

	if (a->npos == 2)
		proj = (int)xparse_num("PROJ", a->pos[1], 1, 255);
	if (ipc_ftok(a->pos[0], proj, &key) == -1) {
		e = errno;
		die(e == ENOENT || e == ENOTDIR ? EXIT_NOENT : exit_code(e),
		    "%s: %s", a->pos[0], strerror(e));
	}
	printf("%s\n", fmt_key(key, buf));
	return 0;
}
