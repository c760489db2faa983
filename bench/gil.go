package bench

import (
	"runtime/debug"
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
// CPython's FORCE_SWITCHING guarantees. Until then it sleeps, as CPython's
// drop_gil waits on switch_cond until take_gil signals it: a goroutine
// blocked on a channel, not one polling. Each Run makes its own gil.
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
	// switching holds the channels of holders that were forced to switch
	// and wait for another goroutine to take the lock: CPython's
	// switch_cond. take signals them all.
	switching []chan struct{}
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

// take marks the lock held by the caller, which holds g.mu, and wakes the
// holders that were forced to give it up.
func (g *gil) take() {
	g.locked = true
	g.acquired.Add(1)
	g.storeSince(g.now())
	for i, ch := range g.switching {
		ch <- struct{}{}
		g.switching[i] = nil
	}
	g.switching = g.switching[:0]
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
	g.drop()
	g.mu.Unlock()
}

// drop is release for a caller that holds g.mu.
func (g *gil) drop() {
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
	g.mu.Lock()
	g.drop()
	// Sleep until another goroutine has taken the lock, so the holder cannot
	// grab it straight back (FORCE_SWITCHING). Every take happens under g.mu,
	// which the holder keeps from the drop to the parking, so none can slip
	// between them; and one will come, since a goroutine counted in waiting
	// leaves acquire only by taking the lock.
	ch := waiterChans.Get().(chan struct{})
	g.switching = append(g.switching, ch)
	g.mu.Unlock()
	<-ch
	waiterChans.Put(ch)
	g.acquire()
}

// goMaxThreads is Go's default limit on the OS threads of a process, past
// which the runtime aborts it (runtime/debug.SetMaxThreads).
const goMaxThreads = 10000

// maxThreads is the limit as raiseMaxThreads last set it.
var maxThreads struct {
	sync.Mutex
	n int
}

// raiseMaxThreads lets the process run n more OS threads than Go's default
// allows, so that a model whose every task is a thread of its own can run
// 10,000 tasks at once, as CPython starts 10,000 threads for them. It only
// ever raises the limit: lowering it while other goroutines hold threads
// could abort the process. Whether the system has that many threads to
// give is LimitSkip's question, asked before the cell runs.
func raiseMaxThreads(n int) {
	maxThreads.Lock()
	defer maxThreads.Unlock()
	if want := goMaxThreads + n; want > max(maxThreads.n, goMaxThreads) {
		debug.SetMaxThreads(want)
		maxThreads.n = want
	}
}
