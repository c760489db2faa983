package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	textDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(textDir, "notes.txt"), []byte("just notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		paths []string
		want  string // a substring of the error: file:line and what
	}{
		{"empty file", []string{"testdata/bad/empty.txt"}, "testdata/bad/empty.txt: empty file"},
		{"non-benchmark text", []string{"testdata/bad/text.txt"}, `testdata/bad/text.txt:1: no benchmark results (not go test -bench output?); it starts "Hello`},
		{"truncated line", []string{"testdata/bad/truncated.txt"}, "testdata/bad/truncated.txt:3: missing units"},
		{"cut mid-line", []string{"testdata/bad/cut.txt"}, "testdata/bad/cut.txt:2: missing iteration count"},
		{"NaN", []string{"testdata/bad/nan.txt"}, "testdata/bad/nan.txt:2: non-finite value NaN ns/op"},
		{"Inf", []string{"testdata/bad/inf.txt"}, "testdata/bad/inf.txt:1: non-finite value +Inf ns/op"},
		{"unknown value", []string{"testdata/bad/unknown.txt"}, "testdata/bad/unknown.txt:2: parsing measurement: invalid syntax"},
		{"empty directory", []string{t.TempDir()}, "directory holds no benchmark results"},
		{"directory of notes", []string{textDir}, "directory holds no benchmark results"},
		{"no such file", []string{"testdata/bad/nope.txt"}, "testdata/bad/nope.txt: cannot read: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.paths, LoadOptions{})
			if err == nil {
				t.Fatalf("Load(%v) succeeded, want an error containing %q", tc.paths, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("got %T %v, want an *InputError", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLaxKeepsWarnings(t *testing.T) {
	s, err := Load([]string{"testdata/bad/truncated.txt"}, LoadOptions{Lax: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cells) != 1 || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), "truncated.txt:3: missing units") {
		t.Errorf("got %d cells and warnings %v, want 1 cell and the line-3 warning", len(s.Cells), s.Warnings)
	}
}

func TestIncompleteRunTolerratesItsCutLine(t *testing.T) {
	data := "machine: m\nBenchmarkX-2 \t10\t1200 ns/op\nBenchmarkY-2 \t\nincomplete: true\n"
	s, err := LoadBytes("run.txt", []byte(data), LoadOptions{})
	if err != nil {
		t.Fatalf("an interrupted run should load: %v", err)
	}
	if !s.Incomplete || len(s.Warnings) != 1 {
		t.Errorf("got incomplete=%v warnings=%v", s.Incomplete, s.Warnings)
	}
}

func TestLoadCellsAndConfig(t *testing.T) {
	s, err := Load([]string{"testdata/synthetic"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Machines, []string{"ci-2cpu"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("machines %v, want %v", got, want)
	}
	if s.CPUs != 2 {
		t.Errorf("CPUs %d, want 2", s.CPUs)
	}
	c := s.Cell("", "BenchmarkCores/workload=hash/model=gil-threads", 2)
	if c == nil {
		t.Fatal("no cell BenchmarkCores/workload=hash/model=gil-threads at 2 cores")
	}
	if c.Workload() != "hash" || c.Model() != "gil-threads" || c.Param() != "" || len(c.Samples[UnitTime]) != 10 {
		t.Errorf("got workload %q model %q param %q, %d samples", c.Workload(), c.Model(), c.Param(), len(c.Samples[UnitTime]))
	}
	f := s.Cell("", "BenchmarkFanout/workload=net/tasks=100/model=eventloop", 1)
	if f == nil || f.Param() != "tasks=100" {
		t.Errorf("fanout cell %v, want param tasks=100", f)
	}
	r := s.Run(2)
	if r == nil || r.Rounds != 10 || len(r.CalibrationSpeedup) != 10 || r.Oversubscribed {
		t.Errorf("run at 2 cores: %+v", r)
	}
	var skip *Skip
	for _, sk := range s.Skips {
		if sk.Name == "BenchmarkFanout/workload=sleep/tasks=10000/model=seq" && sk.Cores == 2 {
			skip = sk
		}
	}
	if skip == nil || !strings.HasPrefix(skip.Reason, "would take about") {
		t.Errorf("skip line not kept with its reason: %+v", skip)
	}
}

func TestSplitCores(t *testing.T) {
	for _, tc := range []struct {
		in    string
		name  string
		cores int
	}{
		{"BenchmarkX", "BenchmarkX", 1},
		{"BenchmarkX-8", "BenchmarkX", 8},
		{"BenchmarkCores/workload=hash/model=gil-threads", "BenchmarkCores/workload=hash/model=gil-threads", 1},
		{"BenchmarkCores/workload=hash/model=gil-threads-2", "BenchmarkCores/workload=hash/model=gil-threads", 2},
		{"BenchmarkA/b-c", "BenchmarkA/b-c", 1},
	} {
		name, cores := splitCores(tc.in)
		if name != tc.name || cores != tc.cores {
			t.Errorf("splitCores(%q) = %q, %d; want %q, %d", tc.in, name, cores, tc.name, tc.cores)
		}
	}
}

func TestSkipLineForms(t *testing.T) {
	data := "BenchmarkX-2 \t10\t1200 ns/op\n" +
		"--- SKIP: BenchmarkY/model=seq-2: too slow: 100 s\n" +
		"    --- SKIP: BenchmarkZ-2 (0.00s)\n" +
		"        matrix_test.go:42: not on this OS\n"
	s, err := LoadBytes("x.txt", []byte(data), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Skips) != 2 {
		t.Fatalf("got %d skips, want 2", len(s.Skips))
	}
	if s.Skips[0].Name != "BenchmarkY/model=seq" || s.Skips[0].Cores != 2 || s.Skips[0].Reason != "too slow: 100 s" {
		t.Errorf("skip 0: %+v", s.Skips[0])
	}
	if s.Skips[1].Name != "BenchmarkZ" || s.Skips[1].Reason != "not on this OS" {
		t.Errorf("skip 1: %+v", s.Skips[1])
	}
}

// FuzzLoad feeds arbitrary text through loading, analysis and page
// building: bad input must be an error, never a panic.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"testdata/bad/truncated.txt", "testdata/bad/nan.txt", "testdata/nosweep.txt", "testdata/generic.txt"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadBytes("fuzz.txt", data, LoadOptions{Lax: len(data)%2 == 0})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			return
		}
		a, err := Analyze(s, Options{})
		if err != nil {
			return
		}
		charts := a.Charts()
		a.buildPage(charts, Options{})
	})
}

// TestUnpinnedWarning: runs the runner could not pin (no taskset) are
// named in a warning.
func TestUnpinnedWarning(t *testing.T) {
	in := "cpus: 4\nround: 1\ncores: 1\npinned: false\nBenchmarkX 1 100 ns/op\nround: 1\ncores: 2\npinned: true\nBenchmarkX-2 1 60 ns/op\n" +
		"round: 2\ncores: 1\npinned: false\nBenchmarkX 1 100 ns/op\nround: 2\ncores: 2\npinned: true\nBenchmarkX-2 1 61 ns/op\n"
	s, err := LoadBytes("f", []byte(in), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Run(1); r == nil || r.Unpinned != 2 || r.Pinned != 0 {
		t.Errorf("run at 1 core: %+v, want 2 unpinned rounds", r)
	}
	found := false
	for _, w := range a.Warnings {
		if strings.HasPrefix(w, "the runs at 1 core were not pinned") {
			found = true
		}
		if strings.Contains(w, "at 2") && strings.Contains(w, "not pinned") {
			t.Errorf("warning names the pinned runs: %s", w)
		}
	}
	if !found {
		t.Errorf("no warning of the unpinned runs in %q", a.Warnings)
	}
}

// TestBadConfigValues: a config value the report computes with is parsed
// when the set is loaded, and a bad one is an *InputError at its line,
// not a 0 that would print as 0% or skew a warning.
func TestBadConfigValues(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"held share", "runner: pyref\npython-tag: 3.14\ngil-held-share-hash-py: lots\nBenchmarkCores/workload=hash/model=py-seq@3.14 \t1\t1000 ns/op\n",
			`run.txt:3: config gil-held-share-hash-py: "lots" is not a share in [0, 1]`},
		{"held share above 1", "runner: pyref\npython-tag: 3.14\ngil-held-share-gzip-py: 1.5\nBenchmarkCores/workload=gzip/model=py-seq@3.14 \t1\t1000 ns/op\n",
			`run.txt:3: config gil-held-share-gzip-py: "1.5" is not a share in [0, 1]`},
		{"calibration cores", "machine: m\ncalibration-cores: two\nBenchmarkX-2 \t10\t1200 ns/op\n",
			`run.txt:2: config calibration-cores: "two" is not a positive count of cores`},
		{"calibration speedup", "machine: m\nround: 1\ncalibration-speedup: -1\nBenchmarkX-2 \t10\t1200 ns/op\n",
			`run.txt:3: config calibration-speedup: "-1" is not a positive speedup`},
		{"loopback rate", "machine: m\nround: 1\nloopback-connect-rate: NaN\nBenchmarkX-2 \t10\t1200 ns/op\n",
			`run.txt:3: config loopback-connect-rate: "NaN" is not a positive rate`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadBytes("run.txt", []byte(tc.data), LoadOptions{})
			var ie *InputError
			if !errors.As(err, &ie) || err.Error() != tc.want {
				t.Errorf("got %v, want the *InputError %q", err, tc.want)
			}
			s, err := LoadBytes("run.txt", []byte(tc.data), LoadOptions{Lax: true})
			if err != nil || len(s.Warnings) != 1 || s.Warnings[0].Error() != tc.want {
				t.Errorf("lax: got %v, warnings %v; want the one warning %q", err, s, tc.want)
			}
		})
	}
}
