//go:build (linux || darwin || freebsd) && !concbench_portable

package bench

import (
	"errors"
	"fmt"
	"io"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/concbench/concbench/workloads"
)

// This file is the event loop's sockets: a Net op is a non-blocking socket
// whose connect, request and reply advance as the loop's poller reports it
// ready. The poller is epoll on Linux (eventloop_epoll.go) and kqueue on
// macOS and FreeBSD (eventloop_kqueue.go); both register a socket
// edge-triggered for both directions and translate what they report into
// readiness, so that this state machine is the same on every system.

// readiness is what a poller reports of a socket.
type readiness uint8

const (
	readable readiness = 1 << iota
	writable
	failed // an error or a hang-up: a pending connect has an answer
)

// sockaddr returns the latency server's socket address and family.
func sockaddr(env *workloads.Env) (unix.Sockaddr, int, error) {
	if env == nil || env.Addr == "" {
		return nil, 0, errors.New("no latency server address in Env")
	}
	ap, err := netip.ParseAddrPort(env.Addr)
	if err != nil {
		return nil, 0, fmt.Errorf("latency server address: %w", err)
	}
	if ap.Addr().Is4() {
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}, unix.AF_INET, nil
	}
	return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}, unix.AF_INET6, nil
}

// netConn is the state of a Net op in flight: a non-blocking socket that
// connects, sends the request and reads the reply as the poller reports it
// ready.
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
// poller watches the socket edge-triggered for both directions from the
// start, so the state machine needs no further registration calls.
func (l *loop) startNet(i int32, op workloads.Op, seed uint64) error {
	if l.conns == nil {
		sa, family, err := sockaddr(l.env)
		if err != nil {
			return err
		}
		l.conns = make([]netConn, len(l.tasks))
		l.sa, l.family = sa, family
	}
	sa, family := l.sa, l.family
	fd, err := nonblockingSocket(family)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	c := &l.conns[i]
	*c = netConn{fd: fd, phase: netConnecting, req: workloads.NetRequest(op, seed), reply: make([]byte, op.Bytes)}
	if err := unix.Connect(fd, sa); err != nil && err != unix.EINPROGRESS {
		l.closeConn(c)
		return fmt.Errorf("connecting to %s: %w", l.env.Addr, err)
	}
	if err := l.poll.add(fd, i); err != nil {
		l.closeConn(c)
		return err
	}
	return nil
}

// onSocket advances task i's Net op on a readiness event. Edge-triggered
// readiness is only reported again after EAGAIN, so each phase goes on until
// the socket would block.
func (l *loop) onSocket(i int32, r readiness) error {
	c := &l.conns[i]
	if c.phase == netIdle {
		return nil // the op ended earlier in this batch of events
	}
	if c.phase == netConnecting {
		if r&(writable|failed) == 0 {
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

// closeConn closes a socket; closing also removes it from the poller.
func (l *loop) closeConn(c *netConn) {
	if c.phase != netIdle {
		l.poll.forget(c.fd)
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

// netAddr is the latency server's address, parsed once per Run.
type netAddr struct {
	sa     unix.Sockaddr
	family int
}
