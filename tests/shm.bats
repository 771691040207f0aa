#!/usr/bin/env bats
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
	run ipctool shm create 0x1234 -s 3K -m 640
	assert_success
	id=$(idof "$output")
	[ "$(shm_field "$id" 1)" = $((0x1234)) ]
	[ "$(shm_field "$id" 3)" = 640 ]
	[ "$(shm_field "$id" 4)" = 3072 ]
	run ipctool shm create -s 1M private
	assert_success
	[ "$(shm_field "$(idof "$output")" 4)" = 1048576 ]
}

@test "create on an existing key exits 4; --exist-ok opens it unchanged" {
	t=$(ipctool shm create 0x2345 -s 8K --fill 0x41)
	run ipctool shm create 0x2345
	assert_failure 4
	assert_output --partial "already exists"
	run ipctool shm create 0x2345 --exist-ok --fill 0x42
	assert_success
	assert_output "$t"
	[ "$(ipctool shm read "$t" -c 4)" = AAAA ]
	run ipctool shm create 0x2345 --exist-ok -s 4K
	assert_success
	[ "$(shm_field "$(idof "$t")" 4)" = 8192 ]
	run ipctool shm create 0x2345 --exist-ok -s 16K
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
	[ -z "$(awk 'NR > 1' /proc/sysvipc/shm)" ]
}

@test "create -s beyond SHMMAX exits 6 and creates nothing" {
	echo 8192 > /proc/sys/kernel/shmmax || skip "cannot set shmmax"
	run ipctool shm create -s 1M
	echo 18446744073692774399 > /proc/sys/kernel/shmmax
	assert_failure 6
	[ -z "$(awk 'NR > 1' /proc/sysvipc/shm)" ]
}

@test "create --fill sets every byte, System V and POSIX" {
	t=$(ipctool shm create -s 10000 --fill 65)
	[ "$(ipctool shm read "$t" | tr -d A | wc -c)" = 0 ]
	[ "$(ipctool shm read "$t" | wc -c)" = 10000 ]
	ipctool shm create /filled -s 5000 --fill 0x00
	ipctool shm create /filled2 -s 5000 --fill 0xff
	[ "$(ipctool shm read /filled2 | tr -d '\377' | wc -c)" = 0 ]
	cmp <(head -c 5000 /dev/zero) /dev/shm/filled
}

@test "create --manifest appends the new object; --json prints the record" {
	t=$(ipctool shm create --manifest "$TMP/m")
	ipctool shm create /man --manifest "$TMP/m"
	ipctool shm create /man --exist-ok --manifest "$TMP/m"
	run cat "$TMP/m"
	assert_output "shm $t
shm /man"
	run ipctool shm create 0x3456 -s 2K --json
	assert_success
	echo "$output" | $PY -c '
import json, sys
r = json.load(sys.stdin)["segments"][0]
assert r["key"] == "0x00003456", r
assert r["size"] == 2048 and isinstance(r["id"], int), r
assert r["target"] == "id:%d" % r["id"] and r["created"] is True, r'
	run ipctool shm create /x --manifest /nonexistent/dir/m
	assert_failure
	[ ! -e /dev/shm/x ]
}

@test "create --hugetlb and --noreserve" {
	run ipctool shm create --noreserve -s 1M
	assert_success
	run ipctool shm create --hugetlb -s 2M
	# works where huge pages are reserved, else a limit; never half done
	if [ "$status" -ne 0 ]; then
		[ "$status" -eq 6 ] || [ "$status" -eq 5 ]
		[ "$(awk 'NR > 1' /proc/sysvipc/shm | wc -l)" = 1 ]
	fi
	run ipctool shm create /h --hugetlb
	assert_failure 2
}

@test "POSIX create: shm_open + ftruncate, exact mode, exists is 4" {
	(umask 077; ipctool shm create /obj -s 12345 -m 664)
	[ "$(stat -c '%s %a' /dev/shm/obj)" = "12345 664" ]
	run ipctool shm create /obj
	assert_failure 4
	run ipctool shm create /obj --exist-ok -s 99999
	assert_failure 6
	run ipctool shm create /obj --exist-ok -s 100
	assert_success
	assert_output /obj
	[ "$(stat -c %s /dev/shm/obj)" = 12345 ]
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
	make_data "$TMP/d" 200000
	ipctool shm create /rt -s 300K
	for off in 0 3 4096 107200; do
		ipctool shm write /rt -o "$off" < "$TMP/d"
		[ "$(ipctool shm read /rt -o "$off" -c 200000 | sha)" = \
		    "$(sha < "$TMP/d")" ]
		cat "$TMP/d" | ipctool shm write /rt -o "$off"
		[ "$(dd if=/dev/shm/rt bs=1 skip="$off" count=200000 \
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
	run ipctool shm read 0x7777
	assert_failure 3
	run ipctool shm read /nothing
	assert_failure 3
	run ipctool shm write /nothing x
	assert_failure 3
	run ipctool shm stat /nothing
	assert_failure 3
}

@test "permissions as an unprivileged user are 5" {
	rw=$(ipctool shm create -s 4K -m 600 --fill 0x41)
	ro=$(ipctool shm create -s 4K -m 644 --fill 0x42)
	ipctool shm create /priv -m 600
	ipctool shm create /pub -m 644 --fill 0x43
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
	run as_nobody "$IPCTOOL" shm read /priv
	assert_failure 5
	run as_nobody "$IPCTOOL" shm write /pub y
	assert_failure 5
	run as_nobody "$IPCTOOL" shm read /pub -c 1
	assert_output C
	run as_nobody "$IPCTOOL" shm set "$ro" --mode 666
	assert_failure 5
	run as_nobody "$IPCTOOL" shm rm "$ro" /pub
	assert_failure 5
	[ -e /dev/shm/pub ]
	[ -n "$(proc_shm "$(idof "$ro")")" ]
}

# ---- attach ----

@test "attach prints the address and the new attach count" {
	t=$(ipctool shm create)
	run ipctool shm attach "$t"
	assert_success
	assert_output --regexp '^0x[0-9a-f]+ 1$'
	[ "$(shm_field "$(idof "$t")" 7)" = 0 ]
	ipctool shm create /pa
	run ipctool shm attach /pa --rdonly
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
	assert_equal "$rc" 0
	[ "$(shm_field "$id" 7)" = 0 ]
}

@test "a removed segment still attached shows as dest until the last detach" {
	t=$(ipctool shm create 0x4567)
	id=$(idof "$t")
	"$IPCTOOL" shm attach "$t" --hold < /dev/null > /dev/null 3>&- &
	pid=$!
	wait_until 5 '[ "$(shm_field "$id" 7)" = 1 ]'
	ipctool rm "$t"
	run ipctool shm stat "$t" -o STATUS,NATTCH,DEST --export
	assert_success
	assert_output 'STATUS="dest" NATTCH="1" DEST="true"'
	run ipctool shm read 0x4567
	assert_failure 3
	kill -INT "$pid"
	wait "$pid"
	run ipctool shm stat "$t"
	assert_failure 3
}

@test "attach -- CMD stays attached while CMD runs and exits with its status" {
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
	ipctool shm create /pc
	run ipctool shm attach /pc -- sh -c 'grep -c /dev/shm/pc /proc/$PPID/maps'
	assert_success
	assert_output 1
}

@test "attach --address, --rnd, --remap" {
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
	ipctool shm create /pa
	run ipctool shm attach /pa --address 0x300000003000
	assert_success
	assert_output 0x300000003000
}

# ---- stat and set ----

@test "stat shows every attribute, as the kernel has them" {
	t=$(ipctool shm create 0x5678 -s 5000 -m 640)
	id=$(idof "$t")
	ipctool shm attach "$t" > /dev/null
	run ipctool shm stat "$t"
	assert_success
	for col in KEY ID PERMS OWNER UID GID CUID CGID SIZE NATTCH STATUS \
	    CPID LPID ATTACH DETACH CTIME; do
		assert_line --regexp "^$col "
	done
	assert_line --regexp '^KEY +0x00005678$'
	assert_line --regexp '^SIZE +5000$'
	ipctool shm stat "$t" --json | $PY -c '
import json, sys
r = json.load(sys.stdin)["segments"][0]
k = open("/proc/sysvipc/shm").read().split("\n")[1:]
row = [l.split() for l in k if l.split() and l.split()[1] == str(r["id"])][0]
assert r["key"] == "0x00005678" and r["perms"] == "0640", r
assert r["size"] == int(row[3]) and r["cpid"] == int(row[4]), (r, row)
assert r["lpid"] == int(row[5]) and r["nattch"] == int(row[6]), (r, row)
assert r["uid"] == int(row[7]) and r["cgid"] == int(row[10]), (r, row)
assert r["attach"] is not None and r["detach"] is not None, r'
	run ipctool shm stat "$t" -o SIZE --no-headings --raw
	assert_output 5000
	run ipctool shm stat "$t" -o BOGUS
	assert_failure 2
}

@test "POSIX stat shows what fstat gives" {
	ipctool shm create /st -s 777 -m 604
	chown 65534:65534 /dev/shm/st
	run ipctool shm stat /st --export
	assert_success
	assert_output --partial 'NAME="/st" PERMS="0604" OWNER="nobody" GROUP="nogroup" UID="65534"'
	assert_output --partial 'SIZE="777"'
	assert_output --regexp 'MTIME="[0-9]{4}-'
}

@test "set --mode, --owner, --lock/--unlock (System V)" {
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
	ipctool shm create /ps -s 100 --fill 0x7a
	ipctool shm set /ps --mode 640 --owner 65534:65534 --size 4K
	[ "$(stat -c '%a %u %g %s' /dev/shm/ps)" = "640 65534 65534 4096" ]
	[ "$(ipctool shm read /ps -c 100 | tr -d z | wc -c)" = 0 ]
	run ipctool shm set /ps --lock
	assert_failure 2
}

# ---- removal ----

@test "shm rm removes every TARGET, goes on after a failure, exits with the first" {
	a=$(ipctool shm create)
	b=$(ipctool shm create 0x6789)
	ipctool shm create /r1
	run ipctool shm rm "$a" /nope 0x6789 /r1 bad:target
	assert_failure 3
	assert_line --partial "/nope: no such object"
	assert_line --partial "bad:target"
	[ -z "$(proc_shm "$(idof "$a")")" ]
	[ -z "$(proc_shm "$(idof "$b")")" ]
	[ ! -e /dev/shm/r1 ]
	run ipctool shm rm
	assert_failure 2
}

# ---- interop ----

@test "interop: python sysv_ipc reads what ipctool wrote, and the other way" {
	$PY -c 'import sysv_ipc' 2>/dev/null || skip "python3-sysv-ipc missing"
	make_data "$TMP/d" 100000
	t=$(ipctool shm create 0x789a -s 100000)
	ipctool shm write "$t" < "$TMP/d"
	$PY -c '
import sys, sysv_ipc
m = sysv_ipc.SharedMemory(0x789a)
sys.stdout.buffer.write(m.read())' > "$TMP/py"
	cmp "$TMP/d" "$TMP/py"
	make_data "$TMP/e" 50000
	$PY -c '
import sys, sysv_ipc
m = sysv_ipc.SharedMemory(0x89ab, sysv_ipc.IPC_CREX, size=50000)
m.write(open(sys.argv[1], "rb").read())' "$TMP/e"
	[ "$(ipctool shm read 0x89ab | sha)" = "$(sha < "$TMP/e")" ]
}

@test "interop: POSIX objects are the files python maps" {
	make_data "$TMP/d" 70000
	ipctool shm create /io -s 70000
	ipctool shm write /io < "$TMP/d"
	$PY -c '
import mmap, os, sys
fd = os.open("/dev/shm/io", os.O_RDONLY)
m = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
sys.stdout.buffer.write(m[:])' > "$TMP/py"
	cmp "$TMP/d" "$TMP/py"
	$PY -c '
import mmap, os
fd = os.open("/dev/shm/io2", os.O_RDWR | os.O_CREAT, 0o600)
os.ftruncate(fd, 5)
m = mmap.mmap(fd, 5)
m[:] = b"a\0b\0c"'
	[ "$(ipctool shm read /io2 | od -An -tx1 | tr -d ' \n')" = 6100620063 ]
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
	for m in 0400 0000; do
		run as_nobody "$IPCTOOL" shm create -m "$m" --fill 0x41 --json
		assert_success
		[ "$(jq -r '.segments[0].perms' <<<"$output")" = "$m" ]
		run as_nobody "$IPCTOOL" shm create "/p$m" -m "$m" --fill 0x41
		assert_success
		run stat -c %a "/dev/shm/p$m"
		assert_output "$(printf %o $((8#$m)))"
	done
	# the bytes are there, as root sees them
	run sh -c "ipctool shm read /p0400 -c 3"
	assert_output AAA
}

@test "create whose name cannot be printed removes the segment (exit 8)" {
	run sh -c "'$IPCTOOL' shm create > /dev/full"
	assert_failure 8
	run sh -c "'$IPCTOOL' shm create /sf --json > /dev/full"
	assert_failure 8
	[ "$(grep -c . /proc/sysvipc/shm)" -eq 1 ]
	[ ! -e /dev/shm/sf ]
}
