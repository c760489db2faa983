package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTaskCheckRefuses runs concbench task check on every malformed task
// file of workloads/testdata/badtasks: each must exit 1 with its problems
// as FILE:LINE: FIELD: MESSAGE on stderr (golden testdata/task-NAME.stderr),
// print nothing on stdout and write nothing under results/.
func TestTaskCheckRefuses(t *testing.T) {
	before := treeState(t, "../../results")
	defer func() {
		if after := treeState(t, "../../results"); after != before {
			t.Errorf("results/ changed:\nbefore\n%s\nafter\n%s", before, after)
		}
	}()
	files, err := filepath.Glob("../../workloads/testdata/badtasks/*.toml")
	if err != nil || len(files) < 10 {
		t.Fatalf("%d malformed task files (%v), want at least 10", len(files), err)
	}
	line := regexp.MustCompile(`^\.\./\.\./workloads/testdata/badtasks/[a-z-]+\.toml:[1-9][0-9]*: [a-z\[\]0-9.]+: .+$`)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run([]string{"task", "check", "-profile", "smoke", f}, &stdout, &stderr); got != 1 {
				t.Errorf("exit status %d, want 1; stderr:\n%s", got, stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout of a refused file:\n%s", stdout.String())
			}
			for _, l := range strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
				if !line.MatchString(l) {
					t.Errorf("stderr line %q is not FILE:LINE: FIELD: MESSAGE", l)
				}
			}
			golden(t, "task-"+name+".stderr", stderr.String())
		})
	}
}

// TestTaskCheck prints the plan of a good file: every step with its
// expected time, and the predictions against the profile's limit.
func TestTaskCheck(t *testing.T) {
	var stdout, stderr bytes.Buffer
	f := "../../workloads/testdata/tasks/design.toml"
	if got := run([]string{"task", "check", "-profile", "smoke", f}, &stdout, &stderr); got != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", got, stderr.String())
	}
	out := stdout.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f) + `: workload=scraper, 64 tasks in 1 group\(s\)$`),
		regexp.MustCompile(`(?m)^  group 0 \(line 2\): 64 tasks, input 4KiB, output 16KiB$`),
		regexp.MustCompile(`(?m)^    step 0 \(line 7\): +net\(20ms, 16KiB\) +expected +20ms `),
		regexp.MustCompile(`(?m)^    step 1 \(line 8\): +compute\(primes×[0-9]+ for 2ms\) +expected +[0-9.]+ms +\([0-9]+ units of [0-9.]+µs\)$`),
		regexp.MustCompile(`(?m)^    step 2 \(line 9\): +compute\(hash×8\) +expected `),
		regexp.MustCompile(`(?m)^    step 4 \(line 11\): +file\(64KiB\) +expected .*done here`),
		regexp.MustCompile(`(?m)^  predicted batch at 1 core: seq [0-9.]+m?s, goroutines .* procpool [0-9.]+m?s$`),
		regexp.MustCompile(`(?m)^  slowest: [a-z-]+, [0-9.]+m?s, within the smoke profile's limit of 5s a batch$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("stdout does not match %s:\n%s", want, out)
		}
	}
	// Unit costs given: the units follow them (2 ms at 25 µs a unit).
	stdout.Reset()
	if got := run([]string{"task", "check", "-unit-ns", "primes=25000,hash=1000", f}, &stdout, &stderr); got != 0 ||
		!strings.Contains(stdout.String(), "compute(primes×80 for 2ms)") || !strings.Contains(stdout.String(), "8 units of 1µs") {
		t.Errorf("-unit-ns: status %d, stdout:\n%s", got, stdout.String())
	}
	stdout.Reset()
	if got := run([]string{"task", "units"}, &stdout, &stderr); got != 0 ||
		!regexp.MustCompile(`^hash=[1-9][0-9]*,primes=[1-9][0-9]*,gzip=[1-9][0-9]*\n$`).MatchString(stdout.String()) {
		t.Errorf("task units: status %d, stdout %q", got, stdout.String())
	}
	for _, args := range [][]string{{"task"}, {"task", "check"}, {"task", "run", f}, {"task", "check", "-profile", "huge", f},
		{"task", "check", "-unit-ns", "md5=3", f}} {
		if got := run(args, &stdout, &stderr); got != 2 {
			t.Errorf("%q: exit status %d, want 2", args, got)
		}
	}
	// A file that cannot be read is named.
	stderr.Reset()
	if got := run([]string{"task", "check", "nonexistent.toml"}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "nonexistent.toml") {
		t.Errorf("a missing file: status %d, stderr %q", got, stderr.String())
	}
}

// The committed examples are valid task files, within the smoke profile's
// limit.
func TestTaskExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/tasks/*.toml")
	if err != nil || len(files) < 3 {
		t.Fatalf("%d example task files (%v), want at least 3", len(files), err)
	}
	var stdout, stderr bytes.Buffer
	if got := run(append([]string{"task", "check", "-profile", "smoke"}, files...), &stdout, &stderr); got != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", got, stderr.String())
	}
	for _, name := range []string{"scraper", "thumbnailer", "transform"} {
		if !strings.Contains(stdout.String(), ": workload="+name+", ") {
			t.Errorf("no workload %s in:\n%s", name, stdout.String())
		}
	}
}

// treeState describes every file under root: path, size and time of its
// last change, one a line.
func treeState(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %v\n", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
