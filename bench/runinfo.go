package bench

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/workloads"
)

// ConfigLine is one benchfmt configuration line, "key: value".
type ConfigLine struct{ Key, Value string }

func (c ConfigLine) String() string { return c.Key + ": " + c.Value }

// MachineConfig describes this machine and process for the result file:
// CPUs (and on a Mac its performance and efficiency cores), memory, Go
// version, kernel, governor, CPU affinity, load and the calibrated cost of
// each kernel's unit. Facts that cannot be read are left out rather than
// guessed; where the system has no affinity to read (macOS, Windows),
// affinity is "unsupported". How each fact is read is in runinfo_<os>.go.
func MachineConfig() []ConfigLine {
	var lines []ConfigLine
	add := func(k, v string) {
		if v != "" {
			lines = append(lines, ConfigLine{k, v})
		}
	}
	add("cpus", strconv.Itoa(machineCPUs()))
	lines = append(lines, coreKinds()...)
	if b := memoryBytes(); b > 0 {
		add("memory", fmt.Sprintf("%.0fGiB", float64(b)/(1<<30)))
	}
	add("go-version", runtime.Version())
	add("kernel", kernelRelease())
	add("governor", cpuGovernor())
	add("affinity", Affinity())
	add("load-before", LoadAverage())
	for _, k := range workloads.Kernels() {
		add("unit-ns-"+k.String(), strconv.FormatInt(workloads.UnitCost(k).Nanoseconds(), 10))
	}
	return lines
}

// Calibrate measures the parallel speedup this machine delivers right now:
// the same pure-compute work (primes units) on one goroutine, then on one
// goroutine per usable CPU. It takes about 3 × 2 × d. A shared or throttled
// machine shows a speedup well below the CPU count, and the report judges
// the run by it.
func Calibrate(d time.Duration) (speedup float64, cpus int) {
	cpus = runtime.GOMAXPROCS(0)
	units := workloads.UnitsFor(workloads.Primes, d)
	work := func(seed uint64) {
		v := uint64(0)
		for u := 0; u < units; u++ {
			v = workloads.UnitFold(v, workloads.Unit(workloads.Primes, 0, seed, u))
		}
		calibrationSink.Store(v)
	}
	var ratios []float64
	for trial := 0; trial < 3; trial++ {
		start := time.Now()
		work(uint64(trial))
		one := time.Since(start)
		var wg sync.WaitGroup
		start = time.Now()
		for c := 0; c < cpus; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(uint64(trial*100 + c))
			}()
		}
		wg.Wait()
		all := time.Since(start)
		ratios = append(ratios, float64(cpus)*float64(one)/float64(all))
	}
	sort.Float64s(ratios)
	return ratios[len(ratios)/2], cpus
}

// calibrationSink keeps the compiler from discarding the calibration work.
var calibrationSink atomic.Uint64
