package stats

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
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
// CPUs, 1 included) the USL is fitted to: with two parameters and the
// 1-core scale, three counts leave it no residual to judge it by.
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
	// Scale is the fitted speedup at 1 core over the reference cell the
	// speedups are measured against (1 when the 1-core cell lies on the
	// law): the law's time at 1 core is a free parameter, as λ is in
	// Gunther's USL, so a noisy 1-core cell is one point among the others
	// rather than the pivot every other point must pass through.
	Scale float64
	// Conc is the factor the bands carry beyond the law: the baseline's
	// center over the model's at 1 core (Gains.Base), 1 without a base.
	Conc float64
	// LackOfFit is the p-value of the lack-of-fit F test: the points'
	// weighted scatter around the law against their own noise (1 when
	// there are no residual degrees of freedom).
	LackOfFit float64
	// Miss is the law's largest relative miss of a measured point,
	// |measured/fitted − 1|, and MissAt its core count.
	Miss   float64
	MissAt float64
	// Rejected says the lack-of-fit test rejected the law: its parameters
	// describe the measured range, and it has no bands.
	Rejected bool
	// Dispersion is how much more the points scatter around the law than
	// their own noise explains, where the lack-of-fit test finds that they
	// do (LackOfFitWiden); else 1, as without residual degrees of
	// freedom. The bands are widened by its square root.
	Dispersion float64
	// Bands are the predictions at FitOptions.Predict, with intervals.
	Bands []Band
}

// Speedup is the fitted speedup at n cores over the reference the bands
// are given against: Conc × Scale × Predict(n).
func (f Fit) Speedup(n float64) float64 { return f.Conc * f.Scale * f.Predict(n) }

// Predict returns the law's speedup at n cores over its own 1-core time.
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

// freeParams is the number of f's parameters that the fit did not hold at
// a bound (σ = 0 or κ = 0 for the USL, s = 0 or 1 for Amdahl's law): a
// parameter at its bound fits nothing.
func freeParams(f Fit) int {
	at := func(v float64) bool { return v < 1e-6 }
	if f.Law == USL {
		return boolInt(!at(f.Sigma)) + boolInt(!at(f.Kappa))
	}
	return boolInt(!at(f.Serial) && !at(1-f.Serial))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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

// FitLaw fits law to pts by weighted least squares in ln(speedup) —
// timings are multiplicative, so a 10% miss at 16 cores weighs what it
// weighs at 2 — with the scale free (Fit.Scale: the law need not pass
// through the 1-core point exactly) and gonum's Nelder–Mead over the
// law's parameters mapped onto their ranges (s = sin²x, σ = x², κ = y²);
// the scale is profiled out, being linear in ln(speedup). It returns false
// with fewer distinct core counts than the law needs (2 for Amdahl,
// MinUSLPoints for the USL).
func FitLaw(law string, pts []Point) (Fit, bool) {
	if DistinctCores(pts) < minPoints(law) {
		return Fit{}, false
	}
	for _, p := range pts {
		if !(p.Speedup > 0) || math.IsInf(p.Speedup, 0) || !(p.Cores >= 1) {
			return Fit{}, false
		}
	}
	f := Fit{Law: law, Points: len(pts), Conc: 1}
	var x0 []float64
	var set func(x []float64) Fit
	if law == USL {
		s0, k0 := uslStart(pts)
		x0 = []float64{math.Sqrt(s0), math.Sqrt(k0)}
		set = func(x []float64) Fit { g := f; g.Sigma, g.Kappa = x[0]*x[0], x[1]*x[1]; return g }
	} else {
		x0 = []float64{math.Asin(math.Sqrt(amdahlStart(pts)))}
		set = func(x []float64) Fit { g := f; s := math.Sin(x[0]); g.Serial = s * s; return g }
	}
	cost := func(x []float64) float64 { _, c := profile(set(x), pts); return c }
	res, err := optimize.Minimize(optimize.Problem{Func: cost},
		x0, &optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-10, Iterations: 8}}, &optimize.NelderMead{})
	if err != nil || res == nil {
		// Nelder–Mead stops on its own criteria without an error in
		// practice; keep the start, which the linear fit made sound.
		f = set(x0)
	} else {
		f = set(res.X)
	}
	b, c := profile(f, pts)
	f.Scale = math.Exp(b)
	var wsum float64
	for _, p := range pts {
		wsum += weight(p)
	}
	f.RMSE = math.Sqrt(c / wsum)
	return f, true
}

// profile returns, for the law's parameters in g, the weighted
// least-squares ln scale b and the cost Σ w (ln y − b − ln S(n))².
func profile(g Fit, pts []Point) (b, cost float64) {
	var wsum float64
	for _, p := range pts {
		b += weight(p) * (math.Log(p.Speedup) - math.Log(g.Predict(p.Cores)))
		wsum += weight(p)
	}
	b /= wsum
	for _, p := range pts {
		d := math.Log(p.Speedup) - b - math.Log(g.Predict(p.Cores))
		cost += weight(p) * d * d
	}
	return b, cost
}

func weight(p Point) float64 {
	if p.Weight > 0 {
		return p.Weight
	}
	return 1
}

// refit fits law to pts by Levenberg–Marquardt from start, with the
// analytic derivatives of ln S, the scale profiled out (variable
// projection: the residuals' Jacobian is that of ln S less its weighted
// mean) and the parameters projected onto their ranges. It is for the
// bootstrap's hundreds of refits per model, each a few steps from start:
// gonum's optimize.Minimize, which fits the data itself, runs every
// problem on a goroutine and sends each function evaluation over a
// channel, and for 40,000 two-parameter refits that handoff, not the
// arithmetic, took 90% of a report's time.
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
	d := make([][2]float64, len(pts)) // ∂ ln S(n_i) / ∂θ
	// residuals r_i = √w_i (ln y_i − b(θ) − ln S(n_i)), and their
	// Jacobian −√w_i (∂ln S_i − Σ_j w_j ∂ln S_j / Σ_j w_j).
	eval := func(g Fit) (cost float64, jtj [2][2]float64, jtr [2]float64) {
		b, _ := profile(g, pts)
		var mean [2]float64
		var wsum float64
		for i, p := range pts {
			n := p.Cores
			if law == USL {
				den := 1 + g.Sigma*(n-1) + g.Kappa*n*(n-1)
				d[i] = [2]float64{-(n - 1) / den, -n * (n - 1) / den}
			} else {
				den := g.Serial + (1-g.Serial)/n
				d[i] = [2]float64{-(1 - 1/n) / den, 0}
			}
			w := weight(p)
			mean[0] += w * d[i][0]
			mean[1] += w * d[i][1]
			wsum += w
		}
		mean[0] /= wsum
		mean[1] /= wsum
		for i, p := range pts {
			sw := math.Sqrt(weight(p))
			r := sw * (math.Log(p.Speedup) - b - math.Log(g.Predict(p.Cores)))
			cost += r * r
			for a := 0; a < np; a++ {
				ja := -sw * (d[i][a] - mean[a])
				jtr[a] += ja * r
				for c := 0; c < np; c++ {
					jtj[a][c] += ja * -sw * (d[i][c] - mean[c])
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
	b, _ := profile(f, pts)
	f.Scale = math.Exp(b)
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
	// OneNoise is the 1-core cell's moderated noise, as CoreSamples.Noise.
	OneNoise Noise
	At       []CoreSamples
	// Base, if set, is the baseline's samples (seq at 1 core): the bands
	// then predict the speedup over it, center(Base)/center(One) times
	// the parallel gain, as the set's own speedup rows are (the baseline's
	// noise, which every row shares, is not in the bands).
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
	// Noise, if set (Var > 0), is the cell's moderated noise (Moderate):
	// its log-scale variance borrowed from the run's like cells, with
	// the degrees of freedom that gives it.
	Noise Noise
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
	// Alpha is the lack-of-fit test's level, and Margin the practical
	// margin (a fraction, 0.05 for 5%): a law whose p-value is below
	// Alpha and that misses some measured point by more than Margin is
	// Rejected. Alpha defaults to DefaultLackOfFitAlpha; a Margin of 0
	// rejects on the test alone. The margin keeps a law that misses by
	// 2%, detectably but usefully, from losing its bands on tight cells:
	// its bands widen by the dispersion instead.
	Alpha, Margin float64
}

// MinBootstrapRounds is the fewest samples a cell (rounds, when paired)
// the bootstrap resamples; with fewer, it draws from the cells' moderated
// noise (CoreSamples.Noise) where it is given.
const MinBootstrapRounds = 6

// DefaultLackOfFitAlpha is the lack-of-fit test's default level. It is
// strict: a rejected law only loses its bands (a law that holds is
// rejected 1 time in 100), and a law that misses a little is kept with
// bands widened by its dispersion.
const DefaultLackOfFitAlpha = 0.01

// LackOfFitWiden is the lack-of-fit test's level at which the bands widen
// by the dispersion.
const LackOfFitWiden = 0.05

// FitGains fits law to a model's times at 1 core and at the other core
// counts, as speedups over its 1-core cell, each cell weighted by the
// inverse variance of its mean ln time, with intervals from a bootstrap:
// every resample draws the rounds again (or, unpaired, each cell's
// samples), refits and predicts; the intervals are the percentiles of the
// parameters and of the predictions.
//
// The bands are for what the set's own speedup rows would read at those
// core counts: the speedup over this set's 1-core cell (or baseline),
// which every measured speedup shares. So each resample's prediction
// carries a draw of a future cell's noise (that of the largest core count
// fitted), but not the reference cell's noise a second time. The bands
// widen when the points scatter around the law more than their noise
// explains (Fit.Dispersion), and a law that the lack-of-fit test rejects
// (Fit.LackOfFit below FitOptions.Alpha) by more than the margin
// (FitOptions.Margin) is Rejected and gets no bands: a
// law that misses the measured range says nothing about the next core
// count. It returns false when the law cannot be fitted (too few core
// counts).
func FitGains(law string, g Gains, opt FitOptions) (Fit, bool) {
	if opt.Reps <= 0 {
		opt.Reps = 200
	}
	if opt.Confidence <= 0 {
		opt.Confidence = 0.95
	}
	if opt.Alpha <= 0 {
		opt.Alpha = DefaultLackOfFitAlpha
	}
	cells := append([]CoreSamples{{Cores: 1, Values: g.One, Noise: g.OneNoise}}, g.At...)
	paired := g.Paired && len(g.One) >= 2
	moderated := true
	for _, c := range cells {
		paired = paired && len(c.Values) == len(g.One)
		moderated = moderated && c.Noise.Var > 0 && c.Noise.DF > 0
	}
	w := cellWeights(cells)
	// A bootstrap over n rounds has C(2n−1, n) distinct resamples (3 for
	// two rounds, 126 for five) and a resampled mean's variance (n−1)/n of
	// the mean's: with few rounds its percentiles understate the spread.
	// Measured on slices of the 16-core reference set, bands from two
	// rounds held the 16-core gain in 62% of cases and from five in 83%.
	// Below MinBootstrapRounds, then, given every cell's moderated noise,
	// the bootstrap is parametric instead: each cell's center is drawn
	// from its sampling distribution, Student's t with the moderated
	// degrees of freedom, which borrows the run's knowledge of how noisy
	// such cells are (93–100% held, with wider bands).
	fewest := len(g.One)
	for _, c := range cells {
		fewest = min(fewest, len(c.Values))
	}
	moderated = moderated && fewest < MinBootstrapRounds
	if moderated {
		for i, c := range cells {
			w[i] = float64(len(c.Values)) / c.Noise.Var
		}
	}
	ref := center(g.One)
	centers := make([]float64, len(cells))
	pts := func() []Point {
		out := make([]Point, len(cells))
		for i, c := range cells {
			out[i] = Point{Cores: float64(c.Cores), Speedup: ref / centers[i], Weight: w[i]}
		}
		return out
	}
	for i, c := range cells {
		centers[i] = center(c.Values)
	}
	obs := pts()
	f, ok := FitLaw(law, obs)
	if !ok {
		return Fit{}, false
	}
	f.Conc = 1
	if g.Base != nil {
		f.Conc = center(g.Base) / ref
	}
	// The variance of a future cell's mean ln time: that of the largest
	// core count fitted.
	future := 1 / w[len(w)-1]
	maxFit := 1
	for _, c := range g.At {
		maxFit = max(maxFit, c.Cores)
	}

	// Lack of fit: with weights 1/variance, the weighted residuals' sum of
	// squares over its degrees of freedom (cells less the scale and the
	// law's parameters, a parameter held at its bound not counted: a USL
	// with κ = 0 is Amdahl's law), against the cells' own noise with its
	// degrees of freedom, is F-distributed when the law holds. A ratio the
	// test finds at LackOfFitWiden says the law misses the shape by more
	// than noise: the bands widen by its square root, as quasi-likelihood
	// does, rather than claim a precision the law does not have; below
	// Alpha the law is rejected. Without that evidence the bands are not
	// widened: with one or two degrees of freedom the ratio exceeds 1 by
	// chance a third of the time (Draper and Smith's rule: pool the
	// lack-of-fit and pure-error mean squares when the test finds nothing).
	f.Dispersion, f.LackOfFit = 1, 1
	pureDF := 0
	for _, c := range cells {
		pureDF += len(c.Values) - 1
	}
	if df := len(cells) - 1 - freeParams(f); df >= 1 {
		var sse float64
		for _, p := range obs {
			r := math.Log(p.Speedup) - math.Log(f.Scale*f.Predict(p.Cores))
			sse += weight(p) * r * r
			if m := math.Abs(math.Expm1(r)); m > f.Miss {
				f.Miss, f.MissAt = m, p.Cores
			}
		}
		ratio := sse / float64(df)
		if pureDF >= 1 {
			f.LackOfFit = distuv.F{D1: float64(df), D2: float64(pureDF)}.Survival(ratio)
		}
		if f.LackOfFit < LackOfFitWiden {
			f.Dispersion = math.Max(1, ratio)
		}
	}
	f.Rejected = f.LackOfFit < opt.Alpha && f.Miss > opt.Margin

	seed := opt.Seed
	if seed == 0 {
		h := fnv.New64a()
		h.Write([]byte(law + "|" + opt.Name))
		seed = h.Sum64()
	}
	src := rand.NewPCG(seed, 0x5ca1ab1e)
	rng := rand.New(src)
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
	tdraw := func(c CoreSamples) float64 {
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: c.Noise.DF, Src: src}.Rand()
	}
	obsCenters := slices.Clone(centers)
	for range opt.Reps {
		for j := range idx {
			idx[j] = rng.IntN(len(g.One))
		}
		for i, c := range cells {
			if moderated {
				centers[i] = obsCenters[i] * math.Exp(math.Sqrt(1/w[i])*tdraw(c))
			} else {
				centers[i] = draw(c.Values)
			}
		}
		b := refit(law, pts(), f)
		s, sg, kp = append(s, b.Serial), append(sg, b.Sigma), append(kp, b.Kappa)
		z := rng.NormFloat64()
		if moderated {
			z = tdraw(cells[len(cells)-1])
		}
		noise := math.Exp(math.Sqrt(future) * z)
		for i, n := range opt.Predict {
			preds[i] = append(preds[i], b.Speedup(n)*noise)
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
	if f.Rejected {
		return f, true
	}
	for i, n := range opt.Predict {
		mid := f.Speedup(n)
		ci := pct(preds[i])
		if f.Dispersion > 1 {
			k := math.Sqrt(f.Dispersion)
			ci[0] = mid * math.Pow(ci[0]/mid, k)
			ci[1] = mid * math.Pow(ci[1]/mid, k)
		}
		f.Bands = append(f.Bands, Band{Cores: n, Mid: mid,
			Lo: math.Min(ci[0], mid), Hi: math.Max(ci[1], mid), Extrapolated: n > float64(maxFit)*1.0001})
	}
	return f, true
}

// cellWeights are the inverse variances of the cells' mean ln times. A
// cell of one sample has no variance of its own and takes the median of
// the others' (1 when none has one); a cell of identical samples is
// floored at a relative spread of 10⁻⁶ rather than weigh infinitely.
func cellWeights(cells []CoreSamples) []float64 {
	w := make([]float64, len(cells))
	var known []float64
	for i, c := range cells {
		if v := logVarOfMean(c.Values); !math.IsNaN(v) {
			w[i] = 1 / math.Max(v, 1e-12)
			known = append(known, w[i])
		}
	}
	fill := 1.0
	if len(known) > 0 {
		slices.Sort(known)
		fill = quantile(known, 0.5)
	}
	for i := range w {
		if w[i] == 0 {
			w[i] = fill
		}
	}
	return w
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

// quantile is the linearly interpolated quantile of sorted values
// (Hyndman and Fan's type 7, R's and numpy's default). It is not gonum's
// stat.Quantile with LinInterp, which interpolates the empirical CDF
// (type 4): at the 2.5% tail of 200 resamples the two differ by about one
// resample, enough to move every band's edges and the goldens with them.
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
