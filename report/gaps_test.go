package report

import (
	"strings"
	"testing"
)

// TestGapsExplained is issue 26's measure of how well the harness
// understands CPython: on the 2-CPU reference set, the costs measured in
// the set (interpreter speed, executor start, hand-over per task) leave
// at most 10% of the Go-vs-CPython pairs unexplained; every differing
// pair gets a cause or says it has none; and a thread-per-task model's
// gap is worded as its thread starts.
func TestGapsExplained(t *testing.T) {
	rs := "../results/epyc-2cpu/20261204T154042Z/bench.txt"
	a := analyzeBytes(t, rs, readRounds(t, rs, nil))
	n, of := a.Unexplained()
	differ := 0
	threads := false
	for _, r := range a.Python {
		if !r.Differs {
			if r.Gap != nil {
				t.Errorf("%s %s at %d: a gap explained where the speedups agree", r.Py, r.Param, r.Cores)
			}
			continue
		}
		differ++
		text := gapText(r)
		if !strings.HasPrefix(text, r.Py+" ") || !(strings.Contains(text, "predict") || strings.Contains(text, "unexplained")) {
			t.Errorf("gap text %q", text)
		}
		threads = threads || strings.Contains(text, "thread starts at")
	}
	t.Logf("%d of %d pairs differ; %d unexplained", differ, of, n)
	if of == 0 || float64(n) > 0.10*float64(of) {
		t.Errorf("%d of %d pairs unexplained, want at most 10%%", n, of)
	}
	if differ < 100 {
		t.Errorf("only %d pairs differ: the set should show the emulations' gaps (154 before the causes)", differ)
	}
	if !threads {
		t.Error("no gap is worded as thread starts")
	}
}

// TestEmulationsStandInWithoutCPython: in a set without CPython runs, the
// emulations answer for Python, in a runtime of their own that says so,
// and still win nothing in Go's answer.
func TestEmulationsStandInWithoutCPython(t *testing.T) {
	rs := "../results/epyc-2cpu/20261204T154042Z/bench.txt"
	var kept []string
	for _, line := range strings.Split(string(readRounds(t, rs, nil)), "\n") {
		if !strings.Contains(line, "model=py-") && !strings.HasPrefix(line, "matrix-python") {
			kept = append(kept, line)
		}
	}
	a := analyzeBytes(t, "no-cpython", []byte(strings.Join(kept, "\n")))
	var names []string
	for _, r := range a.Answers() {
		names = append(names, r.Name)
	}
	if strings.Join(names, " ") != "go emulated" {
		t.Fatalf("answers %v, want go and emulated", names)
	}
	emulated := 0
	for _, v := range a.Verdicts {
		switch v.Runtime.Kind {
		case RuntimeGo:
			if a.M.IsEmulation(v.Winner) {
				t.Errorf("Go's verdict on %s at %d names the emulation %s", v.Workload, v.Cores, v.Winner)
			}
		case RuntimeEmulated:
			emulated++
			if v.Winner != "" && !a.M.IsEmulation(v.Winner) {
				t.Errorf("the emulated answer on %s at %d names %s", v.Workload, v.Cores, v.Winner)
			}
		}
	}
	if emulated == 0 {
		t.Error("no verdicts for the emulations standing in for Python")
	}
	if note := runtimeNote(Runtime{Kind: RuntimeEmulated, Name: "emulated"}, a.M); !strings.Contains(note, "no CPython runs") || !strings.Contains(note, "stand in for Python") {
		t.Errorf("the emulated answer's note does not say it stands in: %q", note)
	}
}
