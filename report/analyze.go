package report

import ()

// The benchmarks of concbench's matrix, as its sets name them; anything else in the
// input is analysed in generic mode.
const (
	BenchCores  = "BenchmarkCores"
	BenchMix    = "BenchmarkMix"
	BenchFanout = "BenchmarkFanout"
	// BenchStart is the CPython suite's own benchmark: one op starts an
	// executor, every worker of it, and shuts it down.
	BenchStart    = "BenchmarkStart"
	BenchGrain    = "BenchmarkGrain"
	BenchOverhead = "BenchmarkOverhead"
	BenchConvoy   = "BenchmarkConvoy"
)

// Unit names of the matrix's metrics.
const (
	UnitTime    = "ns/op"
	UnitTasks   = "tasks/s"
	UnitP50     = "p50-ms"
	UnitP99     = "p99-ms"
	UnitCPUUtil = "cpu-util"
	// UnitWorkers is the size of the pool a CPython BenchmarkStart op
	// started.
	UnitWorkers = "workers"
)

// An Analysis is everything a report shows: the values each stage of the
// pipeline returned, side by side. No stage writes a value an earlier one
// returned; the Analysis only holds them for the page, the charts and
// results.csv to read.
type Analysis struct {
	*Measured
	// Claims are every comparison the report decides, in families of one
	// question each (DecideClaims).
	Claims *Claims
	// Fits are the scaling laws fitted to the decided gains (FitLaws).
	Fits *Fits
	*Decisions
	// Text is every verdict and foreign sweep in plain words
	// (Wording.Text).
	Text Text
	// Findings are the one-line results of the charts other than speedup;
	// Warnings say what weakens the verdicts.
	Findings []string
	Warnings []string
}

// Options tune an analysis.
type Options struct {
	// Title heads the pages; empty means "concbench report: <machine>".
	Title string
	// Margin is the practical margin of every claim, as a fraction: a
	// model beats another only when the interval of their ratio lies
	// wholly above 1+Margin. Zero means DefaultMargin.
	Margin float64
	// CPUs overrides the machine's CPU count, for input that does not say
	// it (a foreign go test file): core counts above it are oversubscribed
	// and never fitted.
	CPUs int
}

// DefaultMargin is the practical margin of claims: 5%.
const DefaultMargin = 0.05

func (o Options) margin() float64 {
	if o.Margin > 0 {
		return o.Margin
	}
	return DefaultMargin
}

// Analyze runs the pipeline over a set of one machine's results and
// returns every stage's value. It leaves s as it was: a -cpus override
// applies to a copy.
//
//	Measure(s)                      → Measured: cells, series, sweeps, dots
//	DecideClaims(Measured)          → Claims: every comparison, decided
//	FitLaws(Measured, Claims)       → Fits: Amdahl and the USL per model
//	Decide(Measured, Claims, Fits)  → Decisions: a Verdict per workload and core count
//	Wording.Text(Decisions)         → Text: the verdicts in plain words
func Analyze(s *Set, opt Options) (*Analysis, error) {
	m, err := Measure(s, opt)
	if err != nil {
		return nil, err
	}
	c := DecideClaims(m)
	f := FitLaws(m, c)
	d := Decide(m, c, f)
	a := &Analysis{Measured: m, Claims: c, Fits: f, Decisions: d, Text: m.Wording().Text(d)}
	a.Findings = findings(m)
	a.Warnings = warnings(m, d)
	return a, nil
}
