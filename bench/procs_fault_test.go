package bench

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// procWaitForWorkers waits until n worker processes of this test are alive,
// and returns their pids.
func procWaitForWorkers(t *testing.T, n int) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var pids []int
		for _, c := range procChildren(t) {
			if c.state != 'Z' {
				pids = append(pids, c.pid)
			}
		}
		if len(pids) >= n {
			return pids
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("fewer than %d workers started within 10s", n)
	return nil
}

// procRunAsync runs m in a goroutine, so that a test can act on its workers.
// The result arrives on the returned channel with the time Run returned.
type procRunResult struct {
	out []Outcome
	err error
	at  time.Time
}

// If the test ends first, by failing, its cleanup cancels the Run and waits
// for it, so that its workers are gone before assertNoChildren looks.
func procRunAsync(t *testing.T, ctx context.Context, m Model, tasks []workloads.Task) <-chan procRunResult {
	env := testEnv(t)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan procRunResult, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		out, err := m.Run(ctx, env, tasks)
		done <- procRunResult{out, err, time.Now()}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
			t.Errorf("%s: Run did not return within 10s of its cancel", m.Name())
		}
	})
	return done
}

// procAwaitRun waits for an async Run, failing the test if it hangs.
func procAwaitRun(t *testing.T, done <-chan procRunResult, limit time.Duration) procRunResult {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		t.Fatalf("Run did not return within %v", limit)
		return procRunResult{}
	}
}

func procSleepTasks(t *testing.T, n int, d time.Duration) []workloads.Task {
	t.Helper()
	tasks, err := workloads.Generate(workloads.Spec{Workload: "sleep", Tasks: n, Wait: d})
	if err != nil {
		t.Fatal(err)
	}
	return tasks
}

func TestProcWorkerKilled(t *testing.T) {
	assertNoChildren(t)
	for _, m := range testProcModels(Config{Workers: 2}, procOpts{}) {
		t.Run(m.Name(), func(t *testing.T) {
			// Sleeps far longer than the test: only the kill can end them.
			done := procRunAsync(t, context.Background(), m, procSleepTasks(t, 4, time.Minute))
			pids := procWaitForWorkers(t, 2)
			time.Sleep(50 * time.Millisecond) // let the victim read its task
			victim := pids[0]
			if err := killWorker(victim); err != nil {
				t.Fatal(err)
			}
			killed := time.Now()
			r := procAwaitRun(t, done, 10*time.Second)
			t.Logf("Run returned %v after the kill: %v", r.at.Sub(killed), r.err)
			checkNoChildren(t)
			var werr *WorkerError
			if !errors.As(r.err, &werr) {
				t.Fatalf("error %v, want a *WorkerError", r.err)
			}
			if werr.PID != victim || len(werr.Tasks) != 1 || werr.Tasks[0] > 1 {
				t.Errorf("error names pid %d tasks %v, want pid %d and task 0 or 1", werr.PID, werr.Tasks, victim)
			}
			msg := r.err.Error()
			if !strings.HasPrefix(msg, "task ") {
				t.Errorf("error %q does not name the task", msg)
			}
			if !diedOfKill(werr.State, msg) {
				t.Errorf("worker state %v, error %q: want it killed, and the error to say so", werr.State, msg)
			}
		})
	}
}

func TestProcWorkerFaults(t *testing.T) {
	assertNoChildren(t)
	const faulty = 2 // the ID of the task that triggers the fault
	tests := []struct {
		fault string
		chunk int
		is    error  // what the error must wrap
		text  string // what its message must say
	}{
		{"garbage", 1, ErrProtocol, "corrupt"},
		{"truncate", 1, ErrProtocol, "cut short"},
		{"die-after-read", 1, nil, "exited with status 3"},
		{"hang", 1, ErrDeadline, "killed"},
		{"garbage", 2, ErrProtocol, "corrupt"},
		{"hang", 2, ErrDeadline, "killed"},
	}
	const floor = 300 * time.Millisecond
	for _, tt := range tests {
		opts := procOpts{
			deadlineFloor: floor,
			env:           []string{workloads.FaultEnv + "=" + tt.fault + ":" + "2"},
		}
		models := testProcModels(Config{Workers: 2, Chunk: tt.chunk}, opts)
		wantTasks := []int{faulty}
		if tt.chunk > 1 {
			models = models[1:]
			wantTasks = []int{2, 3} // the chunk that holds task 2
		}
		for _, m := range models {
			t.Run(tt.fault+"/"+m.Name()+"/chunk="+string(rune('0'+tt.chunk)), func(t *testing.T) {
				// The other worker is busy when the fault strikes, so it
				// must be stopped too.
				tasks := procSleepTasks(t, 6, 40*time.Millisecond)
				start := time.Now()
				_, err := procRunChecked(t, context.Background(), m, testEnv(t), tasks)
				took := time.Since(start)
				t.Logf("Run returned after %v: %v", took, err)
				var werr *WorkerError
				if !errors.As(err, &werr) {
					t.Fatalf("error %v, want a *WorkerError", err)
				}
				if !slices.Equal(werr.Tasks, wantTasks) {
					t.Errorf("error names tasks %v, want %v", werr.Tasks, wantTasks)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("error %q does not wrap %q", err, tt.is)
				}
				if !strings.Contains(err.Error(), tt.text) {
					t.Errorf("error %q does not say %q", err, tt.text)
				}
				if limit := 5 * time.Second; took > limit {
					t.Errorf("Run took %v, want under %v", took, limit)
				}
			})
		}
	}
}

func TestProcCancel(t *testing.T) {
	assertNoChildren(t)
	for _, m := range testProcModels(Config{Workers: 2}, procOpts{}) {
		t.Run(m.Name(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := procRunAsync(t, ctx, m, procSleepTasks(t, 4, time.Minute))
			procWaitForWorkers(t, 2)
			time.Sleep(20 * time.Millisecond)
			cancelled := time.Now()
			cancel()
			r := procAwaitRun(t, done, 10*time.Second)
			took := r.at.Sub(cancelled)
			t.Logf("cancel to every child killed and reaped: %v", took)
			checkNoChildren(t)
			if !errors.Is(r.err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", r.err)
			}
			if took > 200*time.Millisecond {
				t.Errorf("Run returned %v after cancel, want within 200ms", took)
			}
		})
	}
}

// TestProcCancelWhileStarting cancels while workers are being started and
// stopped as fast as they can, so the cancel lands between a start and its
// registration, or in a reap.
func TestProcCancelWhileStarting(t *testing.T) {
	assertNoChildren(t)
	for _, m := range testProcModels(Config{Workers: 2}, procOpts{}) {
		for _, after := range []time.Duration{0, 3 * time.Millisecond, 15 * time.Millisecond, 40 * time.Millisecond} {
			t.Run(m.Name()+"/after="+after.String(), func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				fds := procCountFDs(t)
				done := procRunAsync(t, ctx, m, make([]workloads.Task, 200))
				time.Sleep(after)
				cancelled := time.Now()
				cancel()
				r := procAwaitRun(t, done, 10*time.Second)
				checkNoChildren(t)
				if n := procCountFDs(t); n != fds {
					t.Errorf("%d file descriptors after Run, %d before", n, fds)
				}
				if r.err != nil && !errors.Is(r.err, context.Canceled) {
					t.Errorf("error %v, want nil or context.Canceled", r.err)
				}
				if took := r.at.Sub(cancelled); took > 200*time.Millisecond {
					t.Errorf("Run returned %v after cancel, want within 200ms", took)
				}
			})
		}
	}
}

func TestProcCancelledBeforeRun(t *testing.T) {
	assertNoChildren(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, m := range testProcModels(Config{}, procOpts{}) {
		if _, err := procRunChecked(t, ctx, m, testEnv(t), procSleepTasks(t, 2, time.Millisecond)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", m.Name(), err)
		}
	}
}

func TestProcTaskError(t *testing.T) {
	assertNoChildren(t)
	// A net op with no latency server address fails in the worker; the
	// error comes back over the pipe and names the task.
	tasks := []workloads.Task{{ID: 0, Ops: nil}, {ID: 1, Ops: []workloads.Op{workloads.Net(0, 1)}}}
	for _, m := range testProcModels(Config{Workers: 1}, procOpts{}) {
		_, err := procRunChecked(t, context.Background(), m, &workloads.Env{Dir: t.TempDir()}, tasks)
		var werr *WorkerError
		if !errors.As(err, &werr) || !slices.Equal(werr.Tasks, []int{1}) || !strings.Contains(err.Error(), "latency server") {
			t.Errorf("%s: error %v, want a WorkerError for task 1 about the latency server", m.Name(), err)
		}
	}
}
