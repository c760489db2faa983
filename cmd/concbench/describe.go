package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/concbench/concbench/bench"
)

const describeUsage = `usage: concbench describe [-profile NAME] [-cores N]

Prints the benchmark matrix's description as benchfmt config lines
(matrix-*), as the bench binary writes them into every result set. The
report infers the matrix of a set from before those lines from its cells;
put the description beside its bench.txt (concbench describe >
DIR/matrix.txt, with the set's profile) to describe it exactly. The
nominal task times use this machine's calibrated unit costs.
`

// describeCmd runs the describe subcommand and returns the exit status.
func describeCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("describe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, describeUsage); fs.PrintDefaults() }
	profile := fs.String("profile", "standard", "the profile `NAME`: smoke, quick, standard or full")
	cores := fs.Int("cores", 1, "the core `count` the description is for (it sizes BenchmarkConvoy)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *cores < 1 {
		fs.Usage()
		return 2
	}
	p, err := bench.ProfileNamed(*profile)
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 2
	}
	lines, err := bench.Describe(p, *cores)
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return 0
}
