package compare

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
)

// familyDashes is the line style of each family in the overlaid speedup
// charts: solid threads, dashed processes, dotted concurrency-only.
var familyDashes = map[report.Family][]vg.Length{
	report.FamilyThreads:     nil,
	report.FamilyProcesses:   {vg.Points(6), vg.Points(3)},
	report.FamilyConcurrency: {vg.Points(1.8), vg.Points(2.4)},
}

// idealRef draws the ideal linear speedup: light and solid, unlike any
// family's line.
var idealRef = chart.Ref{Color: color.Gray{175}, Width: vg.Points(2.5)}

// legendMax is the most characters of a machine's label that fit the
// legend column.
const legendMax = 21

// legendLabels shortens labels to fit the legend column, keeping them
// apart: labels of one fleet often share a long prefix and suffix
// ("ci-runner-03-eu-west"), so the part that differs is kept whole and the
// shared parts are cut around it.
func legendLabels(labels []string) []string {
	rs := make([][]rune, len(labels))
	for i, l := range labels {
		rs[i] = []rune(l)
	}
	pre, suf := 0, 0
	if len(rs) > 1 {
		pre, suf = commonEnds(rs)
	}
	out := make([]string, len(labels))
	for i, r := range rs {
		if len(r) <= legendMax {
			out[i] = string(r)
			continue
		}
		core := r[pre : len(r)-suf]
		if len(core) >= legendMax-2 {
			out[i] = string(core[:legendMax-1]) + "…"
			continue
		}
		avail := legendMax - len(core)
		rb := min(suf, avail/2)
		la := min(pre, avail-rb)
		rb = min(suf, avail-la)
		out[i] = shorten(r[:pre], la) + string(core) + shorten(r[len(r)-suf:], rb)
	}
	return out
}

// shorten cuts the middle out of s to leave n characters, the cut marked
// by an ellipsis.
func shorten(s []rune, n int) string {
	if len(s) <= n {
		return string(s)
	}
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "…"
	}
	tail := (n - 1) / 2
	head := n - 1 - tail
	return string(s[:head]) + "…" + string(s[len(s)-tail:])
}

// commonEnds returns the lengths of the prefix and the suffix that all
// labels share, leaving each label at least one character of its own.
func commonEnds(rs [][]rune) (pre, suf int) {
	short := len(rs[0])
	for _, r := range rs {
		short = min(short, len(r))
	}
	same := func(at func(r []rune) rune) bool {
		for _, r := range rs[1:] {
			if at(r) != at(rs[0]) {
				return false
			}
		}
		return true
	}
	for pre < short && same(func(r []rune) rune { return r[pre] }) {
		pre++
	}
	for suf < short-pre && same(func(r []rune) rune { return r[len(r)-1-suf] }) {
		suf++
	}
	if pre+suf >= short { // a label that is all shared: keep its end
		pre = max(0, short-suf-1)
	}
	return pre, suf
}

// legend is a machine's label in chart legends.
func (cmp *Comparison) legend(m *Machine) string {
	if cmp.legends == nil {
		labels := make([]string, len(cmp.Machines))
		for i, x := range cmp.Machines {
			labels[i] = x.Label
		}
		cmp.legends = legendLabels(labels)
	}
	return cmp.legends[cmp.index(m)]
}

// Charts builds the comparison's figures in page order: the makespan
// overview, the efficiency overview, then the speedup curves of each
// BenchmarkCores workload.
func (cmp *Comparison) Charts() []*chart.Chart {
	out := []*chart.Chart{cmp.ratioChart()}
	if len(cmp.Workloads) > 0 {
		out = append(out, cmp.efficiencyChart())
	}
	for _, w := range cmp.Workloads {
		out = append(out, cmp.speedupChart(w))
	}
	return out
}

func (cmp *Comparison) index(m *Machine) int {
	for i, x := range cmp.Machines {
		if x == m {
			return i
		}
	}
	return 0
}

// machineLegend adds one legend entry per machine (colour, marker) and
// returns the machines in the order given.
func (cmp *Comparison) machineLegend(c *chart.Chart, ms []*Machine) {
	for _, m := range ms {
		c.AddKey(cmp.legend(m), chart.MachineStyle(cmp.index(m)), chart.Lines)
	}
}

// speedupChart overlays, for one workload, each machine's best model of
// each family: speedup over the machine's own seq at 1 core.
func (cmp *Comparison) speedupChart(w *WorkloadCompare) *chart.Chart {
	c := chart.New("compare-speedup-"+w.Name, prose.Kinded(w.Name, w.Kind.String())+": speedup over each machine's own seq at 1 core",
		"cores (GOMAXPROCS, log scale)", "speedup over own seq at 1 core (×, log scale)")
	c.Caption = fmt.Sprintf("BenchmarkCores/workload=%s on every machine: colour and marker are the machine, the line is the model family "+
		"(solid threads, dashed processes, dotted concurrency-only), each the family's fastest Go model on that machine (named in the efficiency table).", w.Name)
	var series [][]chart.Point
	var machines []*Machine
	seen := map[*Machine]bool{}
	maxX := 1.0
	for _, fc := range w.Curves {
		var s []chart.Point
		for _, p := range fc.Points {
			s = append(s, estPoint(float64(p.Cores), p.Speedup, p.Oversub))
			maxX = math.Max(maxX, float64(p.Cores))
		}
		series = append(series, s)
		if !seen[fc.Machine] {
			seen[fc.Machine] = true
			machines = append(machines, fc.Machine)
		}
	}
	var lacking []string
	for _, m := range cmp.Machines {
		if !seen[m] {
			lacking = append(lacking, m.Label)
		}
	}
	if len(series) == 0 {
		c.Empty("no machine has seq at 1 core and a model of a family for " + w.Name)
		return c
	}
	lo, hi := chart.YRange(series, 1)
	c.SpeedupAxes(maxX, lo, hi, "", idealRef)
	for i, fc := range w.Curves {
		st := chart.MachineStyle(cmp.index(fc.Machine))
		st.Dashes = familyDashes[fc.Family]
		c.Add("", st, chart.Overlay, series[i])
	}
	cmp.machineLegend(c, machines)
	for _, f := range compareFamilies {
		c.Legend.Add(f.name, chart.LineThumb{Color: color.Gray{60}, Width: vg.Points(1.6), Dashes: familyDashes[f.key]})
	}
	c.Legend.Add("ideal (linear)", idealRef.Thumb())
	c.Note("Error bars: 95%% CI of the ratio of geometric means (Welch, each machine's moderated noise). Rings: oversubscribed (more cores than the machine's CPUs).")
	if len(lacking) > 0 {
		c.Lacks("no speedups from %s (no %s results or no seq at 1 core)", prose.List(lacking, 4), w.Name)
	}
	return c
}

// shortGroup names a table's group on a chart axis: "primes" for
// BenchmarkCores/workload=primes, "Fanout/sleep", "Mix".
func shortGroup(g string) string {
	g = strings.TrimPrefix(g, "Benchmark")
	if w, ok := strings.CutPrefix(g, "Cores/workload="); ok {
		return w
	}
	return strings.Replace(g, "/workload=", "/", 1)
}

// groups lists the groups of every pair in order of first appearance.
func (cmp *Comparison) groups() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range cmp.Pairs {
		for _, t := range p.Tables {
			if !seen[t.Group] {
				seen[t.Group] = true
				out = append(out, t.Group)
			}
		}
	}
	return out
}

// ratioChart is the overview: each machine's geometric-mean makespan
// ratio against the baseline, per benchmark group.
func (cmp *Comparison) ratioChart() *chart.Chart {
	base := cmp.Machines[0]
	c := chart.New("compare-makespan", fmt.Sprintf("Makespan against %s: geometric mean of the cells' ratios", base.Label),
		"benchmark (workload)", "makespan ÷ baseline's (log scale, below 1 is faster)")
	c.Caption = fmt.Sprintf("For each benchmark (each workload of BenchmarkCores and BenchmarkFanout), the geometric mean over its common cells "+
		"(models × core counts) of each machine's makespan over %s's in the same cell, each a ratio of geometric means.", base.Label)
	groups := cmp.groups()
	off := nominal(c, mapStrings(groups, shortGroup), len(cmp.Pairs))
	lo, hi := 1.0, 1.0
	for _, p := range cmp.Pairs {
		for _, g := range groups {
			if v := p.GroupGeomean(g); v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	c.AutoY(lo, hi, true, nil)
	c.Plot.Y.Tick.Marker = chart.RatioTicks{}
	c.AddLevel("", chart.Level, 1)
	for j, p := range cmp.Pairs {
		var pts []chart.Point
		for i, g := range groups {
			if v := p.GroupGeomean(g); !math.IsNaN(v) {
				pts = append(pts, chart.Point{X: float64(i) + off(j), Y: v, Lo: v, Hi: v})
			}
		}
		c.Add(cmp.legend(p.Other), chart.MachineStyle(cmp.index(p.Other)), chart.Dots, pts)
	}
	c.Note("Dashed line: as fast as %s. Per-cell ratios, intervals and U tests are in the tables.", base.Label)
	return c
}

// efficiencyChart shows, per workload, each machine's parallel efficiency
// at its largest core count within its CPUs: the best threads or process
// model's gain over its own 1-core run, divided by the cores.
func (cmp *Comparison) efficiencyChart() *chart.Chart {
	c := chart.New("compare-efficiency", "Parallel efficiency on each machine's CPUs, best threads or process model",
		"workload", "gain over own 1-core run ÷ cores")
	c.Caption = "For each CPU-bound and mixed BenchmarkCores workload and machine, the threads or process model with the highest speedup at the machine's largest core count within its CPUs: " +
		"its makespan at 1 core divided by its makespan at k cores, divided by k. 1 is perfect scaling; each machine is normalised to its own single core. " +
		"I/O-bound workloads are left out: their fastest models overlap every wait on one core, so more cores add nothing by design (their tables show it)."
	var names []string
	var wls []*WorkloadCompare
	for _, w := range cmp.Workloads {
		if w.Kind != report.KindIO {
			names = append(names, w.Name)
			wls = append(wls, w)
		}
	}
	if len(wls) == 0 {
		c.Empty("no CPU-bound or mixed workload")
		return c
	}
	off := nominal(c, names, len(cmp.Machines))
	hi := 1.0
	var one []string
	for j, m := range cmp.Machines {
		if m.Analysis.MaxCores < 2 {
			one = append(one, m.Label)
			continue
		}
		var pts []chart.Point
		for i, w := range wls {
			p := bestParallel(w, m)
			if p == nil {
				continue
			}
			e := Efficiency(p)
			if e.Finite() {
				hi = math.Max(hi, e.Hi)
			}
			pts = append(pts, estPoint(float64(i)+off(j), e, false))
		}
		c.Add(cmp.legend(m), chart.MachineStyle(j), chart.Dots, pts)
	}
	c.Plot.Y.Min, c.Plot.Y.Max = 0, math.Min(hi*1.08, 2)
	c.AddLevel("", chart.Level, 1)
	c.Note("Error bars: 95%% CI of the gain. Dashed line: perfect scaling.")
	if len(one) > 0 {
		c.Lacks("%s ran on one core only", prose.List(one, 4))
	}
	return c
}

// bestParallel is the point at the machine's largest core count of its
// best threads or process model for a workload, or nil.
func bestParallel(w *WorkloadCompare, m *Machine) *report.CorePoint {
	var best *report.CorePoint
	for _, fc := range w.Curves {
		if fc.Machine != m || fc.Family == report.FamilyConcurrency {
			continue
		}
		p := fc.Point(m.Analysis.MaxCores)
		if p == nil || p.Cores < 2 || math.IsNaN(p.Par.Value) {
			continue
		}
		if best == nil || p.Speedup.Value > best.Speedup.Value {
			best = p
		}
	}
	return best
}

func mapStrings(xs []string, f func(string) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// nominal sets up a categorical x axis for n machines a category, their
// markers side by side; it returns each machine's x offset.
func nominal(c *chart.Chart, cats []string, n int) func(j int) float64 {
	rotate := 0.0
	if len(cats) > 6 {
		rotate = 0.5
	}
	return c.Nominal(cats, rotate, n, math.Min(0.7, 0.07*float64(n)))
}

// estPoint is an estimate as a chart's point.
func estPoint(x float64, e report.Estimate, oversub bool) chart.Point {
	return chart.Point{X: x, Y: e.Value, Lo: e.Lo, Hi: e.Hi, Oversub: oversub}
}
