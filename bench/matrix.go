package bench

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/concbench/concbench/workloads"
)

// Profile is one way to run the matrix: how big its batches are, how many
// rounds the runner makes and how long it spends on them, and the same for
// the Python reference suite. This is the one place the profiles' numbers
// live: scripts/bench.sh and the Python suite read them through
// `concbench describe -profile NAME -settings`, so a change here reaches
// every runner. The bench runner picks one per run
// (PROFILE=smoke|quick|standard|full); plain go test uses Standard.
type Profile struct {
	Name string
	// Tasks is the batch size of BenchmarkCores.
	Tasks int
	// MixTasks is the batch size of BenchmarkMix.
	MixTasks int
	// MaxFanout is the largest task count of BenchmarkFanout.
	MaxFanout int
	// GrainTotal is the fixed total compute of a BenchmarkGrain batch.
	GrainTotal time.Duration
	// OverheadTasks is the batch size of BenchmarkOverhead.
	OverheadTasks int
	// ConvoyCPU is the compute of each CPU task of BenchmarkConvoy.
	ConvoyCPU time.Duration

	// Rounds is how many fixed rounds the runner makes (COUNT overrides
	// it): each runs every core count once, so each cell gets one sample a
	// round at BenchTime 1x.
	Rounds int
	// BenchTime is each cell's go test -benchtime (BENCHTIME overrides
	// it): "1x" runs one batch; a duration runs as many as fit, which
	// only full can afford.
	BenchTime string
	// Budget is the time the runner may spend on adaptive rounds of
	// undecided cells after the fixed rounds (BUDGET overrides it); 0
	// means none. Whole seconds: the runner counts in seconds.
	Budget time.Duration

	// PyRounds is the Python suite's rounds (COUNT overrides it too). Its
	// batches are slower than Go's, so standard makes 3 rather than 5.
	PyRounds int
	// PyTasks is the batch size of the Python suite's BenchmarkCores.
	PyTasks int
	// PyMaxFanout is the largest task count of the Python suite's
	// BenchmarkFanout.
	PyMaxFanout int
	// PyMaxOp is the Python suite's limit on one batch's predicted time: a
	// cell predicted above it is skipped with the prediction as its reason.
	PyMaxOp time.Duration
	// PyOverheadTasks is the batch size of the Python suite's
	// BenchmarkOverhead (empty tasks).
	PyOverheadTasks int

	// TaskFiles are users' own tasks ([LoadTaskFiles]), each one more
	// workload of BenchmarkCores after the built-in ones, its batch as
	// its file says whatever the profile. None by default.
	TaskFiles []*workloads.TaskSpec
	// UnitCosts size the task files' compute steps given by time. A run
	// calibrates them once and hands them to every process (bench.sh:
	// concbench task units, then -concbench.unit-ns), so that a task's
	// batch is the same at every core count; nil is each process's own
	// calibration.
	UnitCosts workloads.UnitCosts
}

// Profiles returns the named profiles, smallest first. Quick, standard and
// full share batch sizes and differ in samples and time per cell; smoke
// shrinks the batches so the whole matrix runs in seconds.
func Profiles() []Profile {
	std := Profile{Name: "standard", Tasks: 64, MixTasks: 32, MaxFanout: 10000, GrainTotal: 80 * time.Millisecond,
		OverheadTasks: 1000, ConvoyCPU: 100 * time.Millisecond,
		Rounds: 5, BenchTime: "1x", Budget: 90 * time.Second,
		PyRounds: 3, PyTasks: 64, PyMaxFanout: 10000, PyMaxOp: 5 * time.Second, PyOverheadTasks: 64}
	smoke := Profile{Name: "smoke", Tasks: 16, MixTasks: 16, MaxFanout: 10, GrainTotal: 20 * time.Millisecond,
		OverheadTasks: 200, ConvoyCPU: 20 * time.Millisecond,
		Rounds: 1, BenchTime: "1x", Budget: 0,
		PyRounds: 1, PyTasks: 16, PyMaxFanout: 10, PyMaxOp: 5 * time.Second, PyOverheadTasks: 16}
	quick := std
	quick.Name, quick.Rounds, quick.PyRounds = "quick", 2, 2
	full := std
	full.Name, full.Rounds, full.BenchTime, full.Budget = "full", 10, "200ms", 10*time.Minute
	full.PyRounds, full.PyMaxOp = 10, 20*time.Second
	return []Profile{smoke, quick, std, full}
}

// ProfileNamed returns the profile called name.
func ProfileNamed(name string) (Profile, error) {
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unknown profile %q (want smoke, quick, standard or full)", name)
}

// Settings returns the profile's run settings as the key=value lines that
// `concbench describe -settings` prints and the runners read, in this
// order: name, rounds, benchtime, budget, py-rounds, py-tasks,
// py-max-fanout, py-max-op, py-overhead-tasks, py-pool-max, py-pool-extra.
// The last two are [ExecutorPool], ThreadPoolExecutor's default size at C
// cores, min(py-pool-max, C+py-pool-extra), which the Python suite gives
// its pools as gil-pool and interp-pool have it. Shell and Python read them,
// so durations are plain seconds with an "s" suffix ("90s", not
// time.Duration's "1m30s"), which bash arithmetic (the "s" stripped) and
// Python's float() both take.
func (p Profile) Settings() []string {
	return []string{
		"name=" + p.Name,
		"rounds=" + strconv.Itoa(p.Rounds),
		"benchtime=" + p.BenchTime,
		"budget=" + seconds(p.Budget),
		"py-rounds=" + strconv.Itoa(p.PyRounds),
		"py-tasks=" + strconv.Itoa(p.PyTasks),
		"py-max-fanout=" + strconv.Itoa(p.PyMaxFanout),
		"py-max-op=" + seconds(p.PyMaxOp),
		"py-overhead-tasks=" + strconv.Itoa(p.PyOverheadTasks),
		"py-pool-max=" + strconv.Itoa(ExecutorPool.Max),
		"py-pool-extra=" + strconv.Itoa(ExecutorPool.Extra),
	}
}

// seconds formats d as seconds with an "s" suffix, as short as exact:
// 90s, 0s, 0.5s.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// Batch is one sub-benchmark of the matrix before a model is chosen: the
// key=value name parts and the tasks.
type Batch struct {
	Parts string
	Tasks []workloads.Task
	// Observed reports whether task i's latency goes into p50-ms and
	// p99-ms; nil means every task. BenchmarkConvoy observes only its I/O
	// tasks.
	Observed func(i int) bool
}

// Sweep is one benchmark of the matrix.
type Sweep struct {
	Name    string // e.g. "Cores", run as BenchmarkCores
	Batches []Batch
	// MaySkip says whether a cell predicted over SkipBudget is skipped.
	// Only the sweeps that reach absurd sizes on purpose (Fanout's 10,000
	// tasks, Grain's 80,000) may; the others run every cell, whatever a
	// calibration made under load would predict.
	MaySkip bool
}

// Fixed per-task sizes of the matrix; the README documents them, and every
// run writes them into its set (Describe).
const (
	coresSleep    = 5 * time.Millisecond
	netBytes      = 1024
	fileBytes     = 16 << 10
	mixNominal    = 2 * time.Millisecond
	fanoutWait    = 10 * time.Millisecond
	convoyIOTasks = 8
	convoyIOOps   = 20
	convoyIOSleep = 200 * time.Microsecond
	matrixSeed    = 1
)

// coresUnits is the compute of one BenchmarkCores task per kernel, about
// 1.4 ms on one core here.
var coresUnits = map[string]int{"hash": 40, "primes": 64, "gzip": 29}

// MixShares are BenchmarkMix's compute shares in percent.
var MixShares = []int{0, 10, 25, 50, 75, 90, 100}

// Grains are BenchmarkGrain's task sizes.
var Grains = []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond, 10 * time.Millisecond}

// CoresWorkloads are BenchmarkCores's workloads.
var CoresWorkloads = []string{"hash", "primes", "gzip", "sleep", "net", "file", "mix50"}

// FanoutCounts returns BenchmarkFanout's task counts up to max.
func FanoutCounts(max int) []int {
	var ns []int
	for n := 1; n <= max; n *= 10 {
		ns = append(ns, n)
	}
	return ns
}

// SweepNames lists the matrix's benchmarks, in the order they run.
func SweepNames() []string {
	return []string{"Cores", "Mix", "Fanout", "Grain", "Overhead", "Convoy"}
}

// Matrix returns every sweep of the matrix for profile p; see BuildSweep.
func Matrix(p Profile, gomaxprocs int) ([]Sweep, error) {
	var sweeps []Sweep
	for _, name := range SweepNames() {
		s, err := BuildSweep(p, name, gomaxprocs)
		if err != nil {
			return nil, err
		}
		sweeps = append(sweeps, s)
	}
	return sweeps, nil
}

// BuildSweep returns one sweep of the matrix for profile p. Tasks are
// generated deterministically; mix and grain tasks follow this process's
// calibrated unit cost, and gomaxprocs sizes BenchmarkConvoy's CPU tasks.
// The benchmarks build one sweep at a time, so the tasks of the others do
// not sit in the heap and tax the garbage collector (which the gzip kernel
// would show).
func BuildSweep(p Profile, name string, gomaxprocs int) (Sweep, error) {
	return buildSweep(p, name, gomaxprocs, sizing{})
}

// sizing is how a sweep sizes the compute it is given as time (mix tasks,
// task files' steps sized by time) for the runtime that will run it. The
// zero value is this process's default units at its calibrated costs; the
// CPython suite's are its interpreter's, with smaller mix units (see
// BuildPython), so that its tasks keep the time split rather than Go's
// work.
type sizing struct {
	// unit is one unit's cost by kernel and size (zero: the default).
	unit func(k workloads.Kernel, size int) time.Duration
	// mixSize is the size of a mix task's units.
	mixSize int
}

// kernelUnit is a default unit's cost by kernel, as task files size steps:
// for Go, p's unit costs (p.UnitCosts).
func (z sizing) kernelUnit(p Profile) func(workloads.Kernel) time.Duration {
	if z.unit == nil {
		return p.UnitCosts.Cost
	}
	return func(k workloads.Kernel) time.Duration { return z.unit(k, 0) }
}

// mixCost is what one of a mix task's units costs; zero leaves it to
// workloads.Generate, at this process's calibrated cost.
func (z sizing) mixCost() time.Duration {
	if z.unit == nil {
		return 0
	}
	return z.unit(workloads.Primes, z.mixSize)
}

// buildSweep is BuildSweep for the runtime that z sizes compute for.
func buildSweep(p Profile, name string, gomaxprocs int, z sizing) (Sweep, error) {
	var err error
	gen := func(s workloads.Spec) []workloads.Task {
		if err != nil {
			return nil
		}
		var ts []workloads.Task
		ts, err = workloads.Generate(s)
		return ts
	}
	sw := Sweep{Name: name, MaySkip: name == "Fanout" || name == "Grain"}
	switch name {
	case "Cores":
		for _, w := range CoresWorkloads {
			s := workloads.Spec{Workload: w, Tasks: p.Tasks, Seed: matrixSeed}
			switch w {
			case "hash", "primes", "gzip":
				s.Units = coresUnits[w]
			case "sleep":
				s.Wait = coresSleep
			case "net":
				s.Wait, s.Bytes = coresSleep, netBytes
			case "file":
				s.Bytes = fileBytes
			case "mix50":
				s.Workload, s.CPUPercent, s.Nominal = "mix", 50, mixNominal
				s.Size, s.UnitCost = z.mixSize, z.mixCost()
			}
			sw.Batches = append(sw.Batches, Batch{Parts: "workload=" + w, Tasks: gen(s)})
		}
		for _, s := range p.TaskFiles {
			sw.Batches = append(sw.Batches, taskBatch(s, z.kernelUnit(p)))
		}
	case "Mix":
		for _, share := range MixShares {
			ts := gen(workloads.Spec{Workload: "mix", Tasks: p.MixTasks, Seed: matrixSeed, CPUPercent: share, Nominal: mixNominal,
				Size: z.mixSize, UnitCost: z.mixCost()})
			sw.Batches = append(sw.Batches, Batch{Parts: fmt.Sprintf("cpu=%d", share), Tasks: ts})
		}
	case "Fanout":
		for _, w := range []string{"sleep", "net"} {
			for _, n := range FanoutCounts(p.MaxFanout) {
				s := workloads.Spec{Workload: w, Tasks: n, Seed: matrixSeed, Wait: fanoutWait}
				if w == "net" {
					s.Bytes = netBytes
				}
				sw.Batches = append(sw.Batches, Batch{Parts: fmt.Sprintf("workload=%s/tasks=%d", w, n), Tasks: gen(s)})
			}
		}
	case "Grain":
		unit := workloads.UnitCost(workloads.Primes)
		for _, g := range Grains {
			n := max(1, int(p.GrainTotal/g))
			s := workloads.Spec{Workload: "primes", Tasks: n, Seed: matrixSeed}
			if g < unit {
				// A task smaller than one default unit is one smaller unit.
				s.Units = 1
				s.Size = max(1, int(math.Round(float64(workloads.Primes.DefaultSize())*float64(g)/float64(unit))))
			} else {
				s.Units = workloads.UnitsFor(workloads.Primes, g)
			}
			sw.Batches = append(sw.Batches, Batch{Parts: "grain=" + grainName(g), Tasks: gen(s)})
		}
	case "Overhead":
		sw.Batches = []Batch{{Tasks: emptyTasks(p.OverheadTasks)}}
	case "Convoy":
		sw.Batches = []Batch{convoyBatch(p, gomaxprocs)}
	default:
		return Sweep{}, fmt.Errorf("no sweep %q in the matrix (want one of %v)", name, SweepNames())
	}
	if err != nil {
		return Sweep{}, fmt.Errorf("building sweep %s: %w", name, err)
	}
	return sw, nil
}

func emptyTasks(n int) []workloads.Task {
	ts := make([]workloads.Task, n)
	for i := range ts {
		ts[i] = workloads.Task{ID: i, Seed: uint64(i)}
	}
	return ts
}

// convoyBatch mixes one CPU-bound task per core with I/O tasks that wait
// often and briefly: under a GIL each wake-up must win the lock back from a
// CPU task, which is the convoy effect. The CPU tasks are spread among the
// I/O tasks (I/O first), as requests arrive mixed at a server, so that a
// scheduler's order of start does not decide the result on its own.
func convoyBatch(p Profile, gomaxprocs int) Batch {
	units := workloads.UnitsFor(workloads.Primes, p.ConvoyCPU)
	cpuTasks := max(1, gomaxprocs)
	every := max(1, convoyIOTasks/cpuTasks) // I/O tasks before each CPU task
	var ts []workloads.Task
	io := map[int]bool{}
	cpu := 0
	for i := 0; i < convoyIOTasks; i++ {
		ops := make([]workloads.Op, convoyIOOps)
		for j := range ops {
			ops[j] = workloads.Sleep(convoyIOSleep)
		}
		io[len(ts)] = true
		ts = append(ts, workloads.Task{ID: len(ts), Seed: uint64(100 + i), Ops: ops})
		if (i+1)%every == 0 && cpu < cpuTasks {
			ts = append(ts, workloads.Task{ID: len(ts), Seed: uint64(cpu), Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}})
			cpu++
		}
	}
	for ; cpu < cpuTasks; cpu++ {
		ts = append(ts, workloads.Task{ID: len(ts), Seed: uint64(cpu), Ops: []workloads.Op{workloads.Compute(workloads.Primes, units)}})
	}
	return Batch{Tasks: ts, Observed: func(i int) bool { return io[i] }}
}

func grainName(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dus", d/time.Microsecond)
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return d.String()
}
