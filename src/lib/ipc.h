/* SPDX-License-Identifier: ISC */
/*
 * ipctool internal library: every system call ipctool makes goes through
 * here.  Functions return 0 (or a count) on success and -1 with errno set on
 * failure; they never print and never exit.
 */
#ifndef IPCTOOL_LIB_IPC_H
#define IPCTOOL_LIB_IPC_H

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef HAVE_UNION_SEMUN
union semun {
	int			 val;
	struct semid_ds		*buf;
	unsigned short		*array;
	struct seminfo		*__buf;
};
#endif

#ifndef SEMVMX
#define SEMVMX		32767
#endif

/* Where glibc keeps POSIX shared memory and semaphores. */
#define IPC_SHM_DIR		"/dev/shm"

/*
 * Largest POSIX name after the slash; semaphores live as IPC_PSEM_PREFIX
 * NAME (config.h: glibc's sem.NAME, musl's NAME).
 */
#define IPC_POSIX_NAME_MAX	NAME_MAX
#define IPC_PSEM_NAME_MAX	(NAME_MAX - (sizeof IPC_PSEM_PREFIX - 1))
/* a semaphore's file shares the shared memory objects' names (musl) */
#define IPC_PSEM_BESIDE_SHM	(IPC_PSEM_PREFIX[0] == '\0')

/* ---- naming an object ---- */
enum ipc_tkind {
	IPC_T_NONE = 0,
	IPC_T_KEY,		/* a key, written as a number or path:FILE[:PROJ] */
	IPC_T_ID,		/* id:N */
	IPC_T_POSIX,		/* /NAME */
	IPC_T_PRIVATE		/* private (IPC_PRIVATE) */
};

struct ipc_target {
	enum ipc_tkind	 kind;
	key_t		 key;
	int		 id;
	char		 name[NAME_MAX + 2];	/* "/NAME", NUL terminated */
	const char	*text;			/* as written by the user */
};

int	ipc_ftok(const char *path, int proj, key_t *key);

/* ---- waiting and signals ---- */
/*
 * Commands that block call ipc_catch_signals() first: every catchable
 * signal whose default is to terminate (SIGHUP, SIGINT, SIGQUIT, SIGTERM,
 * SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,
 * SIGPWR, the real-time signals; not SIGPIPE) then interrupts a wait (-1,
 * errno EINTR) and ipc_caught_signal holds the signal's number.  A signal
 * that was ignored when the process started stays ignored (nohup).  Any
 * other EINTR (a stop and continue, the timer's tick) is retried with the
 * time that is left.
 */
extern volatile sig_atomic_t ipc_caught_signal;
/*
 * A call that needs what configure found missing fails with ENOSYS and
 * names it here (as `info` does: "SEM_TIMEDWAIT").
 */
extern const char *ipc_unsupported;
int	ipc_not_supported(const char *);
int	ipc_catch_signals(void);
int	ipc_restore_signals(void);
/* A sigtimedwait that must end on a caught signal (see common.c). */
void	ipc_caught_sigset(sigset_t *);
void	ipc_take_signal(int, siginfo_t *);
/* SIGPIPE ignored: a reader that went away is EPIPE from write. */
int	ipc_ignore_sigpipe(void);
/* SIGXFSZ ignored: a write past RLIMIT_FSIZE fails with EFBIG. */
int	ipc_ignore_sigxfsz(void);

/*
 * A timer that interrupts a blocking call which has no timed form
 * (msgsnd, msgrcv): armed for an absolute CLOCK_MONOTONIC deadline, it
 * sends SIGALRM then, and again every 10 ms until disarmed.  It works
 * whatever SIGALRM's inherited disposition and mask: it installs the
 * handler and unblocks SIGALRM until ipc_restore_signals; a SIGALRM that
 * was ignored or blocked on entry is then told from the ticks and ignored.
 * After an EINTR, ipc_timer_expired() tells whether the deadline passed.
 */
int	ipc_timer_arm(const struct timespec *deadline);
int	ipc_timer_disarm(void);
bool	ipc_timer_expired(void);

/*
 * Around a call that can block and cannot take the signal mask
 * atomically (msgsnd, semop, mq_send, sem_wait, a write to a pipe).  A
 * signal caught after the caller's last look at ipc_caught_signal and
 * before the call is entered would leave it blocked; caught between
 * ipc_wait_begin and ipc_wait_end, it makes the timer tick at once and
 * every 10 ms, and a tick interrupts the call (EINTR).  With stop, a
 * signal caught already fails ipc_wait_begin (-1, EINTR) and the call is
 * not made; without, the ticks start at once: the call is made, and
 * cannot block for long.  Both do nothing before ipc_catch_signals.
 */
int	ipc_wait_begin(bool stop);
void	ipc_wait_end(void);
/*
 * Work that must be done after a caught signal (messages put back): the
 * signal is set aside, so that the calls wait as they would without it,
 * and a new one still ends them; ipc_cleanup_end(what begin returned)
 * puts it back unless a new one came.
 */
int	ipc_cleanup_begin(void);
void	ipc_cleanup_end(int);

/* Deadline helpers on CLOCK_MONOTONIC; a NULL deadline means forever. */
int	ipc_deadline(const struct timespec *rel, struct timespec *abs_out);
bool	ipc_time_left(const struct timespec *deadline, struct timespec *left);

/* ---- System V semaphores ---- */
struct ipc_sem_info {
	int		 id;
	key_t		 key;
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	mode_t		 mode;
	unsigned long	 nsems;
	time_t		 otime, ctime;
};

struct ipc_sem_member {
	int		 value;
	int		 ncount;
	int		 zcount;
	pid_t		 pid;
};

/* semget(key, 0, 0) or checks that id exists; sets *id. */
int	ipc_sem_open(const struct ipc_target *t, int *id);
/*
 * Creates a set of nsems members all with value, free of the
 * initialisation race: the values are set by one semop, which also sets
 * sem_otime, and openers wait for sem_otime != 0.  With key IPC_PRIVATE a
 * new set is always made; with random set, a random unused key is picked.
 * On EEXIST nothing was created.
 */
int	ipc_sem_create(key_t key, bool random, unsigned long nsems, int value,
	    mode_t mode, int *id, key_t *key_out);
/* The same with a value for each member (values[nsems]). */
int	ipc_sem_create_values(key_t key, bool random, unsigned long nsems,
	    const int *values, mode_t mode, int *id, key_t *key_out);
/* Waits until sem_otime != 0 (up to deadline): ETIMEDOUT if it never is. */
int	ipc_sem_wait_init(int id, const struct timespec *deadline);
int	ipc_sem_stat(int id, struct ipc_sem_info *info);
/* members must have room for info->nsems entries */
int	ipc_sem_members(int id, unsigned long nsems,
	    struct ipc_sem_member *members);
/*
 * One operation of a semop, in ipctool's terms (the library builds the
 * kernel's struct sembuf): add delta to member (a negative delta waits
 * until it can take it; 0 waits for zero), with IPC_SEMSTEP_* flags.
 */
#define IPC_SEMSTEP_NOWAIT	0x01	/* EAGAIN instead of waiting */
#define IPC_SEMSTEP_UNDO	0x02	/* undone when the process ends */
struct ipc_semstep {
	unsigned short	 member;
	short		 delta;
	unsigned int	 flags;
};
/*
 * One semop over nops operations; deadline NULL waits forever.  Fails with
 * EAGAIN when IPC_SEMSTEP_NOWAIT was given and it would block or when the
 * deadline passed, EIDRM when the set was removed while waiting, EINTR
 * when a caught terminating signal arrived.
 */
int	ipc_sem_op(int id, const struct ipc_semstep *ops, size_t nops,
	    const struct timespec *deadline);
/*
 * A hold taken in one or two semops (flags as the caller set them): the
 * second runs once the first succeeded, and if it fails the first is
 * given back (a writer's turnstile, then every reader unit).  At most
 * IPC_SEM_STEP_MAX operations in each.
 */
#define IPC_SEM_STEP_MAX	4
struct ipc_sem_steps {
	struct ipc_semstep	*ops[2];
	size_t		 nops[2];
};
int	ipc_sem_take(int id, const struct ipc_sem_steps *s,
	    const struct timespec *deadline);
/* Undoes what ipc_sem_take took, in one semop that never waits. */
int	ipc_sem_give_back(int id, const struct ipc_sem_steps *s);
int	ipc_sem_setval(int id, unsigned long index, int value);
int	ipc_sem_setall(int id, unsigned long nsems, int value);
int	ipc_sem_set_perm(int id, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode);
int	ipc_sem_remove(int id);

/*
 * ---- holders (sem acquire --for PID; lib/holder.c) ----
 * A process that takes a semaphore and keeps it until PID ends, a
 * terminating signal, or ipc_holder_release.  System V: steps as for
 * ipc_sem_take, SEM_UNDO added.  POSIX: psem_name and ps, one unit.
 */
#define IPC_HOLDER_SLOTS	64	/* holders of one object for one PID */
struct ipc_psem;
struct ipc_holder {
	int			 semid;
	struct ipc_sem_steps	 steps;
	const char		*psem_name;	/* POSIX: "/NAME", else NULL */
	struct ipc_psem		*ps;
	unsigned short		 index;	/* the member it is found by */
	pid_t			 pid;	/* held for */
	const struct timespec	*deadline;	/* NULL: forever */
	bool			 nowait;
	bool			 verbose;	/* call on_wait when it waits */
};
/*
 * Starts a holder and returns once it holds (*holder its pid), or -1 with
 * the wait's errno (EAGAIN busy or timed out, EINTR a caught signal, ESRCH
 * PID gone, ENOSPC every slot taken) and no holder left; -2 with errno
 * when the holder process could not be started (fork's EAGAIN is the
 * process limit, not a busy semaphore).
 */
int	ipc_holder_start(const struct ipc_holder *h, void (*on_wait)(void *),
	    void *arg, pid_t *holder);
/* Asks one holder of h's object, index and pid to give back: ENOENT none. */
int	ipc_holder_release(const struct ipc_holder *h);

/*
 * ---- POSIX named semaphores ----
 * An existing one is opened only when its file is a regular file of
 * exactly one sem_t (else IPC_EBADOBJ), and a wait, post or value that
 * faults on a file truncated under it fails with IPC_EBADOBJ.
 */
struct ipc_psem;
int	ipc_psem_create(const char *name, mode_t mode, unsigned int value,
	    bool exist_ok, bool *created, struct ipc_psem **out);
int	ipc_psem_open(const char *name, struct ipc_psem **out);
int	ipc_psem_close(struct ipc_psem *s);
/*
 * nowait is sem_trywait; a deadline needs sem_clockwait or sem_timedwait,
 * ENOSYS without (ipc_psem_timed tells first).
 */
int	ipc_psem_wait(struct ipc_psem *s, const struct timespec *deadline,
	    bool nowait);
bool	ipc_psem_timed(void);
int	ipc_psem_post(struct ipc_psem *s, unsigned int count);
int	ipc_psem_value(struct ipc_psem *s, int *value);
/*
 * The value of an existing semaphore, read through a read-only mapping
 * (read permission is enough): for list.
 */
int	ipc_psem_peek(const char *name, int *value);
int	ipc_psem_unlink(const char *name);
/* fstat of /dev/shm/sem.NAME */
struct ipc_posix_stat {
	off_t		 size;
	uid_t		 uid;
	gid_t		 gid;
	mode_t		 mode;
	struct timespec	 mtime, ctime, atime;
	dev_t		 dev;		/* the file */
	ino_t		 ino;
};
int	ipc_psem_stat(const char *name, struct ipc_posix_stat *st);
int	ipc_psem_set_perm(const char *name, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode);

/* ---- System V shared memory (lib/shm.c) ---- */
/* shmget(key, 0, 0), or checks that id exists; sets *id. */
int	ipc_shm_open(const struct ipc_target *t, int *id);
int	ipc_shm_remove(int id);

/* flags of ipc_shm_create and of the attach calls */
#define IPC_SHM_HUGETLB		0x01
#define IPC_SHM_NORESERVE	0x02
#define IPC_SHM_RDONLY		0x04
#define IPC_SHM_RND		0x08
#define IPC_SHM_REMAP		0x10
#define IPC_SHM_NO_PROC		0x20	/* map_id: not through /proc */

struct ipc_shm_info {
	int		 id;
	key_t		 key;
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	mode_t		 mode;
	bool		 dest;		/* removed, still attached */
	bool		 locked;	/* SHM_LOCK */
	uint64_t	 size;		/* the kernel's, even past SIZE_MAX */
	pid_t		 cpid, lpid;
	unsigned long	 nattch;
	time_t		 atime, dtime, ctime;
};

/*
 * shmget with IPC_CREAT | IPC_EXCL; with random set, a random unused key is
 * picked.  ENOTSUP for a flag this system lacks.
 */
int	ipc_shm_create(key_t key, bool random, size_t size, mode_t mode,
	    int flags, int *id, key_t *key_out);
int	ipc_shm_stat(int id, struct ipc_shm_info *info);
int	ipc_shm_set_perm(int id, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode);
/* SHM_LOCK or SHM_UNLOCK */
int	ipc_shm_lock(int id, bool lock);
/* shmat at addr (0: anywhere) with IPC_SHM_RDONLY/RND/REMAP */
int	ipc_shm_attach(int id, uintptr_t addr, int flags, void **out);

/* ---- POSIX shared memory (lib/shm.c) ---- */
/*
 * Every call opens /dev/shm/NAME without following a symbolic link and
 * acts on the descriptor; what is not a regular file is ELOOP.
 */
/* fstat; needs read permission (EACCES), as every other stat */
int	ipc_pshm_stat(const char *name, struct ipc_posix_stat *st);
int	ipc_pshm_unlink(const char *name);
/*
 * shm_open(O_CREAT | O_EXCL) with exactly mode, then ftruncate to size (on
 * failure nothing is left).  With exist_ok an existing object is left as it
 * is: *created is false and *size_out its size.
 */
int	ipc_pshm_create(const char *name, off_t size, mode_t mode,
	    bool exist_ok, bool *created, off_t *size_out);
/*
 * fchown, fchmod and ftruncate of what is not NULL, all or nothing: what
 * changed is put back when a later step fails.  EFBIG for a size too large.
 */
int	ipc_pshm_set(const char *name, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode, const off_t *size);

/* ---- either kind: the data path (lib/shm.c) ---- */
struct ipc_shm_map {
	void		*addr;		/* System V: shmat; POSIX: if mapped */
	uint64_t	 size;
	int		 id;		/* System V, or -1 */
	int		 fd;		/* the object's file, or -1 */
	bool		 rdonly;
	bool		 mapped;	/* addr is an mmap of the POSIX fd */
};
/*
 * Attaches a segment (IPC_STAT first: its size; EACCES, ENOENT) and, unless
 * flags has IPC_SHM_NO_PROC, opens its file through /proc/self/map_files
 * where that is allowed (CAP_SYS_ADMIN).  flags: IPC_SHM_RDONLY.
 * The range the caller will use is checked against the size first, so a
 * refusal attaches nothing (no lpid, atime or dtime moves): ENXIO when off
 * is at or past the end, EFBIG when len bytes from off do not fit; m->size
 * is set even then.
 */
int	ipc_shm_map_id(int id, int flags, uint64_t off, uint64_t len,
	    struct ipc_shm_map *m);
/*
 * Opens a POSIX object for the data path: a descriptor, no mapping.  off
 * and len as for ipc_shm_map_id, checked by fstat before anything is read
 * or written (no time of the file moves); m->size is set even then.
 */
int	ipc_pshm_open(const char *name, bool rdonly, uint64_t off,
	    uint64_t len, struct ipc_shm_map *m);
/*
 * mmap at addr: MAP_FIXED_NOREPLACE, or MAP_FIXED with IPC_SHM_REMAP (EEXIST
 * over any mapping of this process); IPC_SHM_RND rounds addr down to a
 * page.  EFBIG for an object larger than the address space.
 */
int	ipc_pshm_map_at(const char *name, uintptr_t addr, int flags,
	    struct ipc_shm_map *m);
int	ipc_shm_unmap(struct ipc_shm_map *m);
/*
 * Copies len bytes from off to fd (EFBIG if they are not all inside): by
 * sendfile from the object's file, else write(2) from the mapping.  The
 * process's own memory stays the same whatever len is.  Fails with the
 * write's errno (EPIPE needs SIGPIPE ignored), EINTR for a signal caught
 * by ipc_catch_signals.
 */
int	ipc_shm_to_fd(const struct ipc_shm_map *m, uint64_t off, uint64_t len,
	    int fd);
/* Sets every byte to byte; ENOSPC (and nothing allocated) if no room. */
int	ipc_shm_fill(const struct ipc_shm_map *m, int byte);
/* data at off; EFBIG (and nothing written) if it does not fit, ENOSPC. */
int	ipc_shm_put(const struct ipc_shm_map *m, uint64_t off, const void *data,
	    size_t len);
/*
 * Copies fd to its end into the object at off.  All or nothing: input
 * longer than the room fails with EFBIG and leaves the object as it was
 * (checked first for a regular file; a pipe into data is held whole in
 * pipes of this process first, and past what they may hold, as for other
 * streams, the old bytes are kept in an undo memfd and put back), so does
 * ENOSPC on a full tmpfs and a signal caught by ipc_catch_signals (EINTR)
 * before the input ended.  Sets *written.
 */
int	ipc_shm_from_fd(const struct ipc_shm_map *m, uint64_t off, int fd,
	    uint64_t *written);
/*
 * Blocks until a caught signal (ipc_catch_signals) or, when fd is a pipe,
 * socket or terminal, until it reaches end of file.
 */
int	ipc_hold(int fd);

/* ---- System V message queues (lib/msg.c) ---- */
/* msgget(key, 0), or checks that id exists; sets *id. */
int	ipc_msg_open(const struct ipc_target *t, int *id);
int	ipc_msg_remove(int id);

struct ipc_msg_info {
	int		 id;
	key_t		 key;
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	mode_t		 mode;
	unsigned long	 qnum, qbytes, cbytes;
	pid_t		 lspid, lrpid;
	time_t		 stime, rtime, ctime;
};

/* The kernel's message layout: the type, then the body. */
struct ipc_msgbuf {
	long	 mtype;
	char	 mtext[];
};

/*
 * Creates a queue (IPC_CREAT | IPC_EXCL): key IPC_PRIVATE always makes a
 * new one, random picks a random unused key.  On EEXIST nothing was made.
 */
int	ipc_msg_create(key_t key, bool random, mode_t mode, int *id,
	    key_t *key_out);
int	ipc_msg_stat(int id, struct ipc_msg_info *info);
/* IPC_SET of the parts that are not NULL; EPERM when qbytes > MSGMNB. */
int	ipc_msg_set(int id, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode, const unsigned long *qbytes);
/* The kernel's MSGMAX (largest message) and MSGMNB (default qbytes). */
int	ipc_msg_limits(size_t *msgmax, size_t *msgmnb);
/*
 * msgsnd of len body bytes; deadline NULL waits forever.  EAGAIN: nowait
 * and the queue is full; ETIMEDOUT: the deadline passed; EIDRM: removed
 * while waiting; EINTR: a caught terminating signal.  Other EINTRs (a stop
 * and continue, the timer) are retried.
 */
int	ipc_msg_send(int id, const struct ipc_msgbuf *m, size_t len,
	    bool nowait, const struct timespec *deadline);
/*
 * msgrcv into m (room for max body bytes) with msgrcv's type and the
 * IPC_MSG_* flags; returns the body's length.  EAGAIN: IPC_MSG_NOWAIT and
 * no such message; E2BIG: the message is longer than max (it stays
 * queued); ENOTSUP: IPC_MSG_EXCEPT where the system has no MSG_EXCEPT;
 * otherwise as ipc_msg_send.
 */
#define IPC_MSG_NOWAIT	0x01	/* EAGAIN instead of a wait */
#define IPC_MSG_EXCEPT	0x02	/* the first message whose type is not type */
/*
 * MSG_COPY: a copy of the message at position type (0 the first), which
 * stays queued and keeps the queue's times; never waits (EAGAIN: no
 * message there).  ENOTSUP where the system has none (no MSG_COPY, or a
 * kernel without CONFIG_CHECKPOINT_RESTORE: ENOSYS).
 */
#define IPC_MSG_COPY	0x04
ssize_t	ipc_msg_receive(int id, struct ipc_msgbuf *m, size_t max, long type,
	    int flags, const struct timespec *deadline);
/*
 * Waits until the queue holds a message of type (msgrcv's selection,
 * IPC_MSG_* flags but IPC_MSG_COPY) without taking it: 0 when there is
 * one.  An empty message is taken by the wait (there is no shorter
 * buffer to refuse it): then 1, with its type in m->mtype.  Otherwise as
 * ipc_msg_receive.
 */
int	ipc_msg_wait(int id, struct ipc_msgbuf *m, long type, int flags,
	    const struct timespec *deadline);
/* 1 if we may send to the queue (its mode for our ids; root may), 0 if not. */
int	ipc_msg_writable(int id);

/* ---- POSIX message queues (lib/msg.c) ---- */
/* Whether the queue exists (mq_open O_RDONLY + close); 0 or -1/errno. */
int	ipc_pmq_exists(const char *name);
int	ipc_pmq_unlink(const char *name);

/* ---- listing (lib/list.c) ---- */
#define IPC_MQUEUE_DIR		"/dev/mqueue"

enum ipc_kind {
	IPC_K_SEM = 0,		/* System V */
	IPC_K_SHM,
	IPC_K_MSG,
	IPC_K_PSEM,		/* POSIX */
	IPC_K_PSHM,
	IPC_K_PMQ,
	IPC_K_COUNT
};

/* Which of the optional fields of struct ipc_obj are known. */
#define IPC_KNOWN_CREATOR	0x01	/* cuid, cgid (POSIX: the owner) */
#define IPC_KNOWN_RSS		0x02	/* rss, swap (from /proc) */
#define IPC_KNOWN_QNUM		0x04	/* qnum */
#define IPC_KNOWN_SVAL		0x08	/* sval (POSIX semaphores) */
#define IPC_KNOWN_SIZE		0x10	/* size (POSIX) */
#define IPC_KNOWN_MQATTR	0x20	/* maxmsg, msgsize */

/* One object, as listed; fields that do not apply to its kind are 0. */
struct ipc_obj {
	enum ipc_kind		 kind;
	unsigned int		 known;
	int			 id;		/* System V; -1 for POSIX */
	key_t			 key;
	char			 name[NAME_MAX + 2];	/* POSIX "/NAME" */
	uid_t			 uid, cuid;
	gid_t			 gid, cgid;
	mode_t			 mode;		/* shm: with SHM_DEST, SHM_LOCKED */
	unsigned long long	 size;		/* shm size, msg cbytes, QSIZE */
	unsigned long long	 rss, swap;
	unsigned long		 nsems, nattch, qnum;
	long			 maxmsg, msgsize;
	long			 sval;
	pid_t			 cpid, lpid;	/* msg: lspid, lrpid */
	time_t			 atime, dtime;	/* msg: stime, rtime */
	time_t			 ctime, otime, mtime;
	long			 mtime_nsec;	/* POSIX: mtime's nanoseconds */
	dev_t			 dev;		/* POSIX: the file */
	ino_t			 ino;
};

/* A callback returns 0 to go on; anything else stops the walk and is
 * returned. */
typedef int	(*ipc_list_cb)(const struct ipc_obj *, void *);
/*
 * System V objects of kind, from /proc/sysvipc when use_proc and it exists,
 * else IPC_INFO and *_STAT_ANY.
 */
int	ipc_list_sysv(enum ipc_kind kind, bool use_proc, ipc_list_cb cb,
	    void *arg);
/* POSIX objects; IPC_K_PMQ fails with ENODEV when /dev/mqueue is not an
 * mqueue mount. */
int	ipc_list_posix(enum ipc_kind kind, ipc_list_cb cb, void *arg);
/* 1 if /dev/mqueue is an mqueue file system, 0 if not, -1 on error. */
int	ipc_pmq_mounted(void);
/*
 * 1 if a process pid exists (even one we may not signal) in our IPC
 * namespace, or in one we cannot tell; else 0.
 */
int	ipc_pid_alive(pid_t pid);
/* The pid of the last semop on each member (GETPID). */
int	ipc_sem_pids(int id, unsigned long nsems, pid_t *pids);
/* /proc/PID/comm without its newline. */
int	ipc_proc_comm(pid_t pid, char *buf, size_t len);
/* ---- who uses what, who waits (procscan.c): one walk over /proc ---- */
/*
 * One mapping of an IPC object by a process, from /proc/PID/maps: kind
 * IPC_K_SHM, a System V segment by its id (only processes of our IPC
 * namespace: ids are per namespace); kind IPC_K_PSHM, a file of /dev/shm's
 * file system (a POSIX semaphore or shared memory object) by its device
 * and inode, exact whatever its name and whoever maps it.
 */
struct ipc_mapping {
	pid_t		 pid;
	enum ipc_kind	 kind;
	int		 id;		/* IPC_K_SHM; else -1 */
	dev_t		 dev;		/* IPC_K_PSHM; else 0 */
	ino_t		 ino;
	unsigned long long start, end;	/* the addresses mapped */
	/* IPC_SCAN_ALLNS, IPC_K_SHM: the process's IPC namespace's inode */
	unsigned long long ipcns;
};
/* What a process is blocked in, from /proc/PID/syscall. */
enum ipc_wait_call {
	IPC_WAIT_NONE,
	IPC_WAIT_SEMOP,		/* semop, semtimedop: id, sops */
	IPC_WAIT_MSGSND,	/* id: the queue is full */
	IPC_WAIT_MSGRCV,	/* id, msgtype, except */
	IPC_WAIT_PMQ_SEND,	/* mq_timedsend: dev, ino of the queue */
	IPC_WAIT_PMQ_RECEIVE,	/* mq_timedreceive: dev, ino */
	IPC_WAIT_FUTEX		/* a futex in a mapping of dev, ino */
};
#define IPC_WAIT_SOPS		16	/* sembufs kept of a semop */
struct ipc_wait {
	enum ipc_wait_call	 call;
	int			 id;		/* System V; else -1 */
	dev_t			 dev;
	ino_t			 ino;
	long			 msgtype;
	bool			 except;	/* MSG_EXCEPT */
	unsigned long long	 nsops;		/* semop's count */
	bool			 sops_known;	/* from /proc/PID/mem */
	struct {
		unsigned short	 num;
		short		 op, flg;
	}			 sops[IPC_WAIT_SOPS];
};
struct ipc_proc {
	pid_t		 pid;
	char		 comm[64];	/* "" when unreadable */
	int		 same_ipcns;	/* internal */
	bool		 visible;	/* its syscall could be read */
	struct ipc_wait	 wait;		/* IPC_SCAN_WAITS */
	/*
	 * IPC_SCAN_ALLNS: the inode of its IPC namespace, where a System V
	 * wait's id lives (0 when it waits on none, or /proc would not say)
	 */
	unsigned long long ipcns;
};
#define IPC_SCAN_MAPS		0x01	/* map: /proc/PID/maps */
#define IPC_SCAN_FDS		0x02	/* fd: /proc/PID/fd */
#define IPC_SCAN_WAITS		0x04	/* proc's wait: /proc/PID/syscall */
/*
 * System V segments mapped and System V waits in every IPC namespace, not
 * only ours, each with its process's namespace (ipcns); the mappings of
 * /dev/shm files are those of the file systems in shm_devs.
 */
#define IPC_SCAN_ALLNS		0x08
struct ipc_scan_ops {
	unsigned int	 flags;
	/* the /dev/shm file systems (IPC_SCAN_ALLNS; else ipc_shm_dir()'s) */
	const dev_t	*shm_devs;
	size_t		 nshm_devs;
	int		(*map)(const struct ipc_mapping *, void *);
	int		(*fd)(pid_t, int fd, dev_t, ino_t, void *);
	/* after the process's maps and fds */
	int		(*proc)(const struct ipc_proc *, void *);
	void		*arg;
};
/*
 * One walk over every process we may inspect; a callback's non-zero
 * return stops it and is returned.  A process that went away or is closed
 * to us is skipped; one we could not look at (EMFILE, ENOMEM) fails the
 * scan (-1, errno): a partial scan would call a used object unused.
 */
int	ipc_scan_procs(const struct ipc_scan_ops *ops);
/* len bytes of pid's memory at addr (/proc/PID/mem: ptrace access). */
int	ipc_proc_read_mem(pid_t pid, unsigned long long addr, void *buf,
	    size_t len);
/*
 * Whether pid's IPC namespace is ours (the joined one under --ns): 1, 0,
 * or -1 when we cannot tell (no /proc, or not ours to inspect).
 */
int	ipc_pid_ipcns_ours(pid_t pid);
/* "Ours" is another namespace since: after every setns (common.c). */
void	ipc_ipcns_changed(void);
struct ipc_pmq;
struct ipc_pmq_attr {
	long	 maxmsg, msgsize, curmsgs;
};
#define IPC_PMQ_READ	0x01
#define IPC_PMQ_WRITE	0x02
/*
 * mq_open with O_CREAT | O_EXCL and exactly mode (not reduced by the
 * umask); maxmsg or msgsize 0 takes the system default
 * (/proc/sys/fs/mqueue/ *_default).  With exist_ok an existing queue is
 * opened instead and *created is false.
 */
int	ipc_pmq_create(const char *name, mode_t mode, long maxmsg,
	    long msgsize, bool exist_ok, bool *created, struct ipc_pmq **out);
/* Opens for IPC_PMQ_READ and/or IPC_PMQ_WRITE; 0 tries read, then write. */
int	ipc_pmq_open(const char *name, int access, struct ipc_pmq **out);
int	ipc_pmq_close(struct ipc_pmq *q);
/* Which of IPC_PMQ_READ and IPC_PMQ_WRITE q was opened for. */
int	ipc_pmq_access(const struct ipc_pmq *q);
int	ipc_pmq_getattr(struct ipc_pmq *q, struct ipc_pmq_attr *attr);
/*
 * Waits until the queue holds a message, without taking it (mq_notify):
 * 0 at once if it holds one; EAGAIN when nowait finds it empty or the
 * deadline passes; EBUSY when another process is registered.  A receiver
 * already blocked on the queue takes the message without a notification.
 */
int	ipc_pmq_notify_wait(struct ipc_pmq *q, const struct timespec *deadline,
	    bool nowait);
/* Owner, mode and times of the queue (fstat of its descriptor). */
int	ipc_pmq_stat(struct ipc_pmq *q, struct ipc_posix_stat *st);
int	ipc_pmq_set_perm(struct ipc_pmq *q, const uid_t *uid,
	    const gid_t *gid, const mode_t *mode);
/*
 * As ipc_msg_send/receive: EAGAIN, ETIMEDOUT, EINTR; EMSGSIZE too long.
 * nowait needs no timed call (the descriptor is made O_NONBLOCK for it);
 * a deadline needs mq_timedsend / mq_timedreceive, ENOSYS without
 * (ipc_pmq_timed_send and _receive tell first; notify, ipc_pmq_can_notify).
 */
bool	ipc_pmq_timed_send(void);
bool	ipc_pmq_timed_receive(void);
bool	ipc_pmq_can_notify(void);
int	ipc_pmq_send(struct ipc_pmq *q, const char *buf, size_t len,
	    unsigned int prio, bool nowait, const struct timespec *deadline);
/*
 * A send bounded by deadline on every system: mq_timedsend, or without it
 * tries that cannot block, 10 ms apart (a put-back, not a user's -t).
 */
int	ipc_pmq_send_within(struct ipc_pmq *q, const char *buf, size_t len,
	    unsigned int prio, const struct timespec *deadline);
ssize_t	ipc_pmq_receive(struct ipc_pmq *q, char *buf, size_t len,
	    unsigned int *prio, bool nowait, const struct timespec *deadline);
/* MQ_PRIO_MAX as the system reports it. */
long	ipc_pmq_prio_max(void);

/* ---- message streams (lib/msgstream.c) ---- */
/*
 * Reading a descriptor, these fail with EINTR only for a signal caught by
 * ipc_catch_signals (a stop and continue is retried), with EMSGSIZE for
 * input longer than limit, else with read's errno.
 */
/* All of fd into buf (room for limit + 1 bytes); sets *len. */
int	ipc_read_all(int fd, char *buf, size_t limit, size_t *len);
/*
 * When fd is a regular file, checks every line from its offset on (the
 * offset stays): EMSGSIZE with *line the first longer than limit.  Does
 * nothing for anything else (a pipe can only be checked as it streams).
 */
int	ipc_lines_check(int fd, size_t limit, unsigned long long *line);
/* fd's lines, one at a time. */
struct ipc_lines {
	int		 fd;
	char		*buf;
	size_t		 off, end;
	bool		 eof;
};
int	ipc_lines_init(struct ipc_lines *l, int fd);
/*
 * The next line into out (room for limit bytes), without its newline; a
 * last line without one is a line too.  1: a line in out, *len bytes;
 * 0: the end.
 */
int	ipc_lines_next(struct ipc_lines *l, char *out, size_t limit,
	    size_t *len);
void	ipc_lines_free(struct ipc_lines *l);

/* A queue of either family. */
struct ipc_mq {
	bool		 posix;
	int		 id;	/* System V */
	struct ipc_pmq	*pq;	/* POSIX */
};
/*
 * The receiver: messages taken off q one at a time and written out, none
 * lost.  What a failed write (or a caught signal) left unwritten is sent
 * back to q, in order, with its type or priority; all a SIGKILL can lose
 * is what was taken since the last flush (one message, when each take is
 * flushed before the next).
 */
#define IPC_RX_LINES		0x01	/* a newline after each message */
#define IPC_RX_PRINT_TYPE	0x02	/* its type (priority) and a tab first */
struct ipc_msgrx_held;
struct ipc_msgrx {
	const struct ipc_mq	*q;
	int			 flags;
	char			*ob;		/* output not yet written */
	size_t			 olen, ocap;
	struct ipc_msgrx_held	*held;		/* the messages in ob */
	size_t			 nheld, hcap;
	struct ipc_msgbuf	*mb;		/* one received message */
	size_t			 mbmax;
	unsigned long long	 written;	/* messages out whole */
	size_t			 keep;		/* 0, or write at most this */
	size_t			 len;		/* the last message's length */
	size_t			 cut;		/* what keep cut off it */
	struct ipc_msgbuf	*mb2;		/* ipc_msgrx_commit's take */
};
/*
 * What a failed flush left: left messages, back of them sent back or
 * still queued (copies, never taken: queued of them).
 */
struct ipc_msgrx_loss {
	size_t		 left, back, queued;
	bool		 partial;	/* the first of them was partly written */
};
/* max: the longest message expected (System V: ipc_msgrx_grow makes room) */
int	ipc_msgrx_init(struct ipc_msgrx *r, const struct ipc_mq *q, size_t max,
	    int flags);
/*
 * Takes one message (System V: by type, IPC_MSG_* flags; POSIX: the
 * oldest of the highest priority, IPC_MSG_NOWAIT only) into the output;
 * returns its length.  As ipc_msg_receive / ipc_pmq_receive; on E2BIG,
 * flush, then ipc_msgrx_grow and take again.
 */
ssize_t	ipc_msgrx_take(struct ipc_msgrx *r, long type, int flags,
	    const struct timespec *deadline);
/*
 * System V, after a copy (IPC_MSG_COPY of position 0) was flushed: takes
 * that message off the queue.  0: taken; 1: another receiver took it
 * first (nothing taken); 2: the first message of its type was another
 * one, now taken and in the output (flush it).  -1 with errno.
 */
int	ipc_msgrx_commit(struct ipc_msgrx *r);
/*
 * System V: ipc_msg_wait; 1 when the wait took an empty message, which
 * is then in the output.
 */
int	ipc_msgrx_wait(struct ipc_msgrx *r, long type, int flags,
	    const struct timespec *deadline);
/* Room for a longer System V message; EMSGSIZE if there can be no more. */
int	ipc_msgrx_grow(struct ipc_msgrx *r);
/*
 * Writes what was taken to fd.  -1: the write's errno (EINTR after a
 * caught signal, EPIPE needs SIGPIPE ignored), with *loss saying how many
 * were not written and how many of those were put back (for a POSIX
 * queue opened without write access, none).
 */
int	ipc_msgrx_flush(struct ipc_msgrx *r, int fd,
	    struct ipc_msgrx_loss *loss);
void	ipc_msgrx_free(struct ipc_msgrx *r);

/* ---- processes ---- */
/*
 * execvp with the signals' dispositions restored; returns only on
 * failure, EINTR when a signal was caught before: the program is not run.
 */
int	ipc_exec(char *const argv[]);
/*
 * fork + execvp; the child's exec failure is reported as status 126/127;
 * EINTR, and no child, when a signal was caught before.
 */
int	ipc_spawn(char *const argv[], pid_t *pid);
/* Waits for pid, forwarding caught terminating signals to it. */
int	ipc_wait_child(pid_t pid, int *status);

/* ---- kernel limits and configure's findings ---- */
struct ipc_limit {
	const char	*name;		/* e.g. "SEMMNI" */
	const char	*desc;
	const char	*unit;		/* "bytes", "pages" or NULL */
	bool		 has_limit, has_used;
	unsigned long long limit, used;
};
/* Fills up to max entries; returns how many. */
size_t	ipc_limits(struct ipc_limit *lim, size_t max);

/* ---- shared by the library's files ---- */
/*
 * The errno of a POSIX object whose file is not one of its kind: a symlink,
 * a directory or another non-regular file under its name, a semaphore file
 * of the wrong size, or one truncated while we used it.
 */
#define IPC_EBADOBJ		EMEDIUMTYPE
struct stat;
/* A System V call on an id that does not exist fails with EINVAL: ENOENT. */
/*
 * Waits until fd has bytes to read (or its end) and returns poll's
 * revents.  With stop, a signal caught by ipc_catch_signals ends it (-1,
 * EINTR) whenever it lands, before the wait or during it: the caught
 * signals stay blocked but inside ppoll.
 */
int	ipc_wait_input(int fd, bool stop);
int	ipc_no_such_id(void);
/*
 * The System V lookup behind ipc_sem_open, ipc_shm_open and ipc_msg_open
 * (kind IPC_K_SEM, IPC_K_SHM or IPC_K_MSG): a key through semget, shmget
 * or msgget; an id checked with IPC_STAT (ENOENT when there is none; one
 * we may not read exists).
 */
int	ipc_sysv_open(enum ipc_kind k, const struct ipc_target *t, int *id);
/* The file of POSIX name "/NAME": IPC_SHM_DIR/PREFIX NAME ("sem." or ""). */
int	ipc_posix_file(const char *name, const char *prefix, char *buf,
	    size_t len);
void	ipc_posix_stat_fill(const struct stat *sb, struct ipc_posix_stat *st);
/*
 * Opens the file of "/NAME" with flags (O_RDONLY, O_RDWR or O_PATH) without
 * following a symlink, and fstats it into sb: a symlink, a directory or
 * anything but a regular file fails with IPC_EBADOBJ.  Returns the fd.
 */
int	ipc_posix_file_open(const char *name, const char *prefix, int flags,
	    struct stat *sb);
/* Through ipc_posix_file_open: fstat, fchown and fchmod of the descriptor. */
int	ipc_posix_file_stat(const char *name, const char *prefix,
	    struct ipc_posix_stat *st);
int	ipc_posix_file_set_perm(const char *name, const char *prefix,
	    const uid_t *uid, const gid_t *gid, const mode_t *mode);

/* ---- namespaces ---- */
/* Joins the IPC namespace of file (e.g. /proc/PID/ns/ipc). */
int	ipc_setns(const char *file);
/*
 * Joins the IPC namespace of process pid and makes its /dev/shm and
 * /dev/mqueue (through /proc/PID/root, no symbolic link followed) the
 * directories of every POSIX object from then on.
 */
int	ipc_setns_pid(long long pid, unsigned long long ino);
/* ---- list --watch ---- */
/* Writes all of buf, retrying a partial write. */
int	ipc_write_all(int fd, const char *buf, size_t len);
/* Sleeps ts on CLOCK_MONOTONIC; -1 EINTR as soon as a signal is caught. */
int	ipc_pause(const struct timespec *ts);
/*
 * The terminal fd in non-canonical mode without echo (signals kept: Ctrl-C
 * is SIGINT) until ipc_tty_restore(); ENOTTY when fd is not a terminal or
 * the process is not in its foreground (a change would stop it, SIGTTOU).
 */
int	ipc_tty_cbreak(int fd);
/* The terminal as ipc_tty_cbreak found it; 0 when it changed nothing. */
int	ipc_tty_restore(void);
/* The terminal's rows and columns (0, 0 when it does not say). */
int	ipc_tty_size(int fd, unsigned int *rows, unsigned int *cols);
/*
 * Waits until the absolute CLOCK_MONOTONIC deadline for a byte on fd (fd
 * < 0: for nothing): 1 with *key, 0 when the deadline passed, 2 when fd
 * is at its end (or hung up), -1 EINTR as soon as a signal is caught
 * (no race: the caught signals are blocked but inside the wait).
 */
int	ipc_wait_key(int fd, const struct timespec *deadline, char *key);

/* Every IPC namespace a process we may inspect lives in. */
struct ipc_ns {
	unsigned long long	ino;	/* the namespace's inode */
	pid_t			pid;	/* the lowest pid in it */
};
/*
 * From /proc/PID/ns/ipc, each namespace once (dedup by inode), in the order
 * of their lowest pids; *out is malloc'd.  A namespace with no process
 * left (kept by a bind mount or an open descriptor) is not found.
 */
int	ipc_ipcns_list(struct ipc_ns **out, size_t *n);
/* Device and inode of the directory of POSIX shm/sem (mq: of queues). */
int	ipc_posix_dir_ident(bool mq, unsigned long long *dev,
	    unsigned long long *ino);
/*
 * The directories of POSIX objects: IPC_SHM_DIR and IPC_MQUEUE_DIR, or
 * after ipc_setns_pid the target's, as a path (NULL and errno when the
 * target has none).  ipc_posix_elsewhere(): since ipc_setns_pid.
 */
const char	*ipc_shm_dir(void);
const char	*ipc_mqueue_dir(void);
bool	ipc_posix_elsewhere(void);
/* Removes the file of POSIX name "/NAME" (prefix "sem." or ""). */
int	ipc_posix_unlink(const char *name, const char *prefix);

/* ---- files ---- */
/*
 * Opens a manifest (open(2) flags, mode 0666): a symbolic link is followed
 * only when the caller or root owns it, else ELOOP.
 */
int	ipc_manifest_open(const char *file, int flags);
/*
 * Appends one line "KIND TARGET\n" to file with a single write (O_APPEND);
 * TARGET as given (manifest_append() escapes it).
 */
int	ipc_manifest_append(const char *file, const char *kind,
	    const char *target);

/* ---- random keys ---- */
key_t	ipc_random_key(void);

#endif
