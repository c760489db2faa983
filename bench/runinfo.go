package bench

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/bench/cpuset"
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
	topo, err := cpuset.Host()
	if err != nil {
		topo = &cpuset.Topology{Reason: err.Error()}
	}
	allowed, _ := cpuset.Allowed()
	lines = append(lines, TopologyConfig(topo, allowed)...)
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

// TopologyConfig records how the machine's CPUs sit on physical cores and
// packages, and which of them a run may use (cpus), so that a reader can tell
// "k cores" of distinct physical cores from k SMT threads on fewer cores:
//
//	topology-source            sysfs, sysctl (macOS: counts only) or unknown
//	topology-packages          packages (sockets)
//	topology-cores             physical cores
//	topology-cpus              logical CPUs
//	topology-cores-per-package physical cores of each package ("8", or "8,6")
//	topology-threads-per-core  logical CPUs on the fullest core (2 with SMT)
//	topology-fast-cores        fast physical cores, where the source
//	topology-slow-cores        tells fast from slow (hybrid chips)
//	cpu-list                   the CPUs the run may use (its affinity)
//	cpu-cores                  the physical cores they are on
//	cpu-smt                    true if two of them share a physical core
//	cpu-packages               the packages they span
//	cpu-slow-cores             the slow cores among them, where known
//
// A line whose fact is unknown is left out; the cpu-* lines need both the
// topology and the affinity (Linux).
func TopologyConfig(t *cpuset.Topology, cpus []int) []ConfigLine {
	lines := []ConfigLine{{"topology-source", t.Source.String()}}
	add := func(k string, n int) {
		if n > 0 {
			lines = append(lines, ConfigLine{k, strconv.Itoa(n)})
		}
	}
	add("topology-packages", len(t.Packages()))
	add("topology-cores", t.CoreCount())
	add("topology-cpus", t.CPUCount())
	if per := t.CoresPerPackage(); len(per) > 0 {
		s := make([]string, len(per))
		for i, n := range per {
			s[i] = strconv.Itoa(n)
		}
		lines = append(lines, ConfigLine{"topology-cores-per-package", strings.Join(s, ",")})
	}
	add("topology-threads-per-core", t.ThreadsPerCore())
	fast, slow, kinds := t.FastSlow()
	if kinds {
		lines = append(lines, ConfigLine{"topology-fast-cores", strconv.Itoa(fast)}, ConfigLine{"topology-slow-cores", strconv.Itoa(slow)})
	}
	if t.Source != cpuset.Sysfs || len(cpus) == 0 {
		return lines
	}
	ch := t.Describe(cpus)
	lines = append(lines,
		ConfigLine{"cpu-list", ch.List()},
		ConfigLine{"cpu-cores", strconv.Itoa(ch.Cores)},
		ConfigLine{"cpu-smt", strconv.FormatBool(ch.SMT)},
		ConfigLine{"cpu-packages", strconv.Itoa(ch.Packages)})
	if kinds {
		lines = append(lines, ConfigLine{"cpu-slow-cores", strconv.Itoa(ch.Slow)})
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
