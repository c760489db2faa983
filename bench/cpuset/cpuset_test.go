package cpuset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		tree  string
		cores int
		cpus  string
		marks string
	}{
		// The issue's table: siblings (0,1) (2,3) (4,5) (6,7).
		{"smt-adjacent", 1, "0", ""},
		{"smt-adjacent", 2, "0,2", ""},
		{"smt-adjacent", 4, "0,2,4,6", ""},
		{"smt-adjacent", 6, "0-4,6", "SMT: 6 CPUs on 4 cores"},
		{"smt-adjacent", 8, "0-7", "SMT: 8 CPUs on 4 cores"},
		// Siblings (0,4) (1,5) (2,6) (3,7).
		{"smt-split", 2, "0-1", ""},
		{"smt-split", 4, "0-3", ""},
		{"smt-split", 5, "0-4", "SMT: 5 CPUs on 4 cores"},
		// A package's SMT threads before the other package's cores.
		{"two-packages", 2, "0,2", ""},
		{"two-packages", 4, "0,2,4,6", "SMT: 4 CPUs on 2 cores"},
		{"two-packages", 5, "0-2,4,6", "SMT: 5 CPUs on 3 cores; 2 packages"},
		{"two-packages", 8, "0-7", "SMT: 8 CPUs on 4 cores; 2 packages"},
		// Big cores first, though numbered last.
		{"big-little", 1, "4", ""},
		{"big-little", 4, "4-7", ""},
		{"big-little", 6, "0-1,4-7", "2 slow cores"},
		// Performance cores, then efficiency cores, then SMT threads;
		// the offline CPU 7 never.
		{"intel-hybrid", 2, "0,2", ""},
		{"intel-hybrid", 3, "0,2,4", "1 slow core"},
		{"intel-hybrid", 5, "0,2,4-6", "3 slow cores"},
		{"intel-hybrid", 7, "0-6", "SMT: 7 CPUs on 5 cores; 3 slow cores"},
		{"core-id-only", 2, "0-1", ""},
		{"core-id-only", 4, "0-3", "SMT: 4 CPUs on 2 cores"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.tree, tc.cores), func(t *testing.T) {
			topo, err := Read(filepath.Join("testdata", tc.tree))
			if err != nil {
				t.Fatal(err)
			}
			ch, err := topo.Choose(tc.cores)
			if err != nil {
				t.Fatal(err)
			}
			if got, marks := ch.List(), strings.Join(ch.Marks(), "; "); got != tc.cpus || marks != tc.marks {
				t.Errorf("got %s (%s), want %s (%s)", got, marks, tc.cpus, tc.marks)
			}
		})
	}
}

func TestTopologyCounts(t *testing.T) {
	for _, tc := range []struct {
		tree                  string
		packages, cores, cpus int
		perPackage            string
		threads               int
		fast, slow            int
		kinds                 bool
	}{
		{"smt-adjacent", 1, 4, 8, "[4]", 2, 0, 0, false},
		{"two-packages", 2, 4, 8, "[2 2]", 2, 0, 0, false},
		{"big-little", 1, 8, 8, "[8]", 1, 4, 4, true},
		{"intel-hybrid", 1, 5, 7, "[5]", 2, 2, 3, true},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			topo, err := Read(filepath.Join("testdata", tc.tree))
			if err != nil {
				t.Fatal(err)
			}
			fast, slow, kinds := topo.FastSlow()
			got := fmt.Sprintln(len(topo.Packages()), topo.CoreCount(), topo.CPUCount(), topo.CoresPerPackage(), topo.ThreadsPerCore(), fast, slow, kinds)
			want := fmt.Sprintln(tc.packages, tc.cores, tc.cpus, tc.perPackage, tc.threads, tc.fast, tc.slow, tc.kinds)
			if got != want {
				t.Errorf("packages, cores, CPUs, cores per package, threads per core, fast, slow, kinds: got %s, want %s", got, want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	topo, err := Read(filepath.Join("testdata", "two-packages"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cpus  []int
		marks string
	}{
		{[]int{0, 1}, "2 packages"},
		{[]int{1, 5}, "SMT: 2 CPUs on 1 core"},
		{[]int{3, 9}, "1 CPU outside the topology"},
		{[]int{0, 1, 4}, "SMT: 3 CPUs on 2 cores; 2 packages"},
	} {
		if got := strings.Join(topo.Describe(tc.cpus).Marks(), "; "); got != tc.marks {
			t.Errorf("Describe(%v): got %q, want %q", tc.cpus, got, tc.marks)
		}
	}
	// Within the CPUs a process may use: 1, 3, 5 leave package 1's two
	// cores, one with its sibling.
	ch, err := topo.Within([]int{1, 3, 5}).Choose(3)
	if err != nil || ch.List() != "1,3,5" || strings.Join(ch.Marks(), "; ") != "SMT: 3 CPUs on 2 cores" {
		t.Errorf("Within(1,3,5).Choose(3): %v %v, %v", ch.List(), ch.Marks(), err)
	}
	if _, err := topo.Within([]int{1, 3, 5}).Choose(4); err == nil {
		t.Error("Choose(4) of 3 CPUs: no error")
	}
}

func TestCannotPin(t *testing.T) {
	topo := &Topology{Source: Sysctl, Physical: 8, Logical: 8, Reason: "macOS has no CPU affinity"}
	if _, err := topo.Choose(1); !errors.Is(err, ErrCannotPin) || !strings.Contains(err.Error(), "macOS") {
		t.Errorf("Choose on macOS: %v, want ErrCannotPin saying why", err)
	}
	if topo.CoreCount() != 8 || topo.ThreadsPerCore() != 1 || topo.CPUCount() != 8 {
		t.Errorf("counts: %d cores, %d threads a core, %d CPUs", topo.CoreCount(), topo.ThreadsPerCore(), topo.CPUCount())
	}
}

// TestReadErrors: a malformed tree is an error naming the file, never a
// panic or a guess.
func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bad online", map[string]string{"online": "0-x"}, "online: not a CPU list"},
		{"no online CPU", map[string]string{"online": ""}, "no CPU online"},
		{"no CPUs at all", map[string]string{"possible": "0"}, "no online file and no cpuN directory"},
		{"bad siblings", map[string]string{"online": "0", "cpu0/topology/core_cpus_list": "zero"},
			"cpu0/topology/core_cpus_list: not a CPU list"},
		{"bad package", map[string]string{"online": "0", "cpu0/topology/core_cpus_list": "0", "cpu0/topology/physical_package_id": "one"},
			"physical_package_id: not an integer"},
		{"left out of its own core", map[string]string{"online": "0-1", "cpu0/topology/core_cpus_list": "1", "cpu1/topology/core_cpus_list": "1"},
			"leave cpu0 out"},
		{"disagreeing siblings", map[string]string{"online": "0-2", "cpu0/topology/core_cpus_list": "0-1",
			"cpu1/topology/core_cpus_list": "1-2", "cpu2/topology/core_cpus_list": "1-2"}, "cpu1 shares a core with 0-1, but"},
		{"no core id", map[string]string{"online": "0", "cpu0/topology/physical_package_id": "0"}, "core_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tc.files {
				p := filepath.Join(root, "devices", "system", "cpu", name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			topo, err := Read(root)
			if err == nil || !strings.Contains(filepath.ToSlash(err.Error()), tc.want) {
				t.Errorf("Read: %v, %v; want an error saying %q", topo, err, tc.want)
			}
		})
	}
}

func TestLists(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		ok      bool
	}{
		{"0-3,6", "0-3,6", true},
		{"6,0,1,2\n", "0-2,6", true},
		{"", "", true},
		{"3-1", "", false},
		{"-1", "", false},
		{"a", "", false},
	} {
		l, err := ParseList(tc.in)
		if (err == nil) != tc.ok || (err == nil && FormatList(l) != tc.out) {
			t.Errorf("ParseList(%q) = %v, %v; want %q (ok %v)", tc.in, l, err, tc.out, tc.ok)
		}
	}
}

// The CPUs of each core count on a machine whose SMT siblings are numbered
// side by side, as many clouds number them.
func ExampleTopology_Choose() {
	topo, err := Read("testdata/smt-adjacent")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range []int{1, 2, 4, 8} {
		ch, err := topo.Choose(k)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(k, ch.List(), ch.Marks())
	}
	// Output:
	// 1 0 []
	// 2 0,2 []
	// 4 0,2,4,6 []
	// 8 0-7 [SMT: 8 CPUs on 4 cores]
}
