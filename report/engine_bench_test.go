package report

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticCores writes a BenchmarkCores set of workloads × 9 models × the
// core counts, n samples a cell, with 3% noise and speedups that cover
// every verdict: CPU-bound, I/O-bound and flat workloads.
func syntheticCores(workloads int, cores []int, n int) []byte {
	rng := rand.New(rand.NewPCG(1, 1))
	models := []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "procs", "procpool"}
	var b bytes.Buffer
	fmt.Fprintf(&b, "machine: synthetic\ncpus: %d\n", cores[len(cores)-1])
	// The set describes its matrix, as the bench binary's sets do.
	fmt.Fprintf(&b, "matrix-benchmarks: BenchmarkCores\nmatrix-models: seq:baseline goroutines:threads pool:threads errgroup:threads eventloop:concurrency gil-threads:concurrency gil-pool:concurrency procs:processes procpool:processes\nmatrix-cores:")
	for w := 0; w < workloads; w++ {
		kind := []string{"cpu:compute", "io:sleep", "mixed:compute+sleep"}[w%3]
		fmt.Fprintf(&b, " workload=w%d:64:1.4ms:%s", w, kind)
	}
	b.WriteString("\n")
	for r := 0; r < n; r++ {
		fmt.Fprintf(&b, "round: %d\n", r+1)
		for w := 0; w < workloads; w++ {
			for _, k := range cores {
				for i, m := range models {
					speed := 1.0
					switch w % 3 {
					case 0: // CPU-bound: the parallel models scale
						if i >= 1 && i <= 3 || i == 8 {
							speed = float64(k) * 0.9
						}
					case 1: // I/O-bound: the concurrent models overlap waits
						if i == 1 || i == 4 || i == 5 {
							speed = 30
						}
					}
					name := fmt.Sprintf("BenchmarkCores/workload=w%d/model=%s", w, m)
					if k > 1 {
						name += fmt.Sprintf("-%d", k)
					}
					ns := 1e8 / speed * math.Exp(0.03*rng.NormFloat64())
					fmt.Fprintf(&b, "%s 1 %.0f ns/op\n", name, ns)
				}
			}
		}
	}
	return b.Bytes()
}

// BenchmarkVerdictEngine times loading, moderating, claiming, deciding and
// writing the verdicts of a 10,008-cell set (139 workloads × 9 models × 8
// core counts, 8 samples a cell): it must stay well under a second.
func BenchmarkVerdictEngine(b *testing.B) {
	data := syntheticCores(139, []int{1, 2, 4, 8, 16, 32, 48, 64}, 8)
	for b.Loop() {
		s, err := LoadBytes("synthetic", data, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Cells) < 10000 {
			b.Fatalf("%d cells, want 10,000", len(s.Cells))
		}
		a, err := Analyze(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Verdicts) == 0 {
			b.Fatal("no verdicts")
		}
	}
}
