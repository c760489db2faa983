package report

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReport50k times a whole report of a 50,004-line foreign -cpu
// sweep (250 benchmarks × 4 GOMAXPROCS × 50 samples, USL-shaped): loading,
// claims, fits and every chart and page. It should stay under a second
// here (0.65 s on the 2-vCPU EPYC; benchstat reads the file in 0.05 s).
func BenchmarkReport50k(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var buf bytes.Buffer
	buf.WriteString("goos: linux\ngoarch: amd64\npkg: example\ncpu: AMD EPYC\n")
	for i := range 250 {
		for range 50 {
			for _, k := range []float64{1, 2, 4, 8} {
				name := fmt.Sprintf("BenchmarkThing%d", i)
				if k > 1 {
					name += fmt.Sprintf("-%d", int(k))
				}
				s := k / (1 + 0.05*(k-1) + 0.002*k*(k-1))
				fmt.Fprintf(&buf, "%s \t1000000\t%.1f ns/op\n", name, 1000*float64(1+i%7)/s*math.Exp(0.03*rng.NormFloat64()))
			}
		}
	}
	in := filepath.Join(b.TempDir(), "big.txt")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Report(b.TempDir(), []string{in}, false, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
