package workloads

import "golang.org/x/sys/unix"

// setSoftNofile lowers (or raises, up to the hard limit) this process's
// soft limit on open descriptors. FreeBSD's limits are signed.
func setSoftNofile(n uint64) error {
	var l unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	l.Cur = int64(min(n, uint64(l.Max)))
	return unix.Setrlimit(unix.RLIMIT_NOFILE, &l)
}
