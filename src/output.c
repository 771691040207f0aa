/*
 * The record printer: see output.h.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ipctool.h"
#include "output.h"

static int
find_col(const struct out *o, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < o->ncols; i++)
		if (strlen(o->cols[i].name) == len &&
		    strncasecmp(o->cols[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static void
select_col(struct out *o, size_t c)
{
	if (o->map[c] >= 0 || o->nsel >= OUT_MAXCOLS)
		return;
	o->map[c] = (int)o->nsel;
	o->sel[o->nsel++] = c;
}

int
out_init(struct out *o, FILE *f, enum out_format fmt,
    const struct out_column *cols, size_t ncols, const char *spec,
    const char **bad)
{
	const char	*p, *q;
	size_t		 i;
	int		 c;

	memset(o, 0, sizeof *o);
	o->f = f;
	o->format = fmt;
	o->headings = true;
	o->cols = cols;
	o->ncols = ncols < OUT_MAXCOLS ? ncols : OUT_MAXCOLS;
	o->first_section = true;
	for (i = 0; i < OUT_MAXCOLS; i++) {
		o->map[i] = -1;
		o->row[i].off = OUT_NULL;
	}
	if (spec == NULL || spec[0] == '+') {
		for (i = 0; i < o->ncols; i++)
			if (cols[i].flags & COL_DEFAULT)
				select_col(o, i);
		if (spec != NULL)
			spec++;
	}
	for (p = spec; p != NULL && *p != '\0'; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if (q == p)
			continue;
		c = find_col(o, p, (size_t)(q - p));
		if (c < 0) {
			*bad = p;
			return -1;
		}
		select_col(o, (size_t)c);
	}
	if (o->nsel == 0) {
		*bad = "";
		return -1;
	}
	return 0;
}

bool
out_opt(struct out_opts *oo, int c, const char *arg)
{
	switch (c) {
	case 'J':
		oo->format = OUT_JSON;
		return true;
	case 'r':
		oo->format = OUT_RAW;
		return true;
	case 'e':
		oo->format = OUT_EXPORT;
		return true;
	case 'o':
		oo->spec = arg;
		return true;
	case 'n':
		oo->no_headings = true;
		return true;
	case 'H':
		oo->human = true;
		return true;
	default:
		return false;
	}
}

void
xout_init(struct out *o, const struct out_opts *oo,
    const struct out_column *cols, size_t ncols)
{
	xout_init_defaults(o, oo, cols, ncols, NULL);
}

void
xout_init_defaults(struct out *o, const struct out_opts *oo,
    const struct out_column *cols, size_t ncols, const char *defaults)
{
	const char	*bad = NULL, *spec = oo->spec;
	char		 names[1024], *joined = NULL;
	size_t		 i;

	if (defaults != NULL && spec == NULL)
		spec = defaults;
	else if (defaults != NULL && spec[0] == '+') {
		if (asprintf(&joined, "%s,%s", defaults, spec + 1) == -1)
			die_errno(errno, "cannot allocate");
		spec = joined;
	}
	if (out_init(o, stdout, oo->format, cols, ncols, spec, &bad) == -1) {
		names[0] = '\0';
		for (i = 0; i < ncols; i++) {
			if (i > 0)
				strlcat(names, ",", sizeof names);
			strlcat(names, cols[i].name, sizeof names);
		}
		if (bad[0] == '\0')
			die_usage("-o: no columns given (known: %s)", names);
		die_usage("-o: unknown column '%.*s' (known: %s)",
		    (int)strcspn(bad, ","), bad, names);
	}
	free(joined);
	o->headings = !oo->no_headings;
	o->human = oo->human;
}

const char *
fmt_time_iso(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0) {
		snprintf(buf, len, "%lld", (long long)t);
		return buf;
	}
	/* +hhmm -> +hh:mm, as ISO 8601's extended format wants */
	len = strlen(buf);
	if (len >= 5 && (buf[len - 5] == '+' || buf[len - 5] == '-')) {
		memmove(buf + len - 1, buf + len - 2, 3);
		buf[len - 2] = ':';
	}
	return buf;
}

/* ---- cell storage ---- */

static void
arena_add(struct out *o, size_t col, const char *s, size_t len)
{
	size_t	need;
	char	*n;

	if (o->map[col] < 0)
		return;
	need = o->arena_len + len;
	if (need >= OUT_NULL)
		die(EXIT_LIMIT, "output too large");
	if (need > o->arena_cap) {
		o->arena_cap = o->arena_cap ? o->arena_cap : 4096;
		while (o->arena_cap < need)
			o->arena_cap *= 2;
		if ((n = realloc(o->arena, o->arena_cap)) == NULL)
			die_errno(errno, "cannot allocate");
		o->arena = n;
	}
	if (len > 0)
		memcpy(o->arena + o->arena_len, s, len);
	o->row[col].off = (uint32_t)o->arena_len;
	o->row[col].len = (uint32_t)len;
	o->arena_len = need;
}

void
out_str(struct out *o, size_t col, const char *s)
{
	if (s == NULL)
		out_null(o, col);
	else
		arena_add(o, col, s, strlen(s));
}

void
out_null(struct out *o, size_t col)
{
	o->row[col].off = OUT_NULL;
	o->row[col].len = 0;
}

/* Decimal digits of v, written backwards from end; returns the start. */
static char *
fmt_ull(unsigned long long v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void
out_num(struct out *o, size_t col, long long v)
{
	char	buf[32], *p;

	if (o->map[col] < 0)
		return;
	p = fmt_ull(v < 0 ? -(unsigned long long)v : (unsigned long long)v,
	    buf + sizeof buf);
	if (v < 0)
		*--p = '-';
	arena_add(o, col, p, (size_t)(buf + sizeof buf - p));
}

static int
human_size(unsigned long long v, char *buf, size_t len)
{
	static const char	units[] = "BKMGTPE";
	unsigned long long	whole = v, rem = 0;
	size_t			u = 0;

	while (whole >= 1024 && u < sizeof units - 2) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (u == 0)
		return snprintf(buf, len, "%lluB", v);
	rem = rem * 10 / 1024;
	if (rem != 0 && whole < 10)
		return snprintf(buf, len, "%llu.%llu%c", whole, rem, units[u]);
	return snprintf(buf, len, "%llu%c", whole, units[u]);
}

void
out_unum(struct out *o, size_t col, unsigned long long v)
{
	char	buf[32], *p;
	int	n;

	if (o->map[col] < 0)
		return;
	if (o->human && o->cols[col].type == COL_SIZE &&
	    o->format != OUT_JSON) {
		n = human_size(v, buf, sizeof buf);
		arena_add(o, col, buf, (size_t)n);
	} else {
		p = fmt_ull(v, buf + sizeof buf);
		arena_add(o, col, p, (size_t)(buf + sizeof buf - p));
	}
}

void
out_time(struct out *o, size_t col, time_t t)
{
	/* listings repeat times: remember the last one formatted */
	static char	buf[64];
	static size_t	len;
	static time_t	last;

	if (o->map[col] < 0)
		return;
	if (t == 0) {
		out_null(o, col);
		return;
	}
	if (t != last || len == 0) {
		fmt_time_iso(t, buf, sizeof buf);
		len = strlen(buf);
		last = t;
	}
	arena_add(o, col, buf, len);
}

/* ---- printers ---- */

static void
json_string(FILE *f, const char *s, size_t len)
{
	size_t		i;
	unsigned char	c;

	putc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
		} else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static void
json_name(FILE *f, const char *name)
{
	const char	*p;

	putc('"', f);
	for (p = name; *p != '\0'; p++)
		putc(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p, f);
	fputs("\":", f);
}

/* raw: spaces, backslashes and control characters as \xHH */
static void
raw_string(FILE *f, const char *s, size_t len)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c <= 0x20 || c == '\\' || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			putc(c, f);
	}
}

/* export: NAME="value", safe inside double quotes for sh */
static void
export_pair(FILE *f, const char *name, const char *s, size_t len, bool null)
{
	const char	*p;
	size_t		 i;

	for (p = name; *p != '\0'; p++) {
		if (*p == '%')
			fputs("_PCT", f);
		else if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			putc(*p, f);
		else
			putc('_', f);
	}
	fputs("=\"", f);
	for (i = 0; !null && i < len; i++) {
		if (strchr("\"\\$`", s[i]) != NULL)
			putc('\\', f);
		putc(s[i], f);
	}
	putc('"', f);
}

static void
json_indent(const struct out *o, int extra)
{
	int	i;

	putc('\n', o->f);
	for (i = 0; i < o->depth + extra; i++)
		fputs("  ", o->f);
}

static void
json_cells(struct out *o, const struct out_cell *row)
{
	const struct out_column	*col;
	const char		*s;
	size_t			 i, c;

	for (i = 0; i < o->nsel; i++) {
		c = o->sel[i];
		col = &o->cols[c];
		if (i > 0)
			putc(',', o->f);
		json_indent(o, 2);
		json_name(o->f, col->name);
		if (row[c].off == OUT_NULL) {
			fputs("null", o->f);
			continue;
		}
		s = o->arena + row[c].off;
		if (col->type == COL_NUM || col->type == COL_SIZE ||
		    col->type == COL_BOOL)
			fwrite(s, 1, row[c].len, o->f);
		else
			json_string(o->f, s, row[c].len);
	}
}

void
out_begin(struct out *o, const char *section)
{
	if (o->format != OUT_JSON)
		return;
	if (o->parent != NULL) {
		o->depth = o->parent->depth + 2;
		putc(',', o->f);
		json_indent(o, 0);
	} else {
		if (o->first_section)
			fputs("{", o->f);
		else
			putc(',', o->f);
		o->depth = 1;
		json_indent(o, -1 + 1);
	}
	o->first_section = false;
	json_string(o->f, section, strlen(section));
	fputs(": [", o->f);
	o->first_row = true;
}

static void
json_row_start(struct out *o)
{
	if (!o->first_row)
		putc(',', o->f);
	o->first_row = false;
	json_indent(o, 1);
	putc('{', o->f);
}

static void
flat_row(struct out *o, const struct out_cell *row)
{
	size_t	i, c;
	bool	null;

	for (i = 0; i < o->nsel; i++) {
		c = o->sel[i];
		null = row[c].off == OUT_NULL;
		if (i > 0)
			putc(' ', o->f);
		if (o->format == OUT_EXPORT)
			export_pair(o->f, o->cols[c].name,
			    null ? NULL : o->arena + row[c].off, row[c].len,
			    null);
		else if (null)
			putc('-', o->f);
		else
			raw_string(o->f, o->arena + row[c].off, row[c].len);
	}
	putc('\n', o->f);
}

static void
row_reset(struct out *o)
{
	size_t	i;

	for (i = 0; i < o->nsel; i++)
		o->row[o->sel[i]].off = OUT_NULL;
}

static void
row_cells_done(struct out *o)
{
	struct out_cell	*n;
	size_t		 i, c, w;

	switch (o->format) {
	case OUT_JSON:
		json_row_start(o);
		json_cells(o, o->row);
		o->arena_len = 0;
		break;
	case OUT_RAW:
	case OUT_EXPORT:
		flat_row(o, o->row);
		o->arena_len = 0;
		break;
	case OUT_TABLE:
		if ((o->nrows + 1) * o->nsel > o->cells_cap) {
			o->cells_cap = o->cells_cap ? o->cells_cap * 2 :
			    64 * o->nsel;
			n = reallocarray(o->cells, o->cells_cap, sizeof *n);
			if (n == NULL)
				die_errno(errno, "cannot allocate");
			o->cells = n;
		}
		for (i = 0; i < o->nsel; i++) {
			c = o->sel[i];
			o->cells[o->nrows * o->nsel + i] = o->row[c];
			w = o->row[c].off == OUT_NULL ? 1 : o->row[c].len;
			if (w > o->width[i])
				o->width[i] = w;
		}
		o->nrows++;
		break;
	}
}

void
out_row(struct out *o)
{
	row_cells_done(o);
	if (o->format == OUT_JSON) {
		json_indent(o, 1);
		putc('}', o->f);
	}
	row_reset(o);
}

void
out_row_open(struct out *o)
{
	row_cells_done(o);
	o->row_open = true;
	row_reset(o);
}

void
out_row_close(struct out *o)
{
	if (o->format == OUT_JSON) {
		json_indent(o, 1);
		putc('}', o->f);
	}
	o->row_open = false;
}

static void
pad(FILE *f, size_t n)
{
	while (n-- > 0)
		putc(' ', f);
}

static void
table_print(struct out *o)
{
	const struct out_cell	*cell;
	const struct out_column	*col;
	size_t			 r, i, w, namew = 0;
	bool			 right;

	for (i = 0; i < o->nsel; i++) {
		w = strlen(o->cols[o->sel[i]].name);
		if (o->headings && w > o->width[i])
			o->width[i] = w;
		if (w > namew)
			namew = w;
	}
	if (o->vertical) {
		for (r = 0; r < o->nrows; r++) {
			if (r > 0)
				putc('\n', o->f);
			for (i = 0; i < o->nsel; i++) {
				cell = &o->cells[r * o->nsel + i];
				col = &o->cols[o->sel[i]];
				fputs(col->name, o->f);
				pad(o->f, namew - strlen(col->name) + 2);
				if (cell->off == OUT_NULL)
					putc('-', o->f);
				else
					fwrite(o->arena + cell->off, 1,
					    cell->len, o->f);
				putc('\n', o->f);
			}
		}
		return;
	}
	if (o->headings) {
		for (i = 0; i < o->nsel; i++) {
			col = &o->cols[o->sel[i]];
			right = col->type == COL_NUM || col->type == COL_SIZE;
			w = strlen(col->name);
			if (right)
				pad(o->f, o->width[i] - w);
			fputs(col->name, o->f);
			if (i + 1 < o->nsel) {
				if (!right)
					pad(o->f, o->width[i] - w);
				putc(' ', o->f);
			}
		}
		putc('\n', o->f);
	}
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->nsel; i++) {
			cell = &o->cells[r * o->nsel + i];
			col = &o->cols[o->sel[i]];
			right = col->type == COL_NUM || col->type == COL_SIZE;
			w = cell->off == OUT_NULL ? 1 : cell->len;
			if (right)
				pad(o->f, o->width[i] - w);
			if (cell->off == OUT_NULL)
				putc('-', o->f);
			else
				fwrite(o->arena + cell->off, 1, cell->len,
				    o->f);
			if (i + 1 < o->nsel) {
				if (!right)
					pad(o->f, o->width[i] - w);
				putc(' ', o->f);
			}
		}
		putc('\n', o->f);
	}
}

void
out_end(struct out *o)
{
	switch (o->format) {
	case OUT_JSON:
		if (o->first_row)
			fputs("]", o->f);
		else {
			json_indent(o, 0);
			putc(']', o->f);
		}
		break;
	case OUT_TABLE:
		table_print(o);
		o->nrows = 0;
		o->arena_len = 0;
		memset(o->width, 0, sizeof o->width);
		break;
	default:
		break;
	}
}

void
out_continue(struct out *next, const struct out *prev)
{
	next->first_section = prev->first_section;
}

void
out_finish(struct out *o)
{
	if (o->format == OUT_JSON && o->parent == NULL) {
		if (o->first_section)
			fputs("{", o->f);
		fputs("\n}\n", o->f);
	}
	out_free(o);
}

void
out_free(struct out *o)
{
	free(o->arena);
	free(o->cells);
	o->arena = NULL;
	o->cells = NULL;
}
