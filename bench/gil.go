package bench

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// gil is an emulated global interpreter lock, as CPython's (Python/ceval_gil.c
// since 3.2): compute runs only while holding it, every wait releases it, and
// a holder that has kept it for the switch interval while another goroutine
// waits must hand it over between two compute units.
//
// It is built as CPython's is, a flag under a mutex with a condition
// variable: take_gil waits on the condition while the flag is set, and
// drop_gil clears the flag and signals one waiter. The signalled waiter only
// becomes runnable; until it runs, the lock is free, and any goroutine that
// comes to acquire it first takes it (barging), as a CPython thread coming
// back from a C call that released the GIL takes it at once if it is free.
// The woken waiter then finds it taken and waits again. A direct handover
// (the token of a channel) would instead keep the lock reserved for a
// waiter that may not run for a while, which CPython never does.
//
// A holder forced to switch asks for the lock again only once another
// goroutine has taken it, so it cannot grab it straight back, which is what
// CPython's FORCE_SWITCHING guarantees. Each Run makes its own gil.
type gil struct {
	mu     sync.Mutex
	locked bool
	// queue holds the channels of parked waiters, oldest first: the
	// condition variable. release signals the oldest and removes it.
	queue []chan struct{}

	interval int64 // nanoseconds
	base     time.Time
	// waiting counts goroutines in acquire's slow path; the holder reads it
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
	return &gil{interval: int64(interval), base: time.Now()}
}

func (g *gil) now() int64 { return int64(time.Since(g.base)) }

// waiterChans recycles the channels parked waiters wait on; each is empty
// when it goes back.
var waiterChans = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

// acquire blocks until the calling goroutine holds the lock.
func (g *gil) acquire() {
	g.mu.Lock()
	if !g.locked {
		g.take()
		g.mu.Unlock()
		return
	}
	if g.waiting.Add(1) == 1 {
		g.storeSince(g.now())
	}
	ch := waiterChans.Get().(chan struct{})
	for g.locked {
		g.queue = append(g.queue, ch)
		g.mu.Unlock()
		<-ch
		g.mu.Lock()
		// Signalled, but another goroutine may have barged in since: wait
		// again, as take_gil's loop does.
	}
	waiterChans.Put(ch)
	g.waiting.Add(-1)
	g.take()
	g.mu.Unlock()
}

// take marks the lock held by the caller, which holds g.mu.
func (g *gil) take() {
	g.locked = true
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

// release gives the lock up and signals the longest waiter, which takes it
// when it runs unless another goroutine has taken it first.
func (g *gil) release() {
	g.mu.Lock()
	g.locked = false
	if len(g.queue) > 0 {
		ch := g.queue[0]
		g.queue[0] = nil
		g.queue = g.queue[1:]
		if len(g.queue) == 0 {
			g.queue = g.queue[:0:0] // let the drained array go, rather than crawl along it
		}
		ch <- struct{}{}
	}
	g.mu.Unlock()
}

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
	// Wait until another goroutine has taken the lock, so the holder cannot
	// grab it straight back (FORCE_SWITCHING). (Watching the flag instead
	// would miss a waiter that takes the lock and gives it back between two
	// looks.)
	for g.acquired.Load() == n {
		runtime.Gosched()
	}
	g.acquire()
}
