//go:build darwin || freebsd

package workloads

import "golang.org/x/sys/unix"

// listenBacklog returns the accept queue a listener gets: Go's net.Listen
// asks for the system's maximum, kern.ipc.soacceptqueue on FreeBSD and
// kern.ipc.somaxconn on macOS (128 by default), which also caps any larger
// request, so only more listeners queue more connections.
func listenBacklog() int {
	for _, name := range []string{"kern.ipc.soacceptqueue", "kern.ipc.somaxconn"} {
		if n, err := unix.SysctlUint32(name); err == nil && n > 0 {
			return int(min(n, 1<<16-1))
		}
	}
	return 128
}
