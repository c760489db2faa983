package bench

import (
	"time"

	"golang.org/x/sys/windows"
)

// selfCPU returns the user plus kernel CPU time this process has used, from
// GetProcessTimes, which counts in 100 ns units.
func selfCPU() time.Duration {
	var creation, exit, kernel, user windows.Filetime
	if windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user) != nil {
		return 0
	}
	return filetimeDuration(kernel) + filetimeDuration(user)
}

// filetimeDuration converts a FILETIME that holds a span, not a date.
func filetimeDuration(f windows.Filetime) time.Duration {
	return time.Duration(uint64(f.HighDateTime)<<32|uint64(f.LowDateTime)) * 100
}
