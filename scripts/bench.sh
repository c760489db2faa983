#!/usr/bin/env bash
# scripts/bench.sh — run the concbench matrix across core counts, the way
# `make bench` does. See README.md ("Running it: profiles and knobs").
#
# It builds the bench test binary once, then runs it COUNT rounds; each round
# runs every core count k once, in a shuffled order, pinned with taskset
# (children inherit the mask) to the k CPUs that concbench describe -pin
# chooses from the machine's topology (distinct physical cores first, from
# one package, the fastest first; SMT siblings only once every core of the
# package is used; another package after that), and with -test.cpu k; where
# the topology cannot be read, to CPUs 0..k-1. Each run records its CPUs and
# what they are (cpu-list, cpu-smt, cpu-packages, …). Counts above the
# machine's CPUs run unpinned and are marked oversubscribed. Where there is
# no taskset (macOS), every run is unpinned, with GOMAXPROCS=k only, and
# says so (pinned: false).
#
# One schedule for both languages: the Python reference suite
# (scripts/bench-python.sh) runs its rounds between the Go rounds, so that
# drift of the host moves Go's cells and CPython's alike. It has fewer
# rounds (py-rounds of the profile, or COUNT when given), each running every
# interpreter at every core count; Python round j runs right after Go round
# ceil((2j-1)·COUNT / (2·py-rounds)), the middle of its share of the Go
# rounds: with 5 Go rounds and 3 Python ones, after Go rounds 1, 3 and 5;
# with as many of each, after every Go round. The suite starts once (its
# interpreters calibrated, its latency server up) before the first Go round
# and waits, idle, between its rounds, so the wall time is that of running
# the two one after the other. Adaptive rounds come after all of it, for
# Go's undecided verdicts and each interpreter's alike: a pattern of py-*
# cells goes to the suite, still up, which re-runs them with the tasks it
# ran in its rounds.
#
# It runs under macOS's bash 3.2 and BSD tools: no associative arrays, no
# negative array indexes, no "${empty[@]}" under set -u, no wait on a
# process substitution, and no shuf or nproc are assumed. Results go to
# results/<machine>/<UTC stamp>/bench.txt, written once at the end (or on
# Ctrl-C, marked incomplete), never over an existing file. A run that fails
# (a model's error fails its cell) keeps what was measured and its
# "--- FAIL:" lines, marks the set "failed: true", writes the report and
# exits with status 1.
#
# The profiles' numbers (rounds, time per cell, adaptive budget, and the
# Python suite's) live in one place, bench.Profile in bench/matrix.go; this
# script reads them through `concbench describe -profile NAME -settings`.
#
# Knobs (environment): PROFILE (smoke|quick|standard|full, default standard),
# CORES (e.g. "1,2"), COUNT (rounds, instead of the profile's), MACHINE
# (default: hostname), BENCHTIME (per cell, go test -benchtime syntax,
# instead of the profile's), OUT (results root), PYTHON_SUITE=0 (leave out
# the Python reference suite), BENCH (a go test -bench pattern that narrows
# the matrix, e.g. 'Overhead' or 'Mix/cpu=90/model=seq$'; the package's
# other benchmarks never run), BUDGET (time for adaptive rounds of
# undecided cells: 90, 90s, 2m; 0 for none; instead of the profile's),
# MAX_LOOKS (the most adaptive rounds, 8), TASK (task files, TOML, each one
# more BenchmarkCores workload: "a.toml b.toml" or a glob, "tasks/*.toml"). PYTHONS (the interpreters of the
# Python suite, e.g. "python3 /path/python3.14 python3.14t") and
# START_METHODS (e.g. fork,forkserver,spawn) go to scripts/bench-python.sh
# as they are.
# FUNC and ARGS (make bench-python's user function) are not for the matrix:
# they are dropped, with a line saying so.
# For tests only: CONCBENCH_SYSFS=DIR chooses the CPUs from the sysfs tree
# at DIR instead of this machine's; CONCBENCH_UNDECIDED=FILE makes every
# adaptive round re-run FILE's "CORES PATTERN" lines instead of those the
# report lists.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${PROFILE:-standard}
MACHINE=${MACHINE:-$(hostname)}
OUT=${OUT:-results}
# The machine's CPUs: nproc (GNU), sysctl (macOS, the BSDs), getconf.
cpu_count() {
	if command -v nproc >/dev/null 2>&1; then
		nproc --all
	elif sysctl -n hw.ncpu 2>/dev/null; then
		:
	else
		getconf _NPROCESSORS_ONLN
	fi
}
ncpu=$(cpu_count)
# Without taskset, runs cannot be pinned; GOMAXPROCS alone sets the cores.
have_taskset=false
command -v taskset >/dev/null 2>&1 && have_taskset=true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The report, built once: it holds the profiles' settings, and adaptive
# rounds ask it which cells are undecided.
go build -o "$tmp/concbench" ./cmd/concbench
# Fixed rounds, time per cell, and the budget (seconds) for adaptive rounds
# of undecided cells, from the profile (bench/matrix.go).
if ! "$tmp/concbench" describe -profile "$PROFILE" -settings >"$tmp/settings.txt" 2>"$tmp/settings.err"; then
	echo "bench.sh: PROFILE '$PROFILE': $(sed 's/^concbench describe: //' "$tmp/settings.err")" >&2
	exit 2
fi
setting() { sed -n "s/^$1=//p" "$tmp/settings.txt"; }
count=$(setting rounds)
benchtime=$(setting benchtime)
budget=$(setting budget)
budget=${budget%s}
py_count=$(setting py-rounds)
if ! [[ "$count" =~ ^[1-9][0-9]*$ && "$py_count" =~ ^[1-9][0-9]*$ && "$budget" =~ ^[0-9]+$ && -n "$benchtime" ]]; then
	echo "bench.sh: concbench describe -settings gave rounds='$count' py-rounds='$py_count' benchtime='$benchtime' budget='$budget'" >&2
	exit 1
fi
user_count=${COUNT:-}
COUNT=${COUNT:-$count}
BENCHTIME=${BENCHTIME:-$benchtime}
# usage_error MESSAGE: a knob is wrong; nothing was measured.
usage_error() {
	echo "bench.sh: $1" >&2
	exit 2
}
if ! [[ "$COUNT" =~ ^[1-9][0-9]*$ ]]; then usage_error "COUNT must be a positive integer, got '$COUNT'"; fi
# COUNT, when given, is the Python suite's rounds too.
py_count=${user_count:-$py_count}
# BUDGET: seconds, or a number with s, m or h.
if [ -n "${BUDGET:-}" ]; then
	case "$BUDGET" in
	*h) budget=$((${BUDGET%h} * 3600)) ;;
	*m) budget=$((${BUDGET%m} * 60)) ;;
	*s) budget=${BUDGET%s} ;;
	*) budget=$BUDGET ;;
	esac 2>/dev/null || usage_error "BUDGET must be seconds or a number with s, m or h, got '$BUDGET'"
	if ! [[ "$budget" =~ ^[0-9]+$ ]]; then usage_error "BUDGET must be seconds or a number with s, m or h, got '$BUDGET'"; fi
fi
MAX_LOOKS=${MAX_LOOKS:-8}
# make exports FUNC and ARGS for make bench-python; the matrix's Python
# suite runs its own cells, never a user's function.
if [ -n "${FUNC:-}${ARGS:-}" ]; then
	echo "bench: FUNC and ARGS run a function of yours with make bench-python FUNC=... ARGS=...; make bench runs the matrix without them" >&2
fi
unset FUNC ARGS

# Default core counts: 1, 2, 4, … up to the machine's CPUs, plus the count
# itself; the full profile adds 2× the CPUs, oversubscribed.
if [ -z "${CORES:-}" ]; then
	cores=()
	for ((k = 1; k <= ncpu; k *= 2)); do cores+=("$k"); done
	[ "${cores[${#cores[@]} - 1]}" = "$ncpu" ] || cores+=("$ncpu")
	[ "$PROFILE" = full ] && cores+=($((2 * ncpu)))
else
	IFS=', ' read -r -a cores <<<"$CORES"
fi
[ "${#cores[@]}" -gt 0 ] || usage_error "CORES lists no core count"
for k in "${cores[@]}"; do
	if ! [[ "$k" =~ ^[1-9][0-9]*$ ]]; then usage_error "CORES must list positive integers, got '$CORES'"; fi
done

# TASK: users' task files. Every one is checked (concbench task check)
# before anything runs: a bad one is refused with FILE:LINE: FIELD on
# stderr and no result set. The kernels' unit costs are calibrated once
# (concbench task units), so that a compute step given by time gets the
# same units in every run of the set. The list, globs expanded, goes to
# the bench binary (-concbench.task, -concbench.unit-ns) and, as TASK, to
# the Python suite, which sizes a step given by time at its interpreter's
# own unit costs (concbench_py --costs), not at Go's.
task_files=()
task_args=()
if [ -n "${TASK:-}" ]; then
	# Split on blanks and expand globs, as the shell would on a command line.
	# shellcheck disable=SC2206
	task_files=($TASK)
	unit_ns=$("$tmp/concbench" task units)
	if ! "$tmp/concbench" task check -profile "$PROFILE" -unit-ns "$unit_ns" "${task_files[@]}" >/dev/null; then
		echo "bench.sh: TASK: refused (see above); nothing was run" >&2
		exit 2
	fi
	TASK="${task_files[*]}"
	export TASK
	task_args=(-concbench.unit-ns "$unit_ns")
	for f in "${task_files[@]}"; do task_args+=(-concbench.task "$f"); done
fi

# The CPUs each core count is pinned to, chosen from the topology.
pins="$tmp/pins.txt"
: >"$pins"
if [ "$have_taskset" = true ]; then
	if "$tmp/concbench" describe -pin ${CONCBENCH_SYSFS:+-sysfs "$CONCBENCH_SYSFS"} -cores "${cores[*]}" >"$pins" 2>"$tmp/pins.err"; then
		echo "bench: cores on CPUs: $(awk -F'\t' 'NR > 1 && $2 != "-" { printf "%s%s → %s%s", sep, $1, $2, ($5 == "-" ? "" : " (" $5 ")"); sep = "; " }' "$pins")" >&2
	else
		echo "bench: no CPU topology to choose cores from ($(sed 's/^concbench describe: //' "$tmp/pins.err")); k cores are CPUs 0..k-1" >&2
		: >"$pins"
	fi
fi
# cpus_for K prints the CPUs that K cores are pinned to; nothing where the
# topology leaves K unpinned (more than the CPUs this process may use).
cpus_for() {
	if [ -s "$pins" ]; then
		awk -F'\t' -v k="$1" '$1 == k && $2 != "-" { print $2; exit }' "$pins"
	else
		echo "0-$(($1 - 1))"
	fi
}

# The six benchmarks of the matrix; the package's other benchmarks (model
# micro-benchmarks) are for go test users, not for result sets.
MATRIX='^Benchmark(Cores|Mix|Fanout|Grain|Overhead|Convoy)$'
pattern=${BENCH:-$MATRIX}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir="$OUT/$MACHINE/$stamp"
n=1
while [ -e "$dir" ]; do n=$((n + 1)); dir="$OUT/$MACHINE/$stamp-$n"; done
mkdir -p "$dir"
partial="$tmp/partial.txt"
: >"$partial"
# The Go runs alone: the config keys no Go run writes are the Python
# suite's, cleared after each of its runs.
go_partial="$tmp/go.txt"
: >"$go_partial"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi

echo "bench: building the test binary" >&2
# Static (CGO_ENABLED=0): a cgo-linked binary pays the dynamic loader at
# every worker process start, ~1 ms more per procs task than CPython fork.
CGO_ENABLED=0 go test -c -o "$tmp/bench.test" ./bench

# The package's benchmarks outside the matrix are skipped by name, so that
# a BENCH pattern cannot reach them.
others=$("$tmp/bench.test" -test.list '^Benchmark' | { grep -Ev "$MATRIX" || true; } | paste -sd'|' -)
skip="^(${others:-^\$})\$"

# Count every cell per core count for the progress line (an indexed array
# by k: bash 3.2 has no associative arrays).
cells=()
total=0
for k in "${cores[@]}"; do
	cells[k]=$("$tmp/bench.test" -concbench.list -concbench.profile "$PROFILE" ${task_args[@]+"${task_args[@]}"} -test.cpu "$k" -test.bench "$pattern" | wc -l)
	total=$((total + cells[k] * COUNT))
done
if [ "$total" = 0 ]; then echo "bench.sh: BENCH='${BENCH:-}' selects no cell of the matrix" >&2; rm -rf "$tmp"; rmdir "$dir"; exit 2; fi
echo "bench: profile $PROFILE, cores ${cores[*]}, $COUNT round(s), $total cells, then up to ${budget}s of adaptive rounds, into $dir" >&2

finish() {
	local status=$1
	{
		echo "machine: $MACHINE"
		echo "commit: $commit"
		echo "rounds: $COUNT"
		[ "$status" = complete ] || echo "incomplete: true"
		[ "$failed" = 0 ] || echo "failed: true"
		cat "$partial"
	} >"$tmp/bench.txt"
	# Never overwrite: the stamp directory is new, and mv -n refuses to clobber.
	mv -n "$tmp/bench.txt" "$dir/bench.txt"
}

interrupted=0
failed=0
child=""
# The children run as background jobs, which ignore SIGINT (bash starts
# them so without job control): they are stopped with SIGTERM.
on_signal() {
	interrupted=1
	if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap on_signal INT TERM

done_cells=0
start=$(date +%s)
last_print=0
tty=0
[ -t 2 ] && tty=1
fmt_time() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }
# A random order of the lines on stdin: shuf, or awk where there is none.
shuffle() {
	if command -v shuf >/dev/null 2>&1; then
		shuf
	else
		awk -v seed="$RANDOM" 'BEGIN { srand(seed) } { print rand() "\t" $0 }' | sort -n | cut -f2-
	fi
}
# The one-minute load average: /proc on Linux, sysctl elsewhere.
load1() {
	if [ -r /proc/loadavg ]; then
		cut -d' ' -f1 /proc/loadavg
	else
		sysctl -n vm.loadavg 2>/dev/null | tr -d '{}' | awk '{ print $1 }'
	fi
}

# run_at K ROUND PATTERN ADAPTIVE runs the binary once at K cores over the
# cells PATTERN selects, and appends its results, under a head of config
# lines, to the partial result file.
run_at() {
	local k=$1 round=$2 pat=$3 adaptive=$4
	local pin=() pinned=false over=true
	if [ "$k" -le "$ncpu" ]; then
		over=false
		local cpus=""
		[ "$have_taskset" = false ] || cpus=$(cpus_for "$k")
		if [ -n "$cpus" ]; then
			pin=(taskset -c "$cpus")
			pinned=true
		fi
	fi
	local run="$tmp/run.txt"
	{
		echo "round: $round"
		echo "cores: $k"
		echo "oversubscribed: $over"
		echo "pinned: $pinned"
		echo "adaptive: $adaptive"
	} >"$tmp/head.txt"
	: >"$run"
	# The binary's stdout is both the result and the progress source,
	# through a FIFO: bash 3.2 cannot wait for a process substitution.
	# GOMAXPROCS=k too: unpinned runs would default to the machine's
	# CPU count.
	rm -f "$tmp/out.fifo"
	mkfifo "$tmp/out.fifo"
	GOMAXPROCS=$k ${pin[@]+"${pin[@]}"} "$tmp/bench.test" -test.run '^$' -test.bench "$pat" -test.skip "$skip" -test.cpu "$k" \
		-test.count 1 -test.benchtime "$BENCHTIME" -test.timeout 0 -concbench.profile "$PROFILE" ${task_args[@]+"${task_args[@]}"} \
		</dev/null >"$tmp/out.fifo" 2>>"$dir/stderr.log" &
	child=$!
	exec 3<"$tmp/out.fifo"
	local line name now el eta msg
	while IFS= read -r line <&3; do
		printf '%s\n' "$line" >>"$run"
		case "$line" in
		Benchmark*ns/op* | "--- SKIP: "* | "--- FAIL: "*/*)
			done_cells=$((done_cells + 1))
			name=${line%%[[:space:]]*}
			[ "${line#--- }" != "$line" ] && name=${line#--- * }
			now=$(date +%s)
			el=$((now - start))
			if [ "$adaptive" = true ]; then
				msg=$(printf 'bench: %s elapsed — adaptive round %d, cores %d: %s' "$(fmt_time $el)" "$round" "$k" "${name%%:*}")
			else
				eta=$((done_cells > 0 ? el * (total - done_cells) / done_cells : 0))
				msg=$(printf 'bench: [%d/%d] %s elapsed, ETA %s — round %d, cores %d: %s' \
					"$done_cells" "$total" "$(fmt_time $el)" "$(fmt_time $eta)" "$round" "$k" "${name%%:*}")
			fi
			if [ "$tty" = 1 ]; then
				printf '\r%-150.150s' "$msg" >&2
			elif [ $((now - last_print)) -ge 10 ] || [ "$done_cells" = "$total" ]; then
				# Not a terminal (CI, a log file): a line every 10 s.
				echo "$msg" >&2
				last_print=$now
			fi
			;;
		esac
	done
	local status=0
	wait "$child" || status=$?
	child=""
	exec 3<&-
	local la
	la=$(load1)
	[ -z "$la" ] || echo "load-after: $la" >>"$tmp/head.txt"
	cat "$tmp/head.txt" "$run" >>"$partial"
	cat "$tmp/head.txt" "$run" >>"$go_partial"
	if [ "$status" != 0 ] && [ "$interrupted" = 0 ]; then
		failed=1
		[ "$tty" = 1 ] && echo >&2
		echo "bench: the run at $k cores failed with status $status (see $dir/stderr.log and the --- FAIL lines in bench.txt); going on, the set will be marked failed" >&2
	fi
}

# The Python suite, when it runs, is a background process told through two
# FIFOs when to run its next round (bench-python.sh -g). This script holds
# both FIFOs open read-write, so that no open blocks whatever the suite
# does, and notices the suite's end by its process, not by end of file.
py_pid=""
py_round=0
py_status=0
if [ "${PYTHON_SUITE:-1}" != 0 ]; then
	mkdir "$tmp/gate"
	mkfifo "$tmp/gate/go" "$tmp/gate/ready"
	exec 8<>"$tmp/gate/go" 9<>"$tmp/gate/ready"
	echo "bench: the Python reference suite${PYTHONS:+ under $PYTHONS}${START_METHODS:+, start methods $START_METHODS}, $py_count round(s) between the Go rounds (PYTHON_SUITE=0 to leave it out)" >&2
	# COUNT may be exported (make exports it, empty or not); the Python
	# suite must not see the Go rounds through it. PYTHONS and
	# START_METHODS reach it from the environment, as given.
	PYTHONS=${PYTHONS:-} START_METHODS=${START_METHODS:-} env -u COUNT scripts/bench-python.sh -g "$tmp/gate" -o "$partial" -p "$PROFILE" \
		-c "${cores[*]}" -n "$py_count" ${BENCH:+-b "$BENCH"} 2>>"$dir/stderr.log" >&2 8>&- 9>&- &
	py_pid=$!
fi
# py_wait waits until the Python suite is between rounds (it wrote a line
# to the ready FIFO) and returns 0, or until it has ended and returns 1.
py_wait() {
	local line
	child=$py_pid
	while [ "$interrupted" = 0 ]; do
		if read -r -t 1 line <&9; then
			child=""
			return 0
		fi
		kill -0 "$py_pid" 2>/dev/null || break
	done
	child=""
	py_end
	return 1
}
# py_end closes the suite's go FIFO, which stops it before its next round,
# and waits for it.
py_end() {
	[ -n "$py_pid" ] || return 0
	exec 8>&-
	wait "$py_pid" || py_status=$?
	py_pid=""
	exec 9<&-
}
# py_run runs the Python suite's next round.
py_run() {
	local from
	from=$(($(wc -c <"$partial") + 1))
	py_round=$((py_round + 1))
	echo "bench: Python round $py_round of $py_count" >&2
	echo run >&8
	py_wait || return 0
	py_clear "$from"
}
# py_adaptive ROUND K TAGS PATTERN has the suite re-run, at K cores, the
# cells of the interpreters TAGS (comma-separated) that PATTERN (a go test
# -bench pattern of the report's) selects, as adaptive round ROUND.
py_adaptive() {
	local from re
	from=$(($(wc -c <"$partial") + 1))
	# The suite matches one regexp against the whole name: the report's
	# levels, each "^…$", joined by "/", are one "^…/…$".
	re=$(printf '%s\n' "$4" | sed 's#\$/\^#/#g')
	echo "adaptive $1 $2 $3 $re" >&8
	py_wait || return 0
	py_clear "$from"
}
# py_clear FROM: the Python suite's config lines from byte FROM of the
# partial results on (the interpreter's, runner: pyref) would hold for the
# Go results after them, as benchfmt carries config over; so every key
# they hold that no Go run writes is cleared with an empty value.
py_clear() {
	config_keys <"$go_partial" >"$tmp/go-keys.txt"
	tail -c +"$1" "$partial" | config_keys | LC_ALL=C comm -23 - "$tmp/go-keys.txt" | sed 's/$/:/' >"$tmp/clear.txt"
	cat "$tmp/clear.txt" >>"$partial"
}
# pattern_models PATTERN prints the models a report's pattern names, one a
# line, unquoted; py_tags PATTERN the tags of the interpreters among them
# (3.11,3.14t), comma-separated; go_models PATTERN how many are Go's. A
# pattern with no model level is Go's.
pattern_models() {
	printf '%s\n' "$1" | sed -n 's#.*/^model=(\(.*\))\$.*#\1#p' | tr '|' '\n' | sed 's/\\//g'
}
py_tags() {
	pattern_models "$1" | sed -n 's/^py-[^@]*@\([^-]*\).*/\1/p' | awk '!seen[$0]++' | paste -sd, -
}
go_models() {
	if printf '%s\n' "$1" | grep -q '/^model=('; then
		pattern_models "$1" | grep -vc '^py-' || true
	else
		echo 1
	fi
}
# config_keys lists the keys of the benchfmt config lines on stdin, sorted.
config_keys() {
	sed -n 's/^\([a-z][^[:space:]:A-Z]*\):.*/\1/p' | LC_ALL=C sort -u
}

# The suite's set-up (calibration, its latency server) ends before the
# first Go run; it measures nothing but must not overlap one.
[ -z "$py_pid" ] || py_wait || true
for ((round = 1; round <= COUNT && !interrupted; round++)); do
	for k in $(printf '%s\n' "${cores[@]}" | shuffle); do
		[ "$interrupted" = 1 ] && break
		run_at "$k" "$round" "$pattern" false
	done
	[ "$tty" = 1 ] && echo >&2
	# The Python rounds whose place is after this Go round.
	while [ -n "$py_pid" ] && [ "$interrupted" = 0 ] && [ "$py_round" -lt "$py_count" ] &&
		[ $(((2 * (py_round + 1) - 1) * COUNT)) -le $((2 * py_count * round)) ]; do
		py_run
	done
done

# Adaptive rounds: while the budget lasts, the report names the cells its
# undecided verdicts wait on ("CORES PATTERN" lines), and one more round runs
# just those, marked "adaptive: true": the Go binary the patterns with Go
# models, the Python suite those with py-* models, for each interpreter
# they name (a pattern may hold both). Each interpreter's verdicts are
# looked at as Go's are, so they get rounds as Go's do. Each look is a chance to stop on a
# lucky draw, so the report multiplies the p-value of a claim whose cells
# had L adaptive rounds by 1+L (Bonferroni over its looks), before Holm
# within its family. It stops when every verdict is decided, the budget is
# spent, or after MAX_LOOKS rounds.
adaptive_rounds=0
if [ "$interrupted" = 0 ] && [ "$failed" = 0 ] && [ "$budget" -gt 0 ]; then
	adaptive_end=$(($(date +%s) + budget))
	round=$COUNT
	while [ "$interrupted" = 0 ] && [ "$adaptive_rounds" -lt "$MAX_LOOKS" ] && [ "$(date +%s)" -lt "$adaptive_end" ]; do
		{ echo "machine: $MACHINE"; cat "$partial"; } >"$tmp/sofar.txt"
		if [ -n "${CONCBENCH_UNDECIDED:-}" ]; then
			cp "$CONCBENCH_UNDECIDED" "$tmp/undecided.txt"
		elif ! "$tmp/concbench" report -undecided -horizon $((MAX_LOOKS - adaptive_rounds)) "$tmp/sofar.txt" >"$tmp/undecided.txt" 2>>"$dir/stderr.log"; then
			echo "bench: the report could not list the undecided cells (see $dir/stderr.log); no adaptive rounds" >&2
			break
		fi
		[ -s "$tmp/undecided.txt" ] || break
		round=$((round + 1))
		adaptive_rounds=$((adaptive_rounds + 1))
		echo "bench: adaptive round $adaptive_rounds: $(wc -l <"$tmp/undecided.txt" | tr -d ' ') pattern(s) of undecided cells, $(fmt_time $((adaptive_end - $(date +%s)))) of the budget left" >&2
		shuffle <"$tmp/undecided.txt" >"$tmp/order.txt"
		exec 4<"$tmp/order.txt"
		while read -r k pat <&4; do
			if [ "$interrupted" != 0 ] || [ "$(date +%s)" -ge "$adaptive_end" ]; then break; fi
			[ "$(go_models "$pat")" = 0 ] || run_at "$k" "$round" "$pat" true
			tags=$(py_tags "$pat")
			if [ -n "$tags" ] && [ "$interrupted" = 0 ]; then
				if [ -n "$py_pid" ]; then
					echo "bench: adaptive round $adaptive_rounds, cores $k: Python $tags" >&2
					py_adaptive "$round" "$k" "$tags" "$pat"
				else
					echo "bench: adaptive round $adaptive_rounds, cores $k: no Python suite to re-run Python $tags's cells" >&2
				fi
			fi
		done
		exec 4<&-
		[ "$tty" = 1 ] && echo >&2
	done
fi
py_end
# A failure of the Python suite fails the set, but does not take the Go
# cells' adaptive rounds away.
if [ "$py_status" != 0 ] && [ "$interrupted" = 0 ]; then
	failed=1
	echo "bench: the Python suite failed (see $dir/stderr.log); the set will be marked failed" >&2
fi

if [ "$interrupted" = 1 ]; then
	finish incomplete
	echo "bench: interrupted; kept what was measured in $dir/bench.txt (marked incomplete)" >&2
	# A partial report of what was measured; it says what is missing.
	"$tmp/concbench" report -o "$dir" "$dir/bench.txt" >/dev/null 2>&1 || true
	rm -rf "$tmp"
	exit 130
fi
finish complete
echo "bench: $done_cells cells ($adaptive_rounds adaptive rounds) in $(fmt_time $(($(date +%s) - start))); results in $dir/bench.txt" >&2
echo "bench: writing the report" >&2
report_ok=true
"$tmp/concbench" report -o "$dir" "$dir/bench.txt" || report_ok=false
rm -rf "$tmp"
if [ "$report_ok" = true ]; then
	echo "bench: report in $dir/index.html (and summary.md, results.csv, charts/)" >&2
else
	echo "bench: the report failed; the results stand in $dir/bench.txt (make report RESULTS=$dir)" >&2
	exit 1
fi
if [ "$failed" = 1 ]; then
	echo "bench: FAILED: some runs failed; the set is marked failed: true (see the --- FAIL lines in $dir/bench.txt and $dir/stderr.log)" >&2
	exit 1
fi
