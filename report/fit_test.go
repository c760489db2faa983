package report

import (
	"math"
	"testing"
)

func TestFitAmdahlKnownAnswer(t *testing.T) {
	const s = 0.1
	var pts []ScalePoint
	for _, n := range []float64{1, 2, 4, 8} {
		pts = append(pts, ScalePoint{n, 1 / (s + (1-s)/n)})
	}
	f, ok := FitAmdahl(pts)
	if !ok || math.Abs(f.Serial-s) > 1e-6 || f.RMSE > 1e-6 {
		t.Errorf("FitAmdahl = %+v, %v; want s=%v", f, ok, s)
	}
	if got, want := f.Predict(64), 1/(s+(1-s)/64); math.Abs(got-want) > 1e-4 {
		t.Errorf("Predict(64) = %v, want %v", got, want)
	}
	if _, ok := FitAmdahl(pts[:1]); ok {
		t.Error("FitAmdahl with one core count succeeded")
	}
}

func TestFitUSLKnownAnswer(t *testing.T) {
	for _, tc := range []struct{ sigma, kappa float64 }{{0.05, 0.002}, {0.2, 0}, {0, 0.01}} {
		var pts []ScalePoint
		for _, n := range []float64{1, 2, 4, 8, 16} {
			pts = append(pts, ScalePoint{n, n / (1 + tc.sigma*(n-1) + tc.kappa*n*(n-1))})
		}
		f, ok := FitUSL(pts)
		if !ok || math.Abs(f.Sigma-tc.sigma) > 1e-4 || math.Abs(f.Kappa-tc.kappa) > 1e-5 {
			t.Errorf("FitUSL(σ=%v, κ=%v) = %+v, %v", tc.sigma, tc.kappa, f, ok)
		}
	}
	// Superlinear data would want σ < 0: the fit stays at the bound.
	f, ok := FitUSL([]ScalePoint{{1, 1}, {2, 2.2}, {4, 4.6}})
	if !ok || f.Sigma < 0 || f.Kappa < 0 {
		t.Errorf("constrained fit gave %+v", f)
	}
	if _, ok := FitUSL([]ScalePoint{{1, 1}, {2, 1.9}}); ok {
		t.Error("FitUSL with two core counts succeeded")
	}
}

func TestKarpFlatt(t *testing.T) {
	// Amdahl with s = 0.1 at 4 cores gives Karp–Flatt e = 0.1 exactly.
	s := 1 / (0.1 + 0.9/4)
	if e := KarpFlatt(s, 4); math.Abs(e-0.1) > 1e-12 {
		t.Errorf("KarpFlatt = %v, want 0.1", e)
	}
	if e := KarpFlatt(1, 1); !math.IsNaN(e) {
		t.Errorf("KarpFlatt at 1 core = %v, want NaN", e)
	}
}

func TestRatio(t *testing.T) {
	num := Summary{Median: 100, Lo: 90, Hi: 110}
	den := Summary{Median: 10, Lo: 9, Hi: 11}
	e := Ratio(num, den)
	if e.Value != 10 || math.Abs(e.Lo-90.0/11) > 1e-12 || math.Abs(e.Hi-110.0/9) > 1e-12 {
		t.Errorf("Ratio = %+v", e)
	}
	if got := e.String(); got != "10.0× [8.18, 12.2]" {
		t.Errorf("String = %q", got)
	}
}
