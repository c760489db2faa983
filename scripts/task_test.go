package scripts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBenchRefusesBadTaskFiles runs bench.sh with every malformed task
// file of workloads/testdata/badtasks (TASK as a glob): it must refuse
// before anything runs, naming each file with a line and a field, exit
// non-zero, write no result set and leave an earlier one untouched.
func TestBenchRefusesBadTaskFiles(t *testing.T) {
	needTools(t)
	out := t.TempDir()
	earlier := filepath.Join(out, "t", "20260101T000000Z")
	if err := os.MkdirAll(earlier, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(earlier, "bench.txt"), []byte("machine: t\nBenchmarkOverhead/model=seq 1 100 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, out)
	bad, err := filepath.Glob("../workloads/testdata/badtasks/*.toml")
	if err != nil || len(bad) < 10 {
		t.Fatalf("%d malformed task files (%v), want at least 10", len(bad), err)
	}
	log, code := run(t, "..", []string{"PROFILE=smoke", "CORES=1", "PYTHON_SUITE=0", "BENCH=Overhead/model=seq$",
		"MACHINE=t", "OUT=" + out, "TASK=workloads/testdata/badtasks/*.toml"}, "scripts/bench.sh")
	if code == 0 {
		t.Errorf("bench.sh with malformed task files: exit 0; output:\n%s", log)
	}
	for _, f := range bad {
		name := regexp.QuoteMeta(strings.TrimPrefix(filepath.ToSlash(f), "../"))
		if !regexp.MustCompile(`(?m)^` + name + `:[1-9][0-9]*: [a-z\[\]0-9.]+: `).MatchString(log) {
			t.Errorf("the output does not name %s with a line and a field:\n%s", f, log)
		}
	}
	if strings.Contains(log, "building the test binary") {
		t.Errorf("bench.sh went on to build the benchmarks:\n%s", log)
	}
	if got := sets(t, out); len(got) != 1 {
		t.Errorf("result sets after the refusal: %v, want only the earlier one", got)
	}
	after := hashTree(t, out)
	if len(after) != len(before) || after["t/20260101T000000Z/bench.txt"] != before["t/20260101T000000Z/bench.txt"] {
		t.Errorf("files under OUT changed: before %v, after %v", before, after)
	}
}

// TestBenchRunsATaskFile runs a task file as a BenchmarkCores workload
// through bench.sh: its cells are in the set, with the units its compute
// steps got on this machine.
func TestBenchRunsATaskFile(t *testing.T) {
	needTools(t)
	out := t.TempDir()
	log, code := run(t, "..", []string{"PROFILE=smoke", "CORES=1,2", "PYTHON_SUITE=0", "BENCH=Cores/workload=scraper/model=(seq|procpool)$",
		"MACHINE=t", "OUT=" + out, "TASK=workloads/testdata/tasks/design.toml"}, "scripts/bench.sh")
	if code != 0 {
		t.Fatalf("bench.sh: exit %d; output:\n%s", code, log)
	}
	dirs := sets(t, out)
	if len(dirs) != 1 {
		t.Fatalf("result sets %v, want one", dirs)
	}
	b, err := os.ReadFile(filepath.Join(dirs[0], "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{
		`(?m)^BenchmarkCores/workload=scraper/model=seq\s+1\s+[0-9]+ ns/op`,
		`(?m)^BenchmarkCores/workload=scraper/model=procpool\s+1\s+[0-9]+ ns/op`,
		`(?m)^BenchmarkCores/workload=scraper/model=procpool-2\s+1\s+[0-9]+ ns/op`,
		`(?m)^matrix-task-scraper: workloads/testdata/tasks/design.toml: 64×\[in 4KiB, out 16KiB: net\(20ms, 16KiB\) compute\(primes×[0-9]+ for 2ms\) `,
		`(?m)^matrix-cores: .* workload=scraper:64:`,
		`(?m)^matrix-task-unit-ns: hash=[1-9][0-9]*,primes=[1-9][0-9]*,gzip=[1-9][0-9]*$`,
	} {
		if !regexp.MustCompile(re).Match(b) {
			t.Errorf("bench.txt does not match %s:\n%s", re, b)
		}
	}
	// Calibrated once: every run of the set sized the task alike.
	units := regexp.MustCompile(`(?m)^matrix-task-scraper: .*$`).FindAll(b, -1)
	for _, u := range units[1:] {
		if string(u) != string(units[0]) {
			t.Errorf("runs sized the task differently:\n%s\n%s", units[0], u)
		}
	}
}
