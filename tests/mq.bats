#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# ipctool mq: System V and POSIX message queues.

load helpers

# The kernel's view of one queue: "key msqid perms cbytes qnum ..."
proc_msg() { awk -v id="$1" '$2 == id' /proc/sysvipc/msg; }
qnum() { ipctool mq stat "$1" -o MSGS --raw --no-headings; }
# Waits until pid is blocked in the kernel's wait function fn.
blocked_in() { grep -q "$2" "/proc/$1/wchan" 2>/dev/null; }

@test "create: random key, explicit key, exists (4), --exist-ok" {
	run ipctool mq create
	assert_success
	assert_output --regexp '^id:[0-9]+$'
	keys 0x1234
	run ipctool mq create $k1234
	assert_success
	id=$output
	proc_msg "${id#id:}" | grep -q "^ *$(keydec $k1234) "
	run ipctool mq create $k1234
	assert_failure 4
	run ipctool mq create $k1234 --exist-ok
	assert_success
	assert_output "$id"
	run ipctool mq create private --exist-ok
	assert_failure 2
	run ipctool mq create 0
	assert_failure 2
}

@test "create: -m, --json, --manifest, --max-bytes" {
	run ipctool mq create -m 0640 --max-bytes 1000 --json --manifest "$TMP/m"
	assert_success
	id=$(jq -r '.messages[0].id' <<<"$output")
	[ "$(jq -r '.messages[0].qbytes' <<<"$output")" = 1000 ]
	[ "$(jq -r '.messages[0].perms' <<<"$output")" = 0640 ]
	[ "$(cat "$TMP/m")" = "mq id:$id" ]
	proc_msg "$id" | awk '{ exit !($3 == 640) }'
	run ipctool mq create -m 0888
	assert_failure 2
}

@test "create --max-bytes above MSGMNB needs CAP_SYS_RESOURCE: 5, nothing left" {
	before=$(wc -l < /proc/sysvipc/msg)
	run ipctool mq create --max-bytes 100M
	assert_failure 5
	assert_output --partial CAP_SYS_RESOURCE
	[ "$(wc -l < /proc/sysvipc/msg)" = "$before" ]
	q=$(ipctool mq create)
	run ipctool mq set "$q" --max-bytes 100M
	assert_failure 5
}

@test "send and receive: DATA, stdin, type selection 0, +n, -n, --except" {
	need_feature MSG_EXCEPT
	q=$(ipctool mq create)
	ipctool mq send "$q" -T 3 t3
	ipctool mq send "$q" -T 1 t1
	echo -n t2 | ipctool mq send "$q" -T 2
	ipctool mq send "$q" --type 5 t5
	[ "$(qnum "$q")" = 4 ]
	run ipctool mq receive "$q" -T 2
	assert_output t2
	run ipctool mq receive "$q" -T -4
	assert_output t1
	run ipctool mq receive "$q" -T 3 --except
	assert_output t5
	run ipctool mq receive "$q" -T 0
	assert_output t3
	run ipctool mq receive "$q" --nowait
	assert_failure 1
	assert_output --partial "no message"
	run ipctool mq receive "$q" --except
	assert_failure 2
	run ipctool mq send "$q" -T 0 x
	assert_failure 2
	run ipctool mq send "$q" -p 1 x
	assert_failure 2
}

@test "receive: -c, --lines, --print-type, --follow --nowait drains" {
	q=$(ipctool mq create)
	for i in 1 2 3 4; do ipctool mq send "$q" -T "$i" "m$i"; done
	run ipctool mq receive "$q" -c 2 --lines --print-type
	assert_success
	assert_output "$(printf '1\tm1\n2\tm2')"
	run ipctool mq receive "$q" --follow --nowait --lines
	assert_success
	assert_output "$(printf 'm3\nm4')"
	run ipctool mq receive "$q" -c 2 --follow
	assert_failure 2
	ipctool mq send "$q" one
	run ipctool mq receive "$q" -c 2 --nowait
	assert_failure 1
	assert_output --partial "received 1 of 2"
}

@test "binary bodies with NUL bytes, System V and POSIX" {
	names bin
	printf 'a\0b\0\n\377\0' > "$TMP/bin"
	q=$(ipctool mq create)
	ipctool mq send "$q" < "$TMP/bin"
	ipctool mq receive "$q" > "$TMP/out"
	cmp "$TMP/bin" "$TMP/out"
	ipctool mq create $n_bin
	ipctool mq send $n_bin < "$TMP/bin"
	ipctool mq send $n_bin ''
	ipctool mq receive $n_bin > "$TMP/out"
	cmp "$TMP/bin" "$TMP/out"
	run ipctool mq receive $n_bin --lines
	assert_output ''
	[ "$(qnum $n_bin)" = 0 ]
}

@test "too big: exit 6 before anything is sent" {
	q=$(ipctool mq create)
	max=$(cat /proc/sys/kernel/msgmax)
	run bash -c "head -c $((max + 1)) /dev/zero | $IPCTOOL mq send $q"
	assert_failure 6
	{ echo ok; head -c "$((max + 1))" /dev/zero | tr '\0' x; echo; } > "$TMP/in"
	run ipctool mq send "$q" --lines < "$TMP/in"
	assert_failure 6
	assert_output --partial "line 2"
	[ "$(qnum "$q")" = 0 ]
	# a pipe cannot be checked ahead: it says what was sent
	run bash -c "cat '$TMP/in' | $IPCTOOL mq send $q --lines"
	assert_failure 6
	assert_output --partial "1 message was sent before it"
	small=$(ipctool mq create --max-bytes 10)
	run ipctool mq send "$small" 01234567890
	assert_failure 6
	run ipctool mq send "$small" 0123456789
	assert_success
}

@test "send --lines / receive --lines: 100k lines round trip (sha256)" {
	awk 'BEGIN { for (i = 1; i <= 100000; i++)
		print (i % 1000 == 0 ? "" : "line " i " \t x") }' > "$TMP/in"
	q=$(ipctool mq create)
	"$IPCTOOL" mq send "$q" --lines < "$TMP/in" &
	spid=$!
	timeout 60 "$IPCTOOL" mq receive "$q" -c 100000 --lines > "$TMP/out"
	wait "$spid"
	[ "$(sha256sum < "$TMP/in")" = "$(sha256sum < "$TMP/out")" ]
	[ "$(qnum "$q")" = 0 ]
	# a last line without a newline is a message too
	printf 'a\n\nb' | ipctool mq send "$q" --lines
	run ipctool mq receive "$q" -c 3 --lines
	assert_output "$(printf 'a\n\nb')"
	run ipctool mq send "$q" --lines DATA
	assert_failure 2
}

@test "timeouts: receive -t, send -t on a full queue, --nowait on full is 1 (busy)" {
	names full1
	q=$(ipctool mq create --max-bytes 4)
	SECONDS=0
	run ipctool mq receive "$q" -t 0.5
	assert_failure 1
	assert_output --partial "timed out"
	[ "$SECONDS" -le 30 ]
	ipctool mq send "$q" 1234
	SECONDS=0
	run ipctool mq send "$q" -t 0.5 x
	assert_failure 1
	[ "$SECONDS" -le 30 ]
	run ipctool mq send "$q" --nowait x
	assert_failure 1
	assert_output --partial full
	run ipctool mq send "$q" --nowait -E 9 x
	assert_failure 9
	# 6 is for a message larger than the queue can ever hold
	run ipctool mq send "$q" --nowait 12345
	assert_failure 6
	ipctool mq create $n_full1 --max-messages 1
	ipctool mq send $n_full1 a
	run ipctool mq send $n_full1 --nowait b
	assert_failure 1
	assert_output --partial full
	run ipctool mq send $n_full1 --nowait -E 9 b
	assert_failure 9
	run ipctool mq send "$q" --nowait -t 1 x
	assert_failure 2
	run ipctool mq receive "$q" -t 1
	assert_output 1234
	# --follow -t: ends when idle for SECS, with success
	ipctool mq send "$q" a
	SECONDS=0
	run ipctool mq receive "$q" --follow -t 0.3
	assert_success
	assert_output a
	[ "$SECONDS" -le 30 ]
}

@test "removed while waiting: exit 7 (receive and send)" {
	q=$(ipctool mq create)
	"$IPCTOOL" mq receive "$q" 2>"$TMP/err" &
	pid=$!
	wait_for 10 blocked_in "$pid" msgrcv
	ipctool mq rm "$q"
	st=0; wait "$pid" || st=$?
	[ "$st" = 7 ]
	grep -q removed "$TMP/err"
	q=$(ipctool mq create --max-bytes 2)
	ipctool mq send "$q" ab
	"$IPCTOOL" mq send "$q" cd &
	pid=$!
	wait_for 10 blocked_in "$pid" msgsnd
	ipctool mq rm "$q"
	st=0; wait "$pid" || st=$?
	[ "$st" = 7 ]
}

@test "a wait survives stop and continue; a signal ends it 128+N" {
	q=$(ipctool mq create)
	"$IPCTOOL" mq receive "$q" > "$TMP/out" &
	pid=$!
	wait_for 10 blocked_in "$pid" msgrcv
	kill -STOP "$pid"
	kill -CONT "$pid"
	wait_for 10 blocked_in "$pid" msgrcv
	ipctool mq send "$q" hi
	wait "$pid"
	[ "$(cat "$TMP/out")" = hi ]
	"$IPCTOOL" mq receive "$q" -t 30 2>/dev/null &
	pid=$!
	wait_for 10 blocked_in "$pid" msgrcv
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 143 ]
}

@test "--follow flushes what it received when terminated" {
	q=$(ipctool mq create)
	"$IPCTOOL" mq receive "$q" --follow --lines > "$TMP/out" 2>/dev/null &
	pid=$!
	for i in 1 2 3; do ipctool mq send "$q" "m$i"; done
	wait_until 10 '[ "$(qnum "$q")" = 0 ]'
	wait_for 10 blocked_in "$pid" msgrcv
	# (not SIGINT: a script's background job inherits it ignored, and
	# ipctool keeps what it inherited ignored)
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 143 ]
	[ "$(cat "$TMP/out")" = "$(printf 'm1\nm2\nm3')" ]
}

@test "a failing stdout: exit 8 and the message stays queued" {
	names full
	q=$(ipctool mq create)
	ipctool mq send "$q" -T 7 keep
	run bash -c "$IPCTOOL mq receive $q > /dev/full"
	assert_failure 8
	assert_output --partial "put back"
	[ "$(qnum "$q")" = 1 ]
	run ipctool mq receive "$q" --print-type
	assert_output "$(printf '7\tkeep')"
	ipctool mq create $n_full
	ipctool mq send $n_full -p 4 keep
	run bash -c "$IPCTOOL mq receive $n_full --lines > /dev/full"
	assert_failure 8
	run ipctool mq receive $n_full --print-type
	assert_output "$(printf '4\tkeep')"
}

@test "POSIX: priority ordering, -p range, create options, exact mode" {
	names bad big pq um
	run ipctool mq create $n_pq --max-messages 3 --message-size 64 -m 0640
	assert_success
	assert_output $n_pq
	[ "$(ipctool mq stat $n_pq -o MAXMSG,MSGSIZE,PERMS --raw --no-headings)" = "3 64 0640" ]
	run ipctool mq create $n_pq
	assert_failure 4
	run ipctool mq create $n_pq --exist-ok --max-messages 5
	assert_failure 6
	ipctool mq send $n_pq -p 1 a
	ipctool mq send $n_pq -p 9 b
	ipctool mq send $n_pq --priority 5 c
	run ipctool mq send $n_pq --nowait d
	assert_failure 1
	assert_output --partial full
	run ipctool mq receive $n_pq -c 3 --lines --print-type
	assert_output "$(printf '9\tb\n5\tc\n1\ta')"
	run ipctool mq send $n_pq -p 32768 x
	assert_failure 6
	run ipctool mq send $n_pq -p -1 x
	assert_failure 2
	run ipctool mq send $n_pq -T 1 x
	assert_failure 2
	run ipctool mq receive $n_pq -T 1
	assert_failure 2
	run ipctool mq send $n_pq "$(head -c 65 /dev/zero | tr '\0' x)"
	assert_failure 6
	run ipctool mq create $n_big --max-messages 100000000
	assert_failure 6
	run ipctool mq create $n_bad --max-bytes 10
	assert_failure 2
	run ipctool mq create 0x99 --max-messages 10
	assert_failure 2
	(umask 077; ipctool mq create $n_um -m 0666)
	[ "$(ipctool mq stat $n_um -o PERMS --raw --no-headings)" = 0666 ]
	ipctool mq receive $n_pq --nowait || [ $? = 1 ]
}

@test "POSIX works without /dev/mqueue mounted" {
	names nomount
	umount /dev/mqueue 2>/dev/null || skip "cannot unmount /dev/mqueue here"
	ipctool mq create $n_nomount -m 0604
	ipctool mq send $n_nomount hello
	[ "$(ipctool mq stat $n_nomount -o MSGS,PERMS --raw --no-headings)" = "1 0604" ]
	ipctool mq set $n_nomount --mode 0600
	run ipctool mq receive $n_nomount
	assert_output hello
	ipctool mq rm $n_nomount
	# the tests after this one see /dev/mqueue again
	mount -t mqueue ipctool-test /dev/mqueue
}

@test "stat: every attribute, --json" {
	names nope
	keys 0x4242 0x4243
	q=$(ipctool mq create $k4242 -m 0620)
	ipctool mq send "$q" abc
	run ipctool mq stat "$q" --json
	assert_success
	j=$output
	[ "$(jq -r '.messages[0] | [.key, .perms, .msgs, .usedbytes, .qbytes, .uid, .cuid, .gid, .cgid] | @tsv' <<<"$j")" = \
	    "$(printf '%s\t0620\t1\t3\t%s\t%s\t%s\t%s\t%s' "$(keyhex $k4242)" "$(cat /proc/sys/kernel/msgmnb)" \
	    "$(id -u)" "$(id -u)" "$(id -g)" "$(id -g)")" ]
	[ "$(jq -r '.messages[0].lspid > 0 and .messages[0].lrpid == 0' <<<"$j")" = true ]
	jq -e '.messages[0].send | test("^[0-9]{4}-")' <<<"$j"
	jq -e '.messages[0] | has("recv") and has("ctime")' <<<"$j"
	run ipctool mq stat "$q"
	assert_output --partial LSPID
	run ipctool mq stat $k4243
	assert_failure 3
	run ipctool mq stat $n_nope
	assert_failure 3
}

@test "set: --mode, --owner, --max-bytes; POSIX mode and owner" {
	names ps
	need_root
	q=$(ipctool mq create)
	ipctool mq set "$q" --mode 0644 --owner nobody --max-bytes 2K
	[ "$(ipctool mq stat "$q" -o PERMS,OWNER,QBYTES --raw --no-headings)" = "0644 nobody 2048" ]
	run ipctool mq set "$q"
	assert_failure 2
	ipctool mq create $n_ps
	ipctool mq set $n_ps --mode 0606 --owner nobody
	[ "$(ipctool mq stat $n_ps -o PERMS,OWNER --raw --no-headings)" = "0606 nobody" ]
	run ipctool mq set $n_ps --max-bytes 10
	assert_failure 2
}

@test "permission denied as nobody: 5" {
	names perm
	need_root
	q=$(ipctool mq create -m 0600)
	ipctool mq send "$q" x
	run as_nobody "$IPCTOOL" mq send "$q" y
	assert_failure 5
	run as_nobody "$IPCTOOL" mq receive "$q" --nowait
	assert_failure 5
	run as_nobody "$IPCTOOL" mq rm "$q"
	assert_failure 5
	ipctool mq create $n_perm -m 0600
	run as_nobody "$IPCTOOL" mq send $n_perm y
	assert_failure 5
	run as_nobody "$IPCTOOL" mq receive $n_perm
	assert_failure 5
	[ "$(qnum "$q")" = 1 ]
}

@test "rm: several targets, goes on past a failure" {
	names r1 r2
	a=$(ipctool mq create)
	b=$(ipctool mq create)
	ipctool mq create $n_r1
	run ipctool mq rm "$a" id:99999 "$b" $n_r1 $n_r2
	assert_failure 3
	[ "${#lines[@]}" = 2 ]
	run ipctool mq stat "$a"
	assert_failure 3
	run ipctool mq stat "$b"
	assert_failure 3
	run ipctool mq stat $n_r1
	assert_failure 3
}

@test "4 senders and 4 receivers, 100k unique messages: none lost, duplicated or corrupted" {
	q=$(ipctool mq create)
	for s in 1 2 3 4; do
		seq -f "sender$s-%06g-$(printf '%032d' "$s")" 1 25000 > "$TMP/in$s"
	done
	cat "$TMP"/in? | sort > "$TMP/expected"
	for r in 1 2 3 4; do
		"$IPCTOOL" mq receive "$q" --follow --lines > "$TMP/out$r" 2>/dev/null &
		rpids+=($!)
	done
	for s in 1 2 3 4; do
		"$IPCTOOL" mq send "$q" --lines < "$TMP/in$s" &
		spids+=($!)
	done
	for p in "${spids[@]}"; do wait "$p"; done
	wait_until 60 '[ "$(cat "$TMP"/out? | wc -l)" -ge 100000 ]'
	kill -TERM "${rpids[@]}"
	for p in "${rpids[@]}"; do wait "$p" || [ $? = 143 ]; done
	cat "$TMP"/out? | sort > "$TMP/got"
	[ "$(wc -l < "$TMP/got")" = 100000 ]
	[ -z "$(uniq -d "$TMP/got")" ]
	cmp "$TMP/expected" "$TMP/got"
	# each receiver kept its share in order per sender
	[ "$(qnum "$q")" = 0 ]
}

# ---- found in review ----

@test "a receiver blocked on a stdout nobody reads ends on SIGTERM and puts back what it held" {
	echo 16777216 > /proc/sys/kernel/msgmnb || skip "cannot raise msgmnb here"
	q=$(ipctool mq create)
	seq 1 100000 | ipctool mq send "$q" --lines
	# a reader that never reads: the receiver fills the pipe and blocks
	mkfifo "$TMP/pipe"
	sleep 60 < "$TMP/pipe" &
	rpid=$!
	"$IPCTOOL" mq receive "$q" --follow --lines > "$TMP/pipe" 2> "$TMP/err" &
	pid=$!
	wait_for 10 blocked_in "$pid" pipe
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	kill "$rpid"
	[ "$st" = 143 ]
	grep -q "put back" "$TMP/err"
	# what the pipe took is gone with it; the rest is queued again
	n=$(qnum "$q")
	[ "$n" -gt 0 ] && [ "$n" -lt 100000 ]
}

@test "-E replaces exit 1 for receive and send" {
	q=$(ipctool mq create)
	run ipctool mq receive "$q" --nowait -E 9
	assert_failure 9
	run ipctool mq receive "$q" -t 0.1 --conflict-exit-code 10
	assert_failure 10
}

@test "an unprivileged creator may give its queue a mode that excludes itself" {
	need_root
	for m in 0200 0000; do
		run as_nobody "$IPCTOOL" mq create -m "$m" --json
		assert_success
		[ "$(jq -r '.messages[0].perms' <<<"$output")" = "$m" ]
		id=$(jq -r '.messages[0].id' <<<"$output")
		run as_nobody "$IPCTOOL" mq rm "id:$id"
		assert_success
	done
	[ "$(grep -c . /proc/sysvipc/msg)" -eq 1 ]
}

@test "create whose name cannot be printed removes the queue (exit 8)" {
	names fq
	need_ns
	run sh -c "'$IPCTOOL' mq create $n_fq > /dev/full"
	assert_failure 8
	run sh -c "'$IPCTOOL' mq create 0x77 > /dev/full"
	assert_failure 8
	[ "$(grep -c . /proc/sysvipc/msg)" -eq 1 ]
	run ipctool mq stat $n_fq
	assert_failure 3
}

@test "notify waits for a message without taking it (POSIX mq_notify)" {
	need_feature MQ_NOTIFY MQ_TIMEDRECEIVE
	names nt
	ipctool mq create $n_nt >/dev/null
	run ipctool mq notify $n_nt --nowait
	assert_failure 1
	start=$(date +%s%N)
	run ipctool mq notify $n_nt -t 0.3 -E 9
	end=$(date +%s%N)
	assert_failure 9
	assert_output --partial "timed out"
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 290 ] && [ "$ms" -lt 3000 ]
	"$IPCTOOL" mq notify $n_nt -t 20 &
	pid=$!
	# once it waits, a second waiter finds the registration taken (a
	# probe before then would take it first and make the waiter fail)
	wait_for 5 blocked_in "$pid" sigtimedwait
	run ipctool mq notify $n_nt -t 0.1
	assert_failure 1
	assert_output --partial "another process is registered"
	ipctool mq send $n_nt hello
	wait "$pid"
	# the message is still there
	run ipctool mq stat $n_nt -o MSGS --raw --no-headings
	assert_output 1
	run ipctool mq notify $n_nt
	assert_success
	run ipctool mq receive $n_nt
	assert_output hello
	q=$(ipctool mq create)
	run ipctool mq notify "$q"
	assert_failure 2
	assert_output --partial "POSIX only"
}

@test "notify: SIGTERM while waiting exits 143 and leaves no registration" {
	need_feature MQ_NOTIFY
	names nt2
	ipctool mq create $n_nt2 >/dev/null
	"$IPCTOOL" mq notify $n_nt2 -t 20 &
	pid=$!
	wait_for 5 blocked_in "$pid" sigtimedwait
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 143 ]
	# the registration went with the process: another may register
	( sleep 0.3; ipctool mq send $n_nt2 x ) &
	run ipctool mq notify $n_nt2 -t 10
	assert_success
	wait
}

@test "one stderr line: receive -c 3 --nowait short of messages, a failed send --lines" {
	q=$(ipctool mq create)
	ipctool mq send "$q" one
	"$IPCTOOL" mq receive "$q" -c 3 --nowait > "$TMP/out" 2> "$TMP/err" || st=$?
	[ "${st:-0}" = 1 ]
	[ "$(cat "$TMP/out")" = one ]
	[ "$(wc -l < "$TMP/err")" = 1 ]
	grep -q "no message (received 1 of 3)" "$TMP/err"
	q=$(ipctool mq create --max-bytes 4)
	st=0
	printf 'ab\ncd\nef\n' | "$IPCTOOL" mq send "$q" --lines --nowait 2> "$TMP/err" || st=$?
	[ "$st" = 1 ]
	[ "$(wc -l < "$TMP/err")" = 1 ]
	grep -q "full (stopped at line 3; 2 messages were sent)" "$TMP/err"
}

# Runs a command with SIGALRM blocked, as a parent may leave it.
ALRM_BLOCKED=(python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
os.execv(sys.argv[1], sys.argv[1:])')

@test "System V timeouts work whatever SIGALRM's inherited mask and disposition" {
	q=$(ipctool mq create --max-bytes 2)
	SECONDS=0
	run timeout 20 "${ALRM_BLOCKED[@]}" "$IPCTOOL" mq receive "$q" -t 0.3
	assert_failure 1
	assert_output --partial "timed out"
	ipctool mq send "$q" ab
	run timeout 20 "${ALRM_BLOCKED[@]}" "$IPCTOOL" mq send "$q" -t 0.3 cd
	assert_failure 1
	assert_output --partial "timed out"
	[ "$SECONDS" -le 30 ]
	run timeout 20 "${ALRM_BLOCKED[@]}" "$IPCTOOL" mq receive "$q" -t 0.3
	assert_success
	assert_output ab
	# ignored on entry: the timer still fires
	run timeout 20 bash -c "trap '' ALRM; exec $IPCTOOL mq receive $q -t 0.3"
	assert_failure 1
	assert_output --partial "timed out"
}

@test "signals ignored on entry stay ignored (nohup): SIGHUP does not end a wait" {
	q=$(ipctool mq create)
	nohup "$IPCTOOL" mq receive "$q" -t 30 > "$TMP/out" 2> "$TMP/err" &
	pid=$!
	wait_for 10 blocked_in "$pid" msgrcv
	kill -HUP "$pid"
	# still waiting: the message sent afterwards is what it prints
	sleep 0.3
	kill -0 "$pid"
	ipctool mq send "$q" after
	st=0; wait "$pid" || st=$?
	[ "$st" = 0 ]
	[ "$(cat "$TMP/out")" = after ]
}

@test "usage checks run before the TARGET is looked up: 2 for a queue that does not exist" {
	names nq
	for c in "notify id:99999" "send $n_nq -T 2 x" "send id:99999 -p 1 x" \
	    "send id:99999 -T 1 -p 1 x" "send id:99999 --lines x" \
	    "receive $n_nq -T 3" "receive $n_nq --except -T 3" \
	    "receive id:99999 --except" "receive id:99999 -c 2 --follow" \
	    "receive id:99999 -t 1 --nowait" "send id:99999 -t 1 --nowait x" \
	    "notify $n_nq -t 1 --nowait" "set $n_nq --max-bytes 10"; do
		# shellcheck disable=SC2086
		run ipctool mq $c
		[ "$status" -eq 2 ] || fail "mq $c: $status: $output"
		assert_line --index 1 --partial "Try 'ipctool mq "
	done
	# the same options on existing queues of the other family are 3 only
	# when the object is missing and the options are right
	run ipctool mq send id:99999 -T 2 x
	assert_failure 3
	run ipctool mq notify $n_nq --nowait
	assert_failure 3
	run ipctool mq notify $n_nq
	if missing_feature MQ_NOTIFY; then
		# what the build lacks is found before the queue is looked up
		assert_failure 2
		assert_output "ipctool: mq notify: $n_nq: not supported on this system: MQ_NOTIFY"
	else
		assert_failure 3
	fi
}

@test "--verbose: a send that waits for room and a receive that waits for a message say so, then how long" {
	names vq
	q=$(ipctool mq create --max-bytes 4)
	ipctool mq send "$q" 1234
	"$IPCTOOL" mq send "$q" --verbose -t 30 5678 2> "$TMP/send" &
	spid=$!
	wait_until 10 'grep -q waiting "$TMP/send"'
	[ "$(ipctool mq receive "$q")" = 1234 ]
	st=0; wait "$spid" || st=$?
	[ "$st" = 0 ]
	run cat "$TMP/send"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "ipctool: mq send: waiting for room in $q"
	assert_line --index 1 --regexp '^ipctool: mq send: waited [0-9]+\.[0-9]{3} s$'
	[ "$(ipctool mq receive "$q")" = 5678 ]
	"$IPCTOOL" mq receive "$q" --verbose -t 30 2> "$TMP/recv" > "$TMP/out" &
	rpid=$!
	wait_until 10 'grep -q waiting "$TMP/recv"'
	ipctool mq send "$q" abc
	st=0; wait "$rpid" || st=$?
	[ "$st" = 0 ]
	[ "$(cat "$TMP/out")" = abc ]
	run cat "$TMP/recv"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "ipctool: mq receive: waiting for a message on $q"
	assert_line --index 1 --regexp '^ipctool: mq receive: waited [0-9]+\.[0-9]{3} s$'
	# no wait: nothing on stderr; --nowait: busy, never "waiting"
	ipctool mq send "$q" x
	run --separate-stderr ipctool mq receive "$q" --verbose
	assert_success
	assert_output x
	[ -z "$stderr" ]
	run --separate-stderr ipctool mq send "$q" --verbose y
	assert_success
	[ -z "$stderr" ]
	run ipctool mq receive "$q" --verbose -c 2 --nowait
	assert_failure 1
	refute_output --partial waiting
	# POSIX says so too (bounded by timeout(1) where -t needs the
	# mq_timedreceive the build lacks)
	ipctool mq create $n_vq --max-messages 1 >/dev/null
	t=(-t 30)
	! missing_feature MQ_TIMEDRECEIVE || t=()
	timeout 60 "$IPCTOOL" mq receive $n_vq --verbose "${t[@]}" 2> "$TMP/p" > /dev/null &
	pid=$!
	wait_until 10 'grep -q waiting "$TMP/p"'
	ipctool mq send $n_vq m
	st=0; wait "$pid" || st=$?
	[ "$st" = 0 ]
	run cat "$TMP/p"
	assert_line --index 0 "ipctool: mq receive: waiting for a message on $n_vq"
	assert_line --index 1 --regexp '^ipctool: mq receive: waited [0-9]+\.[0-9]{3} s$'
}

# ---- issue 12 item 24: what a killed receiver leaves ----

# Fills q with n numbered 31-byte lines, starts a receiver --follow
# --lines into a pipe whose reader waits for $TMP/go before it reads
# (into $TMP/out), and waits until the receiver is blocked writing.
rx_blocked_on_pipe() {
	q=$1 n=$2
	seq -f '%030g' 1 "$n" | ipctool mq send "$q" --lines
	rm -f "$TMP/go" "$TMP/pipe"
	mkfifo "$TMP/pipe"
	sh -c 'while [ ! -e "$1" ]; do sleep 0.05; done; exec cat' sh \
	    "$TMP/go" < "$TMP/pipe" > "$TMP/out" &
	rdpid=$!
	BG+=("$rdpid")
	# SIGINT and SIGQUIT as a terminal would send them, not inherited ignored
	env --default-signal "$IPCTOOL" mq receive "$q" --follow --lines \
	    > "$TMP/pipe" 2> "$TMP/err" &
	rxpid=$!
	BG+=("$rxpid")
	wait_for 10 blocked_in "$rxpid" pipe
}

# Whole lines written, then what is left in q: every one of 1..n once,
# or (with "lossy") at most one missing and none twice.
rx_accounted() {
	q=$1 n=$2 mode=${3-}
	touch "$TMP/go"
	wait "$rdpid" || true
	# a message the signal cut in the middle has no newline yet
	{ grep -a '^[0-9]\{30\}$' "$TMP/out" || true
	  ipctool mq receive "$q" --follow --nowait --lines; } | sort > "$TMP/all"
	[ -z "$(uniq -d "$TMP/all")" ] || fail "written twice: $(uniq -d "$TMP/all" | head -3)"
	seq -f '%030g' 1 "$n" | sort > "$TMP/want"
	missing=$(comm -23 "$TMP/want" "$TMP/all" | wc -l)
	extra=$(comm -13 "$TMP/want" "$TMP/all" | wc -l)
	[ "$extra" = 0 ] || fail "$extra lines never sent"
	if [ "$mode" = lossy ]; then
		[ "$missing" -le 1 ] || fail "$missing lost"
	else
		[ "$missing" = 0 ] || fail "$missing lost"
	fi
	[ "$(qnum "$q")" = 0 ]
}

@test "a receiver ended by each terminating signal or a closed pipe: every message written or queued, once; kill -9 loses at most one" {
	echo 16777216 > /proc/sys/kernel/msgmnb || skip "cannot raise msgmnb here"
	q=$(ipctool mq create)
	n=6000
	# valgrind keeps SIGRTMAX for itself (it ends its threads with it)
	sigs="HUP INT QUIT TERM USR1 USR2 ALRM XCPU XFSZ VTALRM PROF IO PWR RTMIN"
	[ -n "${IPCTOOL_VALGRIND:-}" ] || sigs+=" RTMAX"
	# shellcheck disable=SC2086
	for sig in $sigs; do
		rx_blocked_on_pipe "$q" "$n"
		kill -s "$sig" "$rxpid"
		st=0; wait "$rxpid" || st=$?
		[ "$st" -gt 128 ] || fail "SIG$sig: exit $st"
		[ "$st" = $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: exit $st"
		grep -q "put back" "$TMP/err" || fail "SIG$sig: $(cat "$TMP/err")"
		rx_accounted "$q" "$n"
	done
	# a reader that goes away: EPIPE, 141, the rest put back; what the
	# pipe took but its reader never read (from the one it cut on) went
	# with the pipe: they are the ones right after the last line read
	seq -f '%030g' 1 "$n" | ipctool mq send "$q" --lines
	bash -c '"$1" mq receive "$2" --follow --lines 2> "$3/err"
	    echo "$?" > "$3/st"' sh "$IPCTOOL" "$q" "$TMP" |
	    head -c 100000 > "$TMP/out"
	[ "$(cat "$TMP/st")" = 141 ]
	grep -q "put back" "$TMP/err"
	{ grep -a '^[0-9]\{30\}$' "$TMP/out" || true
	  ipctool mq receive "$q" --follow --nowait --lines; } | sort > "$TMP/all"
	[ -z "$(uniq -d "$TMP/all")" ]
	last=$(grep -a -c '^[0-9]\{30\}$' "$TMP/out")
	seq -f '%030g' 1 "$n" | sort | comm -23 - "$TMP/all" > "$TMP/gone"
	[ -s "$TMP/gone" ]
	seq -f '%030g' $((last + 1)) $((last + $(wc -l < "$TMP/gone"))) |
	    diff - "$TMP/gone"
	[ "$(wc -l < "$TMP/gone")" -le $((65536 / 31 + 1)) ]
	# SIGKILL cannot be caught: at most the one message being written
	rx_blocked_on_pipe "$q" "$n"
	kill -KILL "$rxpid"
	st=0; wait "$rxpid" || st=$?
	[ "$st" = 137 ]
	rx_accounted "$q" "$n" lossy
	echo "# SIGKILL lost $missing of $n" >&3
}

# ---- issue 11 item 4: --peek, --truncate; issue 12 item 24: copy first ----

# The queue's count, last receiver and receive time, as the kernel has them
rx_state() { awk -v id="${1#id:}" '$2 == id { print $5, $7, $10 }' /proc/sysvipc/msg; }

@test "--peek shows a message without taking it; -n INDEX; the queue and its times unchanged" {
	need_feature MSG_COPY
	keys 0x6b01
	q=$(ipctool mq create "$k6b01")
	# a peer sender: python's sysv_ipc
	/usr/bin/python3 -c '
import sys, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1], 0))
q.send(b"first", type=3); q.send(b"second\0bin", type=5); q.send(b"third", type=3)' "$k6b01"
	ipctool mq receive "$q" -T 5 > /dev/null
	ipctool mq send "$q" -T 5 "second"
	before=$(rx_state "$q")
	run ipctool mq receive "$q" --peek --print-type
	assert_success
	assert_output "$(printf '3\tfirst')"
	run ipctool mq receive "$q" --peek -n 2
	assert_output second
	sleep 1.1
	ipctool mq receive "$q" --peek -n 1 > /dev/null
	# the count, msg_lrpid and msg_rtime are as they were: MSG_COPY moves nothing
	[ "$(rx_state "$q")" = "$before" ]
	[ "$(qnum "$q")" = 3 ]
	# past the end: no message there, as an empty queue is (1, or -E)
	run ipctool mq receive "$q" --peek -n 3
	assert_failure 1
	assert_output "ipctool: mq receive: $q: no message at index 3"
	run ipctool mq receive "$q" --peek -n 3 -E 9
	assert_failure 9
	[ "$(rx_state "$q")" = "$before" ]
	# python still receives all three, in order
	run /usr/bin/python3 -c '
import sys, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1], 0))
for i in range(3): print(q.receive(block=False)[0].decode())' "$k6b01"
	assert_output "$(printf 'first\nthird\nsecond')"
}

@test "--peek --follow and -c walk the queue in order from INDEX, taking nothing" {
	need_feature MSG_COPY
	q=$(ipctool mq create)
	seq 1 50 | ipctool mq send "$q" --lines
	run ipctool mq receive "$q" --peek --follow --lines
	assert_success
	[ "$output" = "$(seq 1 50)" ]
	run ipctool mq receive "$q" --peek -n 47 -c 3 --lines
	assert_success
	[ "$output" = "$(seq 48 50)" ]
	run --separate-stderr ipctool mq receive "$q" --peek -n 48 -c 3 --lines
	assert_failure 1
	[ "$output" = "$(seq 49 50)" ]
	[ "$stderr" = "ipctool: mq receive: $q: no message at index 50 (peeked 2 of 3)" ]
	[ "$(qnum "$q")" = 50 ]
	# an empty queue: --follow peeks nothing, with success
	e=$(ipctool mq create)
	run ipctool mq receive "$e" --peek --follow
	assert_success
	assert_output ""
	# a peek into a failing stdout took nothing either
	run bash -c "$IPCTOOL mq receive $q --peek > /dev/full"
	assert_failure 8
	assert_output --partial "copied, not taken"
	[ "$(qnum "$q")" = 50 ]
}

@test "--peek: POSIX has no peek (2); usage errors before anything is touched" {
	names pk
	ipctool mq create $n_pk
	ipctool mq send $n_pk x
	run ipctool mq receive $n_pk --peek
	assert_failure 2
	assert_line --index 0 --partial "$n_pk: POSIX message queues cannot be read without taking a message"
	[ "$(qnum $n_pk)" = 1 ]
	q=$(ipctool mq create)
	for args in "-n 1" "--peek -T 1" "--peek --except -T 1" "--peek -t 1" \
	    "--peek -n -1" "--peek --follow -c 2" "--truncate 0" "--truncate x"; do
		# shellcheck disable=SC2086
		run ipctool mq receive "$q" $args
		assert_failure 2
	done
	# usage first: a missing queue is not even looked up
	run ipctool mq receive id:99999 --peek -t 1
	assert_failure 2
}

@test "--truncate SIZE: a longer message is taken, its first bytes written, the dropped count said" {
	names tr
	keys 0x6b02
	q=$(ipctool mq create "$k6b02")
	/usr/bin/python3 -c '
import sys, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1], 0))
q.send(b"0123456789", type=2); q.send(b"abc", type=2)' "$k6b02"
	run --separate-stderr ipctool mq receive "$q" --truncate 4 -c 2 --lines
	assert_success
	assert_output "$(printf '0123\nabc')"
	[ "$stderr" = "ipctool: mq receive: $q: a message of 10 bytes was cut to 4: 6 bytes dropped" ]
	[ "$(qnum "$q")" = 0 ]
	# into a failing stdout: exit 8, and the message goes back whole
	ipctool mq send "$q" 0123456789
	run bash -c "$IPCTOOL mq receive $q --truncate 4 > /dev/full"
	assert_failure 8
	refute_output --partial dropped
	[ "$(ipctool mq receive "$q")" = 0123456789 ]
	# POSIX: the same, cut by ipctool (the buffer is mq_msgsize)
	ipctool mq create $n_tr
	ipctool mq send $n_tr -p 3 0123456789
	run --separate-stderr ipctool mq receive $n_tr --truncate 2 --print-type
	assert_output "$(printf '3\t01')"
	[ "$stderr" = "ipctool: mq receive: $n_tr: a message of 10 bytes was cut to 2: 8 bytes dropped" ]
	ipctool mq send $n_tr 0123456789
	run bash -c "$IPCTOOL mq receive $n_tr --truncate 2 > /dev/full"
	assert_failure 8
	[ "$(ipctool mq receive $n_tr)" = 0123456789 ]
	# --peek --truncate: cut on the way out, the message stays whole
	grep -q '+MSG_COPY' <(ipctool info) || return 0
	ipctool mq send "$q" 0123456789
	run --separate-stderr ipctool mq receive "$q" --peek --truncate 3
	assert_output 012
	[ "$(ipctool mq receive "$q")" = 0123456789 ]
}

@test "a message longer than the buffer, without --truncate: it grows (no cut); MSGMAX lowered after the send still fits" {
	q=$(ipctool mq create)
	old=$(cat /proc/sys/kernel/msgmax)
	echo 16384 > /proc/sys/kernel/msgmax || skip "cannot set msgmax here"
	head -c 16000 /dev/zero | tr '\0' a | ipctool mq send "$q"
	echo 1024 > /proc/sys/kernel/msgmax
	run --separate-stderr ipctool mq receive "$q"
	echo "$old" > /proc/sys/kernel/msgmax
	assert_success
	[ "${#output}" = 16000 ]
	[ -z "$stderr" ]
}

@test "a read-only receiver (0644, as nobody) copies first: into /dev/full exit 8, the message stays, nothing LOST" {
	need_root
	need_feature MSG_COPY
	q=$(ipctool mq create -m 0644)
	ipctool mq send "$q" -T 7 keep
	ipctool mq send "$q" -T 8 next
	run as_nobody bash -c "'$IPCTOOL' mq receive $q > /dev/full"
	assert_failure 8
	refute_output --partial LOST
	assert_output --partial "copied, not taken"
	[ "$(qnum "$q")" = 2 ]
	# and receives as usual: order and types kept, one at a time
	run as_nobody "$IPCTOOL" mq receive "$q" --print-type --lines -c 2
	assert_success
	assert_output "$(printf '7\tkeep\n8\tnext')"
	[ "$(qnum "$q")" = 0 ]
	# a wait for a message does not take it before it is written
	as_nobody "$IPCTOOL" mq receive "$q" -t 20 > /dev/full 2> "$TMP/err" &
	rx=$!
	wait_until 10 'blocked_in "$(pgrep -f "mq receive $q -t 20\$")" msgrcv'
	ipctool mq send "$q" late
	st=0; wait "$rx" || st=$?
	[ "$st" = 8 ]
	[ "$(qnum "$q")" = 1 ]
	[ "$(ipctool mq receive "$q")" = late ]
	# without MSG_COPY's path (a writable queue) the put-back still works
	ipctool mq set "$q" --mode 0666
	ipctool mq send "$q" w
	run as_nobody bash -c "'$IPCTOOL' mq receive $q > /dev/full"
	assert_failure 8
	assert_output --partial "put back"
}

@test "read-only receivers racing: every message written, none lost, what both wrote is said" {
	need_root
	need_feature MSG_COPY
	q=$(ipctool mq create -m 0644)
	n=2000
	seq -f '%06g' 1 "$n" | ipctool mq send "$q" --lines
	for r in 1 2 3; do
		as_nobody "$IPCTOOL" mq receive "$q" --follow --nowait --lines \
		    > "$TMP/out$r" 2> "$TMP/err$r" &
	done
	wait
	[ "$(qnum "$q")" = 0 ]
	sort -u "$TMP"/out? > "$TMP/all"
	seq -f '%06g' 1 "$n" | diff - "$TMP/all"
	# each duplicate is one a receiver said it may share
	dups=$(( $(cat "$TMP"/out? | wc -l) - n ))
	said=$(cat "$TMP"/err? | grep -c 'both may have written it' || true)
	[ "$dups" -le "$said" ]
	echo "# $dups of $n written twice, $said races said" >&3
}

@test "send and receive --create [-m, sizes]: the queue on first use, 20 first users at once share one, one that exists is used as it is" {
	keys 0x6c01 0x6c02
	names cq
	run ipctool mq send $k6c01 hello --create -m 640
	assert_success
	kx=$(printf 0x%08x $((k6c01)))
	[ "$(ipcs -q | awk -v k="$kx" '$1 == k {print $4, $6}')" = "640 1" ]
	# it exists: used as it is, its mode stays
	run ipctool mq receive $k6c01 --create -m 600
	assert_success
	assert_output hello
	[ "$(ipcs -q | awk -v k="$kx" '$1 == k {print $4}')" = 640 ]
	# 20 first users at once: one queue, every message in it
	pids=()
	for i in $(seq 20); do
		"$IPCTOOL" mq send $k6c02 "m$i" --create &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	kx=$(printf 0x%08x $((k6c02)))
	[ "$(ipcs -q | awk -v k="$kx" '$1 == k' | wc -l)" = 1 ]
	run ipctool mq stat $k6c02 -o MSGS --raw --no-headings
	assert_output 20
	# POSIX: a receiver makes it, empty; --nowait then finds nothing
	run ipctool mq receive $n_cq --create --nowait
	assert_failure 1
	[ "$(stat -c %a /dev/mqueue$n_cq)" = 600 ]
	# usage: an id names a queue that exists; -m goes with --create
	run ipctool mq send id:0 x --create
	assert_failure 2
	assert_output --partial "needs a key"
	run ipctool mq send $k6c01 x -m 600
	assert_failure 2
	assert_output --partial "go with --create"
	run ipctool mq stat $k6c01 -o MSGS --raw --no-headings
	assert_output 0
	# mq create's sizes apply; one that exists smaller than asked is 6
	names cs
	run ipctool mq send $n_cs x --create --max-messages 3 --message-size 64
	assert_success
	run ipctool mq stat $n_cs -o MAXMSG,MSGSIZE --raw --no-headings
	assert_output "3 64"
	run ipctool mq receive $n_cs --create --max-messages 4
	assert_failure 6
	run ipctool mq stat $n_cs -o MSGS --raw --no-headings
	assert_output 1
	keys 0x6c03
	run ipctool mq send $k6c03 x --create --max-bytes 1000
	assert_success
	run ipctool mq stat $k6c03 -o QBYTES --raw --no-headings
	assert_output 1000
	run ipctool mq send $k6c03 x --create --max-messages 3
	assert_failure 2
	ipctool mq rm $k6c01 $k6c02 $k6c03 $n_cq $n_cs
}
