package workloads

import (
	"fmt"
	"hash/crc32"
	"math/bits"
	"time"
)

// Task is a short program of operations. ID is its index in the batch and
// Seed makes its data deterministic.
type Task struct {
	ID   int
	Seed uint64
	Ops  []Op
	// Input is the data handed to the task where it runs (see [Payload]);
	// the task reads all of it first, folding its CRC-32 into the
	// checksum. Models that run a task in this process pass it by
	// reference, as Go code does; those that run it elsewhere (another
	// process, another interpreter) encode it and send it, as CPython's
	// pools pickle it. Tasks may share one Input and must not modify it.
	Input []byte
	// Output is how many bytes the task hands back when it ends
	// ([Result.Output]).
	Output int
}

// StartSum returns the checksum of the task before its first op: [Start]
// of its seed, with the CRC-32 of its input folded in when it has one.
// Every executor starts a task with it, and reading the input is the
// task's first work.
func (t *Task) StartSum() uint64 {
	sum := Start(t.Seed)
	if len(t.Input) > 0 {
		sum = Fold(sum, PayloadValue(t.Input))
	}
	return sum
}

// NewOutput returns the bytes the task hands back: Output bytes of
// [Payload], nil for none. Every executor makes them anew when the task
// ends, as a real task builds its result.
func (t *Task) NewOutput() []byte {
	if t.Output <= 0 {
		return nil
	}
	return Payload(t.Output)
}

// Payload returns n bytes of deterministic data, a task's input or output:
// the hash kernel's 64 KiB buffer ([HashBuffer]) repeated and cut to n.
// Its CPython counterpart is (buf * (n // 65536 + 1))[:n].
func Payload(n int) []byte {
	p := make([]byte, n)
	buf := HashBuffer()
	for off := 0; off < n; off += len(buf) {
		copy(p[off:], buf)
	}
	return p
}

// PayloadValue is the value a task folds for its input: its CRC-32 (IEEE),
// zlib.crc32 in CPython.
func PayloadValue(p []byte) uint64 { return uint64(crc32.ChecksumIEEE(p)) }

// PayloadReleaseMin is the size over which CPython's zlib.crc32 releases
// the GIL while it reads a buffer (Modules/zlibmodule.c: data.len >
// 1024*5), so that a model emulating the GIL reads a larger input without
// it.
const PayloadReleaseMin = 5 << 10

// Validate reports whether every op of the task is well formed, and its
// input and output sizes.
func (t Task) Validate() error {
	if len(t.Input) > MaxBytes || t.Output < 0 || t.Output > MaxBytes {
		return fmt.Errorf("task %d: input of %d bytes, output of %d (each 0 to %d)", t.ID, len(t.Input), t.Output, MaxBytes)
	}
	for i, op := range t.Ops {
		if err := op.validate(); err != nil {
			return fmt.Errorf("task %d op %d: %w", t.ID, i, err)
		}
	}
	return nil
}

// ComputeUnits returns the total compute units of the task.
func (t Task) ComputeUnits() int {
	n := 0
	for _, op := range t.Ops {
		if op.Kind == KindCompute {
			n += op.Units
		}
	}
	return n
}

// Result is what running a task yields: its checksum, how long it ran where
// it ran, and the process it ran in.
type Result struct {
	ID      int
	Sum     uint64
	Elapsed time.Duration
	PID     int
	// Output is the bytes the task handed back ([Task.NewOutput]); a
	// model that ran it elsewhere received them over its pipe or channel.
	Output []byte
}

// Start returns the checksum of a task before its first op.
func Start(seed uint64) uint64 { return 0xcbf29ce484222325 ^ mix64(seed) }

// Fold folds one op value into a running checksum. The order of values
// matters, so a model that reorders a task's ops is caught.
func Fold(sum, v uint64) uint64 {
	return (bits.RotateLeft64(sum, 23) ^ mix64(v)) * 0x100000001b3
}

// mix64 is splitmix64's finaliser: a cheap, well-spread bijection.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// OpSeed returns the seed of op i of a task, so an op's data does not depend
// on which process or goroutine runs it.
func OpSeed(taskSeed uint64, i int) uint64 { return mix64(taskSeed ^ uint64(i)*0x9e3779b97f4a7c15) }
