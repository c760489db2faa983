package workloads

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Workloads lists the workload names that [Generate] accepts.
func Workloads() []string {
	return []string{"hash", "primes", "gzip", "gzip-fresh", "sleep", "net", "file", "mix"}
}

// Spec describes a batch of tasks. Only the fields of its Workload matter.
type Spec struct {
	Workload string // one of Workloads()
	Tasks    int    // how many tasks
	Seed     uint64 // the batch seed; task i's seed derives from it

	Units int           // hash, primes, gzip, gzip-fresh: compute units per task
	Size  int           // hash, primes, gzip, gzip-fresh: unit size; zero is the kernel's default
	Wait  time.Duration // sleep, net: wait per task
	Bytes int           // net: reply size; file: file size

	// Mix: each task lasts about Nominal, CPUPercent of it computing
	// (Kernel, default primes) and the rest sleeping, as compute, sleep,
	// compute so that waits fall between compute steps. Its units are of
	// Size too, and UnitCost is what one such unit costs where the tasks
	// will run (zero: this process's calibrated cost): a batch built here
	// for another runtime, whose units cost more, keeps the time split.
	CPUPercent int
	Nominal    time.Duration
	Kernel     Kernel
	UnitCost   time.Duration
}

// Generate returns the tasks of s, deterministically: the same Spec gives the
// same tasks in every process (mix aside, whose unit count follows this
// process's calibrated compute rate unless UnitCost fixes it).
func Generate(s Spec) ([]Task, error) {
	if s.Tasks < 0 {
		return nil, fmt.Errorf("generate %s: %d tasks", s.Workload, s.Tasks)
	}
	var ops []Op
	switch s.Workload {
	case "hash", "primes", "gzip", "gzip-fresh":
		k, _ := ParseKernel(s.Workload)
		if s.Units <= 0 {
			return nil, fmt.Errorf("generate %s: Units must be positive, got %d", s.Workload, s.Units)
		}
		ops = []Op{ComputeSized(k, s.Units, s.Size)}
	case "sleep":
		ops = []Op{Sleep(s.Wait)}
	case "net":
		ops = []Op{Net(s.Wait, s.Bytes)}
	case "file":
		ops = []Op{File(s.Bytes)}
	case "mix":
		if s.CPUPercent < 0 || s.CPUPercent > 100 {
			return nil, fmt.Errorf("generate mix: CPUPercent %d outside 0..100", s.CPUPercent)
		}
		if s.Nominal <= 0 {
			return nil, fmt.Errorf("generate mix: Nominal must be positive, got %v", s.Nominal)
		}
		k := s.Kernel
		if k == 0 {
			k = Primes
		}
		cost := s.UnitCost
		if cost <= 0 {
			cost = UnitCost(k)
			if s.Size > 0 {
				cost = cost * time.Duration(s.Size) / time.Duration(k.DefaultSize())
			}
		}
		cpu := time.Duration(float64(s.Nominal) * float64(s.CPUPercent) / 100)
		units := int(math.Round(float64(cpu) / float64(max(cost, 1))))
		if s.CPUPercent > 0 && units == 0 {
			units = 1
		}
		wait := s.Nominal - cpu
		first := units / 2
		if first > 0 {
			ops = append(ops, ComputeSized(k, first, s.Size))
		}
		if wait > 0 {
			ops = append(ops, Sleep(wait))
		}
		if units-first > 0 {
			ops = append(ops, ComputeSized(k, units-first, s.Size))
		}
	default:
		return nil, fmt.Errorf("generate: unknown workload %q (want one of %v)", s.Workload, Workloads())
	}
	tasks := make([]Task, s.Tasks)
	for i := range tasks {
		tasks[i] = Task{ID: i, Seed: mix64(s.Seed + uint64(i)), Ops: slices.Clone(ops)}
		if err := tasks[i].Validate(); err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.Workload, err)
		}
	}
	return tasks, nil
}

var (
	costMu sync.Mutex
	costs  = map[Kernel]time.Duration{}
)

// UnitCost returns the time one unit of kernel k, of its default size, takes on one core of this
// machine, calibrated on first use in this process (about 60 ms per kernel)
// and cached. It is the median of several timed runs, so one preemption does
// not skew it.
func UnitCost(k Kernel) time.Duration {
	costMu.Lock()
	defer costMu.Unlock()
	if c, ok := costs[k]; ok {
		return c
	}
	Unit(k, 0, 0, 0) // warm the shared buffers
	const trials = 7
	per := make([]float64, trials)
	n := 32
	for {
		start := time.Now()
		for i := 0; i < n; i++ {
			Unit(k, 0, 1, i)
		}
		if time.Since(start) >= 8*time.Millisecond || n >= 1<<20 {
			break
		}
		n *= 2
	}
	for t := range per {
		start := time.Now()
		for i := 0; i < n; i++ {
			Unit(k, 0, uint64(t), i)
		}
		per[t] = float64(time.Since(start)) / float64(n)
	}
	sort.Float64s(per)
	c := time.Duration(per[trials/2])
	if c <= 0 {
		c = 1
	}
	costs[k] = c
	return c
}

// UnitsFor returns how many units of kernel k take about d on one core.
func UnitsFor(k Kernel, d time.Duration) int {
	n := int(math.Round(float64(d) / float64(UnitCost(k))))
	return max(n, 1)
}

// UnitCosts are the times of one default-size unit of kernels, such as a
// calibration measured them once for a whole run, so that every process
// of the run sizes work given by time alike. A kernel it lacks costs what
// [UnitCost] calibrates in this process; the nil UnitCosts is this
// process's calibration throughout.
type UnitCosts map[Kernel]time.Duration

// Cost returns the time of one unit of k.
func (u UnitCosts) Cost(k Kernel) time.Duration {
	if c, ok := u[k]; ok {
		return c
	}
	return UnitCost(k)
}

// CalibrateUnitCosts returns this process's calibrated cost of each of
// the kernels ([UnitCost]).
func CalibrateUnitCosts(ks ...Kernel) UnitCosts {
	u := UnitCosts{}
	for _, k := range ks {
		u[k] = UnitCost(k)
	}
	return u
}

// String writes the costs as [ParseUnitCosts] reads them, in kernel order:
// "hash=37120,primes=22050,gzip=119800", nanoseconds, as the Python
// suite's --unit-ns takes them.
func (u UnitCosts) String() string {
	var parts []string
	for _, k := range Kernels() {
		if c, ok := u[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%d", k, c.Nanoseconds()))
		}
	}
	return strings.Join(parts, ",")
}

// ParseUnitCosts reads KERNEL=NS pairs separated by commas, such as
// "hash=37120,primes=22050,gzip=119800".
func ParseUnitCosts(s string) (UnitCosts, error) {
	u := UnitCosts{}
	for _, kv := range strings.Split(s, ",") {
		if kv == "" {
			continue
		}
		name, ns, ok := strings.Cut(kv, "=")
		k, err := ParseKernel(name)
		n, nerr := strconv.ParseInt(ns, 10, 64)
		if !ok || err != nil || nerr != nil || n <= 0 {
			return nil, fmt.Errorf("unit costs %q: entry %q is not KERNEL=NS with a known kernel and a positive count of nanoseconds", s, kv)
		}
		u[k] = time.Duration(n)
	}
	return u, nil
}
