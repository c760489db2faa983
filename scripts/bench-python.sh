#!/usr/bin/env bash
# bench-python.sh — run concbench's Python reference suite (scripts/pyref) per
# core count, pinned as the Go runs are, appending benchfmt lines to a file.
#
# usage: scripts/bench-python.sh [-o FILE] [-c "1 2 4"] [-n COUNT] [-p PROFILE]
#                                [-a HOST:PORT] [-b REGEXP] [-m MODELS]
#   -o FILE     append results here (default: OUT, else standard output)
#   -c CORES    core counts, space- or comma-separated (default: CORES, else
#               1, 2, 4, … up to this machine's CPUs, and the CPU count itself)
#   -n COUNT    rounds; each round runs every core count once (default: COUNT,
#               else by profile: smoke 1, quick 2, standard 3, full 10)
#   -p PROFILE  smoke|quick|standard|full (default: PROFILE, else standard)
#   -a ADDR     use this latency server (default: CONCBENCH_ADDR, else start
#               one with the concbench CLI, built from this repository)
#   -b REGEXP   only results whose names match (like -test.bench)
#   -m MODELS   comma-separated py-* models (default: all)
# Core counts above the machine's CPUs run unpinned and are marked
# oversubscribed. Without python3 >= 3.9 it says so in one line and exits 0.
# A run that fails does not stop the others; the exit status is then 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
py=${PYTHON:-python3}

out=${OUT:-}
cores=${CORES:-}
count=${COUNT:-}
profile=${PROFILE:-standard}
addr=${CONCBENCH_ADDR:-}
bench=.
models=
while getopts "o:c:n:p:a:b:m:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	c) cores=$OPTARG ;;
	n) count=$OPTARG ;;
	p) profile=$OPTARG ;;
	a) addr=$OPTARG ;;
	b) bench=$OPTARG ;;
	m) models=$OPTARG ;;
	h) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

if ! command -v "$py" >/dev/null 2>&1; then
	echo "bench-python: $py not found; skipping the Python reference suite (needs Python >= 3.9)"
	exit 0
fi
pyver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)
if [ -z "$pyver" ]; then
	echo "bench-python: $py does not run; skipping the Python reference suite (needs Python >= 3.9)"
	exit 0
fi
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
	echo "bench-python: $py is Python $pyver, older than 3.9; skipping the Python reference suite"
	exit 0
fi

case $profile in
smoke | quick | standard | full) ;;
*) echo "bench-python: unknown profile '$profile' (want smoke|quick|standard|full)" >&2; exit 2 ;;
esac

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
if [ -z "$count" ]; then
	case $profile in smoke) count=1 ;; quick) count=2 ;; standard) count=3 ;; full) count=10 ;; esac
fi

if [ -n "$out" ]; then
	mkdir -p "$(dirname "$out")"
	exec 4>>"$out"
else
	exec 4>&1
fi

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

if [ -z "$addr" ]; then
	# The latency server runs in its own process, outside the measured one.
	(cd "$repo" && go build -o "$tmp/concbench" ./cmd/concbench)
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

# Calibrate once, on one pinned CPU, so every run of the set has the same mix
# tasks (their unit count follows the calibrated cost of a Python primes unit).
cal=()
command -v taskset >/dev/null 2>&1 && cal=(taskset -c 0)
# (${a[@]+"${a[@]}"}: macOS's bash 3.2 calls an empty array unbound.)
unit_ns=$(${cal[@]+"${cal[@]}"} "$py" "$here/pyref/concbench_py.py" --calibrate)
args=(--profile "$profile" --addr "$addr" --bench "$bench" --count 1 --unit-ns "$unit_ns" --verbose)
[ -n "$models" ] && args+=(--models "$models")
ncells=$(($(echo $cores | wc -w) * count))
done_=0
failed=0
start=$(date +%s)
echo "bench-python: Python $pyver, profile $profile, cores [$cores], $count round(s), server $addr, unit ns $unit_ns" >&2
for r in $(seq "$count"); do
	for k in $cores; do
		[ "$interrupted" = 1 ] && break 2
		el=$(($(date +%s) - start))
		echo "bench-python: round $r/$count, cores $k ($done_/$ncells runs done, ${el}s elapsed)" >&2
		if [ "$k" -le "$ncpu" ] && command -v taskset >/dev/null 2>&1; then
			pin=(taskset -c "0-$((k - 1))")
			aff=
			pinned=true
		else
			pin=()
			aff=unpinned
			pinned=false
		fi
		# As bench.sh records of every Go run; the run's own config lines
		# follow, and this one holds until the next run says otherwise.
		echo "pinned: $pinned" >&4
		set +e
		${pin[@]+"${pin[@]}"} "$py" "$here/pyref/concbench_py.py" --cores "$k" --round "$r" \
			${aff:+--affinity "$aff"} "${args[@]}" >&4
		rc=$?
		set -e
		[ "$rc" -gt 128 ] && interrupted=1
		if [ "$rc" -ne 0 ]; then
			failed=1
			echo "bench-python: cores $k round $r exited with status $rc" >&2
		fi
		done_=$((done_ + 1))
	done
done
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
