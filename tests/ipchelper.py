#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Test helper: a real process that holds an IPC object, through ctypes
# (sysv_ipc is not always installed).  Writes "ready" to READY_FILE, then
# sleeps until killed (at most 60 s).
#   ipchelper.py attach SHMID READY_FILE      shmat and hold
#   ipchelper.py mmap PATH READY_FILE         map a /dev/shm file and hold
#   ipchelper.py msgsnd MSQID TEXT READY_FILE send one message, stay alive
#   ipchelper.py shmget SIZE READY_FILE       create a segment, stay alive
#                                             (prints its id into READY_FILE)
#   ipchelper.py shmget-unshare SIZE READY_FILE  the same, then unshare its
#                                             IPC namespace (alive, not ours)
import ctypes
import mmap
import os
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.msgsnd.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t,
                        ctypes.c_int]


def ready(path, text="ready"):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def fail(what):
    e = ctypes.get_errno()
    sys.stderr.write("%s: %s\n" % (what, os.strerror(e)))
    sys.exit(1)


cmd = sys.argv[1]
keep = None
if cmd == "attach":
    p = libc.shmat(int(sys.argv[2]), None, 0)
    if p is None or p == ctypes.c_void_p(-1).value:
        fail("shmat")
    ready(sys.argv[3])
elif cmd == "mmap":
    with open(sys.argv[2], "r+b") as f:
        keep = mmap.mmap(f.fileno(), 0)
    ready(sys.argv[3])
elif cmd == "msgsnd":
    text = sys.argv[3].encode()
    buf = ctypes.create_string_buffer(8 + len(text))
    ctypes.c_long.from_buffer(buf).value = 1
    ctypes.memmove(ctypes.addressof(buf) + 8, text, len(text))
    if libc.msgsnd(int(sys.argv[2]), buf, len(text), 0) == -1:
        fail("msgsnd")
    ready(sys.argv[4])
elif cmd == "shmget":
    shmid = libc.shmget(0, int(sys.argv[2]), 0o1600)
    if shmid == -1:
        fail("shmget")
    ready(sys.argv[3], str(shmid))
elif cmd == "shmget-unshare":
    # creates a segment, then leaves for an IPC namespace of its own
    shmid = libc.shmget(0, int(sys.argv[2]), 0o1600)
    if shmid == -1:
        fail("shmget")
    if libc.unshare(0x08000000) == -1:  # CLONE_NEWIPC
        fail("unshare")
    ready(sys.argv[3], str(shmid))
else:
    sys.exit(2)
time.sleep(60)
