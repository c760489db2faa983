package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
)

// CSVHeader is the header of results.csv.
var CSVHeader = []string{"machine", "benchmark", "workload", "model", "cores", "param", "unit", "median", "ci_lo", "ci_hi", "n"}

// UnitPredicted is the unit of results.csv's prediction rows.
const UnitPredicted = "speedup-predicted"

// UnitSpeedup is the unit of results.csv's speedup rows: a BenchmarkCores
// cell's speedup over its baseline (seq, or its interpreter's py-seq) at 1
// core, as the report's charts, tables and verdicts estimate it.
const UnitSpeedup = "speedup"

// A SpeedupRow is one model's speedup at one core count.
type SpeedupRow struct {
	Cell    *Cell
	Speedup Estimate
}

// Speedups lists every BenchmarkCores cell's speedup over its baseline at
// 1 core: the ratio of geometric mean times with its 95% interval
// (Analysis.speedup), the numbers the speedup charts draw.
func (a *Analysis) Speedups() []SpeedupRow {
	var out []SpeedupRow
	for _, w := range a.Workloads {
		for _, s := range w.Models {
			for _, p := range s.Points {
				if !math.IsNaN(p.Speedup.Value) {
					out = append(out, SpeedupRow{p.Cell, p.Speedup})
				}
			}
		}
	}
	return out
}

// A Prediction is one row of results.csv's predictions: a fitted law's
// speedup (over seq at 1 core, or over GOMAXPROCS=1 for a foreign
// benchmark) at a core count, with its 95% band.
type Prediction struct {
	Machine, Bench, Workload, Model string
	Cores                           int
	Band                            Band
	Points                          int // core counts fitted
}

// Predictions lists the drawn law's prediction at each whole doubling of
// a.PredictAt, for every model and foreign benchmark with a fit.
func (a *Analysis) Predictions() []Prediction {
	var out []Prediction
	add := func(bench, workload, model string, f *Fit) {
		if f == nil {
			return
		}
		for _, n := range a.PredictAt {
			if b, ok := f.Band(float64(n)); ok {
				out = append(out, Prediction{a.Machine, bench, workload, model, n, b, f.Points})
			}
		}
	}
	for _, w := range a.Workloads {
		for _, s := range w.Models {
			if s.Family != FamilyBaseline && w.hasBase() {
				add(BenchCores, w.Name, s.Model, a.Fits.Model(s).Fit())
			}
		}
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			add(b.Name, "", "", a.Fits.Bench(b).Fit())
		}
	}
	return out
}

// WriteCSV writes one tidy row per cell and unit: the median and its 95%
// confidence interval exactly as benchmath computes them (shortest
// round-tripping decimal), and the number of samples; then one row per
// speedup: unit speedup, the cell's name parts, median the ratio of
// geometric means over the baseline at 1 core and ci_lo, ci_hi its 95%
// interval (six significant digits), n the cell's samples; then one row
// per prediction: unit speedup-predicted, cores and param the core count,
// median the band's middle, ci_lo and ci_hi its bounds (six significant
// digits), n the core counts fitted.
func WriteCSV(w io.Writer, cells []*Cell, speedups []SpeedupRow, preds []Prediction) error {
	recs := [][]string{CSVHeader}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	// Speedups and predictions are computed, not measured: six significant
	// digits, so that floating point's last bits (arm64 fuses multiply and
	// add) do not change the file.
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, c := range cells {
		for _, u := range c.Units {
			s := c.Stats[u]
			recs = append(recs, []string{c.Machine, c.Bench, c.Workload(), c.Model(), strconv.Itoa(c.Cores), c.Param(), u,
				f(s.Median), f(s.Lo), f(s.Hi), strconv.Itoa(s.N)})
		}
	}
	for _, r := range speedups {
		c := r.Cell
		recs = append(recs, []string{c.Machine, c.Bench, c.Workload(), c.Model(), strconv.Itoa(c.Cores), c.Param(), UnitSpeedup,
			g(r.Speedup.Value), g(r.Speedup.Lo), g(r.Speedup.Hi), strconv.Itoa(c.Stats[UnitTime].N)})
	}
	for _, p := range preds {
		k := strconv.Itoa(p.Cores)
		recs = append(recs, []string{p.Machine, p.Bench, p.Workload, p.Model, k, k, UnitPredicted,
			g(p.Band.Mid), g(p.Band.Lo), g(p.Band.Hi), strconv.Itoa(p.Points)})
	}
	return writeRecords(w, "results.csv", recs)
}

// writeRecords writes a CSV file's records, naming the file in an error.
func writeRecords(w io.Writer, file string, recs [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(recs); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}

// VerdictsHeader is the header of verdicts.csv (DESIGN §5).
var VerdictsHeader = []string{"runtime", "workload", "kind", "cores", "word", "winner", "speedup", "ci_lo", "ci_hi", "conc_gain", "par_gain"}

// WriteVerdicts writes verdicts.csv: one row per runtime, workload and
// core count, in the report's order. word is the verdict in the report's
// vocabulary (wd.Word); winner, speedup and its interval (the one its
// claim was decided by, six significant digits) are empty when no model
// wins; conc_gain and par_gain are the winner's concurrency gain (at 1
// core) and parallel gain (1 → k cores) as ratios of geometric means,
// par_gain empty at 1 core.
func WriteVerdicts(w io.Writer, verdicts []*Verdict, wd Wording) error {
	recs := [][]string{VerdictsHeader}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, v := range verdicts {
		rec := []string{v.Runtime.Name, v.Workload, v.Kind.String(), strconv.Itoa(v.Cores), wd.Word(v.Gain), v.Winner, "", "", "", "", ""}
		if v.Winner != "" {
			rec[6], rec[7], rec[8] = g(v.Decided.Value), g(v.Decided.Lo), g(v.Decided.Hi)
			if v.Conc != nil {
				rec[9] = g(v.Conc.Ratio)
			}
			if v.Par != nil && v.Cores > 1 {
				rec[10] = g(v.Par.Ratio)
			}
		}
		recs = append(recs, rec)
	}
	return writeRecords(w, "verdicts.csv", recs)
}
