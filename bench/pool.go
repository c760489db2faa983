package bench

import (
	"context"
	"sync"

	"github.com/concbench/concbench/workloads"
)

// Pool is a fixed set of long-lived worker goroutines pulling tasks from a
// channel: a thread pool without a GIL. It bounds how many tasks run at once
// to Workers, so waits overlap only that far. The channel carries task
// indices and is filled before the workers start, so dispatching a task
// allocates nothing. Its cost per task is measured, with the other models',
// by go test ./bench -run '^$' -bench Dispatch.
type Pool struct {
	cfg Config
}

// NewPool returns the pool model with cfg.Workers workers (default
// GOMAXPROCS).
func NewPool(cfg Config) *Pool { return &Pool{cfg: cfg} }

// Name returns "pool".
func (*Pool) Name() string { return "pool" }

// Run runs the tasks on the pool's workers. The first error cancels the
// others and stops the workers from taking more tasks.
func (m *Pool) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	b := newBatch(ctx, len(tasks))
	s := &stepper{ctx: b.ctx, probe: m.cfg.probe}
	b.pool(s, goSleeps(env), tasks, m.cfg.workers())
	return b.result()
}

// pool runs the tasks with s on workers long-lived goroutines (each an OS
// thread of its own under s.osThreads) and returns when they have all
// ended.
func (b *batch) pool(s *stepper, env *workloads.Env, tasks []workloads.Task, workers int) {
	queue := make(chan int32, len(tasks))
	for i := range tasks {
		queue <- int32(i)
	}
	close(queue)
	var wg sync.WaitGroup
	for range min(workers, len(tasks)) {
		wg.Go(func() {
			s.thread()
			start := b.now()
			for i := range queue {
				if b.failed() {
					return
				}
				start = b.run(s, env, tasks, int(i), start)
			}
		})
	}
	wg.Wait()
}
