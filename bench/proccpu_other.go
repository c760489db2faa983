//go:build !linux

package bench

import (
	"errors"
	"time"
)

// errNoLiveCPU says that this system gives a parent no cheap reading of a
// running child's CPU time without cgo (macOS's proc_pid_rusage is in
// libproc; the BSDs' kinfo_proc layouts differ by release).
var errNoLiveCPU = errors.New("live worker CPU time not readable on this system")

// liveCPU returns errNoLiveCPU: a live worker counts from its reaping on.
func liveCPU(int) (time.Duration, error) { return 0, errNoLiveCPU }
