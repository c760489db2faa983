package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// twoInterpreters builds a set with two CPython interpreters from the
// 2-CPU reference set: its Go BenchmarkCores runs, and its CPython 3.11
// runs twice — once as they are, tagged 3.11, and once relabelled as a
// free-threaded 3.14t whose runs say "gil: disabled". No free-threaded
// build can run here, so the second copy stands in for one: its
// py-threading and py-threadpool take py-processpool's times, as threads
// without a GIL would scale, and the suite's description pairs them with
// goroutines and pool.
func twoInterpreters(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../results/epyc-2cpu/20261125T120424Z/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	goPart, pyPart, ok := bytes.Cut(data, []byte("runner: pyref\n"))
	if !ok {
		t.Fatal("the reference set has no CPython runs")
	}
	pyPart = append([]byte("runner: pyref\n"), pyPart...)
	var out bytes.Buffer
	for _, l := range strings.SplitAfter(string(goPart), "\n") {
		if !strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "BenchmarkCores/") {
			out.WriteString(l)
		}
	}
	tag := func(line, tag string) string {
		name, rest, _ := strings.Cut(line, "\t")
		base, k := splitCores(name)
		cores := ""
		if k > 1 {
			cores = "-" + strings.TrimSpace(name[len(base)+1:])
		}
		if !strings.Contains(base, "model=py-") {
			return line
		}
		model := base[strings.Index(base, "model=")+len("model="):]
		if model == "py-multiprocessing" || model == "py-processpool" {
			tag += "-fork"
		}
		return base + "@" + tag + cores + "\t" + rest
	}
	models := strings.NewReplacer(
		"py-seq:", "py-seq@%T:", "py-threading:", "py-threading@%T:", "py-asyncio:", "py-asyncio@%T:",
		"py-threadpool:", "py-threadpool@%T:", "py-multiprocessing:", "py-multiprocessing@%T-fork:",
		"py-processpool:", "py-processpool@%T-fork:")
	for _, in := range []struct{ tag, gil string }{{"3.11", "enabled"}, {"3.14t", "disabled"}} {
		times := map[string]string{} // processpool's line by name, for the GIL-free threads
		for _, l := range strings.SplitAfter(string(pyPart), "\n") {
			switch {
			case strings.HasPrefix(l, "gil: "):
				l = "gil: " + in.gil + "\n"
			case strings.HasPrefix(l, "python-version: ") && in.gil == "disabled":
				l = "python-version: 3.14.0\n"
			case strings.HasPrefix(l, "matrix-python: "):
				l = strings.ReplaceAll(models.Replace(l), "%T", in.tag)
				if in.gil == "disabled" {
					l = strings.NewReplacer(":gil-threads", ":goroutines", ":gil-pool", ":pool").Replace(l)
				}
			case strings.HasPrefix(l, "Benchmark"):
				name, rest, _ := strings.Cut(l, "\t")
				if strings.Contains(name, "model=py-processpool") {
					times[strings.Replace(name, "py-processpool", "", 1)] = rest
				}
				if in.gil == "disabled" && (strings.Contains(name, "model=py-threading") || strings.Contains(name, "model=py-threadpool")) {
					m := "py-threading"
					if strings.Contains(name, "py-threadpool") {
						m = "py-threadpool"
					}
					if r, ok := times[strings.Replace(name, m, "", 1)]; ok {
						rest = r
					}
				}
				l = tag(name+"\t"+rest, in.tag)
			}
			out.WriteString(l)
		}
	}
	return out.Bytes()
}

// A set with a GIL interpreter and a free-threaded one keeps each
// interpreter's cells apart, and pairs the GIL-free threads with Go's
// threads, not with the GIL models.
func TestTwoInterpreters(t *testing.T) {
	set, err := LoadBytes("two-interps.txt", twoInterpreters(t), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.M.Interps(); strings.Join(got, " ") != "3.11 3.14t" {
		t.Fatalf("interpreters %q, want 3.11 and 3.14t", got)
	}
	gil := map[string]string{}
	for _, in := range set.Interpreters {
		gil[in.Tag] = in.GIL
	}
	if gil["3.11"] != "enabled" || gil["3.14t"] != "disabled" {
		t.Errorf("GIL states %v, want 3.11 enabled, 3.14t disabled", gil)
	}
	pairs := map[string]string{}
	for _, r := range a.Python {
		pairs[r.Py] = r.Go
	}
	for py, want := range map[string]string{
		"py-threading@3.11": "gil-threads", "py-threadpool@3.11": "gil-pool",
		"py-threading@3.14t": "goroutines", "py-threadpool@3.14t": "pool",
		"py-processpool@3.14t-fork": "procpool", "py-asyncio@3.14t": "eventloop",
	} {
		if pairs[py] != want {
			t.Errorf("%s is paired with %q, want %q", py, pairs[py], want)
		}
	}
	if got := a.M.Baseline("py-threading@3.14t"); got != "py-seq@3.14t" {
		t.Errorf("py-threading@3.14t's baseline is %q, want py-seq@3.14t", got)
	}
	if got := a.M.Family("py-threading@3.14t"); got != "threads" {
		t.Errorf("py-threading@3.14t's family is %q, want threads (goroutines')", got)
	}
	if got := a.M.Family("py-threading@3.11"); got != "concurrency" {
		t.Errorf("py-threading@3.11's family is %q, want concurrency (gil-threads')", got)
	}
	for _, w := range a.Workloads {
		if w.Name != "primes" {
			continue
		}
		if w.PyBase["3.11"] == nil || w.PyBase["3.14t"] == nil || w.PyBase["3.11"] == w.PyBase["3.14t"] {
			t.Fatalf("primes: each interpreter needs its own py-seq at 1 core, got %v", w.PyBase)
		}
		for _, s := range w.Models {
			if s.Python && s.Interp == "" {
				t.Errorf("%s has no interpreter", s.Model)
			}
			// Each model is claimed against its own interpreter's py-seq.
			if p := s.Point(2); s.Python && p != nil && a.Claims.At(p).VsBase != nil {
				if !strings.Contains(a.Claims.At(p).VsBase.Family, "CPython "+s.Interp) {
					t.Errorf("%s at 2 cores is claimed in family %q, want CPython %s's", s.Model, a.Claims.At(p).VsBase.Family, s.Interp)
				}
			}
		}
	}
	// Side by side in the report's pages.
	dir := t.TempDir()
	if err := a.Write(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## CPython interpreters", "| 3.11 | 3.11.7 | enabled | fork |", "| 3.14t | 3.14.0 | disabled | fork |",
		"| py-threading@3.14t | goroutines |", "| py-threading@3.11 | gil-threads |"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
}
