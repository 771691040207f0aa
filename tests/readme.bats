#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The README's examples run: every fenced block whose info string is
# "sh runnable" (README.md, Development, says how to mark one).

load helpers

# Splits README.md's runnable blocks into $TMP/blocks/LINE.sh, LINE being
# the line of the opening fence.
extract() {
	mkdir -p "$TMP/blocks"
	awk -v dir="$TMP/blocks" '
		/^```/ && f { close(f); f = ""; next }
		/^```sh runnable[ \t]*$/ { f = dir "/" NR ".sh"; printf "" > f; next }
		f { print > f }' "$TOP_SRCDIR/README.md"
}

# A fresh directory with the placeholders the examples name: commands
# that exit $README_STUB_FAIL (default 0), build.tar and logs/*.log.
sandbox() {
	local d=$1 c
	mkdir -p "$d/bin" "$d/logs" "$d/src"
	for c in "$d/update-database" "$d/use-both" "$d/worker.sh" \
	    "$d/bin/curl" "$d/bin/make"; do
		printf '#!/bin/sh\nexit "${README_STUB_FAIL:-0}"\n' > "$c"
		chmod +x "$c"
	done
	echo data > "$d/src/file"
	tar -C "$d/src" -cf "$d/build.tar" file
	echo a > "$d/logs/a.log"
	echo b > "$d/logs/b.log"
}

# Runs block $1 in directory $2 in an IPC namespace of its own (with its
# own /dev/shm and /dev/mqueue), under bash -e, bounded, twice: first with
# the placeholders failing (a job that died half-way, its objects left
# behind), then, in the same namespace, with them succeeding; $status and
# $output are the second run's.
run_block() {
	# shellcheck disable=SC2016
	run timeout 120 unshare --ipc --mount bash -c '
		mount -t tmpfs readme /dev/shm && mkdir -p /dev/mqueue &&
		mount -t mqueue readme /dev/mqueue && cd "$1" || exit 99
		# as run-bats: small default queues, root'"'"'s RLIMIT_MSGQUEUE
		# is shared with every suite running at once
		echo 1024 > /proc/sys/fs/mqueue/msgsize_default
		README_STUB_FAIL=1 bash -e "$2" >first.out 2>&1
		README_STUB_FAIL=0 exec bash -e "$2"' \
	    run_block "$2" "$1"
}

@test "README.md: every runnable example runs, and runs again after a failed run" {
	need_root
	need_ns
	extract
	n=0
	for b in "$TMP"/blocks/*.sh; do
		line=$(basename "$b" .sh)
		# "# needs NAME": an example of what a build may lack (info's
		# FEATURES); such a build skips it, and it still counts below
		need=$(sed -n 's/^# needs \([A-Z_]*\).*/\1/p' "$b")
		if [ -n "$need" ] && missing_feature "$need"; then
			echo "# README.md:$line: skipped: not supported on this system: $need" >&3
			n=$((n + 1))
			continue
		fi
		d="$TMP/run.$line"
		sandbox "$d"
		export PATH="$d/bin:$PATH" url=file:///dev/null \
		    CI_MANIFEST="$d/ci.manifest"
		run_block "$b" "$d"
		[ "$status" = 0 ] || fail "README.md:$line: exit $status: $output"
		while IFS= read -r want; do
			assert_output --partial "$want"
		done < <(sed -n 's/.*# prints \(.*\)$/\1/p' "$b")
		n=$((n + 1))
	done
	# the marker is in use: an example that lost it would go untested
	[ "$n" -ge 12 ]
}

@test "README.md: blocks marked runnable are shell that parses, fences closed" {
	extract
	for b in "$TMP"/blocks/*.sh; do
		bash -n "$b" || fail "README.md:$(basename "$b" .sh): does not parse"
	done
	[ $(($(grep -c '^```' "$TOP_SRCDIR/README.md") % 2)) = 0 ]
}
