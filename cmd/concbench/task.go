package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/workloads"
)

const taskUsage = `usage: concbench task check [-profile NAME] [-unit-ns COSTS] FILE...
       concbench task units

check checks task files (TOML: a workload of your own, see README.md) and
prints the batch each would run: its groups and steps, each step's
expected time on this machine (compute at the unit costs, a file step
timed here, waits as asked), a task's time alone, and each model's
predicted batch time at one core. A file that is wrong gives every problem
as FILE:LINE: FIELD: MESSAGE on stderr and exit status 1; nothing runs.
-profile sets the limit on a batch's predicted time (its py-max-op).

units calibrates the kernels' unit costs on this machine and prints them
as -unit-ns takes them (hash=37120,primes=22050,gzip=119800, in ns), so
that every run of a set sizes task files' compute steps alike (make bench
passes them to each run).
`

// taskCmd runs the task subcommand and returns the exit status.
func taskCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "units" {
		fmt.Fprintln(stdout, workloads.CalibrateUnitCosts(bench.TaskKernels()...))
		return 0
	}
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprint(stderr, taskUsage)
		return 2
	}
	fs := flag.NewFlagSet("task check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, taskUsage); fs.PrintDefaults() }
	profile := fs.String("profile", "standard", "the profile `NAME` whose limits apply: smoke, quick, standard or full")
	unitNS := fs.String("unit-ns", "", "the unit `costs` to size compute steps with (as task units prints them); default: calibrated now")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	p, err := bench.ProfileNamed(*profile)
	if err != nil {
		fmt.Fprintf(stderr, "concbench task check: %v\n", err)
		return 2
	}
	if p.UnitCosts, err = workloads.ParseUnitCosts(*unitNS); err != nil {
		fmt.Fprintf(stderr, "concbench task check: -unit-ns: %v\n", err)
		return 2
	}
	specs, err := bench.LoadTaskFiles(p, fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, s := range specs {
		if err := bench.WriteTaskPlan(stdout, p, s, ""); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	return 0
}
