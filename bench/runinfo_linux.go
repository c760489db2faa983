package bench

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/concbench/concbench/bench/cpuset"
)

// This file reads the machine's facts for MachineConfig on Linux, from
// /proc, /sys and sched_getaffinity.

// machineCPUs counts the machine's online CPUs, whatever this process's
// affinity (runtime.NumCPU counts only the CPUs it may use).
func machineCPUs() int {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		return runtime.NumCPU()
	}
	cpus, err := cpuset.ParseList(string(b))
	n := len(cpus)
	if err != nil || n == 0 {
		return runtime.NumCPU()
	}
	return n
}

// Affinity returns the CPUs this process may run on, as a kernel CPU list
// such as "0-3", or "unsupported" where the system has no affinity to read
// (macOS, Windows) or reading it failed.
func Affinity() string {
	cpus, err := cpuset.Allowed()
	if err != nil {
		return "unsupported"
	}
	return cpuset.FormatList(cpus)
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

// memoryBytes returns the machine's memory, MemTotal of /proc/meminfo.
func memoryBytes() uint64 { return uint64(max(meminfoKB("MemTotal"), 0)) << 10 }

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

// cpuGovernor returns cpu0's cpufreq governor, where the kernel exposes one.
func cpuGovernor() string {
	b, err := os.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// coreKinds returns nothing on Linux: the fast and slow physical cores of a
// hybrid chip are counted from sysfs by TopologyConfig
// (topology-fast-cores, topology-slow-cores).
func coreKinds() []ConfigLine { return nil }
