#!/usr/bin/env bats
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
	run ipctool mq create 0x1234
	assert_success
	id=$output
	proc_msg "${id#id:}" | grep -q '^ *4660 '
	run ipctool mq create 0x1234
	assert_failure 4
	run ipctool mq create 0x1234 --exist-ok
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
	id=$(jq -r '.queues[0].id' <<<"$output")
	[ "$(jq -r '.queues[0].qbytes' <<<"$output")" = 1000 ]
	[ "$(jq -r '.queues[0].perms' <<<"$output")" = 0640 ]
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
	printf 'a\0b\0\n\377\0' > "$TMP/bin"
	q=$(ipctool mq create)
	ipctool mq send "$q" < "$TMP/bin"
	ipctool mq receive "$q" > "$TMP/out"
	cmp "$TMP/bin" "$TMP/out"
	ipctool mq create /bin
	ipctool mq send /bin < "$TMP/bin"
	ipctool mq send /bin ''
	ipctool mq receive /bin > "$TMP/out"
	cmp "$TMP/bin" "$TMP/out"
	run ipctool mq receive /bin --lines
	assert_output ''
	[ "$(qnum /bin)" = 0 ]
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
	assert_output --partial "1 messages were sent"
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

@test "timeouts: receive -t, send -t on a full queue, --nowait on full is 6" {
	q=$(ipctool mq create --max-bytes 4)
	SECONDS=0
	run ipctool mq receive "$q" -t 0.5
	assert_failure 1
	assert_output --partial "timed out"
	[ "$SECONDS" -le 3 ]
	ipctool mq send "$q" 1234
	SECONDS=0
	run ipctool mq send "$q" -t 0.5 x
	assert_failure 1
	[ "$SECONDS" -le 3 ]
	run ipctool mq send "$q" --nowait x
	assert_failure 6
	assert_output --partial full
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
	[ "$SECONDS" -le 3 ]
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
	kill -INT "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 130 ]
	[ "$(cat "$TMP/out")" = "$(printf 'm1\nm2\nm3')" ]
}

@test "a failing stdout: exit 8 and the message stays queued" {
	q=$(ipctool mq create)
	ipctool mq send "$q" -T 7 keep
	run bash -c "$IPCTOOL mq receive $q > /dev/full"
	assert_failure 8
	assert_output --partial "put back"
	[ "$(qnum "$q")" = 1 ]
	run ipctool mq receive "$q" --print-type
	assert_output "$(printf '7\tkeep')"
	ipctool mq create /full
	ipctool mq send /full -p 4 keep
	run bash -c "$IPCTOOL mq receive /full --lines > /dev/full"
	assert_failure 8
	run ipctool mq receive /full --print-type
	assert_output "$(printf '4\tkeep')"
}

@test "POSIX: priority ordering, -p range, create options, exact mode" {
	run ipctool mq create /pq --max-messages 3 --message-size 64 -m 0640
	assert_success
	assert_output /pq
	[ "$(ipctool mq stat /pq -o MAXMSG,MSGSIZE,PERMS --raw --no-headings)" = "3 64 0640" ]
	run ipctool mq create /pq
	assert_failure 4
	run ipctool mq create /pq --exist-ok --max-messages 5
	assert_failure 6
	ipctool mq send /pq -p 1 a
	ipctool mq send /pq -p 9 b
	ipctool mq send /pq --priority 5 c
	run ipctool mq send /pq --nowait d
	assert_failure 6
	run ipctool mq receive /pq -c 3 --lines --print-type
	assert_output "$(printf '9\tb\n5\tc\n1\ta')"
	run ipctool mq send /pq -p 32768 x
	assert_failure 6
	run ipctool mq send /pq -p -1 x
	assert_failure 2
	run ipctool mq send /pq -T 1 x
	assert_failure 2
	run ipctool mq receive /pq -T 1
	assert_failure 2
	run ipctool mq send /pq "$(head -c 65 /dev/zero | tr '\0' x)"
	assert_failure 6
	run ipctool mq create /big --max-messages 100000000
	assert_failure 6
	run ipctool mq create /bad --max-bytes 10
	assert_failure 2
	run ipctool mq create 0x99 --max-messages 10
	assert_failure 2
	(umask 077; ipctool mq create /um -m 0666)
	[ "$(ipctool mq stat /um -o PERMS --raw --no-headings)" = 0666 ]
	ipctool mq receive /pq -t 0.2 || [ $? = 1 ]
}

@test "POSIX works without /dev/mqueue mounted" {
	umount /dev/mqueue 2>/dev/null || skip "cannot unmount /dev/mqueue here"
	ipctool mq create /nomount -m 0604
	ipctool mq send /nomount hello
	[ "$(ipctool mq stat /nomount -o MSGS,PERMS --raw --no-headings)" = "1 0604" ]
	ipctool mq set /nomount --mode 0600
	run ipctool mq receive /nomount
	assert_output hello
	ipctool mq rm /nomount
	# the tests after this one see /dev/mqueue again
	mount -t mqueue ipctool-test /dev/mqueue
}

@test "stat: every attribute, --json" {
	q=$(ipctool mq create 0x4242 -m 0620)
	ipctool mq send "$q" abc
	run ipctool mq stat "$q" --json
	assert_success
	j=$output
	[ "$(jq -r '.queues[0] | [.key, .perms, .msgs, .usedbytes, .qbytes, .uid, .cuid, .gid, .cgid] | @tsv' <<<"$j")" = \
	    "$(printf '0x00004242\t0620\t1\t3\t16384\t0\t0\t0\t0')" ]
	[ "$(jq -r '.queues[0].lspid > 0 and .queues[0].lrpid == 0' <<<"$j")" = true ]
	jq -e '.queues[0].send | test("^[0-9]{4}-")' <<<"$j"
	jq -e '.queues[0] | has("recv") and has("ctime")' <<<"$j"
	run ipctool mq stat "$q"
	assert_output --partial LSPID
	run ipctool mq stat 0x4243
	assert_failure 3
	run ipctool mq stat /nope
	assert_failure 3
}

@test "set: --mode, --owner, --max-bytes; POSIX mode and owner" {
	q=$(ipctool mq create)
	ipctool mq set "$q" --mode 0644 --owner nobody --max-bytes 2K
	[ "$(ipctool mq stat "$q" -o PERMS,OWNER,QBYTES --raw --no-headings)" = "0644 nobody 2048" ]
	run ipctool mq set "$q"
	assert_failure 2
	ipctool mq create /ps
	ipctool mq set /ps --mode 0606 --owner nobody
	[ "$(ipctool mq stat /ps -o PERMS,OWNER --raw --no-headings)" = "0606 nobody" ]
	run ipctool mq set /ps --max-bytes 10
	assert_failure 2
}

@test "permission denied as nobody: 5" {
	q=$(ipctool mq create -m 0600)
	ipctool mq send "$q" x
	run as_nobody "$IPCTOOL" mq send "$q" y
	assert_failure 5
	run as_nobody "$IPCTOOL" mq receive "$q" --nowait
	assert_failure 5
	run as_nobody "$IPCTOOL" mq rm "$q"
	assert_failure 5
	ipctool mq create /perm -m 0600
	run as_nobody "$IPCTOOL" mq send /perm y
	assert_failure 5
	run as_nobody "$IPCTOOL" mq receive /perm
	assert_failure 5
	[ "$(qnum "$q")" = 1 ]
}

@test "rm: several targets, goes on past a failure" {
	a=$(ipctool mq create)
	b=$(ipctool mq create)
	ipctool mq create /r1
	run ipctool mq rm "$a" id:99999 "$b" /r1 /r2
	assert_failure 3
	[ "${#lines[@]}" = 2 ]
	run ipctool mq stat "$a"
	assert_failure 3
	run ipctool mq stat "$b"
	assert_failure 3
	run ipctool mq stat /r1
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
	for m in 0200 0000; do
		run as_nobody "$IPCTOOL" mq create -m "$m" --json
		assert_success
		[ "$(jq -r '.queues[0].perms' <<<"$output")" = "$m" ]
		id=$(jq -r '.queues[0].id' <<<"$output")
		run as_nobody "$IPCTOOL" mq rm "id:$id"
		assert_success
	done
	[ "$(grep -c . /proc/sysvipc/msg)" -eq 1 ]
}

@test "create whose name cannot be printed removes the queue (exit 8)" {
	run sh -c "'$IPCTOOL' mq create /fq > /dev/full"
	assert_failure 8
	run sh -c "'$IPCTOOL' mq create 0x77 > /dev/full"
	assert_failure 8
	[ "$(grep -c . /proc/sysvipc/msg)" -eq 1 ]
	run ipctool mq stat /fq
	assert_failure 3
}

@test "notify waits for a message without taking it (POSIX mq_notify)" {
	ipctool mq create /nt >/dev/null
	run ipctool mq notify /nt --nowait
	assert_failure 1
	start=$(date +%s%N)
	run ipctool mq notify /nt -t 0.3 -E 9
	end=$(date +%s%N)
	assert_failure 9
	assert_output --partial "timed out"
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 290 ] && [ "$ms" -lt 3000 ]
	"$IPCTOOL" mq notify /nt -t 20 &
	pid=$!
	# a second waiter finds the registration taken
	wait_until 5 '! "$IPCTOOL" mq notify /nt --nowait 2>/dev/null && ! "$IPCTOOL" mq notify /nt -t 0.1 2>&1 | grep -q "timed out"'
	ipctool mq send /nt hello
	wait "$pid"
	# the message is still there
	run ipctool mq stat /nt -o MSGS --raw --no-headings
	assert_output 1
	run ipctool mq notify /nt
	assert_success
	run ipctool mq receive /nt
	assert_output hello
	q=$(ipctool mq create)
	run ipctool mq notify "$q"
	assert_failure 2
	assert_output --partial "POSIX only"
}

@test "notify: SIGTERM while waiting exits 143 and leaves no registration" {
	ipctool mq create /nt2 >/dev/null
	"$IPCTOOL" mq notify /nt2 -t 20 &
	pid=$!
	wait_for 5 blocked_in "$pid" sigtimedwait
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" = 143 ]
	# the registration went with the process: another may register
	( sleep 0.3; ipctool mq send /nt2 x ) &
	run ipctool mq notify /nt2 -t 10
	assert_success
	wait
}
