package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/concbench/concbench/workloads"
)

// ConfigLine is one benchfmt configuration line, "key: value".
type ConfigLine struct{ Key, Value string }

func (c ConfigLine) String() string { return c.Key + ": " + c.Value }

// MachineConfig describes this machine and process for the result file:
// CPUs, memory, Go version, kernel, governor, CPU affinity, load and the
// calibrated cost of each kernel's unit. Facts that cannot be read are left
// out rather than guessed.
func MachineConfig() []ConfigLine {
	var lines []ConfigLine
	add := func(k, v string) {
		if v != "" {
			lines = append(lines, ConfigLine{k, v})
		}
	}
	add("cpus", strconv.Itoa(machineCPUs()))
	if kb := meminfoKB("MemTotal"); kb > 0 {
		add("memory", fmt.Sprintf("%.0fGiB", float64(kb)/(1<<20)))
	}
	add("go-version", runtime.Version())
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		add("kernel", unix.ByteSliceToString(u.Release[:]))
	}
	if b, err := os.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"); err == nil {
		add("governor", strings.TrimSpace(string(b)))
	}
	add("affinity", Affinity())
	add("load-before", LoadAverage())
	for _, k := range workloads.Kernels() {
		add("unit-ns-"+k.String(), strconv.FormatInt(workloads.UnitCost(k).Nanoseconds(), 10))
	}
	return lines
}

// machineCPUs counts the machine's online CPUs, whatever this process's
// affinity (runtime.NumCPU counts only the CPUs it may use).
func machineCPUs() int {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		return runtime.NumCPU()
	}
	n := len(parseCPUList(strings.TrimSpace(string(b))))
	if n == 0 {
		return runtime.NumCPU()
	}
	return n
}

// parseCPUList parses a kernel CPU list such as "0-3,6".
func parseCPUList(s string) []int {
	var cpus []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, found := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if found {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// Affinity returns the CPUs this process may run on, as a kernel CPU list.
func Affinity() string {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return ""
	}
	var cpus []int
	for c := 0; c < len(set)*64; c++ {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return formatCPUList(cpus)
}

func formatCPUList(cpus []int) string {
	sort.Ints(cpus)
	var parts []string
	for i := 0; i < len(cpus); {
		j := i
		for j+1 < len(cpus) && cpus[j+1] == cpus[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(cpus[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", cpus[i], cpus[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// LoadAverage returns the one-minute load average, or "" where unreadable.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func meminfoKB(key string) int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == key {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
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
