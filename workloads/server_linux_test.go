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
// accept queue (net.core.somaxconn) holds. The kernel must queue every one
// on the server's listeners: none may have its SYN dropped, which the
// client would retransmit only after a second (tcpi_total_retrans counts
// it). Once the server runs again, every connection is served.
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
			// A dropped SYN is retried after 1 s, then 3 s: past this
			// timeout, or counted as a retransmission below.
			c, err := net.DialTimeout("tcp", addrs[i%len(addrs)], 2500*time.Millisecond)
			if err != nil {
				errs <- fmt.Errorf("connection %d: %w", i, err)
				return
			}
			conns[i] = c
			if n, err := retransmits(c); err != nil || n > 0 {
				errs <- fmt.Errorf("connection %d: %d retransmissions (%v): its SYN was dropped", i, n, err)
			}
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
		t.Fatalf("%d of %d connects to a stopped server over %d listeners (somaxconn %d) were not queued at once",
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

// retransmits returns how many segments the kernel retransmitted on c.
func retransmits(c net.Conn) (uint32, error) {
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return 0, err
	}
	var info *unix.TCPInfo
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		info, ierr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil {
		return 0, err
	}
	if ierr != nil {
		return 0, ierr
	}
	return info.Total_retrans, nil
}
