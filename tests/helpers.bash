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

# Tests that list or remove everything need a namespace of their own.
need_ns() {
	[ -n "${IPCTOOL_IN_NS:-}" ] || skip "needs a private IPC namespace (run as root)"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# Runs a command as an unprivileged user (nobody).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# Removes every object of this namespace; only inside our own namespace.
clean_ipc() {
	[ -n "${IPCTOOL_IN_NS:-}" ] || return 0
	ipcrm -a 2>/dev/null || true
	rm -rf /dev/shm/* /dev/mqueue/* 2>/dev/null || true
}

setup() {
	clean_ipc
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ipctool.XXXXXX")
	chmod 755 "$TMP"
}

teardown() {
	clean_ipc
	rm -rf "$TMP"
}

# The kernel's view of one semaphore set: "key semid perms nsems ..."
proc_sem() { awk -v id="$1" '$2 == id' /proc/sysvipc/sem; }

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
