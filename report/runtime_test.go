package report

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readCSV reads a CSV file's rows, header included.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// csvRuntime is the runtime of a results.csv model, read from its name
// alone: "go" for Go's native models, the interpreter's tag for a tagged
// py-* model, untagged for one from before the tags, and "" for seq,
// py-seq and Go's emulations of CPython, which no answer ranks.
func csvRuntime(model, untagged string) string {
	switch {
	case model == "seq" || strings.HasPrefix(model, "py-seq"):
		return ""
	case slices.Contains([]string{"gil-threads", "gil-pool", "interp-pool"}, model):
		return ""
	case !strings.HasPrefix(model, "py-"):
		return "go"
	}
	_, tag, ok := strings.Cut(model, "@")
	if !ok {
		return untagged
	}
	tag, _, _ = strings.Cut(tag, "-")
	return tag
}

// TestVerdictsPerRuntime is issue 26's check on the committed sets: the
// report writes verdicts.csv with one answer per runtime, each decided
// verdict's winner is its runtime's fastest model by the set's own
// speedup rows in results.csv, and no Go verdict names an emulation of
// CPython.
func TestVerdictsPerRuntime(t *testing.T) {
	for _, tc := range []struct {
		dir      string
		untagged string // the runtime of untagged py-* models
		runtimes []string
		cores    []int
	}{
		{"../results/epyc-2cpu/20261204T154042Z", "", []string{"go", "3.11", "3.14"}, []int{1, 2}},
		{"../results/h100-16cpu/8eb5ff7-standard", "3.12", []string{"go", "3.12"}, []int{1, 2, 4, 8, 16}},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			if testing.Short() && strings.Contains(tc.dir, "16cpu") {
				t.Skip("the 16-core set takes a while")
			}
			out := t.TempDir()
			if _, err := Report(out, []string{filepath.Join(tc.dir, "bench.txt")}, false, Options{}); err != nil {
				t.Fatal(err)
			}
			rows := readCSV(t, filepath.Join(out, "verdicts.csv"))
			if got := strings.Join(rows[0], ","); got != strings.Join(VerdictsHeader, ",") {
				t.Fatalf("verdicts.csv header %q", got)
			}
			// The fastest model of each runtime, workload and core count,
			// by results.csv's speedup rows.
			type key struct {
				runtime, workload string
				cores             int
			}
			fastest, top := map[key]string{}, map[key]float64{}
			for _, r := range readCSV(t, filepath.Join(out, "results.csv"))[1:] {
				rt := csvRuntime(r[3], tc.untagged)
				if r[1] != BenchCores || r[6] != UnitSpeedup || rt == "" {
					continue
				}
				k, _ := strconv.Atoi(r[4])
				v, err := strconv.ParseFloat(r[7], 64)
				if err != nil {
					t.Fatal(err)
				}
				if x := (key{rt, r[2], k}); v > top[x] {
					fastest[x], top[x] = r[3], v
				}
			}
			var runtimes []string
			cores := map[int]bool{}
			decided := 0
			for _, r := range rows[1:] {
				rt, workload, word, winner := r[0], r[1], r[4], r[5]
				k, _ := strconv.Atoi(r[3])
				if !slices.Contains(runtimes, rt) {
					runtimes = append(runtimes, rt)
				}
				cores[k] = true
				if rt == "go" && slices.Contains([]string{"gil-threads", "gil-pool", "interp-pool"}, winner) {
					t.Errorf("go, %s at %d cores: the winner is %s, an emulation of CPython", workload, k, winner)
				}
				if !slices.Contains([]string{WordConcurrency, WordParallelism, WordBoth}, word) {
					continue
				}
				decided++
				if want := fastest[key{rt, workload, k}]; winner != want {
					t.Errorf("%s, %s at %d cores: %s names %s, the fastest by results.csv is %s", rt, workload, k, word, winner, want)
				}
				if csvRuntime(winner, tc.untagged) != rt {
					t.Errorf("%s, %s at %d cores: the winner %s is not one of the runtime's models", rt, workload, k, winner)
				}
			}
			if !slices.Equal(runtimes, tc.runtimes) {
				t.Errorf("verdicts.csv has runtimes %v, want %v", runtimes, tc.runtimes)
			}
			for _, k := range tc.cores {
				if !cores[k] {
					t.Errorf("verdicts.csv has no verdict at %d cores", k)
				}
			}
			if decided < 10 {
				t.Errorf("only %d decided verdicts: the check above says little", decided)
			}
			t.Logf("%d verdicts, %d decided, runtimes %v", len(rows)-1, decided, runtimes)
		})
	}
}
