package compare

import (
	"math"
	"slices"

	"github.com/concbench/concbench/report"
)

// A WorkloadCompare is one BenchmarkCores workload on every machine: for
// each machine, the best model of each family.
type WorkloadCompare struct {
	Name   string
	Kind   report.Kind
	Curves []*FamilyCurve // by machine, then family
}

// A FamilyCurve is the best model of one family on one machine: the one
// with the highest speedup at the machine's largest core count within its
// CPUs. Its points are speedups over the machine's own seq at 1 core; each
// point's Par is the model's gain over its own 1-core run.
type FamilyCurve struct {
	Machine *Machine
	Family  report.Family // threads, processes or concurrency
	Model   string
	Points  []*report.CorePoint
}

// compareFamilies are the model families a comparison draws, in legend
// order, with their names on the page.
var compareFamilies = []struct {
	key  report.Family
	name string
}{
	{report.FamilyThreads, "threads"},
	{report.FamilyProcesses, "processes"},
	{report.FamilyConcurrency, "concurrency-only"},
}

// FamilyName is the name of a family on the comparison's page:
// "concurrency-only" for the event loop and GIL models, which overlap
// waits but never run two compute steps at once.
func FamilyName(family report.Family) string {
	for _, f := range compareFamilies {
		if f.key == family {
			return f.name
		}
	}
	return family.String()
}

// workloads picks, for every BenchmarkCores workload and machine, the best
// Go model of each family.
func (cmp *Comparison) workloads() {
	seen := map[string]bool{}
	var names []string
	for _, m := range cmp.Machines {
		for _, w := range m.Analysis.Workloads {
			if !seen[w.Name] {
				seen[w.Name] = true
				names = append(names, w.Name)
			}
		}
	}
	m := cmp.matrix()
	slices.SortStableFunc(names, func(x, y string) int {
		return m.Order(report.BenchCores, x) - m.Order(report.BenchCores, y) // small ordinals: no overflow
	})
	for _, name := range names {
		wc := &WorkloadCompare{Name: name}
		for _, m := range cmp.Machines {
			if w := m.workload(name); w != nil && wc.Kind == report.KindUnknown {
				wc.Kind = w.Kind
			}
		}
		for _, m := range cmp.Machines {
			w := m.workload(name)
			if w == nil {
				continue
			}
			for _, f := range compareFamilies {
				if fc := bestOfFamily(m, w, f.key); fc != nil {
					wc.Curves = append(wc.Curves, fc)
				}
			}
		}
		cmp.Workloads = append(cmp.Workloads, wc)
	}
}

func (m *Machine) workload(name string) *report.Workload {
	for _, w := range m.Analysis.Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// bestOfFamily is the Go model of a family with the highest speedup at the
// machine's largest core count within its CPUs (the largest it has, if it
// lacks that one); nil if the family has no model with speedups.
func bestOfFamily(m *Machine, w *report.Workload, family report.Family) *FamilyCurve {
	var best *report.Scaling
	bestV := math.Inf(-1)
	for _, s := range w.Models {
		if s.Family != family || s.Python {
			continue
		}
		p := s.Point(m.Analysis.MaxCores)
		if p == nil {
			for _, q := range s.Points {
				if !q.Oversub {
					p = q
				}
			}
		}
		if p == nil || math.IsNaN(p.Speedup.Value) {
			continue
		}
		if p.Speedup.Value > bestV {
			best, bestV = s, p.Speedup.Value
		}
	}
	if best == nil {
		return nil
	}
	return &FamilyCurve{Machine: m, Family: family, Model: best.Model, Points: best.Points}
}

// Point returns the curve's point at k cores, or nil.
func (f *FamilyCurve) Point(k int) *report.CorePoint {
	for _, p := range f.Points {
		if p.Cores == k {
			return p
		}
	}
	return nil
}

// Efficiency is the model's parallel efficiency at p: its gain over its
// own 1-core run divided by the cores, with the gain's interval.
func Efficiency(p *report.CorePoint) report.Estimate {
	k := float64(p.Cores)
	return report.Estimate{Value: p.Par.Value / k, Lo: p.Par.Lo / k, Hi: p.Par.Hi / k}
}
