#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# create, the same for every family: random POSIX names (--posix), several
# TARGETs all or none, the mode rule.

load helpers

# The file behind a POSIX object of family $1 named $2 ("/NAME").
posix_file() {
	case $1 in
	sem) psem_file "$2" ;;
	shm) echo "/dev/shm/${2#/}" ;;
	mq) echo "/dev/mqueue/${2#/}" ;;
	esac
}

# The System V object id:N of family $1 exists.
sysv_exists() {
	local f=$1 id=${2#id:}
	[ "$f" = mq ] && f=msg
	awk -v id="$id" 'FNR > 1 && $2 == id { ok = 1 } END { exit !ok }' \
	    "/proc/sysvipc/$f"
}

@test "create --posix makes a POSIX object with a random unused name, another each call" {
	for fam in sem shm mq; do
		run ipctool $fam create --posix
		assert_success
		assert_output --regexp '^/ipctool-[0-9a-f]{8}$'
		a=$output
		[ -e "$(posix_file $fam "$a")" ]
		run ipctool $fam stat "$a"
		assert_success
		b=$(ipctool $fam create --posix -m 0640)
		[ "$a" != "$b" ]
		[ "$(stat -c %a "$(posix_file $fam "$b")")" = 640 ]
		ipctool $fam rm "$a" "$b"
		[ ! -e "$(posix_file $fam "$a")" ]
	done
}

@test "create --posix is race-free: 20 at once give 20 distinct objects" {
	for fam in sem shm mq; do
		for i in $(seq 20); do
			"$IPCTOOL" $fam create --posix $([ $fam = mq ] && echo --max-messages 1 --message-size 64) > "$TMP/$fam.$i" &
		done
		wait
		cat "$TMP/$fam".* | sort -u > "$TMP/$fam"
		[ "$(wc -l < "$TMP/$fam")" -eq 20 ]
		while read -r n; do
			[ -e "$(posix_file $fam "$n")" ] || fail "$fam $n is missing"
		done < "$TMP/$fam"
		xargs "$IPCTOOL" $fam rm < "$TMP/$fam"
	done
}

@test "create --posix takes no TARGET and no --exist-ok (exit 2, nothing made)" {
	need_ns
	for fam in sem shm mq; do
		run ipctool $fam create --posix /named
		assert_failure 2
		assert_output --partial "--posix makes a random name: no TARGET"
		run ipctool $fam create --posix --exist-ok
		assert_failure 2
	done
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
}

@test "create --posix --json and --manifest give the random name" {
	run ipctool mq create --posix --json --manifest "$TMP/m"
	assert_success
	n=$(jq -r '.posix_messages[0].target' <<<"$output")
	[[ $n =~ ^/ipctool-[0-9a-f]{8}$ ]]
	[ "$(jq -r '.posix_messages[0].name' <<<"$output")" = "$n" ]
	[ "$(cat "$TMP/m")" = "mq $n" ]
	ipctool rm --manifest "$TMP/m"
}

@test "create with several TARGETs makes them all, prints each, and records each in --manifest" {
	keys 0xc1 0xc2
	names c1
	for fam in sem shm mq; do
		run ipctool $fam create $kc1 $n_c1$fam $kc2 --manifest "$TMP/m.$fam"
		assert_success
		[ "${#lines[@]}" -eq 3 ]
		[[ ${lines[0]} == id:* ]] && [[ ${lines[2]} == id:* ]]
		[ "${lines[1]}" = "$n_c1$fam" ]
		sysv_exists $fam "${lines[0]}"
		sysv_exists $fam "${lines[2]}"
		[ -e "$(posix_file $fam $n_c1$fam)" ]
		want=$(printf '%s %s\n' $fam "${lines[0]}" $fam $n_c1$fam $fam \
		    "${lines[2]}")
		run cat "$TMP/m.$fam"
		assert_output "$want"
		ipctool rm --manifest "$TMP/m.$fam"
	done
}

@test "create with several TARGETs: one that exists removes those made before (exit 4)" {
	keys 0xd1
	names taken new
	for fam in sem shm mq; do
		ipctool $fam create $n_taken$fam > /dev/null
		before=$(ls -A /dev/shm /dev/mqueue | grep -F -- "$POSIX_PFX" | sort)
		run ipctool $fam create $kd1 $n_new$fam $n_taken$fam --manifest "$TMP/m"
		assert_failure 4
		assert_output --partial "$n_taken$fam: already exists"
		assert_output --partial "removed again"
		# nothing of this call is left: no key, no name, no manifest line
		run ipctool $fam stat $kd1
		assert_failure 3
		[ ! -e "$(posix_file $fam $n_new$fam)" ]
		[ "$(ls -A /dev/shm /dev/mqueue | grep -F -- "$POSIX_PFX" | sort)" = "$before" ]
		[ ! -s "$TMP/m" ]
		# what was there before stays
		[ -e "$(posix_file $fam $n_taken$fam)" ]
		ipctool $fam rm $n_taken$fam
	done
}

@test "create with several TARGETs: a malformed one makes nothing (exit 2)" {
	need_ns
	for fam in sem shm mq; do
		run ipctool $fam create /first$fam 0xzz
		assert_failure 2
		run ipctool $fam create private /first$fam id:3
		assert_failure 2
	done
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
	[ "$(cat /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg | wc -l)" -eq 3 ]
}

@test "create with several TARGETs and --exist-ok removes only what it made" {
	keys 0xe1 0xe2
	ipctool sem create $ke1 -v 3 > /dev/null
	run ipctool sem create $ke2 $ke1 --exist-ok -n 2
	assert_failure 6
	assert_output --partial "fewer than 2"
	run ipctool sem value $ke1
	assert_output 3
	run ipctool sem stat $ke2
	assert_failure 3
	names made2
	run ipctool sem create $n_made2 $ke1 --exist-ok --json
	assert_success
	[ "$(jq -r '.posix_semaphores[0].target, .posix_semaphores[0].created,
	    .semaphores[0].created, .semaphores[0].nsems' <<<"$output")" = \
	    "$(printf '%s\ntrue\nfalse\n1' $n_made2)" ]
	ipctool sem rm $ke1 $n_made2
}

@test "create -m 4700 exits 2 with the same message for every family" {
	need_ns
	for fam in sem shm mq; do
		run ipctool $fam create -m 4700
		assert_failure 2
		echo "${output//$fam create/KIND create}" > "$TMP/$fam"
	done
	cmp "$TMP/sem" "$TMP/shm"
	cmp "$TMP/sem" "$TMP/mq"
	[ "$(cat /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg | wc -l)" -eq 3 ]
}
