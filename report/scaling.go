package report

import (
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
	"golang.org/x/sync/errgroup"
)

// A Fit is a scaling law fitted to a model's parallel gains, with its
// intervals and prediction bands (report/stats).
type Fit = stats.Fit

// KarpFlatt returns the experimentally determined serial fraction of a
// speedup at p > 1 cores: (1/S − 1/p) / (1 − 1/p).
func KarpFlatt(speedup, p float64) float64 {
	if p <= 1 || speedup <= 0 {
		return math.NaN()
	}
	return (1/speedup - 1/p) / (1 - 1/p)
}

// predictions sets where the laws predict: from the largest core count
// fitted (MaxCores) out to at most 4× it, and never further than the
// measured range is wide (a 1–2 core run predicts 4 cores, not 8), so the
// data stays the main part of a chart. Bands are drawn on a grid of
// quarter doublings; the text and results.csv give the whole doublings.
func (a *Measured) predictions() {
	lo := float64(a.Cores[0])
	hi := float64(a.MaxCores)
	limit := hi * math.Min(4, hi/lo)
	// No machine has a million cores: a count beyond that is bad input,
	// and doubling it would overflow.
	if hi <= lo || a.MaxCores > 1<<20 {
		return
	}
	for x := hi; x <= limit*1.0001; x *= math.Pow(2, 0.25) {
		a.Predict = append(a.Predict, x)
	}
	for n := 2 * a.MaxCores; float64(n) <= limit*1.0001; n *= 2 {
		a.PredictAt = append(a.PredictAt, n)
	}
}

// A fitJob is what a model's (or a foreign benchmark's) fit needs.
type fitJob struct {
	name      string
	one, base *Cell
	at        []*Cell
	// noAmdahl leaves Amdahl's law out: the gain is a decided slowdown,
	// which the law cannot take.
	noAmdahl bool
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

// Fit returns the law drawn: the USL when it could be fitted, else
// Amdahl's, else nil.
func (l Laws) Fit() *Fit {
	if l.USL != nil {
		return l.USL
	}
	return l.Amdahl
}

// Fits is what the third stage, FitLaws, returns: the laws fitted to each
// model's and each foreign benchmark's parallel gains, with the reason as
// a note where none was fitted.
type Fits struct {
	models  map[*Scaling]Laws
	benches map[*GenericBench]Laws
}

// Model returns the laws fitted to s.
func (f *Fits) Model(s *Scaling) Laws { return f.models[s] }

// Bench returns the laws fitted to a foreign benchmark.
func (f *Fits) Bench(b *GenericBench) Laws { return f.benches[b] }

// FitLaws is the third stage: it fits the scaling laws, concurrently, to
// every model whose parallel gain is decided beyond the margin at some
// core count (the fits' gating, in the verdicts' vocabulary: a law fitted
// to a flat or undecided gain would predict noise), and to every foreign
// benchmark whose speedup over GOMAXPROCS=1 is decided either way. It
// reads the measured cells and the claims, and returns new values.
func FitLaws(m *Measured, c *Claims) *Fits {
	f := &Fits{models: map[*Scaling]Laws{}, benches: map[*GenericBench]Laws{}}
	type job struct {
		fitJob
		model *Scaling
		bench *GenericBench
	}
	var jobs []job
	for _, w := range m.Workloads {
		for _, s := range w.Models {
			switch {
			case s.Family == FamilyBaseline:
			case s.fit.one == nil:
				f.models[s] = Laws{FitNote: "no 1-core run: no fit"}
			case !scales(c, s):
				f.models[s] = Laws{FitNote: "no parallel gain decided beyond the margin: not fitted"}
			default:
				jobs = append(jobs, job{fitJob: s.fit, model: s})
			}
		}
	}
	for _, g := range m.Generic {
		for _, b := range g.Benches {
			if b.fit.one == nil {
				f.benches[b] = Laws{FitNote: fmt.Sprintf("no GOMAXPROCS=1 run: speedups are relative to %d and not fitted", b.BaseK)}
				continue
			}
			faster, slower := false, false
			for _, p := range b.Points {
				vs := c.At(p).VsOne
				faster = faster || vs != nil && vs.Outcome == stats.Faster
				slower = slower || vs != nil && vs.Outcome == stats.Slower
			}
			if !faster && !slower {
				f.benches[b] = Laws{FitNote: "no speedup decided beyond the margin: not fitted"}
				continue
			}
			// Amdahl's law never falls below 1×: a benchmark that only
			// slows down with more GOMAXPROCS is the USL's (κ) or no law's.
			fj := b.fit
			fj.noAmdahl = !faster
			jobs = append(jobs, job{fitJob: fj, bench: b})
		}
	}
	laws := make([]Laws, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			laws[i] = m.fitScaling(j.fitJob)
			return nil
		})
	}
	g.Wait() //nolint:errcheck // the jobs return no error
	for i, j := range jobs {
		if j.model != nil {
			f.models[j.model] = laws[i]
		} else {
			f.benches[j.bench] = laws[i]
		}
	}
	return f
}

// fitScaling fits Amdahl's law and, with stats.MinUSLPoints core counts,
// the USL to a model's parallel gains: its cell at 1 core against its cells
// at the other core counts within the machine's CPUs (oversubscribed ones
// are never fitted). base (seq at 1 core), if any, makes the bands speedups
// over it. When every cell names its rounds, the bootstrap draws rounds.
func (a *Measured) fitScaling(j fitJob) Laws {
	name, one, at, base := j.name, j.one, j.at, j.base
	if one == nil {
		return Laws{FitNote: "no 1-core run: no fit"}
	}
	at, smtNote := a.Set.distinctCores(at)
	g := stats.Gains{One: one.Samples[UnitTime], OneNoise: a.Set.Side(one).Noise}
	cells := []*Cell{one}
	for _, c := range at {
		g.At = append(g.At, stats.CoreSamples{Cores: c.Cores, Values: c.Samples[UnitTime], Noise: a.Set.Side(c).Noise})
		cells = append(cells, c)
	}
	if base != nil {
		g.Base = base.Samples[UnitTime]
		cells = append(cells, base)
	}
	if rounds := commonRounds(cells); len(rounds) >= 3 {
		pick := func(c *Cell) []float64 {
			r := c.Rounds()
			out := make([]float64, len(rounds))
			for i, k := range rounds {
				out[i] = r[k]
			}
			return out
		}
		g.Paired, g.One = true, pick(one)
		for i, c := range at {
			g.At[i].Values = pick(c)
		}
		if base != nil {
			g.Base = pick(base)
		}
	}
	n := 1 + len(at)
	var note string
	opt := stats.FitOptions{Name: a.Machine + "|" + name, Predict: a.Predict, Margin: a.opt.margin()}
	for _, c := range cells {
		if len(c.Samples[UnitTime]) < 2 {
			// One sample a cell gives no noise to bound a prediction by.
			opt.Predict = nil
			note = "one sample a cell: the law is fitted, but no prediction can be bounded"
			break
		}
	}
	// A law the lack-of-fit test rejects describes nothing beyond what
	// was measured: it is named in the note, and neither drawn nor asked
	// to predict.
	type miss struct{ law, by string }
	var rejected []miss
	fit := func(law string) (*Fit, bool) {
		f, ok := stats.FitGains(law, g, opt)
		if !ok {
			return nil, false
		}
		if f.Rejected {
			rejected = append(rejected, miss{lawName(law), fmt.Sprintf("by %.0f%% at %s (lack-of-fit test: p = %.2g)",
				100*f.Miss, prose.Cores([]int{int(f.MissAt)}), f.LackOfFit)})
			return nil, true
		}
		return &f, true
	}
	var amdahl *Fit
	if !j.noAmdahl {
		var ok bool
		if amdahl, ok = fit(stats.Amdahl); !ok {
			return Laws{FitNote: fmt.Sprintf("too few core counts to fit (%d within the CPUs; Amdahl needs 2, the USL %d)", n, stats.MinUSLPoints)}
		}
	}
	usl, uslFitted := fit(stats.USL)
	switch {
	case j.noAmdahl && !uslFitted:
		return Laws{FitNote: fmt.Sprintf("a slowdown, which Amdahl's law cannot take, and the USL needs %d core counts within the CPUs (%d here): not fitted", stats.MinUSLPoints, n)}
	case !uslFitted:
		note = joinNotes(fmt.Sprintf("USL not fitted: %d core counts within the CPUs, it needs %d", n, stats.MinUSLPoints), note)
	case j.noAmdahl:
		note = joinNotes("a slowdown, which Amdahl's law cannot take: the USL alone is fitted", note)
	}
	span := fmt.Sprintf("1–%d cores", at[len(at)-1].Cores)
	switch {
	case len(rejected) == 2:
		note = joinNotes(note, fmt.Sprintf("the gain at %s is no scaling law's shape, so nothing predicts beyond it: %s misses it %s, %s %s",
			span, rejected[0].law, rejected[0].by, rejected[1].law, rejected[1].by))
	case len(rejected) == 1 && amdahl == nil && usl == nil:
		note = joinNotes(note, fmt.Sprintf("the gain at %s is no scaling law's shape, so nothing predicts beyond it: %s misses it %s", span, rejected[0].law, rejected[0].by))
	case len(rejected) == 1:
		note = joinNotes(note, fmt.Sprintf("%s misses the gain at %s %s: no prediction from it", rejected[0].law, span, rejected[0].by))
	}
	note = joinNotes(note, smtNote)
	if !a.CPUsKnown {
		note = joinNotes(note, "the machine's CPU count is unknown (no cpus: line), so no point is known to be oversubscribed: pass -cpus N")
	}
	return Laws{Amdahl: amdahl, USL: usl, FitNote: note, Rejected: amdahl == nil && usl == nil}
}

// commonRounds lists, sorted, the rounds in which every cell has one
// sample; nil when any cell names none.
func commonRounds(cells []*Cell) []string {
	var out []string
	first := cells[0].Rounds()
	for r := range first {
		all := true
		for _, c := range cells[1:] {
			if _, ok := c.Rounds()[r]; !ok {
				all = false
				break
			}
		}
		if all {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// bandNote says how far the bands reach and what they are.
func (a *Measured) bandNote() string {
	if len(a.PredictAt) == 0 {
		return ""
	}
	return fmt.Sprintf(" Bands: 95%% prediction intervals (a bootstrap over the rounds, with a future measurement's noise) out to %d cores, %s the largest core count measured within the CPUs.",
		a.PredictAt[len(a.PredictAt)-1], timesText(a.PredictAt[len(a.PredictAt)-1]/a.MaxCores))
}

func timesText(n int) string {
	if n == 2 {
		return "twice"
	}
	return fmt.Sprintf("%d×", n)
}
