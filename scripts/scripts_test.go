// Package scripts_test tests the runners behind make bench and make
// bench-python end to end: scripts/bench.sh and scripts/bench-python-set.sh
// are the last stage before results/, and what they promise (a failed cell
// fails the run; a written set is never changed) holds only if tested.
package scripts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"golang.org/x/perf/benchfmt"
)

// needTools skips the test unless it can run the scripts: Linux (taskset,
// /proc) and the commands they call.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs the benchmark scripts")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the scripts need Linux")
	}
	for _, tool := range append([]string{"bash", "go", "git", "taskset"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s: %v", tool, err)
		}
	}
}

// hasPython reports whether python3 >= 3.9 runs here, as the scripts ask.
func hasPython() bool {
	return exec.Command("python3", "-c", "import sys; sys.exit(sys.version_info < (3, 9))").Run() == nil
}

// run runs name with args in dir, with the knobs of the scripts taken from
// env only (none inherited), and returns its combined output and exit
// status.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	knobs := map[string]bool{"PROFILE": true, "CORES": true, "COUNT": true, "MACHINE": true, "BENCHTIME": true,
		"PYTHON_SUITE": true, "OUT": true, "BENCH": true, "RESULTS": true, "CONCBENCH_FAIL_MODEL": true,
		"BUDGET": true, "MAX_LOOKS": true, "PYTHONS": true, "PYTHON": true, "START_METHODS": true,
		"CONCBENCH_PYTHONS": true, "CONCBENCH_SYSFS": true, "MAKEFLAGS": true, "MFLAGS": true, "MAKELEVEL": true,
		"FUNC": true, "ARGS": true}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !knobs[k] {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %v: timed out; output:\n%s", name, args, out.String())
	}
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		code = ee.ExitCode()
	}
	return out.String(), code
}

// sets returns the result set directories under root/<machine>/.
func sets(t *testing.T, root string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestFailingCellFailsTheRun runs bench.sh with one model made to fail
// (CONCBENCH_FAIL_MODEL) on a few cells: the run must keep what it
// measured, mark the set failed: true with go test's --- FAIL: lines, write
// the report and exit non-zero, so that make bench and CI fail.
func TestFailingCellFailsTheRun(t *testing.T) {
	needTools(t)
	out := t.TempDir()
	log, code := run(t, "..", []string{"PROFILE=smoke", "CORES=1", "PYTHON_SUITE=0", "BENCH=Overhead",
		"MACHINE=t", "OUT=" + out, "CONCBENCH_FAIL_MODEL=pool"}, "scripts/bench.sh")
	if code == 0 {
		t.Errorf("bench.sh exited 0 with a failing model; output:\n%s", log)
	}
	dirs := sets(t, out)
	if len(dirs) != 1 {
		t.Fatalf("want one result set, got %v; output:\n%s", dirs, log)
	}
	b, err := os.ReadFile(filepath.Join(dirs[0], "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	txt := string(b)
	for _, want := range []string{"\nfailed: true\n", "--- FAIL: BenchmarkOverhead/model=pool", "BenchmarkOverhead/model=seq "} {
		if !strings.Contains(txt, want) {
			t.Errorf("bench.txt lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "BenchmarkOverhead/model=pool ") {
		t.Errorf("bench.txt has a result for the failing model:\n%s", txt)
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "index.html")); err != nil {
		t.Errorf("no report beside a failed set: %v", err)
	}

	// The same run without the failure is not marked and exits 0.
	out2 := t.TempDir()
	log, code = run(t, "..", []string{"PROFILE=smoke", "CORES=1", "PYTHON_SUITE=0", "BENCH=Overhead/model=seq$",
		"MACHINE=t", "OUT=" + out2}, "scripts/bench.sh")
	if code != 0 {
		t.Fatalf("bench.sh exited %d without a failing model; output:\n%s", code, log)
	}
	dirs = sets(t, out2)
	if len(dirs) != 1 {
		t.Fatalf("want one result set, got %v", dirs)
	}
	if b, err := os.ReadFile(filepath.Join(dirs[0], "bench.txt")); err != nil || bytes.Contains(b, []byte("failed: true")) {
		t.Errorf("a run without failures: err %v, bench.txt:\n%s", err, b)
	}
}

// TestBenchReadsTheProfile runs bench.sh on one cell under several
// profiles and knobs: the rounds, time per cell and adaptive budget must
// be the profile's, as bench.Profile holds them (bench.sh reads them
// through concbench describe -settings and keeps no copy), unless COUNT,
// BENCHTIME or BUDGET says otherwise; an unknown profile is refused before
// anything is measured.
func TestBenchReadsTheProfile(t *testing.T) {
	needTools(t)
	quick, err := bench.ProfileNamed("quick")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		env    []string
		status int
		rounds int    // the rounds: line and the count of runs
		iters  string // each result line's iteration count
		logHas string
	}{
		{"quick", []string{"PROFILE=quick"}, 0, quick.Rounds, strings.TrimSuffix(quick.BenchTime, "x"),
			fmt.Sprintf("then up to %ds of adaptive rounds", int(quick.Budget.Seconds()))},
		{"quick, knobs", []string{"PROFILE=quick", "COUNT=1", "BUDGET=0", "BENCHTIME=2x"}, 0, 1, "2",
			"then up to 0s of adaptive rounds"},
		{"unknown profile", []string{"PROFILE=huge"}, 2, 0, "", `bench.sh: PROFILE 'huge': unknown profile "huge"`},
		{"bad budget", []string{"PROFILE=smoke", "BUDGET=soon"}, 2, 0, "", "BUDGET must be seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			env := append([]string{"CORES=1", "PYTHON_SUITE=0", "BENCH=Overhead/model=seq$", "MACHINE=t", "OUT=" + out},
				tc.env...)
			log, code := run(t, "..", env, "scripts/bench.sh")
			if code != tc.status {
				t.Fatalf("bench.sh exited %d, want %d; output:\n%s", code, tc.status, log)
			}
			if !strings.Contains(log, tc.logHas) {
				t.Errorf("output lacks %q:\n%s", tc.logHas, log)
			}
			dirs := sets(t, out)
			if tc.status != 0 {
				if len(dirs) != 0 {
					t.Errorf("a refused run left sets %v", dirs)
				}
				return
			}
			if len(dirs) != 1 {
				t.Fatalf("want one result set, got %v; output:\n%s", dirs, log)
			}
			b, err := os.ReadFile(filepath.Join(dirs[0], "bench.txt"))
			if err != nil {
				t.Fatal(err)
			}
			txt := string(b)
			if want := fmt.Sprintf("\nrounds: %d\n", tc.rounds); !strings.Contains(txt, want) {
				t.Errorf("bench.txt lacks %q:\n%s", want, txt)
			}
			var results int
			for _, l := range strings.Split(txt, "\n") {
				if f := strings.Fields(l); len(f) > 2 && f[0] == "BenchmarkOverhead/model=seq" {
					results++
					if f[1] != tc.iters {
						t.Errorf("%s iterations, want %s: %s", f[1], tc.iters, l)
					}
				}
			}
			if results != tc.rounds {
				t.Errorf("%d results, want one a round (%d):\n%s", results, tc.rounds, txt)
			}
		})
	}
}

// TestOneSchedule runs bench.sh with the Python suite on one Go cell and
// its CPython counterpart under the standard profile: the Python rounds
// must come between the Go rounds, Python round j right after Go round
// ceil((2j-1)·rounds / (2·py-rounds)), so that host drift moves both alike;
// and no Go result may carry the Python runs' config lines, which benchfmt
// would otherwise carry over to the Go runs after them.
func TestOneSchedule(t *testing.T) {
	needTools(t)
	if !hasPython() {
		t.Skip("no python3 >= 3.9: the Python suite cannot run here")
	}
	std, err := bench.ProfileNamed("standard")
	if err != nil {
		t.Fatal(err)
	}
	if std.PyRounds >= std.Rounds {
		t.Fatalf("standard has %d Python rounds for %d Go rounds: this test wants fewer, to see them spread", std.PyRounds, std.Rounds)
	}
	out := t.TempDir()
	log, code := run(t, "..", []string{"PROFILE=standard", "CORES=1", "BUDGET=0", "MACHINE=t", "OUT=" + out,
		"BENCH=Overhead/model=(py-)?seq", "PYTHONS=python3"}, "scripts/bench.sh")
	if code != 0 {
		t.Fatalf("bench.sh exited %d; output:\n%s", code, log)
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

	var want []string
	for g, j := 1, 1; g <= std.Rounds; g++ {
		want = append(want, fmt.Sprintf("go %d", g))
		for ; j <= std.PyRounds && (2*j-1)*std.Rounds <= 2*std.PyRounds*g; j++ {
			want = append(want, fmt.Sprintf("py %d", j))
		}
	}
	var got []string
	r := benchfmt.NewReader(f, file)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Errorf("%v", r.Result())
			continue
		}
		runner := res.GetConfig("runner")
		side := "go"
		if strings.Contains(string(res.Name), "model=py-") {
			side = "py"
			if runner != "pyref" {
				t.Errorf("%s: a Python result with runner %q, want pyref", res.Name, runner)
			}
		} else {
			for _, c := range res.Config {
				if c.Key == "runner" || c.Key == "gil" || strings.HasPrefix(c.Key, "python-") || strings.HasSuffix(c.Key, "-py") {
					t.Errorf("%s (round %s): a Go result carries the Python suite's %s: %s", res.Name, res.GetConfig("round"), c.Key, c.Value)
				}
			}
		}
		got = append(got, side+" "+res.GetConfig("round"))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("the runs came in the order\n\t%s\nwant\n\t%s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "index.html")); err != nil {
		t.Errorf("no report beside the set: %v", err)
	}
}

// TestPinsFromTopology runs bench.sh on a fake topology whose CPU 1 is
// faster than CPU 0 (cpu_capacity): one core must be pinned to CPU 1, as
// concbench describe -pin chooses, not to CPU 0, for the Go runs and the
// Python suite's alike; and every result must carry the topology and its
// run's CPUs (cpu-list, cpu-smt, cpu-packages), read by the bench binary
// from its real affinity.
func TestPinsFromTopology(t *testing.T) {
	needTools(t)
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing to choose")
	}
	sysfs := t.TempDir()
	for name, content := range map[string]string{
		"online":                            "0-1",
		"cpu0/topology/core_cpus_list":      "0",
		"cpu0/topology/physical_package_id": "0",
		"cpu0/cpu_capacity":                 "512",
		"cpu1/topology/core_cpus_list":      "1",
		"cpu1/topology/physical_package_id": "0",
		"cpu1/cpu_capacity":                 "1024",
	} {
		p := filepath.Join(sysfs, "devices", "system", "cpu", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	python := hasPython()
	out := t.TempDir()
	env := []string{"PROFILE=smoke", "CORES=1,2", "MACHINE=t", "OUT=" + out, "CONCBENCH_SYSFS=" + sysfs,
		"BENCH=Overhead/model=(py-)?seq", "PYTHONS=python3"}
	if !python {
		env = append(env, "PYTHON_SUITE=0")
	}
	log, code := run(t, "..", env, "scripts/bench.sh")
	if code != 0 {
		t.Fatalf("bench.sh exited %d; output:\n%s", code, log)
	}
	if want := "cores on CPUs: 1 → 1; 2 → 0-1 (1 slow core)"; !strings.Contains(log, want) {
		t.Errorf("output lacks %q:\n%s", want, log)
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
	seen := map[string]bool{}
	r := benchfmt.NewReader(f, file)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Errorf("%v", r.Result())
			continue
		}
		name := string(res.Name)
		side := "go"
		if strings.Contains(name, "model=py-") {
			side = "py"
		}
		cores, want := "1", "1"
		if strings.HasSuffix(name, "-2") {
			cores, want = "2", "0-1"
		}
		seen[side+" "+cores] = true
		for k, v := range map[string]string{"cpu-list": want, "cpu-smt": "false", "cpu-packages": "1", "pinned": "true"} {
			if got := res.GetConfig(k); got != v {
				t.Errorf("%s: %s %q, want %q", name, k, got, v)
			}
		}
		if res.GetConfig("topology-source") == "" || res.GetConfig("topology-cores") == "" {
			t.Errorf("%s: no topology-source or topology-cores line", name)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"go 1", "go 2"}
	if python {
		want = append(want, "py 1", "py 2")
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no result of %s cores", w)
		}
	}
}

// TestBenchPythonNeverChangesASet runs make bench-python on a copy of the
// repository: with no RESULTS (on a fresh clone, the newest set is the
// committed reference, measured elsewhere and with the Python suite in it
// already) every committed file under results/ must stay as it is; and on a
// set of this machine it must write a new set, leaving the old one alone.
func TestBenchPythonNeverChangesASet(t *testing.T) {
	needTools(t, "make")
	repo := copyRepo(t)
	before := hashTree(t, filepath.Join(repo, "results"))
	if len(before) == 0 {
		t.Fatal("the copy has no results/")
	}
	log, _ := run(t, repo, []string{"COUNT=1", "PROFILE=smoke", "CORES=1"}, "make", "bench-python")
	after := hashTree(t, filepath.Join(repo, "results"))
	for name, h := range before {
		if after[name] != h {
			t.Errorf("make bench-python changed results/%s; output:\n%s", name, log)
		}
	}

	if !hasPython() {
		t.Skip("no python3 >= 3.9: the Python suite cannot run here")
	}
	// A Go-only set of this machine, as make bench PYTHON_SUITE=0 writes one.
	src := filepath.Join(repo, "results", "t", "20000101T000000Z")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	set := "machine: t\ncommit: test\nrounds: 1\nround: 1\ncores: 1\nprofile: smoke\n" +
		"BenchmarkCores/workload=hash/model=seq \t1\t20000000 ns/op\t800 tasks/s\t10 p50-ms\t20 p99-ms\t1.0 cpu-util\n"
	if err := os.WriteFile(filepath.Join(src, "bench.txt"), []byte(set), 0o644); err != nil {
		t.Fatal(err)
	}
	log, code := run(t, repo, []string{"MACHINE=t", "COUNT=1", "CORES=1", "BENCH=Cores/workload=hash/model=py-seq@"},
		"make", "bench-python", "RESULTS="+src)
	if code != 0 {
		t.Fatalf("make bench-python exited %d; output:\n%s", code, log)
	}
	if b, err := os.ReadFile(filepath.Join(src, "bench.txt")); err != nil || string(b) != set {
		t.Errorf("the source set changed (err %v):\n%s", err, b)
	}
	dirs := sets(t, filepath.Join(repo, "results"))
	var derived string
	for _, d := range dirs {
		if filepath.Base(filepath.Dir(d)) == "t" && d != src {
			derived = d
		}
	}
	if derived == "" {
		t.Fatalf("no new set beside %s: %v; output:\n%s", src, dirs, log)
	}
	b, err := os.ReadFile(filepath.Join(derived, "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	txt := string(b)
	for _, want := range []string{"derived-from: " + src + "\n", "python-appended: true\n", set,
		"BenchmarkCores/workload=hash/model=py-seq"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the new set lacks %q:\n%s", want, txt)
		}
	}
	if _, err := os.Stat(filepath.Join(derived, "index.html")); err != nil {
		t.Errorf("no report beside the new set: %v", err)
	}
	// The new set has this interpreter's results: the same one again is refused.
	log, code = run(t, repo, []string{"MACHINE=t", "COUNT=1", "CORES=1"}, "make", "bench-python", "RESULTS="+derived)
	if code == 0 || !strings.Contains(log, "has the Python suite's results of Python") {
		t.Errorf("make bench-python on a set with this Python's results: exit %d, want a refusal; output:\n%s", code, log)
	}
}

// copyRepo copies the repository's files that git knows or would add (the
// working tree as it is, untracked files included, ignored ones not) into a
// temporary directory.
func copyRepo(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "-C", "..", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join("..", name)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// hashTree returns the SHA-256 of every file under root, by relative path.
func hashTree(t *testing.T, root string) map[string]string {
	t.Helper()
	h := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(root, p)
		h[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
