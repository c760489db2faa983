package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

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

// An Analysis is everything a report shows, computed from a Set: scaling
// per workload and model, the other benchmarks' series, claims with their
// corrected significance, verdicts and what is missing.
type Analysis struct {
	Set      *Set
	Machine  string
	CPUs     int   // the machine's CPUs (from config or Options.CPUs, else the largest core count)
	Cores    []int // every core count measured
	MaxCores int   // the largest core count within the machine's CPUs
	// CPUsKnown says the CPU count came from the input or Options.CPUs,
	// not assumed from the largest core count.
	CPUsKnown bool
	// Predict is where the fitted laws' bands are drawn (quarter
	// doublings past MaxCores); PredictAt the whole doublings the text and
	// results.csv predict at.
	Predict   []float64
	PredictAt []int

	// Claims are every comparison the report decides, in families of one
	// question each; frozen once decided.
	Claims    *stats.Claims
	Workloads []*Workload // BenchmarkCores, in the matrix's order
	Mix       *Sweep      // BenchmarkMix at MaxCores
	Fanout    []*Sweep    // BenchmarkFanout per workload at MaxCores
	Grain     *Sweep      // BenchmarkGrain at MaxCores
	Overhead  *Dots       // BenchmarkOverhead: ns/task per model and cores
	Convoy    *Dots       // BenchmarkConvoy: I/O p99 per model and cores
	Python    []*PyRow    // Go model beside its Python counterpart
	PyStarts  []*PyStart  // CPython executors' start-up (BenchmarkStart)
	Verdicts  []*Verdict  // one per workload and core count
	Generic   []*GenericGroup
	NoSweep   []string // generic benchmarks measured at one core count only

	Missing  []Missing
	Warnings []string
	Findings []string // one-line results of the charts other than speedup

	// M is the set's description of its matrix: models, families,
	// batches (Set.Matrix).
	M *Matrix

	opt   Options
	index map[string]*Cell
}

// A Workload is BenchmarkCores for one workload: each model's scaling.
type Workload struct {
	Name string
	Kind string // CPU-bound, I/O-bound, mixed
	Base *Cell  // seq at 1 core
	// PyBase is each CPython interpreter's py-seq at 1 core, by its tag
	// (Matrix.Interps).
	PyBase map[string]*Cell
	Models []*Scaling
	// RunnerUp is, per core count, the claim that the fastest Go model
	// beats the second fastest.
	RunnerUp map[int]*stats.Claim
}

// Scaling is one model's speedup over the sequential baseline at each core
// count, split into its two factors, with fitted scaling laws.
type Scaling struct {
	Model  string
	Python bool   // one of the set's CPython models
	Interp string // a CPython model's interpreter tag (Matrix.Interp)
	Family string // the model's family, as the set describes it
	One    *Cell  // the model at 1 core
	Points []*CorePoint
	Laws

	fit fitJob // what Analysis.fits fits, if the gain is decided
}

// Laws are the scaling laws fitted to a model's (or a foreign
// benchmark's) parallel gains.
type Laws struct {
	Amdahl *Fit
	USL    *Fit
	// FitNote says why a law was not fitted, if one was not.
	FitNote string
	// Rejected says every law fitted missed the measured gains (the
	// lack-of-fit test): the model scales, but no law describes how.
	Rejected bool
}

// A CorePoint is one model at one core count.
type CorePoint struct {
	Cores   int
	Oversub bool
	Cell    *Cell
	// Speedup, Conc and Par are ratios of geometric mean times with their
	// 95% intervals (Analysis.speedup), the estimator the verdicts decide
	// on: Speedup is the baseline at 1 core over the model at k, Conc the
	// concurrency gain (baseline at 1 core over the model at 1 core), Par
	// the parallel gain (the model at 1 core over itself at k).
	Speedup Estimate
	Conc    Estimate
	Par     Estimate
	CPUUtil float64 // median cpu-util, NaN if absent
	// KarpFlatt is the serial fraction implied by Par at k > 1.
	KarpFlatt float64
	VsBase    *stats.Claim // the model at k against the baseline at 1 core
	VsOne     *stats.Claim // the model at k against itself at 1 core
	ConcClaim *stats.Claim // the model at 1 core against the baseline at 1 core
}

// Fit returns the law drawn for the model: the USL when it could be fitted,
// else Amdahl's, else nil.
func (s *Scaling) Fit() *Fit {
	if s.USL != nil {
		return s.USL
	}
	return s.Amdahl
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

// A Sweep is a family of series over one parameter, one series per model.
type Sweep struct {
	Name   string // e.g. "sleep" for a fanout sweep
	Cores  int
	Series []*Series
	// Ideal is a reference line (Little's law for fanout), if any.
	Ideal     []XY
	IdealNote string
	// Ceiling is a throughput no model can pass (the machine's loopback
	// connection rate, for tasks that each open a connection); 0 if none.
	Ceiling float64
	// Crossover is the parameter value where the best concurrency-only
	// model and the best process model cross (mix), NaN if none.
	Crossover     float64
	CrossoverNote string
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
}

// A Verdict is the plain-words result for one workload at one core count.
type Verdict struct {
	Workload string
	Kind     string
	Cores    int
	Oversub  bool
	Winner   string // best model, "" if none beats the baseline
	// Word is the verdict in the report's vocabulary: WordConcurrency,
	// WordParallelism, WordBoth, "no model beats seq by more than 5%" (with
	// the report's margin) or WordUndecided.
	Word string
	// Gain is Word for the winner map: "concurrency", "parallelism",
	// "both", "none" or "undecided".
	Gain string
	// Decided is the winner's speedup over the baseline — the ratio its
	// point in the speedup chart shows (CorePoint.Speedup, the report's
	// one estimator) — with the interval its claim was decided by, which
	// is wider than the chart's 95% interval by the correction for the
	// other claims of its family.
	Decided Estimate
	// MoreRounds is, for an undecided verdict, about how many more rounds
	// would decide it (−1: not soon).
	MoreRounds int
	// Waiting are the cells whose undecided claims an undecided verdict
	// waits on: the ones more rounds should re-run.
	Waiting []*Cell

	// What the verdict's words are written from (words.go), all decided
	// before any is worded.

	// Conc and Par are the winner's concurrency gain (its claim against
	// seq at 1 core) and its parallel gain (k cores against 1).
	Conc, Par *stats.Claim
	// RunnerUp is the second fastest model when the winner is the
	// fastest and the two are within the margin or undecided; Faster is
	// the fastest model by estimate when it is not the winner (its claim
	// undecided).
	RunnerUp, Faster *Rival
	// Within and Slower are the other models within the margin of seq
	// and slower than seq.
	Within, Slower []string
	// Best is, when no model wins, the fastest; Lead the fastest still
	// undecided, OthersUndecided how many more are, and OnEdge how many
	// of them sit on the margin's edge (no number of rounds decides them).
	Best, Lead      *Rival
	OthersUndecided int
	OnEdge          int
	// Fit is the winner's fitted law when the verdict is at the largest
	// core count and its gain is parallel; Rejected says every law fitted
	// to it missed (the lack-of-fit test).
	Fit      *Fit
	Rejected bool
	// Python are the CPython models beside their Go counterparts here.
	Python []*PyRow

	// Text is the verdict in plain words (words.go).
	Text string
}

// A Rival is a model a verdict names beside its winner: its speedup over
// seq with the interval its claim was decided by, and the outcome of that
// claim (or of its claim against the winner, for a runner-up).
type Rival struct {
	Model   string
	Speedup Estimate
	Outcome stats.Outcome
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
	Laws
	Text string

	fit fitJob
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

func (a *Analysis) key(bench string, cores int, parts []Part) string {
	kv := make([]string, 0, len(parts))
	for _, p := range parts {
		kv = append(kv, p.Key+"="+p.Value)
	}
	slices.Sort(kv)
	return bench + "|" + strings.Join(kv, "/") + "|" + strconv.Itoa(cores)
}

// cell finds a cell by benchmark, core count and key=value parts.
func (a *Analysis) cell(bench string, cores int, kv ...string) *Cell {
	parts := make([]Part, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, Part{kv[i], kv[i+1]})
	}
	return a.index[a.key(bench, cores, parts)]
}

// values lists the distinct values of a name part among a benchmark's
// cells, in numeric or duration order when they are numbers or durations.
func (a *Analysis) values(bench, key string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range a.Set.Cells {
		if c.Bench == bench {
			if v := c.Get(key); v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y string) int {
		return cmp.Or(valueCompare(x, y), strings.Compare(x, y))
	})
	return out
}

// paramNumber reads a parameter as a number: an integer, a float or a Go
// duration (in seconds).
func paramNumber(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d.Seconds(), true
	}
	return 0, false
}

func (a *Analysis) models(bench string, extra ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range a.Set.Cells {
		if c.Bench != bench {
			continue
		}
		if m := c.Model(); m != "" && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	a.M.SortModels(out)
	return out
}

// Median is the cell's median of unit; NaN for a nil cell or a unit it
// lacks.
func (c *Cell) Median(unit string) float64 {
	if c == nil {
		return math.NaN()
	}
	if s, ok := c.Stats[unit]; ok {
		return s.Median
	}
	return math.NaN()
}

// Analyze computes a report's numbers from a set of one machine's results.
func Analyze(s *Set, opt Options) (*Analysis, error) {
	if len(s.Machines) > 1 {
		return nil, &InputError{File: strings.Join(s.Files, ", "),
			Msg: fmt.Sprintf("results from %d machines (%s): a report covers one machine; compare machines with concbench compare",
				len(s.Machines), strings.Join(s.Machines, ", "))}
	}
	if opt.CPUs > 0 {
		s.CPUs = opt.CPUs
	}
	a := &Analysis{Set: s, M: s.Matrix, Machine: s.Machines[0], CPUs: s.CPUs, CPUsKnown: s.CPUs > 0, Cores: s.Cores(), index: map[string]*Cell{}, opt: opt}
	for _, c := range s.Cells {
		a.index[a.key(c.Bench, c.Cores, c.Parts)] = c
	}
	if a.CPUs == 0 {
		a.CPUs = a.Cores[len(a.Cores)-1]
	}
	for _, k := range a.Cores {
		if !s.Oversubscribed(k) {
			a.MaxCores = k
		}
	}
	if a.MaxCores == 0 {
		a.MaxCores = a.Cores[0]
	}
	// The stages, in order: each reads what the stages before it wrote
	// and writes its own fields of the Analysis, never an earlier stage's.
	a.cells()    // cells → Workloads, Mix, Fanout, Grain, Overhead, Convoy, Python, PyStarts, Generic, Missing
	a.claims()   // cells → Claims: every comparison in its family, decided together (CorePoint.VsBase, VsOne, Workload.RunnerUp)
	a.fits()     // decided parallel gains → Laws (Amdahl, USL, bands)
	a.verdicts() // claims, laws → Verdicts, as decisions
	a.words()    // decisions → Verdict.Text, GenericBench.Text
	a.findings() // cells, claims → Findings, the other charts in one line each
	a.warnings() // everything above → Warnings: what weakens the verdicts
	return a, nil
}

// cells is the first stage: from the set's cells, each model's scaling
// per workload with its two factors, the sweeps of the other benchmarks,
// CPython's models beside their Go counterparts, foreign GOMAXPROCS
// sweeps, and the matrix's cells the set lacks.
func (a *Analysis) cells() {
	a.predictions()
	a.cores()
	a.python()
	a.pyStarts()
	a.mix()
	a.fanout()
	a.grain()
	a.dots()
	a.generic()
	a.missing()
}

// has reports whether the set describes bench as part of its matrix and
// holds cells of it.
func (a *Analysis) has(bench string) bool {
	if !a.M.IsMatrix(bench) {
		return false
	}
	for _, c := range a.Set.Cells {
		if c.Bench == bench {
			return true
		}
	}
	return false
}

// scaling computes one model's points against a baseline cell, and fits
// the scaling laws to its parallel gains.
func (a *Analysis) scaling(model string, base *Cell, at func(k int) *Cell) *Scaling {
	sc := &Scaling{Model: model, One: at(1)}
	var fit []*Cell
	for _, k := range a.Cores {
		c := at(k)
		if c == nil {
			continue
		}
		p := &CorePoint{Cores: k, Oversub: a.Set.Oversubscribed(k), Cell: c, CPUUtil: c.Median(UnitCPUUtil), KarpFlatt: math.NaN()}
		p.Speedup, p.Conc, p.Par = nanEst(), nanEst(), nanEst()
		if base != nil {
			p.Speedup = a.speedup(c, base)
		}
		if sc.One != nil {
			p.Par = a.speedup(c, sc.One)
			if base != nil {
				p.Conc = a.speedup(sc.One, base)
			}
			if k > 1 {
				p.KarpFlatt = KarpFlatt(p.Par.Value, float64(k))
				if !p.Oversub {
					fit = append(fit, c)
				}
			}
		}
		sc.Points = append(sc.Points, p)
	}
	sc.fit = fitJob{name: model, one: sc.One, at: fit, base: base}
	if sc.One != nil {
		sc.fit.name = sc.One.Name
	}
	return sc
}

func nanEst() Estimate { return Estimate{math.NaN(), math.NaN(), math.NaN()} }

func (a *Analysis) cores() {
	if !a.has(BenchCores) {
		return
	}
	seqName := a.M.GoBaseline()
	for _, w := range a.values(BenchCores, "workload") {
		wl := &Workload{Name: w, Kind: a.M.Kind(w), PyBase: map[string]*Cell{}}
		wl.Base = a.cell(BenchCores, 1, "workload", w, "model", seqName)
		pySeqs := map[string]bool{}
		for _, interp := range a.M.Interps() {
			pySeq := a.M.PyBaseline(interp)
			pySeqs[pySeq] = true
			if c := a.cell(BenchCores, 1, "workload", w, "model", pySeq); c != nil {
				wl.PyBase[interp] = c
			}
		}
		for _, m := range a.models(BenchCores) {
			if m == seqName || pySeqs[m] {
				continue
			}
			at := func(k int) *Cell { return a.cell(BenchCores, k, "workload", w, "model", m) }
			found := false
			for _, k := range a.Cores {
				found = found || at(k) != nil
			}
			if !found {
				continue
			}
			base := wl.Base
			if a.M.IsPython(m) {
				base = wl.PyBase[a.M.Interp(m)]
			}
			sc := a.scaling(m, base, at)
			sc.Python, sc.Interp, sc.Family = a.M.IsPython(m), a.M.Interp(m), a.M.Family(m)
			wl.Models = append(wl.Models, sc)
		}
		// The baseline itself: its own scaling, drawn but never claimed
		// against.
		seq := &Scaling{Model: seqName, Family: "baseline"}
		for _, k := range a.Cores {
			if c := a.cell(BenchCores, k, "workload", w, "model", seqName); c != nil && wl.Base != nil {
				seq.Points = append(seq.Points, &CorePoint{Cores: k, Oversub: a.Set.Oversubscribed(k), Cell: c,
					Speedup: a.speedup(c, wl.Base), CPUUtil: c.Median(UnitCPUUtil), KarpFlatt: math.NaN()})
			}
		}
		if len(seq.Points) > 0 {
			wl.Models = append([]*Scaling{seq}, wl.Models...)
		}
		a.Workloads = append(a.Workloads, wl)
	}
	slices.SortStableFunc(a.Workloads, func(x, y *Workload) int {
		return cmp.Compare(a.M.Order(BenchCores, x.Name), a.M.Order(BenchCores, y.Name))
	})
}

// python pairs each py-* cell with its Go counterpart.
func (a *Analysis) python() {
	for _, c := range a.Set.Cells {
		g, ok := a.M.Counterpart(c.Model())
		if !ok || (c.Bench != BenchCores && c.Bench != BenchFanout) {
			continue
		}
		var kv []string
		for _, p := range c.Parts {
			v := p.Value
			if p.Key == "model" {
				v = g
			}
			kv = append(kv, p.Key, v)
		}
		gc := a.cell(c.Bench, c.Cores, kv...)
		if gc == nil {
			continue
		}
		row := &PyRow{Benchmark: c.Bench, Param: c.Param(), Cores: c.Cores, Py: c.Model(), Go: g,
			Ratio: a.speedup(gc, c), PySpeedup: nanEst(), GoSpeedup: nanEst()}
		if c.Bench == BenchCores {
			row.Param = "workload=" + c.Workload()
		}
		baseKV := func(model string) []string {
			out := append([]string(nil), kv...)
			for i := 0; i+1 < len(out); i += 2 {
				if out[i] == "model" {
					out[i+1] = model
				}
			}
			return out
		}
		if pb := a.cell(c.Bench, 1, baseKV(a.M.Baseline(c.Model()))...); pb != nil {
			row.PySpeedup = a.speedup(c, pb)
		}
		if gb := a.cell(c.Bench, 1, baseKV(a.M.GoBaseline())...); gb != nil {
			row.GoSpeedup = a.speedup(gc, gb)
		}
		p, q := row.PySpeedup, row.GoSpeedup
		row.Differs = p.Finite() && q.Finite() && (p.Lo > q.Hi || q.Lo > p.Hi) && math.Abs(p.Value/q.Value-1) > 0.1
		a.Python = append(a.Python, row)
	}
	slices.SortStableFunc(a.Python, func(x, y *PyRow) int {
		return cmp.Or(strings.Compare(x.Benchmark, y.Benchmark), a.M.ParamCompare(x.Param, y.Param),
			cmp.Compare(x.Cores, y.Cores), cmp.Compare(a.M.Rank(x.Py), a.M.Rank(y.Py)))
	})
}

// ParamCompare orders "workload=hash" and "workload=sleep/tasks=100"
// strings by the matrix's order of workloads and numerically by counts,
// as cmp.Compare does: negative when x comes first.
func (m *Matrix) ParamCompare(x, y string) int {
	xs, ys := strings.Split(x, "/"), strings.Split(y, "/")
	for i := 0; i < len(xs) && i < len(ys); i++ {
		if xs[i] == ys[i] {
			continue
		}
		_, xv, _ := strings.Cut(xs[i], "=")
		_, yv, _ := strings.Cut(ys[i], "=")
		return cmp.Or(cmp.Compare(m.Order(BenchCores, xv), m.Order(BenchCores, yv)), valueCompare(xv, yv), strings.Compare(xs[i], ys[i]))
	}
	return cmp.Compare(len(xs), len(ys))
}

// valueCompare orders two parameter values numerically when both are
// numbers, and leaves them tied otherwise.
func valueCompare(x, y string) int {
	nx, okx := paramNumber(x)
	ny, oky := paramNumber(y)
	if okx && oky {
		return cmp.Compare(nx, ny)
	}
	return 0
}

// sweep builds one series per model over a parameter at a core count;
// y computes the point from the cell at k and the cell at 1 core of seq.
func (a *Analysis) sweep(bench, key string, fixed []string, k int, y func(c, seq1 *Cell) Estimate) []*Series {
	var out []*Series
	for _, m := range a.models(bench) {
		s := &Series{Model: m}
		for _, v := range a.values(bench, key) {
			x, ok := paramNumber(v)
			if !ok {
				continue
			}
			kv := append(append([]string(nil), fixed...), key, v, "model", m)
			c := a.cell(bench, k, kv...)
			if c == nil {
				continue
			}
			seq1 := a.cell(bench, 1, append(append([]string(nil), fixed...), key, v, "model", a.M.Baseline(m))...)
			e := y(c, seq1)
			if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
				continue
			}
			s.Points = append(s.Points, SeriesPoint{X: x, Y: e, Oversub: a.Set.Oversubscribed(k)})
		}
		if len(s.Points) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (a *Analysis) speedupOver(c, seq1 *Cell) Estimate {
	if seq1 == nil {
		return nanEst()
	}
	return a.speedup(c, seq1)
}

// speedup is the report's one estimator of how much faster cell x runs
// than cell ref: the ratio of their geometric mean times with its 95%
// Welch interval from the moderated noise (stats.Speedup). Charts, tables
// and verdicts all show it, so a chart's fastest model is the verdict's:
// a verdict prints the same ratio with the interval its decision used,
// which is corrected for the claims of its family.
func (a *Analysis) speedup(x, ref *Cell) Estimate {
	r, lo, hi := stats.Speedup(a.Set.Side(x), a.Set.Side(ref), Confidence)
	return Estimate{r, lo, hi}
}

func (a *Analysis) mix() {
	if !a.has(BenchMix) {
		return
	}
	k := a.MaxCores
	sw := &Sweep{Name: "mix", Cores: k, Crossover: math.NaN()}
	sw.Series = a.sweep(BenchMix, "cpu", nil, k, a.speedupOver)
	a.Mix = sw
	// The crossover: where the best process model overtakes the best
	// concurrency-only model (event loop, GIL), the question Python users
	// face when choosing between asyncio/threads and multiprocessing.
	best := func(family string) map[float64]float64 {
		out := map[float64]float64{}
		for _, s := range sw.Series {
			if a.M.Family(s.Model) != family || a.M.IsPython(s.Model) {
				continue
			}
			for _, p := range s.Points {
				if p.Y.Value > out[p.X] {
					out[p.X] = p.Y.Value
				}
			}
		}
		return out
	}
	conc, proc := best("concurrency"), best("processes")
	var xs []float64
	for x := range conc {
		if _, ok := proc[x]; ok {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	if len(xs) < 2 {
		sw.CrossoverNote = "no crossover: the mix sweep lacks concurrency-only or process models"
		return
	}
	for i := 1; i < len(xs); i++ {
		d0 := proc[xs[i-1]] - conc[xs[i-1]]
		d1 := proc[xs[i]] - conc[xs[i]]
		if (d0 < 0) != (d1 < 0) {
			t := d0 / (d0 - d1)
			sw.Crossover = xs[i-1] + t*(xs[i]-xs[i-1])
			lead := "processes overtake the event loop and GIL threads"
			if d0 > 0 {
				lead = "the event loop and GIL threads overtake processes"
			}
			sw.CrossoverNote = fmt.Sprintf("at %d cores, %s from ≈ %.0f%% compute", k, lead, sw.Crossover)
			return
		}
	}
	if proc[xs[0]] > conc[xs[0]] {
		sw.CrossoverNote = fmt.Sprintf("no crossover at %d cores: processes beat the event loop and GIL threads at every compute share", k)
	} else {
		sw.CrossoverNote = fmt.Sprintf("no crossover at %d cores: the event loop and GIL threads beat processes at every compute share", k)
	}
}

func (a *Analysis) fanout() {
	if !a.has(BenchFanout) {
		return
	}
	k := a.MaxCores
	for _, w := range a.values(BenchFanout, "workload") {
		sw := &Sweep{Name: w, Cores: k, Crossover: math.NaN()}
		sw.Series = a.sweep(BenchFanout, "tasks", []string{"workload", w}, k, func(c, _ *Cell) Estimate {
			s, ok := c.Stats[UnitTasks]
			if !ok {
				return nanEst()
			}
			return Estimate{s.Median, s.Lo, s.Hi}
		})
		// Little's law: throughput = concurrency / latency, with the
		// latency of one task alone (the matrix's smallest batch),
		// measured; else the task's nominal time.
		var lats []float64
		var nominal time.Duration
		connects := false
		smallest := BatchInfo{Tasks: -1}
		for _, b := range a.M.Batches[BenchFanout] {
			if len(b.Parts) > 0 && b.Parts[0].Value == w {
				connects = connects || b.Has("net")
				nominal = b.Nominal
				if smallest.Tasks < 0 || batchSize(b) < batchSize(smallest) {
					smallest = b
				}
			}
		}
		if len(smallest.Parts) > 0 {
			var kv []string
			for _, p := range smallest.Parts {
				kv = append(kv, p.Key, p.Value)
			}
			for _, m := range a.models(BenchFanout) {
				if v := a.cell(BenchFanout, k, append(kv, "model", m)...).Median(UnitP50); v > 0 {
					lats = append(lats, v)
				}
			}
		}
		lat := float64(nominal) / 1e6
		sw.IdealNote = fmt.Sprintf("Little's law with the nominal %s per task", prose.Duration(float64(nominal)))
		if len(lats) > 0 {
			slices.Sort(lats)
			lat = lats[len(lats)/2]
			sw.IdealNote = fmt.Sprintf("Little's law: N tasks / %.3g ms (one task's latency alone, measured)", lat)
		}
		if connects {
			// Each task opens a connection: the machine's loopback
			// connection rate caps the throughput, whatever the model.
			if r := a.Set.Run(k); r != nil && len(r.LoopbackRate) > 0 {
				sw.Ceiling = medianOf(r.LoopbackRate)
			}
		}
		if !(lat > 0) {
			a.Fanout = append(a.Fanout, sw)
			continue
		}
		for _, v := range a.values(BenchFanout, "tasks") {
			if n, ok := paramNumber(v); ok && n > 0 {
				sw.Ideal = append(sw.Ideal, XY{n, n / (lat / 1e3)})
			}
		}
		a.Fanout = append(a.Fanout, sw)
	}
}

func (a *Analysis) grain() {
	if !a.has(BenchGrain) {
		return
	}
	k := a.MaxCores
	sw := &Sweep{Name: "grain", Cores: k, Crossover: math.NaN()}
	sw.Series = a.sweep(BenchGrain, "grain", nil, k, func(c, seq1 *Cell) Estimate {
		e := a.speedupOver(c, seq1)
		kf := float64(k)
		return Estimate{e.Value / kf, e.Lo / kf, e.Hi / kf}
	})
	a.Grain = sw
}

func (a *Analysis) dots() {
	build := func(bench, unit string, f func(Summary) Estimate) *Dots {
		if !a.has(bench) {
			return nil
		}
		d := &Dots{Unit: unit, Models: a.models(bench), Values: map[string]map[int]Estimate{}}
		seen := map[int]bool{}
		for _, m := range d.Models {
			d.Values[m] = map[int]Estimate{}
			for _, k := range a.Cores {
				c := a.cell(bench, k, "model", m)
				if c == nil {
					continue
				}
				src := UnitTasks
				if unit != "ns/task" {
					src = unit
				}
				s, ok := c.Stats[src]
				if !ok {
					continue
				}
				d.Values[m][k] = f(s)
				if !seen[k] {
					seen[k] = true
					d.Cores = append(d.Cores, k)
				}
			}
		}
		slices.Sort(d.Cores)
		return d
	}
	a.Overhead = build(BenchOverhead, "ns/task", func(s Summary) Estimate {
		// ns per task = 1e9 / tasks/s, monotone: the interval maps over.
		e := Estimate{1e9 / s.Median, 1e9 / s.Hi, math.Inf(1)}
		if s.Lo > 0 {
			e.Hi = 1e9 / s.Lo
		}
		return e
	})
	a.Convoy = build(BenchConvoy, UnitP99, func(s Summary) Estimate { return Estimate{s.Median, s.Lo, s.Hi} })
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

// pyStarts collects the BenchmarkStart cells of the CPython suite.
func (a *Analysis) pyStarts() {
	for _, c := range a.Set.Cells {
		if c.Bench != BenchStart || !c.pyref {
			continue
		}
		t, ok := c.Stats[UnitTime]
		if !ok {
			continue
		}
		ps := &PyStart{Model: c.Model(), Cores: c.Cores, Workers: c.Median(UnitWorkers),
			Pool: Estimate{t.Median, t.Lo, t.Hi}, Worker: nanEst()}
		if w := ps.Workers; w > 0 {
			ps.Worker = Estimate{t.Median / w, t.Lo / w, t.Hi / w}
		}
		a.PyStarts = append(a.PyStarts, ps)
	}
	slices.SortStableFunc(a.PyStarts, func(x, y *PyStart) int {
		return cmp.Or(cmp.Compare(a.M.Rank(x.Model), a.M.Rank(y.Model)), strings.Compare(x.Model, y.Model), cmp.Compare(x.Cores, y.Cores))
	})
}

// pyStart returns model's start-up at k cores, or nil.
func (a *Analysis) pyStart(model string, k int) *PyStart {
	for _, s := range a.PyStarts {
		if s.Model == model && s.Cores == k {
			return s
		}
	}
	return nil
}

// generic analyses every benchmark that is not part of concbench's matrix.
func (a *Analysis) generic() {
	groups := map[string]*GenericGroup{}
	var order []string
	names := map[string]bool{}
	var nameOrder []string
	for _, c := range a.Set.Cells {
		// The CPython suite's own start-up benchmark is not a sweep.
		if a.M.IsMatrix(c.Bench) || (c.pyref && c.Bench == BenchStart) {
			continue
		}
		if _, ok := c.Stats[UnitTime]; !ok {
			continue
		}
		if !names[c.Name] {
			names[c.Name] = true
			nameOrder = append(nameOrder, c.Name)
		}
	}
	for _, name := range nameOrder {
		var cells []*Cell
		for _, k := range a.Cores {
			if c := a.Set.Cell(a.Machine, name, k); c != nil {
				cells = append(cells, c)
			}
		}
		if len(cells) < 2 {
			a.NoSweep = append(a.NoSweep, name)
			continue
		}
		base := cells[0]
		gb := &GenericBench{Name: name, BaseK: base.Cores}
		var fit []*Cell
		for _, c := range cells {
			p := &CorePoint{Cores: c.Cores, Oversub: a.Set.Oversubscribed(c.Cores), Cell: c,
				Par: a.speedup(c, base), CPUUtil: math.NaN(), KarpFlatt: math.NaN()}
			p.Speedup = p.Par
			if c != base {
				if base.Cores == 1 {
					p.KarpFlatt = KarpFlatt(p.Par.Value, float64(c.Cores))
				}
			}
			if !p.Oversub && c != base {
				fit = append(fit, c)
			}
			gb.Points = append(gb.Points, p)
		}
		if base.Cores == 1 {
			gb.fit = fitJob{name: name, one: base, at: fit}
		} else {
			gb.FitNote = fmt.Sprintf("no GOMAXPROCS=1 run: speedups are relative to %d and not fitted", base.Cores)
		}
		g := groups[base.Bench]
		if g == nil {
			g = &GenericGroup{Bench: base.Bench}
			groups[base.Bench] = g
			order = append(order, base.Bench)
		}
		g.Benches = append(g.Benches, gb)
	}
	for _, b := range order {
		a.Generic = append(a.Generic, groups[b])
	}
}

// missing lists what the report cannot show: cells of the set's matrix
// absent from the input (with the runner's reason when it skipped them, as
// it does for a cell over a time budget or a resource limit), and
// baselines that speedups need.
func (a *Analysis) missing() {
	skips := map[string]string{}
	for _, s := range a.Set.Skips {
		skips[s.Name+"|"+strconv.Itoa(s.Cores)] = s.Reason
	}
	present := false
	for _, b := range a.M.Benchmarks {
		present = present || a.has(b)
	}
	if !present {
		return
	}
	for _, b := range a.M.Benchmarks {
		if !a.has(b) {
			a.Missing = append(a.Missing, Missing{b, "not in the input: its chart is left out"})
			continue
		}
		models := a.models(b)
		for _, m := range a.M.GoModels() {
			if !contains(models, m) {
				models = append(models, m)
			}
		}
		a.M.SortModels(models)
		for _, batch := range a.M.Batches[b] {
			for _, m := range models {
				for _, k := range a.Cores {
					kv := []string{}
					name := b
					for _, p := range batch.Parts {
						kv = append(kv, p.Key, p.Value)
						name += "/" + p.Key + "=" + p.Value
					}
					name += "/model=" + m
					if a.cell(b, k, append(kv, "model", m)...) != nil {
						continue
					}
					r, skipped := skips[name+"|"+strconv.Itoa(k)]
					if a.M.IsPython(m) && !skipped && a.cell(b, k, append(kv, "model", a.M.Baseline(m))...) == nil {
						continue // CPython runs only some batches
					}
					why := "not in the input"
					if skipped {
						why = "skipped: " + r
					}
					a.Missing = append(a.Missing, Missing{fmt.Sprintf("%s at %d %s", name, k, prose.Plural(k, "core")), why})
				}
			}
		}
	}
	for _, w := range a.Workloads {
		if w.Base == nil {
			a.Missing = append(a.Missing, Missing{BenchCores + "/workload=" + w.Name + "/model=" + a.M.GoBaseline() + " at 1 core",
				"the baseline is missing: no speedups, attribution or verdicts for " + w.Name})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// batchSize is a batch's size: as described, or, for an inferred matrix,
// the number its last name part holds (Fanout's tasks=N).
func batchSize(b BatchInfo) float64 {
	if b.Tasks > 0 {
		return float64(b.Tasks)
	}
	if n := len(b.Parts); n > 0 {
		if v, ok := paramNumber(b.Parts[n-1].Value); ok {
			return v
		}
	}
	return math.Inf(1)
}
