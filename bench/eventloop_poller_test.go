//go:build (linux || darwin || freebsd) && !concbench_portable

package bench

import (
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// TestEventLoopNetUsesPoller checks that Net ops go through the loop's
// poller (epoll, kqueue): each connection is reported ready at least twice,
// once to write the request once connected and once to read the reply.
func TestEventLoopNetUsesPoller(t *testing.T) {
	const n = 20
	tasks := generate(t, workloads.Spec{Workload: "net", Tasks: n, Wait: 5 * time.Millisecond, Bytes: 4096})
	m := NewEventLoop(Config{})
	start := time.Now()
	runModel(t, m, testEnv(t), tasks)
	took := time.Since(start)
	got := m.PollEvents()
	t.Logf("%d net tasks: %d readiness events, %v", n, got, took)
	if got < 2*n {
		t.Errorf("%d readiness events for %d connections, want ≥ %d", got, n, 2*n)
	}
	// The waits overlap: far less than n × 5 ms.
	if took > n*5*time.Millisecond/2 {
		t.Errorf("%d net tasks of 5 ms took %v: the waits did not overlap", n, took)
	}
}
