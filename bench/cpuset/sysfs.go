package cpuset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Read reads the topology of the online CPUs from a sysfs tree mounted at
// root ("/sys" on Linux; a fake tree in tests):
//   - devices/system/cpu/online, the online CPUs (else every cpuN there);
//   - devices/system/cpu/cpuN/topology: core_cpus_list (else the older
//     thread_siblings_list, else core_id) for the CPUs sharing a physical
//     core, physical_package_id for its package (-1, as some ARM systems
//     say, is package 0);
//   - devices/system/cpu/cpuN/cpu_capacity, the relative speed (ARM
//     big.LITTLE, recent x86 hybrids);
//   - devices/cpu_core/cpus and devices/cpu_atom/cpus, Intel hybrid's
//     performance and efficiency CPUs.
//
// A file that is there but unreadable or malformed is an error naming it;
// the optional ones may be missing.
func Read(root string) (*Topology, error) {
	base := filepath.Join(root, "devices", "system", "cpu")
	online, err := onlineCPUs(base)
	if err != nil {
		return nil, err
	}
	atom, err := optionalList(filepath.Join(root, "devices", "cpu_atom", "cpus"))
	if err != nil {
		return nil, err
	}
	core, err := optionalList(filepath.Join(root, "devices", "cpu_core", "cpus"))
	if err != nil {
		return nil, err
	}
	t := &Topology{Source: Sysfs, Kinds: atom != nil || core != nil}
	capacity := map[int]int{}
	ofCPU := map[int]int{} // CPU → index in t.Cores
	maxCap := 0
	for _, cpu := range online {
		dir := filepath.Join(base, fmt.Sprintf("cpu%d", cpu))
		pkg, err := optionalInt(filepath.Join(dir, "topology", "physical_package_id"))
		if err != nil {
			return nil, err
		}
		siblings, err := siblingsOf(dir, cpu, online)
		if err != nil {
			return nil, err
		}
		if c, err := optionalInt(filepath.Join(dir, "cpu_capacity")); err != nil {
			return nil, err
		} else if c > 0 {
			capacity[cpu] = c
			maxCap = max(maxCap, c)
		}
		if i, ok := ofCPU[cpu]; ok {
			if !slices.Equal(t.Cores[i].CPUs, siblings) {
				return nil, fmt.Errorf("%s: cpu%d shares a core with %s, but %s says %s",
					base, cpu, FormatList(t.Cores[i].CPUs), dir, FormatList(siblings))
			}
			continue
		}
		for _, s := range siblings {
			if _, ok := ofCPU[s]; ok {
				return nil, fmt.Errorf("%s: cpu%d is on two cores (%s says %s)", base, s, dir, FormatList(siblings))
			}
			ofCPU[s] = len(t.Cores)
		}
		t.Cores = append(t.Cores, Core{Package: max(pkg, 0), CPUs: siblings})
	}
	if len(capacity) == len(online) {
		t.Kinds = true
	}
	for i := range t.Cores {
		c := &t.Cores[i]
		for _, cpu := range c.CPUs {
			c.Capacity = max(c.Capacity, capacity[cpu])
			c.Slow = c.Slow || slices.Contains(atom, cpu)
		}
		if len(capacity) == len(online) && c.Capacity < maxCap {
			c.Slow = true
		}
	}
	sort.SliceStable(t.Cores, func(i, j int) bool {
		a, b := t.Cores[i], t.Cores[j]
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.CPUs[0] < b.CPUs[0]
	})
	return t, nil
}

// onlineCPUs reads the online CPUs, or lists the cpuN directories where the
// kernel has no online file.
func onlineCPUs(base string) ([]int, error) {
	name := filepath.Join(base, "online")
	cpus, err := optionalList(name)
	if err != nil || cpus != nil {
		if err == nil && len(cpus) == 0 {
			err = fmt.Errorf("%s: no CPU online", name)
		}
		return cpus, err
	}
	ents, err := os.ReadDir(base)
	if err != nil {
		return nil, fmt.Errorf("no CPU topology: %w", err)
	}
	for _, e := range ents {
		if n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), "cpu")); err == nil && strings.HasPrefix(e.Name(), "cpu") && e.IsDir() {
			cpus = append(cpus, n)
		}
	}
	if len(cpus) == 0 {
		return nil, fmt.Errorf("no CPU topology: %s has no online file and no cpuN directory", base)
	}
	sort.Ints(cpus)
	return cpus, nil
}

// siblingsOf returns the online CPUs sharing cpu's physical core, cpu
// included, ascending.
func siblingsOf(dir string, cpu int, online []int) ([]int, error) {
	topo := filepath.Join(dir, "topology")
	var list []int
	found := false
	for _, f := range []string{"core_cpus_list", "thread_siblings_list"} {
		l, err := optionalList(filepath.Join(topo, f))
		if err != nil {
			return nil, err
		}
		if l != nil {
			list, found = l, true
			break
		}
	}
	if !found {
		// Only core ids: the siblings are the online CPUs of the same
		// package and core id.
		id, err := requiredInt(filepath.Join(topo, "core_id"))
		if err != nil {
			return nil, err
		}
		pkg, err := optionalInt(filepath.Join(topo, "physical_package_id"))
		if err != nil {
			return nil, err
		}
		for _, o := range online {
			od := filepath.Join(filepath.Dir(dir), fmt.Sprintf("cpu%d", o), "topology")
			oid, err := requiredInt(filepath.Join(od, "core_id"))
			if err != nil {
				return nil, err
			}
			opkg, err := optionalInt(filepath.Join(od, "physical_package_id"))
			if err != nil {
				return nil, err
			}
			if oid == id && opkg == pkg {
				list = append(list, o)
			}
		}
	}
	var in []int
	for _, s := range list {
		if slices.Contains(online, s) {
			in = append(in, s)
		}
	}
	if !slices.Contains(in, cpu) {
		return nil, fmt.Errorf("%s: the CPUs of cpu%d's core (%s) leave cpu%d out", topo, cpu, FormatList(list), cpu)
	}
	return slices.Compact(slices.Sorted(slices.Values(in))), nil
}

// optionalList reads a CPU list file; nil, nil if it does not exist.
func optionalList(name string) ([]int, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l, err := ParseList(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l == nil {
		l = []int{}
	}
	return l, nil
}

// optionalInt reads a file holding one integer; 0, nil if it does not
// exist.
func optionalInt(name string) (int, error) {
	n, err := requiredInt(name)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return n, err
}

func requiredInt(name string) (int, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("%s: not an integer: %q", name, strings.TrimSpace(string(b)))
	}
	return n, nil
}
