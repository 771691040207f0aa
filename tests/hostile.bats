#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Hostile input, verb by verb: each row of a table must fail with its exit
# code, one stderr line (a usage error may add the "Try ... --help" line),
# nothing on stdout, and leave every IPC object of the namespace exactly as
# it was: /proc/sysvipc (times included) and the /dev/shm and /dev/mqueue
# entries (names, sizes, modes, owners, atime, mtime, ctime; stat(1) does
# not move a queue's ctime as reading it would).

load helpers

setup() {
	clean_ipc
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ipctool.XXXXXX")
	chmod 755 "$TMP"
	need_ns
	ipctool sem create 0x5e1 -n 2 -v 1 >/dev/null
	ipctool shm create 0x5e2 -s 4096 >/dev/null
	ipctool mq create 0x5e3 >/dev/null
	ipctool mq send 0x5e3 hello
	ipctool sem create /hsem -v 1 >/dev/null
	ipctool shm create /hshm -s 4096 >/dev/null
	ipctool mq create /hmq >/dev/null
	ipctool mq send /hmq hello
	touch "$TMP/f"
	FAILS=()
	# let a second pass over the clock show any time that moved
	sleep 1
}

# row CODE ARGS...: ipctool ARGS must exit CODE and change nothing
row() {
	local want=$1 before after why=
	shift
	before=$(snap)
	run --separate-stderr "$IPCTOOL" "$@"
	after=$(snap)
	[ "$status" = "$want" ] || why="exit $status, not $want;"
	if [ "$want" = 2 ] && [ "${#stderr_lines[@]}" = 2 ]; then
		[[ ${stderr_lines[1]} == "Try 'ipctool"*"--help'." ]] ||
		    why="$why second stderr line is not the --help hint;"
	elif [ "${#stderr_lines[@]}" != 1 ]; then
		why="$why ${#stderr_lines[@]} stderr lines;"
	fi
	[[ ${stderr_lines[0]:-} == "ipctool: "* ]] ||
	    why="$why stderr does not start 'ipctool: ';"
	[ -z "$output" ] || why="$why stdout not empty;"
	[ "$before" = "$after" ] || why="$why the namespace changed: $(diff <(echo "$before") <(echo "$after") | head -4 | tr '\n' ' ');"
	if [ -n "$why" ]; then
		FAILS+=("ipctool $(printf '%q ' "$@")-> $why stderr: ${stderr:0:200}")
	fi
}

done_rows() {
	if [ "${#FAILS[@]}" -gt 0 ]; then
		printf '%s\n' "${FAILS[@]}" >&2
		return 1
	fi
}

long=$(printf 'x%.0s' $(seq 300))
huge=$(printf '9%.0s' $(seq 100000))

@test "hostile TARGETs, for every family's read verb" {
	for v in "sem value" "shm stat" "mq stat"; do
		# shellcheck disable=SC2086
		set -- $v
		row 2 "$@" ""
		row 2 "$@" 0
		row 2 "$@" 0x0
		row 2 "$@" 0x
		row 2 "$@" 0xg1
		row 2 "$@" 0x100000000
		row 2 "$@" 4294967296
		row 2 "$@" -- -2147483649
		row 2 "$@" 00012
		row 2 "$@" " 12"
		row 2 "$@" "12 "
		row 2 "$@" "$huge"
		row 2 "$@" id:
		row 2 "$@" id:-1
		row 2 "$@" id:01
		row 2 "$@" id:99999999999
		row 2 "$@" id:1x
		row 2 "$@" private
		row 2 "$@" /
		row 2 "$@" //x
		row 2 "$@" /a/b
		row 2 "$@" /a/
		row 2 "$@" /.
		row 2 "$@" /..
		row 2 "$@" /../etc/passwd
		row 2 "$@" $'/a\nb'
		row 2 "$@" $'/a\033[2Jb'
		row 2 "$@" "/$long"
		row 2 "$@" path:
		row 3 "$@" path:/nonexistent/x
		row 2 "$@" "path:$TMP/f:-1"
		row 2 "$@" "path:$TMP/f:0"
		row 2 "$@" "path:$TMP/f:256"
		row 3 "$@" 0x7ffffff0
		row 3 "$@" /nosuch
		row 3 "$@" id:2147483647
	done
	done_rows
}

@test "hostile arguments to sem verbs" {
	row 2 sem create -n 0
	row 2 sem create -n -1
	row 6 sem create -n 99999
	row 2 sem create -n "$huge"
	row 2 sem create -v -1
	row 2 sem create -v 99999999999
	row 2 sem create -m 8
	row 2 sem create -m ""
	row 2 sem create -m 4700
	row 2 sem create -m -1
	row 4 sem create 0x5e1
	row 4 sem create /hsem
	row 2 sem create "/$long"
	row 2 sem create id:3
	row 2 sem acquire 0x5e1 -d -1
	row 2 sem acquire 0x5e1 -i 70000
	row 6 sem acquire 0x5e1 -i 5 --nowait
	row 2 sem acquire 0x5e1 -t -1
	row 2 sem acquire 0x5e1 -t abc
	row 2 sem acquire 0x5e1 -t 1.0000000001
	row 2 sem acquire 0x5e1 -t 1 --nowait
	row 2 sem acquire 0x5e1 --undo
	row 2 sem acquire 0x5e1 -E 256 --nowait
	row 2 sem acquire
	row 2 sem release 0x5e1 -d 0
	row 2 sem release 0x5e1 -d -5
	row 6 sem release 0x5e1 -d 40000
	row 2 sem z /hsem --nowait
	row 2 sem op 0x5e1
	row 2 sem op 0x5e1 x:1
	row 2 sem op 0x5e1 :1
	row 2 sem op 0x5e1 0:
	row 2 sem op 0x5e1 0:+-1
	row 2 sem op 0x5e1 0:1:2
	row 2 sem op 0x5e1 0:1x
	row 6 sem op 0x5e1 0:99999
	row 6 sem op 0x5e1 7:1
	row 2 sem op /hsem 0:1
	row 2 sem value 0x5e1 -i -1
	row 2 sem set 0x5e1 --value -1
	row 2 sem set 0x5e1 --mode 99
	row 2 sem set 0x5e1 --mode 1777
	row 2 sem set 0x5e1 --owner nosuchuser
	row 2 sem set 0x5e1 --owner 4294967295
	row 2 sem set 0x5e1 --owner :
	row 2 sem set 0x5e1 --owner ""
	row 2 sem frob 0x5e1
	row 3 sem rm 0x7ffffff0
	row 3 sem rm /nosuch
	done_rows
}

@test "hostile arguments to shm verbs" {
	row 2 shm create -s 0
	row 2 shm create -s -1
	row 2 shm create -s 1T
	row 2 shm create -s 1KK
	row 2 shm create -s 99999999999999999999
	row 2 shm create -s 4K --fill 256
	row 2 shm create -s 4K --fill 0x100
	row 2 shm create -s 4K --fill -1
	row 2 shm create -m 4700
	row 4 shm create 0x5e2
	row 4 shm create /hshm
	row 2 shm read 0x5e2 -o -1
	row 6 shm read 0x5e2 -o 4096
	row 6 shm read /hshm -o 4096
	row 6 shm read /hshm -o 99999 -c 1
	row 2 shm read 0x5e2 -c abc
	row 6 shm write 0x5e2 -o 4090 0123456789
	row 6 shm write /hshm -o 4090 0123456789
	row 6 shm write 0x5e2 -o 99999 x
	row 6 shm write /hshm -o 4096 x
	row 6 shm write 0x5e2 -o 4096 < /dev/null
	row 2 shm attach 0x5e2 --address xyz
	row 2 shm attach 0x5e2 --rnd
	row 2 shm set 0x5e2 --mode 4700
	row 2 shm set 0x5e2 --owner nosuchuser
	row 3 shm rm 0x7ffffff0
	done_rows
}

@test "hostile arguments to mq verbs" {
	row 2 mq create --max-bytes -1
	row 2 mq create --max-bytes 1X
	row 2 mq create /q1 --max-messages 0
	row 2 mq create /q1 --message-size -1
	row 2 mq create -m 4700
	row 4 mq create 0x5e3
	row 4 mq create /hmq
	row 2 mq send 0x5e3 -T 0 x
	row 2 mq send 0x5e3 -T -1 x
	row 2 mq send 0x5e3 -T abc x
	row 6 mq send /hmq -p 99999 x
	row 2 mq send /hmq -p -1 x
	row 2 mq receive 0x5e3 -c -1
	row 2 mq receive 0x5e3 -c abc --nowait
	row 2 mq receive 0x5e3 -T abc --nowait
	row 2 mq receive 0x5e3 -t -3
	row 2 mq set 0x5e3 --max-bytes -1
	row 2 mq set 0x5e3 --mode 2700
	row 3 mq rm 0x7ffffff0
	row 3 mq rm /nosuch
	done_rows
}

@test "hostile arguments to list, rm, key, info and the global options" {
	row 2 list --older-than 5x
	row 2 list --older-than ""
	row 2 list --older-than -1s
	row 2 list --older-than "$huge"
	row 2 list -o NOPE
	row 2 list -o ""
	row 2 list -o ,
	row 2 list -o "KEY,$long"
	row 2 list --owner nosuchuser
	row 2 list --key 0
	row 2 list --sysv --posix
	row 2 rm --all --sysv --posix --dry-run
	row 2 rm
	row 2 rm --all 0x5e1
	row 3 rm 0x7ffffff0
	row 3 rm --manifest "$TMP/nonexistent"
	printf 'sem id:99999\000 0x5e1\n' > "$TMP/nul"
	row 2 rm --manifest "$TMP/nul"
	printf 'bogus line\n' > "$TMP/bad"
	row 2 rm --manifest "$TMP/bad"
	printf 'sem ../../etc/passwd\n' > "$TMP/dots"
	row 2 rm --manifest "$TMP/dots"
	row 2 key
	row 3 key /nonexistent/x
	row 2 key "$TMP/f" 0
	row 2 key "$TMP/f" 256
	row 2 key "$TMP/f" -1
	row 2 info --bogus
	row 2 frob
	row 2 --ns
	row 2 --ns abc list
	# no such process; without setns, refused before it is looked up
	if missing_feature SETNS; then row 2 --ns 999999999 list; else row 3 --ns 999999999 list; fi
	# last: a defect here removes the fixtures
	row 2 rm --all
	done_rows
}
