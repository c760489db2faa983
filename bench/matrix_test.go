package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/montanaflynn/stats"

	"github.com/concbench/concbench/workloads"
)

// The matrix's own test flags; scripts/bench.sh sets them, plain go test
// gets the standard profile.
var (
	profileFlag = flag.String("concbench.profile", "standard", "matrix `profile`: smoke, quick, standard or full")
	listFlag    = flag.Bool("concbench.list", false, "print the name of every matrix cell at GOMAXPROCS=-test.cpu and exit")
	unitNSFlag  = flag.String("concbench.unit-ns", "", "the unit `costs` (KERNEL=NS,…, as concbench task units prints them) that size task files' compute steps given by time; empty: this process's calibration")
	taskFlag    taskFiles
)

func init() {
	flag.Var(&taskFlag, "concbench.task", "a task `file` (TOML) to run as one more BenchmarkCores workload; repeat for several")
}

// taskFiles is the repeatable -concbench.task flag.
type taskFiles []string

func (f *taskFiles) String() string { return strings.Join(*f, ",") }

func (f *taskFiles) Set(v string) error {
	*f = append(*f, v)
	return nil
}

// matrixProfile returns the profile that -concbench.profile names, with
// the task files of -concbench.task, read and checked once.
var matrixProfile = sync.OnceValues(func() (Profile, error) {
	p, err := ProfileNamed(*profileFlag)
	if err != nil {
		return Profile{}, err
	}
	if *unitNSFlag != "" {
		if p.UnitCosts, err = workloads.ParseUnitCosts(*unitNSFlag); err != nil {
			return Profile{}, fmt.Errorf("-concbench.unit-ns: %w", err)
		}
	}
	if len(taskFlag) > 0 {
		if p.TaskFiles, err = LoadTaskFiles(p, taskFlag...); err != nil {
			return Profile{}, err
		}
	}
	return p, nil
})

// The six benchmarks of DESIGN.md §3. Each sub-benchmark runs one whole
// batch per op under one model.

// BenchmarkCores measures speedup against cores per workload: the headline.
func BenchmarkCores(b *testing.B) { runSweep(b, "Cores") }

// BenchmarkMix sweeps each task's compute share from 0 to 100%: where
// concurrency stops helping and parallelism starts.
func BenchmarkMix(b *testing.B) { runSweep(b, "Mix") }

// BenchmarkFanout sweeps the number of concurrent I/O tasks, against
// Little's law.
func BenchmarkFanout(b *testing.B) { runSweep(b, "Fanout") }

// BenchmarkGrain keeps total compute fixed and sweeps task size: where
// per-task overhead eats the parallel gain.
func BenchmarkGrain(b *testing.B) { runSweep(b, "Grain") }

// BenchmarkOverhead runs empty tasks: the dispatch cost per task.
func BenchmarkOverhead(b *testing.B) { runSweep(b, "Overhead") }

// BenchmarkConvoy runs CPU-bound and I/O-bound tasks together; its p50-ms
// and p99-ms are the I/O tasks' latencies (the GIL convoy effect).
func BenchmarkConvoy(b *testing.B) { runSweep(b, "Convoy") }

// sweepCache holds the sweep being benchmarked, per GOMAXPROCS (a -cpu
// list in one process alternates between them), and nothing else.
var sweepCache struct {
	sync.Mutex
	name    string
	byProcs map[int]Sweep
}

func sweepFor(tb testing.TB, name string, procs int) Sweep {
	sweepCache.Lock()
	defer sweepCache.Unlock()
	if sweepCache.name != name {
		sweepCache.name, sweepCache.byProcs = name, map[int]Sweep{}
	}
	if s, ok := sweepCache.byProcs[procs]; ok {
		return s
	}
	p, err := matrixProfile()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := BuildSweep(p, name, procs)
	if err != nil {
		tb.Fatal(err)
	}
	sweepCache.byProcs[procs] = s
	return s
}

// cellName joins a batch's name parts and the model part.
func cellName(parts, model string) string {
	if parts == "" {
		return "model=" + model
	}
	return parts + "/model=" + model
}

func runSweep(b *testing.B, name string) {
	// testing measures a b.Loop benchmark in its first run, which for the
	// first -cpu value happens before testing sets GOMAXPROCS; set it here
	// so every cell runs at the core count its name says.
	procs := firstCPU()
	sweep := sweepFor(b, name, procs)
	for i, batch := range sweep.Batches {
		for _, m := range Models(Config{}) {
			runtime.GOMAXPROCS(procs)
			b.Run(cellName(batch.Parts, m.Name()), func(b *testing.B) {
				// Batches may depend on GOMAXPROCS (Convoy's CPU tasks).
				sw := sweepFor(b, name, runtime.GOMAXPROCS(0))
				runCell(b, m, sw.Batches[i], sw.MaySkip)
			})
		}
	}
}

// firstCPU returns the first count of -test.cpu, or GOMAXPROCS without one.
func firstCPU() int {
	if f := flag.Lookup("test.cpu"); f != nil && f.Value.String() != "" {
		first, _, _ := strings.Cut(f.Value.String(), ",")
		if n, err := strconv.Atoi(strings.TrimSpace(first)); err == nil && n > 0 {
			return n
		}
	}
	return runtime.GOMAXPROCS(0)
}

// warmUpBelow is the predicted batch time under which a cell runs one
// untimed warm-up batch.
const warmUpBelow = 10 * time.Millisecond

// runCell runs one cell: one batch per op, and the metrics of DESIGN.md §3.
func runCell(b *testing.B, m Model, batch Batch, maySkip bool) {
	procs := runtime.GOMAXPROCS(0)
	if p := Predict(m.Name(), batch.Tasks, procs); maySkip && p > SkipBudget {
		cores := "cores"
		if procs == 1 {
			cores = "core"
		}
		skipCell(b, fmt.Sprintf("%s would take about %v per batch of %d tasks at %d %s, over the %v budget",
			m.Name(), p.Round(100*time.Millisecond), len(batch.Tasks), procs, cores, SkipBudget))
	}
	if why := limitSkip(m, batch, procs); why != "" {
		skipCell(b, why)
	}
	if os.Getenv(FailModelEnv) == m.Name() {
		m = failingModel{m}
	}
	env := &workloads.Env{Addr: testServer.Addr(), Dir: b.TempDir()}
	if p := Predict(m.Name(), batch.Tasks, procs); p < warmUpBelow {
		// A batch this short is one op at -benchtime 1x, and its first run
		// pays one-off costs (stacks, channels, page faults) that would be
		// most of it: run it once untimed first, as the Python suite does.
		if _, err := m.Run(b.Context(), env, batch.Tasks); err != nil {
			b.Fatalf("%s: warm-up: %v", m.Name(), err)
		}
	}
	var (
		wall, cpu time.Duration
		ops       int
		lat       []float64
	)
	// ns/op is the batch's makespan: Run's wall time alone. b.Loop's own
	// clock would also count what the loop does around Run (reading the CPU
	// time, collecting latencies), which for 1000 empty tasks is a third of
	// the batch; ns/op × tasks/s must give the batch size in every cell.
	for b.Loop() {
		c0 := processCPU()
		t0 := time.Now()
		outs, err := m.Run(b.Context(), env, batch.Tasks)
		wall += time.Since(t0)
		cpu += processCPU() - c0
		if err != nil {
			b.Fatalf("%s: %v", m.Name(), err)
		}
		ops++
		for i, o := range outs {
			if batch.Observed == nil || batch.Observed(i) {
				lat = append(lat, float64(o.Response())/float64(time.Millisecond))
			}
		}
	}
	if wall <= 0 {
		return
	}
	b.ReportMetric(float64(wall.Nanoseconds())/float64(ops), "ns/op")
	b.ReportMetric(float64(ops*len(batch.Tasks))/wall.Seconds(), "tasks/s")
	if len(lat) > 0 {
		p50, _ := stats.Percentile(lat, 50)
		p99, _ := stats.Percentile(lat, 99)
		b.ReportMetric(p50, "p50-ms")
		b.ReportMetric(p99, "p99-ms")
	}
	b.ReportMetric(float64(cpu)/float64(wall), "cpu-util")
}

// FailModelEnv names a model whose every batch fails in the matrix's
// benchmarks, with an error as a broken model's would be. It is for testing
// that a failing cell fails the run (scripts/bench.sh marks the result set
// failed: true and exits non-zero); nothing else should set it.
const FailModelEnv = "CONCBENCH_FAIL_MODEL"

// failingModel is a model whose Run fails, for FailModelEnv.
type failingModel struct{ Model }

func (f failingModel) Run(context.Context, *workloads.Env, []workloads.Task) ([]Outcome, error) {
	return nil, fmt.Errorf("task 0: failure injected by %s=%s (for tests)", FailModelEnv, f.Name())
}

// skipCell skips a cell and records why as a line the report reads:
// "--- SKIP: <name as its result line would have it>: <reason>". Printed
// inside a -cpu sweep of several counts, the line could land in the middle
// of a result line, so there it goes to stderr only.
func skipCell(b *testing.B, reason string) {
	name := b.Name()
	if procs := runtime.GOMAXPROCS(0); procs > 1 {
		name = fmt.Sprintf("%s-%d", name, procs)
	}
	out := os.Stdout
	if f := flag.Lookup("test.cpu"); f != nil && strings.Contains(f.Value.String(), ",") {
		out = os.Stderr
	}
	fmt.Fprintf(out, "--- SKIP: %s: %s\n", name, reason)
	b.Skip(reason)
}

// listCells prints every cell name at GOMAXPROCS procs, as the result or
// skip line would name it, that -test.bench selects (all without it);
// scripts/bench.sh counts them for its progress.
func listCells(procs int) error {
	p, err := matrixProfile()
	if err != nil {
		return err
	}
	pattern := "."
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		pattern = f.Value.String()
	}
	selected, err := benchMatcher(pattern)
	if err != nil {
		return err
	}
	sweeps, err := Matrix(p, procs)
	if err != nil {
		return err
	}
	suffix := ""
	if procs > 1 {
		suffix = fmt.Sprintf("-%d", procs)
	}
	for _, s := range sweeps {
		for _, batch := range s.Batches {
			for _, m := range Models(Config{}) {
				name := fmt.Sprintf("Benchmark%s/%s", s.Name, cellName(batch.Parts, m.Name()))
				if selected(name) {
					fmt.Printf("%s%s\n", name, suffix)
				}
			}
		}
	}
	return nil
}

// benchMatcher returns a function that reports whether go test -bench
// pattern selects the benchmark (or sub-benchmark) called name, as the
// testing package matches: the pattern is split at each top-level "|" into
// alternatives and at each top-level "/" into one unanchored regular
// expression per level of the name, and a name matches an alternative when
// every level it has matches that level's expression.
func benchMatcher(pattern string) (func(name string) bool, error) {
	var alts [][]*regexp.Regexp
	for _, alt := range splitPattern(pattern, '|') {
		var levels []*regexp.Regexp
		for _, e := range splitPattern(alt, '/') {
			re, err := regexp.Compile(e)
			if err != nil {
				return nil, fmt.Errorf("bench pattern %q: %w", pattern, err)
			}
			levels = append(levels, re)
		}
		alts = append(alts, levels)
	}
	return func(name string) bool {
		parts := strings.Split(name, "/")
	alternatives:
		for _, levels := range alts {
			for i, re := range levels {
				if i < len(parts) && !re.MatchString(parts[i]) {
					continue alternatives
				}
			}
			return true
		}
		return false
	}, nil
}

// splitPattern splits s at every sep outside brackets and parentheses, as
// the testing package splits a -bench pattern.
func splitPattern(s string, sep byte) []string {
	var out []string
	brackets, parens := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			brackets++
		case ']':
			brackets = max(brackets-1, 0)
		case '(':
			if brackets == 0 {
				parens++
			}
		case ')':
			if brackets == 0 {
				parens--
			}
		case '\\':
			i++
		case sep:
			if brackets == 0 && parens == 0 {
				out = append(out, s[:i])
				s, i = s[i+1:], -1
			}
		}
	}
	return append(out, s)
}
