package report

import (
	"fmt"
	"math"
	"sort"

	mstats "github.com/montanaflynn/stats"
	"golang.org/x/perf/benchmath"
)

// Confidence is the confidence level of every interval in a report, as
// benchstat's default.
const Confidence = 0.95

// Alpha is the family-wise significance level of the claims in a report.
const Alpha = 0.05

// MinSamples is the fewest samples a cell should have; fewer draws a warning.
const MinSamples = 6

// MaxCV is the coefficient of variation above which a cell is called noisy.
const MaxCV = 0.05

// A Summary describes one cell's samples of one unit: the median with its
// distribution-free confidence interval (benchmath.AssumeNothing, so the
// numbers equal benchstat's) and descriptive figures.
type Summary struct {
	Median, Lo, Hi float64 // Lo, Hi may be ±Inf with too few samples
	N              int
	Mean, CV       float64 // CV: sample standard deviation / mean
	P10, P90       float64 // percentiles of the samples
	Min, Max       float64

	sample *benchmath.Sample
}

// Summarize computes the Summary of values, which it sorts in place.
func Summarize(values []float64) Summary {
	sm := benchmath.NewSample(values, &benchmath.DefaultThresholds)
	ci := benchmath.AssumeNothing.Summary(sm, Confidence)
	s := Summary{Median: ci.Center, Lo: ci.Lo, Hi: ci.Hi, N: len(values), sample: sm}
	data := mstats.Float64Data(values)
	s.Min, _ = data.Min()
	s.Max, _ = data.Max()
	s.Mean, _ = data.Mean()
	if sd, err := data.StandardDeviationSample(); err == nil && s.Mean != 0 {
		s.CV = sd / math.Abs(s.Mean)
	}
	s.P10, _ = data.Percentile(10)
	s.P90, _ = data.Percentile(90)
	return s
}

// UTest returns the two-sided Mann–Whitney U test p-value of two summaries'
// samples, as benchstat computes it.
func UTest(a, b Summary) float64 {
	if a.sample == nil || b.sample == nil {
		return 1
	}
	return benchmath.AssumeNothing.Compare(a.sample, b.sample).P
}

// An Estimate is a ratio with its confidence interval.
type Estimate struct{ Value, Lo, Hi float64 }

// Ratio estimates num/den from two medians. Its interval divides the
// bounds of the medians' intervals crosswise, [num.Lo/den.Hi,
// num.Hi/den.Lo]: conservative, its coverage is at least that of the two
// intervals together.
func Ratio(num, den Summary) Estimate {
	e := Estimate{Value: num.Median / den.Median, Lo: num.Lo / den.Hi, Hi: math.Inf(1)}
	if den.Lo > 0 {
		e.Hi = num.Hi / den.Lo
	}
	if math.IsNaN(e.Lo) || e.Lo < 0 {
		e.Lo = 0
	}
	if math.IsNaN(e.Hi) {
		e.Hi = math.Inf(1)
	}
	return e
}

// Mul multiplies two estimates: a product of ratios, its interval the
// product of the bounds (conservative again).
func (e Estimate) Mul(f Estimate) Estimate {
	return Estimate{e.Value * f.Value, e.Lo * f.Lo, e.Hi * f.Hi}
}

// Finite reports whether the interval is finite.
func (e Estimate) Finite() bool {
	return !math.IsInf(e.Hi, 0) && !math.IsInf(e.Lo, 0) && !math.IsNaN(e.Value)
}

// String formats a ratio as "61× [58, 63]".
func (e Estimate) String() string {
	if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
		return "?"
	}
	if !e.Finite() {
		return fmt.Sprintf("%s× [no CI]", num(e.Value))
	}
	return fmt.Sprintf("%s× [%s, %s]", num(e.Value), num(e.Lo), num(e.Hi))
}

// num formats a positive number with about three significant digits.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return "?"
	case a == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.01:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// A Claim is a statement that cell A differs from cell B in Unit (lower is
// better for ns/op). Its p-value comes from the U test; PAdj is Holm's
// adjustment across every claim of the report.
type Claim struct {
	A, B        *Cell
	Unit        string
	P, PAdj     float64
	Significant bool // PAdj < Alpha
}

// Lower reports whether the claim shows cell x significantly below the
// other cell in Unit (for ns/op: faster).
func (c *Claim) Lower(x *Cell) bool {
	if c == nil || !c.Significant {
		return false
	}
	a, b := c.A.Stats[c.Unit].Median, c.B.Stats[c.Unit].Median
	if x == c.A {
		return a < b
	}
	return b < a
}

// PString formats the adjusted p-value, benchstat style.
func (c *Claim) PString() string {
	if c == nil {
		return ""
	}
	if c.PAdj < 0.001 {
		return "p<0.001"
	}
	return fmt.Sprintf("p=%.3f", c.PAdj)
}

// Claims collects the claims of a report, one per pair of cells, so that
// Holm's correction counts each comparison once.
type Claims struct {
	list  []*Claim
	index map[[2]*Cell]*Claim
}

// Add returns the claim comparing a with b in unit, creating it. It returns
// nil if either cell lacks the unit.
func (cs *Claims) Add(a, b *Cell, unit string) *Claim {
	if a == nil || b == nil || a == b {
		return nil
	}
	sa, ok1 := a.Stats[unit]
	sb, ok2 := b.Stats[unit]
	if !ok1 || !ok2 {
		return nil
	}
	if cs.index == nil {
		cs.index = map[[2]*Cell]*Claim{}
	}
	if c, ok := cs.index[[2]*Cell{a, b}]; ok {
		return c
	}
	c := &Claim{A: a, B: b, Unit: unit, P: UTest(sa, sb)}
	cs.index[[2]*Cell{a, b}] = c
	cs.index[[2]*Cell{b, a}] = c
	cs.list = append(cs.list, c)
	return c
}

// Len is the number of distinct comparisons.
func (cs *Claims) Len() int { return len(cs.list) }

// Holm adjusts every claim's p-value for the number of claims (Holm's
// step-down method) and marks those below Alpha significant.
func (cs *Claims) Holm() {
	m := len(cs.list)
	sorted := append([]*Claim(nil), cs.list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].P < sorted[j].P })
	running := 0.0
	for i, c := range sorted {
		adj := math.Min(1, float64(m-i)*c.P)
		running = math.Max(running, adj)
		c.PAdj = running
		c.Significant = c.PAdj < Alpha
	}
}
