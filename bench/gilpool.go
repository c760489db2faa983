package bench

import (
	"context"

	"github.com/concbench/concbench/workloads"
)

// GILPool is CPython's concurrent.futures.ThreadPoolExecutor with its
// default size, min(32, os.cpu_count()+4) workers (GOMAXPROCS stands for the
// CPU count), each an OS thread for its whole life, pulling tasks from a queue under one emulated global
// interpreter lock that behaves as gil-threads' does. Waits overlap only as
// far as there are workers. Its cost per task is measured, with the
// other models', by go test ./bench -run '^$' -bench Dispatch.
type GILPool struct {
	cfg Config
}

// NewGILPool returns the gil-pool model with cfg's switch interval.
// cfg.Workers does not apply: the pool always has Python's default size.
func NewGILPool(cfg Config) *GILPool { return &GILPool{cfg: cfg} }

// Name returns "gil-pool".
func (*GILPool) Name() string { return "gil-pool" }

// Run runs the tasks on the pool's workers under a lock of its own. The
// first error cancels the others.
func (m *GILPool) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	env, done := blockingSleeps(env)
	defer done()
	b := newBatch(ctx, len(tasks))
	s := &stepper{ctx: b.ctx, probe: m.cfg.probe, gil: newGIL(m.cfg.switchInterval()), osThreads: true}
	b.pool(s, env, tasks, executorWorkers())
	return b.result()
}
