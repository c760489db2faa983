package bench

import (
	"fmt"
	"math"
	"time"

	"github.com/concbench/concbench/workloads"
)

// Profile sets how big the matrix's batches are. The bench runner picks one
// per run (PROFILE=smoke|quick|standard|full); plain go test uses Standard.
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
}

// Profiles returns the named profiles. Quick, standard and full share batch
// sizes and differ in samples and time per cell, which the runner sets; smoke
// shrinks the batches so the whole matrix runs in seconds.
func Profiles() []Profile {
	std := Profile{Name: "standard", Tasks: 64, MixTasks: 32, MaxFanout: 10000, GrainTotal: 80 * time.Millisecond,
		OverheadTasks: 1000, ConvoyCPU: 100 * time.Millisecond}
	quick, full := std, std
	quick.Name, full.Name = "quick", "full"
	return []Profile{
		{Name: "smoke", Tasks: 16, MixTasks: 16, MaxFanout: 10, GrainTotal: 20 * time.Millisecond,
			OverheadTasks: 200, ConvoyCPU: 20 * time.Millisecond},
		quick, std, full,
	}
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
			}
			sw.Batches = append(sw.Batches, Batch{Parts: "workload=" + w, Tasks: gen(s)})
		}
	case "Mix":
		for _, share := range MixShares {
			ts := gen(workloads.Spec{Workload: "mix", Tasks: p.MixTasks, Seed: matrixSeed, CPUPercent: share, Nominal: mixNominal})
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
