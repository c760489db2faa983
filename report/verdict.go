package report

import (
	"github.com/concbench/concbench/report/stats"
)

// verdicts decides one verdict per workload and core count from the
// significance-gated factors of the best Go model's speedup.
func (a *Analysis) verdicts() {
	for _, w := range a.Workloads {
		for _, k := range a.Cores {
			if v := a.verdict(w, k); v != nil {
				a.Verdicts = append(a.Verdicts, v)
			}
		}
	}
}

// The verdict words: one vocabulary for the verdict lines, the winner map
// and the fits' gating.
const (
	WordConcurrency = "concurrency wins"
	WordParallelism = "parallelism wins"
	WordBoth        = "concurrency and parallelism both"
	WordUndecided   = "undecided"
)

// wordNone is the verdict when no model beats seq by more than the margin.
func (a *Analysis) wordNone() string {
	return "no model beats seq by more than " + a.marginText()
}

// verdict decides workload w at k cores from the decided claims: the
// fastest Go model that beats seq at 1 core by more than the margin, and
// which of its two factors — the concurrency gain (at 1 core) and the
// parallel gain (1 → k cores) — beat the margin too. It returns the
// decision as a struct; words (words.go) writes it in plain words.
func (a *Analysis) verdict(w *Workload, k int) *Verdict {
	if w.Base == nil {
		return nil
	}
	v := &Verdict{Workload: w.Name, Kind: w.Kind, Cores: k, Oversub: a.Set.Oversubscribed(k)}
	models := ranked(w, k, lang{})
	if len(models) == 0 {
		return nil
	}
	var winners []*Scaling
	for _, s := range models {
		if s.Point(k).VsBase.Outcome == stats.Faster {
			winners = append(winners, s)
		}
	}
	if len(winners) == 0 {
		a.noWinner(v, w, models, k)
		return v
	}
	best := winners[0]
	bp := best.Point(k)
	v.Winner, v.Decided = best.Model, claimEst(bp.VsBase)
	c, p := bp.ConcClaim, bp.VsOne
	v.Conc, v.Par = c, p
	cWins := c != nil && c.Outcome == stats.Faster
	pWins := k > 1 && p != nil && p.Outcome == stats.Faster
	switch {
	case k == 1 || cWins && !pWins:
		v.Word, v.Gain = WordConcurrency, "concurrency"
	case pWins && !cWins:
		v.Word, v.Gain = WordParallelism, "parallelism"
	case pWins && cWins:
		v.Word, v.Gain = WordBoth, "both"
	default:
		// It beats seq, but neither factor alone is decided.
		v.Word, v.Gain = WordUndecided, "undecided"
		v.MoreRounds = soonest(c, p)
		if c != nil {
			v.Waiting = append(v.Waiting, best.One, w.Base)
		}
		v.Waiting = append(v.Waiting, bp.Cell, best.One)
	}
	if r := w.RunnerUp[k]; r != nil && models[0] == best && len(models) > 1 {
		if r.Outcome == stats.Within || r.Outcome == stats.Undecided {
			v.RunnerUp = rival(models[1], k, r.Outcome)
		}
	} else if models[0] != best {
		v.Faster = rival(models[0], k, models[0].Point(k).VsBase.Outcome)
	}
	for _, s := range models {
		if s == best {
			continue
		}
		switch s.Point(k).VsBase.Outcome {
		case stats.Within:
			v.Within = append(v.Within, s.Model)
		case stats.Slower:
			v.Slower = append(v.Slower, s.Model)
		}
	}
	if k == a.MaxCores && v.Gain != "concurrency" && scales(best) {
		v.Fit, v.Rejected = best.Fit(), best.Fit() == nil && best.Rejected
	}
	v.Python = a.pyRows(w, k)
	return v
}

// rival is model s at k cores as a verdict mentions it beside the winner.
func rival(s *Scaling, k int, o stats.Outcome) *Rival {
	return &Rival{Model: s.Model, Speedup: claimEst(s.Point(k).VsBase), Outcome: o}
}

// noWinner decides the verdict when no model decidedly beats seq: every
// model within the margin or slower, or some still undecided.
func (a *Analysis) noWinner(v *Verdict, w *Workload, models []*Scaling, k int) {
	best := models[0]
	v.Best = rival(best, k, best.Point(k).VsBase.Outcome)
	undecided := 0
	for _, s := range models {
		switch c := s.Point(k).VsBase; c.Outcome {
		case stats.Undecided:
			undecided++
			v.Waiting = append(v.Waiting, s.Point(k).Cell, w.Base)
		case stats.Slower:
			v.Slower = append(v.Slower, s.Model)
		}
	}
	if undecided == 0 {
		v.Word, v.Gain = a.wordNone(), "none"
		return
	}
	v.Word, v.Gain = WordUndecided, "undecided"
	v.Slower = nil
	// The undecided model with the highest speedup is the verdict's
	// subject; the rounds are those that would decide every estimable one.
	for _, s := range models {
		c := s.Point(k).VsBase
		if c.Outcome != stats.Undecided {
			continue
		}
		if v.Lead == nil {
			v.Lead = rival(s, k, c.Outcome)
		}
		if c.MoreRounds < 0 {
			v.OnEdge++
		}
		v.MoreRounds = max(v.MoreRounds, c.MoreRounds)
	}
	v.OthersUndecided = undecided - 1
	if v.MoreRounds == 0 {
		v.MoreRounds = -1
	}
}

// soonest is the fewest more rounds that decide one of two undecided
// claims, −1 when neither estimate says.
func soonest(cs ...*stats.Claim) int {
	r := -1
	for _, c := range cs {
		if c != nil && c.MoreRounds > 0 && (r < 0 || c.MoreRounds < r) {
			r = c.MoreRounds
		}
	}
	return r
}

// pyRows are the CPython rows of workload w at k cores, baselines left
// out: what a verdict says about CPython beside the emulation.
func (a *Analysis) pyRows(w *Workload, k int) []*PyRow {
	var out []*PyRow
	for _, r := range a.Python {
		if r.Benchmark == BenchCores && r.Param == "workload="+w.Name && r.Cores == k && a.M.Family(r.Py) != "baseline" {
			out = append(out, r)
		}
	}
	return out
}
