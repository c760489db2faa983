package scripts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchPythonFunc runs make bench-python FUNC=... ARGS=... on a copy of
// the repository with a module it has never seen: a function gets a set of
// its own with its cells and a report; a function that raises under some
// models and arguments that do not pickle give failed cells with their
// messages beside the cells that ran, a report, a set marked failed: true
// and a failed make; one that raises under every model, a set of failed
// cells and a failed make.
func TestBenchPythonFunc(t *testing.T) {
	needTools(t, "make")
	if !hasPython() {
		t.Skip("no python3 >= 3.9: the Python suite cannot run here")
	}
	repo := copyRepo(t)
	user := t.TempDir()
	code := "import threading\n" +
		"def square_sum(n):\n    return sum(i * i for i in range(n))\n" +
		"def boom(n):\n    if n == 2:\n        raise ValueError('no twos')\n    return n\n" +
		"def picky(n):\n    if threading.current_thread() is not threading.main_thread():\n" +
		"        raise RuntimeError('not on the main thread')\n    return n\n" +
		"def locks():\n    return [[threading.Lock()], [threading.Lock()]]\n"
	if err := os.WriteFile(filepath.Join(user, "mine.py"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	args := filepath.Join(user, "calls.json")
	if err := os.WriteFile(args, []byte("[[1000], [2], [3000]]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(user, "results")
	env := []string{"MACHINE=t", "CORES=1", "PROFILE=smoke", "OUT=" + out, "PYTHONS=python3"}
	// onlySet returns the bench.txt of the one set under out/t, and removes
	// the set for the next run.
	onlySet := func(log string, report bool) string {
		t.Helper()
		dirs := sets(t, out)
		if len(dirs) != 1 {
			t.Fatalf("want one new set under %s, got %v; output:\n%s", out, dirs, log)
		}
		b, err := os.ReadFile(filepath.Join(dirs[0], "bench.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dirs[0], "index.html")); (err == nil) != report {
			t.Errorf("a report beside the set: %v, want %v; output:\n%s", err == nil, report, log)
		}
		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	log, status := run(t, repo, env, "make", "bench-python", "FUNC="+filepath.Join(user, "mine.py")+":square_sum", "ARGS="+args)
	if status != 0 {
		t.Fatalf("make bench-python FUNC=...:square_sum exited %d; output:\n%s", status, log)
	}
	txt := onlySet(log, true)
	for _, want := range []string{"machine: t\n", "func-workload: square-sum\n", "func-calls: 3\n",
		"BenchmarkCores/workload=square-sum/model=py-seq@", "BenchmarkCores/workload=square-sum/model=py-threadpool@",
		"BenchmarkCores/workload=square-sum/model=py-processpool@", "cpu-share-square-sum-py: ",
		"matrix-cores: workload=square-sum:3:", "--- SKIP: BenchmarkCores/workload=square-sum/model=py-asyncio@"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the set lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "failed: true") || strings.Contains(txt, "--- FAIL") {
		t.Errorf("a set without faults says it failed:\n%s", txt)
	}

	log, status = run(t, repo, env, "make", "bench-python", "FUNC="+filepath.Join(user, "mine.py")+":picky", "ARGS="+args)
	if status == 0 {
		t.Errorf("a function that raises off the main thread: make bench-python exited 0; output:\n%s", log)
	}
	txt = onlySet(log, true)
	for _, want := range []string{"failed: true\n", "--- FAIL: BenchmarkCores/workload=picky/model=py-threading@",
		"raised RuntimeError: not on the main thread (at " + filepath.Join(user, "mine.py") + ":10 in picky)",
		"BenchmarkCores/workload=picky/model=py-seq@", "BenchmarkCores/workload=picky/model=py-processpool@"} {
		if !strings.Contains(txt, want) {
			t.Errorf("a function that raises off the main thread: the set lacks %q:\n%s", want, txt)
		}
	}

	log, status = run(t, repo, env, "make", "bench-python", "FUNC="+filepath.Join(user, "mine.py")+":boom", "ARGS="+args)
	if status == 0 || !strings.Contains(log, "no cell ran") {
		t.Errorf("a function that raises under every model: exit %d, want a failure that says why; output:\n%s", status, log)
	}
	txt = onlySet(log, false)
	if !strings.Contains(txt, "failed: true\n") ||
		!strings.Contains(txt, "--- FAIL: BenchmarkCores/workload=boom/model=py-seq@") ||
		!strings.Contains(txt, "raised ValueError: no twos (at "+filepath.Join(user, "mine.py")+":6 in boom)") {
		t.Errorf("a raising function: the set lacks its failed cells and message:\n%s", txt)
	}

	log, status = run(t, repo, env, "make", "bench-python", "FUNC="+filepath.Join(user, "mine.py")+":boom",
		"ARGS="+filepath.Join(user, "mine.py")+":locks")
	if status == 0 {
		t.Errorf("unpicklable arguments: make bench-python exited 0; output:\n%s", log)
	}
	txt = onlySet(log, true)
	if !strings.Contains(txt, "failed: true\n") ||
		!strings.Contains(txt, "/model=py-processpool@") || !strings.Contains(txt, "do not pickle") ||
		!strings.Contains(txt, "BenchmarkCores/workload=boom/model=py-threadpool@") {
		t.Errorf("unpicklable arguments: the set lacks the pool's failed cell or the cells that ran:\n%s", txt)
	}

	// A FUNC that names nothing is refused before a set is made.
	log, status = run(t, repo, env, "make", "bench-python", "FUNC=nocolon", "ARGS="+args)
	if status == 0 || !strings.Contains(log, "want MODULE:FUNCTION") {
		t.Errorf("FUNC=nocolon: exit %d, want a refusal with the reason; output:\n%s", status, log)
	}
	if dirs := sets(t, out); len(dirs) != 0 {
		t.Errorf("a refused FUNC wrote %v", dirs)
	}
}
