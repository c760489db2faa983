package cpuset

import (
	"errors"

	"golang.org/x/sys/unix"
)

// Host reads what macOS tells of this machine's topology: the counts of
// physical cores and logical CPUs (hw.physicalcpu, hw.logicalcpu). It
// cannot say which CPU is on which core, and macOS cannot pin a process to
// CPUs (thread affinity tags are hints), so nothing can be chosen.
func Host() (*Topology, error) {
	t := &Topology{Source: Sysctl, Reason: "macOS has no CPU affinity: runs are not pinned, GOMAXPROCS alone sets the cores"}
	phys, err := unix.SysctlUint32("hw.physicalcpu")
	if err != nil {
		return &Topology{Reason: "macOS did not tell its cores: " + err.Error()}, nil
	}
	logical, err := unix.SysctlUint32("hw.logicalcpu")
	if err != nil {
		return &Topology{Reason: "macOS did not tell its CPUs: " + err.Error()}, nil
	}
	t.Physical, t.Logical = int(phys), int(logical)
	return t, nil
}

// Allowed returns an error: macOS has no CPU affinity to read.
func Allowed() ([]int, error) { return nil, errors.New("macOS has no CPU affinity") }
