package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFitAmdahlKnownAnswer(t *testing.T) {
	const s = 0.1
	var pts []Point
	for _, n := range []float64{1, 2, 4, 8} {
		pts = append(pts, Point{Cores: n, Speedup: 1 / (s + (1-s)/n)})
	}
	f, ok := FitLaw(Amdahl, pts)
	if !ok || math.Abs(f.Serial-s) > 1e-5 || f.RMSE > 1e-5 {
		t.Errorf("FitLaw(Amdahl) = %+v, %v; want s=%v", f, ok, s)
	}
	if got, want := f.Predict(64), 1/(s+(1-s)/64); math.Abs(got/want-1) > 1e-4 {
		t.Errorf("Predict(64) = %v, want %v", got, want)
	}
	if _, ok := FitLaw(Amdahl, pts[:1]); ok {
		t.Error("Amdahl with one core count fitted")
	}
}

func TestFitUSLKnownAnswer(t *testing.T) {
	for _, tc := range []struct{ sigma, kappa float64 }{{0.05, 0.002}, {0.2, 0}, {0, 0.01}} {
		var pts []Point
		for _, n := range []float64{1, 2, 4, 8, 16} {
			pts = append(pts, Point{Cores: n, Speedup: n / (1 + tc.sigma*(n-1) + tc.kappa*n*(n-1))})
		}
		f, ok := FitLaw(USL, pts)
		if !ok || math.Abs(f.Sigma-tc.sigma) > 1e-4 || math.Abs(f.Kappa-tc.kappa) > 1e-5 {
			t.Errorf("USL(σ=%v, κ=%v) fitted %+v, %v", tc.sigma, tc.kappa, f, ok)
		}
	}
	// Superlinear data would want σ < 0: the fit stays at the bound.
	f, ok := FitLaw(USL, []Point{{Cores: 1, Speedup: 1}, {Cores: 2, Speedup: 2.2}, {Cores: 4, Speedup: 4.6}, {Cores: 8, Speedup: 9.5}})
	if !ok || f.Sigma < 0 || f.Kappa < 0 {
		t.Errorf("constrained fit gave %+v", f)
	}
	if _, ok := FitLaw(USL, []Point{{Cores: 1, Speedup: 1}, {Cores: 2, Speedup: 1.9}, {Cores: 4, Speedup: 3.5}}); ok {
		t.Errorf("USL with three core counts fitted; it needs %d", MinUSLPoints)
	}
}

// TestFitGainsCoverage: on data drawn from a known USL with 5% noise, the
// bootstrap bands at twice the largest fitted core count hold the true
// speedup in at least 90 of 100 draws, and the parameters' intervals hold
// the true parameters.
func TestFitGainsCoverage(t *testing.T) {
	const sigma, kappa = 0.03, 0.002
	law := func(n float64) float64 { return n / (1 + sigma*(n-1) + kappa*n*(n-1)) }
	in, sigmaIn := 0, 0
	for seed := uint64(1); seed <= 100; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		cell := func(n float64) []float64 {
			v := make([]float64, 8)
			for i := range v {
				v[i] = 1 / law(n) * math.Exp(0.05*rng.NormFloat64())
			}
			return v
		}
		g := Gains{One: cell(1)}
		for _, k := range []int{2, 4, 8} {
			g.At = append(g.At, CoreSamples{Cores: k, Values: cell(float64(k))})
		}
		f, ok := FitGains(USL, g, FitOptions{Seed: seed, Predict: []float64{8, 16}})
		if !ok {
			t.Fatal("not fitted")
		}
		b, _ := f.Band(16)
		if b.Lo <= law(16) && law(16) <= b.Hi {
			in++
		}
		if !b.Extrapolated {
			t.Error("16 is beyond the fitted 8: want Extrapolated")
		}
		if f.SigmaCI[0] <= sigma && sigma <= f.SigmaCI[1] {
			sigmaIn++
		}
	}
	if in < 90 || sigmaIn < 85 {
		t.Errorf("bands held the true speedup at 16 in %d of 100, σ's interval held σ in %d; want ≥ 90 and ≥ 85", in, sigmaIn)
	}
}
