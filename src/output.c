/* SPDX-License-Identifier: ISC */
/*
 * The record printer: see output.h.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
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
	case OUT_OPT_TIME_FORMAT:
		if (strcmp(arg, "iso") == 0)
			oo->iso_times = true;
		else if (strcmp(arg, "short") == 0)
			oo->iso_times = false;
		else
			die_usage("--time-format: '%s' is not short or iso",
			    arg);
		return true;
	case OUT_OPT_NUMERIC_PERMS:
		oo->numeric_perms = true;
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
	/* tables are read by people; --raw, --export and --json keep ISO
	   8601 and octal for programs */
	o->short_times = oo->format == OUT_TABLE && !oo->iso_times;
	o->symbolic_perms = oo->format == OUT_TABLE && !oo->numeric_perms;
}

/* Formats t as ISO 8601 (local time with offset). */
static const char *
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

/* ---- growing buffers ---- */

static void *
grow(void *p, size_t *cap, size_t need, size_t first)
{
	size_t	n = *cap ? *cap : first;

	while (n < need) {
		if (n > SIZE_MAX / 2)
			die(EXIT_LIMIT, "output too large");
		n *= 2;
	}
	if (n == *cap)
		return p;
	if ((p = realloc(p, n)) == NULL)
		die_errno(errno, "cannot allocate");
	*cap = n;
	return p;
}

/* Room for n more bytes in the line being built; returns where they go. */
static char *
line_room(struct out *o, size_t n)
{
	if (o->line == NULL || o->line_len + n > o->line_cap)
		o->line = grow(o->line, &o->line_cap, o->line_len + n, 1024);
	return o->line + o->line_len;
}

static void
line_put(struct out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	memcpy(line_room(o, n), s, n);
	o->line_len += n;
}

static void
line_putc(struct out *o, char c)
{
	*line_room(o, 1) = c;
	o->line_len++;
}

static void
line_pad(struct out *o, size_t n)
{
	if (n == 0)
		return;
	memset(line_room(o, n), ' ', n);
	o->line_len += n;
}

static void
line_flush(struct out *o)
{
	if (o->line_len > 0)
		fwrite(o->line, 1, o->line_len, o->f);
	o->line_len = 0;
}

/* ---- the current row's cells ---- */

/* what made a cell, for the table's encoding */
enum { V_TEXT, V_UNUM, V_NEG, V_TIME };

static void
arena_add(struct out *o, size_t col, const char *s, size_t len, int tag,
    unsigned long long v)
{
	size_t	need;

	if (o->map[col] < 0)
		return;
	need = o->arena_len + len;
	if (need >= OUT_NULL)
		die(EXIT_LIMIT, "output too large");
	if (o->arena == NULL || need > o->arena_cap)
		o->arena = grow(o->arena, &o->arena_cap, need, 4096);
	memcpy(o->arena + o->arena_len, s, len);
	o->row[col].off = (uint32_t)o->arena_len;
	o->row[col].len = (uint32_t)len;
	o->rowtag[col] = (unsigned char)tag;
	o->rowval[col] = v;
	o->arena_len = need;
}

/*
 * The octal text of a mode ("0600", "644") as ls shows its permission
 * bits, "rw-------"; the special bits (SHM_DEST and SHM_LOCKED in a
 * segment's mode) are STATUS's business, not shown here.
 */
static const char *
perms_text(const char *octal, char buf[static 10])
{
	static const char	rwx[] = "rwx";
	unsigned long		m = 0;
	const char		*p;
	int			i;

	for (p = octal; *p >= '0' && *p <= '7'; p++)
		m = (m << 3 | (unsigned long)(*p - '0')) & 07777;
	for (i = 0; i < 9; i++)
		buf[i] = m & (0400UL >> i) ? rwx[i % 3] : '-';
	buf[9] = '\0';
	return buf;
}

void
out_str(struct out *o, size_t col, const char *s)
{
	const unsigned char	*p;
	char			*esc, sym[10];
	size_t			 len;

	if (s == NULL) {
		out_null(o, col);
		return;
	}
	if (o->symbolic_perms && o->cols[col].type == COL_PERMS &&
	    o->map[col] >= 0) {
		arena_add(o, col, perms_text(s, sym), 9, V_TEXT, 0);
		return;
	}
	len = strlen(s);
	if (o->format == OUT_TABLE && o->map[col] >= 0) {
		for (p = (const unsigned char *)s; *p != '\0'; p++)
			if (*p < 0x20 || *p >= 0x7f || *p == '\\')
				break;
		if (*p != '\0') {
			if ((esc = malloc(4 * len + 1)) == NULL)
				die_errno(errno, "cannot allocate");
			arena_add(o, col, esc,
			    name_escape_as(NAME_ESC_TABLE, s, len, esc), V_TEXT,
			    0);
			free(esc);
			return;
		}
	}
	arena_add(o, col, s, len, V_TEXT, 0);
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
	unsigned long long	u;
	char			buf[32], *p;

	if (o->map[col] < 0)
		return;
	u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	p = fmt_ull(u, buf + sizeof buf);
	if (v < 0)
		*--p = '-';
	arena_add(o, col, p, (size_t)(buf + sizeof buf - p),
	    v < 0 ? V_NEG : V_UNUM, u);
}

/*
 * Bytes as lsipc and ipcs -h have them (util-linux's
 * size_to_human_string): the largest power of 1024 not above v, and one
 * decimal when the rest rounds (half up, from thousandths) to a tenth or
 * more; 1600 is 1.6K, 1048575 is 1024K, 2^64 - 1 is 16E, 500 is 500B.
 */
static int
human_size(unsigned long long v, char *buf, size_t len)
{
	static const char	units[] = "BKMGTPE";
	unsigned long long	whole, rest, milli, tenths;
	unsigned int		shift = 0;

	while (shift < 60 && v >> (shift + 10) != 0)
		shift += 10;
	if (shift == 0)
		return snprintf(buf, len, "%lluB", v);
	whole = v >> shift;
	rest = v & ((1ULL << shift) - 1);
	/* rest * 1000 must not wrap: scale down first when it would */
	if (rest < ULLONG_MAX / 1000)
		milli = rest * 1000 >> shift;
	else
		milli = (rest >> 10) * 1000 >> (shift - 10);
	tenths = (milli + 50) / 100;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (tenths != 0)
		return snprintf(buf, len, "%llu.%llu%c", whole, tenths,
		    units[shift / 10]);
	return snprintf(buf, len, "%llu%c", whole, units[shift / 10]);
}

void
out_unum(struct out *o, size_t col, unsigned long long v)
{
	char	buf[32];
	int	n;

	if (o->map[col] < 0)
		return;
	if (o->human && o->cols[col].type == COL_SIZE &&
	    o->format != OUT_JSON) {
		n = human_size(v, buf, sizeof buf);
		arena_add(o, col, buf, (size_t)n, V_TEXT, 0);
	} else
		out_count(o, col, v);
}

void
out_count(struct out *o, size_t col, unsigned long long v)
{
	char	buf[32], *p;

	if (o->map[col] < 0)
		return;
	p = fmt_ull(v, buf + sizeof buf);
	arena_add(o, col, p, (size_t)(buf + sizeof buf - p), V_UNUM, v);
}

/*
 * fmt_time_iso() without a localtime_r() and a strftime() per time: the
 * UTC offset is looked up at both ends of t's quarter hour (every offset
 * and transition of today's zones falls on one) and, when they agree,
 * the digits are computed by hand; otherwise the slow way.
 */
static size_t
fmt_time_fast(time_t t, char buf[static 64])
{
	static const int	 q = 900;
	static time_t		 bucket;
	static long		 off;
	static bool		 valid, fast;
	struct tm		 tm0, tm1;
	time_t			 b, b1, local, z, era, doe, yoe, doy, mp;
	long			 y, m, d, secs, a;
	char			*p = buf;

	if (t < -((time_t)1 << 40) || t > ((time_t)1 << 40))
		goto slow;
	b = t - ((t % q) + q) % q;
	if (!valid || b != bucket) {
		b1 = b + q - 1;
		valid = true;
		bucket = b;
		fast = localtime_r(&b, &tm0) != NULL &&
		    localtime_r(&b1, &tm1) != NULL &&
		    tm0.tm_gmtoff == tm1.tm_gmtoff &&
		    tm0.tm_gmtoff % 60 == 0;
		off = fast ? tm0.tm_gmtoff : 0;
	}
	if (!fast)
		goto slow;
	local = t + off;
	z = local / 86400;
	secs = (long)(local - z * 86400);
	if (secs < 0) {
		secs += 86400;
		z--;
	}
	/* days to a civil date (H. Hinnant's algorithm) */
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (long)(doy - (153 * mp + 2) / 5 + 1);
	m = (long)(mp < 10 ? mp + 3 : mp - 9);
	y = (long)(yoe + era * 400) + (m <= 2);
	if (y < 1000 || y > 9999)
		goto slow;
#define TWO(v)	(*p++ = (char)('0' + (v) / 10), *p++ = (char)('0' + (v) % 10))
	TWO(y / 100);
	TWO(y % 100);
	*p++ = '-';
	TWO(m);
	*p++ = '-';
	TWO(d);
	*p++ = 'T';
	TWO(secs / 3600);
	*p++ = ':';
	TWO(secs / 60 % 60);
	*p++ = ':';
	TWO(secs % 60);
	*p++ = off < 0 ? '-' : '+';
	a = off < 0 ? -off : off;
	TWO(a / 3600);
	*p++ = ':';
	TWO(a / 60 % 60);
#undef TWO
	*p = '\0';
	return (size_t)(p - buf);
slow:
	fmt_time_iso(t, buf, 64);
	return strlen(buf);
}

/*
 * t as fmt_time_iso() has it, from a small cache: listings repeat times
 * (and a table formats each twice).  The text stays valid until the next
 * call.
 */
static size_t
time_text(time_t t, const char **s)
{
	static struct {
		time_t	 t;
		size_t	 len;
		char	 buf[64];
	}		 cache[4];
	static unsigned	 next;
	unsigned	 i;

	for (i = 0; i < 4; i++)
		if (cache[i].len != 0 && cache[i].t == t) {
			*s = cache[i].buf;
			return cache[i].len;
		}
	i = next++ % 4;
	cache[i].len = fmt_time_fast(t, cache[i].buf);
	cache[i].t = t;
	*s = cache[i].buf;
	return cache[i].len;
}

/*
 * A table's time, as ls shows one, from its ISO 8601 text (local time):
 * "12:04" on today's date, "Nov 30" (day padded with a space, as ls) on
 * another day of this year, past or future, and the date "2025-11-30" in
 * any other year.  English month names whatever the locale: the width of
 * the column must not depend on it.  The rest of the time is in
 * --time-format=iso, --raw, --export and --json.
 */
static size_t
short_time(const char *iso, size_t len, char *buf)
{
	static const char	months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static char		today[11];
	char			now[64];
	int			m;

	if (len < 16 || iso[4] != '-' || iso[10] != 'T') {
		memmove(buf, iso, len);	/* not a civil date: as it is */
		return len;
	}
	if (today[0] == '\0') {
		fmt_time_fast(time(NULL), now);
		memcpy(today, now, 10);
	}
	if (memcmp(iso, today, 10) == 0) {
		memmove(buf, iso + 11, 5);
		return 5;
	}
	if (memcmp(iso, today, 4) != 0) {
		memmove(buf, iso, 10);
		return 10;
	}
	m = (iso[5] - '0') * 10 + (iso[6] - '0');
	if (m < 1 || m > 12) {
		memmove(buf, iso, 10);
		return 10;
	}
	memcpy(buf, months + 3 * (m - 1), 3);
	buf[3] = ' ';
	buf[4] = iso[8] == '0' ? ' ' : iso[8];
	buf[5] = iso[9];
	return 6;
}

void
out_time(struct out *o, size_t col, time_t t)
{
	const char	*s;
	char		 sbuf[64];
	size_t		 len;

	if (o->map[col] < 0)
		return;
	if (t == 0) {
		out_null(o, col);
		return;
	}
	len = time_text(t, &s);
	if (o->short_times && !o->vertical) {
		len = short_time(s, len, sbuf);
		s = sbuf;
	}
	/* zigzag: small magnitudes, either sign, in few bytes */
	arena_add(o, col, s, len, V_TIME, ((unsigned long long)t << 1) ^
	    (unsigned long long)((long long)t >> 63));
}

/* ---- the table's rows ----
 *
 * A table is printed once its widths are known, so it keeps every row:
 * 70,000 of them in a few hundred KiB rather than megabytes.  A cell is
 * a tag byte and its value: T_NULL; T_REP, the same as the cell above (an
 * owner, a key, a time: columns repeat); T_UNUM, T_NEG and T_TIME, a
 * number as a LEB128 varint, formatted again when printed; T_STR, a
 * varint length and the bytes.
 */
enum { T_NULL, T_REP, T_UNUM, T_NEG, T_TIME, T_STR };

static unsigned char *
put_varint(unsigned char *p, unsigned long long v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static const unsigned char *
get_varint(const unsigned char *p, unsigned long long *v)
{
	unsigned long long	r = 0;
	unsigned		shift = 0;

	while (*p & 0x80) {
		r |= (unsigned long long)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = r | (unsigned long long)*p++ << shift;
	return p;
}

/* The length of the cell encoded at p (not T_REP). */
static size_t
cell_len(const unsigned char *p)
{
	const unsigned char	*q = p + 1;
	unsigned long long	 v;

	if (*p == T_NULL)
		return 1;
	q = get_varint(q, &v);
	if (*p == T_STR)
		q += v;
	return (size_t)(q - p);
}

static void
tab_row(struct out *o)
{
	unsigned char	*p, *start;
	size_t		 i, c, w, need, prev, len;
	int		 tag;

	need = o->tab_len + o->nsel * 11 + o->arena_len;
	if (o->tab == NULL || need > o->tab_cap)
		o->tab = grow(o->tab, &o->tab_cap, need, 4096);
	p = o->tab + o->tab_len;
	for (i = 0; i < o->nsel; i++) {
		c = o->sel[i];
		if (o->row[c].off == OUT_NULL) {
			*p++ = T_NULL;
			if (o->width[i] < 1)
				o->width[i] = 1;
			continue;
		}
		w = o->row[c].len;
		if (w > o->width[i])
			o->width[i] = w;
		start = p;
		tag = o->rowtag[c];
		if (tag == V_TEXT) {
			*p++ = T_STR;
			p = put_varint(p, w);
			memcpy(p, o->arena + o->row[c].off, w);
			p += w;
		} else {
			*p++ = tag == V_UNUM ? T_UNUM : tag == V_NEG ? T_NEG :
			    T_TIME;
			p = put_varint(p, o->rowval[c]);
		}
		/* the same as the cell above: one byte */
		len = (size_t)(p - start);
		if ((prev = o->last[i]) != 0 &&
		    cell_len(o->tab + prev - 1) == len &&
		    memcmp(o->tab + prev - 1, start, len) == 0) {
			*start = T_REP;
			p = start + 1;
		} else
			o->last[i] = (size_t)(start - o->tab) + 1;
	}
	o->tab_len = (size_t)(p - o->tab);
	o->nrows++;
}

/*
 * The cell at p, shown column i: its text in *s (NULL: null) and *len,
 * numbers formatted in tmp; returns the next cell.
 */
static const unsigned char *
tab_cell(struct out *o, const unsigned char *p, size_t i, char tmp[static 64],
    const char **s, size_t *len)
{
	const unsigned char	*q;
	unsigned long long	 v;
	char			*t;
	int			 tag = *p;

	if (tag == T_REP) {
		tab_cell(o, o->tab + o->last[i] - 1, i, tmp, s, len);
		return p + 1;
	}
	if (tag == T_NULL) {
		*s = NULL;
		*len = 1;
		return p + 1;
	}
	o->last[i] = (size_t)(p - o->tab) + 1;
	q = get_varint(p + 1, &v);
	switch (tag) {
	case T_STR:
		*s = (const char *)q;
		*len = (size_t)v;
		return q + v;
	case T_TIME:
		*len = time_text((time_t)(v >> 1) ^ -(time_t)(v & 1), s);
		if (o->short_times && !o->vertical)
			*len = short_time(*s, *len, tmp);
		else
			memcpy(tmp, *s, *len);
		*s = tmp;
		return q;
	default:
		t = fmt_ull(v, tmp + 64);
		if (tag == T_NEG)
			*--t = '-';
		*s = t;
		*len = (size_t)(tmp + 64 - t);
		return q;
	}
}

/* ---- printers ---- */

/*
 * A JSON string: escapes what JSON needs, and writes bytes that are not
 * UTF-8 (a POSIX name may hold any) as U+FFFD, so the document stays valid.
 */
static void
json_string(struct out *o, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, j, k;
	unsigned char		c;
	char			*p;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
			break;
	}
	if (i == len) {		/* nothing to escape */
		p = line_room(o, len + 2);
		p[0] = '"';
		memcpy(p + 1, s, len);
		p[len + 1] = '"';
		o->line_len += len + 2;
		return;
	}
	p = line_room(o, 6 * len + 2);
	j = 0;
	p[j++] = '"';
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			p[j++] = '\\';
			p[j++] = (char)c;
		} else if (c == '\n') {
			p[j++] = '\\';
			p[j++] = 'n';
		} else if (c == '\t') {
			p[j++] = '\\';
			p[j++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(p + j, "\\u00", 4);
			p[j + 4] = hex[c >> 4];
			p[j + 5] = hex[c & 15];
			j += 6;
		} else if (c >= 0x80) {
			k = utf8_seq((const unsigned char *)s + i, len - i);
			if (k == 2 && c == 0xc2 && (unsigned char)s[i + 1] <
			    0xa0) {
				/* a C1 control, escaped as C0 ones are */
				c = (unsigned char)s[++i];
				memcpy(p + j, "\\u00", 4);
				p[j + 4] = hex[c >> 4];
				p[j + 5] = hex[c & 15];
				j += 6;
			} else if (k == 0) {
				memcpy(p + j, "\\ufffd", 6);
				j += 6;
			} else {
				memcpy(p + j, s + i, k);
				j += k;
				i += k - 1;
			}
		} else
			p[j++] = (char)c;
	}
	p[j++] = '"';
	o->line_len += j;
}

/* raw: a field per cell, escaped as manifests are (name_escape) */
static void
raw_string(struct out *o, const char *s, size_t len)
{
	o->line_len += name_escape(s, len, line_room(o, 4 * len + 1));
}

/* export: NAME="value", safe inside double quotes for sh */
static void
export_pair(struct out *o, const char *name, const char *s, size_t len,
    bool null)
{
	const char	*p;
	char		*esc;
	size_t		 i;

	for (p = name; *p != '\0'; p++) {
		if (*p == '%')
			line_put(o, "_PCT", 4);
		else if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			line_putc(o, *p);
		else
			line_putc(o, '_');
	}
	line_put(o, "=\"", 2);
	if (!null) {
		/* one line per record: the name escaping first */
		if ((esc = malloc(4 * len + 1)) == NULL)
			die_errno(errno, "cannot allocate");
		len = name_escape(s, len, esc);
		for (i = 0; i < len; i++) {
			if (strchr("\"\\$`", esc[i]) != NULL)
				line_putc(o, '\\');
			line_putc(o, esc[i]);
		}
		free(esc);
	}
	line_putc(o, '"');
}

/* A new line and the indentation of depth + extra. */
static void
json_indent(struct out *o, int extra)
{
	int	n = 2 * (o->depth + extra);

	line_putc(o, '\n');
	if (n > 0)
		line_pad(o, (size_t)n);
}

/*
 * Once the depth is known: ',\n      "name":' for each shown column, so
 * that a cell's name is one copy.
 */
static void
json_keys(struct out *o)
{
	const char	*p;
	size_t		 i;

	o->line_len = 0;
	for (i = 0; i < o->nsel; i++) {
		o->jkey[i] = o->line_len;
		line_putc(o, ',');
		json_indent(o, 2);
		line_putc(o, '"');
		for (p = o->cols[o->sel[i]].name; *p != '\0'; p++)
			line_putc(o, *p >= 'A' && *p <= 'Z' ?
			    (char)(*p - 'A' + 'a') : *p);
		line_put(o, "\":", 2);
	}
	o->jkey[i] = o->line_len;
	free(o->jkeys);
	o->jkeys = o->line;
	o->line = NULL;
	o->line_len = o->line_cap = 0;
}

static void
json_cells(struct out *o)
{
	const struct out_column	*col;
	const char		*s;
	size_t			 i, c, k;

	for (i = 0; i < o->nsel; i++) {
		c = o->sel[i];
		col = &o->cols[c];
		k = i > 0 ? 0 : 1;	/* no comma before the first */
		line_put(o, o->jkeys + o->jkey[i] + k,
		    o->jkey[i + 1] - o->jkey[i] - k);
		if (o->row[c].off == OUT_NULL) {
			line_put(o, "null", 4);
			continue;
		}
		s = o->arena + o->row[c].off;
		if (col->type == COL_NUM || col->type == COL_SIZE ||
		    col->type == COL_BOOL)
			line_put(o, s, o->row[c].len);
		else
			json_string(o, s, o->row[c].len);
	}
}

void
out_begin(struct out *o, const char *section)
{
	if (o->format != OUT_JSON)
		return;
	if (o->parent != NULL) {
		o->depth = o->parent->depth + 2;
		line_putc(o, ',');
		json_indent(o, 0);
	} else {
		if (o->first_section)
			line_putc(o, '{');
		else
			line_putc(o, ',');
		o->depth = 1;
		json_indent(o, 0);
	}
	o->first_section = false;
	json_string(o, section, strlen(section));
	line_put(o, ": [", 3);
	line_flush(o);
	o->first_row = true;
	json_keys(o);
}

static void
flat_row(struct out *o)
{
	const struct out_cell	*row = o->row;
	size_t			 i, c;
	bool			 null;

	for (i = 0; i < o->nsel; i++) {
		c = o->sel[i];
		null = row[c].off == OUT_NULL;
		if (i > 0)
			line_putc(o, ' ');
		if (o->format == OUT_EXPORT)
			export_pair(o, o->cols[c].name,
			    null ? NULL : o->arena + row[c].off, row[c].len,
			    null);
		else if (null)
			line_putc(o, '-');
		else
			raw_string(o, o->arena + row[c].off, row[c].len);
	}
	line_putc(o, '\n');
}

static void
row_reset(struct out *o)
{
	size_t	i;

	for (i = 0; i < o->nsel; i++)
		o->row[o->sel[i]].off = OUT_NULL;
	o->arena_len = 0;
}

/* The row's cells are all given: store or print them; close: the row too */
static void
row_cells_done(struct out *o, bool close)
{
	switch (o->format) {
	case OUT_JSON:
		if (!o->first_row)
			line_putc(o, ',');
		o->first_row = false;
		json_indent(o, 1);
		line_putc(o, '{');
		json_cells(o);
		if (close) {
			json_indent(o, 1);
			line_putc(o, '}');
		}
		line_flush(o);
		break;
	case OUT_RAW:
	case OUT_EXPORT:
		flat_row(o);
		line_flush(o);
		break;
	case OUT_TABLE:
		tab_row(o);
		break;
	}
	row_reset(o);
}

void
out_row(struct out *o)
{
	row_cells_done(o, true);
}

void
out_row_open(struct out *o)
{
	row_cells_done(o, false);
	o->row_open = true;
}

void
out_row_close(struct out *o)
{
	if (o->format == OUT_JSON) {
		json_indent(o, 1);
		line_putc(o, '}');
		line_flush(o);
	}
	o->row_open = false;
}

static void
table_print(struct out *o)
{
	const struct out_column	*col;
	const unsigned char	*p = o->tab;
	const char		*s;
	char			 tmp[64];
	size_t			 r, i, w, len, namew = 0;
	bool			 right;

	for (i = 0; i < o->nsel; i++) {
		w = strlen(o->cols[o->sel[i]].name);
		if (o->headings && w > o->width[i])
			o->width[i] = w;
		if (w > namew)
			namew = w;
		o->last[i] = 0;
	}
	if (o->vertical) {
		for (r = 0; r < o->nrows; r++) {
			if (r > 0)
				line_putc(o, '\n');
			for (i = 0; i < o->nsel; i++) {
				col = &o->cols[o->sel[i]];
				p = tab_cell(o, p, i, tmp, &s, &len);
				w = strlen(col->name);
				line_put(o, col->name, w);
				line_pad(o, namew - w + 2);
				if (s == NULL)
					line_putc(o, '-');
				else
					line_put(o, s, len);
				line_putc(o, '\n');
			}
			line_flush(o);
		}
		return;
	}
	if (o->headings) {
		for (i = 0; i < o->nsel; i++) {
			col = &o->cols[o->sel[i]];
			right = col->type == COL_NUM || col->type == COL_SIZE;
			w = strlen(col->name);
			if (right)
				line_pad(o, o->width[i] - w);
			line_put(o, col->name, w);
			if (i + 1 < o->nsel) {
				if (!right)
					line_pad(o, o->width[i] - w);
				line_putc(o, ' ');
			}
		}
		line_putc(o, '\n');
	}
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->nsel; i++) {
			col = &o->cols[o->sel[i]];
			right = col->type == COL_NUM || col->type == COL_SIZE;
			p = tab_cell(o, p, i, tmp, &s, &len);
			if (right)
				line_pad(o, o->width[i] - len);
			if (s == NULL)
				line_putc(o, '-');
			else
				line_put(o, s, len);
			if (i + 1 < o->nsel) {
				if (!right)
					line_pad(o, o->width[i] - len);
				line_putc(o, ' ');
			}
		}
		line_putc(o, '\n');
		if (o->line_len >= 32768)
			line_flush(o);
	}
	line_flush(o);
}

void
out_end(struct out *o)
{
	switch (o->format) {
	case OUT_JSON:
		if (o->first_row)
			line_putc(o, ']');
		else {
			json_indent(o, 0);
			line_putc(o, ']');
		}
		line_flush(o);
		break;
	case OUT_TABLE:
		table_print(o);
		o->nrows = 0;
		o->tab_len = 0;
		memset(o->width, 0, sizeof o->width);
		memset(o->last, 0, sizeof o->last);
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
	free(o->tab);
	free(o->line);
	free(o->jkeys);
	o->arena = NULL;
	o->tab = NULL;
	o->line = NULL;
	o->jkeys = NULL;
	o->arena_cap = o->tab_cap = o->line_cap = 0;
	o->arena_len = o->tab_len = o->line_len = 0;
}

/* The owner and permission cells of every stat (struct owner_cells). */
void
out_owner(struct out *o, const struct owner_cells *c)
{
	char	kbuf[11], pbuf[8];
	uid_t	cuid = c->cuid;
	gid_t	cgid = c->cgid;

	if (c->name != NULL) {
		out_str(o, OC_NAME, c->name);
		/* a POSIX object's creator is its file's owner, as in list */
		cuid = c->uid;
		cgid = c->gid;
	} else {
		out_str(o, OC_KEY, fmt_key(c->key, kbuf));
		out_num(o, OC_ID, c->id);
	}
	out_num(o, OC_CUID, cuid);
	out_num(o, OC_CGID, cgid);
	out_str(o, OC_CUSER, user_name(cuid));
	out_str(o, OC_CGROUP, group_name(cgid));
	out_str(o, OC_PERMS, fmt_perms(c->mode, pbuf));
	out_str(o, OC_OWNER, user_name(c->uid));
	out_str(o, OC_USER, user_name(c->uid));
	out_str(o, OC_GROUP, group_name(c->gid));
	out_num(o, OC_UID, c->uid);
	out_num(o, OC_GID, c->gid);
}
