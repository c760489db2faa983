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
// The pipeline, as [Report] runs it. Each stage is a function that reads
// the values the stages before it returned and returns a new one; none
// writes an earlier stage's value, nor the Set (a test checks both):
//
//		Load(paths)                     → *Set        cells of samples, config, matrix
//		Measure(set)                    → *Measured   speedups, sweeps, dots; no claims, no prose
//		DecideClaims(m)                 → *Claims     every comparison, decided, keyed by point
//		FitLaws(m, claims)              → *Fits       Amdahl and the USL, or why not
//		Decide(m, claims, fits)         → *Decisions  a Verdict per runtime, workload and core count
//		m.Wording().Text(decisions)     → Text        the verdicts in plain words
//		Analysis.Charts, Analysis.Write → charts/, index.html, summary.md, results.csv
//
//	 1. [Load] reads files and directories with golang.org/x/perf/benchfmt,
//	    groups results into a [Cell] per benchmark name and GOMAXPROCS (no
//	    suffix means 1), keeps the run configuration (machine fingerprint,
//	    per-core-count calibration, pinning and oversubscription, incomplete
//	    runs), the matrix description and the runner's "--- SKIP:" lines,
//	    which benchfmt ignores. Malformed lines and config values are errors
//	    naming file and line, or warnings with [LoadOptions.Lax]. Every
//	    cell's samples are summarised per unit ([Summarize]): median and
//	    distribution-free 95% interval from benchmath.AssumeNothing (the
//	    numbers benchstat prints), CV and percentiles from montanaflynn/stats.
//	 2. [Measure]: speedups over seq at 1 core, split into the concurrency
//	    gain (seq → model at 1 core) and the parallel gain (model at 1 core
//	    → k cores); the mix, fanout, grain, overhead and convoy series;
//	    CPython's models beside their Go counterparts, each interpreter
//	    apart, with the costs that explain where they differ ([Gap]);
//	    foreign benchmarks swept over GOMAXPROCS. Every speedup is the
//	    report's one estimator: the ratio of geometric means with its 95%
//	    Welch interval from the run's moderated noise.
//	 3. [DecideClaims]: every claim that one cell beats another is a
//	    decision of package report/stats: Welch's t on log times with
//	    variances moderated across the run, against a practical margin, one
//	    family of claims per question (Holm within a family,
//	    Benjamini–Hochberg across families).
//	 4. [FitLaws]: Amdahl's law and the Universal Scalability Law are fitted
//	    to the parallel gains that are decided (report/stats again), with
//	    bootstrap intervals, prediction bands and a lack-of-fit test that
//	    withholds the prediction of a law that does not fit.
//	 5. [Decide]: a [Verdict] per [Runtime], workload and core count, as a
//	    struct (typed [Gain], winner, factors, rivals, fit). Each runtime
//	    answers its own question: Go's native models against seq, each
//	    CPython interpreter's py-* models against its own py-seq; Go's
//	    emulations of CPython (gil-threads, gil-pool, interp-pool) win in
//	    neither, and answer only in a set without CPython, which says so.
//	    [UndecidedCells] stops here without FitLaws, for the bench runner's
//	    adaptive rounds.
//	 6. [Wording.Text] words each verdict from its decision alone; findings
//	    and warnings say what the other charts show and what weakens the
//	    verdicts.
//	 7. [Analysis.Charts] builds the charts from a registry whose order is
//	    the page's (package report/chart draws them), and [Analysis.Write]
//	    lays out the page (package report/page renders it as index.html and
//	    summary.md) and writes results.csv ([WriteCSV]).
//
// Comparing machines is package report/compare, which analyses each set
// with this package and compares them cell by cell.
package report
