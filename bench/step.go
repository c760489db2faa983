package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/workloads"
)

// pid is this process's ID. os.Getpid is a system call, too costly to make
// once per task when a task may last a microsecond.
var pid = os.Getpid()

// stepper runs the ops of tasks for the in-process models. Every model runs
// compute ops through it unit by unit, so that the GIL can switch between
// units and the probe sees each unit as it really runs.
type stepper struct {
	ctx   context.Context
	probe *probe
	gil   *gil // nil for models without a global lock
	// osThreads makes each goroutine that runs tasks an OS thread for its
	// whole life (see [stepper.thread]); the models of CPython's threads
	// (gil-threads, gil-pool, interp-pool) set it.
	osThreads bool
}

// thread is what a goroutine that runs tasks with s calls first, on the
// goroutine itself. Under osThreads it locks the goroutine to its OS thread
// and never unlocks it, so that the thread ends when the goroutine does: a
// CPython thread is an OS thread from its start to its end. It matters
// twice. A lock handed to a waiter must wake a thread that sleeps in the
// kernel, and it gets a core only when the OS scheduler gives it one, while
// the releaser runs on: with every goroutine locked, each park and wake-up
// of a waiter is one of the OS (the runtime hands the P to the waiter's own
// thread and wakes it with a futex), so a contended lock costs what
// CPython's does. And starting and ending a task's thread costs a clone and
// an exit, as a Python thread's start does: 10,000 tasks are 10,000 threads
// alive at once, in Go as in CPython (see raiseMaxThreads).
func (s *stepper) thread() {
	if s.osThreads {
		runtime.LockOSThread()
	}
}

// compute runs the units of a compute op for the task with the given ID and
// returns the op's value, which equals [workloads.ComputeOp]'s. It checks
// ctx every 16 units, as ComputeOp does, so that cancelling stops even a
// long op promptly. Under a GIL a unit of a kernel whose CPython counterpart
// releases it runs its C part without the lock (see [workloads.UnitReleasing]).
func (s *stepper) compute(id int, op workloads.Op, seed uint64) (uint64, error) {
	var r *releaser
	if s.gil != nil && op.Kernel.ReleasesGIL() {
		r = &releaser{g: s.gil, p: s.probe}
	}
	v := uint64(0)
	for u := 0; u < op.Units; u++ {
		if u&15 == 15 {
			if err := s.ctx.Err(); err != nil {
				return 0, err
			}
		}
		if s.gil != nil {
			s.gil.tick()
		}
		v = workloads.UnitFold(v, s.unit(id, op, seed, u, r))
	}
	return v, nil
}

// unit runs one compute unit, inside the probe's window when there is one;
// r, when not nil, releases the GIL around the unit's C part.
func (s *stepper) unit(id int, op workloads.Op, seed uint64, u int, r *releaser) uint64 {
	p := s.probe
	if r == nil {
		if p == nil {
			return workloads.Unit(op.Kernel, op.Size, seed, u)
		}
		p.enter(id)
		v := workloads.Unit(op.Kernel, op.Size, seed, u)
		p.exit()
		return v
	}
	if p != nil {
		p.enter(id)
	}
	v := workloads.UnitReleasing(op.Kernel, op.Size, seed, u, r)
	if p != nil {
		p.exit()
	}
	return v
}

// releaser is Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS around the C
// part of a unit: it releases the GIL, and takes it back afterwards, waiting
// behind whoever holds it then. The probe sees the held parts in its held
// window and the C part in its released one.
type releaser struct {
	g *gil
	p *probe
}

// Release ends the unit's held part and releases the lock.
func (r *releaser) Release() {
	if r.p != nil {
		r.p.exit()
	}
	r.g.release()
	if r.p != nil {
		r.p.enterReleased()
	}
}

// Reacquire ends the unit's C part and takes the lock back.
func (r *releaser) Reacquire() {
	if r.p != nil {
		r.p.exitReleased()
	}
	r.g.acquire()
	if r.p != nil {
		r.p.enterHeld()
	}
}

// exec runs task t to completion on the calling goroutine, blocking in its
// waits, and returns its checksum and the output it hands back. Under a
// GIL the caller holds the lock when exec starts, and holds it again when
// exec returns: every wait releases the lock and reacquires it afterwards,
// as CPython does around a blocking call, even when the wait failed.
func (s *stepper) exec(env *workloads.Env, t *workloads.Task) (uint64, []byte, error) {
	if err := t.Validate(); err != nil {
		return 0, nil, err
	}
	sum := workloads.Start(t.Seed)
	if len(t.Input) > 0 {
		sum = workloads.Fold(sum, s.inputValue(t.Input))
	}
	p := s.probe
	if p != nil {
		p.op(t.ID, -1)
	}
	for i, op := range t.Ops {
		// A task that gets the GIL after the batch was cancelled must not
		// run even a few units: tasks queued for the lock stop one by one.
		if err := s.ctx.Err(); err != nil {
			return 0, nil, opError(t, i, err)
		}
		if p != nil {
			p.op(t.ID, i)
		}
		seed := workloads.OpSeed(t.Seed, i)
		var v uint64
		var err error
		if op.Kind == workloads.KindCompute {
			v, err = s.compute(t.ID, op, seed)
		} else {
			if s.gil != nil {
				s.gil.release()
			}
			v, err = env.Do(s.ctx, op, seed)
			if s.gil != nil {
				s.gil.acquire()
			}
		}
		if err != nil {
			return 0, nil, opError(t, i, err)
		}
		sum = workloads.Fold(sum, v)
	}
	if p != nil {
		p.op(t.ID, len(t.Ops))
	}
	return sum, t.NewOutput(), nil
}

// inputValue reads a task's input, its first work, and returns the value
// [workloads.Task.StartSum] folds for it: its CRC-32, which CPython's
// zlib.crc32 computes without the GIL for a buffer over
// [workloads.PayloadReleaseMin], so under a GIL the lock is released
// around it.
func (s *stepper) inputValue(in []byte) uint64 {
	if s.gil == nil || len(in) <= workloads.PayloadReleaseMin {
		return workloads.PayloadValue(in)
	}
	s.gil.release()
	v := workloads.PayloadValue(in)
	s.gil.acquire()
	return v
}

// blockingSleeps returns a copy of env whose sleeps last what they ask, as a
// thread blocked in CPython's time.sleep does (see [workloads.Sleeper]),
// for the models that stand for one: seq, gil-threads and gil-pool. done
// releases the Sleeper; Run calls it before it returns. A batch without
// sleeps opens nothing.
func blockingSleeps(env *workloads.Env) (_ *workloads.Env, done func()) {
	s := new(workloads.Sleeper)
	return env.WithSleeper(s), func() { s.Close() }
}

// goSleeps returns a copy of env whose sleeps use Go's own timer, whatever
// the caller's env says: goroutines, pool and errgroup stand for Go code.
func goSleeps(env *workloads.Env) *workloads.Env { return env.WithSleeper(nil) }

// opError names the task and op that failed, as [workloads.Exec] does.
func opError(t *workloads.Task, i int, err error) error {
	return fmt.Errorf("task %d op %d %v: %w", t.ID, i, t.Ops[i], err)
}

// batch collects the outcomes of one Run of a concurrent model and its
// first error, whose arrival cancels the tasks still running.
type batch struct {
	parent context.Context
	ctx    context.Context // cancelled by the first error
	cancel context.CancelFunc
	t0     time.Time
	out    []Outcome

	mu  sync.Mutex
	err error
}

func newBatch(ctx context.Context, n int) *batch {
	b := &batch{parent: ctx, t0: time.Now(), out: make([]Outcome, n)}
	b.ctx, b.cancel = context.WithCancel(ctx)
	return b
}

// now returns the time since Run started. time.Since reads only the
// monotonic clock, which is cheaper than time.Now.
func (b *batch) now() time.Duration { return time.Since(b.t0) }

// run runs task i with s from start, records its outcome or its error, and
// returns when the task ended. A worker that runs tasks one after another
// passes the end of one as the start of the next, which saves a clock read
// per task, a sizeable share of the cheapest models' dispatch cost.
// Under a GIL the task's start is taken before it waits for the lock, so its
// latency includes that wait, as a Python thread's would.
func (b *batch) run(s *stepper, env *workloads.Env, tasks []workloads.Task, i int, start time.Duration) time.Duration {
	if s.gil != nil {
		s.gil.acquire()
	}
	return b.runHeld(s, env, tasks, i, start)
}

// runHeld is run for a caller that already holds s.gil, where there is one:
// a thread that took it to say it has started (see [batch.startThreads]).
func (b *batch) runHeld(s *stepper, env *workloads.Env, tasks []workloads.Task, i int, start time.Duration) time.Duration {
	t := &tasks[i]
	sum, output, err := s.exec(env, t)
	if s.gil != nil {
		s.gil.release()
	}
	end := b.now()
	if err != nil {
		b.fail(err)
		return end
	}
	b.done(i, t.ID, sum, output, start, end)
	return end
}

// done records the outcome of task i, which ran from start to end.
func (b *batch) done(i, id int, sum uint64, output []byte, start, end time.Duration) {
	b.out[i] = Outcome{
		Result: workloads.Result{ID: id, Sum: sum, Elapsed: end - start, PID: pid, Output: output},
		Start:  start, End: end,
	}
}

// fail records err if it is the first error, and cancels the other tasks.
func (b *batch) fail(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
		b.cancel()
	}
	b.mu.Unlock()
}

// failed reports whether the batch should stop starting tasks.
func (b *batch) failed() bool { return b.ctx.Err() != nil }

// result returns the outcomes, or the error that ended the batch. When the
// caller's ctx is done its error wins, because the tasks' own errors are
// then only echoes of the cancellation.
func (b *batch) result() ([]Outcome, error) {
	b.cancel()
	if err := b.parent.Err(); err != nil {
		return nil, err
	}
	if b.err != nil {
		return nil, b.err
	}
	return b.out, nil
}

// probe measures how many compute units run at once: an in-flight counter
// wrapped around the execution of every unit, and the maximum it reached.
// Under a GIL, a unit of a kernel that releases it is watched in two
// windows: its held parts in the first counter (which must never exceed
// one) and its C part, run without the lock, in a second (which may).
// Tests set it through Config; models never read it back.
type probe struct {
	inFlight atomic.Int64
	max      atomic.Int64
	units    atomic.Int64
	// released and releasedMax count the C parts running without the GIL.
	released    atomic.Int64
	releasedMax atomic.Int64
	// onUnit, if set, is called as each unit starts, inside the window,
	// with the task's ID.
	onUnit func(id int)
	// onOp, if set, is called on the goroutine that runs the task, with
	// its ID, as the task starts (op -1), before each op (its index) and
	// after the last (len(Ops)).
	onOp func(id, op int)

	// parent, when set, sees every window this probe sees: a model with
	// several interpreters (interp-pool) gives each its own child probe,
	// so that a test measures the overlap within one and across all.
	parent   *probe
	mu       sync.Mutex
	children []*probe

	// Tasks and replies encoded and decoded by a model whose tasks cross
	// between interpreters as bytes (interp-pool).
	tasksEncoded, tasksDecoded     atomic.Int64
	repliesEncoded, repliesDecoded atomic.Int64
	// onSubmit, if set, is called as interp-pool submits task i, after
	// encoding it and before queueing it, with the main interpreter's
	// lock, which the submitter holds.
	onSubmit func(i int, main *gil)
}

// child returns a new probe whose windows also count in p, and records it
// in p.children.
func (p *probe) child() *probe {
	c := &probe{parent: p}
	p.mu.Lock()
	p.children = append(p.children, c)
	p.mu.Unlock()
	return c
}

// op calls onOp of p and of its parents, for task id at op i.
func (p *probe) op(id, i int) {
	for q := p; q != nil; q = q.parent {
		if q.onOp != nil {
			q.onOp(id, i)
		}
	}
}

// enter opens the held window of a new unit.
func (p *probe) enter(id int) {
	for q := p; q != nil; q = q.parent {
		raiseMax(&q.max, q.inFlight.Add(1))
		q.units.Add(1)
		if q.onUnit != nil {
			q.onUnit(id)
		}
	}
}

// enterHeld opens the held window again, after a unit's C part.
func (p *probe) enterHeld() {
	for q := p; q != nil; q = q.parent {
		raiseMax(&q.max, q.inFlight.Add(1))
	}
}

func (p *probe) exit() {
	for q := p; q != nil; q = q.parent {
		q.inFlight.Add(-1)
	}
}

func (p *probe) enterReleased() {
	for q := p; q != nil; q = q.parent {
		raiseMax(&q.releasedMax, q.released.Add(1))
	}
}

func (p *probe) exitReleased() {
	for q := p; q != nil; q = q.parent {
		q.released.Add(-1)
	}
}

// raiseMax raises m to n if n is larger.
func raiseMax(m *atomic.Int64, n int64) {
	for {
		v := m.Load()
		if n <= v || m.CompareAndSwap(v, n) {
			return
		}
	}
}
