package bench

import (
	"context"
	"runtime"
	"sync"

	"github.com/concbench/concbench/workloads"
)

// GILThreads is CPython's threading.Thread per task: a goroutine per task,
// each an OS thread for its whole life as a Python thread is, all under one
// emulated global interpreter lock. Waits overlap, because
// every wait releases the lock; compute never runs on two cores at once.
// A holder hands the lock over between compute units once another task has
// waited for the switch interval (Config.SwitchInterval, default 5 ms, as
// sys.getswitchinterval()), so a task coming back from I/O waits up to that
// long behind a CPU-bound one: the convoy effect. A unit of a kernel whose
// CPython counterpart releases the GIL (hash, gzip) runs its C part without
// the lock, so those units' C parts overlap on several cores (see
// [workloads.Kernel.HeldShare]). Its cost per task is measured, with the
// other models', by go test ./bench -run '^$' -bench Dispatch.
type GILThreads struct {
	cfg Config
}

// NewGILThreads returns the gil-threads model with cfg's switch interval.
func NewGILThreads(cfg Config) *GILThreads { return &GILThreads{cfg: cfg} }

// Name returns "gil-threads".
func (*GILThreads) Name() string { return "gil-threads" }

// Run runs every task on its own goroutine, locked to an OS thread of its
// own from its start to its end, under a lock of its own, started one at a
// time by a starter that holds the lock ([batch.startThreads]). The first
// error cancels the others.
func (m *GILThreads) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	env, done := blockingSleeps(env)
	defer done()
	raiseMaxThreads(len(tasks))
	b := newBatch(ctx, len(tasks))
	b.startThreads(&stepper{ctx: b.ctx, probe: m.cfg.probe, gil: newGIL(m.cfg.switchInterval()), osThreads: true}, env, tasks)
	return b.result()
}

// startThreads runs every task on an OS thread of its own, started as
// CPython's threading.Thread.start() starts one: the starting thread holds
// the GIL, as the main thread does, and for each task creates the thread,
// then waits, without the lock, until the new thread has taken the lock and
// said it started (Thread._started), and takes the lock back before it
// starts the next. So starting a thread costs what it costs CPython (a
// thread's creation and two handovers, or up to a switch interval behind a
// new thread that computes), and a thread that ends quickly has ended
// before many more start: 80,000 one-microsecond tasks (BenchmarkGrain)
// never hold 80,000 threads at once, which the kernel would refuse (each
// thread's stack takes two of vm.max_map_count's 65,530 mappings).
func (b *batch) startThreads(s *stepper, env *workloads.Env, tasks []workloads.Task) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	g := s.gil
	started := make(chan struct{})
	var wg sync.WaitGroup
	g.acquire()
	for i := range tasks {
		if b.failed() {
			break
		}
		wg.Go(func() {
			s.thread()
			start := b.now()
			g.acquire()
			started <- struct{}{}
			b.runHeld(s, env, tasks, i, start)
		})
		g.release()
		<-started
		g.acquire()
	}
	g.release()
	wg.Wait()
}
