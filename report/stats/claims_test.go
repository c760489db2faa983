package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// cellSpec is a synthetic cell: its true log-mean and noise, its stratum.
type cellSpec struct {
	stratum string
	mean    float64
	sigma   float64
	n       int
}

// buildCells draws every cell. A cell's noise is its stratum's, give or
// take a factor of 1.35 (one sd), and with probability outliers per
// sample one of its samples is a 1.3× outlier (a noisy neighbour in one
// round: when every sample of a cell is slow, the cell is slow, which no
// statistics can tell from an effect); cells are moderated together.
func buildCells(rng *rand.Rand, specs []cellSpec, outliers float64) []Side {
	st := make([]Stratified, len(specs))
	for i, s := range specs {
		v := drawCell(rng, s.n, s.mean, s.sigma*math.Exp(0.3*rng.NormFloat64()))
		if rng.Float64() < outliers*float64(len(v)) {
			v[rng.IntN(len(v))] *= 1.3
		}
		st[i] = Stratified{Stratum: s.stratum, Sample: NewSample(v)}
	}
	noise, _ := Moderate(st)
	sides := make([]Side, len(specs))
	for i := range st {
		sides[i] = Side{Sample: st[i].Sample, Noise: noise[i]}
	}
	return sides
}

// report builds a report-shaped claim set: families of 17 claims (a model
// against the baseline, as a verdict asks), every cell with true log-mean
// effect(f, c), noise per stratum as in a real run (0.5% to 20%; family f
// has noise sigmas[f%len(sigmas)]), with outliers as in buildCells.
func reportClaims(seed uint64, n, families int, sigmas []float64, outliers float64, effect func(f, c int) float64) *Claims {
	rng := rand.New(rand.NewPCG(seed, 7))
	var specs []cellSpec
	for f := 0; f < families; f++ {
		// A stratum is one noise level, as one benchmark configuration's
		// cells are.
		sigma := sigmas[f%len(sigmas)]
		stratum := fmt.Sprint("s", f%len(sigmas))
		specs = append(specs, cellSpec{stratum, 0, sigma, n}) // the baseline
		for c := 0; c < 17; c++ {
			specs = append(specs, cellSpec{stratum, -effect(f, c), sigma, n})
		}
	}
	sides := buildCells(rng, specs, outliers)
	cs := NewClaims(Options{})
	i := 0
	for f := 0; f < families; f++ {
		base := sides[i]
		i++
		for c := 0; c < 17; c++ {
			cs.Add(fmt.Sprint("f", f), sides[i], base)
			i++
		}
	}
	cs.Decide()
	return cs
}

// Noise levels of real cells: BenchmarkCores cells on a 16-core VM have
// log-scale sd from 0.5% to 8%, a few reach 20%.
var (
	quietNoise = []float64{0.005, 0.01, 0.02}
	coresNoise = []float64{0.005, 0.01, 0.02, 0.04}
	wideNoise  = []float64{0.005, 0.01, 0.02, 0.04, 0.08, 0.2}
)

// aaReports counts, over seeds, the A/A reports (every cell drawn from the
// baseline's own distribution) that decide any faster or slower claim.
func aaReports(t *testing.T, n, reports int, sigmas []float64) (bad int) {
	for seed := uint64(1); seed <= uint64(reports); seed++ {
		cs := reportClaims(seed, n, 35, sigmas, 0.01, func(int, int) float64 { return 0 })
		wrong := 0
		for _, c := range cs.All() {
			if c.Outcome == Faster || c.Outcome == Slower {
				wrong++
				t.Logf("n=%d seed=%d %s: %v %.3g× [%.3g, %.3g]", n, seed, c.Family, c.Outcome, c.Ratio, c.Lo, c.Hi)
			}
		}
		if wrong > 0 {
			bad++
		}
	}
	return bad
}

// TestAA: in quiet strata (up to 2% noise, most BenchmarkCores cells)
// the margin keeps every A/A report free of faster and slower decisions, at
// any sample count. Noisier cells are held to the nominal rate below.
func TestAA(t *testing.T) {
	for _, n := range []int{2, 3, 5, 8} {
		if bad := aaReports(t, n, 40, quietNoise); bad > 0 {
			t.Errorf("n=%d: %d of 40 A/A reports decide a difference, want none", n, bad)
		}
	}
}

// TestAACalibration: with cells so noisy (8% to 20%) that the margin no
// longer helps, the rule runs at its nominal level: under a complete null,
// Benjamini–Hochberg selects any family with probability at most α = 5%.
// The bound allows 2α over 100 reports for the binomial spread and for
// cells whose noise strays from their stratum's (the empirical-Bayes prior
// is calibrated on average over the strata, not for each cell).
func TestAACalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("100 reports per sample count")
	}
	for _, n := range []int{2, 3, 8} {
		if bad := aaReports(t, n, 100, wideNoise); bad > 10 {
			t.Errorf("n=%d: %d of 100 A/A reports decide a difference, want at most 10", n, bad)
		}
	}
}

// TestKnownEffect: a 2× and a 1.5× effect must always be decided at n = 3,
// whatever the draw, in a report of 35 families, with noise up to 4% (no
// outliers: a 1.3× outlier in a 3-sample cell rightly leaves it to its own
// 2 degrees of freedom).
func TestKnownEffect(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		cs := reportClaims(seed, 3, 35, coresNoise, 0, func(f, c int) float64 {
			if c%2 == 0 {
				return math.Log(2)
			}
			return math.Log(1.5)
		})
		for _, c := range cs.All() {
			if c.Outcome != Faster {
				t.Fatalf("seed %d: %s: %.3g× [%.3g, %.3g] %v at level %.2g, want faster", seed, c.Family, c.Ratio, c.Lo, c.Hi, c.Outcome, c.Level)
			}
		}
	}
}

// TestIntervalsMatchDecisions: a decision is the interval at the claim's
// level lying wholly on one side of the margin, and nothing else.
func TestIntervalsMatchDecisions(t *testing.T) {
	cs := reportClaims(5, 3, 20, wideNoise, 0.01, func(f, c int) float64 { return float64(c-8) * 0.03 })
	lo, hi := 1/1.05, 1.05
	for _, c := range cs.All() {
		want := Undecided
		switch {
		case c.Lo > hi:
			want = Faster
		case c.Hi < lo:
			want = Slower
		case c.Lo > lo && c.Hi < hi:
			want = Within
		}
		got := c.Outcome
		if c.Vetoed {
			got = c.Lean
		}
		if c.Level > 0 && got != want && cs.selected > 0 {
			t.Errorf("%s: ratio %.3g [%.3g, %.3g] at level %.3g: %v, want %v", c.Family, c.Ratio, c.Lo, c.Hi, c.Level, c.Outcome, want)
		}
		if !(c.Lo <= c.Ratio && c.Ratio <= c.Hi) {
			t.Errorf("%s: ratio %.3g outside its interval [%.3g, %.3g]", c.Family, c.Ratio, c.Lo, c.Hi)
		}
	}
}

func side(mean, v float64, n int, df float64) Side {
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = math.Exp(mean)
	}
	return Side{Sample: Sample{N: n, Mean: mean, Var: v, Values: vals}, Noise: Noise{Var: v, DF: df}}
}

// TestMoreRounds: the estimate is the fewest rounds that decide.
func TestMoreRounds(t *testing.T) {
	cs := NewClaims(Options{})
	c := cs.Add("f", side(-0.12, 0.01, 3, 2), side(0, 0.01, 3, 2))
	cs.Decide()
	if c.Outcome != Undecided {
		t.Fatalf("outcome %v, want undecided (ratio %.3g [%.3g, %.3g])", c.Outcome, c.Ratio, c.Lo, c.Hi)
	}
	r := c.MoreRounds
	if r <= 0 {
		t.Fatalf("MoreRounds %d, want a positive estimate", r)
	}
	at := func(r int) Outcome {
		cs := NewClaims(Options{})
		c := cs.Add("f", side(-0.12, 0.01, 3+r, 2+float64(r)), side(0, 0.01, 3+r, 2+float64(r)))
		cs.Decide()
		return c.Outcome
	}
	if got := at(r); got != Faster {
		t.Errorf("after %d more rounds: %v, want faster", r, got)
	}
	if got := at(r - 1); got != Undecided {
		t.Errorf("after %d more rounds: %v, want still undecided", r-1, got)
	}
	// On the margin's edge no number of rounds decides.
	cs = NewClaims(Options{})
	c = cs.Add("f", side(-math.Log(1.05), 0.01, 3, 2), side(0, 0.01, 3, 2))
	cs.Decide()
	if c.MoreRounds != -1 {
		t.Errorf("on the edge: MoreRounds %d, want -1", c.MoreRounds)
	}
}

// TestHolmAndBH checks the correction with preset p-values: Holm steps
// within a family, BH selects families.
func TestHolmAndBH(t *testing.T) {
	cs := NewClaims(Options{Alpha: 0.05})
	mk := func(fam string, p float64) *Claim {
		c := &Claim{Family: fam, P: p, Lean: Faster, Log: 1, SE: 0.1, DF: 10, MedianRatio: 3, MoreRounds: -1}
		cs.file(c)
		return c
	}
	// Family a: 4 claims; Holm at level L: 0.001 ≤ L/4, 0.01 ≤ L/3, 0.02 > L/2 stops.
	a1, a2, a3, a4 := mk("a", 0.001), mk("a", 0.01), mk("a", 0.02), mk("a", 0.3)
	// Family b: nothing below its Bonferroni bound: BH leaves it out.
	b1 := mk("b", 0.2)
	// Family c: one strong claim.
	c1 := mk("c", 1e-6)
	cs.Decide()
	// Family p: a 0.004, b 0.2, c 1e-6; BH over 3 at 0.05: sorted 1e-6 ≤
	// 0.0167, 0.004 ≤ 0.033, 0.2 > 0.05: R = 2. Level = 0.05·2/3.
	if cs.Selected() != 2 {
		t.Fatalf("selected %d families, want 2", cs.Selected())
	}
	L := 0.05 * 2 / 3
	for _, tc := range []struct {
		c     *Claim
		want  Outcome
		level float64
	}{
		{a1, Faster, L / 4}, {a2, Faster, L / 3}, {a3, Undecided, L / 2}, {a4, Undecided, L / 2},
		{b1, Undecided, L / 1}, {c1, Faster, L},
	} {
		if tc.c.Outcome != tc.want || math.Abs(tc.c.Level-tc.level) > 1e-15 {
			t.Errorf("%s p=%v: %v at level %v, want %v at %v", tc.c.Family, tc.c.P, tc.c.Outcome, tc.c.Level, tc.want, tc.level)
		}
	}
}

// TestVeto: a mean carried by outliers is not a decision when the medians
// do not agree.
func TestVeto(t *testing.T) {
	vals := []float64{0.01, 0.01, 0.01, 1, 1, 1, 1, 1}
	x := NewSample(vals)
	ref := NewSample([]float64{1, 1.001, 0.999, 1.002, 0.998, 1, 1.001, 0.999})
	cs := NewClaims(Options{})
	// Noise moderated far down, as a quiet stratum would pull it.
	c := cs.Add("f", Side{Sample: x, Noise: Noise{Var: 0.05, DF: 30}}, Side{Sample: ref, Noise: Noise{Var: 1e-6, DF: 30}})
	cs.Decide()
	if c.Lean != Faster || c.Outcome != Undecided || !c.Vetoed {
		t.Errorf("lean %v outcome %v vetoed %v, want faster withheld: median ratio %.3g", c.Lean, c.Outcome, c.Vetoed, c.MedianRatio)
	}
}

func TestAddAfterDecidePanics(t *testing.T) {
	cs := NewClaims(Options{})
	cs.Decide()
	defer func() {
		if recover() == nil {
			t.Error("Add after Decide did not panic")
		}
	}()
	cs.Add("f", side(0, 0.01, 3, 2), side(0, 0.01, 3, 2))
}

func TestUMinP(t *testing.T) {
	for _, tc := range []struct {
		a, b int
		want float64
	}{{8, 8, 2.0 / 12870}, {3, 3, 0.1}, {4, 4, 2.0 / 70}, {2, 8, 2.0 / 45}} {
		if got := UMinP(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("UMinP(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLooks: a claim whose cells had adaptive rounds is corrected for its
// looks (its p-value times 1+L, its interval at level/(1+L)), and a claim
// beside it without looks keeps its p-value (its level moves only as
// Benjamini–Hochberg's count of selected families does).
func TestLooks(t *testing.T) {
	decide := func(looks int) (*Claim, *Claim) {
		cs := NewClaims(Options{})
		x := side(-0.3, 0.01, 3, 4)
		x.Looks = looks
		c := cs.Add("f", x, side(0, 0.01, 3, 4))
		other := cs.Add("g", side(-0.3, 0.01, 3, 4), side(0, 0.01, 3, 4))
		cs.Decide()
		return c, other
	}
	c0, o0 := decide(0)
	c4, o4 := decide(4)
	if math.Abs(c4.P-math.Min(1, 5*c0.P)) > 1e-12 || c4.Looks != 4 {
		t.Errorf("p with 4 looks %v, want 5 × %v", c4.P, c0.P)
	}
	if !(c4.Hi-c4.Lo > c0.Hi-c0.Lo) {
		t.Errorf("interval with 4 looks [%v, %v] not wider than without [%v, %v]", c4.Lo, c4.Hi, c0.Lo, c0.Hi)
	}
	if o4.P != o0.P || o4.Outcome != o0.Outcome {
		t.Errorf("a claim without looks changed beside one with: %+v vs %+v", o4, o0)
	}
}
