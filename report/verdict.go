package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// verdicts writes one verdict per workload and core count from the
// significance-gated factors of the best Go model's speedup.
func (a *Analysis) verdicts() {
	for _, w := range a.Workloads {
		for _, k := range a.Cores {
			if v := a.verdict(w, k); v != nil {
				a.Verdicts = append(a.Verdicts, v)
			}
		}
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			b.Text = genericText(b)
		}
	}
}

func (a *Analysis) verdict(w *Workload, k int) *Verdict {
	if w.Base == nil {
		return nil
	}
	v := &Verdict{Workload: w.Name, Kind: w.Kind, Cores: k, Oversub: a.Set.Oversubscribed(k), Gain: "none"}
	head := w.Name
	if w.Kind != "" {
		head += " (" + w.Kind + ")"
	}
	head += fmt.Sprintf(", %d %s", k, plural(k, "core"))
	if v.Oversub {
		head += " (oversubscribed)"
	}
	ranked := ranked(w, k)
	if len(ranked) == 0 {
		return nil
	}
	best := ranked[0]
	bp := best.Point(k)
	v.Speedup = bp.Speedup
	var b strings.Builder
	b.WriteString(head + ": ")
	if !bp.VsBase.Lower(bp.Cell) {
		if bp.VsBase.Lower(w.Base) {
			fmt.Fprintf(&b, "nothing beats seq; every model is significantly slower (best: %s %s)", best.Model, bp.Speedup)
		} else {
			fmt.Fprintf(&b, "no model beats seq significantly (best: %s %s, a tie)", best.Model, bp.Speedup)
		}
		v.Text = b.String()
		return v
	}
	v.Winner = best.Model
	concSig := bp.ConcClaim.Lower(best.One)
	parSig := k > 1 && bp.VsOne.Lower(bp.Cell)
	switch {
	case k == 1 || concSig && !parSig:
		v.Gain = "concurrency"
		fmt.Fprintf(&b, "concurrency wins: %s %s over seq", best.Model, bp.Speedup)
		if k > 1 {
			b.WriteString("; more cores add nothing significant")
		}
	case parSig && !concSig:
		v.Gain = "parallelism"
		fmt.Fprintf(&b, "parallelism wins: %s %s at %d cores", best.Model, bp.Speedup, k)
	case parSig && concSig:
		v.Gain = "both"
		fmt.Fprintf(&b, "concurrency and parallelism both: %s %s = %s concurrency × %s from %d cores",
			best.Model, bp.Speedup, short(bp.Conc), short(bp.Par), k)
	default:
		v.Gain = "overall"
		fmt.Fprintf(&b, "%s %s over seq, though neither factor alone is significant", best.Model, bp.Speedup)
	}
	if len(ranked) > 1 {
		second := ranked[1]
		sp := second.Point(k)
		if c := a.Claims.Add(bp.Cell, sp.Cell, UnitTime); c != nil && !c.Lower(bp.Cell) {
			fmt.Fprintf(&b, " (a tie with %s %s)", second.Model, short(sp.Speedup))
		}
	}
	var nothing, slower []string
	for _, s := range ranked[1:] {
		p := s.Point(k)
		switch {
		case p.VsBase.Lower(w.Base):
			slower = append(slower, s.Model)
		case !p.VsBase.Lower(p.Cell):
			nothing = append(nothing, s.Model)
		}
	}
	if len(nothing) > 0 {
		fmt.Fprintf(&b, "; %s %s nothing", joinAnd(nothing), verb(len(nothing), "gains", "gain"))
	}
	if len(slower) > 0 {
		fmt.Fprintf(&b, "; %s %s slower than seq", joinAnd(slower), verb(len(slower), "is", "are"))
	}
	if note := a.pyNote(w, k); note != "" {
		b.WriteString(". " + note)
	}
	v.Text = b.String()
	return v
}

// ranked lists the Go models at k cores that have a baseline, fastest
// first by median makespan.
func ranked(w *Workload, k int) []*Scaling {
	var out []*Scaling
	for _, s := range w.Models {
		if s.Model == "seq" || IsPython(s.Model) || s.Point(k) == nil || s.Point(k).VsBase == nil {
			continue
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return median(out[i].Point(k).Cell, UnitTime) < median(out[j].Point(k).Cell, UnitTime)
	})
	return out
}

// runnerUpClaims registers, before Holm's correction, the claim that each
// verdict's winner beats the runner-up.
func (a *Analysis) runnerUpClaims() {
	for _, w := range a.Workloads {
		for _, k := range a.Cores {
			if r := ranked(w, k); len(r) > 1 {
				a.Claims.Add(r[0].Point(k).Cell, r[1].Point(k).Cell, UnitTime)
			}
		}
	}
}

// pyNote says where CPython's speedups differ from the emulation's.
func (a *Analysis) pyNote(w *Workload, k int) string {
	var differ, match []string
	for _, r := range a.Python {
		if r.Benchmark != BenchCores || r.Param != "workload="+w.Name || r.Cores != k || r.Py == "py-seq" {
			continue
		}
		if r.Differs {
			differ = append(differ, fmt.Sprintf("%s %s where %s %s", r.Py, short(r.PySpeedup), r.Go, short(r.GoSpeedup)))
		} else if r.PySpeedup.Finite() {
			match = append(match, r.Py)
		}
	}
	switch {
	case len(differ) > 0:
		return "CPython differs from the emulation: " + strings.Join(differ, ", ")
	case len(match) > 0:
		return "CPython's speedups match the emulation (" + joinAnd(match) + ")"
	}
	return ""
}

func genericText(b *GenericBench) string {
	var best *CorePoint
	for _, p := range b.Points[1:] {
		if !p.Oversub && (best == nil || p.Par.Value > best.Par.Value) {
			best = p
		}
	}
	if best == nil {
		best = b.Points[len(b.Points)-1]
	}
	rel := "1"
	if b.BaseK != 1 {
		rel = fmt.Sprint(b.BaseK)
	}
	var s string
	switch {
	case best.VsOne.Lower(best.Cell):
		s = fmt.Sprintf("%s: %s at GOMAXPROCS=%d over GOMAXPROCS=%s", b.Name, best.Par, best.Cores, rel)
	case best.VsOne.Lower(b.Points[0].Cell):
		s = fmt.Sprintf("%s: slower with more GOMAXPROCS: %s at %d", b.Name, best.Par, best.Cores)
	default:
		s = fmt.Sprintf("%s: no significant speedup from GOMAXPROCS (%s at %d)", b.Name, best.Par, best.Cores)
	}
	if f := fitOf(b.Amdahl, b.USL); f != nil {
		s += fmt.Sprintf("; %s predicts %s", f, predictions(*f))
	} else if b.FitNote != "" {
		s += "; " + b.FitNote
	}
	return s
}

func fitOf(amdahl, usl *Fit) *Fit {
	if usl != nil {
		return usl
	}
	return amdahl
}

func predictions(f Fit) string {
	var parts []string
	for _, n := range Predictions {
		parts = append(parts, fmt.Sprintf("%s× at %d", num(f.Predict(float64(n))), n))
	}
	return strings.Join(parts, ", ")
}

// short formats an estimate without its interval when the interval is
// already given elsewhere in the sentence.
func short(e Estimate) string {
	if math.IsNaN(e.Value) {
		return "?"
	}
	return num(e.Value) + "×"
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// findings are the one-line results of the mix, fanout, grain, overhead
// and convoy charts.
func (a *Analysis) findings() {
	if a.Mix != nil && a.Mix.CrossoverNote != "" {
		a.Findings = append(a.Findings, "Mix: "+a.Mix.CrossoverNote+".")
	}
	for _, f := range a.Fanout {
		var best *Series
		var bestY float64
		for _, s := range f.Series {
			last := s.Points[len(s.Points)-1]
			if last.Y.Value > bestY {
				best, bestY = s, last.Y.Value
			}
		}
		if best != nil {
			last := best.Points[len(best.Points)-1]
			ideal := math.NaN()
			for _, p := range f.Ideal {
				if p.X == last.X {
					ideal = p.Y
				}
			}
			a.Findings = append(a.Findings, fmt.Sprintf("Fanout %s at %d %s: %s reaches the highest throughput, %s tasks/s at %.0f tasks (%.0f%% of Little's-law ideal).",
				f.Name, f.Cores, plural(f.Cores, "core"), best.Model, num(last.Y.Value), last.X, 100*last.Y.Value/ideal))
		}
	}
	if a.Grain != nil {
		var parts []string
		for _, s := range a.Grain.Series {
			if s.Model == "seq" {
				continue
			}
			// The smallest grain at which the model keeps half its ideal efficiency.
			for _, p := range s.Points {
				if p.Y.Value >= 0.5 {
					parts = append(parts, fmt.Sprintf("%s from %s", s.Model, grainLabel(p.X)))
					break
				}
			}
		}
		if len(parts) > 0 {
			a.Findings = append(a.Findings, fmt.Sprintf("Grain at %d %s: parallel efficiency ≥ 50%% for %s.", a.Grain.Cores, plural(a.Grain.Cores, "core"), strings.Join(parts, ", ")))
		}
	}
	if d := a.Overhead; d != nil && len(d.Cores) > 0 {
		k := d.Cores[0]
		lo, hi := "", ""
		var loV, hiV float64
		for _, m := range d.Models {
			if e, ok := d.Values[m][k]; ok && m != "seq" {
				if lo == "" || e.Value < loV {
					lo, loV = m, e.Value
				}
				if hi == "" || e.Value > hiV {
					hi, hiV = m, e.Value
				}
			}
		}
		if lo != "" {
			a.Findings = append(a.Findings, fmt.Sprintf("Overhead at %d %s: dispatch costs %s per task with %s, %s with %s.", k, plural(k, "core"), duration(loV), lo, duration(hiV), hi))
		}
	}
	if d := a.Convoy; d != nil && len(d.Cores) > 0 {
		k := d.Cores[len(d.Cores)-1]
		var parts []string
		for _, m := range d.Models {
			if e, ok := d.Values[m][k]; ok {
				parts = append(parts, fmt.Sprintf("%s %s ms", m, num(e.Value)))
			}
		}
		a.Findings = append(a.Findings, fmt.Sprintf("Convoy at %d %s: I/O p99 under CPU load: %s.", k, plural(k, "core"), strings.Join(parts, ", ")))
	}
}

func grainLabel(sec float64) string {
	return duration(sec * 1e9)
}

// duration formats nanoseconds with a unit.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return num(ns/1e9) + " s"
	case ns >= 1e6:
		return num(ns/1e6) + " ms"
	case ns >= 1e3:
		return num(ns/1e3) + " µs"
	}
	return num(ns) + " ns"
}

// warnings gathers what a reader should know before trusting the numbers.
func (a *Analysis) warnings() {
	s := a.Set
	if s.Incomplete {
		a.Warnings = append(a.Warnings, "the run was interrupted (incomplete: true): this is a partial report")
	}
	for _, w := range s.Warnings {
		a.Warnings = append(a.Warnings, w.Error())
	}
	var few, noisy []string
	minN := math.MaxInt
	cvCells := 0
	worstCV, worst := 0.0, ""
	for _, c := range s.Cells {
		st, ok := c.Stats[UnitTime]
		if !ok {
			continue
		}
		if st.N < minN {
			minN = st.N
		}
		if st.N < MinSamples {
			few = append(few, fmt.Sprintf("%s (%d)", goName(c), st.N))
		}
		if st.CV > MaxCV {
			cvCells++
			noisy = append(noisy, c.Name)
			if st.CV > worstCV {
				worstCV, worst = st.CV, fmt.Sprintf("%s at %d %s", c.Name, c.Cores, plural(c.Cores, "core"))
			}
		}
	}
	if len(few) > 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%d %s fewer than %d samples: %s", len(few), verb(len(few), "cell has", "cells have"), MinSamples, list(few, 6)))
	}
	if cvCells > 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%d of %d cells are noisy (CV of ns/op above %.0f%%); the worst is %s with %.1f%%",
			cvCells, len(s.Cells), MaxCV*100, worst, worstCV*100))
	}
	for _, r := range s.Runs {
		if len(r.CalibrationSpeedup) == 0 {
			continue
		}
		cal := append([]float64(nil), r.CalibrationSpeedup...)
		sort.Float64s(cal)
		med := cal[len(cal)/2]
		want := float64(r.Cores)
		if r.CalibrationCores > 0 {
			want = math.Min(want, float64(r.CalibrationCores))
		}
		if a.CPUs > 0 {
			want = math.Min(want, float64(a.CPUs))
		}
		if med < 0.8*want {
			a.Warnings = append(a.Warnings, fmt.Sprintf("at %d cores the calibration speedup is %.2f, well below %.0f: the CPUs were shared or throttled, parallel gains there understate the machine",
				r.Cores, med, want))
		}
	}
	if m := a.Claims.Len(); m > 0 && minN != math.MaxInt && minN >= 1 {
		if p := uMinP(minN); p*float64(m) >= Alpha {
			need := minN
			for need < 50 && uMinP(need)*float64(m) >= Alpha {
				need++
			}
			a.Warnings = append(a.Warnings, fmt.Sprintf(
				"with %d samples per cell the smallest possible U-test p-value is %.2g; Holm's correction over %d claims needs below %.2g, so some cells cannot show a significant difference and read as ties: run at least %d rounds",
				minN, p, m, Alpha/float64(m), need))
		}
	}
	if len(a.Generic) == 0 && len(a.NoSweep) > 0 && len(a.Workloads) == 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf("no -cpu sweep: each of the %d benchmarks ran at one GOMAXPROCS only, so there is no speedup to chart; rerun with go test -bench . -cpu 1,2,4 (up to your CPUs) -count 10", len(a.NoSweep)))
	}
}

// uMinP is the smallest two-sided p-value of a U test with two samples of
// n each: 2 / C(2n, n).
func uMinP(n int) float64 {
	c := 1.0
	for i := 1; i <= n; i++ {
		c = c * float64(n+i) / float64(i)
	}
	return 2 / c
}

func list(xs []string, max int) string {
	if len(xs) <= max {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:max], ", ") + fmt.Sprintf(" and %d more", len(xs)-max)
}

// goName is a cell's name as go test prints it: with the -k suffix when
// GOMAXPROCS is not 1.
func goName(c *Cell) string {
	if c.Cores == 1 {
		return c.Name
	}
	return fmt.Sprintf("%s-%d", c.Name, c.Cores)
}
