#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Faults injected: stdout on /dev/full, tiny RLIMIT_FSIZE, SIGSTOP/SIGCONT
# and SIGTERM during blocking verbs.  Each: the documented exit code and
# nothing half-done.

load helpers

teardown() {
	# what a test started in the background does not outlive it (a holder
	# left attached would show in the next test's --pids)
	# (only our own children: a pid reaped already may be another's now)
	local p
	kill_children -KILL "${BG[@]}"
	for p in "${BG[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	# a test that shrank /dev/shm gives the namespace its room back
	if [ -n "${IPCTOOL_IN_NS:-}" ]; then
		mount -o remount,size=2g /dev/shm 2>/dev/null || true
	fi
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

# closed_pipe dfl|ign CMD...: runs CMD with stdout a pipe whose reader is
# gone before it starts (deterministic, unlike `| true`), SIGPIPE at its
# default or ignored (as under Python or a careful parent)
closed_pipe() {
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGPIPE,
    signal.SIG_DFL if sys.argv[1] == "dfl" else signal.SIG_IGN)
r, w = os.pipe()
os.close(r)
os.dup2(w, 1)
os.close(w)
os.execvp(sys.argv[2], sys.argv[2:])' "$@"
}

BG=()

# nofile N CMD...: CMD with RLIMIT_NOFILE N and no descriptor open above
# stderr (Bats keeps some open: they would take the room N leaves)
nofile() {
	bash -c 'n=$1; shift
	for fd in $(ls /proc/$$/fd); do
		[ "$fd" -le 2 ] || eval "exec $fd>&-"
	done
	ulimit -n "$n" && exec "$@"' nofile "$@"
}

# Whether PID sleeps in a wait of the kernel (not starting, not running).
blocked() {
	grep -qE 'semtimedop|futex|msgrcv|msgsnd|wq_sleep|sigtimedwait' \
	    "/proc/$1/wchan" 2>/dev/null
}

@test "every printing command into /dev/full exits 8" {
	need_ns
	ipctool sem create 0x7a1 -v 3 >/dev/null
	ipctool shm create 0x7a2 -s 64 --fill 65 >/dev/null
	ipctool mq create 0x7a3 >/dev/null
	touch "$TMP/f"
	for cmd in "list" "list --json" "info" "info --json" "key $TMP/f" \
	    "sem value 0x7a1" "sem stat 0x7a1" "shm stat 0x7a2" \
	    "mq stat 0x7a3" "shm read 0x7a2" "list --export" "--help" \
	    "sem --help"; do
		# shellcheck disable=SC2086
		run sh -c 'exec "$@" > /dev/full' sh "$IPCTOOL" $cmd
		[ "$status" = 8 ] || { echo "ipctool $cmd > /dev/full: $status" >&2; return 1; }
	done
	# nothing changed: the objects are as they were
	run ipctool sem value 0x7a1
	assert_output 3
}

@test "create into /dev/full removes what it made (exit 8)" {
	need_ns
	for fam in sem shm mq; do
		run sh -c 'exec "$@" > /dev/full' sh "$IPCTOOL" "$fam" create 0x7b1
		assert_failure 8
		run ipctool "$fam" stat 0x7b1
		assert_failure 3
	done
}

@test "create --manifest past RLIMIT_FSIZE fails and leaves no object" {
	need_ns
	printf '%01024d' 0 > "$TMP/mf"
	run env MF="$TMP/mf" bash -c 'ulimit -f 1; exec "$IPCTOOL" sem create 0x7c1 --manifest "$MF"'
	assert_failure
	run ipctool sem stat 0x7c1
	assert_failure 3
	[ "$(wc -c < "$TMP/mf")" = 1024 ]
}

@test "SIGSTOP/SIGCONT then SIGTERM during each blocking verb: 143, nothing taken" {
	need_ns
	ipctool sem create 0x7d1 -v 0 >/dev/null
	ipctool sem create 0x7d2 -v 1 >/dev/null
	q=$(ipctool mq create)
	for cmd in "sem acquire 0x7d1" "sem z 0x7d2" "sem op 0x7d1 0:-1" \
	    "mq receive $q"; do
		# shellcheck disable=SC2086
		"$IPCTOOL" $cmd &
		pid=$!
		BG+=("$pid")
		wait_for 10 sh -c "grep -qv '^0$' /proc/$pid/wchan && [ \"\$(cat /proc/$pid/wchan)\" != do_wait ]"
		sleep 0.2
		kill -STOP "$pid"; sleep 0.1; kill -CONT "$pid"; sleep 0.1
		kill -0 "$pid"
		kill -TERM "$pid"
		st=0; wait "$pid" || st=$?
		[ "$st" = 143 ] || { echo "ipctool $cmd: $st" >&2; return 1; }
	done
	run ipctool sem value 0x7d1
	assert_output 0
	run ipctool sem value 0x7d2
	assert_output 1
}

@test "mq send to a full queue: SIGTERM exits 143 and the queue keeps exactly what it had" {
	need_ns
	q=$(ipctool mq create --max-bytes 10)
	ipctool mq send "$q" 0123456789
	"$IPCTOOL" mq send "$q" x &
	pid=$!
	BG+=("$pid")
	# in msgsnd, not still starting (under valgrind that takes seconds)
	wait_for 30 blocked "$pid"
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 143 ]
	run ipctool mq receive "$q" --nowait --lines
	assert_output 0123456789
	run ipctool mq receive "$q" --nowait
	assert_failure 1
}

# early SIG CMD...: runs ipctool CMD with the signal SIG raised by the
# earlysignal.c shim right before its first call that can block, after
# ipctool's last look at a caught signal; sets st to its exit status and
# err to its stderr.  timeout ends a wait the signal was lost to (124).
early() {
	local sig=$1 asan; shift
	[ -e "$TMP/early.so" ] ||
	    cc -shared -fPIC -o "$TMP/early.so" \
	    "$TOP_SRCDIR/tests/earlysignal.c" -ldl
	asan=$(ldd "$IPCTOOL" | awk '$1 ~ /^libasan/ { print $3 }')
	st=0
	LD_PRELOAD="${asan:+$asan }$TMP/early.so" \
	    IPCTOOL_TEST_EARLY_SIGNAL=$(kill -l "$sig") \
	    timeout 20 "$IPCTOOL" "$@" > "$TMP/out" 2> "$TMP/err" || st=$?
	err=$(cat "$TMP/err")
}

@test "a signal that comes right before a wait is entered ends it: each blocking call, timed or not" {
	need_ns
	command -v cc >/dev/null || skip "needs a C compiler for the shim"
	ldd "$IPCTOOL" >/dev/null 2>&1 || skip "ipctool is no dynamic executable (static, or valgrind's)"
	ipctool sem create 0x7e1 -v 0 >/dev/null
	ipctool sem create 0x7e2 -v 1 >/dev/null
	ipctool sem create /es -v 0 >/dev/null
	q=$(ipctool mq create --max-bytes 4)
	ipctool mq create /eq --max-messages 1 >/dev/null
	bad=
	# a timed POSIX wait is where the C library has one
	feats=$(features)
	has() { ! grep -qxF -- "-$1" <<<"$feats"; }
	for t in "" "-t 30"; do
		cmds=("sem acquire 0x7e1 $t" "sem z 0x7e2 $t"
		    "sem op 0x7e1 0:-1 $t" "mq receive $q $t")
		{ [ -z "$t" ] || has SEM_TIMEDWAIT; } && cmds+=("sem acquire /es $t")
		{ [ -z "$t" ] || has MQ_TIMEDRECEIVE; } && cmds+=("mq receive /eq $t")
		for cmd in "${cmds[@]}"; do
			# shellcheck disable=SC2086
			early TERM $cmd
			[ "$st" = 143 ] && [ "$(wc -l <<<"$err")" = 1 ] ||
			    bad+="ipctool $cmd: exit $st: $err"$'\n'
		done
	done
	# and a send to a full queue, System V and POSIX
	ipctool mq send "$q" full
	ipctool mq send /eq full
	for t in "" "-t 30"; do
		for dest in "$q" /eq; do
			[ -z "$t" ] || [ "$dest" = "$q" ] || has MQ_TIMEDSEND ||
			    continue
			# shellcheck disable=SC2086
			early INT mq send "$dest" $t more
			[ "$st" = 130 ] && [ "$(wc -l <<<"$err")" = 1 ] ||
			    bad+="ipctool mq send $dest $t: exit $st: $err"$'\n'
		done
	done
	[ -z "$bad" ] || fail "$bad"
	# nothing taken, nothing sent
	run ipctool sem value 0x7e1
	assert_output 0
	run ipctool sem value 0x7e2
	assert_output 1
	run ipctool sem value /es
	assert_output 0
	run ipctool mq receive "$q" --nowait --follow --lines
	assert_output full
	run ipctool mq receive /eq --nowait --follow --lines
	assert_output full
}

@test "sem acquire -- CMD: a signal caught before CMD starts is not lost, one caught before its wait is passed on" {
	need_ns
	command -v cc >/dev/null || skip "needs a C compiler for the shim"
	ldd "$IPCTOOL" >/dev/null 2>&1 || skip "ipctool is no dynamic executable (static, or valgrind's)"
	ipctool sem create 0x7e3 -v 1 >/dev/null
	ipctool sem create /es1 -v 1 >/dev/null
	# caught in the semop that takes it: CMD is not run, the undo gives
	# it back (not: CMD run, and the signal never seen)
	early TERM sem acquire 0x7e3 -- touch "$TMP/ran"
	[ "$st" = 143 ] || fail "exit $st: $err"
	assert_equal "$err" "ipctool: sem acquire: touch not run: Terminated"
	[ ! -e "$TMP/ran" ]
	early TERM sem acquire /es1 -- touch "$TMP/ran"
	[ "$st" = 143 ] || fail "exit $st: $err"
	[ ! -e "$TMP/ran" ]
	# caught right before the wait for CMD: passed on to it, which ends
	# (143), not waited for 60 s (timeout's 124)
	IPCTOOL_TEST_EARLY_CALL=waitpid early TERM sem acquire /es1 -- sleep 60
	[ "$st" = 143 ] || fail "exit $st: $err"
	run ipctool sem value 0x7e3
	assert_output 1
	run ipctool sem value /es1
	assert_output 1
}

@test "every printing command on a closed pipe exits 141 quietly and changes nothing" {
	need_ns
	ipctool sem create 0x7e1 -v 3 >/dev/null
	ipctool shm create 0x7e2 -s 64 --fill 65 >/dev/null
	ipctool mq create 0x7e3 >/dev/null
	ipctool sem create /cps -v 2 >/dev/null
	ipctool shm create /cpm -s 64 --fill 66 >/dev/null
	ipctool mq create /cpq >/dev/null
	touch "$TMP/f"
	sleep 1	# a time that moved would show
	before=$(snap)
	for sig in dfl ign; do
		for cmd in "list" "list --json" "list --export" "list --pids" \
		    "info" "info --json" "key $TMP/f" "sem value 0x7e1" \
		    "sem value /cps" "sem stat 0x7e1" "sem stat /cps" \
		    "shm stat 0x7e2" "shm stat /cpm" "mq stat 0x7e3" \
		    "mq stat /cpq" "shm read /cpm" \
		    "--help" "sem --help" "list --help"; do
			# shellcheck disable=SC2086
			run --separate-stderr closed_pipe "$sig" "$IPCTOOL" $cmd
			[ "$status" = 141 ] && [ -z "$stderr" ] || {
				echo "SIGPIPE $sig: ipctool $cmd: $status: $stderr" >&2
				return 1
			}
		done
	done
	[ "$(snap)" = "$before" ]
	# reading a System V segment attaches it, which sets its lpid, atime
	# and dtime as any read does (shmat(2)): all else stays as it was
	sysv_shm() { awk '{ $6 = $12 = $13 = ""; print }' /proc/sysvipc/shm; }
	shm0=$(sysv_shm)
	for sig in dfl ign; do
		run --separate-stderr closed_pipe "$sig" "$IPCTOOL" shm read 0x7e2
		assert_equal "$status" 141
		assert_equal "$stderr" ""
	done
	[ "$(sysv_shm)" = "$shm0" ]
	[ "$(ipctool shm read 0x7e2)" = "$(printf 'A%.0s' $(seq 64))" ]
}

@test "receive on a closed pipe exits 141 with one line and puts the message back" {
	need_ns
	ipctool mq create 0x7e4 >/dev/null
	ipctool mq create /cpr >/dev/null
	for q in 0x7e4 /cpr; do
		for sig in dfl ign; do
			ipctool mq send "$q" first
			ipctool mq send "$q" second
			run --separate-stderr closed_pipe "$sig" "$IPCTOOL" mq receive "$q"
			assert_equal "$status" 141
			assert_equal "${#stderr_lines[@]}" 1
			[[ $stderr == "ipctool: mq receive: "*"1 message"*"put back on $q" ]]
			# both messages still there, whole (a put-back goes
			# behind: the man page)
			run --separate-stderr ipctool mq receive "$q" -c 3 --lines --nowait
			assert_failure 1
			assert_output $'second\nfirst'
		done
	done
}

@test "/dev/shm full: shm create --fill, shm write and sem create exit 6 and leave nothing" {
	need_ns
	mount -o remount,size=64k /dev/shm
	ipctool shm create /sparse -s 1M >/dev/null
	before=$(ipctool shm read /sparse | sha256sum)
	ls0=$(ls -A /dev/shm)
	run --separate-stderr ipctool shm create /big -s 1M --fill 65
	assert_equal "$status" 6
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == *"No space left"* ]]
	[ "$(ls -A /dev/shm)" = "$ls0" ]
	# more than the room: nothing of it goes in (from a file, from a pipe)
	head -c 300000 /dev/zero | tr '\0' B > "$TMP/data"
	run --separate-stderr ipctool shm write /sparse < "$TMP/data"
	assert_equal "$status" 6
	assert_equal "${#stderr_lines[@]}" 1
	run --separate-stderr sh -c 'cat "$1" | "$IPCTOOL" shm write /sparse' sh "$TMP/data"
	assert_equal "$status" 6
	assert_equal "${#stderr_lines[@]}" 1
	[ "$(ipctool shm read /sparse | sha256sum)" = "$before" ]
	# quite full: every page of the file system taken
	dd if=/dev/zero of=/dev/shm/filler bs=4k 2>/dev/null || true
	ls1=$(ls -A /dev/shm)
	for cmd in "sem create /s1" "sem create /s1 --exist-ok" \
	    "shm create /x -s 4096 --fill 1" "shm write /sparse -o 8192 hello"; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool $cmd
		[ "$status" = 6 ] && [ "${#stderr_lines[@]}" = 1 ] || {
			echo "ipctool $cmd: $status: $stderr" >&2
			return 1
		}
		[ "$(ls -A /dev/shm)" = "$ls1" ]
	done
	[ "$(ipctool shm read /sparse | sha256sum)" = "$before" ]
}

@test "RLIMIT_NOFILE tiny: a /proc scan that cannot open fails (6), never calls an object unused" {
	need_ns
	# valgrind needs descriptors of its own (Debian's /usr/bin/valgrind
	# is a shell script that cannot start with 4)
	[ -z "${IPCTOOL_VALGRIND:-}" ] || skip "valgrind cannot start with RLIMIT_NOFILE 4"
	t=$(ipctool shm create 0x7e5 -s 4096)
	ipctool shm create /used -s 4096 >/dev/null
	ipctool mq create /open >/dev/null
	ipctool mq create /free >/dev/null
	"$IPCTOOL" shm attach "$t" --hold < /dev/null > /dev/null 3>&- &
	p1=$!
	BG+=("$p1")
	"$IPCTOOL" shm attach /used --hold < /dev/null > /dev/null 3>&- &
	p2=$!
	BG+=("$p2")
	bash -c 'exec 3</dev/mqueue/open; exec sleep 30' 3>&- &
	p3=$!
	BG+=("$p3")
	wait_for 30 sh -c "[ \"\$(ipctool list --shm --pids -o PIDS --raw --no-headings | grep -c ipctool)\" = 2 ]"
	wait_for 10 sh -c "ls -l /proc/$p3/fd | grep -q open"
	before=$(snap)
	# 4: stdin, stdout, stderr and one more
	for cmd in "list --pids" "list --orphaned" "rm --all --orphaned --dry-run" \
	    "rm --all --orphaned"; do
		# shellcheck disable=SC2086
		run --separate-stderr nofile 4 "$IPCTOOL" $cmd
		[ "$status" = 6 ] && [ "${#stderr_lines[@]}" = 1 ] &&
		    [ -z "$output" ] || {
			echo "ipctool $cmd: $status: $stderr" >&2
			return 1
		}
		[[ $stderr == "ipctool: "*"cannot scan /proc"*"Too many open files" ]]
	done
	[ "$(snap)" = "$before" ]
	# one more: the scans go through, and only /free is unused
	run nofile 5 "$IPCTOOL" rm --all --orphaned --posix --dry-run
	assert_success
	assert_output "mq /free"
	# what needs no scan works with one descriptor to spare
	run nofile 4 "$IPCTOOL" list --raw -o KIND,TARGET --no-headings
	assert_success
	assert_output "$(ipctool list --raw -o KIND,TARGET --no-headings)"
	run nofile 4 "$IPCTOOL" rm --all --dry-run --force
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_output "$(ipctool rm --all --dry-run --force)"
	for c in "sem create /n1 -v 3" "shm create /n2 -s 8 --fill 7" \
	    "mq create /n3" "sem create 0x7e6 -v 3" \
	    "sem create /n4 --manifest $TMP/mf"; do
		# shellcheck disable=SC2086
		run nofile 4 "$IPCTOOL" $c
		assert_success
	done
	run ipctool sem value /n1
	assert_output 3
	run ipctool sem value 0x7e6
	assert_output 3
	[ "$(ipctool shm read /n2 | od -An -tu1 | tr -s ' ')" = " 7 7 7 7 7 7 7 7" ]
	[ "$(cat "$TMP/mf")" = "sem /n4" ]
	kill "$p1" "$p2" "$p3"
	wait || true
}

@test "SIGTERM during mq notify: 143, one line, no registration left" {
	need_ns
	need_feature MQ_NOTIFY
	ipctool mq create /nq >/dev/null
	"$IPCTOOL" mq notify /nq -t 30 2> "$TMP/err" &
	pid=$!
	BG+=("$pid")
	wait_for 10 blocked "$pid"
	grep -q "NOTIFY_PID:$pid" /dev/mqueue/nq
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	assert_equal "$st" 143
	assert_equal "$(wc -l < "$TMP/err")" 1
	grep -q 'NOTIFY_PID:0 ' /dev/mqueue/nq
	# another process may register now
	run ipctool mq notify /nq -t 0.1
	assert_failure 1
}

@test "SIGTERM during shm attach --hold: 143 as every wait, nothing left attached" {
	need_ns
	t=$(ipctool shm create 0x7e7 -s 4096)
	id=${t#id:}
	ipctool shm create /hold -s 4096 >/dev/null
	for target in "$t" /hold; do
		"$IPCTOOL" shm attach "$target" --hold < /dev/null > /dev/null 3>&- &
		pid=$!
		BG+=("$pid")
		wait_for 10 sh -c "grep -q ' /dev/shm/hold$\|/SYSV000007e7' /proc/$pid/maps"
		kill -TERM "$pid"
		st=0; wait "$pid" || st=$?
		# the man page: --hold stays attached until SIGTERM (128+N)
		assert_equal "$st" 143
	done
	[ "$(awk -v id="$id" '$2 == id { print $7 }' /proc/sysvipc/shm)" = 0 ]
	# both listed, with no process
	run ipctool list --shm --pids -o TARGET,PIDS --raw --no-headings
	assert_output "$t "$'\n'"/hold "
}

@test "SIGSTOP and SIGCONT neither end a wait nor stretch its -t" {
	need_ns
	ipctool sem create 0x7e8 -v 0 >/dev/null
	ipctool sem create /st -v 0 >/dev/null
	q=$(ipctool mq create)
	ipctool mq create /stq >/dev/null
	fq=$(ipctool mq create --max-bytes 4)
	ipctool mq send "$fq" abcd
	ipctool mq create /stf --max-messages 1 >/dev/null
	ipctool mq send /stf x
	# POSIX: only the -t this build has (System V's never lack one:
	# without semtimedop a timer ends the semop)
	cmds=("sem acquire 0x7e8")
	! psem_timed || cmds+=("sem acquire /st")
	cmds+=("mq receive $q")
	missing_feature MQ_TIMEDRECEIVE || cmds+=("mq receive /stq")
	cmds+=("mq send $fq y")
	missing_feature MQ_TIMEDSEND || cmds+=("mq send /stf y")
	missing_feature MQ_NOTIFY || cmds+=("mq notify /stq")
	for cmd in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		"$IPCTOOL" $cmd -t 3 2> "$TMP/err" &
		pid=$!
		BG+=("$pid")
		wait_for 20 blocked "$pid"
		# from here at most 3 s are left; stopped for 2.5 of them
		start=$(date +%s%N)
		kill -STOP "$pid"
		sleep 2.5
		kill -CONT "$pid"
		st=0; wait "$pid" || st=$?
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		# not ended by the stop; not 3 s more after it (>= 5.5 s)
		[ "$st" = 1 ] && [ "$ms" -ge 2500 ] && [ "$ms" -lt 5000 ] &&
		    [ "$(wc -l < "$TMP/err")" = 1 ] &&
		    grep -q 'timed out' "$TMP/err" || {
			echo "ipctool $cmd -t 3: $st after $ms ms: $(cat "$TMP/err")" >&2
			return 1
		}
	done
	run ipctool sem value 0x7e8
	assert_output 0
	run ipctool mq receive /stf --nowait
	assert_output x
}

@test "receive -c N --follow is a usage error (2) before the queue is touched" {
	need_ns
	ipctool mq create 0x7e9 >/dev/null
	ipctool mq create /cf >/dev/null
	for q in 0x7e9 /cf; do
		ipctool mq send "$q" one
		ipctool mq send "$q" two
	done
	before=$(snap)
	for args in "0x7e9 -c 1 --follow" "/cf --follow -c 2" \
	    "/cf -c 1 --follow --nowait" "0x7eaa -c 1 --follow" \
	    "/nosuch --follow -c 1"; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool mq receive $args
		[ "$status" = 2 ] && [ -z "$output" ] &&
		    [[ ${stderr_lines[0]} =~ ^"ipctool: mq receive: --"(count|follow)" and --"(follow|count)" cannot be used together"$ ]] || {
			echo "mq receive $args: $status: $stderr" >&2
			return 1
		}
	done
	[ "$(snap)" = "$before" ]
	for q in 0x7e9 /cf; do
		run ipctool mq receive "$q" -c 2 --lines --nowait
		assert_output $'one\ntwo'
	done
}

# slow_reader N PID_FILE CMD...: CMD's stdout is a 4 KiB pipe read a few
# bytes at a time into reader.out; once N bytes are in, CMD gets SIGTERM
# and the rest is read to the end.  Prints CMD's exit status.
slow_reader() {
	python3 -c 'import fcntl, os, signal, subprocess, sys, time
n = int(sys.argv[1])
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[2:], stdout=w, stderr=open("reader.err", "w"))
os.close(w)
got = b""
end = time.monotonic() + 60
while len(got) < n and time.monotonic() < end:
    b = os.read(r, 7)
    if not b:
        break
    got += b
    time.sleep(0.0005)
p.send_signal(signal.SIGTERM)
while True:
    b = os.read(r, 65536)
    if not b:
        break
    got += b
open("reader.out", "wb").write(got)
print(p.wait(timeout=60))' "$@"
}

@test "receive --follow ended by SIGTERM while stdout blocks: every message is written or queued" {
	need_ns
	cd "$TMP"
	# 600 messages of 60 bytes, many times what the pipe holds (the
	# namespace's own limits: the defaults cannot hold them)
	echo 600 > /proc/sys/fs/mqueue/msg_max
	echo 65536 > /proc/sys/kernel/msgmnb
	pad=$(printf 'x%.0s' $(seq 55))
	seq -f "%05g$pad" 1 600 > all
	qs=$(ipctool mq create)
	ipctool mq create /fw --max-messages 600 --message-size 64 >/dev/null
	for q in "$qs" /fw; do
		ipctool mq send "$q" --lines < all
		run slow_reader 1500 "$IPCTOOL" mq receive "$q" --follow --lines
		assert_success
		assert_output 143
		# one line: the message it held was put back, or the write
		# it was in got through first (the pipe's reader drained it)
		assert_equal "$(wc -l < reader.err)" 1
		grep -Eq "put back on $q|$q: Terminated$" reader.err ||
		    { cat reader.err >&2; return 1; }
		# what got out whole, plus what is queued again, is everything
		# once; a message cut short by the signal was put back
		ipctool mq receive "$q" --follow --nowait --lines > rest
		grep -x "[0-9]\{5\}$pad" reader.out > whole || true
		[ "$(cat whole rest | sort | uniq -d)" = "" ]
		[ "$(cat whole rest | sort)" = "$(cat all)" ]
		[ "$(wc -l < whole)" -ge 20 ] && [ "$(wc -l < rest)" -ge 100 ]
		run ipctool mq receive "$q" --nowait
		assert_failure 1
	done
}
