package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/bench/cpuset"
)

const describeUsage = `usage: concbench describe [-profile NAME] [-cores N]
       concbench describe [-profile NAME] -settings
       concbench describe [-profile NAME] [-cores N] [-task FILE...] -tasks -python FILE
       concbench describe -pin [-sysfs DIR] [-cores LIST]
       concbench describe -pin -config [-sysfs DIR] -cores N

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

With -pin it prints the CPUs each core count is pinned to (scripts/bench.sh
runs under taskset -c with them): distinct physical cores first, from one
package, the fastest first on hybrid chips; SMT siblings only once every
core of the package is used; another package only after that. One line a
core count, tab-separated: cores, cpus (a kernel CPU list), smt (true if
two of them share a core), packages, and marks in words ("-" for none).
The topology is this machine's (/sys, within the CPUs this process may
use) or the sysfs tree at -sysfs DIR; the core counts are -cores LIST
(default 1, 2, 4, … up to the CPUs, and their count). A count above the
CPUs says "-" for its CPUs: it runs unpinned. Where CPUs cannot be chosen
(macOS, which has no CPU affinity; an unknown topology) it says why and
exits with status 1.

With -pin -config it prints instead, as benchfmt config lines, the
topology (topology-*) and what a run at N cores is pinned to (cpu-list,
cpu-cores, cpu-smt, cpu-packages, cpu-slow-cores), as the bench binary
records them of its own runs: the Python suite's runner writes them beside
its results. Above the CPUs, the cpu-* lines describe every CPU, as an
unpinned run may use them all.
`

// describeCmd runs the describe subcommand and returns the exit status.
func describeCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("describe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, describeUsage); fs.PrintDefaults() }
	profile := fs.String("profile", "standard", "the profile `NAME`: smoke, quick, standard or full")
	coresFlag := fs.String("cores", "", "the core `count` the description is for (it sizes BenchmarkConvoy; default 1); with -pin, the core counts, comma-separated")
	settings := fs.Bool("settings", false, "print the profile's run settings as key=value lines instead")
	tasks := fs.Bool("tasks", false, "print instead the CPython suite's batches and predictions as JSON (needs -python)")
	python := fs.String("python", "", "with -tasks: the `FILE` of the CPython suite's costs (concbench_py --costs; - for stdin)")
	var taskFiles fileList
	fs.Var(&taskFiles, "task", "a task `FILE` (TOML), one more BenchmarkCores workload; repeat for several")
	pin := fs.Bool("pin", false, "print the CPUs each core count is pinned to instead")
	sysfs := fs.String("sysfs", "", "with -pin, read the topology from the sysfs tree at `DIR` instead of this machine's")
	config := fs.Bool("config", false, "with -pin and one core count, print benchfmt config lines instead")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	counts, err := parseCounts(*coresFlag)
	if fs.NArg() > 0 || err != nil || (!*pin && len(counts) > 1) || (*sysfs != "" && !*pin) ||
		(*config && (!*pin || len(counts) != 1)) {
		if err != nil {
			fmt.Fprintf(stderr, "concbench describe: -cores: %v\n", err)
		}
		fs.Usage()
		return 2
	}
	if *pin {
		return describePins(*sysfs, counts, *config, stdout, stderr)
	}
	cores := 1
	if len(counts) == 1 {
		cores = counts[0]
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
		return describeTasks(p, cores, *python, stdout, stderr)
	}
	if *settings {
		for _, l := range p.Settings() {
			fmt.Fprintln(stdout, l)
		}
		return 0
	}
	lines, err := bench.Describe(p, cores)
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return 0
}

// parseCounts parses a list of core counts: "1,2,4" or "1 2 4".
func parseCounts(s string) ([]int, error) {
	var counts []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive core count", f)
		}
		counts = append(counts, n)
	}
	return counts, nil
}

// describePins prints the CPUs of each core count, or with config the
// config lines of the one count: the topology at sysfs, or this machine's
// within this process's affinity.
func describePins(sysfs string, counts []int, config bool, stdout, stderr io.Writer) int {
	// machine is the whole topology, which the config lines describe;
	// topo the CPUs this process may use, which runs are pinned to.
	var machine, topo *cpuset.Topology
	var err error
	if sysfs != "" {
		machine, err = cpuset.Read(sysfs)
		topo = machine
	} else if machine, err = cpuset.Host(); err == nil {
		topo = machine
		if allowed, aerr := cpuset.Allowed(); aerr == nil {
			topo = machine.Within(allowed)
		}
	}
	if err == nil && topo.Source != cpuset.Sysfs {
		err = fmt.Errorf("%w: %s", cpuset.ErrCannotPin, topo.Reason)
		if topo.CoreCount() > 0 {
			err = fmt.Errorf("%w (%d physical cores, %d logical CPUs)", err, topo.CoreCount(), topo.CPUCount())
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	n := topo.CPUCount()
	if config {
		cpus := topo.Order()
		if counts[0] < n {
			cpus = cpus[:counts[0]]
		}
		for _, l := range bench.TopologyConfig(machine, cpus) {
			fmt.Fprintln(stdout, l)
		}
		return 0
	}
	if len(counts) == 0 {
		for k := 1; k < n; k *= 2 {
			counts = append(counts, k)
		}
		counts = append(counts, n)
	}
	fmt.Fprintln(stdout, "cores\tcpus\tsmt\tpackages\tmarks")
	for _, k := range counts {
		if k > n {
			fmt.Fprintf(stdout, "%d\t-\t-\t-\tmore than the %d CPUs: not pinned\n", k, n)
			continue
		}
		ch, err := topo.Choose(k)
		if err != nil {
			fmt.Fprintf(stderr, "concbench describe: %v\n", err)
			return 1
		}
		marks := strings.Join(ch.Marks(), "; ")
		if marks == "" {
			marks = "-"
		}
		fmt.Fprintf(stdout, "%d\t%s\t%t\t%d\t%s\n", k, ch.List(), ch.SMT, ch.Packages, marks)
	}
	return 0
}
