//go:build (darwin || freebsd) && !concbench_portable

package bench

import (
	"fmt"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// poller is the loop's one kqueue and the user event, registered in it,
// that wakes the loop for executor completions and cancellation: the
// counterpart of eventloop_epoll.go's epoll instance and eventfd, so that
// the loop runs the same on macOS and FreeBSD as on Linux.
type poller struct {
	kq     int
	events []unix.Kevent_t
	// tasks maps a watched socket's descriptor to its task's index, or -1:
	// a kevent's ident is the descriptor (its udata is a pointer, which
	// cannot hold an index without unsafe tricks).
	tasks []int32

	mu     sync.Mutex // keeps wake from triggering a closed kqueue
	closed bool
}

// wakeIdent is the ident of the wake-up event. EVFILT_USER idents are their
// own namespace, apart from descriptors.
const wakeIdent = 0

func newPoller() (*poller, error) {
	// Like the runtime's own kqueue, set close-on-exec under the fork lock:
	// kqueue(2) takes no flags.
	syscall.ForkLock.RLock()
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("eventloop: kqueue: %w", err)
	}
	// EV_CLEAR resets the user event once delivered, as reading the eventfd
	// does on Linux.
	ev := unix.Kevent_t{Ident: wakeIdent, Filter: unix.EVFILT_USER, Flags: unix.EV_ADD | unix.EV_CLEAR}
	if _, err := unix.Kevent(kq, []unix.Kevent_t{ev}, nil, nil); err != nil {
		unix.Close(kq)
		return nil, fmt.Errorf("eventloop: registering the wake-up event: %w", err)
	}
	return &poller{kq: kq, events: make([]unix.Kevent_t, 128)}, nil
}

// wake makes the loop's current or next kevent wait return. Any goroutine
// may call it, even after close.
func (p *poller) wake() {
	ev := unix.Kevent_t{Ident: wakeIdent, Filter: unix.EVFILT_USER, Fflags: unix.NOTE_TRIGGER}
	p.mu.Lock()
	if !p.closed {
		// Triggering a triggered event is harmless: the loop will wake.
		unix.Kevent(p.kq, []unix.Kevent_t{ev}, nil, nil)
	}
	p.mu.Unlock()
}

func (p *poller) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	return unix.Close(p.kq)
}

// pollOnce waits for readiness for up to timeout (negative: until an event)
// and handles what it reports. The timeout is rounded up to whole
// milliseconds, as on Linux, so that the model's timers behave alike on
// every system (kevent itself would take nanoseconds).
func (l *loop) pollOnce(timeout time.Duration) error {
	var ts *unix.Timespec
	if timeout >= 0 {
		ms := (timeout + time.Millisecond - 1) / time.Millisecond
		t := unix.NsecToTimespec(int64(ms * time.Millisecond))
		ts = &t
	}
	p := l.poll
	n, err := unix.Kevent(p.kq, nil, p.events, ts)
	if err == unix.EINTR {
		return nil
	}
	if err != nil {
		return fmt.Errorf("eventloop: kevent: %w", err)
	}
	sockets := 0
	for _, ev := range p.events[:n] {
		if ev.Filter == unix.EVFILT_USER {
			continue // EV_CLEAR has reset it
		}
		fd := int(ev.Ident)
		if fd >= len(p.tasks) || p.tasks[fd] < 0 {
			continue // its op ended earlier in this batch of events
		}
		sockets++
		var r readiness
		switch ev.Filter {
		case unix.EVFILT_READ:
			r = readable
		case unix.EVFILT_WRITE:
			r = writable
		}
		if ev.Flags&(unix.EV_EOF|unix.EV_ERROR) != 0 {
			r |= failed
		}
		if err := l.onSocket(p.tasks[fd], r); err != nil {
			return err
		}
	}
	if sockets > 0 {
		l.m.events.Add(uint64(sockets))
	}
	return nil
}

// add watches task i's socket fd for both directions, edge-triggered
// (EV_CLEAR), as two kevents: kqueue has one filter per direction where
// epoll has one event with both.
func (p *poller) add(fd int, i int32) error {
	for len(p.tasks) <= fd {
		p.tasks = append(p.tasks, -1)
	}
	var evs [2]unix.Kevent_t
	unix.SetKevent(&evs[0], fd, unix.EVFILT_READ, unix.EV_ADD|unix.EV_CLEAR)
	unix.SetKevent(&evs[1], fd, unix.EVFILT_WRITE, unix.EV_ADD|unix.EV_CLEAR)
	if _, err := unix.Kevent(p.kq, evs[:], nil, nil); err != nil {
		return fmt.Errorf("kevent: %w", err)
	}
	p.tasks[fd] = i
	return nil
}

// forget is called before a watched socket is closed. Closing removes its
// kevents from the queue, but events already collected in this batch name
// the descriptor, which a later socket may reuse: they must find no task.
func (p *poller) forget(fd int) {
	if fd < len(p.tasks) {
		p.tasks[fd] = -1
	}
}
