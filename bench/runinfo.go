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
	// The matrix's kernels; calibrating the others would only lengthen runs.
	for _, k := range []workloads.Kernel{workloads.Hash, workloads.Primes, workloads.Gzip} {
		add("unit-ns-"+k.String(), strconv.FormatInt(workloads.UnitCost(k).Nanoseconds(), 10))
	}
	return lines
}

// Calibration is the parallel speedup this machine delivered for pure
// compute when the run began, on the CPUs the run may use.
type Calibration struct {
	// Speedup is the median over the repeats of the work done per second
	// on every usable CPU at once, over the work done per second on one.
	Speedup float64
	// Min and Max are the lowest and highest of the repeats.
	Min, Max float64
	// Cores is the number of CPUs it ran on (GOMAXPROCS).
	Cores int
}

// Calibrate measures the parallel throughput of this machine right now:
// the same pure compute (primes units, in chunks of calibrationChunk) done
// by one goroutine, then by one goroutine per usable CPU pulling chunks from
// a shared counter until the work is done, each phase about d on one core.
// Shared work keeps one slow or preempted CPU from setting the result, as a
// fixed slice per CPU did: the others take its chunks. It repeats the pair
// repeats times, one phase after the other so that drift falls on both, and
// takes about 2 × repeats × d. A shared or throttled machine shows a
// speedup well below its CPU count, and the report judges the run by it.
func Calibrate(d time.Duration, repeats int) Calibration {
	cpus := runtime.GOMAXPROCS(0)
	repeats = max(repeats, 1)
	chunks := max(1, workloads.UnitsFor(workloads.Primes, d)/calibrationChunk)
	var ratios []float64
	for r := 0; r < repeats; r++ {
		one := calibrationPhase(chunks, 1, uint64(r))
		all := calibrationPhase(chunks*cpus, cpus, uint64(r))
		ratios = append(ratios, float64(cpus)*float64(one)/float64(all))
	}
	sort.Float64s(ratios)
	return Calibration{Speedup: ratios[len(ratios)/2], Min: ratios[0], Max: ratios[len(ratios)-1], Cores: cpus}
}

// calibrationChunk is how many primes units (about 22 µs each here) a
// calibration worker takes at a time: small enough that the workers end
// within a chunk of one another, large enough that the shared counter is
// touched rarely.
const calibrationChunk = 4

// calibrationPhase does n chunks of work on workers goroutines that pull
// them from a shared counter, and returns the wall time.
func calibrationPhase(n, workers int, seed uint64) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			v := uint64(0)
			for {
				c := int(next.Add(1)) - 1
				if c >= n {
					break
				}
				for u := 0; u < calibrationChunk; u++ {
					v = workloads.UnitFold(v, workloads.Unit(workloads.Primes, 0, seed, c*calibrationChunk+u))
				}
			}
			calibrationSink.Add(v)
		})
	}
	wg.Wait()
	return time.Since(start)
}

// calibrationSink keeps the compiler from discarding the calibration work.
var calibrationSink atomic.Uint64
