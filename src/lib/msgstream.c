/* SPDX-License-Identifier: ISC */
/*
 * Message streams: lines of a descriptor into messages, and messages of
 * either family's queue out to a descriptor without losing one.
 *
 * The receiver holds what it took off the queue in its buffer until a
 * write took it; when a write fails, or a caught terminating signal
 * stops it, every message that did not get out whole is sent back to
 * the queue, in order, with its type or priority.  MSG_COPY (peek,
 * write, remove: ipc_msgrx_commit) is for receivers that cannot put back:
 * between the peek and the removal another receiver can take the same
 * message, and both would write it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ipc.h"

/* descriptors are read in chunks of this size */
#define IO_CHUNK	(256 * 1024)

/* read(2), again after a stop and continue; EINTR after a caught signal */
static ssize_t
read_fd(int fd, char *buf, size_t len)
{
	ssize_t	n;

	for (;;) {
		/* a signal that lands between two reads ends the next wait */
		if (ipc_wait_input(fd, true) == -1)
			return -1;
		if ((n = read(fd, buf, len)) >= 0)
			return n;
		if (errno != EINTR || ipc_caught_signal)
			return -1;
	}
}

int
ipc_read_all(int fd, char *buf, size_t limit, size_t *len)
{
	ssize_t	n;

	/* never more than fits: limit + 1 bytes tell */
	*len = 0;
	for (;;) {
		if ((n = read_fd(fd, buf + *len, limit + 1 - *len)) == -1)
			return -1;
		if (n == 0)
			return 0;
		*len += (size_t)n;
		if (*len > limit) {
			errno = EMSGSIZE;
			return -1;
		}
	}
}

int
ipc_lines_check(int fd, size_t limit, unsigned long long *line)
{
	struct stat	 st;
	off_t		 off;
	ssize_t		 n;
	size_t		 len = 0;
	char		*buf, *p, *end, *nl;

	*line = 1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (off = lseek(fd, 0, SEEK_CUR)) == -1)
		return 0;
	if ((buf = malloc(IO_CHUNK)) == NULL)
		return -1;
	while ((n = pread(fd, buf, IO_CHUNK, off)) > 0) {
		off += n;
		for (p = buf, end = buf + n; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			len += (size_t)((nl != NULL ? nl : end) - p);
			if (len > limit) {
				free(buf);
				errno = EMSGSIZE;
				return -1;
			}
			if (nl == NULL)
				break;
			len = 0;
			(*line)++;
		}
	}
	free(buf);
	return 0;
}

int
ipc_lines_init(struct ipc_lines *l, int fd)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
	if ((l->buf = malloc(IO_CHUNK)) == NULL)
		return -1;
	return 0;
}

void
ipc_lines_free(struct ipc_lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

int
ipc_lines_next(struct ipc_lines *l, char *out, size_t limit, size_t *len)
{
	ssize_t	 n;
	size_t	 seg;
	char	*p, *nl;
	bool	 some = false;

	*len = 0;
	for (;;) {
		if (l->off == l->end) {
			if (l->eof)
				return some ? 1 : 0;
			if ((n = read_fd(l->fd, l->buf, IO_CHUNK)) == -1)
				return -1;
			l->off = 0;
			l->end = (size_t)n;
			if (n == 0) {
				/* a last line without its newline is one too */
				l->eof = true;
				return some ? 1 : 0;
			}
		}
		p = l->buf + l->off;
		nl = memchr(p, '\n', l->end - l->off);
		seg = (size_t)((nl != NULL ? nl : l->buf + l->end) - p);
		if (seg > limit - *len) {
			errno = EMSGSIZE;
			return -1;
		}
		memcpy(out + *len, p, seg);
		*len += seg;
		some = true;
		if (nl != NULL) {
			l->off += seg + 1;
			return 1;
		}
		l->off = l->end;
	}
}

/* ---- the receiver ---- */

/* A message in the output buffer, not yet written out whole. */
struct ipc_msgrx_held {
	size_t		 end;		/* where its output ends */
	size_t		 body;		/* where its body starts */
	size_t		 len;		/* the body's length */
	size_t		 cut;		/* bytes of it not in the output */
	long		 type;		/* type, or priority */
	bool		 taken;		/* off the queue (not a copy) */
};

int
ipc_msgrx_init(struct ipc_msgrx *r, const struct ipc_mq *q, size_t max,
    int flags)
{
	memset(r, 0, sizeof *r);
	r->q = q;
	r->flags = flags;
	r->mbmax = max;
	r->ocap = max + 64;
	if ((r->mb = malloc(sizeof *r->mb + max)) == NULL ||
	    (r->ob = malloc(r->ocap)) == NULL) {
		free(r->mb);
		r->mb = NULL;
		return -1;
	}
	return 0;
}

void
ipc_msgrx_free(struct ipc_msgrx *r)
{
	free(r->ob);
	free(r->held);
	free(r->mb);
	free(r->mb2);
	r->ob = NULL;
	r->held = NULL;
	r->mb = NULL;
	r->mb2 = NULL;
}

/* Appends the message in r->mb, as it is written out (r->keep bytes). */
static int
rx_append(struct ipc_msgrx *r, long type, size_t len, bool taken)
{
	struct ipc_msgrx_held	*h;
	size_t			 need, cap, cut = 0;
	char			*ob;
	int			 k;

	r->len = len;
	if (r->keep > 0 && len > r->keep) {
		cut = len - r->keep;
		len = r->keep;
	}
	r->cut = cut;
	need = len + 32;

	if (r->ocap - r->olen < need) {
		cap = r->olen + need > 2 * r->ocap ? r->olen + need :
		    2 * r->ocap;
		if ((ob = realloc(r->ob, cap)) == NULL)
			return -1;
		r->ob = ob;
		r->ocap = cap;
	}
	if (r->nheld == r->hcap) {
		cap = r->hcap ? 2 * r->hcap : 16;
		if ((h = reallocarray(r->held, cap, sizeof *h)) == NULL)
			return -1;
		r->held = h;
		r->hcap = cap;
	}
	if (r->flags & IPC_RX_PRINT_TYPE) {
		k = snprintf(r->ob + r->olen, 32, "%ld\t", type);
		r->olen += (size_t)k;
	}
	h = &r->held[r->nheld++];
	h->body = r->olen;
	h->len = len;
	h->cut = cut;
	h->type = type;
	h->taken = taken;
	memcpy(r->ob + r->olen, r->mb->mtext, len);
	r->olen += len;
	if (r->flags & IPC_RX_LINES)
		r->ob[r->olen++] = '\n';
	h->end = r->olen;
	return 0;
}

ssize_t
ipc_msgrx_take(struct ipc_msgrx *r, long type, int flags,
    const struct timespec *deadline)
{
	unsigned int	prio = 0;
	ssize_t		n;
	long		got;
	int		e;

	if (r->q->posix && (flags & IPC_MSG_COPY)) {
		errno = ENOTSUP;
		return -1;
	}
	if (r->q->posix) {
		n = ipc_pmq_receive(r->q->pq, r->mb->mtext, r->mbmax, &prio,
		    flags & IPC_MSG_NOWAIT, deadline);
		got = (long)prio;
	} else {
		n = ipc_msg_receive(r->q->id, r->mb, r->mbmax, type, flags,
		    deadline);
		got = r->mb->mtype;
	}
	if (n == -1)
		return -1;
	if (rx_append(r, got, (size_t)n, !(flags & IPC_MSG_COPY)) == -1) {
		e = errno;
		if (flags & IPC_MSG_COPY) {
			errno = e;
			return -1;
		}
		/* it is off the queue: back with it */
		r->mb->mtype = got;
		if (r->q->posix)
			(void)ipc_pmq_send(r->q->pq, r->mb->mtext, (size_t)n,
			    prio, false, NULL);
		else
			(void)ipc_msg_send(r->q->id, r->mb, (size_t)n, false,
			    NULL);
		errno = e;
		return -1;
	}
	return n;
}

int
ipc_msgrx_commit(struct ipc_msgrx *r)
{
	struct ipc_msgbuf	*t;
	ssize_t			 n;

	if (r->mb2 == NULL && (r->mb2 = malloc(sizeof *r->mb2 + r->mbmax)) ==
	    NULL)
		return -1;
	/* the copy was the first message, so the first of its type */
	n = ipc_msg_receive(r->q->id, r->mb2, r->mbmax, r->mb->mtype,
	    IPC_MSG_NOWAIT, NULL);
	if (n == -1)
		return errno == EAGAIN || errno == E2BIG ? 1 : -1;
	if ((size_t)n == r->len && r->mb2->mtype == r->mb->mtype &&
	    memcmp(r->mb2->mtext, r->mb->mtext, r->len) == 0)
		return 0;
	/* the copy's message went to another receiver: this one is ours */
	t = r->mb;
	r->mb = r->mb2;
	r->mb2 = t;
	if (rx_append(r, r->mb->mtype, (size_t)n, true) == -1) {
		(void)ipc_msg_send(r->q->id, r->mb, (size_t)n, false, NULL);
		return -1;
	}
	return 2;
}

int
ipc_msgrx_wait(struct ipc_msgrx *r, long type, int flags,
    const struct timespec *deadline)
{
	int	rv;

	if (r->q->posix) {
		errno = ENOTSUP;
		return -1;
	}
	if ((rv = ipc_msg_wait(r->q->id, r->mb, type, flags, deadline)) != 1)
		return rv;
	if (rx_append(r, r->mb->mtype, 0, true) == -1) {
		(void)ipc_msg_send(r->q->id, r->mb, 0, false, NULL);
		return -1;
	}
	return 1;
}

int
ipc_msgrx_grow(struct ipc_msgrx *r)
{
	struct ipc_msg_info	 info;
	struct ipc_msgbuf	*mb;
	size_t			 n = 2 * r->mbmax;

	if (ipc_msg_stat(r->q->id, &info) == 0 && info.qbytes > n)
		n = info.qbytes;
	if (n > (size_t)INT_MAX)
		n = INT_MAX;
	if (n <= r->mbmax) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((mb = malloc(sizeof *mb + n)) == NULL)
		return -1;
	free(r->mb);
	r->mb = mb;
	r->mbmax = n;
	/* ipc_msgrx_commit's, made again as large when it is needed */
	free(r->mb2);
	r->mb2 = NULL;
	return 0;
}

/* Sends back what was not written from first on; returns how many. */
static size_t
rx_put_back(struct ipc_msgrx *r, size_t first)
{
	struct timespec		 rel = { 5, 0 }, deadline;
	struct ipc_msgrx_held	*h;
	size_t			 i;
	int			 rv, sig;

	if (r->q->posix && !(ipc_pmq_access(r->q->pq) & IPC_PMQ_WRITE))
		return 0;
	if (ipc_deadline(&rel, &deadline) == -1)
		return 0;
	/* waits for room as if no signal had come; a new one ends it */
	sig = ipc_cleanup_begin();
	for (i = first; i < r->nheld; i++) {
		h = &r->held[i];
		if (!h->taken)
			continue;	/* a copy: the message is queued */
		/*
		 * A message cut by keep goes back whole: it is the last
		 * taken (one at a time), still whole in r->mb.
		 */
		if (h->cut > 0 && i + 1 == r->nheld) {
			if (r->q->posix)
				rv = ipc_pmq_send_within(r->q->pq,
				    r->mb->mtext, h->len + h->cut,
				    (unsigned int)h->type, &deadline);
			else
				rv = ipc_msg_send(r->q->id, r->mb,
				    h->len + h->cut, false, &deadline);
		} else if (r->q->posix)
			rv = ipc_pmq_send_within(r->q->pq, r->ob + h->body,
			    h->len, (unsigned int)h->type, &deadline);
		else {
			r->mb->mtype = h->type;
			memcpy(r->mb->mtext, r->ob + h->body, h->len);
			rv = ipc_msg_send(r->q->id, r->mb, h->len, false,
			    &deadline);
		}
		if (rv == -1)
			break;
	}
	ipc_cleanup_end(sig);
	return i - first;
}

int
ipc_msgrx_flush(struct ipc_msgrx *r, int fd, struct ipc_msgrx_loss *loss)
{
	size_t	off = 0, first, i;
	ssize_t	n;
	int	e;

	memset(loss, 0, sizeof *loss);
	while (off < r->olen) {
		/* after a caught signal, what the pipe takes without a wait */
		if (ipc_wait_begin(false) == -1)
			break;
		n = write(fd, r->ob + off, r->olen - off);
		e = errno;
		ipc_wait_end();
		errno = e;
		if (n >= 0) {
			off += (size_t)n;
			/*
			 * A pipe write comes back short only when a signal
			 * interrupted it: after a terminating one, a reader
			 * that does not read must not hold us.
			 */
			if (off < r->olen && ipc_caught_signal) {
				errno = EINTR;
				break;
			}
			continue;
		}
		/* a stop and continue: go on; a terminating signal: stop */
		if (errno == EINTR && !ipc_caught_signal)
			continue;
		break;
	}
	if (off == r->olen) {
		r->written += r->nheld;
		r->olen = 0;
		r->nheld = 0;
		return 0;
	}
	e = errno;
	for (first = 0; first < r->nheld && r->held[first].end <= off;
	    first++)
		continue;
	r->written += first;
	loss->left = r->nheld - first;
	loss->partial = off > (first > 0 ? r->held[first - 1].end : 0);
	for (i = first; i < r->nheld; i++)
		if (!r->held[i].taken)
			loss->queued++;
	loss->back = rx_put_back(r, first);
	r->olen = 0;
	r->nheld = 0;
	errno = e;
	return -1;
}
