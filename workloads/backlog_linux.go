package workloads

import (
	"os"
	"strconv"
	"strings"
)

// listenBacklog returns the accept queue a listener gets: Go's net.Listen
// asks for net.core.somaxconn, which also caps any larger request, so only
// more listeners queue more connections.
func listenBacklog() int {
	b, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err != nil {
		return 128 // the kernel's default before 5.4
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n <= 0 {
		return 128
	}
	return min(n, 1<<16-1) // as Go's net caps it
}
