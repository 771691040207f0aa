#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Containers: --ns PID reaches the target's POSIX objects (its /dev/shm and
# /dev/mqueue through /proc/PID/root, no symbolic link followed).  Each
# test starts a child in an IPC and mount namespace of its own, with its
# own tmpfs /dev/shm and mqueue /dev/mqueue, holding objects.  Runs in a
# private IPC namespace (see run-bats).

load helpers

CTS=()

# container SCRIPT: a child in its own IPC+mount namespace that runs
# SCRIPT (with $I the ipctool binary) after mounting its own /dev/shm and
# /dev/mqueue, then sleeps; sets CT to its pid once SCRIPT is done.  It
# leads a session (setsid), so that what SCRIPT leaves in the background
# goes with it: ct_teardown ends the process group.  Its queues' default
# message size is 1024, as run-bats sets for the test's own namespace:
# the default 10 x 8192 bytes would take a tenth of root's RLIMIT_MSGQUEUE
# (819200 bytes, shared by every namespace) per queue, and suites run at
# once failed for it ("Too many open files").
container() {
	local ready="$TMP/ct.$RANDOM"
	I="$IPCTOOL" setsid unshare --ipc --mount sh -ec "
	    mount -t tmpfs none /dev/shm
	    mount -t mqueue none /dev/mqueue
	    echo 1024 > /proc/sys/fs/mqueue/msgsize_default
	    $1
	    : > '$ready'
	    exec sleep 60" 3>&- &
	CT=$!
	CTS+=("$CT")
	wait_for 30 test -e "$ready"
}

# every container a test started, not only the last: a namespace left
# alive would show up in a later `list -A`, here or in a parallel run
ct_teardown() {
	local c st ppid pgid
	for c in "${CTS[@]}"; do
		# a container's group first, while c is still our child that
		# leads it (a pid reaped may be another run's by now)
		if st=$(cat "/proc/$c/stat" 2>/dev/null); then
			read -r _ ppid pgid _ <<<"${st##*) }"
			if [ "$ppid" = "$BASHPID" ] && [ "$pgid" = "$c" ]; then
				kill -- "-$c" 2>/dev/null || true
			fi
		fi
		kill_children "$c"
		wait "$c" 2>/dev/null || true
	done
	CTS=()
}

# --ns and -A join namespaces: a build without setns(2) refuses both
eval "helpers_$(declare -f setup)"
setup() {
	helpers_setup
	need_feature SETNS
}

teardown() {
	ct_teardown
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

mine() {
	ipctool sem create /mine >/dev/null
	ipctool shm create -s 10 /mine >/dev/null
	ipctool mq create /mine >/dev/null
}

@test "--ns PID: list shows the target's POSIX objects, not ours" {
	need_ns
	mine
	container '"$I" sem create -v 3 /theirs >/dev/null
	    "$I" shm create -s 20 /theirs >/dev/null
	    "$I" mq create /theirs >/dev/null
	    echo x | "$I" mq send /theirs'
	run --separate-stderr ipctool --ns "$CT" list --posix --raw -o KIND,TARGET
	assert_success
	assert_output "sem /theirs
shm /theirs
mq /theirs"
	[ -z "$stderr" ]
	run ipctool --ns "$CT" list --posix --json
	assert_success
	[ "$(jq -c '[.. | objects | .name? // empty]' <<<"$output")" = \
	    '["/theirs","/theirs","/theirs"]' ]
	# attributes are read from the target's objects
	run ipctool --ns "$CT" list --shm --raw -o NAME,SIZE
	assert_output "/theirs 20"
	run ipctool --ns "$CT" list --sem --posix --raw -o NAME,SVAL
	assert_output "/theirs 3"
	run ipctool --ns "$CT" list --mq --posix --raw -o NAME,MSGS
	assert_output "/theirs 1"
	# and ours are untouched by the view
	run ipctool list --posix --raw -o KIND,TARGET
	assert_output "sem /mine
shm /mine
mq /mine"
}

@test "--ns PID: stat and value of the target's POSIX objects" {
	need_ns
	mine
	container '"$I" sem create -v 7 /theirs >/dev/null
	    "$I" shm create -s 4096 /theirs >/dev/null'
	run ipctool --ns "$CT" sem value /theirs
	assert_success
	assert_output 7
	run ipctool --ns "$CT" shm stat /theirs
	assert_success
	assert_line --regexp '^SIZE +4096$'
	# our /mine is not theirs
	run ipctool --ns "$CT" sem value /mine
	assert_failure 3
	run ipctool --ns "$CT" shm stat /mine
	assert_failure 3
}

@test "--ns PID rm --all --posix removes theirs only, never ours" {
	need_ns
	mine
	container '"$I" sem create /theirs >/dev/null
	    "$I" shm create /theirs >/dev/null
	    "$I" mq create /theirs >/dev/null
	    "$I" sem create /mine >/dev/null'
	run --separate-stderr ipctool --ns "$CT" rm --all --posix --dry-run
	assert_success
	assert_output "sem /mine
sem /theirs
shm /theirs
mq /theirs"
	run --separate-stderr ipctool --ns "$CT" rm --all --posix --force -v
	assert_success
	[ "$stderr" = "ipctool: rm: removed 2 POSIX sem, 1 POSIX shm, 1 POSIX mq" ]
	run ipctool --ns "$CT" list --posix --raw -o KIND,TARGET
	assert_success
	assert_output ""
	# ours, same names included, are all still there
	[ -e /dev/shm/sem.mine ] && [ -e /dev/shm/mine ] && [ -e /dev/mqueue/mine ]
	run ipctool list --posix --raw -o KIND,TARGET
	assert_output "sem /mine
shm /mine
mq /mine"
}

@test "--ns PID rm TARGET removes the target's object of that name" {
	need_ns
	mine
	container '"$I" sem create /mine >/dev/null
	    "$I" shm create /mine >/dev/null
	    "$I" mq create /mine >/dev/null'
	run ipctool --ns "$CT" sem rm /mine
	assert_success
	run ipctool --ns "$CT" rm --shm /mine
	assert_success
	run ipctool --ns "$CT" mq rm /mine
	assert_success
	run ipctool --ns "$CT" list --posix --raw -o KIND,TARGET
	assert_output ""
	[ -e /dev/shm/sem.mine ] && [ -e /dev/shm/mine ] && [ -e /dev/mqueue/mine ]
}

@test "--ns PID: a symbolic link planted as the target's /dev/shm is not followed" {
	need_ns
	mine
	mkdir "$TMP/decoy"
	touch "$TMP/decoy/sem.decoy" "$TMP/decoy/decoy"
	container "umount /dev/shm; mount -t tmpfs none /dev
	    ln -s '$TMP/decoy' /dev/shm"
	run ipctool --ns "$CT" list --posix --shm --raw -o TARGET
	assert_failure 8
	assert_output --partial "symbolic links"
	refute_output --partial "decoy"
	run ipctool --ns "$CT" rm --all --posix --force
	assert_failure
	[ -e "$TMP/decoy/sem.decoy" ] && [ -e "$TMP/decoy/decoy" ]
	run ipctool --ns "$CT" sem rm /decoy
	assert_failure
	[ -e "$TMP/decoy/sem.decoy" ]
	# a link inside the target's /dev/shm is nobody's object either
	ct_teardown
	CT=
	container "ln -s '$TMP/decoy/decoy' /dev/shm/planted"
	run ipctool --ns "$CT" list --shm --raw -o TARGET
	assert_success
	assert_output ""
	run ipctool --ns "$CT" shm rm /planted
	[ -e "$TMP/decoy/decoy" ]
}

@test "--ns PID: POSIX semaphores and segments are not created there" {
	need_ns
	container ':'
	run ipctool --ns "$CT" sem create /x
	assert_failure 2
	assert_output --partial "not created in the namespace's /dev/shm"
	run ipctool --ns "$CT" shm create /x
	assert_failure 2
	[ ! -e /dev/shm/sem.x ] && [ ! -e /dev/shm/x ]
	# a queue is the IPC namespace's: made there
	run ipctool --ns "$CT" mq create /q
	assert_success
	[ ! -e /dev/mqueue/q ]
	run ipctool --ns "$CT" list --mq --posix --raw -o TARGET
	assert_output "/q"
}

@test "--ns FILE: the POSIX objects cannot be reached, so they are refused" {
	need_ns
	mine
	container '"$I" sem create /theirs >/dev/null'
	run ipctool --ns "/proc/$CT/ns/ipc" list --posix
	assert_failure 2
	assert_output --partial "--ns PID reaches them"
	run ipctool --ns "/proc/$CT/ns/ipc" rm --all --posix --force
	assert_failure 2
	[ -e /dev/shm/sem.mine ]
}

# the inode of process $1's IPC namespace
nsino() { stat -L -c %i "/proc/$1/ns/ipc"; }

@test "list -A: every IPC namespace, each object once, with NAMESPACE" {
	need_ns
	ipctool sem create 0x00a11a11 >/dev/null
	ipctool shm create /mine >/dev/null
	container '"$I" sem create 0x00a11a12 >/dev/null
	    "$I" mq create /q1 >/dev/null'
	ct1=$CT
	container '"$I" shm create -s 100 0x00a11a13 >/dev/null
	    "$I" shm create /theirs >/dev/null'
	ct2=$CT
	# an IPC namespace that shares our mount namespace (and /dev/shm)
	unshare --ipc sleep 60 3>&- &
	ct3=$!
	CTS+=("$ct3")
	wait_until 30 '[ "$(nsino $ct3)" != "$(nsino $$)" ]'
	ours=$(nsino $$) n1=$(nsino "$ct1") n2=$(nsino "$ct2") n3=$(nsino "$ct3")
	run --separate-stderr ipctool list -A --raw -o NAMESPACE,KIND,TARGET,KEY
	kill "$ct3"
	assert_success
	[ -z "$stderr" ]
	# other namespaces of the machine may be there too: look at ours
	ours_rows=$(grep -E "^($ours|$n1|$n2|$n3) " <<<"$output")
	[ "$ours_rows" = "$ours sem id:0 0x00a11a11
$n1 sem id:0 0x00a11a12
$n2 shm id:0 0x00a11a13
$ours shm /mine -
$n2 shm /theirs -
$n1 mq /q1 -" ]
	# NSPID and NSCOMMAND: a process that lives there
	run ipctool list -A --sysv --sem --raw -o NAMESPACE,NSPID,KEY
	assert_line --regexp "^$n1 [0-9]+ 0x00a11a12\$"
	# another run's namespace may hold the same key: take the row of ours
	pid=$(awk -v n="$n1" -v k=0x00a11a12 '$1 == n && $3 == k { print $2 }' \
	    <<<"$output")
	[ "$(nsino "$pid")" = "$n1" ]
	# JSON: "namespace" in every object
	run ipctool list -A --json
	assert_success
	[ "$(jq -r --argjson n "$n2" '[.[][] | select(.namespace == $n) |
	    .key // .name] | join(" ")' <<<"$output")" = "0x00a11a13 /theirs" ]
	[ "$(jq '[.[][] | select(has("namespace") | not)] | length' \
	    <<<"$output")" = 0 ]
	# filters still apply
	run ipctool list -A --key 0x00a11a12 --raw -o NAMESPACE,KEY
	assert_success
	assert_line "$n1 0x00a11a12"
	[ -z "$(grep -Ev "^[0-9]+ 0x00a11a12\$" <<<"$output")" ]
}

@test "list -A --metrics: a namespace label, one HELP and TYPE per metric" {
	need_ns
	container '"$I" sem create 0x00a11a21 >/dev/null
	    "$I" sem create 0x00a11a22 >/dev/null'
	n1=$(nsino "$CT")
	run ipctool list -A --metrics --sem --sysv
	assert_success
	assert_line "ipctool_objects{kind=\"sem\",family=\"sysv\",namespace=\"$n1\"} 2"
	assert_line "ipctool_semaphores{kind=\"sem\",family=\"sysv\",namespace=\"$n1\"} 2"
	[ "$(grep -c '^# TYPE ipctool_objects ' <<<"$output")" = 1 ]
	# nobody uses them: both orphaned
	assert_line "ipctool_orphaned_objects{kind=\"sem\",family=\"sysv\",namespace=\"$n1\"} 2"
}

@test "list -A: --pids, WAITERS and --orphaned count each namespace's own processes" {
	need_ns
	# the same ids and names in two containers; users in the first only
	container '"$I" sem create -v 0 0x00a11a31 >/dev/null
	    "$I" shm create -s 10 0x00a11a31 >/dev/null
	    "$I" mq create /q >/dev/null
	    "$I" shm attach id:0 --hold >/dev/null 2>&1 &
	    "$I" sem acquire id:0 -t 120 >/dev/null 2>&1 &
	    "$I" mq receive /q -t 120 >/dev/null 2>&1 &'
	ct1=$CT
	container '"$I" sem create -v 0 0x00a11a32 >/dev/null
	    "$I" shm create -s 10 0x00a11a32 >/dev/null
	    "$I" mq create /q >/dev/null'
	ct2=$CT
	n1=$(nsino "$ct1") n2=$(nsino "$ct2")
	# the rows of these two namespaces, pids as P, spaces unescaped, sorted
	ours() {
		grep -E "^($n1|$n2) " |
		    sed -E "s/[0-9]+\\($IPC_COMM\\)/P/g"'; s/ +$//; s/\\x20/ /g' |
		    sort
	}
	# the semop and the mq_timedreceive wait, the segment is attached
	wait_until 30 '[ "$(ipctool list -A --raw --no-headings \
	    -o NAMESPACE,KIND,TARGET,WAITERS | ours | grep -c " P:")" = 2 ] &&
	    [ "$(ipctool list -A --shm --sysv --raw --no-headings \
	    -o NAMESPACE,NATTCH | grep -c "^$n1 1$")" = 1 ]'
	run --separate-stderr ipctool list -A --pids --raw --no-headings \
	    -o NAMESPACE,KIND,TARGET,PIDS
	assert_success
	[ -z "$stderr" ]
	[ "$(ours <<<"$output")" = "$(printf '%s\n' "$n1 sem id:0 P" \
	    "$n2 sem id:0" "$n1 shm id:0 P" "$n2 shm id:0" "$n1 mq /q P" \
	    "$n2 mq /q" | sort)" ]
	# each pid shown lives in the namespace of its object
	pids=$(awk -v n="$n1" '$1 == n { sub(/\(.*/, "", $4); print $4 }' \
	    <<<"$output")
	[ "$(wc -w <<<"$pids")" = 3 ]
	for p in $pids; do
		[ "$(nsino "$p")" = "$n1" ]
	done
	run ipctool list -A --raw --no-headings -o NAMESPACE,KIND,TARGET,WAITERS
	assert_success
	[ "$(ours <<<"$output")" = "$(printf '%s\n' \
	    "$n1 sem id:0 P:semop 0:-1" "$n2 sem id:0" "$n1 shm id:0" \
	    "$n2 shm id:0" "$n1 mq /q P:mq_timedreceive" "$n2 mq /q" | sort)" ]
	# JSON: the arrays of processes and waiters, per namespace
	run ipctool list -A --pids --json
	assert_success
	[ "$(jq -c --argjson n "$n1" '[.[][] | select(.namespace == $n) |
	    [(.processes | length), (.waiters | length)]]' <<<"$output")" = \
	    '[[1,1],[1,0],[1,1]]' ]
	[ "$(jq -c --argjson n "$n2" '[.[][] | select(.namespace == $n) |
	    [(.processes | length), (.waiters | length)]]' <<<"$output")" = \
	    '[[0,0],[0,0],[0,0]]' ]
	# orphaned: the second container's, none of the first's
	run ipctool list -A --orphaned --raw --no-headings -o NAMESPACE,KIND,TARGET
	assert_success
	[ "$(ours <<<"$output")" = "$(printf '%s\n' "$n2 sem id:0" \
	    "$n2 shm id:0" "$n2 mq /q" | sort)" ]
	# --metrics counts them the same way, namespace by namespace
	run ipctool list -A --metrics
	assert_success
	orph() {
		grep -E "^ipctool_orphaned_objects\{kind=\"$1\",family=\"$2\",namespace=\"$3\"\} " <<<"$output" |
		    awk '{ print $2 }'
	}
	[ "$(orph sem sysv "$n1") $(orph shm sysv "$n1") $(orph mq posix "$n1")" = "0 0 0" ]
	[ "$(orph sem sysv "$n2") $(orph shm sysv "$n2") $(orph mq posix "$n2")" = "1 1 1" ]
}

@test "rm --all -A --dry-run: what would go in every namespace, with it; no removal across them" {
	need_ns
	container '"$I" sem create 0x00a11a41 >/dev/null
	    "$I" mq create /q >/dev/null'
	ct1=$CT
	container '"$I" shm create -s 10 0x00a11a42 >/dev/null
	    "$I" shm create "/a b" >/dev/null
	    "$I" sem create -v 0 0x00a11a43 >/dev/null
	    "$I" sem acquire 0x00a11a43 -t 120 >/dev/null 2>&1 &'
	ct2=$CT
	n1=$(nsino "$ct1") n2=$(nsino "$ct2")
	ours() { grep -E "^($n1|$n2) " | sort; }
	snapshot() {
		ipctool list -A --raw --no-headings -o NAMESPACE,KIND,TARGET | ours
	}
	wait_until 30 '[ "$(ipctool list -A --sem --sysv --raw --no-headings \
	    -o NAMESPACE,WAITERS | grep -c "^$n2 [0-9]")" = 1 ]'
	before=$(snapshot)
	[ "$before" = "$(printf '%s\n' "$n1 sem id:0" "$n1 mq /q" \
	    "$n2 sem id:0" "$n2 shm id:0" "$n2 shm /a\\x20b" | sort)" ]
	# NAMESPACE KIND TARGET, as list -A --raw -o NAMESPACE,KIND,TARGET
	run --separate-stderr ipctool rm --all -A --dry-run
	assert_success
	[ -z "$stderr" ]
	[ "$(ours <<<"$output")" = "$before" ]
	# the filters, --orphaned among them, judged in each namespace
	run ipctool rm --all -A --dry-run --orphaned --sysv
	assert_success
	[ "$(ours <<<"$output")" = "$(printf '%s\n' "$n1 sem id:0" \
	    "$n2 shm id:0" | sort)" ]
	run ipctool rm --all -A --dry-run --key 0x00a11a42
	assert_success
	[ "$(ours <<<"$output")" = "$n2 shm id:0" ]
	# a removal across namespaces is refused, with or without filters
	for o in "" --orphaned --force "--sem -v"; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool rm --all -A $o
		assert_failure 2
		[ -z "$output" ]
		[ "$(head -n 1 <<<"$stderr")" = "ipctool: rm: --all -A only looks (--dry-run): remove in one namespace at a time, with --ns PID rm --all" ]
	done
	run --separate-stderr ipctool rm -A --dry-run id:0
	assert_failure 2
	[ "$(head -n 1 <<<"$stderr")" = "ipctool: rm: -A goes with --all --dry-run" ]
	run --separate-stderr ipctool --ns "$ct1" rm --all -A --dry-run
	assert_failure 2
	[ "$(head -n 1 <<<"$stderr")" = "ipctool: rm: -A: every namespace already; not with --ns" ]
	# nothing went
	[ "$(snapshot)" = "$before" ]
	# what it named is removed where it lives: --ns PID rm --all
	run ipctool --ns "$ct2" rm --all --orphaned --sysv
	assert_success
	[ "$(snapshot)" = "$(printf '%s\n' "$n1 sem id:0" "$n1 mq /q" \
	    "$n2 sem id:0" "$n2 shm /a\\x20b" | sort)" ]
}

@test "list -A: not with --ns" {
	need_ns
	run ipctool --ns $$ list -A
	assert_failure 2
	assert_line --index 0 --partial "not with --ns"
}
