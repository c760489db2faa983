// Package stats decides, from benchmark samples, whether one cell beats
// another by more than a practical margin, and keeps that decision's power
// as a report grows.
//
// It sits inside concbench's report stage (workloads → bench → results/ →
// report) and knows nothing of models or benchmarks: only samples of
// positive timings, grouped into strata that share a noise level, and claims
// grouped into families, one family per question a report asks.
//
// The steps, as a report runs them:
//
//  1. [NewSample] takes a cell's samples to the log scale, where timings
//     are additive and a speedup is a difference: the mean and variance of
//     ln(time).
//  2. [Moderate] borrows strength across the cells of one run, as limma does
//     for gene arrays: an empirical-Bayes prior for the log-scale variances
//     (a scaled inverse χ² fitted by the method of moments, Smyth 2004) pulls
//     each cell's variance toward its stratum's typical variance. A cell of
//     two samples then has the degrees of freedom of several, so a large
//     effect is decided from few rounds. The prior's weight d0 is estimated
//     from the whole run and capped at the degrees of freedom that estimated
//     the stratum's level, and a cell never informs its own prior.
//  3. [Claims.Add] compares two cells: Welch's t on the log scale with the
//     moderated variances (Welch–Satterthwaite degrees of freedom). A claim
//     has three possible decisions against a margin m: faster (the ratio's
//     interval lies wholly above 1+m), slower (wholly below 1/(1+m)), within
//     (wholly inside) — or undecided.
//  4. [Claims.Decide] controls errors per question: Holm's step-down within
//     each family of claims, and Benjamini–Hochberg across the families
//     (Benjamini and Bogomolov 2014: only families that BH selects decide
//     anything, each at level α·R/M). A family's size is that of its
//     question, not of the report, so power does not fall as core counts or
//     benchmarks are added. Where both cells have enough samples for it, a
//     Mann–Whitney U test must agree with a faster or slower decision, so
//     that one outlier cannot carry it. Undecided claims say how many more
//     rounds would likely decide them. The set is frozen once decided.
package stats
