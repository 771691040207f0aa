#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
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
	[ ! -e "$(psem_file /ps)" ] && [ ! -e /dev/shm/pm ] && [ ! -e /dev/mqueue/pq ]
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
	# a semaphore and a segment of one name: two files, sem.NAME and NAME
	need_psem_prefix
	ipctool sem create /both
	: > /dev/shm/both
	run ipctool rm /both
	assert_failure 2
	assert_output --partial "several kinds"
	[ -e "$(psem_file /both)" ] && [ -e /dev/shm/both ]
	run ipctool rm --shm /both
	assert_success
	[ -e "$(psem_file /both)" ] && [ ! -e /dev/shm/both ]
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
	run --separate-stderr ipctool rm --all --force -v
	assert_success
	[ "${#lines[@]}" = 12 ]
	assert_line "removed mq /c"
	[ "$stderr" = "ipctool: rm: removed 3 sem, 3 shm, 3 mq, 1 POSIX sem, 1 POSIX shm, 1 POSIX mq" ]
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
	run --separate-stderr ipctool rm --all --sem --sysv --key 0x77 -v
	assert_output "removed sem id:$k"
	run --separate-stderr ipctool rm --all --owner nobody -v
	assert_output "removed sem id:$n"
	run ipctool rm --all --posix --dry-run
	assert_output "sem /keep"
	run ipctool rm --all --mq -v
	assert_failure 2
	run --separate-stderr ipctool rm --all --mq --force -v
	assert_output "removed mq id:$q"
	[ "$stderr" = "ipctool: rm: removed 1 mq, 0 POSIX mq" ]
	run ipctool rm --all --empty
	assert_success
	run ipctool rm --all --older-than 1h
	assert_success
	run ipctool list --raw -o KIND,TARGET
	assert_output "sem id:$s
sem /keep"
	run --separate-stderr ipctool rm --all --creator root --sysv -v
	assert_output "removed sem id:$s"
	# filters only go with --all
	run ipctool rm --orphaned /keep
	assert_failure 2
	run ipctool rm --all /keep
	assert_failure 2
	[ -e "$(psem_file /keep)" ]
}

@test "rm --all without a filter needs --force; it removes nothing then" {
	need_ns
	s=$(mkid ipcmk -S 1)
	: > /dev/shm/pulse-shm-1
	for sel in "" --sysv --posix --shm "--sem --sysv"; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool rm --all $sel
		assert_failure 2
		[[ "$stderr" == *--dry-run*--older-than*--force* ]]
	done
	[ -e /dev/shm/pulse-shm-1 ]
	[ "$(count)" = 2 ]
	# a dry run needs no --force, and says what it would remove
	run --separate-stderr ipctool rm --all --dry-run
	assert_success
	assert_output "sem id:$s
shm /pulse-shm-1"
	[ -z "$stderr" ]
	run ipctool rm --force /dev/shm/x
	assert_failure 2
	run --separate-stderr ipctool rm --all --posix --force
	assert_success
	[ "$stderr" = "ipctool: rm: removed 0 POSIX sem, 1 POSIX shm, 0 POSIX mq" ]
	[ ! -e /dev/shm/pulse-shm-1 ]
	[ "$(count)" = 1 ]
	# a filter is enough, and reports what it removed too
	run --separate-stderr ipctool rm --all --key "$(ipcs -s | awk -v id="$s" '$2 == id {print $1}')"
	assert_success
	[ "$stderr" = "ipctool: rm: removed 1 sem, 0 shm, 0 mq" ]
	[ "$(count)" = 0 ]
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
time.sleep(300)
PY
	holder=$!
	wait_for 30 test -e "$TMP/ready"
	run --separate-stderr ipctool rm --all --orphaned -v
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
	run as_nobody "$IPCTOOL" rm --all --force -v
	assert_failure 5
	assert_line "removed sem id:$mine"
	assert_line --partial "sem id:$a: Operation not permitted"
	assert_line --partial "shm id:$b: Operation not permitted"
	assert_line --partial "sem /rootsem: Permission denied"
	assert_line "ipctool: rm: removed 1 sem, 0 shm, 0 mq, 0 POSIX sem, 0 POSIX shm, 0 POSIX mq"
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
	need_root
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

@test "a manifest round-trips every name: create --manifest, then rm --manifest" {
	need_ns
	ipctool shm create "/a b" --manifest "$TMP/m" >/dev/null
	ipctool sem create '/back\slash' --manifest "$TMP/m" >/dev/null
	ipctool mq create "/sp ace" --manifest "$TMP/m" >/dev/null
	ipctool sem create $'/caf\xc3\xa9' --manifest "$TMP/m" >/dev/null
	ipctool shm create $'/not\xffutf8' --manifest "$TMP/m" >/dev/null
	# one entry a line, whatever the name holds
	[ "$(wc -l < "$TMP/m")" = 5 ]
	grep -qxF 'shm /a\x20b' "$TMP/m"
	grep -qxF 'sem /back\x5cslash' "$TMP/m"
	grep -qxF 'shm /not\xffutf8' "$TMP/m"
	run ipctool rm --manifest "$TMP/m" -v
	assert_success
	assert_line 'removed shm /a\x20b'
	[ "$(count)" = 0 ]
}

@test "list --raw -o KIND,TARGET is a manifest, for names with any byte" {
	need_ns
	keep=$(mkid ipcmk -S 1)
	s=$(ipctool sem create)
	ipctool shm create "/a b" >/dev/null
	: > /dev/shm/$'nl\nname'
	: > /dev/shm/$'esc\e[31m'
	: > /dev/shm/$'bs\\x41'
	: > /dev/shm/$'hi\xff\xfe'
	touch /dev/mqueue/$'q\ttab'
	ipctool list --raw -o KIND,TARGET --no-headings | grep -v "id:$keep\$" > "$TMP/m"
	[ "$(wc -l < "$TMP/m")" = 7 ]
	grep -qxF 'shm /nl\x0aname' "$TMP/m"
	grep -qxF 'shm /bs\x5cx41' "$TMP/m"
	# the dry run prints the same manifest back
	run --separate-stderr ipctool rm --manifest "$TMP/m" --dry-run
	assert_success
	[ "$output" = "$(cat "$TMP/m")" ]
	run ipctool rm --manifest "$TMP/m"
	assert_success
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
	run ipctool list --raw -o TARGET
	assert_output "id:$keep"
}

@test "rm --manifest: a bad escape or a NUL byte is an error naming the line" {
	need_ns
	ipctool sem create /ok >/dev/null
	printf 'sem /ok\\x\nsem /a\\x00b\nsem /x\0y\nsem /ok\n' > "$TMP/m"
	run ipctool rm --manifest "$TMP/m"
	assert_failure 2
	assert_line --partial "$TMP/m:1: a backslash that is not"
	assert_line --partial "$TMP/m:2: \\x00"
	assert_line --partial "$TMP/m:3: a NUL byte"
	[ "${#lines[@]}" = 3 ]
	[ ! -e "$(psem_file /ok)" ]
}

@test "rm --manifest that runs out of memory reading a line does not exit 0" {
	need_ns
	ipctool sem create /stays >/dev/null
	# one endless line: getline grows until memory runs out
	run bash -c "ulimit -v 200000; yes a | tr -d '\n' | '$IPCTOOL' rm --manifest /dev/stdin"
	[ "$status" -ne 0 ]
	assert_output --partial "--manifest /dev/stdin"
	[ -e "$(psem_file /stays)" ]
}

@test "--manifest does not follow a symlink another user planted" {
	need_ns
	need_root
	mkdir -m 1777 "$TMP/pub"
	: > "$TMP/victim"
	as_nobody ln -s "$TMP/victim" "$TMP/pub/mf"
	run ipctool sem create /x --manifest "$TMP/pub/mf"
	assert_failure
	assert_output --partial "--manifest $TMP/pub/mf"
	[ ! -s "$TMP/victim" ]
	[ ! -e "$(psem_file /x)" ]
	echo "sem /y" > "$TMP/victim"
	ipctool sem create /y >/dev/null
	run ipctool rm --manifest "$TMP/pub/mf"
	assert_failure
	[ -e "$(psem_file /y)" ]
	# links of one's own, and root's /dev/stdout, are followed
	ln -s "$TMP/victim" "$TMP/mine"
	run ipctool rm --manifest "$TMP/mine"
	assert_success
	[ ! -e "$(psem_file /y)" ]
	run ipctool sem create /z --manifest /dev/stdout
	assert_success
	assert_line "sem /z"
}

@test "--ns FILE: POSIX objects are the caller's own, so rm refuses them" {
	need_ns
	need_feature SETNS
	# a semaphore and a segment both named /mine
	need_psem_prefix
	unshare --ipc sleep 30 3>&- &
	ns=$!
	wait_for 10 sh -c "[ \"\$(readlink /proc/$ns/ns/ipc)\" != \"\$(readlink /proc/self/ns/ipc)\" ]"
	mine=$(mkid ipcmk -S 1)
	ipctool sem create /mine >/dev/null
	ipctool shm create /mine >/dev/null
	theirs=$(ipctool --ns "$ns" sem create | cut -d: -f2)
	for cmd in "rm --all --posix --force" "rm --all --posix --dry-run" \
	    "rm --sem /mine" "sem rm /mine" "shm rm /mine" "list --posix"; do
		# shellcheck disable=SC2086
		run ipctool --ns "/proc/$ns/ns/ipc" $cmd
		assert_failure 2
		assert_line --index 0 --partial "under --ns FILE, POSIX objects"
	done
	run ipctool --ns "/proc/$ns/ns/ipc" rm /mine
	assert_failure 2
	echo "sem /mine" > "$TMP/m"
	run ipctool --ns "/proc/$ns/ns/ipc" rm --manifest "$TMP/m"
	assert_failure 2
	[ -e "$(psem_file /mine)" ] && [ -e /dev/shm/mine ]
	# plain rm --all and list cover System V only, and list says so
	run --separate-stderr ipctool --ns "/proc/$ns/ns/ipc" list --raw -o KIND,TARGET
	assert_success
	assert_output "sem id:$theirs"
	[[ "$stderr" == *"System V objects only"* ]]
	run --separate-stderr ipctool --ns "/proc/$ns/ns/ipc" rm --all --force -v
	assert_success
	assert_output "removed sem id:$theirs"
	[ "$stderr" = "ipctool: rm: removed 1 sem, 0 shm, 0 mq" ]
	[ -e "$(psem_file /mine)" ] && [ -e /dev/shm/mine ]
	run ipctool list --raw -o KIND,TARGET
	assert_output "sem id:$mine
sem /mine
shm /mine"
	kill "$ns"
	wait "$ns" || true
}

@test "rm --help lists every option rm takes, --force and --verbose too" {
	run ipctool rm --help
	assert_success
	assert_line --regexp '^ +--force +with --all'
	assert_line --regexp '^  -v, --verbose +'
	assert_line --regexp '^ +--sysv +'
	# the table is what the parser takes: --force is accepted
	run ipctool rm --all --force --dry-run
	assert_success
	# and nothing else: no abbreviation of --empty
	run ipctool rm --all --e
	assert_failure 2
	assert_line --index 0 "ipctool: rm: unknown option '--e'"
}

@test "rm TARGET... completion offers live targets, never one given already" {
	need_ns
	a=$(ipctool sem create)
	b=$(ipctool shm create)
	ipctool mq create /cq >/dev/null
	run ipctool __complete rm ""
	assert_success
	assert_line "$a"
	assert_line "$b"
	assert_line /cq
	run ipctool __complete rm "$a" ""
	refute_line "$a"
	assert_line "$b"
	assert_line /cq
	run ipctool __complete rm "$a" /cq --dry-run ""
	assert_output "$b"
}
