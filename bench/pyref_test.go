package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/workloads"
)

// pythonSuite is the CPython suite's command-line entry, from this package.
const pythonSuite = "../scripts/pyref/concbench_py.py"

// lookPython returns a python3 that can run the suite, or skips the test.
func lookPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: the Python reference suite cannot run here")
	}
	if exec.Command(py, "-c", "import sys; sys.exit(sys.version_info < (3, 9))").Run() != nil {
		t.Skip("python3 is older than 3.9")
	}
	return py
}

// testPythonCosts are an interpreter's costs as the suite's --costs prints
// them, fixed, for its model py-seq.
func testPythonCosts(tag string) PythonCosts {
	return PythonCosts{Tag: tag, UnitNS: map[string]int64{"hash": 40000, "primes": 350000, "primes20": 35000, "gzip": 45000},
		ThreadNS: 100000, Models: []PythonModel{{Name: "py-seq@" + tag, Counterpart: "seq"}}}
}

// TestPythonChecksumsMatchGo hands the CPython suite every batch it runs
// in the smoke profile, with DESIGN §2's task file as one more workload
// (input and output bytes, every kind of step; concbench describe -tasks's
// JSON), has it run each
// task (--checksums --exact: net and file values as Go computes them) and
// checks every task's checksum against workloads.Exec's on the same task.
// The suite generates no task itself, so this shows that a batch reaches it
// whole and that its ops compute what Go's do. gzip's checksums cannot
// agree (CPython's zlib is not compress/flate, see kernels.py); the suite's
// own goldens pin them (test_kernels.py, test_tasks.py), and here only
// their number is checked.
func TestPythonChecksumsMatchGo(t *testing.T) {
	py := lookPython(t)
	out, err := exec.Command(py, pythonSuite, "--print-tag").Output()
	if err != nil {
		t.Fatalf("--print-tag: %v", err)
	}
	tag := strings.TrimSpace(string(out))
	p, err := ProfileNamed("smoke")
	if err != nil {
		t.Fatal(err)
	}
	if p.TaskFiles, err = LoadTaskFiles(p, "../workloads/testdata/tasks/design.toml"); err != nil {
		t.Fatal(err)
	}
	set, err := BuildPython(p, 2, testPythonCosts(tag))
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := set.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tasks.json")
	if err := os.WriteFile(path, js.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, pythonSuite, "--tasks", path, "--checksums", "--exact",
		"--addr", testServer.Addr(), "--dir", t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("--checksums: %v\n%s", err, stderr.String())
	}
	var got map[string][]uint64
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("--checksums printed %q: %v", out, err)
	}
	env := testEnv(t)
	compared := 0
	for _, c := range set.Cells {
		if c.Start {
			if _, ok := got[c.Name]; ok {
				t.Errorf("%s: checksums of a cell that runs no tasks", c.Name)
			}
			continue
		}
		sums, ok := got[c.Name]
		if !ok {
			t.Errorf("%s: not run by the Python suite", c.Name)
			continue
		}
		if len(sums) != len(c.batch) {
			t.Errorf("%s: %d checksums from the Python suite, want %d", c.Name, len(sums), len(c.batch))
			continue
		}
		if usesKernel(c.batch, workloads.Gzip) {
			continue
		}
		for i, task := range c.batch {
			r, err := workloads.Exec(t.Context(), env, task)
			if err != nil {
				t.Fatalf("%s task %d: %v", c.Name, i, err)
			}
			if sums[i] != r.Sum {
				t.Errorf("%s task %d: Python %#x, Go %#x", c.Name, i, sums[i], r.Sum)
			}
			compared++
		}
	}
	if len(got) != len(set.Cells)-1 {
		t.Errorf("the Python suite ran %d cells, want %d", len(got), len(set.Cells)-1)
	}
	t.Logf("%d tasks of %d cells: the same checksums in CPython %s and Go", compared, len(got), tag)
}

func usesKernel(ts []workloads.Task, k workloads.Kernel) bool {
	for _, t := range ts {
		for _, op := range t.Ops {
			if op.Kind == workloads.KindCompute && op.Kernel == k {
				return true
			}
		}
	}
	return false
}
