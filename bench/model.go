package bench

import (
	"context"
	"runtime"
	"time"

	"github.com/concbench/concbench/workloads"
)

// Model is one way of scheduling a batch of tasks.
type Model interface {
	// Name is the model's name in benchmark names and reports, such as
	// "eventloop" or "gil-pool".
	Name() string
	// Run runs every task to completion and returns their outcomes in task
	// order. It returns early with an error that names the task when a task
	// fails, or with ctx's error when ctx is done. Every goroutine and
	// process Run starts has ended when it returns.
	Run(ctx context.Context, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error)
}

// Outcome is what became of one task: its result, and when it started and
// ended, measured by the scheduling process from the start of Run.
type Outcome struct {
	workloads.Result
	Start, End time.Duration
}

// Span returns how long the task took from its start to its end, as the
// scheduler saw it: for a GIL model this includes waiting for the lock, for
// a process model the pipe round trip.
func (o Outcome) Span() time.Duration { return o.End - o.Start }

// Response returns the task's response time: from the batch's submission
// (Run's start) to the task's end. Unlike Span it includes the time the task
// queued before it started — behind a pool's busy workers, or behind an event
// loop's compute — which is the latency a client of the batch sees.
func (o Outcome) Response() time.Duration { return o.End }

// Config holds the settings that models share. Its zero value gives each
// model Python's defaults.
type Config struct {
	// Workers bounds pool, errgroup, procs and procpool; zero means
	// GOMAXPROCS at the time Run starts.
	Workers int
	// SwitchInterval is the GIL's switch interval; zero means 5 ms, as
	// sys.getswitchinterval() in CPython.
	SwitchInterval time.Duration
	// Chunk is how many tasks procpool sends per message; zero means 1.
	Chunk int

	// probe, when set by internal tests, watches every compute unit the
	// in-process models run, so that their concurrency is measured rather
	// than assumed.
	probe *probe
}

// DefaultSwitchInterval is CPython's default switch interval.
const DefaultSwitchInterval = 5 * time.Millisecond

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (c Config) switchInterval() time.Duration {
	if c.SwitchInterval > 0 {
		return c.SwitchInterval
	}
	return DefaultSwitchInterval
}
