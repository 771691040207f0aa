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

/* Largest POSIX name after the slash; semaphores live as sem.NAME. */
#define IPC_POSIX_NAME_MAX	NAME_MAX
#define IPC_PSEM_NAME_MAX	(NAME_MAX - 4)

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
 * Commands that block call ipc_catch_signals() first: SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT then interrupt a wait (-1, errno EINTR) and
 * ipc_caught_signal holds the signal's number.  Any other EINTR (a stop and
 * continue) is retried with the time that is left.
 */
extern volatile sig_atomic_t ipc_caught_signal;
int	ipc_catch_signals(void);
int	ipc_restore_signals(void);
/* SIGPIPE ignored: a reader that went away is EPIPE from write. */
int	ipc_ignore_sigpipe(void);

/*
 * A timer that interrupts a blocking call which has no timed form
 * (msgsnd, msgrcv): armed for an absolute CLOCK_MONOTONIC deadline, it
 * sends SIGALRM then, and again every 10 ms until disarmed, so a signal that
 * lands just before the call is entered cannot leave it blocked.  After an
 * EINTR, ipc_timer_expired() tells whether the deadline passed.
 */
int	ipc_timer_arm(const struct timespec *deadline);
int	ipc_timer_disarm(void);
bool	ipc_timer_expired(void);

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
/* Waits until sem_otime != 0 (up to deadline): ETIMEDOUT if it never is. */
int	ipc_sem_wait_init(int id, const struct timespec *deadline);
int	ipc_sem_stat(int id, struct ipc_sem_info *info);
/* members must have room for info->nsems entries */
int	ipc_sem_members(int id, unsigned long nsems,
	    struct ipc_sem_member *members);
/*
 * One semop over nops operations; deadline NULL waits forever.  Fails with
 * EAGAIN when IPC_NOWAIT was given and it would block or when the deadline
 * passed, EIDRM when the set was removed while waiting, EINTR when a caught
 * terminating signal arrived.
 */
int	ipc_sem_op(int id, struct sembuf *ops, size_t nops,
	    const struct timespec *deadline);
int	ipc_sem_setval(int id, unsigned long index, int value);
int	ipc_sem_setall(int id, unsigned long nsems, int value);
int	ipc_sem_set_perm(int id, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode);
int	ipc_sem_remove(int id);

/* ---- POSIX named semaphores ---- */
struct ipc_psem;
int	ipc_psem_create(const char *name, mode_t mode, unsigned int value,
	    bool exist_ok, bool *created, struct ipc_psem **out);
int	ipc_psem_open(const char *name, struct ipc_psem **out);
int	ipc_psem_close(struct ipc_psem *s);
int	ipc_psem_wait(struct ipc_psem *s, const struct timespec *deadline,
	    bool nowait);
int	ipc_psem_post(struct ipc_psem *s, unsigned int count);
int	ipc_psem_value(struct ipc_psem *s, int *value);
int	ipc_psem_unlink(const char *name);
/* fstat of /dev/shm/sem.NAME */
struct ipc_posix_stat {
	off_t		 size;
	uid_t		 uid;
	gid_t		 gid;
	mode_t		 mode;
	struct timespec	 mtime, ctime, atime;
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

struct ipc_shm_info {
	int		 id;
	key_t		 key;
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	mode_t		 mode;
	bool		 dest;		/* removed, still attached */
	bool		 locked;	/* SHM_LOCK */
	size_t		 size;
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
int	ipc_shm_detach(const void *addr);

/* ---- POSIX shared memory (lib/shm.c) ---- */
int	ipc_pshm_stat(const char *name, struct ipc_posix_stat *st);
int	ipc_pshm_unlink(const char *name);
/*
 * shm_open(O_CREAT | O_EXCL) with exactly mode, then ftruncate to size (on
 * failure nothing is left).  With exist_ok an existing object is left as it
 * is: *created is false and *size_out its size.
 */
int	ipc_pshm_create(const char *name, off_t size, mode_t mode,
	    bool exist_ok, bool *created, off_t *size_out);
int	ipc_pshm_set_perm(const char *name, const uid_t *uid, const gid_t *gid,
	    const mode_t *mode);
/* ftruncate */
int	ipc_pshm_resize(const char *name, off_t size);

/* ---- either kind, mapped: the data path (lib/shm.c) ---- */
struct ipc_shm_map {
	void		*addr;		/* NULL for an empty POSIX object */
	size_t		 size;
	int		 id;		/* System V, or -1 */
	int		 fd;		/* POSIX, or -1 */
	bool		 rdonly;
};
/* Attaches a segment (IPC_STAT first: its size; EACCES, ENOENT). */
int	ipc_shm_map_id(int id, bool rdonly, struct ipc_shm_map *m);
/* shm_open + mmap of the whole object. */
int	ipc_pshm_map(const char *name, bool rdonly, struct ipc_shm_map *m);
/*
 * mmap at addr: MAP_FIXED_NOREPLACE, or MAP_FIXED with IPC_SHM_REMAP;
 * IPC_SHM_RND rounds addr down to a page.
 */
int	ipc_pshm_map_at(const char *name, uintptr_t addr, int flags,
	    struct ipc_shm_map *m);
int	ipc_shm_unmap(struct ipc_shm_map *m);
/*
 * write(2)s len bytes from off straight out of the mapping to fd (EFBIG if
 * they are not all inside).  The resident set stays a few MiB whatever len
 * is.  Fails with the write's errno (EPIPE needs SIGPIPE ignored).
 */
int	ipc_shm_to_fd(const struct ipc_shm_map *m, size_t off, size_t len,
	    int fd);
/* Sets every byte to byte. */
int	ipc_shm_fill(const struct ipc_shm_map *m, int byte);
/* memcpy of data at off; EFBIG (and nothing written) if it does not fit. */
int	ipc_shm_put(const struct ipc_shm_map *m, size_t off, const void *data,
	    size_t len);
/*
 * read(2)s fd to its end straight into the mapping at off.  All or
 * nothing: input longer than the room fails with EFBIG and leaves the
 * segment as it was (checked first for a regular file; for a pipe the old
 * bytes are kept in an undo memfd and put back).  Sets *written.
 */
int	ipc_shm_from_fd(const struct ipc_shm_map *m, size_t off, int fd,
	    size_t *written);
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
 * msgrcv into m (room for max body bytes) with msgrcv's type and flags
 * (MSG_EXCEPT; IPC_NOWAIT); returns the body's length.  EAGAIN: nowait and
 * no such message; E2BIG: the message is longer than max (it stays
 * queued); otherwise as ipc_msg_send.
 */
ssize_t	ipc_msg_receive(int id, struct ipc_msgbuf *m, size_t max, long type,
	    int flags, const struct timespec *deadline);

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
#define IPC_KNOWN_CREATOR	0x01	/* cuid, cgid (System V) */
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
/* 1 if a process pid exists (even one we may not signal), else 0. */
int	ipc_pid_alive(pid_t pid);
/* The pid of the last semop on each member (GETPID). */
int	ipc_sem_pids(int id, unsigned long nsems, pid_t *pids);
/* /proc/PID/comm without its newline. */
int	ipc_proc_comm(pid_t pid, char *buf, size_t len);
/* Every mapping of an IPC object by any process we may inspect: System V
 * segments by shmid (name NULL), POSIX objects by "/NAME" (id -1). */
typedef int	(*ipc_maps_cb)(pid_t, enum ipc_kind, int, const char *, void *);
int	ipc_scan_maps(ipc_maps_cb cb, void *arg);
/* Every open file descriptor of every process, as its file's dev, ino. */
typedef int	(*ipc_fds_cb)(pid_t, dev_t, ino_t, void *);
int	ipc_scan_fds(ipc_fds_cb cb, void *arg);
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
/* As ipc_msg_send/receive: EAGAIN, ETIMEDOUT, EINTR; EMSGSIZE too long. */
int	ipc_pmq_send(struct ipc_pmq *q, const char *buf, size_t len,
	    unsigned int prio, bool nowait, const struct timespec *deadline);
ssize_t	ipc_pmq_receive(struct ipc_pmq *q, char *buf, size_t len,
	    unsigned int *prio, bool nowait, const struct timespec *deadline);
/* MQ_PRIO_MAX as the system reports it. */
long	ipc_pmq_prio_max(void);

/* ---- processes ---- */
/* execvp; returns only on failure. */
int	ipc_exec(char *const argv[]);
/* fork + execvp; the child's exec failure is reported as status 126/127. */
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
struct stat;
/* A System V call on an id that does not exist fails with EINVAL: ENOENT. */
int	ipc_no_such_id(void);
/* The file of POSIX name "/NAME": IPC_SHM_DIR/PREFIX NAME ("sem." or ""). */
int	ipc_posix_file(const char *name, const char *prefix, char *buf,
	    size_t len);
void	ipc_posix_stat_fill(const struct stat *sb, struct ipc_posix_stat *st);
int	ipc_posix_file_stat(const char *name, const char *prefix,
	    struct ipc_posix_stat *st);
int	ipc_posix_file_set_perm(const char *name, const char *prefix,
	    const uid_t *uid, const gid_t *gid, const mode_t *mode);

/* ---- namespaces ---- */
/* Joins the IPC namespace of file (e.g. /proc/PID/ns/ipc). */
int	ipc_setns(const char *file);

/* ---- files ---- */
/* Appends one line "KIND TARGET\n" to file with a single write (O_APPEND). */
int	ipc_manifest_append(const char *file, const char *kind,
	    const char *target);

/* ---- random keys ---- */
key_t	ipc_random_key(void);

#endif
