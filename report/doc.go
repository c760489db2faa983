// Package report turns concbench's benchmark results — or any Go benchmark
// output with a -cpu sweep — into charts, tables and plain-words verdicts.
// It is the last stage of concbench's flow: workloads (what a task does) →
// bench (models and the go test -bench matrix) → results/ (benchfmt files)
// → report. It knows only benchfmt files, their config lines included,
// never the models themselves: the matrix a set was measured with (its
// benchmarks, parameters, batches, models and their families) is read
// from the set's matrix-* lines, or inferred from its cells when it has
// none.
//
// The pipeline, as [Report] runs it:
//
//  1. [Load] reads files and directories with golang.org/x/perf/benchfmt,
//     groups results into a [Cell] per benchmark name and GOMAXPROCS (no
//     suffix means 1), keeps the run configuration (machine fingerprint,
//     per-core-count calibration, pinning and oversubscription, incomplete
//     runs), the matrix description and the runner's "--- SKIP:" lines,
//     which benchfmt ignores. Malformed lines are errors naming file and
//     line, or warnings with [LoadOptions.Lax].
//  2. Every cell's samples are summarised per unit ([Summarize]): median
//     and distribution-free 95% interval from benchmath.AssumeNothing (the
//     numbers benchstat prints), CV and percentiles from montanaflynn/stats.
//  3. [Analyze] runs the analysis in stages, each reading what the ones
//     before it wrote: cells (speedups over seq at 1 core, split into the
//     concurrency gain, seq → model at 1 core, and the parallel gain, model
//     at 1 core → k cores; the mix, fanout, grain, overhead and convoy
//     series; CPython's models beside their Go counterparts, each
//     interpreter apart; foreign benchmarks swept over GOMAXPROCS) →
//     claims → laws → decisions → words.
//  4. Claims: every claim that one cell beats another is a decision of
//     package report/stats: Welch's t on log times with variances moderated
//     across the run, against a practical margin, one family of claims per
//     question (Holm within a family, Benjamini–Hochberg across families).
//     The same ratio of geometric means, with its 95% interval, is the one
//     speedup estimator that charts and tables show.
//  5. Laws: Amdahl's law and the Universal Scalability Law are fitted to
//     the parallel gains that are decided (report/stats again), with
//     bootstrap intervals, prediction bands and a lack-of-fit test that
//     withholds the prediction of a law that does not fit.
//  6. Decisions and words: a [Verdict] per workload and core count is
//     decided as a struct (winner, factors, rivals, fit), then worded from
//     that struct alone (words.go); warnings say what weakens them.
//  7. [Analysis.Charts] builds the charts (package report/chart draws
//     them), and [Analysis.Write] lays out the page (package report/page
//     renders it as index.html and summary.md) and writes results.csv
//     ([WriteCSV]).
//
// Comparing machines is package report/compare, which analyses each set
// with this package and compares them cell by cell.
package report
