package report

import (
	"cmp"
	"slices"

	"github.com/concbench/concbench/report/stats"
)

// PointClaims are the claims about one CorePoint.
type PointClaims struct {
	VsBase *stats.Claim // the model at k against the baseline at 1 core
	VsOne  *stats.Claim // the model at k against itself at 1 core
	Conc   *stats.Claim // the model at 1 core against the baseline at 1 core
}

// Claims is what the second stage, DecideClaims, returns: every claim the
// report decides, decided together, and keyed by the measured point it is
// about.
type Claims struct {
	*stats.Claims
	points   map[*CorePoint]PointClaims
	runnerUp map[rkey]map[int]*stats.Claim
}

// rkey is a workload in one runtime.
type rkey struct {
	w       *Workload
	runtime string
}

// At returns the claims about p; the zero PointClaims when it has none.
func (c *Claims) At(p *CorePoint) PointClaims { return c.points[p] }

// RunnerUp is the claim that the fastest model of runtime r in w at k
// cores beats the second fastest, or nil.
func (c *Claims) RunnerUp(w *Workload, r Runtime, k int) *stats.Claim {
	return c.runnerUp[rkey{w, r.Name}][k]
}

// DecideClaims is the second stage: it reads the measured points and
// registers every comparison the report decides, one family per
// question, and decides them together (report/stats). Per BenchmarkCores
// workload and core count: "which Go model beats seq at 1 core?" — each
// model's speedup over seq at 1 core, and the fastest model against the
// second — and "which models gain from these cores?" — each model's
// parallel gain over itself at 1 core; the same for the CPython models in
// families of their own; and per foreign benchmark, its speedup at each
// GOMAXPROCS. A model's concurrency gain is its speedup at 1 core, decided
// in the 1-core family.
func DecideClaims(m *Measured) *Claims {
	cl := &Claims{Claims: stats.NewClaims(stats.Options{Margin: m.opt.margin()}),
		points: map[*CorePoint]PointClaims{}, runnerUp: map[rkey]map[int]*stats.Claim{}}
	side := m.Set.Side
	for _, w := range m.Workloads {
		for _, r := range m.runtimes() {
			cl.runnerUp[rkey{w, r.Name}] = map[int]*stats.Claim{}
		}
		for _, k := range m.Cores {
			// Go's models, its emulations of CPython, then each
			// interpreter's: a family each.
			for _, r := range m.runtimes() {
				base, fam := r.base(w), r.family(w, k)
				if base == nil {
					continue
				}
				for _, s := range w.Models {
					p := s.Point(k)
					if s.Family == FamilyBaseline || !r.has(m.M, s) || p == nil {
						continue
					}
					pc := PointClaims{VsBase: cl.Add(fam, side(p.Cell), side(base))}
					if k > 1 && s.One != nil {
						pc.VsOne = cl.Add(fam+": parallel gains", side(p.Cell), side(s.One))
					}
					cl.points[p] = pc
				}
				if rk := ranked(m.M, w, k, r, cl); len(rk) > 1 {
					cl.runnerUp[rkey{w, r.Name}][k] = cl.Add(fam, side(rk[0].Point(k).Cell), side(rk[1].Point(k).Cell))
				}
			}
		}
		for _, s := range w.Models {
			if one := s.Point(1); one != nil {
				conc := cl.points[one].VsBase
				for _, p := range s.Points {
					if pc, ok := cl.points[p]; ok {
						pc.Conc = conc
						cl.points[p] = pc
					}
				}
			}
		}
	}
	for _, g := range m.Generic {
		for _, b := range g.Benches {
			base := b.Points[0].Cell
			fam := "GOMAXPROCS sweep of " + b.Name
			for _, p := range b.Points[1:] {
				cl.points[p] = PointClaims{VsOne: cl.Add(fam, side(p.Cell), side(base))}
			}
		}
	}
	cl.Decide()
	return cl
}

// A lang is Go, or one CPython interpreter of the set: the models whose
// claims form one family.
type lang struct {
	py     bool
	interp string // the interpreter's tag, "" for Go and untagged CPython
}

// langs lists Go, then each CPython interpreter of the set.
func (a *Measured) langs() []lang {
	var out []lang
	if a.M.HasGo() {
		out = append(out, lang{})
	}
	for _, in := range a.M.Interps() {
		out = append(out, lang{py: true, interp: in})
	}
	return out
}

// has reports whether s is one of l's models.
func (l lang) has(s *Scaling) bool { return s.Python == l.py && s.Interp == l.interp }

// name is "Go", "CPython" or "CPython 3.14".
func (l lang) name() string {
	switch {
	case !l.py:
		return "Go"
	case l.interp == "":
		return "CPython"
	}
	return "CPython " + l.interp
}

// ranked lists the models of one runtime at k cores that have a claim
// against their baseline, fastest first by the claims' ratio (geometric
// means).
func ranked(m *Matrix, w *Workload, k int, r Runtime, cl *Claims) []*Scaling {
	var out []*Scaling
	for _, s := range w.Models {
		if s.Family == FamilyBaseline || !r.has(m, s) || s.Point(k) == nil || cl.At(s.Point(k)).VsBase == nil {
			continue
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y *Scaling) int {
		return cmp.Compare(cl.At(y.Point(k)).VsBase.Ratio, cl.At(x.Point(k)).VsBase.Ratio) // fastest first
	})
	return out
}

// claimEst is a claim's ratio with the interval it was decided by.
func claimEst(c *stats.Claim) Estimate {
	if c == nil {
		return nanEst()
	}
	return Estimate{c.Ratio, c.Lo, c.Hi}
}

// scales reports whether a model's parallel gain beats the margin, decided,
// at some core count: the fits' gating, in the verdicts' vocabulary.
func scales(cl *Claims, s *Scaling) bool {
	for _, p := range s.Points {
		if vs := cl.At(p).VsOne; vs != nil && vs.Outcome == stats.Faster {
			return true
		}
	}
	return false
}
