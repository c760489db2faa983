//go:build unix

package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// selfCPU returns the user plus system CPU time this process has used, from
// getrusage(RUSAGE_SELF).
func selfCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
