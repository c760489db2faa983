package bench

import (
	"container/heap"
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/workloads"
)

// EventLoop is asyncio: one event loop on one goroutine locked to its OS
// thread runs every compute step of every task, and no wait ever blocks it.
// Tasks are state machines owned by the loop, not goroutines:
//
//   - a compute op runs to its end on the loop, cooperatively, as a
//     coroutine's code between two awaits does;
//   - Sleep puts a timer in a min-heap owned by the loop, as asyncio.sleep
//     does with call_at;
//   - Net opens a non-blocking socket, connects, writes the request and reads
//     the reply as the poller reports the socket ready: epoll on Linux,
//     kqueue on macOS and FreeBSD (eventloop_socket.go); elsewhere see
//     eventloop_portable.go;
//   - File goes to a small executor of min(32, GOMAXPROCS+4) goroutines,
//     started as needed, as loop.run_in_executor does with its default
//     ThreadPoolExecutor, and completes back on the loop through an eventfd
//     (a kqueue user event) that wakes the poll.
//
// Each loop iteration runs the tasks that are ready, then polls with a
// timeout that is the time to the next timer, rounded up to a millisecond as
// asyncio's epoll selector does (so a 200 µs sleep lasts about 1 ms here, as
// it does in Python). Only the loop's thread computes, so compute never runs
// on two cores at once; GOMAXPROCS is left alone, so the executor and the
// rest of the process keep theirs. A task with no waits costs no system
// call; its cost per task is measured, with the other models', by
// go test ./bench -run '^$' -bench Dispatch.
type EventLoop struct {
	cfg    Config
	events atomic.Uint64
}

// NewEventLoop returns the eventloop model.
func NewEventLoop(cfg Config) *EventLoop { return &EventLoop{cfg: cfg} }

// Name returns "eventloop".
func (*EventLoop) Name() string { return "eventloop" }

// PollEvents returns how many socket readiness events the poller has
// delivered over every Run so far: the evidence that Net ops went through
// epoll or kqueue rather than blocking calls. It stays zero where the portable
// fallback runs Net ops in the executor.
func (m *EventLoop) PollEvents() uint64 { return m.events.Load() }

// Run runs the tasks on an event loop of its own, on the calling goroutine,
// which it locks to its OS thread for the duration. The first error, or ctx
// being done, stops the loop; Run closes every descriptor it opened and
// waits for the executor's goroutines before it returns.
func (m *EventLoop) Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	t0 := time.Now()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	l := &loop{
		m:       m,
		ctx:     ctx,
		env:     env,
		tasks:   tasks,
		st:      make([]elTask, len(tasks)),
		out:     make([]Outcome, len(tasks)),
		pending: len(tasks),
		poll:    p,
		t0:      t0,
	}
	l.s = stepper{ctx: ctx, probe: m.cfg.probe}
	// Cancellation wakes the loop out of epoll_wait. stop tells whether the
	// wake-up started; if it did, Run waits for it to end.
	woken := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(woken)
		p.wake()
	})
	err = l.run()
	// Tear down in an order that leaves nobody writing to a closed
	// descriptor and no goroutine behind: sockets, the wake-up on
	// cancellation, then the executor (whose goroutines wake the poller,
	// and which drops its queued jobs once ctx is done), then the poller.
	l.closeSockets()
	if !stop() {
		<-woken
	}
	cancel()
	if l.exec != nil {
		l.exec.shutdown()
	}
	if cerr := p.close(); err == nil {
		err = cerr
	}
	if err != nil {
		// When the caller's ctx is done, the tasks' errors are only echoes
		// of it.
		if perr := parent.Err(); perr != nil {
			return nil, perr
		}
		return nil, err
	}
	return l.out, nil
}

// loop is the state of one Run of the event loop. Only the loop's goroutine
// touches it, except the executor's completion queue.
type loop struct {
	m     *EventLoop
	ctx   context.Context
	env   *workloads.Env
	tasks []workloads.Task
	st    []elTask
	out   []Outcome
	s     stepper
	t0    time.Time
	poll  *poller
	exec  *executor // started at the first File op
	// conns holds the state of each task's Net op in flight, made at the
	// first Net op so that batches without any keep their tasks' state small.
	conns []netConn
	netAddr

	ready, spare []int32 // tasks to step in this iteration, and the next
	timers       timerHeap
	pending      int // tasks not finished
}

// elTask is the state of one task on the loop.
type elTask struct {
	started bool
	op      int // the op being run or waited for
	sum     uint64
	start   time.Duration
}

func (l *loop) now() time.Duration { return time.Since(l.t0) }

// run is the loop: step the ready tasks, poll for I/O until the next timer,
// fire due timers, take back executor completions; until every task is done.
func (l *loop) run() error {
	l.ready = make([]int32, len(l.tasks))
	for i := range l.ready {
		l.ready[i] = int32(i)
	}
	for l.pending > 0 {
		if err := l.ctx.Err(); err != nil {
			return err
		}
		// Tasks made ready while stepping wait for the next iteration, as
		// asyncio's call_soon callbacks do, so that polling is not starved.
		cur := l.ready
		l.ready = l.spare[:0]
		for _, i := range cur {
			if err := l.step(i); err != nil {
				return err
			}
		}
		l.spare = cur
		if l.pending == 0 {
			break
		}
		timeout := time.Duration(-1) // block until an event or a wake-up
		if len(l.ready) > 0 {
			timeout = 0
		} else if len(l.timers) > 0 {
			timeout = max(l.timers[0].when-l.now(), 0)
		}
		if err := l.pollOnce(timeout); err != nil {
			return err
		}
		l.fireTimers()
		if l.exec != nil {
			if err := l.completions(); err != nil {
				return err
			}
		}
	}
	return nil
}

// step runs task i from its current op until it waits or ends.
func (l *loop) step(i int32) error {
	t := &l.tasks[i]
	st := &l.st[i]
	if !st.started {
		st.started = true
		st.start = l.now()
		if err := t.Validate(); err != nil {
			return err
		}
		st.sum = t.StartSum()
	}
	for st.op < len(t.Ops) {
		op := t.Ops[st.op]
		seed := workloads.OpSeed(t.Seed, st.op)
		switch op.Kind {
		case workloads.KindCompute:
			v, err := l.s.compute(t.ID, op, seed)
			if err != nil {
				return opError(t, st.op, err)
			}
			st.sum = workloads.Fold(st.sum, v)
			st.op++
		case workloads.KindSleep:
			if op.D <= 0 {
				// asyncio.sleep(0) yields to the loop once.
				l.resume(i, workloads.SleepValue(op))
				return nil
			}
			heap.Push(&l.timers, timer{when: l.now() + op.D, task: i})
			return nil
		case workloads.KindNet:
			if err := l.startNet(i, op, seed); err != nil {
				return opError(t, st.op, err)
			}
			return nil
		case workloads.KindFile:
			l.submit(i, op, seed)
			return nil
		}
	}
	output := t.NewOutput()
	end := l.now()
	l.out[i] = Outcome{
		Result: workloads.Result{ID: t.ID, Sum: st.sum, Elapsed: end - st.start, PID: pid, Output: output},
		Start:  st.start, End: end,
	}
	l.pending--
	return nil
}

// resume completes the op task i waits for with value v and makes the task
// ready.
func (l *loop) resume(i int32, v uint64) {
	st := &l.st[i]
	st.sum = workloads.Fold(st.sum, v)
	st.op++
	l.ready = append(l.ready, i)
}

// fail returns the error of the op task i waits for.
func (l *loop) fail(i int32, err error) error {
	return opError(&l.tasks[i], l.st[i].op, err)
}

func (l *loop) fireTimers() {
	if len(l.timers) == 0 {
		return
	}
	now := l.now()
	for len(l.timers) > 0 && l.timers[0].when <= now {
		tm := heap.Pop(&l.timers).(timer)
		l.resume(tm.task, workloads.SleepValue(l.tasks[tm.task].Ops[l.st[tm.task].op]))
	}
}

// submit hands a blocking op of task i to the executor.
func (l *loop) submit(i int32, op workloads.Op, seed uint64) {
	if l.exec == nil {
		l.exec = newExecutor(l.ctx, l.env, executorWorkers(), len(l.tasks), l.poll.wake)
	}
	l.exec.submit(job{task: i, op: op, seed: seed})
}

// completions takes back the ops the executor has finished.
func (l *loop) completions() error {
	for _, c := range l.exec.take() {
		if c.err != nil {
			return l.fail(c.task, c.err)
		}
		l.resume(c.task, c.v)
	}
	return nil
}

// timer is a sleeping task's wake-up time, from the start of Run.
type timer struct {
	when time.Duration
	task int32
}

// timerHeap is a min-heap of timers by when; the loop owns it, as asyncio's
// loop owns its _scheduled heap.
type timerHeap []timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].when < h[j].when }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// executor runs blocking ops for the loop on a few goroutines, as asyncio's
// default ThreadPoolExecutor does: a worker is started for a job when none
// is idle, up to max, and each finished job is queued back to the loop,
// which wake wakes up.
type executor struct {
	ctx     context.Context
	env     *workloads.Env
	jobs    chan job
	max     int
	started int
	idle    atomic.Int32
	wg      sync.WaitGroup
	wake    func()

	mu   sync.Mutex
	done []completion
	took []completion
}

type job struct {
	task int32
	op   workloads.Op
	seed uint64
}

type completion struct {
	task int32
	v    uint64
	err  error
}

// newExecutor returns an executor of at most max goroutines for a batch of
// n tasks. A task waits for at most one job at a time, so a channel of n
// never blocks the loop.
func newExecutor(ctx context.Context, env *workloads.Env, max, n int, wake func()) *executor {
	return &executor{ctx: ctx, env: env, jobs: make(chan job, n), max: max, wake: wake}
}

func (e *executor) submit(j job) {
	if e.started < e.max && e.idle.Load() == 0 {
		e.started++
		e.wg.Go(e.work)
	}
	e.jobs <- j
}

func (e *executor) work() {
	for {
		e.idle.Add(1)
		j, ok := <-e.jobs
		e.idle.Add(-1)
		if !ok {
			return
		}
		c := completion{task: j.task}
		if err := e.ctx.Err(); err != nil {
			// Like shutdown(cancel_futures=True): don't start queued work.
			c.err = err
		} else {
			c.v, c.err = e.env.Do(e.ctx, j.op, j.seed)
		}
		e.mu.Lock()
		first := len(e.done) == 0
		e.done = append(e.done, c)
		e.mu.Unlock()
		// One wake-up per batch of completions: the loop reads the wake-up
		// before it takes the queue, so a completion queued after that
		// finds the queue empty and wakes it again.
		if first {
			e.wake()
		}
	}
}

// take returns the completions queued so far; the slice is valid until the
// next call.
func (e *executor) take() []completion {
	e.mu.Lock()
	d := e.done
	e.done = e.took[:0]
	e.took = d
	e.mu.Unlock()
	return d
}

// shutdown waits for every worker to end; queued jobs are dropped, as the
// loop's ctx is done by then.
func (e *executor) shutdown() {
	close(e.jobs)
	e.wg.Wait()
}
