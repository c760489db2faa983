package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
)

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
		for _, m := range a.M.GoModels() {
			if !slices.Contains(models, m) {
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
