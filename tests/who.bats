#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Who uses an object and who waits on it: list --pids, the WAITERS column,
# stat's sections and --orphaned on POSIX objects, with real processes
# (ipctool itself, python3 with sysv_ipc or multiprocessing, and
# tests/waiter.c for POSIX waits).  Runs in a private IPC namespace.

load helpers

HELPER="$BATS_TEST_DIRNAME/ipchelper.py"

teardown() {
	kill_children -9 ${BGS:-}
	wait 2>/dev/null || true
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

mkid() { "$@" | awk '{print $NF}'; }

# rawl ARGS...: ipctool ARGS --raw --no-headings, spaces unescaped
rawl() { "$IPCTOOL" "$@" --raw --no-headings | sed 's/\\x20/ /g'; }

# bg CMD...: runs CMD (a program, not a function) in the background; BG is
# its pid
bg() {
	"$@" 3>&- >/dev/null 2>&1 &
	BG=$!
	BGS="${BGS:-} $BG"
}

# hold ARGS...: an ipchelper.py process holding an object, once ready
hold() {
	local ready="$TMP/ready.$RANDOM"
	bg /usr/bin/python3 "$HELPER" "$@" "$ready"
	wait_for 30 test -e "$ready"
}

# The number of system call NAME here (from the headers, as ipctool's).
sysnr() {
	printf '#include <sys/syscall.h>\nSYS_%s\n' "$1" | cc -E -P - | tail -n 1
}

# wait_call PID NAME...: waits (bounded) until PID sleeps in one of the
# calls, as /proc/PID/syscall shows it.
wait_call() {
	local pid=$1 n nrs=" "
	shift
	for n; do nrs="$nrs$(sysnr "$n") "; done
	wait_until 20 '[[ "$nrs" == *" $(cut -d" " -f1 /proc/$pid/syscall 2>/dev/null) "* ]]'
}

build_waiter() {
	command -v cc >/dev/null || skip "needs a C compiler"
	cc -o "$TMP/waiter" "$TOP_SRCDIR/tests/waiter.c"
}

@test "who: list --pids shows who maps or holds open each kind, with commands, and JSON {pid, command}" {
	need_ns
	m=$(mkid ipcmk -M 4096)
	hold attach "$m"
	shm=$BG
	ipctool shm create /seg -s 4096
	hold mmap /dev/shm/seg
	pshm=$BG
	ipctool sem create /s -v 1
	bg bash -c 'exec 4</dev/shm/sem.s; exec sleep 60'
	psem=$BG
	ipctool mq create /q
	bg bash -c 'exec 4</dev/mqueue/q; exec sleep 60'
	pmq=$BG
	ipctool mq create /idle
	wait_until 10 '[ "$(readlink /proc/$psem/exe)" = "$(command -v sleep)" ]'
	wait_until 10 '[ "$(readlink /proc/$pmq/exe)" = "$(command -v sleep)" ]'
	run ipctool list --pids --raw -o KIND,TARGET,PIDS --no-headings
	assert_success
	assert_line "shm id:$m $shm(python3)"
	assert_line "shm /seg $pshm(python3)"
	assert_line "sem /s $psem(sleep)"
	assert_line "mq /q $pmq(sleep)"
	assert_line "mq /idle "
	run ipctool list --pids --json
	assert_success
	jq -e --argjson p "$pmq" '.posix_messages[] | select(.name == "/q") | .processes == [{"pid": $p, "command": "sleep"}]' <<<"$output"
	jq -e --argjson p "$psem" '.posix_semaphores[0].processes == [{"pid": $p, "command": "sleep"}] and .posix_semaphores[0].waiters == []' <<<"$output"
	jq -e --argjson p "$shm" '.sharedmemory[0].processes == [{"pid": $p, "command": "python3"}]' <<<"$output"
	# every stat says the same
	run ipctool shm stat /seg
	assert_success
	assert_line --regexp "^ *$pshm python3$"
	run ipctool mq stat /q --json
	assert_success
	jq -e --argjson p "$pmq" '.posix_messages[0].processes == [{"pid": $p, "command": "sleep"}]' <<<"$output"
	run ipctool sem stat /s --json
	jq -e --argjson p "$psem" '.posix_semaphores[0].processes[0].pid == $p' <<<"$output"
	run ipctool shm stat "id:$m" --json
	jq -e --argjson p "$shm" '.sharedmemory[0].processes == [{"pid": $p, "command": "python3"}]' <<<"$output"
}

@test "who: list --pids reads /proc once, however many objects" {
	need_ns
	command -v strace >/dev/null || skip "needs strace"
	for i in 1 2 3 4 5; do
		ipcmk -M 4096 >/dev/null
		ipcmk -S 1 >/dev/null
		ipctool sem create "/s$i" >/dev/null
		ipctool mq create "/q$i" >/dev/null
	done
	ASAN_OPTIONS=detect_leaks=0 run strace -f -e trace=openat -o "$TMP/trace" "$IPCTOOL" list --pids
	assert_success
	run grep -c 'openat(AT_FDCWD, "/proc", ' "$TMP/trace"
	assert_output 1
	ASAN_OPTIONS=detect_leaks=0 run strace -f -e trace=openat -o "$TMP/trace" "$IPCTOOL" list --orphaned -o +WAITERS
	assert_success
	run grep -c 'openat(AT_FDCWD, "/proc", ' "$TMP/trace"
	assert_output 1
}

@test "who: WAITERS and sem stat show semop waiters, their members and deltas, and waits for zero (ipctool, python3 sysv_ipc)" {
	need_ns
	s=$(mkid ipcmk -S 2)
	ipctool sem op "id:$s" 1:1
	bg "$IPCTOOL" sem acquire "id:$s" -i 0 -t 60
	a=$BG
	bg "$IPCTOOL" sem z "id:$s" -i 1 -t 60
	z=$BG
	wait_call "$a" semop semtimedop
	wait_call "$z" semop semtimedop
	key=$(ipctool sem create -v 0 | sed 's/^id://')
	key=$(ipctool list --sem --raw -o ID,KEY --no-headings | awk -v id="$key" '$1 == id {print $2}')
	one=$(ipctool list --sem --raw -o ID,KEY --no-headings | awk -v k="$key" '$2 == k {print $1}')
	bg /usr/bin/python3 -c 'import sys, sysv_ipc; sysv_ipc.Semaphore(int(sys.argv[1], 16)).acquire(60)' "$key"
	py=$BG
	wait_call "$py" semop semtimedop
	run rawl list --sem -o ID,WAITERS
	assert_success
	assert_line "$s $a($IPC_COMM):semop 0:-1,$z($IPC_COMM):semop 1:0 (waits for zero)"
	assert_line "$one $py(python3):semop 0:-1"
	run ipctool sem stat "id:$s"
	assert_success
	assert_line --regexp "^ *$a $IPC_COMM +semop +semop 0:-1$"
	assert_line --regexp "^ *$z $IPC_COMM +semop +semop 1:0 \(waits for zero\)$"
	refute_line --partial "not visible"
	run ipctool sem stat "id:$one" --json
	assert_success
	jq -e --argjson p "$py" '.semaphores[0].waiters == [{"pid": $p, "command": "python3", "call": "semop", "wait": "semop 0:-1"}] and (.semaphores[0].members | length) == 1' <<<"$output"
	# a set that someone waits on is in use, never orphaned
	run rawl list --sem --orphaned -o ID,WAITERS
	assert_success
	[ -z "$(awk -v id="$one" '$1 == id' <<<"$output")" ]
	run rawl list --sem --orphaned --pids -o ID
	assert_success
	[ -z "$(awk -v id="$one" '$1 == id' <<<"$output")" ]
	# and --pids names them, with the last pid's command while it runs
	run ipctool list --sem --pids --raw -o ID,PIDS --no-headings
	assert_line --regexp "^$s ([0-9]+\($IPC_COMM\),)?$a\($IPC_COMM\),$z\($IPC_COMM\)$|^$s $a\($IPC_COMM\),$z\($IPC_COMM\)$"
}

@test "who: WAITERS shows msgrcv's type and EXCEPT, and msgsnd on a full queue (python3 sysv_ipc)" {
	need_feature MSG_EXCEPT
	need_ns
	q=$(mkid ipcmk -Q)
	bg "$IPCTOOL" mq receive "id:$q" -T 3 --except -t 60
	ex=$BG
	bg "$IPCTOOL" mq receive "id:$q" -T -5 -t 60
	le=$BG
	wait_call "$ex" msgrcv
	wait_call "$le" msgrcv
	full=$(ipctool mq create --max-bytes 8 | sed 's/^id://')
	key=$(ipctool list --mq --sysv --raw -o ID,KEY --no-headings | awk -v id="$full" '$1 == id {print $2}')
	bg /usr/bin/python3 -c 'import sys, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1], 16))
while True:
    q.send(b"12345678")' "$key"
	py=$BG
	wait_call "$py" msgsnd
	run rawl list --mq --sysv -o ID,WAITERS
	assert_success
	assert_line "$q $ex($IPC_COMM):msgrcv EXCEPT type 3,$le($IPC_COMM):msgrcv type <= 5"
	assert_line "$full $py(python3):msgsnd (queue full)"
	run ipctool mq stat "id:$full" --json
	assert_success
	jq -e --argjson p "$py" '.messages[0].waiters == [{"pid": $p, "command": "python3", "call": "msgsnd", "wait": "msgsnd (queue full)"}] and (.messages[0].processes | map(.pid) | index($p)) != null' <<<"$output"
	run ipctool mq stat "id:$q"
	assert_line --regexp "^ *$ex $IPC_COMM +msgrcv +msgrcv EXCEPT type 3$"
}

@test "who: WAITERS shows POSIX futex waits on a named semaphore and mq_timedreceive/mq_timedsend on a queue (C program)" {
	need_ns
	build_waiter
	ipctool sem create /w -v 0
	bg "$TMP/waiter" sem /w
	fw=$BG
	ipctool mq create /r
	bg "$TMP/waiter" receive /r
	rw=$BG
	ipctool mq create /f --max-messages 2 --message-size 16
	bg "$TMP/waiter" send /f
	sw=$BG
	wait_call "$fw" futex
	wait_call "$rw" mq_timedreceive
	wait_call "$sw" mq_timedsend
	run rawl list --posix -o NAME,WAITERS
	assert_success
	assert_line "/w $fw(waiter):sem_wait (futex)"
	assert_line "/r $rw(waiter):mq_timedreceive"
	assert_line "/f $sw(waiter):mq_timedsend (queue full)"
	run ipctool sem stat /w
	assert_success
	assert_line --regexp "^ *$fw waiter +futex +sem_wait \(futex\)$"
	run ipctool mq stat /f --json
	assert_success
	jq -e --argjson p "$sw" '.posix_messages[0].waiters == [{"pid": $p, "command": "waiter", "call": "mq_timedsend", "wait": "mq_timedsend (queue full)"}] and .posix_messages[0].processes == [{"pid": $p, "command": "waiter"}]' <<<"$output"
	# JSON of list: -o +WAITERS is an array there, not a cell
	run ipctool list --posix --mq -o +WAITERS --json
	assert_success
	jq -e --argjson p "$rw" '.posix_messages[] | select(.name == "/r") | .waiters[0].pid == $p and (has("processes") | not)' <<<"$output"
}

@test "who: --orphaned finds the semaphore that Python's multiprocessing leaked, not one still mapped" {
	need_ns
	bg /usr/bin/python3 -c 'import multiprocessing as mp, sys, time
from multiprocessing import resource_tracker
lock = mp.get_context("spawn").Lock()
with open(sys.argv[1] + ".tmp", "w") as f:
    print(lock._semlock.name, resource_tracker._resource_tracker._pid, file=f)
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)' "$TMP/mp"
	py=$BG
	wait_for 20 test -e "$TMP/mp"
	read -r name tracker < "$TMP/mp"
	[[ "$name" == /mp-* ]]
	[ -e "/dev/shm/sem.${name#/}" ]
	ipctool sem create /other -v 1
	run ipctool list --sem --posix --orphaned -o NAME --raw --no-headings
	assert_success
	assert_output "/other"
	run ipctool list --sem --posix --pids --raw -o NAME,PIDS --no-headings
	assert_line "$name $py(python3)"
	# killed as a crash or the OOM killer would: nobody unlinks it
	kill -9 "$tracker" "$py"
	wait_until 10 '! kill -0 "$py" 2>/dev/null && ! kill -0 "$tracker" 2>/dev/null'
	[ -e "/dev/shm/sem.${name#/}" ]
	run ipctool list --sem --posix --orphaned -o NAME --raw --no-headings
	assert_success
	assert_line "$name"
	assert_line "/other"
	run ipctool rm --all --sem --posix --orphaned --dry-run
	assert_success
	assert_output --partial "$name"
}

@test "who: an unprivileged user sees the waiters /proc shows it and counts the rest" {
	need_ns
	need_root
	s=$(ipctool sem create -v 0 -m 0666 | sed 's/^id://')
	bg "$IPCTOOL" sem acquire "id:$s" -t 60
	root_w=$BG
	bg setpriv --reuid=65534 --regid=65534 --clear-groups -- "$IPCTOOL" sem acquire "id:$s" -t 60
	wait_call "$root_w" semop semtimedop
	wait_until 20 '[ "$(ipctool sem stat id:$s --json | jq ".semaphores[0].waiters | length")" = 2 ]'
	nobody_w=$(ipctool sem stat "id:$s" --json | jq --argjson r "$root_w" '.semaphores[0].waiters[] | select(.pid != $r) | .pid')
	run as_nobody "$IPCTOOL" sem stat "id:$s"
	assert_success
	assert_line --regexp "^ *$nobody_w $IPC_COMM +semop +semop 0:-1$"
	refute_line --regexp "^ *$root_w "
	assert_line "1 more not visible"
	run as_nobody bash -c '"$IPCTOOL" list --sem -o ID,WAITERS --raw --no-headings | sed "s/\\\\x20/ /g"'
	assert_success
	assert_output "$s $nobody_w($IPC_COMM):semop 0:-1"
}

@test "who: stat -o COLS prints the record alone, and a stat with nobody around says none" {
	need_ns
	ipctool shm create /lone -s 1024
	run ipctool shm stat /lone -o NAME,SIZE
	assert_success
	refute_line --partial "Processes"
	run ipctool shm stat /lone
	assert_success
	assert_line "Processes using it: none"
	run ipctool shm stat /lone --json
	jq -e '.posix_sharedmemory[0].processes == [] and .posix_sharedmemory[0].waiters == []' <<<"$output"
}

@test "who: NOTIFY_PID is unknown, the notifier is among the PIDS, and list and stat leave the queue's times alone" {
	need_feature MQ_NOTIFY
	names q
	ipctool mq create "$n_q" >/dev/null
	bg "$IPCTOOL" mq notify "$n_q" -t 120
	# the kernel's word, read here (which moves the queue's ctime) before
	# the times are taken
	wait_until 30 'grep -Eq "NOTIFY_PID:$BG( |\$)" "/dev/mqueue$n_q"'
	sleep 1.1
	c0=$(stat -c %X.%Y.%Z "/dev/mqueue$n_q")
	s0=$(ipctool mq stat "$n_q" --json | jq -r '.[][0] | .mtime + .ctime')
	sleep 1.1	# the queue's times have a second's grain
	run ipctool list --mq --posix --pids --raw --no-headings \
	    -o NAME,NOTIFY_PID,PIDS
	assert_success
	# in place, other queues of the host may be listed too: ours is this
	[ "$(grep -F "$n_q " <<<"$output")" = "$n_q - $BG($IPC_COMM)" ]
	run ipctool list --mq --posix --pids --json -o NAME,NOTIFY_PID
	assert_success
	[ "$(jq -c --arg n "$n_q" '.posix_messages[] | select(.name == $n) |
	    [.notify_pid, [.processes[].pid]]' <<<"$output")" = "[null,[$BG]]" ]
	run ipctool mq stat "$n_q" -o NAME,NOTIFY_PID --json
	assert_success
	[ "$(jq -c '.[][0].notify_pid' <<<"$output")" = null ]
	run ipctool mq stat "$n_q" -o NAME,NOTIFY_PID
	assert_success
	assert_line --regexp '^NOTIFY_PID +-$'
	run ipctool mq stat "$n_q" --json
	assert_success
	[ "$(jq -c '[.[][0].processes[].pid]' <<<"$output")" = "[$BG]" ]
	ipctool list >/dev/null
	ipctool list -A >/dev/null
	ipctool list --orphaned >/dev/null
	ipctool mq stat "$n_q" >/dev/null
	# every time as it was, for the kernel and for ipctool
	[ "$(stat -c %X.%Y.%Z "/dev/mqueue$n_q")" = "$c0" ]
	[ "$(ipctool mq stat "$n_q" --json | jq -r '.[][0] | .mtime + .ctime')" = "$s0" ]
	# so --older-than still finds it
	run ipctool list --mq --posix --older-than 2s --raw --no-headings -o NAME
	assert_success
	assert_line "$n_q"
	# still registered: nothing above took its registration
	grep -Eq "NOTIFY_PID:$BG( |\$)" "/dev/mqueue$n_q"
}
