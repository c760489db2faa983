package bench

import (
	"runtime"
	"sync"
	"sync/atomic"
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

// TestEventLoopOneThread checks that every compute unit of every task runs
// on the same OS thread, even with the executor busy with file ops.
func TestEventLoopOneThread(t *testing.T) {
	var mu sync.Mutex
	threads := map[int]int{}
	p := &probe{onUnit: func(int) {
		tid, err := osThreadID()
		if err != nil {
			tid = -1 // reported below
		}
		mu.Lock()
		threads[tid]++
		mu.Unlock()
	}}
	var tasks []workloads.Task
	for i := range 16 {
		tasks = append(tasks, workloads.Task{ID: i, Seed: uint64(i), Ops: []workloads.Op{
			workloads.Compute(workloads.Primes, 10),
			workloads.File(4096),
			workloads.Compute(workloads.Hash, 5),
			workloads.Sleep(time.Millisecond),
			workloads.Compute(workloads.Primes, 10),
		}})
	}
	runModel(t, NewEventLoop(Config{probe: p}), testEnv(t), tasks)
	t.Logf("units per thread: %v", threads)
	if _, err := osThreadID(); err != nil {
		t.Skip("no thread ID on this system:", err)
	}
	if len(threads) != 1 {
		t.Errorf("compute ran on %d OS threads, want 1", len(threads))
	}
	if p.units.Load() != 16*25 {
		t.Errorf("probe saw %d units, want %d", p.units.Load(), 16*25)
	}
}

// TestEventLoopNoGoroutinePerTask samples the number of goroutines while
// the loop runs 1000 sleeping tasks, and then file tasks: sleeps need no
// goroutine at all, file ops at most the executor's.
func TestEventLoopNoGoroutinePerTask(t *testing.T) {
	cases := []struct {
		name  string
		spec  workloads.Spec
		extra int
	}{
		{"sleep", workloads.Spec{Workload: "sleep", Tasks: 1000, Wait: 30 * time.Millisecond}, 0},
		{"file", workloads.Spec{Workload: "file", Tasks: 200, Bytes: 8192}, executorWorkers()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tasks := generate(t, c.spec)
			var peak atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				for {
					if n := int64(runtime.NumGoroutine()); n > peak.Load() {
						peak.Store(n)
					}
					select {
					case <-stop:
						return
					case <-time.After(200 * time.Microsecond):
					}
				}
			})
			time.Sleep(time.Millisecond)
			base := runtime.NumGoroutine()
			runModel(t, NewEventLoop(Config{}), testEnv(t), tasks)
			close(stop)
			wg.Wait()
			t.Logf("%d tasks: %d goroutines before, peak %d", len(tasks), base, peak.Load())
			if got := int(peak.Load()) - base; got > c.extra+1 {
				t.Errorf("%d more goroutines during Run, want at most %d", got, c.extra+1)
			}
		})
	}
}
