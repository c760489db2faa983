//go:build !linux

package bench

import (
	"os"
	"runtime"
)

// ReadLimits reads this process's descriptor limit and its user's thread
// and process limit, where the system has them. Outside Linux the user's
// threads are not counted, so only the descriptor limit skips cells.
func ReadLimits() Limits { return readRlimits() }

// openFiles counts this process's open descriptors where /dev/fd lists
// them (macOS; FreeBSD only with fdescfs mounted, else it lists 0-2), else
// 0: the spare descriptors cover what it misses.
func openFiles() int {
	if runtime.GOOS == "windows" {
		return 0
	}
	ents, err := os.ReadDir("/dev/fd")
	if err != nil {
		return 0
	}
	return len(ents) - 1
}

// userThreads is unknown here.
func userThreads() int { return -1 }
