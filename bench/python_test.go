package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// TestBuildPython checks the CPython suite's cells against the matrix: the
// same BenchmarkCores (with a task file's workload), BenchmarkFanout and
// BenchmarkOverhead batches at the profile's py-* sizes (mix50 and the task
// file's step sized by time aside, whose units are CPython's), then
// BenchmarkStart for the pools; every model's prediction is PredictWith's
// at the interpreter's costs; and the JSON holds the tasks whole.
func TestBuildPython(t *testing.T) {
	costs := testPythonCosts("3.14")
	costs.Models = append(costs.Models,
		PythonModel{Name: "py-threading@3.14", Counterpart: "gil-threads"},
		PythonModel{Name: "py-threadpool@3.14", Counterpart: "gil-pool"},
		PythonModel{Name: "py-interpreterpool@3.14", Counterpart: "interp-pool", StartNS: 40e6},
		PythonModel{Name: "py-processpool@3.14-forkserver", Counterpart: "procpool", StartNS: 20e6})
	for _, name := range []string{"smoke", "standard"} {
		t.Run(name, func(t *testing.T) {
			p, err := ProfileNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			if p.TaskFiles, err = LoadTaskFiles(p, "../workloads/testdata/tasks/design.toml"); err != nil {
				t.Fatal(err)
			}
			set, err := BuildPython(p, 2, costs)
			if err != nil {
				t.Fatal(err)
			}
			if set.Profile != name || set.Cores != 2 || set.MaxOpNS != int64(p.PyMaxOp) {
				t.Errorf("profile %s, cores %d, max op %v", set.Profile, set.Cores, time.Duration(set.MaxOpNS))
			}
			var want []string
			for _, w := range append(slices.Clone(CoresWorkloads), "scraper") {
				want = append(want, "BenchmarkCores/workload="+w)
			}
			for _, w := range []string{"sleep", "net"} {
				for _, n := range FanoutCounts(p.PyMaxFanout) {
					want = append(want, fmt.Sprintf("BenchmarkFanout/workload=%s/tasks=%d", w, n))
				}
			}
			want = append(want, "BenchmarkOverhead", "BenchmarkStart")
			var names []string
			for _, c := range set.Cells {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, want) {
				t.Fatalf("cells %v, want %v", names, want)
			}
			goCells := map[string][]workloads.Task{}
			sweeps, err := Matrix(p, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sweeps {
				for _, b := range s.Batches {
					goCells["Benchmark"+s.Name+strings.TrimSuffix("/"+b.Parts, "/")] = b.Tasks
				}
			}
			for _, c := range set.Cells {
				switch {
				case c.Start:
					if len(c.Tasks) != 0 {
						t.Errorf("%s: %d tasks", c.Name, len(c.Tasks))
					}
					for _, m := range costs.Models {
						_, ok := c.PredictNS[m.Name]
						if pool := m.Counterpart != "seq" && m.Counterpart != "gil-threads"; ok != pool {
							t.Errorf("%s: %s predicted: %v, want %v (the pools only)", c.Name, m.Name, ok, pool)
						}
					}
					continue
				case strings.HasSuffix(c.Name, "mix50"):
					checkPythonMix(t, c.batch, costs)
				case c.Name == "BenchmarkCores/workload=scraper":
					checkPythonScraper(t, c.batch, goCells[c.Name], costs)
				case c.Name == "BenchmarkOverhead":
					if !reflect.DeepEqual(c.batch, emptyTasks(p.PyOverheadTasks)) {
						t.Errorf("%s: not %d empty tasks (py-overhead-tasks)", c.Name, p.PyOverheadTasks)
					}
				default:
					if !reflect.DeepEqual(c.batch, goCells[c.Name]) {
						t.Errorf("%s: not the matrix's batch", c.Name)
					}
				}
				if c.Name == "BenchmarkCores/workload=hash" && len(c.batch) != p.PyTasks {
					t.Errorf("%s: %d tasks, want py-tasks %d", c.Name, len(c.batch), p.PyTasks)
				}
				for _, m := range costs.Models {
					if got, want := c.PredictNS[m.Name], int64(PredictWith(costs.traits(m), c.batch, 2, costs.unit)); got != want {
						t.Errorf("%s: %s predicted %v, want %v", c.Name, m.Name, time.Duration(got), time.Duration(want))
					}
				}
				var back PythonCell
				if js, err := json.Marshal(c); err != nil {
					t.Fatal(err)
				} else if err := json.Unmarshal(js, &back); err != nil {
					t.Fatal(err)
				}
				if want, err := pythonTasks(c.batch); err != nil || !reflect.DeepEqual(back.Tasks, want) {
					t.Errorf("%s: the JSON's tasks are not the batch's (%v)", c.Name, err)
				}
			}
		})
	}
}

// checkPythonMix checks that a mix50 batch built for CPython keeps the
// nominal split at the interpreter's cost of its small units: about 1 ms
// of compute and 1 ms of sleep a task.
func checkPythonMix(t *testing.T, ts []workloads.Task, costs PythonCosts) {
	t.Helper()
	for _, task := range ts {
		var cpu, wait time.Duration
		for _, op := range task.Ops {
			if op.Kind == workloads.KindCompute {
				if op.Size != pythonMixUnitSize {
					t.Fatalf("mix op %v: want units of %d", op, pythonMixUnitSize)
				}
				cpu += time.Duration(op.Units) * costs.unit(op.Kernel, op.Size)
			} else {
				wait += op.D
			}
		}
		if math.Abs(float64(cpu-time.Millisecond)) > float64(costs.unit(workloads.Primes, pythonMixUnitSize)) || wait != time.Millisecond {
			t.Fatalf("mix task: %v compute, %v sleep; want 1ms each", cpu, wait)
		}
	}
}

// checkPythonScraper checks the task file's batch built for CPython
// against Go's: the same tasks, inputs and outputs, but its compute step
// sized by time ("primes", 2ms) at the interpreter's unit cost.
func checkPythonScraper(t *testing.T, py, gob []workloads.Task, costs PythonCosts) {
	t.Helper()
	if len(py) != len(gob) || len(py) == 0 {
		t.Fatalf("scraper: %d tasks for CPython, %d for Go", len(py), len(gob))
	}
	for i := range py {
		p, g := py[i], gob[i]
		if p.ID != g.ID || p.Seed != g.Seed || !slices.Equal(p.Input, g.Input) || p.Output != g.Output || len(p.Ops) != len(g.Ops) {
			t.Fatalf("scraper task %d: not Go's task", i)
		}
		for j := range p.Ops {
			po, goOp := p.Ops[j], g.Ops[j]
			if j == 1 { // { compute = "primes", time = "2ms" }
				if want := int(math.Round(float64(2*time.Millisecond) / float64(costs.unit(workloads.Primes, 0)))); po.Units != want {
					t.Fatalf("scraper task %d op %d: %d units, want %d (2ms at %v)", i, j, po.Units, want, costs.unit(workloads.Primes, 0))
				}
				po.Units, goOp.Units = 0, 0
			}
			if po != goOp {
				t.Fatalf("scraper task %d op %d: %v, Go's %v", i, j, po, goOp)
			}
		}
	}
	if len(py[0].Input) != 4<<10 || py[0].Output != 16<<10 {
		t.Errorf("scraper: input %d, output %d; want 4 KiB and 16 KiB", len(py[0].Input), py[0].Output)
	}
}

// TestPythonTraits checks what an interpreter's costs change in its
// models' predictions: compute at its unit costs, and its measured starts
// in place of the counterpart's (a thread or a process per task, a
// process or an interpreter per pool worker).
func TestPythonTraits(t *testing.T) {
	costs := testPythonCosts("3.14")
	costs.ThreadNS = 1e5
	batch := make([]workloads.Task, 4)
	for i := range batch {
		batch[i] = workloads.Task{ID: i, Ops: []workloads.Op{workloads.Compute(workloads.Primes, 10)}}
	}
	task := 10 * 350 * time.Microsecond // 10 units at the costs' primes unit
	for _, tc := range []struct {
		m    PythonModel
		want time.Duration
	}{
		{PythonModel{Name: "py-seq@3.14", Counterpart: "seq"}, 4 * task},
		{PythonModel{Name: "py-threading@3.14", Counterpart: "gil-threads"}, 4 * task}, // the GIL: compute one at a time
		{PythonModel{Name: "py-threading@3.14t", Counterpart: "goroutines"}, 2 * task}, // no GIL: two cores
		{PythonModel{Name: "py-multiprocessing@3.14-fork", Counterpart: "procs", StartNS: 5e6}, 2 * (task + 5*time.Millisecond)},
		{PythonModel{Name: "py-processpool@3.14-fork", Counterpart: "procpool", StartNS: 5e6},
			2*5*time.Millisecond + 2*(task+predictPipeTrip)},
		{PythonModel{Name: "py-interpreterpool@3.14", Counterpart: "interp-pool", StartNS: 40e6}, 4*40*time.Millisecond + task},
	} {
		if got := PredictWith(costs.traits(tc.m), batch, 2, costs.unit); (got - tc.want).Abs() > time.Microsecond {
			t.Errorf("%s: %v, want %v", tc.m.Name, got, tc.want)
		}
	}
	// Threads that only wait: the last starts after the others.
	sleeps := make([]workloads.Task, 100)
	for i := range sleeps {
		sleeps[i] = workloads.Task{ID: i, Ops: []workloads.Op{workloads.Sleep(10 * time.Millisecond)}}
	}
	m := PythonModel{Name: "py-threading@3.14", Counterpart: "gil-threads"}
	if got, want := PredictWith(costs.traits(m), sleeps, 2, costs.unit), 20*time.Millisecond; got != want {
		t.Errorf("%s, 100 sleeps of 10ms: %v, want %v (10ms and 100 thread starts of 100µs)", m.Name, got, want)
	}
}

// TestReadPythonCosts checks that costs the suite did not print are refused
// with the reason.
func TestReadPythonCosts(t *testing.T) {
	good := `{"tag": "3.14", "unit_ns": {"hash": 1, "primes": 2, "primes20": 3, "gzip": 4}, "thread_ns": 5,
		"models": [{"name": "py-seq@3.14", "counterpart": "seq", "start_ns": 0}]}`
	if c, err := ReadPythonCosts(strings.NewReader(good), "c.json"); err != nil || c.unit(workloads.Primes, 20) != 3 ||
		c.unit(workloads.Primes, 0) != 2 || c.unit(workloads.Primes, 400) != 4 {
		t.Fatalf("good costs: %+v, %v", c, err)
	}
	for _, tc := range []struct{ in, want string }{
		{`{`, "c.json: reading the CPython suite's costs: unexpected EOF"},
		{strings.Replace(good, `"3.14"`, `""`, 1), "c.json: no tag (is it the output of concbench_py --costs?)"},
		{strings.Replace(good, `"primes20": 3`, `"primes21": 3`, 1), `c.json: unit_ns: no positive cost for "primes20"`},
		{strings.Replace(good, `"counterpart": "seq"`, `"counterpart": "nope"`, 1), `c.json: model py-seq@3.14: counterpart "nope" is not a Go model`},
		{strings.Replace(good, `"start_ns": 0`, `"start_ns": -1`, 1), "c.json: model py-seq@3.14: start_ns -1: negative"},
		{strings.Replace(good, `"models": [{"name": "py-seq@3.14", "counterpart": "seq", "start_ns": 0}]`, `"models": []`, 1), "c.json: no models"},
	} {
		_, err := ReadPythonCosts(strings.NewReader(tc.in), "c.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.in, err, tc.want)
		}
	}
}
