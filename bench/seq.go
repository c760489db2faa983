package bench

import (
	"context"

	"github.com/concbench/concbench/workloads"
)

// Seq runs tasks one after another on the calling goroutine, as a plain
// Python loop does: the baseline every other model is compared with. Its
// cost per task is measured, with the other models', by
// go test ./bench -run '^$' -bench Dispatch.
type Seq struct {
	cfg Config
}

// NewSeq returns the seq model. It has no settings.
func NewSeq(cfg Config) *Seq { return &Seq{cfg: cfg} }

// Name returns "seq".
func (*Seq) Name() string { return "seq" }

// Run runs the tasks in order and stops at the first error.
func (m *Seq) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	env, done := blockingSleeps(env)
	defer done()
	b := newBatch(ctx, len(tasks))
	s := &stepper{ctx: b.ctx, probe: m.cfg.probe}
	start := b.now()
	for i := range tasks {
		if b.failed() {
			break
		}
		start = b.run(s, env, tasks, i, start)
	}
	return b.result()
}
