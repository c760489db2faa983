#!/usr/bin/env bash
# bench-python-set.sh — what `make bench-python` runs: the Python reference
# suite (scripts/pyref) added to an existing result set, written as a NEW
# result set. A result set is never changed after it is written.
#
# usage: scripts/bench-python-set.sh [SET]
#   SET   a result set directory (or its bench.txt); default: the newest
#         under OUT (default results)
#
# The new set is OUT/<machine>/<UTC stamp>/ beside SET: its bench.txt is
# "derived-from: SET" and "python-appended: true", then SET's bench.txt as
# it is, then the Python suite's lines; the report is written beside it.
# The suite runs on this machine, so SET must have been measured here: its
# "machine:" line must be MACHINE (default: the hostname, as make bench
# names sets). SET may hold Python results of other interpreters; one that
# has results of an interpreter asked for (the same tag: 3.11, 3.14t) is
# refused.
#
# With FUNC (a user's own function, MODULE:FUNCTION or FILE.py:FUNCTION,
# paths relative to the repository) and ARGS (its calls), the suite runs
# that function instead of its own cells, under every model and every
# interpreter of PYTHONS, and the new set holds just the function's cells:
# OUT/<machine>/<UTC stamp>/, made from no set, unless SET is given, whose
# lines the new set then starts with (only a set without a workload of the
# function's name). A FUNC or ARGS that names nothing is refused before any
# set is written.
#
# Environment: MACHINE, OUT, PROFILE, CORES, COUNT and BENCH as for
# bench.sh; PROFILE and CORES default to SET's own; PYTHONS (default:
# PYTHON, else python3) and START_METHODS as for bench-python.sh. A failed
# Python run marks the new set "failed: true" and the exit status is 1;
# Ctrl-C keeps what was measured, marked "incomplete: true" (status 130).
set -euo pipefail
cd "$(dirname "$0")/.."

# The tags of the interpreters asked for that can run the suite
# (bench-python.sh says which it skips and why).
pythons=${PYTHONS:-${PYTHON:-python3}}
want=
for py in $pythons; do
	if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
		want="$want $("$py" scripts/pyref/concbench_py.py --print-tag)"
	fi
done
if [ -z "$want" ]; then
	echo "bench-python: no Python >= 3.9 among '$pythons' here; skipping the Python reference suite"
	exit 0
fi

OUT=${OUT:-results}
machine=${MACHINE:-$(hostname)}
src=${1:-}
func=${FUNC:-}
if [ -n "$func" ]; then
	# The function's workload name, and its FUNC and ARGS checked, before a
	# set is made (the interpreters themselves report what the code does).
	py1=
	for py in $pythons; do
		if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then py1=$py; break; fi
	done
	if ! workload=$("$py1" -c 'import sys; sys.path.insert(0, "scripts/pyref")
from concbench_py import userfunc as u
try:
	_, _, attr = u.parse_spec(sys.argv[1])
	if not sys.argv[2]:
		raise u.UsageError("FUNC needs ARGS: a JSON file with a list of argument lists, one per call")
	if u.is_json_args(sys.argv[2]):
		u.load_json_args(sys.argv[2])
	else:
		u.parse_spec(sys.argv[2], "ARGS")
except u.UsageError as e:
	sys.exit("bench-python: %s" % e)
print(u.workload_name(attr))' "$func" "${ARGS:-}"); then
		exit 2
	fi
fi
if [ -z "$src" ] && [ -z "$func" ]; then
	src=$(ls -dt "$OUT"/*/*/ 2>/dev/null | head -1 || true)
fi
src=${src%/}
[ -f "$src" ] && src=$(dirname "$src")
if [ -n "$src" ] || [ -z "$func" ]; then
	if [ -z "$src" ] || [ ! -f "$src/bench.txt" ]; then
		echo "bench-python: no result set${src:+ at $src} (give RESULTS=dir, or run make bench first)" >&2
		exit 2
	fi
	src_machine=$(sed -n 's/^machine: //p' "$src/bench.txt" | head -1)
	if [ "$src_machine" != "$machine" ]; then
		echo "bench-python: $src was measured on '${src_machine:-an unnamed machine}', and this is '$machine':" \
			"the Python suite's results would not belong with it. Run make bench here, or give" \
			"MACHINE=$src_machine if this is that machine." >&2
		exit 2
	fi
fi
have=
if [ -n "$func" ] && [ -n "$src" ]; then
	if grep -q "^BenchmarkCores/workload=$workload/" "$src/bench.txt"; then
		echo "bench-python: $src has cells of a workload named $workload already; give RESULTS= another set," \
			"or leave RESULTS out for a set of the function alone" >&2
		exit 2
	fi
elif [ -z "$func" ]; then
	# The interpreters whose results SET holds: the tag in a model's name
	# (py-seq@3.14), or, in a set from before tags, the run's python-version
	# and gil lines.
	have=$(awk '
		/^python-version: / { split($2, v, "."); ver = v[1] "." v[2] }
		/^gil: / { gil = $2 }
		/^Benchmark[^ \t]*\/model=py-/ {
			if (match($1, /@[0-9]+\.[0-9]+t?/)) print substr($1, RSTART + 1, RLENGTH - 1)
			else if (ver != "") print ver (gil == "disabled" ? "t" : "")
		}' "$src/bench.txt" | sort -u | tr '\n' ' ')
	for t in $want; do
		case " $have " in *" $t "*)
			echo "bench-python: $src has the Python suite's results of Python $t already (it has: ${have% });" \
				"give RESULTS= a set without them, or PYTHONS= other interpreters" >&2
			exit 2 ;;
		esac
	done
fi

if [ -n "$src" ]; then
	profile=${PROFILE:-$(sed -n 's/^profile: //p' "$src/bench.txt" | head -1)}
	cores=${CORES:-$(sed -n 's/^cores: //p' "$src/bench.txt" | sort -nu | paste -sd' ' -)}
else
	profile=${PROFILE:-}
	cores=${CORES:-}
fi
profile=${profile:-standard}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
parent=$OUT/$machine
[ -n "$src" ] && parent=$(dirname "$src")
dir="$parent/$stamp"
n=1
while [ -e "$dir" ]; do n=$((n + 1)); dir="$parent/$stamp-$n"; done
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# bench-python.sh handles Ctrl-C and keeps what it measured; this script
# waits for it, then writes the set.
trap ':' INT

if [ -n "$func" ]; then
	echo "bench-python: $func (workload $workload) under Python${want}${src:+, on top of $src}, into $dir" >&2
else
	echo "bench-python: the Python suite (Python${want}) on top of $src${have:+, which has Python ${have% }}, into $dir" >&2
fi
status=0
scripts/bench-python.sh -o "$tmp/py.txt" -p "$profile" ${cores:+-c "$cores"} ${COUNT:+-n "$COUNT"} \
	${BENCH:+-b "$BENCH"} 2> >(tee -a "$dir/stderr.log" >&2) || status=$?
trap - INT

{
	if [ -n "$src" ]; then
		echo "derived-from: $src"
		echo "python-appended: true"
	else
		echo "machine: $machine"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	fi
	[ "$status" = 130 ] && echo "incomplete: true"
	[ "$status" = 0 ] || [ "$status" = 130 ] || echo "failed: true"
	if [ -n "$src" ]; then
		cat "$src/bench.txt"
		echo
	fi
	# bench-python.sh's own "incomplete: true" at the end is said at the top.
	grep -v '^incomplete: true$' "$tmp/py.txt" || true
} >"$tmp/bench.txt"
mv -n "$tmp/bench.txt" "$dir/bench.txt"

if ! grep -Eq '^Benchmark[^[:space:]]*[[:space:]].*[[:space:]]ns/op' "$dir/bench.txt"; then
	# Every cell failed (a function that raises on some call fails every
	# model): no result to report on, and the --- FAIL lines say why.
	echo "bench-python: FAILED: no cell ran; the reasons are the --- FAIL lines in $dir/bench.txt:" >&2
	grep '^--- FAIL: ' "$dir/bench.txt" | head -3 >&2 || true
	[ "$status" = 130 ] && exit 130
	exit 1
fi
if ! go run ./cmd/concbench report -o "$dir" "$dir/bench.txt"; then
	echo "bench-python: the report failed; the results stand in $dir/bench.txt" >&2
	exit 1
fi
case $status in
0) echo "bench-python: wrote $dir${src:+ ($src is unchanged)}" >&2 ;;
130) echo "bench-python: interrupted; kept what was measured in $dir (marked incomplete)" >&2; exit 130 ;;
*) echo "bench-python: FAILED: some Python runs failed (see $dir/stderr.log); $dir is marked failed: true" >&2; exit 1 ;;
esac
