package scripts_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// TestAdaptiveRoundsServeCPython runs bench.sh with one fixed round and one
// adaptive round whose undecided cells are given (CONCBENCH_UNDECIDED): a
// pattern naming a Go model and the interpreter's py-* model, as the report
// writes one when a Go verdict and a CPython verdict at the same cores wait
// on the same benchmark. The adaptive round must re-run both, the Go cell
// with the bench binary and the CPython cell with the Python suite, each
// marked adaptive: true with the round after the fixed ones (the report
// counts a look per round); no Go result may carry the suite's config
// lines; and FUNC and ARGS, which make exports for make bench-python, must
// not reach the suite (it would run them instead of its cells and fail).
func TestAdaptiveRoundsServeCPython(t *testing.T) {
	needTools(t)
	if !hasPython() {
		t.Skip("no python3 >= 3.9: the Python suite cannot run here")
	}
	tag, err := exec.Command("python3", "pyref/concbench_py.py", "--print-tag").Output()
	if err != nil {
		t.Fatalf("python3 pyref/concbench_py.py --print-tag: %v", err)
	}
	py := "py-seq@" + strings.TrimSpace(string(tag))
	undecided := filepath.Join(t.TempDir(), "undecided.txt")
	line := fmt.Sprintf("1 ^BenchmarkOverhead$/^model=(seq|%s)$\n", regexp.QuoteMeta(py))
	if err := os.WriteFile(undecided, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	log, code := run(t, "..", []string{"PROFILE=smoke", "CORES=1", "COUNT=1", "BUDGET=600", "MAX_LOOKS=1",
		"MACHINE=t", "OUT=" + out, "BENCH=Overhead/model=(py-)?seq", "PYTHONS=python3",
		"CONCBENCH_UNDECIDED=" + undecided, "FUNC=nosuch:func", "ARGS=nosuch.json"}, "scripts/bench.sh")
	if code != 0 {
		t.Fatalf("bench.sh exited %d; output:\n%s", code, log)
	}
	if !strings.Contains(log, "make bench runs the matrix without them") {
		t.Errorf("bench.sh said nothing of the FUNC and ARGS it dropped; output:\n%s", log)
	}
	dirs := sets(t, out)
	if len(dirs) != 1 {
		t.Fatalf("want one result set, got %v; output:\n%s", dirs, log)
	}
	file := filepath.Join(dirs[0], "bench.txt")
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var got []string
	r := benchfmt.NewReader(f, file)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Errorf("%v", r.Result())
			continue
		}
		model := strings.TrimPrefix(string(res.Name), "Overhead/model=")
		if runner := res.GetConfig("runner"); strings.HasPrefix(model, "py-") != (runner == "pyref") {
			t.Errorf("%s (round %s): runner %q", res.Name, res.GetConfig("round"), runner)
		}
		if !strings.HasPrefix(model, "py-") {
			for _, c := range res.Config {
				if c.Key == "gil" || strings.HasPrefix(c.Key, "python-") || strings.HasSuffix(c.Key, "-py") {
					t.Errorf("%s (round %s): a Go result carries the Python suite's %s: %s", res.Name, res.GetConfig("round"), c.Key, c.Value)
				}
			}
		}
		got = append(got, fmt.Sprintf("%s round %s adaptive %s", model, res.GetConfig("round"), res.GetConfig("adaptive")))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"seq round 1 adaptive false",
		py + " round 1 adaptive false",
		"seq round 2 adaptive true",
		py + " round 2 adaptive true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the runs were\n\t%s\nwant\n\t%s\noutput:\n%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"), log)
	}
}
