package report

import (
	"time"
)

// A Workload is BenchmarkCores for one workload: each model's scaling.
type Workload struct {
	Name string
	Kind Kind  // what bounds it, as the set describes it
	Base *Cell // seq at 1 core
	// PyBase is each CPython interpreter's py-seq at 1 core, by its tag
	// (Matrix.Interps).
	PyBase map[string]*Cell
	Models []*Scaling
}

// hasBase reports whether some runtime's models have their baseline at 1
// core: Go's seq, or an interpreter's py-seq (a function's set has no Go
// models).
func (w *Workload) hasBase() bool { return w.Base != nil || len(w.PyBase) > 0 }

// Scaling is one model's speedup over the sequential baseline at each core
// count, split into its two factors (FitLaws fits laws to it).
type Scaling struct {
	Model  string
	Python bool   // one of the set's CPython models
	Interp string // a CPython model's interpreter tag (Matrix.Interp)
	Family Family // the model's family, as the set describes it
	One    *Cell  // the model at 1 core
	Points []*CorePoint

	fit fitJob // what FitLaws fits, if the gain is decided
}

// Point returns the model's point at k cores, or nil.
func (s *Scaling) Point(k int) *CorePoint {
	for _, p := range s.Points {
		if p.Cores == k {
			return p
		}
	}
	return nil
}

// A CorePoint is one model at one core count.
type CorePoint struct {
	Cores   int
	Oversub bool
	Cell    *Cell
	// Speedup, Conc and Par are ratios of geometric mean times with their
	// 95% intervals (Measured.speedup), the estimator the verdicts decide
	// on: Speedup is the baseline at 1 core over the model at k, Conc the
	// concurrency gain (baseline at 1 core over the model at 1 core), Par
	// the parallel gain (the model at 1 core over itself at k).
	Speedup Estimate
	Conc    Estimate
	Par     Estimate
	CPUUtil float64 // median cpu-util, NaN if absent
	// KarpFlatt is the serial fraction implied by Par at k > 1.
	KarpFlatt float64
}

// A Sweep is a family of series over one parameter, one series per model.
type Sweep struct {
	Name   string // e.g. "sleep" for a fanout sweep
	Cores  int
	Series []*Series
	// Estimator is what the series' points are.
	Estimator Estimator
	// Unit is what a Median sweep's points measure ("tasks/s").
	Unit string
	// Ideal is a reference line (Little's law for fanout), if any.
	Ideal []XY
	// Latency is the one task's latency, in ms, that Ideal divides by;
	// LatencyMeasured says it was measured (the median p50 of the
	// smallest batch), not the task's nominal time.
	Latency         float64
	LatencyMeasured bool
	Nominal         time.Duration // the task's nominal time, as the matrix describes it
	// Ceiling is a throughput no model can pass (the machine's loopback
	// connection rate, for tasks that each open a connection); 0 if none.
	Ceiling float64
	// Crossover is the parameter value where the best concurrency-only
	// model and the best process model cross (mix), NaN if none.
	Crossover float64
	// Cross says how the two families stand across the sweep.
	Cross Cross
}

// Cross is how the mix sweep's best process model and its best
// concurrency-only model (event loop, GIL threads) stand.
type Cross uint8

// The ways the two can stand.
const (
	CrossNoData          Cross = iota // the sweep lacks one family or the other
	CrossProcsOvertake                // processes overtake at Crossover
	CrossConcOvertake                 // concurrency overtakes at Crossover
	CrossProcsEverywhere              // processes ahead at every share
	CrossConcEverywhere               // concurrency ahead at every share
)

// String names the standing, for tests and debugging.
func (c Cross) String() string {
	switch c {
	case CrossProcsOvertake:
		return "processes overtake"
	case CrossConcOvertake:
		return "concurrency overtakes"
	case CrossProcsEverywhere:
		return "processes everywhere"
	case CrossConcEverywhere:
		return "concurrency everywhere"
	}
	return "no data"
}

// An Estimator is what a series' points estimate, as its chart's
// footnote says.
type Estimator uint8

// The report's estimators.
const (
	// GeoMeanRatio is the ratio of two cells' geometric mean times with
	// its 95% Welch interval from the run's moderated noise
	// (Measured.speedup): the estimator the verdicts decide on.
	GeoMeanRatio Estimator = iota
	// Median is one cell's median of a unit with its distribution-free
	// 95% interval (benchmath.AssumeNothing).
	Median
)

// String names the estimator: "ratio of geometric means" or "median".
func (e Estimator) String() string {
	if e == Median {
		return "median"
	}
	return "ratio of geometric means"
}

// XY is a plain point.
type XY struct{ X, Y float64 }

// A Series is one model's points in a chart.
type Series struct {
	Model  string
	Points []SeriesPoint
}

// A SeriesPoint is a value with its interval at one x.
type SeriesPoint struct {
	X       float64
	Y       Estimate
	Oversub bool
}

// Dots are one value per model and core count (overhead, convoy).
type Dots struct {
	Unit   string
	Models []string
	Cores  []int
	Values map[string]map[int]Estimate // model → cores → value
}

// A PyRow puts a Python model beside its Go counterpart in one cell.
type PyRow struct {
	Benchmark, Param string // e.g. "workload=primes"
	Cores            int
	Py, Go           string
	Ratio            Estimate // Python makespan / Go makespan
	PySpeedup        Estimate // over py-seq at 1 core
	GoSpeedup        Estimate // over seq at 1 core
	Differs          bool     // the speedups' intervals do not overlap
	// Gap is what CPython's costs measured in the same set predict for
	// the Python model, when its speedup differs from the emulation's.
	Gap *Gap

	pyCell, goCell, pyBase, goBase *Cell
}

// A PyStart is what starting one CPython executor costs at one core
// count: the pool, all its workers started, then shut down
// (BenchmarkStart).
type PyStart struct {
	Model   string
	Cores   int
	Workers float64  // the pool's workers ("workers" metric); NaN if absent
	Pool    Estimate // ns per pool start
	Worker  Estimate // ns per worker: Pool / Workers
}

// A Missing entry is a cell or analysis the input lacks, and why.
type Missing struct {
	What, Why string
}

// A GenericGroup is a foreign benchmark swept over GOMAXPROCS: one series
// per sub-benchmark, speedups relative to its smallest GOMAXPROCS.
type GenericGroup struct {
	Bench   string
	Benches []*GenericBench
}

// A GenericBench is one foreign benchmark's scaling.
type GenericBench struct {
	Name   string
	BaseK  int // the GOMAXPROCS speedups are relative to
	Points []*CorePoint

	fit fitJob
}
