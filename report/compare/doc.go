// Package compare puts result sets from several machines side by side:
// concbench compare. Each set is analysed on its own by package report,
// so every machine is normalised to its own seq at 1 core, and then
// compared with the first set cell by cell (same benchmark, same core
// count).
//
// One estimator throughout, as in report: a cell's ratio between two
// machines is the ratio of their geometric mean makespans with its 95%
// Welch interval, each side's noise moderated within its own run
// (stats.Speedup), and its change is a claim decided on that same ratio
// against the practical margin (Holm within a table, Benjamini–Hochberg
// across a pair's tables). Medians, with benchstat's distribution-free
// intervals, only describe each machine's own makespan column. The
// scaling charts overlay report's speedups, which are the same ratio.
package compare
