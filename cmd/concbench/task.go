package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/concbench/concbench/bench"
)

const taskUsage = `usage: concbench task check [-profile NAME] FILE...

Checks task files (TOML: a workload of your own, see README.md) and prints
the batch each would run: its groups and steps, each step's expected time
on this machine (compute at the unit cost calibrated here, a file step
timed here, waits as asked), a task's time alone, and each model's
predicted batch time at one core. A file that is wrong gives every problem
as FILE:LINE: FIELD: MESSAGE on stderr and exit status 1; nothing runs.
-profile sets the limit on a batch's predicted time (its py-max-op).
`

// taskCmd runs the task subcommand and returns the exit status.
func taskCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprint(stderr, taskUsage)
		return 2
	}
	fs := flag.NewFlagSet("task check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, taskUsage); fs.PrintDefaults() }
	profile := fs.String("profile", "standard", "the profile `NAME` whose limits apply: smoke, quick, standard or full")
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
