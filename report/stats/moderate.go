package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// A Stratified sample belongs to a stratum: cells whose log-scale noise is
// alike, such as one benchmark configuration at every core count and model.
type Stratified struct {
	Stratum string
	Sample  Sample
}

// Noise is a cell's moderated log-scale variance per sample and the degrees
// of freedom it carries. DF 0 means nothing is known of the cell's noise.
type Noise struct {
	Var float64
	DF  float64
}

// A Prior describes the fitted prior of a run's log-scale variances.
type Prior struct {
	// D0 is the prior's weight in degrees of freedom, before the cap that
	// keeps each cell's prior no surer than the data it came from; +Inf
	// when the variances are as alike as sampling alone allows, 0 when
	// nothing could be fitted.
	D0 float64
	// Cells is how many cells (with two samples or more) informed it.
	Cells int
}

// strat accumulates one stratum's transformed log-variances.
type strat struct {
	sumE float64 // Σ e_i
	n    int     // cells with a variance
	df   float64 // Σ d_i
}

// Moderate returns every cell's moderated noise, in the order of cells,
// and the fitted prior.
//
// It follows limma's fitFDist (Smyth 2004): with d_i = n_i − 1 and s_i² a
// cell's log-scale variance, e_i = ln s_i² − ψ(d_i/2) + ln(d_i/2) has mean
// ln s0² − ψ(d0/2) + ln(d0/2) and variance ψ′(d_i/2) + ψ′(d0/2). The mean is
// taken per stratum (its typical noise level); the spread of e_i around
// their strata's means, less the part that sampling explains, gives
// ψ′(d0/2) and so d0, one for the whole run. A cell's moderated variance is
// (d0·s0² + d_i·s_i²)/(d0 + d_i) with d0 + d_i degrees of freedom.
//
// Three guards keep it honest with strata of a few cells, where limma has
// thousands of genes: a cell's own variance is left out of its stratum's
// level (leave-one-out); d0 is capped at the degrees of freedom of the
// cells that estimated that level; and a cell whose variance is an outlier
// against that level (F test, OutlierP) keeps its own variance, so that its
// noise is never shrunk away. A cell alone in its stratum borrows the level of the whole
// run instead.
func Moderate(cells []Stratified) ([]Noise, Prior) {
	e := make([]float64, len(cells))
	ok := make([]bool, len(cells))
	strata := map[string]*strat{}
	var all strat
	for i, c := range cells {
		d := float64(c.Sample.DF())
		if d < 1 || !(c.Sample.Var > 0) {
			continue
		}
		e[i] = math.Log(c.Sample.Var) - digamma(d/2) + math.Log(d/2)
		ok[i] = true
		st := strata[c.Stratum]
		if st == nil {
			st = &strat{}
			strata[c.Stratum] = st
		}
		st.sumE += e[i]
		st.n++
		st.df += d
		all.sumE += e[i]
		all.n++
		all.df += d
	}
	prior := Prior{Cells: all.n}
	// The spread of e around each stratum's mean; a stratum of n cells
	// leaves a fraction (n−1)/n of each cell's variance in its residual.
	var ss, w, tri float64
	for i, c := range cells {
		st := strata[c.Stratum]
		if !ok[i] || st.n < 2 {
			continue
		}
		r := e[i] - st.sumE/float64(st.n)
		f := 1 - 1/float64(st.n)
		ss += r * r
		w += f
		tri += f * trigamma(float64(c.Sample.DF())/2)
	}
	if w == 0 && all.n >= 3 {
		// No stratum has two cells: the whole run is one stratum.
		mean := all.sumE / float64(all.n)
		f := 1 - 1/float64(all.n)
		for i, c := range cells {
			if ok[i] {
				r := e[i] - mean
				ss += r * r
				w += f
				tri += f * trigamma(float64(c.Sample.DF())/2)
			}
		}
	}
	switch {
	case all.n == 0 || w == 0:
		prior.D0 = 0
	default:
		v := (ss - tri) / w
		if v > 0 {
			prior.D0 = 2 * trigammaInverse(v)
		} else {
			prior.D0 = math.Inf(1)
		}
	}
	out := make([]Noise, len(cells))
	for i, c := range cells {
		out[i] = moderated(c, ok[i], e[i], strata[c.Stratum], &all, prior.D0)
	}
	return out, prior
}

// moderated is one cell's noise, its own e_i left out of the prior.
func moderated(c Stratified, has bool, e float64, st, all *strat, d0 float64) Noise {
	d := float64(c.Sample.DF())
	own := Noise{Var: c.Sample.Var, DF: d}
	if d0 == 0 {
		return own
	}
	level := func(s *strat) (sumE float64, n int, df float64) {
		if s == nil {
			return 0, 0, 0
		}
		sumE, n, df = s.sumE, s.n, s.df
		if has {
			sumE, n, df = sumE-e, n-1, df-d
		}
		return sumE, n, df
	}
	sumE, n, df := level(st)
	if n == 0 {
		sumE, n, df = level(all)
	}
	if n == 0 {
		return own
	}
	dp := math.Min(d0, df)
	mean := sumE / float64(n)
	var s02 float64
	if math.IsInf(d0, 1) {
		s02 = math.Exp(mean)
	} else {
		s02 = math.Exp(mean + digamma(d0/2) - math.Log(d0/2))
	}
	v := c.Sample.Var
	if d == 0 {
		v = 0
	}
	out := Noise{Var: (dp*s02 + d*v) / (dp + d), DF: dp + d}
	if d > 0 && outlying(v/s02, d, dp) {
		// A cell far noisier than its stratum (a noisy neighbour in one
		// of its rounds, say) keeps its own variance: pulling it down
		// would turn that outlier into a confident difference.
		out.Var = v
	}
	return out
}

// OutlierP is the tail probability below which a cell's variance counts as
// outlying: the F test of its variance against its stratum's level.
const OutlierP = 0.05

// outlying reports whether a variance ratio s²/s0² with d and dp degrees
// of freedom lies in the upper OutlierP tail of F(d, dp), as Phipson et al.
// (2016) treat hypervariable genes in limma's robust mode.
func outlying(ratio, d, dp float64) bool {
	if !(ratio > 1) {
		return false
	}
	var p float64
	if math.IsInf(dp, 1) || dp > 1e6 {
		p = distuv.ChiSquared{K: d}.Survival(ratio * d)
	} else {
		p = distuv.F{D1: d, D2: dp}.Survival(ratio)
	}
	return p < OutlierP
}
