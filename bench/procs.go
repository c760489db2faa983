package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/workloads"
)

// procs is multiprocessing.Process per task: every task runs in a fresh OS
// process — the current executable re-executed in the worker role with
// GOMAXPROCS=1 — that is started, sent its task over a pipe, read from,
// and reaped. At most Workers processes are alive at once, like a program
// that keeps a bounded set of Process objects going.
//
// A task's Outcome starts when the parent begins to start its process and
// ends when the reply has been read, so its latency includes the process
// start; Result.PID is the worker's pid and Result.Elapsed the task's time
// in it.
//
// The cost is the process start. Measured on the 2-CPU machine this was
// built on, under load from other work (BenchmarkProcsSpawn, empty tasks):
// 2.2–2.8 ms per task for the test binary as `go test` builds it, and
// 1.4–1.9 ms when it is built with CGO_ENABLED=0. The difference is cgo:
// with it the binary is dynamically linked (the net package's resolver), so
// every worker pays the dynamic loader, libc's start and the cgo runtime's
// set-up before Go's runtime starts; without it a worker starts as fast as a
// minimal static Go program (about 1.4 ms there, against a nominal floor of
// 2.7 ms). Go's own package initialisers in the test binary add little
// (0.35 ms), and the parent's side (vfork, pipes, reaping) less still.
// Starting processes is CPU work on both sides, so two at once on two CPUs
// barely beat one at a time. Under the race detector a start costs about
// 12 ms. CPython forks a multiprocessing.Process in about 1.5 ms there:
// procs matches it only in a cgo-free build.
type procs struct {
	cfg  Config
	opts procOpts
}

// newProcs returns the procs model.
func newProcs(cfg Config) Model { return &procs{cfg: cfg} }

// Name returns "procs".
func (m *procs) Name() string { return "procs" }

// Run runs each task in a process of its own, at most Workers at once. The
// first failure kills every live worker, and Run returns an error naming
// the task once all of them are reaped.
func (m *procs) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	t0 := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Outcome, len(tasks))
	if len(tasks) == 0 {
		return out, nil
	}
	g := newGroup(ctx, env, m.opts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(m.cfg.workers(), len(tasks)) {
		wg.Go(func() {
			for !g.failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) {
					return
				}
				start := time.Since(t0)
				res, err := runInFreshProc(g, tasks[i])
				if err != nil {
					if err != errStopped {
						g.fail(err)
					}
					return
				}
				out[i] = Outcome{Result: res, Start: start, End: time.Since(t0)}
			}
		})
	}
	wg.Wait()
	if err := g.close(); err != nil {
		return nil, err
	}
	return out, nil
}

// runInFreshProc starts a worker, sends it t and closes its stdin at once,
// so that it exits right after replying, then reads the reply and reaps it.
func runInFreshProc(g *procGroup, t workloads.Task) (workloads.Result, error) {
	p, err := g.start()
	if err == errStopped {
		return workloads.Result{}, err
	} else if err != nil {
		return workloads.Result{}, fmt.Errorf("task %d: %w", t.ID, err)
	}
	ts := []workloads.Task{t}
	reps, err := p.exchange(ts, g.opts.deadline(ts), true)
	if err != nil {
		return workloads.Result{}, p.fault(ts, err)
	}
	if err := p.shutdown(); err != nil {
		return workloads.Result{}, err
	}
	if reps[0].Err != "" {
		return workloads.Result{}, &WorkerError{Tasks: []int{t.ID}, PID: p.pid, State: p.state, Err: remoteTaskErr(reps[0].Err)}
	}
	return reps[0].Result, nil
}

// remoteTaskErr is the error a task reported from its worker, where only its
// text crossed the pipe.
type remoteTaskErr string

func (e remoteTaskErr) Error() string { return string(e) }
