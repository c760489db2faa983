package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// procChild is a child process of this test process. procChildren, which
// lists them, is in ostest_<os>_test.go.
type procChild struct {
	pid   int
	state byte // R, S, Z, … ('Z' a zombie; Windows has none)
	comm  string
}

// checkNoChildren fails t if this process has a procChild left (a zombie or a
// live one), then kills and reaps them so that one failure does not spill
// into the next test.
func checkNoChildren(t testing.TB) {
	t.Helper()
	kids := procChildren(t)
	for _, c := range kids {
		t.Errorf("procChild process left behind: pid %d (%s) state %c", c.pid, c.comm, c.state)
		killAndReap(c.pid)
	}
}

// assertNoChildren checks, when t ends, even by failing, that no worker
// process is left behind.
func assertNoChildren(t testing.TB) {
	t.Helper()
	checkNoChildren(t) // a leftover from elsewhere is not this test's doing
	t.Cleanup(func() { checkNoChildren(t) })
}

// procCountFDs returns how many file descriptors this process has open, or
// 0 where the system cannot count them (Windows: handle counts move with the
// runtime's own threads and timers), which makes the checks that compare
// counts pass there.
func procCountFDs(t testing.TB) int {
	t.Helper()
	n, err := countFDs()
	if err == errNoFDCount {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// procRunChecked runs m over tasks and checks what every Run must leave
// behind: no procChild process and no extra file descriptor.
func procRunChecked(t *testing.T, ctx context.Context, m Model, env *workloads.Env, tasks []workloads.Task) ([]Outcome, error) {
	t.Helper()
	fds := procCountFDs(t)
	out, err := m.Run(ctx, env, tasks)
	checkNoChildren(t)
	if n := procCountFDs(t); n != fds {
		t.Errorf("%s: %d file descriptors open after Run, %d before", m.Name(), n, fds)
	}
	return out, err
}

// testProcModels returns the process models under test, with options.
func testProcModels(cfg Config, opts procOpts) []Model {
	return []Model{
		&procs{cfg: cfg, opts: opts},
		&procpool{cfg: cfg, opts: opts},
	}
}

func TestProcModelsMatchSeq(t *testing.T) {
	assertNoChildren(t)
	env := testEnv(t)
	specs := []workloads.Spec{
		{Workload: "hash", Tasks: 5, Units: 3},
		{Workload: "primes", Tasks: 5, Units: 3},
		{Workload: "gzip", Tasks: 5, Units: 2},
		{Workload: "sleep", Tasks: 5, Wait: 5 * time.Millisecond},
		{Workload: "net", Tasks: 5, Wait: 2 * time.Millisecond, Bytes: 1000},
		{Workload: "file", Tasks: 5, Bytes: 4096},
		{Workload: "mix", Tasks: 5, CPUPercent: 50, Nominal: 4 * time.Millisecond},
	}
	const workers = 2
	for _, spec := range specs {
		spec.Seed = 42
		tasks, err := workloads.Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]workloads.Result, len(tasks))
		for i, task := range tasks {
			if want[i], err = workloads.Exec(context.Background(), env, task); err != nil {
				t.Fatal(err)
			}
		}
		for _, chunk := range []int{1, 2} {
			var stats procStats
			opts := procOpts{stats: &stats}
			models := testProcModels(Config{Workers: workers, Chunk: chunk}, opts)
			if chunk > 1 {
				models = models[1:] // only procpool chunks
			}
			for _, m := range models {
				t.Run(spec.Workload+"/"+m.Name()+"/chunk="+strconv.Itoa(chunk), func(t *testing.T) {
					start := time.Now()
					out, err := procRunChecked(t, context.Background(), m, env, tasks)
					wall := time.Since(start)
					if err != nil {
						t.Fatal(err)
					}
					procCheckOutcomes(t, out, want, wall)
					pids := map[int]bool{}
					for _, o := range out {
						pids[o.PID] = true
					}
					if pids[os.Getpid()] {
						t.Errorf("a task ran in the parent, pid %d", os.Getpid())
					}
					if stats.maxLive > workers {
						t.Errorf("%d workers alive at once, want at most %d", stats.maxLive, workers)
					}
					switch m.(type) {
					case *procs:
						if len(pids) != len(tasks) || stats.started != len(tasks) {
							t.Errorf("%d tasks ran in %d pids from %d processes, want one fresh process each",
								len(tasks), len(pids), stats.started)
						}
					case *procpool:
						if len(pids) > workers || stats.started > workers {
							t.Errorf("tasks ran in %d pids from %d processes, want at most %d", len(pids), stats.started, workers)
						}
					}
				})
			}
		}
	}
}

// procCheckOutcomes compares outcomes with the results of seq and checks their
// times.
func procCheckOutcomes(t *testing.T, out []Outcome, want []workloads.Result, wall time.Duration) {
	t.Helper()
	if len(out) != len(want) {
		t.Fatalf("%d outcomes, want %d", len(out), len(want))
	}
	for i, o := range out {
		if o.ID != want[i].ID || o.Sum != want[i].Sum {
			t.Errorf("outcome %d: task %d sum %#x, want task %d sum %#x", i, o.ID, o.Sum, want[i].ID, want[i].Sum)
		}
		if o.Start < 0 || o.End < o.Start || o.End > wall {
			t.Errorf("task %d: start %v end %v outside the run's %v", o.ID, o.Start, o.End, wall)
		}
		if o.Elapsed <= 0 || o.Elapsed > o.Span() {
			t.Errorf("task %d: elapsed in worker %v, latency seen by parent %v", o.ID, o.Elapsed, o.Span())
		}
	}
}

func TestProcModelsEmptyBatch(t *testing.T) {
	assertNoChildren(t)
	for _, m := range testProcModels(Config{}, procOpts{}) {
		out, err := procRunChecked(t, context.Background(), m, testEnv(t), nil)
		if err != nil || len(out) != 0 {
			t.Errorf("%s: empty batch gave %v, %v", m.Name(), out, err)
		}
	}
}

func TestProcModelsBoundWorkers(t *testing.T) {
	assertNoChildren(t)
	tasks, err := workloads.Generate(workloads.Spec{Workload: "sleep", Tasks: 12, Wait: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		var stats procStats
		for _, m := range testProcModels(Config{Workers: workers}, procOpts{stats: &stats}) {
			t.Run(m.Name()+"/workers="+strconv.Itoa(workers), func(t *testing.T) {
				out, err := procRunChecked(t, context.Background(), m, testEnv(t), tasks)
				if err != nil {
					t.Fatal(err)
				}
				if stats.maxLive != workers {
					t.Errorf("%d workers alive at once, want %d", stats.maxLive, workers)
				}
				// The sleeps overlap up to the bound, so Outcome intervals do.
				if got := procMaxOverlap(out); got > workers {
					t.Errorf("%d tasks overlapped, want at most %d", got, workers)
				}
			})
		}
	}
}

// procMaxOverlap returns the most outcomes whose [Start, End) intervals
// overlap at one time.
func procMaxOverlap(out []Outcome) int {
	most := 0
	for _, o := range out {
		n := 0
		for _, p := range out {
			if p.Start <= o.Start && o.Start < p.End {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func TestProcDeadline(t *testing.T) {
	o := procOpts{deadlineFloor: time.Second}
	tests := []struct {
		ops  []workloads.Op
		want time.Duration
	}{
		{nil, time.Second},
		{[]workloads.Op{workloads.Sleep(time.Second)}, 11010 * time.Millisecond},
		{[]workloads.Op{workloads.Compute(workloads.Primes, 100)}, 2 * time.Second},
		{[]workloads.Op{workloads.ComputeSized(workloads.Hash, 10, workloads.Hash.DefaultSize()*2)}, 1200 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := o.deadline([]workloads.Task{{Ops: tt.ops}}); got != tt.want {
			t.Errorf("deadline of %v = %v, want %v", tt.ops, got, tt.want)
		}
	}
	if got := (procOpts{}).deadline(nil); got != defaultDeadlineFloor {
		t.Errorf("default deadline floor %v, want %v", got, defaultDeadlineFloor)
	}
}

func TestTaskNames(t *testing.T) {
	tests := []struct {
		ids  []int
		want string
	}{
		{[]int{3}, "task 3"},
		{[]int{4, 5, 6}, "tasks 4, 5, 6"},
		{[]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "tasks 0, 1, … 9 (10 tasks)"},
	}
	for _, tt := range tests {
		if got := taskNames(tt.ids); got != tt.want {
			t.Errorf("taskNames(%v) = %q, want %q", tt.ids, got, tt.want)
		}
	}
}

func TestChildCPU(t *testing.T) {
	assertNoChildren(t)
	// Each task computes for about 100 ms, then sleeps while its worker
	// lives on, so that samples taken in the sleep must see the compute.
	units := int(100*time.Millisecond/workloads.UnitCost(workloads.Primes)) + 1
	const nap = 300 * time.Millisecond
	tasks := []workloads.Task{
		{ID: 0, Seed: 1, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units), workloads.Sleep(nap)}},
		{ID: 1, Seed: 2, Ops: []workloads.Op{workloads.Compute(workloads.Primes, units), workloads.Sleep(nap)}},
	}
	type sample struct {
		at  time.Time
		cpu time.Duration
	}
	for _, m := range testProcModels(Config{Workers: 2}, procOpts{}) {
		t.Run(m.Name(), func(t *testing.T) {
			before := ChildCPU()
			beforeKernel, kernelCounts := childrenRusage()
			ctx, stop := context.WithCancel(context.Background())
			samples := make(chan []sample, 1)
			go func() {
				var s []sample
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				for {
					s = append(s, sample{time.Now(), ChildCPU()})
					select {
					case <-ctx.Done():
						samples <- s
						return
					case <-tick.C:
					}
				}
			}()
			runStart := time.Now()
			out, err := m.Run(context.Background(), testEnv(t), tasks)
			stop()
			s := <-samples
			// Read the kernel's account before checking for children: where
			// that check runs ps (macOS, FreeBSD), ps is a reaped child too.
			afterKernel, _ := childrenRusage()
			used, kernel := ChildCPU()-before, afterKernel-beforeKernel
			checkNoChildren(t)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("workers used %v of CPU (kernel's RUSAGE_CHILDREN: %v); %d samples", used, kernel, len(s))
			// Once every worker is reaped, the account is the kernel's.
			if d := used - kernel; kernelCounts && (d < -time.Millisecond || d > time.Millisecond) {
				t.Errorf("ChildCPU grew by %v, RUSAGE_CHILDREN by %v", used, kernel)
			}
			if used <= 0 {
				t.Errorf("ChildCPU grew by %v over two workers that computed", used)
			}
			for i := 1; i < len(s); i++ {
				if s[i].cpu < s[i-1].cpu {
					t.Errorf("ChildCPU went down from %v to %v", s[i-1].cpu, s[i].cpu)
				}
			}
			if liveCPUTick == 0 {
				return // live workers count nothing here (see ChildCPU)
			}
			// Every worker is alive until the first reply is read, and has
			// done its compute by the time its sleep is half over.
			firstEnd := runStart.Add(min(out[0].End, out[1].End))
			var live *sample
			for i := range s {
				if s[i].at.Before(firstEnd.Add(-nap / 2)) {
					live = &s[i]
				}
			}
			if live == nil {
				t.Fatal("no sample taken while the workers slept")
			}
			if live.cpu-before < liveCPUTick {
				t.Errorf("ChildCPU grew by %v while live workers had computed (they used %v in all): live workers are not counted",
					live.cpu-before, used)
			}
		})
	}
}
