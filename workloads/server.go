package workloads

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxServerDelay bounds the delay a request may ask for, so a corrupt
// request cannot park a connection forever.
const maxServerDelay = time.Minute

// PendingConns is how many connections the latency server process can hold
// queued, connected but not yet accepted, without dropping one: twice
// BenchmarkFanout's largest batch, so that its 10,000 simultaneous connects
// fit with room for an uneven spread over the listeners. A connect that
// finds its listener's queue full is not refused: its SYN is dropped and
// retried a second later, which would put a second into the latency of a
// task that asked for 10 ms.
const PendingConns = 20000

// maxListeners bounds the server's listeners where the system's backlog is
// small (macOS's 128 would otherwise ask for 157).
const maxListeners = 256

// Accept backoff after a temporary error, as net/http's Server does.
const (
	acceptBackoffMin = 5 * time.Millisecond
	acceptBackoffMax = time.Second
)

// ServeLatency answers requests on every listener in lns until ctx is done:
// each connection may carry several requests, and each request is answered
// after its delay with its reply bytes. Every connection is served
// concurrently.
//
// A temporary Accept error (out of descriptors, EMFILE or ENFILE; out of
// buffers; a connection aborted before it was accepted) does not stop the
// server: that listener retries after a pause that starts at 5 ms and
// doubles up to 1 s, as net/http's Server does, while the connections it
// already has go on and free their descriptors as they end. Only another
// Accept error ends the server, and ServeLatency returns it.
//
// ServeLatency closes every listener and connection, and waits for their
// goroutines, before it returns.
func ServeLatency(ctx context.Context, lns ...net.Listener) error {
	if len(lns) == 0 {
		return errors.New("latency server: no listener")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &latencyServer{conns: map[net.Conn]struct{}{}}
	stop := context.AfterFunc(ctx, func() {
		for _, ln := range lns {
			ln.Close()
		}
		s.closeConns()
	})
	defer stop()
	errs := make([]error, len(lns))
	var accepters sync.WaitGroup
	for i, ln := range lns {
		accepters.Add(1)
		go func() {
			defer accepters.Done()
			if errs[i] = s.acceptLoop(ctx, ln); errs[i] != nil {
				cancel() // a broken listener ends the whole server
			}
		}()
	}
	accepters.Wait()
	cancel()
	for _, ln := range lns {
		ln.Close()
	}
	s.closeConns()
	s.wg.Wait()
	return errors.Join(errs...)
}

// latencyServer is the state that the listeners of one ServeLatency share.
type latencyServer struct {
	wg    sync.WaitGroup // connection goroutines
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// acceptLoop accepts on ln until ctx is done or Accept fails for good.
func (s *latencyServer) acceptLoop(ctx context.Context, ln net.Listener) error {
	var pause time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			if !temporaryAcceptError(err) {
				return fmt.Errorf("accepting on %s: %w", ln.Addr(), err)
			}
			pause = min(max(2*pause, acceptBackoffMin), acceptBackoffMax)
			if sleep(ctx, pause) != nil {
				return nil
			}
			continue
		}
		pause = 0
		s.mu.Lock()
		if ctx.Err() != nil {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			serveConn(ctx, c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

func (s *latencyServer) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// temporaryAcceptError reports whether an Accept error passes by itself:
// the process or system is out of descriptors or buffers for the moment, or
// one connection went away before it was accepted. The listener is fine.
func temporaryAcceptError(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EPROTO, syscall.EPERM, syscall.EINTR,
		syscall.EAGAIN, syscall.ETIMEDOUT} {
		if errors.Is(err, e) {
			return true
		}
	}
	// Windows reports its WSA errors, which the list above does not name;
	// its Errno says which of them are temporary, as net/http asks it.
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

func serveConn(ctx context.Context, c net.Conn) {
	var req [NetRequestSize]byte
	var reply []byte
	for {
		if _, err := io.ReadFull(c, req[:]); err != nil {
			return
		}
		delay := time.Duration(binary.LittleEndian.Uint64(req[0:]))
		n := int(binary.LittleEndian.Uint32(req[8:]))
		seed := binary.LittleEndian.Uint64(req[12:])
		if delay < 0 || delay > maxServerDelay || n > MaxBytes {
			return
		}
		if sleep(ctx, delay) != nil {
			return
		}
		if cap(reply) < n {
			reply = make([]byte, n)
		}
		reply = reply[:n]
		fill(reply, seed)
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

// ServerListeners returns how many listeners the latency server opens:
// enough that their backlogs, each the system's maximum, together queue
// [PendingConns] connections.
func ServerListeners() int {
	b := max(1, listenBacklog())
	return min(maxListeners, (PendingConns+b-1)/b)
}

// ServeLatencyProcess is the latency server role: it listens on
// [ServerListeners] loopback ports, prints their addresses as the first
// line of out, comma-separated, and serves until in reaches its end — which
// happens when the parent closes the pipe or dies.
func ServeLatencyProcess(in io.Reader, out io.Writer) error {
	var lns []net.Listener
	closeAll := func() {
		for _, ln := range lns {
			ln.Close()
		}
	}
	addrs := make([]string, 0, ServerListeners())
	for range ServerListeners() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			closeAll()
			return err
		}
		lns = append(lns, ln)
		addrs = append(addrs, ln.Addr().String())
	}
	if _, err := fmt.Fprintln(out, strings.Join(addrs, ",")); err != nil {
		closeAll()
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, in)
		cancel()
	}()
	return ServeLatency(ctx, lns...)
}

// LatencyServer is a latency server running in a child process.
type LatencyServer struct {
	addr  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan error

	closeOnce sync.Once
	closeErr  error
}

// StartLatencyServer re-executes the current binary as a latency server
// and returns once it listens. The binary must call [ChildMain] first in its
// main or TestMain. env adds variables to the child's environment, such as
// [NofileEnv]. Close stops the server.
func StartLatencyServer(ctx context.Context, env ...string) (*LatencyServer, error) {
	cmd, err := Command(RoleLatencyServer, env...)
	if err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting latency server: %w", err)
	}
	s := &LatencyServer{cmd: cmd, stdin: stdin, done: make(chan error, 1)}
	type line struct {
		s   string
		err error
	}
	got := make(chan line, 1)
	go func() {
		l, err := bufio.NewReader(stdout).ReadString('\n')
		got <- line{l, err}
		io.Copy(io.Discard, stdout) // keep the pipe drained until exit
		s.done <- cmd.Wait()
	}()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	select {
	case l := <-got:
		if l.err != nil {
			s.Close()
			return nil, fmt.Errorf("latency server did not print its address: %w", l.err)
		}
		s.addr = strings.TrimSpace(l.s)
		return s, nil
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	case <-timeout.C:
		s.Close()
		return nil, errors.New("latency server did not start within 10s")
	}
}

// Addr returns the server's addresses, host:port, comma-separated: the
// value of [Env.Addr].
func (s *LatencyServer) Addr() string { return s.addr }

// Listeners returns how many addresses the server listens on.
func (s *LatencyServer) Listeners() int { return strings.Count(s.addr, ",") + 1 }

// PID returns the server process's ID.
func (s *LatencyServer) PID() int { return s.cmd.Process.Pid }

// Close stops the server: it closes its stdin, which makes it exit, and
// kills it if it has not exited within a second. It waits for the process.
// Close is safe to call more than once.
func (s *LatencyServer) Close() error {
	s.closeOnce.Do(func() {
		s.stdin.Close()
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case <-s.done:
		case <-t.C:
			s.cmd.Process.Kill()
			<-s.done
			s.closeErr = errors.New("latency server did not exit on stdin close; killed")
		}
	})
	return s.closeErr
}

// ReplyBytes returns the bytes the latency server sends for a request with
// the given seed and size, so a client can check a reply.
func ReplyBytes(seed uint64, size int) []byte {
	b := make([]byte, size)
	fill(b, seed)
	return b
}
