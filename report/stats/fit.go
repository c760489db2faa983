package stats

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// The scaling laws.
const (
	// Amdahl is Amdahl's law, S(n) = 1 / (s + (1−s)/n), s in [0, 1].
	Amdahl = "Amdahl"
	// USL is the Universal Scalability Law, S(n) = n / (1 + σ(n−1) +
	// κn(n−1)), σ, κ ≥ 0.
	USL = "USL"
)

// MinUSLPoints is the fewest distinct core counts (within the machine's
// CPUs, 1 included) the USL is fitted to: with two parameters and the fixed
// point S(1) = 1, three counts leave it no residual to judge it by.
const MinUSLPoints = 4

// A Point is a measured speedup relative to one core.
type Point struct {
	Cores   float64
	Speedup float64
	// Weight is the point's weight in the fit (the inverse variance of
	// its ln speedup); 0 means 1.
	Weight float64
}

// A Band is a law's predicted speedup at a core count, with its interval.
type Band struct {
	Cores        float64
	Mid, Lo, Hi  float64
	Extrapolated bool // beyond the largest core count fitted
}

// A Fit is a scaling law fitted to speedups relative to one core.
type Fit struct {
	Law    string
	Serial float64 // Amdahl's serial fraction s
	Sigma  float64 // USL contention σ
	Kappa  float64 // USL coherency κ
	// SerialCI, SigmaCI and KappaCI are the parameters' bootstrap
	// intervals (zero without a bootstrap).
	SerialCI, SigmaCI, KappaCI [2]float64
	// RMSE is the root mean square residual in ln(speedup).
	RMSE   float64
	Points int
	// Conc is the factor the bands carry beyond the law: the baseline's
	// center over the model's at 1 core (Gains.Base), 1 without a base.
	Conc float64
	// Dispersion is how much more the points scatter around the law than
	// their own noise explains (≥ 1; 1 when the law fits within noise or
	// has no residual degrees of freedom); the bands are widened by its
	// square root.
	Dispersion float64
	// Bands are the predictions at FitOptions.Predict, with intervals.
	Bands []Band
}

// Predict returns the fitted speedup at n cores.
func (f Fit) Predict(n float64) float64 {
	if f.Law == USL {
		return n / (1 + f.Sigma*(n-1) + f.Kappa*n*(n-1))
	}
	return 1 / (f.Serial + (1-f.Serial)/n)
}

// String describes the fitted parameters with their intervals.
func (f Fit) String() string {
	ci := func(v [2]float64) string {
		if v == [2]float64{} {
			return ""
		}
		return " [" + Param(v[0]) + ", " + Param(v[1]) + "]"
	}
	if f.Law == USL {
		return fmt.Sprintf("USL σ=%s%s κ=%s%s", Param(f.Sigma), ci(f.SigmaCI), Param(f.Kappa), ci(f.KappaCI))
	}
	return fmt.Sprintf("Amdahl s=%s%s", Param(f.Serial), ci(f.SerialCI))
}

// Param formats a law's parameter: three significant digits, and 0 for
// what an optimizer leaves at a bound (below 1e-6).
func Param(v float64) string {
	if math.Abs(v) < 1e-6 {
		return "0"
	}
	return fmt.Sprintf("%.3g", v)
}

// Band returns the prediction at n cores, and whether there is one.
func (f Fit) Band(n float64) (Band, bool) {
	for _, b := range f.Bands {
		if math.Abs(b.Cores-n) < 1e-9*n {
			return b, true
		}
	}
	return Band{}, false
}

// DistinctCores counts the distinct core counts of pts.
func DistinctCores(pts []Point) int {
	seen := map[float64]bool{}
	for _, p := range pts {
		seen[p.Cores] = true
	}
	return len(seen)
}

// params is the number of a law's free parameters.
func params(law string) int {
	if law == USL {
		return 2
	}
	return 1
}

// minPoints is the fewest distinct core counts a law is fitted to.
func minPoints(law string) int {
	if law == USL {
		return MinUSLPoints
	}
	return 2
}

// FitLaw fits law to pts by least squares in ln(speedup) — timings are
// multiplicative, so a 10% miss at 16 cores weighs what it weighs at 2 —
// with gonum's Nelder–Mead over parameters mapped onto their ranges
// (s = sin²x, σ = x², κ = y²). It returns false with fewer distinct core
// counts than the law needs (2 for Amdahl, MinUSLPoints for the USL).
func FitLaw(law string, pts []Point) (Fit, bool) { return fitLaw(law, pts, nil) }

// fitLaw is FitLaw from a start: a bootstrap refit starts at the fit to
// the data, a step or two from its own optimum.
func fitLaw(law string, pts []Point, start *Fit) (Fit, bool) {
	if DistinctCores(pts) < minPoints(law) {
		return Fit{}, false
	}
	for _, p := range pts {
		if !(p.Speedup > 0) || math.IsInf(p.Speedup, 0) || !(p.Cores >= 1) {
			return Fit{}, false
		}
	}
	f := Fit{Law: law, Points: len(pts)}
	var wsum float64
	for _, p := range pts {
		wsum += weight(p)
	}
	cost := func(g Fit) float64 {
		var c float64
		for _, p := range pts {
			d := math.Log(p.Speedup) - math.Log(g.Predict(p.Cores))
			c += weight(p) * d * d
		}
		return c / wsum * float64(len(pts))
	}
	var x0 []float64
	var set func(x []float64) Fit
	if law == USL {
		s0, k0 := uslStart(pts)
		if start != nil {
			s0, k0 = math.Max(start.Sigma, 1e-4), math.Max(start.Kappa, 1e-6)
		}
		x0 = []float64{math.Sqrt(s0), math.Sqrt(k0)}
		set = func(x []float64) Fit { g := f; g.Sigma, g.Kappa = x[0]*x[0], x[1]*x[1]; return g }
	} else {
		s0 := amdahlStart(pts)
		if start != nil {
			s0 = math.Min(0.999, math.Max(1e-6, start.Serial))
		}
		x0 = []float64{math.Asin(math.Sqrt(s0))}
		set = func(x []float64) Fit { g := f; s := math.Sin(x[0]); g.Serial = s * s; return g }
	}
	res, err := optimize.Minimize(optimize.Problem{Func: func(x []float64) float64 { return cost(set(x)) }},
		x0, &optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-10, Iterations: 8}}, &optimize.NelderMead{})
	if err != nil || res == nil {
		// Nelder–Mead stops on its own criteria without an error in
		// practice; keep the start, which the linear fit made sound.
		f = set(x0)
	} else {
		f = set(res.X)
	}
	f.RMSE = math.Sqrt(cost(f) / float64(len(pts)))
	return f, true
}

func weight(p Point) float64 {
	if p.Weight > 0 {
		return p.Weight
	}
	return 1
}

// refit fits law to pts by Levenberg–Marquardt from start, with the
// analytic derivatives of ln S and the parameters projected onto their
// ranges. It is for the bootstrap's hundreds of refits per model, each a
// few steps from start: gonum's optimize.Minimize, which fits the data
// itself, runs every problem on a goroutine and sends each function
// evaluation over a channel, and for 40,000 two-parameter refits that
// handoff, not the arithmetic, took 90% of a report's time.
func refit(law string, pts []Point, start Fit) Fit {
	f := start
	np := params(law)
	get := func(g Fit) [2]float64 {
		if law == USL {
			return [2]float64{g.Sigma, g.Kappa}
		}
		return [2]float64{g.Serial, 0}
	}
	set := func(th [2]float64) Fit {
		g := f
		if law == USL {
			g.Sigma, g.Kappa = math.Max(0, th[0]), math.Max(0, th[1])
		} else {
			g.Serial = math.Min(1, math.Max(0, th[0]))
		}
		return g
	}
	// residuals and Jacobian of r_i = √w_i (ln y_i − ln S(n_i)).
	eval := func(g Fit) (cost float64, jtj [2][2]float64, jtr [2]float64) {
		for _, p := range pts {
			if p.Cores == 1 {
				continue
			}
			sw := math.Sqrt(weight(p))
			n := p.Cores
			var d [2]float64 // ∂ ln S / ∂θ
			if law == USL {
				den := 1 + g.Sigma*(n-1) + g.Kappa*n*(n-1)
				d = [2]float64{-(n - 1) / den, -n * (n - 1) / den}
			} else {
				den := g.Serial + (1-g.Serial)/n
				d = [2]float64{-(1 - 1/n) / den, 0}
			}
			r := sw * (math.Log(p.Speedup) - math.Log(g.Predict(n)))
			cost += r * r
			for a := 0; a < np; a++ {
				ja := -sw * d[a]
				jtr[a] += ja * r
				for b := 0; b < np; b++ {
					jtj[a][b] += ja * (-sw * d[b])
				}
			}
		}
		return cost, jtj, jtr
	}
	lambda := 1e-3
	cost, jtj, jtr := eval(f)
	for range 50 {
		th := get(f)
		a := jtj
		for i := 0; i < np; i++ {
			a[i][i] *= 1 + lambda
			a[i][i] += 1e-18
		}
		var step [2]float64
		if np == 1 {
			step[0] = -jtr[0] / a[0][0]
		} else {
			det := a[0][0]*a[1][1] - a[0][1]*a[1][0]
			if det == 0 {
				break
			}
			step[0] = -(a[1][1]*jtr[0] - a[0][1]*jtr[1]) / det
			step[1] = -(a[0][0]*jtr[1] - a[1][0]*jtr[0]) / det
		}
		g := set([2]float64{th[0] + step[0], th[1] + step[1]})
		c2, jtj2, jtr2 := eval(g)
		if c2 < cost {
			done := cost-c2 < 1e-12*(1+cost)
			f, cost, jtj, jtr = g, c2, jtj2, jtr2
			lambda /= 3
			if done {
				break
			}
		} else {
			lambda *= 4
			if lambda > 1e8 {
				break
			}
		}
	}
	return f
}

// amdahlStart is Karp–Flatt's serial fraction averaged over the points: a
// start for the fit.
func amdahlStart(pts []Point) float64 {
	var sum float64
	n := 0
	for _, p := range pts {
		if p.Cores > 1 {
			e := (1/p.Speedup - 1/p.Cores) / (1 - 1/p.Cores)
			sum += math.Min(1, math.Max(0, e))
			n++
		}
	}
	if n == 0 {
		return 0.5
	}
	return math.Min(0.999, math.Max(1e-6, sum/float64(n)))
}

// uslStart solves the linearised USL, n/S − 1 = σ(n−1) + κn(n−1), by
// non-negative least squares over its four sign patterns: a start for the
// fit. (A closed form here is shorter than a second optimizer run.)
func uslStart(pts []Point) (sigma, kappa float64) {
	var aa, ab, bb, ay, by float64
	for _, p := range pts {
		x := p.Cores - 1
		a, b, y := x, x*(x+1), p.Cores/p.Speedup-1
		aa += a * a
		ab += a * b
		bb += b * b
		ay += a * y
		by += b * y
	}
	cost := func(s, k float64) float64 {
		var c float64
		for _, p := range pts {
			x := p.Cores - 1
			d := s*x + k*x*(x+1) - (p.Cores/p.Speedup - 1)
			c += d * d
		}
		return c
	}
	best := math.Inf(1)
	try := func(s, k float64) {
		if s < 0 || k < 0 || math.IsNaN(s) || math.IsNaN(k) {
			return
		}
		if c := cost(s, k); c < best {
			best, sigma, kappa = c, s, k
		}
	}
	if det := aa*bb - ab*ab; det != 0 {
		try((ay*bb-by*ab)/det, (aa*by-ab*ay)/det)
	}
	if aa > 0 {
		try(ay/aa, 0)
	}
	if bb > 0 {
		try(0, by/bb)
	}
	try(0, 0)
	// Nelder–Mead on x² cannot leave 0 by a zero-sized step.
	return math.Max(sigma, 1e-4), math.Max(kappa, 1e-6)
}

// Gains are a model's samples at 1 core and at the other core counts to
// fit: its parallel gains are center(One) / center(At[k]), a cell's center
// being the geometric mean of its samples (the center the claims compare).
type Gains struct {
	One []float64
	At  []CoreSamples
	// Base, if set, is the baseline's samples (seq at 1 core): the bands
	// then predict the speedup over it, center(Base)/center(One) times
	// the parallel gain, its uncertainty included.
	Base []float64
	// Paired says sample i of every slice (Base included) came from the
	// same round i: the bootstrap then draws rounds, so that what a round
	// shares across its cells cancels in the ratios, as it does in the
	// measurement.
	Paired bool
}

// CoreSamples are one cell's samples at a core count.
type CoreSamples struct {
	Cores  int
	Values []float64
}

// FitOptions set FitGains's bootstrap and predictions.
type FitOptions struct {
	// Reps is the number of bootstrap resamples; default 200.
	Reps int
	// Seed makes the resampling reproducible (a report is the same every
	// time it is written); Name seeds it when Seed is 0.
	Seed uint64
	Name string
	// Predict lists the core counts to predict at.
	Predict []float64
	// Confidence of the intervals; default 0.95.
	Confidence float64
}

// FitGains fits law to a model's parallel gains, weighting each core count
// by the inverse variance of its ln gain, with intervals from a bootstrap:
// every resample draws the rounds again (or, unpaired, each cell's samples),
// refits and predicts; the intervals are the percentiles of the parameters
// and of the predictions. Each resample's prediction also carries a draw of
// a future measurement's noise (that of the largest core count fitted, or
// the fit's residual scatter if larger), so a band is a prediction interval
// for a measurement, not a confidence interval of the law; and bands widen
// when the points scatter around the law more than their noise explains
// (Fit.Dispersion). It returns false when the law cannot be fitted (too few
// core counts).
func FitGains(law string, g Gains, opt FitOptions) (Fit, bool) {
	if opt.Reps <= 0 {
		opt.Reps = 200
	}
	if opt.Confidence <= 0 {
		opt.Confidence = 0.95
	}
	paired := g.Paired && len(g.One) >= 2
	for _, c := range g.At {
		paired = paired && len(c.Values) == len(g.One)
	}
	if g.Base != nil {
		paired = paired && len(g.Base) == len(g.One)
	}
	w := make([]float64, len(g.At))
	for i, c := range g.At {
		v := logVarOfMean(g.One) + logVarOfMean(c.Values)
		if paired {
			r := make([]float64, len(g.One))
			for j := range r {
				r[j] = g.One[j] / c.Values[j]
			}
			v = logVarOfMean(r)
		}
		if v > 0 {
			w[i] = 1 / v
		}
	}
	pts := func(one float64, at []float64) []Point {
		out := []Point{{1, 1, 0}}
		for i, c := range g.At {
			out = append(out, Point{float64(c.Cores), one / at[i], w[i]})
		}
		return out
	}
	at := make([]float64, len(g.At))
	for i, c := range g.At {
		at[i] = center(c.Values)
	}
	f, ok := FitLaw(law, pts(center(g.One), at))
	if !ok {
		return Fit{}, false
	}
	// The variance of a future measurement's ln speedup: that of the
	// largest core count fitted.
	future := 0.0
	if last := len(w) - 1; last >= 0 && w[last] > 0 {
		future = 1 / w[last]
	}
	f.Conc = 1
	if g.Base != nil {
		f.Conc = center(g.Base) / center(g.One)
	}
	seed := opt.Seed
	if seed == 0 {
		h := fnv.New64a()
		h.Write([]byte(law + "|" + opt.Name))
		seed = h.Sum64()
	}
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	var s, sg, kp []float64
	preds := make([][]float64, len(opt.Predict))
	idx := make([]int, len(g.One))
	buf := make([]float64, 0, len(g.One))
	draw := func(v []float64) float64 {
		buf = buf[:0]
		if paired {
			for _, j := range idx {
				buf = append(buf, v[j])
			}
		} else {
			for range v {
				buf = append(buf, v[rng.IntN(len(v))])
			}
		}
		return center(buf)
	}
	for range opt.Reps {
		for j := range idx {
			idx[j] = rng.IntN(len(g.One))
		}
		one := draw(g.One)
		for i, c := range g.At {
			at[i] = draw(c.Values)
		}
		b := refit(law, pts(one, at), f)
		bc := 1.0
		if g.Base != nil {
			bc = draw(g.Base) / one
		}
		s, sg, kp = append(s, b.Serial), append(sg, b.Sigma), append(kp, b.Kappa)
		// A future measurement scatters around the law as the largest
		// core count fitted did: its ln gain's variance of the mean.
		noise := math.Exp(math.Sqrt(future) * rng.NormFloat64())
		for i, n := range opt.Predict {
			preds[i] = append(preds[i], bc*b.Predict(n)*noise)
		}
	}
	lo, hi := (1-opt.Confidence)/2, 1-(1-opt.Confidence)/2
	pct := func(v []float64) [2]float64 {
		if len(v) == 0 {
			return [2]float64{}
		}
		slices.Sort(v)
		return [2]float64{quantile(v, lo), quantile(v, hi)}
	}
	if law == USL {
		f.SigmaCI, f.KappaCI = pct(sg), pct(kp)
	} else {
		f.SerialCI = pct(s)
	}
	maxFit := 1
	for _, c := range g.At {
		maxFit = max(maxFit, c.Cores)
	}
	// Overdispersion: with weights 1/variance, the weighted residuals'
	// sum of squares is χ² with (points − parameters) degrees of freedom
	// when the law holds. A larger sum says the law misses the shape
	// (gzip's allocator-bound scaling, say): the bands widen by its square
	// root, as quasi-likelihood does, rather than claim a precision the
	// law does not have.
	phi := 1.0
	if df := len(g.At) - params(law); df >= 1 {
		var sse float64
		for i, c := range g.At {
			if w[i] > 0 {
				r := math.Log(center(g.One)/center(c.Values)) - math.Log(f.Predict(float64(c.Cores)))
				sse += w[i] * r * r
			}
		}
		phi = math.Max(1, sse/float64(df))
	}
	f.Dispersion = phi
	for i, n := range opt.Predict {
		mid := f.Conc * f.Predict(n)
		ci := pct(preds[i])
		if phi > 1 {
			k := math.Sqrt(phi)
			ci[0] = mid * math.Pow(ci[0]/mid, k)
			ci[1] = mid * math.Pow(ci[1]/mid, k)
		}
		f.Bands = append(f.Bands, Band{Cores: n, Mid: mid,
			Lo: math.Min(ci[0], mid), Hi: math.Max(ci[1], mid), Extrapolated: n > float64(maxFit)*1.0001})
	}
	return f, true
}

// logVarOfMean is the variance of the mean of ln(v): its sample variance
// over n; NaN with fewer than two values.
func logVarOfMean(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	var m, ss float64
	for _, x := range v {
		m += math.Log(x)
	}
	m /= float64(len(v))
	for _, x := range v {
		ss += (math.Log(x) - m) * (math.Log(x) - m)
	}
	return ss / float64(len(v)-1) / float64(len(v))
}

// center is a cell's typical time: the geometric mean of its samples.
func center(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(v)))
}

// quantile is the linearly interpolated quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	pos := q * float64(n-1)
	i := int(math.Floor(pos))
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}
