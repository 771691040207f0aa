#!/usr/bin/env bats
# ipctool sem: System V sets and POSIX named semaphores.

load helpers

# ---- create ----

@test "create prints id:N and the kernel has the set with its values" {
	run ipctool sem create 0x1234 -n 3 -v 7 -m 0640
	assert_success
	assert_output --regexp '^id:[0-9]+$'
	id=${output#id:}
	run proc_sem "$id"
	assert_output --regexp '^ *4660 +'"$id"' +640 +3 '
	run ipctool sem value "id:$id"
	assert_output $'7\n7\n7'
}

@test "create without TARGET picks distinct random keys" {
	a=$(ipctool sem create)
	b=$(ipctool sem create)
	[ "$a" != "$b" ]
	ka=$(awk -v id="${a#id:}" '$2 == id {print $1}' /proc/sysvipc/sem)
	[ -n "$ka" ] && [ "$ka" != 0 ]
}

@test "create private always makes a new set with key 0" {
	a=$(ipctool sem create private)
	b=$(ipctool sem create private)
	[ "$a" != "$b" ]
	run proc_sem "${a#id:}"
	assert_output --regexp '^ *0 +'
}

@test "create of an existing key exits 4; --exist-ok opens it without resetting" {
	id=$(ipctool sem create 0x2222 -v 3)
	ipctool sem acquire 0x2222 -d 2
	run ipctool sem create 0x2222 -v 3
	assert_failure 4
	assert_output --partial "already exists"
	run ipctool sem create 0x2222 -v 3 --exist-ok
	assert_success
	assert_output "$id"
	run ipctool sem value 0x2222
	assert_output 1
}

@test "--exist-ok on a smaller set exits 6 and changes nothing" {
	ipctool sem create 0x2223 -n 2 -v 1
	run ipctool sem create 0x2223 -n 3 --exist-ok
	assert_failure 6
	run ipctool sem value 0x2223
	assert_output $'1\n1'
	run ipctool sem create 0x2223 -n 1 --exist-ok
	assert_success
}

@test "--exist-ok waits for a set that is never initialised, then exits 1" {
	# sysv_ipc sets the value with SETVAL and no semop: sem_otime stays 0
	/usr/bin/python3 -c 'import sysv_ipc; sysv_ipc.Semaphore(0x5555, sysv_ipc.IPC_CREX, initial_value=1)'
	start=$(date +%s%N)
	run ipctool sem create 0x5555 --exist-ok -t 0.5
	end=$(date +%s%N)
	assert_failure 1
	assert_output --partial "never initialised"
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 450 ] && [ "$ms" -lt 5000 ]
}

@test "32 concurrent create --exist-ok leave one set and never show an uninitialised value" {
	for i in $(seq 32); do
		( ipctool sem create 0x3333 -v 5 --exist-ok >/dev/null &&
		  ipctool sem value 0x3333 > "$TMP/v.$i" ) &
	done
	wait
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 2 ]
	for i in $(seq 32); do
		[ "$(cat "$TMP/v.$i")" = 5 ]
	done
}

@test "create refuses bad values: -v beyond SEMVMX 6, malformed 2" {
	run ipctool sem create 0x44 -v 32768
	assert_failure 6
	run ipctool sem create 0x44 -v -1
	assert_failure 2
	run ipctool sem create 0x44 -n 0
	assert_failure 2
	run ipctool sem create 0x44 -m 0800
	assert_failure 2
	run ipctool sem create 0x44 -m 17777
	assert_failure 2
	run ipctool sem create 0x44 -n 99999
	assert_failure 6
	# nothing was created by any of them
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
}

@test "create --manifest appends KIND TARGET lines; --json is one document" {
	a=$(ipctool sem create --manifest "$TMP/m")
	b=$(ipctool sem create /man --manifest "$TMP/m")
	run cat "$TMP/m"
	assert_output "sem $a"$'\n'"sem $b"
	ipctool sem create 0x55 -n 2 -v 4 --json > "$TMP/j"
	run jq -r '.semaphores[0] | "\(.key) \(.nsems) \(.id|type) \(.created)"' "$TMP/j"
	assert_output "0x00000055 2 number true"
}

@test "a manifest that cannot be written leaves no object behind" {
	run ipctool sem create 0x56 --manifest /nonexistent/dir/m
	assert_failure
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
}

# ---- acquire, release ----

@test "acquire and release with -d and -i change exactly that member" {
	ipctool sem create 0x60 -n 2 -v 5
	ipctool sem acquire 0x60 -d 3 -i 1
	run ipctool sem value 0x60
	assert_output $'5\n2'
	ipctool sem release 0x60 -d 10 -i 1
	run ipctool sem value 0x60 -i 1
	assert_output 12
}

@test "delta and index limits: -d 0 is 2, -d 32768 is 6, index >= nsems is 6" {
	ipctool sem create 0x61 -v 1
	run ipctool sem acquire 0x61 -d 0
	assert_failure 2
	run ipctool sem release 0x61 -d 32768
	assert_failure 6
	run ipctool sem release 0x61 -i 1
	assert_failure 6
	assert_output --partial "index"
	run ipctool sem release 0x61 -i 65536
	assert_failure 2
	run ipctool sem value 0x61
	assert_output 1
}

@test "release past SEMVMX exits 6 and leaves the value" {
	ipctool sem create 0x62 -v 32767
	run ipctool sem release 0x62
	assert_failure 6
	run ipctool sem value 0x62
	assert_output 32767
}

@test "--nowait on a taken semaphore exits 1, or the -E code" {
	ipctool sem create 0x63 -v 0
	run ipctool sem acquire 0x63 --nowait
	assert_failure 1
	assert_output --partial busy
	run ipctool sem acquire 0x63 --nowait -E 42
	assert_failure 42
	run ipctool sem acquire 0x63 -t 0.2 --nowait
	assert_failure 2
}

@test "-t SECS times out within bounds and exits 1" {
	ipctool sem create 0x64 -v 0
	start=$(date +%s%N)
	run ipctool sem acquire 0x64 -t 0.5
	end=$(date +%s%N)
	assert_failure 1
	assert_output --partial "timed out"
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 490 ] && [ "$ms" -lt 3000 ]
	run ipctool sem acquire 0x64 -t 1.x
	assert_failure 2
}

@test "a waiter gets the semaphore when it is released" {
	ipctool sem create 0x65 -v 0
	"$IPCTOOL" sem acquire 0x65 -t 10 &
	pid=$!
	wait_for 5 sh -c 'ipctool sem stat 0x65 --json | jq -e ".semaphores[0].members[0].ncount == 1" >/dev/null'
	ipctool sem release 0x65
	wait "$pid"
	run ipctool sem value 0x65
	assert_output 0
}

@test "--undo without CMD is a usage error" {
	ipctool sem create 0x66 -v 1
	run ipctool sem acquire 0x66 --undo
	assert_failure 2
	assert_output --partial "--undo needs"
	run ipctool sem value 0x66
	assert_output 1
}

@test "acquire -- CMD holds while CMD runs and exits with CMD's status" {
	ipctool sem create 0x67 -v 1
	run ipctool sem acquire 0x67 -- sh -c 'ipctool sem value 0x67; exit 3'
	assert_failure 3
	assert_output 0
	run ipctool sem value 0x67
	assert_output 1
}

@test "acquire -- CMD: 127 when CMD is missing, 126 when not executable; released either way" {
	ipctool sem create 0x68 -v 1
	run -127 ipctool sem acquire 0x68 -- /nonexistent/cmd
	printf 'x\n' > "$TMP/noexec"
	run ipctool sem acquire 0x68 -- "$TMP/noexec"
	assert_failure 126
	run ipctool sem value 0x68
	assert_output 1
}

@test "kill -9 of CMD releases the semaphore (SEM_UNDO survives execve)" {
	ipctool sem create 0x69 -v 1
	"$IPCTOOL" sem acquire 0x69 -- sleep 30 &
	pid=$!
	wait_for 5 sh -c '[ "$(ipctool sem value 0x69)" = 0 ]'
	kill -9 "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	run ipctool sem value 0x69
	assert_output 1
}

@test "16 processes x 100 increments under acquire -- CMD end at exactly 1600" {
	ipctool sem create 0x6a -v 1
	echo 0 > "$TMP/counter"
	for p in $(seq 16); do
		(
			for i in $(seq 100); do
				ipctool sem acquire 0x6a -- sh -c \
				    'read n < "$1"; echo $((n + 1)) > "$1"' sh "$TMP/counter" || exit 1
			done
		) &
	done
	wait
	run cat "$TMP/counter"
	assert_output 1600
	run ipctool sem value 0x6a
	assert_output 1
}

@test "a waiter whose set is removed exits 7" {
	ipctool sem create 0x6b -v 0
	"$IPCTOOL" sem acquire 0x6b -t 20 &
	pid=$!
	wait_for 5 sh -c 'ipctool sem stat 0x6b --json | jq -e ".semaphores[0].members[0].ncount == 1" >/dev/null'
	ipcrm -S 0x6b
	st=0; wait "$pid" || st=$?
	[ "$st" -eq 7 ]
}

@test "SIGTERM while blocked exits 143 and changes nothing" {
	ipctool sem create 0x6c -v 0
	"$IPCTOOL" sem acquire 0x6c -t 20 &
	pid=$!
	wait_for 5 sh -c 'ipctool sem stat 0x6c --json | jq -e ".semaphores[0].members[0].ncount == 1" >/dev/null'
	kill -TERM "$pid"
	st=0; wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	run ipctool sem stat 0x6c --json
	[ "$(jq '.semaphores[0].members[0] | .value + .ncount' <<<"$output")" -eq 0 ]
}

@test "SIGSTOP and SIGCONT do not end a wait" {
	ipctool sem create 0x6d -v 0
	"$IPCTOOL" sem acquire 0x6d -t 20 &
	pid=$!
	wait_for 5 sh -c 'ipctool sem stat 0x6d --json | jq -e ".semaphores[0].members[0].ncount == 1" >/dev/null'
	kill -STOP "$pid"
	sleep 0.2
	kill -CONT "$pid"
	sleep 0.3
	kill -0 "$pid"
	ipctool sem release 0x6d
	wait "$pid"
}

# ---- z, op, value ----

@test "z waits for zero; --nowait on a non-zero value exits 1" {
	ipctool sem create 0x70 -v 1
	run ipctool sem z 0x70 --nowait
	assert_failure 1
	"$IPCTOOL" sem z 0x70 -t 10 &
	pid=$!
	wait_for 5 sh -c 'ipctool sem stat 0x70 --json | jq -e ".semaphores[0].members[0].zcount == 1" >/dev/null'
	kill -0 "$pid"
	ipctool sem acquire 0x70
	wait "$pid"
	run ipctool sem z 0x70 --nowait
	assert_success
}

@test "op is one atomic semop: all or nothing" {
	ipctool sem create 0x71 -n 3 -v 1
	run ipctool sem op 0x71 0:-1 1:-1 2:-2 --nowait
	assert_failure 1
	run ipctool sem value 0x71
	assert_output $'1\n1\n1'
	run ipctool sem op 0x71 0:-1 1:+2 2:0 --nowait
	assert_failure 1
	run ipctool sem op 0x71 0:-1 1:2
	assert_success
	run ipctool sem value 0x71
	assert_output $'0\n3\n1'
	run ipctool sem op 0x71 0:x
	assert_failure 2
	run ipctool sem op 0x71 7:1
	assert_failure 6
}

@test "op -- CMD undoes its operations when CMD ends" {
	ipctool sem create 0x72 -n 2 -v 2
	run ipctool sem op 0x72 0:-1 1:-2 -- ipctool sem value 0x72
	assert_success
	assert_output $'1\n0'
	run ipctool sem value 0x72
	assert_output $'2\n2'
}

# ---- stat, set, rm ----

@test "stat shows every attribute and each member's VALUE NCOUNT ZCOUNT PID" {
	ipctool sem create 0x80 -n 2 -v 3 -m 0644
	ipctool sem acquire 0x80 -i 1
	run ipctool sem stat 0x80
	assert_success
	assert_line --regexp '^KEY +0x00000080$'
	assert_line --regexp '^PERMS +0644$'
	assert_line --regexp '^NSEMS +2$'
	assert_line --regexp '^OTIME +[0-9]{4}-[0-9]{2}-[0-9]{2}T'
	assert_line --regexp '^SEMNUM +VALUE +NCOUNT +ZCOUNT +PID$'
	assert_line --regexp '^ +1 +2 +0 +0 +[0-9]+$'
	ipctool sem stat 0x80 --json > "$TMP/j"
	run jq -r '.semaphores[0] | "\(.key) \(.nsems) \(.cuid) \(.members|length) \(.members[1].value)"' "$TMP/j"
	assert_output "0x00000080 2 0 2 2"
	run ipctool sem stat 0x80 -o KEY,NSEMS --raw --no-headings
	assert_line "0x00000080 2"
	run ipctool sem stat 0x80 -o BOGUS
	assert_failure 2
	run ipctool sem stat 0x80 --export
	assert_line --partial 'KEY="0x00000080"'
}

@test "set --value (all, or one with -i), --mode and --owner" {
	ipctool sem create 0x81 -n 3 -v 1
	ipctool sem set 0x81 --value 9
	run ipctool sem value 0x81
	assert_output $'9\n9\n9'
	ipctool sem set 0x81 --value 4 -i 2
	run ipctool sem value 0x81
	assert_output $'9\n9\n4'
	run ipctool sem set 0x81 --value 40000
	assert_failure 6
	run ipctool sem set 0x81 --value 1 -i 3
	assert_failure 6
	ipctool sem set 0x81 --mode 0604 --owner nobody:nogroup
	run awk '$1 == 129 {print $3, $5, $6}' /proc/sysvipc/sem
	assert_output "604 65534 65534"
	run ipctool sem set 0x81
	assert_failure 2
}

@test "rm removes every target, reports each failure, exits with the first" {
	a=$(ipctool sem create)
	b=$(ipctool sem create /rmme)
	run ipctool sem rm "$a" 0x7777 "$b" id:99999
	assert_failure 3
	assert_line --partial "0x7777: no such object"
	assert_line --partial "id:99999: no such object"
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
	[ ! -e /dev/shm/sem.rmme ]
	run ipctool rm --sem 0x7777
	assert_failure 3
}

@test "permission: an unprivileged user gets exit 5 on a 0600 set and may use its own" {
	ipctool sem create 0x90 -v 1 -m 0600
	run as_nobody "$IPCTOOL" sem acquire 0x90 --nowait
	assert_failure 5
	run as_nobody "$IPCTOOL" sem rm 0x90
	assert_failure 5
	run as_nobody "$IPCTOOL" sem set 0x90 --value 3
	assert_failure 5
	run ipctool sem value 0x90
	assert_output 1
	run as_nobody "$IPCTOOL" sem create 0x91 -v 2
	assert_success
	run as_nobody "$IPCTOOL" sem acquire 0x91 -d 2
	assert_success
}

# ---- POSIX named semaphores ----

@test "POSIX: create, value, acquire, release, stat, rm" {
	run ipctool sem create /ps1 -v 2 -m 0640
	assert_success
	assert_output /ps1
	run stat -c %a /dev/shm/sem.ps1
	assert_output 640
	ipctool sem acquire /ps1
	run ipctool sem value /ps1
	assert_output 1
	ipctool sem release /ps1 -d 3
	run ipctool sem value /ps1
	assert_output 4
	run ipctool sem stat /ps1 --json
	[ "$(jq -r '.semaphores[0] | "\(.name) \(.sval) \(.perms)"' <<<"$output")" = "/ps1 4 0640" ]
	run ipctool sem create /ps1
	assert_failure 4
	run ipctool sem create /ps1 -v 9 --exist-ok
	assert_success
	run ipctool sem value /ps1
	assert_output 4
	ipctool sem rm /ps1
	[ ! -e /dev/shm/sem.ps1 ]
	run ipctool sem value /ps1
	assert_failure 3
}

@test "POSIX: what POSIX lacks is a usage error that says why" {
	ipctool sem create /ps2 -v 3
	run ipctool sem z /ps2
	assert_failure 2
	assert_output --partial "System V only"
	run ipctool sem acquire /ps2 -d 2
	assert_failure 2
	assert_output --partial "one at a time"
	run ipctool sem acquire /ps2 --undo -- true
	assert_failure 2
	run ipctool sem op /ps2 0:-1
	assert_failure 2
	run ipctool sem create /ps3 -n 2
	assert_failure 2
	run ipctool sem set /ps2 --value 1
	assert_failure 2
	run ipctool sem value /ps2
	assert_output 3
}

@test "POSIX: --nowait, -t and acquire -- CMD (posts when CMD ends)" {
	ipctool sem create /ps4 -v 0
	run ipctool sem acquire /ps4 --nowait
	assert_failure 1
	start=$(date +%s%N)
	run ipctool sem acquire /ps4 -t 0.3
	end=$(date +%s%N)
	assert_failure 1
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 290 ] && [ "$ms" -lt 3000 ]
	ipctool sem release /ps4
	run ipctool sem acquire /ps4 -- sh -c 'ipctool sem value /ps4; exit 5'
	assert_failure 5
	assert_output 0
	run ipctool sem value /ps4
	assert_output 1
	run -127 ipctool sem acquire /ps4 -- /nonexistent
	run ipctool sem value /ps4
	assert_output 1
}

@test "POSIX: name limits" {
	long=$(printf 'a%.0s' $(seq 251))
	run ipctool sem create "/$long"
	assert_success
	run ipctool sem create "/${long}b"
	assert_failure 2
	run ipctool sem create /
	assert_failure 2
	run ipctool sem create /a/b
	assert_failure 2
	run ipctool sem value /missing
	assert_failure 3
}

# ---- found in review ----

@test "an unprivileged creator may give its set a mode that excludes itself" {
	for m in 0400 0200 0000; do
		run as_nobody "$IPCTOOL" sem create -m "$m" -v 2
		assert_success
		run awk -v id="${output#id:}" '$2 == id {print $3, $5}' /proc/sysvipc/sem
		assert_output "$(printf %o $((8#$m))) 65534"
	done
}

@test "create whose name cannot be printed removes what it made (exit 8)" {
	run sh -c "'$IPCTOOL' sem create 0xa > /dev/full"
	assert_failure 8
	assert_output --partial "removed again"
	run sh -c "'$IPCTOOL' sem create /full > /dev/full"
	assert_failure 8
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
	[ ! -e /dev/shm/sem.full ]
	# --exist-ok made nothing: it removes nothing
	ipctool sem create 0xb >/dev/null
	run sh -c "'$IPCTOOL' sem create 0xb --exist-ok > /dev/full"
	assert_failure 8
	run ipctool sem value 0xb
	assert_success
}

@test "set --value with a --mode that takes write away sets both" {
	as_nobody "$IPCTOOL" sem create 0x64 -v 1 >/dev/null
	run as_nobody "$IPCTOOL" sem set 0x64 --mode 0400 --value 5
	assert_success
	run ipctool sem value 0x64
	assert_output 5
	run awk '$1 == 100 {print $3}' /proc/sysvipc/sem
	assert_output 400
}

@test "--exist-ok --json shows the object's real mode" {
	ipctool sem create 0x10 -m 0640 >/dev/null
	run ipctool sem create 0x10 -m 0600 --exist-ok --json
	[ "$(jq -r '.semaphores[0] | "\(.perms) \(.created)"' <<<"$output")" = "0640 false" ]
	ipctool sem create /m10 -m 0640 >/dev/null
	run ipctool sem create /m10 --exist-ok --json
	[ "$(jq -r '.semaphores[0].perms' <<<"$output")" = 0640 ]
}

@test "op takes a negative key after -- and several operations" {
	ipctool sem create -n 2 -v 3 -- -5 >/dev/null
	run ipctool sem op -- -5 0:-1 1:-2
	assert_success
	run ipctool sem value -- -5
	assert_output $'2\n1'
	run ipctool sem op -- -5 0:+1 -- ipctool sem value -- -5
	assert_output $'3\n1'
	run ipctool sem op -- -5 0:+-1
	assert_failure 2
}

@test "the owner removes its own set even when its mode denies it everything" {
	as_nobody "$IPCTOOL" sem create 0x61 -m 0000 >/dev/null
	run as_nobody "$IPCTOOL" rm 0x61
	assert_success
	[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
}
