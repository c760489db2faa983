package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/concbench/concbench/workloads"
)

// InterpPool is Python 3.14's concurrent.futures.InterpreterPoolExecutor
// (PEP 734, on PEP 684's per-interpreter GIL): a pool of ThreadPoolExecutor's
// default size, min(32, os.cpu_count()+4) workers (GOMAXPROCS stands for the
// CPU count), each an OS thread running its own interpreter. Each worker
// owns a private interpreter lock, its own emulated GIL, so compute in
// different workers runs in parallel while compute within one runs one unit
// at a time; a wait inside a worker releases that worker's lock, as it does
// in CPython, which lets nothing else run there, since one interpreter runs
// one task at a time.
//
// Interpreters share no objects: the executor pickles each task in the
// submitting thread, the worker unpickles it in its interpreter, and the
// result comes back pickled and is unpickled in the main interpreter, under
// the main interpreter's GIL, to complete the future. Here the workers start
// first, each an OS thread for its whole life; then the caller submits the
// tasks one at a time, as submit() does, each encoded with the workloads
// codec (the process models' wire format) under the main interpreter's lock
// while the workers already run the ones before it. A worker decodes its
// copy under its own lock, runs it, and encodes the reply, which the worker decodes again under a lock shared by
// all workers (the main interpreter's) to record the outcome: no worker
// touches the caller's Task values, and an error crosses as text, as a
// pickled exception crosses as its message here. The outcome's Elapsed is
// the worker's own clock; its span adds the decoding and recording.
//
// Its cost per task beyond the task's own work is measured, with the other
// models', by go test ./bench -run '^$' -bench Dispatch.
type InterpPool struct {
	cfg Config
}

// NewInterpPool returns the interp-pool model with cfg's switch interval.
// cfg.Workers does not apply: the pool always has Python's default size.
func NewInterpPool(cfg Config) *InterpPool { return &InterpPool{cfg: cfg} }

// Name returns "interp-pool".
func (*InterpPool) Name() string { return "interp-pool" }

// Run runs the tasks on the pool's interpreters. The first error cancels
// the others and stops the workers from taking more tasks.
func (m *InterpPool) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	env, done := blockingSleeps(env)
	defer done()
	b := newBatch(ctx, len(tasks))
	main := newGIL(m.cfg.switchInterval())
	// The queue holds every submission, so that submit never waits for a
	// worker, as the executor's unbounded queue does not.
	queue := make(chan submission, len(tasks))
	var wg sync.WaitGroup
	for range min(executorWorkers(), len(tasks)) {
		s := &stepper{ctx: b.ctx, gil: newGIL(m.cfg.switchInterval()), osThreads: true}
		if m.cfg.probe != nil {
			s.probe = m.cfg.probe.child()
		}
		wg.Go(func() {
			s.thread()
			m.worker(b, s, main, env, queue)
		})
	}
	m.submit(b, main, tasks, queue)
	close(queue)
	wg.Wait()
	return b.result()
}

// submission is one task, pickled: its index in the batch and its bytes.
type submission struct {
	i    int
	task []byte
}

// submit is the main interpreter's loop of submit() calls: each encodes
// one task under the main interpreter's lock and queues it, while the
// workers run the tasks queued before. The caller is the main thread, an
// OS thread for the while.
func (m *InterpPool) submit(b *batch, main *gil, tasks []workloads.Task, queue chan<- submission) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p := m.cfg.probe
	for i := range tasks {
		if b.failed() {
			return
		}
		main.acquire()
		task := workloads.AppendTasks(nil, tasks[i:i+1])
		if p != nil {
			p.tasksEncoded.Add(1)
			if p.onSubmit != nil {
				p.onSubmit(i, main)
			}
		}
		main.release()
		queue <- submission{i, task}
	}
}

// worker runs tasks from queue in its own interpreter (s, with its own
// lock) until the queue is drained and closed or the batch has failed.
func (m *InterpPool) worker(b *batch, s *stepper, main *gil, env *workloads.Env, queue <-chan submission) {
	var reply []byte
	for sub := range queue {
		if b.failed() {
			return
		}
		start := b.now()
		var err error
		reply, err = m.interpret(s, env, sub.task, reply[:0])
		if err != nil {
			b.fail(fmt.Errorf("interp-pool: submission %d: %w", sub.i, err))
			return
		}
		// Back in the main interpreter: unpickle the result and complete
		// the future, under its GIL.
		main.acquire()
		err = m.record(b, sub.i, reply, start)
		main.release()
		if err != nil {
			b.fail(err)
			return
		}
	}
}

// interpret is what runs inside a worker's interpreter, holding its lock:
// decode the task, run it, encode its reply (appended to dst).
func (m *InterpPool) interpret(s *stepper, env *workloads.Env, task, dst []byte) ([]byte, error) {
	s.gil.acquire()
	defer s.gil.release()
	ts, err := workloads.DecodeTasks(task)
	if err != nil {
		return dst, err
	}
	if len(ts) != 1 {
		return dst, fmt.Errorf("%w: %d tasks in one submission", workloads.ErrCorrupt, len(ts))
	}
	if p := m.cfg.probe; p != nil {
		p.tasksDecoded.Add(1)
	}
	t := &ts[0]
	t0 := time.Now()
	sum, output, err := s.exec(env, t)
	r := workloads.Reply{Result: workloads.Result{ID: t.ID, Sum: sum, Elapsed: time.Since(t0), PID: pid, Output: output}}
	if err != nil {
		r.Err = err.Error()
	}
	if p := m.cfg.probe; p != nil {
		p.repliesEncoded.Add(1)
	}
	return workloads.AppendReplies(dst, []workloads.Reply{r}), nil
}

// record decodes task i's reply and records its outcome, or its error.
func (m *InterpPool) record(b *batch, i int, reply []byte, start time.Duration) error {
	rs, err := workloads.DecodeReplies(reply)
	if err == nil && len(rs) != 1 {
		err = fmt.Errorf("%w: %d replies for one task", workloads.ErrCorrupt, len(rs))
	}
	if err != nil {
		return fmt.Errorf("interp-pool: reply of task %d: %w", i, err)
	}
	if p := m.cfg.probe; p != nil {
		p.repliesDecoded.Add(1)
	}
	r := rs[0]
	if r.Err != "" {
		return errors.New(r.Err)
	}
	b.out[i] = Outcome{Result: r.Result, Start: start, End: b.now()}
	return nil
}
