// Package prose is the report's way with words and numbers: how a count,
// a list, a ratio or a duration reads in a verdict, a table or a chart's
// note, the same on every page.
package prose

import (
	"fmt"
	"math"
	"strings"

	"github.com/concbench/concbench/report/chart"
)

// Num formats a number with about three significant digits and no
// exponent between 0.01 and 10⁶: 0.352, 1.96, 12.4, 640. It is not
// benchunit.Scale: a ratio is "1.96×", not "1.96" with an SI prefix.
func Num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return "?"
	case a == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.01:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// Duration formats nanoseconds in the largest unit that keeps the number
// at least 1: "93.2 ms", "301 ns".
func Duration(ns float64) string { return chart.WithTimeUnit(ns, Num) }

// Pct formats a fraction as a percentage: 0.05 is "5%".
func Pct(f float64) string { return fmt.Sprintf("%.3g%%", f*100) }

// JoinAnd joins words as a sentence does: "a", "a and b", "a, b and c".
func JoinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// List joins at most max words with commas, then says how many more.
func List(xs []string, max int) string {
	if len(xs) <= max {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:max], ", ") + fmt.Sprintf(" and %d more", len(xs)-max)
}

// Plural is word, with an s unless n is 1.
func Plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Verb picks the form for n: one when n is 1, else many.
func Verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Cores lists core counts: "1, 2, 4 cores", "1 core".
func Cores(cores []int) string {
	var s []string
	for _, k := range cores {
		s = append(s, fmt.Sprint(k))
	}
	return strings.Join(s, ", ") + " " + Plural(cores[len(cores)-1], "core")
}

// Kinded names a workload with its kind, if known: "hash (CPU-bound)".
func Kinded(name, kind string) string {
	if kind == "" {
		return name
	}
	return name + " (" + kind + ")"
}
