package report

import (
	"fmt"
	"math"

	mstats "github.com/montanaflynn/stats"
	"golang.org/x/perf/benchmath"

	"github.com/concbench/concbench/report/internal/prose"
)

// Confidence is the confidence level of every interval in a report, as
// benchstat's default.
const Confidence = 0.95

// MinSamples is the fewest samples a cell should have; fewer draws a warning.
// Two samples carry one degree of freedom of the cell's own, so its noise
// rests mostly on the run's prior (report/stats); three is the least the
// quick profile's verdicts are checked with.
const MinSamples = 3

// MaxCV is the coefficient of variation above which a cell is called noisy.
const MaxCV = 0.05

// A Summary describes one cell's samples of one unit: the median with its
// distribution-free confidence interval (benchmath.AssumeNothing, so the
// numbers equal benchstat's) and descriptive figures.
type Summary struct {
	Median, Lo, Hi float64 // Lo, Hi may be ±Inf with too few samples
	N              int
	Mean, CV       float64 // CV: sample standard deviation / mean
	P10, P90       float64 // percentiles of the samples
	Min, Max       float64
}

// Summarize computes the Summary of values, which it sorts in place.
func Summarize(values []float64) Summary {
	sm := benchmath.NewSample(values, &benchmath.DefaultThresholds)
	ci := benchmath.AssumeNothing.Summary(sm, Confidence)
	s := Summary{Median: ci.Center, Lo: ci.Lo, Hi: ci.Hi, N: len(values)}
	data := mstats.Float64Data(values)
	s.Min, _ = data.Min()
	s.Max, _ = data.Max()
	s.Mean, _ = data.Mean()
	if sd, err := data.StandardDeviationSample(); err == nil && s.Mean != 0 {
		s.CV = sd / math.Abs(s.Mean)
	}
	s.P10, _ = data.Percentile(10)
	s.P90, _ = data.Percentile(90)
	return s
}

// An Estimate is a ratio with its confidence interval.
type Estimate struct{ Value, Lo, Hi float64 }

// Finite reports whether the interval is finite.
func (e Estimate) Finite() bool {
	return !math.IsInf(e.Hi, 0) && !math.IsInf(e.Lo, 0) && !math.IsNaN(e.Value)
}

// String formats a ratio as "61× [58, 63]".
func (e Estimate) String() string {
	if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
		return "?"
	}
	if !e.Finite() {
		return fmt.Sprintf("%s× [no CI]", prose.Num(e.Value))
	}
	return fmt.Sprintf("%s× [%s, %s]", prose.Num(e.Value), prose.Num(e.Lo), prose.Num(e.Hi))
}
