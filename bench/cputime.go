package bench

import "time"

// processCPU returns the CPU time of this process and of every worker
// process it has started, living or reaped: the numerator of cpu-util.
// selfCPU is in cputime_unix.go and cputime_windows.go.
func processCPU() time.Duration { return selfCPU() + ChildCPU() }
