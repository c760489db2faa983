package chart

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
)

// LogTicks are 1-2-5 ticks for a log axis (1 per decade beyond four
// decades), labelled plainly or by Unit.
type LogTicks struct{ Unit func(float64) string }

// Ticks implements plot.Ticker.
func (t LogTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	if min <= 0 {
		min = max / 1e6
	}
	start := math.Floor(math.Log10(min))
	end := math.Ceil(math.Log10(max))
	steps := []float64{1, 2, 5}
	if end-start > 4 {
		steps = []float64{1}
	}
	for e := start; e <= end; e++ {
		for _, s := range steps {
			v := s * math.Pow(10, e)
			if v < min*0.999 || v > max*1.001 {
				continue
			}
			label := TrimNum(v)
			if t.Unit != nil {
				label = t.Unit(v)
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	if len(ticks) < 2 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	return ticks
}

// RatioTicks label a log axis of ratios ("1.5×") finely enough that a
// range of less than a decade still gets several labelled ticks.
type RatioTicks struct{}

// Ticks implements plot.Ticker.
func (RatioTicks) Ticks(min, max float64) []plot.Tick {
	for _, steps := range [][]float64{{1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8}, {1, 2, 3, 4, 5, 6, 8}, {1, 2, 5}, {1}} {
		var t []plot.Tick
		for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
			for _, s := range steps {
				if v := s * math.Pow(10, e); v >= min*0.999 && v <= max*1.001 {
					t = append(t, plot.Tick{Value: v, Label: TrimNum(v) + "×"})
				}
			}
		}
		if len(t) <= 10 || len(steps) == 1 {
			if len(t) < 2 {
				return plot.DefaultTicks{}.Ticks(min, max)
			}
			return t
		}
	}
	return nil
}

// Pow2Ticks label a log2 axis of core counts: 1, 2, 4, 8, ... A count in
// Marked is labelled with a trailing "*" (a speedup chart marks the core
// counts whose CPUs share physical cores so), and ticked even off the
// powers of two.
type Pow2Ticks struct{ Marked []int }

// Ticks implements plot.Ticker.
func (t Pow2Ticks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	label := func(v float64) string {
		for _, k := range t.Marked {
			if float64(k) == v {
				return fmt.Sprint(v) + "*"
			}
		}
		return fmt.Sprint(v)
	}
	for v := 1.0; v <= max*1.001; v *= 2 {
		if v >= min*0.999 {
			out = append(out, plot.Tick{Value: v, Label: label(v)})
		}
	}
	for _, k := range t.Marked {
		v := float64(k)
		if k > 0 && k&(k-1) != 0 && v >= min*0.999 && v <= max*1.001 {
			out = append(out, plot.Tick{Value: v, Label: label(v)})
		}
	}
	return out
}

// TrimNum formats a tick value plainly: 0.2, 5, 100, 10k, 1M. It is not
// benchunit.Scale, which gives every value three significant digits and
// an SI prefix (10.0k, 200m): a tick wants the shortest exact label.
func TrimNum(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.6g", v/1e6), ".0") + "M"
	case a >= 1e4:
		return strings.TrimSuffix(fmt.Sprintf("%.6g", v/1e3), ".0") + "k"
	}
	s := fmt.Sprintf("%.6g", v)
	if strings.Contains(s, "e") {
		s = fmt.Sprintf("%.0e", v)
	}
	return s
}

// TickDuration labels a tick in nanoseconds with a unit: 500 ns, 1 µs.
func TickDuration(ns float64) string { return WithTimeUnit(ns, TrimNum) }

// WithTimeUnit formats nanoseconds in the largest unit that keeps the
// number at least 1, the number by f. benchunit's time scaler writes
// "1.23µs" without the space and the unit the pages use elsewhere.
func WithTimeUnit(ns float64, f func(float64) string) string {
	switch {
	case ns >= 1e9:
		return f(ns/1e9) + " s"
	case ns >= 1e6:
		return f(ns/1e6) + " ms"
	case ns >= 1e3:
		return f(ns/1e3) + " µs"
	}
	return f(ns) + " ns"
}
