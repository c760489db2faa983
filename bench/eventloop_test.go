package bench

import (
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// TestEventLoopCooperative checks that the loop runs a compute op to its
// end, as a coroutine runs until its next await: of two CPU-bound tasks, the
// second starts computing only after the first has finished — the opposite
// of gil-threads, which interleaves them (TestGILSwitches).
func TestEventLoopCooperative(t *testing.T) {
	units := workloads.UnitsFor(workloads.Primes, 20*time.Millisecond)
	tasks := []workloads.Task{
		{ID: 0, Seed: 1, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}},
		{ID: 1, Seed: 2, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}},
	}
	times := newUnitTimes()
	runModel(t, NewEventLoop(Config{probe: &probe{onUnit: times.record}}), testEnv(t), tasks)
	if !times.last[0].Before(times.first[1]) {
		t.Errorf("task 1 computed from %v, before task 0 ended at %v", times.first[1], times.last[0])
	}
}
