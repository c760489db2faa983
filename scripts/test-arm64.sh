#!/usr/bin/env bash
# scripts/test-arm64.sh — run concbench's linux/arm64 build for real on an
# amd64 machine, under QEMU's user-mode emulation: the tests of workloads,
# report, report/stats and report/compare (-short: the Monte Carlo
# calibration and the reference sets' replays alone take minutes emulated)
# and cmd/concbench,
# and one smoke run of BenchmarkOverhead
# and BenchmarkCores from the bench test binary. Every step runs even if one
# fails; the script fails if any did. Timing means nothing here
# (every instruction is emulated); correctness does. `make test-arm64` and
# CI (.ci/run) run it; it needs qemu-aarch64-static (Debian:
# apt-get install qemu-user-static).
#
# The test binaries re-execute themselves as the latency server and as
# worker processes. Without binfmt_misc (a container, a CI runner), the
# kernel cannot start an arm64 binary, so those children are started
# through QEMU too: CONCBENCH_EXEC_WRAPPER (see workloads.WrapperEnv).
set -euo pipefail
cd "$(dirname "$0")/.."

QEMU=${QEMU:-qemu-aarch64-static}
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "test-arm64: $QEMU not found (apt-get install qemu-user-static)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s)
GOOS=linux GOARCH=arm64 go test -c -o "$tmp/" ./workloads ./report ./report/stats ./report/compare ./cmd/concbench ./bench
export CONCBENCH_EXEC_WRAPPER="$QEMU"

failed=""
# A test binary runs in its package's directory, as go test runs it, for
# its testdata.
for pkg in workloads report report/stats report/compare cmd/concbench; do
	t0=$(date +%s)
	short=""
	case $pkg in report*) short=-test.short ;; esac
	if (cd "$pkg" && "$QEMU" "$tmp/$(basename "$pkg").test" -test.timeout 10m ${short:+"$short"}); then
		echo "test-arm64: ok  $pkg (linux/arm64 under QEMU, $(($(date +%s) - t0)) s)"
	else
		echo "test-arm64: FAIL $pkg (linux/arm64 under QEMU)"
		failed="$failed $pkg"
	fi
done

t0=$(date +%s)
out="$tmp/smoke.txt"
smoke=ok
(cd bench && "$QEMU" "$tmp/bench.test" -test.run '^$' -test.bench '^Benchmark(Overhead|Cores)$' \
	-test.benchtime 1x -test.cpu 2 -test.timeout 10m -concbench.profile smoke) >"$out" || smoke=failed
# Every model must have a result in both benchmarks, and nothing may fail.
models=$("$QEMU" "$tmp/bench.test" -concbench.list -test.cpu 2 -concbench.profile smoke 2>/dev/null |
	grep -c '^BenchmarkOverhead/' || true)
overhead=$(grep -c '^BenchmarkOverhead/.*ns/op' "$out" || true)
cores=$(grep -c '^BenchmarkCores/.*ns/op' "$out" || true)
if [ "$smoke" != ok ] || grep -q -e '^--- FAIL' -e '^FAIL' "$out" || [ "$overhead" = 0 ] || [ "$overhead" != "$models" ] ||
	[ "$cores" -lt $((7 * overhead)) ]; then
	cat "$out" >&2
	echo "test-arm64: FAIL bench smoke: $overhead Overhead results (want $models), $cores Cores results (want $((7 * models)))"
	failed="$failed bench-smoke"
else
	echo "test-arm64: ok  bench smoke: $overhead BenchmarkOverhead and $cores BenchmarkCores results ($(($(date +%s) - t0)) s)"
fi
if [ -n "$failed" ]; then
	echo "test-arm64: failed:$failed ($(($(date +%s) - start)) s)" >&2
	exit 1
fi
echo "test-arm64: all passed in $(($(date +%s) - start)) s"
