//go:build linux

package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/concbench/concbench/workloads"
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
		if err := l.onSocket(int32(ev.Fd), ev.Events); err != nil {
			return err
		}
	}
	if sockets > 0 {
		l.m.events.Add(uint64(sockets))
	}
	return nil
}

// sockaddrs parses the latency server's addresses.
func sockaddrs(env *workloads.Env) ([]serverAddr, error) {
	if env == nil || env.Addr == "" {
		return nil, errors.New("no latency server address in Env")
	}
	var addrs []serverAddr
	for _, a := range strings.Split(env.Addr, ",") {
		ap, err := netip.ParseAddrPort(a)
		if err != nil {
			return nil, fmt.Errorf("latency server address: %w", err)
		}
		if ap.Addr().Is4() {
			addrs = append(addrs, serverAddr{&unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}, unix.AF_INET})
		} else {
			addrs = append(addrs, serverAddr{&unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}, unix.AF_INET6})
		}
	}
	return addrs, nil
}

// netConn is the state of a Net op in flight: a non-blocking socket that
// connects, sends the request and reads the reply as epoll reports it ready.
type netConn struct {
	fd    int // valid only while phase != netIdle
	phase netPhase
	req   []byte
	reply []byte
	sent  int
	got   int
}

type netPhase uint8

const (
	netIdle netPhase = iota
	netConnecting
	netWriting
	netReading
)

// startNet opens the socket of task i's Net op and starts connecting. The
// socket is registered edge-triggered for both directions once, so the
// state machine needs no further epoll_ctl calls.
func (l *loop) startNet(i int32, op workloads.Op, seed uint64) error {
	if l.conns == nil {
		addrs, err := sockaddrs(l.env)
		if err != nil {
			return err
		}
		l.conns = make([]netConn, len(l.tasks))
		l.addrs = addrs
	}
	// The op dials the listener workloads.Env.Do would pick.
	a := l.addrs[workloads.AddrIndex(seed, len(l.addrs))]
	sa, family := a.sa, a.family
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	c := &l.conns[i]
	*c = netConn{fd: fd, phase: netConnecting, req: workloads.NetRequest(op, seed), reply: make([]byte, op.Bytes)}
	if err := unix.Connect(fd, sa); err != nil && err != unix.EINPROGRESS {
		l.closeConn(c)
		return fmt.Errorf("connecting to %s: %w", l.env.Addr, err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: i}
	if err := unix.EpollCtl(l.poll.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		l.closeConn(c)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	return nil
}

// onSocket advances task i's Net op on a readiness event. Edge-triggered
// readiness is only reported again after EAGAIN, so each phase goes on until
// the socket would block.
func (l *loop) onSocket(i int32, events uint32) error {
	c := &l.conns[i]
	if c.phase == netIdle {
		return nil // the op ended earlier in this batch of events
	}
	if c.phase == netConnecting {
		if events&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
			return nil
		}
		soerr, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
		if err != nil {
			l.closeConn(c)
			return l.fail(i, fmt.Errorf("connecting to %s: %w", l.env.Addr, err))
		}
		c.phase = netWriting
	}
	if c.phase == netWriting {
		for c.sent < len(c.req) {
			n, err := unix.Write(c.fd, c.req[c.sent:])
			if err == unix.EAGAIN {
				return nil
			}
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				l.closeConn(c)
				return l.fail(i, fmt.Errorf("writing request: %w", err))
			}
			c.sent += n
		}
		c.phase = netReading
	}
	for c.got < len(c.reply) {
		n, err := unix.Read(c.fd, c.reply[c.got:])
		if err == unix.EAGAIN {
			return nil
		}
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			l.closeConn(c)
			return l.fail(i, fmt.Errorf("reading %d-byte reply: %w", len(c.reply), err))
		}
		c.got += n
	}
	v := workloads.NetValue(c.reply)
	l.closeConn(c)
	l.resume(i, v)
	return nil
}

// closeConn closes a socket; closing also removes it from the epoll set.
func (l *loop) closeConn(c *netConn) {
	if c.phase != netIdle {
		unix.Close(c.fd)
	}
	*c = netConn{}
}

// closeSockets closes the sockets of Net ops still in flight when the loop
// stops early.
func (l *loop) closeSockets() {
	for i := range l.conns {
		l.closeConn(&l.conns[i])
	}
}

// netAddr is the latency server's addresses, parsed once per Run.
type netAddr struct {
	addrs []serverAddr
}

// serverAddr is one of the latency server's addresses.
type serverAddr struct {
	sa     unix.Sockaddr
	family int
}
