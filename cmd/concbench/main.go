// Command concbench reports on concbench benchmark results. It also serves
// as the re-executed child (latency server, worker process) when run in a
// role, which is why main calls workloads.ChildMain first.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/concbench/concbench/workloads"
)

func main() {
	workloads.ChildMain()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: concbench <command> [arguments]

commands:
  report           charts, tables and verdicts from benchmark results:
                   concbench report [-o DIR] [-lax] [-margin PCT] [-undecided] FILE|DIR...
  compare          result sets of several machines side by side:
                   concbench compare [-o DIR] [LABEL=]A [LABEL=]B ...
  describe         the benchmark matrix as config lines (for sets that predate them):
                   concbench describe [-profile NAME] [-cores N]
                   concbench describe [-profile NAME] -settings   (the runners' settings)
                   concbench describe [-profile NAME] [-cores N] [-task FILE...] -tasks -python COSTS
                                                   (the CPython suite's batches, as JSON)
                   concbench describe -pin [-sysfs DIR] [-cores LIST]  (the CPUs of each core count)
  task check       check task files and print the batch each would run:
                   concbench task check [-profile NAME] [-unit-ns COSTS] FILE...
                   concbench task units   (this machine's unit costs, for -unit-ns)
  latency-server   run the latency server in the foreground (prints its addresses)
`

// run is main without the process: it returns the exit status, so tests can
// drive the CLI.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "latency-server":
		if err := workloads.ServeLatencyProcess(os.Stdin, stdout); err != nil {
			fmt.Fprintln(stderr, "concbench latency-server:", err)
			return 1
		}
		return 0
	case "report":
		return reportCmd(args[1:], stdout, stderr)
	case "compare":
		return runCompare(args[1:], stdout, stderr)
	case "describe":
		return describeCmd(args[1:], stdout, stderr)
	case "task":
		return taskCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "concbench: unknown command %q\n\n%s", args[0], usage)
	return 2
}
