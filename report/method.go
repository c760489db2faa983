package report

import (
	"fmt"

	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

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
func (a *Measured) marginText() string {
	return a.Wording().margin()
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

// fitMethodText says how the scaling laws are fitted and how far their
// bands reach.
func (a *Analysis) fitMethodText() string {
	cpus := fmt.Sprintf("the machine's %d CPUs", a.CPUs)
	if !a.CPUsKnown {
		cpus = "the largest core count measured (the input does not say how many CPUs the machine has: pass -cpus N)"
	}
	return fmt.Sprintf("Fitted (gonum/optimize, Nelder–Mead) to each model's makespans at the core counts within %s, as speedups over its 1-core run; oversubscribed points are never fitted. "+
		"Least squares in ln(speedup), each cell weighted by the inverse variance of its mean ln time, the law's 1-core time a free scale (as the USL's λ), so a noisy 1-core cell does not pin the curve: "+
		"Amdahl's serial fraction s with 2 core counts or more, the USL's σ (contention) and κ (coherency), both ≥ 0, with at least %d (1 included). Karp–Flatt's serial fraction is in the tables above. "+
		"Intervals are 95%%, from a bootstrap over the rounds (200 resamples of the rounds, each refitted; each cell's samples when the input names no rounds; "+
		"below %d rounds, draws of each cell from its moderated noise, since a resample of a few rounds understates the spread). "+
		"A prediction is the law times the model's concurrency gain, as a range for the speedup this set would show there: each resample's prediction carries a draw of a future cell's noise (that of the largest core count fitted), "+
		"so the band is a 95%% prediction interval for a measurement, not only for the law. A lack-of-fit F test compares the points' scatter around the law with the cells' own noise: "+
		"where it finds a miss (p < %.2g) the band widens by the dispersion; where it rejects the law (p < %.2g) and the law misses a measured point by more than the margin, the law predicts nothing and the note says by how much it misses. "+
		"Predictions reach at most 4× the largest core count measured, and no further than the measured range is wide. "+
		"How far the bands can be trusted is measured on real data by a test (fit 1–8 cores of a 16-core set, predict 16); the README gives its table.",
		cpus, stats.MinUSLPoints, stats.MinBootstrapRounds, stats.LackOfFitWiden, stats.DefaultLackOfFitAlpha)
}

// cellMethodText says how each cell is described.
func (a *Analysis) cellMethodText() string {
	return fmt.Sprintf("Medians with distribution-free 95%% confidence intervals (golang.org/x/perf/benchmath, AssumeNothing: the numbers benchstat prints) describe each cell: "+
		"its makespan in the tables, the fanout chart's tasks/s and the overhead and convoy charts' points. "+
		"Every speedup, gain and ratio in the tables and the other charts is the claims' estimator, the ratio of geometric means with its 95%% Welch interval from the run's moderated noise; "+
		"a verdict prints the same ratio with the wider interval its family's correction gives. "+
		"CV and percentiles come from github.com/montanaflynn/stats; a cell warns below %d samples or above %.0f%% CV. Every cell is in results.csv, with its sample count n.",
		MinSamples, MaxCV*100)
}
