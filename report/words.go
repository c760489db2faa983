package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

// The verdict words: one vocabulary for the verdict lines, the winner map
// and the fits' gating.
const (
	WordConcurrency = "concurrency wins"
	WordParallelism = "parallelism wins"
	WordBoth        = "concurrency and parallelism both"
	WordUndecided   = "undecided"
)

// A Wording is everything the last stage reads beside the decisions: the
// margin the claims were decided against and the core counts predictions
// are worded at.
type Wording struct {
	Margin    float64
	PredictAt []int
}

// Wording returns the wording of the measured set's report.
func (a *Measured) Wording() Wording {
	return Wording{Margin: a.opt.margin(), PredictAt: a.PredictAt}
}

// margin is the margin as a percentage, "5%".
func (wd Wording) margin() string { return prose.Pct(wd.Margin) }

// Word is a verdict in the report's vocabulary: WordConcurrency,
// WordParallelism, WordBoth, WordUndecided, or "no model beats seq by
// more than 5%" (with the report's margin).
func (wd Wording) Word(g Gain) string {
	switch g {
	case GainConcurrency:
		return WordConcurrency
	case GainParallelism:
		return WordParallelism
	case GainBoth:
		return WordBoth
	case GainUndecided:
		return WordUndecided
	}
	return "no model beats seq by more than " + wd.margin()
}

// Text is what the last stage, Wording.Text, returns: every verdict and
// foreign sweep in plain words.
type Text struct {
	verdicts map[*Verdict]string
	benches  map[*GenericBench]string
}

// Verdict is v in plain words.
func (t Text) Verdict(v *Verdict) string { return t.verdicts[v] }

// Bench is a foreign benchmark's sweep in plain words.
func (t Text) Bench(b *GenericBench) string { return t.benches[b] }

// Text is the last stage: it words every verdict and foreign sweep from
// its decision alone.
func (wd Wording) Text(d *Decisions) Text {
	t := Text{verdicts: map[*Verdict]string{}, benches: map[*GenericBench]string{}}
	for _, v := range d.Verdicts {
		t.verdicts[v] = verdictText(v, wd)
	}
	for _, b := range d.Benches {
		t.benches[b.Bench] = genericText(b, wd)
	}
	return t
}

// verdictText words one verdict: "hash (CPU-bound), 2 cores: parallelism
// wins: pool 1.97× [1.88, 2.06] at 2 cores (errgroup 1.95× is within 5% of
// it); …". It reads the decision (Verdict's fields) and wd, never the
// claims' families, the cells or the Analysis.
func verdictText(v *Verdict, wd Wording) string {
	margin, word := wd.margin(), wd.Word(v.Gain)
	var b strings.Builder
	b.WriteString(prose.Kinded(v.Workload, v.Kind.String()) + fmt.Sprintf(", %d %s", v.Cores, prose.Plural(v.Cores, "core")))
	if v.Oversub {
		b.WriteString(" (oversubscribed)")
	}
	if v.Shared != "" {
		b.WriteString(" (" + v.Shared + ")")
	}
	b.WriteString(": ")
	if v.Winner == "" {
		noWinnerText(&b, v, word, margin)
		return b.String()
	}
	k, c, p := v.Cores, v.Conc, v.Par
	switch v.Gain {
	case GainConcurrency:
		fmt.Fprintf(&b, "%s: %s %s over %s", word, v.Winner, v.Decided, v.Baseline)
		if k > 1 {
			switch p.Outcome {
			case stats.Within:
				fmt.Fprintf(&b, "; more cores add nothing beyond %s", margin)
			case stats.Slower:
				fmt.Fprintf(&b, "; more cores cost it (%s of its 1-core speed)", short(claimEst(p)))
			default:
				fmt.Fprintf(&b, "; whether more cores add is undecided (%s)", claimEst(p))
			}
		}
	case GainParallelism:
		fmt.Fprintf(&b, "%s: %s %s at %d cores", word, v.Winner, v.Decided, k)
		if c != nil && c.Outcome == stats.Undecided {
			fmt.Fprintf(&b, " (concurrency gain %s undecided)", claimEst(c))
		}
	case GainBoth:
		fmt.Fprintf(&b, "%s: %s %s = %s concurrency × %s from %d cores",
			word, v.Winner, v.Decided, short(claimEst(c)), short(claimEst(p)), k)
	default:
		fmt.Fprintf(&b, "%s: %s beats %s, %s at %d cores, but neither its concurrency gain (%s) nor its parallel gain (%s) alone is decided",
			word, v.Winner, v.Baseline, v.Decided, k, short(claimEst(c)), short(claimEst(p)))
		if t := roundsText(v.MoreRounds); t != "" {
			b.WriteString("; " + t)
		}
	}
	switch r := v.RunnerUp; {
	case r != nil && r.Outcome == stats.Within:
		fmt.Fprintf(&b, " (%s %s is within %s of it)", r.Model, short(r.Speedup), margin)
	case r != nil:
		fmt.Fprintf(&b, " (%s %s: which is faster is undecided)", r.Model, short(r.Speedup))
	}
	if len(v.Within) > 0 {
		fmt.Fprintf(&b, "; %s %s nothing beyond %s", prose.JoinAnd(v.Within), prose.Verb(len(v.Within), "gains", "gain"), margin)
	}
	slowerText(&b, v.Slower, v.Baseline)
	switch {
	case v.Fit != nil:
		if p := predictions(*v.Fit, wd.PredictAt); p != "" {
			fmt.Fprintf(&b, "; fitted to it, %s predicts %s", lawName(v.Fit.Law), p)
		}
	case v.Rejected && len(wd.PredictAt) > 0:
		fmt.Fprintf(&b, "; its gain is no scaling law's shape (the lack-of-fit test rejects every law fitted to it), so nothing predicts beyond %d cores", k)
	}
	return b.String()
}

// noWinnerText words a verdict in which no model decidedly beats seq.
func noWinnerText(b *strings.Builder, v *Verdict, word, margin string) {
	if v.Gain == GainNone {
		// The vocabulary's word names seq; a CPython verdict names its
		// own baseline.
		word = strings.Replace(word, " seq ", " "+v.Baseline+" ", 1)
		fmt.Fprintf(b, "%s (best: %s %s)", word, v.Best.Model, v.Best.Speedup)
		slowerText(b, v.Slower, v.Baseline)
		return
	}
	fmt.Fprintf(b, "%s: %s %s over %s is not decided against the %s margin", word, v.Lead.Model, v.Lead.Speedup, v.Baseline, margin)
	if n := v.OthersUndecided; n > 0 {
		fmt.Fprintf(b, ", nor are %d other %s", n, prose.Plural(n, "model"))
	}
	switch {
	case v.Faster != nil:
		fmt.Fprintf(b, " (%s %s beats %s decidedly, but is not the fastest)", v.Faster.Model, short(v.Faster.Speedup), v.Baseline)
	case v.Best.Model != v.Lead.Model:
		fmt.Fprintf(b, " (%s %s is within it)", v.Best.Model, short(v.Best.Speedup))
	}
	switch {
	case v.MoreRounds > 0 && v.OnEdge > 0:
		fmt.Fprintf(b, "; about %d more rounds would likely decide all but %d, whose estimates sit on the margin's edge", v.MoreRounds, v.OnEdge)
	default:
		if t := roundsText(v.MoreRounds); t != "" {
			b.WriteString("; " + t)
		}
	}
}

// slowerText adds "; procs is slower than seq".
func slowerText(b *strings.Builder, slower []string, baseline string) {
	if len(slower) > 0 {
		fmt.Fprintf(b, "; %s %s slower than %s", prose.JoinAnd(slower), prose.Verb(len(slower), "is", "are"), baseline)
	}
}

// genericText words a foreign benchmark's sweep from its decision.
func genericText(d *BenchDecision, wd Wording) string {
	b, best, vs := d.Bench, d.Best, d.Claim
	margin, predictAt := wd.margin(), wd.PredictAt
	rel := "1"
	if b.BaseK != 1 {
		rel = fmt.Sprint(b.BaseK)
	}
	var s string
	switch vs.Outcome {
	case stats.Faster:
		s = fmt.Sprintf("%s: %s at GOMAXPROCS=%d over GOMAXPROCS=%s", b.Name, claimEst(vs), best.Cores, rel)
	case stats.Slower:
		s = fmt.Sprintf("%s: slower with more GOMAXPROCS: %s at %d", b.Name, claimEst(vs), best.Cores)
	case stats.Within:
		s = fmt.Sprintf("%s: GOMAXPROCS changes nothing beyond %s (%s at %d)", b.Name, margin, claimEst(vs), best.Cores)
	default:
		s = fmt.Sprintf("%s: undecided whether GOMAXPROCS helps (%s at %d)", b.Name, claimEst(vs), best.Cores)
		if t := roundsText(vs.MoreRounds); t != "" {
			s += "; " + t
		}
	}
	if f := d.Laws.Fit(); f != nil {
		s += "; " + f.String()
		if p := predictions(*f, predictAt); p != "" {
			s += " predicts " + p
		}
		if d.Laws.FitNote != "" {
			s += " (" + d.Laws.FitNote + ")"
		}
	} else if d.Laws.FitNote != "" {
		s += "; " + d.Laws.FitNote
	}
	return s
}

// predictions words a fit's bands at the whole doublings: "9.8–12.4× at
// 16, 11–19× at 32".
func predictions(f Fit, at []int) string {
	var parts []string
	for _, n := range at {
		if b, ok := f.Band(float64(n)); ok {
			parts = append(parts, bandText(b)+" at "+fmt.Sprint(n))
		}
	}
	return strings.Join(parts, ", ")
}

// Band is a law's prediction at a core count, with its interval.
type Band = stats.Band

// bandText is a prediction's range: "9.8–12.4×".
func bandText(b Band) string {
	return prose.Num(b.Lo) + "–" + prose.Num(b.Hi) + "×"
}

// short formats an estimate without its interval when the interval is
// already given elsewhere in the sentence.
func short(e Estimate) string {
	if math.IsNaN(e.Value) {
		return "?"
	}
	return prose.Num(e.Value) + "×"
}

// lawName names a law in a sentence: "the USL", "Amdahl's law".
func lawName(law string) string {
	if law == stats.USL {
		return "the USL"
	}
	return "Amdahl's law"
}

// crossoverNote says where the mix sweep's families cross, or that they
// do not.
func crossoverNote(sw *Sweep) string {
	k := sw.Cores
	switch sw.Cross {
	case CrossProcsOvertake, CrossConcOvertake:
		lead := "processes overtake the event loop and GIL threads"
		if sw.Cross == CrossConcOvertake {
			lead = "the event loop and GIL threads overtake processes"
		}
		return fmt.Sprintf("at %d cores, %s from ≈ %.0f%% compute", k, lead, sw.Crossover)
	case CrossProcsEverywhere:
		return fmt.Sprintf("no crossover at %d cores: processes beat the event loop and GIL threads at every compute share", k)
	case CrossConcEverywhere:
		return fmt.Sprintf("no crossover at %d cores: the event loop and GIL threads beat processes at every compute share", k)
	}
	return "no crossover: the mix sweep lacks concurrency-only or process models"
}

// idealNote says what a fanout sweep's ideal line divides by.
func idealNote(sw *Sweep) string {
	if sw.LatencyMeasured {
		return fmt.Sprintf("Little's law: N tasks / %.3g ms (one task's latency alone, measured)", sw.Latency)
	}
	return fmt.Sprintf("Little's law with the nominal %s per task", prose.Duration(float64(sw.Nominal)))
}

// gapText says why a Python model's speedup differs from its
// emulation's: "py-threading@3.11 16.0× where gil-threads 52.0×: 64
// thread starts at 230 µs account for 14.7 of its 20 ms", or that the
// costs the set measured do not account for it.
func gapText(r *PyRow) string {
	head := fmt.Sprintf("%s %s where %s %s", r.Py, short(r.PySpeedup), r.Go, short(r.GoSpeedup))
	g := r.Gap
	switch {
	case g == nil:
		return head + ": unexplained (the set describes no batch to weigh its costs by)"
	case !g.Explained:
		return fmt.Sprintf("%s: unexplained (the costs measured here predict %s×)", head, prose.Num(g.Predicted))
	}
	return fmt.Sprintf("%s: %s (these costs predict %s×)", head, gapCause(r), prose.Num(g.Predicted))
}

// gapCause names the largest of the costs that explain a gap.
func gapCause(r *PyRow) string {
	g := r.Gap
	total := prose.Duration(r.pyCell.Median(UnitTime))
	n := float64(g.Tasks)
	start, hand, interp := g.Start, n*g.Dispatch, math.Abs(g.Interp-1)*g.Work
	switch {
	case start >= hand && start >= interp:
		return fmt.Sprintf("starting its executor takes %s of its %s", prose.Duration(start), total)
	case hand >= interp:
		what := "hand-overs"
		switch {
		case strings.HasPrefix(r.Py, "py-threading"):
			what = "thread starts"
		case strings.HasPrefix(r.Py, "py-multiprocessing"):
			what = "process starts"
		}
		return fmt.Sprintf("%d %s at %s account for %s of its %s", g.Tasks, what, prose.Duration(g.Dispatch), prose.Duration(hand), total)
	case g.Interp > 1:
		return fmt.Sprintf("the interpreter runs this batch %s× slower than Go (py-seq against seq), %s more of its %s", prose.Num(g.Interp), prose.Duration(interp), total)
	}
	return fmt.Sprintf("the interpreter runs this batch in %s of Go's time (py-seq against seq), %s less", prose.Pct(g.Interp), prose.Duration(interp))
}
