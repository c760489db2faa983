package bench

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/concbench/concbench/workloads"
)

// TestEventLoopNetUsesEpoll checks that Net ops go through the loop's epoll
// instance: each connection is reported ready at least twice, once to write
// the request once connected and once to read the reply.
func TestEventLoopNetUsesEpoll(t *testing.T) {
	const n = 20
	tasks := generate(t, workloads.Spec{Workload: "net", Tasks: n, Wait: 5 * time.Millisecond, Bytes: 4096})
	m := NewEventLoop(Config{})
	start := time.Now()
	runModel(t, m, testEnv(t), tasks)
	took := time.Since(start)
	got := m.PollEvents()
	t.Logf("%d net tasks: %d readiness events, %v", n, got, took)
	if got < 2*n {
		t.Errorf("%d readiness events for %d connections, want ≥ %d", got, n, 2*n)
	}
	// The waits overlap: far less than n × 5 ms.
	if took > n*5*time.Millisecond/2 {
		t.Errorf("%d net tasks of 5 ms took %v: the waits did not overlap", n, took)
	}
}

// TestEventLoopOneThread checks that every compute unit of every task runs
// on the same OS thread, even with the executor busy with file ops.
func TestEventLoopOneThread(t *testing.T) {
	var mu sync.Mutex
	threads := map[int]int{}
	p := &probe{onUnit: func(int) {
		tid := unix.Gettid()
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
