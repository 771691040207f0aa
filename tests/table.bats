#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The command table: the one parser, the help, the man page and the bash,
# zsh and fish completions are all checked against `ipctool __options`,
# so every verb is covered as soon as it is in the table.

load helpers

eval "helpers_$(declare -f setup)"
setup() {
	helpers_setup
	"$IPCTOOL" __options > "$TMP/options"
	cut -f1 "$TMP/options" | uniq > "$TMP/verbs"
	grep -v '^ipctool' "$TMP/verbs" > "$TMP/cmds" || true
}

# every verb (the table parses the options of all of them)
converted() {
	awk -F'\t' '$2 == "-" && $3 == "-" { print $1 }' "$TMP/options"
}

# VERB's options, one a line: LONG SHORT KIND SET STATE EXCL
options_of() {
	awk -F'\t' -v v="$1" '$1 == v && !($2 == "-" && $3 == "-") {
		print $2, $3, $4, $5, $6, $7 }' "$TMP/options"
}

# a valid value for an option's argument kind
value_for() {
	case $1 in
	number|size|secs|number\?) echo 1 ;;
	duration) echo 1s ;;
	mode) echo 0600 ;;
	user) echo root ;;
	columns) echo KEY ;;
	file) echo /dev/null ;;
	*) echo 1 ;;
	esac
}

@test "the table lists every command and verb of ipctool --help" {
	ipctool --help | awk '$1 == "ipctool" && $2 ~ /^[a-z]/ {
		print $2 ($3 ~ /^[a-z]+$/ ? " " $3 : "") }' | sort > "$TMP/help"
	sort "$TMP/cmds" > "$TMP/table"
	diff "$TMP/help" "$TMP/table"
	[ "$(wc -l < "$TMP/table")" -ge 27 ]
}

@test "every option of every verb is in its --help, and --help fits 80 columns" {
	while read -r v; do
		# shellcheck disable=SC2086
		ipctool $v --help > "$TMP/h" || fail "$v --help failed"
		head -1 "$TMP/h" | grep -q "^usage: ipctool $v" ||
			fail "$v --help: no usage line"
		grep -q '^Exit status:' "$TMP/h" || fail "$v --help: no exit codes"
		awk -v v="$v" 'length > 80 { print v ": " $0; bad = 1 }
		    END { exit bad }' "$TMP/h" || fail "$v --help is too wide"
		while read -r long short kind set state excl; do
			[ "$state" = hidden ] && continue
			if [ "$long" != - ]; then
				grep -qe " $long\b" "$TMP/h" || fail "$v --help lacks $long"
			fi
			if [ "$short" != - ]; then
				grep -qe " $short\b" "$TMP/h" || fail "$v --help lacks $short"
			fi
		done < <(options_of "$v")
	done < "$TMP/cmds"
	for w in "" sem shm mq; do
		# shellcheck disable=SC2086
		ipctool $w --help > "$TMP/h"
		awk 'length > 80 { print; bad = 1 } END { exit bad }' "$TMP/h" ||
			fail "ipctool $w --help is too wide"
	done
}

@test "list --help and info --help name their columns" {
	run ipctool info --help
	assert_success
	assert_line --regexp '^  RESOURCE +resource name'
	assert_line --regexp '^  USE% '
}

@test "every option of every verb is accepted, with a value of its kind" {
	while read -r v; do
		while read -r long short kind set state excl; do
			for o in $long $short; do
				[ "$o" = - ] && continue
				if [ "$kind" = none ]; then
					# shellcheck disable=SC2086
					run ipctool $v "$o" --help
				elif [ "${kind%\?}" != "$kind" ]; then
					# an optional argument: bare, and --o=VALUE
					# shellcheck disable=SC2086
					run ipctool $v "$o" --help
					[ "$status" -eq 0 ] || fail "$v $o (bare): $output"
					# shellcheck disable=SC2086
					run ipctool $v "$o=$(value_for "$kind")" --help
				elif [ "$kind" = word ]; then
					# one of its words, as completion offers them
					# shellcheck disable=SC2086
					w=$(ipctool __complete $v "$o" "" | head -1)
					[ -n "$w" ] || fail "$v $o: no word to complete"
					# shellcheck disable=SC2086
					run ipctool $v "$o" "$w" --help
				elif [ "${o#--}" != "$o" ]; then
					# --opt=VALUE: also the form of an optional one
					# shellcheck disable=SC2086
					run ipctool $v "$o=$(value_for "$kind")" --help
				else
					# shellcheck disable=SC2086
					run ipctool $v "$o" "$(value_for "$kind")" --help
				fi
				[ "$status" -eq 0 ] || fail "$v $o: $output"
			done
		done < <(options_of "$v")
	done < "$TMP/cmds"
}

@test "--help goes through the stdout check: > /dev/full exits 8" {
	run sh -c "'$IPCTOOL' --help > /dev/full"
	assert_failure 8
	while read -r v; do
		run sh -c "'$IPCTOOL' $v --help > /dev/full"
		assert_failure 8
		assert_output --partial "write error"
	done < "$TMP/cmds"
}

@test "abbreviated long options are refused, never guessed" {
	run ipctool --n 1 info
	assert_failure 2
	assert_output --partial "unknown option '--n'"
	run ipctool --vers
	assert_failure 2
	n=0
	# one verb a line: "sem create" is two words
	while IFS= read -r v <&3; do
		while read -r long short kind set state excl; do
			[ "$long" = - ] && continue
			abbr=${long%?}
			[ "${#abbr}" -ge 3 ] || continue
			# a prefix that is itself an option is no abbreviation
			options_of "$v" | grep -q "^$abbr " && continue
			# shellcheck disable=SC2086
			run ipctool $v "$abbr"
			assert_failure 2
			assert_line --index 0 --partial "unknown option '$abbr'"
			assert_line --index 1 "Try 'ipctool $v --help'."
			n=$((n + 1))
		done < <(options_of "$v")
	done 3< <(converted)
	[ "$n" -ge 5 ]
}

@test "the parser: clusters, --opt=value, values that look like options, --" {
	run ipctool info -rn
	assert_success
	refute_line --partial RESOURCE
	run ipctool info -roRESOURCE -n
	assert_success
	assert_line SEMMNI
	run ipctool info --output=RESOURCE --raw --no-headings
	assert_line SEMMNI
	run ipctool info --raw --noheadings --output RESOURCE
	assert_line SEMMNI
	run ipctool info --raw=1
	assert_failure 2
	assert_line --index 0 "ipctool: info: option '--raw=1' takes no value"
	run ipctool info --output
	assert_failure 2
	assert_line --index 0 "ipctool: info: option '--output' needs a value"
	run ipctool info -o
	assert_failure 2
	assert_output --partial "option '-o' needs a value"
	run ipctool info -q
	assert_failure 2
	assert_line --index 0 "ipctool: info: unknown option '-q'"
	run ipctool info extra
	assert_failure 2
	assert_output --partial "unexpected argument 'extra'"
	# positionals anywhere; after "--" an argument even if it looks like one
	touch "$TMP/-f"
	cd "$TMP"
	k=$(ipctool key ./-f)
	run ipctool key -- -f
	assert_success
	assert_output "$k"
	run ipctool key -- -f 1
	assert_output "$k"
	run ipctool key -f
	assert_failure 2
	run ipctool key
	assert_failure 2
	assert_output --partial "missing argument"
	run ipctool key a b c
	assert_failure 2
	assert_output --partial "unexpected argument 'c'"
}

@test "an optional argument: --for=PID, --for PID (a number), bare --for; completion knows" {
	grep -q $'^sem acquire\t--for\t-\tnumber?' "$TMP/options"
	# bare: the next word is not taken unless it is a number
	run ipctool sem acquire --for id:99999
	assert_failure 3
	run ipctool sem acquire id:99999 --for=x
	assert_failure 2
	assert_output --partial "--for"
	run ipctool sem acquire id:99999 --for 12 13
	assert_failure 2
	assert_output --partial "unexpected argument '13'"
	run ipctool sem acquire --for=
	assert_failure 2
	# the completion: after a bare --for, a TARGET; after --for 12, options
	need_shells
	for sh in bash zsh fish; do
		run complete_$sh ipctool sem acquire 0x1 --for 12 --ti
		assert_output --timeout
		run complete_$sh ipctool sem acquire --for --ti
		assert_output --timeout
	done
}

@test "options declared exclusive are refused together, before anything runs" {
	n=0
	# one verb a line: "sem create" is two words
	while IFS= read -r v <&3; do
		options_of "$v" | awk '$5 != "hidden" && $6 != 0' > "$TMP/ex"
		while read -r l1 s1 k1 x1 st1 e1; do
			while read -r l2 s2 k2 x2 st2 e2; do
				[ "$l1" = "$l2" ] && continue
				[ $((e1 & e2)) -ne 0 ] || continue
				a1=$l1; [ "$k1" = none ] || a1="$l1=$(value_for "$k1")"
				a2=$l2; [ "$k2" = none ] || a2="$l2=$(value_for "$k2")"
				# shellcheck disable=SC2086
				run ipctool $v "$a1" "$a2"
				assert_failure 2
				assert_line --index 0 --partial "cannot be used together"
				n=$((n + 1))
			done < "$TMP/ex"
		done < "$TMP/ex"
	done 3< <(converted)
	[ "$n" -ge 6 ]
	# the same option twice is fine
	run ipctool info --json --json
	assert_success
}

# The man page's SYNOPSIS line of a verb, rendered on one line.
synopsis() {
	mandoc -T ascii -O width=1000 "$TOP_SRCDIR/man/ipctool.1" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
	    awk -v v="ipctool $1" '{ sub(/^ +/, "") }
		index($0, v " ") == 1 || $0 == v'
}

@test "the man page documents exactly the options of every verb" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	# one verb a line: "sem create" is two words
	while IFS= read -r v <&3; do
		synopsis "$v" > "$TMP/syn"
		[ -s "$TMP/syn" ] || fail "man SYNOPSIS lacks 'ipctool $v'"
		grep -oE '(^|[[ |])--?[a-zA-Z][-a-zA-Z]*' "$TMP/syn" |
		    sed 's/^[[ |]//' | sort -u > "$TMP/man"
		options_of "$v" > "$TMP/tab"
		# each option of the table is in the SYNOPSIS, itself or as
		# the set it belongs to
		while read -r long short kind set state excl; do
			[ "$state" = hidden ] && continue
			grep -qx -e "$long" -e "$short" "$TMP/man" && continue
			[ "$set" = output ] && grep -q 'output-options' "$TMP/syn" &&
				continue
			[ "$set" = filters ] && grep -q 'filters' "$TMP/syn" && continue
			fail "man page: 'ipctool $v' lacks $long $short"
		done < "$TMP/tab"
		# an optional argument is --name[=ARG] there and in --help,
		# and only an optional one
		while read -r long short kind set state excl; do
			[ "$long" = - ] && continue
			# shellcheck disable=SC2086
			if [ "${kind%\?}" != "$kind" ]; then
				grep -qe "$long\[=" "$TMP/syn" ||
					fail "man page: 'ipctool $v' lacks $long[=ARG]"
				ipctool $v --help | grep -qe " $long\[=" ||
					fail "$v --help lacks $long[=ARG]"
			elif grep -qe "$long\[=" "$TMP/syn"; then
				fail "man page: 'ipctool $v' $long[= but its argument is not optional"
			fi
		done < "$TMP/tab"
		# and the SYNOPSIS names no option the table lacks
		while read -r o; do
			awk -v o="$o" '$1 == o || $2 == o { f = 1 } END { exit !f }' \
			    "$TMP/tab" || fail "man page: 'ipctool $v $o' is not in the table"
		done < "$TMP/man"
	done 3< <(converted)
	# the global options, from their own section
	sed -n '/^\.Sh GLOBAL OPTIONS/,/^\.Sh/p' "$TOP_SRCDIR/man/ipctool.1" |
	    awk '/^\.It Fl/ { for (i = 2; i <= NF; i++) if ($(i - 1) == "Fl")
		print "-" $i }' | sort -u > "$TMP/man"
	options_of ipctool | awk '{ if ($1 != "-") print $1;
	    if ($2 != "-") print $2 } END { print "-h"; print "--help" }' |
	    sort -u > "$TMP/tab"
	diff "$TMP/man" "$TMP/tab"
}

# ---- completions, in the real shells ----

# bash: the words, the last one being completed; prints COMPREPLY
complete_bash() {
	bash -c 'source "$1/completions/ipctool"; shift
		[ "$(complete -p ipctool)" = "complete -F _ipctool ipctool" ] || exit 9
		# bash breaks words at "=" (COMP_WORDBREAKS)
		COMP_WORDS=()
		for w in "$@"; do
			while [[ $w == *=* ]]; do
				COMP_WORDS+=("${w%%=*}" "="); w=${w#*=}
			done
			COMP_WORDS+=("$w")
		done
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_ipctool; printf "%s\n" "${COMPREPLY[@]}"' bash "$TOP_SRCDIR" "$@"
}

# zsh: compinit registers _ipctool for ipctool; compadd, a builtin that
# needs the line editor, is replaced by a function printing the matches
complete_zsh() {
	# a home of its own: no dump file of another session's fpath
	HOME=$TMP ZDOTDIR=$TMP zsh -f -c 'fpath=("$1/completions" $fpath); shift
		local -a w; w=("$@"); set --
		autoload -Uz compinit && compinit -u -D
		[[ $_comps[ipctool] == _ipctool ]] || exit 9
		compadd() { while (( $# )); do case $1 in
			-a) print -rl -- "${(@P)2}"; shift 2 ;;
			-d) shift 2 ;;
			*) shift ;; esac; done }
		_files() { print -r -- ":files" }
		words=("${w[@]}"); CURRENT=$#w
		_ipctool' zsh "$TOP_SRCDIR" "$@"
}

# fish: complete -C on the command line; the matches without descriptions
complete_fish() {
	# a HOME of its own: one it cannot write (a user's in CI) fills
	# stderr with warnings
	HOME=$TMP XDG_DATA_HOME=$TMP XDG_CONFIG_HOME=$TMP fish -c 'source $argv[1]/completions/ipctool.fish
		complete -C "$argv[2]"' "$TOP_SRCDIR" "$*" | cut -f1
}

need_shells() {
	command -v zsh >/dev/null || skip "zsh not installed"
	command -v fish >/dev/null || skip "fish not installed"
}

@test "bash, zsh and fish complete every verb and every option of every verb" {
	need_shells
	for sh in bash zsh fish; do
		complete_$sh ipctool "" > "$TMP/c"
		for o in sem shm mq; do
			grep -qx "$o" "$TMP/c" || fail "$sh: no '$o'"
			awk -v o="$o" '$1 == o { print $2 }' "$TMP/cmds" | sort > "$TMP/want"
			complete_$sh ipctool "$o" "" | sort > "$TMP/got"
			diff "$TMP/want" "$TMP/got" || fail "$sh: verbs of $o"
		done
		for c in $(awk 'NF == 1' "$TMP/cmds"); do
			grep -qx "$c" "$TMP/c" || fail "$sh: no '$c'"
		done
	done
	while read -r v; do
		options_of "$v" | awk '$5 != "hidden" { print ($1 != "-" ? $1 : $2) }' |
		    sort > "$TMP/want"
		echo --help >> "$TMP/want"
		sort -o "$TMP/want" "$TMP/want"
		for sh in bash zsh fish; do
			# shellcheck disable=SC2086
			complete_$sh ipctool $v - | sort > "$TMP/got"
			diff "$TMP/want" "$TMP/got" || fail "$sh: options of '$v'"
		done
	done < "$TMP/cmds"
}

@test "completion of option values: columns, users, files, exclusive options" {
	need_shells
	for sh in bash zsh fish; do
		run complete_$sh ipctool info -o ""
		assert_line RESOURCE
		assert_line USE%
		run complete_$sh ipctool info -o RESOURCE,U
		assert_line RESOURCE,USED
		assert_line RESOURCE,UNIT
		refute_line RESOURCE,LIMIT
		run complete_$sh ipctool list --owner ro
		assert_line root
		run complete_$sh ipctool sem acquire --nowait --
		refute_line --timeout
		refute_line --nowait
		assert_line --conflict-exit-code
	done
	run complete_zsh ipctool key ""
	assert_output ":files"
	run complete_bash ipctool key /et
	assert_line /etc
	run complete_fish ipctool key /et
	assert_line /etc/
	run complete_bash ipctool list --owner=ro
	assert_line root
	run complete_zsh ipctool list --owner=ro
	assert_line --owner=root
	run complete_bash ipctool --ns ""
	assert_success
	run ipctool __complete --ns ""
	assert_output ":files"
}

@test "completion offers live targets of the verb's kind, and never one again" {
	need_ns
	need_shells
	sid=$(ipctool sem create)
	ipctool sem create /csem >/dev/null
	ipctool mq create /cq >/dev/null
	for sh in bash zsh fish; do
		run complete_$sh ipctool sem value ""
		assert_line "$sid"
		assert_line /csem
		refute_line /cq
		# sem z is System V only
		run complete_$sh ipctool sem z ""
		assert_line "$sid"
		refute_line /csem
		run complete_$sh ipctool sem value "$sid" ""
		assert_output ""
		run complete_$sh ipctool sem create ""
		assert_output ""
		run complete_$sh ipctool mq stat -J ""
		assert_line /cq
		refute_line /csem
	done
}
