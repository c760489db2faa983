package cpuset

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite the fake sysfs trees in testdata/ from fakeTrees")

// A fakeTree is a sysfs tree as the kernel lays it out, small enough to
// read in a test: cpus[i] is cpu i.
type fakeTree struct {
	name   string
	online string // devices/system/cpu/online; "" leaves it out
	cpus   []fakeCPU
	// coreCPUs and atomCPUs are Intel hybrid's devices/cpu_core/cpus and
	// devices/cpu_atom/cpus; "" leaves them out.
	coreCPUs, atomCPUs string
	// siblingsFile names the file that lists a core's CPUs:
	// core_cpus_list (kernels since 5.7), thread_siblings_list (older), or
	// "" for core_id alone.
	siblingsFile string
}

type fakeCPU struct {
	pkg, core int
	siblings  string
	capacity  int // cpu_capacity; 0 leaves it out
}

// smt8 builds 8 CPUs of one package on 4 cores, with siblings as given.
func smt8(name string, siblings [8]string, core [8]int) fakeTree {
	t := fakeTree{name: name, online: "0-7", siblingsFile: "core_cpus_list"}
	for i := range 8 {
		t.cpus = append(t.cpus, fakeCPU{core: core[i], siblings: siblings[i]})
	}
	return t
}

// fakeTrees are the committed trees under testdata/ (go test -regen
// rewrites them).
var fakeTrees = []fakeTree{
	// Siblings side by side, as many clouds number hyperthreads.
	smt8("smt-adjacent", [8]string{"0-1", "0-1", "2-3", "2-3", "4-5", "4-5", "6-7", "6-7"}, [8]int{0, 0, 1, 1, 2, 2, 3, 3}),
	// Siblings half the machine apart, as most bare-metal x86 kernels number them.
	smt8("smt-split", [8]string{"0,4", "1,5", "2,6", "3,7", "0,4", "1,5", "2,6", "3,7"}, [8]int{0, 1, 2, 3, 0, 1, 2, 3}),
	// Two packages of 2 cores × 2 threads, CPUs alternating between them;
	// an older kernel's file names.
	{name: "two-packages", online: "0-7", siblingsFile: "thread_siblings_list", cpus: []fakeCPU{
		{0, 0, "0,4", 0}, {1, 0, "1,5", 0}, {0, 1, "2,6", 0}, {1, 1, "3,7", 0},
		{0, 0, "0,4", 0}, {1, 0, "1,5", 0}, {0, 1, "2,6", 0}, {1, 1, "3,7", 0},
	}},
	// ARM big.LITTLE: four little cores numbered first, then four big
	// ones; cpu_capacity tells them apart.
	{name: "big-little", online: "0-7", siblingsFile: "core_cpus_list", cpus: []fakeCPU{
		{0, 0, "0", 446}, {0, 1, "1", 446}, {0, 2, "2", 446}, {0, 3, "3", 446},
		{0, 0, "4", 1024}, {0, 1, "5", 1024}, {0, 2, "6", 1024}, {0, 3, "7", 1024},
	}},
	// Intel hybrid: 2 performance cores with SMT (cpu_core), 4 efficiency
	// cores without (cpu_atom), no cpu_capacity; cpu 7 offline.
	{name: "intel-hybrid", online: "0-6", siblingsFile: "core_cpus_list", coreCPUs: "0-3", atomCPUs: "4-7", cpus: []fakeCPU{
		{0, 0, "0-1", 0}, {0, 0, "0-1", 0}, {0, 4, "2-3", 0}, {0, 4, "2-3", 0},
		{0, 8, "4", 0}, {0, 9, "5", 0}, {0, 10, "6", 0}, {0, 11, "7", 0},
	}},
	// No online file and no sibling lists: cpuN directories and core_id
	// alone, as some containers show.
	{name: "core-id-only", cpus: []fakeCPU{{0, 0, "", 0}, {0, 1, "", 0}, {0, 0, "", 0}, {0, 1, "", 0}}},
}

// write lays the tree out under dir.
func (f fakeTree) write(dir string) error {
	files := map[string]string{}
	cpu := filepath.Join("devices", "system", "cpu")
	if f.online != "" {
		files[filepath.Join(cpu, "online")] = f.online
	}
	if f.coreCPUs != "" {
		files[filepath.Join("devices", "cpu_core", "cpus")] = f.coreCPUs
	}
	if f.atomCPUs != "" {
		files[filepath.Join("devices", "cpu_atom", "cpus")] = f.atomCPUs
	}
	for i, c := range f.cpus {
		d := filepath.Join(cpu, fmt.Sprintf("cpu%d", i))
		files[filepath.Join(d, "topology", "core_id")] = fmt.Sprint(c.core)
		files[filepath.Join(d, "topology", "physical_package_id")] = fmt.Sprint(c.pkg)
		if f.siblingsFile != "" {
			files[filepath.Join(d, "topology", f.siblingsFile)] = c.siblings
		}
		if c.capacity > 0 {
			files[filepath.Join(d, "cpu_capacity")] = fmt.Sprint(c.capacity)
		}
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// TestFakeTrees checks that the committed trees are what fakeTrees says,
// file for file (go test -regen rewrites them).
func TestFakeTrees(t *testing.T) {
	for _, f := range fakeTrees {
		dir := filepath.Join("testdata", f.name)
		if *regen {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := f.write(dir); err != nil {
				t.Fatal(err)
			}
		}
		want := t.TempDir()
		if err := f.write(want); err != nil {
			t.Fatal(err)
		}
		if got, exp := treeFiles(t, dir), treeFiles(t, want); got != exp {
			t.Errorf("%s differs from fakeTrees (go test -regen rewrites it):\n%s\nwant\n%s", dir, got, exp)
		}
	}
}

// treeFiles lists every file under dir with its content, one a line.
func treeFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		c, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s: %s", filepath.ToSlash(rel), c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
