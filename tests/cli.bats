#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The command line as a whole: dispatch, TARGET parsing, exit codes, info,
# key, the man page and the completions.

load helpers

@test "no command is a usage error; --help and --version go to stdout" {
	run ipctool
	assert_failure 2
	run ipctool --help
	assert_success
	assert_line --partial "ipctool sem acquire TARGET"
	assert_line --partial "ipctool info"
	run ipctool --version
	assert_success
	assert_output --regexp '^ipctool [0-9]+\.[0-9]+'
}

@test "unknown commands and verbs are refused with the candidates, never guessed" {
	run ipctool frobnicate
	assert_failure 2
	assert_output --partial "unknown command 'frobnicate'"
	assert_output --partial "sem"
	run ipctool sem acq 0x1
	assert_failure 2
	assert_output --partial "unknown verb 'acq'"
	assert_output --partial "acquire"
	run ipctool sem
	assert_failure 2
	run ipctool --bogus
	assert_failure 2
	run ipctool sem value 0x1 --bogus
	assert_failure 2
	assert_output --partial "unknown option '--bogus'"
	run ipctool sem value 0x1 -q
	assert_failure 2
	assert_output --partial "unknown option '-q'"
}

@test "every verb answers --help on stdout with its usage" {
	for v in create acquire release z value op stat set rm; do
		run ipctool sem "$v" --help
		assert_success
		assert_line --index 0 --partial "usage: ipctool sem $v"
	done
	for c in rm key info; do
		run ipctool "$c" --help
		assert_success
		assert_line --index 0 --partial "usage: ipctool $c"
	done
}

@test "usage errors: missing argument, extra argument, option without value" {
	run ipctool sem value
	assert_failure 2
	assert_output --partial "missing argument"
	run ipctool sem value 0x1 0x2
	assert_failure 2
	assert_output --partial "unexpected argument '0x2'"
	run ipctool sem acquire 0x1 -d
	assert_failure 2
	assert_output --partial "needs a value"
	# one line of error, one line pointing at --help
	run ipctool sem value 0x1 0x2
	[ "${#lines[@]}" -eq 2 ]
}

@test "keys: 0 in any spelling is refused; the range is exact" {
	for k in 0 0x0 0x00000000 00; do
		run ipctool sem create "$k"
		assert_failure 2
	done
	run ipctool sem create 4294967296
	assert_failure 2
	run ipctool sem create 0x100000000
	assert_failure 2
	run ipctool sem create -- -2147483649
	assert_failure 2
	run ipctool sem create 0755
	assert_failure 2
	assert_output --partial "leading zero"
	for k in 0x1g 12a "" " 12" 1.5 +12 0x; do
		run ipctool sem create "$k"
		assert_failure 2
	done
	if [ -n "${IPCTOOL_IN_NS:-}" ]; then
		[ "$(grep -c . /proc/sysvipc/sem)" -eq 1 ]
	else
		[ "$(owned_ipc)" = "$IPC_BEFORE" ]
	fi
}

@test "keys: -1, 0xffffffff and 4294967295 are one key; -2147483648 is 0x80000000" {
	need_ns
	run ipctool sem create -- -1
	assert_success
	id=${output#id:}
	run ipctool sem create 0xffffffff
	assert_failure 4
	run ipctool sem create 4294967295
	assert_failure 4
	run ipctool sem stat -o KEY --raw --no-headings -- -1
	assert_output 0xffffffff
	ipctool sem create -- -2147483648
	run ipctool sem stat 0x80000000 -o KEY --raw --no-headings
	assert_output 0x80000000
	run ipctool sem stat 2147483648 -o ID --raw --no-headings
	assert_success
}

@test "id:N, path:FILE[:PROJ], /NAME and private are checked strictly" {
	for t in id: id:x id:-1 id:01 id:99999999999 path: path:/etc/passwd:0 \
	    path:/etc/passwd:256 / /a/b // /. /.. private; do
		run ipctool sem value "$t"
		assert_failure 2
	done
	run ipctool sem value path:/nonexistent/file
	assert_failure 3
	run ipctool sem create path:/nonexistent/file
	assert_failure 3
	run ipctool sem create id:3
	assert_failure 2
	run ipctool sem value id:12345
	assert_failure 3
	run ipctool sem value 0x7fff0000
	assert_failure 3
}

@test "path:FILE:PROJ is the key ftok makes, as ipctool key and Python print it" {
	touch "$TMP/f"
	k=$(ipctool key "$TMP/f" 7)
	py=$(/usr/bin/python3 -c 'import sys, sysv_ipc; print("0x%08x" % (sysv_ipc.ftok(sys.argv[1], 7, True) & 0xffffffff))' "$TMP/f")
	[ "$k" = "$py" ]
	id=$(ipctool sem create "path:$TMP/f:7")
	run ipctool sem stat "$id" -o KEY --raw --no-headings
	assert_output "$k"
	[ "$(ipctool key "$TMP/f")" = "$(ipctool key "$TMP/f" 1)" ]
	run ipctool key "$TMP/f" 0
	assert_failure 2
	run ipctool key "$TMP/f" 256
	assert_failure 2
	run ipctool key "$TMP/missing"
	assert_failure 3
}

@test "numbers are parsed strictly" {
	keys 0x10
	ipctool sem create $k10 -v 1
	for v in 1x x 0x1 1e3 "" " 1" 99999999999999999999; do
		run ipctool sem release $k10 -d "$v"
		assert_failure 2
	done
	for t in 1.2.3 .  -1 1e3 abc 1.0000000001; do
		run ipctool sem acquire $k10 -t "$t"
		assert_failure 2
	done
	run ipctool sem value $k10
	assert_output 1
}

@test "a failed write to stdout is an error, not exit 0" {
	run sh -c "'$IPCTOOL' key /etc/passwd > /dev/full"
	assert_failure 8
	assert_output --partial "write error"
	run sh -c "'$IPCTOOL' info > /dev/full"
	assert_failure 8
}

@test "--help goes through the same stdout check: > /dev/full fails" {
	for cmd in "" "sem" "list" "sem create" "rm"; do
		# shellcheck disable=SC2086
		run sh -c "'$IPCTOOL' $cmd --help > /dev/full"
		assert_failure 8
		assert_output --partial "write error on stdout"
	done
	run sh -c "'$IPCTOOL' --version > /dev/full"
	assert_failure 8
	run sh -c "'$IPCTOOL' --help > /dev/null"
	assert_success
}

@test "list --sysv --posix is a usage error, as the synopsis has it" {
	run ipctool list --sysv --posix
	assert_failure 2
	assert_line --index 0 --partial "--sysv and --posix cannot be used together"
	run ipctool rm --all --sysv --posix --dry-run
	assert_failure 2
}

@test "info shows the feature line and the kernel's limits" {
	run ipctool info
	assert_success
	assert_line --regexp '^FEATURES: .*[+-]SEMTIMEDOP '
	assert_output --regexp '[+-]MSG_COPY( |$)'
	read -r msl mns opm mni < /proc/sys/kernel/sem
	assert_line --regexp "^SEMMNI +$mni "
	run ipctool info -o RESOURCE,DESCRIPTION,LIMIT
	assert_line --regexp "^SEMMNI +Number of semaphore identifiers +$mni\$"
	run ipctool info
	assert_line --regexp "^SEMMSL .* $msl "
	assert_line --regexp "^MSGMNI .* $(cat /proc/sys/kernel/msgmni) "
	assert_line --regexp "^MQ_MSG_MAX .* $(cat /proc/sys/fs/mqueue/msg_max) "
	assert_line --regexp "^PAGE_SIZE .* $(getconf PAGESIZE) "
}

@test "info and every --help fit 80 columns" {
	wide() { awk -v w="$1" 'length > 80 { print w ": " length ": " $0 }'; }
	{
		ipctool info | wide info
		ipctool --help | wide --help
		for c in $(ipctool __complete "" | cut -f1); do
			ipctool "$c" --help | wide "$c"
		done
		for o in sem shm mq; do
			for v in $(ipctool __complete "$o" "" | cut -f1); do
				ipctool "$o" "$v" --help | wide "$o $v"
			done
		done
	} > "$TMP/wide"
	run cat "$TMP/wide"
	assert_output ""
	# and the table was looked at at all
	[ "$(ipctool info | wc -l)" -gt 20 ]
}

@test "info --json is one valid document whose counts follow the kernel" {
	need_ns
	ipctool sem create -n 3 >/dev/null
	ipctool sem create -n 2 >/dev/null
	ipctool info --json > "$TMP/j"
	run jq -r '.limits[] | select(.resource == "SEMMNI") | .used' "$TMP/j"
	assert_output 2
	run jq -r '.limits[] | select(.resource == "SEMMNS") | .used' "$TMP/j"
	assert_output 5
	run jq -r '.features[] | select(.feature == "SEMTIMEDOP") | .available | type' "$TMP/j"
	assert_output boolean
	run jq -r '.limits[] | select(.resource == "MSGMAX") | .used' "$TMP/j"
	assert_output null
}

@test "--ns joins another IPC namespace; without privilege it exits 5" {
	need_feature SETNS
	need_ns
	unshare --ipc sh -c "'$IPCTOOL' sem create 0x4e53 >/dev/null; exec sleep 30" &
	pid=$!
	wait_for 5 test -e "/proc/$pid/ns/ipc"
	wait_for 5 sh -c "[ \"\$(readlink /proc/$pid/ns/ipc)\" != \"\$(readlink /proc/self/ns/ipc)\" ]"
	# the sleep replaced the shell: the namespace is the sleep's
	wait_for 5 sh -c "'$IPCTOOL' --ns $pid sem value 0x4e53 >/dev/null"
	run ipctool sem value 0x4e53
	assert_failure 3
	run ipctool --ns "/proc/$pid/ns/ipc" sem value 0x4e53
	assert_success
	assert_output 0
	run as_nobody "$IPCTOOL" --ns "$pid" sem value 0x4e53
	assert_failure 5
	run ipctool --ns 999999999 sem value 0x4e53
	assert_failure 3
	run ipctool --ns abc sem value 0x4e53
	assert_failure 2
	kill "$pid"
}

@test "the man page is lint-clean and names every command and verb" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	run sh -c "mandoc -Tlint '$TOP_SRCDIR/man/ipctool.1' 2>&1 | grep -v 'mandoc.db'"
	assert_output ""
	"$IPCTOOL" --help | awk '$1 == "ipctool" && $2 ~ /^[a-z]/ {print $2 ($3 ~ /^[a-z]+$/ ? " " $3 : "")}' |
	    sort -u > "$TMP/cmds"
	[ "$(wc -l < "$TMP/cmds")" -ge 12 ]
	while read -r w; do
		grep -q "^\.Cm $w\b\|^\.It Cm $w\b" "$TOP_SRCDIR/man/ipctool.1" ||
			fail "man page lacks '$w'"
	done < "$TMP/cmds"
}

@test "bash, zsh and fish completions offer every command and verb" {
	# the files hold no word of their own now (they ask ipctool
	# __complete): each shell is asked for every command and verb; zsh
	# is driven under compinit for every verb by tests/table.bats
	"$IPCTOOL" --help | awk '$1 == "ipctool" && $2 ~ /^[a-z]/ {print $2 ($3 ~ /^[a-z]+$/ ? " " $3 : "")}' |
	    sort -u > "$TMP/cmds"
	[ "$(wc -l < "$TMP/cmds")" -ge 12 ]
	while read -r c v; do
		run bash -c 'source "$1"; shift; COMP_WORDS=(ipctool "$@")
			COMP_CWORD=$#; _ipctool; printf "%s\n" "${COMPREPLY[@]}"' \
		    bash "$TOP_SRCDIR/completions/ipctool" ${v:+"$c"} ""
		assert_line "${v:-$c}"
		command -v fish >/dev/null || continue
		run fish -c "source '$TOP_SRCDIR/completions/ipctool.fish'
			complete -C 'ipctool ${v:+$c }'"
		assert_line --regexp "^${v:-$c}(\s|\$)"
	done < "$TMP/cmds"
	# bash: run the completion function itself
	run bash -c "source '$TOP_SRCDIR/completions/ipctool'
		COMP_WORDS=(ipctool sem ac); COMP_CWORD=2; _ipctool; echo \"\${COMPREPLY[*]}\"
		COMP_WORDS=(ipctool sem acquire --no); COMP_CWORD=3; _ipctool; echo \"\${COMPREPLY[*]}\""
	assert_line acquire
	assert_line -- --nowait
}

@test "zsh and fish completions parse" {
	command -v zsh >/dev/null || skip "zsh not installed"
	command -v fish >/dev/null || skip "fish not installed"
	zsh -n "$TOP_SRCDIR/completions/_ipctool"
	fish -n "$TOP_SRCDIR/completions/ipctool.fish"
	# fish: the completion for "ipctool sem " lists the verbs
	run fish -c "source '$TOP_SRCDIR/completions/ipctool.fish'; complete -C 'ipctool sem '"
	assert_line --regexp '^acquire'
	assert_line --regexp '^release'
}

@test "bash completion offers live ids and POSIX names" {
	need_ns
	id=$(ipctool sem create)
	ipctool sem create /compl >/dev/null
	run bash -c "source '$TOP_SRCDIR/completions/ipctool'
		COMP_WORDS=(ipctool sem value ''); COMP_CWORD=3; _ipctool; printf '%s\n' \"\${COMPREPLY[@]}\""
	assert_line "$id"
	assert_line /compl
}

@test "global option errors are one line, not prefixed twice" {
	run ipctool --bogus
	assert_failure 2
	assert_line --index 0 "ipctool: unknown option '--bogus'"
	run ipctool --ns
	assert_failure 2
	assert_line --index 0 "ipctool: option '--ns' needs a value"
	run ipctool sem acquire 0x1 --undo=1
	assert_failure 2
	assert_line --index 0 --partial "'--undo=1' takes no value"
}

@test "POSIX names with control characters are refused, in one line of error" {
	run ipctool sem create $'/nl\nx'
	assert_failure 2
	[ "${#lines[@]}" -eq 2 ]
	assert_line --index 0 --partial "control characters"
	run ipctool shm create $'/t\tx'
	assert_failure 2
}

@test "MODE is 0..0777 for every family, on create and on set --mode (exit 2 beyond)" {
	need_ns
	for fam in sem shm mq; do
		for m in 4700 2700 1700 7777 1000; do
			run ipctool "$fam" create -m "$m"
			assert_failure 2
			assert_line --index 0 --partial "out of range (0..0777"
			run ipctool "$fam" create "/m$fam" -m "$m"
			assert_failure 2
		done
		t=$(ipctool "$fam" create -m 0640)
		run ipctool "$fam" set "$t" --mode 4755
		assert_failure 2
		run ipctool "$fam" set "$t" --mode 0777
		assert_success
		run ipctool "$fam" stat "$t" --raw -o PERMS --no-headings
		assert_output --regexp "(0777|rwxrwxrwx)"
	done
	# nothing was created by the refused ones: one object per family
	[ "$(ipctool list --raw -o KIND --no-headings | wc -l)" -eq 3 ]
}

@test "path:FILE:PROJ with a PROJ that looks like a number outside 1..255 is 2" {
	touch "$TMP/f"
	for p in -1 0 256 +256 99999999999999999999; do
		run ipctool sem value "path:$TMP/f:$p"
		assert_failure 2
		assert_line --index 0 --partial "PROJ out of range"
	done
	# a name part that is not a number still belongs to the file name
	touch "$TMP/g:x"
	run ipctool key "$TMP/g:x"
	key=$output
	ipctool sem create "path:$TMP/g:x" >/dev/null
	run ipctool sem stat "path:$TMP/g:x" --raw -o KEY --no-headings
	assert_output "$key"
	ipctool sem rm "path:$TMP/g:x"
}

# stdout on a pipe whose reader is gone, then exec
closed_pipe() {
	python3 -c 'import os, sys
r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

@test "a create that fails afterwards leaves no object: SIGXFSZ, SIGPIPE" {
	need_ns
	for kind in sem shm mq; do
		# under make check-valgrind, memcheck itself dies of SIGXFSZ
		# writing its log past ulimit -f 0: only the SIGPIPE half runs
		if [ -z "${IPCTOOL_VALGRIND:-}" ]; then
			run bash -c "ulimit -f 0; exec '$IPCTOOL' $kind create /fs$kind --manifest '$TMP/m'"
			assert_failure 6
			run bash -c "ulimit -f 0; exec '$IPCTOOL' $kind create --manifest '$TMP/m'"
			assert_failure 6
			assert_output --partial "File too large"
			run bash -c "ulimit -f 0; exec '$IPCTOOL' $kind create 0x5$((RANDOM % 9 + 1)) > '$TMP/out'"
			assert_failure
			[ "$status" -lt 128 ]
		fi
		run closed_pipe "$IPCTOOL" $kind create /pipe$kind
		assert_failure 8
		assert_output --partial "removed again"
		run closed_pipe "$IPCTOOL" $kind create --json
		assert_failure 8
	done
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
	[ "$(cat /proc/sysvipc/sem /proc/sysvipc/shm /proc/sysvipc/msg | grep -vc '^ *key')" = 0 ]
}

@test "a create whose --manifest FIFO blocks, then SIGTERM: no object left" {
	need_ns
	mkfifo "$TMP/fifo"
	for kind in sem shm mq; do
		"$IPCTOOL" $kind create /ff --manifest "$TMP/fifo" 3>&- &
		pid=$!
		# bounded: until it blocks opening the FIFO
		wait_until 10 "grep -q wait_for_partner /proc/$pid/wchan 2>/dev/null"
		kill -TERM "$pid"
		rc=0
		wait "$pid" || rc=$?
		[ "$rc" = 143 ]
	done
	[ -z "$(ls -A /dev/shm)$(ls -A /dev/mqueue)" ]
}

@test "every source, script, test, man and build file carries the ISC SPDX line" {
	run sh "$TOP_SRCDIR/build-aux/check-spdx" "$TOP_SRCDIR"
	assert_success
	assert_output ""
}

@test "what configure found missing exits 2: \"not supported on this system: NAME\"" {
	need_ns
	feats=" $(features | tr '\n' ' ') "
	missing() { [[ $feats == *" -$1 "* ]]; }
	missing SEM_TIMEDWAIT || missing MQ_TIMEDRECEIVE || missing MQ_NOTIFY ||
	    missing MQ_TIMEDSEND || missing SETNS || missing SHM_HUGETLB ||
	    missing SHM_NORESERVE || missing SHM_RND || missing SHM_REMAP ||
	    missing SHM_LOCK || missing MSG_EXCEPT || missing MSG_COPY ||
	    skip "none of these is missing here (build-aux/variant-off builds without)"
	ipctool sem create /nf -v 0 >/dev/null
	ipctool mq create /nfq >/dev/null
	ipctool shm create 0x4e47 >/dev/null
	ipctool mq create 0x4e48 >/dev/null
	ipctool mq send 0x4e48 -T 2 m
	before=$(snap)
	for f in NORESERVE:"shm create 0x4e46 --noreserve" \
	    RND:"shm attach 0x4e47 --address 0x7f0000000000 --rnd -- true" \
	    REMAP:"shm attach 0x4e47 --address 0x7f0000000000 --remap -- true" \
	    LOCK:"shm set 0x4e47 --lock" LOCK:"shm set 0x4e47 --unlock" \
	    LOCK:"shm set 0x4e47 --mode 0640 --lock"; do
		missing "SHM_${f%%:*}" || continue
		set -f
		# shellcheck disable=SC2086
		run ipctool ${f#*:}
		set +f
		assert_failure 2
		assert_line --index 0 --regexp "^ipctool: shm [a-z]+: --[a-z]+: not supported on this system: SHM_${f%%:*}\$"
	done
	if missing MSG_EXCEPT; then
		run ipctool mq receive 0x4e48 --except -T 1
		assert_failure 2
		assert_line --index 0 "ipctool: mq receive: --except: not supported on this system: MSG_EXCEPT"
	fi
	if missing MSG_COPY; then
		run ipctool mq receive 0x4e48 --peek
		assert_failure 2
		assert_line --index 0 "ipctool: mq receive: --peek: not supported on this system: MSG_COPY"
	fi
	if missing SEM_TIMEDWAIT && missing SEM_CLOCKWAIT; then
		run ipctool sem acquire /nf -t 0.1
		assert_failure 2
		assert_output "ipctool: sem acquire: /nf: not supported on this system: SEM_TIMEDWAIT"
	fi
	if missing SEM_TIMEDWAIT && missing SEM_CLOCKWAIT; then
		# found before --create makes anything (snap below)
		run ipctool sem acquire /nfnew --create -t 0.1
		assert_failure 2
		assert_output "ipctool: sem acquire: /nfnew: not supported on this system: SEM_TIMEDWAIT"
	fi
	if missing MQ_TIMEDRECEIVE; then
		run ipctool mq receive /nfq -t 0.1
		assert_failure 2
		assert_output "ipctool: mq receive: /nfq: not supported on this system: MQ_TIMEDRECEIVE"
		run ipctool mq receive /nfnew --create -t 0.1
		assert_failure 2
		assert_output "ipctool: mq receive: /nfnew: not supported on this system: MQ_TIMEDRECEIVE"
	fi
	if missing MQ_TIMEDSEND; then
		run ipctool mq send /nfq -t 0.1 x
		assert_failure 2
		assert_output "ipctool: mq send: /nfq: not supported on this system: MQ_TIMEDSEND"
		run ipctool mq send /nfnew --create -t 0.1 x
		assert_failure 2
		assert_output "ipctool: mq send: /nfnew: not supported on this system: MQ_TIMEDSEND"
	fi
	if missing MQ_NOTIFY; then
		run ipctool mq notify /nfq -t 0.1
		assert_failure 2
		assert_output "ipctool: mq notify: /nfq: not supported on this system: MQ_NOTIFY"
	fi
	if missing SETNS; then
		run ipctool --ns $$ list
		assert_failure 2
		assert_output --partial "not supported on this system: SETNS"
	fi
	if missing SHM_HUGETLB; then
		run ipctool shm create 0x4e46 --hugetlb
		assert_failure 2
		assert_line --index 0 "ipctool: shm create: --hugetlb: not supported on this system: SHM_HUGETLB"
	fi
	[ "$(snap)" = "$before" ]
}

@test "--nowait needs no timed call: POSIX send, receive, notify and acquire try once" {
	# the same in every build: a try is the descriptor made O_NONBLOCK,
	# sem_trywait, a look at mq_curmsgs (variant-off has no timed call)
	names q s
	ipctool mq create "$n_q" --max-messages 1 >/dev/null
	ipctool sem create "$n_s" -v 1 >/dev/null
	run ipctool mq notify "$n_q" --nowait
	assert_failure 1
	run ipctool mq send "$n_q" --nowait one
	assert_success
	run ipctool mq send "$n_q" --nowait two
	assert_failure 1
	run ipctool mq notify "$n_q" --nowait
	assert_success
	run ipctool mq receive "$n_q" --nowait
	assert_success
	assert_output one
	run ipctool mq receive "$n_q" --nowait
	assert_failure 1
	# --verbose tries, then waits: the descriptor blocks again after a try
	timeout 20 "$IPCTOOL" mq receive "$n_q" --verbose >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	wait_until 10 'grep -q "^ipctool: mq receive: waiting for" "$TMP/err"'
	ipctool mq send "$n_q" three
	wait "$pid"
	[ "$(cat "$TMP/out")" = three ]
	run ipctool sem acquire "$n_s" --nowait
	assert_success
	run ipctool sem acquire "$n_s" --nowait
	assert_failure 1
	run ipctool sem value "$n_s"
	assert_output 0
	ipctool mq rm "$n_q"
	ipctool sem rm "$n_s"
}
