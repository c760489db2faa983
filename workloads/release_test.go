package workloads_test

import (
	"testing"

	"github.com/concbench/concbench/workloads"
)

// callLog records the calls a split unit makes, in order.
type callLog struct{ calls []string }

func (l *callLog) Release()   { l.calls = append(l.calls, "release") }
func (l *callLog) Reacquire() { l.calls = append(l.calls, "reacquire") }

// TestUnitReleasingSplitsTheRealWork checks that a split unit has the
// value of the whole one, for every kernel and several sizes, that a
// releasing kernel calls Release then Reacquire exactly once, and that
// primes, which is pure Python in CPython, calls neither.
func TestUnitReleasingSplitsTheRealWork(t *testing.T) {
	cases := []struct {
		k        workloads.Kernel
		releases bool
	}{
		{workloads.Hash, true},
		{workloads.Primes, false},
		{workloads.Gzip, true},
		{workloads.GzipFresh, true},
	}
	for _, c := range cases {
		if got := c.k.ReleasesGIL(); got != c.releases {
			t.Errorf("%v.ReleasesGIL() = %v, want %v", c.k, got, c.releases)
		}
		share := c.k.HeldShare()
		if c.releases && (share <= 0 || share >= 0.5) || !c.releases && share != 1 {
			t.Errorf("%v.HeldShare() = %v", c.k, share)
		}
		for _, size := range []int{0, 1, 17, 1000, c.k.MaxSize()} {
			for seed := uint64(0); seed < 3; seed++ {
				var log callLog
				got := workloads.UnitReleasing(c.k, size, seed, int(seed)*7, &log)
				if want := workloads.Unit(c.k, size, seed, int(seed)*7); got != want {
					t.Errorf("%v size %d seed %d: split unit %#x, whole unit %#x", c.k, size, seed, got, want)
				}
				want := []string{"release", "reacquire"}
				if !c.releases {
					want = nil
				}
				if len(log.calls) != len(want) || len(want) == 2 && (log.calls[0] != want[0] || log.calls[1] != want[1]) {
					t.Errorf("%v size %d: calls %v, want %v", c.k, size, log.calls, want)
				}
			}
		}
	}
}
