package bench

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/concbench/concbench/workloads"
)

// Unlimited is a [Limits] value that the system does not bound.
const Unlimited = math.MaxUint64

// Limits are the resource limits that every cell of a run must fit in.
type Limits struct {
	// Nofile is this process's soft RLIMIT_NOFILE, which Go raised to the
	// hard limit (less one, on Linux) when the process started. The latency
	// server and the worker processes are this binary too and raise theirs
	// alike, so each of them gets the same.
	Nofile uint64
	// Nproc is RLIMIT_NPROC: how many threads and processes this user may
	// have, counted over the whole system, not per process.
	Nproc uint64
	// NprocEnforced is false where the kernel does not apply Nproc to this
	// process: for root on Linux.
	NprocEnforced bool
}

// Need is what one batch under one model holds at its peak, beyond what the
// processes hold between batches.
type Need struct {
	// Files is descriptors in this process: a socket per Net op in flight,
	// a file per File op in flight, the pipes and process handle of each
	// live worker process.
	Files int
	// ServerFiles is descriptors in the latency server's process: one per
	// connection.
	ServerFiles int
	// Threads is OS threads and processes this user gains: a thread per
	// File op blocked in fsync, a thread per task or worker of the models
	// of CPython's threads, the threads of each live worker process.
	Threads int
}

// Per-worker-process costs, as a process model's parent and child hold
// them at most: a stdin and a stdout pipe end and a pidfd, plus the child's
// ends and os/exec's status pipe while it starts; a GOMAXPROCS=1 Go worker
// runs 3 threads idle (measured) and up to 6 busy.
const (
	filesPerWorker   = 7
	threadsPerWorker = 6
)

// Spare descriptors and threads beyond those counted: the runtime's
// poller, the event loop's epoll and eventfd, b.TempDir, the test
// framework's files, the latency server's own pipes and poller.
const (
	spareFiles   = 32
	spareThreads = 16
)

// CellNeed estimates what one batch of tasks under the named model needs
// at gomaxprocs, from how many of its tasks can be in a wait at once, which
// the model's [Traits] tell. An unknown model counts as one task per
// worker.
func CellNeed(model string, tasks []workloads.Task, gomaxprocs int) Need {
	var net, file bool
	for _, t := range tasks {
		for _, op := range t.Ops {
			net = net || op.Kind == workloads.KindNet
			file = file || op.Kind == workloads.KindFile
		}
	}
	n := len(tasks)
	tr, ok := TraitsOf(model)
	if !ok {
		tr.Pool = perTaskPool
	}
	// inFlight is how many tasks may be in a Net or File op at once: one
	// per worker.
	inFlight := tr.Pool.Workers(n, gomaxprocs)
	var need Need
	if tr.Processes {
		// Ops run in the workers, each a process with its own limit and
		// one op at a time.
		need.Files = inFlight * filesPerWorker
		need.Threads = inFlight * threadsPerWorker
		if net {
			need.ServerFiles = inFlight
		}
		return need
	}
	if tr.OSThreads {
		need.Threads = inFlight
	}
	if net {
		need.Files += inFlight
		need.ServerFiles = inFlight
	}
	if file {
		if tr.FileExecutor != (PoolSize{}) {
			inFlight = tr.FileExecutor.Workers(n, gomaxprocs)
		}
		need.Files += inFlight
		if !tr.OSThreads {
			// A File op blocked in fsync holds a thread of its own,
			// unless it blocks in the task's own.
			need.Threads += inFlight
		}
	}
	return need
}

// LimitSkip returns why a batch under the named model cannot run within
// lim, or "" when it can: the limit it would exceed, the value it needs and
// how to raise it. filesOpen is this process's open descriptors now,
// serverListeners the latency server's, and userThreads this user's threads
// and processes now (negative if unknown).
func LimitSkip(lim Limits, need Need, filesOpen, serverListeners, userThreads int) string {
	here := filesOpen + need.Files + spareFiles
	server := need.ServerFiles + serverListeners + spareFiles
	if lim.Nofile != Unlimited && (uint64(here) > lim.Nofile || uint64(server) > lim.Nofile) {
		what, n := fmt.Sprintf("in this process (%d open, %d for the batch)", filesOpen, need.Files), here
		if server > here {
			what, n = fmt.Sprintf("in the latency server's process (%d connections)", need.ServerFiles), server
		}
		v := raiseTo(n)
		return fmt.Sprintf("needs %d open files %s, over RLIMIT_NOFILE %d; raise it: ulimit -n %d, or a container's --ulimit nofile=%d",
			n, what, lim.Nofile, v, v)
	}
	if lim.Nproc != Unlimited && lim.NprocEnforced && userThreads >= 0 && need.Threads > 0 {
		if n := userThreads + need.Threads + spareThreads; uint64(n) > lim.Nproc {
			v := raiseTo(n)
			return fmt.Sprintf("needs %d threads and processes of this user (%d now, %d for the batch), over RLIMIT_NPROC %d; raise it: ulimit -u %d, or a container's --ulimit nproc=%d",
				n, userThreads, need.Threads, lim.Nproc, v, v)
		}
	}
	return ""
}

// raiseTo rounds a need up to a round limit to suggest, with room to spare.
func raiseTo(n int) int { return (n*11/10/1000 + 1) * 1000 }

// runLimits reads the limits once per process: they do not change while it
// runs.
var runLimits = sync.OnceValue(ReadLimits)

// userThreadsCache keeps the count of this user's threads for a second:
// counting walks /proc, and consecutive cells would count the same.
var userThreadsCache struct {
	sync.Mutex
	at time.Time
	n  int
}

func cachedUserThreads() int {
	c := &userThreadsCache
	c.Lock()
	defer c.Unlock()
	if time.Since(c.at) > time.Second {
		c.n, c.at = userThreads(), time.Now()
	}
	return c.n
}

// formatLimit writes a limit as the config lines do: a number, or
// "unlimited".
func formatLimit(v uint64) string {
	if v == Unlimited {
		return "unlimited"
	}
	return strconv.FormatUint(v, 10)
}

// printLimitConfig prints the config lines of the run's ceilings: the
// descriptor and thread limits, which decide which cells can run, and the
// loopback connection rate, which bounds BenchmarkFanout's net throughput.
func printLimitConfig() {
	lim := runLimits()
	fmt.Printf("nofile: %s\n", formatLimit(lim.Nofile))
	fmt.Printf("nproc: %s\n", formatLimit(lim.Nproc))
	if rate, err := LoopbackConnectRate(150 * time.Millisecond); err == nil {
		fmt.Printf("loopback-connect-rate: %.0f\n", rate)
	}
}
