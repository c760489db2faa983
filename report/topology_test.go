package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smtSet writes testdata/smt/bench.txt (go run ./report/testdata/gen -cores
// 1,2,4 -cpus 4 -only '^BenchmarkCores/workload=(hash|sleep)/' -py=false
// -rounds 5 -machine smt-4cpu) with each run's cpu-* lines: 1 and 2 cores
// on distinct physical cores, 4 on two cores × two threads when smt, and
// the 4-core runs left out when drop4.
func smtSet(t *testing.T, smt, drop4 bool) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/smt/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	place := map[string]string{
		"1": "cpu-list: 0\ncpu-cores: 1\ncpu-smt: false\ncpu-packages: 1\n",
		"2": "cpu-list: 0,2\ncpu-cores: 2\ncpu-smt: false\ncpu-packages: 1\n",
		"4": "cpu-list: 0-3\ncpu-cores: 2\ncpu-smt: true\ncpu-packages: 1\n",
	}
	topo := "topology-source: sysfs\ntopology-packages: 1\ntopology-cores: 2\ntopology-cpus: 4\ntopology-cores-per-package: 2\ntopology-threads-per-core: 2\n"
	var out strings.Builder
	skip := false
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if k, ok := strings.CutPrefix(line, "cores: "); ok {
			k = strings.TrimSpace(k)
			skip = drop4 && k == "4"
			if smt {
				line += topo + place[k]
			}
		}
		if strings.HasPrefix(line, "round: ") {
			skip = false
		}
		if skip && strings.HasPrefix(line, "Benchmark") {
			continue
		}
		out.WriteString(line)
	}
	return []byte(out.String())
}

// TestSMTMarked checks issue 30's report: a core count whose CPUs share
// physical cores is said so in the machine table, the verdicts and the
// speedup charts, and the scaling laws are fitted without it: each fit
// equals the fit to the same set with the SMT runs left out.
func TestSMTMarked(t *testing.T) {
	analyze := func(smt, drop4 bool) *Analysis { return analyzeBytes(t, "smt/bench.txt", smtSet(t, smt, drop4)) }
	marked, plain, without := analyze(true, false), analyze(false, false), analyze(false, true)

	if got, want := marked.Set.TopologyText(), "1 package × 2 cores × 2 threads per core (4 logical CPUs)"; got != want {
		t.Errorf("topology: %q, want %q", got, want)
	}
	if got := plain.Set.TopologyText(); !strings.HasPrefix(got, "not recorded") {
		t.Errorf("a set without topology lines: %q, want it not recorded", got)
	}
	if got, want := marked.Set.Run(4).placementText(), "0-3 (4 cores = 2 cores × 2 threads)"; got != want {
		t.Errorf("runs table at 4 cores: %q, want %q", got, want)
	}
	if got := marked.Set.Run(2).placementText(); got != "0,2" {
		t.Errorf("runs table at 2 cores: %q, want 0,2", got)
	}

	said := 0
	for _, v := range marked.Verdicts {
		text := marked.Text.Verdict(v)
		has := strings.Contains(text, "(4 cores = 2 cores × 2 threads)")
		if has != (v.Cores == 4) {
			t.Errorf("verdict at %d cores, SMT said %v: %s", v.Cores, has, text)
		}
		if has {
			said++
		}
	}
	if said == 0 {
		t.Error("no verdict at 4 cores")
	}

	fitted, excluded := 0, 0
	for wi, w := range marked.Workloads {
		for mi, s := range w.Models {
			m, p, x := marked.Fits.Model(s), plain.Fits.Model(plain.Workloads[wi].Models[mi]), without.Fits.Model(without.Workloads[wi].Models[mi])
			if m.Amdahl == nil || x.Amdahl == nil {
				continue
			}
			fitted++
			if m.Amdahl.Points != 2 || m.Amdahl.Serial != x.Amdahl.Serial {
				t.Errorf("%s %s: marked fit over %d points, serial %g; want the fit without 4 cores: %d points, serial %g",
					w.Name, s.Model, m.Amdahl.Points, m.Amdahl.Serial, x.Amdahl.Points, x.Amdahl.Serial)
			}
			if p.Amdahl != nil && p.Amdahl.Points != 3 {
				t.Errorf("%s %s: unmarked fit over %d points, want 3", w.Name, s.Model, p.Amdahl.Points)
			}
			if !strings.Contains(m.FitNote, "4 cores SMT threads on shared physical cores: drawn, not fitted") {
				t.Errorf("%s %s: fit note %q does not say 4 cores were left out", w.Name, s.Model, m.FitNote)
			}
			excluded++
		}
	}
	if fitted == 0 || excluded != fitted {
		t.Errorf("%d fits compared, %d excluded the SMT point", fitted, excluded)
	}

	for _, c := range marked.Charts() {
		if !strings.HasPrefix(c.File, "speedup-") {
			continue
		}
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{">4*<", "4 cores = 2 cores × 2 threads; an SMT point is drawn, not fitted"} {
			if !strings.Contains(string(svg), want) {
				t.Errorf("%s: no %q", c.File, want)
			}
		}
	}
}

// TestPlacementBad checks that a cpu-* value that does not parse is an
// error naming its line.
func TestPlacementBad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bench.txt")
	in := "cores: 1\ncpu-smt: perhaps\nBenchmarkX 1 10 ns/op\n"
	if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load([]string{p}, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), `cpu-smt: "perhaps" is not true or false`) || !strings.Contains(err.Error(), ":2") {
		t.Errorf("Load: %v, want cpu-smt's value refused at line 2", err)
	}
}

func TestPlacementShared(t *testing.T) {
	for _, tc := range []struct {
		p    Placement
		k    int
		want string
	}{
		{Placement{Recorded: true, Cores: 8, Packages: 1}, 8, ""},
		{Placement{Recorded: true, Cores: 4, SMT: true, Packages: 1}, 8, "8 cores = 4 cores × 2 threads"},
		{Placement{Recorded: true, Cores: 1, SMT: true, Packages: 1}, 2, "2 cores = 1 core × 2 threads"},
		{Placement{Recorded: true, Cores: 4, SMT: true, Packages: 1}, 6, "6 cores = 6 SMT threads on 4 physical cores"},
		{Placement{Recorded: true, Cores: 16, Packages: 2}, 16, "on 2 packages"},
		{Placement{Recorded: true, Cores: 8, SMT: true, Packages: 2}, 16, "16 cores = 8 cores × 2 threads, on 2 packages"},
		{Placement{}, 4, ""},
	} {
		if got := tc.p.Shared(tc.k); got != tc.want {
			t.Errorf("%+v at %d: %q, want %q", tc.p, tc.k, got, tc.want)
		}
	}
}
