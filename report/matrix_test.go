package report

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestChangedMatrix: the report keeps no copy of the matrix, so a set from
// a changed matrix reports as it is. Here the synthetic set gains a model
// the report has never seen ("actors", a thread family, its cells pool's
// sped up 10%), a Mix share of 60 (its cells those of 50), and its Cores
// batches become 32 tasks — all said only by its matrix-* lines.
func TestChangedMatrix(t *testing.T) {
	desc, err := os.ReadFile("testdata/synthetic/matrix.txt")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/synthetic/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := string(desc)
	d = strings.Replace(d, "procpool:processes", "procpool:processes actors:threads", 1)
	d = strings.Replace(d, "cpu=75:", "cpu=60:32:2ms:mixed:compute+sleep cpu=75:", 1)
	d = regexp.MustCompile(`(workload=[a-z0-9]+):64:`).ReplaceAllString(d, "$1:32:")
	var extra bytes.Buffer
	pool := regexp.MustCompile(`^(BenchmarkCores/workload=\w+)/model=pool(-\d+)?(\s+\d+\s+)([0-9.e+]+)( ns/op.*)$`)
	mix50 := regexp.MustCompile(`^BenchmarkMix/cpu=50/(.*)$`)
	for _, line := range strings.Split(string(data), "\n") {
		if m := pool.FindStringSubmatch(line); m != nil {
			var v float64
			fmt.Sscan(m[4], &v)
			fmt.Fprintf(&extra, "%s/model=actors%s%s%.0f ns/op\n", m[1], m[2], m[3], v/1.1)
		}
		if m := mix50.FindStringSubmatch(line); m != nil {
			fmt.Fprintf(&extra, "BenchmarkMix/cpu=60/%s\n", m[1])
		}
	}
	set := append(append([]byte(d), data...), extra.Bytes()...)
	s, err := LoadBytes("changed", set, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.M.Family("actors"); got != "threads" {
		t.Errorf("actors is in family %q, want threads", got)
	}
	if b, ok := a.M.Batch(BenchCores, "workload=hash"); !ok || b.Tasks != 32 {
		t.Errorf("the hash batch: %+v, %v; want 32 tasks", b, ok)
	}
	found := false
	for _, v := range a.Verdicts {
		if v.Workload == "hash" && v.Cores == 2 && v.Runtime.Kind == RuntimeGo {
			found = true
			if v.Winner != "actors" || v.Gain != GainParallelism {
				t.Errorf("hash at 2 cores: %s; want actors to win by parallelism", a.Text.Verdict(v))
			}
		}
	}
	if !found {
		t.Error("no verdict for hash at 2 cores")
	}
	share := false
	for _, s := range a.Mix.Series {
		for _, p := range s.Points {
			share = share || p.X == 60
		}
	}
	if !share {
		t.Error("the mix chart has no 60% share")
	}
	for _, m := range a.Missing {
		if strings.Contains(m.What, "actors") && strings.Contains(m.What, "BenchmarkCores") {
			t.Errorf("missing: %s (%s); actors has every Cores cell", m.What, m.Why)
		}
	}
	// The new model has a colour and a legend entry of its own.
	if st := a.M.Style("actors", 0); st.Color == a.M.Style("pool", 0).Color {
		t.Error("actors is drawn in pool's colour")
	}
}

// TestInferredMatrix: a set from before the matrix-* lines (the 16-core
// reference's bench.txt alone, as ../shared/data holds it) still reports:
// its matrix is inferred from its cells, with the Go models' families its
// description gives, and every clear-cut verdict decided.
func TestInferredMatrix(t *testing.T) {
	path := referenceSets[0].path
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := analyzeBytes(t, "bench.txt alone", data)
	if !a.M.Inferred || a.M.Described {
		t.Fatalf("matrix inferred %v, described %v; want inferred", a.M.Inferred, a.M.Described)
	}
	desc := analyzeBytes(t, "described", readRounds(t, path, nil)).M
	for _, m := range desc.Models {
		if got := a.M.Family(m.Name); got != m.Family {
			t.Errorf("%s: inferred family %q, described %q", m.Name, got, m.Family)
		}
	}
	if got, want := a.M.GoBaseline(), desc.GoBaseline(); got != want {
		t.Errorf("baseline %q, want %q", got, want)
	}
	if !a.M.IsPython("py-threading") || a.M.IsPython("gil-threads") {
		t.Error("CPython's models are not told from Go's")
	}
	clear, decided := checkClearCut(t, "inferred", a)
	if clear == 0 || decided != clear {
		t.Errorf("%d of %d clear-cut cells decided", decided, clear)
	}
}

// TestMatrixBadEntries: malformed description entries are warnings that
// name the key, and the rest of the description stands.
func TestMatrixBadEntries(t *testing.T) {
	m, errs := parseMatrix(map[string]string{
		"matrix-benchmarks": "BenchmarkCores",
		"matrix-models":     "seq:baseline nocolon pool:threads",
		"matrix-python":     ":seq py-seq:seq",
		"matrix-cores":      "workload=hash:64:1ms:cpu:compute workload=x:many:1ms:cpu:compute",
	})
	if len(errs) != 3 {
		t.Errorf("%d errors, want 3: %v", len(errs), errs)
	}
	for _, e := range errs {
		if !strings.Contains(e.Error(), "config matrix-") {
			t.Errorf("error %q does not name its key", e)
		}
	}
	if len(m.Models) != 2 || m.Family("pool") != "threads" || len(m.Python) != 1 || len(m.Batches[BenchCores]) != 1 {
		t.Errorf("description kept %+v", m)
	}
}
