package workloads_test

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"testing"

	"github.com/concbench/concbench/workloads"
)

func TestCountPrimes(t *testing.T) {
	tests := []struct {
		lo, hi uint64
		want   int
	}{
		{0, 2, 0},
		{0, 3, 1},
		{0, 10, 4},
		{0, 100, 25},
		{0, 1000, 168},
		{0, 1_000_000, 78_498},
		{1_000_000, 1_000_200, 16}, // 1000003 … 1000199, one primes unit's window
		{7919, 7920, 1},            // the 1000th prime
	}
	for _, tt := range tests {
		if got := workloads.CountPrimes(tt.lo, tt.hi); got != tt.want {
			t.Errorf("CountPrimes(%d, %d) = %d, want %d", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestHashBufferDigest(t *testing.T) {
	// The SHA-256 of the deterministic 64 KiB buffer is pinned, so a change
	// to the buffer (and so to every hash checksum) is caught.
	sum := sha256.Sum256(workloads.HashBuffer())
	const want = "1f201af71fc78ccca91a44841e2198c57e3bd681464d61b4a976e6b48579075d"
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("sha256(HashBuffer()) = %s, want %s", got, want)
	}
	if n := len(workloads.HashBuffer()); n != 64<<10 {
		t.Errorf("len(HashBuffer()) = %d, want %d", n, 64<<10)
	}
}

func TestUnitsKnownValues(t *testing.T) {
	tests := []struct {
		k    workloads.Kernel
		seed uint64
		unit int
		want uint64
	}{
		{workloads.Hash, 1, 0, 0xc4933dc0a8931b93},
		{workloads.Primes, 1, 0, 0x1bcf010010},
		{workloads.Gzip, 1, 0, 0x25dadc8cbf2},
	}
	for _, tt := range tests {
		if got := workloads.Unit(tt.k, 0, tt.seed, tt.unit); got != tt.want {
			t.Errorf("Unit(%v, %d, %d) = %#x, want %#x", tt.k, tt.seed, tt.unit, got, tt.want)
		}
	}
}

// TestGzipReusesItsWriter checks that the gzip kernel measures compression,
// not the allocator: it allocates far less a unit than gzip-fresh, which
// builds a writer (about 800 KB) per unit. (The race detector makes the
// pool drop some writers, hence a ratio rather than a bound.)
func TestGzipReusesItsWriter(t *testing.T) {
	perUnit := func(k workloads.Kernel) float64 {
		workloads.Unit(k, 0, 1, 0)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const n = 50
		for i := range n {
			workloads.Unit(k, 0, 1, i)
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / n
	}
	gz, fresh := perUnit(workloads.Gzip), perUnit(workloads.GzipFresh)
	t.Logf("bytes allocated a unit: gzip %.0f, gzip-fresh %.0f", gz, fresh)
	if fresh < 200<<10 {
		t.Errorf("gzip-fresh allocates %.0f bytes a unit, want a fresh writer's (about 800 KB)", fresh)
	}
	if gz > fresh/2 {
		t.Errorf("gzip allocates %.0f bytes a unit, gzip-fresh %.0f: want gzip to reuse its writer", gz, fresh)
	}
}
