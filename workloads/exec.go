package workloads

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// Env is what the waiting ops need from their surroundings.
type Env struct {
	// Addr is the latency server's address (host:port), or several,
	// comma-separated, of which each Net op dials the one [PickAddr]
	// chooses by the op's seed. Net ops fail without it.
	Addr string
	// Dir holds the temporary files of File ops; empty means os.TempDir().
	Dir string
	// Sleeper, when set, times Sleep ops as precisely as CPython's
	// time.sleep; nil leaves them to Go's timer (see [Sleeper]). The models
	// of package bench set it on a copy, each as the runtime it stands for
	// sleeps; worker processes set it.
	Sleeper *Sleeper
}

// WithSleeper returns a copy of env whose Sleep ops go through s (nil: Go's
// timer). A nil env gives an Env with only the Sleeper set.
func (env *Env) WithSleeper(s *Sleeper) *Env {
	var e Env
	if env != nil {
		e = *env
	}
	e.Sleeper = s
	return &e
}

// Exec runs task t to completion on the calling goroutine, one op after
// another, blocking in every wait. It is the executor of worker processes,
// whose Env has a [Sleeper]. Result.Elapsed is the task's own running time.
func Exec(ctx context.Context, env *Env, t Task) (Result, error) {
	start := time.Now()
	if err := t.Validate(); err != nil {
		return Result{ID: t.ID}, err
	}
	sum := t.StartSum()
	for i, op := range t.Ops {
		var v uint64
		var err error
		if op.Kind == KindCompute {
			v, err = ComputeOp(ctx, op, OpSeed(t.Seed, i))
		} else {
			v, err = env.Do(ctx, op, OpSeed(t.Seed, i))
		}
		if err != nil {
			return Result{ID: t.ID}, fmt.Errorf("task %d op %d %v: %w", t.ID, i, op, err)
		}
		sum = Fold(sum, v)
	}
	return Result{ID: t.ID, Sum: sum, Elapsed: time.Since(start), PID: os.Getpid(), Output: t.NewOutput()}, nil
}

// ComputeOp runs every unit of a compute op and returns the op's value. It
// checks ctx between units, so a long op stops promptly when cancelled.
func ComputeOp(ctx context.Context, op Op, seed uint64) (uint64, error) {
	v := uint64(0)
	for u := 0; u < op.Units; u++ {
		if u&15 == 15 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		v = UnitFold(v, Unit(op.Kernel, op.Size, seed, u))
	}
	return v, nil
}

// UnitFold folds the value of one compute unit into the op's value. A
// scheduler that runs an op's units one by one folds them with it, in order,
// starting from zero, and gets the same value as [ComputeOp].
func UnitFold(v, unit uint64) uint64 { return mix64(v ^ unit) }

// Do runs one waiting op (sleep, net or file) with the given op seed,
// blocking until it completes or ctx is done.
func (env *Env) Do(ctx context.Context, op Op, seed uint64) (uint64, error) {
	if err := op.validate(); err != nil {
		return 0, err
	}
	switch op.Kind {
	case KindSleep:
		var s *Sleeper
		if env != nil {
			s = env.Sleeper
		}
		if err := s.Sleep(ctx, op.D); err != nil {
			return 0, err
		}
		return SleepValue(op), nil
	case KindNet:
		return env.netRoundTrip(ctx, op, seed)
	case KindFile:
		return env.fileRoundTrip(op, seed)
	}
	return 0, fmt.Errorf("op %v does not wait", op)
}

// SleepValue is the value a sleep op yields.
func SleepValue(op Op) uint64 { return uint64(op.D) }

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// netRoundTrip dials the latency server afresh, as a client fetching a URL
// does, sends one request and reads the whole reply.
func (env *Env) netRoundTrip(ctx context.Context, op Op, seed uint64) (uint64, error) {
	if env == nil || env.Addr == "" {
		return 0, errors.New("no latency server address in Env")
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", PickAddr(env.Addr, seed))
	if err != nil {
		return 0, err
	}
	defer c.Close()
	// Unblock the reads below when ctx is cancelled.
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := c.Write(NetRequest(op, seed)); err != nil {
		return 0, ctxErr(ctx, err)
	}
	reply := make([]byte, op.Bytes)
	if _, err := io.ReadFull(c, reply); err != nil {
		return 0, ctxErr(ctx, fmt.Errorf("reading %d-byte reply: %w", op.Bytes, err))
	}
	return NetValue(reply), nil
}

// PickAddr returns the address in the comma-separated list addrs that a
// net op with the given seed connects to: the seed modulo their number, so
// the ops of a batch spread evenly over the latency server's listeners
// (seeds are hashes). It allocates nothing.
func PickAddr(addrs string, seed uint64) string {
	n := strings.Count(addrs, ",") + 1
	if n == 1 {
		return addrs
	}
	for k := AddrIndex(seed, n); k > 0; k-- {
		addrs = addrs[strings.IndexByte(addrs, ',')+1:]
	}
	if i := strings.IndexByte(addrs, ','); i >= 0 {
		addrs = addrs[:i]
	}
	return addrs
}

// AddrIndex returns which of n latency server addresses a net op with the
// given seed connects to; [PickAddr] picks by it.
func AddrIndex(seed uint64, n int) int { return int(seed % uint64(n)) }

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// NetRequestSize is the size of a latency server request.
const NetRequestSize = 20

// NetRequest encodes the request that a net op sends: the delay in
// nanoseconds, the reply size and the seed of the reply's bytes.
func NetRequest(op Op, seed uint64) []byte {
	b := make([]byte, NetRequestSize)
	binary.LittleEndian.PutUint64(b[0:], uint64(op.D))
	binary.LittleEndian.PutUint32(b[8:], uint32(op.Bytes))
	binary.LittleEndian.PutUint64(b[12:], seed)
	return b
}

// NetValue is the value a net op yields for the reply it read.
func NetValue(reply []byte) uint64 {
	h := fnv.New64a()
	h.Write(reply)
	return h.Sum64() ^ uint64(len(reply))
}

// fileRoundTrip writes a task-private temporary file, fsyncs it, reads it
// back and removes it.
func (env *Env) fileRoundTrip(op Op, seed uint64) (v uint64, err error) {
	dir := ""
	if env != nil {
		dir = env.Dir
	}
	f, err := os.CreateTemp(dir, "concbench-*.tmp")
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		os.Remove(f.Name())
	}()
	data := make([]byte, op.Bytes)
	fill(data, seed)
	if _, err := f.Write(data); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	back := make([]byte, op.Bytes)
	if _, err := f.ReadAt(back, 0); err != nil && !(errors.Is(err, io.EOF) && op.Bytes == 0) {
		return 0, fmt.Errorf("reading back: %w", err)
	}
	return FileValue(back), nil
}

// FileValue is the value a file op yields for the bytes it read back.
func FileValue(back []byte) uint64 {
	h := fnv.New64a()
	h.Write(back)
	return h.Sum64() ^ 0xf11e
}
