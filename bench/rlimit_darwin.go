package bench

import "golang.org/x/sys/unix"

// readRlimits reads RLIMIT_NOFILE and RLIMIT_NPROC.
func readRlimits() Limits {
	lim := Limits{Nofile: Unlimited, Nproc: Unlimited, NprocEnforced: true}
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) == nil && r.Cur != unix.RLIM_INFINITY {
		lim.Nofile = r.Cur
	}
	if unix.Getrlimit(unix.RLIMIT_NPROC, &r) == nil && r.Cur != unix.RLIM_INFINITY {
		lim.Nproc = r.Cur
	}
	return lim
}
