package bench

import (
	"errors"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// LoopbackConnectRate measures how many TCP connections a second this
// machine sets up and tears down over loopback, now: GOMAXPROCS goroutines
// connect to a private listener and close, as fast as they can, for about
// d, while as many accept and close. A net task costs one such connection,
// so no model can run net tasks faster than this: it is the ceiling of
// BenchmarkFanout's net throughput, beside Little's law. Like Calibrate it
// runs on the CPUs this process may use, where the latency server runs too.
func LoopbackConnectRate(d time.Duration) (float64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := ln.Addr().String()
	procs := runtime.GOMAXPROCS(0)
	var servers sync.WaitGroup
	for range procs {
		servers.Add(1)
		go func() {
			defer servers.Done()
			for {
				c, err := ln.Accept()
				if err != nil {
					return // closed below, or out of descriptors: the clients see it
				}
				c.Close()
			}
		}()
	}
	defer func() {
		ln.Close()
		servers.Wait()
	}()

	connect := func() error {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return err
		}
		return c.Close()
	}
	// A few untimed connections first: the first ones pay for goroutine
	// stacks and the poller.
	for range 2 * procs {
		if err := connect(); err != nil {
			return 0, err
		}
	}
	var (
		n       atomic.Int64
		clients sync.WaitGroup
		errs    = make([]error, procs)
	)
	start := time.Now()
	end := start.Add(d)
	for i := range procs {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for time.Now().Before(end) {
				if err := connect(); err != nil {
					errs[i] = err
					return
				}
				n.Add(1)
			}
		}()
	}
	clients.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	if n.Load() == 0 || elapsed <= 0 {
		return 0, errors.New("loopback probe: no connection completed")
	}
	return float64(n.Load()) / elapsed.Seconds(), nil
}
