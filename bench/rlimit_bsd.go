//go:build darwin || freebsd

package bench

import "golang.org/x/sys/unix"

// readRlimits reads RLIMIT_NOFILE and RLIMIT_NPROC (signed on FreeBSD,
// unsigned on macOS).
func readRlimits() Limits {
	lim := Limits{Nofile: Unlimited, Nproc: Unlimited, NprocEnforced: true}
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) == nil && r.Cur != unix.RLIM_INFINITY && r.Cur >= 0 {
		lim.Nofile = uint64(r.Cur)
	}
	if unix.Getrlimit(unix.RLIMIT_NPROC, &r) == nil && r.Cur != unix.RLIM_INFINITY && r.Cur >= 0 {
		lim.Nproc = uint64(r.Cur)
	}
	return lim
}
