package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/concbench/concbench/report"
)

const reportUsage = `usage: concbench report [-o DIR] [-lax] [-title TEXT] [-margin PCT] [-cpus N] FILE|DIR...
       concbench report -undecided [-horizon N] [-margin PCT] FILE|DIR...

Reads go test -bench output (benchfmt) from files and directories (*.txt,
*.bench) and writes index.html, summary.md, results.csv and charts/ into
DIR (default: the first input's directory).

With -undecided it writes nothing and prints, for the bench runner's
adaptive rounds, the cells that undecided verdicts wait on, for verdicts
that about -horizon more rounds or fewer would likely decide: one line per
core count and benchmark, "CORES PATTERN", PATTERN a go test -bench regexp.
`

// reportCmd runs the report subcommand and returns the exit status: 2 for
// bad usage or bad input, 1 when writing fails.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, reportUsage); fs.PrintDefaults() }
	out := fs.String("o", "", "output `DIR` (default: the first input's directory)")
	lax := fs.Bool("lax", false, "report malformed lines as warnings instead of failing")
	title := fs.String("title", "", "page title")
	margin := fs.Float64("margin", report.DefaultMargin*100, "practical margin in `percent`: a model beats another only beyond it")
	undecided := fs.Bool("undecided", false, "print the undecided verdicts' cells as CORES PATTERN lines and write nothing")
	horizon := fs.Int("horizon", 8, "with -undecided, only verdicts about `N` more rounds or fewer would likely decide")
	cpus := fs.Int("cpus", 0, "the machine's CPU `count`, for input without a cpus: line (a plain go test file): core counts above it are oversubscribed and not fitted")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if !(*margin > 0 && *margin < 100) {
		fmt.Fprintf(stderr, "concbench report: -margin %v: want a percentage above 0 and below 100\n", *margin)
		return 2
	}
	if *cpus < 0 {
		fmt.Fprintf(stderr, "concbench report: -cpus %d: want a positive count\n", *cpus)
		return 2
	}
	opt := report.Options{Title: *title, Margin: *margin / 100, CPUs: *cpus}
	if *undecided {
		return undecidedCmd(fs.Args(), *lax, opt, *horizon, stdout, stderr)
	}
	dir := *out
	if dir == "" {
		dir = fs.Arg(0)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
	}
	a, err := report.Report(dir, fs.Args(), *lax, opt)
	if err != nil {
		var ie *report.InputError
		if errors.As(err, &ie) {
			fmt.Fprintf(stderr, "concbench report: %v\n", err)
			return 2
		}
		fmt.Fprintf(stderr, "concbench report: %v\n", err)
		return 1
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	answers := a.Answers()
	for i, v := range a.Verdicts {
		if len(answers) > 1 && (i == 0 || a.Verdicts[i-1].Runtime != v.Runtime) {
			fmt.Fprintf(stdout, "%s:\n", v.Runtime)
		}
		fmt.Fprintln(stdout, a.Text.Verdict(v)+".")
	}
	for _, f := range a.Findings {
		fmt.Fprintln(stdout, f)
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			fmt.Fprintln(stdout, a.Text.Bench(b)+".")
		}
	}
	if len(a.Generic) == 0 && len(a.Workloads) == 0 && len(a.NoSweep) > 0 {
		fmt.Fprintf(stdout, "no -cpu sweep: %d benchmarks ran at one GOMAXPROCS only; nothing to scale (rerun with -cpu 1,2,4,...)\n", len(a.NoSweep))
	}
	if len(a.Missing) > 0 {
		fmt.Fprintf(stdout, "partial: %d cells of the benchmark matrix are missing (listed in the report)\n", len(a.Missing))
	}
	fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(dir, "index.html"))
	return 0
}

// undecidedCmd prints what more rounds should re-run: "CORES PATTERN" per
// benchmark configuration of the cells that undecided verdicts wait on.
func undecidedCmd(paths []string, lax bool, opt report.Options, horizon int, stdout, stderr io.Writer) int {
	s, err := report.Load(paths, report.LoadOptions{Lax: lax})
	if err == nil {
		var reruns []report.Rerun
		if reruns, err = report.UndecidedCells(s, opt, horizon); err == nil {
			for _, r := range reruns {
				for _, p := range r.Patterns {
					fmt.Fprintf(stdout, "%d %s\n", r.Cores, p)
				}
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "concbench report: %v\n", err)
	var ie *report.InputError
	if errors.As(err, &ie) {
		return 2
	}
	return 1
}
