//go:build !(linux || darwin || freebsd) || concbench_portable

package bench

import (
	"time"

	"github.com/concbench/concbench/workloads"
)

// This is the portable fallback of the event loop, for systems with neither
// epoll nor kqueue (Windows), and on any system when built with the tag
// concbench_portable, which make test does so that the fallback is compiled
// and tested on Linux too. Timers and compute behave as with a poller, but
// Net ops do not go through a readiness poller: they run as blocking calls
// in the executor and complete back on the loop, as asyncio would run a
// blocking client through run_in_executor. Waits still overlap and compute
// still stays on the loop's thread, but the model's I/O path is not a
// reactor here (asyncio on Windows has IOCP's proactor instead), so results
// from such systems compare Net workloads less faithfully.

// poller wakes the loop through a channel instead of an eventfd.
type poller struct {
	wakeup chan struct{}
}

func newPoller() (*poller, error) { return &poller{wakeup: make(chan struct{}, 1)}, nil }

// wake makes the loop's current or next poll return.
func (p *poller) wake() {
	select {
	case p.wakeup <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (p *poller) close() error { return nil }

// pollOnce waits for a wake-up for up to timeout (negative: until one),
// with the same millisecond rounding as the epoll and kqueue pollers.
func (l *loop) pollOnce(timeout time.Duration) error {
	switch {
	case timeout < 0:
		<-l.poll.wakeup
	case timeout == 0:
		select {
		case <-l.poll.wakeup:
		default:
		}
	default:
		timeout = (timeout + time.Millisecond - 1) / time.Millisecond * time.Millisecond
		t := time.NewTimer(timeout)
		defer t.Stop()
		select {
		case <-l.poll.wakeup:
		case <-t.C:
		}
	}
	return nil
}

// netConn holds nothing: Net ops live in the executor here.
type netConn struct{}

func (l *loop) startNet(i int32, op workloads.Op, seed uint64) error {
	l.submit(i, op, seed)
	return nil
}

func (l *loop) closeSockets() {}

// netAddr holds nothing: the executor dials by name here.
type netAddr struct{}
