#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# What people read (issue 10, "the comparison with util-linux"): tables
# that fit 80 columns, times and PERMS as ls and lsipc show them, --human
# rounded as lsipc, KIND in mixed streams, lsipc's column sets and
# detail view, the creator of POSIX objects.  Compared with util-linux's
# lsipc and ipcs where they show the same thing.

load helpers

mkid() { "$@" | awk '{print $NF}'; }

# wide: a line of the output longer than 80 columns, or none
wide() { awk 'length > 80 { print length ": " $0; bad = 1 } END { exit bad }'; }

# objects of all six kinds, some with long values
populate() {
	ipcmk -S 250 -p 0640 >/dev/null
	ipcmk -M 1073741824 >/dev/null
	q=$(mkid ipcmk -Q)
	ipctool mq send "id:$q" "hello" >/dev/null
	ipctool sem create /a-semaphore-name >/dev/null
	ipctool shm create -s 1048575 /a-shared-memory-name >/dev/null
	ipctool mq create /a-queue-name >/dev/null
}

@test "view: every default table of list and stat fits 80 columns" {
	need_ns
	populate
	m=$(ipcs -m | awk '$1 ~ /^0x/ { print $2; exit }')
	touch -d '2020-01-01 10:00' /dev/shm/a-shared-memory-name
	export COLUMNS=80
	run ipctool list
	assert_success
	wide <<<"$output"
	for f in "" --sysv --posix --shm --sem --mq "--shm --sysv"; do
		# shellcheck disable=SC2086
		ipctool list $f | wide || fail "list $f is wider than 80"
	done
	ipctool shm stat "id:$m" | wide
	ipctool sem stat /a-semaphore-name | wide
	ipctool mq stat /a-queue-name | wide
	ipctool mq stat "id:$q" | wide
	# the widest line of a System V table was 87 with ISO times
	run ipctool list --time-format=iso --shm --sysv
	assert_output --regexp "T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
}

@test "view: tables show times as ls does, --time-format=iso, --raw and --json in full" {
	need_ns
	ipctool shm create -s 16 /today >/dev/null
	ipctool shm create -s 16 /old >/dev/null
	ipctool shm create -s 16 /thisyear >/dev/null
	touch -d '2020-03-04 05:06:07' /dev/shm/old
	now=$(date +%s)
	if [ "$(date +%j)" = 001 ]; then
		day=$(date -d @$((now + 86400)) +%F)
	else
		day=$(date -d @$((now - 86400)) +%F)
	fi
	touch -d "$day 10:00" /dev/shm/thisyear
	t=$(stat -c %Y /dev/shm/today)
	run ipctool list --posix --shm -o NAME,MTIME --no-headings
	assert_success
	assert_line --regexp "^/today +$(date -d @"$t" +%H:%M)$"
	assert_line --regexp "^/old +2020-03-04$"
	assert_line --regexp "^/thisyear +$(LC_ALL=C date -d "$day" '+%b %e')$"
	run ipctool list --posix --shm -o NAME,MTIME --no-headings --time-format=iso
	assert_line --regexp "^/old +2020-03-04T05:06:07[+-][0-9]{2}:[0-9]{2}$"
	[ "$(awk '$1 == "/today" { print $2 }' <<<"$output")" = "$(date -d @"$t" +%FT%T%:z)" ]
	run ipctool list --posix --shm -o NAME,MTIME --raw --no-headings
	assert_line --regexp "^/old 2020-03-04T05:06:07[+-][0-9]{2}:[0-9]{2}$"
	run ipctool list --posix --shm -o NAME,MTIME --json
	jq -e '[.posix_sharedmemory[].mtime | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$")] | all' <<<"$output"
	# a one-object view keeps the full time
	run ipctool shm stat /old -o MTIME
	assert_output --regexp "^MTIME +2020-03-04T05:06:07[+-][0-9]{2}:[0-9]{2}$"
	run ipctool list --time-format=long
	assert_failure 2
	assert_output --partial "--time-format: 'long' is not short or iso"
}

@test "view: PERMS as lsipc shows them, --numeric-perms and the machine formats in octal" {
	need_ns
	ipcmk -M 4096 -p 0640 >/dev/null
	ipcmk -S 1 -p 0604 >/dev/null
	ipcmk -Q -p 0660 >/dev/null
	for k in shm:m sem:s mq:q; do
		ours=$(ipctool list --sysv "--${k%:*}" -o PERMS --no-headings)
		theirs=$(lsipc "-${k#*:}" -o PERMS --noheadings)
		[ "$ours" = "$(echo "$theirs" | sed 's/^ *//; s/ *$//')" ] ||
			fail "$k: '$ours' is not lsipc's '$theirs'"
	done
	[ "$(ipctool list --shm --sysv -o PERMS --no-headings)" = rw-r----- ]
	[ "$(ipctool list --shm --sysv -o PERMS --no-headings --numeric-perms)" = 0640 ]
	[ "$(ipctool list --shm --sysv -o PERMS --raw --no-headings)" = 0640 ]
	run ipctool list --shm --sysv --json
	jq -e '.sharedmemory[0].perms == "0640"' <<<"$output"
	run ipctool sem stat "id:$(ipcs -s | awk '$1 ~ /^0x/ { print $2; exit }')"
	assert_line --regexp "^PERMS +rw----r--$"
	run ipctool sem stat "id:$(ipcs -s | awk '$1 ~ /^0x/ { print $2; exit }')" --numeric-perms
	assert_line --regexp "^PERMS +0604$"
}

@test "view: --human rounds as lsipc does and never humanises a count" {
	need_ns
	for s in 1600 1048575 1048576 1536 5000000 1023 1100 1; do
		ipcmk -M "$s" >/dev/null
	done
	ours=$(ipctool list --shm --sysv -o SIZE --no-headings --human | tr -d ' ')
	theirs=$(lsipc -m -o SIZE --noheadings | tr -d ' ')
	[ "$ours" = "$theirs" ] || fail "ours: $(echo $ours), lsipc: $(echo $theirs)"
	[ "$(echo $ours)" = "1.6K 1024K 1M 1.5K 4.8M 1023B 1.1K 1B" ]
	# bytes only; the JSON keeps numbers
	run ipctool list --shm --sysv -o SIZE --json --human
	jq -e '[.sharedmemory[].size] | index(1048575) != null' <<<"$output"
	run ipctool info --human -o RESOURCE,LIMIT,UNIT --no-headings
	assert_line --regexp "^SEMOPM +$(awk '{ print $3 }' /proc/sys/kernel/sem) +-$"
	assert_line --regexp "^SEMMNI +$(awk '{ print $4 }' /proc/sys/kernel/sem) +-$"
	assert_line --regexp "^SHMALL +$(cat /proc/sys/kernel/shmall) +pages$"
	for r in SHMMAX MSGMAX SEMOPM SEMMNI MSGMNI; do
		ours=$(ipctool info --human -o RESOURCE,LIMIT --no-headings |
		    awk -v r="$r" '$1 == r { print $2 }')
		theirs=$(lsipc -g -o RESOURCE,LIMIT --noheadings |
		    awk -v r="$r" '$1 == r { print $2 }')
		[ "$ours" = "$theirs" ] || fail "$r: ours $ours, lsipc $theirs"
	done
}

@test "view: --no-headings and --raw with several kinds: KIND first, one block a kind" {
	need_ns
	ipcmk -S 1 >/dev/null
	ipcmk -M 4096 >/dev/null
	ipcmk -Q >/dev/null
	ipctool sem create /ps >/dev/null
	ipctool shm create -s 8 /pm >/dev/null
	ipctool mq create /pq >/dev/null
	for f in --no-headings --raw "--raw --no-headings" --export; do
		# shellcheck disable=SC2086
		run ipctool list $f
		assert_success
		[ "${#lines[@]}" -eq 6 ] || fail "list $f: ${#lines[@]} lines"
		# shellcheck disable=SC2086
		kinds=$(ipctool list $f | sed 's/^KIND="\([a-z]*\)".*/\1/' |
		    awk '{ print $1 }' | tr '\n' ' ')
		[ "$kinds" = "sem shm mq sem shm mq " ] || fail "list $f: $kinds"
	done
	run ipctool list --no-headings
	assert_line --index 0 --regexp "^sem +0x[0-9a-f]{8} +[0-9]+ rw-r--r-- "
	assert_line --index 3 --regexp "^sem +/ps +rw------- "
	# one kind: no KIND; explicit columns: exactly those
	run ipctool list --no-headings --shm --sysv
	assert_line --index 0 --regexp "^0x[0-9a-f]{8} "
	run ipctool list --no-headings -o ID
	[ "${#lines[@]}" -eq 6 ]
	refute_output --regexp "[a-z]"
	assert_line --index 5 "-"
	run ipctool list --no-headings -o +CUID
	assert_line --index 5 --regexp "^mq +/pq +rw-------"
	# with headings, the titled tables stay as they were
	run ipctool list
	refute_line --regexp "^KIND"
}

@test "view: lsipc's -t, -c, --newline, -i ID and a one-object --id" {
	need_ns
	s=$(mkid ipcmk -S 1)
	m=$(mkid ipcmk -M 4096)
	m2=$(mkid ipcmk -M 8192)
	ipctool shm create -s 8 /pm >/dev/null
	run ipctool list -t
	assert_success
	assert_line --regexp "^KEY +ID OTIME +CTIME$"
	assert_line --regexp "^KEY +ID ATTACH +DETACH +CTIME$"
	assert_line --regexp "^NAME +MTIME +CTIME$"
	run ipctool list --time --shm --sysv --no-headings -o +SIZE
	assert_line --regexp "^0x[0-9a-f]{8} +$m +- +- +[0-9:]{5} +4096$"
	run ipctool list -c --shm
	assert_line --regexp "^KEY +ID PERMS +CUID CUSER CGID CGROUP +UID USER +GID GROUP +CPID LPID$"
	assert_line --regexp "^NAME +PERMS +CUID CUSER CGID CGROUP +UID USER +GID GROUP$"
	run ipctool list --creator-columns -t --sem --sysv --no-headings
	assert_line --regexp "^0x[0-9a-f]{8} +$s rw-r--r-- +0 root +0 root +0 root +0 root +- +[0-9:]{5}$"
	# the filter keeps its meaning
	run ipctool list --creator root --sem --sysv -o ID --no-headings
	assert_output "$s"
	# --id: a filter, System V only
	run ipctool list --id "$m2" --no-headings -o KIND,ID,SIZE
	assert_output --regexp "^shm +$m2 +8192$"
	run ipctool list --id 99999
	assert_success
	assert_output ""
	run ipctool list --id "$m" --posix
	assert_failure 2
	run ipctool list --id x
	assert_failure 2
	# -i: the detail view, as lsipc -i
	run ipctool list -i "$m2" --shm
	assert_success
	assert_line --regexp "^ID +$m2$"
	assert_line --regexp "^SIZE +8192$"
	assert_line --regexp "^CTIME +[0-9]{4}-[0-9]{2}-[0-9]{2}T"
	assert_line --regexp "^PERMS +rw-r--r--$"
	[ "$(lsipc -m -i "$m2" | awk '$1 == "Permissions:" { print $2 }')" = rw-r--r-- ]
	[ "$(lsipc -m -i "$m2" | awk '$1 " " $2 == "Segment size:" { print $3 }')" = 8K ]
	[ "$(ipctool list -i "$m2" --shm --human | awk '$1 == "SIZE" { print $2 }')" = 8K ]
	run ipctool list -i 99999
	assert_failure 3
	assert_output "ipctool: list: id:99999: no such object"
	# --newline: every record, a blank line apart
	run ipctool list --newline --shm --sysv
	assert_success
	[ "$(grep -c '^KEY ' <<<"$output")" -eq 2 ]
	[ "$(grep -c '^$' <<<"$output")" -eq 1 ]
}

@test "view: the creator of a POSIX object is its file's owner, as lsipc shows" {
	need_ns
	ipctool sem create /cs >/dev/null
	ipctool shm create -s 8 /cm >/dev/null
	ipctool mq create /cq >/dev/null
	chown nobody:nogroup /dev/shm/cm
	run ipctool list --posix -o NAME,CUID,CUSER,CGID,CGROUP --no-headings
	assert_success
	assert_line --regexp "^/cm +65534 nobody +65534 nogroup$"
	assert_line --regexp "^/cs +0 root +0 root$"
	assert_line --regexp "^/cq +0 root +0 root$"
	run ipctool list --posix --json -o NAME,CUID,CGID,CUSER
	jq -e '[.posix_sharedmemory[0].cuid, .posix_sharedmemory[0].cgid] == [65534, 65534]
	    and .posix_sharedmemory[0].cuser == "nobody"
	    and .posix_semaphores[0].cuid == 0 and .posix_messages[0].cgid == 0' <<<"$output"
	# what --creator matches is what is shown
	run ipctool list --posix --creator nobody -o NAME --no-headings
	assert_output "/cm"
}

# ---- list --watch (issue 10, "Live view") ----

# tmux on a private server (TMSOCK): tm ARGS...; the pane as text, and
# with its colours (SGR sequences)
tm() { tmux -L "$TMSOCK" -f /dev/null "$@"; }
pane() { tm capture-pane -p; }
pane_e() { tm capture-pane -p -e; }
# watch_start ARGS...: ipctool list ARGS in a 120x40 terminal, the
# terminal's settings before and after it in $TMP/before, $TMP/after,
# its exit status in $TMP/rc
watch_start() {
	command -v tmux >/dev/null || skip "needs tmux"
	TMSOCK=ipctool-view-$$-$RANDOM
	tm new-session -d -x 120 -y 40 \
	    "stty -g > '$TMP/before'; $WATCH_ENV '$IPCTOOL' list $*; echo \"rc=\$?\" > '$TMP/rc'; stty -g > '$TMP/after'; sleep 60"
	wait_until 30 'pane | grep -q "^Every .*(q quits, space redraws)$"'
}
# the row of key K on the screen: its fields (no colours)
row() { pane | awk -v k="$1" '$1 == k || $2 == k'; }
watch_end() {
	wait_until 30 '[ -s "$TMP/rc" ] && [ -s "$TMP/after" ]'
	[ "$(cat "$TMP/rc")" = "rc=0" ]
	# the terminal is as it was: canonical, echoing, out of the
	# alternate screen
	cmp "$TMP/before" "$TMP/after"
	! pane | grep -q "^Every"
}

teardown() {
	kill_children ${WPID:-}
	[ -z "${TMSOCK:-}" ] || tm kill-server 2>/dev/null || true
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

# coloured SGR TEXT: a line of the screen starts with TEXT in colour SGR
coloured() { pane_e | grep -q "^"$'\e'"\[$1m$2 "; }
# has_row FILE AWK-CONDITION: a line of FILE meets it
has_row() { awk "$2 { ok = 1 } END { exit !ok }" "$1"; }

@test "watch: one process redraws in a terminal, rows marked in colour, queue rates, q restores the terminal" {
	need_ns
	WATCH_ENV="env -u NO_COLOR" watch_start --watch=60
	# non-canonical and silent while it runs
	tty=$(tm display -p '#{pane_tty}')
	stty -F "$tty" -a | grep -q -- "-icanon"
	stty -F "$tty" -a | grep -q -- "-echo "
	shell=$(tm display -p '#{pane_pid}')
	pid=$(pgrep -P "$shell")
	ipctool mq create 0x00a7c0df >/dev/null
	ipctool sem create 0x00a7c0de >/dev/null
	ipctool mq create /wq >/dev/null
	tm send-keys ' '
	# new: green, no MARK column on a terminal
	wait_until 30 'coloured 32 0x00a7c0de'
	coloured 32 0x00a7c0df
	coloured 32 /wq
	! pane | grep -q "MARK"
	# two messages in (10 bytes), between two frames
	ipctool mq send 0x00a7c0df hello
	ipctool mq send 0x00a7c0df world
	ipctool mq send /wq hello
	tm send-keys ' '
	# changed: yellow; rates: in, not out
	wait_until 30 '[ "$(row 0x00a7c0df | awk "{print \$5}")" = 2 ]'
	coloured 33 0x00a7c0df
	row 0x00a7c0df > "$TMP/row"
	has_row "$TMP/row" '$6 > 0 && $7 == 0 && $8 > 0 && $9 == 0'
	row /wq > "$TMP/row"
	has_row "$TMP/row" '$3 == 1 && $5 > 0 && $6 == 0'
	# the set that did not change is not marked
	pane_e | grep -q '^0x00a7c0de '
	# one out: out, not in
	ipctool mq receive 0x00a7c0df >/dev/null
	tm send-keys ' '
	wait_until 30 '[ "$(row 0x00a7c0df | awk "{print \$5}")" = 1 ]'
	row 0x00a7c0df > "$TMP/row"
	has_row "$TMP/row" '$6 == 0 && $7 > 0 && $8 == 0 && $9 > 0'
	# gone: red, once
	ipctool rm 0x00a7c0de
	tm send-keys ' '
	wait_until 30 'coloured 31 0x00a7c0de'
	tm send-keys ' '
	wait_until 30 '! pane | grep -q 0x00a7c0de'
	# the same process all along, and no child
	[ "$(pgrep -P "$shell")" = "$pid" ]
	! pgrep -P "$pid"
	tm send-keys q
	watch_end
}

@test "watch: NO_COLOR gives the MARK column; Ctrl-C and SIGTERM restore the terminal too" {
	need_ns
	WATCH_ENV="NO_COLOR=1" watch_start --watch=60 --sysv
	ipctool sem create 0x00a7c0de >/dev/null
	tm send-keys ' '
	wait_until 30 'pane | grep -q "^new  0x00a7c0de "'
	pane | grep -q "^MARK KEY"
	# no colour at all
	! pane_e | grep -q $'\e\\['
	tm send-keys C-c
	watch_end
	tm kill-server
	rm -f "$TMP/rc" "$TMP/after"
	watch_start --watch=60 --sysv
	shell=$(tm display -p '#{pane_pid}')
	kill -TERM "$(pgrep -P "$shell")"
	watch_end
}

@test "watch: a failed write ends it (exit 8) with the terminal restored" {
	need_ns
	command -v tmux >/dev/null || skip "needs tmux"
	TMSOCK=ipctool-view-$$-$RANDOM
	tm new-session -d -x 120 -y 40 \
	    "stty -g > '$TMP/before'; '$IPCTOOL' list --watch=0.1 > /dev/full 2> '$TMP/err'; echo \"rc=\$?\" > '$TMP/rc'; stty -g > '$TMP/after'; sleep 60"
	wait_until 30 '[ -s "$TMP/rc" ] && [ -s "$TMP/after" ]'
	[ "$(cat "$TMP/rc")" = "rc=8" ]
	grep -q "^ipctool: list: write error on stdout: No space left on device$" "$TMP/err"
	cmp "$TMP/before" "$TMP/after"
}

@test "watch: into a pipe, frames one after another with a MARK column and rates, no terminal codes" {
	need_ns
	q=$(ipctool mq create 0x00a7c0df)
	ipctool mq create /wq >/dev/null
	"$IPCTOOL" list --watch=0.2 --mq > "$TMP/out" 2>&1 &
	WPID=$!
	wait_until 30 'grep -q "^MARK KEY" "$TMP/out"'
	ipctool sem create 0x00a7c0de >/dev/null	# not a queue: not shown
	ipctool mq send "$q" hello
	ipctool mq send /wq hello
	# MARK KEY ID OWNER USEDBYTES MSGS IN/S OUT/S BIN/S BOUT/S; MARK NAME
	# OWNER MSGS MAXMSG IN/S OUT/S
	wait_until 30 'has_row "$TMP/out" "\$1 == \"chg\" && \$2 == \"0x00a7c0df\" && \$5 == 5 && \$6 == 1 && \$7 > 0 && \$8 == 0 && \$9 > 0"'
	wait_until 30 'has_row "$TMP/out" "\$1 == \"chg\" && \$2 == \"/wq\" && \$4 == 1 && \$6 > 0 && \$7 == 0"'
	ipctool mq create /wq2 >/dev/null
	wait_until 30 'grep -Eq "^new +/wq2 " "$TMP/out"'
	ipctool rm --mq /wq2
	wait_until 30 'grep -Eq "^gone +/wq2 " "$TMP/out"'
	# two frames after it
	wait_until 30 'awk "/^gone +\\/wq2 / { g = 1 } g && /^Every/ { n++ } END { exit n < 2 }" "$TMP/out"'
	kill -TERM "$WPID"
	st=0; wait "$WPID" || st=$?
	[ "$st" = 0 ]
	! grep -q $'\e' "$TMP/out"
	! grep -q 0x00a7c0de "$TMP/out"
	# a gone row is shown once
	[ "$(grep -Ec "^gone +/wq2 " "$TMP/out")" = 1 ]
	# --newline and -i are not tables of a row an object
	run ipctool list --watch --newline
	assert_failure 2
	run ipctool list --watch -i 0
	assert_failure 2
}
