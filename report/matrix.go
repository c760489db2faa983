package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Matrix is a result set's description of its own benchmark matrix, read
// from its matrix-* configuration lines: the bench binary writes them for
// its benchmarks and models, the CPython suite for its models. The report
// keeps no copy of the matrix; what a set does not describe, it infers from
// the cells, or goes without.
type Matrix struct {
	// Benchmarks are the matrix's benchmarks, in report order.
	Benchmarks []string
	// Models are the Go models, in report order, with their families.
	Models []ModelInfo
	// Python are CPython's models, in report order, with their Go
	// counterparts.
	Python []ModelInfo
	// Batches are each benchmark's batches, in the matrix's order.
	Batches map[string][]BatchInfo
	// GILRelease is, for each kernel whose CPython counterpart releases
	// the GIL in C code (hashlib, zlib), the share of a unit that still
	// holds it, as written (matrix-gil-release, kernel order); the GIL
	// models run the rest of such a unit without the lock.
	GILRelease []KernelShare
	// Described says the set carried matrix-* lines at all; Inferred
	// that it did not, and the matrix was read from its cells instead
	// (inferMatrix).
	Described, Inferred bool
}

// ModelInfo is one model of the matrix.
type ModelInfo struct {
	Name   string
	Family Family
	// Counterpart is a CPython model's Go model ("" for Go models).
	Counterpart string
	// Interp tags a CPython model's interpreter: "3.14", or "3.14t" where
	// the GIL is disabled; the suite names its models py-APPROACH@TAG
	// (py-processpool@3.14-forkserver: the start method follows). "" for
	// Go models and for sets from before the suite named interpreters.
	Interp string
}

// interpOf returns the interpreter tag of a CPython model's name: what
// follows "@", up to a start method's "-".
func interpOf(name string) string {
	_, tag, ok := strings.Cut(name, "@")
	if !ok {
		return ""
	}
	tag, _, _ = strings.Cut(tag, "-")
	return tag
}

// A KernelShare is a kernel and the share of its unit that holds the GIL.
type KernelShare struct {
	Kernel string
	Held   float64 // in [0, 1], parsed when the set is loaded
}

// A BatchInfo is one batch of a benchmark: a cell without its model.
type BatchInfo struct {
	Parts   []Part
	Tasks   int
	Nominal time.Duration // one task alone: its compute and waits
	Kind    string        // "cpu", "io", "mixed" or "empty"
	Ops     []string      // the kinds of op its tasks hold
}

// Param is the batch's name parts joined as in a benchmark name.
func (b BatchInfo) Param() string {
	var s []string
	for _, p := range b.Parts {
		s = append(s, p.Key+"="+p.Value)
	}
	return strings.Join(s, "/")
}

// Has reports whether the batch's tasks hold an op of the kind.
func (b BatchInfo) Has(op string) bool {
	for _, o := range b.Ops {
		if o == op {
			return true
		}
	}
	return false
}

// matrixPrefix starts every description key.
const matrixPrefix = "matrix-"

// parseMatrix reads the description lines (key → value, first seen);
// malformed entries are returned as errors and left out.
func parseMatrix(lines map[string]string) (*Matrix, []error) {
	m := &Matrix{Batches: map[string][]BatchInfo{}, Described: len(lines) > 0}
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("config %s: %s", key, fmt.Sprintf(format, args...)))
	}
	m.Benchmarks = strings.Fields(lines["matrix-benchmarks"])
	// NAME:VALUE entries: a Go model's family, a CPython model's
	// counterpart.
	pairs := func(key, what string) [][2]string {
		var out [][2]string
		for _, e := range strings.Fields(lines[key]) {
			name, v, ok := strings.Cut(e, ":")
			if !ok || name == "" {
				bad(key, "entry %q is not NAME:%s", e, what)
				continue
			}
			out = append(out, [2]string{name, v})
		}
		return out
	}
	for _, p := range pairs("matrix-models", "FAMILY") {
		m.Models = append(m.Models, ModelInfo{Name: p[0], Family: Family(p[1])})
	}
	for _, p := range pairs("matrix-gil-release", "HELD_SHARE") {
		f, err := strconv.ParseFloat(p[1], 64)
		if err != nil || f < 0 || f > 1 {
			bad("matrix-gil-release", "held share %q of %s is not a number in [0, 1]", p[1], p[0])
			continue
		}
		m.GILRelease = append(m.GILRelease, KernelShare{p[0], f})
	}
	for _, p := range pairs("matrix-python", "COUNTERPART") {
		// Each interpreter's runs describe their own models; a set with
		// several lists each model once.
		if !slices.ContainsFunc(m.Python, func(x ModelInfo) bool { return x.Name == p[0] }) {
			m.Python = append(m.Python, ModelInfo{Name: p[0], Counterpart: p[1], Interp: interpOf(p[0])})
		}
	}
	for _, b := range m.Benchmarks {
		key := matrixPrefix + strings.ToLower(strings.TrimPrefix(b, "Benchmark"))
		for _, e := range strings.Fields(lines[key]) {
			bi, err := parseBatch(e)
			if err != nil {
				bad(key, "%v", err)
				continue
			}
			m.Batches[b] = append(m.Batches[b], bi)
		}
	}
	return m, errs
}

// parseBatch reads PARTS:TASKS:NOMINAL:KIND:OPS.
func parseBatch(e string) (BatchInfo, error) {
	f := strings.Split(e, ":")
	if len(f) != 5 {
		return BatchInfo{}, fmt.Errorf("entry %q is not PARTS:TASKS:NOMINAL:KIND:OPS", e)
	}
	var b BatchInfo
	if f[0] != "-" {
		for _, p := range strings.Split(f[0], "/") {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				return BatchInfo{}, fmt.Errorf("entry %q: part %q is not KEY=VALUE", e, p)
			}
			b.Parts = append(b.Parts, Part{k, v})
		}
	}
	var err error
	if b.Tasks, err = strconv.Atoi(f[1]); err != nil || b.Tasks < 0 {
		return BatchInfo{}, fmt.Errorf("entry %q: batch size %q", e, f[1])
	}
	if b.Nominal, err = time.ParseDuration(f[2]); err != nil || b.Nominal < 0 {
		return BatchInfo{}, fmt.Errorf("entry %q: nominal time %q", e, f[2])
	}
	b.Kind = f[3]
	b.Ops = strings.Split(f[4], "+")
	return b, nil
}

// model returns the description of a model, Go's or CPython's.
func (m *Matrix) model(name string) (ModelInfo, bool) {
	for _, x := range m.Models {
		if x.Name == name {
			return x, true
		}
	}
	for _, x := range m.Python {
		if x.Name == name {
			return x, true
		}
	}
	return ModelInfo{}, false
}

// Counterpart returns the Go model a CPython model stands beside, and
// whether model is one of the set's CPython models.
func (m *Matrix) Counterpart(model string) (string, bool) {
	for _, x := range m.Python {
		if x.Name == model {
			return x.Counterpart, true
		}
	}
	return "", false
}

// IsPython reports whether model is one of the set's CPython models.
func (m *Matrix) IsPython(model string) bool {
	_, ok := m.Counterpart(model)
	return ok
}

// Family names the kind of a model: "baseline", "threads" (parallel
// without a lock), "concurrency" (one compute step at a time: event loop,
// GIL) or "processes"; a CPython model has its counterpart's. Unknown
// models are "other".
func (m *Matrix) Family(model string) Family {
	if g, ok := m.Counterpart(model); ok {
		if x, ok := m.model(g); ok && x.Family != "" {
			return x.Family
		}
		// A counterpart the set does not describe (a CPython-only set,
		// pyOnlyFamilies): the family read for the model itself.
		if p, _ := m.pyInfo(model); p.Family != "" {
			return p.Family
		}
		model = g
	}
	if x, ok := m.model(model); ok && x.Family != "" {
		return x.Family
	}
	return FamilyOther
}

// Baseline returns the sequential model that model's speedup is measured
// against: the baseline of its language, and for a CPython model of its
// own interpreter; "" when the set names none.
func (m *Matrix) Baseline(model string) string {
	info, py := m.pyInfo(model)
	for _, x := range m.Models {
		if x.Family == FamilyBaseline {
			if !py {
				return x.Name
			}
			for _, p := range m.Python {
				if p.Counterpart == x.Name && p.Interp == info.Interp {
					return p.Name
				}
			}
		}
	}
	for _, p := range m.Python {
		if py && len(m.Models) == 0 && p.Interp == info.Interp && p.Family == FamilyBaseline {
			return p.Name
		}
	}
	return ""
}

// pyInfo returns the description of a CPython model, and whether model is
// one.
func (m *Matrix) pyInfo(model string) (ModelInfo, bool) {
	i := slices.IndexFunc(m.Python, func(x ModelInfo) bool { return x.Name == model })
	if i < 0 {
		return ModelInfo{}, false
	}
	return m.Python[i], true
}

// Interp returns the interpreter tag of a CPython model ("" for Go models
// and untagged CPython ones).
func (m *Matrix) Interp(model string) string {
	info, _ := m.pyInfo(model)
	return info.Interp
}

// Interps lists the interpreter tags of the set's CPython models, in the
// order their models are listed.
func (m *Matrix) Interps() []string {
	var out []string
	for _, p := range m.Python {
		if !slices.Contains(out, p.Interp) {
			out = append(out, p.Interp)
		}
	}
	return out
}

// HasGo reports whether the set may hold Go's models: false only for a
// set whose matrix lists CPython's models and no Go model (a function's
// set, make bench-python FUNC=…).
func (m *Matrix) HasGo() bool { return len(m.Models) > 0 || len(m.Python) == 0 }

// GoBaseline is the Go baseline model, "" if the set names none.
func (m *Matrix) GoBaseline() string { return m.Baseline("") }

// PyBaseline is the baseline model of the CPython interpreter tagged
// interp, "" if the set names none.
func (m *Matrix) PyBaseline(interp string) string {
	for _, p := range m.Python {
		if p.Interp == interp {
			return m.Baseline(p.Name)
		}
	}
	return ""
}

// Rank orders models: Go models as the matrix lists them, then CPython's,
// then anything else.
func (m *Matrix) Rank(model string) int {
	for i, x := range m.Models {
		if x.Name == model {
			return i
		}
	}
	for i, x := range m.Python {
		if x.Name == model {
			return len(m.Models) + i
		}
	}
	return len(m.Models) + len(m.Python)
}

// SortModels sorts model names into report order, in place.
func (m *Matrix) SortModels(models []string) {
	slices.SortStableFunc(models, func(x, y string) int {
		return cmp.Or(cmp.Compare(m.Rank(x), m.Rank(y)), strings.Compare(x, y))
	})
}

// GoModels lists the Go models' names in report order.
func (m *Matrix) GoModels() []string {
	var out []string
	for _, x := range m.Models {
		out = append(out, x.Name)
	}
	return out
}

// Batch returns the batch of bench whose parts are param ("" for a
// benchmark of one batch), and whether the matrix describes it.
func (m *Matrix) Batch(bench, param string) (BatchInfo, bool) {
	for _, b := range m.Batches[bench] {
		if b.Param() == param {
			return b, true
		}
	}
	return BatchInfo{}, false
}

// Kind says what bounds a BenchmarkCores workload, for verdicts:
// KindUnknown when the set does not say.
func (m *Matrix) Kind(workload string) Kind {
	b, ok := m.Batch(BenchCores, "workload="+workload)
	if !ok {
		return KindUnknown
	}
	return kindOf(b.Kind)
}

// Order is the position of a benchmark's batch in the matrix (by the value
// of its first part), or past the end.
func (m *Matrix) Order(bench, value string) int {
	for i, b := range m.Batches[bench] {
		if len(b.Parts) > 0 && b.Parts[0].Value == value {
			return i
		}
	}
	return len(m.Batches[bench])
}

// BenchOrder is the position of a benchmark in the matrix, or past it.
func (m *Matrix) BenchOrder(bench string) int {
	for i, b := range m.Benchmarks {
		if b == bench {
			return i
		}
	}
	return len(m.Benchmarks)
}

// IsMatrix reports whether bench is one of the matrix's benchmarks.
func (m *Matrix) IsMatrix(bench string) bool { return m.BenchOrder(bench) < len(m.Benchmarks) }

// convoyNoLoad is BenchmarkConvoy's I/O tasks' latency alone, in
// milliseconds: the chart's reference line; 0 when the set does not say.
func (a *Analysis) convoyNoLoad() float64 {
	for _, b := range a.M.Batches[BenchConvoy] {
		return float64(b.Nominal) / 1e6
	}
	return 0
}

// batchSizes words the range of a benchmark's nominal task times, "1 µs to
// 10 ms", or one time when they are alike.
func (a *Analysis) batchSizes(bench string) string {
	var lo, hi time.Duration
	for i, b := range a.M.Batches[bench] {
		if i == 0 || b.Nominal < lo {
			lo = b.Nominal
		}
		if b.Nominal > hi {
			hi = b.Nominal
		}
	}
	switch {
	case hi == 0:
		return "lengths the set does not state"
	case float64(hi) < 1.1*float64(lo):
		return "about " + rough(hi)
	}
	return "about " + rough(lo) + " to " + rough(hi)
}

// rough formats a nominal time to two significant digits: 2 ms, 10 ms.
func rough(d time.Duration) string {
	ns := float64(d)
	units := []struct {
		scale float64
		name  string
	}{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}}
	for _, u := range units {
		if ns >= u.scale || u.scale == 1 {
			return strconv.FormatFloat(ns/u.scale, 'g', 2, 64) + " " + u.name
		}
	}
	return ""
}

// inferMatrix describes a concbench set that predates the matrix-* lines
// from its cells alone, so that it still reports: its benchmarks, batches
// and models are those with a model=… part, in the order the input first
// names them (the bench binary prints them in the matrix's order); the
// first Go model is the baseline, and the first CPython model (the cells
// of runs that say "runner: pyref") is CPython's; a BenchmarkCores
// batch's kind is read from the baseline's cpu-util at 1 core; a model's
// family from its behaviour (see inferFamily). It returns an empty matrix
// when no cell has a model.
func inferMatrix(s *Set, order []*Cell) *Matrix {
	m := &Matrix{Batches: map[string][]BatchInfo{}}
	seenBench, seenBatch, seenModel := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range order {
		model := c.Model()
		if model == "" {
			continue
		}
		if !seenBench[c.Bench] {
			seenBench[c.Bench] = true
			m.Benchmarks = append(m.Benchmarks, c.Bench)
		}
		var parts []Part
		for _, p := range c.Parts {
			if p.Key != "model" {
				parts = append(parts, p)
			}
		}
		b := BatchInfo{Parts: parts}
		if k := c.Bench + "|" + b.Param(); !seenBatch[k] {
			seenBatch[k] = true
			m.Batches[c.Bench] = append(m.Batches[c.Bench], b)
		}
		if !seenModel[model] {
			seenModel[model] = true
			if c.pyref {
				m.Python = append(m.Python, ModelInfo{Name: model})
			} else {
				m.Models = append(m.Models, ModelInfo{Name: model})
			}
		}
	}
	if len(m.Models) == 0 {
		return &Matrix{Batches: map[string][]BatchInfo{}}
	}
	m.Inferred = true
	m.Models[0].Family = FamilyBaseline
	if len(m.Python) > 0 {
		m.Python[0].Counterpart = m.Models[0].Name
	}
	for i, b := range m.Batches[BenchCores] {
		if c := inferCell(s, b, m.Models[0].Name, 1); c != nil {
			switch u := c.Median(UnitCPUUtil); {
			case u >= 0.8:
				m.Batches[BenchCores][i].Kind = "cpu"
			case u <= 0.2:
				m.Batches[BenchCores][i].Kind = "io"
			case u > 0:
				m.Batches[BenchCores][i].Kind = "mixed"
			}
		}
	}
	for i := range m.Models[1:] {
		m.Models[i+1].Family = inferFamily(s, m, m.Models[i+1].Name, false)
	}
	for i := range m.Python[min(1, len(m.Python)):] {
		m.Python[i+1].Family = inferFamily(s, m, m.Python[i+1].Name, true)
	}
	return m
}

// inferCell finds the cell of a batch, model and core count.
func inferCell(s *Set, b BatchInfo, model string, k int) *Cell {
	name := ""
	for _, p := range b.Parts {
		name += "/" + p.Key + "=" + p.Value
	}
	for _, bench := range []string{BenchCores} {
		if c := s.Cell("", bench+name+"/model="+model, k); c != nil {
			return c
		}
	}
	return nil
}

// inferFamily reads a model's family from its cells: its median parallel
// gain over the CPU-bound BenchmarkCores batches, from 1 core to the
// largest core count within the CPUs, below 1.3 means one compute step at a
// time ("concurrency": an event loop, a GIL); above, a dispatch cost of
// 5 µs a task or more (BenchmarkOverhead) means processes, else threads.
// CPython's models above 1.3 are processes. Without a second core count
// the family is "other".
func inferFamily(s *Set, m *Matrix, model string, py bool) Family {
	k := 0
	for _, c := range s.Cores() {
		if c > 1 && !s.Oversubscribed(c) {
			k = c
		}
	}
	if k == 0 {
		return FamilyOther
	}
	var gains []float64
	for _, b := range m.Batches[BenchCores] {
		if b.Kind != "cpu" {
			continue
		}
		one, at := inferCell(s, b, model, 1), inferCell(s, b, model, k)
		if one != nil && at != nil {
			gains = append(gains, one.Median(UnitTime)/at.Median(UnitTime))
		}
	}
	if len(gains) == 0 {
		return FamilyOther
	}
	if medianOf(gains) < 1.3 {
		return FamilyConcurrency
	}
	if py {
		return FamilyProcesses
	}
	if c := s.Cell("", BenchOverhead+"/model="+model, 1); c != nil {
		if t := c.Median(UnitTasks); t > 0 && 1e9/t >= 5000 {
			return FamilyProcesses
		}
	}
	return FamilyThreads
}

// pyOnlyFamilies gives the CPython models of a set that describes them
// but not the Go models they stand beside (make bench-python FUNC=…
// writes only matrix-python) the families a verdict needs: each
// interpreter's first listed model is its baseline, as the suite lists
// py-seq first, and the others' families are inferred from their cells
// (inferFamily). A set with Go models, or without CPython's, is left as
// it is.
func pyOnlyFamilies(s *Set) {
	m := s.Matrix
	if len(m.Models) > 0 || len(m.Python) == 0 {
		return
	}
	based := map[string]bool{}
	for i, p := range m.Python {
		if !based[p.Interp] {
			based[p.Interp] = true
			m.Python[i].Family = FamilyBaseline
			continue
		}
		m.Python[i].Family = inferFamily(s, m, p.Name, true)
	}
}
