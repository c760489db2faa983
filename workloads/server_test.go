package workloads_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
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
