package bench

import (
	"flag"
	"math"
	"testing"
)

// TestNsPerOpIsMakespan runs BenchmarkOverhead's cell for every model, as
// the matrix does, and checks that ns/op and tasks/s describe the same
// batch: ns/op × tasks/s must give the batch size back. With ns/op taken
// from b.Loop's clock, which also counts the metric bookkeeping around Run,
// seq's 1000 empty tasks implied 1300 (and 200 implied 230).
func TestNsPerOpIsMakespan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a batch of every model")
	}
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	if err := bt.Value.Set("2x"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bt.Value.Set(old) })

	// The smoke batch (200 tasks) keeps procs, at a process per task,
	// within a second.
	p, _ := ProfileNamed("smoke")
	sw, err := BuildSweep(p, "Overhead", 1)
	if err != nil {
		t.Fatal(err)
	}
	batch := sw.Batches[0]
	for _, m := range Models(Config{}) {
		var failed bool
		r := testing.Benchmark(func(b *testing.B) {
			runCell(b, m, batch, false)
			failed = b.Failed()
		})
		if failed || r.N == 0 {
			t.Errorf("%s: the cell failed", m.Name())
			continue
		}
		ns, rate := float64(r.NsPerOp()), r.Extra["tasks/s"]
		implied := ns * rate / 1e9
		t.Logf("%s: %.0f ns/op, %.0f tasks/s: %.1f tasks a batch", m.Name(), ns, rate, implied)
		if want := float64(len(batch.Tasks)); math.Abs(implied-want) > 0.03*want {
			t.Errorf("%s: ns/op × tasks/s implies %.1f tasks a batch, want %.0f ± 3%%", m.Name(), implied, want)
		}
	}
}

func TestBenchMatcher(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{".", "BenchmarkCores/workload=hash/model=seq", true},
		{"^BenchmarkOverhead$", "BenchmarkOverhead/model=seq", true},
		{"^BenchmarkOverhead$", "BenchmarkOverheadX/model=seq", false},
		{"Overhead/model=seq$", "BenchmarkOverhead/model=seq", true},
		{"Overhead/model=seq$", "BenchmarkOverhead/model=gil-seq2", false},
		{"Overhead/model=(seq|pool)$", "BenchmarkOverhead/model=pool", true},
		{"Mix/cpu=90/seq", "BenchmarkMix/cpu=90/model=seq", true},
		{"Mix/cpu=10/seq", "BenchmarkMix/cpu=100/model=seq", true}, // unanchored, as go test
		{"Mix/cpu=10$/seq", "BenchmarkMix/cpu=100/model=seq", false},
		{"Cores/hash|Overhead/pool", "BenchmarkOverhead/model=pool", true},
		{"Cores/hash|Overhead/pool", "BenchmarkOverhead/model=seq", false},
		{"Cores/hash|Overhead/pool", "BenchmarkCores/workload=hash/model=seq", true},
		{"Grain/grain=[1/]", "BenchmarkGrain/grain=1us/model=seq", true},
	}
	for _, tt := range tests {
		match, err := benchMatcher(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := match(tt.name); got != tt.want {
			t.Errorf("pattern %q, name %q: got %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
	if _, err := benchMatcher("Cores/(("); err == nil {
		t.Error("a bad pattern gave no error")
	}
}
