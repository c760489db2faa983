package compare

import (
	"fmt"
	"math"
	"slices"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/page"
)

// Write renders the comparison into dir: compare.html (self-contained),
// compare.md and the charts they link, charts/*.svg and *.png.
func (cmp *Comparison) Write(dir string) error {
	return page.Write(dir, cmp.page(cmp.Charts()), "compare.html", "compare.md")
}

// Summary is one line per compared machine: its geometric-mean makespan
// against the baseline over their common cells, and how many cells are
// faster or slower by more than the margin, within it, and undecided.
func (p *Pair) Summary() string {
	n := p.Counts()
	return fmt.Sprintf("%s vs %s: geomean makespan %s (%s) over %d common cells: %d faster, %d slower, %d within %s, %d undecided",
		p.Other.Label, p.Base.Label, percent(p.Geomean()), ratioString(p.Geomean()), len(p.Rows()), n.Faster, n.Slower,
		n.Within, prose.Pct(p.Claims.Options().Margin), n.Undecided)
}

// coresNote says which core counts only one side of the pair measured.
func (p *Pair) coresNote() string {
	var parts []string
	if len(p.OtherCores) > 0 {
		parts = append(parts, fmt.Sprintf("only %s ran at %s", p.Other.Label, prose.Cores(p.OtherCores)))
	}
	if len(p.BaseCores) > 0 {
		parts = append(parts, fmt.Sprintf("only %s ran at %s", p.Base.Label, prose.Cores(p.BaseCores)))
	}
	return "Not compared: " + prose.JoinAnd(parts) + "; those runs are in the scaling charts and tables only."
}

func ratioString(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return fmt.Sprintf("%.2f×", v)
}

// medianPM formats a cell's median makespan as benchstat does: "93.2 ms ± 2%".
func medianPM(c *report.Cell) string {
	s := c.Stats[report.UnitTime]
	pm := "∞"
	if !math.IsInf(s.Lo, 0) && !math.IsInf(s.Hi, 0) && s.Median > 0 {
		pm = fmt.Sprintf("%.0f%%", math.Max(s.Hi-s.Median, s.Median-s.Lo)/s.Median*100)
	}
	return prose.Duration(s.Median) + " ± " + pm
}

// page lays out the comparison: machines, warnings, the summary, scaling,
// the ratio tables, the cells not compared and the method.
func (cmp *Comparison) page(charts []*chart.Chart) *page.Page {
	pg := &page.Page{Title: cmp.Title}
	base := cmp.Machines[0]
	figs := map[string]page.Figure{}
	for _, c := range charts {
		figs[c.File] = page.Figure{Chart: c}
	}
	pg.P("%d result sets, compared cell by cell (same benchmark, same core count) with %s, the baseline: "+
		"a ratio above 1 or a positive change means the machine takes longer than %s.", len(cmp.Machines), base.Label, base.Label)

	cmp.machineSection(pg)

	pg.Warnings(cmp.Warnings)

	pg.H(2, "Summary")
	if len(cmp.Pairs) == 1 {
		pg.P("%s.", cmp.Pairs[0].Summary())
	}
	if f, ok := figs["compare-makespan"]; ok {
		pg.Add(f)
	}
	pg.Add(cmp.summaryTable())
	pg.P("Geometric mean of the makespan ratios against %s, per benchmark:", base.Label)
	pg.Add(cmp.groupTable())
	if len(cmp.Workloads) > 0 {
		pg.H(2, "Scaling")
		pg.P("Each machine normalised to itself: speedups are over the machine's own seq at 1 core, efficiencies are a model's gain over its own 1-core run divided by the cores. " +
			"Families: threads (goroutines, pool, errgroup) run compute in parallel; processes (procs, procpool) too, in worker processes; " +
			"concurrency-only models (eventloop, gil-threads, gil-pool) overlap waits but run one compute step at a time. " +
			"Each family is represented by its fastest Go model at the machine's largest core count within its CPUs. " +
			"The tables give that model's efficiency at each core count, its gain in parentheses; \"over\" marks an oversubscribed run.")
		if f, ok := figs["compare-efficiency"]; ok {
			pg.Add(f)
		}
		for _, w := range cmp.Workloads {
			pg.H(3, w.Name)
			if f, ok := figs["compare-speedup-"+w.Name]; ok {
				pg.Add(f)
			}
			if len(w.Curves) > 0 {
				pg.Add(cmp.efficiencyTable(w))
			}
		}
	}

	pg.H(2, "Makespan ratios")
	pg.P("Per cell, the median makespan (ns/op) of each machine with its 95%% interval as benchstat prints it (± the larger distance to a bound), "+
		"the ratio machine ÷ %s (the ratio of geometric means, with its 95%% Welch interval), and the change with the samples on each side: a change is printed when it is decided beyond the ±%s margin; "+
		"\"~ within %s\" is a decided tie; \"? undecided\" is neither, with the rounds that would likely decide it. "+
		"The geomean row is the geometric mean over the table's cells.", base.Label, prose.Pct(cmp.margin()), prose.Pct(cmp.margin()))
	for _, p := range cmp.Pairs {
		pg.H(3, p.Other.Label+" vs "+p.Base.Label)
		pg.P("%s.", p.Summary())
		if len(p.OtherCores) > 0 || len(p.BaseCores) > 0 {
			pg.P("%s", p.coresNote())
		}
		for _, t := range p.Tables {
			pg.Add(ratioTable(p, t))
		}
	}

	cmp.missingSection(pg)

	pg.H(2, "Method")
	pg.P("Every input is loaded and summarised as concbench report does: medians with distribution-free 95%% confidence intervals " +
		"(golang.org/x/perf/benchmath, AssumeNothing, the numbers benchstat prints) for each machine's makespan column. " +
		"A ratio is the one estimator the change is decided on: the ratio of the two cells' geometric means with its 95%% Welch interval. " +
		"A cell's change is decided as the report decides its claims: Welch's t on log(ns/op), each machine's variances moderated within its own run (empirical Bayes, as limma), " +
		"the interval of the ratio wholly beyond the margin (a change), wholly inside it (within), or neither (undecided); " +
		"Holm's method within each table, Benjamini–Hochberg across a pair's tables; a decided change must also agree with the medians and, where the samples allow, a Mann–Whitney U test. " +
		"The baseline is the first input; labels default to each set's machine name.")
	return pg
}

// summaryTable has a row per compared machine: its cells against the
// baseline's, their geometric-mean ratio and the significant changes.
func (cmp *Comparison) summaryTable() page.Table {
	t := page.Table{Head: []string{"machine", "cells", "geomean", "faster", "slower", "within margin", "undecided"},
		Numeric: []bool{false, true, true, true, true, true, true}}
	for _, p := range cmp.Pairs {
		n := p.Counts()
		t.Rows = append(t.Rows, []string{p.Other.Label, fmt.Sprint(len(p.Rows())), ratioString(p.Geomean()),
			fmt.Sprint(n.Faster), fmt.Sprint(n.Slower), fmt.Sprint(n.Within), fmt.Sprint(n.Undecided)})
	}
	return t
}

// groupTable gives each machine's geometric-mean ratio per benchmark. It
// puts the longer list down the page, so the table stays narrow.
func (cmp *Comparison) groupTable() page.Table {
	groups := cmp.groups()
	cell := func(p *Pair, g string) string {
		if v := p.GroupGeomean(g); !math.IsNaN(v) {
			return ratioString(v)
		}
		return "—"
	}
	if len(cmp.Pairs) <= len(groups) {
		t := page.Table{Head: []string{"benchmark"}, Numeric: []bool{false}}
		for _, p := range cmp.Pairs {
			t.Head = append(t.Head, p.Other.Label)
			t.Numeric = append(t.Numeric, true)
		}
		for _, g := range groups {
			row := []string{g}
			for _, p := range cmp.Pairs {
				row = append(row, cell(p, g))
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	t := page.Table{Head: []string{"machine"}, Numeric: []bool{false}}
	for _, g := range groups {
		t.Head = append(t.Head, shortGroup(g))
		t.Numeric = append(t.Numeric, true)
	}
	for _, p := range cmp.Pairs {
		row := []string{p.Other.Label}
		for _, g := range groups {
			row = append(row, cell(p, g))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// efficiencyTable lists, for one workload, each machine's best model per
// family and its parallel efficiency at each core count.
func (cmp *Comparison) efficiencyTable(w *WorkloadCompare) page.Table {
	seen := map[int]bool{}
	var cores []int
	for _, fc := range w.Curves {
		for _, p := range fc.Points {
			if p.Cores > 1 && !seen[p.Cores] {
				seen[p.Cores] = true
				cores = append(cores, p.Cores)
			}
		}
	}
	slices.Sort(cores)
	t := page.Table{Head: []string{"machine", "family", "best model"}, Numeric: []bool{false, false, false}}
	for _, k := range cores {
		t.Head = append(t.Head, fmt.Sprintf("%d %s", k, prose.Plural(k, "core")))
		t.Numeric = append(t.Numeric, true)
	}
	for _, fc := range w.Curves {
		row := []string{fc.Machine.Label, FamilyName(fc.Family), fc.Model}
		for _, k := range cores {
			p := fc.Point(k)
			if p == nil || math.IsNaN(p.Par.Value) {
				row = append(row, "—")
				continue
			}
			s := fmt.Sprintf("%.0f%% (%s×)", Efficiency(p).Value*100, prose.Num(p.Par.Value))
			if p.Oversub {
				s += " over"
			}
			row = append(row, s)
		}
		t.Rows = append(t.Rows, row)
	}
	if len(w.Curves) > 9 {
		t.Fold = fmt.Sprintf("parallel efficiency on %d machines", len(w.Curves)/len(compareFamilies))
	}
	return t
}

func ratioTable(p *Pair, t *RatioTable) page.Table {
	tb := page.Table{Head: []string{"cell", p.Base.Label, p.Other.Label, "ratio [95% CI]", "change"},
		Numeric: []bool{false, true, true, true, true}}
	var bs, os []*report.Cell
	for _, r := range t.Rows {
		tb.Rows = append(tb.Rows, []string{r.Name, medianPM(r.Base), medianPM(r.Other), r.Ratio.String(), r.Delta()})
		bs, os = append(bs, r.Base), append(os, r.Other)
	}
	g := t.Geomean()
	tb.Rows = append(tb.Rows, []string{"geomean", prose.Duration(geomeanMedians(bs)), prose.Duration(geomeanMedians(os)), ratioString(g), percent(g)})
	n := countRows(t.Rows)
	tb.Fold = fmt.Sprintf("%s: geomean %s (%s), %d faster, %d slower, %d within %s, %d undecided", t.Title(), percent(g), ratioString(g),
		n.Faster, n.Slower, n.Within, prose.Pct(p.Claims.Options().Margin), n.Undecided)
	return tb
}

// unpinned reports whether any run of a set within its CPUs was not pinned.
func unpinned(s *report.Set) bool {
	for _, r := range s.Runs {
		if r.Unpinned > 0 && !s.Oversubscribed(r.Cores) {
			return true
		}
	}
	return false
}

// machineSection lays out each machine's fingerprint, its input and its
// calibration.
func (cmp *Comparison) machineSection(pg *page.Page) {
	pg.H(2, "Machines")
	t := page.Table{Head: []string{"machine", "cpu", "cpus", "memory", "Go", "kernel", "governor", "calibration speedup", "profile", "cores", "cells", "samples"},
		Numeric: []bool{false, false, true, false, false, false, false, true, false, false, true, true}}
	for _, m := range cmp.Machines {
		fp := func(k string) string {
			if v := m.Fingerprint(k); v != "" {
				return v
			}
			return "—"
		}
		cal := "—"
		if v, k := m.Calibration(); k > 0 {
			cal = fmt.Sprintf("%.2f at %d", v, k)
		}
		cpus := "—"
		if m.Set().CPUs > 0 {
			cpus = fmt.Sprint(m.Set().CPUs)
		}
		// A Mac's performance and efficiency cores, where it said.
		if p, e := m.Fingerprint("cpus-performance"), m.Fingerprint("cpus-efficiency"); p != "" {
			cpus += " (" + p + " P"
			if e != "" {
				cpus += " + " + e + " E"
			}
			cpus += ")"
		}
		if unpinned(m.Set()) {
			cpus += ", unpinned"
		}
		t.Rows = append(t.Rows, []string{m.Label, fp("cpu"), cpus, fp("memory"), fp("go-version"), fp("kernel"), fp("governor"), cal, fp("profile"),
			prose.Cores(m.Analysis.Cores), fmt.Sprint(len(m.Set().Cells)), fmt.Sprint(m.Analysis.SamplesPerCell())})
	}
	pg.Add(t)
	var inputs []string
	for _, m := range cmp.Machines {
		s := fmt.Sprintf("%s: %s", m.Label, m.Path)
		if c := m.Fingerprint("commit"); c != "" {
			s += ", concbench commit " + c
		}
		inputs = append(inputs, s)
	}
	pg.Add(page.Bullets{Items: inputs})
	pg.P("Calibration speedup: pure compute on all the CPUs a run was allowed, against one CPU, measured just before the runs at that core count; " +
		"below the core count it means shared or throttled CPUs. Samples: the median number of samples per cell.")
}

// missingSection lists the cells measured on one machine of a pair but
// not the other.
func (cmp *Comparison) missingSection(pg *page.Page) {
	var missing [][]string
	row := func(c *report.Cell, on, off *Machine) []string {
		why := "not in the results"
		if r := off.skipReason(c.Name, c.Cores); r != "" {
			why = "skipped: " + r
		}
		return []string{cellLabel(c), on.Label, off.Label, why}
	}
	for _, p := range cmp.Pairs {
		for _, c := range p.OnlyBase {
			missing = append(missing, row(c, p.Base, p.Other))
		}
		for _, c := range p.OnlyOther {
			missing = append(missing, row(c, p.Other, p.Base))
		}
	}
	if len(missing) > 0 {
		pg.H(2, "Cells not compared")
		pg.P("Cells with a makespan on one machine but not the other, at a core count both measured.")
		pg.Add(page.Table{Head: []string{"cell", "measured on", "missing on", "why"}, Rows: missing,
			Fold: fmt.Sprintf("%d cells measured on one side only", len(missing))})
	}
}
