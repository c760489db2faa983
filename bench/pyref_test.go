package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// TestPythonSuiteMatchesMatrix checks that scripts/pyref runs the same
// batches as BenchmarkCores and BenchmarkFanout: the same task counts,
// seeds, units, sizes, waits and bytes. The Python suite prints its matrix
// with --print-matrix; this rebuilds the Go side's from Matrix.
func TestPythonSuiteMatchesMatrix(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: the Python reference suite cannot run here")
	}
	if exec.Command(py, "-c", "import sys; sys.exit(sys.version_info < (3, 9))").Run() != nil {
		t.Skip("python3 is older than 3.9")
	}
	for _, profile := range []string{"smoke", "standard"} {
		t.Run(profile, func(t *testing.T) {
			p, err := ProfileNamed(profile)
			if err != nil {
				t.Fatal(err)
			}
			// The suite takes the profile's numbers from Go, as
			// concbench describe -settings prints them.
			settings := filepath.Join(t.TempDir(), "settings.txt")
			if err := os.WriteFile(settings, []byte(strings.Join(p.Settings(), "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(py, "../scripts/pyref/concbench_py.py", "--print-matrix", "--settings", settings).Output()
			if err != nil {
				t.Fatalf("--print-matrix: %v", err)
			}
			var pm struct {
				Cells []struct {
					Bench      string `json:"bench"`
					Workload   string `json:"workload"`
					Tasks      int    `json:"tasks"`
					Seed       uint64 `json:"seed"`
					Units      int    `json:"units"`
					Size       int    `json:"size"`
					WaitNS     int64  `json:"wait_ns"`
					Bytes      int    `json:"bytes"`
					CPUPercent int    `json:"cpu_percent"`
					NominalNS  int64  `json:"nominal_ns"`
				} `json:"cells"`
			}
			if err := json.Unmarshal(out, &pm); err != nil {
				t.Fatal(err)
			}
			py := map[string]string{}
			for _, c := range pm.Cells {
				key := c.Bench + "/workload=" + c.Workload
				if c.Bench == "BenchmarkFanout" {
					key += fmt.Sprintf("/tasks=%d", c.Tasks)
				}
				py[key] = fmt.Sprintf("tasks=%d seed=%d units=%d size=%d wait=%v bytes=%d cpu=%d%% nominal=%v",
					c.Tasks, c.Seed, c.Units, c.Size, time.Duration(c.WaitNS), c.Bytes, c.CPUPercent, time.Duration(c.NominalNS))
			}
			sweeps, err := Matrix(p, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sweeps {
				if s.Name != "Cores" && s.Name != "Fanout" {
					continue
				}
				for _, b := range s.Batches {
					key := "Benchmark" + s.Name + "/" + b.Parts
					got, ok := py[key]
					if !ok {
						t.Errorf("%s: not in the Python suite", key)
						continue
					}
					if want := describeBatch(b.Tasks, strings.HasSuffix(key, "mix50")); got != want {
						t.Errorf("%s:\nPython %s\n    Go %s", key, got, want)
					}
				}
			}
		})
	}
}

// describeBatch renders a batch the way the test renders the Python
// suite's matrix. Mix batches are described by their nominal split, since
// the two languages' units differ in cost.
func describeBatch(ts []workloads.Task, mix bool) string {
	var units, size, bytes, cpu int
	var wait, nominal time.Duration
	if mix {
		cpu, nominal = 50, mixNominal
	} else if len(ts) > 0 {
		for _, op := range ts[0].Ops {
			switch op.Kind {
			case workloads.KindCompute:
				units, size = op.Units, op.Size
				if size == 0 {
					size = op.Kernel.DefaultSize()
				}
			case workloads.KindSleep, workloads.KindNet:
				wait, bytes = op.D, op.Bytes
			case workloads.KindFile:
				bytes = op.Bytes
			}
		}
	}
	return fmt.Sprintf("tasks=%d seed=%d units=%d size=%d wait=%v bytes=%d cpu=%d%% nominal=%v",
		len(ts), uint64(matrixSeed), units, size, wait, bytes, cpu, nominal)
}
