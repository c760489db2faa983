package bench

import (
	"runtime"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/workloads"
)

// TestInterpPool measures interp-pool's defining properties at GOMAXPROCS
// 2: compute in two interpreters overlaps, compute within one never does,
// every task crossed into its interpreter as bytes and its reply came back
// as bytes, checksums are seq's, and no goroutine outlives Run.
func TestInterpPool(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	cases := []struct {
		name  string
		tasks int
		ops   []workloads.Op
	}{
		{"primes", 8, []workloads.Op{workloads.Compute(workloads.Primes, 40)}},
		{"mixed", 12, []workloads.Op{
			workloads.Compute(workloads.Primes, 20),
			workloads.Sleep(time.Millisecond),
			workloads.Compute(workloads.Hash, 4),
			workloads.Compute(workloads.Gzip, 4),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tasks []workloads.Task
			for i := range c.tasks {
				tasks = append(tasks, workloads.Task{ID: 10 + i, Seed: uint64(i) * 31, Ops: c.ops})
			}
			p := &probe{}
			env := testEnv(t)
			out := runModel(t, NewInterpPool(Config{probe: p}), env, tasks)
			for i, o := range out {
				want, err := workloads.Exec(t.Context(), env, tasks[i])
				if err != nil {
					t.Fatal(err)
				}
				if o.ID != want.ID || o.Sum != want.Sum {
					t.Errorf("task %d: ID %d sum %#x, want ID %d sum %#x", i, o.ID, o.Sum, want.ID, want.Sum)
				}
			}
			units := int64(c.tasks * tasks[0].ComputeUnits())
			if got := p.units.Load(); got != units {
				t.Fatalf("probe saw %d units, want %d", got, units)
			}
			workers := min(executorWorkers(), c.tasks)
			if len(p.children) != workers {
				t.Errorf("%d interpreters, want %d", len(p.children), workers)
			}
			var within int64
			for _, w := range p.children {
				within = max(within, w.max.Load())
			}
			t.Logf("max overlap across interpreters %d, within one %d; codec: tasks %d/%d, replies %d/%d",
				p.max.Load(), within, p.tasksEncoded.Load(), p.tasksDecoded.Load(), p.repliesEncoded.Load(), p.repliesDecoded.Load())
			if got := p.max.Load(); got < 2 {
				t.Errorf("compute overlapped %d at once across interpreters, want ≥ 2", got)
			}
			if within != 1 {
				t.Errorf("compute overlapped %d at once within one interpreter, want exactly 1", within)
			}
			n := int64(c.tasks)
			for what, got := range map[string]int64{
				"tasks encoded": p.tasksEncoded.Load(), "tasks decoded in a worker": p.tasksDecoded.Load(),
				"replies encoded in a worker": p.repliesEncoded.Load(), "replies decoded": p.repliesDecoded.Load(),
			} {
				if got != n {
					t.Errorf("%s: %d, want %d", what, got, n)
				}
			}
		})
	}
}

// TestInterpPoolSubmitsWhileWorkersRun checks interp-pool's submission, as
// InterpreterPoolExecutor.submit() does it: the workers run before the
// last task is submitted, and each task is encoded under the main
// interpreter's lock. As it submits the last task the submitter waits, up
// to 10 s, for a worker to start one of those submitted before.
func TestInterpPoolSubmitsWhileWorkersRun(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n = 8
	var tasks []workloads.Task
	for i := range n {
		tasks = append(tasks, workloads.Task{ID: i, Seed: uint64(i), Ops: []workloads.Op{workloads.Compute(workloads.Primes, 2)}})
	}
	started := make(chan int, n)
	var unlocked []int // submissions encoded without the main lock held
	var ranFirst bool  // a task ran before the last one was submitted
	p := &probe{onOp: func(id, op int) {
		if op == -1 {
			started <- id
		}
	}}
	p.onSubmit = func(i int, main *gil) {
		main.mu.Lock()
		if !main.locked {
			unlocked = append(unlocked, i)
		}
		main.mu.Unlock()
		if i == n-1 {
			select {
			case <-started:
				ranFirst = true
			case <-time.After(10 * time.Second):
			}
		}
	}
	runModel(t, NewInterpPool(Config{probe: p}), testEnv(t), tasks)
	if !ranFirst {
		t.Error("no task started in 10 s while the last one was being submitted: the workers do not run during submission")
	}
	if len(unlocked) > 0 {
		t.Errorf("tasks %v were encoded without the main interpreter's lock", unlocked)
	}
	if got := p.tasksEncoded.Load(); got != n {
		t.Errorf("%d tasks encoded, want %d", got, n)
	}
}
