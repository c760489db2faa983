package bench

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/workloads"
)

// The model families a report groups models by: the sequential baseline,
// threads without a lock, concurrency that runs one compute step at a time
// (an event loop, a GIL), and processes.
const (
	FamilyBaseline    = "baseline"
	FamilyThreads     = "threads"
	FamilyConcurrency = "concurrency"
	FamilyProcesses   = "processes"
)

// ModelFamily returns the family of a model of [Models], from its
// [Traits]; "other" for a model that has none.
func ModelFamily(m Model) string {
	if t, ok := TraitsOf(m.Name()); ok {
		return t.Family
	}
	return "other"
}

// Describe returns the matrix as benchfmt configuration lines, so that a
// result set describes itself and the report keeps no copy of it:
//
//	matrix-benchmarks: BenchmarkCores BenchmarkMix …
//	matrix-models: seq:baseline goroutines:threads … (report order)
//	matrix-model-traits: seq:pool=1,serial=1 … gil-pool:pool=min(32,cores+4),serial=1,os-threads …
//	matrix-gil-release: hash:0.06 gzip:0.085
//	matrix-cores: workload=hash:64:1.46ms:cpu:compute workload=sleep:64:5ms:io:sleep …
//
// A benchmark's line lists its batches in order, each as
// PARTS:TASKS:NOMINAL:KIND:OPS — the name parts ("-" for none), the batch
// size, the nominal time of one task alone (its compute at this process's
// calibrated unit cost plus its waits; for BenchmarkConvoy, of the tasks
// whose latency it reports: their no-load latency), its kind (cpu, io or
// mixed) and the kinds of its ops joined by "+".
//
// matrix-model-traits gives each model's [Traits], in the order of
// matrix-models: how many workers it runs a batch on (pool=tasks, 1,
// cores or min(32,cores+4)), the share of its compute that runs on one core
// at a time (serial), the flags os-threads (each worker an OS thread for
// its whole life), processes and sends-bytes (tasks and results cross as
// bytes), and file-executor=SIZE where an executor runs its File ops.
//
// Each task file of the profile adds a matrix-task-NAME line
// ([TaskConfig]): its file and the units its compute steps got; and
// matrix-task-unit-ns gives the unit costs they were sized with.
//
// matrix-gil-release lists, in kernel order, the matrix's kernels whose
// CPython counterpart releases the GIL for the C part of each unit, each
// with its held share ([workloads.Kernel.HeldShare]), which the GIL models
// run holding the lock; a kernel not listed holds it throughout.
func Describe(p Profile, gomaxprocs int) ([]ConfigLine, error) {
	var benches, models, traits []string
	for _, n := range SweepNames() {
		benches = append(benches, "Benchmark"+n)
	}
	for _, m := range Models(Config{}) {
		t, ok := TraitsOf(m.Name())
		if !ok {
			return nil, fmt.Errorf("bench: model %s has no traits", m.Name())
		}
		models = append(models, m.Name()+":"+t.Family)
		traits = append(traits, t.describe())
	}
	var sweeps []ConfigLine
	used := map[workloads.Kernel]bool{}
	for _, n := range SweepNames() {
		sw, err := BuildSweep(p, n, gomaxprocs)
		if err != nil {
			return nil, err
		}
		var entries []string
		for _, b := range sw.Batches {
			entries = append(entries, batchEntry(b))
			for _, t := range b.Tasks {
				for _, op := range t.Ops {
					if op.Kind == workloads.KindCompute {
						used[op.Kernel] = true
					}
				}
			}
		}
		sweeps = append(sweeps, ConfigLine{"matrix-" + strings.ToLower(n), strings.Join(entries, " ")})
	}
	var release []string
	for _, k := range workloads.Kernels() {
		if used[k] && k.ReleasesGIL() {
			release = append(release, k.String()+":"+strconv.FormatFloat(k.HeldShare(), 'g', -1, 64))
		}
	}
	lines := []ConfigLine{
		{"matrix-benchmarks", strings.Join(benches, " ")},
		{"matrix-models", strings.Join(models, " ")},
		{"matrix-model-traits", strings.Join(traits, " ")},
		{"matrix-gil-release", strings.Join(release, " ")},
	}
	lines = append(lines, sweeps...)
	if len(p.TaskFiles) > 0 {
		lines = append(lines, ConfigLine{"matrix-task-unit-ns", taskUnitCosts(p).String()})
	}
	for _, s := range p.TaskFiles {
		lines = append(lines, TaskConfig(p, s))
	}
	return lines, nil
}

// batchEntry is one batch's PARTS:TASKS:NOMINAL:KIND:OPS.
func batchEntry(b Batch) string {
	parts := b.Parts
	if parts == "" {
		parts = "-"
	}
	var longest time.Duration
	var ops []string
	seen := map[workloads.Kind]bool{}
	for i, t := range b.Tasks {
		var c, w time.Duration
		for _, op := range t.Ops {
			if !seen[op.Kind] {
				seen[op.Kind] = true
				ops = append(ops, op.Kind.String())
			}
			if op.Kind == workloads.KindCompute {
				c += opCost(op)
			} else {
				w += op.D
			}
		}
		if b.Observed == nil || b.Observed(i) {
			longest = max(longest, c+w)
		}
	}
	kind := "mixed"
	switch {
	case seen[workloads.KindCompute] && len(seen) == 1:
		kind = "cpu"
	case !seen[workloads.KindCompute] && len(seen) > 0:
		kind = "io"
	case len(seen) == 0:
		kind = "empty"
	}
	if len(ops) == 0 {
		ops = []string{"none"}
	}
	// The nominal time is the longest observed task's: a batch's tasks
	// are alike, but for Convoy's CPU tasks beside the I/O ones it reports.
	return fmt.Sprintf("%s:%d:%s:%s:%s", parts, len(b.Tasks), longest.Round(time.Microsecond), kind, strings.Join(ops, "+"))
}
