package stats

import (
	"math"
	"testing"
)

func TestTrigamma(t *testing.T) {
	for _, tc := range []struct{ x, want float64 }{
		{1, math.Pi * math.Pi / 6},
		{0.5, math.Pi * math.Pi / 2},
		{2, math.Pi*math.Pi/6 - 1},
		{10, 0.10516633568168575},
		{0.1, 101.43329915079276},
	} {
		if got := trigamma(tc.x); math.Abs(got-tc.want) > 1e-9*math.Max(1, tc.want) {
			t.Errorf("trigamma(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
	// tetragamma is trigamma's derivative.
	for _, x := range []float64{0.3, 1, 4.5, 12} {
		h := 1e-5
		num := (trigamma(x+h) - trigamma(x-h)) / (2 * h)
		if got := tetragamma(x); math.Abs(got-num) > 1e-5*math.Abs(num) {
			t.Errorf("tetragamma(%v) = %v, want ≈ %v", x, got, num)
		}
	}
}

func TestTrigammaInverse(t *testing.T) {
	for _, x := range []float64{0.05, 0.5, 1, 3, 10, 100, 1e4} {
		if got := trigammaInverse(trigamma(x)); math.Abs(got-x) > 1e-6*x {
			t.Errorf("trigammaInverse(trigamma(%v)) = %v", x, got)
		}
	}
	if got := trigammaInverse(0); !math.IsInf(got, 1) {
		t.Errorf("trigammaInverse(0) = %v, want +Inf", got)
	}
}
