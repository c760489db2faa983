package bench

import (
	"context"
	"sync"

	"github.com/concbench/concbench/workloads"
)

// Goroutines starts one goroutine per task, all at once: Python's
// threading.Thread per task as it would behave without a GIL. Waits overlap
// and compute runs on every core. Its cost per task is measured, with the
// other models', by go test ./bench -run '^$' -bench Dispatch.
type Goroutines struct {
	cfg Config
}

// NewGoroutines returns the goroutines model. It has no settings: the
// number of goroutines is the number of tasks.
func NewGoroutines(cfg Config) *Goroutines { return &Goroutines{cfg: cfg} }

// Name returns "goroutines".
func (*Goroutines) Name() string { return "goroutines" }

// Run runs every task on its own goroutine and waits for all of them. The
// first error cancels the others.
func (m *Goroutines) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	b := newBatch(ctx, len(tasks))
	b.spawn(&stepper{ctx: b.ctx, probe: m.cfg.probe}, goSleeps(env), tasks)
	return b.result()
}

// spawn runs every task with s on a goroutine of its own (an OS thread of
// its own under s.osThreads) and returns when they have all ended.
func (b *batch) spawn(s *stepper, env *workloads.Env, tasks []workloads.Task) {
	var wg sync.WaitGroup
	for i := range tasks {
		if b.failed() {
			break
		}
		wg.Go(func() {
			s.thread()
			b.run(s, env, tasks, i, b.now())
		})
	}
	wg.Wait()
}
