package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/workloads"
)

// procpool is ProcessPoolExecutor: Workers long-lived worker processes
// (default GOMAXPROCS; fewer when the batch has fewer chunks, as Python
// starts workers on demand), each running one message of tasks at a time,
// fed over its stdin and answering on its stdout in length-prefixed binary
// frames. The workers are started inside each Run, so their start cost is
// part of the batch, as a `with ProcessPoolExecutor()` block's is.
//
// Tasks go out in chunks of Config.Chunk (default 1, like Executor.map's
// chunksize): an idle worker takes the next chunk, so work is balanced
// dynamically. The tasks of a chunk share its Outcome Start (when the chunk
// was sent) and End (when its replies were read), because the parent sees
// nothing of a chunk before its replies arrive; Result.Elapsed is each
// task's own time in the worker.
//
// The cost per task, once the workers run, is one pipe round trip, a frame
// each way (18 bytes out and 22 back for an empty task). Measured on the 2-CPU
// machine this was built on, under load from other work: 8–12 µs per empty
// task (BenchmarkProcPoolRoundTrip), where the bare floor, 8 bytes each way
// between two Go processes over blocking pipes, is 8 µs (9–10 µs through the
// runtime's poller, which is why the pipes here are blocking) and the
// nominal floor 11 µs; the round trip is system calls and the two context
// switches, the frames' coding a few percent. A batch of 1000 empty tasks
// costs 11–14 µs per task, worker starts included, with one or two workers
// (BenchmarkProcPoolBatch), and 3–6 µs with Chunk 16, where the workers'
// start (2–3 ms each) dominates. CPython's ProcessPoolExecutor takes about
// 102 µs per task there.
type procpool struct {
	cfg  Config
	opts procOpts
}

// newProcPool returns the procpool model.
func newProcPool(cfg Config) Model { return &procpool{cfg: cfg} }

// Name returns "procpool".
func (m *procpool) Name() string { return "procpool" }

func (c Config) chunk() int {
	if c.Chunk > 0 {
		return c.Chunk
	}
	return 1
}

// Run starts the workers, feeds them every task, and shuts them down. The
// first failure kills every worker, and Run returns an error naming the
// task (or chunk) once all of them are reaped.
func (m *procpool) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	t0 := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A malformed task is the caller's error, named as in-process models
	// name it; a worker would only die on it.
	if err := validateTasks(tasks); err != nil {
		return nil, err
	}
	out := make([]Outcome, len(tasks))
	if len(tasks) == 0 {
		return out, nil
	}
	chunk := m.cfg.chunk()
	nchunks := (len(tasks) + chunk - 1) / chunk
	g := newGroup(ctx, env, m.opts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(m.cfg.workers(), nchunks) {
		wg.Go(func() {
			err := m.serve(g, t0, tasks, out, chunk, nchunks, &next)
			if err != nil && err != errStopped {
				g.fail(err)
			}
		})
	}
	wg.Wait()
	if err := g.close(); err != nil {
		return nil, err
	}
	return out, nil
}

// serve starts one worker and feeds it chunks until none is left or the
// batch fails; the worker is reaped on every path.
func (m *procpool) serve(g *procGroup, t0 time.Time, tasks []workloads.Task, out []Outcome,
	chunk, nchunks int, next *atomic.Int64) error {
	p, err := g.start()
	if err != nil {
		return err
	}
	defer p.reap()
	for !g.failed.Load() {
		c := int(next.Add(1) - 1)
		if c >= nchunks {
			break
		}
		lo := c * chunk
		ts := tasks[lo:min(lo+chunk, len(tasks))]
		start := time.Since(t0)
		reps, err := p.exchange(ts, g.opts.deadline(ts), false)
		end := time.Since(t0)
		if err != nil {
			return p.fault(ts, err)
		}
		for i, r := range reps {
			if r.Err != "" {
				p.reap()
				return &WorkerError{Tasks: []int{r.ID}, PID: p.pid, State: p.state, Err: remoteTaskErr(r.Err)}
			}
			out[lo+i] = Outcome{Result: r.Result, Start: start, End: end}
		}
	}
	return p.shutdown()
}
