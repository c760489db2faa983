package report

import (
	"testing"
)

// TestExtremeValues runs inputs at the edges of float64 and int through
// the whole pipeline, rendering included. Loading or analysing may reject
// such input with an error; a chart that the analysis offers must render,
// since the report fails on its first render error, and the renderer turns
// a drawing panic into one.
func TestExtremeValues(t *testing.T) {
	rendered := 0
	for _, s := range []string{
		"BenchmarkX-1000000000 \t1\t1 ns/op\nBenchmarkX \t1\t1 ns/op\n",
		"BenchmarkX-9223372036854775807 \t1\t1 ns/op\nBenchmarkX \t1\t1 ns/op\n",
		"BenchmarkCores/workload=a/model=seq-9223372036854775807 \t1\t1 ns/op\nBenchmarkCores/workload=a/model=seq \t1\t1 ns/op\nBenchmarkCores/workload=a/model=pool \t1\t1e300 ns/op\n",
		"BenchmarkFanout/workload=sleep/tasks=1e308/model=seq \t1\t1e-300 ns/op\t1e308 tasks/s\n",
		"BenchmarkGrain/grain=1e-300/model=pool-2 \t1\t1e-300 ns/op\nBenchmarkGrain/grain=1e-300/model=seq \t1\t1e300 ns/op\n",
		"BenchmarkX \t1\t1e-320 ns/op\nBenchmarkX-2 \t1\t1e308 ns/op\n",
		"BenchmarkOverhead/model=seq \t1\t1 ns/op\t0 tasks/s\nBenchmarkConvoy/model=pool-2 \t1\t1 ns/op\t-5 p99-ms\n",
	} {
		st, err := LoadBytes("f", []byte(s), LoadOptions{Lax: true})
		if err != nil {
			continue
		}
		a, err := Analyze(st, Options{})
		if err != nil {
			continue
		}
		for _, c := range a.Charts() {
			if svg, err := c.SVG(); err != nil || len(svg) == 0 {
				t.Errorf("input %q: chart %s: SVG: %d bytes, error %v", s, c.File, len(svg), err)
			}
			if png, err := c.PNG(); err != nil || len(png) == 0 {
				t.Errorf("input %q: chart %s: PNG: %d bytes, error %v", s, c.File, len(png), err)
			}
			rendered++
		}
	}
	if rendered == 0 {
		t.Error("no input gave a chart: the test renders nothing")
	}
}
