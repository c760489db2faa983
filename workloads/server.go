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
	"time"
)

// maxServerDelay bounds the delay a request may ask for, so a corrupt
// request cannot park a connection forever.
const maxServerDelay = time.Minute

// ServeLatency answers requests on ln until ctx is done: each connection
// may carry several requests, and each request is answered after its delay
// with its reply bytes. Every connection is served concurrently. It closes
// ln and every connection, and waits for their goroutines, before it
// returns.
func ServeLatency(ctx context.Context, ln net.Listener) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
	)
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	defer stop()
	var err error
	for {
		c, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() == nil && !errors.Is(aerr, net.ErrClosed) {
				err = aerr
			}
			break
		}
		mu.Lock()
		if ctx.Err() != nil {
			mu.Unlock()
			c.Close()
			break
		}
		conns[c] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveConn(ctx, c)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
			c.Close()
		}()
	}
	ln.Close()
	mu.Lock()
	for c := range conns {
		c.Close()
	}
	mu.Unlock()
	wg.Wait()
	return err
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

// ServeLatencyProcess is the latency server role: it listens on a loopback
// port, prints the address as the first line of out, and serves until in
// reaches its end — which happens when the parent closes the pipe or dies.
func ServeLatencyProcess(in io.Reader, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(out, ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, in)
		cancel()
	}()
	return ServeLatency(ctx, ln)
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
// main or TestMain. Close stops the server.
func StartLatencyServer(ctx context.Context) (*LatencyServer, error) {
	cmd, err := Command(RoleLatencyServer)
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

// Addr returns the server's host:port.
func (s *LatencyServer) Addr() string { return s.addr }

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
