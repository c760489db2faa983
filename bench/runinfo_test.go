package bench

import (
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench/cpuset"
)

func TestCalibrate(t *testing.T) {
	c := Calibrate(5*time.Millisecond, 3)
	if c.Cores != runtime.GOMAXPROCS(0) {
		t.Errorf("Cores = %d, want GOMAXPROCS %d", c.Cores, runtime.GOMAXPROCS(0))
	}
	if !(c.Min > 0 && c.Min <= c.Speedup && c.Speedup <= c.Max) {
		t.Errorf("calibration %+v: want 0 < Min <= Speedup <= Max", c)
	}
	// Even a machine shared with a busy neighbour does some work on every
	// CPU; a speedup far above the CPU count is a measuring error. The
	// median of the repeats is the figure the report reads; a single
	// repeat whose one-worker phase was preempted can read far above it
	// (Max 3.40 at 2 CPUs, median 0.49, with other tests busy beside it).
	if c.Speedup > 1.5*float64(c.Cores) {
		t.Errorf("calibration %+v: Speedup over 1.5 × Cores", c)
	}
}

// TestCalibrationConfig pins the config lines that the report reads.
func TestCalibrationConfig(t *testing.T) {
	got := calibrationConfig(Calibration{Speedup: 1.934, Min: 1.5, Max: 1.996, Cores: 2})
	want := []string{"calibration-speedup: 1.93", "calibration-cores: 2", "calibration-spread: 1.50..2.00"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	line := calibrationConfig(Calibrate(time.Millisecond, 1))[2].String()
	if !regexp.MustCompile(`^calibration-spread: \d+\.\d\d\.\.\d+\.\d\d$`).MatchString(line) {
		t.Errorf("spread line %q, want calibration-spread: MIN..MAX", line)
	}
}

// TestTopologyConfig pins the topology-* and cpu-* lines that the report
// reads, on the fake sysfs trees of bench/cpuset.
func TestTopologyConfig(t *testing.T) {
	for _, tc := range []struct {
		tree string
		cpus []int
		want string
	}{
		{"two-packages", []int{0, 1, 4}, "topology-source: sysfs; topology-packages: 2; topology-cores: 4; topology-cpus: 8; " +
			"topology-cores-per-package: 2,2; topology-threads-per-core: 2; " +
			"cpu-list: 0-1,4; cpu-cores: 2; cpu-smt: true; cpu-packages: 2"},
		{"big-little", []int{4, 5}, "topology-source: sysfs; topology-packages: 1; topology-cores: 8; topology-cpus: 8; " +
			"topology-cores-per-package: 8; topology-threads-per-core: 1; topology-fast-cores: 4; topology-slow-cores: 4; " +
			"cpu-list: 4-5; cpu-cores: 2; cpu-smt: false; cpu-packages: 1; cpu-slow-cores: 0"},
		{"big-little", nil, "topology-source: sysfs; topology-packages: 1; topology-cores: 8; topology-cpus: 8; " +
			"topology-cores-per-package: 8; topology-threads-per-core: 1; topology-fast-cores: 4; topology-slow-cores: 4"},
	} {
		topo, err := cpuset.Read(filepath.Join("cpuset", "testdata", tc.tree))
		if err != nil {
			t.Fatal(err)
		}
		if got := joinLines(TopologyConfig(topo, tc.cpus)); got != tc.want {
			t.Errorf("%s, CPUs %v:\ngot  %s\nwant %s", tc.tree, tc.cpus, got, tc.want)
		}
	}
	mac := &cpuset.Topology{Source: cpuset.Sysctl, Physical: 10, Logical: 10, Reason: "macOS has no CPU affinity"}
	if got, want := joinLines(TopologyConfig(mac, nil)), "topology-source: sysctl; topology-cores: 10; topology-cpus: 10; topology-threads-per-core: 1"; got != want {
		t.Errorf("macOS:\ngot  %s\nwant %s", got, want)
	}
	if got, want := joinLines(TopologyConfig(&cpuset.Topology{}, []int{0})), "topology-source: unknown"; got != want {
		t.Errorf("unknown: got %s, want %s", got, want)
	}
}

// TestMachineConfigTopology: this machine's set records where its
// topology came from, and on Linux the CPUs this process may use.
func TestMachineConfigTopology(t *testing.T) {
	got := map[string]string{}
	for _, l := range MachineConfig() {
		got[l.Key] = l.Value
	}
	if got["topology-source"] == "" {
		t.Errorf("no topology-source line in %v", got)
	}
	if got["topology-source"] == "sysfs" && got["cpu-list"] != got["affinity"] {
		t.Errorf("cpu-list %q, want the affinity %q", got["cpu-list"], got["affinity"])
	}
}

func joinLines(lines []ConfigLine) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = l.String()
	}
	return strings.Join(s, "; ")
}
