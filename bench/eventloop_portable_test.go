//go:build !(linux || darwin || freebsd) || concbench_portable

package bench

import (
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// TestEventLoopNetPortable checks the portable fallback's Net ops: they run
// in the executor, so no readiness event is counted, yet they overlap as far
// as the executor's workers allow, and return seq's results.
func TestEventLoopNetPortable(t *testing.T) {
	// As many tasks as the executor has workers, so that all their waits
	// can overlap: one wait's time, against n of them in a row.
	n := executorWorkers()
	const wait = 50 * time.Millisecond
	tasks := generate(t, workloads.Spec{Workload: "net", Tasks: n, Wait: wait, Bytes: 4096})
	env := testEnv(t)
	want := runModel(t, NewSeq(Config{}), env, tasks)
	m := NewEventLoop(Config{})
	start := time.Now()
	out := runModel(t, m, env, tasks)
	took := time.Since(start)
	t.Logf("%d net tasks: %d readiness events, %v, %d executor workers", n, m.PollEvents(), took, executorWorkers())
	if got := m.PollEvents(); got != 0 {
		t.Errorf("%d readiness events without a poller, want 0", got)
	}
	for i := range out {
		if out[i].Sum != want[i].Sum {
			t.Errorf("task %d: sum %#x, want seq's %#x", i, out[i].Sum, want[i].Sum)
		}
	}
	// n ≥ 5 waits in a row would take 5 × 50 ms or more.
	if took > time.Duration(n)*wait/2 {
		t.Errorf("%d net tasks of %v took %v: the waits did not overlap", n, wait, took)
	}
}
