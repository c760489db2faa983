package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// selfCPU returns the user plus system CPU time this process has used.
func selfCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU returns the CPU time of this process and of every worker
// process it has started, living or reaped: the numerator of cpu-util.
func processCPU() time.Duration { return selfCPU() + ChildCPU() }
