/* SPDX-License-Identifier: ISC */
/*
 * Record output: aligned tables (as lsipc), --raw, --json, --export, with
 * -o COLS / -o +COLS and --no-headings.  Commands describe their columns
 * once, fill cells by column index and end each row; the printer keeps only
 * what the chosen columns need.
 *
 * libsmartcols does this too, but linking it costs every invocation about a
 * fifth of a process start (the sem hot path pays it) and it is several
 * times slower than the kernel's own /proc text on 70,000 rows; this file
 * is the small part of it that ipctool needs.
 */
#ifndef IPCTOOL_OUTPUT_H
#define IPCTOOL_OUTPUT_H

#include <sys/types.h>

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum out_format {
	OUT_TABLE = 0,
	OUT_RAW,
	OUT_JSON,
	OUT_EXPORT
};

enum col_type {
	COL_STR = 0,		/* text, left aligned */
	COL_NUM,		/* a number, right aligned, JSON number */
	COL_SIZE,		/* bytes: a number, human with --human */
	COL_TIME,		/* ISO 8601, compact in tables; 0 is null */
	COL_KEY,		/* 0x%08x, a JSON string */
	COL_BOOL,		/* "true" or "false", a JSON boolean */
	COL_PERMS		/* given as octal text ("0600"): a string;
				   rw------- in tables (out_opts) */
};

#define COL_DEFAULT	0x01	/* shown without -o */

/* arrays, not pointers: see struct opt (table.h) */
#define OUT_COL_NAME_MAX	16
#define OUT_COL_HELP_MAX	64
struct out_column {
	char		 name[OUT_COL_NAME_MAX];	/* upper case, as lsipc */
	enum col_type	 type;
	int		 flags;
	char		 help[OUT_COL_HELP_MAX];	/* "": none */
};

#define OUT_MAXCOLS	64

/* A cell of the current row: text in the arena */
#define OUT_NULL	UINT32_MAX
struct out_cell {
	uint32_t	 off;		/* into the arena; OUT_NULL: null */
	uint32_t	 len;
};

struct out {
	FILE			*f;
	enum out_format		 format;
	bool			 headings;
	bool			 human;
	bool			 vertical;	/* table: NAME value lines */
	/* tables but vertical ones: times as ls (12:04, Nov 30) */
	bool			 short_times;
	/* tables: PERMS as rw------- (else the octal text given) */
	bool			 symbolic_perms;
	const struct out_column	*cols;
	size_t			 ncols;
	size_t			 sel[OUT_MAXCOLS];	/* chosen, in order */
	size_t			 nsel;
	int			 map[OUT_MAXCOLS];	/* column -> sel or -1 */
	/* the current row: text in the arena, and what made it */
	struct out_cell		 row[OUT_MAXCOLS];
	unsigned char		 rowtag[OUT_MAXCOLS];
	unsigned long long	 rowval[OUT_MAXCOLS];
	char			*arena;
	size_t			 arena_len, arena_cap;
	/*
	 * Table mode keeps every row until out_end, encoded a few bytes a
	 * cell (numbers and times as values, a repeat of the cell above as
	 * one byte): see output.c.
	 */
	unsigned char		*tab;
	size_t			 tab_len, tab_cap;
	size_t			 last[OUT_MAXCOLS];	/* last literal */
	size_t			 nrows;
	size_t			 width[OUT_MAXCOLS];
	/* output is built a row at a time */
	char			*line;
	size_t			 line_len, line_cap;
	/* JSON state: the names of the cells, with their indentation */
	char			*jkeys;
	size_t			 jkey[OUT_MAXCOLS + 1];
	int			 depth;
	bool			 first_section, first_row, row_open;
	struct out		*parent;
};

/* Columns by name: "A,B" replaces the defaults, "+A,B" adds to them. */
int	out_init(struct out *o, FILE *f, enum out_format fmt,
	    const struct out_column *cols, size_t ncols, const char *spec,
	    const char **bad);
/* Whether column c is printed (so its value need not be computed). */
static inline bool
out_wants(const struct out *o, size_t c)
{
	return o->map[c] >= 0;
}
/* JSON: opens the document; sections are arrays named section. */
void	out_begin(struct out *o, const char *section);
void	out_str(struct out *o, size_t col, const char *s);
void	out_num(struct out *o, size_t col, long long v);
void	out_unum(struct out *o, size_t col, unsigned long long v);
/* A count in a COL_SIZE column: a number, never humanised by --human. */
void	out_count(struct out *o, size_t col, unsigned long long v);
void	out_time(struct out *o, size_t col, time_t t);
void	out_null(struct out *o, size_t col);
void	out_row(struct out *o);
/*
 * JSON only: ends the row's cells but leaves its object open, so that a
 * child out (child->parent = o) can add a named array inside it; then
 * out_row_close().
 */
void	out_row_open(struct out *o);
void	out_row_close(struct out *o);
void	out_end(struct out *o);
/* JSON: closes the document; frees what o holds. */
void	out_finish(struct out *o);
/* Frees what o holds, leaving a JSON document open for another out. */
void	out_free(struct out *o);
/*
 * next goes on in prev's JSON document (another section, other columns):
 *	out_begin(&a, "x"); ... out_end(&a); out_continue(&b, &a);
 *	out_free(&a); out_begin(&b, "y"); ... out_end(&b); out_finish(&b);
 */
void	out_continue(struct out *next, const struct out *prev);
/* ids of the long-only output options (table.h's range for shared sets) */
#define OUT_OPT_TIME_FORMAT	(CHAR_MAX + 136)
#define OUT_OPT_NUMERIC_PERMS	(CHAR_MAX + 137)
struct out_opts {
	enum out_format	 format;
	const char	*spec;
	bool		 no_headings;
	bool		 human;
	bool		 iso_times;	/* --time-format=iso */
	bool		 numeric_perms;	/* --numeric-perms */
};
/* Returns true if c was an output option. */
bool	out_opt(struct out_opts *oo, int c, const char *arg);
/* out_init from the options; exits 2 on an unknown column. */
void	xout_init(struct out *o, const struct out_opts *oo,
	    const struct out_column *cols, size_t ncols);
/* The same with the default columns named ("A,B,C") instead of flagged. */
void	xout_init_defaults(struct out *o, const struct out_opts *oo,
	    const struct out_column *cols, size_t ncols, const char *defaults);
/*
 * The ownership columns that every stat record starts with, at the same
 * indices in sem, shm and mq stat; out_owner() fills them.
 */
#define OWNER_COLUMNS							\
	{ "KEY", COL_KEY, COL_DEFAULT, "the key" },			\
	{ "ID", COL_NUM, COL_DEFAULT, "the identifier" },		\
	{ "NAME", COL_STR, COL_DEFAULT, "the POSIX name" },		\
	{ "PERMS", COL_PERMS, COL_DEFAULT, "permissions" },		\
	{ "OWNER", COL_STR, COL_DEFAULT, "owner's user name" },		\
	{ "UID", COL_NUM, COL_DEFAULT, "owner's user id" },		\
	{ "GID", COL_NUM, COL_DEFAULT, "owner's group id" },		\
	{ "CUID", COL_NUM, COL_DEFAULT, "creator's user id" },		\
	{ "CGID", COL_NUM, COL_DEFAULT, "creator's group id" },		\
	{ "USER", COL_STR, 0, "owner's user name" },			\
	{ "GROUP", COL_STR, 0, "owner's group name" },			\
	{ "CUSER", COL_STR, 0, "creator's user name" },			\
	{ "CGROUP", COL_STR, 0, "creator's group name" }
enum { OC_KEY, OC_ID, OC_NAME, OC_PERMS, OC_OWNER, OC_UID, OC_GID, OC_CUID,
	OC_CGID, OC_USER, OC_GROUP, OC_CUSER, OC_CGROUP, OC_COUNT };

struct owner_cells {
	const char	*name;		/* POSIX "/NAME"; NULL for System V */
	key_t		 key;
	int		 id;
	mode_t		 mode;
	uid_t		 uid, cuid;	/* cuid, cgid: System V (POSIX: uid) */
	gid_t		 gid, cgid;
};
void	out_owner(struct out *o, const struct owner_cells *c);

/* ---- who.c: who uses and waits on an object ---- */
struct ipc_select;
struct ipc_obj;
struct waiter;
/* A row's nested JSON arrays "processes" and "waiters". */
void	who_json_procs(struct out *parent, const struct ipc_select *s,
	    const pid_t *p, size_t n);
void	who_json_waiters(struct out *parent, const struct ipc_select *s,
	    const struct waiter *w, size_t n);
/*
 * Ends stat's record rec (in place of out_row and out_end) with the
 * processes using ob and its waiters: nested arrays in JSON, tables after
 * it in a table.  waiting: the kernel's count of waiters (a semaphore
 * set's NCOUNT + ZCOUNT), -1 if it keeps none.
 */
/* The same after a record: nested in parent (JSON), or tables. */
void	who_sections(struct out *parent, const struct out_opts *oo,
	    const struct ipc_obj *ob, long long waiting);
void	who_stat(struct out *rec, const struct out_opts *oo,
	    const struct ipc_obj *ob, long long waiting);

#endif
