package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/concbench/concbench/bench"
)

const describeUsage = `usage: concbench describe [-profile NAME] [-cores N]
       concbench describe [-profile NAME] -settings
       concbench describe [-profile NAME] [-cores N] [-task FILE...] -tasks -python FILE

Prints the benchmark matrix's description as benchfmt config lines
(matrix-*), as the bench binary writes them into every result set. The
report infers the matrix of a set from before those lines from its cells;
put the description beside its bench.txt (concbench describe >
DIR/matrix.txt, with the set's profile) to describe it exactly. The
nominal task times use this machine's calibrated unit costs.

With -settings it prints instead the profile's run settings, one key=value
a line, for the runners (scripts/bench.sh, the Python suite), which keep
no copy of them: name, rounds, benchtime (go test -benchtime syntax),
budget, py-rounds, py-tasks, py-max-fanout, py-max-op,
py-overhead-tasks, and py-pool-max and py-pool-extra (a thread or
interpreter pool's default size at C cores, min(py-pool-max,
C+py-pool-extra)). Durations are seconds with an "s" suffix (90s, 0s).

With -tasks it prints instead, as one line of JSON, every batch the
CPython suite (scripts/pyref) runs at N cores for the interpreter whose
costs FILE holds (the output of concbench_py --costs), each with its
models' predicted makespans: the suite builds and predicts nothing itself.
Each -task FILE (a task file, TOML; the flag repeats) adds its workload to
BenchmarkCores, in the matrix-* lines as in the batches.
`

// describeCmd runs the describe subcommand and returns the exit status.
func describeCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("describe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, describeUsage); fs.PrintDefaults() }
	profile := fs.String("profile", "standard", "the profile `NAME`: smoke, quick, standard or full")
	cores := fs.Int("cores", 1, "the core `count` the description is for (it sizes BenchmarkConvoy)")
	settings := fs.Bool("settings", false, "print the profile's run settings as key=value lines instead")
	tasks := fs.Bool("tasks", false, "print instead the CPython suite's batches and predictions as JSON (needs -python)")
	python := fs.String("python", "", "with -tasks: the `FILE` of the CPython suite's costs (concbench_py --costs; - for stdin)")
	var taskFiles fileList
	fs.Var(&taskFiles, "task", "a task `FILE` (TOML), one more BenchmarkCores workload; repeat for several")
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
	if len(taskFiles) > 0 {
		if p.TaskFiles, err = bench.LoadTaskFiles(p, taskFiles...); err != nil {
			fmt.Fprintf(stderr, "concbench describe: %v\n", err)
			return 1
		}
	}
	if *tasks || *python != "" {
		return describeTasks(p, *cores, *python, stdout, stderr)
	}
	if *settings {
		for _, l := range p.Settings() {
			fmt.Fprintln(stdout, l)
		}
		return 0
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
