package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

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
		t.Rows = append(t.Rows, &RatioRow{Name: rowName(a), Base: a, Other: b, Ratio: makespanRatio(base.Set().Side(a), other.Set().Side(b))})
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

// makespanRatio is other's makespan over base's: the ratio of their
// geometric means with its 95% Welch interval, each side's noise
// moderated within its own machine's run. It is the estimator a row's
// claim decides on (stats.Speedup of base over other).
func makespanRatio(base, other stats.Side) report.Estimate {
	r, lo, hi := stats.Speedup(base, other, report.Confidence)
	return report.Estimate{Value: r, Lo: lo, Hi: hi}
}
