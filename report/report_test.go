package report

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"github.com/concbench/concbench/report/internal/testkit"
)

// goldenSets are the result sets whose summary.md and results.csv are
// golden files: testdata/<name>.summary.md and testdata/<name>.results.csv.
var goldenSets = map[string]string{
	"synthetic": "testdata/synthetic",
	"partial":   "testdata/partial",
	"generic":   "testdata/generic.txt",
	"nosweep":   "testdata/nosweep.txt",
	// A real run: make bench PROFILE=smoke on the 2-vCPU EPYC, Python suite included.
	"smoke": "testdata/smoke",
}

// reports caches the report of each golden set: rendering is slow under
// the race detector and several tests look at the same output.
var reports = map[string]string{}

func reportOf(t *testing.T, name string) string {
	t.Helper()
	if dir, ok := reports[name]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "report-"+name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Report(dir, []string{goldenSets[name]}, false, Options{}); err != nil {
		t.Fatalf("Report(%s): %v", goldenSets[name], err)
	}
	reports[name] = dir
	return dir
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	for _, dir := range reports {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func TestGolden(t *testing.T) {
	for name := range goldenSets {
		t.Run(name, func(t *testing.T) {
			dir := reportOf(t, name)
			for _, f := range []string{"summary.md", "results.csv"} {
				got, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				testkit.CheckGolden(t, filepath.Join("testdata", name+"."+f), got)
			}
		})
	}
}

// TestCSVMatchesBenchmath reads the input with benchfmt directly, computes
// each cell's median and interval with benchmath as benchstat does, and
// checks results.csv holds exactly those numbers.
func TestCSVMatchesBenchmath(t *testing.T) {
	dir := reportOf(t, "synthetic")
	set, err := Load([]string{goldenSets["synthetic"]}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	samples := inputSamples(t, filepath.Join(goldenSets["synthetic"], "bench.txt"))
	data, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "machine,benchmark,workload,model,cores,param,unit,median,ci_lo,ci_hi,n" {
		t.Fatalf("header %q", got)
	}
	cellRows, speedupRows := splitRows(t, rows[1:])
	// Every speedup row is a cell of the input's ns/op, and the number the
	// speedup chart draws.
	if len(speedupRows) == 0 {
		t.Error("no speedup rows")
	}
	drawn := map[string]string{}
	for _, w := range a.Workloads {
		for _, sc := range w.Models {
			for _, p := range sc.Points {
				drawn[w.Name+"|"+sc.Model+"|"+strconv.Itoa(p.Cores)] = strconv.FormatFloat(p.Speedup.Value, 'g', 6, 64)
			}
		}
	}
	for _, r := range speedupRows {
		if got, want := r[7], drawn[r[2]+"|"+r[3]+"|"+r[4]]; got != want {
			t.Errorf("speedup row %v: %s, the chart draws %q", r, got, want)
		}
	}
	if len(cellRows) != len(samples) {
		t.Errorf("got %d rows, want %d (one per cell and unit)", len(cellRows), len(samples))
	}
	checked := 0
	for _, row := range cellRows {
		bench, workload, model, cores, param, unit := row[1], row[2], row[3], row[4], row[5], row[6]
		name := bench
		if workload != "" {
			name += "/workload=" + workload
		}
		if param != "" {
			name += "/" + param
		}
		if model != "" {
			name += "/model=" + model
		}
		vals, ok := samples[name+"|"+cores+"|"+unit]
		if !ok {
			// BenchmarkFanout orders workload, tasks, model: rebuild.
			name = bench + "/workload=" + workload + "/" + param + "/model=" + model
			vals, ok = samples[name+"|"+cores+"|"+unit]
		}
		if !ok {
			t.Errorf("row %v: no such cell in the input", row)
			continue
		}
		s := benchmath.NewSample(vals, &benchmath.DefaultThresholds)
		sum := benchmath.AssumeNothing.Summary(s, 0.95)
		f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		want := []string{f(sum.Center), f(sum.Lo), f(sum.Hi), strconv.Itoa(len(vals))}
		if got := row[7:11]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s-%s %s: got %v, want %v", name, cores, unit, got, want)
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("checked only %d rows", checked)
	}
}

func TestChartFiles(t *testing.T) {
	dir := reportOf(t, "synthetic")
	want := []string{"speedup-hash", "speedup-primes", "speedup-gzip", "speedup-sleep", "speedup-net", "speedup-file", "speedup-mix50",
		"mix", "fanout-sleep", "fanout-net", "grain", "overhead", "convoy", "winner-go"}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "charts", name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(filepath.Join(dir, "charts", name+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			w, h := testkit.SVGSize(t, name+".svg", svg)
			testkit.CheckPNG(t, name+".png", data, w, h)
			var series []string
			switch {
			case strings.HasPrefix(name, "speedup-hash"), strings.HasPrefix(name, "speedup-primes"):
				series = append(append(series, testGoModels...), "py-threading", "py-processpool", "ideal")
			case strings.HasPrefix(name, "speedup-"), name == "mix", name == "overhead", name == "convoy":
				series = append(series, testGoModels...)
			case strings.HasPrefix(name, "fanout"):
				series = []string{"goroutines", "eventloop", "py-asyncio", "Little"}
			case name == "grain":
				series = []string{"goroutines", "pool", "procpool", "ideal"}
			case name == "winner-go":
				series = []string{"pool", "goroutines", "hash", "mix50", "parallelism", "concurrency"}
			}
			for _, s := range series {
				if !bytes.Contains(svg, []byte(">"+s)) {
					t.Errorf("%s.svg lacks the series %q", name, s)
				}
			}
		})
	}
}

func TestPages(t *testing.T) {
	dir := reportOf(t, "synthetic")
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Namespace names are URIs, not fetches.
	bare := regexp.MustCompile(`xmlns(:\w+)?="[^"]*"`).ReplaceAll(html, nil)
	for _, bad := range []string{"<script", "http://", "https://", "<img", "<link", "@import"} {
		if bytes.Contains(bare, []byte(bad)) {
			t.Errorf("index.html contains %q: it must be self-contained", bad)
		}
	}
	// 13 charts and a winner map per runtime: Go and the set's CPython.
	if n := bytes.Count(html, []byte("<svg")); n != 15 {
		t.Errorf("index.html has %d inline SVGs, want 15", n)
	}
	for _, s := range []string{"Verdicts", "parallelism wins: pool", "concurrency wins: goroutines", "Go emulation vs CPython", "ci-2cpu", "AMD EPYC 7B13"} {
		if !bytes.Contains(html, []byte(s)) {
			t.Errorf("index.html lacks %q", s)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(md, []byte("](charts/")); n < 14 {
		t.Errorf("summary.md links %d charts, want 14", n)
	}
}

func TestPartialReportSaysWhatIsMissing(t *testing.T) {
	dir := reportOf(t, "partial")
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"BenchmarkGrain | not in the input",
		"BenchmarkCores/workload=hash/model=seq at 1 core | the baseline is missing",
		"Partial: no seq baseline at 1 core",
		"Partial: no procpool",
		"skipped: would take about",
	} {
		if !bytes.Contains(md, []byte(strings.ReplaceAll(s, "_", `\_`))) && !bytes.Contains(md, []byte(s)) {
			t.Errorf("summary.md lacks %q", s)
		}
	}
}

// testGoModels are the Go models the golden sets describe.
var testGoModels = []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "procs", "procpool"}

// inputSamples reads a result file's samples with benchfmt, keyed by
// "name|cores|unit" in the file's original units.
func inputSamples(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	samples := map[string][]float64{}
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		base, parts := res.Name.Parts()
		name, cores := "Benchmark"+string(base), "1"
		for _, p := range parts {
			if p[0] == '-' {
				cores = string(p[1:])
				continue
			}
			name += string(p)
		}
		for _, v := range res.Values {
			unit, val := v.Unit, v.Value
			if v.OrigUnit != "" {
				unit, val = v.OrigUnit, v.OrigValue
			}
			k := name + "|" + cores + "|" + unit
			samples[k] = append(samples[k], val)
		}
	}
	return samples
}

// splitRows splits results.csv's rows (header left out) into the cells'
// rows and the speedups' rows; the predictions' rows come last and are
// checked in heldout_test.go.
func splitRows(t *testing.T, rows [][]string) (cellRows, speedupRows [][]string) {
	t.Helper()
	// The cells' rows, then the speedups', then the predictions' (checked
	// in heldout_test.go).
	cellRows = rows
	for i, row := range cellRows {
		if row[6] == UnitSpeedup || row[6] == UnitPredicted {
			rest := cellRows[i:]
			cellRows = cellRows[:i]
			for j, r := range rest {
				switch {
				case r[6] == UnitSpeedup && (j == 0 || rest[j-1][6] == UnitSpeedup):
					speedupRows = append(speedupRows, r)
				case r[6] != UnitPredicted:
					t.Errorf("row %v after the speedup and prediction rows", r)
				}
			}
			break
		}
	}
	return cellRows, speedupRows
}
