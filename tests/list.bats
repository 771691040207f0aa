#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# ipctool list: kinds, columns, formats, filters, --pids, the /proc-less
# fallback, --ns.  Runs in a private IPC namespace (see run-bats).

load helpers

HELPER="$BATS_TEST_DIRNAME/ipchelper.py"

# hold KIND ARGS...: helpers.bash

teardown() {
	kill_children ${HOLDER:-} ${HOLDER2:-}
	wait 2>/dev/null || true
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

mkid() { "$@" | awk '{print $NF}'; }

@test "list: an empty namespace prints nothing and exits 0" {
	need_ns
	run ipctool list
	assert_success
	assert_output ""
}

@test "list: one titled table per kind that has objects" {
	need_ns
	q=$(mkid ipcmk -Q)
	s=$(mkid ipcmk -S 2)
	m=$(mkid ipcmk -M 4096)
	ipctool sem create /psem
	echo data > /dev/shm/blob
	touch /dev/mqueue/pq
	run ipctool list
	assert_success
	assert_line "System V semaphore sets:"
	assert_line "System V shared memory segments:"
	assert_line "System V message queues:"
	assert_line "POSIX named semaphores:"
	assert_line "POSIX shared memory objects:"
	assert_line "POSIX message queues:"
	assert_line --regexp "^KEY +ID PERMS +OWNER NSEMS OTIME +CTIME"
	assert_line --regexp "^0x[0-9a-f]{8} +$s rw-r--r-- +root +2 "
	assert_line --regexp "^0x[0-9a-f]{8} +$m rw-r--r-- +root +4096 +0 "
	assert_line --regexp "^0x[0-9a-f]{8} +$q rw-r--r-- +root +0 +0 "
	assert_line --regexp "^/psem +rw------- +root +0 "
	assert_line --regexp "^/blob +rw-r--r-- +root +5 "
	# USEDBYTES unknown: QSIZE is only read by moving the ctime
	assert_line --regexp "^/pq +rw-r--r-- +root +- +0 "
}

@test "list: kind selection --sem --shm --mq --sysv --posix" {
	need_ns
	ipcmk -Q >/dev/null
	ipcmk -S 1 >/dev/null
	ipcmk -M 100 >/dev/null
	ipctool sem create /ps
	: > /dev/shm/ps2
	touch /dev/mqueue/pq
	run ipctool list --sem --json
	assert_success
	[ "$(jq -c 'keys' <<<"$output")" = '["posix_semaphores","semaphores"]' ]
	run ipctool list --shm --mq --json
	[ "$(jq -c 'keys' <<<"$output")" = '["messages","posix_messages","posix_sharedmemory","sharedmemory"]' ]
	run ipctool list --sysv --json
	[ "$(jq -c 'keys' <<<"$output")" = '["messages","semaphores","sharedmemory"]' ]
	run ipctool list --posix --json
	[ "$(jq -c 'keys' <<<"$output")" = '["posix_messages","posix_semaphores","posix_sharedmemory"]' ]
	run ipctool list --posix --shm --json
	[ "$(jq -c 'keys' <<<"$output")" = '["posix_sharedmemory"]' ]
	[ "$(jq -r '.posix_sharedmemory[0].name' <<<"$output")" = /ps2 ]
	# the synopsis makes them exclusive: both is neither
	run ipctool list --sysv --posix --mq --json
	assert_failure 2
	run ipctool list --mq --json
	[ "$(jq -c 'keys' <<<"$output")" = '["messages","posix_messages"]' ]
	# a single kind: the header even when there is nothing
	run ipctool list --sem --sysv --owner nobody
	assert_success
	assert_output --regexp "^KEY +ID PERMS +OWNER NSEMS OTIME +CTIME$"
}

@test "list: --json is one valid document, numbers as numbers, null unknown, ISO 8601 times" {
	need_ns
	s=$(ipctool sem create 0x00001234 -n 3 | cut -d: -f2)
	m=$(mkid ipcmk -M 8192)
	ipcmk -Q >/dev/null
	run ipctool list --json
	assert_success
	jq -e . <<<"$output" >/dev/null
	jq -e --argjson s "$s" '.semaphores[0] | .id == $s and .key == "0x00001234"
		and .nsems == 3 and .perms == "0600" and .owner == "root"
		and (.otime | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"))
		and (.ctime | type) == "string"' <<<"$output"
	jq -e --argjson m "$m" '.sharedmemory[0] | .id == $m and .size == 8192
		and .nattch == 0 and (.cpid | type) == "number"
		and .lpid == 0 and .status == null' <<<"$output"
	jq -e '.messages[0] | .send == null and .recv == null and .msgs == 0
		and .usedbytes == 0' <<<"$output"
	# every column, in every section: numbers are numbers or null
	run ipctool list --json -o KIND,TARGET,KEY,ID,NAME,PERMS,OWNER,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP,SIZE,NATTCH,STATUS,ATTACH,DETACH,COMMAND,CPID,LPID,RSS,SWAP,USEDBYTES,MSGS,MAXMSG,MSGSIZE,SEND,RECV,LSPID,LRPID,NSEMS,OTIME,SVAL,MTIME,CTIME,PIDS
	assert_success
	jq -e '[.[][] | .id, .uid, .gid, .size, .nattch, .msgs, .nsems, .cpid
		| select(. != null) | type] | unique == ["number"]' <<<"$output"
	jq -e '.semaphores[0] | .kind == "sem" and .target == "id:\(.id)"
		and .cuid == 0 and .cuser == "root" and .cgroup == "root"
		and .group == "root" and .user == "root" and .name == null' <<<"$output"
	jq -e '.sharedmemory[0] | (.rss | type) == "number" and .swap == 0' <<<"$output"
}

@test "list: every column can be chosen with -o; unknown ones are refused" {
	need_ns
	ipcmk -M 100 >/dev/null
	ipcmk -Q >/dev/null
	ipcmk -S 1 >/dev/null
	for c in KIND TARGET KEY ID NAME PERMS OWNER CUID CUSER CGID CGROUP \
	    UID USER GID GROUP SIZE NATTCH STATUS ATTACH DETACH COMMAND CPID \
	    LPID RSS SWAP USEDBYTES MSGS MAXMSG MSGSIZE SEND RECV LSPID \
	    LRPID NSEMS OTIME SVAL MTIME CTIME PIDS; do
		run ipctool list --sysv -o "$c"
		assert_success
		assert_line "$c"
		run ipctool list --sysv -o "$(tr A-Z a-z <<<"$c")" --json
		assert_success
		jq -e --arg c "$(tr A-Z a-z <<<"$c")" \
		    '[.[][] | keys] | unique == [[$c]]' <<<"$output"
	done
	run ipctool list -o KEY,NOPE
	assert_failure 2
	assert_output --partial "unknown column 'NOPE'"
	run ipctool list -o ,
	assert_failure 2
}

@test "list: -o +COLS adds to the defaults, -o COLS replaces them" {
	need_ns
	s=$(mkid ipcmk -S 1)
	run ipctool list --sem --sysv -o +CUID,TARGET
	assert_success
	assert_line --index 0 --regexp "^KEY +ID PERMS +OWNER NSEMS OTIME +CTIME +CUID TARGET$"
	assert_line --index 1 --regexp " 0 id:$s$"
	run ipctool list --sem --sysv -o TARGET,ID
	assert_line --index 0 --regexp "^TARGET +ID$"
	assert_line --index 1 --regexp "^id:$s +$s$"
}

@test "list: --no-headings, --raw and a manifest made from the listing" {
	need_ns
	s=$(mkid ipcmk -S 1)
	q=$(mkid ipcmk -Q)
	ipctool sem create /p1
	run ipctool list --sysv --no-headings
	assert_success
	refute_output --partial "KEY"
	refute_output --partial "System V"
	run ipctool list --raw -o KIND,TARGET
	assert_success
	assert_output "sem id:$s
mq id:$q
sem /p1"
	# raw escapes what would split a field
	: > "/dev/shm/a b"
	run ipctool list --posix --shm --raw -o NAME
	assert_output '/a\x20b'
	rm "/dev/shm/a b"
	ipctool list --raw -o KIND,TARGET > "$TMP/manifest"
	run ipctool rm --manifest "$TMP/manifest"
	assert_success
	run ipctool list
	assert_output ""
}

@test "list: --raw and --export name the kind when several are listed" {
	need_ns
	ipcmk -S 1 >/dev/null
	ipcmk -Q >/dev/null
	run ipctool list --raw
	assert_line --index 0 --regexp "^sem 0x[0-9a-f]{8} "
	assert_line --index 1 --regexp "^mq 0x[0-9a-f]{8} "
	run ipctool list --raw --sem --sysv
	assert_line --index 0 --regexp "^0x[0-9a-f]{8} "
}

@test "list: --export output is eval-able" {
	need_ns
	m=$(mkid ipcmk -M 1000)
	: > '/dev/shm/we"ird$name`x'
	run ipctool list --sysv --export
	assert_success
	eval "$output"
	[ "$ID" = "$m" ]
	[ "$SIZE" = 1000 ]
	[ "$KIND" = shm ]
	[ "$STATUS" = "" ]
	[ "$LPID" = 0 ]
	[[ "$KEY" =~ ^0x[0-9a-f]{8}$ ]]
	run ipctool list --posix --shm --export -o NAME
	eval "$output"
	[ "$NAME" = '/we"ird$name`x' ]
}

@test "list: --human sizes" {
	need_ns
	ipcmk -M 1048576 >/dev/null
	run ipctool list --shm --sysv --human -o SIZE
	assert_success
	assert_line --index 1 --regexp "^ *1M$"
	run ipctool list --shm --sysv --human -o SIZE --json
	jq -e '.sharedmemory[0].size == 1048576' <<<"$output"
}

@test "list: STATUS shows dest for a removed segment still attached" {
	need_ns
	m=$(mkid ipcmk -M 4096)
	hold attach "$m"
	ipcrm -m "$m"
	run ipctool list --shm --sysv -o ID,STATUS,NATTCH
	assert_success
	assert_line --index 1 --regexp "^ *$m dest +1$"
}

@test "list: --owner and --creator" {
	need_ns
	root_s=$(ipctool sem create -m 666 | cut -d: -f2)
	nob_s=$(as_nobody "$IPCTOOL" sem create | cut -d: -f2)
	given=$(ipctool sem create -m 600 | cut -d: -f2)
	ipctool sem set "id:$given" --owner nobody
	run ipctool list --sem --owner nobody -o ID --no-headings
	assert_success
	assert_output "$(printf '%s\n%s' "$nob_s" "$given" | sort -n)"
	run ipctool list --sem --creator root -o ID --no-headings
	assert_output "$(printf '%s\n%s' "$root_s" "$given" | sort -n)"
	run ipctool list --sem --creator 65534 -o ID --no-headings
	assert_output "$nob_s"
	run ipctool list --owner nosuchuser
	assert_failure 2
	run ipctool list --owner root:root
	assert_failure 2
}

@test "list: --key matches System V objects only" {
	need_ns
	ipctool sem create 0x0000abcd >/dev/null
	ipctool sem create 0x0000abce >/dev/null
	ipctool sem create /k
	run ipctool list --key 0xabcd -o KEY --no-headings
	assert_success
	assert_output "0x0000abcd"
	run ipctool list --key 43981 -o KEY --no-headings
	assert_output "0x0000abcd"
	run ipctool list --key 0x0 
	assert_failure 2
	run ipctool list --key nope
	assert_failure 2
}

@test "list: --older-than, both sides of the boundary" {
	need_ns
	old=$(mkid ipcmk -S 1)
	sleep 2.2
	new=$(mkid ipcmk -S 1)
	run ipctool list --sem --older-than 2s -o ID --no-headings
	assert_success
	assert_output "$old"
	run ipctool list --sem --older-than 0 -o ID --no-headings
	assert_output "$(printf '%s\n%s' "$old" "$new")"
	run ipctool list --sem --older-than 1h -o ID --no-headings
	assert_output ""
	run ipctool list --older-than 5x
	assert_failure 2
	run ipctool list --older-than -1
	assert_failure 2
}

@test "list: --empty selects queues with no messages" {
	need_ns
	full=$(mkid ipcmk -Q)
	empty=$(mkid ipcmk -Q)
	ipcmk -S 1 >/dev/null
	hold msgsnd "$full" hello
	touch /dev/mqueue/pe
	run ipctool list --empty --raw -o KIND,TARGET,MSGS
	assert_success
	assert_output "mq id:$empty 0
mq /pe 0"
	run ipctool list --sysv --mq -o ID,MSGS,USEDBYTES,LSPID --no-headings
	assert_line --regexp "^ *$full +1 +5 +$HOLDER$"
}

@test "list: --orphaned System V objects, with real processes" {
	need_ns
	# shm: made by ipcmk (gone), never attached: orphaned
	gone=$(mkid ipcmk -M 4096)
	# shm: attached now
	held=$(mkid ipcmk -M 4096)
	hold attach "$held"
	# shm: creator alive, nothing attached
	hold2() { hold "$@"; HOLDER2=$HOLDER; }
	keep=$HOLDER
	hold2 shmget 4096
	alive=$READY
	HOLDER=$keep
	run ipctool list --shm --sysv --orphaned -o ID --no-headings
	assert_success
	assert_output "$gone"
	# sem: the last semop was by a process that ended
	s1=$(ipctool sem create | cut -d: -f2)
	# sem: the last semop is by a live process (CMD holds it)
	s2=$(ipctool sem create -v 1 | cut -d: -f2)
	"$IPCTOOL" sem acquire "id:$s2" -- sleep 30 3>&- &
	sleeper=$!
	wait_for 10 sh -c "[ \"\$(\"$IPCTOOL\" sem value id:$s2)\" = 0 ]"
	run ipctool list --sem --sysv --orphaned -o ID --no-headings
	assert_output "$s1"
	kill "$sleeper"
	wait "$sleeper" || true
	run ipctool list --sem --sysv --orphaned -o ID --no-headings
	assert_output "$(printf '%s\n%s' "$s1" "$s2")"
	# mq: never used, or used by a process still alive
	q1=$(mkid ipcmk -Q)
	q2=$(mkid ipcmk -Q)
	kill "$HOLDER"; wait "$HOLDER" 2>/dev/null || true
	hold msgsnd "$q2" x
	run ipctool list --mq --sysv --orphaned -o ID --no-headings
	assert_output "$q1"
}

@test "list: --orphaned POSIX objects: mapped or open means in use" {
	need_ns
	: > /dev/shm/free
	head -c 4096 /dev/zero > /dev/shm/mapped
	hold mmap /dev/shm/mapped
	touch /dev/mqueue/qfree /dev/mqueue/qopen
	bash -c 'exec 3</dev/mqueue/qopen; sleep 30' 3>&- &
	HOLDER2=$!
	wait_for 10 sh -c "ls -l /proc/$HOLDER2/fd | grep -q qopen"
	run ipctool list --posix --orphaned --raw -o KIND,NAME
	assert_success
	assert_output "shm /free
mq /qfree"
}

@test "list: --pids shows the processes attached now, with their commands" {
	need_ns
	m=$(mkid ipcmk -M 4096)
	other=$(mkid ipcmk -M 4096)
	hold attach "$m"
	head -c 4096 /dev/zero > /dev/shm/px
	keep=$HOLDER
	hold mmap /dev/shm/px
	HOLDER2=$HOLDER
	HOLDER=$keep
	run ipctool list --shm --pids
	assert_success
	assert_line --regexp "^0x[0-9a-f]{8} +$m .* +$HOLDER\(python3\)$"
	assert_line --regexp "^/px +rw-r--r-- .* $HOLDER2\(python3\)$"
	run ipctool list --shm --sysv --pids --raw -o ID,PIDS
	assert_line "$other "
	run ipctool list --shm --pids --json
	assert_success
	jq -e --argjson m "$m" --argjson p "$HOLDER" \
	    '.sharedmemory[] | select(.id == $m) | .processes == [{"pid": $p, "command": "python3"}]' <<<"$output"
	jq -e --argjson m "$other" \
	    '.sharedmemory[] | select(.id == $m) | .processes == []' <<<"$output"
	jq -e --argjson p "$HOLDER2" \
	    '.posix_sharedmemory[0].processes[0].pid == $p' <<<"$output"
}

@test "list: a process reaped in the middle of the /proc scan is skipped, not fatal" {
	need_ns
	command -v cc >/dev/null || skip "needs a C compiler for the shim"
	cc -shared -fPIC -o "$TMP/procgone.so" "$TOP_SRCDIR/tests/procgone.c" -ldl ||
	    skip "cannot build the shim"
	head -c 4096 /dev/zero > /dev/shm/px
	hold mmap /dev/shm/px
	sleep 600 3>&- &
	gone=$!
	asan=$(ldd "$IPCTOOL" | awk '$1 ~ /^libasan/ { print $3 }')
	LD_PRELOAD="${asan:+$asan }$TMP/procgone.so" IPCTOOL_TEST_GONE_PID=$gone \
	    run ipctool list --shm --posix --pids --raw -o NAME,PIDS --no-headings
	kill "$gone"
	assert_success
	assert_output "/px $HOLDER(python3)"
	LD_PRELOAD="${asan:+$asan }$TMP/procgone.so" IPCTOOL_TEST_GONE_PID=$HOLDER \
	    run ipctool rm --all --posix --orphaned --dry-run
	assert_success
	assert_output ""
}

@test "list: COMMAND is the creator's command while it runs" {
	need_ns
	hold shmget 4096
	run ipctool list --shm --sysv -o ID,CPID,COMMAND --no-headings
	assert_output --regexp "^ *$READY +$HOLDER python3$"
}

@test "list: the /proc-less fallback (IPCTOOL_NO_PROC=1) lists the same" {
	need_ns
	ipcmk -Q >/dev/null
	ipcmk -S 4 >/dev/null
	ipcmk -M 100 >/dev/null
	ipctool sem create -n 2 -v 3 >/dev/null
	cols=KIND,KEY,ID,PERMS,OWNER,CUID,CGID,UID,GID,SIZE,NATTCH,CPID,LPID,NSEMS,OTIME,CTIME,MSGS,USEDBYTES
	ipctool list --sysv --raw -o "$cols" > "$TMP/proc"
	IPCTOOL_NO_PROC=1 ipctool list --sysv --raw -o "$cols" > "$TMP/stat"
	[ "$(wc -l < "$TMP/proc")" = 4 ]
	diff "$TMP/proc" "$TMP/stat"
	# RSS comes from /proc only: unknown without it
	run env IPCTOOL_NO_PROC=1 "$IPCTOOL" list --shm --sysv --json -o RSS
	jq -e '.sharedmemory[0].rss == null' <<<"$output"
	# rm --all works on the fallback too
	IPCTOOL_NO_PROC=1 ipctool rm --all --sysv --force
	[ "$(ipcs -a | grep -c '^0x')" = 0 ]
}

@test "list: an unprivileged user sees every object too" {
	need_ns
	ipctool sem create -m 600 >/dev/null
	ipcmk -M 100 -p 600 >/dev/null
	run as_nobody "$IPCTOOL" list --sysv --raw -o KIND,OWNER
	assert_success
	assert_output "sem root
shm root"
	run env IPCTOOL_NO_PROC=1 setpriv --reuid=65534 --regid=65534 --clear-groups -- "$IPCTOOL" list --sysv --raw -o KIND,OWNER
	assert_output "sem root
shm root"
}

@test "list: /dev/mqueue not mounted: says how to mount it, lists the rest" {
	need_ns
	ipcmk -Q >/dev/null
	run unshare --mount bash -c 'umount /dev/mqueue && "$0" list --mq --raw -o KIND' "$IPCTOOL"
	assert_success
	assert_line "mq"
	assert_line --partial "mount -t mqueue none /dev/mqueue"
}

@test "list: usage errors" {
	run ipctool list extra
	assert_failure 2
	run ipctool list --bogus
	assert_failure 2
	run ipctool list --sysv --key 0x1 --shm --empty
	assert_failure 2
	assert_output --partial "no kind"
	run ipctool list --key 0x1 --posix
	assert_failure 2
	assert_output --partial "no kind"
	run ipctool list --help
	assert_success
	assert_output --partial "usage: ipctool list"
}

@test "--ns: lists the objects of another IPC namespace" {
	need_feature SETNS
	need_ns
	ipcmk -Q >/dev/null
	unshare --ipc sleep 30 3>&- &
	ns=$!
	wait_for 10 sh -c "[ \"\$(readlink /proc/$ns/ns/ipc)\" != \"\$(readlink /proc/self/ns/ipc)\" ]"
	s=$(ipctool --ns "$ns" sem create 0x00c0ffee | cut -d: -f2)
	run ipctool --ns "$ns" list --sysv --raw -o KIND,KEY
	assert_success
	assert_output "sem 0x00c0ffee"
	run ipctool --ns "/proc/$ns/ns/ipc" list --sysv --raw -o KIND,TARGET
	assert_output "sem id:$s"
	run ipctool list --sysv --raw -o KIND
	assert_output "mq"
	# without the privilege: a clear 5
	run as_nobody "$IPCTOOL" --ns "$ns" list
	assert_failure 5
	assert_output --partial "cannot join"
	kill "$ns"
	wait "$ns" || true
}

@test "--ns: a bad PID or file" {
	run ipctool --ns 0 list
	assert_failure 2
	run ipctool --ns abc list
	assert_failure 2
	if missing_feature SETNS; then
		# parsed, then refused before any file is looked at
		for f in /nonexistent/ns /etc/passwd; do
			run ipctool --ns "$f" list
			assert_failure 2
			assert_output "ipctool: --ns $f: cannot join its IPC namespace: not supported on this system: SETNS"
		done
		return 0
	fi
	run ipctool --ns /nonexistent/ns list
	assert_failure 3
	run ipctool --ns /etc/passwd list
	assert_failure 2
}

@test "--json stays valid UTF-8 whatever bytes a POSIX name holds" {
	names bad
	ipctool sem create "$n_bad"$'\xff\xc3\xa9' >/dev/null
	ipctool list --json > "$TMP/j"
	# this test's one (others may be there outside a namespace)
	run /usr/bin/python3 -c 'import json, sys; d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8")); print("\n".join(s["name"] for s in d["posix_semaphores"] if s["name"].startswith(sys.argv[2])))' "$TMP/j" "$n_bad"
	assert_success
	assert_output "$n_bad"$'\ufffd\u00e9'
}

@test "list and rm --all on a kernel without *_STAT_ANY: *_STAT instead, and no silent success" {
	need_ns
	command -v cc >/dev/null || skip "needs a C compiler for the shim"
	cc -shared -fPIC -o "$TMP/nostatany.so" "$TOP_SRCDIR/tests/nostatany.c" -ldl ||
	    skip "cannot build the shim"
	s=$(mkid ipcmk -S 1)
	m=$(mkid ipcmk -M 4096)
	q=$(mkid ipcmk -Q -p 0600)
	# under AddressSanitizer its runtime must come first in the preloads
	asan=$(ldd "$IPCTOOL" | awk '$1 ~ /^libasan/ { print $3 }')
	export IPCTOOL_NO_PROC=1 LD_PRELOAD="${asan:+$asan }$TMP/nostatany.so"
	run ipctool list --sysv --raw -o KIND,ID --no-headings
	assert_success
	assert_output "sem $s
shm $m
mq $q"
	run ipctool rm --all --sysv --owner root --dry-run
	assert_success
	assert_output "sem id:$s
shm id:$m
mq id:$q"
	# *_STAT needs read permission: what cannot be read is not hidden
	run as_nobody "$IPCTOOL" list --sysv --mq --raw -o ID --no-headings
	assert_failure 5
	assert_output "ipctool: list: cannot list System V mq: Permission denied"
	unset LD_PRELOAD IPCTOOL_NO_PROC
}

@test "list --help names its columns, and -o completes them" {
	run ipctool list --help
	assert_success
	assert_line --regexp '^  TARGET +id:N or /NAME'
	assert_line --regexp '^  PIDS +processes mapping it'
	run ipctool __complete list -o K
	assert_line KIND
	assert_line KEY
	refute_line ID
	run ipctool __complete list -o KIND,T
	assert_output "KIND,TARGET"
}

# tmux on a private server: tm ARGS...
tm() { tmux -L "$TMSOCK" -f /dev/null "$@"; }
pane() { tm capture-pane -p; }

@test "list --watch redraws in a terminal until Ctrl-C, which exits 0" {
	command -v tmux >/dev/null || skip "needs tmux"
	need_ns
	TMSOCK=ipctool-watch-$$-$RANDOM
	tm new-session -d -x 100 -y 30 \
	    "'$IPCTOOL' list --watch=0.2; echo \"rc=\$?\" > '$TMP/rc'; sleep 30"
	wait_until 30 'pane | grep -q "^Every 0.2s: ipctool list"'
	ipctool sem create 0x00a7c0de >/dev/null
	wait_until 30 'pane | grep -q "^0x00a7c0de "'
	ipctool rm 0x00a7c0de
	wait_until 30 '! pane | grep -q "0x00a7c0de"'
	# in the alternate screen, no line of an earlier frame is left over
	pane | grep -q "^Every 0.2s"
	tm send-keys C-c
	wait_until 30 '[ -s "$TMP/rc" ]'
	status=0
	[ "$(cat "$TMP/rc")" = "rc=0" ] || status=1
	# the terminal is back: out of the alternate screen, cursor shown
	! pane | grep -q "^Every"
	tm kill-server 2>/dev/null || true
	[ "$status" = 0 ]
}

@test "list --watch: SIGTERM ends it with 0; not a tty: frames one after another" {
	need_ns
	ipctool sem create 0x00a7c0df >/dev/null
	"$IPCTOOL" list --watch=0.1 --sysv > "$TMP/out" 2>&1 &
	HOLDER=$!
	# not a tty: a MARK column first (blank: unchanged)
	wait_until 30 '[ "$(grep -c "^ *0x00a7c0df " "$TMP/out")" -ge 2 ]'
	kill -TERM "$HOLDER"
	# wait in this shell: under `run` it is a subshell's, which may not
	# know the child (status 255)
	st=0; wait "$HOLDER" || st=$?
	[ "$st" = 0 ]
	# no escape sequence when not on a terminal
	! grep -q $'\033' "$TMP/out"
	grep -q "^Every 0.1s: ipctool list" "$TMP/out"
}

@test "list --watch: what it refuses" {
	for o in --json --metrics; do
		run ipctool list --watch $o
		assert_failure 2
		assert_line --index 0 --partial "--watch: redraws a table"
	done
	run ipctool list --watch=0
	assert_failure 2
	assert_line --index 0 --partial "at least 0.1"
	run ipctool list --watch=x
	assert_failure 2
	run ipctool list --watch=1 --bogus
	assert_failure 2
}
