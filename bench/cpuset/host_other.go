//go:build !linux && !darwin

package cpuset

import (
	"errors"
	"runtime"
)

// Host returns an unknown topology: on this system (Windows, the BSDs) the
// cores are not read, and runs are not pinned.
func Host() (*Topology, error) {
	return &Topology{Reason: "unknown topology on " + runtime.GOOS + ": runs are not pinned, GOMAXPROCS alone sets the cores"}, nil
}

// Allowed returns an error: this system's CPU affinity is not read.
func Allowed() ([]int, error) { return nil, errors.New("CPU affinity is not read on " + runtime.GOOS) }
