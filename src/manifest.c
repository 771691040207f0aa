/* SPDX-License-Identifier: ISC */
/*
 * Manifests ("KIND TARGET" lines) and the one escaping of names that they,
 * `list --raw` and `list --export` share: a POSIX name may hold any byte
 * but NUL and '/', so bytes that would split a line or a field are written
 * \xHH, and read back here.
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

size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* no overlong forms */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* no surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* nothing past U+10FFFF */
	} else
		return 0;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t
name_printable(const unsigned char *s, size_t n)
{
	size_t	k;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] < 0x80)
		return 0;
	k = utf8_seq(s, n);
	/* C1 controls (U+0080..U+009F) act on terminals too */
	if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return k;
}

/* One byte's escape after its backslash, in out; returns its length. */
static size_t
byte_escape(enum name_esc how, unsigned char c, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 letters[] = "\a\b\t\n\v\f\r";
	static const char	 names[] = "abtnvfr";
	const char		*l;

	if (how == NAME_ESC_HEX) {
		out[0] = 'x';
		out[1] = hex[c >> 4];
		out[2] = hex[c & 15];
		return 3;
	}
	if (c == '\\') {
		out[0] = '\\';
		return 1;
	}
	if (c != '\0' && (l = memchr(letters, c, sizeof letters - 1)) != NULL) {
		out[0] = names[l - letters];
		return 1;
	}
	out[0] = (char)('0' + (c >> 6));
	out[1] = (char)('0' + ((c >> 3) & 7));
	out[2] = (char)('0' + (c & 7));
	return 3;
}

size_t
name_escape_as(enum name_esc how, const char *s, size_t len, char *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, j = 0, k;

	while (i < len) {
		k = u[i] == '\\' || (u[i] == ' ' && how == NAME_ESC_HEX) ? 0 :
		    name_printable(u + i, len - i);
		if (k > 0) {
			memcpy(out + j, s + i, k);
			i += k;
			j += k;
			continue;
		}
		out[j++] = '\\';
		j += byte_escape(how, u[i], out + j);
		i++;
	}
	out[j] = '\0';
	return j;
}

size_t
name_escape(const char *s, size_t len, char *out)
{
	return name_escape_as(NAME_ESC_HEX, s, len, out);
}

char *
name_escape_dup(const char *s)
{
	size_t	len = strlen(s);
	char	*out;

	if ((out = malloc(4 * len + 1)) == NULL)
		return NULL;
	name_escape(s, len, out);
	return out;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reverses name_escape in place; -1 with *why on a bad escape or \x00. */
static int
name_unescape(char *s, const char **why)
{
	char	*p, *q;
	int	 hi, lo;

	for (p = q = s; *p != '\0'; p++) {
		if (*p != '\\') {
			*q++ = *p;
			continue;
		}
		if (p[1] != 'x' || (hi = hexval((unsigned char)p[2])) < 0 ||
		    (lo = hexval((unsigned char)p[3])) < 0) {
			*why = "a backslash that is not \\xHH";
			return -1;
		}
		if (hi == 0 && lo == 0) {
			*why = "\\x00: a name holds no NUL byte";
			return -1;
		}
		*q++ = (char)(hi << 4 | lo);
		p += 3;
	}
	*q = '\0';
	return 0;
}

int
manifest_parse_target(const char *s, int flags, struct ipc_target *t,
    const char **why)
{
	char	*masked, *p;
	int	 r;

	if (s[0] != '/')
		return parse_target(s, flags, t, why);
	/*
	 * A name read back may hold what create refuses (a file another
	 * program made): check the rest of the rules on a copy.
	 */
	if ((masked = strdup(s)) == NULL) {
		*why = strerror(errno);
		return EXIT_SYSERR;
	}
	for (p = masked; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
	r = parse_target(masked, flags, t, why);
	free(masked);
	if (r == 0)
		memcpy(t->name, s, strlen(s) + 1);
	t->text = s;
	return r;
}

int
manifest_append(const char *file, const char *kind, const char *target)
{
	char	*esc;
	int	 r, e;

	if ((esc = name_escape_dup(target)) == NULL)
		return -1;
	/*
	 * A terminating signal while a FIFO blocks the open is EINTR (and
	 * main ignores SIGXFSZ for creates: EFBIG): either way the caller
	 * removes what it created, instead of dying with it made.
	 */
	if (ipc_catch_signals() == -1) {
		e = errno;
		free(esc);
		errno = e;
		return -1;
	}
	r = ipc_manifest_append(file, kind, esc);
	e = errno;
	ipc_restore_signals();
	free(esc);
	errno = e;
	return r;
}

int
manifest_open(struct manifest *m, const char *file)
{
	int	fd;

	memset(m, 0, sizeof *m);
	m->file = file;
	if ((fd = ipc_manifest_open(file, O_RDONLY)) == -1)
		return -1;
	if ((m->f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return -1;
	}
	return 0;
}

int
manifest_parse_line(char *line, size_t len, const char **kind, char **target,
    const char **why)
{
	char	*sp;

	if (memchr(line, '\0', len) != NULL) {
		*why = "a NUL byte in the line";
		return -2;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
	    line[len - 1] == ' '))
		line[--len] = '\0';
	if (len == 0 || line[0] == '#')
		return 0;
	sp = strchr(line, ' ');
	if (sp == NULL || sp[1] == '\0' || strchr(sp + 1, ' ') != NULL ||
	    !((sp - line == 2 && strncmp(line, "mq", 2) == 0) ||
	    (sp - line == 3 && (strncmp(line, "sem", 3) == 0 ||
	    strncmp(line, "shm", 3) == 0)))) {
		*why = "not 'KIND TARGET' (KIND sem, shm or mq)";
		return -2;
	}
	*sp++ = '\0';
	if (name_unescape(sp, why) == -1)
		return -2;
	*kind = line;
	*target = sp;
	return 1;
}

int
manifest_next(struct manifest *m, const char **kind, char **target,
    const char **why)
{
	ssize_t	 len;
	int	 r;

	for (;;) {
		errno = 0;
		len = getline(&m->line, &m->cap, m->f);
		if (len == -1) {
			/* getline's ENOMEM sets no error flag: ask errno */
			if (ferror(m->f) || (errno != 0 && !feof(m->f)))
				return -1;
			return 0;
		}
		m->lineno++;
		r = manifest_parse_line(m->line, (size_t)len, kind, target,
		    why);
		if (r != 0)
			return r;
	}
}

void
manifest_close(struct manifest *m)
{
	if (m->f != NULL)
		fclose(m->f);
	free(m->line);
	m->f = NULL;
	m->line = NULL;
}
