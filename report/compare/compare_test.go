package compare

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/testkit"
	"github.com/concbench/concbench/report/page"
)

const (
	laptopSet = "testdata/compare/laptop"
	serverSet = "testdata/compare/server"
)

// laptopServer compares the two synthetic machines and writes the pages
// into a temporary directory.
func laptopServer(t *testing.T) (*Comparison, string) {
	t.Helper()
	cmp, err := Compare([]Input{{Path: laptopSet}, {Path: serverSet}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := cmp.Write(dir); err != nil {
		t.Fatal(err)
	}
	return cmp, dir
}

// TestCompareGolden checks compare.md for the two synthetic machines of
// testdata/compare against testdata/compare/laptop-server.compare.md.
func TestCompareGolden(t *testing.T) {
	cmp, dir := laptopServer(t)
	got, err := os.ReadFile(filepath.Join(dir, "compare.md"))
	if err != nil {
		t.Fatal(err)
	}
	testkit.CheckGolden(t, "testdata/compare/laptop-server.compare.md", got)

	// The HTML says the same, self-contained: every chart inline, nothing
	// fetched, no script.
	page, err := os.ReadFile(filepath.Join(dir, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	h := string(page)
	for _, bad := range []string{"<script", "src=", "<link", "@import"} {
		if strings.Contains(h, bad) {
			t.Errorf("compare.html contains %q", bad)
		}
	}
	for _, c := range cmp.Charts() {
		if !strings.Contains(h, `<figure id="chart-`+c.File+`"`) {
			t.Errorf("compare.html lacks chart %s", c.File)
		}
		for _, ext := range []string{".svg", ".png"} {
			if _, err := os.Stat(filepath.Join(dir, "charts", c.File+ext)); err != nil {
				t.Errorf("chart file: %v", err)
			}
		}
	}
	for _, want := range []string{"<th>machine</th>", "laptop", "server", "different profiles", "different Go versions", "server lacks 3 cells"} {
		if !strings.Contains(h, want) {
			t.Errorf("compare.html lacks %q", want)
		}
	}
}

// TestCompareKnownAnswer compares a result set with a copy whose every time
// is 1.5× longer: every cell, every table's geomean and the overall
// geomean must read 1.50× and +50.00%, significantly.
func TestCompareKnownAnswer(t *testing.T) {
	slow := testkit.Scaled(t, laptopSet, t.TempDir(), "laptop", 1.5)
	cmp, err := Compare([]Input{{Path: laptopSet}, {Label: "slow", Path: slow}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Pairs) != 1 {
		t.Fatalf("got %d pairs, want 1", len(cmp.Pairs))
	}
	p := cmp.Pairs[0]
	if n := len(p.Rows()); n != 108 {
		t.Errorf("got %d compared cells, want all 108", n)
	}
	if len(p.OnlyBase)+len(p.OnlyOther)+len(p.BaseCores)+len(p.OtherCores) != 0 {
		t.Errorf("cells on one side only: %v %v %v %v", p.OnlyBase, p.OnlyOther, p.BaseCores, p.OtherCores)
	}
	for _, tb := range p.Tables {
		for _, r := range tb.Rows {
			if d := r.Ratio.Value - 1.5; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s %s: ratio %v, want 1.5", tb.Title(), r.Name, r.Ratio.Value)
			}
			if got := r.Ratio.String(); !strings.HasPrefix(got, "1.50× [") {
				t.Errorf("%s %s: ratio reads %q, want 1.50× [...]", tb.Title(), r.Name, got)
			}
			if got := r.Delta(); got != "+50.00% (n=10+10)" {
				t.Errorf("%s %s: change reads %q, want +50.00%% (n=10+10)", tb.Title(), r.Name, got)
			}
			if !r.Slower() || r.Faster() {
				t.Errorf("%s %s: not decidedly slower: %.3g× [%.3g, %.3g]", tb.Title(), r.Name, r.Claim.Ratio, r.Claim.Lo, r.Claim.Hi)
			}
		}
		if got := percent(tb.Geomean()); got != "+50.00%" {
			t.Errorf("%s: geomean %s, want +50.00%%", tb.Title(), got)
		}
		if got := ratioString(tb.Geomean()); got != "1.50×" {
			t.Errorf("%s: geomean %s, want 1.50×", tb.Title(), got)
		}
	}
	if got := ratioString(p.Geomean()); got != "1.50×" {
		t.Errorf("overall geomean %s, want 1.50×", got)
	}
	if n := p.Counts(); n != (RowCounts{Slower: 108}) {
		t.Errorf("counts %+v; want 108 slower", n)
	}
	if want := "slow vs laptop: geomean makespan +50.00% (1.50×) over 108 common cells: 0 faster, 108 slower, 0 within 5%, 0 undecided"; p.Summary() != want {
		t.Errorf("summary\n got: %s\nwant: %s", p.Summary(), want)
	}
	// Each machine is normalised to itself, so the scaled copy's speedups
	// and efficiencies are the original's.
	for _, w := range cmp.Workloads {
		for _, fc := range w.Curves {
			if fc.Machine.Label != "slow" {
				continue
			}
			for _, orig := range w.Curves {
				if orig.Machine.Label != "laptop" || orig.Family != fc.Family {
					continue
				}
				if orig.Model != fc.Model {
					t.Errorf("%s %s: best model %s, original %s", w.Name, fc.Family, fc.Model, orig.Model)
				}
				for i, pt := range fc.Points {
					if d := pt.Speedup.Value/orig.Points[i].Speedup.Value - 1; d > 1e-9 || d < -1e-9 {
						t.Errorf("%s %s at %d: speedup %v, original %v", w.Name, fc.Model, pt.Cores, pt.Speedup.Value, orig.Points[i].Speedup.Value)
					}
				}
			}
		}
	}
	// And the page says it in every table.
	dir := t.TempDir()
	if err := cmp.Write(dir); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "compare.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n, want := strings.Count(string(md), "\n| geomean |"), len(p.Tables); n != want {
		t.Errorf("compare.md has %d geomean rows, want %d", n, want)
	}
	if n := strings.Count(string(md), "| 1.50× | +50.00% |"); n != len(p.Tables) {
		t.Errorf("compare.md has %d geomean rows reading 1.50× +50.00%%, want %d", n, len(p.Tables))
	}
}

func TestCompareErrors(t *testing.T) {
	dir := t.TempDir()
	both := filepath.Join(dir, "both.txt")
	a, _ := os.ReadFile(filepath.Join(laptopSet, "bench.txt"))
	b, _ := os.ReadFile(filepath.Join(serverSet, "bench.txt"))
	if err := os.WriteFile(both, append(a, b...), 0o644); err != nil {
		t.Fatal(err)
	}
	many := make([]Input, MaxCompare+1)
	for i := range many {
		many[i] = Input{Label: fmt.Sprint(i), Path: laptopSet}
	}
	for _, tc := range []struct {
		name   string
		inputs []Input
		input  bool   // the error wraps *InputError
		want   string // in the message
	}{
		{"one input", []Input{{Path: laptopSet}}, false, "compare needs 2 to 20 result sets, got 1"},
		{"too many", many, false, "got 21"},
		{"no common cell", []Input{{Path: laptopSet}, {Path: "../testdata/generic.txt"}}, true,
			"../testdata/generic.txt: no cell (benchmark name and core count with ns/op) in common with laptop (testdata/compare/laptop): nothing to compare"},
		{"missing file", []Input{{Path: laptopSet}, {Path: "testdata/compare/nonexistent"}}, true, "testdata/compare/nonexistent: cannot read"},
		{"bad file", []Input{{Path: laptopSet}, {Path: "../testdata/bad/nan.txt"}}, true, "../testdata/bad/nan.txt:2: non-finite value"},
		{"two machines in one input", []Input{{Path: laptopSet}, {Path: both}}, true, "holds results from 2 machines (laptop, server)"},
		{"same label twice", []Input{{Label: "x", Path: laptopSet}, {Label: "x", Path: serverSet}}, true, `label "x" is already given to testdata/compare/laptop`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmp, err := Compare(tc.inputs, Options{})
			if err == nil {
				t.Fatalf("Compare = %v, want an error", cmp)
			}
			var ie *report.InputError
			if errors.As(err, &ie) != tc.input {
				t.Errorf("error %q: wraps *report.InputError = %v, want %v", err, !tc.input, tc.input)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCompareLabels(t *testing.T) {
	root := t.TempDir()
	stamp1 := testkit.Scaled(t, laptopSet, filepath.Join(root, "results", "laptop", "20250101T000000Z"), "laptop", 1)
	stamp2 := testkit.Scaled(t, laptopSet, filepath.Join(root, "results", "laptop", "20250102T000000Z"), "laptop", 1.1)
	for _, tc := range []struct {
		name   string
		inputs []Input
		want   []string
	}{
		{"machine names", []Input{{Path: laptopSet}, {Path: serverSet}}, []string{"laptop", "server"}},
		{"given", []Input{{Label: "old", Path: laptopSet}, {Path: serverSet}}, []string{"old", "server"}},
		{"same machine, stamps", []Input{{Path: filepath.Dir(stamp1)}, {Path: stamp2}},
			[]string{"laptop@20250101T000000Z", "laptop@20250102T000000Z"}},
		{"same machine, no stamps", []Input{{Path: laptopSet}, {Path: stamp1}, {Path: laptopSet}},
			[]string{"laptop", "laptop#2", "laptop#3"}},
		{"given label takes the name, the other its stamp", []Input{{Path: stamp1}, {Label: "laptop", Path: laptopSet}},
			[]string{"laptop@20250101T000000Z", "laptop"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmp, err := Compare(tc.inputs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range cmp.Machines {
				got = append(got, m.Label)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("labels %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLegendLabels(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"laptop", "server"}, []string{"laptop", "server"}},
		{[]string{"machine-01-with-a-long-name", "machine-02-with-a-long-name", "machine-12-with-a-long-name"},
			[]string{"machine-01-with…-name", "machine-02-with…-name", "machine-12-with…-name"}},
		{[]string{"a-very-long-machine-name-indeed", "short"}, []string{"a-very-long-machine-…", "short"}},
		{[]string{"ci-runner-linux-amd64-westeurope-1", "ci-runner-linux-amd64-westeurope-2"},
			[]string{"ci-runner-…steurope-1", "ci-runner-…steurope-2"}},
	} {
		got := legendLabels(tc.in)
		for i := range got {
			if got[i] != tc.want[i] || len([]rune(got[i])) > legendMax {
				t.Errorf("legendLabels(%q)[%d] = %q, want %q", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}

func TestParseCompareInput(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want Input
	}{
		{"results/a", Input{Path: "results/a"}},
		{"old=results/a", Input{Label: "old", Path: "results/a"}},
		{"=results/a", Input{Path: "=results/a"}},
		{"a=", Input{Path: "a="}},
		{laptopSet, Input{Path: laptopSet}},
	} {
		if got := ParseInput(tc.arg); got != tc.want {
			t.Errorf("ParseInput(%q) = %+v, want %+v", tc.arg, got, tc.want)
		}
	}
}

// TestCompareTwentyMachines draws the charts of MaxCompare machines: each
// renders at the chart size, every machine has its own legend entry, and
// no two machines share a colour.
func TestCompareTwentyMachines(t *testing.T) {
	root := t.TempDir()
	var inputs []Input
	for i := range MaxCompare {
		name := fmt.Sprintf("ci-runner-linux-amd64-%02d-westeurope", i+1)
		inputs = append(inputs, Input{Path: testkit.Scaled(t, laptopSet, filepath.Join(root, name), name, 0.5+float64(i)/10)})
	}
	cmp, err := Compare(inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Pairs) != MaxCompare-1 {
		t.Fatalf("%d pairs, want %d", len(cmp.Pairs), MaxCompare-1)
	}
	colours := map[[3]uint8]int{}
	for i := range MaxCompare {
		c := chart.MachineStyle(i).Color
		if j, ok := colours[[3]uint8{c.R, c.G, c.B}]; ok {
			t.Errorf("machines %d and %d share colour %v", j, i, c)
		}
		colours[[3]uint8{c.R, c.G, c.B}] = i
	}
	labels := map[string]bool{}
	for _, m := range cmp.Machines {
		l := cmp.legend(m)
		if labels[l] || len([]rune(l)) > legendMax {
			t.Errorf("machine %s reads %q in the legend: not unique or too long", m.Label, l)
		}
		labels[l] = true
	}
	charts := cmp.Charts()
	if len(charts) != 2+3 {
		t.Errorf("%d charts, want 5 (makespan, efficiency, 3 workloads)", len(charts))
	}
	for _, c := range charts {
		t.Run(c.File, func(t *testing.T) {
			want := MaxCompare
			if c.File == "compare-makespan" {
				want = MaxCompare - 1 // the baseline is the reference line
			}
			if len(c.Series) != want {
				t.Errorf("%d legend entries for machines, want %d", len(c.Series), want)
			}
			if c.Partial != "" {
				t.Errorf("partial: %s", c.Partial)
			}
			data, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			w, h := c.Size()
			testkit.CheckPNG(t, c.File+".png", data, w, h)
		})
	}
}

// TestCompareBrowser renders compare.html in headless Chromium, as
// TestBrowserShowsEveryChart does index.html: every chart laid out at a
// readable size with drawn content.
func TestCompareBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the browser check")
	}
	cmp, dir := laptopServer(t)
	testkit.CheckChartsDrawn(t, testkit.ProbeCharts(t, filepath.Join(dir, "compare.html")), len(cmp.Charts()), 10)
}

// TestRatioColumnIsTheClaimsEstimator compares the two 2-CPU reference
// sets and checks that a row shows one estimator: its ratio column is the
// inverse of its claim's ratio (the ratio of geometric means the change
// is decided on), which the ratio of medians is not, and that the page's
// words and the scaling chart's footnote say so.
func TestRatioColumnIsTheClaimsEstimator(t *testing.T) {
	cmp, err := Compare([]Input{{Path: "../../results/epyc-2cpu/20261204T154042Z"}, {Path: "../../results/epyc-2cpu/20261204T161056Z"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	medianDiffers := 0
	for _, r := range cmp.Pairs[0].Rows() {
		if math.Abs(r.Ratio.Value*r.Claim.Ratio-1) > 1e-9 {
			t.Errorf("%s at %d: ratio %v, but its claim decides on %.6g", r.Name, r.Base.Cores, r.Ratio, 1/r.Claim.Ratio)
		}
		if med := r.Other.Median(report.UnitTime) / r.Base.Median(report.UnitTime); math.Abs(med/r.Ratio.Value-1) > 0.005 {
			medianDiffers++
		}
	}
	if medianDiffers == 0 {
		t.Error("no row's ratio of medians differs from its ratio of geometric means: the check cannot tell them apart")
	}
	pg := cmp.page(cmp.Charts())
	var md strings.Builder
	if err := page.WriteMarkdown(&md, pg); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, want := range []string{
		"(the ratio of geometric means, with its 95% Welch interval), and the change",
		"A ratio is the one estimator the change is decided on: the ratio of the two cells' geometric means with its 95% Welch interval.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if strings.Contains(text, "medians' intervals crosswise") || strings.Contains(text, "ratio of medians") {
		t.Error("the page still describes the ratio of medians")
	}
	for _, c := range cmp.Charts() {
		if !strings.HasPrefix(c.File, "compare-speedup-") {
			continue
		}
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(strings.Fields(string(svg)), " "); strings.Contains(s, "ratio of medians") {
			t.Errorf("%s: the footnote still says ratio of medians", c.File)
		}
	}
}
