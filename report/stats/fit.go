package stats

import (
	"fmt"
	"math"

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
