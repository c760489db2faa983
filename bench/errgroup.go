package bench

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/concbench/concbench/workloads"
)

// ErrGroup is idiomatic bounded Go: golang.org/x/sync/errgroup with
// SetLimit(Workers), a goroutine per task but never more than Workers at
// once, and the first error cancelling the rest. Its cost per task is
// measured, with the other models', by
// go test ./bench -run '^$' -bench Dispatch.
type ErrGroup struct {
	cfg Config
}

// NewErrGroup returns the errgroup model limited to cfg.Workers goroutines
// (default GOMAXPROCS).
func NewErrGroup(cfg Config) *ErrGroup { return &ErrGroup{cfg: cfg} }

// Name returns "errgroup".
func (*ErrGroup) Name() string { return "errgroup" }

// Run runs the tasks through an errgroup.
func (m *ErrGroup) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	env = goSleeps(env)
	b := newBatch(ctx, len(tasks))
	g, gctx := errgroup.WithContext(b.ctx)
	g.SetLimit(m.cfg.workers())
	s := &stepper{ctx: gctx, probe: m.cfg.probe}
	for i := range tasks {
		// Go blocks while Workers tasks run; once one has failed, starting
		// more would only make them fail too.
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			t := &tasks[i]
			start := b.now()
			sum, output, err := s.exec(env, t)
			if err != nil {
				return err
			}
			b.done(i, t.ID, sum, output, start, b.now())
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.fail(err)
	}
	return b.result()
}
