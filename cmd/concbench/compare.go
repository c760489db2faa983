package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/compare"
)

const compareUsage = `usage: concbench compare [-o DIR] [-lax] [-title TEXT] [-margin PCT] [LABEL=]A [LABEL=]B ...

Compares 2 to 20 result sets (result directories or bench.txt files, one
machine each) cell by cell with the first, A: fingerprints side by side,
speedup curves overlaid, makespan ratios decided against the margin and each
machine's efficiency against its own single core. A label defaults to the
set's machine name. Writes compare.html, compare.md and charts/ into DIR
(default: ./compare).
`

// runCompare runs the compare subcommand and returns the exit status: 2
// for bad usage or bad input, 1 when writing fails.
func runCompare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, compareUsage); fs.PrintDefaults() }
	out := fs.String("o", "compare", "output `DIR`")
	lax := fs.Bool("lax", false, "report malformed lines as warnings instead of failing")
	title := fs.String("title", "", "page title")
	margin := fs.Float64("margin", report.DefaultMargin*100, "practical margin in `percent`: a change is decided only beyond it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !(*margin > 0 && *margin < 100) {
		fmt.Fprintf(stderr, "concbench compare: -margin %v: want a percentage above 0 and below 100\n", *margin)
		return 2
	}
	if n := fs.NArg(); n < 2 || n > compare.MaxCompare {
		fmt.Fprintf(stderr, "concbench compare: need 2 to %d result sets, got %d\n\n", compare.MaxCompare, n)
		fs.Usage()
		return 2
	}
	var inputs []compare.Input
	for _, a := range fs.Args() {
		inputs = append(inputs, compare.ParseInput(a))
	}
	cmp, err := compare.Compare(inputs, compare.Options{Lax: *lax, Title: *title, Margin: *margin / 100})
	if err != nil {
		fmt.Fprintf(stderr, "concbench compare: %v\n", err)
		var ie *report.InputError
		if errors.As(err, &ie) {
			return 2
		}
		return 1
	}
	if err := cmp.Write(*out); err != nil {
		fmt.Fprintf(stderr, "concbench compare: %v\n", err)
		return 1
	}
	for _, w := range cmp.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(stdout, "baseline: %s (%s)\n", cmp.Machines[0].Label, cmp.Machines[0].Path)
	for _, p := range cmp.Pairs {
		fmt.Fprintln(stdout, p.Summary())
	}
	fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(*out, "compare.html"))
	return 0
}
