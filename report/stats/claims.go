package stats

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
	"gonum.org/v1/gonum/stat/distuv"
)

// An Outcome is what a claim decides about cell x against a reference.
type Outcome int8

const (
	// Undecided: the interval straddles an edge of the margin.
	Undecided Outcome = iota
	// Faster: x is faster than the reference by more than the margin.
	Faster
	// Within: x and the reference are within the margin of each other.
	Within
	// Slower: x is slower than the reference by more than the margin.
	Slower
)

func (o Outcome) String() string {
	switch o {
	case Faster:
		return "faster"
	case Within:
		return "within"
	case Slower:
		return "slower"
	}
	return "undecided"
}

// Decided reports whether the outcome is a decision.
func (o Outcome) Decided() bool { return o != Undecided }

// Options set a claim set's decision rule.
type Options struct {
	// Margin is the practical margin: x beats the reference only when the
	// ratio's interval lies wholly above 1+Margin. Default 0.05.
	Margin float64
	// Alpha is the error rate controlled per family (Holm) and as a false
	// discovery rate of families (Benjamini–Hochberg). Default 0.05.
	Alpha float64
	// MaxRounds bounds the more-rounds estimate of an undecided claim.
	// Default 100.
	MaxRounds int
}

func (o Options) withDefaults() Options {
	if o.Margin <= 0 {
		o.Margin = 0.05
	}
	if o.Alpha <= 0 {
		o.Alpha = 0.05
	}
	if o.MaxRounds <= 0 {
		o.MaxRounds = 100
	}
	return o
}

// A Side is one cell of a claim: its sample and moderated noise.
type Side struct {
	Sample Sample
	Noise  Noise
	// Looks is how many adaptive rounds added samples to the cell: rounds
	// that re-ran only the cells a report had left undecided. Each was a
	// chance to stop on a lucky draw.
	Looks int
}

// A Claim compares cell X with a reference cell Ref in one family.
type Claim struct {
	Family string
	X, Ref Side

	// Log is ln(Ref/X) of the geometric means: > 0 when X is faster.
	Log, SE, DF float64
	// Ratio is exp(Log), X's speedup over Ref.
	Ratio float64
	// MedianRatio is median(Ref)/median(X).
	MedianRatio float64
	// P is the two-sided p-value of the decision the data lean to, Lean,
	// times 1+Looks: a claim whose cells had adaptive rounds is corrected
	// for its looks (Bonferroni), and only it.
	P    float64
	Lean Outcome
	// Looks is the more adaptive rounds of its two cells.
	Looks int

	// Set by Decide.
	Outcome Outcome
	// Level is the error rate the claim was tested at: the family's Holm
	// step, scaled by Benjamini–Hochberg across families.
	Level float64
	// Lo and Hi bound Ratio at confidence 1−Level: the decision is that
	// interval lying wholly outside or wholly inside the margin.
	Lo, Hi float64
	// Vetoed says a faster or slower decision was withheld because the
	// Mann–Whitney U test or the medians did not agree with it.
	Vetoed bool
	// MoreRounds estimates, for an undecided claim, how many more rounds
	// (one sample more per cell each) would likely decide it: 0 when
	// decided, −1 when not within Options.MaxRounds or not estimable.
	MoreRounds int
}

// A family is the claims of one question.
type family struct {
	name   string
	claims []*Claim
	p      float64 // Bonferroni global p: m·min p
}

// Claims is a set of claims grouped into families. Add every claim, then
// Decide once; the set is frozen after that.
type Claims struct {
	opt      Options
	families map[string]*family
	order    []*family
	list     []*Claim
	decided  bool
	selected int // families that Benjamini–Hochberg selected
	quantile map[[2]float64]float64
}

// NewClaims returns an empty set with the given decision rule.
func NewClaims(opt Options) *Claims {
	return &Claims{opt: opt.withDefaults(), families: map[string]*family{}, quantile: map[[2]float64]float64{}}
}

// Options returns the set's decision rule, defaults filled in.
func (cs *Claims) Options() Options { return cs.opt }

// Add compares x with ref (x faster when its times are lower) in the family
// called name,
// and returns the claim; Decide fills in its outcome. Adding to a decided
// set panics: a decision made over one family size cannot take more claims.
func (cs *Claims) Add(name string, x, ref Side) *Claim {
	if cs.decided {
		panic("stats: Claims.Add after Decide")
	}
	c := &Claim{Family: name, X: x, Ref: ref, MoreRounds: -1}
	c.MedianRatio = ref.Sample.Median() / x.Sample.Median()
	c.Log = ref.Sample.Mean - x.Sample.Mean
	c.Ratio = math.Exp(c.Log)
	c.SE, c.DF = welch(x, ref)
	c.Looks = max(0, x.Looks, ref.Looks)
	c.P, c.Lean = cs.pValue(c.Log, c.SE, c.DF)
	c.P = math.Min(1, c.P*float64(1+c.Looks))
	cs.file(c)
	return c
}

// file adds c to the set, in its family.
func (cs *Claims) file(c *Claim) {
	f := cs.families[c.Family]
	if f == nil {
		f = &family{name: c.Family}
		cs.families[c.Family] = f
		cs.order = append(cs.order, f)
	}
	f.claims = append(f.claims, c)
	cs.list = append(cs.list, c)
}

// welch returns the standard error of the difference of two log means and
// its Welch–Satterthwaite degrees of freedom; DF 0 when either side's noise
// is unknown.
func welch(x, ref Side) (se, df float64) {
	if x.Sample.N == 0 || ref.Sample.N == 0 || x.Noise.DF <= 0 || ref.Noise.DF <= 0 {
		return math.NaN(), 0
	}
	a := x.Noise.Var / float64(x.Sample.N)
	b := ref.Noise.Var / float64(ref.Sample.N)
	se = math.Sqrt(a + b)
	if a+b == 0 {
		return 0, x.Noise.DF + ref.Noise.DF
	}
	df = (a + b) * (a + b) / (a*a/x.Noise.DF + b*b/ref.Noise.DF)
	return se, df
}

// pValue returns the two-sided p-value of the decision the estimate leans
// to: faster (H0: ratio ≤ 1+m), slower (H0: ratio ≥ 1/(1+m)), or within
// (two one-sided tests, H0: outside the margin).
func (cs *Claims) pValue(d, se, df float64) (float64, Outcome) {
	if df <= 0 || math.IsNaN(se) || math.IsNaN(d) {
		return 1, Undecided
	}
	delta := math.Log1p(cs.opt.Margin)
	if se == 0 {
		switch {
		case d > delta:
			return 0, Faster
		case d < -delta:
			return 0, Slower
		case math.Abs(d) < delta:
			return 0, Within
		}
		return 1, Undecided
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	pF := t.Survival((d - delta) / se)
	pS := t.CDF((d + delta) / se)
	pW := math.Max(t.CDF((d-delta)/se), t.Survival((d+delta)/se))
	p, lean := pF, Faster
	if pS < p {
		p, lean = pS, Slower
	}
	if pW < p {
		p, lean = pW, Within
	}
	return math.Min(1, 2*p), lean
}

// Len is the number of claims.
func (cs *Claims) Len() int { return len(cs.list) }

// Families is the number of families.
func (cs *Claims) Families() int { return len(cs.order) }

// Selected is the number of families Benjamini–Hochberg selected; valid
// after Decide.
func (cs *Claims) Selected() int { return cs.selected }

// Decided reports whether Decide has run.
func (cs *Claims) Decided() bool { return cs.decided }

// Alpha is the error rate the set controls.
func (cs *Claims) Alpha() float64 { return cs.opt.Alpha }

// Decide corrects every claim for multiple comparisons and decides it:
// Benjamini–Hochberg selects the families whose Bonferroni global p-value
// passes at the set's α; within each selected family, Holm's step-down runs
// at α·R/M (R of M families selected). It freezes the set; a second call
// does nothing.
func (cs *Claims) Decide() {
	if cs.decided {
		return
	}
	cs.decided = true
	alpha := cs.Alpha()
	m := len(cs.order)
	for _, f := range cs.order {
		minP := 1.0
		for _, c := range f.claims {
			minP = math.Min(minP, c.P)
		}
		f.p = math.Min(1, float64(len(f.claims))*minP)
	}
	byP := slices.Clone(cs.order)
	slices.SortStableFunc(byP, func(a, b *family) int { return cmpFloat(a.p, b.p) })
	r := 0
	for i, f := range byP {
		if f.p <= float64(i+1)*alpha/float64(m) {
			r = i + 1
		}
	}
	cs.selected = r
	level := alpha * float64(max(r, 1)) / float64(max(m, 1))
	for _, f := range cs.order {
		cs.holm(f, level, f.p <= alpha*float64(r)/float64(m) && r > 0)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// holm runs Holm's step-down over one family at level; an unselected
// family decides nothing, its intervals at the first step's level.
func (cs *Claims) holm(f *family, level float64, selected bool) {
	sorted := slices.Clone(f.claims)
	slices.SortStableFunc(sorted, func(a, b *Claim) int { return cmpFloat(a.P, b.P) })
	m := len(sorted)
	stopped := !selected
	stepLevel := level / float64(m)
	for i, c := range sorted {
		if !stopped {
			stepLevel = level / float64(m-i)
			if c.P > stepLevel {
				stopped = true
			}
		}
		// The interval at the claim's own level: its step's, divided by
		// its looks, as its p-value was multiplied.
		c.Level = stepLevel / float64(1+c.Looks)
		c.Lo, c.Hi = cs.interval(c.Log, c.SE, c.DF, c.Level)
		if !stopped && cs.region(c.Lo, c.Hi) != c.Lean {
			// The printed interval (its quantile rounded to be a little
			// wider) must show the decision: a claim on the edge waits.
			stopped = true
		}
		if !stopped {
			c.Outcome = c.Lean
			if c.Outcome == Faster || c.Outcome == Slower {
				if !cs.robust(c) {
					c.Outcome, c.Vetoed = Undecided, true
				}
			}
		}
		if c.Outcome == Undecided {
			c.MoreRounds = cs.moreRounds(c)
		} else {
			c.MoreRounds = 0
		}
	}
}

// region is the decision an interval shows against the margin.
func (cs *Claims) region(lo, hi float64) Outcome {
	edge := 1 + cs.opt.Margin
	switch {
	case lo > edge:
		return Faster
	case hi < 1/edge:
		return Slower
	case lo > 1/edge && hi < edge:
		return Within
	}
	return Undecided
}

// interval is the ratio's two-sided interval at confidence 1−level.
func (cs *Claims) interval(d, se, df, level float64) (lo, hi float64) {
	if df <= 0 || math.IsNaN(se) {
		return 0, math.Inf(1)
	}
	if se == 0 {
		return math.Exp(d), math.Exp(d)
	}
	t := cs.tQuantile(1-level/2, df)
	return math.Exp(d - t*se), math.Exp(d + t*se)
}

// tQuantile is Student's t quantile at p with df degrees of freedom, df
// rounded down to three significant digits (a slightly wider interval,
// never a narrower one) so that the many claims of a report share a few
// hundred evaluations of the inverse incomplete beta function.
func (cs *Claims) tQuantile(p, df float64) float64 {
	df = roundDF(df)
	k := [2]float64{p, df}
	if q, ok := cs.quantile[k]; ok {
		return q
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
	cs.quantile[k] = q
	return q
}

// Speedup estimates x's speedup over ref: the ratio of their geometric
// means, exp(mean ln ref − mean ln x), with its two-sided Welch interval at
// confidence conf from the sides' moderated noise. It is the estimator
// every claim decides on; its interval is the claim's before any
// correction for multiplicity, the one a chart's error bar shows. Without
// noise on either side the interval is [0, +Inf].
func Speedup(x, ref Side, conf float64) (ratio, lo, hi float64) {
	if x.Sample.N == 0 || ref.Sample.N == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	d := ref.Sample.Mean - x.Sample.Mean
	se, df := welch(x, ref)
	switch {
	case df <= 0 || math.IsNaN(se):
		return math.Exp(d), 0, math.Inf(1)
	case se == 0:
		return math.Exp(d), math.Exp(d), math.Exp(d)
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: roundDF(df)}.Quantile(1 - (1-conf)/2)
	return math.Exp(d), math.Exp(d - t*se), math.Exp(d + t*se)
}

// roundDF rounds degrees of freedom down to three significant digits (a
// slightly wider interval, never a narrower one), so that many intervals
// share a few quantiles.
func roundDF(df float64) float64 {
	if df > 1e5 {
		df = 1e5
	}
	scale := math.Pow(10, math.Floor(math.Log10(df))-2)
	return math.Max(math.Floor(df/scale)*scale, math.Min(df, 0.01))
}

// robust reports whether a faster or slower decision survives the checks
// that one outlier cannot pass: the medians' ratio lies beyond the margin
// on the same side, and, where both cells have samples enough for the
// U test to reach the set's α at all, its two-sided p-value is below α.
func (cs *Claims) robust(c *Claim) bool {
	edge := 1 + cs.opt.Margin
	if c.Outcome == Faster && !(c.MedianRatio > edge) || c.Outcome == Slower && !(c.MedianRatio < 1/edge) {
		return false
	}
	nx, nr := c.X.Sample.N, c.Ref.Sample.N
	if UMinP(nx, nr) >= cs.opt.Alpha {
		return true
	}
	x := benchmath.NewSample(c.X.Sample.Values, &benchmath.DefaultThresholds)
	r := benchmath.NewSample(c.Ref.Sample.Values, &benchmath.DefaultThresholds)
	return benchmath.AssumeNothing.Compare(x, r).P < cs.opt.Alpha
}

// UMinP is the smallest two-sided p-value a Mann–Whitney U test can give
// with samples of n1 and n2 values: 2 / C(n1+n2, n1).
func UMinP(n1, n2 int) float64 {
	if n1 <= 0 || n2 <= 0 {
		return 1
	}
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// moreRounds finds the fewest extra rounds r after which the claim's
// interval, with the same estimate and per-sample noise and r more samples
// and degrees of freedom on each side, would be decided at its level. It
// searches by halving, as decidedness only grows with r.
func (cs *Claims) moreRounds(c *Claim) int {
	if c.DF <= 0 || math.IsNaN(c.SE) || math.IsNaN(c.Log) {
		return -1
	}
	delta := math.Log1p(cs.opt.Margin)
	gap := math.Abs(math.Abs(c.Log) - delta)
	if gap == 0 {
		return -1
	}
	decides := func(r int) bool {
		x, ref := c.X, c.Ref
		x.Sample.N += r
		ref.Sample.N += r
		x.Noise.DF += float64(r)
		ref.Noise.DF += float64(r)
		se, df := welch(x, ref)
		if se == 0 {
			return true
		}
		return cs.tQuantile(1-c.Level/2, df)*se < gap
	}
	hi := cs.opt.MaxRounds
	if !decides(hi) {
		return -1
	}
	lo := 0 // decides(lo) is false: the claim is undecided now
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if decides(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// All returns every claim, in the order added.
func (cs *Claims) All() []*Claim { return cs.list }

// String describes the rule, for a report's Method section.
func (cs *Claims) String() string {
	return fmt.Sprintf("%d claims in %d families; %d families selected at α = %.3g; margin ±%.3g%%",
		len(cs.list), len(cs.order), cs.selected, cs.Alpha(), cs.opt.Margin*100)
}
