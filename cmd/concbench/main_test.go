package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite testdata/*.stdout and *.stderr")

// TestReportCLI drives the report subcommand through run and compares its
// output with golden files: testdata/NAME.stdout and NAME.stderr.
func TestReportCLI(t *testing.T) {
	const rt = "../../report/testdata/"
	for _, tc := range []struct {
		name   string
		args   []string
		status int
	}{
		{"report-synthetic", []string{"report", "-o", "OUT", rt + "synthetic"}, 0},
		{"report-partial", []string{"report", "-o", "OUT", rt + "partial"}, 0},
		{"report-generic", []string{"report", "-o", "OUT", rt + "generic.txt"}, 0},
		{"report-nosweep", []string{"report", "-o", "OUT", rt + "nosweep.txt"}, 0},
		{"report-empty", []string{"report", "-o", "OUT", rt + "bad/empty.txt"}, 2},
		{"report-text", []string{"report", "-o", "OUT", rt + "bad/text.txt"}, 2},
		{"report-truncated", []string{"report", "-o", "OUT", rt + "bad/truncated.txt"}, 2},
		{"report-truncated-lax", []string{"report", "-lax", "-o", "OUT", rt + "bad/truncated.txt"}, 0},
		{"report-nan", []string{"report", "-o", "OUT", rt + "bad/nan.txt"}, 2},
		{"report-emptydir", []string{"report", "-o", "OUT", "EMPTY"}, 2},
		{"report-noargs", []string{"report"}, 2},
		{"report-badflag", []string{"report", "-x"}, 2},
		{"report-badmargin", []string{"report", "-margin", "-3", rt + "synthetic"}, 2},
		{"report-undecided", []string{"report", "-undecided", "../../results/epyc-2cpu/20261124T222228Z/bench.txt"}, 0},
		{"report-undecided-margin", []string{"report", "-undecided", "-margin", "10", "../../results/epyc-2cpu/20261124T222228Z/bench.txt"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, empty := t.TempDir(), t.TempDir()
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.NewReplacer("OUT", out, "EMPTY", empty).Replace(a)
			}
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != tc.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.status, stderr.String())
			}
			clean := func(s string) string {
				return strings.NewReplacer(out, "OUT", empty, "EMPTY").Replace(s)
			}
			golden(t, tc.name+".stdout", clean(stdout.String()))
			golden(t, tc.name+".stderr", clean(stderr.String()))
			if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic") {
				t.Errorf("stderr has a stack trace:\n%s", stderr.String())
			}
			if tc.status == 0 && !strings.Contains(tc.name, "undecided") {
				for _, f := range []string{"index.html", "summary.md", "results.csv"} {
					if _, err := os.Stat(filepath.Join(out, f)); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *regen {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/concbench -regen creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run([]string{"help"}, &stdout, &stderr); got != 0 || !strings.Contains(stdout.String(), "concbench report [-o DIR]") {
		t.Errorf("help: status %d, stdout %q", got, stdout.String())
	}
}
