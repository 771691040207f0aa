#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# list --metrics and info --metrics: the Prometheus text format, its values
# for real objects of the six kinds, the filters, the exclusive options.
# Every output is checked by a strict parser written here and, when it is
# installed (Debian's prometheus package), by `promtool check metrics`.

load helpers

teardown() {
	kill_children ${HOLDER:-} ${HOLDER2:-}
	wait 2>/dev/null || true
	clean_ipc
	remove_new_ipc
	rm -rf "$TMP"
}

# The text exposition format (0.0.4) as Prometheus parses it, strictly:
# only HELP and TYPE comments, each once and before its family's samples,
# every family typed, a family's samples together, valid metric and label
# names, only the escapes \\ \" \n in label values (\\ \n in HELP), a
# number as value, no series twice, gauges not named *_total, a final
# newline.  Prints "line N: why" and fails on the first error.
strict_parse() {
	python3 -c '
import re, sys
NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LNAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
NUM = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z|[+-]?Inf\Z|NaN\Z")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
data = sys.stdin.buffer.read()
def die(n, why):
    print("line %d: %s" % (n, why)); sys.exit(1)
try:
    text = data.decode("utf-8")
except UnicodeDecodeError:
    die(0, "not UTF-8")
if text == "":
    sys.exit(0)
if not text.endswith("\n"):
    die(text.count("\n") + 1, "no final newline")
helps, types, done, series = {}, {}, set(), set()
current = None
def family(n, name):
    global current
    if name != current:
        if name in done:
            die(n, "family %s is not together" % name)
        if current is not None:
            done.add(current)
        current = name
def unescape(n, s, label):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s):
                die(n, "lone backslash")
            e = s[i + 1]
            if e == "\\": out.append("\\")
            elif e == "n": out.append("\n")
            elif e == "\"" and label: out.append("\"")
            else: die(n, "bad escape \\%s" % e)
            i += 2
        elif c == "\"" and label:
            die(n, "unescaped quote")
        else:
            out.append(c); i += 1
    return "".join(out)
for n, line in enumerate(text[:-1].split("\n"), 1):
    if line.startswith("#"):
        m = re.match(r"# (HELP|TYPE) (\S+) (.*)\Z", line)
        if not m:
            die(n, "a comment that is not HELP or TYPE")
        what, name, rest = m.groups()
        if not NAME.match(name):
            die(n, "bad metric name %r" % name)
        family(n, name)
        if name in series and what == "TYPE":
            die(n, "TYPE after samples")
        table = helps if what == "HELP" else types
        if name in table:
            die(n, "second %s for %s" % (what, name))
        if what == "HELP":
            if rest == "":
                die(n, "empty HELP")
            unescape(n, rest, False)
        elif rest not in TYPES:
            die(n, "bad type %r" % rest)
        table[name] = rest
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?\Z",
        line)
    if not m:
        die(n, "not a sample: %r" % line)
    name, _, body, value, _ = m.groups()
    family(n, name)
    if types.get(name) is None:
        die(n, "%s has no TYPE" % name)
    if helps.get(name) is None:
        die(n, "%s has no HELP" % name)
    if types[name] == "gauge" and name.endswith("_total"):
        die(n, "a gauge named *_total")
    if not NUM.match(value):
        die(n, "bad value %r" % value)
    labels = {}
    if body is not None:
        pos = 0
        while pos < len(body):
            lm = re.compile(r"([^=]*)=\"((?:[^\"\\]|\\.)*)\"(,|\Z)").match(body, pos)
            if not lm:
                die(n, "bad labels %r" % body)
            ln, lv = lm.group(1), lm.group(2)
            if not LNAME.match(ln) or ln.startswith("__"):
                die(n, "bad label name %r" % ln)
            if ln in labels:
                die(n, "label %s twice" % ln)
            labels[ln] = unescape(n, lv, True)
            pos = lm.end()
            if lm.group(3) == "," and pos == len(body):
                break
    key = (name, tuple(sorted(labels.items())))
    if key in series:
        die(n, "duplicate series %s%s" % key)
    series.add(key)
    series.add(name)
'
}

# Checks an exposition (stdin) with the strict parser and, if installed,
# with promtool; both must accept it.
check_metrics() {
	cat > "$TMP/check.prom"
	run strict_parse < "$TMP/check.prom"
	[ "$status" -eq 0 ] || fail "strict parser: $output"
	if command -v promtool >/dev/null; then
		run promtool check metrics < "$TMP/check.prom"
		[ "$status" -eq 0 ] || fail "promtool: $output"
	fi
}

# Runs `ipctool ARGS...`, which must succeed, checks its whole output and
# sets output and lines to its samples (no comments), stderr to its stderr.
metrics() {
	local rc=0

	ipctool "$@" > "$TMP/out.prom" 2> "$TMP/err" || rc=$?
	[ "$rc" -eq 0 ] || fail "ipctool $*: exit $rc: $(cat "$TMP/err")"
	check_metrics < "$TMP/out.prom"
	output=$(grep -v '^#' "$TMP/out.prom" || true)
	stderr=$(cat "$TMP/err")
	lines=()
	[ -z "$output" ] || mapfile -t lines <<< "$output"
}

@test "metrics: the strict parser refuses what the format forbids" {
	bad() {
		printf "$1" > "$TMP/bad.prom"
		run strict_parse < "$TMP/bad.prom"
		[ "$status" -eq 1 ] || fail "accepted: $1"
		if command -v promtool >/dev/null && [ "${2:-}" = both ]; then
			run promtool check metrics < "$TMP/bad.prom"
			[ "$status" -ne 0 ] || fail "promtool accepted: $1"
		fi
	}
	good='# HELP a_b An a.\n# TYPE a_b gauge\na_b{k="v",l="x\\\\y\\"z\\n"} 1\na_b{k="w"} 2.5e-05\n'
	printf "$good" | strict_parse
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v"} 1\na_b{k="v"} 2\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v"} 1\n# TYPE a_b gauge\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v\\q"} 1\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v"x"} 1\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{9k="v"} 1\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v"} one\n' both
	bad '# HELP 1a A.\n# TYPE 1a gauge\n1a 1\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v"} 1' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="1"} 1\n# HELP c C.\n# TYPE c gauge\nc 1\na_b{k="2"} 1\n' both
	bad '# HELP a_b A.\n# TYPE a_b gauge\na_b{k="v",k="w"} 1\n' both
	# what only the strict parser (this project's rules) refuses
	bad 'a_b 1\n'
	bad '# HELP a_b A.\na_b 1\n'
	bad '# TYPE a_b gauge\na_b 1\n'
	bad '# HELP a_total A.\n# TYPE a_total gauge\na_total 1\n'
	bad '# a comment\n'
}

@test "metrics: list --metrics counts real objects of all six kinds" {
	need_ns
	# System V: two sets of 3 and 2, two segments (one attached), a
	# queue holding two messages of 5 and 3 bytes
	ipctool sem create 0x5101 -n 3 >/dev/null
	ipctool sem create 0x5102 -n 2 >/dev/null
	ipctool shm create 0x5201 -s 8192 >/dev/null
	ipctool shm create 0x5202 -s 4096 >/dev/null
	ipctool mq create 0x5301 >/dev/null
	ipctool mq send 0x5301 hello
	ipctool mq send 0x5301 abc
	# POSIX: two semaphores, a 5-byte object mapped by a live process
	# and an empty one, a queue holding one message
	ipctool sem create /ps1 >/dev/null
	ipctool sem create /ps2 >/dev/null
	echo data > /dev/shm/blob
	: > /dev/shm/empty
	ipctool mq create /pq >/dev/null
	ipctool mq send /pq hi
	hold attach "$(ipctool list --shm --sysv --key 0x5201 --raw -o ID -n)"
	hold_sysv=$HOLDER
	hold mmap /dev/shm/blob
	HOLDER2=$HOLDER
	HOLDER=$hold_sysv
	metrics list --metrics
	out=$output
	sysv='family="sysv"'
	posix='family="posix"'
	for l in \
	    "ipctool_objects{kind=\"sem\",$sysv} 2" \
	    "ipctool_objects{kind=\"shm\",$sysv} 2" \
	    "ipctool_objects{kind=\"mq\",$sysv} 1" \
	    "ipctool_objects{kind=\"sem\",$posix} 2" \
	    "ipctool_objects{kind=\"shm\",$posix} 2" \
	    "ipctool_objects{kind=\"mq\",$posix} 1" \
	    "ipctool_semaphores{kind=\"sem\",$sysv} 5" \
	    "ipctool_semaphores{kind=\"sem\",$posix} 2" \
	    "ipctool_size_bytes{kind=\"shm\",$sysv} 12288" \
	    "ipctool_size_bytes{kind=\"shm\",$posix} 5" \
	    "ipctool_attachments{kind=\"shm\",$sysv} 1" \
	    "ipctool_queued_messages{kind=\"mq\",$sysv} 2" \
	    "ipctool_queued_messages{kind=\"mq\",$posix} 1" \
	    "ipctool_queued_bytes{kind=\"mq\",$sysv} 8" \
	    "ipctool_orphaned_objects{kind=\"shm\",$sysv} 1" \
	    "ipctool_orphaned_objects{kind=\"shm\",$posix} 1"; do
		grep -qxF -- "$l" <<< "$out" || fail "no line '$l' in: $out"
	done
	# exactly these families, each series once; POSIX queues have no bytes
	[ "$(wc -l <<< "$out")" -eq 20 ] || fail "$out"
	run grep -c 'queued_bytes{kind="mq",family="posix"}' <<< "$out"
	assert_output 0
	# the orphans are those of list --orphaned, kind by kind
	for k in sem shm mq; do
		for f in sysv posix; do
			n=$(ipctool list --$k --$f --orphaned --raw -o KIND -n | wc -l)
			grep -qxF "ipctool_orphaned_objects{kind=\"$k\",family=\"$f\"} $n" \
			    <<< "$out" || fail "$k $f: $n orphaned, not in: $out"
		done
	done
	kill "$HOLDER2"
	# a read-only command: nothing changed
	[ "$(ipctool list --mq --sysv --raw -o MSGS -n)" = 2 ]
}

@test "metrics: a set or queue that a process waits on is not counted orphaned" {
	need_ns
	ipctool sem create 0x5111 -v 0 >/dev/null
	ipctool mq create 0x5112 >/dev/null
	ipctool sem create 0x5113 >/dev/null	# nobody uses this one
	"$IPCTOOL" sem acquire 0x5111 -t 120 3>&- &
	w1=$!
	"$IPCTOOL" mq receive 0x5112 -t 120 >/dev/null 3>&- &
	w2=$!
	# bounded: until both wait in the kernel
	wait_until 30 '[ "$(ipctool list --sysv --raw -n -o WAITERS | grep -c .)" = 2 ]'
	metrics list --metrics --sysv
	assert_line 'ipctool_orphaned_objects{kind="sem",family="sysv"} 1'
	assert_line 'ipctool_orphaned_objects{kind="mq",family="sysv"} 0'
	[ "$(ipctool list --sem --sysv --orphaned --raw -n -o KEY)" = 0x00005113 ]
	kill "$w1" "$w2"
	wait "$w1" "$w2" || true
}

@test "metrics: list --metrics honours the kind options and the filters" {
	need_ns
	ipctool shm create 0x6201 -s 4096 >/dev/null
	ipctool sem create 0x6101 -n 4 >/dev/null
	echo xy > /dev/shm/mine
	as_nobody "$IPCTOOL" shm create 0x6202 -s 8192 >/dev/null
	as_nobody "$IPCTOOL" sem create /nobodys >/dev/null
	metrics list --owner nobody --metrics
	assert_line 'ipctool_objects{kind="shm",family="sysv"} 1'
	assert_line 'ipctool_size_bytes{kind="shm",family="sysv"} 8192'
	assert_line 'ipctool_objects{kind="sem",family="sysv"} 0'
	assert_line 'ipctool_objects{kind="sem",family="posix"} 1'
	assert_line 'ipctool_objects{kind="shm",family="posix"} 0'
	assert_line 'ipctool_size_bytes{kind="shm",family="posix"} 0'
	# only the kinds selected have series
	metrics list --shm --metrics
	assert_line 'ipctool_objects{kind="shm",family="sysv"} 2'
	assert_line 'ipctool_objects{kind="shm",family="posix"} 1'
	assert_line 'ipctool_size_bytes{kind="shm",family="sysv"} 12288'
	assert_line 'ipctool_size_bytes{kind="shm",family="posix"} 3'
	refute_output --partial 'kind="sem"'
	refute_output --partial 'kind="mq"'
	metrics list --sem --sysv --key 0x6101 --metrics
	assert_output 'ipctool_objects{kind="sem",family="sysv"} 1
ipctool_orphaned_objects{kind="sem",family="sysv"} 1
ipctool_semaphores{kind="sem",family="sysv"} 4'
	# with --orphaned every object counted is an orphan
	metrics list --posix --orphaned --metrics
	assert_line 'ipctool_objects{kind="shm",family="posix"} 1'
	assert_line 'ipctool_orphaned_objects{kind="shm",family="posix"} 1'
	# an empty selection still has its families, with zeros
	clean_ipc
	metrics list --mq --metrics
	assert_output 'ipctool_objects{kind="mq",family="sysv"} 0
ipctool_objects{kind="mq",family="posix"} 0
ipctool_orphaned_objects{kind="mq",family="sysv"} 0
ipctool_orphaned_objects{kind="mq",family="posix"} 0
ipctool_queued_messages{kind="mq",family="sysv"} 0
ipctool_queued_messages{kind="mq",family="posix"} 0
ipctool_queued_bytes{kind="mq",family="sysv"} 0'
}

@test "metrics: list --metrics --id counts that id; -i is refused" {
	need_ns
	a=$(ipctool sem create -n 4 | cut -d: -f2)
	ipctool sem create -n 2 >/dev/null
	ipctool sem create /p >/dev/null
	metrics list --sem --id "$a" --metrics
	assert_output 'ipctool_objects{kind="sem",family="sysv"} 1
ipctool_orphaned_objects{kind="sem",family="sysv"} 1
ipctool_semaphores{kind="sem",family="sysv"} 4'
	metrics list --sem --id 99999 --metrics
	assert_line 'ipctool_objects{kind="sem",family="sysv"} 0'
	run ipctool list --metrics -i "$a"
	assert_failure 2
	assert_line --index 0 "ipctool: list: --metrics: counts objects; -i shows one, field by field: --id ID counts it"
	[ "${#lines[@]}" -le 2 ]
}

@test "metrics: a kind that cannot be listed has no series, and says why" {
	need_ns
	ipctool mq create 0x7301 >/dev/null
	run --separate-stderr unshare --mount bash -c \
	    'umount /dev/mqueue && "$0" list --mq --metrics' "$IPCTOOL"
	assert_success
	check_metrics <<< "$output"
	run --separate-stderr unshare --mount bash -c \
	    'umount /dev/mqueue && "$0" list --mq --metrics' "$IPCTOOL"
	assert_output --partial 'ipctool_objects{kind="mq",family="sysv"} 1'
	refute_output --partial 'family="posix"'
	[[ $stderr == *"not an mqueue file system"* ]] || fail "$stderr"
}

@test "metrics: --metrics is exclusive with the other formats, -o, -n, -H, --pids" {
	for o in --json --raw --export "-o KEY" -n --no-headings -H --pids; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool list --metrics $o
		assert_failure 2
		assert_output ""
		[[ $stderr == *"cannot be used together"* ]] || fail "$o: $stderr"
	done
	for o in --json --raw --export "-o LIMIT" -n -H; do
		# shellcheck disable=SC2086
		run --separate-stderr ipctool info $o --metrics
		assert_failure 2
		assert_output ""
	done
	run ipctool info --metrics --pids
	assert_failure 2
	# the table declares it: completion offers no --metrics after --json
	run ipctool __complete list --json --me
	refute_output --partial -- --metrics
	run ipctool __complete list --me
	assert_output --partial -- --metrics
}

@test "metrics: info --metrics has every limit and use info shows" {
	need_ns
	ipctool sem create 0x8101 -n 3 >/dev/null
	ipctool sem create 0x8102 -n 4 >/dev/null
	ipctool shm create 0x8201 -s 8192 >/dev/null
	ipctool mq create /q1 >/dev/null
	metrics info --metrics
	out=$output
	assert_line 'ipctool_resource_used{resource="SEMMNI"} 2'
	assert_line 'ipctool_resource_used{resource="SEMMNS"} 7'
	assert_line 'ipctool_resource_used{resource="SHMMNI"} 1'
	assert_line "ipctool_resource_used_pages{resource=\"SHMALL\"} $((8192 / $(getconf PAGESIZE)))"
	assert_line 'ipctool_resource_used{resource="MQ_QUEUES_MAX"} 1'
	assert_line "ipctool_resource_limit{resource=\"SEMMNI\"} $(awk '{print $4}' /proc/sys/kernel/sem)"
	assert_line "ipctool_resource_limit{resource=\"SEMMNS\"} $(awk '{print $2}' /proc/sys/kernel/sem)"
	assert_line "ipctool_resource_limit{resource=\"MSGMNI\"} $(cat /proc/sys/kernel/msgmni)"
	assert_line "ipctool_resource_limit{resource=\"SHMMNI\"} $(cat /proc/sys/kernel/shmmni)"
	assert_line "ipctool_resource_limit_pages{resource=\"SHMALL\"} $(cat /proc/sys/kernel/shmall)"
	assert_line "ipctool_resource_limit_bytes{resource=\"SHMMAX\"} $(cat /proc/sys/kernel/shmmax)"
	assert_line "ipctool_resource_limit{resource=\"MQ_QUEUES_MAX\"} $(cat /proc/sys/fs/mqueue/queues_max)"
	# every limit and use that info shows, in the family of its unit
	# (not from --json: jq rounds numbers past 2^53)
	ipctool info --raw -o RESOURCE,LIMIT,USED,UNIT | awk '{
		u = $4 == "-" ? "" : "_" $4
		if ($2 != "-")
			printf "ipctool_resource_limit%s{resource=\"%s\"} %s\n", u, $1, $2
		if ($3 != "-")
			printf "ipctool_resource_used%s{resource=\"%s\"} %s\n", u, $1, $3
	}' | sort > "$TMP/want"
	[ "$(wc -l < "$TMP/want")" -ge 20 ]
	grep -v '_ratio{' <<< "$out" | sort > "$TMP/got"
	run diff "$TMP/want" "$TMP/got"
	assert_success
	# the ratio where both are known
	ratio=$(grep '^ipctool_resource_use_ratio{resource="SEMMNI"} ' <<< "$out" |
	    awk '{print $2}')
	awk -v r="$ratio" -v l="$(awk '{print $4}' /proc/sys/kernel/sem)" \
	    'BEGIN { d = r - 2 / l; exit !(d < 1e-9 && d > -1e-9) }' ||
	    fail "SEMMNI ratio $ratio"
	run grep -c '_ratio{resource="SEMVMX"}' <<< "$out"
	assert_output 0
}
