package compare

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	mstats "github.com/montanaflynn/stats"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

// MaxCompare is the most result sets one comparison takes: beyond it the
// charts stop being readable (one colour and marker per machine).
const MaxCompare = 20

// A Input names one result set of a comparison: a result directory
// or a benchfmt file, and the label it goes by ("" means its machine name).
type Input struct {
	Label string
	Path  string
}

// ParseInput reads a command-line argument, "path" or "label=path".
// An argument that names an existing file or directory is a path even if
// it contains '='.
func ParseInput(arg string) Input {
	if _, err := os.Stat(arg); err == nil {
		return Input{Path: arg}
	}
	if label, path, ok := strings.Cut(arg, "="); ok && label != "" && path != "" {
		return Input{Label: label, Path: path}
	}
	return Input{Path: arg}
}

// Options tune a comparison.
type Options struct {
	// Lax keeps malformed lines as warnings, as report.LoadOptions.Lax.
	Lax bool
	// Title heads the pages; empty means "concbench compare: A vs B".
	Title string
	// Margin is the practical margin of the ratio tables' decisions, as
	// report.Options.Margin; zero means report.DefaultMargin.
	Margin float64
}

// A Machine is one result set of a comparison: its label, where it came
// from, and its single-machine analysis (whose Set holds the cells).
type Machine struct {
	Label    string
	Path     string
	Analysis *report.Analysis
}

// Set is the machine's result set.
func (m *Machine) Set() *report.Set { return m.Analysis.Set }

// Fingerprint returns the value of a fingerprint key of the machine's
// configuration ("cpu", "go-version", …), or "".
func (m *Machine) Fingerprint(key string) string { return m.Set().ConfigValue(key) }

// Calibration returns the median calibration speedup of the runs at the
// machine's largest core count within its CPUs, and that core count; 0, 0
// when the runs did not report one.
func (m *Machine) Calibration() (float64, int) {
	r := m.Set().Run(m.Analysis.MaxCores)
	if r == nil || len(r.CalibrationSpeedup) == 0 {
		return 0, 0
	}
	v, _ := mstats.Median(r.CalibrationSpeedup)
	return v, r.Cores
}

// A Comparison puts result sets from several machines (or runs) side by
// side. Machines[0] is the baseline every other machine's makespans are
// divided by.
type Comparison struct {
	Title     string
	Machines  []*Machine
	Pairs     []*Pair            // Machines[i] against Machines[0], i ≥ 1
	Workloads []*WorkloadCompare // BenchmarkCores, in the matrix's order
	Warnings  []string           // why the machines may not be comparable

	legends []string // machines' labels shortened for legends
	opt     Options
}

// A Pair compares one machine's makespans (ns/op) with the baseline's,
// cell by cell: same benchmark name, same core count.
type Pair struct {
	Base, Other *Machine
	Tables      []*RatioTable // in the matrix's order, then by core count
	// Claims are the rows' decisions: one family per table.
	Claims *stats.Claims
	// OnlyBase and OnlyOther are the cells one side has and the other
	// lacks, at core counts both measured.
	OnlyBase, OnlyOther []*report.Cell
	// BaseCores and OtherCores are the core counts only one side measured
	// (a bigger machine's); their cells are in the speedup curves only.
	BaseCores, OtherCores []int
}

// A RatioTable is the cells of one benchmark configuration (the name but
// its model) at one core count, one row per model, compared between two
// machines. Its rows are one family of claims (Holm within it, and
// Benjamini–Hochberg across the pair's tables), so a table's power does not
// depend on how many tables there are.
type RatioTable struct {
	Group   string // e.g. "BenchmarkCores/workload=primes", the overview's row
	Config  string // e.g. "BenchmarkMix/cpu=50"
	Cores   int
	Oversub bool // either machine ran this core count oversubscribed
	Rows    []*RatioRow
}

// Title names the table: "BenchmarkMix/cpu=50 at 4 cores".
func (t *RatioTable) Title() string {
	s := fmt.Sprintf("%s at %d %s", t.Config, t.Cores, prose.Plural(t.Cores, "core"))
	if t.Oversub {
		s += " (oversubscribed)"
	}
	return s
}

// A RatioRow is one cell on both machines.
type RatioRow struct {
	Name        string // the cell within its table: its model, or a foreign benchmark's name
	Base, Other *report.Cell
	Ratio       report.Estimate // Other's makespan / Base's: > 1 means Other is slower
	Claim       *stats.Claim    // Other against Base, decided within the table

	margin float64
}

// A WorkloadCompare is one BenchmarkCores workload on every machine: for
// each machine, the best model of each family.
type WorkloadCompare struct {
	Name   string
	Kind   report.Kind
	Curves []*FamilyCurve // by machine, then family
}

// A FamilyCurve is the best model of one family on one machine: the one
// with the highest speedup at the machine's largest core count within its
// CPUs. Its points are speedups over the machine's own seq at 1 core; each
// point's Par is the model's gain over its own 1-core run.
type FamilyCurve struct {
	Machine *Machine
	Family  report.Family // threads, processes or concurrency
	Model   string
	Points  []*report.CorePoint
}

// compareFamilies are the model families a comparison draws, in legend
// order, with their names on the page.
var compareFamilies = []struct {
	key  report.Family
	name string
}{
	{report.FamilyThreads, "threads"},
	{report.FamilyProcesses, "processes"},
	{report.FamilyConcurrency, "concurrency-only"},
}

// FamilyName is the name of a family on the comparison's page:
// "concurrency-only" for the event loop and GIL models, which overlap
// waits but never run two compute steps at once.
func FamilyName(family report.Family) string {
	for _, f := range compareFamilies {
		if f.key == family {
			return f.name
		}
	}
	return family.String()
}

// Compare loads 2 to MaxCompare result sets, one machine each, and compares
// them with the first. Bad input, a set holding several machines, a
// repeated label or a set with no cell in common with the first returns an
// error wrapping *report.InputError.
func Compare(inputs []Input, opt Options) (*Comparison, error) {
	if len(inputs) < 2 || len(inputs) > MaxCompare {
		return nil, fmt.Errorf("compare needs 2 to %d result sets, got %d", MaxCompare, len(inputs))
	}
	cmp := &Comparison{Title: opt.Title, opt: opt}
	for _, in := range inputs {
		s, err := report.Load([]string{in.Path}, report.LoadOptions{Lax: opt.Lax})
		if err != nil {
			return nil, err
		}
		if len(s.Machines) > 1 {
			return nil, &report.InputError{File: in.Path, Msg: fmt.Sprintf(
				"holds results from %d machines (%s): give each machine's result directory or file as its own input",
				len(s.Machines), strings.Join(s.Machines, ", "))}
		}
		a, err := report.Analyze(s, report.Options{Margin: opt.Margin})
		if err != nil {
			return nil, err
		}
		cmp.Machines = append(cmp.Machines, &Machine{Label: in.Label, Path: in.Path, Analysis: a})
	}
	if err := cmp.label(); err != nil {
		return nil, err
	}
	if cmp.Title == "" {
		if len(cmp.Machines) == 2 {
			cmp.Title = fmt.Sprintf("concbench compare: %s vs %s", cmp.Machines[1].Label, cmp.Machines[0].Label)
		} else {
			cmp.Title = fmt.Sprintf("concbench compare: %d machines against %s", len(cmp.Machines), cmp.Machines[0].Label)
		}
	}
	base := cmp.Machines[0]
	for _, m := range cmp.Machines[1:] {
		p := newPair(base, m, cmp.margin())
		if len(p.Tables) == 0 {
			return nil, &report.InputError{File: m.Path, Msg: fmt.Sprintf(
				"no cell (benchmark name and core count with ns/op) in common with %s (%s): nothing to compare", base.Label, base.Path)}
		}
		cmp.Pairs = append(cmp.Pairs, p)
	}
	cmp.workloads()
	cmp.warnings()
	return cmp, nil
}

// label gives every machine a unique label: the one given, else its
// machine name; machines that share a name are told apart by the name of
// their result directory (the run's stamp), else by a number.
func (cmp *Comparison) label() error {
	explicit := map[string]string{}
	for _, m := range cmp.Machines {
		if m.Label == "" {
			continue
		}
		if p, ok := explicit[m.Label]; ok {
			return &report.InputError{File: m.Path, Msg: fmt.Sprintf("label %q is already given to %s", m.Label, p)}
		}
		explicit[m.Label] = m.Path
	}
	byName := map[string][]*Machine{}
	var names []string
	for _, m := range cmp.Machines {
		if m.Label != "" {
			continue
		}
		name := m.Set().Machines[0]
		if byName[name] == nil {
			names = append(names, name)
		}
		byName[name] = append(byName[name], m)
	}
	taken := func(l string) bool { _, ok := explicit[l]; return ok }
	for _, name := range names {
		ms := byName[name]
		if len(ms) == 1 && !taken(name) {
			ms[0].Label = name
			continue
		}
		stamps := map[string]bool{}
		ok := true
		for _, m := range ms {
			st := stampOf(m.Path)
			l := name + "@" + st
			if st == "" || st == name || stamps[l] || taken(l) {
				ok = false
				break
			}
			stamps[l] = true
		}
		for i, m := range ms {
			switch {
			case ok:
				m.Label = name + "@" + stampOf(m.Path)
			case i == 0 && !taken(name):
				m.Label = name
			default:
				n := i + 1
				for taken(fmt.Sprintf("%s#%d", name, n)) {
					n++
				}
				m.Label = fmt.Sprintf("%s#%d", name, n)
			}
			explicit[m.Label] = m.Path
		}
	}
	return nil
}

// stampOf is the name of the directory that holds a result set: the UTC
// stamp in results/<machine>/<stamp>/bench.txt.
func stampOf(path string) string {
	dir := path
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		dir = filepath.Dir(path)
	}
	b := filepath.Base(filepath.Clean(dir))
	if b == "." || b == string(filepath.Separator) {
		return ""
	}
	return b
}

// cellAt names a cell within a set, as a comparison pairs them: the
// same benchmark name at the same core count.
type cellAt struct {
	name  string
	cores int
}

func at(c *report.Cell) cellAt { return cellAt{c.Name, c.Cores} }

// timeCells returns a set's cells that have a makespan, by name and core
// count.
func timeCells(s *report.Set) map[cellAt]*report.Cell {
	out := map[cellAt]*report.Cell{}
	for _, c := range s.Cells {
		if _, ok := c.Stats[report.UnitTime]; ok {
			out[at(c)] = c
		}
	}
	return out
}

func newPair(base, other *Machine, margin float64) *Pair {
	p := &Pair{Base: base, Other: other, Claims: stats.NewClaims(stats.Options{Margin: margin})}
	bc, oc := timeCells(base.Set()), timeCells(other.Set())
	baseK, otherK := map[int]bool{}, map[int]bool{}
	for _, k := range base.Analysis.Cores {
		baseK[k] = true
	}
	for _, k := range other.Analysis.Cores {
		otherK[k] = true
		if !baseK[k] {
			p.OtherCores = append(p.OtherCores, k)
		}
	}
	for _, k := range base.Analysis.Cores {
		if !otherK[k] {
			p.BaseCores = append(p.BaseCores, k)
		}
	}
	tables := map[cellAt]*RatioTable{}
	for _, a := range base.Set().Cells {
		k := at(a)
		if bc[k] != a {
			continue
		}
		b := oc[k]
		if b == nil {
			if otherK[a.Cores] {
				p.OnlyBase = append(p.OnlyBase, a)
			}
			continue
		}
		cfg := a.Configuration()
		tk := cellAt{cfg, a.Cores}
		t := tables[tk]
		if t == nil {
			t = &RatioTable{Group: groupOf(a), Config: cfg, Cores: a.Cores,
				Oversub: base.Set().Oversubscribed(a.Cores) || other.Set().Oversubscribed(a.Cores)}
			tables[tk] = t
			p.Tables = append(p.Tables, t)
		}
		t.Rows = append(t.Rows, &RatioRow{Name: rowName(a), Base: a, Other: b, Ratio: report.Ratio(b.Stats[report.UnitTime], a.Stats[report.UnitTime])})
	}
	for _, b := range other.Set().Cells {
		k := at(b)
		if oc[k] == b && bc[k] == nil && baseK[b.Cores] {
			p.OnlyOther = append(p.OnlyOther, b)
		}
	}
	m := base.Set().Matrix
	slices.SortStableFunc(p.Tables, func(x, y *RatioTable) int {
		bx, by := x.Rows[0].Base, y.Rows[0].Base
		return cmp.Or(groupCompare(m, bx, by), m.ParamCompare(bx.Param(), by.Param()), cmp.Compare(x.Cores, y.Cores))
	})
	for _, t := range p.Tables {
		slices.SortStableFunc(t.Rows, func(r, s *RatioRow) int {
			x, y := r.Base, s.Base
			return cmp.Or(cmp.Compare(m.Rank(x.Model()), m.Rank(y.Model())), strings.Compare(x.Name, y.Name))
		})
		// One family per table: "how does this configuration at this
		// core count differ between the machines?" Each side carries the
		// noise moderated within its own machine's run.
		for _, r := range t.Rows {
			r.Claim = p.Claims.Add(t.Title(), other.Set().Side(r.Other), base.Set().Side(r.Base))
			r.margin = margin
		}
	}
	p.Claims.Decide()
	return p
}

func mapCells(cs []*report.Cell, f func(*report.Cell) string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = f(c)
	}
	return out
}

// skipReason is why a machine's runner skipped a cell, or "".
func (m *Machine) skipReason(name string, cores int) string {
	for _, s := range m.Set().Skips {
		if s.Name == name && s.Cores == cores {
			return s.Reason
		}
	}
	return ""
}

func cellLabel(c *report.Cell) string {
	return fmt.Sprintf("%s at %d %s", c.Name, c.Cores, prose.Plural(c.Cores, "core"))
}

// groupOf names the table a cell belongs to: its benchmark, and its
// workload when it has one.
func groupOf(c *report.Cell) string {
	if w := c.Workload(); w != "" {
		return c.Bench + "/workload=" + w
	}
	return c.Bench
}

// groupCompare orders tables: the matrix's benchmarks in its order, their
// workloads in its order, then foreign benchmarks by name.
func groupCompare(m *report.Matrix, x, y *report.Cell) int {
	return cmp.Or(cmp.Compare(m.BenchOrder(x.Bench), m.BenchOrder(y.Bench)), strings.Compare(x.Bench, y.Bench),
		cmp.Compare(m.Order(report.BenchCores, x.Workload()), m.Order(report.BenchCores, y.Workload())), strings.Compare(x.Workload(), y.Workload()))
}

// rowName names a cell within its table: its model, or for a foreign
// benchmark its name without the base name.
func rowName(c *report.Cell) string {
	if m := c.Model(); m != "" {
		return m
	}
	if s := strings.TrimPrefix(c.Name, c.Bench+"/"); s != c.Name {
		return s
	}
	return strings.TrimPrefix(c.Name, "Benchmark")
}

// Delta formats the row's decision in benchstat's style: the change of
// Other's makespan against Base's and the samples on each side, with the
// decision against the margin: "+50.00% (n=6+6)" for a decided change,
// "~ within 5% (n=6+6)" and "? undecided (n=2+2, ~3 more rounds)".
func (r *RatioRow) Delta() string {
	na, nb := r.Base.Stats[report.UnitTime].N, r.Other.Stats[report.UnitTime].N
	c := r.Claim
	if c == nil {
		return "?"
	}
	// The claim's ratio is Base/Other (Other's speedup); a change is its
	// inverse, as benchstat prints it.
	change := percent(1 / c.Ratio)
	switch c.Outcome {
	case stats.Faster, stats.Slower:
		return fmt.Sprintf("%s (n=%d+%d)", change, na, nb)
	case stats.Within:
		return fmt.Sprintf("~ within %s (n=%d+%d)", prose.Pct(r.margin), na, nb)
	}
	more := ""
	if c.MoreRounds > 0 {
		more = fmt.Sprintf(", ~%d more %s", c.MoreRounds, prose.Plural(c.MoreRounds, "round"))
	}
	return fmt.Sprintf("? undecided %s (n=%d+%d%s)", change, na, nb, more)
}

// Faster reports whether Other is faster than Base by more than the margin.
func (r *RatioRow) Faster() bool { return r.Claim != nil && r.Claim.Outcome == stats.Faster }

// Slower reports whether Other is slower than Base by more than the margin.
func (r *RatioRow) Slower() bool { return r.Claim != nil && r.Claim.Outcome == stats.Slower }

// Within reports whether the two are within the margin of each other.
func (r *RatioRow) Within() bool { return r.Claim != nil && r.Claim.Outcome == stats.Within }

// percent formats a ratio as a change: 1.5 → "+50.00%".
func percent(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "?"
	}
	d := (ratio - 1) * 100
	if math.Abs(d) < 0.005 {
		d = 0 // no "-0.00%"
	}
	return fmt.Sprintf("%+.2f%%", d)
}

// Geomean is the geometric mean of the rows' makespan ratios.
func (t *RatioTable) Geomean() float64 { return geomeanRows(t.Rows) }

// Geomean is the geometric mean of the makespan ratios of every cell the
// two machines share.
func (p *Pair) Geomean() float64 { return geomeanRows(p.Rows()) }

// GroupGeomean is the geometric mean of the makespan ratios of the cells
// of one group (a workload of BenchmarkCores or BenchmarkFanout, another
// benchmark), over all its configurations and core counts; NaN if the
// machines share none.
func (p *Pair) GroupGeomean(group string) float64 {
	var rows []*RatioRow
	for _, t := range p.Tables {
		if t.Group == group {
			rows = append(rows, t.Rows...)
		}
	}
	return geomeanRows(rows)
}

// Rows lists every row of every table.
func (p *Pair) Rows() []*RatioRow {
	var out []*RatioRow
	for _, t := range p.Tables {
		out = append(out, t.Rows...)
	}
	return out
}

// Counts returns how many of the pair's cells Other runs faster or slower
// by more than the margin, within it, and undecided.
func (p *Pair) Counts() RowCounts { return countRows(p.Rows()) }

// RowCounts counts ratio rows by decision.
type RowCounts struct{ Faster, Slower, Within, Undecided int }

func countRows(rows []*RatioRow) RowCounts {
	var n RowCounts
	for _, r := range rows {
		switch {
		case r.Faster():
			n.Faster++
		case r.Slower():
			n.Slower++
		case r.Within():
			n.Within++
		default:
			n.Undecided++
		}
	}
	return n
}

func geomeanRows(rows []*RatioRow) float64 {
	sum, n := 0.0, 0
	for _, r := range rows {
		if v := r.Ratio.Value; v > 0 && !math.IsInf(v, 0) {
			sum += math.Log(v)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Exp(sum / float64(n))
}

// geomeanMedians is the geometric mean of the cells' median makespans.
func geomeanMedians(cells []*report.Cell) float64 {
	sum, n := 0.0, 0
	for _, c := range cells {
		if v := c.Median(report.UnitTime); v > 0 && !math.IsInf(v, 0) {
			sum += math.Log(v)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Exp(sum / float64(n))
}

// workloads picks, for every BenchmarkCores workload and machine, the best
// Go model of each family.
func (cmp *Comparison) workloads() {
	seen := map[string]bool{}
	var names []string
	for _, m := range cmp.Machines {
		for _, w := range m.Analysis.Workloads {
			if !seen[w.Name] {
				seen[w.Name] = true
				names = append(names, w.Name)
			}
		}
	}
	m := cmp.matrix()
	slices.SortStableFunc(names, func(x, y string) int {
		return m.Order(report.BenchCores, x) - m.Order(report.BenchCores, y) // small ordinals: no overflow
	})
	for _, name := range names {
		wc := &WorkloadCompare{Name: name}
		for _, m := range cmp.Machines {
			if w := m.workload(name); w != nil && wc.Kind == report.KindUnknown {
				wc.Kind = w.Kind
			}
		}
		for _, m := range cmp.Machines {
			w := m.workload(name)
			if w == nil {
				continue
			}
			for _, f := range compareFamilies {
				if fc := bestOfFamily(m, w, f.key); fc != nil {
					wc.Curves = append(wc.Curves, fc)
				}
			}
		}
		cmp.Workloads = append(cmp.Workloads, wc)
	}
}

func (m *Machine) workload(name string) *report.Workload {
	for _, w := range m.Analysis.Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// bestOfFamily is the Go model of a family with the highest speedup at the
// machine's largest core count within its CPUs (the largest it has, if it
// lacks that one); nil if the family has no model with speedups.
func bestOfFamily(m *Machine, w *report.Workload, family report.Family) *FamilyCurve {
	var best *report.Scaling
	bestV := math.Inf(-1)
	for _, s := range w.Models {
		if s.Family != family || s.Python {
			continue
		}
		p := s.Point(m.Analysis.MaxCores)
		if p == nil {
			for _, q := range s.Points {
				if !q.Oversub {
					p = q
				}
			}
		}
		if p == nil || math.IsNaN(p.Speedup.Value) {
			continue
		}
		if p.Speedup.Value > bestV {
			best, bestV = s, p.Speedup.Value
		}
	}
	if best == nil {
		return nil
	}
	return &FamilyCurve{Machine: m, Family: family, Model: best.Model, Points: best.Points}
}

// Point returns the curve's point at k cores, or nil.
func (f *FamilyCurve) Point(k int) *report.CorePoint {
	for _, p := range f.Points {
		if p.Cores == k {
			return p
		}
	}
	return nil
}

// Efficiency is the model's parallel efficiency at p: its gain over its
// own 1-core run divided by the cores, with the gain's interval.
func Efficiency(p *report.CorePoint) report.Estimate {
	k := float64(p.Cores)
	return report.Estimate{Value: p.Par.Value / k, Lo: p.Par.Lo / k, Hi: p.Par.Hi / k}
}

// warnings says what makes the machines less than comparable: different
// profiles, Go versions or harness commits, cells one side lacks,
// interrupted runs, too few samples, and the sets' own load warnings.
func (cmp *Comparison) warnings() {
	w := func(format string, args ...any) { cmp.Warnings = append(cmp.Warnings, fmt.Sprintf(format, args...)) }
	differ := func(key, what, why string) {
		vals := map[string][]string{}
		var order []string
		for _, m := range cmp.Machines {
			v := m.Fingerprint(key)
			if v == "" {
				v = "unknown"
			}
			if vals[v] == nil {
				order = append(order, v)
			}
			vals[v] = append(vals[v], m.Label)
		}
		if len(order) < 2 {
			return
		}
		var parts []string
		for _, v := range order {
			parts = append(parts, fmt.Sprintf("%s (%s)", v, prose.List(vals[v], 4)))
		}
		w("different %s: %s; %s", what, strings.Join(parts, ", "), why)
	}
	differ("profile", "profiles", "batches and sample counts differ, so cells measure different amounts of work or noise")
	differ("go-version", "Go versions", "runtime and compiler changes are part of every difference")
	differ("commit", "concbench commits", "the harness itself may differ between the runs")
	for _, m := range cmp.Machines {
		s := m.Set()
		if s.Incomplete {
			w("%s is an incomplete run (interrupted): it lacks cells and its last cell may have fewer samples", m.Label)
		}
		few := 0
		for _, c := range s.Cells {
			if st, ok := c.Stats[report.UnitTime]; ok && st.N < report.MinSamples {
				few++
			}
		}
		if few > 0 {
			w("%s: %d of %d cells have fewer than %d samples; their intervals are wide and their differences often undecided",
				m.Label, few, len(s.Cells), report.MinSamples)
		}
		for _, e := range s.Warnings {
			w("%s: %v", m.Label, e)
		}
	}
	for _, p := range cmp.Pairs {
		if n := len(p.OnlyBase); n > 0 {
			w("%s lacks %d %s that %s has, e.g. %s", p.Other.Label, n, prose.Plural(n, "cell"), p.Base.Label, prose.List(mapCells(p.OnlyBase, cellLabel), 3))
		}
		if n := len(p.OnlyOther); n > 0 {
			w("%s has %d %s that %s lacks (not compared), e.g. %s", p.Other.Label, n, prose.Plural(n, "cell"), p.Base.Label, prose.List(mapCells(p.OnlyOther, cellLabel), 3))
		}
		// Undecided rows say how many more rounds would decide them.
		if n := p.Counts(); n.Undecided > 0 {
			more := 0
			for _, r := range p.Rows() {
				if r.Claim != nil && r.Claim.Outcome == stats.Undecided && r.Claim.MoreRounds > 0 {
					more = max(more, r.Claim.MoreRounds)
				}
			}
			msg := fmt.Sprintf("%s vs %s: %d of %d cells are undecided against the %s margin", p.Other.Label, p.Base.Label,
				n.Undecided, len(p.Rows()), prose.Pct(p.Claims.Options().Margin))
			if more > 0 {
				msg += fmt.Sprintf("; up to about %d more rounds on each machine would decide those that can be", more)
			}
			w("%s", msg)
		}
	}
	for i, m := range cmp.Machines {
		for _, o := range cmp.Machines[:i] {
			if sameFiles(m.Set().Files, o.Set().Files) {
				w("%s and %s are the same files", o.Label, m.Label)
			}
		}
	}
}

func sameFiles(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, err1 := filepath.Abs(a[i])
		y, err2 := filepath.Abs(b[i])
		if err1 != nil || err2 != nil || x != y {
			return false
		}
	}
	return true
}

// margin is the comparison's practical margin.
func (cmp *Comparison) margin() float64 {
	if cmp.opt.Margin == 0 {
		return report.DefaultMargin
	}
	return cmp.opt.Margin
}

// matrix is the comparison's description of the matrix: the first
// machine's that describes one (their models and order are the same
// across concbench's result sets), else the baseline's.
func (cmp *Comparison) matrix() *report.Matrix {
	for _, m := range cmp.Machines {
		if m.Set().Matrix.Described {
			return m.Set().Matrix
		}
	}
	return cmp.Machines[0].Set().Matrix
}
