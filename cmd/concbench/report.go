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

const reportUsage = `usage: concbench report [-o DIR] [-lax] [-title TEXT] FILE|DIR...

Reads go test -bench output (benchfmt) from files and directories (*.txt,
*.bench) and writes index.html, summary.md, results.csv and charts/ into
DIR (default: the first input's directory).
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	dir := *out
	if dir == "" {
		dir = fs.Arg(0)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
	}
	a, err := report.Report(dir, fs.Args(), *lax, report.Options{Title: *title})
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
	for _, v := range a.Verdicts {
		fmt.Fprintln(stdout, v.Text+".")
	}
	for _, f := range a.Findings {
		fmt.Fprintln(stdout, f)
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			fmt.Fprintln(stdout, b.Text+".")
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
