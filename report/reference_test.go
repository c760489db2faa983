package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/report/internal/testkit"
	"github.com/concbench/concbench/report/stats"
)

// The committed reference result sets: real runs, kept as measured.
var referenceSets = []struct{ name, path string }{
	{"h100-16cpu", "../results/h100-16cpu/8eb5ff7-standard/bench.txt"},
	{"epyc-2cpu", "../results/epyc-2cpu/20261124T222228Z/bench.txt"},
	// make bench on the 2-vCPU EPYC after this release's fixes: 5 rounds,
	// 8 adaptive rounds, the CPython suite's 3.
	{"epyc-2cpu-5r", "../results/epyc-2cpu/20261125T120424Z/bench.txt"},
}

// readRounds reads a result file keeping only the runs whose "round:"
// config line is in keep (all runs when keep is nil): a set as if fewer
// rounds had been run.
func readRounds(t testing.TB, path string, keep func(round int) bool) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = append(description(t, path), data...)
	if keep == nil {
		return data
	}
	var out bytes.Buffer
	eachLine(t, path, data, func(round int, line string) {
		if !strings.HasPrefix(line, "Benchmark") || round == 0 || keep(round) {
			out.WriteString(line + "\n")
		}
	})
	return out.Bytes()
}

// eachLine calls f with each line of a result file and the round its
// runs belong to (the last "round:" line before it, 0 before any).
func eachLine(t testing.TB, path string, data []byte, f func(round int, line string)) {
	t.Helper()
	round := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "round: "); ok {
			r, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("%s: bad round line %q", path, line)
			}
			round = r
		}
		f(round, line)
	}
}

// description is the matrix.txt beside a result file, if any: the
// description of a set that predates the matrix-* lines.
func description(t testing.TB, path string) []byte {
	t.Helper()
	d, err := os.ReadFile(filepath.Join(filepath.Dir(path), "matrix.txt"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return d
}

func analyzeBytes(t testing.TB, name string, data []byte) *Analysis {
	t.Helper()
	s, err := LoadBytes(name, data, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// clearCut reports whether some Go model's every sample at k cores beats
// every sample of seq at 1 core by 1.5× or more: a verdict that must be
// decided.
func clearCut(w *Workload, k int) bool {
	if w.Base == nil {
		return false
	}
	seq := w.Base.Samples[UnitTime]
	for _, s := range w.Models {
		p := s.Point(k)
		if s.Family == FamilyBaseline || s.Python || p == nil {
			continue
		}
		if slices.Max(p.Cell.Samples[UnitTime])*1.5 <= slices.Min(seq) {
			return true
		}
	}
	return false
}

func decidedWin(v *Verdict) bool {
	switch v.Gain {
	case GainConcurrency, GainParallelism, GainBoth:
		return true
	}
	return false
}

// checkClearCut fails for every clear-cut cell without a decided verdict,
// and returns how many cells were clear-cut.
func checkClearCut(t *testing.T, label string, a *Analysis) (clear, decided int) {
	t.Helper()
	byKey := map[string]*Verdict{}
	for _, v := range a.Verdicts {
		if v.Runtime.Kind == RuntimeGo {
			byKey[fmt.Sprint(v.Workload, "|", v.Cores)] = v
		}
	}
	for _, w := range a.Workloads {
		for _, k := range a.Cores {
			if !clearCut(w, k) {
				continue
			}
			clear++
			v := byKey[fmt.Sprint(w.Name, "|", k)]
			if v != nil && decidedWin(v) {
				decided++
				continue
			}
			text := "no verdict"
			if v != nil {
				text = a.Text.Verdict(v)
			}
			t.Errorf("%s: %s at %d cores is clear-cut but not decided: %s", label, w.Name, k, text)
		}
	}
	return clear, decided
}

// TestReferenceClearCutDecided: on the committed reference sets, every
// BenchmarkCores workload × core count where some Go model's every sample
// beats every sample of seq at 1 core by 1.5× gets a decided verdict.
func TestReferenceClearCutDecided(t *testing.T) {
	for _, rs := range referenceSets {
		a := analyzeBytes(t, rs.path, readRounds(t, rs.path, nil))
		clear, decided := checkClearCut(t, rs.name, a)
		if clear == 0 {
			t.Errorf("%s: no clear-cut cell: the test checks nothing", rs.name)
		}
		t.Logf("%s: %d of %d clear-cut cells decided", rs.name, decided, clear)
	}
}

// TestQuickSubsetsDecided plays the quick profile's fixed rounds (2) on the
// 16-core machine: each pair of rounds of the reference set is a quick run
// of its own, with that machine's noise. Two rounds decide all but at most
// two clear-cut cells, whose attribution (concurrency or parallelism) then
// needs a round or two more: TestQuickWithAdaptiveRounds.
func TestQuickSubsetsDecided(t *testing.T) {
	rs := referenceSets[0]
	for r := 1; r <= 7; r += 2 {
		label := fmt.Sprintf("%s rounds %d–%d", rs.name, r, r+1)
		a := analyzeBytes(t, label, readRounds(t, rs.path, func(x int) bool { return x == r || x == r+1 }))
		sub := &testing.T{}
		clear, decided := checkClearCut(sub, label, a)
		if decided < clear-2 {
			t.Errorf("%s: %d of %d clear-cut cells decided, want all but at most 2", label, decided, clear)
		}
		t.Logf("%s: %d of %d clear-cut cells decided", label, decided, clear)
	}
}

// adaptiveRound returns the results of one round of the full set for only
// the cells of reruns, as the bench runner appends an adaptive round.
func adaptiveRound(t *testing.T, full []byte, round, label int, reruns []Rerun) []byte {
	t.Helper()
	want := map[string]bool{}
	for _, r := range reruns {
		for _, c := range r.Cells {
			want[goName(c)] = true
		}
	}
	var out bytes.Buffer
	eachLine(t, "the full set", full, func(r int, line string) {
		switch {
		case r != round:
		case strings.HasPrefix(line, "round: "):
			fmt.Fprintf(&out, "round: %d\nadaptive: true\n", label)
		case strings.HasPrefix(line, "Benchmark"):
			if name, _, ok := strings.Cut(line, " "); ok && want[strings.TrimRight(name, "\t")] {
				out.WriteString(line + "\n")
			}
		case strings.HasPrefix(line, "cores: "), strings.HasPrefix(line, "oversubscribed: "):
			out.WriteString(line + "\n")
		}
	})
	return out.Bytes()
}

// TestQuickWithAdaptiveRounds plays make bench PROFILE=quick on the 16-core
// machine end to end: two rounds, then adaptive rounds of only the cells
// the report leaves undecided (taken from the set's other rounds), as
// bench.sh runs them. Every clear-cut cell is decided within four looks,
// with α divided by the looks.
func TestQuickWithAdaptiveRounds(t *testing.T) {
	if testing.Short() {
		t.Skip("four slices, each analysed up to five times")
	}
	rs := referenceSets[0]
	full := readRounds(t, rs.path, nil)
	for r := 1; r <= 7; r += 2 {
		label := fmt.Sprintf("%s rounds %d–%d", rs.name, r, r+1)
		data := readRounds(t, rs.path, func(x int) bool { return x == r || x == r+1 })
		a := analyzeBytes(t, label, data)
		looks := 0
		for src := 1; src <= 8 && looks < 4; src++ {
			if src == r || src == r+1 {
				continue
			}
			// The Go runner's adaptive rounds: the CPython suite re-runs
			// its own cells.
			var reruns []Rerun
			for _, r := range a.Undecided(8) {
				r.Cells = slices.DeleteFunc(r.Cells, func(c *Cell) bool { return a.M.IsPython(c.Model()) })
				if len(r.Cells) > 0 {
					reruns = append(reruns, r)
				}
			}
			if len(reruns) == 0 {
				break
			}
			looks++
			data = append(data, adaptiveRound(t, full, src, 8+looks, reruns)...)
			a = analyzeBytes(t, label, data)
			if a.Set.Looks != looks {
				t.Fatalf("%s: the set counts %d adaptive looks, want %d", label, a.Set.Looks, looks)
			}
		}
		clear, decided := checkClearCut(t, label+fmt.Sprintf(" + %d adaptive", looks), a)
		t.Logf("%s + %d adaptive rounds: %d of %d clear-cut cells decided", label, looks, decided, clear)
	}
}

// writeSet writes cells as a benchfmt file, every sample a line, with the
// given values per cell (nil: the cell's own).
func writeSet(desc []byte, machine string, cpus int, cells []*Cell, values func(c *Cell) []float64) []byte {
	var b bytes.Buffer
	b.Write(desc)
	fmt.Fprintf(&b, "machine: %s\ncpus: %d\n", machine, cpus)
	for _, c := range cells {
		vs := c.Samples[UnitTime]
		if values != nil {
			if v := values(c); v != nil {
				vs = v
			}
		}
		for _, v := range vs {
			fmt.Fprintf(&b, "%s 1 %.0f ns/op\n", goName(c), v)
		}
	}
	return b.Bytes()
}

// TestAAReference: an A/A set built from the 16-core set — every Go
// model's ns/op samples, at every core count, drawn (with replacement)
// from seq's own at 1 core — has no winner, whatever the draw.
func TestAAReference(t *testing.T) {
	rs := referenceSets[0]
	ref := analyzeBytes(t, rs.name, readRounds(t, rs.path, nil))
	var cells []*Cell
	for _, c := range ref.Set.Cells {
		if c.Bench == BenchCores && !ref.M.IsPython(c.Model()) {
			cells = append(cells, c)
		}
	}
	seeds := uint64(20)
	if testing.Short() {
		seeds = 3
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		data := writeSet(description(t, rs.path), "aa", 16, cells, func(c *Cell) []float64 {
			if c.Model() == "seq" && c.Cores == 1 {
				return nil
			}
			seq := ref.cell(BenchCores, 1, "workload", c.Workload(), "model", "seq").Samples[UnitTime]
			out := make([]float64, len(c.Samples[UnitTime]))
			for i := range out {
				out[i] = seq[rng.IntN(len(seq))]
			}
			return out
		})
		a := analyzeBytes(t, "aa", data)
		for _, v := range a.Verdicts {
			if v.Winner != "" || decidedWin(v) {
				t.Errorf("seed %d: A/A verdict with a winner: %s", seed, a.Text.Verdict(v))
			}
		}
		for _, c := range a.Claims.All() {
			if c.Outcome == stats.Faster || c.Outcome == stats.Slower {
				t.Errorf("seed %d: A/A claim decided %v: %s %.3g× [%.3g, %.3g]", seed, c.Outcome, c.Family, c.Ratio, c.Lo, c.Hi)
			}
		}
	}
}

// TestKnownEffectVerdicts: a large known effect at n = 3 is always decided
// and attributed. On the 16-core set cut to its first three rounds, every
// Go model at every core count gets seq's own 1-core samples halved: a
// pure 2× at 1 core and no gain from more cores, with the machine's noise.
// Every verdict must read "concurrency wins" with 2.00×, and claim no
// parallel gain.
func TestKnownEffectVerdicts(t *testing.T) {
	rs := referenceSets[0]
	ref := analyzeBytes(t, rs.name, readRounds(t, rs.path, func(r int) bool { return r <= 3 }))
	var cells []*Cell
	for _, c := range ref.Set.Cells {
		if c.Bench == BenchCores && !ref.M.IsPython(c.Model()) {
			cells = append(cells, c)
		}
	}
	data := writeSet(description(t, rs.path), "known", 16, cells, func(c *Cell) []float64 {
		if c.Model() == "seq" {
			return nil
		}
		seq := ref.cell(BenchCores, 1, "workload", c.Workload(), "model", "seq").Samples[UnitTime]
		out := make([]float64, len(seq))
		for i, v := range seq {
			out[i] = v / 2
		}
		return out
	})
	a := analyzeBytes(t, "known", data)
	goVerdicts := func(vs []*Verdict) int {
		n := 0
		for _, v := range vs {
			if v.Runtime.Kind == RuntimeGo {
				n++
			}
		}
		return n
	}
	if got, want := goVerdicts(a.Verdicts), goVerdicts(ref.Verdicts); got != want {
		t.Fatalf("%d Go verdicts, want %d", got, want)
	}
	for _, v := range a.Verdicts {
		if v.Gain != GainConcurrency || v.Decided.Value < 1.99 || v.Decided.Value > 2.01 {
			t.Errorf("%s at %d: %s, want concurrency wins at 2.00×", v.Workload, v.Cores, a.Text.Verdict(v))
		}
		// No parallel gain is claimed; whether it is within 5% needs more
		// than three samples of this machine's noise.
		if v.Gain != GainConcurrency || (v.Par != nil && v.Par.Outcome == stats.Faster) {
			t.Errorf("%s at %d: gain %q, parallel claim %v; want no parallel gain", v.Workload, v.Cores, v.Gain, v.Par)
		}
	}
}

// TestReferenceGolden pins what the committed reference sets say: every
// verdict, finding and warning (testdata/reference-<name>.txt).
func TestReferenceGolden(t *testing.T) {
	for _, rs := range referenceSets {
		a := analyzeBytes(t, rs.path, readRounds(t, rs.path, nil))
		var b bytes.Buffer
		for _, w := range a.Warnings {
			fmt.Fprintf(&b, "warning: %s\n", w)
		}
		for _, v := range a.Verdicts {
			fmt.Fprintf(&b, "%s.\n", a.Text.Verdict(v))
		}
		for _, f := range a.Findings {
			fmt.Fprintln(&b, f)
		}
		fmt.Fprintf(&b, "%s\n", a.methodText())
		testkit.CheckGolden(t, "testdata/reference-"+rs.name+".txt", b.Bytes())
	}
}

// readCSV reads a CSV file's rows, header included.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// csvRuntime is the runtime of a results.csv model, read from its name
// alone: "go" for Go's native models, the interpreter's tag for a tagged
// py-* model, untagged for one from before the tags, and "" for seq,
// py-seq and Go's emulations of CPython, which no answer ranks.
func csvRuntime(model, untagged string) string {
	switch {
	case model == "seq" || strings.HasPrefix(model, "py-seq"):
		return ""
	case slices.Contains([]string{"gil-threads", "gil-pool", "interp-pool"}, model):
		return ""
	case !strings.HasPrefix(model, "py-"):
		return "go"
	}
	_, tag, ok := strings.Cut(model, "@")
	if !ok {
		return untagged
	}
	tag, _, _ = strings.Cut(tag, "-")
	return tag
}

// TestVerdictsPerRuntime is issue 26's check on the committed sets: the
// report writes verdicts.csv with one answer per runtime, each decided
// verdict's winner is its runtime's fastest model by the set's own
// speedup rows in results.csv, and no Go verdict names an emulation of
// CPython.
func TestVerdictsPerRuntime(t *testing.T) {
	for _, tc := range []struct {
		dir      string
		untagged string // the runtime of untagged py-* models
		runtimes []string
		cores    []int
	}{
		{"../results/epyc-2cpu/20261204T154042Z", "", []string{"go", "3.11", "3.14"}, []int{1, 2}},
		{"../results/h100-16cpu/8eb5ff7-standard", "3.12", []string{"go", "3.12"}, []int{1, 2, 4, 8, 16}},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			if testing.Short() && strings.Contains(tc.dir, "16cpu") {
				t.Skip("the 16-core set takes a while")
			}
			out := t.TempDir()
			if _, err := Report(out, []string{filepath.Join(tc.dir, "bench.txt")}, false, Options{}); err != nil {
				t.Fatal(err)
			}
			rows := readCSV(t, filepath.Join(out, "verdicts.csv"))
			if got := strings.Join(rows[0], ","); got != strings.Join(VerdictsHeader, ",") {
				t.Fatalf("verdicts.csv header %q", got)
			}
			// The fastest model of each runtime, workload and core count,
			// by results.csv's speedup rows.
			type key struct {
				runtime, workload string
				cores             int
			}
			fastest, top := map[key]string{}, map[key]float64{}
			for _, r := range readCSV(t, filepath.Join(out, "results.csv"))[1:] {
				rt := csvRuntime(r[3], tc.untagged)
				if r[1] != BenchCores || r[6] != UnitSpeedup || rt == "" {
					continue
				}
				k, _ := strconv.Atoi(r[4])
				v, err := strconv.ParseFloat(r[7], 64)
				if err != nil {
					t.Fatal(err)
				}
				if x := (key{rt, r[2], k}); v > top[x] {
					fastest[x], top[x] = r[3], v
				}
			}
			var runtimes []string
			cores := map[int]bool{}
			decided := 0
			for _, r := range rows[1:] {
				rt, workload, word, winner := r[0], r[1], r[4], r[5]
				k, _ := strconv.Atoi(r[3])
				if !slices.Contains(runtimes, rt) {
					runtimes = append(runtimes, rt)
				}
				cores[k] = true
				if rt == "go" && slices.Contains([]string{"gil-threads", "gil-pool", "interp-pool"}, winner) {
					t.Errorf("go, %s at %d cores: the winner is %s, an emulation of CPython", workload, k, winner)
				}
				if !slices.Contains([]string{WordConcurrency, WordParallelism, WordBoth}, word) {
					continue
				}
				decided++
				if want := fastest[key{rt, workload, k}]; winner != want {
					t.Errorf("%s, %s at %d cores: %s names %s, the fastest by results.csv is %s", rt, workload, k, word, winner, want)
				}
				if csvRuntime(winner, tc.untagged) != rt {
					t.Errorf("%s, %s at %d cores: the winner %s is not one of the runtime's models", rt, workload, k, winner)
				}
			}
			if !slices.Equal(runtimes, tc.runtimes) {
				t.Errorf("verdicts.csv has runtimes %v, want %v", runtimes, tc.runtimes)
			}
			for _, k := range tc.cores {
				if !cores[k] {
					t.Errorf("verdicts.csv has no verdict at %d cores", k)
				}
			}
			if decided < 10 {
				t.Errorf("only %d decided verdicts: the check above says little", decided)
			}
			t.Logf("%d verdicts, %d decided, runtimes %v", len(rows)-1, decided, runtimes)
		})
	}
}
