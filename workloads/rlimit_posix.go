//go:build linux || darwin

package workloads

import "golang.org/x/sys/unix"

// setSoftNofile lowers (or raises, up to the hard limit) this process's
// soft limit on open descriptors.
func setSoftNofile(n uint64) error {
	var l unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	l.Cur = min(n, l.Max)
	return unix.Setrlimit(unix.RLIMIT_NOFILE, &l)
}
