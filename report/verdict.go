package report

import (
	"github.com/concbench/concbench/report/stats"
)

// A Verdict is the decision for one workload at one core count, as a
// struct: Wording.Text words it.
type Verdict struct {
	// Runtime is the answer the verdict belongs to: Go's, or one CPython
	// interpreter's (or, in a set without CPython, the emulations').
	Runtime  Runtime
	Baseline string // the runtime's sequential model: seq, py-seq@3.14
	Workload string
	Kind     Kind
	Cores    int
	Oversub  bool
	// Shared says how its CPUs were not k distinct cores of one package
	// ("8 cores = 4 cores × 2 threads", "on 2 packages"), "" when they
	// were or the set does not say (Placement.Shared).
	Shared string
	Winner string // best model, "" if none beats the baseline
	// Gain is the verdict: where the winner's gain comes from, or that
	// none is decided (Wording.Word says it in the report's vocabulary).
	Gain Gain
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
	// fastest and the two are within the margin or undecided. Faster is,
	// in a verdict left undecided because the fastest model by estimate
	// is, the fastest model that does beat the baseline decidedly.
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
}

// A Rival is a model a verdict names beside its winner: its speedup over
// seq with the interval its claim was decided by, and the outcome of that
// claim (or of its claim against the winner, for a runner-up).
type Rival struct {
	Model   string
	Speedup Estimate
	Outcome stats.Outcome
}

// Decisions is what the fourth stage, Decide, returns: a Verdict per
// workload and core count, and a decision per foreign benchmark swept
// over GOMAXPROCS.
type Decisions struct {
	Verdicts []*Verdict
	Benches  []*BenchDecision

	m *Measured // what Undecided reads the cells and core counts from
}

// A BenchDecision is what a foreign benchmark's sweep says: its best
// point within the CPUs, that point's claim against the lowest
// GOMAXPROCS, and the laws fitted to it.
type BenchDecision struct {
	Bench *GenericBench
	Best  *CorePoint
	Claim *stats.Claim
	Laws  Laws
}

// Gain is a verdict: where the winner's gain over seq comes from, or why
// there is no winner.
type Gain uint8

// The verdicts, as the winner map and verdicts.csv name them.
const (
	GainNone        Gain = iota // no model beats seq by more than the margin
	GainConcurrency             // the gain at 1 core, from overlapping waits
	GainParallelism             // the gain from more cores
	GainBoth                    // both factors beat the margin
	GainUndecided               // more rounds are needed
)

// String names the gain: "none", "concurrency", "parallelism", "both" or
// "undecided".
func (g Gain) String() string {
	switch g {
	case GainConcurrency:
		return "concurrency"
	case GainParallelism:
		return "parallelism"
	case GainBoth:
		return "both"
	case GainUndecided:
		return "undecided"
	}
	return "none"
}

// Decide is the fourth stage: from the measured points, their decided
// claims and the fitted laws it decides one verdict per workload and core
// count — the best Go model's speedup and which of its factors beat the
// margin — and what each foreign sweep says. f may be nil, for a caller
// that needs no verdict's law (concbench report -undecided).
func Decide(m *Measured, c *Claims, f *Fits) *Decisions {
	d := &Decisions{m: m}
	for _, r := range m.Answers() {
		for _, w := range m.Workloads {
			for _, k := range m.Cores {
				if v := verdict(m, c, f, w, r, k); v != nil {
					d.Verdicts = append(d.Verdicts, v)
				}
			}
		}
	}
	for _, g := range m.Generic {
		for _, b := range g.Benches {
			best := genericBest(b)
			bd := &BenchDecision{Bench: b, Best: best, Claim: c.At(best).VsOne}
			if f != nil {
				bd.Laws = f.Bench(b)
			}
			d.Benches = append(d.Benches, bd)
		}
	}
	return d
}

// genericBest is the point a foreign sweep's verdict is about: its largest
// parallel gain within the CPUs, else its last point.
func genericBest(b *GenericBench) *CorePoint {
	var best *CorePoint
	for _, p := range b.Points[1:] {
		if !p.Oversub && (best == nil || p.Par.Value > best.Par.Value) {
			best = p
		}
	}
	if best == nil {
		best = b.Points[len(b.Points)-1]
	}
	return best
}

// verdict decides workload w at k cores from the decided claims: the
// fastest Go model that beats seq at 1 core by more than the margin, and
// which of its two factors — the concurrency gain (at 1 core) and the
// parallel gain (1 → k cores) — beat the margin too. It returns the
// decision as a struct; words (words.go) writes it in plain words.
func verdict(a *Measured, cl *Claims, f *Fits, w *Workload, r Runtime, k int) *Verdict {
	base := r.base(w)
	if base == nil {
		return nil
	}
	v := &Verdict{Runtime: r, Baseline: base.Model(), Workload: w.Name, Kind: w.Kind, Cores: k, Oversub: a.Set.Oversubscribed(k), Shared: a.Set.Placement(k).Shared(k)}
	models := ranked(a.M, w, k, r, cl)
	if len(models) == 0 {
		return nil
	}
	var winners []*Scaling
	for _, s := range models {
		if cl.At(s.Point(k)).VsBase.Outcome == stats.Faster {
			winners = append(winners, s)
		}
	}
	if len(winners) == 0 || models[0] != winners[0] {
		// No model beats the baseline, or the fastest by estimate is
		// undecided: a winner map that named a slower model would not
		// name the fastest.
		noWinner(cl, v, base, models, k)
		if len(winners) > 0 {
			v.Faster = rival(cl, winners[0], k, stats.Faster)
		}
		return v
	}
	best := winners[0]
	bp := best.Point(k)
	bc := cl.At(bp)
	v.Winner, v.Decided = best.Model, claimEst(bc.VsBase)
	c, p := bc.Conc, bc.VsOne
	v.Conc, v.Par = c, p
	cWins := c != nil && c.Outcome == stats.Faster
	pWins := k > 1 && p != nil && p.Outcome == stats.Faster
	switch {
	case k == 1 || cWins && !pWins:
		v.Gain = GainConcurrency
	case pWins && !cWins:
		v.Gain = GainParallelism
	case pWins && cWins:
		v.Gain = GainBoth
	default:
		// It beats seq, but neither factor alone is decided.
		v.Gain = GainUndecided
		v.MoreRounds = soonest(c, p)
		if c != nil {
			v.Waiting = append(v.Waiting, best.One, base)
		}
		v.Waiting = append(v.Waiting, bp.Cell, best.One)
	}
	if ru := cl.RunnerUp(w, r, k); ru != nil && models[0] == best && len(models) > 1 {
		if ru.Outcome == stats.Within || ru.Outcome == stats.Undecided {
			v.RunnerUp = rival(cl, models[1], k, ru.Outcome)
		}
	}
	for _, s := range models {
		if s == best {
			continue
		}
		switch cl.At(s.Point(k)).VsBase.Outcome {
		case stats.Within:
			v.Within = append(v.Within, s.Model)
		case stats.Slower:
			v.Slower = append(v.Slower, s.Model)
		}
	}
	if f != nil && k == a.MaxCores && v.Gain != GainConcurrency && scales(cl, best) {
		l := f.Model(best)
		v.Fit, v.Rejected = l.Fit(), l.Fit() == nil && l.Rejected
	}
	return v
}

// rival is model s at k cores as a verdict mentions it beside the winner.
func rival(cl *Claims, s *Scaling, k int, o stats.Outcome) *Rival {
	return &Rival{Model: s.Model, Speedup: claimEst(cl.At(s.Point(k)).VsBase), Outcome: o}
}

// noWinner decides the verdict when no model decidedly beats seq: every
// model within the margin or slower, or some still undecided.
func noWinner(cl *Claims, v *Verdict, base *Cell, models []*Scaling, k int) {
	best := models[0]
	v.Best = rival(cl, best, k, cl.At(best.Point(k)).VsBase.Outcome)
	undecided := 0
	for _, s := range models {
		switch c := cl.At(s.Point(k)).VsBase; c.Outcome {
		case stats.Undecided:
			undecided++
			v.Waiting = append(v.Waiting, s.Point(k).Cell, base)
		case stats.Slower:
			v.Slower = append(v.Slower, s.Model)
		}
	}
	if undecided == 0 {
		v.Gain = GainNone
		return
	}
	v.Gain = GainUndecided
	v.Slower = nil
	// The undecided model with the highest speedup is the verdict's
	// subject; the rounds are those that would decide every estimable one.
	for _, s := range models {
		c := cl.At(s.Point(k)).VsBase
		if c.Outcome != stats.Undecided {
			continue
		}
		if v.Lead == nil {
			v.Lead = rival(cl, s, k, c.Outcome)
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
