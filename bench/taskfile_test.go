package bench

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

const designTask = "../workloads/testdata/tasks/design.toml"

// A task file becomes the last workload of BenchmarkCores, and the set's
// description carries it: its batch entry and the units it got here.
func TestTaskFileInMatrix(t *testing.T) {
	p, err := ProfileNamed("smoke")
	if err != nil {
		t.Fatal(err)
	}
	if p.TaskFiles, err = LoadTaskFiles(p, designTask); err != nil {
		t.Fatal(err)
	}
	sw, err := BuildSweep(p, "Cores", 2)
	if err != nil {
		t.Fatal(err)
	}
	last := sw.Batches[len(sw.Batches)-1]
	if len(sw.Batches) != len(CoresWorkloads)+1 || last.Parts != "workload=scraper" || len(last.Tasks) != 64 {
		t.Fatalf("Cores has %d batches, the last %q of %d tasks; want %d, workload=scraper of 64",
			len(sw.Batches), last.Parts, len(last.Tasks), len(CoresWorkloads)+1)
	}
	lines, err := Describe(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	var cores, task string
	for _, l := range lines {
		switch l.Key {
		case "matrix-cores":
			cores = l.Value
		case "matrix-task-scraper":
			task = l.Value
		}
	}
	if !strings.Contains(cores, " workload=scraper:64:") || !strings.HasSuffix(cores, ":mixed:net+compute+sleep+file") {
		t.Errorf("matrix-cores has no entry for the task file: %s", cores)
	}
	if !strings.HasPrefix(task, designTask+": 64×[in 4KiB, out 16KiB: net(20ms, 16KiB) compute(primes×") ||
		!strings.HasSuffix(task, " for 2ms) compute(hash×8) sleep(5ms) file(64KiB)]") {
		t.Errorf("matrix-task-scraper: %s", task)
	}

	// Unit costs given: the batch and its description follow them.
	p.UnitCosts = workloads.UnitCosts{workloads.Primes: 25 * time.Microsecond}
	if u := TaskBatch(p, p.TaskFiles[0]).Tasks[5].Ops[1].Units; u != 80 {
		t.Errorf("2ms of primes at 25µs a unit: %d units, want 80", u)
	}
	lines, err = Describe(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range lines {
		got[l.Key] = l.Value
	}
	if !strings.Contains(got["matrix-task-scraper"], "compute(primes×80 for 2ms)") ||
		!strings.Contains(got["matrix-task-unit-ns"], ",primes=25000,") {
		t.Errorf("matrix-task-scraper: %s\nmatrix-task-unit-ns: %s", got["matrix-task-scraper"], got["matrix-task-unit-ns"])
	}
}

func TestLoadTaskFilesRefuses(t *testing.T) {
	p, err := ProfileNamed("smoke")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	clash := write("clash.toml", "# the design's name again\nname = \"scraper\"\n[[group]]\ntasks = 1\nsteps = [{ sleep = \"1ms\" }]\n")
	mix := write("mix.toml", "name = \"mix50\"\n[[group]]\ntasks = 1\nsteps = [{ sleep = \"1ms\" }]\n")
	long := write("long.toml", "name = \"long\"\n[[group]]\ntasks = 2\nsteps = [{ sleep = \"1ms\" }]\n[[group]]\ntasks = 3\nsteps = [{ sleep = \"2s\" }]\n")
	for _, c := range []struct {
		paths []string
		want  []string
	}{
		{[]string{designTask, clash}, []string{clash + `:2: name: "scraper" is the name of ` + designTask + " too"}},
		{[]string{mix}, []string{mix + `:1: name: "mix50" is a built-in workload`}},
		{[]string{long}, []string{long + ":6: group[1].tasks: a batch of 5 tasks would take about 6.01s under procs at 1 core, over the smoke profile's limit of 5s"}},
		{[]string{mix, "../workloads/testdata/badtasks/zero-tasks.toml"}, []string{
			"../workloads/testdata/badtasks/zero-tasks.toml:3: group[0].tasks: 0 tasks",
			mix + `:1: name: "mix50" is a built-in workload`}},
	} {
		specs, err := LoadTaskFiles(p, c.paths...)
		var fe workloads.FieldErrors
		if !errors.As(err, &fe) || specs != nil {
			t.Errorf("%v: specs %v, error %v; want FieldErrors", c.paths, specs, err)
			continue
		}
		if len(fe) != len(c.want) {
			t.Errorf("%v: %d problems, want %d:\n%v", c.paths, len(fe), len(c.want), err)
			continue
		}
		for i, w := range c.want {
			if !strings.HasPrefix(fe[i].Error(), w) {
				t.Errorf("%v: problem %d\n%s\nwant it to start with\n%s", c.paths, i, fe[i], w)
			}
		}
	}
}
