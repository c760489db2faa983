//go:build !linux && !darwin && !freebsd

package bench

// readRlimits: no descriptor or process rlimit that this package reads
// (Windows has none).
func readRlimits() Limits {
	return Limits{Nofile: Unlimited, Nproc: Unlimited}
}
