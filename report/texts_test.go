package report

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/page"
)

// svgText is a chart's text as a reader sees it: every <text> element's
// content, unescaped, joined by spaces (a footnote wrapped over lines
// reads as one sentence again).
func svgText(t *testing.T, c *chart.Chart) string {
	t.Helper()
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, m := range regexp.MustCompile(`(?s)<text[^>]*>(.*?)</text>`).FindAllSubmatch(svg, -1) {
		words = append(words, html.UnescapeString(string(m[1])))
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}

// TestFootnotesNameTheirEstimator renders the speedup and fanout charts of
// a set with CPython runs and checks each footnote against what its
// points are: a speedup point is the ratio of geometric means (the cells'
// Measured.speedup), a fanout point a cell's median tasks/s with its
// distribution-free interval.
func TestFootnotesNameTheirEstimator(t *testing.T) {
	rs := "../results/epyc-2cpu/20261204T154042Z/bench.txt"
	a := analyzeBytes(t, rs, readRounds(t, rs, nil))
	if len(a.Fanout) == 0 || len(a.Workloads) == 0 {
		t.Fatal("the set has no fanout or speedup charts")
	}
	medians := map[Estimate]bool{}
	for _, c := range a.Set.Cells {
		if s, ok := c.Stats[UnitTasks]; ok && c.Bench == BenchFanout {
			medians[Estimate{s.Median, s.Lo, s.Hi}] = true
		}
	}
	for _, sw := range a.Fanout {
		for _, s := range sw.Series {
			for _, p := range s.Points {
				if !medians[p.Y] {
					t.Errorf("fanout %s %s at %g: %v is no cell's median tasks/s with its interval", sw.Name, s.Model, p.X, p.Y)
				}
			}
		}
		if sw.Estimator != Median {
			t.Errorf("fanout %s: estimator %v, want median", sw.Name, sw.Estimator)
		}
		text := svgText(t, a.fanoutChart(sw))
		if !strings.Contains(text, "Error bars: 95% CI of the median tasks/s (distribution-free") || strings.Contains(text, "geometric means") {
			t.Errorf("fanout %s footnote does not say its points are medians of tasks/s:\n%s", sw.Name, text)
		}
	}
	w := a.Workloads[0]
	for _, s := range w.Models {
		base := w.Base
		if s.Python {
			base = w.PyBase[s.Interp]
		}
		for _, p := range s.Points {
			if want := a.speedup(p.Cell, base); p.Speedup != want && !(p.Speedup.Value != p.Speedup.Value) {
				t.Errorf("%s %s at %d: speedup %v, the ratio of geometric means is %v", w.Name, s.Model, p.Cores, p.Speedup, want)
			}
		}
	}
	if text := svgText(t, a.speedupChart(w)); !strings.Contains(text, "Error bars: 95% CI of the ratio of geometric means (Welch") || strings.Contains(text, "median") {
		t.Errorf("speedup %s footnote does not say its points are ratios of geometric means:\n%s", w.Name, text)
	}
}

// TestMethodNamesTheEstimator renders a report's page and checks that its
// Method section and the speedup tables' note describe the estimator the
// tables show: every speedup cell of the page is Measured.speedup's ratio
// of geometric means, which differs from the ratio of medians the text
// once described.
func TestMethodNamesTheEstimator(t *testing.T) {
	rs := "../results/epyc-2cpu/20261204T154042Z/bench.txt"
	a := analyzeBytes(t, rs, readRounds(t, rs, nil))
	var md bytes.Buffer
	if err := page.WriteMarkdown(&md, a.buildPage(nil, Options{})); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	_, method, ok := strings.Cut(text, "## Method")
	if !ok {
		t.Fatal("no Method section")
	}
	for _, want := range []string{
		"Every speedup, gain and ratio in the tables and the other charts is the claims' estimator, the ratio of geometric means with its 95% Welch interval",
		"the fanout chart's tasks/s",
	} {
		if !strings.Contains(method, want) {
			t.Errorf("Method does not say %q:\n%s", want, method)
		}
	}
	if strings.Contains(method, "combines the bounds of the two medians") {
		t.Errorf("Method still describes the ratio of medians' combined bounds:\n%s", method)
	}
	if !strings.Contains(text, "the speedup and its two gains are ratios of geometric means with their 95% Welch intervals") {
		t.Error("the speedup tables' note does not name the ratio of geometric means")
	}
	// The tables show that estimator, not the ratio of medians.
	differs := 0
	for _, w := range a.Workloads {
		for _, s := range w.Models {
			if s.Python || s.Family == FamilyBaseline {
				continue
			}
			for _, p := range s.Points {
				row := "| " + s.Model + " | " + strconv.Itoa(p.Cores) + " | "
				if !strings.Contains(text, row) || !strings.Contains(text, " | "+a.speedup(p.Cell, w.Base).String()+" | ") {
					t.Errorf("%s %s at %d: the table lacks its ratio of geometric means %v", w.Name, s.Model, p.Cores, a.speedup(p.Cell, w.Base))
				}
				med := Estimate{Value: w.Base.Median(UnitTime) / p.Cell.Median(UnitTime)}
				if prose.Num(med.Value) != prose.Num(p.Speedup.Value) {
					differs++
				}
			}
		}
	}
	if differs == 0 {
		t.Error("no speedup differs from the ratio of medians: the check above cannot tell the estimators apart")
	}
}
