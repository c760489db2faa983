#!/usr/bin/env bash
# bench-python.sh — run concbench's Python reference suite (scripts/pyref)
# under one or more interpreters, per core count, pinned as the Go runs are,
# appending benchfmt lines to a file.
#
# usage: scripts/bench-python.sh [-o FILE] [-c "1 2 4"] [-n COUNT] [-p PROFILE]
#                                [-a HOST:PORT] [-b REGEXP] [-m MODELS] [-g DIR]
#   -o FILE     append results here (default: OUT, else standard output)
#   -c CORES    core counts, space- or comma-separated (default: CORES, else
#               1, 2, 4, … up to this machine's CPUs, and the CPU count itself)
#   -n COUNT    rounds; each round runs every interpreter at every core count
#               once (default: COUNT, else the profile's py-rounds)
#   -p PROFILE  smoke|quick|standard|full (default: PROFILE, else standard)
#   -a ADDR     use this latency server (default: CONCBENCH_ADDR, else start
#               one with the concbench CLI, built from this repository)
#   -b REGEXP   only results whose names match (like -test.bench)
#   -m MODELS   comma-separated py-* approaches (default: all)
#   -g DIR      run a round only when told to (bench.sh runs its rounds
#               between the Go rounds this way): when ready for round r it
#               writes "ready r" to the FIFO DIR/ready, then waits for a
#               line "run" on the FIFO DIR/go; any other line, or the end
#               of DIR/go, stops it there, status 0. After its last round
#               it writes "done", then runs adaptive runs as told: a line
#               "adaptive ROUND CORES TAGS REGEXP" runs the interpreters
#               whose tags TAGS lists (comma-separated) at CORES over the
#               results REGEXP matches, marked "adaptive: true", and writes
#               "done"; any other line, or the end of DIR/go, ends it.
# Environment: PYTHONS, the interpreters, space-separated (default: PYTHON,
# else python3; one that is missing or older than 3.9 is skipped with a
# line saying so); START_METHODS, comma-separated multiprocessing start
# methods, each process model running once per method (default: each
# interpreter's own); TASK, task files (TOML, space-separated), each one
# more BenchmarkCores workload, as bench.sh checks and passes them; FUNC
# and ARGS, a user's own function and its calls, run instead of the
# suite's cells (the suite's --func and --args; see scripts/pyref/README.md);
# for tests only, CONCBENCH_SYSFS=DIR chooses the CPUs from the sysfs tree
# at DIR.
# The profile's numbers come from `concbench describe -profile P -settings`,
# and the batches the suite runs, with each model's predicted time, from
# `concbench describe -tasks`, built for each interpreter's measured costs.
# Core counts above the machine's CPUs run unpinned and are marked
# oversubscribed. A run that fails does not stop the others; the exit
# status is then 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
suite="$here/pyref/concbench_py.py"

out=${OUT:-}
cores=${CORES:-}
count=${COUNT:-}
profile=${PROFILE:-standard}
addr=${CONCBENCH_ADDR:-}
pythons=${PYTHONS:-${PYTHON:-python3}}
methods=${START_METHODS:-}
bench=.
models=
gate=
while getopts "o:c:n:p:a:b:m:g:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	c) cores=$OPTARG ;;
	n) count=$OPTARG ;;
	p) profile=$OPTARG ;;
	a) addr=$OPTARG ;;
	b) bench=$OPTARG ;;
	m) models=$OPTARG ;;
	g) gate=$OPTARG ;;
	h) sed -n '2,43p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
if [ -n "$gate" ]; then
	# Opened first, before anything can fail: the runner holds both ends
	# open read-write, so neither open blocks.
	exec 6>"$gate/ready" 7<"$gate/go"
fi

# The interpreters that can run the suite, and each one's tag (3.14, 3.14t).
pys=()
tags=()
for py in $pythons; do
	if ! command -v "$py" >/dev/null 2>&1; then
		echo "bench-python: skipping $py: not found" >&2
		continue
	fi
	ver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)
	if [ -z "$ver" ]; then
		echo "bench-python: skipping $py: it does not run" >&2
		continue
	fi
	if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
		echo "bench-python: skipping $py: Python $ver, older than 3.9" >&2
		continue
	fi
	tag=$("$py" "$suite" --print-tag)
	for t in ${tags[@]+"${tags[@]}"}; do
		if [ "$t" = "$tag" ]; then
			echo "bench-python: skipping $py: Python $tag is in PYTHONS already" >&2
			continue 2
		fi
	done
	# An interpreter unpacked without its compiled standard library (as
	# ../shared/tools/get-python3.14 leaves one) compiles what it imports in
	# every new process and subinterpreter when PYTHONDONTWRITEBYTECODE is
	# set: the start-up the suite measures would be the compiler's (about
	# 0.5 s an interpreter here). Compile it once, where it is writable.
	if ! "$py" -c 'import importlib.util as u, os, sys; sys.exit(not os.path.exists(u.cache_from_source(os.__file__)))' 2>/dev/null; then
		stdlib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
		if [ -w "$stdlib" ]; then
			echo "bench-python: compiling $py's standard library once (it has no bytecode)" >&2
			"$py" -m compileall -q -j 0 -x '/(test|idlelib|tkinter|turtledemo)/' "$stdlib" >/dev/null 2>&1 || true
		else
			echo "bench-python: $py's standard library has no bytecode and is not writable: its process and interpreter start-up includes compiling it (python-stdlib-bytecode: none)" >&2
		fi
	fi
	pys+=("$py")
	tags+=("$tag")
done
if [ ${#pys[@]} -eq 0 ]; then
	echo "bench-python: no Python >= 3.9 among '$pythons'; skipping the Python reference suite" >&2
	exit 0
fi

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
if [ -z "$cores" ]; then
	cores=""
	k=1
	while [ "$k" -lt "$ncpu" ]; do cores="$cores $k"; k=$((k * 2)); done
	cores="$cores $ncpu"
fi
cores=$(echo "$cores" | tr ',' ' ')
for k in $cores; do
	case $k in '' | *[!0-9]* | 0) echo "bench-python: bad core count '$k'" >&2; exit 2 ;; esac
done

tmp=$(mktemp -d)
srv_pid=
interrupted=0
cleanup() {
	if [ -n "$srv_pid" ]; then
		exec 5>&- # closing the server's stdin makes it exit
		wait "$srv_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'interrupted=1' INT TERM

# The CLI says the profile's numbers (they live in Go alone) and serves
# the latency server.
(cd "$repo" && go build -o "$tmp/concbench" ./cmd/concbench)
if ! "$tmp/concbench" describe -profile "$profile" -settings >"$tmp/settings.txt" 2>"$tmp/settings.err"; then
	echo "bench-python: concbench describe -profile $profile -settings failed: $(cat "$tmp/settings.err")" >&2
	exit 2
fi
if [ -z "$count" ]; then
	count=$(sed -n 's/^py-rounds=//p' "$tmp/settings.txt")
	case $count in '' | *[!0-9]*)
		echo "bench-python: no py-rounds in concbench describe -profile $profile -settings" >&2
		exit 2 ;;
	esac
fi

if [ -n "$out" ]; then
	mkdir -p "$(dirname "$out")"
	exec 4>>"$out"
else
	exec 4>&1
fi

if [ -z "$addr" ]; then
	# The latency server runs in its own process, outside the measured one.
	mkfifo "$tmp/stdin"
	"$tmp/concbench" latency-server <"$tmp/stdin" >"$tmp/addr" &
	srv_pid=$!
	exec 5>"$tmp/stdin"
	for _ in $(seq 100); do
		addr=$(head -n1 "$tmp/addr" 2>/dev/null || true)
		[ -n "$addr" ] && break
		sleep 0.1
	done
	if [ -z "$addr" ]; then
		echo "bench-python: the latency server did not print its address" >&2
		exit 1
	fi
fi

# The CPUs each core count is pinned to, chosen as bench.sh chooses them
# for the Go runs (concbench describe -pin: distinct physical cores first),
# and the config lines that say what they are (cpu-list, cpu-smt, …);
# where the topology cannot be read, CPUs 0..k-1 and no such lines.
have_taskset=false
command -v taskset >/dev/null 2>&1 && have_taskset=true
for k in 1 $cores; do
	"$tmp/concbench" describe -pin -config ${CONCBENCH_SYSFS:+-sysfs "$CONCBENCH_SYSFS"} -cores "$k" >"$tmp/cpus-$k.txt" 2>/dev/null ||
		: >"$tmp/cpus-$k.txt"
done
# pin_list K prints the CPUs K cores are pinned to.
pin_list() {
	local list
	list=$(sed -n 's/^cpu-list: //p' "$tmp/cpus-$1.txt" 2>/dev/null)
	echo "${list:-0-$(($1 - 1))}"
}

# Measure each interpreter's costs once, on one pinned CPU (its unit costs,
# thread and worker starts), and have Go build its batches from them for
# each core count: every run of the set then has the same tasks (a mix
# task's unit count follows the cost of a Python primes unit, which differs
# between interpreters), and the suite keeps no generator of its own.
task_args=()
# shellcheck disable=SC2086 # TASK is a list of files, split as bench.sh passes it
for f in ${TASK:-}; do task_args+=(-task "$f"); done
sel=()
[ -n "$models" ] && sel+=(--models "$models")
[ -n "$methods" ] && sel+=(--start-methods "$methods")
cal=()
[ "$have_taskset" = false ] || cal=(taskset -c "$(pin_list 1)")
for i in "${!pys[@]}"; do
	# (${a[@]+"${a[@]}"}: macOS's bash 3.2 calls an empty array unbound.)
	# A user's function (FUNC) runs no batch of Go's: nothing to measure or build.
	[ -n "${FUNC:-}" ] && continue
	if ! ${cal[@]+"${cal[@]}"} "${pys[$i]}" "$suite" --costs ${sel[@]+"${sel[@]}"} >"$tmp/costs-$i.json"; then
		echo "bench-python: measuring ${pys[$i]}'s costs (--costs) failed" >&2
		exit 1
	fi
	for k in $cores; do
		if ! "$tmp/concbench" describe -profile "$profile" -cores "$k" ${task_args[@]+"${task_args[@]}"} -tasks -python "$tmp/costs-$i.json" \
			>"$tmp/tasks-$i-$k.json" 2>"$tmp/tasks.err"; then
			echo "bench-python: concbench describe -tasks for ${pys[$i]} at $k cores failed: $(cat "$tmp/tasks.err")" >&2
			exit 2
		fi
	done
done
args=(--addr "$addr" --count 1 --verbose ${sel[@]+"${sel[@]}"})
[ -n "${FUNC:-}" ] && args+=(--settings "$tmp/settings.txt" --func "$FUNC" --args "${ARGS:-}")
ncells=$(($(echo "$cores" | wc -w) * count * ${#pys[@]}))
done_=0
failed=0
start=$(date +%s)
echo "bench-python: Python ${tags[*]}, profile $profile, cores [$cores], $count round(s), server $addr" >&2
# run_one I K ROUND PATTERN ADAPTIVE runs interpreter I once at K cores,
# round ROUND, over the cells whose names PATTERN matches.
run_one() {
	local i=$1 k=$2 r=$3 pat=$4 adaptive=$5 pin aff pinned rc cells
	if [ "$k" -le "$ncpu" ] && [ "$have_taskset" = true ]; then
		pin=(taskset -c "$(pin_list "$k")")
		aff=
		pinned=true
	else
		pin=()
		aff=unpinned
		pinned=false
	fi
	# As bench.sh records of every Go run; the run's own config lines
	# follow, and these hold until the next run says otherwise. An
	# adaptive run says so (bench.sh's adaptive rounds); a fixed one
	# leaves the key to whoever wrote it last, as before.
	echo "pinned: $pinned" >&4
	[ "$adaptive" = false ] || echo "adaptive: true" >&4
	cat "$tmp/cpus-$k.txt" >&4
	set +e
	cells=()
	[ -z "${FUNC:-}" ] && cells=(--tasks "$tmp/tasks-$i-$k.json")
	${pin[@]+"${pin[@]}"} "${pys[$i]}" "$suite" --cores "$k" --round "$r" ${cells[@]+"${cells[@]}"} \
		${aff:+--affinity "$aff"} --bench "$pat" "${args[@]}" >&4
	rc=$?
	set -e
	[ "$rc" -gt 128 ] && interrupted=1
	if [ "$rc" -ne 0 ]; then
		failed=1
		echo "bench-python: Python ${tags[$i]}, cores $k, round $r exited with status $rc" >&2
	fi
	return 0
}
stopped=0
for r in $(seq "$count"); do
	if [ -n "$gate" ]; then
		echo "ready $r" >&6
		cmd=
		read -r cmd <&7 || true
		if [ "$cmd" != run ]; then
			echo "bench-python: stopped before round $r, as the runner asked" >&2
			stopped=1
			break
		fi
	fi
	for i in "${!pys[@]}"; do
		for k in $cores; do
			[ "$interrupted" = 1 ] && break 3
			el=$(($(date +%s) - start))
			echo "bench-python: round $r/$count, Python ${tags[$i]}, cores $k ($done_/$ncells runs done, ${el}s elapsed)" >&2
			run_one "$i" "$k" "$r" "$bench" false
			done_=$((done_ + 1))
		done
	done
done
# Adaptive runs (-g only): after its rounds, the suite says "done" and
# waits for lines "adaptive ROUND CORES TAGS PATTERN" (TAGS: the
# interpreters' tags, comma-separated, PATTERN: a regexp on result names),
# runs each, marked "adaptive: true", and says "done" again; any other
# line, or the end of DIR/go, ends it.
if [ -n "$gate" ] && [ "$stopped" = 0 ] && [ "$interrupted" = 0 ]; then
	echo "done" >&6
	while [ "$interrupted" = 0 ] && read -r cmd r k want pat <&7 && [ "$cmd" = adaptive ]; do
		case " $cores " in
		*" $k "*)
			for i in "${!pys[@]}"; do
				case ",$want," in *",${tags[$i]},"*) ;; *) continue ;; esac
				[ "$interrupted" = 1 ] && break
				echo "bench-python: adaptive round $r, Python ${tags[$i]}, cores $k: $pat" >&2
				run_one "$i" "$k" "$r" "$pat" true
			done
			;;
		*) echo "bench-python: adaptive round $r: $k cores is not among [$cores]; skipped" >&2 ;;
		esac
		echo "done" >&6
	done
fi
if [ "$interrupted" = 1 ]; then
	echo "incomplete: true" >&4
	echo "bench-python: interrupted; the results so far are kept" >&2
	exit 130
fi
echo "bench-python: done, $done_ runs in $(($(date +%s) - start))s" >&2
if [ "$failed" = 1 ]; then
	echo "bench-python: some runs failed" >&2
	exit 1
fi
