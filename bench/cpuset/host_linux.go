package cpuset

import (
	"golang.org/x/sys/unix"
)

// Host reads this machine's topology from /sys.
func Host() (*Topology, error) { return Read("/sys") }

// Allowed returns the CPUs this process may run on (its affinity, which a
// container's cpuset or a taskset around it narrows).
func Allowed() ([]int, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil, err
	}
	var cpus []int
	for c := 0; c < len(set)*64; c++ {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}
