#!/usr/bin/env bats
# ipctool rm: targets of every kind, --all with filters, --manifest,
# --dry-run, -v, permissions.  Runs in a private IPC namespace.

load helpers

mkid() { "$@" | awk '{print $NF}'; }
count() { ipctool list --raw -o KIND --no-headings | wc -l; }

@test "rm: no TARGET and no --all is a usage error, removing nothing" {
	need_ns
	ipcmk -Q >/dev/null
	run ipctool rm
	assert_failure 2
	assert_output --partial "nothing to remove"
	run ipctool rm --sem
	assert_failure 2
	[ "$(count)" = 1 ]
}

@test "rm: TARGETs of every kind" {
	need_ns
	s=$(mkid ipcmk -S 1)
	m=$(mkid ipcmk -M 100)
	q=$(mkid ipcmk -Q)
	ipctool sem create /ps
	: > /dev/shm/pm
	touch /dev/mqueue/pq
	run ipctool rm --sem "id:$s"
	assert_success
	run ipctool rm --shm "id:$m" /pm
	assert_success
	run ipctool rm --mq "id:$q" /pq
	assert_success
	run ipctool rm /ps
	assert_success
	[ "$(count)" = 0 ]
	[ ! -e /dev/shm/sem.ps ] && [ ! -e /dev/shm/pm ] && [ ! -e /dev/mqueue/pq ]
}

@test "rm: a mix of existing, missing and forbidden: goes on, first failure's code" {
	need_ns
	forbidden=$(ipctool sem create -m 600 | cut -d: -f2)
	mine1=$(as_nobody "$IPCTOOL" sem create | cut -d: -f2)
	mine2=$(as_nobody "$IPCTOOL" sem create | cut -d: -f2)
	run as_nobody "$IPCTOOL" rm --sem "id:$forbidden" id:9999 "id:$mine1"
	assert_failure 5
	assert_line --index 0 --partial "id:$forbidden: Operation not permitted"
	assert_line --index 1 "ipctool: rm: id:9999: no such object"
	[ "${#lines[@]}" = 2 ]
	run as_nobody "$IPCTOOL" rm --sem id:9999 "id:$forbidden" "id:$mine2"
	assert_failure 3
	# the allowed ones went, the forbidden one stayed
	run ipctool list --sem --sysv -o ID --no-headings
	assert_output "$forbidden"
}

@test "rm: a TARGET several families have needs a kind option" {
	need_ns
	ipctool sem create /both
	: > /dev/shm/both
	run ipctool rm /both
	assert_failure 2
	assert_output --partial "several kinds"
	[ -e /dev/shm/sem.both ] && [ -e /dev/shm/both ]
	run ipctool rm --shm /both
	assert_success
	[ -e /dev/shm/sem.both ] && [ ! -e /dev/shm/both ]
	run ipctool rm --sem --shm /both
	assert_failure 2
}

@test "rm -v reports each removal; --dry-run prints and changes nothing" {
	need_ns
	s=$(mkid ipcmk -S 1)
	ipctool sem create /v
	run ipctool rm --dry-run "id:$s" /v
	assert_success
	assert_output "sem id:$s
sem /v"
	[ "$(count)" = 2 ]
	run ipctool rm --dry-run --sem id:4242
	assert_failure 3
	run ipctool rm -v "id:$s" /v
	assert_success
	assert_output "removed sem id:$s
removed sem /v"
	[ "$(count)" = 0 ]
}

@test "rm --all removes every kind; --dry-run first lists exactly that" {
	need_ns
	for i in 1 2 3; do ipcmk -Q >/dev/null; ipcmk -S 2 >/dev/null; ipcmk -M 64 >/dev/null; done
	ipctool sem create /a
	: > /dev/shm/b
	touch /dev/mqueue/c
	before=$(ipctool list --json)
	run ipctool rm --all --dry-run
	assert_success
	[ "${#lines[@]}" = 12 ]
	assert_line "sem /a"
	assert_line "shm /b"
	assert_line "mq /c"
	[ "$(ipctool list --json)" = "$before" ]
	run ipctool rm --all -v
	assert_success
	[ "${#lines[@]}" = 12 ]
	assert_line "removed mq /c"
	[ "$(count)" = 0 ]
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
	[ "$(ipcs -a | grep -c '^0x')" = 0 ]
}

@test "rm --all with kind selection and filters" {
	need_ns
	q=$(mkid ipcmk -Q)
	s=$(mkid ipcmk -S 1)
	ipctool sem create /keep
	k=$(ipctool sem create 0x00000077 | cut -d: -f2)
	n=$(as_nobody "$IPCTOOL" sem create | cut -d: -f2)
	run ipctool rm --all --sem --sysv --key 0x77 -v
	assert_output "removed sem id:$k"
	run ipctool rm --all --owner nobody -v
	assert_output "removed sem id:$n"
	run ipctool rm --all --posix --dry-run
	assert_output "sem /keep"
	run ipctool rm --all --mq -v
	assert_output "removed mq id:$q"
	run ipctool rm --all --empty
	assert_success
	run ipctool rm --all --older-than 1h
	assert_success
	run ipctool list --raw -o KIND,TARGET
	assert_output "sem id:$s
sem /keep"
	run ipctool rm --all --creator root --sysv -v
	assert_output "removed sem id:$s"
	# filters only go with --all
	run ipctool rm --orphaned /keep
	assert_failure 2
	run ipctool rm --all /keep
	assert_failure 2
	[ -e /dev/shm/sem.keep ]
}

@test "rm --all --orphaned spares objects in use" {
	need_ns
	gone=$(mkid ipcmk -M 4096)
	used=$(mkid ipcmk -M 4096)
	python3 - "$used" "$TMP/ready" 3>&- <<'PY' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmat(int(sys.argv[1]), None, 0)
open(sys.argv[2], "w").close()
time.sleep(30)
PY
	holder=$!
	wait_for 10 test -e "$TMP/ready"
	run ipctool rm --all --orphaned -v
	assert_success
	assert_output "removed shm id:$gone"
	run ipctool list --shm --sysv -o ID --no-headings
	assert_output "$used"
	kill "$holder"
	wait "$holder" || true
}

@test "rm --all as an unprivileged user: 5 per forbidden object, the rest removed" {
	need_ns
	a=$(ipctool sem create -m 600 | cut -d: -f2)
	b=$(mkid ipcmk -M 100 -p 600)
	mine=$(as_nobody "$IPCTOOL" sem create | cut -d: -f2)
	ipctool sem create /rootsem -m 600 >/dev/null
	run as_nobody "$IPCTOOL" rm --all -v
	assert_failure 5
	assert_line "removed sem id:$mine"
	assert_line --partial "sem id:$a: Operation not permitted"
	assert_line --partial "shm id:$b: Operation not permitted"
	assert_line --partial "sem /rootsem: Permission denied"
	run ipctool list --raw -o KIND,TARGET
	assert_output "sem id:$a
shm id:$b
sem /rootsem"
}

@test "rm --manifest removes exactly what create --manifest wrote" {
	need_ns
	other=$(mkid ipcmk -S 1)
	ipctool sem create --manifest "$TMP/m" >/dev/null
	ipctool sem create --manifest "$TMP/m" /man >/dev/null
	echo "# a comment" >> "$TMP/m"
	echo "" >> "$TMP/m"
	echo "shm /nothere" >> "$TMP/m"
	cat "$TMP/m"
	run ipctool rm --manifest "$TMP/m" -v
	assert_failure 3
	assert_line --partial "/nothere: no such object"
	assert_line --regexp "^removed sem id:[0-9]+$"
	assert_line "removed sem /man"
	run ipctool list --raw -o TARGET
	assert_output "id:$other"
}

@test "rm --manifest: malformed lines and a missing file" {
	need_ns
	s=$(mkid ipcmk -S 1)
	printf 'bogus\nfoo id:1\nsem\nsem id:%s\nsem id:1 extra\n' "$s" > "$TMP/m"
	run ipctool rm --manifest "$TMP/m"
	assert_failure 2
	assert_line --partial "$TMP/m:1: not 'KIND TARGET'"
	assert_line --partial "$TMP/m:2:"
	assert_line --partial "$TMP/m:3:"
	assert_line --partial "$TMP/m:5:"
	[ "$(count)" = 0 ]
	run ipctool rm --manifest "$TMP/none"
	assert_failure 3
	run ipctool rm --sem --manifest "$TMP/m"
	assert_failure 2
}

@test "the owner removes its own objects by id even when their mode denies it everything" {
	s=$(as_nobody "$IPCTOOL" sem create -m 0000)
	q=$(as_nobody "$IPCTOOL" mq create -m 0000)
	m=$(as_nobody "$IPCTOOL" shm create -m 0000)
	run as_nobody "$IPCTOOL" rm --sem "$s" --mq "$q"
	assert_failure 2
	run as_nobody "$IPCTOOL" rm --sem "$s"
	assert_success
	run as_nobody "$IPCTOOL" mq rm "$q"
	assert_success
	run as_nobody "$IPCTOOL" shm rm "$m"
	assert_success
	[ "$(cat /proc/sysvipc/sem /proc/sysvipc/msg /proc/sysvipc/shm | grep -vc '^ *key')" -eq 0 ]
}
