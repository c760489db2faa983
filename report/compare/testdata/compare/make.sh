#!/bin/sh
# Regenerates the two synthetic machines of the compare tests from the
# report's generator (report/testdata/gen), from the repository root:
#
#	sh report/compare/testdata/compare/make.sh
#
# laptop: 4 CPUs, 10 rounds at 1, 2, 4 cores. server: 8 CPUs, 6 rounds at
# 1, 2, 4, 8 cores, a newer CPU (compute 0.6× the laptop's time), an older
# Go and the quick profile (both warned about), procs skipped on sleep.
set -e
# Each set is described by matrix.txt beside it (concbench describe).
d=report/compare/testdata/compare
only='^(BenchmarkCores/workload=(primes|sleep|mix50)/|BenchmarkOverhead/)'
go run ./report/testdata/gen -py=false -machine laptop -cpus 4 -cores 1,2,4 -rounds 10 -seed 21 -only "$only" > $d/laptop/bench.txt
go run ./report/testdata/gen -py=false -machine server -cpus 8 -cores 1,2,4,8 -rounds 6 -seed 22 -only "$only" |
awk '
/^cpu: /        { print "cpu: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"; next }
/^memory: /     { print "memory: 256GiB"; next }
/^go-version: / { print "go-version: go1.25.4"; next }
/^kernel: /     { print "kernel: 6.8.0-49-generic"; next }
/^governor: /   { print "governor: performance"; next }
/^profile: /    { print "profile: quick"; next }
/^BenchmarkCores\/workload=sleep\/model=procs/ { print "--- SKIP: " $1 ": the quick profile leaves procs out of sleep"; next }
/^Benchmark/ {
	f = 1.0
	if ($1 ~ /workload=primes/) f = 0.6
	if ($1 ~ /workload=mix50/) f = 0.8
	if ($1 ~ /Overhead/) f = 0.7
	for (i = 2; i <= NF; i++) {
		if ($(i+1) == "ns/op") $i = sprintf("%.0f", $i * f)
		if ($(i+1) == "tasks/s") $i = sprintf("%.1f", $i / f)
	}
	print; next
}
{ print }' > $d/server/bench.txt
