package workloads_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/concbench/concbench/workloads"
)

// TestLatencyServerQueuesAFanout stops the latency server process, so that
// it accepts nothing, and connects more clients at once than one listener's
// accept queue (net.core.somaxconn) holds. Every connect must complete at
// once: the kernel queues them on the server's listeners. A connect that
// found its queue full would have its SYN dropped and retried only after a
// second, past the deadline here. Once the server runs again, every
// connection is served.
func TestLatencyServerQueuesAFanout(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of connections in -short mode")
	}
	b, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err != nil {
		t.Skip("no net.core.somaxconn:", err)
	}
	somaxconn, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if workloads.ServerListeners() == 1 {
		t.Skipf("somaxconn %d queues %d connects on one listener", somaxconn, workloads.PendingConns)
	}
	n := somaxconn + 500
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < uint64(n+100) {
		t.Skipf("needs %d descriptors; RLIMIT_NOFILE is %d", n+100, lim.Cur)
	}
	s, err := workloads.StartLatencyServer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(s.PID(), syscall.SIGCONT)
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := syscall.Kill(s.PID(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	addrs := strings.Split(s.Addr(), ",")
	conns := make([]net.Conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Far under the kernel's 1 s SYN retry, far over a connect that
			// the kernel completes on its own (microseconds, even under
			// -race on a busy machine).
			c, err := net.DialTimeout("tcp", addrs[i%len(addrs)], 700*time.Millisecond)
			if err != nil {
				errs <- fmt.Errorf("connection %d: %w", i, err)
				return
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if failed++; failed <= 3 {
			t.Error(err)
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d connects to a stopped server over %d listeners (somaxconn %d) did not complete at once",
			failed, n, len(addrs), somaxconn)
	}
	if err := syscall.Kill(s.PID(), syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	errs = make(chan error, n)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if err := roundTrip(c, uint64(i)); err != nil {
				errs <- fmt.Errorf("connection %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
