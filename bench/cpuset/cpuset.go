package cpuset

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Source says where a Topology was read from, and so what it knows.
type Source int

const (
	// Unknown: nothing was read; runs cannot be pinned to chosen CPUs.
	Unknown Source = iota
	// Sysfs: Linux's /sys/devices/system/cpu, every CPU's core and package.
	Sysfs
	// Sysctl: macOS's counts of physical cores and logical CPUs, which
	// say how many there are but not which is which; macOS has no CPU
	// affinity, so runs cannot be pinned.
	Sysctl
)

func (s Source) String() string {
	switch s {
	case Sysfs:
		return "sysfs"
	case Sysctl:
		return "sysctl"
	}
	return "unknown"
}

// A Core is one physical core and the logical CPUs (SMT threads) on it.
type Core struct {
	Package int
	CPUs    []int // ascending
	// Capacity is the kernel's relative speed of the core (cpu_capacity,
	// the fastest kind 1024), or 0 where the kernel does not say.
	Capacity int
	// Slow marks a slower kind of core than the machine's fastest: an
	// efficiency core (Intel's cpu_atom, a lower cpu_capacity on ARM).
	Slow bool
}

// A Topology is how a machine's logical CPUs sit on physical cores and
// packages, as far as its Source tells.
type Topology struct {
	Source Source
	// Cores are the physical cores (with Sysfs), ordered by package, then
	// by lowest CPU.
	Cores []Core
	// Kinds reports whether the source tells fast cores from slow ones
	// (cpu_capacity, or Intel's cpu_core and cpu_atom lists); without it
	// no core is marked Slow, and the split is unknown.
	Kinds bool
	// Physical and Logical count the cores and logical CPUs where the
	// source gives only counts (Sysctl).
	Physical, Logical int
	// Reason says why CPUs cannot be chosen, when Source is not Sysfs.
	Reason string
}

// CoreCount returns the number of physical cores, 0 if unknown.
func (t *Topology) CoreCount() int {
	if t.Source == Sysfs {
		return len(t.Cores)
	}
	return t.Physical
}

// CPUCount returns the number of logical CPUs, 0 if unknown.
func (t *Topology) CPUCount() int {
	if t.Source != Sysfs {
		return t.Logical
	}
	n := 0
	for _, c := range t.Cores {
		n += len(c.CPUs)
	}
	return n
}

// Packages returns the distinct packages (sockets), ascending; nil if
// unknown.
func (t *Topology) Packages() []int {
	var ps []int
	for _, c := range t.Cores {
		if !slices.Contains(ps, c.Package) {
			ps = append(ps, c.Package)
		}
	}
	sort.Ints(ps)
	return ps
}

// CoresPerPackage returns the number of physical cores of each package,
// in the order of Packages.
func (t *Topology) CoresPerPackage() []int {
	ps := t.Packages()
	n := make([]int, len(ps))
	for _, c := range t.Cores {
		n[slices.Index(ps, c.Package)]++
	}
	return n
}

// ThreadsPerCore returns the most logical CPUs any core has (2 with SMT,
// 1 without), or 0 if unknown.
func (t *Topology) ThreadsPerCore() int {
	if t.Source != Sysfs {
		if t.Physical > 0 && t.Logical%t.Physical == 0 {
			return t.Logical / t.Physical
		}
		return 0
	}
	n := 0
	for _, c := range t.Cores {
		n = max(n, len(c.CPUs))
	}
	return n
}

// FastSlow returns the counts of fast and slow physical cores, and whether
// the source tells them apart.
func (t *Topology) FastSlow() (fast, slow int, known bool) {
	if !t.Kinds {
		return 0, 0, false
	}
	for _, c := range t.Cores {
		if c.Slow {
			slow++
		} else {
			fast++
		}
	}
	return fast, slow, true
}

// Within returns the topology restricted to the given CPUs (the ones a
// process may use): cores without any of them are left out.
func (t *Topology) Within(cpus []int) *Topology {
	out := *t
	out.Cores = nil
	for _, c := range t.Cores {
		var in []int
		for _, cpu := range c.CPUs {
			if slices.Contains(cpus, cpu) {
				in = append(in, cpu)
			}
		}
		if len(in) > 0 {
			c.CPUs = in
			out.Cores = append(out.Cores, c)
		}
	}
	return &out
}

// Order returns every CPU in the order runs take them: the physical cores
// of one package first (the package with the fastest, then the most,
// cores), one CPU each, the fastest cores first and then by lowest CPU;
// then the package's second SMT threads, and so on; then the next package
// the same way. So k cores are k physical cores wherever the first
// package has them.
func (t *Topology) Order() []int {
	byPkg := map[int][]Core{}
	for _, c := range t.Cores {
		byPkg[c.Package] = append(byPkg[c.Package], c)
	}
	pkgs := t.Packages()
	for _, p := range pkgs {
		slices.SortFunc(byPkg[p], func(a, b Core) int {
			if c := faster(a, b); c != 0 {
				return c
			}
			return a.CPUs[0] - b.CPUs[0]
		})
	}
	slices.SortStableFunc(pkgs, func(a, b int) int {
		if c := faster(byPkg[a][0], byPkg[b][0]); c != 0 {
			return c
		}
		return len(byPkg[b]) - len(byPkg[a])
	})
	var order []int
	for _, p := range pkgs {
		for thread := 0; ; thread++ {
			took := false
			for _, c := range byPkg[p] {
				if thread < len(c.CPUs) {
					order = append(order, c.CPUs[thread])
					took = true
				}
			}
			if !took {
				break
			}
		}
	}
	return order
}

// faster orders cores by speed: fast kinds first, then higher capacity.
func faster(a, b Core) int {
	switch {
	case a.Slow != b.Slow:
		if a.Slow {
			return 1
		}
		return -1
	case a.Capacity != b.Capacity:
		return b.Capacity - a.Capacity
	}
	return 0
}

// ErrCannotPin is what Choose returns where the topology gives no CPUs to
// choose from; the error says why.
var ErrCannotPin = errors.New("cannot pin")

// Choose returns the first k CPUs of Order and what they are.
func (t *Topology) Choose(k int) (Choice, error) {
	if t.Source != Sysfs {
		return Choice{}, fmt.Errorf("%w: %s", ErrCannotPin, t.Reason)
	}
	order := t.Order()
	if k < 1 || k > len(order) {
		return Choice{}, fmt.Errorf("%d cores: the topology has %d CPUs", k, len(order))
	}
	return t.Describe(order[:k]), nil
}

// A Choice is a list of CPUs and what they are in the topology.
type Choice struct {
	CPUs     []int // ascending
	Cores    int   // physical cores they are on
	SMT      bool  // some of them share a physical core
	Packages int   // packages they span
	// Slow counts the slow physical cores among Cores, where the
	// topology tells kinds apart (Topology.Kinds).
	Slow int
	// Unknown counts the CPUs the topology does not hold (each counted
	// as a core of its own).
	Unknown int
}

// Describe says what the given CPUs are in the topology: how many physical
// cores and packages they span, whether two share a core.
func (t *Topology) Describe(cpus []int) Choice {
	ch := Choice{CPUs: slices.Sorted(slices.Values(cpus))}
	ch.CPUs = slices.Compact(ch.CPUs)
	var pkgs []int
	seen := 0
	for _, c := range t.Cores {
		n := 0
		for _, cpu := range c.CPUs {
			if slices.Contains(ch.CPUs, cpu) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		seen += n
		ch.Cores++
		ch.SMT = ch.SMT || n > 1
		if c.Slow {
			ch.Slow++
		}
		if !slices.Contains(pkgs, c.Package) {
			pkgs = append(pkgs, c.Package)
		}
	}
	ch.Packages = len(pkgs)
	ch.Unknown = len(ch.CPUs) - seen
	ch.Cores += ch.Unknown
	return ch
}

// List returns the CPUs as a kernel CPU list ("0,2,4-7"), as taskset -c
// and /sys take them.
func (c Choice) List() string { return FormatList(c.CPUs) }

// Marks returns what a reader of a speedup at this many cores must know:
// "SMT: 8 CPUs on 4 cores", "2 packages", "2 slow cores"; none for
// distinct fast cores of one package.
func (c Choice) Marks() []string {
	var m []string
	if c.SMT {
		m = append(m, fmt.Sprintf("SMT: %s on %s", plural(len(c.CPUs), "CPU"), plural(c.Cores, "core")))
	}
	if c.Packages > 1 {
		m = append(m, fmt.Sprintf("%d packages", c.Packages))
	}
	if c.Slow > 0 {
		m = append(m, plural(c.Slow, "slow core"))
	}
	if c.Unknown > 0 {
		m = append(m, plural(c.Unknown, "CPU")+" outside the topology")
	}
	return m
}

// plural says "1 core", "2 cores".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// ParseList parses a kernel CPU list such as "0-3,6" (the format of
// /sys/devices/system/cpu/online and taskset -c); an empty list is empty.
func ParseList(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var cpus []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b < a {
			return nil, fmt.Errorf("not a CPU list: %q", s)
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// FormatList formats CPUs as a kernel CPU list, ascending, runs as ranges:
// "0,2,4-7".
func FormatList(cpus []int) string {
	cpus = slices.Compact(slices.Sorted(slices.Values(cpus)))
	var parts []string
	for i := 0; i < len(cpus); {
		j := i
		for j+1 < len(cpus) && cpus[j+1] == cpus[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(cpus[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", cpus[i], cpus[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}
