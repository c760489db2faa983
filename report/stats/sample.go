package stats

import (
	"math"
	"slices"
)

// A Sample is one cell's values of a positive quantity (a time) on the log
// scale, where a ratio of times is a difference and noise is multiplicative.
type Sample struct {
	N    int
	Mean float64 // mean of ln(value)
	Var  float64 // unbiased variance of ln(value); 0 when N < 2
	// Values are the raw values, ascending, for the U test and medians.
	Values []float64
}

// NewSample summarises values, which must be positive and finite (the
// loader rejects others); values that are not are left out. values is not
// modified.
func NewSample(values []float64) Sample {
	s := Sample{Values: make([]float64, 0, len(values))}
	for _, v := range values {
		if v > 0 && !math.IsInf(v, 0) {
			s.Values = append(s.Values, v)
		}
	}
	slices.Sort(s.Values)
	s.N = len(s.Values)
	if s.N == 0 {
		s.Mean = math.NaN()
		return s
	}
	for _, v := range s.Values {
		s.Mean += math.Log(v)
	}
	s.Mean /= float64(s.N)
	if s.N > 1 {
		for _, v := range s.Values {
			d := math.Log(v) - s.Mean
			s.Var += d * d
		}
		s.Var /= float64(s.N - 1)
	}
	return s
}

// DF is the sample's own degrees of freedom for its variance.
func (s Sample) DF() int { return max(0, s.N-1) }

// Median is the median of the raw values.
func (s Sample) Median() float64 {
	n := len(s.Values)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s.Values[n/2]
	}
	return (s.Values[n/2-1] + s.Values[n/2]) / 2
}
