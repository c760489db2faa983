package bench

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// unitTimes records when each task's first and last compute units started.
type unitTimes struct {
	mu          sync.Mutex
	first, last map[int]time.Time
}

func newUnitTimes() *unitTimes {
	return &unitTimes{first: map[int]time.Time{}, last: map[int]time.Time{}}
}

func (u *unitTimes) record(id int) {
	now := time.Now()
	u.mu.Lock()
	if _, ok := u.first[id]; !ok {
		u.first[id] = now
	}
	u.last[id] = now
	u.mu.Unlock()
}

// TestGILSwitches runs two CPU-bound tasks of 50 ms each under gil-threads:
// forced switching must interleave them, so that neither finishes before
// the other has started.
func TestGILSwitches(t *testing.T) {
	units := workloads.UnitsFor(workloads.Primes, 50*time.Millisecond)
	tasks := []workloads.Task{
		{ID: 0, Seed: 1, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}},
		{ID: 1, Seed: 2, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}},
	}
	times := newUnitTimes()
	p := &probe{onUnit: times.record}
	runModel(t, NewGILThreads(Config{probe: p}), testEnv(t), tasks)
	a0, a1 := times.first[0], times.last[0]
	b0, b1 := times.first[1], times.last[1]
	t.Logf("task 0 units %v..%v, task 1 units %v..%v (from task 0's first)",
		0, a1.Sub(a0), b0.Sub(a0), b1.Sub(a0))
	if !a0.Before(b1) || !b0.Before(a1) {
		t.Errorf("tasks did not interleave: task 0 %v..%v, task 1 %v..%v", a0, a1, b0, b1)
	}
	if got := p.max.Load(); got != 1 {
		t.Errorf("max overlap %d, want 1", got)
	}
}

// TestGILForcedSwitchHandsOver checks the lock itself: a holder past its
// interval while others wait drops the lock and takes it back only after
// another goroutine has had it.
func TestGILForcedSwitchHandsOver(t *testing.T) {
	g := newGIL(time.Millisecond)
	g.acquire()
	var order []int
	var wg sync.WaitGroup
	for i := 1; i <= 3; i++ {
		wg.Go(func() {
			g.acquire()
			order = append(order, i) // under the lock
			g.release()
		})
	}
	for g.waiting.Load() != 3 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(2 * time.Millisecond) // past the interval
	g.tick()                         // hands over, then waits for the lock again
	order = append(order, 0)
	g.release()
	wg.Wait()
	// CPython's FORCE_SWITCHING: the holder that was asked to drop takes
	// the lock again only after another thread took it. Among the others
	// the lock is free for whoever comes first, as CPython's is, so no
	// order among them is promised.
	if len(order) != 4 || order[0] == 0 {
		t.Fatalf("got order %v: want all four, and another goroutine before the one forced to switch (0)", order)
	}
	if g.switches.Load() != 1 {
		t.Errorf("%d forced switches, want 1", g.switches.Load())
	}
}

// TestGILNoSwitchWithoutWaiters checks that a lone holder never drops the
// lock however long it runs.
func TestGILNoSwitchWithoutWaiters(t *testing.T) {
	g := newGIL(time.Nanosecond)
	g.acquire()
	for range 1000 {
		g.tick()
	}
	g.release()
	if n := g.switches.Load(); n != 0 {
		t.Errorf("%d forced switches with nobody waiting", n)
	}
}

// convoyLatency returns how long an I/O task of ten 200 µs sleeps takes
// beside a CPU-bound task under gil-threads with the given interval.
func convoyLatency(t *testing.T, interval time.Duration) time.Duration {
	cpu := workloads.UnitsFor(workloads.Primes, 400*time.Millisecond)
	io := make([]workloads.Op, 10)
	for i := range io {
		io[i] = workloads.Sleep(200 * time.Microsecond)
	}
	tasks := []workloads.Task{
		{ID: 0, Seed: 1, Ops: []workloads.Op{workloads.Compute(workloads.Primes, cpu)}},
		{ID: 1, Seed: 2, Ops: io},
	}
	out := runModel(t, NewGILThreads(Config{SwitchInterval: interval}), testEnv(t), tasks)
	if out[1].End > out[0].End {
		t.Fatalf("interval %v: the CPU task ended at %v, before the I/O task at %v; make it longer",
			interval, out[0].End, out[1].End)
	}
	return out[1].Span()
}

// TestGILConvoy checks the convoy effect: an I/O task that comes back from
// each wait to find a CPU-bound task holding the lock waits about a switch
// interval every time, so its latency grows with the interval.
func TestGILConvoy(t *testing.T) {
	fast := convoyLatency(t, time.Millisecond)
	slow := convoyLatency(t, 20*time.Millisecond)
	t.Logf("I/O task of 10 × 200 µs sleeps beside a CPU task: %v at 1 ms interval, %v at 20 ms", fast, slow)
	// About 10 × (0.2 + interval) ms: 12 ms against 202 ms, a factor of 17.
	// Demand only 2, and the slow one to show at least half its ten waits,
	// so that a loaded machine under -race cannot make this flaky.
	if slow < 2*fast || slow < 100*time.Millisecond {
		t.Errorf("latency %v at 1 ms, %v at 20 ms: no convoy effect", fast, slow)
	}
}

// TestGILReleasesInC measures, at GOMAXPROCS 2, what runs at once under the
// GIL models: for a kernel whose CPython counterpart releases the GIL (hash,
// gzip), the C parts of two units run together while their held parts never
// overlap; for primes, pure Python, nothing is ever released.
func TestGILReleasesInC(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	models := []struct {
		name string
		new  func(Config) Model
	}{
		{"gil-threads", func(c Config) Model { return NewGILThreads(c) }},
		{"gil-pool", func(c Config) Model { return NewGILPool(c) }},
	}
	kernels := []struct {
		k        workloads.Kernel
		releases bool
	}{
		{workloads.Hash, true},
		{workloads.Gzip, true},
		{workloads.Primes, false},
	}
	const n, units = 8, 20
	for _, m := range models {
		for _, k := range kernels {
			t.Run(m.name+"/"+k.k.String(), func(t *testing.T) {
				var tasks []workloads.Task
				for i := range n {
					tasks = append(tasks, workloads.Task{ID: i, Seed: uint64(i), Ops: []workloads.Op{workloads.Compute(k.k, units)}})
				}
				p := &probe{}
				runModel(t, m.new(Config{probe: p}), testEnv(t), tasks)
				held, released := p.max.Load(), p.releasedMax.Load()
				t.Logf("max overlap: held parts %d, C parts %d, over %d units", held, released, p.units.Load())
				if got := p.units.Load(); got != n*units {
					t.Fatalf("probe saw %d units, want %d", got, n*units)
				}
				if held != 1 {
					t.Errorf("held parts overlapped %d at once, want exactly 1", held)
				}
				if k.releases && released < 2 {
					t.Errorf("C parts overlapped %d at once, want ≥ 2", released)
				}
				if !k.releases && released != 0 {
					t.Errorf("%d C parts ran without the lock for a kernel that never releases it", released)
				}
			})
		}
	}
}
