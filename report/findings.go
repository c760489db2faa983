package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
)

// findings are the one-line results of the mix, fanout, grain, overhead
// and convoy charts, worded from the measured sweeps and dots.
func findings(a *Measured) []string {
	var out []string
	if a.Mix != nil {
		out = append(out, "Mix: "+crossoverNote(a.Mix)+".")
	}
	out = append(out, userFindings(a)...)
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
			var bounds []string
			if ideal > 0 {
				bounds = append(bounds, fmt.Sprintf("%.0f%% of Little's-law ideal", 100*last.Y.Value/ideal))
			}
			if f.Ceiling > 0 {
				bounds = append(bounds, fmt.Sprintf("%.0f%% of the machine's %s loopback connections a second, which no model can pass", 100*last.Y.Value/f.Ceiling, prose.Num(f.Ceiling)))
			}
			bound := ""
			if len(bounds) > 0 {
				bound = " (" + strings.Join(bounds, ", ") + ")"
			}
			out = append(out, fmt.Sprintf("Fanout %s at %d %s: %s reaches the highest throughput, %s tasks/s at %.0f tasks%s.",
				f.Name, f.Cores, prose.Plural(f.Cores, "core"), best.Model, prose.Num(last.Y.Value), last.X, bound))
		}
	}
	if a.Grain != nil {
		var parts []string
		for _, s := range a.Grain.Series {
			if a.M.Family(s.Model) == FamilyBaseline {
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
			out = append(out, fmt.Sprintf("Grain at %d %s: parallel efficiency ≥ 50%% for %s.", a.Grain.Cores, prose.Plural(a.Grain.Cores, "core"), strings.Join(parts, ", ")))
		}
	}
	if d := a.Overhead; d != nil && len(d.Cores) > 0 {
		k := d.Cores[0]
		lo, hi := "", ""
		var loV, hiV float64
		for _, m := range d.Models {
			if e, ok := d.Values[m][k]; ok && a.M.Family(m) != FamilyBaseline {
				if lo == "" || e.Value < loV {
					lo, loV = m, e.Value
				}
				if hi == "" || e.Value > hiV {
					hi, hiV = m, e.Value
				}
			}
		}
		if lo != "" {
			out = append(out, fmt.Sprintf("Overhead at %d %s: dispatch costs %s per task with %s, %s with %s.", k, prose.Plural(k, "core"), prose.Duration(loV), lo, prose.Duration(hiV), hi))
		}
	}
	if n, of := a.Unexplained(); of > 0 {
		out = append(out, fmt.Sprintf("CPython beside its Go emulations: %d of %d pairs unexplained by the costs this set measured (see Go emulation vs CPython).", n, of))
	}
	if d := a.Convoy; d != nil && len(d.Cores) > 0 {
		k := d.Cores[len(d.Cores)-1]
		var parts []string
		for _, m := range d.Models {
			if e, ok := d.Values[m][k]; ok {
				parts = append(parts, fmt.Sprintf("%s %s ms", m, prose.Num(e.Value)))
			}
		}
		out = append(out, fmt.Sprintf("Convoy at %d %s: I/O p99 under CPU load: %s.", k, prose.Plural(k, "core"), strings.Join(parts, ", ")))
	}
	return out
}

func grainLabel(sec float64) string {
	return prose.Duration(sec * 1e9)
}

// warnings gathers what a reader should know before trusting the numbers,
// from the measured set and the decisions.
func warnings(a *Measured, d *Decisions) []string {
	var out []string
	s := a.Set
	if s.Incomplete {
		out = append(out, "the run was interrupted (incomplete: true): this is a partial report")
	}
	for _, w := range s.Warnings {
		out = append(out, w.Error())
	}
	var few []string
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
			if st.CV > worstCV {
				worstCV, worst = st.CV, fmt.Sprintf("%s at %d %s", c.Name, c.Cores, prose.Plural(c.Cores, "core"))
			}
		}
	}
	if len(few) > 0 {
		out = append(out, fmt.Sprintf("%d %s fewer than %d samples: %s", len(few), prose.Verb(len(few), "cell has", "cells have"), MinSamples, prose.List(few, 6)))
	}
	if cvCells > 0 {
		out = append(out, fmt.Sprintf("%d of %d cells are noisy (CV of ns/op above %.0f%%); the worst is %s with %.1f%%",
			cvCells, len(s.Cells), MaxCV*100, worst, worstCV*100))
	}
	out = append(out, calibrationWarnings(a)...)
	if a.M.Inferred {
		out = append(out, "the set does not describe its matrix (no matrix-* config lines: it predates them), so the report inferred it from the cells: "+
			"benchmarks, batches and models in the order the set names them, the first model as the baseline, workload kinds from the baseline's cpu-util, "+
			"families from each model's gain on CPU-bound work and its dispatch cost; no nominal times, so no convoy or fanout reference lines. "+
			"concbench describe -profile PROFILE > DIR/matrix.txt beside its bench.txt describes it exactly")
	}
	var unpinned []string
	for _, r := range s.Runs {
		if r.Unpinned > 0 && !s.Oversubscribed(r.Cores) {
			unpinned = append(unpinned, fmt.Sprint(r.Cores))
		}
	}
	if len(unpinned) > 0 {
		out = append(out, fmt.Sprintf("the runs at %s %s were not pinned to CPUs (no taskset here: macOS, or taskset missing): a core count is GOMAXPROCS only, so the OS could place other work on the same CPUs and heterogeneous cores (performance and efficiency) mix freely",
			prose.JoinAnd(unpinned), prose.Plural(len(unpinned)+boolInt(unpinned[0] != "1"), "core")))
	}
	var undecided []string
	maxMore := 0
	for _, v := range d.Verdicts {
		if v.Gain == GainUndecided {
			where := fmt.Sprintf("%s at %d", v.Workload, v.Cores)
			if v.Runtime.Kind != RuntimeGo {
				where += " (" + v.Runtime.String() + ")"
			}
			undecided = append(undecided, where)
			maxMore = max(maxMore, v.MoreRounds)
		}
	}
	if len(undecided) > 0 {
		msg := fmt.Sprintf("%d of %d verdicts are undecided (%s)", len(undecided), len(d.Verdicts), prose.List(undecided, 6))
		if minN != math.MaxInt && minN < 2 {
			msg += fmt.Sprintf(": with %d sample a cell there is no noise to judge by; run at least 2 rounds", minN)
		} else if maxMore > 0 {
			msg += fmt.Sprintf("; up to about %d more rounds of those cells would decide them (make bench adds rounds to undecided cells while its BUDGET lasts)", maxMore)
		}
		out = append(out, msg)
	}
	if len(a.Generic) == 0 && len(a.NoSweep) > 0 && len(a.Workloads) == 0 {
		out = append(out, fmt.Sprintf("no -cpu sweep: each of the %d benchmarks ran at one GOMAXPROCS only, so there is no speedup to chart; rerun with go test -bench . -cpu 1,2,4 (up to your CPUs) -count 10", len(a.NoSweep)))
	}
	return out
}

// reachedGain is the largest median parallel gain (a model at k cores
// over itself at 1 core) of a CPU-bound workload at k cores, and who
// reached it: what the machine delivered, whatever its calibration said.
func (a *Measured) reachedGain(k int) (float64, string) {
	best, by := 0.0, ""
	for _, w := range a.Workloads {
		if w.Kind != KindCPU {
			continue
		}
		for _, s := range w.Models {
			if p := s.Point(k); p != nil && !math.IsNaN(p.Par.Value) && p.Par.Value > best && s.Family != FamilyBaseline {
				best, by = p.Par.Value, fmt.Sprintf("%s under %s", w.Name, s.Model)
			}
		}
	}
	return best, by
}

// goName is a cell's name as go test prints it: with the -k suffix when
// GOMAXPROCS is not 1.
func goName(c *Cell) string {
	if c.Cores == 1 {
		return c.Name
	}
	return fmt.Sprintf("%s-%d", c.Name, c.Cores)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// calibrationWarnings say where a run's calibration probe found the CPUs
// shared or throttled, or understated what the run itself reached.
func calibrationWarnings(a *Measured) []string {
	var out []string
	for _, r := range a.Set.Runs {
		if len(r.CalibrationSpeedup) == 0 {
			continue
		}
		cal := slices.Sorted(slices.Values(r.CalibrationSpeedup))
		med := cal[len(cal)/2]
		want := float64(r.Cores)
		if r.CalibrationCores > 0 {
			want = math.Min(want, float64(r.CalibrationCores))
		}
		if a.CPUs > 0 {
			want = math.Min(want, float64(a.CPUs))
		}
		// A run is never judged by a calibration below the parallel gain
		// it reached itself: a probe that one slow vCPU held back
		// understates the machine.
		reached, by := a.reachedGain(r.Cores)
		judged := math.Max(med, reached)
		if judged < 0.8*want {
			out = append(out, fmt.Sprintf("at %d cores the calibration speedup is %.2f, well below %.0f: the CPUs were shared or throttled, parallel gains there understate the machine",
				r.Cores, judged, want))
		} else if med < 0.8*want && reached > med {
			out = append(out, fmt.Sprintf("at %d cores the calibration probe measured %.2f, but %s reached %.2f in the same runs: the probe understated the machine, and the run is judged by %.2f",
				r.Cores, med, by, reached, reached))
		}
	}
	return out
}
