#!/usr/bin/env bash
# fleet-compare_test.sh — tests of scripts/fleet-compare.sh, run by `make test`
# (a few seconds). The two smoke sets of scripts/testdata/fleet/ lie as
# actions/download-artifact lays out the fleet workflow's artifacts; each case
# copies them into a temporary folder, spoils a copy where the case needs it,
# and checks the exit status, the page, the summary line and the messages.
# Portable bash, as the script under test.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
script="$here/fleet-compare.sh"
data="$here/testdata/fleet"
A=concbench-set-000-epyc-1core/epyc-1core/20261125T102717Z
B=concbench-set-001-epyc-2core/epyc-2core/20261125T102738Z

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fleet-compare-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
fail() {
	echo "FAIL: $case: $*"
	for f in "$tmp/stdout" "$tmp/stderr"; do
		[ -s "$f" ] && { echo "--- ${f##*/}:"; sed 's/^/    /' "$f"; }
	done
	failed=$((failed + 1))
}
ok() {
	echo "ok: $case"
	passed=$((passed + 1))
}

# fresh copies the test data into $tmp/sets and returns.
fresh() {
	rm -rf "$tmp/sets" "$tmp/out"
	mkdir -p "$tmp/sets"
	cp -R "$data/." "$tmp/sets/"
	rm -f "$tmp/sets/README.md"
}

# run runs the script in the repository root; the status is in $status.
# ${1+"$@"}: the form of "$@" that old shells accept under set -u when it is empty.
run() {
	status=0
	(cd "$repo" && "$script" ${1+"$@"}) >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
}

# has FILE EXTENDED-REGEXP
has() { grep -Eq -- "$2" "$1"; }

# One concbench binary for every case but the first, which builds its own.
CONCBENCH="$tmp/concbench"
(cd "$repo" && go build -o "$CONCBENCH" ./cmd/concbench)

case="two machines, as download-artifact lays them out (builds concbench itself)"
fresh
status=0
(cd "$repo" && env -u CONCBENCH "$script" "$tmp/sets" -o "$tmp/out") >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
if [ "$status" != 0 ]; then
	fail "status $status, want 0"
elif ! has "$tmp/stdout" '^epyc-2core vs epyc-1core: geomean makespan [+-][0-9.]+% \([0-9.]+×\) over [0-9]+ common cells: [0-9]+ faster, [0-9]+ slower, [0-9]+ within 5%, [0-9]+ undecided$'; then
	fail "no summary line 'epyc-2core vs epyc-1core: geomean makespan …' on stdout"
elif ! has "$tmp/stdout" "^baseline: epyc-1core \\($tmp/sets/$A\\)$"; then
	fail "the baseline is not epyc-1core, the first set in path order"
elif ! [ -s "$tmp/out/compare.html" ] || ! [ -s "$tmp/out/compare.md" ]; then
	fail "no compare.html or compare.md in -o's directory"
elif ! has "$tmp/out/compare.html" 'epyc-1core' || ! has "$tmp/out/compare.html" 'epyc-2core'; then
	fail "compare.html does not name both machines"
elif ! has "$tmp/out/compare.html" '<svg'; then
	fail "compare.html has no inline chart"
elif ! ls "$tmp/out/charts/"*.svg >/dev/null 2>&1; then
	fail "no charts/*.svg"
elif ! has "$tmp/stderr" 'comparing 2 result sets \(profile smoke\)'; then
	fail "it does not say what it compares"
else
	ok
fi
export CONCBENCH

case="the page holds each machine's fingerprint and the summary line"
# From the first case's page: the machines table lists both machines with
# their profile, and the summary line is on the page too.
if ! has "$tmp/out/compare.md" '^\| epyc-1core \|.*\| smoke \|' || ! has "$tmp/out/compare.md" '^\| epyc-2core \|.*\| smoke \|'; then
	fail "compare.md's machines table lacks a machine or its profile"
elif ! has "$tmp/out/compare.html" 'epyc-2core vs epyc-1core: geomean makespan'; then
	fail "compare.html lacks the summary line"
else
	ok
fi

case="-b puts the baseline first; -t titles the page; -s writes a job summary"
fresh
run "$tmp/sets" -o "$tmp/out" -b epyc-2core -t "fleet test" -s "$tmp/summary.md"
if [ "$status" != 0 ]; then
	fail "status $status, want 0"
elif ! has "$tmp/stdout" '^epyc-1core vs epyc-2core: geomean makespan'; then
	fail "the summary line does not compare with epyc-2core"
elif ! has "$tmp/out/compare.html" '<title>fleet test</title>'; then
	fail "compare.html is not titled 'fleet test'"
elif ! has "$tmp/summary.md" '^epyc-1core vs epyc-2core: geomean makespan'; then
	fail "the job summary lacks the summary line"
elif has "$tmp/summary.md" '\]\(charts/'; then
	fail "the job summary links charts/, which a job summary cannot show"
elif ! has "$tmp/summary.md" '^\*Chart: .*\(in the compare artifact\)\.\*$'; then
	fail "the job summary does not say where the charts are"
else
	ok
fi

case="an incomplete set is refused, by name, and nothing is compared"
fresh
sed '1a\
incomplete: true
' "$tmp/sets/$B/bench.txt" >"$tmp/x" && mv "$tmp/x" "$tmp/sets/$B/bench.txt"
run "$tmp/sets" -o "$tmp/out"
if [ "$status" != 2 ]; then
	fail "status $status, want 2"
elif ! has "$tmp/stderr" "refused $tmp/sets/$B \\(epyc-2core\\): incomplete: true"; then
	fail "the refusal does not name the incomplete set"
elif [ -e "$tmp/out" ]; then
	fail "it wrote $tmp/out all the same"
else
	ok
fi

case="a failed set is refused by name; -k leaves it out and compares the rest"
fresh
mkdir -p "$tmp/sets/concbench-set-002-bad/bad/20261125T000000Z"
sed -e 's/^machine: .*/machine: bad/' -e '1a\
failed: true
' "$tmp/sets/$A/bench.txt" >"$tmp/sets/concbench-set-002-bad/bad/20261125T000000Z/bench.txt"
run "$tmp/sets" -o "$tmp/out"
if [ "$status" != 2 ]; then
	fail "without -k: status $status, want 2"
elif ! has "$tmp/stderr" "refused $tmp/sets/concbench-set-002-bad/bad/20261125T000000Z \\(bad\\): failed: true"; then
	fail "without -k: the refusal does not name the failed set"
else
	run "$tmp/sets" -o "$tmp/out" -k -s "$tmp/summary-k.md"
	if [ "$status" != 0 ]; then
		fail "with -k: status $status, want 0"
	elif ! has "$tmp/stderr" 'refused .*\(bad\): failed: true' || ! has "$tmp/stderr" 'left out 1 refused result set'; then
		fail "with -k: it does not name the set it left out"
	elif ! has "$tmp/stdout" '^epyc-2core vs epyc-1core: geomean makespan' || has "$tmp/stdout" '^bad vs'; then
		fail "with -k: it did not compare the two good sets alone"
	elif ! has "$tmp/summary-k.md" 'Left out' || ! has "$tmp/summary-k.md" '\(bad\): failed: true'; then
		fail "with -k: the job summary does not name the set left out"
	else
		ok
	fi
fi

case="sets of different profiles are refused, each named with its profile"
fresh
sed 's/^profile: smoke$/profile: quick/' "$tmp/sets/$B/bench.txt" >"$tmp/x" && mv "$tmp/x" "$tmp/sets/$B/bench.txt"
run "$tmp/sets" -o "$tmp/out" -k
if [ "$status" != 2 ]; then
	fail "status $status, want 2"
elif ! has "$tmp/stderr" "refused $tmp/sets/$A \\(epyc-1core\\): profile smoke" ||
	! has "$tmp/stderr" "refused $tmp/sets/$B \\(epyc-2core\\): profile quick"; then
	fail "the refusal does not name both sets and their profiles"
elif ! has "$tmp/stderr" 'different profiles'; then
	fail "it does not say why"
else
	run "$tmp/sets" -o "$tmp/out" -p quick
	if [ "$status" != 2 ] || ! has "$tmp/stderr" "refused $tmp/sets/$A \\(epyc-1core\\): profile smoke, not quick"; then
		fail "-p quick: status $status, want 2 and epyc-1core refused for its profile"
	else
		ok
	fi
fi

case="two sets of one machine are told apart by their stamps"
fresh
mkdir -p "$tmp/sets/again/epyc-1core/20261126T000000Z"
cp "$tmp/sets/$A/bench.txt" "$tmp/sets/again/epyc-1core/20261126T000000Z/bench.txt"
run "$tmp/sets" -o "$tmp/out"
if [ "$status" != 0 ]; then
	fail "status $status, want 0"
elif ! has "$tmp/stdout" '^baseline: epyc-1core@20261126T000000Z ' ||
	! has "$tmp/stdout" '^epyc-1core@20261125T102717Z vs epyc-1core@20261126T000000Z: ' ||
	! has "$tmp/stdout" '^epyc-2core vs epyc-1core@20261126T000000Z: '; then
	fail "the labels are not epyc-1core@<stamp> for the two sets of epyc-1core"
else
	ok
fi

case="two sets of one machine with one stamp are numbered"
fresh
mkdir -p "$tmp/sets/copy/epyc-1core/20261125T102717Z"
cp "$tmp/sets/$A/bench.txt" "$tmp/sets/copy/epyc-1core/20261125T102717Z/bench.txt"
run "$tmp/sets" -o "$tmp/out"
if [ "$status" != 0 ]; then
	fail "status $status, want 0"
elif ! has "$tmp/stdout" '^baseline: epyc-1core@20261125T102717Z#1 \('"$tmp/sets/$A"'\)$' ||
	! has "$tmp/stdout" '^epyc-1core@20261125T102717Z#2 vs epyc-1core@20261125T102717Z#1: '; then
	fail "the labels are not epyc-1core@20261125T102717Z#1 and #2 in path order"
else
	ok
fi

case="bad input: no sets, one set, a missing directory, a bad option, an unknown baseline"
fresh
mkdir -p "$tmp/empty"
msgs=""
run "$tmp/empty"
[ "$status" = 2 ] && has "$tmp/stderr" "no result set .* under $tmp/empty" || msgs="$msgs; empty directory: status $status"
run "$tmp/sets/concbench-set-000-epyc-1core"
[ "$status" = 2 ] && has "$tmp/stderr" 'need two or more result sets to compare, found 1' || msgs="$msgs; one set: status $status"
run "$tmp/nowhere"
[ "$status" = 2 ] && has "$tmp/stderr" "$tmp/nowhere: not a directory" || msgs="$msgs; missing directory: status $status"
run "$tmp/sets" -x
[ "$status" = 2 ] && has "$tmp/stderr" 'unknown option -x' || msgs="$msgs; bad option: status $status"
run "$tmp/sets" -o
[ "$status" = 2 ] && has "$tmp/stderr" '-o needs a value' || msgs="$msgs; -o without a value: status $status"
run
[ "$status" = 2 ] && has "$tmp/stderr" 'give the directory' || msgs="$msgs; no DIR: status $status"
run "$tmp/sets" -b nosuch
[ "$status" = 2 ] && has "$tmp/stderr" 'no result set labelled nosuch' || msgs="$msgs; unknown baseline: status $status"
run -h
[ "$status" = 0 ] && has "$tmp/stdout" '^usage: scripts/fleet-compare.sh DIR' || msgs="$msgs; -h: status $status"
if [ -n "$msgs" ]; then fail "${msgs#; }"; else ok; fi

echo "fleet-compare: $passed passed, $failed failed"
[ "$failed" = 0 ]
