package bench

import (
	"cmp"
	"runtime"
	"slices"
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

// TestGILForcedSwitchSleeps measures what a holder forced to switch costs
// while the waiter that asked for the switch is slow to take the lock (an OS
// thread the scheduler has not run yet): it must sleep, as CPython's
// drop_gil sleeps on switch_cond, and not spin. The process's CPU time over
// a 300 ms pending switch stays under 60 ms; a holder polling the lock would
// burn about 300 ms (150 ms with another process busy on its core).
func TestGILForcedSwitchSleeps(t *testing.T) {
	g := newGIL(time.Millisecond)
	g.acquire()
	// The slow taker: counted as waiting, so the holder must drop the lock,
	// but not yet queued for it.
	g.mu.Lock()
	g.waiting.Add(1)
	g.storeSince(g.now())
	g.mu.Unlock()
	time.Sleep(2 * time.Millisecond) // past the interval
	ticked := make(chan struct{})
	go func() {
		g.tick() // drops the lock and waits for the taker
		close(ticked)
	}()
	for g.switches.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	const pending = 300 * time.Millisecond
	cpu0 := selfCPU()
	time.Sleep(pending)
	spent := selfCPU() - cpu0
	select {
	case <-ticked:
		t.Fatal("the forced holder took the lock back before anyone else had it")
	default:
	}
	// The taker comes at last: it takes the lock, which wakes the holder,
	// and gives it back, which lets the holder take it again.
	g.mu.Lock()
	g.waiting.Add(-1)
	if g.locked {
		g.mu.Unlock()
		t.Fatal("the lock is held while the holder waits for another to take it")
	}
	g.take()
	g.mu.Unlock()
	g.release()
	<-ticked
	g.release()
	t.Logf("process CPU time over a %v pending forced switch: %v", pending, spent)
	if spent > pending/5 {
		t.Errorf("process used %v of CPU over a %v pending forced switch: the holder spins", spent, pending)
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
// beside a CPU-bound task under gil-threads with the given interval. The
// CPU task computes for 1 s, five times the I/O task's 200 ms at a 20 ms
// interval, so that it still runs when the I/O task ends even on a loaded
// machine, where each handover waits for the OS to run a thread.
func convoyLatency(t *testing.T, interval time.Duration) time.Duration {
	cpu := workloads.UnitsFor(workloads.Primes, time.Second)
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
	// About 10 × (0.2 + interval) ms: 12 ms against 202 ms, a factor of 17.
	// Demand only 2, and the slow one to show at least half its ten waits.
	// On a loaded machine every handover also waits for the OS to run the
	// thread that takes the lock, which can cost the fast run as much as
	// the interval does the slow one (142 ms against 202 ms at load 8 on 2
	// CPUs); so a pair of runs is tried up to five times, and a model
	// without the effect fails every one of them.
	var fast, slow time.Duration
	for try := 1; try <= 5; try++ {
		fast = convoyLatency(t, time.Millisecond)
		slow = convoyLatency(t, 20*time.Millisecond)
		t.Logf("try %d: I/O task of 10 × 200 µs sleeps beside a CPU task: %v at 1 ms interval, %v at 20 ms", try, fast, slow)
		if slow >= 2*fast && slow >= 100*time.Millisecond {
			return
		}
	}
	t.Errorf("latency %v at 1 ms, %v at 20 ms: no convoy effect in five tries", fast, slow)
}

// TestGILReleasesInC measures, at GOMAXPROCS 2, what runs at once under the
// GIL models: for a kernel whose CPython counterpart releases the GIL (hash,
// gzip), the C parts of two units run together while their held parts never
// overlap; for primes, pure Python, nothing is ever released. Two C parts
// overlap only when the OS gives both threads a core at once, which another
// process busy on one of the two CPUs can deny for a whole batch: a batch
// that shows no overlap is run again, up to releaseTries times, and every
// batch run must keep the held parts apart.
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
	const n, units, releaseTries = 8, 20, 50
	for _, m := range models {
		for _, k := range kernels {
			t.Run(m.name+"/"+k.k.String(), func(t *testing.T) {
				var tasks []workloads.Task
				for i := range n {
					tasks = append(tasks, workloads.Task{ID: i, Seed: uint64(i), Ops: []workloads.Op{workloads.Compute(k.k, units)}})
				}
				tries := 1
				if k.releases {
					tries = releaseTries
				}
				for try := 1; try <= tries; try++ {
					p := &probe{}
					runModel(t, m.new(Config{probe: p}), testEnv(t), tasks)
					held, released := p.max.Load(), p.releasedMax.Load()
					if got := p.units.Load(); got != n*units {
						t.Fatalf("probe saw %d units, want %d", got, n*units)
					}
					if held != 1 {
						t.Fatalf("batch %d: held parts overlapped %d at once, want exactly 1", try, held)
					}
					if !k.releases && released != 0 {
						t.Fatalf("%d C parts ran without the lock for a kernel that never releases it", released)
					}
					if !k.releases || released >= 2 {
						t.Logf("batch %d: max overlap: held parts %d, C parts %d, over %d units", try, held, released, p.units.Load())
						return
					}
				}
				t.Errorf("C parts never overlapped in %d batches, want ≥ 2 at once in one", tries)
			})
		}
	}
}

// threadLog records the OS thread each task was on as it started, before
// each op and after its last (probe.onOp).
type threadLog struct {
	mu      sync.Mutex
	threads map[int][]int // task ID → thread per call, in order
	err     error
}

func (l *threadLog) record(id, _ int) {
	tid, err := osThreadID()
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.err = err
		return
	}
	if l.threads == nil {
		l.threads = map[int][]int{}
	}
	l.threads[id] = append(l.threads[id], tid)
}

// TestGILThreadsAreOSThreads checks that every task of gil-threads, and
// every worker of gil-pool and interp-pool, is an OS thread for its whole
// life, as a CPython thread is: a task stays on one thread from its start,
// through its waits, to its end, and under gil-threads the tasks, which all
// sleep at once, are as many threads. Each task sleeps first, so a
// goroutine that took a thread only when it came to compute would show.
func TestGILThreadsAreOSThreads(t *testing.T) {
	if _, err := osThreadID(); err != nil {
		t.Skip("no thread ID on this system:", err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	models := []struct {
		name string
		new  func(Config) Model
		// ownThreads: every task has a thread of its own, so none shares
		// one with another.
		ownThreads bool
	}{
		{"gil-threads", func(c Config) Model { return NewGILThreads(c) }, true},
		{"gil-pool", func(c Config) Model { return NewGILPool(c) }, false},
		{"interp-pool", func(c Config) Model { return NewInterpPool(c) }, false},
	}
	const n = 12
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			var tasks []workloads.Task
			for i := range n {
				tasks = append(tasks, workloads.Task{ID: i, Seed: uint64(i), Ops: []workloads.Op{
					workloads.Sleep(5 * time.Millisecond),
					workloads.Compute(workloads.Primes, 4),
					workloads.Sleep(time.Millisecond),
					workloads.Compute(workloads.Hash, 2),
				}})
			}
			var log threadLog
			runModel(t, m.new(Config{probe: &probe{onOp: log.record}}), testEnv(t), tasks)
			if log.err != nil {
				t.Fatal(log.err)
			}
			owner := map[int]int{} // thread → task
			for id := range n {
				tids := log.threads[id]
				if len(tids) != len(tasks[id].Ops)+2 {
					t.Fatalf("task %d: %d thread records, want %d", id, len(tids), len(tasks[id].Ops)+2)
				}
				for i, tid := range tids {
					if tid != tids[0] {
						t.Errorf("task %d started on thread %d, was on %d at record %d: %v", id, tids[0], tid, i, tids)
						break
					}
				}
				if o, ok := owner[tids[0]]; ok && m.ownThreads {
					t.Errorf("tasks %d and %d, alive at once, ran on the same thread %d", o, id, tids[0])
				}
				owner[tids[0]] = id
			}
			t.Logf("%d tasks on %d threads", n, len(owner))
			if workers := executorWorkers(); !m.ownThreads && len(owner) > workers {
				t.Errorf("%d tasks ran on %d threads, more than the %d workers", n, len(owner), workers)
			}
		})
	}
}

// TestGILThreadsStartOneAtATime checks that gil-threads starts its threads
// as CPython's Thread.start() does, one at a time by a starter that holds
// the lock and waits for each to have started: a task that computes ends
// before many later ones are started (each start waits for the lock), so
// they are never all alive at once. Started all at once, 80,000
// one-microsecond tasks held 32,000 OS threads and the kernel refused more;
// here, started all at once, 164-300 of these 400 were alive at once.
func TestGILThreadsStartOneAtATime(t *testing.T) {
	const n = 400
	tasks := make([]workloads.Task, n)
	for i := range tasks {
		tasks[i] = workloads.Task{ID: i, Seed: uint64(i + 1), Ops: []workloads.Op{workloads.Compute(workloads.Primes, 16)}}
	}
	out := runModel(t, NewGILThreads(Config{}), testEnv(t), tasks)
	type edge struct {
		at    time.Duration
		delta int
	}
	edges := make([]edge, 0, 2*n)
	for _, o := range out {
		edges = append(edges, edge{o.Start, +1}, edge{o.End, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return a.delta - b.delta // an end before a start at the same instant
	})
	alive, peak := 0, 0
	for _, e := range edges {
		alive += e.delta
		peak = max(peak, alive)
	}
	t.Logf("%d 16-unit tasks: at most %d alive at once", n, peak)
	// One at a time would be 1 or 2; a loaded machine may let a few pile up
	// behind the lock. All at once would be about n.
	if peak > n/10 {
		t.Errorf("%d of %d tasks alive at once: threads are not started one at a time", peak, n)
	}
}
