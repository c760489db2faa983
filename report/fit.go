package report

import (
	"fmt"
	"math"
)

// Predictions are the core counts a fitted law is extrapolated to.
var Predictions = []int{8, 16, 32, 64}

// MinUSLPoints is the fewest distinct core counts (within the machine's
// CPUs) that the Universal Scalability Law is fitted to; its two
// parameters need a third point to be anything but an interpolation.
const MinUSLPoints = 3

// A ScalePoint is a measured speedup relative to one core.
type ScalePoint struct {
	Cores   float64
	Speedup float64
}

// A Fit is a scaling law fitted by least squares to speedups relative to
// one core.
type Fit struct {
	Law    string  // "Amdahl" or "USL"
	Serial float64 // Amdahl: serial fraction s, S(n) = 1/(s + (1-s)/n)
	Sigma  float64 // USL contention σ ≥ 0
	Kappa  float64 // USL coherency κ ≥ 0: S(n) = n/(1 + σ(n-1) + κn(n-1))
	RMSE   float64 // root mean square error of the fit, in speedup
	Points int
}

// Predict returns the fitted speedup at n cores.
func (f Fit) Predict(n float64) float64 {
	if f.Law == "USL" {
		return n / (1 + f.Sigma*(n-1) + f.Kappa*n*(n-1))
	}
	return 1 / (f.Serial + (1-f.Serial)/n)
}

// String describes the fitted parameters.
func (f Fit) String() string {
	if f.Law == "USL" {
		return fmt.Sprintf("USL σ=%.3g κ=%.3g", f.Sigma, f.Kappa)
	}
	return fmt.Sprintf("Amdahl s=%.3g", f.Serial)
}

// KarpFlatt returns the experimentally determined serial fraction of a
// speedup at p > 1 cores: (1/S − 1/p) / (1 − 1/p).
func KarpFlatt(speedup, p float64) float64 {
	if p <= 1 || speedup <= 0 {
		return math.NaN()
	}
	return (1/speedup - 1/p) / (1 - 1/p)
}

func distinctCores(pts []ScalePoint) int {
	seen := map[float64]bool{}
	for _, p := range pts {
		seen[p.Cores] = true
	}
	return len(seen)
}

func sse(pts []ScalePoint, f Fit) float64 {
	var s float64
	for _, p := range pts {
		d := p.Speedup - f.Predict(p.Cores)
		s += d * d
	}
	return s
}

func finish(pts []ScalePoint, f Fit) Fit {
	f.Points = len(pts)
	f.RMSE = math.Sqrt(sse(pts, f) / float64(len(pts)))
	return f
}

// FitAmdahl fits Amdahl's law: the serial fraction s in [0, 1] that
// minimises the squared error in speedup. It needs two distinct core
// counts; it returns false with fewer.
func FitAmdahl(pts []ScalePoint) (Fit, bool) {
	if distinctCores(pts) < 2 {
		return Fit{}, false
	}
	f := Fit{Law: "Amdahl"}
	cost := func(s float64) float64 { f.Serial = s; return sse(pts, f) }
	f.Serial = minimize1(cost, 0, 1)
	return finish(pts, f), true
}

// FitUSL fits the Universal Scalability Law with σ, κ ≥ 0: it starts from
// the non-negative least-squares solution of the linearised form
// n/S − 1 = σ(n−1) + κn(n−1), then refines σ and κ in turn against the
// squared error in speedup. It needs MinUSLPoints distinct core counts.
func FitUSL(pts []ScalePoint) (Fit, bool) {
	if distinctCores(pts) < MinUSLPoints {
		return Fit{}, false
	}
	f := Fit{Law: "USL"}
	f.Sigma, f.Kappa = uslLinear(pts)
	for range 60 {
		prev := sse(pts, f)
		f.Sigma = minimize1(func(s float64) float64 { g := f; g.Sigma = s; return sse(pts, g) }, 0, 1)
		f.Kappa = minimize1(func(k float64) float64 { g := f; g.Kappa = k; return sse(pts, g) }, 0, 1)
		if prev-sse(pts, f) < 1e-12 {
			break
		}
	}
	return finish(pts, f), true
}

// uslLinear solves min ‖σx + κx(x+1) − y‖² with σ, κ ≥ 0, x = n−1 and
// y = n/S − 1, by trying the unconstrained solution, then each parameter
// alone.
func uslLinear(pts []ScalePoint) (sigma, kappa float64) {
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
	return sigma, kappa
}

// minimize1 finds the minimum of f on [lo, hi]: a grid to find the basin,
// then golden-section search inside it.
func minimize1(f func(float64) float64, lo, hi float64) float64 {
	const grid = 200
	best, bx := math.Inf(1), lo
	for i := 0; i <= grid; i++ {
		x := lo + (hi-lo)*float64(i)/grid
		if v := f(x); v < best {
			best, bx = v, x
		}
	}
	step := (hi - lo) / grid
	a, b := math.Max(lo, bx-step), math.Min(hi, bx+step)
	const phi = 0.6180339887498949
	c, d := b-phi*(b-a), a+phi*(b-a)
	fc, fd := f(c), f(d)
	for range 80 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - phi*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + phi*(b-a)
			fd = f(d)
		}
	}
	x := (a + b) / 2
	if f(x) > best {
		return bx
	}
	return x
}
