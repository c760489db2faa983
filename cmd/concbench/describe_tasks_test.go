package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestDescribeTasks runs describe -tasks as scripts/bench-python.sh does,
// with an interpreter's costs from testdata, and checks what the CPython
// suite reads of it: the profile and core count, and every cell with its
// tasks and the models' predictions; and that it refuses to run without
// costs, or with costs the suite did not print.
func TestDescribeTasks(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run([]string{"describe", "-profile", "smoke", "-cores", "2", "-tasks", "-python", "testdata/python-costs.json"},
		&stdout, &stderr); got != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", got, stderr.String())
	}
	var set struct {
		Profile string `json:"profile"`
		Cores   int    `json:"cores"`
		Cells   []struct {
			Name  string `json:"name"`
			Start bool   `json:"start"`
			Tasks []struct {
				Ops []map[string]any `json:"ops"`
			} `json:"tasks"`
			PredictNS map[string]int64 `json:"predict_ns"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &set); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if set.Profile != "smoke" || set.Cores != 2 || len(set.Cells) != 7+2*2+2 {
		t.Fatalf("profile %s, cores %d, %d cells; want smoke, 2, 13", set.Profile, set.Cores, len(set.Cells))
	}
	hash := set.Cells[0]
	if hash.Name != "BenchmarkCores/workload=hash" || len(hash.Tasks) != 16 || len(hash.PredictNS) != 3 ||
		hash.Tasks[0].Ops[0]["op"] != "compute" || hash.Tasks[0].Ops[0]["kernel"] != "hash" {
		t.Errorf("first cell: %+v", hash)
	}
	if start := set.Cells[len(set.Cells)-1]; !start.Start || len(start.PredictNS) != 2 {
		t.Errorf("last cell: %+v, want BenchmarkStart for the two pools", start)
	}

	// A task file is one more BenchmarkCores cell, after the built-in ones.
	stdout.Reset()
	if got := run([]string{"describe", "-profile", "smoke", "-cores", "2", "-task", "../../workloads/testdata/tasks/design.toml",
		"-tasks", "-python", "testdata/python-costs.json"}, &stdout, &stderr); got != 0 {
		t.Fatalf("with -task: exit status %d; stderr:\n%s", got, stderr.String())
	}
	var withTask struct {
		Cells []struct {
			Name  string `json:"name"`
			Tasks []struct {
				Input  int `json:"input"`
				Output int `json:"output"`
			} `json:"tasks"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &withTask); err != nil {
		t.Fatal(err)
	}
	if c := withTask.Cells[7]; c.Name != "BenchmarkCores/workload=scraper" || len(c.Tasks) != 64 ||
		c.Tasks[0].Input != 4<<10 || c.Tasks[0].Output != 16<<10 {
		t.Errorf("cell 8: %s, %d tasks; want the scraper's 64 tasks, 4 KiB in, 16 KiB out", c.Name, len(c.Tasks))
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-tasks"}, 2, "-tasks needs -python FILE"},
		{[]string{"-tasks", "-python", "testdata/nonexistent.json"}, 1, "testdata/nonexistent.json: no such file"},
		{[]string{"-tasks", "-python", "testdata/compare.stdout"}, 1, "testdata/compare.stdout: reading the CPython suite's costs"},
		{[]string{"-task", "../../workloads/testdata/badtasks/unknown-step.toml", "-tasks", "-python", "testdata/python-costs.json"}, 1,
			"../../workloads/testdata/badtasks/unknown-step.toml:6: group[0].steps[1].download: unknown key"},
	} {
		stdout.Reset()
		stderr.Reset()
		if got := run(append([]string{"describe"}, tc.args...), &stdout, &stderr); got != tc.code ||
			!strings.Contains(stderr.String(), tc.want) || stdout.Len() > 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, got, stderr.String(), tc.code, tc.want)
		}
	}
}
