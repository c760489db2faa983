package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/report/compare"
)

// The README's figures come from the committed reference sets' results.csv,
// never typed by hand: each block between <!-- figures:NAME --> and
// <!-- /figures:NAME --> is generated here, and this test fails when the
// README and the CSV disagree (go test ./cmd/concbench -regen rewrites the
// blocks).
const readmePath = "../../README.md"

// readmeSets are the reference sets the README quotes.
var readmeSets = map[string]string{
	"2cpu":  "../../results/epyc-2cpu/20261204T154042Z/results.csv",
	"16cpu": "../../results/h100-16cpu/8eb5ff7-standard/results.csv",
}

// csvCell is results.csv keyed by benchmark|workload|model|cores|param|unit.
type csvCell map[string]float64

func readCSV(t *testing.T, path string) csvCell {
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
	out := csvCell{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[7], 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out[strings.Join([]string{r[1], r[2], r[3], r[4], r[5], r[6]}, "|")] = v
	}
	return out
}

func (c csvCell) get(bench, workload, model string, cores int, param, unit string) float64 {
	v, ok := c[strings.Join([]string{bench, workload, model, strconv.Itoa(cores), param, unit}, "|")]
	if !ok {
		return math.NaN()
	}
	return v
}

var readmeModels = []string{"goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "interp-pool", "procs", "procpool"}

func fx(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v >= 10:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func dur(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "—"
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

// speedupTable: per BenchmarkCores workload, seq's makespan at 1 core and
// each model's speedup over it at the given core counts, as the report
// estimates it (the speedup rows: ratios of geometric means); a set from
// before the report wrote them falls back to the ratio of medians.
func speedupTable(c csvCell, cores []int) string {
	var b strings.Builder
	head := "| workload | seq, 1 core |"
	sep := "|---|---|"
	for _, m := range readmeModels {
		head += " " + m + " |"
		sep += "---|"
	}
	b.WriteString(head + "\n" + sep + "\n")
	workloads := map[string]bool{}
	for k := range c {
		f := strings.Split(k, "|")
		if f[0] == "BenchmarkCores" && f[5] == "ns/op" {
			workloads[f[1]] = true
		}
	}
	order := []string{"hash", "primes", "gzip", "sleep", "net", "file", "mix50"}
	for _, w := range order {
		if !workloads[w] {
			continue
		}
		seq := c.get("BenchmarkCores", w, "seq", 1, "", "ns/op")
		fmt.Fprintf(&b, "| %s | %s |", w, dur(seq))
		for _, m := range readmeModels {
			var parts []string
			for _, k := range cores {
				parts = append(parts, fx(c.speedup(w, m, k)))
			}
			fmt.Fprintf(&b, " %s |", strings.Join(parts, " / "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// speedup is model m's speedup on workload w at k cores over its
// baseline at 1 core: the report's speedup row, else (an older set) the
// ratio of medians over seq.
func (c csvCell) speedup(w, m string, k int) float64 {
	if v := c.get("BenchmarkCores", w, m, k, "", "speedup"); !math.IsNaN(v) {
		return v
	}
	return c.get("BenchmarkCores", w, "seq", 1, "", "ns/op") / c.get("BenchmarkCores", w, m, k, "", "ns/op")
}

// pythonApproaches pairs each Go model with the CPython approach it
// emulates, in the suite's naming (py-APPROACH@TAG).
var pythonApproaches = []struct{ goModel, py string }{
	{"gil-threads", "py-threading@"}, {"gil-pool", "py-threadpool@"}, {"interp-pool", "py-interpreterpool@"},
	{"procpool", "py-processpool@"}, {"procs", "py-multiprocessing@"},
}

// pythonModels lists the set's CPython models that start with prefix, in
// name order (3.11 before 3.14).
func (c csvCell) pythonModels(prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for k := range c {
		f := strings.Split(k, "|")
		if f[0] == "BenchmarkCores" && strings.HasPrefix(f[2], prefix) && !seen[f[2]] {
			seen[f[2]] = true
			out = append(out, f[2])
		}
	}
	sort.Strings(out)
	return out
}

// pythonTable: each Go model beside the CPython models it emulates, their
// parallel gain from 1 to k cores on the CPU-bound workloads.
func pythonTable(c csvCell, k int) string {
	var b strings.Builder
	workloads := []string{"hash", "primes", "gzip"}
	fmt.Fprintf(&b, "| model, gain 1 → %d cores | %s |\n|---|%s\n", k, strings.Join(workloads, " | "), strings.Repeat("---|", len(workloads)))
	for _, a := range pythonApproaches {
		for _, m := range append([]string{a.goModel}, c.pythonModels(a.py)...) {
			fmt.Fprintf(&b, "| %s |", m)
			for _, w := range workloads {
				fmt.Fprintf(&b, " %s |", fx(c.speedup(w, m, k)/c.speedup(w, m, 1)))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// pyStartTable: what starting each CPython executor costs
// (BenchmarkStart), per pool and per worker, and its dispatch cost per
// empty task (BenchmarkOverhead), at each core count.
func pyStartTable(c csvCell, cores []int) string {
	var b strings.Builder
	b.WriteString("| executor | cores | workers | pool start | per worker | per empty task |\n|---|---|---|---|---|---|\n")
	var models []string
	for k := range c {
		f := strings.Split(k, "|")
		if f[0] == "BenchmarkStart" && f[5] == "ns/op" && !slices.Contains(models, f[2]) {
			models = append(models, f[2])
		}
	}
	sort.Strings(models)
	for _, m := range models {
		for _, k := range cores {
			ns, w := c.get("BenchmarkStart", "", m, k, "", "ns/op"), c.get("BenchmarkStart", "", m, k, "", "workers")
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s |\n", m, k, w, dur(ns), dur(ns/w), dur(1e9/c.get("BenchmarkOverhead", "", m, k, "", "tasks/s")))
		}
	}
	return b.String()
}

// overheadTable: dispatch cost per task (1e9 / tasks/s) per model.
func overheadTable(c csvCell, cores []int) string {
	var b strings.Builder
	b.WriteString("| cores |")
	models := append([]string{"seq"}, readmeModels...)
	for _, m := range models {
		b.WriteString(" " + m + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(models)) + "\n")
	for _, k := range cores {
		fmt.Fprintf(&b, "| %d |", k)
		for _, m := range models {
			fmt.Fprintf(&b, " %s |", dur(1e9/c.get("BenchmarkOverhead", "", m, k, "", "tasks/s")))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// fanoutTable: makespan of the largest fanouts per model, and convoy p99.
func fanoutTable(c csvCell, k int) string {
	var b strings.Builder
	models := []string{"seq", "goroutines", "eventloop", "gil-threads", "gil-pool", "procpool"}
	b.WriteString(fmt.Sprintf("| at %d cores |", k))
	for _, m := range models {
		b.WriteString(" " + m + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(models)) + "\n")
	for _, row := range []struct{ w, n string }{{"sleep", "1000"}, {"sleep", "10000"}, {"net", "1000"}, {"net", "10000"}} {
		fmt.Fprintf(&b, "| %s × %s, makespan |", row.n, row.w)
		for _, m := range models {
			fmt.Fprintf(&b, " %s |", dur(c.get("BenchmarkFanout", row.w, m, k, "tasks="+row.n, "ns/op")))
		}
		b.WriteString("\n")
	}
	b.WriteString("| convoy: I/O p99 |")
	for _, m := range models {
		v := c.get("BenchmarkConvoy", "", m, k, "", "p99-ms")
		fmt.Fprintf(&b, " %s |", dur(v*1e6))
	}
	b.WriteString("\n")
	return b.String()
}

// gilRuns are the 2-CPU runs of this release whose threads the README
// compares, in the order they ran.
var gilRuns = []string{
	"../../results/epyc-2cpu/20261204T154042Z/results.csv",
	"../../results/epyc-2cpu/20261204T161056Z/results.csv",
	"../../results/xeon-2cpu/20261207T010908Z/results.csv",
}

// The sets of the README's own-task and own-function examples.
const (
	examplesSet = "../../results/xeon-2cpu/20261207T014429Z/results.csv"
	wordfreqSet = "../../results/xeon-2cpu/20261207T015045Z/results.csv"
)

// gilRunsTable: per run, the parallel gain from 1 to 2 cores on hash and
// primes of goroutines (what the host's second vCPU gave Go), the GIL
// models and CPython's threads.
func gilRunsTable(t *testing.T) string {
	cols := []struct{ w, m string }{
		{"hash", "goroutines"}, {"hash", "gil-threads"}, {"hash", "py-threading@3.11"}, {"hash", "py-threading@3.14"},
		{"primes", "gil-threads"}, {"primes", "py-threading@3.11"}, {"primes", "py-threading@3.14"},
	}
	var b strings.Builder
	b.WriteString("| run |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s, %s |", c.w, c.m)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, path := range gilRuns {
		c := readCSV(t, path)
		fmt.Fprintf(&b, "| %s |", filepath.Base(filepath.Dir(path)))
		for _, col := range cols {
			fmt.Fprintf(&b, " %s |", fx(c.speedup(col.w, col.m, 2)/c.speedup(col.w, col.m, 1)))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// profilesTable: the profiles as bench.Profiles defines them (the one
// place their numbers live), with the wall times measured here (durations
// typed in the README would drift from a run, so they live there, in a
// column of their own after this block).
func profilesTable() string {
	var b strings.Builder
	b.WriteString("| profile | fixed rounds (the CPython suite's) | time per cell | adaptive budget | batches: Cores tasks, largest fanout (CPython's) |\n|---|---|---|---|---|\n")
	for _, p := range bench.Profiles() {
		budget := "none"
		if p.Budget > 0 {
			budget = p.Budget.String()
		}
		fmt.Fprintf(&b, "| `%s` | %d (%d) | %s | %s | %d, %d (%d, %d) |\n", p.Name, p.Rounds, p.PyRounds, p.BenchTime, budget, p.Tasks, p.MaxFanout, p.PyTasks, p.PyMaxFanout)
	}
	return b.String()
}

// readmeBlocks are the generated blocks by name.
func readmeBlocks(t *testing.T) map[string]string {
	two, sixteen := readCSV(t, readmeSets["2cpu"]), readCSV(t, readmeSets["16cpu"])
	return map[string]string{
		"speedup-2cpu":   speedupTable(two, []int{1, 2}),
		"speedup-16cpu":  speedupTable(sixteen, []int{1, 4, 16}),
		"overhead-2cpu":  overheadTable(two, []int{1, 2}),
		"overhead-16cpu": overheadTable(sixteen, []int{1, 16}),
		"fanout-2cpu":    fanoutTable(two, 2),
		"fanout-16cpu":   fanoutTable(sixteen, 16),
		"python-2cpu":    pythonTable(two, 2),
		"pystart-2cpu":   pyStartTable(two, []int{1, 2}),
		"gilruns-2cpu":   gilRunsTable(t),
		"profiles":       profilesTable(),
		"compare-2cpu":   compareLines(t),
		"verdict-16cpu":  verdictLine(t, readmeSets["16cpu"], "Go", "primes (CPU-bound), 16 cores:"),
		"gap-2cpu":       gapLine(t, readmeSets["2cpu"], "| Cores/workload=sleep | 2 | py-threading@3.11 |"),
		"examples-2cpu": verdictLines(t, examplesSet, []string{"Go", "CPython 3.11", "CPython 3.14"},
			"scraper (I/O-bound), 2 cores:", "thumbnailer (CPU-bound), 2 cores:", "transform (CPU-bound), 2 cores:"),
		"wordfreq-2cpu": verdictLines(t, wordfreqSet, []string{"CPython 3.11", "CPython 3.14"}, "wordfreq (CPU-bound), 2 cores:"),
	}
}

// verdictLines are the verdicts of a committed set's summary.md that start
// with each prefix, from each runtime's subsection, as one code block, each
// line led by its runtime.
func verdictLines(t *testing.T, csvPath string, runtimes []string, prefixes ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("```\n")
	for _, p := range prefixes {
		for _, r := range runtimes {
			line := strings.TrimSuffix(strings.TrimPrefix(verdictLine(t, csvPath, r, p), "```\n"), "\n```\n")
			fmt.Fprintf(&b, "%s: %s\n", strings.TrimPrefix(r, "CPython "), line)
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// gapLine is why a committed set's Go-vs-CPython row differs, as its
// summary.md's table says (the row that starts with prefix), quoted.
func gapLine(t *testing.T, csvPath, prefix string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(csvPath), "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			return "> " + cells[len(cells)-1] + "\n"
		}
	}
	t.Fatalf("%s: no Go-vs-CPython row %q", csvPath, prefix)
	return ""
}

// verdictLine is one verdict of a committed set's summary.md, the first
// in the runtime's subsection that starts with prefix, as a code block.
func verdictLine(t *testing.T, csvPath, runtime, prefix string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(csvPath), "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n### "+runtime+"\n")
	if !ok {
		t.Fatalf("%s: no Verdicts subsection %q", csvPath, runtime)
	}
	for _, line := range strings.Split(section, "\n") {
		if text, ok := strings.CutPrefix(line, "- "); ok && strings.HasPrefix(text, prefix) {
			return "```\n" + text + "\n```\n"
		}
	}
	t.Fatalf("%s: no %s verdict starting %q", csvPath, runtime, prefix)
	return ""
}

// compareLines is what make compare prints for the README's two reference
// sets (the 2-CPU set of 20261125T120424Z is the baseline).
func compareLines(t *testing.T) string {
	a, b := "results/epyc-2cpu/20261125T120424Z", "results/h100-16cpu/8eb5ff7-standard"
	cmp, err := compare.Compare([]compare.Input{{Path: "../../" + a}, {Path: "../../" + b}}, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "```\n$ make compare A=%s B=%s\nbaseline: %s (%s)\n", a, b, cmp.Machines[0].Label, a)
	for _, p := range cmp.Pairs {
		fmt.Fprintln(&out, p.Summary())
	}
	out.WriteString("```\n")
	return out.String()
}

func TestReadmeFigures(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t)
	names := make([]string, 0, len(blocks))
	for n := range blocks {
		names = append(names, n)
	}
	sort.Strings(names)
	out := readme
	for _, n := range names {
		open, end := []byte("<!-- figures:"+n+" -->\n"), []byte("<!-- /figures:"+n+" -->")
		i, j := bytes.Index(out, open), bytes.Index(out, end)
		if i < 0 || j < i {
			t.Errorf("README.md has no block %s (between %s and %s)", n, strings.TrimSpace(string(open)), end)
			continue
		}
		got := string(out[i+len(open) : j])
		if got != blocks[n] {
			if !*regen {
				t.Errorf("README.md block %s differs from %s; rerun with -regen:\n got:\n%s\nwant:\n%s", n, filepath.Base(filepath.Dir(readmeSets[n[strings.LastIndex(n, "-")+1:]])), got, blocks[n])
			}
			// A new slice: appending into out[:i] would write readme's
			// bytes too, and the rewrite would compare equal and be lost.
			out = slices.Concat(out[:i+len(open)], []byte(blocks[n]), out[j:])
		}
	}
	if *regen && !bytes.Equal(out, readme) {
		if err := os.WriteFile(readmePath, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
