//go:build linux && !concbench_portable

package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// poller is the loop's one epoll instance and the eventfd, registered in
// it, that wakes the loop for executor completions and cancellation.
type poller struct {
	epfd, efd int
	events    []unix.EpollEvent

	mu     sync.Mutex // keeps wake from writing to a closed eventfd
	closed bool
}

// wakeTag marks the eventfd among the epoll events; sockets carry their
// task's index, which is never negative.
const wakeTag = -1

func newPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("eventloop: epoll_create1: %w", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventloop: eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeTag}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, efd, &ev); err != nil {
		unix.Close(efd)
		unix.Close(epfd)
		return nil, fmt.Errorf("eventloop: registering eventfd: %w", err)
	}
	return &poller{epfd: epfd, efd: efd, events: make([]unix.EpollEvent, 128)}, nil
}

// wake makes the loop's current or next epoll_wait return. Any goroutine
// may call it, even after close.
func (p *poller) wake() {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	p.mu.Lock()
	if !p.closed {
		// EAGAIN means the counter is already non-zero: the loop will wake.
		unix.Write(p.efd, one[:])
	}
	p.mu.Unlock()
}

func (p *poller) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	return errors.Join(unix.Close(p.efd), unix.Close(p.epfd))
}

// pollOnce waits for readiness for up to timeout (negative: until an event)
// and handles what it reports. The timeout is rounded up to whole
// milliseconds, epoll_wait's resolution, so that a timer is never polled
// for before it is due — asyncio's selector rounds the same way.
func (l *loop) pollOnce(timeout time.Duration) error {
	ms := -1
	if timeout >= 0 {
		ms = int((timeout + time.Millisecond - 1) / time.Millisecond)
	}
	p := l.poll
	n, err := unix.EpollWait(p.epfd, p.events, ms)
	if err == unix.EINTR {
		return nil
	}
	if err != nil {
		return fmt.Errorf("eventloop: epoll_wait: %w", err)
	}
	sockets := 0
	for _, ev := range p.events[:n] {
		if ev.Fd == wakeTag {
			var buf [8]byte
			unix.Read(p.efd, buf[:]) // resets the counter; EAGAIN is harmless
			continue
		}
		sockets++
		var r readiness
		if ev.Events&(unix.EPOLLIN|unix.EPOLLRDHUP) != 0 {
			r |= readable
		}
		if ev.Events&unix.EPOLLOUT != 0 {
			r |= writable
		}
		if ev.Events&(unix.EPOLLERR|unix.EPOLLHUP) != 0 {
			r |= failed
		}
		if err := l.onSocket(ev.Fd, r); err != nil {
			return err
		}
	}
	if sockets > 0 {
		l.m.events.Add(uint64(sockets))
	}
	return nil
}

// add watches task i's socket fd for both directions, edge-triggered: the
// event carries the task's index, not the descriptor.
func (p *poller) add(fd int, i int32) error {
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: i}
	if err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	return nil
}

// forget is called before a watched socket is closed. Closing removes it
// from the epoll set, and its events carry the task's index, which the
// loop checks, so there is nothing to do.
func (p *poller) forget(int) {}
