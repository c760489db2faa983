package workloads

import "golang.org/x/sys/unix"

// listenBacklog returns the accept queue a listener gets: Go's net.Listen
// asks for kern.ipc.somaxconn (128 by default), which also caps any larger
// request, so only more listeners queue more connections.
func listenBacklog() int {
	n, err := unix.SysctlUint32("kern.ipc.somaxconn")
	if err != nil || n == 0 {
		return 128
	}
	return int(min(n, 1<<16-1))
}
