package report

import (
	"regexp"
	"strings"
)

// UndecidedCells runs the pipeline as far as the decisions, without
// fitting laws (no verdict's undecidedness depends on one), and returns
// Decisions.Undecided(horizon): what concbench report -undecided prints.
func UndecidedCells(s *Set, opt Options, horizon int) ([]Rerun, error) {
	m, err := Measure(s, opt)
	if err != nil {
		return nil, err
	}
	return Decide(m, DecideClaims(m), nil).Undecided(horizon), nil
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
func (d *Decisions) Undecided(horizon int) []Rerun {
	a := d.m
	byK := map[int]map[*Cell]bool{}
	for _, v := range d.Verdicts {
		if v.Gain != GainUndecided || v.MoreRounds <= 0 || v.MoreRounds > horizon {
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
