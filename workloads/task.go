package workloads

import (
	"fmt"
	"math/bits"
	"time"
)

// Task is a short program of operations. ID is its index in the batch and
// Seed makes its data deterministic.
type Task struct {
	ID   int
	Seed uint64
	Ops  []Op
}

// Validate reports whether every op of the task is well formed.
func (t Task) Validate() error {
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
