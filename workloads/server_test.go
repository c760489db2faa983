package workloads_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// concurrentNet sends n concurrent net ops with the given delay to the
// shared latency server and checks every reply against its expected value.
func concurrentNet(t *testing.T, n int, delay time.Duration) time.Duration {
	t.Helper()
	env := &workloads.Env{Addr: server.Addr()}
	// The expected reply value is computed from the request's seed, which
	// the server fills the reply from; an in-process copy of the server's
	// fill gives it.
	want := func(seed uint64, size int) uint64 { return workloads.NetValue(workloads.ReplyBytes(seed, size)) }
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := 100 + i%900
			seed := uint64(i) * 7919
			v, err := env.Do(context.Background(), workloads.Net(delay, size), seed)
			if err != nil {
				errs <- fmt.Errorf("request %d: %w", i, err)
				return
			}
			if v != want(seed, size) {
				errs <- fmt.Errorf("request %d: reply value %#x, want %#x", i, v, want(seed, size))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return elapsed
}

func TestLatencyServer1000(t *testing.T) {
	d := concurrentNet(t, 1000, 20*time.Millisecond)
	t.Logf("1000 concurrent 20ms requests took %v", d)
	// Served one at a time they would take 20 s; concurrently, about 20 ms
	// plus connection set-up. The bound leaves a wide margin for -race.
	if d > 4*time.Second {
		t.Errorf("1000 concurrent requests took %v: the server does not overlap them", d)
	}
}

func TestLatencyServer10000(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 connections in -short mode")
	}
	d := concurrentNet(t, 10000, 200*time.Millisecond)
	t.Logf("10000 concurrent 200ms requests took %v", d)
}

func TestLatencyServerIsAnotherProcess(t *testing.T) {
	if server.PID() <= 0 || server.PID() == os.Getpid() {
		t.Errorf("server pid %d, test pid %d: want a separate process", server.PID(), os.Getpid())
	}
}

func TestServeLatencyStops(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- workloads.ServeLatency(ctx, ln) }()
	// A request that would wait a minute is cut short by the cancel.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write(workloads.NetRequest(workloads.Net(time.Minute, 10), 1))
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeLatency: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeLatency did not return after cancel")
	}
}

// flakyListener fails its first n Accepts with err, then accepts from the
// listener it wraps.
type flakyListener struct {
	net.Listener
	mu    sync.Mutex
	n     int
	err   error
	fails int
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.fails < l.n {
		l.fails++
		l.mu.Unlock()
		return nil, l.err
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

func acceptErr(errno syscall.Errno) error {
	return &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept", errno)}
}

// roundTrip sends one request on c and checks the reply.
func roundTrip(c net.Conn, seed uint64) error {
	const size = 100
	if _, err := c.Write(workloads.NetRequest(workloads.Net(0, size), seed)); err != nil {
		return err
	}
	got := make([]byte, size)
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if !bytes.Equal(got, workloads.ReplyBytes(seed, size)) {
		return fmt.Errorf("reply to seed %d differs from ReplyBytes", seed)
	}
	return nil
}

func TestServeLatencyRetriesTemporaryErrors(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ECONNABORTED, syscall.ENOBUFS} {
		t.Run(errno.Error(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			// Three failures pause 5, 10 and 20 ms before the fourth try.
			fl := &flakyListener{Listener: ln, n: 3, err: acceptErr(errno)}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			// The backoff starts with the server, before the client dials.
			start := time.Now()
			go func() { done <- workloads.ServeLatency(ctx, fl) }()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			if err := roundTrip(c, 7); err != nil {
				t.Fatalf("after %d %v errors: %v", fl.n, errno, err)
			}
			if d := time.Since(start); d < 35*time.Millisecond {
				t.Errorf("served after %v: want the backoff's 5+10+20 ms first", d)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("ServeLatency: %v", err)
			}
		})
	}
}

func TestServeLatencyStopsOnPermanentError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	good, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl := &flakyListener{Listener: ln, n: 1, err: acceptErr(syscall.EBADF)}
	done := make(chan error, 1)
	go func() { done <- workloads.ServeLatency(context.Background(), good, fl) }()
	select {
	case err := <-done:
		if !errors.Is(err, syscall.EBADF) {
			t.Errorf("ServeLatency returned %v, want the EBADF", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ServeLatency goes on after a permanent Accept error")
	}
	if _, err := good.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("the other listener after the server stopped: Accept gave %v, want it closed", err)
	}
}

// TestLatencyServerOutlivesEMFILE runs the latency server process with a
// soft limit of 64 descriptors, holds enough connections open to exhaust
// it, and shows that a connection beyond the limit waits, then is served
// once descriptors are free, and that new connections are served after.
func TestLatencyServerOutlivesEMFILE(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no RLIMIT_NOFILE on Windows")
	}
	const limit = 64
	s, err := workloads.StartLatencyServer(context.Background(), fmt.Sprintf("%s=%d", workloads.NofileEnv, limit))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	addrs := strings.Split(s.Addr(), ",")
	dial := func(addr string) net.Conn {
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			t.Fatalf("dial %s: %v", addr, err)
		}
		return c
	}
	// Every accepted connection holds one of the server's descriptors, so
	// limit connections exhaust them whatever else it has open; the kernel
	// still completes the handshakes and queues the rest.
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range limit {
		held = append(held, dial(addrs[0]))
	}
	late := dial(addrs[0])
	defer late.Close()
	late.SetDeadline(time.Now().Add(300 * time.Millisecond))
	err = roundTrip(late, 1)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("a connection past the server's %d descriptors: %v; want no answer yet (server out of descriptors)", limit, err)
	}
	// The request is sent, the reply pending; a partial read of it would be
	// lost, so the reply is read whole below on the same connection.
	for _, c := range held {
		c.Close()
	}
	held = nil
	late.SetDeadline(time.Now().Add(10 * time.Second))
	got := make([]byte, 100)
	if _, err := io.ReadFull(late, got); err != nil {
		t.Fatalf("the waiting connection after descriptors were freed: %v", err)
	}
	if !bytes.Equal(got, workloads.ReplyBytes(1, 100)) {
		t.Fatal("the waiting connection got a wrong reply")
	}
	for i, addr := range addrs {
		c := dial(addr)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if err := roundTrip(c, uint64(10+i)); err != nil {
			t.Errorf("a new connection to %s after the exhaustion: %v", addr, err)
		}
		c.Close()
	}
}

func TestLatencyServerListensOnEveryAddress(t *testing.T) {
	addrs := strings.Split(server.Addr(), ",")
	if len(addrs) != workloads.ServerListeners() || server.Listeners() != len(addrs) {
		t.Errorf("%d addresses, Listeners() %d, want ServerListeners() = %d", len(addrs), server.Listeners(), workloads.ServerListeners())
	}
	for i, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if err := roundTrip(c, uint64(i)); err != nil {
			t.Errorf("%s: %v", a, err)
		}
		c.Close()
	}
}

func TestPickAddr(t *testing.T) {
	list := "a:1,b:2,c:3"
	for _, tc := range []struct {
		addrs string
		seed  uint64
		want  string
	}{
		{"a:1", 12345, "a:1"},
		{list, 0, "a:1"},
		{list, 1, "b:2"},
		{list, 2, "c:3"},
		{list, 3, "a:1"},
		{list, 1<<64 - 1, "a:1"}, // 2^64-1 is divisible by 3
	} {
		if got := workloads.PickAddr(tc.addrs, tc.seed); got != tc.want {
			t.Errorf("PickAddr(%q, %d) = %q, want %q", tc.addrs, tc.seed, got, tc.want)
		}
	}
	// A batch's ops spread evenly over the listeners.
	counts := map[string]int{}
	tasks, err := workloads.Generate(workloads.Spec{Workload: "net", Tasks: 3000, Seed: 1, Wait: time.Millisecond, Bytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks {
		counts[workloads.PickAddr(list, workloads.OpSeed(tk.Seed, 0))]++
	}
	for a, n := range counts {
		if n < 900 || n > 1100 {
			t.Errorf("%s got %d of 3000 ops, want about 1000", a, n)
		}
	}
}
