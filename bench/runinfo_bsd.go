//go:build darwin || freebsd

package bench

import (
	"runtime"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// loadavg is struct loadavg of <sys/resource.h>, which sysctl vm.loadavg
// returns: fixed-point averages over 1, 5 and 15 minutes and their scale
// (a C long, the size of a Go int on every platform Go supports here).
type loadavg struct {
	ldavg  [3]uint32
	fscale int
}

// LoadAverage returns the one-minute load average, or "" where unreadable.
func LoadAverage() string {
	b, err := unix.SysctlRaw("vm.loadavg")
	if err != nil || len(b) < int(unsafe.Sizeof(loadavg{})) {
		return ""
	}
	l := (*loadavg)(unsafe.Pointer(&b[0]))
	if l.fscale <= 0 {
		return ""
	}
	return strconv.FormatFloat(float64(l.ldavg[0])/float64(l.fscale), 'f', 2, 64)
}

// Affinity returns "unsupported": macOS has no CPU affinity at all (thread
// affinity tags are hints), and a FreeBSD cpuset is not read here.
func Affinity() string { return "unsupported" }

// machineCPUs counts the machine's CPUs: with no affinity, runtime.NumCPU
// (hw.ncpu) is all of them.
func machineCPUs() int { return runtime.NumCPU() }

// cpuGovernor returns "": these systems have no cpufreq governor to read.
func cpuGovernor() string { return "" }
