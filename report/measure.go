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

// Measured is what the first stage, Measure, returns: every number the
// set's cells give before any claim is decided — each model's scaling per
// workload with its two factors, the mix, fanout and grain sweeps, the
// overhead and convoy dots, CPython's models beside their Go
// counterparts, foreign GOMAXPROCS sweeps and the matrix's cells the set
// lacks. It holds no claims and no prose.
type Measured struct {
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

	Workloads []*Workload // BenchmarkCores, in the matrix's order
	Mix       *Sweep      // BenchmarkMix at MaxCores
	Fanout    []*Sweep    // BenchmarkFanout per workload at MaxCores
	Grain     *Sweep      // BenchmarkGrain at MaxCores
	Overhead  *Dots       // BenchmarkOverhead: ns/task per model and cores
	Convoy    *Dots       // BenchmarkConvoy: I/O p99 per model and cores
	Python    []*PyRow    // Go model beside its Python counterpart
	PyStarts  []*PyStart  // CPython executors' start-up (BenchmarkStart)
	Generic   []*GenericGroup
	NoSweep   []string // generic benchmarks measured at one core count only
	Missing   []Missing

	// M is the set's description of its matrix: models, families,
	// batches (Set.Matrix).
	M *Matrix

	opt   Options
	index map[string]*Cell
}

// Measure is the first stage: it reads the set's cells (and Options.CPUs)
// and returns the numbers every later stage reads. It never writes s: a
// -cpus override applies to a shallow copy of it. A set of several
// machines is an *InputError.
func Measure(s *Set, opt Options) (*Measured, error) {
	if len(s.Machines) > 1 {
		return nil, &InputError{File: strings.Join(s.Files, ", "),
			Msg: fmt.Sprintf("results from %d machines (%s): a report covers one machine; compare machines with concbench compare",
				len(s.Machines), strings.Join(s.Machines, ", "))}
	}
	if opt.CPUs > 0 && opt.CPUs != s.CPUs {
		cp := *s
		cp.CPUs = opt.CPUs
		s = &cp
	}
	a := &Measured{Set: s, M: s.Matrix, Machine: s.Machines[0], CPUs: s.CPUs, CPUsKnown: s.CPUs > 0, Cores: s.Cores(), index: map[string]*Cell{}, opt: opt}
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
	a.measure()
	return a, nil
}

func (a *Measured) key(bench string, cores int, parts []Part) string {
	kv := make([]string, 0, len(parts))
	for _, p := range parts {
		kv = append(kv, p.Key+"="+p.Value)
	}
	slices.Sort(kv)
	return bench + "|" + strings.Join(kv, "/") + "|" + strconv.Itoa(cores)
}

// cell finds a cell by benchmark, core count and key=value parts.
func (a *Measured) cell(bench string, cores int, kv ...string) *Cell {
	parts := make([]Part, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, Part{kv[i], kv[i+1]})
	}
	return a.index[a.key(bench, cores, parts)]
}

// values lists the distinct values of a name part among a benchmark's
// cells, in numeric or duration order when they are numbers or durations.
func (a *Measured) values(bench, key string) []string {
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

// models lists the models of a benchmark's cells, in the matrix's order.
func (a *Measured) models(bench string) []string {
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

// measure fills the stage's value: each model's scaling per workload with
// its two factors, the sweeps of the other benchmarks, CPython's models
// beside their Go counterparts, foreign GOMAXPROCS sweeps, and the
// matrix's cells the set lacks.
func (a *Measured) measure() {
	a.predictions()
	a.cores()
	a.python()
	a.pyStarts()
	a.mix()
	a.fanout()
	a.grain()
	a.dots()
	a.gaps()
	a.generic()
	a.missing()
}

// has reports whether the set describes bench as part of its matrix and
// holds cells of it.
func (a *Measured) has(bench string) bool {
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

func nanEst() Estimate { return Estimate{math.NaN(), math.NaN(), math.NaN()} }

// sweep builds one series per model over a parameter at a core count;
// y computes the point from the cell at k and the cell at 1 core of seq.
func (a *Measured) sweep(bench, key string, fixed []string, k int, y func(c, seq1 *Cell) Estimate) []*Series {
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

func (a *Measured) speedupOver(c, seq1 *Cell) Estimate {
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
func (a *Measured) speedup(x, ref *Cell) Estimate {
	r, lo, hi := stats.Speedup(a.Set.Side(x), a.Set.Side(ref), Confidence)
	return Estimate{r, lo, hi}
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

// scaling computes one model's points against a baseline cell, and fits
// the scaling laws to its parallel gains.
func (a *Measured) scaling(model string, base *Cell, at func(k int) *Cell) *Scaling {
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

func (a *Measured) cores() {
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
func (a *Measured) python() {
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
			Ratio: a.speedup(gc, c), PySpeedup: nanEst(), GoSpeedup: nanEst(), pyCell: c, goCell: gc}
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
			row.PySpeedup, row.pyBase = a.speedup(c, pb), pb
		}
		if gb := a.cell(c.Bench, 1, baseKV(a.M.GoBaseline())...); gb != nil {
			row.GoSpeedup, row.goBase = a.speedup(gc, gb), gb
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

// pyStarts collects the BenchmarkStart cells of the CPython suite.
func (a *Measured) pyStarts() {
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

// generic analyses every benchmark that is not part of concbench's matrix.
func (a *Measured) generic() {
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
func (a *Measured) missing() {
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
		// The matrix's models with no cell at all are missing too: Go's,
		// and CPython's its matrix-python lines list (py-asyncio for a
		// function that is not a coroutine function, with the runner's
		// reason).
		for _, m := range a.M.GoModels() {
			if !slices.Contains(models, m) {
				models = append(models, m)
			}
		}
		for _, p := range a.M.Python {
			if !slices.Contains(models, p.Name) {
				models = append(models, p.Name)
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
		if w.Base == nil && (a.M.GoBaseline() != "" || len(w.PyBase) == 0) {
			a.Missing = append(a.Missing, Missing{BenchCores + "/workload=" + w.Name + "/model=" + a.M.GoBaseline() + " at 1 core",
				"the baseline is missing: no speedups, attribution or verdicts for " + w.Name})
		}
	}
}
