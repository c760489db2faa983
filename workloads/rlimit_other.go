//go:build !linux && !darwin && !freebsd

package workloads

import "errors"

// setSoftNofile fails: this system has no descriptor rlimit to set.
func setSoftNofile(n uint64) error {
	return errors.New("no RLIMIT_NOFILE on this system")
}
