package report

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

// claims registers every comparison the report decides, one family per
// question, and decides them together (report/stats). Per BenchmarkCores
// workload and core count: "which Go model beats seq at 1 core?" — each
// model's speedup over seq at 1 core, and the fastest model against the
// second — and "which models gain from these cores?" — each model's
// parallel gain over itself at 1 core; the same for the CPython models in
// families of their own; and per foreign benchmark, its speedup at each
// GOMAXPROCS. A model's concurrency gain is its speedup at 1 core, decided
// in the 1-core family.
func (a *Analysis) claims() {
	a.Claims = stats.NewClaims(stats.Options{Margin: a.opt.margin()})
	side := a.Set.Side
	for _, w := range a.Workloads {
		w.RunnerUp = map[int]*stats.Claim{}
		for _, k := range a.Cores {
			// Go's models, then each interpreter's: a family each.
			for _, l := range a.langs() {
				base := w.Base
				fam := fmt.Sprintf("%s/workload=%s at %d %s", BenchCores, w.Name, k, prose.Plural(k, "core"))
				if l.py {
					base = w.PyBase[l.interp]
					fam += ", " + l.name()
				}
				if base == nil {
					continue
				}
				py := l.py
				for _, s := range w.Models {
					p := s.Point(k)
					if s.Family == "baseline" || !l.has(s) || p == nil {
						continue
					}
					p.VsBase = a.Claims.Add(fam, side(p.Cell), side(base))
					if k > 1 && s.One != nil {
						p.VsOne = a.Claims.Add(fam+": parallel gains", side(p.Cell), side(s.One))
					}
				}
				if r := ranked(w, k, l); !py && len(r) > 1 {
					w.RunnerUp[k] = a.Claims.Add(fam, side(r[0].Point(k).Cell), side(r[1].Point(k).Cell))
				}
			}
		}
		for _, s := range w.Models {
			if one := s.Point(1); one != nil {
				for _, p := range s.Points {
					p.ConcClaim = one.VsBase
				}
			}
		}
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			base := b.Points[0].Cell
			fam := "GOMAXPROCS sweep of " + b.Name
			for _, p := range b.Points[1:] {
				p.VsOne = a.Claims.Add(fam, side(p.Cell), side(base))
			}
		}
	}
	a.Claims.Decide()
}

// A lang is Go, or one CPython interpreter of the set: the models whose
// claims form one family.
type lang struct {
	py     bool
	interp string // the interpreter's tag, "" for Go and untagged CPython
}

// langs lists Go, then each CPython interpreter of the set.
func (a *Analysis) langs() []lang {
	out := []lang{{}}
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

// ranked lists the models of one language (Go, or one CPython
// interpreter) at k cores that have a claim against their baseline,
// fastest first by the claims' ratio (geometric means).
func ranked(w *Workload, k int, l lang) []*Scaling {
	var out []*Scaling
	for _, s := range w.Models {
		if s.Family == "baseline" || !l.has(s) || s.Point(k) == nil || s.Point(k).VsBase == nil {
			continue
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y *Scaling) int {
		return cmp.Compare(y.Point(k).VsBase.Ratio, x.Point(k).VsBase.Ratio) // fastest first
	})
	return out
}

// decision words a claim's outcome for a sentence: "faster", "within 5%",
// "slower" or "undecided".
func (a *Analysis) decision(c *stats.Claim) string {
	if c == nil {
		return ""
	}
	switch c.Outcome {
	case stats.Within:
		return "within " + a.marginText()
	case stats.Undecided:
		return "undecided"
	}
	return c.Outcome.String()
}

// marginText is the margin as a percentage, "5%".
func (a *Analysis) marginText() string {
	return prose.Pct(a.opt.margin())
}

// claimEst is a claim's ratio with the interval it was decided by.
func claimEst(c *stats.Claim) Estimate {
	if c == nil {
		return nanEst()
	}
	return Estimate{c.Ratio, c.Lo, c.Hi}
}

// roundsText says how many more rounds would likely decide, or "".
func roundsText(r int) string {
	switch {
	case r > 0:
		return fmt.Sprintf("about %d more %s would likely decide it", r, prose.Plural(r, "round"))
	case r < 0:
		return "more rounds are unlikely to decide it soon: the estimate sits on the margin's edge"
	}
	return ""
}

// methodText says exactly how the report decides, with this report's
// numbers.
func (a *Analysis) methodText() string {
	cs := a.Claims
	p := a.Set.Prior
	d0 := "not fitted (too few cells with two samples or more)"
	switch {
	case p.D0 == 0:
	case p.D0 > 1e6:
		d0 = "unbounded (the cells' variances differ no more than sampling explains), capped per cell"
	default:
		d0 = fmt.Sprintf("%.2g degrees of freedom (from %d cells)", p.D0, p.Cells)
	}
	looks := ""
	if n := a.Set.Looks; n > 0 {
		looks = fmt.Sprintf(" The run added %d adaptive %s of undecided cells only; each look is a chance to stop on a lucky draw, so a claim whose cells had L of them has its p-value multiplied by 1+L (Bonferroni over its looks); no other claim's p-value is touched.",
			n, prose.Plural(n, "round"))
	}
	return fmt.Sprintf("A verdict is a decision, not a p-value. Timings are multiplicative, so every claim that one cell beats another is Welch's t on log(ns/op): "+
		"the ratio of geometric means with its interval. A model beats another only when that interval lies wholly beyond ±%s (the practical margin, -margin); "+
		"an interval wholly inside it is a tie \"within %s\"; anything else is undecided, and says how many more rounds would likely decide it, "+
		"keeping the estimate and noise as they are. With two or three samples a cell's own variance has one or two degrees of freedom, "+
		"so variances are moderated as limma does for gene arrays (empirical Bayes, Smyth 2004): the log-scale variances of one benchmark configuration, "+
		"at every core count and model, share a prior, whose weight d0 is fitted over the whole run — here %s. "+
		"A cell never informs its own prior, the prior counts no more degrees of freedom than the cells that estimated it, and a cell whose variance is an outlier against it (F test, p < %.2g) keeps its own variance. "+
		"The family of comparisons is sized to the question asked, not to the report. A verdict (a workload at a core count) asks two: which Go model beats seq at 1 core "+
		"(every model against seq at 1 core, and the fastest against the second: one family), and which models gain from the cores (each model against itself at 1 core: another); "+
		"a model's concurrency gain is its claim at 1 core; CPython's models form families of their own, and so does each foreign benchmark's GOMAXPROCS sweep. "+
		"Holm's method controls errors within a family; Benjamini–Hochberg selects the families worth deciding across the report, and each selected family is tested at α·R/M "+
		"(Benjamini and Bogomolov 2014; α = %.2g, %d of %d families selected). So adding core counts or benchmarks does not take power from a verdict. "+
		"Intervals in verdicts are at each claim's corrected level. A faster or slower decision must also agree with the ratio of the medians and, where both cells have samples enough for it, "+
		"with a Mann–Whitney U test at α: one outlier cannot carry it.%s "+
		"%d claims: %d faster or slower, %d within the margin, %d undecided.",
		a.marginText(), a.marginText(), d0, stats.OutlierP, cs.Options().Alpha, cs.Selected(), cs.Families(), looks,
		cs.Len(), a.countOutcome(stats.Faster)+a.countOutcome(stats.Slower), a.countOutcome(stats.Within), a.countOutcome(stats.Undecided))
}

func (a *Analysis) countOutcome(o stats.Outcome) int {
	n := 0
	for _, c := range a.Claims.All() {
		if c.Outcome == o {
			n++
		}
	}
	return n
}

// Rerun is what more rounds should re-run at one core count: the cells the
// undecided verdicts wait on, and go test -bench patterns that select them,
// one per benchmark. A pattern matches the union of the cells' values at
// each level of the name (workloads × models), so it may select a few cells
// more than asked: extra samples, never fewer.
type Rerun struct {
	Cores    int
	Patterns []string
	Cells    []*Cell
}

// Undecided lists, per core count, the cells of the undecided verdicts'
// undecided claims that about horizon more rounds or fewer would likely
// decide (concbench report -undecided prints it for the bench runner's
// adaptive rounds): a verdict on the margin's edge, or one that needs more
// rounds than the runner has left, would only spend them.
func (a *Analysis) Undecided(horizon int) []Rerun {
	byK := map[int]map[*Cell]bool{}
	for _, v := range a.Verdicts {
		if v.Word != WordUndecided || v.MoreRounds <= 0 || v.MoreRounds > horizon {
			continue
		}
		for _, c := range v.Waiting {
			if c == nil {
				continue
			}
			if byK[c.Cores] == nil {
				byK[c.Cores] = map[*Cell]bool{}
			}
			byK[c.Cores][c] = true
		}
	}
	var out []Rerun
	for _, k := range a.Cores {
		cells := byK[k]
		if len(cells) == 0 {
			continue
		}
		r := Rerun{Cores: k}
		// Per benchmark, the distinct values at each level of the name.
		type levels struct {
			keys []string
			vals []map[string]bool
			ord  [][]string
		}
		byBench := map[string]*levels{}
		var benches []string
		for _, c := range a.Set.Cells {
			if !cells[c] {
				continue
			}
			r.Cells = append(r.Cells, c)
			l := byBench[c.Bench]
			if l == nil {
				l = &levels{}
				for _, p := range c.Parts {
					l.keys = append(l.keys, p.Key)
					l.vals = append(l.vals, map[string]bool{})
					l.ord = append(l.ord, nil)
				}
				byBench[c.Bench] = l
				benches = append(benches, c.Bench)
			}
			for i, p := range c.Parts {
				if i < len(l.vals) && !l.vals[i][p.Value] {
					l.vals[i][p.Value] = true
					l.ord[i] = append(l.ord[i], regexp.QuoteMeta(p.Value))
				}
			}
		}
		for _, b := range benches {
			l := byBench[b]
			pat := "^" + regexp.QuoteMeta(b) + "$"
			for i, key := range l.keys {
				pat += "/^" + regexp.QuoteMeta(key) + "=(" + strings.Join(l.ord[i], "|") + ")$"
			}
			r.Patterns = append(r.Patterns, pat)
		}
		out = append(out, r)
	}
	return out
}
