# SPDX-License-Identifier: ISC
# Shared by every tests/*.bats file.
# shellcheck shell=bash

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

: "${IPCTOOL:=$BATS_TEST_DIRNAME/../ipctool}"
: "${TOP_SRCDIR:=$BATS_TEST_DIRNAME/..}"
export IPCTOOL TOP_SRCDIR
# so that commands run by ipctool (acquire -- CMD) find the same binary
PATH="$(cd "$(dirname "$IPCTOOL")" && pwd):$PATH"

ipctool() { "$IPCTOOL" "$@"; }

# The name /proc/PID/comm gives an ipctool process: under make
# check-valgrind it is memcheck's ("memcheck-amd64-linux", cut to 15).
IPC_COMM=ipctool
if [ -n "${IPCTOOL_VALGRIND:-}" ]; then
	case $(uname -m) in
	x86_64) IPC_COMM=memcheck-amd64-linux ;;
	i?86) IPC_COMM=memcheck-x86-linux ;;
	aarch64) IPC_COMM=memcheck-arm64-linux ;;
	*) IPC_COMM=memcheck-$(uname -m)-linux ;;
	esac
	IPC_COMM=${IPC_COMM:0:15}
fi

# Tests that list or remove everything, or count what the namespace
# holds, need a namespace of their own (tests/run-bats makes one as root).
need_ns() {
	[ -n "${IPCTOOL_IN_NS:-}" ] ||
	    skip "needs a private IPC namespace (make check as root makes one)"
}

# Tests that act as another user (as_nobody) or set an owner need root.
need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (runs commands as nobody or sets owners)"
}

# shm read/write reach a System V segment's file through
# /proc/self/map_files, which needs CAP_SYS_ADMIN; without it they map the
# segment, and a test of the descriptor path has nothing to see.
need_map_files() {
	[ "$(id -u)" = 0 ] ||
	    skip "needs root (a System V segment's descriptor in /proc/self/map_files needs CAP_SYS_ADMIN)"
}

# under_qemu: whether $IPCTOOL runs under qemu-user, through a binfmt_misc
# entry for qemu whose magic (under its mask) matches the binary's first
# bytes (the i386 build on a kernel without 32-bit emulation).
under_qemu() {
	local e line off magic mask head i b
	for e in /proc/sys/fs/binfmt_misc/*; do
		[ "$(head -1 "$e" 2>/dev/null)" = enabled ] || continue
		grep -q '^interpreter .*qemu-' "$e" || continue
		off=0 magic= mask=
		while read -r line; do
			case $line in
			"offset "*) off=${line#offset } ;;
			"magic "*) magic=${line#magic } ;;
			"mask "*) mask=${line#mask } ;;
			esac
		done < "$e"
		[ -n "$magic" ] || continue
		head=$(od -An -v -tx1 -j "$off" -N $((${#magic} / 2)) "$IPCTOOL" | tr -d ' \n')
		[ ${#head} = ${#magic} ] || continue
		# the kernel's test: no bit differs under the mask
		for ((i = 0; i < ${#magic}; i += 2)); do
			b=$((0x${head:i:2} ^ 0x${magic:i:2}))
			[ -z "$mask" ] || b=$((b & 0x${mask:i:2}))
			[ "$b" = 0 ] || continue 2
		done
		return 0
	done
	return 1
}

# A test of a SIGBUS that ipctool recovers from (a semaphore's file
# truncated under it): qemu-user (7.2) reports the fault's address
# (si_addr) one page past the access, so it is not recognised as the
# semaphore's and the process dies of it.
need_sigbus_addr() {
	! under_qemu ||
	    skip "under qemu-user, whose SIGBUS si_addr is one page off"
}

# Runs a command as an unprivileged user (nobody).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# System V keys.  Inside our own namespace a test may use any fixed key.
# Outside it (as a user, or in a chroot) a fixed key may belong to someone
# else: each test gets a block of 65536 keys that nobody uses, KEY_BASE +
# 0x0000..0xffff.  `keys 0x1234 0x5e1` sets (and exports, for sh -c) k1234
# and k5e1 to the key the test is to use in place of 0x1234 and 0x5e1: the
# same text inside a namespace, 0x%08x of KEY_BASE + 0x1234 outside.
KEY_BASE=0
pick_key_base() {
	KEY_BASE=0
	[ -z "${IPCTOOL_IN_NS:-}" ] || return 0
	local used n try
	used=$(awk 'FNR > 1 { k = $1 < 0 ? $1 + 4294967296 : $1; print int(k / 65536) }' \
	    /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg | sort -u)
	for try in $(seq 100); do
		n=$((0x1000 + (RANDOM * 32768 + RANDOM) % 0x6ffe))
		if ! grep -qx "$n" <<<"$used"; then
			KEY_BASE=$((n * 65536))
			return 0
		fi
	done
	echo "no free block of System V keys" >&2
	return 1
}
keys() {
	local k
	for k; do
		if [ -n "${IPCTOOL_IN_NS:-}" ]; then
			printf -v "k${k#0x}" %s "$k"
		else
			printf -v "k${k#0x}" 0x%08x $((KEY_BASE + k))
		fi
		export "k${k#0x}"
	done
}
# POSIX names, the same way.  Inside our own namespace a test may use any
# name; outside it /NAME may be someone else's, or left by an earlier run:
# `names hold q1` sets (and exports) n_hold and n_q1 to /hold and /q1
# inside, and to /ipct-PID-RAND-hold and /ipct-PID-RAND-q1 (a prefix new
# to this test, POSIX_PFX) outside.  A semaphore's file is then
# $(psem_file "$n_hold"), a segment's /dev/shm$n_hold, a queue's /dev/mqueue$n_hold.
POSIX_PFX=
names() {
	local n
	for n; do
		printf -v "n_$n" /%s%s "$POSIX_PFX" "$n"
		export "n_$n"
	done
}
# Where sem_open keeps a named semaphore (configure's IPC_PSEM_PREFIX in
# the build's config.h): glibc's /dev/shm/sem.NAME, musl's /dev/shm/NAME
# beside the shared memory objects.  `psem_file /NAME` is its file.
PSEM_PREFIX=sem.
if [ -r "$(dirname "$IPCTOOL")/config.h" ]; then
	PSEM_PREFIX=$(sed -n 's/^#define IPC_PSEM_PREFIX "\(.*\)"$/\1/p' \
	    "$(dirname "$IPCTOOL")/config.h")
fi
psem_file() { printf /dev/shm/%s%s "$PSEM_PREFIX" "${1#/}"; }
# A test of glibc's sem.NAME files (one that no semaphore is, planted
# there) skips where semaphores have no name of their own.
need_psem_prefix() {
	[ -n "$PSEM_PREFIX" ] ||
	    skip "semaphores are /dev/shm/NAME here (musl): a file of another size is a shared memory object"
}
# A test that needs one fixed key outside its block (a negative one, the
# largest) skips, outside a namespace, when someone else has it.
need_free_key() {
	[ -z "${IPCTOOL_IN_NS:-}" ] || return 0
	local k=$(($1 & 0xffffffff))
	[ "$k" -lt 2147483648 ] || k=$((k - 4294967296))
	! awk -v k="$k" 'FNR > 1 && $1 == k { f = 1 } END { exit !f }' \
	    /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg ||
	    skip "key $1 is in use in this IPC namespace"
}
# A key as ipctool prints it (0x%08x), and as /proc/sysvipc shows it.
keyhex() { printf 0x%08x $(($1)); }
keydec() { echo $(($1)); }

# Removes every object of this namespace; only inside our own namespace.
clean_ipc() {
	[ -n "${IPCTOOL_IN_NS:-}" ] || return 0
	ipcrm -a 2>/dev/null || true
	rm -rf /dev/shm/* /dev/mqueue/* 2>/dev/null || true
}

# Outside our own namespace, teardown removes what the test made: the
# objects owned by this user (and by nobody, when root) that were not
# there at setup (tests/run-bats --owned lists them).  tests/run-bats
# checks the whole file the same way.
owned_ipc() { "$BATS_TEST_DIRNAME/run-bats" --owned; }
remove_new_ipc() {
	[ -z "${IPCTOOL_IN_NS:-}" ] && [ -n "${IPC_BEFORE+x}" ] || return 0
	local kind what
	while read -r kind what; do
		case $kind in
		sem) ipcrm -s "$what" ;;
		shm) ipcrm -m "$what" ;;
		msg) ipcrm -q "$what" ;;
		posix) rm -f -- "$what" ;;
		esac 2>/dev/null || true
	done < <(owned_ipc | grep -avxF -f <(printf '%s\n' "$IPC_BEFORE"))
}

setup() {
	clean_ipc
	if [ -z "${IPCTOOL_IN_NS:-}" ]; then
		IPC_BEFORE=$(owned_ipc)
		pick_key_base
		POSIX_PFX=ipct-$$-$RANDOM-
	fi
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ipctool.XXXXXX")
	chmod 755 "$TMP"
}

teardown() {
	# what a failed test left running in BG (our own children only)
	[ "${#BG[@]}" = 0 ] || kill_children -KILL "${BG[@]}"
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

# The kernel's view of one semaphore set: "key semid perms nsems ..."
proc_sem() { awk -v id="$1" '$2 == id' /proc/sysvipc/sem; }

# features: what configure found, one word a line (+NAME, -NAME,
# KEY_T=32), from every line of `ipctool info`'s FEATURES (wrapped at 80
# columns, the rest indented under the first).
features() {
	"$IPCTOOL" info | awk 'on && !/^ / { exit }
	    /^FEATURES:/ { on = 1; sub(/^FEATURES:/, "") }
	    on { for (i = 1; i <= NF; i++) print $i }'
}
# missing_feature NAME: whether configure found NAME missing (-NAME).
missing_feature() { features | grep -qxF -- "-$1"; }
# A POSIX semaphore's -t needs sem_clockwait or sem_timedwait.
psem_timed() { ! missing_feature SEM_TIMEDWAIT || ! missing_feature SEM_CLOCKWAIT; }
# need_feature NAME...: skips, with the reason ipctool gives, a test that
# needs what configure found missing (`ipctool info` shows -NAME).
need_feature() {
	local f feats
	feats=$(features)
	for f; do
		! grep -qxF -- "-$f" <<<"$feats" ||
		    skip "not supported on this system: $f"
	done
}
# need_no_feature NAME...: skips a test of how ipctool does without NAME
# where configure found it (`info` shows +NAME).
need_no_feature() {
	local f feats
	feats=$(features)
	for f; do
		! grep -qxF -- "+$f" <<<"$feats" ||
		    skip "tests a build without $f (build-aux/variant-off)"
	done
}

# kill_children [-SIG] PID...: signals (SIGTERM by default) each PID that
# is still a child of this shell, and no other.  Every suite, and anything
# else on the machine, shares one PID namespace (pid_max may be 32768):
# a pid that bash has reaped already may be another suite's process by
# now (a "kill $HOLDER" in a teardown once ended 12 acquirers of a running
# sem.bats).
kill_children() {
	local sig=-TERM p st
	case ${1-} in -*) sig=$1; shift ;; esac
	for p; do
		st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		st=${st##*) }
		read -r _ st _ <<<"$st"
		[ "$st" = "$BASHPID" ] || continue
		kill "$sig" "$p" 2>/dev/null || true
	done
}

# Waits (bounded) until a shell condition holds, evaluated anew each time:
# wait_until SECS '[ "$(qnum "$q")" = 0 ]'
wait_until() {
	local end=$((SECONDS + $1))
	until eval "$2"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.02
	done
}

# Waits (bounded) until a command succeeds: wait_for SECS CMD...
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.02
	done
}

# hold KIND ARGS...: a background ipchelper.py process holding an object;
# waits (bounded) until it is ready, sets HOLDER to its pid and READY to
# what it wrote (list.bats and posix.bats still have their own copies).
hold() {
	local ready="$TMP/ready.$RANDOM"
	/usr/bin/python3 "$BATS_TEST_DIRNAME/ipchelper.py" "$@" "$ready" 3>&- &
	HOLDER=$!
	wait_for 30 test -e "$ready"
	READY=$(cat "$ready")
}

# The namespace's objects, times included: /proc/sysvipc and a stat of
# every POSIX object (stat(1) does not move a queue's ctime as reading it
# would).  The directories' own times are left out: glibc's sem_open
# makes and unlinks a temporary file even when O_EXCL then fails.
snap() {
	cat /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg
	(cd /dev/shm && stat -c '%n %s %a %u %g %X %Y %Z' -- * 2>&1)
	(cd /dev/mqueue && stat -c '%n %s %a %u %g %X %Y %Z' -- * 2>&1)
	ls -la --time-style=full-iso /dev/shm /dev/mqueue | grep -v ' \.\.\?$'
}
