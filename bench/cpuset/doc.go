// Package cpuset chooses the CPUs a benchmark run at k cores is pinned to,
// from the machine's topology, so that "k cores" means k physical cores
// wherever the machine has them.
//
// It sits beside bench in the flow workloads → bench → results → report:
// the runner (scripts/bench.sh, through concbench describe -pin) asks it
// which CPUs to pin each core count to, and bench records the topology and
// each run's CPUs in the result set as config lines.
//
//  1. Read the topology: Host reads this machine's (sysfs on Linux; on
//     macOS only the counts of cores and logical CPUs, which cannot be
//     pinned); Read reads a sysfs tree at any root, a fake one in tests
//     (plain files, so it works on every system).
//  2. Order the CPUs (Topology.Order): distinct physical cores first, from
//     one package, the fastest cores first on hybrid chips; SMT siblings
//     only once every core of the package is used; another package only
//     after that.
//  3. Take the first k (Topology.Choose) and say what they are: how many
//     physical cores, whether two share a core (SMT), how many packages,
//     how many slow cores (Topology.Describe does the same for any list,
//     such as a process's affinity).
package cpuset
