package bench

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// designModels are the model names DESIGN.md fixes, in its order, with
// interp-pool (Python 3.14's InterpreterPoolExecutor) after gil-pool.
var designModels = []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "interp-pool", "procs", "procpool"}

func TestModelNamesAreTheDesigns(t *testing.T) {
	var got []string
	for _, m := range Models(Config{}) {
		got = append(got, m.Name())
	}
	if !slices.Equal(got, designModels) {
		t.Errorf("Models() names = %v, want %v", got, designModels)
	}
}

// TestMatrixNames rebuilds the contract's cell names independently of
// Matrix and checks that the matrix has exactly those, and that no name part
// ends in -<digits>, which benchfmt would read as a GOMAXPROCS suffix.
func TestMatrixNames(t *testing.T) {
	p, _ := ProfileNamed("standard")
	sweeps, err := Matrix(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	add := func(bench, parts string) {
		for _, m := range designModels {
			if parts == "" {
				want = append(want, fmt.Sprintf("Benchmark%s/model=%s", bench, m))
			} else {
				want = append(want, fmt.Sprintf("Benchmark%s/%s/model=%s", bench, parts, m))
			}
		}
	}
	for _, w := range []string{"hash", "primes", "gzip", "sleep", "net", "file", "mix50"} {
		add("Cores", "workload="+w)
	}
	for _, c := range []int{0, 10, 25, 50, 75, 90, 100} {
		add("Mix", fmt.Sprintf("cpu=%d", c))
	}
	for _, w := range []string{"sleep", "net"} {
		for _, n := range []int{1, 10, 100, 1000, 10000} {
			add("Fanout", fmt.Sprintf("workload=%s/tasks=%d", w, n))
		}
	}
	for _, g := range []string{"1us", "10us", "100us", "1ms", "10ms"} {
		add("Grain", "grain="+g)
	}
	add("Overhead", "")
	add("Convoy", "")

	var got []string
	suffix := regexp.MustCompile(`-[0-9]+$`)
	for _, s := range sweeps {
		for _, b := range s.Batches {
			for _, m := range Models(Config{}) {
				name := fmt.Sprintf("Benchmark%s/%s", s.Name, cellName(b.Parts, m.Name()))
				got = append(got, name)
				for _, part := range strings.Split(name, "/") {
					if suffix.MatchString(part) {
						t.Errorf("%s: part %q ends in -<digits>", name, part)
					}
				}
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("matrix cells:\n got %v\nwant %v", got, want)
	}
}

// TestMatrixBatches checks the batches are what the README says: sizes,
// fixed grain total, convoy's observed I/O tasks.
func TestMatrixBatches(t *testing.T) {
	p, _ := ProfileNamed("standard")
	sweeps, err := Matrix(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sweeps {
		for _, b := range s.Batches {
			switch {
			case s.Name == "Cores":
				if len(b.Tasks) != 64 {
					t.Errorf("%s/%s: %d tasks, want 64", s.Name, b.Parts, len(b.Tasks))
				}
			case s.Name == "Mix":
				if len(b.Tasks) != 32 {
					t.Errorf("%s/%s: %d tasks, want 32", s.Name, b.Parts, len(b.Tasks))
				}
			case s.Name == "Grain":
				// Each task's units round to whole units of the kernel,
				// so the total may miss 80 ms by half a unit a task: on a
				// loaded machine a unit can take 70 µs, and 800 tasks of
				// 100 µs become 800 of one or two units.
				var total, slack time.Duration
				for _, task := range b.Tasks {
					for _, op := range task.Ops {
						total += opCost(op)
						slack += opCost(workloads.Op{Kind: op.Kind, Kernel: op.Kernel, Units: 1, Size: op.Size}) / 2
					}
				}
				if want := 80 * time.Millisecond; total < want-slack-want/10 || total > want+slack+want/10 {
					t.Errorf("Grain/%s: total compute %v, want 80ms ± %v (half a unit a task) ± 10%%", b.Parts, total, slack)
				}
			case s.Name == "Convoy":
				observed := 0
				for i := range b.Tasks {
					if b.Observed(i) {
						observed++
						if b.Tasks[i].ComputeUnits() != 0 {
							t.Errorf("convoy task %d is observed but computes", i)
						}
					}
				}
				if observed != convoyIOTasks {
					t.Errorf("convoy observes %d tasks, want %d", observed, convoyIOTasks)
				}
			}
		}
	}
}

// TestPredictSkips checks which cells the 2 s budget skips at 2 cores: the
// absurd ones of DESIGN.md (10000 sleeps in seq), never a Cores or Mix cell.
func TestPredictSkips(t *testing.T) {
	p, _ := ProfileNamed("standard")
	sweeps, err := Matrix(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]bool{}
	for _, s := range sweeps {
		if want := s.Name == "Fanout" || s.Name == "Grain"; s.MaySkip != want {
			t.Errorf("%s: MaySkip %v, want %v: the headline sweeps run every cell", s.Name, s.MaySkip, want)
		}
		for _, b := range s.Batches {
			for _, m := range designModels {
				if s.MaySkip && Predict(m, b.Tasks, 2) > SkipBudget {
					skipped[s.Name+"/"+cellName(b.Parts, m)] = true
				}
			}
		}
	}
	for _, name := range []string{
		"Fanout/workload=sleep/tasks=10000/model=seq",
		"Fanout/workload=sleep/tasks=1000/model=seq",
		"Fanout/workload=net/tasks=10000/model=procs",
		"Grain/grain=1us/model=procs",
	} {
		if !skipped[name] {
			t.Errorf("%s not skipped", name)
		}
	}
	for _, name := range []string{
		"Fanout/workload=sleep/tasks=10000/model=goroutines",
		"Fanout/workload=sleep/tasks=10000/model=eventloop",
		"Fanout/workload=sleep/tasks=100/model=seq",
		"Overhead/model=procs",
	} {
		if skipped[name] {
			t.Errorf("%s skipped, but it fits the budget", name)
		}
	}
	t.Logf("%d cells skipped at 2 cores", len(skipped))
}
