#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# POSIX objects under hostile files: what /dev/shm and /dev/mqueue hold is
# checked before it is used (never followed, never read as what it is not),
# read-only commands move no time, and --orphaned/--pids see exactly who
# maps an object.  Runs in a private IPC and mount namespace (run-bats).

load helpers

HELPER="$BATS_TEST_DIRNAME/ipchelper.py"

teardown() {
	kill_children ${HOLDERS:-}
	wait 2>/dev/null || true
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

# hold ARGS...: an ipchelper.py process (see there), pid added to HOLDERS
hold() {
	local ready="$TMP/ready.$RANDOM"
	/usr/bin/python3 "$HELPER" "$@" "$ready" 3>&- &
	HOLDERS="${HOLDERS:-} $!"
	HOLDER=$!
	wait_for 30 test -e "$ready"
	READY=$(cat "$ready")
}

# Everything that a failed command must leave as it was (lstat only: a
# readlink would move the symlink's atime).
shm_state() { stat -c '%n %F %s %a %u %g %x %y %z' /dev/shm /dev/shm/*; }

# Plants the hostile sem.NAME files: empty, 10 bytes, a directory, a
# symlink to a root-owned 0600 file.
plant_bad_sems() {
	: > "$(psem_file empty)"
	printf xxxxxxxxxx > "$(psem_file ten)"
	mkdir "$(psem_file dir)"
	: > "$TMP/target"
	chmod 0600 "$TMP/target"
	ln -s "$TMP/target" "$(psem_file link)"
}

@test "sem: a sem.X of 0 or 10 bytes, a directory or a symlink is never used as a semaphore: one line, exit 8, nothing changed" {
	need_ns
	need_psem_prefix
	plant_bad_sems
	before=$(shm_state)
	for n in empty ten dir link; do
		for verb in "value" "acquire --nowait" "release" "stat" \
		    "create --exist-ok" "set --mode 0666"; do
			# shellcheck disable=SC2086
			run ipctool sem $verb "/$n"
			[ "$status" = 8 ] || { echo "sem $verb /$n: $status: $output"; false; }
			[ "${#lines[@]}" = 1 ] || { echo "sem $verb /$n: $output"; false; }
			assert_output "ipctool: sem ${verb%% *}: /$n: not an object of this kind (the file's type or size)"
		done
	done
	[ "$(shm_state)" = "$before" ]
	[ "$(stat -c %a "$TMP/target")" = 600 ]
}

@test "list: a sem.X that is no semaphore is listed with an unknown value; symlinks and directories are not listed" {
	need_ns
	need_psem_prefix
	plant_bad_sems
	ln -s "$TMP/target" /dev/shm/shmlink
	ipctool sem create /good -v 3 >/dev/null
	run ipctool list --posix --raw -o KIND,NAME,SVAL
	assert_success
	[ "$(sort <<<"$output")" = "$(printf 'sem /empty -\nsem /good 3\nsem /ten -')" ]
	run ipctool list --posix --sem --json
	assert_success
	jq -e '.posix_semaphores | map({(.name): .sval}) | add
		== {"/empty": null, "/ten": null, "/good": 3}' <<<"$output"
}

@test "semaphores beside the shared memory objects (musl): a file of sizeof(sem_t) is a semaphore, any other a segment" {
	need_ns
	[ -z "$PSEM_PREFIX" ] || skip "semaphores have files of their own here (/dev/shm/sem.NAME)"
	ipctool sem create /good -v 3 >/dev/null
	ipctool shm create /big -s 4096 >/dev/null
	run ipctool list --posix --raw -o KIND,NAME,SVAL
	assert_success
	[ "$(sort <<<"$output")" = "$(printf 'sem /good 3\nshm /big -')" ]
	# one name for both: the segment's name is taken, and is no semaphore
	run ipctool sem create /big
	assert_failure 4
	run ipctool sem stat /big
	assert_failure 3
	run ipctool sem value /big
	assert_failure 3
	run ipctool sem set /big --mode 0640
	assert_failure 3
	[ "$(stat -c %a /dev/shm/big)" != 640 ]
}

@test "sem acquire -- CMD: the file truncated while held: the release fails in one line, exit 8, no SIGBUS" {
	need_sigbus_addr
	names trunc
	ipctool sem create "$n_trunc" -v 1 >/dev/null
	run ipctool sem acquire "$n_trunc" -- truncate -s 0 "$(psem_file "$n_trunc")"
	assert_failure 8
	assert_output "ipctool: sem acquire: $n_trunc: cannot release: not an object of this kind (the file's type or size)"
	[ "$(stat -c %s "$(psem_file "$n_trunc")")" = 0 ]
}

@test "sem acquire: a wait whose file is truncated under it ends with exit 8, not SIGBUS" {
	need_sigbus_addr
	# the futex wait wakes only at its -t, then finds the file gone (an
	# untimed one sleeps on): it needs sem_clockwait or sem_timedwait
	psem_timed || skip "not supported on this system: SEM_TIMEDWAIT"
	names tw
	ipctool sem create "$n_tw" -v 0 >/dev/null
	"$IPCTOOL" sem acquire "$n_tw" -t 3 2>"$TMP/err" &
	w=$!
	# blocked in the futex wait, or not there yet: either way it must
	# end with 8 once the file is empty
	wait_until 10 "grep -q futex /proc/$w/wchan 2>/dev/null || ! kill -0 $w 2>/dev/null" || true
	truncate -s 0 "$(psem_file "$n_tw")"
	st=0
	wait "$w" || st=$?
	[ "$st" = 8 ] || { cat "$TMP/err"; echo "exit $st"; false; }
	run cat "$TMP/err"
	assert_output "ipctool: sem acquire: $n_tw: not an object of this kind (the file's type or size)"
}

@test "sem: list, value and stat leave a POSIX semaphore's times alone" {
	names still
	ipctool sem create "$n_still" -v 2 >/dev/null
	before=$(stat -c '%x %y %z' "$(psem_file "$n_still")")
	run ipctool list --posix --sem
	assert_success
	run ipctool sem value "$n_still"
	assert_output 2
	run ipctool sem stat "$n_still"
	assert_success
	[ "$(stat -c '%x %y %z' "$(psem_file "$n_still")")" = "$before" ]
}

@test "sem set/stat as root on a planted symlink: the target is neither changed nor reported" {
	need_root
	# the target looks like a semaphore (one zeroed sem_t)
	head -c 32 /dev/zero > "$TMP/victim"
	chmod 0600 "$TMP/victim"
	names planted
	ln -s "$TMP/victim" "$(psem_file "$n_planted")"
	run ipctool sem set "$n_planted" --mode 0666
	assert_failure 8
	run ipctool sem set "$n_planted" --owner nobody
	assert_failure 8
	run ipctool sem stat "$n_planted"
	assert_failure 8
	refute_output --partial 0600
	[ "$(stat -c '%a %U' "$TMP/victim")" = "600 root" ]
	[ -L "$(psem_file "$n_planted")" ]
}

@test "sem set on a real semaphore acts on it (descriptor based)" {
	need_root
	names real
	ipctool sem create "$n_real" -m 0600 >/dev/null
	run ipctool sem set "$n_real" --mode 0640 --owner nobody
	assert_success
	[ "$(stat -c '%a %U' "$(psem_file "$n_real")")" = "640 nobody" ]
	run ipctool sem stat "$n_real" -o PERMS,OWNER --raw --no-headings
	assert_output "0640 nobody"
}

@test "list does not move a POSIX queue's times: --older-than still selects it after a list" {
	need_ns
	ipctool mq create /aging >/dev/null
	ipctool mq send /aging hello
	sleep 2.1
	before=$(stat -c '%X %Y %Z' /dev/mqueue/aging)
	run ipctool list
	assert_success
	run ipctool list --posix --mq --json
	assert_success
	# the kernel tells QSIZE only through a read that moves ctime
	jq -e '.posix_messages[0] | .msgs == 1 and .usedbytes == null' <<<"$output"
	[ "$(stat -c '%X %Y %Z' /dev/mqueue/aging)" = "$before" ]
	run ipctool mq stat /aging -o MTIME,CTIME --raw --no-headings
	assert_success
	stat_before=$output
	run ipctool rm --all --older-than 1s --mq --posix --dry-run
	assert_success
	assert_output --partial "mq /aging"
	run ipctool mq stat /aging -o MTIME,CTIME --raw --no-headings
	assert_output "$stat_before"
	[ "$(stat -c '%X %Y %Z' /dev/mqueue/aging)" = "$before" ]
}

@test "shm set/stat as root on a planted symlink: the target is neither changed nor reported" {
	need_root
	head -c 32 /dev/zero > "$TMP/victim"
	chmod 0600 "$TMP/victim"
	names planted
	ln -s "$TMP/victim" "/dev/shm$n_planted"
	run ipctool shm set "$n_planted" --mode 0666
	assert_failure 8
	run ipctool shm set "$n_planted" --owner nobody
	assert_failure 8
	run ipctool shm stat "$n_planted"
	assert_failure 8
	refute_output --partial 0600
	[ "$(stat -c '%a %U' "$TMP/victim")" = "600 root" ]
}

@test "rm --all --orphaned keeps every POSIX object mapped now, whatever its name" {
	need_ns
	local n
	# names that /proc/PID/maps escapes, decorates or cannot tell apart
	names=("a b" "x (deleted)" 'back\slash' $'new\nline' 'lit\012' "tab	in")
	for n in "${names[@]}"; do
		head -c 4096 /dev/zero > "/dev/shm/$n"
		hold mmap "/dev/shm/$n"
	done
	# unmapped: orphaned, whatever a mapped name looks like
	head -c 4096 /dev/zero > /dev/shm/x
	: > /dev/shm/free
	ipctool sem create "/s (deleted)" -v 1 >/dev/null
	"$IPCTOOL" sem acquire "/s (deleted)" -- sleep 30 3>&- &
	HOLDERS="$HOLDERS $!"
	wait_for 10 sh -c '[ "$("$0" sem value "/s (deleted)")" = 0 ]' "$IPCTOOL"
	run ipctool list --posix --sem --shm --pids --json
	assert_success
	for n in "${names[@]}"; do
		jq -e --arg n "/$n" '.posix_sharedmemory[] | select(.name == $n)
			| .processes | length == 1' <<<"$output"
	done
	jq -e '.posix_semaphores[] | select(.name == "/s (deleted)")
		| .processes | length == 1' <<<"$output"
	run ipctool rm --all --orphaned --posix --sem --shm
	assert_success
	for n in "${names[@]}"; do
		[ -e "/dev/shm/$n" ] || { echo "removed: $n"; false; }
	done
	[ -e "$(psem_file "/s (deleted)")" ]
	[ ! -e /dev/shm/x ] && [ ! -e /dev/shm/free ]
}

@test "list --pids: a process of another IPC namespace attached to its own segment of the same id is not ours" {
	need_ns
	m=$(ipctool shm create private -s 4096)
	m=${m#id:}
	ready="$TMP/ready.other"
	# the other namespace's segment gets the same id (shm_next_id)
	unshare --ipc bash -c 'echo "$1" > /proc/sys/kernel/shm_next_id &&
	    [ "$("$2" shm create private -s 4096)" = "id:$1" ] &&
	    exec /usr/bin/python3 "$3" attach "$1" "$4"' \
	    sh "$m" "$IPCTOOL" "$HELPER" "$ready" 3>&- &
	HOLDERS="${HOLDERS:-} $!"
	wait_for 30 test -e "$ready"
	run ipctool list --shm --sysv --pids --raw -o ID,NATTCH,PIDS --no-headings
	assert_success
	assert_output "$m 0 "
	# ours, attached by a process of ours: seen
	hold attach "$m"
	run ipctool list --shm --sysv --pids --raw -o ID,NATTCH,PIDS --no-headings
	assert_output "$m 1 $HOLDER(python3)"
}

@test "--orphaned and --pids: another mount namespace's /dev/shm file of the same name is not ours" {
	need_ns
	head -c 4096 /dev/zero > /dev/shm/same
	ready="$TMP/ready.other"
	unshare --mount --propagation private bash -c '
	    mount -t tmpfs other /dev/shm &&
	    head -c 4096 /dev/zero > /dev/shm/same &&
	    exec /usr/bin/python3 "$1" mmap /dev/shm/same "$2"' \
	    sh "$HELPER" "$ready" 3>&- &
	HOLDERS="${HOLDERS:-} $!"
	wait_for 30 test -e "$ready"
	run ipctool list --posix --shm --pids --raw -o NAME,PIDS --no-headings
	assert_success
	assert_output "/same "
	run ipctool rm --all --orphaned --posix --shm --dry-run
	assert_success
	assert_output --partial "shm /same"
}

@test "--orphaned: a System V creator alive in another IPC namespace does not keep a segment" {
	need_ns
	hold shmget-unshare 4096
	gone=$READY
	hold shmget 4096
	alive=$READY
	run ipctool list --shm --sysv --orphaned -o ID --no-headings
	assert_success
	assert_output "$gone"
	run ipctool list --shm --sysv -o ID,COMMAND --raw --no-headings
	assert_line "$gone -"
	assert_line "$alive python3"
}

@test "stat of a POSIX object shows its creator as list does: the file's owner" {
	need_ns
	ipctool sem create /cs >/dev/null
	ipctool shm create -s 8 /cm >/dev/null
	ipctool mq create /cq >/dev/null
	chown nobody:nogroup /dev/shm/cm
	for t in "sem /cs" "shm /cm" "mq /cq"; do
		set -- $t
		run ipctool $1 stat $2 -o CUID,CUSER,CGID,CGROUP --raw --no-headings
		assert_success
		want=$(ipctool list --$1 --posix -o NAME,CUID,CUSER,CGID,CGROUP \
		    --raw --no-headings | awk -v n="$2" '$1 == n { $1 = ""; print substr($0, 2) }')
		[ -n "$want" ]
		assert_output "$want"
	done
	run ipctool shm stat /cm -o CUID,CUSER --raw --no-headings
	assert_output "65534 nobody"
	run ipctool shm stat /cm --json -o NAME,CUID,CGROUP
	[ "$(jq -r '.posix_sharedmemory[0] | "\(.cuid) \(.cgroup)"' <<<"$output")" = "65534 nogroup" ]
}
