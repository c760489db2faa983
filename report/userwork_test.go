package report

import (
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func analyzeFile(t *testing.T, path string) *Analysis {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return analyzeBytes(t, path, b)
}

func finding(a *Analysis, prefix string) string {
	i := slices.IndexFunc(a.Findings, func(f string) bool { return strings.HasPrefix(f, prefix) })
	if i < 0 {
		return ""
	}
	return a.Findings[i]
}

// TestUserTask checks issue 27's report on a task file's workload:
// testdata/usertask is the scraper's cells and the Mix sweep of make bench
// PROFILE=smoke CORES=1,2 TASK=examples/tasks/scraper.toml PYTHON_SUITE=0
// (its other benchmarks' cells left out). The scraper waits 30 ms a task
// and computes 0.65 ms: I/O-bound by its steps' times, though its ops are
// of both kinds (matrix-cores says "mixed"), with verdicts, a speedup chart
// and its place on the crossover.
func TestUserTask(t *testing.T) {
	a := analyzeFile(t, "testdata/usertask/bench.txt")
	i := slices.IndexFunc(a.Workloads, func(w *Workload) bool { return w.Name == "scraper" })
	if i < 0 {
		t.Fatal("no scraper workload")
	}
	if k := a.Workloads[i].Kind; k != KindIO {
		t.Errorf("scraper's kind %v, want I/O-bound", k)
	}
	if a.Mix == nil || a.Mix.Cross != CrossProcsOvertake {
		t.Fatalf("the set's Mix sweep: %+v, want processes overtaking", a.Mix)
	}
	f := finding(a, "scraper (task file examples/tasks/scraper.toml): I/O-bound, 2.13% compute (its steps' time alone: 653 µs of compute in 30.7 ms a task), below the ")
	if f == "" || !strings.Contains(f, "% crossover where processes overtake the event loop and GIL threads at 2 cores") {
		t.Errorf("no sentence on the scraper's share and crossover in %q", a.Findings)
	}
	goVerdicts := 0
	for _, v := range a.Verdicts {
		if v.Workload == "scraper" && v.Runtime.Kind == RuntimeGo {
			goVerdicts++
			if !strings.HasPrefix(a.Text.Verdict(v), "scraper (I/O-bound), ") {
				t.Errorf("verdict %q does not give the scraper's kind", a.Text.Verdict(v))
			}
		}
	}
	if goVerdicts != 2 {
		t.Errorf("%d Go verdicts on the scraper, want one per core count (2)", goVerdicts)
	}
	checkSpeedupChart(t, a, "scraper")
}

// TestUserFunction checks issue 28's report on a function's set:
// testdata/userfunc is make bench-python PROFILE=smoke CORES=1,2
// FUNC=scripts/pyref/examples/wordfreq.py:wordfreq
// ARGS=scripts/pyref/examples/wordfreq.json, its func: line made relative.
// It holds CPython's models only: they are decided against py-seq@3.11,
// drawn, and mapped, with no Go runtime; the function's CPU share on
// py-seq at 1 core (0.687) gives its kind; py-asyncio's skip says why.
func TestUserFunction(t *testing.T) {
	a := analyzeFile(t, "testdata/userfunc/bench.txt")
	var names []string
	for _, r := range a.Answers() {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"3.11"}) {
		t.Errorf("runtimes answered: %q, want 3.11 only", names)
	}
	if len(a.Verdicts) != 2 {
		t.Errorf("%d verdicts, want 2 (3.11 at 1 and 2 cores)", len(a.Verdicts))
	}
	for _, v := range a.Verdicts {
		if v.Baseline != "py-seq@3.11" || v.Kind != KindMixed {
			t.Errorf("verdict at %d cores: baseline %q, kind %v; want py-seq@3.11, mixed", v.Cores, v.Baseline, v.Kind)
		}
	}
	want := "wordfreq (function scripts/pyref/examples/wordfreq.py:wordfreq): mixed, 68.7% compute (CPU time over wall time, measured on this set's py-seq@3.11 at 1 core: 68.7%); the set has no Mix benchmark, so no crossover to place it on."
	if f := finding(a, "wordfreq ("); f != want {
		t.Errorf("the function's sentence:\n got %q\nwant %q", f, want)
	}
	asyncio := 0
	for _, m := range a.Missing {
		if strings.Contains(m.What, "model= ") {
			t.Errorf("missing %q: a function's set has no Go baseline to miss", m.What)
		}
		if strings.Contains(m.What, "model=py-asyncio@3.11") && strings.Contains(m.Why, "is not a coroutine function") {
			asyncio++
		}
	}
	if asyncio != 2 {
		t.Errorf("py-asyncio's skip at %d core counts in Missing, want 2: %v", asyncio, a.Missing)
	}
	checkSpeedupChart(t, a, "wordfreq")
	var winners []string
	for _, c := range a.Charts() {
		if strings.HasPrefix(c.File, "winner-") {
			winners = append(winners, c.File)
		}
	}
	if !slices.Equal(winners, []string{"winner-3.11"}) {
		t.Errorf("winner maps %q, want winner-3.11 only", winners)
	}
}

// checkSpeedupChart checks that a workload's speedup chart is drawn, not
// left empty for want of a baseline.
func checkSpeedupChart(t *testing.T, a *Analysis, w string) {
	t.Helper()
	for _, c := range a.Charts() {
		if c.File != "speedup-"+w {
			continue
		}
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(svg), "no seq baseline") {
			t.Errorf("%s: drawn empty", c.File)
		}
		return
	}
	t.Errorf("no speedup chart for %s", w)
}

func TestTaskTimes(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name, groups   string
		units          map[string]float64
		compute, total time.Duration
		ok             bool
	}{
		{"units at the set's costs", "2×[in 0B, out 2KiB: net(20ms, 32KiB) compute(primes×8 for 500µs)]",
			map[string]float64{"primes": 100e3}, 2 * 800 * time.Microsecond, 2 * (20*ms + 800*time.Microsecond), true},
		{"the time asked without costs", "2×[in 0B, out 2KiB: net(20ms, 32KiB) compute(primes×8 for 500µs)]",
			nil, ms, 2 * (20*ms + 500*time.Microsecond), true},
		{"groups and a sleep", "1×[in 4KiB, out 0B: compute(hash×10)] 3×[in 0B, out 0B: sleep(5ms)]",
			map[string]float64{"hash": 1e5}, ms, ms + 15*ms, true},
		{"a file step counts no time", "4×[in 0B, out 0B: file(64KiB) compute(gzip×1)]",
			map[string]float64{"gzip": 1e6}, 4 * ms, 4 * ms, true},
		{"a compute step of unknown time", "1×[in 0B, out 0B: compute(hash×10) net(1ms, 1KiB)]", nil, 0, 0, false},
		{"no groups", "garbage", nil, 0, 0, false},
	} {
		c, tot, ok := taskTimes(tc.groups, tc.units)
		if c != tc.compute || tot != tc.total || ok != tc.ok {
			t.Errorf("%s: %v of %v, %v; want %v of %v, %v", tc.name, c, tot, ok, tc.compute, tc.total, tc.ok)
		}
	}
}

func TestUserWorkText(t *testing.T) {
	u := &UserWork{Name: "scraper", From: "task file s.toml", Share: 0.08, ShareFrom: "its steps", Kind: KindIO}
	head := "scraper (task file s.toml): I/O-bound, 8% compute (its steps)"
	for _, tc := range []struct {
		name  string
		share float64
		mix   *Sweep
		want  string
	}{
		{"below", 0.08, &Sweep{Cores: 2, Cross: CrossProcsOvertake, Crossover: 58},
			head + ", below the 58% crossover where processes overtake the event loop and GIL threads at 2 cores"},
		{"above", 0.08, &Sweep{Cores: 8, Cross: CrossConcOvertake, Crossover: 5},
			head + ", above the 5% crossover where the event loop and GIL threads overtake processes at 8 cores"},
		{"no crossover", 0.08, &Sweep{Cores: 2, Cross: CrossProcsEverywhere},
			head + "; no crossover at 2 cores: processes beat the event loop and GIL threads at every compute share, so its share does not change the choice"},
		{"no mix", 0.08, nil, head + "; the set has no Mix benchmark, so no crossover to place it on"},
		{"no share", math.NaN(), nil, "scraper (task file s.toml): I/O-bound; its compute share is not recorded, so it is not placed on the mix crossover"},
	} {
		u.Share = tc.share
		if got := userWorkText(u, tc.mix); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestCPUShareBad checks that a function's CPU share below 0 is an error
// naming its line, and that other keys ending in -py are not read as
// shares.
func TestCPUShareBad(t *testing.T) {
	in := "runner: pyref\ncores: 1\nunit-ns-hash-py: 37514\ncpu-share-f-py: -0.5\nBenchmarkCores/workload=f/model=py-seq@3.11 1 10 ns/op\n"
	_, err := LoadBytes("f.txt", []byte(in), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), `f.txt:4: config cpu-share-f-py: "-0.5" is not a CPU share (CPU seconds over wall seconds, at least 0)`) || strings.Contains(err.Error(), "unit-ns") {
		t.Errorf("Load: %v, want cpu-share-f-py's value refused at line 4, and nothing else", err)
	}
}

// TestCPUShareOverOne checks that a CPU share above 1 (a short batch's CPU
// time is charged in ticks: make test's smoke function read 1.013) is read
// as a baseline that computed all the time it ran, not refused.
func TestCPUShareOverOne(t *testing.T) {
	in := "runner: pyref\ncores: 1\nunit-ns-hash-py: 37514\ncpu-share-f-py: 1.013\nBenchmarkCores/workload=f/model=py-seq@3.11 1 10 ns/op\n"
	s, err := LoadBytes("f.txt", []byte(in), LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.CPUShares) != 1 || s.CPUShares[0].Share != 1 {
		t.Errorf("CPUShares = %+v, want one share of 1", s.CPUShares)
	}
}

// TestUnionEntries checks that a function's set read before the make
// bench set beside it keeps the other's benchmarks and batches.
func TestUnionEntries(t *testing.T) {
	for _, tc := range []struct{ prev, v, want string }{
		{"BenchmarkCores", "BenchmarkCores BenchmarkMix", "BenchmarkCores BenchmarkMix"},
		{"workload=f:16:2ms:cpu:call", "workload=hash:64:1ms:cpu:compute workload=f:16:3ms:mixed:call",
			"workload=f:16:2ms:cpu:call workload=hash:64:1ms:cpu:compute"},
		{"a b", "", "a b"},
	} {
		if got := unionEntries(tc.prev, tc.v); got != tc.want {
			t.Errorf("unionEntries(%q, %q) = %q, want %q", tc.prev, tc.v, got, tc.want)
		}
	}
}
