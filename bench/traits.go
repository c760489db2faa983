package bench

import (
	"runtime"
	"strconv"
	"strings"
	"time"
)

// PoolSize is how many workers a model runs a batch on: one per task, or
// min(Max, PerCore×cores + Extra) (no cap when Max is 0), never more than
// the batch's tasks.
type PoolSize struct {
	PerTask             bool
	PerCore, Extra, Max int
}

// The pool sizes of the models.
var (
	perTaskPool = PoolSize{PerTask: true}
	onePool     = PoolSize{Extra: 1}
	// corePool is Config.Workers' default, GOMAXPROCS, which the matrix
	// uses: a Go pool's usual size, and ProcessPoolExecutor's default,
	// os.cpu_count().
	corePool = PoolSize{PerCore: 1}
	// ExecutorPool is ThreadPoolExecutor's and InterpreterPoolExecutor's
	// default max_workers, min(32, os.cpu_count()+4), which also bounds
	// asyncio's default executor; GOMAXPROCS stands for the CPU count.
	// The Python suite reads it from `concbench describe -settings`
	// (py-pool-max, py-pool-extra) rather than keep a copy.
	ExecutorPool = PoolSize{PerCore: 1, Extra: 4, Max: 32}
)

// Workers returns the pool's size for a batch of tasks at cores cores.
func (s PoolSize) Workers(tasks, cores int) int {
	if s.PerTask {
		return tasks
	}
	return min(tasks, s.at(max(1, cores)))
}

// at is the pool's size at cores cores, however few the tasks; it is not
// defined for a pool of one worker per task.
func (s PoolSize) at(cores int) int {
	n := s.PerCore*cores + s.Extra
	if s.Max > 0 {
		n = min(n, s.Max)
	}
	return n
}

// String writes the size as describe lists it: "tasks", "1", "cores",
// "min(32,cores+4)".
func (s PoolSize) String() string {
	if s.PerTask {
		return "tasks"
	}
	var f string
	switch s.PerCore {
	case 0:
		f = strconv.Itoa(s.Extra)
	case 1:
		f = "cores"
	default:
		f = strconv.Itoa(s.PerCore) + "×cores"
	}
	if s.PerCore != 0 && s.Extra != 0 {
		f += "+" + strconv.Itoa(s.Extra)
	}
	if s.Max > 0 {
		f = "min(" + strconv.Itoa(s.Max) + "," + f + ")"
	}
	return f
}

// executorWorkers is [ExecutorPool]'s size now, at GOMAXPROCS.
func executorWorkers() int { return ExecutorPool.at(runtime.GOMAXPROCS(0)) }

// Traits are what the code around a model needs to know of it: how
// [Predict] estimates its batches, what [CellNeed] counts against the
// system's limits, and what [Describe] writes into a result set. They are
// the one place that says so; nothing else tells models apart by name.
type Traits struct {
	// Name is the model's name, as Model.Name returns it.
	Name string
	// Family is the family a report groups it in (FamilyBaseline, …).
	Family string
	// Pool is how many tasks run at once, each on a worker of its own.
	Pool PoolSize
	// Serial is the share of a batch's compute that runs on one core at a
	// time: 1 under a lock held throughout (a GIL, as for pure Python
	// code) or a single loop, 0 where compute runs on every core.
	Serial float64
	// OSThreads: each worker is an OS thread for its whole life, as a
	// CPython thread is; a File op blocks in it rather than in a thread
	// of its own.
	OSThreads bool
	// Processes: each worker is a process of its own, which holds its
	// own descriptors and threads and runs one op at a time.
	Processes bool
	// FileExecutor, when set, is the pool that runs the model's File ops
	// (the event loop's executor), bounding how many are in flight.
	FileExecutor PoolSize
	// SendsBytes: a task and its result cross to the worker as bytes,
	// whose input and output payload Predict charges.
	SendsBytes bool
	// TaskStart, WorkerStart and TaskTrip are rough costs, for Predict
	// only: a process (procs) or thread (gil-threads) started per task, a
	// process started per worker, and a task's round trip over a worker's
	// pipes.
	TaskStart, WorkerStart, TaskTrip time.Duration
}

// modelTraits holds every model's traits, in the order of [Models].
var modelTraits = []Traits{
	{Name: "seq", Family: FamilyBaseline, Pool: onePool, Serial: 1},
	{Name: "goroutines", Family: FamilyThreads, Pool: perTaskPool},
	{Name: "pool", Family: FamilyThreads, Pool: corePool},
	{Name: "errgroup", Family: FamilyThreads, Pool: corePool},
	{Name: "eventloop", Family: FamilyConcurrency, Pool: perTaskPool, Serial: 1, FileExecutor: ExecutorPool},
	{Name: "gil-threads", Family: FamilyConcurrency, Pool: perTaskPool, Serial: 1, OSThreads: true, TaskStart: predictThreadStart},
	{Name: "gil-pool", Family: FamilyConcurrency, Pool: ExecutorPool, Serial: 1, OSThreads: true},
	{Name: "interp-pool", Family: FamilyThreads, Pool: ExecutorPool, OSThreads: true, SendsBytes: true},
	{Name: "procs", Family: FamilyProcesses, Pool: corePool, Processes: true, SendsBytes: true, TaskStart: predictSpawn},
	{Name: "procpool", Family: FamilyProcesses, Pool: corePool, Processes: true, SendsBytes: true,
		WorkerStart: predictSpawn, TaskTrip: predictPipeTrip},
}

// TraitsOf returns the traits of the named model of [Models], and false
// for a name that is none.
func TraitsOf(model string) (Traits, bool) {
	for _, t := range modelTraits {
		if t.Name == model {
			return t, true
		}
	}
	return Traits{}, false
}

// describe writes the traits as describe's matrix-model-traits entry:
// NAME:pool=SIZE,serial=SHARE, then the flags os-threads, processes and
// sends-bytes and file-executor=SIZE where they apply.
func (t Traits) describe() string {
	f := []string{"pool=" + t.Pool.String(), "serial=" + strconv.FormatFloat(t.Serial, 'g', -1, 64)}
	if t.OSThreads {
		f = append(f, "os-threads")
	}
	if t.Processes {
		f = append(f, "processes")
	}
	if t.SendsBytes {
		f = append(f, "sends-bytes")
	}
	if t.FileExecutor != (PoolSize{}) {
		f = append(f, "file-executor="+t.FileExecutor.String())
	}
	return t.Name + ":" + strings.Join(f, ",")
}
