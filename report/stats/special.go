package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// trigamma is ψ′(x), the derivative of the digamma function, for x > 0:
// the recurrence ψ′(x) = ψ′(x+1) + 1/x² up to x ≥ 6, then the asymptotic
// series. gonum has Digamma but not its derivative.
func trigamma(x float64) float64 {
	if x <= 0 || math.IsNaN(x) {
		return math.NaN()
	}
	r := 0.0
	for x < 6 {
		r += 1 / (x * x)
		x++
	}
	f := 1 / (x * x)
	// 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹)
	return r + 1/x + f/2 + f/x*(1.0/6-f*(1.0/30-f*(1.0/42-f/30)))
}

// tetragamma is ψ″(x), for Newton's method on trigamma.
func tetragamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r -= 2 / (x * x * x)
		x++
	}
	f := 1 / (x * x)
	// −1/x² − 1/x³ − 1/(2x⁴) + 1/(6x⁶) − 1/(6x⁸) + 3/(10x¹⁰)
	return r - f - f/x - f*f/2 + f*f*f/6 - f*f*f*f/6 + 3*f*f*f*f*f/10
}

// trigammaInverse solves ψ′(x) = y for x > 0, by Newton's method from
// limma's starting point (Smyth 2004, trigammaInverse).
func trigammaInverse(y float64) float64 {
	switch {
	case math.IsNaN(y) || y <= 0:
		return math.Inf(1)
	case y > 1e7:
		return 1 / math.Sqrt(y)
	case y < 1e-6:
		return 1 / y
	}
	x := 0.5 + 1/y
	for i := 0; i < 50; i++ {
		tri := trigamma(x)
		dif := tri * (1 - tri/y) / tetragamma(x)
		x += dif
		if -dif/x < 1e-8 {
			break
		}
	}
	return x
}

func digamma(x float64) float64 { return mathext.Digamma(x) }
