package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
)

// This file reads what a set says about how its cores sit on the
// machine's physical cores and packages (issue 30): the topology-* lines
// of the machine and the cpu-* lines of each run. A core count whose CPUs
// share physical cores (SMT) measures threads, not cores: it is marked on
// the speedup charts and in the verdicts, and no scaling law is fitted to
// it while the set has distinct-core points to fit.

// topologyPrefix starts the machine's topology lines (topology-packages,
// topology-cores, …), shown together as one row of the machine table.
const topologyPrefix = "topology-"

// runCPUKeys are the per-run lines that say what a run's CPUs are.
var runCPUKeys = map[string]bool{"cpu-list": true, "cpu-cores": true, "cpu-smt": true, "cpu-packages": true, "cpu-slow-cores": true}

// A Placement is what a run's CPUs are, as its cpu-* lines record them.
type Placement struct {
	// Recorded is false for a run without cpu-* lines: a set from before
	// they were written, or a machine whose topology could not be read.
	Recorded bool
	CPUs     string // cpu-list: the CPUs the run was pinned to, "0,2"
	Cores    int    // cpu-cores: the physical cores they are on
	SMT      bool   // cpu-smt: two of them share a physical core
	Packages int    // cpu-packages: the packages they span
	// Slow is the count of slow cores among them (cpu-slow-cores), -1
	// where the machine does not tell fast from slow.
	Slow int
}

// placement reads a run's cpu-* line into p; a value that does not parse
// is reported as want.
func (p *Placement) read(key, v string) (want string, ok bool) {
	p.Recorded = true
	switch key {
	case "cpu-list":
		p.CPUs = v
		return "", true
	case "cpu-smt":
		b, err := strconv.ParseBool(v)
		p.SMT = b
		return "true or false", err == nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return "a count", false
	}
	switch key {
	case "cpu-cores":
		p.Cores = n
	case "cpu-packages":
		p.Packages = n
	case "cpu-slow-cores":
		p.Slow = n
	}
	return "", true
}

// Shared says, for k cores, how their CPUs are not k distinct cores of one
// package: "8 cores = 4 cores × 2 threads", "on 2 packages", both joined by
// ", ", or "" when they are (or nothing was recorded).
func (p Placement) Shared(k int) string {
	var out []string
	if p.SMT {
		if p.Cores > 0 && k%p.Cores == 0 {
			out = append(out, fmt.Sprintf("%d cores = %d %s × %d threads", k, p.Cores, prose.Plural(p.Cores, "core"), k/p.Cores))
		} else if p.Cores > 0 {
			out = append(out, fmt.Sprintf("%d cores = %d SMT threads on %d physical %s", k, k, p.Cores, prose.Plural(p.Cores, "core")))
		} else {
			out = append(out, fmt.Sprintf("%d cores share physical cores (SMT)", k))
		}
	}
	if p.Packages > 1 {
		out = append(out, fmt.Sprintf("on %d packages", p.Packages))
	}
	return strings.Join(out, ", ")
}

// Placement returns what the CPUs of the run at k cores were, or the zero
// Placement where the set does not say.
func (s *Set) Placement(k int) Placement {
	if r := s.Run(k); r != nil {
		return r.Placement
	}
	return Placement{}
}

// SMT reports whether the run at k cores put two of its CPUs on one
// physical core.
func (s *Set) SMT(k int) bool { return s.Placement(k).SMT }

// TopologyRecorded reports whether the set says how its machine's CPUs
// sit on physical cores and packages (topology-* lines).
func (s *Set) TopologyRecorded() bool {
	src := s.ConfigValue("topology-source")
	return src != "" && src != "unknown"
}

// TopologyText says the machine's topology in words for the machine table:
// "1 package × 8 cores × 2 threads per core (16 CPUs); 4 fast, 4 slow
// cores", or why it is not known.
func (s *Set) TopologyText() string {
	src := s.ConfigValue("topology-source")
	if src == "" {
		return "not recorded (the set has no topology lines): its core counts may be SMT threads of fewer physical cores, or span packages"
	}
	num := func(k string) int {
		n, _ := strconv.Atoi(s.ConfigValue(topologyPrefix + k))
		return n
	}
	pk, cores, cpus, tpc := num("packages"), num("cores"), num("cpus"), num("threads-per-core")
	if pk == 0 && cores == 0 && cpus == 0 {
		return fmt.Sprintf("unknown (source: %s)", src)
	}
	var parts []string
	if per := s.ConfigValue(topologyPrefix + "cores-per-package"); per != "" && pk > 0 {
		if strings.Contains(per, ",") {
			per = "(" + per + ")"
		}
		parts = append(parts, fmt.Sprintf("%d %s × %s cores", pk, prose.Plural(pk, "package"), per))
	} else if cores > 0 {
		parts = append(parts, fmt.Sprintf("%d physical cores", cores))
	}
	if tpc > 0 {
		parts = append(parts, fmt.Sprintf("%d %s per core", tpc, prose.Plural(tpc, "thread")))
	}
	out := strings.Join(parts, " × ")
	if cpus > 0 {
		out += fmt.Sprintf(" (%d logical CPUs)", cpus)
	}
	switch f, sl := s.ConfigValue(topologyPrefix+"fast-cores"), s.ConfigValue(topologyPrefix+"slow-cores"); {
	case sl == "0":
		out += "; no slow cores"
	case f != "" && sl != "":
		out += fmt.Sprintf("; %s fast, %s slow cores", f, sl)
	}
	if src != "sysfs" {
		out += fmt.Sprintf("; from %s, counts only", src)
	}
	return out
}

// placementText says, for the runs table, the CPUs a core count ran on
// and how they are shared: "0,2", "0-3 (4 cores = 2 cores × 2 threads)",
// "—" where not recorded.
func (r *Run) placementText() string {
	p := r.Placement
	if !p.Recorded {
		return "—"
	}
	out := p.CPUs
	if out == "" {
		out = "?"
	}
	if sh := p.Shared(r.Cores); sh != "" {
		out += " (" + sh + ")"
	}
	if p.Slow > 0 {
		out += fmt.Sprintf(" (%d slow)", p.Slow)
	}
	return out
}

// distinctCores returns the cells of at whose CPUs are distinct physical
// cores, for a fit, and a note naming the SMT core counts it left out; all
// of at, with a note saying so, when nothing else would be left.
func (s *Set) distinctCores(at []*Cell) ([]*Cell, string) {
	var keep []*Cell
	var smt []int
	for _, c := range at {
		if s.SMT(c.Cores) {
			smt = append(smt, c.Cores)
			continue
		}
		keep = append(keep, c)
	}
	switch {
	case len(smt) == 0:
		return at, ""
	case len(keep) == 0:
		return at, fmt.Sprintf("fitted over SMT threads (%s): the set has no other core counts", prose.Cores(smt))
	}
	return keep, fmt.Sprintf("%s SMT threads on shared physical cores: drawn, not fitted", prose.Cores(smt))
}

// sharedCores lists the measured core counts whose CPUs are not distinct
// cores of one package, for a speedup chart's ticks, and the chart's note
// on what the mark means; nil and "" when there are none.
func (a *Measured) sharedCores() ([]int, string) {
	var marked []int
	var says []string
	smt := false
	for _, k := range a.Cores {
		if sh := a.Set.Placement(k).Shared(k); sh != "" {
			marked = append(marked, k)
			says = append(says, sh)
			smt = smt || a.Set.SMT(k)
		}
	}
	if len(marked) == 0 {
		return nil, ""
	}
	note := "*: " + strings.Join(says, "; ")
	if smt {
		note += "; an SMT point is drawn, not fitted, and a thread that shares its core gains less than a core would"
	}
	return marked, note + "."
}
