package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	laptopSet = "../../report/compare/testdata/compare/laptop"
	serverSet = "../../report/compare/testdata/compare/server"
)

// TestCompareCLI runs concbench compare on the report's two synthetic
// machines and checks stdout, stderr and the files written.
func TestCompareCLI(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runCompare([]string{"-o", dir, laptopSet, "big=" + serverSet}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	golden(t, "compare.stdout", strings.ReplaceAll(stdout.String(), dir, "$DIR"))
	golden(t, "compare.stderr", stderr.String())
	for _, f := range []string{"compare.html", "compare.md", "charts/compare-makespan.svg", "charts/compare-makespan.png", "charts/compare-speedup-primes.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareCLIErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // on stderr
	}{
		{"no input", nil, 2, "need 2 to 20 result sets, got 0"},
		{"one input", []string{laptopSet}, 2, "need 2 to 20 result sets, got 1"},
		{"bad flag", []string{"-x", laptopSet, serverSet}, 2, "flag provided but not defined: -x"},
		{"no common cell", []string{laptopSet, "../../report/testdata/generic.txt"}, 2, "in common with laptop"},
		{"bad file", []string{laptopSet, "../../report/testdata/bad/nan.txt"}, 2, "concbench compare: ../../report/testdata/bad/nan.txt:2: non-finite value"},
		{"missing file", []string{laptopSet, "nonexistent.txt"}, 2, "concbench compare: nonexistent.txt: cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"-o", t.TempDir()}, tc.args...)
			if code := runCompare(args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic") {
				t.Errorf("stderr looks like a panic:\n%s", stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

func TestCompareInMainUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"help"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "concbench compare [-o DIR]") {
		t.Errorf("help: exit %d, usage lacks compare:\n%s", code, stdout.String())
	}
	if code := run([]string{"compare"}, &stdout, &stderr); code != 2 {
		t.Errorf("compare without inputs: exit %d, want 2", code)
	}
}
