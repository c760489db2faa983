package report

import (
	"testing"
)

// TestExtremeValues runs inputs at the edges of float64 and int through
// the whole pipeline, rendering included. Each input must load, be
// analysed and give at least one chart, and every chart the analysis
// offers must render as SVG and PNG: the report fails on its first render
// error, and the renderer turns a drawing panic into one.
func TestExtremeValues(t *testing.T) {
	for _, tc := range []struct{ name, input string }{
		{"GOMAXPROCS 1e9", "BenchmarkX-1000000000 \t1\t1 ns/op\nBenchmarkX \t1\t1 ns/op\n"},
		{"GOMAXPROCS MaxInt64", "BenchmarkX-9223372036854775807 \t1\t1 ns/op\nBenchmarkX \t1\t1 ns/op\n"},
		{"cores MaxInt64, 1e300 ns", "BenchmarkCores/workload=a/model=seq-9223372036854775807 \t1\t1 ns/op\nBenchmarkCores/workload=a/model=seq \t1\t1 ns/op\nBenchmarkCores/workload=a/model=pool \t1\t1e300 ns/op\n"},
		{"fanout of 1e308 tasks", "BenchmarkFanout/workload=sleep/tasks=1e308/model=seq \t1\t1e-300 ns/op\t1e308 tasks/s\n"},
		{"grain 1e-300", "BenchmarkGrain/grain=1e-300/model=pool-2 \t1\t1e-300 ns/op\nBenchmarkGrain/grain=1e-300/model=seq \t1\t1e300 ns/op\n"},
		{"subnormal and huge times", "BenchmarkX \t1\t1e-320 ns/op\nBenchmarkX-2 \t1\t1e308 ns/op\n"},
		{"zero throughput, negative latency", "BenchmarkOverhead/model=seq \t1\t1 ns/op\t0 tasks/s\nBenchmarkConvoy/model=pool-2 \t1\t1 ns/op\t-5 p99-ms\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := LoadBytes("f", []byte(tc.input), LoadOptions{Lax: true})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			a, err := Analyze(st, Options{})
			if err != nil {
				t.Fatalf("analyse: %v", err)
			}
			charts := a.Charts()
			if len(charts) == 0 {
				t.Fatal("no chart: the input renders nothing")
			}
			for _, c := range charts {
				if svg, err := c.SVG(); err != nil || len(svg) == 0 {
					t.Errorf("chart %s: SVG: %d bytes, error %v", c.File, len(svg), err)
				}
				if png, err := c.PNG(); err != nil || len(png) == 0 {
					t.Errorf("chart %s: PNG: %d bytes, error %v", c.File, len(png), err)
				}
			}
		})
	}
}
