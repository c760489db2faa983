package report

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// Write renders the comparison into dir: compare.html (self-contained),
// compare.md and the charts it links, charts/*.svg and *.png.
func (cmp *Comparison) Write(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return fmt.Errorf("creating the comparison directory: %w", err)
	}
	charts := cmp.Charts()
	svgs, err := renderCharts(dir, charts)
	if err != nil {
		return err
	}
	pg := cmp.buildPage(charts, svgs)
	var buf bytes.Buffer
	if err := writeHTML(&buf, pg); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "compare.html"), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := writeMarkdown(&buf, pg); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "compare.md"), buf.Bytes())
}

// Summary is one line per compared machine: its geometric-mean makespan
// against the baseline over their common cells, and how many cells are
// faster or slower by more than the margin, within it, and undecided.
func (p *Pair) Summary() string {
	n := p.Counts()
	return fmt.Sprintf("%s vs %s: geomean makespan %s (%s) over %d common cells: %d faster, %d slower, %d within %s, %d undecided",
		p.Other.Label, p.Base.Label, percent(p.Geomean()), ratioString(p.Geomean()), len(p.Rows()), n.Faster, n.Slower,
		n.Within, pctText(p.Claims.Options().Margin), n.Undecided)
}

// coresNote says which core counts only one side of the pair measured.
func (p *Pair) coresNote() string {
	var parts []string
	if len(p.OtherCores) > 0 {
		parts = append(parts, fmt.Sprintf("only %s ran at %s", p.Other.Label, coresList(p.OtherCores)))
	}
	if len(p.BaseCores) > 0 {
		parts = append(parts, fmt.Sprintf("only %s ran at %s", p.Base.Label, coresList(p.BaseCores)))
	}
	return "Not compared: " + joinAnd(parts) + "; those runs are in the scaling charts and tables only."
}

func ratioString(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return fmt.Sprintf("%.2f×", v)
}

// medianPM formats a cell's median makespan as benchstat does: "93.2 ms ± 2%".
func medianPM(c *Cell) string {
	s := c.Stats[UnitTime]
	pm := "∞"
	if !math.IsInf(s.Lo, 0) && !math.IsInf(s.Hi, 0) && s.Median > 0 {
		pm = fmt.Sprintf("%.0f%%", math.Max(s.Hi-s.Median, s.Median-s.Lo)/s.Median*100)
	}
	return duration(s.Median) + " ± " + pm
}

func (cmp *Comparison) buildPage(charts []*Chart, svgs [][]byte) *page {
	pg := &page{title: cmp.Title}
	base := cmp.Machines[0]
	figs := map[string]figure{}
	for i, c := range charts {
		figs[c.File] = figure{chart: c, svg: svgs[i]}
	}
	pg.p("%d result sets, compared cell by cell (same benchmark, same core count) with %s, the baseline: "+
		"a ratio above 1 or a positive change means the machine takes longer than %s.", len(cmp.Machines), base.Label, base.Label)

	pg.h(2, "Machines")
	t := table{head: []string{"machine", "cpu", "cpus", "memory", "Go", "kernel", "governor", "calibration speedup", "profile", "cores", "cells", "samples"},
		numeric: []bool{false, false, true, false, false, false, false, true, false, false, true, true}}
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
		t.rows = append(t.rows, []string{m.Label, fp("cpu"), cpus, fp("memory"), fp("go-version"), fp("kernel"), fp("governor"), cal, fp("profile"),
			coresList(m.Analysis.Cores), fmt.Sprint(len(m.Set().Cells)), fmt.Sprint(m.Analysis.medianN())})
	}
	pg.blocks = append(pg.blocks, t)
	var inputs []string
	for _, m := range cmp.Machines {
		s := fmt.Sprintf("%s: %s", m.Label, m.Path)
		if c := m.Fingerprint("commit"); c != "" {
			s += ", concbench commit " + c
		}
		inputs = append(inputs, s)
	}
	pg.blocks = append(pg.blocks, bullets{items: inputs})
	pg.p("Calibration speedup: pure compute on all the CPUs a run was allowed, against one CPU, measured just before the runs at that core count; " +
		"below the core count it means shared or throttled CPUs. Samples: the median number of samples per cell.")

	if len(cmp.Warnings) > 0 {
		pg.h(2, "Warnings")
		pg.blocks = append(pg.blocks, bullets{items: cmp.Warnings, class: "warn"})
	}

	pg.h(2, "Summary")
	if len(cmp.Pairs) == 1 {
		pg.p("%s.", cmp.Pairs[0].Summary())
	}
	if f, ok := figs["compare-makespan"]; ok {
		pg.blocks = append(pg.blocks, f)
	}
	pg.blocks = append(pg.blocks, cmp.summaryTable())
	pg.p("Geometric mean of the makespan ratios against %s, per benchmark:", base.Label)
	pg.blocks = append(pg.blocks, cmp.groupTable())
	if len(cmp.Workloads) > 0 {
		pg.h(2, "Scaling")
		pg.p("Each machine normalised to itself: speedups are over the machine's own seq at 1 core, efficiencies are a model's gain over its own 1-core run divided by the cores. " +
			"Families: threads (goroutines, pool, errgroup) run compute in parallel; processes (procs, procpool) too, in worker processes; " +
			"concurrency-only models (eventloop, gil-threads, gil-pool) overlap waits but run one compute step at a time. " +
			"Each family is represented by its fastest Go model at the machine's largest core count within its CPUs. " +
			"The tables give that model's efficiency at each core count, its gain in parentheses; \"over\" marks an oversubscribed run.")
		if f, ok := figs["compare-efficiency"]; ok {
			pg.blocks = append(pg.blocks, f)
		}
		for _, w := range cmp.Workloads {
			pg.h(3, w.Name)
			if f, ok := figs["compare-speedup-"+w.Name]; ok {
				pg.blocks = append(pg.blocks, f)
			}
			if len(w.Curves) > 0 {
				pg.blocks = append(pg.blocks, cmp.efficiencyTable(w))
			}
		}
	}

	pg.h(2, "Makespan ratios")
	pg.p("Per cell, the median makespan (ns/op) of each machine with its 95%% interval as benchstat prints it (± the larger distance to a bound), "+
		"the ratio machine ÷ %s with its interval, and the change with the samples on each side: a change is printed when it is decided beyond the ±%s margin; "+
		"\"~ within %s\" is a decided tie; \"? undecided\" is neither, with the rounds that would likely decide it. "+
		"The geomean row is the geometric mean over the table's cells.", base.Label, pctText(cmp.margin()), pctText(cmp.margin()))
	for _, p := range cmp.Pairs {
		pg.h(3, p.Other.Label+" vs "+p.Base.Label)
		pg.p("%s.", p.Summary())
		if len(p.OtherCores) > 0 || len(p.BaseCores) > 0 {
			pg.p("%s", p.coresNote())
		}
		for _, t := range p.Tables {
			pg.blocks = append(pg.blocks, ratioTable(p, t))
		}
	}

	var missing [][]string
	row := func(c *Cell, on, off *Machine) []string {
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
		pg.h(2, "Cells not compared")
		pg.p("Cells with a makespan on one machine but not the other, at a core count both measured.")
		pg.blocks = append(pg.blocks, table{head: []string{"cell", "measured on", "missing on", "why"}, rows: missing,
			fold: fmt.Sprintf("%d cells measured on one side only", len(missing))})
	}

	pg.h(2, "Method")
	pg.p("Every input is loaded and summarised as concbench report does: medians with distribution-free 95%% confidence intervals " +
		"(golang.org/x/perf/benchmath, AssumeNothing, the numbers benchstat prints). A ratio's interval divides the bounds of the two medians' intervals crosswise (conservative). " +
		"A cell's change is decided as the report decides its claims: Welch's t on log(ns/op), each machine's variances moderated within its own run (empirical Bayes, as limma), " +
		"the interval of the ratio wholly beyond the margin (a change), wholly inside it (within), or neither (undecided); " +
		"Holm's method within each table, Benjamini–Hochberg across a pair's tables; a decided change must also agree with the medians and, where the samples allow, a Mann–Whitney U test. " +
		"The baseline is the first input; labels default to each set's machine name.")
	return pg
}

// summaryTable has a row per compared machine: its cells against the
// baseline's, their geometric-mean ratio and the significant changes.
func (cmp *Comparison) summaryTable() table {
	t := table{head: []string{"machine", "cells", "geomean", "faster", "slower", "within margin", "undecided"},
		numeric: []bool{false, true, true, true, true, true, true}}
	for _, p := range cmp.Pairs {
		n := p.Counts()
		t.rows = append(t.rows, []string{p.Other.Label, fmt.Sprint(len(p.Rows())), ratioString(p.Geomean()),
			fmt.Sprint(n.Faster), fmt.Sprint(n.Slower), fmt.Sprint(n.Within), fmt.Sprint(n.Undecided)})
	}
	return t
}

// groupTable gives each machine's geometric-mean ratio per benchmark. It
// puts the longer list down the page, so the table stays narrow.
func (cmp *Comparison) groupTable() table {
	groups := cmp.groups()
	cell := func(p *Pair, g string) string {
		if v := p.GroupGeomean(g); !math.IsNaN(v) {
			return ratioString(v)
		}
		return "—"
	}
	if len(cmp.Pairs) <= len(groups) {
		t := table{head: []string{"benchmark"}, numeric: []bool{false}}
		for _, p := range cmp.Pairs {
			t.head = append(t.head, p.Other.Label)
			t.numeric = append(t.numeric, true)
		}
		for _, g := range groups {
			row := []string{g}
			for _, p := range cmp.Pairs {
				row = append(row, cell(p, g))
			}
			t.rows = append(t.rows, row)
		}
		return t
	}
	t := table{head: []string{"machine"}, numeric: []bool{false}}
	for _, g := range groups {
		t.head = append(t.head, shortGroup(g))
		t.numeric = append(t.numeric, true)
	}
	for _, p := range cmp.Pairs {
		row := []string{p.Other.Label}
		for _, g := range groups {
			row = append(row, cell(p, g))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// efficiencyTable lists, for one workload, each machine's best model per
// family and its parallel efficiency at each core count.
func (cmp *Comparison) efficiencyTable(w *WorkloadCompare) table {
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
	sort.Ints(cores)
	t := table{head: []string{"machine", "family", "best model"}, numeric: []bool{false, false, false}}
	for _, k := range cores {
		t.head = append(t.head, fmt.Sprintf("%d %s", k, plural(k, "core")))
		t.numeric = append(t.numeric, true)
	}
	for _, fc := range w.Curves {
		row := []string{fc.Machine.Label, FamilyName(fc.Family), fc.Model}
		for _, k := range cores {
			p := fc.Point(k)
			if p == nil || math.IsNaN(p.Par.Value) {
				row = append(row, "—")
				continue
			}
			s := fmt.Sprintf("%.0f%% (%s×)", Efficiency(p).Value*100, num(p.Par.Value))
			if p.Oversub {
				s += " over"
			}
			row = append(row, s)
		}
		t.rows = append(t.rows, row)
	}
	if len(w.Curves) > 9 {
		t.fold = fmt.Sprintf("parallel efficiency on %d machines", len(w.Curves)/len(compareFamilies))
	}
	return t
}

func ratioTable(p *Pair, t *RatioTable) table {
	tb := table{head: []string{"cell", p.Base.Label, p.Other.Label, "ratio [95% CI]", "change"},
		numeric: []bool{false, true, true, true, true}}
	var bs, os []*Cell
	for _, r := range t.Rows {
		tb.rows = append(tb.rows, []string{r.Name, medianPM(r.Base), medianPM(r.Other), r.Ratio.String(), r.Delta()})
		bs, os = append(bs, r.Base), append(os, r.Other)
	}
	g := t.Geomean()
	tb.rows = append(tb.rows, []string{"geomean", duration(geomeanMedians(bs)), duration(geomeanMedians(os)), ratioString(g), percent(g)})
	n := countRows(t.Rows)
	tb.fold = fmt.Sprintf("%s: geomean %s (%s), %d faster, %d slower, %d within %s, %d undecided", t.Title(), percent(g), ratioString(g),
		n.Faster, n.Slower, n.Within, pctText(p.Claims.Options().Margin), n.Undecided)
	return tb
}
