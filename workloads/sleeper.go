package workloads

import (
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"
)

// A Sleeper times sleep ops as precisely as CPython's time.sleep, which
// blocks its thread in clock_nanosleep and overshoots by about 80 µs. Go's
// own timer does not: on Linux the runtime waits for timers in epoll_wait,
// whose timeout is in whole milliseconds, rounded up, so an idle process
// sleeping 50 µs or 200 µs wakes after about 1.1 ms, and a 1.5 ms sleep
// takes about 2.1 ms (golang/go#53824). The models that stand for a thread
// blocked in a sleep (seq, gil-threads, gil-pool, the process workers) sleep
// through a Sleeper; goroutines, pool and errgroup keep Go's timer, and
// eventloop its own millisecond rounding, as asyncio has.
//
// A sleep still parks only its goroutine on a Go timer, and no OS thread is
// held: thousands of tasks may sleep at once. What a Sleeper adds, on Linux,
// is one alarm per Sleeper, a timerfd that the runtime's poller watches, set
// to the earliest deadline of the sleeps in progress. When it expires, the
// poller's epoll_wait returns at once, whatever its rounded timeout, and the
// runtime runs the timers that are due. A sleep costs two heap operations
// under a mutex and, when the earliest deadline changes, one timerfd_settime
// call (about 1 µs). Sleeps of [PreciseBelow] or longer use the timer alone,
// which is then wrong by about 1%, so that 10,000 tasks sleeping 10 ms do not
// queue on one mutex. Other systems use the timer alone: there the runtime
// waits for timers in nanoseconds (kqueue on darwin and the BSDs, a
// high-resolution timer on Windows), with no millisecond floor.
//
// The zero value is ready to use; it opens its alarm at the first sleep that
// needs it. Close releases the alarm. A nil *Sleeper sleeps on Go's timer.
type Sleeper struct {
	mu     sync.Mutex
	alarm  alarm
	open   bool
	closed bool
	q      deadlines
	armed  int64 // the deadline the alarm is set for, on the monotonic clock
}

// PreciseBelow is the length under which a [Sleeper] makes a sleep precise.
const PreciseBelow = 10 * time.Millisecond

// errSleeperClosed is the error of a sleep on a closed Sleeper.
var errSleeperClosed = errors.New("workloads: sleep on a closed Sleeper")

// Sleep waits for d or until ctx is done, and returns ctx's error in the
// latter case. It is safe for concurrent use.
func (s *Sleeper) Sleep(ctx context.Context, d time.Duration) error {
	if s == nil || d <= 0 || d >= PreciseBelow {
		return sleep(ctx, d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The timer first, the deadline after: the alarm must not go off before
	// the timer is due, or the poller would wake, find nothing to run, and
	// wait a whole millisecond more.
	t := time.NewTimer(d)
	defer t.Stop()
	e, err := s.add(d)
	if err != nil {
		return err
	}
	defer s.remove(e)
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close releases the alarm. Sleeps in progress must have returned; a later
// sleep shorter than PreciseBelow fails.
func (s *Sleeper) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if !s.open {
		return nil
	}
	return s.alarm.close()
}

// add records a sleep of d from now and sets the alarm if its deadline is
// the earliest.
func (s *Sleeper) add(d time.Duration) (*deadline, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errSleeperClosed
	}
	if !s.open {
		if err := s.alarm.open(); err != nil {
			return nil, err
		}
		s.open = true
	}
	now, err := monotonicNow()
	if err != nil {
		return nil, err
	}
	e := &deadline{at: now + int64(d)}
	heap.Push(&s.q, e)
	return e, s.rearm()
}

// remove forgets a sleep that has ended, and moves the alarm to the next
// deadline. A failure to move it only costs the next sleep its precision.
func (s *Sleeper) remove(e *deadline) {
	s.mu.Lock()
	defer s.mu.Unlock()
	heap.Remove(&s.q, e.i)
	if !s.closed {
		s.rearm()
	}
}

// rearm sets the alarm to the earliest deadline, if it is not set there. A
// deadline already past makes the alarm go off at once, which wakes a
// poller that may be waiting for that sleep's timer.
func (s *Sleeper) rearm() error {
	if len(s.q) == 0 || s.q[0].at == s.armed {
		return nil
	}
	s.armed = s.q[0].at
	return s.alarm.set(s.armed)
}

// deadline is one sleep in progress, in a Sleeper's min-heap.
type deadline struct {
	at int64 // monotonic nanoseconds
	i  int   // index in the heap
}

// deadlines is a min-heap of deadlines (container/heap).
type deadlines []*deadline

func (q deadlines) Len() int           { return len(q) }
func (q deadlines) Less(i, j int) bool { return q[i].at < q[j].at }
func (q deadlines) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].i, q[j].i = i, j
}
func (q *deadlines) Push(x any) {
	e := x.(*deadline)
	e.i = len(*q)
	*q = append(*q, e)
}
func (q *deadlines) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return e
}
