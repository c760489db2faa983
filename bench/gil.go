package bench

import (
	"runtime"
	"sync/atomic"
	"time"
)

// gil is an emulated global interpreter lock, as CPython's (Python/ceval_gil.c
// since 3.2): compute runs only while holding it, every wait releases it, and
// a holder that has kept it for the switch interval while another goroutine
// waits must hand it over between two compute units.
//
// The lock is a token in a channel of capacity one. Go hands a value sent on
// a channel straight to the longest-waiting receiver, so a release with
// waiters is a direct, first-in first-out handover, and a holder forced to
// switch that asks for the lock again queues behind everyone already
// waiting. It asks only once another goroutine has taken the lock, so it
// cannot grab it straight back, which is what CPython's FORCE_SWITCHING
// guarantees. Each Run makes its own gil.
type gil struct {
	tok      chan struct{}
	interval int64 // nanoseconds
	base     time.Time
	// waiting counts goroutines blocked in acquire; the holder reads it
	// between units, so the common uncontended check is one atomic load.
	waiting atomic.Int32
	// since is when the holder's current interval began, in nanoseconds
	// from base: the later of when it took the lock and when someone began
	// to wait for it. CPython measures the interval in the waiter's timed
	// wait, so a holder is only asked to drop once a waiter has waited that
	// long; this reproduces that without a timer.
	since atomic.Int64
	// acquired counts acquisitions, so that a holder forced to switch can
	// tell when another goroutine has taken the lock.
	acquired atomic.Uint64
	// switches counts forced handovers, for tests.
	switches atomic.Int64
}

func newGIL(interval time.Duration) *gil {
	g := &gil{tok: make(chan struct{}, 1), interval: int64(interval), base: time.Now()}
	g.tok <- struct{}{}
	return g
}

func (g *gil) now() int64 { return int64(time.Since(g.base)) }

// acquire blocks until the calling goroutine holds the lock.
func (g *gil) acquire() {
	select {
	case <-g.tok:
	default:
		if g.waiting.Add(1) == 1 {
			g.storeSince(g.now())
		}
		<-g.tok
		g.waiting.Add(-1)
	}
	g.acquired.Add(1)
	g.storeSince(g.now())
}

// storeSince raises since to t; it never lowers it, so a contender's start
// is not lost to a holder that records its own start a moment later.
func (g *gil) storeSince(t int64) {
	for {
		s := g.since.Load()
		if t <= s || g.since.CompareAndSwap(s, t) {
			return
		}
	}
}

// release gives the lock up: to the longest waiter if there is one.
func (g *gil) release() { g.tok <- struct{}{} }

// tick is the holder's check between compute units, like CPython's eval
// breaker: once another goroutine has waited for the switch interval, the
// holder hands the lock over and queues for it again.
func (g *gil) tick() {
	if g.waiting.Load() == 0 {
		return
	}
	if g.now()-g.since.Load() < g.interval {
		return
	}
	g.switches.Add(1)
	n := g.acquired.Load()
	g.release()
	// A waiter counted in waiting may not be parked in its receive yet, in
	// which case the token sits in the buffer; wait until another goroutine
	// has taken it, so the holder cannot grab it straight back. (Watching
	// the buffer instead would miss a waiter that takes the lock and gives
	// it back between two looks.)
	for g.acquired.Load() == n {
		runtime.Gosched()
	}
	g.acquire()
}
