package bench

import (
	"runtime"
	"testing"

	"github.com/concbench/concbench/workloads"
)

// BenchmarkGzipFresh is BenchmarkCores's gzip cell with the gzip-fresh
// kernel, which builds a new gzip.Writer (about 800 KB) for every unit: what
// allocation-heavy Go code costs under each model, garbage collector
// included. On a 2-vCPU VM, every in-process model ran it slower on 2 cores
// than on 1, while procpool's workers, each with its own small heap, scaled.
// It is for go test users and is not in the matrix that scripts/bench.sh
// runs:
//
//	go test -run '^$' -bench GzipFresh -cpu 1,2 ./bench
func BenchmarkGzipFresh(b *testing.B) {
	p, err := ProfileNamed(*profileFlag)
	if err != nil {
		b.Fatal(err)
	}
	// 12 units, about 1.4 ms a task, as the matrix's gzip cell had when its
	// kernel was this one.
	tasks, err := workloads.Generate(workloads.Spec{Workload: "gzip-fresh", Tasks: p.Tasks, Seed: matrixSeed, Units: 12})
	if err != nil {
		b.Fatal(err)
	}
	procs := firstCPU()
	for _, m := range Models(Config{}) {
		runtime.GOMAXPROCS(procs)
		b.Run(cellName("workload=gzip-fresh", m.Name()), func(b *testing.B) {
			runCell(b, m, Batch{Tasks: tasks}, false)
		})
	}
}
