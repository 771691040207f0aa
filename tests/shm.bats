#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# ipctool shm: System V segments and POSIX shared memory objects.
# shellcheck disable=SC2030,SC2031

bats_require_minimum_version 1.5.0
load helpers

PY=/usr/bin/python3

# The kernel's view of one segment: "key shmid perms size cpid lpid nattch ..."
proc_shm() { awk -v id="$1" '$2 == id' /proc/sysvipc/shm; }
shm_field() { proc_shm "$1" | awk -v f="$2" '{ print $f }'; }
idof() { echo "${1#id:}"; }
sha() { sha256sum | cut -d' ' -f1; }

# Random binary data of $2 bytes with NUL runs at several offsets, in $1.
make_data() {
	head -c "$2" /dev/urandom > "$1"
	local o
	for o in 0 1 100 4095 4096 $(($2 / 2)) $(($2 - 3)); do
		[ "$o" -lt "$2" ] || continue
		printf '\0\0\0' | dd of="$1" bs=1 seek="$o" conv=notrunc \
		    status=none
	done
	truncate -s "$2" "$1"
}

# ---- create ----

@test "create prints id:N of a new segment of one page, mode 0600" {
	run ipctool shm create
	assert_success
	assert_output --regexp '^id:[0-9]+$'
	id=$(idof "$output")
	[ "$(shm_field "$id" 3)" = 600 ]
	[ "$(shm_field "$id" 4)" = "$(getconf PAGESIZE)" ]
	# a random key, never IPC_PRIVATE
	[ "$(shm_field "$id" 1)" != 0 ]
}

@test "create with a key, -s SIZE with suffixes, -m MODE" {
	keys 0x1234
	run ipctool shm create $k1234 -s 3K -m 640
	assert_success
	id=$(idof "$output")
	[ "$(shm_field "$id" 1)" = $(($k1234)) ]
	[ "$(shm_field "$id" 3)" = 640 ]
	[ "$(shm_field "$id" 4)" = 3072 ]
	run ipctool shm create -s 1M private
	assert_success
	[ "$(shm_field "$(idof "$output")" 4)" = 1048576 ]
}

@test "create on an existing key exits 4; --exist-ok opens it unchanged" {
	keys 0x2345
	t=$(ipctool shm create $k2345 -s 8K --fill 0x41)
	run ipctool shm create $k2345
	assert_failure 4
	assert_output --partial "already exists"
	run ipctool shm create $k2345 --exist-ok --fill 0x42
	assert_success
	assert_output "$t"
	[ "$(ipctool shm read "$t" -c 4)" = AAAA ]
	run ipctool shm create $k2345 --exist-ok -s 4K
	assert_success
	[ "$(shm_field "$(idof "$t")" 4)" = 8192 ]
	run ipctool shm create $k2345 --exist-ok -s 16K
	assert_failure 6
	[ "$(shm_field "$(idof "$t")" 4)" = 8192 ]
	run ipctool shm create private --exist-ok
	assert_failure 2
}

@test "create refuses bad values with exit 2" {
	for args in "-s 0" "-s -1" "-s 1X" "-s 1KK" "-m 8" "-m 1777" \
	    "--fill 256" "--fill x" "id:3" "0" "0x" "/a/b" "--bogus"; do
		# shellcheck disable=SC2086
		run ipctool shm create $args
		[ "$status" -eq 2 ] || { echo "args: $args: $status"; false; }
	done
	if [ -n "${IPCTOOL_IN_NS:-}" ]; then
		[ -z "$(awk 'NR > 1' /proc/sysvipc/shm)" ]
	else
		[ "$(owned_ipc)" = "$IPC_BEFORE" ]
	fi
}

@test "create -s beyond SHMMAX exits 6 and creates nothing" {
	echo 8192 > /proc/sys/kernel/shmmax || skip "cannot set shmmax"
	run ipctool shm create -s 1M
	echo 18446744073692774399 > /proc/sys/kernel/shmmax
	assert_failure 6
	[ -z "$(awk 'NR > 1' /proc/sysvipc/shm)" ]
}

@test "create --fill sets every byte, System V and POSIX" {
	names filled filled2
	t=$(ipctool shm create -s 10000 --fill 65)
	[ "$(ipctool shm read "$t" | tr -d A | wc -c)" = 0 ]
	[ "$(ipctool shm read "$t" | wc -c)" = 10000 ]
	ipctool shm create $n_filled -s 5000 --fill 0x00
	ipctool shm create $n_filled2 -s 5000 --fill 0xff
	[ "$(ipctool shm read $n_filled2 | tr -d '\377' | wc -c)" = 0 ]
	cmp <(head -c 5000 /dev/zero) /dev/shm$n_filled
}

@test "create --manifest appends the new object; --json prints the record" {
	names man x
	keys 0x3456
	t=$(ipctool shm create --manifest "$TMP/m")
	ipctool shm create $n_man --manifest "$TMP/m"
	ipctool shm create $n_man --exist-ok --manifest "$TMP/m"
	run cat "$TMP/m"
	assert_output "shm $t
shm $n_man"
	run ipctool shm create $k3456 -s 2K --json
	assert_success
	echo "$output" | $PY -c '
import json, sys
r = json.load(sys.stdin)["sharedmemory"][0]
assert r["key"] == sys.argv[1], r
assert r["size"] == 2048 and isinstance(r["id"], int), r
assert r["target"] == "id:%d" % r["id"] and r["created"] is True, r' "$(keyhex $k3456)"
	run ipctool shm create $n_x --manifest /nonexistent/dir/m
	assert_failure
	[ ! -e /dev/shm$n_x ]
}

@test "create --hugetlb and --noreserve" {
	need_feature SHM_HUGETLB SHM_NORESERVE
	names h
	need_ns
	run ipctool shm create --noreserve -s 1M
	assert_success
	run ipctool shm create --hugetlb -s 2M
	# works where huge pages are reserved, else a limit; never half done
	if [ "$status" -ne 0 ]; then
		[ "$status" -eq 6 ] || [ "$status" -eq 5 ]
		[ "$(awk 'NR > 1' /proc/sysvipc/shm | wc -l)" = 1 ]
	fi
	run ipctool shm create $n_h --hugetlb
	assert_failure 2
}

@test "POSIX create: shm_open + ftruncate, exact mode, exists is 4" {
	names obj
	(umask 077; ipctool shm create $n_obj -s 12345 -m 664)
	[ "$(stat -c '%s %a' /dev/shm$n_obj)" = "12345 664" ]
	run ipctool shm create $n_obj
	assert_failure 4
	run ipctool shm create $n_obj --exist-ok -s 99999
	assert_failure 6
	run ipctool shm create $n_obj --exist-ok -s 100
	assert_success
	assert_output $n_obj
	[ "$(stat -c %s /dev/shm$n_obj)" = 12345 ]
}

# ---- read and write ----

@test "byte-exact round trips of binary data at several offsets (System V)" {
	make_data "$TMP/d" 300000
	t=$(ipctool shm create -s 1M)
	for off in 0 1 4095 4096 700001; do
		ipctool shm write "$t" -o "$off" < "$TMP/d"
		[ "$(ipctool shm read "$t" -o "$off" -c 300000 | sha)" = \
		    "$(sha < "$TMP/d")" ]
	done
	# through a pipe (the streaming path)
	cat "$TMP/d" | ipctool shm write "$t" -o 12345
	[ "$(ipctool shm read "$t" -o 12345 -c 300000 | sha)" = \
	    "$(sha < "$TMP/d")" ]
}

@test "byte-exact round trips of binary data at several offsets (POSIX)" {
	names rt
	make_data "$TMP/d" 200000
	ipctool shm create $n_rt -s 300K
	for off in 0 3 4096 107200; do
		ipctool shm write $n_rt -o "$off" < "$TMP/d"
		[ "$(ipctool shm read $n_rt -o "$off" -c 200000 | sha)" = \
		    "$(sha < "$TMP/d")" ]
		cat "$TMP/d" | ipctool shm write $n_rt -o "$off"
		[ "$(dd if=/dev/shm$n_rt bs=1 skip="$off" count=200000 \
		    status=none | sha)" = "$(sha < "$TMP/d")" ]
	done
}

@test "read writes no newline, truncates a count past the end, refuses an offset at or past the end" {
	t=$(ipctool shm create -s 10 --fill 0x61)
	run ipctool shm read "$t" -c 3
	[ "$(ipctool shm read "$t" -c 3 | od -An -c | tr -d ' \n')" = aaa ]
	[ "$(ipctool shm read "$t" -o 8 -c 1G | wc -c)" = 2 ]
	[ "$(ipctool shm read "$t" -o 9 | wc -c)" = 1 ]
	[ "$(ipctool shm read "$t" -c 0 | wc -c)" = 0 ]
	run ipctool shm read "$t" -o 10
	assert_failure 6
	assert_output --partial "at or past the end"
	run ipctool shm read "$t" -o 1G
	assert_failure 6
	run ipctool shm read "$t" -o -1
	assert_failure 2
	run ipctool shm read "$t" -c x
	assert_failure 2
}

@test "write DATA: exact fit succeeds, one byte more is 6 and leaves the data" {
	t=$(ipctool shm create -s 16 --fill 0x2e)
	run ipctool shm write "$t" -o 10 abcdef
	assert_success
	[ "$(ipctool shm read "$t")" = "..........abcdef" ]
	run ipctool shm write "$t" -o 9 XXXXXXXX
	assert_failure 6
	assert_output --partial "do not fit"
	[ "$(ipctool shm read "$t")" = "..........abcdef" ]
	run ipctool shm write "$t" -o 16 x
	assert_failure 6
	run ipctool shm write "$t" ""
	assert_success
	[ "$(ipctool shm read "$t")" = "..........abcdef" ]
	ipctool shm write "$t" -- -dash
	[ "$(ipctool shm read "$t" -c 5)" = "-dash" ]
}

@test "too-long stdin is 6 and changes nothing: file, pipe, several windows" {
	make_data "$TMP/old" $((9 * 1048576))
	t=$(ipctool shm create -s 9M)
	ipctool shm write "$t" < "$TMP/old"
	before=$(ipctool shm read "$t" | sha)
	head -c $((9 * 1048576 - 99)) /dev/urandom > "$TMP/big"
	run ipctool shm write "$t" -o 100 < "$TMP/big"
	assert_failure 6
	assert_output --partial "nothing written"
	[ "$(ipctool shm read "$t" | sha)" = "$before" ]
	# a pipe: read straight in, then put back
	run bash -c 'cat "$1" | "$IPCTOOL" shm write "$2" -o 100' _ "$TMP/big" "$t"
	assert_failure 6
	[ "$(ipctool shm read "$t" | sha)" = "$before" ]
	# exact fit through a pipe
	head -c $((9 * 1048576 - 100)) "$TMP/big" > "$TMP/fit"
	cat "$TMP/fit" | ipctool shm write "$t" -o 100
	[ "$(ipctool shm read "$t" -o 100 | sha)" = "$(sha < "$TMP/fit")" ]
	[ "$(ipctool shm read "$t" -c 100 | sha)" = "$(head -c 100 "$TMP/old" | sha)" ]
}

@test "write from stdin at a file offset writes the rest of the file" {
	t=$(ipctool shm create -s 10 --fill 0x2e)
	printf 'abcdef' > "$TMP/f"
	{ read -r -n 2 _; ipctool shm write "$t"; } < "$TMP/f"
	[ "$(ipctool shm read "$t")" = "cdef......" ]
}

@test "read > /dev/full exits 8; a reader that goes away is no crash" {
	t=$(ipctool shm create -s 4M --fill 1)
	run bash -c '"$IPCTOOL" shm read "$1" > /dev/full' _ "$t"
	assert_failure 8
	assert_output --partial "write error on stdout"
	run bash -c '"$IPCTOOL" shm read "$1" | head -c 1 > /dev/null; echo "${PIPESTATUS[0]}"' _ "$t"
	assert_output 141
}

@test "large data streams with a resident set independent of the size" {
	need_map_files
	t=$(ipctool shm create -s 256M)
	/usr/bin/time -f %M -o "$TMP/w" bash -c \
	    'head -c 256M /dev/zero | tr "\0" x | "$IPCTOOL" shm write "$1"' _ "$t"
	/usr/bin/time -f %M -o "$TMP/r" "$IPCTOOL" shm read "$t" -o 255M > "$TMP/tail"
	[ "$(tr -d x < "$TMP/tail" | wc -c)" = 0 ]
	[ "$(wc -c < "$TMP/tail")" = 1048576 ]
	/usr/bin/time -f %M -o "$TMP/r" sh -c '"$IPCTOOL" shm read "$1" | wc -c > "$2"' _ "$t" "$TMP/n"
	[ "$(cat "$TMP/n")" = 268435456 ]
	# KiB: far below the 256 MiB that passed through
	[ "$(tail -1 "$TMP/w")" -lt 65536 ]
	[ "$(tail -1 "$TMP/r")" -lt 65536 ]
}

# ---- missing objects and permissions ----

@test "a missing or removed object is 3" {
	names nothing
	keys 0x7777
	t=$(ipctool shm create)
	ipctool shm rm "$t"
	run ipctool shm read "$t"
	assert_failure 3
	assert_output --partial "no such object"
	run ipctool shm stat "$t"
	assert_failure 3
	run ipctool shm attach "$t"
	assert_failure 3
	run ipctool shm write "$t" x
	assert_failure 3
	run ipctool shm set "$t" --mode 600
	assert_failure 3
	run ipctool shm read $k7777
	assert_failure 3
	run ipctool shm read $n_nothing
	assert_failure 3
	run ipctool shm write $n_nothing x
	assert_failure 3
	run ipctool shm stat $n_nothing
	assert_failure 3
}

@test "permissions as an unprivileged user are 5" {
	names priv pub
	need_root
	rw=$(ipctool shm create -s 4K -m 600 --fill 0x41)
	ro=$(ipctool shm create -s 4K -m 644 --fill 0x42)
	ipctool shm create $n_priv -m 600
	ipctool shm create $n_pub -m 644 --fill 0x43
	run as_nobody "$IPCTOOL" shm read "$rw"
	assert_failure 5
	run as_nobody "$IPCTOOL" shm stat "$rw"
	assert_failure 5
	run as_nobody "$IPCTOOL" shm write "$ro" x
	assert_failure 5
	[ "$(ipctool shm read "$ro" -c 1)" = B ]
	run as_nobody "$IPCTOOL" shm read "$ro" -c 2
	assert_success
	assert_output BB
	run as_nobody "$IPCTOOL" shm attach "$ro"
	assert_failure 5
	run as_nobody "$IPCTOOL" shm attach "$ro" --rdonly
	assert_success
	run as_nobody "$IPCTOOL" shm read $n_priv
	assert_failure 5
	run as_nobody "$IPCTOOL" shm write $n_pub y
	assert_failure 5
	run as_nobody "$IPCTOOL" shm read $n_pub -c 1
	assert_output C
	run as_nobody "$IPCTOOL" shm set "$ro" --mode 666
	assert_failure 5
	run as_nobody "$IPCTOOL" shm rm "$ro" $n_pub
	assert_failure 5
	[ -e /dev/shm$n_pub ]
	[ -n "$(proc_shm "$(idof "$ro")")" ]
}

# ---- attach ----

@test "attach prints the address and the new attach count" {
	names pa
	t=$(ipctool shm create)
	run ipctool shm attach "$t"
	assert_success
	assert_output --regexp '^0x[0-9a-f]+ 1$'
	[ "$(shm_field "$(idof "$t")" 7)" = 0 ]
	ipctool shm create $n_pa
	run ipctool shm attach $n_pa --rdonly
	assert_success
	assert_output --regexp '^0x[0-9a-f]+$'
}

@test "attach --hold stays attached until stdin closes or SIGTERM" {
	t=$(ipctool shm create)
	id=$(idof "$t")
	mkfifo "$TMP/in"
	"$IPCTOOL" shm attach "$t" --hold < "$TMP/in" > "$TMP/out" 3>&- &
	pid=$!
	exec 5> "$TMP/in"
	wait_until 5 '[ "$(shm_field "$id" 7)" = 1 ]'
	run ipctool shm attach "$t"
	assert_output --regexp ' 2$'
	exec 5>&-
	wait "$pid"
	[ "$(shm_field "$id" 7)" = 0 ]
	assert_equal "$(wc -l < "$TMP/out")" 1

	# /dev/null (a background job's stdin) holds until a signal
	"$IPCTOOL" shm attach "$t" --hold --rdonly < /dev/null > /dev/null 3>&- &
	pid=$!
	wait_until 5 '[ "$(shm_field "$id" 7)" = 1 ]'
	sleep 0.2
	[ "$(shm_field "$id" 7)" = 1 ]
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	[ "$(shm_field "$id" 7)" = 0 ]
}

@test "a removed segment still attached shows as dest until the last detach" {
	need_feature SHM_DEST
	keys 0x4567
	t=$(ipctool shm create $k4567)
	id=$(idof "$t")
	"$IPCTOOL" shm attach "$t" --hold < /dev/null > /dev/null 3>&- &
	pid=$!
	wait_until 5 '[ "$(shm_field "$id" 7)" = 1 ]'
	ipctool rm "$t"
	run ipctool shm stat "$t" -o STATUS,NATTCH,DEST --export
	assert_success
	assert_output 'STATUS="dest" NATTCH="1" DEST="true"'
	run ipctool shm read $k4567
	assert_failure 3
	kill -TERM "$pid"
	wait "$pid" || [ $? = 143 ]
	run ipctool shm stat "$t"
	assert_failure 3
}

@test "attach -- CMD stays attached while CMD runs and exits with its status" {
	names pc
	t=$(ipctool shm create)
	id=$(idof "$t")
	run ipctool shm attach "$t" -- sh -c "awk '\$2 == $id { print \$7 }' /proc/sysvipc/shm; exit 7"
	assert_failure 7
	assert_output 1
	[ "$(shm_field "$id" 7)" = 0 ]
	run ipctool shm attach "$t" --rdonly -- sh -c 'echo "$IPCTOOL_SHM_ADDR"'
	assert_success
	assert_output --regexp '^0x[0-9a-f]+$'
	run ipctool shm attach "$t" -- sh -c 'kill -TERM $$'
	assert_failure 143
	run -127 ipctool shm attach "$t" -- /nonexistent/cmd
	assert_failure 127
	run ipctool shm attach "$t" --hold -- true
	assert_failure 2
	ipctool shm create $n_pc
	run ipctool shm attach $n_pc -- sh -c 'grep -c /dev/shm$n_pc /proc/$PPID/maps'
	assert_success
	assert_output 1
}

@test "attach --address, --rnd, --remap" {
	need_feature SHM_RND SHM_REMAP
	names pa
	t=$(ipctool shm create)
	run ipctool shm attach "$t" --address 0x300000001234 --rnd
	assert_success
	assert_output "0x300000001000 1"
	run ipctool shm attach "$t" --address 0x300000001234
	assert_failure 2
	run ipctool shm attach "$t" --address 0x300000002000 --remap --rdonly
	assert_success
	assert_output "0x300000002000 1"
	run ipctool shm attach "$t" --rnd
	assert_failure 2
	run ipctool shm attach "$t" --address zz
	assert_failure 2
	ipctool shm create $n_pa
	run ipctool shm attach $n_pa --address 0x300000003000
	assert_success
	assert_output 0x300000003000
}

# ---- stat and set ----

@test "stat shows every attribute, as the kernel has them" {
	keys 0x5678
	t=$(ipctool shm create $k5678 -s 5000 -m 640)
	id=$(idof "$t")
	ipctool shm attach "$t" > /dev/null
	run ipctool shm stat "$t"
	assert_success
	for col in KEY ID PERMS OWNER UID GID CUID CGID SIZE NATTCH STATUS \
	    CPID LPID ATTACH DETACH CTIME; do
		assert_line --regexp "^$col "
	done
	assert_line --regexp "^KEY +$(keyhex $k5678)\$"
	assert_line --regexp '^SIZE +5000$'
	ipctool shm stat "$t" --json | $PY -c '
import json, sys
r = json.load(sys.stdin)["sharedmemory"][0]
k = open("/proc/sysvipc/shm").read().split("\n")[1:]
row = [l.split() for l in k if l.split() and l.split()[1] == str(r["id"])][0]
assert r["key"] == sys.argv[1] and r["perms"] == "0640", r
assert r["size"] == int(row[3]) and r["cpid"] == int(row[4]), (r, row)
assert r["lpid"] == int(row[5]) and r["nattch"] == int(row[6]), (r, row)
assert r["uid"] == int(row[7]) and r["cgid"] == int(row[10]), (r, row)
assert r["attach"] is not None and r["detach"] is not None, r' "$(keyhex $k5678)"
	run ipctool shm stat "$t" -o SIZE --no-headings --raw
	assert_output 5000
	run ipctool shm stat "$t" -o BOGUS
	assert_failure 2
}

@test "POSIX stat shows what fstat gives" {
	names st
	need_root
	ipctool shm create $n_st -s 777 -m 604
	chown 65534:65534 /dev/shm$n_st
	run ipctool shm stat $n_st --export
	assert_success
	assert_output --partial "NAME=\"$n_st\" PERMS=\"0604\" OWNER=\"nobody\" GROUP=\"nogroup\" UID=\"65534\""
	assert_output --partial 'SIZE="777"'
	assert_output --regexp 'MTIME="[0-9]{4}-'
}

@test "set --mode, --owner, --lock/--unlock (System V)" {
	need_feature SHM_LOCK
	need_root
	t=$(ipctool shm create)
	id=$(idof "$t")
	ipctool shm set "$t" --mode 0604 --owner nobody:65534
	[ "$(shm_field "$id" 3)" = 604 ]
	[ "$(shm_field "$id" 8)" = 65534 ]
	[ "$(shm_field "$id" 9)" = 65534 ]
	[ "$(shm_field "$id" 10)" = 0 ]
	ipctool shm set "$t" --lock
	run ipctool shm stat "$t" -o STATUS,LOCKED --export
	assert_output 'STATUS="locked" LOCKED="true"'
	ipctool shm set "$t" --unlock
	run ipctool shm stat "$t" -o STATUS --export
	assert_output 'STATUS=""'
	run ipctool shm set "$t"
	assert_failure 2
	run ipctool shm set "$t" --lock --unlock
	assert_failure 2
	run ipctool shm set "$t" --size 1M
	assert_failure 2
	run ipctool shm set "$t" --mode 1644
	assert_failure 2
	run ipctool shm set "$t" --owner no-such-user-here
	assert_failure 2
}

@test "set --mode, --owner, --size (POSIX)" {
	names ps
	need_root
	ipctool shm create $n_ps -s 100 --fill 0x7a
	ipctool shm set $n_ps --mode 640 --owner 65534:65534 --size 4K
	[ "$(stat -c '%a %u %g %s' /dev/shm$n_ps)" = "640 65534 65534 4096" ]
	[ "$(ipctool shm read $n_ps -c 100 | tr -d z | wc -c)" = 0 ]
	run ipctool shm set $n_ps --lock
	assert_failure 2
}

# ---- removal ----

@test "shm rm removes every TARGET, goes on after a failure, exits with the first" {
	names nope r1
	keys 0x6789
	a=$(ipctool shm create)
	b=$(ipctool shm create $k6789)
	ipctool shm create $n_r1
	run ipctool shm rm "$a" $n_nope $k6789 $n_r1 bad:target
	assert_failure 3
	assert_line --partial "$n_nope: no such object"
	assert_line --partial "bad:target"
	[ -z "$(proc_shm "$(idof "$a")")" ]
	[ -z "$(proc_shm "$(idof "$b")")" ]
	[ ! -e /dev/shm$n_r1 ]
	run ipctool shm rm
	assert_failure 2
}

# ---- interop ----

@test "interop: python sysv_ipc reads what ipctool wrote, and the other way" {
	keys 0x789a 0x89ab
	$PY -c 'import sysv_ipc' 2>/dev/null || skip "python3-sysv-ipc missing"
	make_data "$TMP/d" 100000
	t=$(ipctool shm create $k789a -s 100000)
	ipctool shm write "$t" < "$TMP/d"
	$PY -c '
import os, sys, sysv_ipc
m = sysv_ipc.SharedMemory(int(os.environ["k789a"], 0))
sys.stdout.buffer.write(m.read())' > "$TMP/py"
	cmp "$TMP/d" "$TMP/py"
	make_data "$TMP/e" 50000
	$PY -c '
import os, sys, sysv_ipc
m = sysv_ipc.SharedMemory(int(os.environ["k89ab"], 0), sysv_ipc.IPC_CREX, size=50000)
m.write(open(sys.argv[1], "rb").read())' "$TMP/e"
	[ "$(ipctool shm read $k89ab | sha)" = "$(sha < "$TMP/e")" ]
}

@test "interop: POSIX objects are the files python maps" {
	names io io2
	make_data "$TMP/d" 70000
	ipctool shm create $n_io -s 70000
	ipctool shm write $n_io < "$TMP/d"
	$PY -c '
import mmap, os, sys
fd = os.open("/dev/shm" + os.environ["n_io"], os.O_RDONLY)
m = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
sys.stdout.buffer.write(m[:])' > "$TMP/py"
	cmp "$TMP/d" "$TMP/py"
	$PY -c '
import mmap, os
fd = os.open("/dev/shm" + os.environ["n_io2"], os.O_RDWR | os.O_CREAT, 0o600)
os.ftruncate(fd, 5)
m = mmap.mmap(fd, 5)
m[:] = b"a\0b\0c"'
	[ "$(ipctool shm read $n_io2 | od -An -tx1 | tr -d ' \n')" = 6100620063 ]
}

@test "help and usage" {
	run ipctool shm --help
	assert_success
	for v in create read write attach stat set rm; do
		assert_line --partial "ipctool shm $v "
	done
	run ipctool shm write --help
	assert_success
	assert_output --partial "usage: ipctool shm write TARGET"
	run ipctool shm read
	assert_failure 2
	run ipctool shm frob x
	assert_failure 2
}

# ---- found in review ----

@test "an unprivileged creator may give its segment a mode that excludes itself, --fill included" {
	names p0400 p
	need_root
	for m in 0400 0000; do
		run as_nobody "$IPCTOOL" shm create -m "$m" --fill 0x41 --json
		assert_success
		[ "$(jq -r '.sharedmemory[0].perms' <<<"$output")" = "$m" ]
		run as_nobody "$IPCTOOL" shm create "$n_p$m" -m "$m" --fill 0x41
		assert_success
		run stat -c %a "/dev/shm$n_p$m"
		assert_output "$(printf %o $((8#$m)))"
	done
	# the bytes are there, as root sees them
	run sh -c "ipctool shm read $n_p0400 -c 3"
	assert_output AAA
}

@test "create whose name cannot be printed removes the segment (exit 8)" {
	names sf
	need_ns
	run sh -c "'$IPCTOOL' shm create > /dev/full"
	assert_failure 8
	run sh -c "'$IPCTOOL' shm create $n_sf --json > /dev/full"
	assert_failure 8
	[ "$(grep -c . /proc/sysvipc/shm)" -eq 1 ]
	[ ! -e /dev/shm$n_sf ]
}

# ---- every data path, and what must never be half done ----

# Runs ipctool with stdin from a pipe: piped FILE ARGS...
piped() { local f=$1; shift; cat "$f" | "$IPCTOOL" "$@"; }

@test "round trips through every data path: file, pipe, mapping, map_files" {
	names rp
	make_data "$TMP/d" 300001
	s=$(ipctool shm create -s 1M --fill 0x2e)
	ipctool shm create $n_rp -s 1M --fill 0x2e
	# System V through map_files (root) and through the mapping
	for env in "" IPCTOOL_NO_PROC=1; do
		for t in "$s" $n_rp; do
			for off in 0 1 4095 4097 748575; do
				env $env "$IPCTOOL" shm write "$t" -o "$off" < "$TMP/d"
				[ "$(env $env "$IPCTOOL" shm read "$t" -o "$off" -c 300001 | sha)" = "$(sha < "$TMP/d")" ]
				env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2" -o "$3"' _ "$TMP/d" "$t" "$off"
				[ "$(env $env "$IPCTOOL" shm read "$t" -o "$off" -c 300001 | sha)" = "$(sha < "$TMP/d")" ]
				# to a file on tmpfs, and to one on another file system
				env $env "$IPCTOOL" shm read "$t" -o "$off" -c 300001 > /dev/shm/out
				[ "$(sha < /dev/shm/out)" = "$(sha < "$TMP/d")" ]
				env $env "$IPCTOOL" shm read "$t" -o "$off" -c 300001 > "$TMP/out"
				[ "$(sha < "$TMP/out")" = "$(sha < "$TMP/d")" ]
				# appending (sendfile refuses O_APPEND: the buffer does it)
				: > "$TMP/app"
				env $env "$IPCTOOL" shm read "$t" -o "$off" -c 300001 >> "$TMP/app"
				[ "$(sha < "$TMP/app")" = "$(sha < "$TMP/d")" ]
			done
			# exact fit from a file and a pipe, then one byte too many
			head -c 1048576 /dev/urandom > "$TMP/fit"
			env $env "$IPCTOOL" shm write "$t" < "$TMP/fit"
			[ "$(ipctool shm read "$t" | sha)" = "$(sha < "$TMP/fit")" ]
			env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2"' _ "$TMP/fit" "$t"
			[ "$(ipctool shm read "$t" | sha)" = "$(sha < "$TMP/fit")" ]
			ipctool shm read "$t" > "$TMP/before"
			run env $env "$IPCTOOL" shm write "$t" -o 1 < "$TMP/fit"
			assert_failure 6
			run env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2" -o 1' _ "$TMP/fit" "$t"
			assert_failure 6
			# an endless character device: too long, nothing written
			run env $env "$IPCTOOL" shm write "$t" -o 4097 < /dev/zero
			assert_failure 6
			ipctool shm read "$t" | cmp - "$TMP/before"
			# zeros the size of the room fit exactly
			head -c $((1048576 - 4097)) /dev/zero | env $env "$IPCTOOL" shm write "$t" -o 4097
			[ "$(ipctool shm read "$t" -o 4097 | tr -d '\0' | wc -c)" = 0 ]
			cmp -n 4097 "$TMP/before" <(ipctool shm read "$t")
			run env $env bash -c '"$IPCTOOL" shm read "$1" > /dev/full' _ "$t"
			assert_failure 8
		done
	done
	# more than a pipe holds, to a reader that goes away
	ipctool shm rm "$s" $n_rp
	s=$(ipctool shm create -s 16M)
	ipctool shm create $n_rp -s 16M
	for env in "" IPCTOOL_NO_PROC=1; do
		for t in "$s" $n_rp; do
			run env $env bash -c '"$IPCTOOL" shm read "$1" | head -c 1 > /dev/null; echo "${PIPESTATUS[0]}"' _ "$t"
			assert_output 141
		done
	done
}

@test "the data path goes through the descriptor: sendfile and splice, no mapping" {
	names sp
	command -v strace > /dev/null || skip "needs strace"
	need_map_files
	# LeakSanitizer cannot run under ptrace: an ASan build must not try
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	head -c 3M /dev/urandom > "$TMP/d"
	ipctool shm create $n_sp -s 4M
	s=$(ipctool shm create -s 4M)
	for t in $n_sp "$s"; do
		strace -f -o "$TMP/st" "$IPCTOOL" shm write "$t" < "$TMP/d"
		grep -q '^[0-9]* *sendfile' "$TMP/st"
		! grep -q 'MADV_DONTNEED' "$TMP/st"
		cat "$TMP/d" | strace -o "$TMP/st" "$IPCTOOL" shm write "$t"
		grep -q '^[0-9]* *splice' "$TMP/st"
		strace -o "$TMP/st" "$IPCTOOL" shm read "$t" > /dev/null
		grep -q '^[0-9]* *sendfile' "$TMP/st"
		! grep -q 'MADV_DONTNEED' "$TMP/st"
	done
	grep -q map_files "$TMP/st"
	# the mapping, when map_files is not allowed: one populate, no drop
	IPCTOOL_NO_PROC=1 strace -o "$TMP/st" "$IPCTOOL" shm write "$s" < "$TMP/d"
	[ "$(grep -c 'MADV_POPULATE_WRITE' "$TMP/st")" = 1 ]
	! grep -q 'MADV_DONTNEED' "$TMP/st"
}

# Bytes written to the FIFO $1 and not yet read.
unread() {
	"$PY" -c 'import array, fcntl, os, sys, termios
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
n = array.array("i", [0])
fcntl.ioctl(fd, termios.FIONREAD, n)
print(n[0])' "$1"
}

@test "a pipe into data is held whole first: an exact fit of whole pipes, one byte more, no undo" {
	names held
	head -c 4M /dev/urandom > "$TMP/fit"
	head -c 1048577 /dev/urandom > "$TMP/long"
	s=$(ipctool shm create -s 4M --fill 0x2e)
	ipctool shm create $n_held -s 4M --fill 0x2e
	for env in "" IPCTOOL_NO_PROC=1; do
		for t in "$s" $n_held; do
			# the input ends just as the pipes that hold it are full
			env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2"' _ "$TMP/fit" "$t"
			ipctool shm read "$t" | cmp - "$TMP/fit"
			ipctool shm write "$t" -o 4095 "abc"
			ipctool shm read "$t" > "$TMP/before"
			run env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2" -o 1' _ "$TMP/fit" "$t"
			assert_failure 6
			assert_output --partial "nothing written"
			ipctool shm read "$t" | cmp - "$TMP/before"
			run env $env bash -c 'cat "$1" | "$IPCTOOL" shm write "$2" -o 3M' _ "$TMP/long" "$t"
			assert_failure 6
			ipctool shm read "$t" | cmp - "$TMP/before"
			# an offset not page aligned, input that fits short of the end
			env $env bash -c 'head -c 1048576 "$1" | "$IPCTOOL" shm write "$2" -o 5000' _ "$TMP/long" "$t"
			cmp -n 5000 "$TMP/before" <(ipctool shm read "$t")
			cmp <(head -c 1048576 "$TMP/long") <(ipctool shm read "$t" -o 5000 -c 1048576)
			cmp <(tail -c +$((5000 + 1048576 + 1)) "$TMP/before") <(ipctool shm read "$t" -o $((5000 + 1048576)))
		done
	done
	# no undo file: nothing of the old bytes is copied
	command -v strace > /dev/null || skip "needs strace"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	cat "$TMP/fit" | strace -o "$TMP/st" "$IPCTOOL" shm write $n_held
	! grep -q memfd_create "$TMP/st"
	ipctool shm read $n_held | cmp - "$TMP/fit"
}

@test "a pipe longer than the pipes that may hold it: what is held goes first, with the undo" {
	[ -z "${IPCTOOL_VALGRIND:-}" ] ||
	    skip "valgrind takes descriptors of its own below ulimit -n 12"
	names few
	# few descriptors: a handful of 1 MiB pipes, then the undo path
	head -c 16M /dev/urandom > "$TMP/fit"
	head -c 1 /dev/urandom >> "$TMP/fit"
	s=$(ipctool shm create -s 16M --fill 0x2e)
	ipctool shm create $n_few -s 16M --fill 0x2e
	for env in "" IPCTOOL_NO_PROC=1; do
		for t in "$s" $n_few; do
			ipctool shm write "$t" -o 7 "old bytes"
			ipctool shm read "$t" > "$TMP/before"
			run env $env bash -c 'ulimit -n 12; cat "$1" | "$IPCTOOL" shm write "$2"' _ "$TMP/fit" "$t"
			assert_failure 6
			ipctool shm read "$t" | cmp - "$TMP/before"
			env $env bash -c 'ulimit -n 12; head -c 16M "$1" | "$IPCTOOL" shm write "$2"' _ "$TMP/fit" "$t"
			cmp <(head -c 16M "$TMP/fit") <(ipctool shm read "$t")
			env $env bash -c 'ulimit -n 12; head -c 12345678 "$1" | "$IPCTOOL" shm write "$2" -o 4097' _ "$TMP/before" "$t"
			cmp -n 4097 "$TMP/fit" <(ipctool shm read "$t")
			cmp <(head -c 12345678 "$TMP/before") <(ipctool shm read "$t" -o 4097 -c 12345678)
		done
	done
}

@test "a soft descriptor limit below the pipes a pipe's input needs is raised: held whole, no undo" {
	names soft
	# 16 MiB in 1 MiB pipes needs more than 12 descriptors; the hard
	# limit allows them
	[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 64 ] ||
	    skip "needs a hard descriptor limit of 64"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	# under a wrapper (make check-valgrind) the limit is valgrind's: the
	# bytes are checked, not the path
	trace=
	command -v strace > /dev/null && [ "$(head -c 2 "$IPCTOOL")" != "#!" ] &&
	    trace="strace -o $TMP/st"
	head -c 16M /dev/urandom > "$TMP/fit"
	{ cat "$TMP/fit"; echo x; } > "$TMP/long"
	s=$(ipctool shm create -s 16M --fill 0x2e)
	ipctool shm create $n_soft -s 16M --fill 0x2e
	for t in "$s" $n_soft; do
		ipctool shm read "$t" > "$TMP/before"
		run bash -c 'ulimit -S -n 12; cat "$1" | "$IPCTOOL" shm write "$2"' _ "$TMP/long" "$t"
		assert_failure 6
		ipctool shm read "$t" | cmp - "$TMP/before"
		rm -f "$TMP/st"
		bash -c 'ulimit -S -n 12; cat "$1" | $3 "$IPCTOOL" shm write "$2"' _ "$TMP/fit" "$t" "$trace"
		ipctool shm read "$t" | cmp - "$TMP/fit"
		[ -z "$trace" ] || ! grep -q memfd_create "$TMP/st"
	done
}

@test "a pipe into a fresh segment through the mapping keeps only the pages it wrote" {
	s=$(ipctool shm create -s 8M)
	id=$(idof "$s")
	printf 0123456789 | IPCTOOL_NO_PROC=1 "$IPCTOOL" shm write "$s" -o 5000
	[ "$(ipctool shm read "$s" -o 5000 -c 10)" = 0123456789 ]
	[ "$(shm_field "$id" 15)" = 4096 ]
	[ "$(ipctool shm read "$s" | tr -d '\0' | wc -c)" = 10 ]
	t=$(ipctool shm create -s 8M)
	run bash -c 'head -c 9M /dev/zero | tr "\0" x | IPCTOOL_NO_PROC=1 "$IPCTOOL" shm write "$1" -o 1' _ "$t"
	assert_failure 6
	[ "$(shm_field "$(idof "$t")" 15)" = 0 ]
	[ "$(ipctool shm read "$t" | tr -d '\0' | wc -c)" = 0 ]
}

# Runs "$@" in a mount namespace of its own whose /dev/shm is a 1 MiB tmpfs.
small_shm() {
	unshare --mount --propagation private bash -c '
		mount -t tmpfs -o size=1m,mode=1777 small /dev/shm || exit 99
		"$@"' small_shm "$@"
}

@test "ENOSPC: create --fill on a full /dev/shm is 6 and leaves nothing" {
	names big
	need_ns
	run small_shm bash -c '"$IPCTOOL" shm create $n_big -s 8M --fill 0x58; echo "rc=$?"; ls -A /dev/shm'
	assert_line rc=6
	assert_line --partial "No space left on device"
	refute_line "${n_big#/}"
	[ "${#lines[@]}" = 2 ]
}

@test "ENOSPC: a write into a sparse object on a full /dev/shm is 6, the object unchanged" {
	names sparse
	need_ns
	head -c 2M /dev/urandom > "$TMP/d"
	run small_shm bash -c '
		set -u
		"$IPCTOOL" shm create $n_sparse -s 4M
		"$IPCTOOL" shm write $n_sparse -o 4000 hello
		head -c 2M /dev/zero > /dev/shm/filler 2> /dev/null
		rm /dev/shm/filler; head -c 700K /dev/zero > /dev/shm/filler
		before=$("$IPCTOOL" shm read $n_sparse | sha256sum)
		used=$(du -k /dev/shm$n_sparse | cut -f1)
		"$IPCTOOL" shm write $n_sparse -o 100 < "$1"; echo "file=$?"
		cat "$1" | "$IPCTOOL" shm write $n_sparse -o 100; echo "pipe=$?"
		head -c 1M /dev/zero >> /dev/shm/filler 2> /dev/null
		"$IPCTOOL" shm write $n_sparse -o 3000000 "$(head -c 100000 /dev/zero | tr "\0" y)"; echo "data=$?"
		[ "$("$IPCTOOL" shm read $n_sparse | sha256sum)" = "$before" ] && echo same
		[ "$(du -k /dev/shm$n_sparse | cut -f1)" = "$used" ] && echo "same space"' _ "$TMP/d"
	assert_line file=6
	assert_line pipe=6
	assert_line data=6
	assert_line same
	assert_line "same space"
}

# As many pages as its size (fstat's st_blocks) is not "no hole": a page
# past the end (fallocate --keep-size) hides one inside; on a full /dev/shm
# the write still fails whole.
@test "ENOSPC: an object with a hole inside and a page past its end is 6, unchanged" {
	names keep
	need_ns
	head -c 256K /dev/urandom > "$TMP/d"
	run small_shm bash -c '
		set -u
		o=/dev/shm$n_keep
		"$IPCTOOL" shm create $n_keep -s 256K
		head -c 256K /dev/zero | tr "\0" z | "$IPCTOOL" shm write $n_keep
		fallocate --punch-hole -o 8192 -l 4096 "$o"
		fallocate --keep-size -o 262144 -l 4096 "$o"
		[ "$(stat -c %b "$o")" = 512 ] && echo "pages as size"
		head -c 2M /dev/zero > /dev/shm/filler 2> /dev/null
		before=$("$IPCTOOL" shm read $n_keep | sha256sum)
		"$IPCTOOL" shm write $n_keep < "$1"; echo "file=$?"
		cat "$1" | "$IPCTOOL" shm write $n_keep; echo "pipe=$?"
		[ "$("$IPCTOOL" shm read $n_keep | sha256sum)" = "$before" ] && echo same' _ "$TMP/d"
	assert_line "pages as size"
	assert_line file=6
	assert_line pipe=6
	assert_line same
}

@test "SIGTERM in the middle of a write from a pipe leaves the object as it was" {
	names half
	for fill in "" "--fill 0x2e"; do
		rm -f /dev/shm$n_half "$TMP/fifo"
		# shellcheck disable=SC2086
		ipctool shm create $n_half -s 8M $fill
		before=$(ipctool shm read $n_half | sha)
		mkfifo "$TMP/fifo"
		"$IPCTOOL" shm write $n_half < "$TMP/fifo" 2> "$TMP/err" &
		pid=$!
		exec {w}> "$TMP/fifo"
		head -c 3M /dev/zero | tr '\0' A >&"$w"
		if [ -z "$fill" ]; then
			wait_until 10 '[ "$(head -c 1 /dev/shm$n_half)" = A ]'
		else
			# over data, the input is held whole before it goes in
			wait_until 10 '[ "$(unread "$TMP/fifo")" = 0 ]'
			[ "$(ipctool shm read $n_half | sha)" = "$before" ]
		fi
		kill -TERM "$pid"
		# it ends with the writer still there (a copy that missed the
		# signal would sleep on in its next splice: bounded, then fails)
		ended=0
		wait_until 30 '[ ! -d /proc/$pid ] ||
		    [ "$(cut -d" " -f3 /proc/$pid/stat 2>/dev/null)" = Z ]' ||
		    ended=$?
		exec {w}>&-
		rc=0
		wait "$pid" || rc=$?
		[ "$ended" = 0 ]
		[ "$rc" = 143 ]
		grep -q 'nothing written' "$TMP/err"
		[ "$(ipctool shm read $n_half | sha)" = "$before" ]
		ipctool shm rm $n_half
	done
}

@test "stdin from a /proc file (st_size 0, with content) is written, not dropped" {
	names procin
	ipctool shm create $n_procin -s 64K
	ipctool shm write $n_procin < /proc/version
	n=$(wc -c < /proc/version)
	[ "$n" -gt 0 ]
	[ "$(ipctool shm read $n_procin -c "$n")" = "$(cat /proc/version)" ]
	t=$(ipctool shm create -s 64K)
	ipctool shm write "$t" < /proc/version
	[ "$(ipctool shm read "$t" -c "$n")" = "$(cat /proc/version)" ]
}

@test "a huge sparse POSIX object: 16 bytes are read and written without a mapping" {
	names huge
	ipctool shm create $n_huge -s 200000G
	[ "$(ipctool shm read $n_huge -c 16 | od -An -tx1 | tr -d ' \n')" = \
	    00000000000000000000000000000000 ]
	ipctool shm write $n_huge -o 150000G 0123456789abcdef
	[ "$(ipctool shm read $n_huge -o 150000G -c 16)" = 0123456789abcdef ]
	[ "$(du -k /dev/shm$n_huge | cut -f1)" -lt 1024 ]
}

@test "stat of a POSIX object needs read permission, as every other stat" {
	names private readable
	need_root
	ipctool shm create $n_private -m 600
	run as_nobody "$IPCTOOL" shm stat $n_private
	assert_failure 5
	ipctool shm create $n_readable -m 644
	run as_nobody "$IPCTOOL" shm stat $n_readable
	assert_success
}

@test "symbolic links and FIFOs planted in /dev/shm are refused, never followed" {
	names fifo link
	need_root
	echo secret > "$TMP/target"
	chmod 600 "$TMP/target"
	ln -s "$TMP/target" /dev/shm$n_link
	run ipctool shm set $n_link --mode 666
	assert_failure 8
	assert_output --partial "not a regular file"
	run ipctool shm set $n_link --owner 65534:65534
	assert_failure 8
	[ "$(stat -c '%a %u %g' "$TMP/target")" = "600 0 0" ]
	run ipctool shm stat $n_link
	assert_failure 8
	run ipctool shm read $n_link
	assert_failure 8
	run ipctool shm write $n_link x
	assert_failure 8
	[ "$(cat "$TMP/target")" = secret ]
	mkfifo /dev/shm$n_fifo
	run timeout 10 "$IPCTOOL" shm stat $n_fifo
	assert_failure 8
	run timeout 10 "$IPCTOOL" shm read $n_fifo
	assert_failure 8
	run timeout 10 "$IPCTOOL" shm set $n_fifo --mode 600
	assert_failure 8
}

@test "set that fails changes nothing: POSIX --mode with --size, System V --mode with --lock" {
	need_feature SHM_LOCK
	names half
	need_root
	ipctool shm create $n_half -s 100 -m 600
	run bash -c 'trap "" XFSZ; ulimit -f 1; "$IPCTOOL" shm set $n_half --mode 640 --owner 65534 --size 10M' 
	assert_failure 6
	[ "$(stat -c '%a %u %s' /dev/shm$n_half)" = "600 0 100" ]
	# as its unprivileged owner, with no memory to lock
	t=$(as_nobody "$IPCTOOL" shm create -s 4K -m 600)
	run as_nobody bash -c 'ulimit -l 0; "$IPCTOOL" shm set "$1" --mode 640 --lock' _ "$t"
	assert_failure 5
	[ "$(shm_field "$(idof "$t")" 3)" = 600 ]
}

@test "attach --remap over ipctool's own memory is refused, not a crash" {
	need_feature SHM_REMAP
	[ -z "${IPCTOOL_VALGRIND:-}" ] ||
	    skip "under valgrind ipctool's image is not where setarch -R puts a PIE"
	names remap
	command -v setarch > /dev/null || skip "needs setarch"
	t=$(ipctool shm create -s 4K)
	ipctool shm create $n_remap -s 4K
	# with no randomization a PIE program's image starts here
	for x in "$t" $n_remap; do
		run setarch -R "$IPCTOOL" shm attach "$x" --address 0x555555554000 --remap
		assert_failure 2
		assert_output --partial "own memory"
	done
}
