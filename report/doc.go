// Package report turns concbench's benchmark results — or any Go benchmark
// output with a -cpu sweep — into charts, tables and plain-words verdicts.
// It is the last stage of concbench's flow: workloads (what a task does) →
// bench (models and the go test -bench matrix) → results/ (benchfmt files)
// → report. It knows only benchfmt files, never the models themselves.
//
// The pipeline, as [Report] runs it:
//
//  1. [Load] reads files and directories with golang.org/x/perf/benchfmt,
//     groups results into a [Cell] per benchmark name and GOMAXPROCS (no
//     suffix means 1), keeps the run configuration (machine fingerprint,
//     per-core-count calibration and oversubscription, incomplete runs) and
//     the runner's "--- SKIP:" lines, which benchfmt ignores. Malformed lines
//     are errors naming file and line, or warnings with [LoadOptions.Lax].
//  2. Every cell's samples are summarised per unit ([Summarize]): median
//     and distribution-free 95% interval from benchmath.AssumeNothing (the
//     numbers benchstat prints), CV and percentiles from montanaflynn/stats.
//  3. [Analyze] computes speedups over seq at 1 core and splits them into
//     the concurrency gain (seq → model at 1 core) and the parallel gain
//     (model at 1 core → k cores), fits Amdahl's law and the Universal
//     Scalability Law to the parallel gains ([FitAmdahl], [FitUSL]), builds
//     the mix, fanout, grain, overhead and convoy series, pairs py-* models
//     with their Go counterparts, and analyses foreign benchmarks swept over
//     GOMAXPROCS (generic mode).
//  4. Every claim that one cell beats another is a Mann–Whitney U test
//     ([Claims]); Holm's method corrects them together, and a difference
//     that does not survive is a tie.
//  5. Verdicts are written from the significant factors, per workload and
//     core count; warnings say what weakens them.
//  6. [Analysis.Charts] draws the seven kinds of chart with gonum.org/v1/plot,
//     and [Analysis.Write] renders them to SVG and PNG and writes
//     index.html (self-contained), summary.md and results.csv ([WriteCSV]).
//
// Comparing machines (concbench compare) reuses steps 1–2 and 4 on several
// sets, [ModelStyle] for colours, [Ratio] for intervals and [WriteCSV].
package report
