package bench

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/concbench/concbench/workloads"
)

// This file holds what procs and procpool share: starting a worker process
// (the current executable re-executed in the worker role), exchanging
// frames with it, deadlines, killing and reaping.
//
// The pipes to a worker are blocking file descriptors, not the non-blocking
// ones os.Pipe makes for the runtime's poller on Unix (blockingPipe, in
// proc_pipe_*.go; Windows's anonymous pipes are blocking already): a
// goroutine reading a reply then sleeps in read(2) and the kernel wakes its
// thread directly when the worker writes, which saves the poller's wake-up
// on every round trip. The price is that a blocked read cannot be
// interrupted by closing the file or by a read deadline; it ends when the
// worker's end of the pipe closes, and that is how every stop works here:
// the worker is killed, the kernel closes its pipes, the read returns. Every
// Run therefore has at most one blocked thread per live worker.

const (
	// defaultDeadlineFloor is the least time a worker gets to answer one
	// message, however small its tasks: generous, since a deadline is there
	// to turn a hung worker into an error, not to judge speed.
	defaultDeadlineFloor = 30 * time.Second
	// deadlineFactor multiplies a message's nominal time on top of the
	// floor, so slow or overloaded machines stay well inside it.
	deadlineFactor = 10
	// unitBound is a pessimistic time for one compute unit of the default
	// size (they take 20–120 µs on a current core).
	unitBound = time.Millisecond
	// defaultExitGrace is how long a worker may take to exit once its stdin
	// is closed, or once it has closed its stdout, before it is killed.
	defaultExitGrace = 5 * time.Second
)

// ErrProtocol is wrapped by the error of a worker that broke the pipe
// protocol: it wrote something other than the replies to the tasks it was
// sent, cut a frame short, or exited without replying.
var ErrProtocol = errors.New("worker protocol error")

// ErrDeadline is wrapped by the error of a worker that did not reply within
// its deadline; such a worker is killed.
var ErrDeadline = errors.New("worker missed its deadline")

// WorkerError is the failure of a worker process while it held some tasks.
// Its message names the tasks, the worker and what happened, such as
// "task 3: worker pid 4242: died of signal SIGKILL".
type WorkerError struct {
	// Tasks are the IDs of the tasks that the worker held: one task, or the
	// tasks of one chunk, since the parent cannot know which task of a
	// chunk a dead worker was running.
	Tasks []int
	// PID is the worker's process ID.
	PID int
	// State is how the worker process ended; nil if it had not been reaped
	// when the error was made (never, from Run).
	State *os.ProcessState
	// Err says what went wrong.
	Err error
}

// Error says which tasks, which worker, and what happened.
func (e *WorkerError) Error() string {
	if len(e.Tasks) == 0 {
		return fmt.Sprintf("worker pid %d: %v", e.PID, e.Err)
	}
	return fmt.Sprintf("%s: worker pid %d: %v", taskNames(e.Tasks), e.PID, e.Err)
}

// Unwrap returns e.Err.
func (e *WorkerError) Unwrap() error { return e.Err }

// taskNames names task IDs in an error: "task 3", "tasks 4, 5, 6", or for
// a long chunk its ends and size.
func taskNames(ids []int) string {
	switch {
	case len(ids) == 1:
		return "task " + strconv.Itoa(ids[0])
	case len(ids) <= 8:
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.Itoa(id)
		}
		return "tasks " + strings.Join(s, ", ")
	}
	return fmt.Sprintf("tasks %d, %d, … %d (%d tasks)", ids[0], ids[1], ids[len(ids)-1], len(ids))
}

func taskIDs(ts []workloads.Task) []int {
	ids := make([]int, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}

// procOpts are the process models' knobs that only tests turn. The zero
// value gives the defaults.
type procOpts struct {
	deadlineFloor time.Duration // zero: defaultDeadlineFloor
	exitGrace     time.Duration // zero: defaultExitGrace
	env           []string      // extra worker environment, such as a fault hook
	stats         *procStats    // if set, filled in when a Run ends
}

// procStats is what tests learn of a Run's workers.
type procStats struct {
	started int // workers started
	maxLive int // most workers alive at once
	// sent and received are the bytes of the frames written to the
	// workers and read from them, headers included.
	sent, received int64
}

func (o procOpts) grace() time.Duration {
	if o.exitGrace > 0 {
		return o.exitGrace
	}
	return defaultExitGrace
}

// deadline returns how long a worker may take to answer a message holding
// ts: the floor plus deadlineFactor times the tasks' nominal time.
func (o procOpts) deadline(ts []workloads.Task) time.Duration {
	floor := o.deadlineFloor
	if floor <= 0 {
		floor = defaultDeadlineFloor
	}
	var nominal time.Duration
	for _, t := range ts {
		for _, op := range t.Ops {
			switch op.Kind {
			case workloads.KindCompute:
				per := unitBound
				if def := op.Kernel.DefaultSize(); op.Size > def {
					per = time.Duration(float64(unitBound) * float64(op.Size) / float64(def))
				}
				nominal += time.Duration(op.Units) * per
			case workloads.KindFile:
				// An fsync on a slow disk, and 1 MB/s.
				nominal += 10*time.Millisecond + time.Duration(op.Bytes)*time.Microsecond
			default:
				nominal += op.D + time.Millisecond
			}
		}
	}
	return floor + deadlineFactor*nominal
}

// procGroup is the worker processes of one Run. The first error of the
// batch stops it: every live worker is killed, and no new one starts.
type procGroup struct {
	opts procOpts
	env  []string // worker environment on top of the parent's

	failed atomic.Bool // g.err != nil, read without the lock on hot paths

	// Frame bytes to and from the workers, for procStats.
	sent, received atomic.Int64

	mu      sync.Mutex
	live    map[*proc]struct{}
	err     error
	started int // workers started, for tests
	maxLive int // most workers alive at once, for tests

	stopCtx  func() bool
	ctxFired chan struct{}
}

// newGroup returns a group whose workers are all killed when ctx is done.
// The caller must call close once every worker has been reaped.
func newGroup(ctx context.Context, env *workloads.Env, opts procOpts) *procGroup {
	g := &procGroup{opts: opts, live: make(map[*proc]struct{}), ctxFired: make(chan struct{})}
	if env != nil {
		g.env = append(g.env, workloads.AddrEnv+"="+env.Addr, workloads.DirEnv+"="+env.Dir)
	}
	g.env = append(g.env, opts.env...)
	g.stopCtx = context.AfterFunc(ctx, func() {
		defer close(g.ctxFired)
		g.fail(ctx.Err())
	})
	return g
}

// fail makes err the batch's error, unless there is one already, and kills
// every live worker.
func (g *procGroup) fail(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
		g.failed.Store(true)
	}
	for p := range g.live {
		p.kill(errStopped)
	}
}

// close returns the batch's error once the context watcher has finished;
// every worker must have been reaped.
func (g *procGroup) close() error {
	if !g.stopCtx() {
		<-g.ctxFired // the watcher started: let it end before Run does
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if s := g.opts.stats; s != nil {
		*s = procStats{started: g.started, maxLive: g.maxLive, sent: g.sent.Load(), received: g.received.Load()}
	}
	if len(g.live) != 0 {
		panic("bench: process group closed with live workers") // a bug in this file
	}
	return g.err
}

// Why a worker was killed by us. errStopped workers are casualties of
// another failure and report nothing of their own.
var (
	errStopped      = errors.New("batch stopped")
	errDeadlineKill = errors.New("deadline passed")
	errBroken       = errors.New("protocol broken")
	errNoExit       = errors.New("did not exit")
)

// proc is one worker process and the parent's ends of its pipes. One
// goroutine uses it; kill may come from any.
type proc struct {
	g      *procGroup
	cmd    *exec.Cmd
	pid    int
	stdin  *os.File // the worker's stdin: task frames
	stdout *os.File // the worker's stdout: reply frames
	r      *bufio.Reader
	wbuf   []byte
	rbuf   []byte

	stdinClosed bool
	deadline    *time.Timer
	fired       chan struct{} // closed when the deadline's kill is done
	reaped      bool
	waited      bool
	state       *os.ProcessState // how it ended; nil if it could not be waited for
	waitErr     error            // why not

	mu    sync.Mutex
	cause error // why we killed it; nil if we did not
}

// start starts a worker process. It returns errStopped if the batch has
// failed, in which case no worker is left behind.
func (g *procGroup) start() (*proc, error) {
	if g.failed.Load() {
		return nil, errStopped
	}
	cmd, err := workloads.Command(workloads.RoleWorker, g.env...)
	if err != nil {
		return nil, err
	}
	inR, inW, err := blockingPipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := blockingPipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout = inR, outW
	err = cmd.Start()
	// The child has its own copies now; ours would keep the pipes open
	// after it dies and hide its death from the reads.
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("starting worker: %w", err)
	}
	p := &proc{g: g, cmd: cmd, pid: cmd.Process.Pid, stdin: inW, stdout: outR,
		r: bufio.NewReader(outR)}
	accountStart(p.pid)
	g.mu.Lock()
	g.live[p] = struct{}{}
	g.started++
	g.maxLive = max(g.maxLive, len(g.live))
	stopped := g.err != nil
	g.mu.Unlock()
	if stopped {
		// The batch failed while this worker was starting, after fail
		// killed the others.
		p.kill(errStopped)
		p.reap()
		return nil, errStopped
	}
	return p, nil
}

// kill sends the worker SIGKILL (TerminateProcess on Windows), remembering
// the first reason. Killing a reaped worker is harmless: os.Process refuses
// to signal it once waited for (and on Linux it holds a pidfd), so a reused
// pid is never hit.
func (p *proc) kill(cause error) {
	p.mu.Lock()
	if p.cause == nil {
		p.cause = cause
	}
	p.mu.Unlock()
	p.cmd.Process.Kill()
}

func (p *proc) killCause() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cause
}

// exchange sends ts to the worker as one frame and reads their replies,
// killing the worker if they have not come within d. With last, it closes
// the worker's stdin after sending, so that the worker exits as soon as it
// has replied. On error the worker must be handed to fault.
func (p *proc) exchange(ts []workloads.Task, d time.Duration, last bool) ([]workloads.Reply, error) {
	p.wbuf = append(p.wbuf[:0], 0, 0, 0, 0)
	p.wbuf = workloads.AppendTasks(p.wbuf, ts)
	if len(p.wbuf)-4 > workloads.MaxFrame {
		return nil, fmt.Errorf("%s: task frame of %d bytes exceeds %d", taskNames(taskIDs(ts)), len(p.wbuf)-4, workloads.MaxFrame)
	}
	binary.LittleEndian.PutUint32(p.wbuf, uint32(len(p.wbuf)-4))

	if p.deadline == nil {
		p.fired = make(chan struct{})
		p.deadline = time.AfterFunc(d, func() {
			defer close(p.fired)
			p.kill(errDeadlineKill)
		})
	} else {
		p.deadline.Reset(d)
	}
	reps, err := p.roundTrip(ts, last)
	if !p.deadline.Stop() {
		// The deadline passed, perhaps just as the reply came: the worker
		// is being killed, so this message failed.
		<-p.fired
		return nil, errDeadlineKill
	}
	return reps, err
}

func (p *proc) roundTrip(ts []workloads.Task, last bool) ([]workloads.Reply, error) {
	if _, err := p.stdin.Write(p.wbuf); err != nil {
		return nil, fmt.Errorf("sending tasks: %w", err)
	}
	p.g.sent.Add(int64(len(p.wbuf)))
	if last {
		p.stdinClosed = true
		if err := p.stdin.Close(); err != nil {
			return nil, fmt.Errorf("closing worker's stdin: %w", err)
		}
	}
	payload, err := workloads.ReadFrame(p.r, p.rbuf)
	if err != nil {
		return nil, err
	}
	p.rbuf = payload
	p.g.received.Add(4 + int64(len(payload)))
	reps, err := workloads.DecodeReplies(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	if len(reps) != len(ts) {
		return nil, fmt.Errorf("%w: %d replies to %d tasks", ErrProtocol, len(reps), len(ts))
	}
	for i, r := range reps {
		if r.ID != ts[i].ID {
			return nil, fmt.Errorf("%w: reply %d is for task %d, want task %d", ErrProtocol, i, r.ID, ts[i].ID)
		}
		if r.Err == "" && r.PID != p.pid {
			return nil, fmt.Errorf("%w: reply for task %d claims pid %d", ErrProtocol, r.ID, r.PID)
		}
	}
	return reps, nil
}

// fault reaps a worker whose exchange of ts failed with err, and returns
// the error that names the tasks and says what happened, or errStopped if
// the worker was killed because the batch had already failed.
func (p *proc) fault(ts []workloads.Task, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pipeClosed(err) {
		// The worker closed its pipes: it is most likely exiting, and how
		// it exits says more than the pipe did. reap gives it the exit
		// grace before killing it.
	} else {
		p.kill(errBroken)
	}
	p.reap()
	werr := &WorkerError{Tasks: taskIDs(ts), PID: p.pid, State: p.state}
	var ws syscall.WaitStatus
	if p.state != nil {
		ws, _ = p.state.Sys().(syscall.WaitStatus)
	}
	switch cause := p.killCause(); {
	case cause == errStopped:
		return errStopped
	case p.state == nil:
		werr.Err = fmt.Errorf("lost: %v (after %v)", p.waitErr, err)
	case cause == errDeadlineKill:
		werr.Err = fmt.Errorf("%w of %v; killed", ErrDeadline, p.g.opts.deadline(ts))
	case cause == errNoExit:
		werr.Err = fmt.Errorf("%w: closed its stdout but did not exit within %v; killed (%v)", ErrProtocol, p.g.opts.grace(), err)
	case cause == nil && ws.Signaled():
		werr.Err = fmt.Errorf("died of signal %s", signalName(ws.Signal()))
	case cause == nil && ws.Exited() && ws.ExitStatus() != 0:
		werr.Err = fmt.Errorf("exited with status %d before replying", ws.ExitStatus())
	case errors.Is(err, io.EOF):
		werr.Err = fmt.Errorf("%w: exited without replying", ErrProtocol)
	case errors.Is(err, io.ErrUnexpectedEOF):
		werr.Err = fmt.Errorf("%w: reply frame cut short", ErrProtocol)
	case errors.Is(err, workloads.ErrCorrupt) && !errors.Is(err, ErrProtocol):
		werr.Err = fmt.Errorf("%w: %w", ErrProtocol, err)
	default:
		werr.Err = err
	}
	return werr
}

// reap closes the worker's stdin, which tells a healthy worker to exit,
// waits for it to exit (killing it after the exit grace), and reaps it,
// moving its CPU time to the exited account. It is idempotent.
func (p *proc) reap() {
	if p.reaped {
		return
	}
	p.reaped = true
	if !p.stdinClosed {
		p.stdinClosed = true
		p.stdin.Close()
	}
	fired := make(chan struct{})
	t := time.AfterFunc(p.g.opts.grace(), func() {
		defer close(fired)
		p.kill(errNoExit)
	})
	awaitExit(p)
	if !t.Stop() {
		<-fired
	}
	accountReap(p.pid, func() time.Duration {
		p.wait()
		if p.state == nil {
			// Someone else reaped it (SIGCHLD ignored, or a stray wait):
			// its CPU time is lost with it.
			return 0
		}
		return p.state.UserTime() + p.state.SystemTime()
	})
	p.stdout.Close()
	g := p.g
	g.mu.Lock()
	delete(g.live, p)
	g.mu.Unlock()
}

// wait reaps the worker through exec.Cmd.Wait, once, and keeps how it
// ended. awaitExit calls it where the exit cannot be awaited without reaping.
func (p *proc) wait() {
	if p.waited {
		return
	}
	p.waited = true
	err := p.cmd.Wait()
	p.state = p.cmd.ProcessState
	if p.state == nil {
		p.waitErr = fmt.Errorf("waiting for worker: %w", err)
	}
}

// shutdown ends a worker that has answered everything it was sent: it
// closes its stdin, reaps it, and reports an exit that was not clean.
func (p *proc) shutdown() error {
	p.reap()
	if p.killCause() == errStopped {
		return errStopped
	}
	if p.state == nil {
		return &WorkerError{PID: p.pid, Err: fmt.Errorf("lost: %w", p.waitErr)}
	}
	if p.state.Success() {
		return nil
	}
	err := fmt.Errorf("%w: worker ended with %v after its last reply", ErrProtocol, p.state)
	if p.killCause() == errNoExit {
		err = fmt.Errorf("%w: worker did not exit within %v of its stdin closing; killed", ErrProtocol, p.g.opts.grace())
	}
	return &WorkerError{PID: p.pid, State: p.state, Err: err}
}

// validateTasks checks every task before any process starts.
func validateTasks(tasks []workloads.Task) error {
	for _, t := range tasks {
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}
