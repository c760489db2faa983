package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
)

// TestDescribeSettings pins describe -settings, the interface scripts/bench.sh
// and the Python suite read the profiles through: one golden file a
// profile (testdata/describe-settings-NAME.stdout), so a changed number or
// key shows in review, and every profile must have one.
func TestDescribeSettings(t *testing.T) {
	for _, p := range bench.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run([]string{"describe", "-profile", p.Name, "-settings"}, &stdout, &stderr); got != 0 {
				t.Fatalf("exit status %d; stderr:\n%s", got, stderr.String())
			}
			if stderr.Len() > 0 {
				t.Errorf("stderr: %s", stderr.String())
			}
			golden(t, "describe-settings-"+p.Name+".stdout", stdout.String())
		})
	}
}

// TestProfileSettingsRoundTrip reads describe -settings back as the runners
// do and checks that it says exactly what the profile holds: the keys in
// their fixed order, integers, go test -benchtime syntax, and durations in
// seconds that parse back to the same value.
func TestProfileSettingsRoundTrip(t *testing.T) {
	keys := []string{"name", "rounds", "benchtime", "budget", "py-rounds", "py-tasks", "py-max-fanout",
		"py-max-op", "py-overhead-tasks", "py-pool-max", "py-pool-extra"}
	for _, p := range bench.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			lines := p.Settings()
			if len(lines) != len(keys) {
				t.Fatalf("%d lines, want %d: %q", len(lines), len(keys), lines)
			}
			v := map[string]string{}
			for i, l := range lines {
				k, val, ok := strings.Cut(l, "=")
				if !ok || k != keys[i] || val == "" || strings.ContainsAny(val, " \t=") {
					t.Fatalf("line %d is %q, want %s=VALUE (one word)", i+1, l, keys[i])
				}
				v[k] = val
			}
			atoi := func(k string) int {
				n, err := strconv.Atoi(v[k])
				if err != nil || n < 1 {
					t.Errorf("%s=%s: want a positive integer", k, v[k])
				}
				return n
			}
			dur := func(k string) time.Duration {
				if !strings.HasSuffix(v[k], "s") || strings.HasSuffix(v[k], "ms") {
					t.Errorf("%s=%s: want seconds with an s suffix", k, v[k])
				}
				d, err := time.ParseDuration(v[k])
				if err != nil {
					t.Errorf("%s=%s: %v", k, v[k], err)
				}
				return d
			}
			got := bench.Profile{Name: v["name"], Rounds: atoi("rounds"), BenchTime: v["benchtime"],
				Budget: dur("budget"), PyRounds: atoi("py-rounds"), PyTasks: atoi("py-tasks"),
				PyMaxFanout: atoi("py-max-fanout"), PyMaxOp: dur("py-max-op"),
				PyOverheadTasks: atoi("py-overhead-tasks")}
			want := p
			want.Tasks, want.MixTasks, want.MaxFanout, want.GrainTotal, want.OverheadTasks, want.ConvoyCPU = 0, 0, 0, 0, 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
			if pool := (bench.PoolSize{PerCore: 1, Extra: atoi("py-pool-extra"), Max: atoi("py-pool-max")}); pool != bench.ExecutorPool {
				t.Errorf("py-pool-max, py-pool-extra read back as %v, want %v", pool, bench.ExecutorPool)
			}
			if !validBenchTime(p.BenchTime) {
				t.Errorf("benchtime=%s is not go test -benchtime syntax", p.BenchTime)
			}
			if p.Budget%time.Second != 0 {
				t.Errorf("budget %v is not whole seconds: bench.sh counts in seconds", p.Budget)
			}
		})
	}
}

// validBenchTime reports whether s is what go test -benchtime takes: a
// positive count with an x suffix, or a positive duration.
func validBenchTime(s string) bool {
	if n, ok := strings.CutSuffix(s, "x"); ok {
		c, err := strconv.Atoi(n)
		return err == nil && c > 0
	}
	d, err := time.ParseDuration(s)
	return err == nil && d > 0
}

// TestSettingsDurations checks the durations' form on values no profile
// has yet: whole seconds stay integers, others are as short as exact, never
// time.Duration's "1m30s" or "500ms", which the runners do not parse.
func TestSettingsDurations(t *testing.T) {
	for _, tc := range []struct {
		budget, maxOp time.Duration
		want          []string
	}{
		{0, 90 * time.Second, []string{"budget=0s", "py-max-op=90s"}},
		{10 * time.Minute, 20 * time.Second, []string{"budget=600s", "py-max-op=20s"}},
		{500 * time.Millisecond, 1500 * time.Microsecond, []string{"budget=0.5s", "py-max-op=0.0015s"}},
	} {
		lines := bench.Profile{Name: "x", Budget: tc.budget, PyMaxOp: tc.maxOp}.Settings()
		for _, w := range tc.want {
			if !slices.Contains(lines, w) {
				t.Errorf("budget %v, max-op %v: settings lack %q: %q", tc.budget, tc.maxOp, w, lines)
			}
		}
	}
}

// TestDescribeArgs checks describe's errors, and that without -settings
// it still prints the matrix's config lines and nothing else.
func TestDescribeArgs(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		status     int
		stdoutHas  string
		stdoutLack string
		stderrHas  string
	}{
		{"unknown profile", []string{"describe", "-profile", "huge", "-settings"}, 2, "", "", `unknown profile "huge"`},
		{"extra argument", []string{"describe", "-settings", "smoke"}, 2, "", "", "usage: concbench describe"},
		{"bad flag", []string{"describe", "-setting"}, 2, "", "", "flag provided but not defined"},
		{"matrix", []string{"describe", "-profile", "smoke"}, 0, "matrix-benchmarks: BenchmarkCores", "rounds=", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(tc.args, &stdout, &stderr); got != tc.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.status, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdoutHas) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdoutHas, stdout.String())
			}
			if tc.stdoutLack != "" && strings.Contains(stdout.String(), tc.stdoutLack) {
				t.Errorf("stdout has %q:\n%s", tc.stdoutLack, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderrHas, stderr.String())
			}
			if tc.status == 0 {
				for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
					if !strings.HasPrefix(l, "matrix-") {
						t.Errorf("describe printed %q, not a matrix-* config line", l)
					}
				}
			}
		})
	}
}

// TestDescribePin runs describe -pin on the fake sysfs trees of
// bench/cpuset: each core count's CPUs and marks, against golden files
// (testdata/describe-pin-TREE.stdout).
func TestDescribePin(t *testing.T) {
	for _, tc := range []struct {
		tree  string
		cores string
	}{
		{"smt-adjacent", ""},
		{"smt-split", "1,2,4,8,16"},
		{"two-packages", "1 2 4 6 8"},
		{"big-little", "1,2,4,6,8"},
		{"intel-hybrid", ""},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			args := []string{"describe", "-pin", "-sysfs", "../../bench/cpuset/testdata/" + tc.tree}
			if tc.cores != "" {
				args = append(args, "-cores", tc.cores)
			}
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != 0 {
				t.Fatalf("exit status %d; stderr:\n%s", got, stderr.String())
			}
			golden(t, "describe-pin-"+tc.tree+".stdout", stdout.String())
		})
	}
}

// TestDescribePinErrors: no tree, a bad tree or bad counts say so and exit
// non-zero, printing no table.
func TestDescribePinErrors(t *testing.T) {
	bad := t.TempDir()
	cpu := filepath.Join(bad, "devices", "system", "cpu")
	if err := os.MkdirAll(cpu, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cpu, "online"), []byte("0-z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"-pin", "-sysfs", filepath.Join(t.TempDir(), "none")}, 1, "no CPU topology"},
		{[]string{"-pin", "-sysfs", bad}, 1, "online: not a CPU list"},
		{[]string{"-pin", "-cores", "1,x"}, 2, `"x" is not a positive core count`},
		{[]string{"-cores", "1,2"}, 2, "usage:"},
		{[]string{"-sysfs", bad}, 2, "usage:"},
	} {
		var stdout, stderr bytes.Buffer
		got := run(append([]string{"describe"}, tc.args...), &stdout, &stderr)
		if got != tc.status || !strings.Contains(stderr.String(), tc.stderr) || (got == 1 && stdout.Len() > 0) {
			t.Errorf("describe %v: status %d, stdout %q, stderr %q; want status %d saying %q",
				tc.args, got, stdout.String(), stderr.String(), tc.status, tc.stderr)
		}
	}
}
