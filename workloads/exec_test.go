package workloads_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

func TestExecOps(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		name    string
		op      workloads.Op
		minTime time.Duration
	}{
		{"hash", workloads.Compute(workloads.Hash, 3), 0},
		{"primes", workloads.Compute(workloads.Primes, 3), 0},
		{"gzip", workloads.Compute(workloads.Gzip, 3), 0},
		{"empty compute", workloads.Compute(workloads.Primes, 0), 0},
		{"sleep", workloads.Sleep(20 * time.Millisecond), 20 * time.Millisecond},
		{"net", workloads.Net(20*time.Millisecond, 1000), 20 * time.Millisecond},
		{"net empty", workloads.Net(0, 0), 0},
		{"file", workloads.File(4096), 0},
		{"file empty", workloads.File(0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := workloads.Task{ID: 7, Seed: 99, Ops: []workloads.Op{tt.op}}
			r1, err := workloads.Exec(context.Background(), env, task)
			if err != nil {
				t.Fatal(err)
			}
			r2, err := workloads.Exec(context.Background(), env, task)
			if err != nil {
				t.Fatal(err)
			}
			if r1.Sum != r2.Sum {
				t.Errorf("same task gave checksums %#x and %#x", r1.Sum, r2.Sum)
			}
			if r1.ID != 7 || r1.PID != os.Getpid() {
				t.Errorf("result ID %d PID %d, want 7 and %d", r1.ID, r1.PID, os.Getpid())
			}
			if r1.Elapsed < tt.minTime {
				t.Errorf("elapsed %v, want at least %v", r1.Elapsed, tt.minTime)
			}
			other := task
			other.Seed = 100
			r3, err := workloads.Exec(context.Background(), env, other)
			if err != nil {
				t.Fatal(err)
			}
			if r3.Sum == r1.Sum {
				t.Errorf("seeds 99 and 100 gave the same checksum %#x", r1.Sum)
			}
		})
	}
}

// TestComputeOpMatchesUnits checks that a scheduler running an op's units one
// by one, folding with UnitFold, gets the executor's value.
func TestComputeOpMatchesUnits(t *testing.T) {
	for _, k := range workloads.Kernels() {
		op := workloads.ComputeSized(k, 5, k.DefaultSize()/3)
		want, err := workloads.ComputeOp(context.Background(), op, 1234)
		if err != nil {
			t.Fatal(err)
		}
		v := uint64(0)
		for u := 0; u < op.Units; u++ {
			v = workloads.UnitFold(v, workloads.Unit(k, op.Size, 1234, u))
		}
		if v != want {
			t.Errorf("%v: unit-by-unit value %#x, ComputeOp %#x", k, v, want)
		}
	}
}

func TestExecErrorsNameTheTask(t *testing.T) {
	tests := []struct {
		name string
		env  *workloads.Env
		op   workloads.Op
		want string
	}{
		{"no server", &workloads.Env{}, workloads.Net(0, 10), "task 3 op 0 net"},
		{"dead server", &workloads.Env{Addr: "127.0.0.1:1"}, workloads.Net(0, 10), "task 3 op 0 net"},
		{"bad dir", &workloads.Env{Dir: "/nonexistent/dir"}, workloads.File(10), "task 3 op 0 file"},
		{"bad kernel", &workloads.Env{}, workloads.Op{Kind: workloads.KindCompute, Kernel: 9}, "task 3 op 0"},
		{"bad kind", &workloads.Env{}, workloads.Op{Kind: 0}, "task 3 op 0"},
		{"negative sleep", &workloads.Env{}, workloads.Sleep(-1), "task 3 op 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workloads.Exec(context.Background(), tt.env, workloads.Task{ID: 3, Ops: []workloads.Op{tt.op}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestExecCancel(t *testing.T) {
	env := testEnv(t)
	for _, op := range []workloads.Op{
		workloads.Sleep(time.Minute),
		workloads.Net(30*time.Second, 10),
		workloads.Compute(workloads.Primes, 1<<30),
	} {
		t.Run(op.Kind.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := workloads.Exec(ctx, env, workloads.Task{Ops: []workloads.Op{op}})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("cancel took %v", d)
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	env := testEnv(t)
	specs := []workloads.Spec{
		{Workload: "hash", Tasks: 3, Units: 2},
		{Workload: "primes", Tasks: 3, Units: 2},
		{Workload: "gzip", Tasks: 3, Units: 2},
		{Workload: "sleep", Tasks: 3, Wait: time.Millisecond},
		{Workload: "net", Tasks: 3, Wait: time.Millisecond, Bytes: 512},
		{Workload: "file", Tasks: 3, Bytes: 512},
		{Workload: "mix", Tasks: 3, CPUPercent: 50, Nominal: 2 * time.Millisecond},
	}
	for _, s := range specs {
		t.Run(s.Workload, func(t *testing.T) {
			a, err := workloads.Generate(s)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := workloads.Generate(s)
			if len(a) != s.Tasks {
				t.Fatalf("%d tasks, want %d", len(a), s.Tasks)
			}
			sums := map[uint64]bool{}
			for i := range a {
				ra, err := workloads.Exec(context.Background(), env, a[i])
				if err != nil {
					t.Fatal(err)
				}
				rb, err := workloads.Exec(context.Background(), env, b[i])
				if err != nil {
					t.Fatal(err)
				}
				if ra.Sum != rb.Sum {
					t.Errorf("task %d: checksums %#x and %#x differ between runs", i, ra.Sum, rb.Sum)
				}
				sums[ra.Sum] = true
			}
			if len(sums) != s.Tasks {
				t.Errorf("%d distinct checksums for %d tasks: seeds do not vary the data", len(sums), s.Tasks)
			}
		})
	}
}

func TestGenerateMixShares(t *testing.T) {
	nominal := 10 * time.Millisecond
	for _, p := range []int{0, 10, 50, 90, 100} {
		ts, err := workloads.Generate(workloads.Spec{Workload: "mix", Tasks: 1, CPUPercent: p, Nominal: nominal})
		if err != nil {
			t.Fatal(err)
		}
		var cpu, wait time.Duration
		for _, op := range ts[0].Ops {
			if op.Kind == workloads.KindCompute {
				cpu += time.Duration(op.Units) * workloads.UnitCost(op.Kernel)
			} else {
				wait += op.D
			}
		}
		share := float64(cpu) / float64(cpu+wait) * 100
		if share < float64(p)-5 || share > float64(p)+5 {
			t.Errorf("mix %d%%: compute share %.1f%% (cpu %v, wait %v)", p, share, cpu, wait)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, s := range []workloads.Spec{
		{Workload: "nope", Tasks: 1},
		{Workload: "hash", Tasks: 1},
		{Workload: "hash", Tasks: -1, Units: 1},
		{Workload: "mix", Tasks: 1, CPUPercent: 101, Nominal: time.Millisecond},
		{Workload: "mix", Tasks: 1, CPUPercent: 50},
		{Workload: "file", Tasks: 1, Bytes: workloads.MaxBytes + 1},
	} {
		if _, err := workloads.Generate(s); err == nil {
			t.Errorf("Generate(%+v) succeeded, want an error", s)
		}
	}
}
