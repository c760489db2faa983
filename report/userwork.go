package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/report/internal/prose"
	"golang.org/x/perf/benchfmt"
)

// This file reads what the report says of a workload a user described:
// a task file run by make bench TASK=… (issue 27, its matrix-task-NAME
// line) or a Python function run by make bench-python FUNC=… (issue 28,
// its func-* and cpu-share-NAME-py lines). Such a workload gets what a
// built-in one gets from the rest of the report; here, its compute share,
// the kind that share makes it, and where it sits on the Mix benchmark's
// crossover.

// The shares at which a function's baseline is CPU-bound or I/O-bound, as
// the CPython suite decides its kind (scripts/pyref userfunc.py).
const (
	cpuBoundShare = 0.9
	ioBoundShare  = 0.1
)

// A CPUShare is the CPU time over the wall time of a function's py-seq
// batches in one run of an interpreter (cpu-share-WORKLOAD-py).
type CPUShare struct {
	Workload string
	Interp   string // the interpreter's tag
	Cores    int
	Share    float64
}

// A UserWork is a BenchmarkCores workload a user described, with its
// compute share and where that puts it.
type UserWork struct {
	Name string
	// From says what described it: "task file examples/tasks/scraper.toml"
	// or "function wordfreq.py:wordfreq".
	From string
	// Share is its compute share in [0, 1]: a task's compute time over
	// its steps' time alone; a function's CPU time over wall time of its
	// py-seq at the fewest cores. NaN when the set does not say.
	Share float64
	// ShareFrom says how Share was measured, for the sentence.
	ShareFrom string
	Kind      Kind
}

// cpuShare records a CPython result's cpu-share-*-py lines, once per file,
// round, core count and interpreter.
func (l *loader) cpuShare(r *benchfmt.Result, model string, cores int) {
	tag, round := interpOf(model), ""
	for _, c := range r.Config {
		switch c.Key {
		case "python-tag":
			tag = string(c.Value)
		case "round":
			round = string(c.Value)
		}
	}
	file, _ := r.Pos()
	for _, c := range r.Config {
		w, pre := strings.CutPrefix(c.Key, "cpu-share-")
		w, suf := strings.CutSuffix(w, "-py")
		if !pre || !suf || w == "" {
			continue
		}
		id := fmt.Sprintf("%s#%s#%d#%s#%s", file, round, cores, tag, w)
		if l.shares[id] {
			continue
		}
		l.shares[id] = true
		f, err := strconv.ParseFloat(string(c.Value), 64)
		if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			l.badValue(r, c.Key, string(c.Value), "a CPU share (CPU seconds over wall seconds, at least 0)")
			continue
		}
		// CPU time over wall time can pass 1: the kernel charges CPU time
		// in ticks, so a short batch reads 1.01-1.37 (measured), and a
		// function may run threads of its own in C. Either way the
		// baseline computed all the time it ran.
		l.set.CPUShares = append(l.set.CPUShares, CPUShare{Workload: w, Interp: tag, Cores: cores, Share: min(f, 1)})
	}
}

// FuncShare returns the median CPU share of a function's py-seq under
// interpreter interp at the fewest cores measured, and those cores; 0
// cores when the set has none.
func (s *Set) FuncShare(workload, interp string) (share float64, cores int) {
	var at []float64
	for _, c := range s.CPUShares {
		if c.Workload != workload || c.Interp != interp {
			continue
		}
		if cores == 0 || c.Cores < cores {
			cores, at = c.Cores, nil
		}
		if c.Cores == cores {
			at = append(at, c.Share)
		}
	}
	if cores == 0 {
		return math.NaN(), 0
	}
	return medianOf(at), cores
}

// shareKind is the kind a compute share makes a workload.
func shareKind(share float64) Kind {
	switch {
	case share >= cpuBoundShare:
		return KindCPU
	case share <= ioBoundShare:
		return KindIO
	}
	return KindMixed
}

// userKinds sets the kind of each user-described batch from its compute
// share: a task file's from its steps' times (its matrix-cores entry
// gives the kinds of its ops only: a scraper that waits 98% of the time
// has compute and net, so "mixed"), a function's from its CPU share (each
// run's matrix-cores line gives that run's, and the first seen would win).
func userKinds(s *Set) {
	for i, b := range s.Matrix.Batches[BenchCores] {
		if len(b.Parts) != 1 || b.Parts[0].Key != "workload" {
			continue
		}
		if u := userWork(s, b.Parts[0].Value); u != nil && !math.IsNaN(u.Share) {
			s.Matrix.Batches[BenchCores][i].Kind = shareKind(u.Share).batchKind()
		}
	}
}

// batchKind is the kind as a matrix-cores entry writes it.
func (k Kind) batchKind() string {
	switch k {
	case KindCPU:
		return "cpu"
	case KindIO:
		return "io"
	case KindMixed:
		return "mixed"
	}
	return ""
}

// userWork describes workload w if a user did (a task file's
// matrix-task-NAME line, or the function of the set's func-workload), or
// returns nil. A function's share is the first interpreter's that
// measured one; the sentence names each.
func userWork(s *Set, w string) *UserWork {
	if line, ok := s.matrix["matrix-task-"+w]; ok {
		file, groups, _ := strings.Cut(line, ": ")
		u := &UserWork{Name: w, From: "task file " + file, Share: math.NaN()}
		units, _ := parseUnitNs(s.matrix["matrix-task-unit-ns"])
		if c, t, ok := taskTimes(groups, units); ok {
			n := float64(taskCount(groups))
			u.Share = float64(c) / float64(t)
			u.ShareFrom = fmt.Sprintf("its steps' time alone: %s of compute in %s a task", prose.Duration(float64(c)/n), prose.Duration(float64(t)/n))
		}
		return u
	}
	if s.ConfigValue("func-workload") != w {
		return nil
	}
	u := &UserWork{Name: w, From: "function " + s.ConfigValue("func"), Share: math.NaN()}
	var says []string
	for _, in := range s.Matrix.Interps() {
		share, k := s.FuncShare(w, in)
		if k == 0 {
			continue
		}
		if math.IsNaN(u.Share) {
			u.Share = share
		}
		says = append(says, fmt.Sprintf("%s at %d %s: %s", s.Matrix.PyBaseline(in), k, prose.Plural(k, "core"), prose.Pct(share)))
	}
	if len(says) > 0 {
		u.ShareFrom = "CPU time over wall time, measured on this set's " + strings.Join(says, ", ")
	}
	return u
}

// userWorks lists the set's user-described workloads, with the kinds the
// report gives them.
func (a *Measured) userWorks() []*UserWork {
	var out []*UserWork
	for _, w := range a.Workloads {
		if u := userWork(a.Set, w.Name); u != nil {
			u.Kind = w.Kind
			out = append(out, u)
		}
	}
	return out
}

// taskCount is the tasks of a matrix-task line's groups.
func taskCount(groups string) int {
	n := 0
	for _, m := range taskGroup.FindAllStringSubmatch(groups, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return max(n, 1)
}

var (
	// taskGroup is one group of a matrix-task line: N×[in X, out Y: STEPS].
	taskGroup = regexp.MustCompile(`(\d+)×\[in [^,\]]*, out [^:\]]*: ([^\]]*)\]`)
	// taskStep is one step of a group: KIND(ARGS).
	taskStep = regexp.MustCompile(`(\w+)\(([^)]*)\)`)
)

// taskTimes sums a task line's compute time and its steps' whole time
// over every task: a compute step's units at the set's unit costs
// (matrix-task-unit-ns), or the time it was sized to, a wait as given. A
// file step has no time the line gives; it counts as none, so the share is
// an upper bound there. ok is false when a compute step's time is unknown.
func taskTimes(groups string, unitNs map[string]float64) (compute, total time.Duration, ok bool) {
	for _, g := range taskGroup.FindAllStringSubmatch(groups, -1) {
		n, _ := strconv.Atoi(g[1])
		for _, st := range taskStep.FindAllStringSubmatch(g[2], -1) {
			kind, args := st[1], st[2]
			var d time.Duration
			switch kind {
			case "compute":
				spec, asked, _ := strings.Cut(args, " for ")
				kernel, units, _ := strings.Cut(strings.Split(spec, ",")[0], "×")
				u, err := strconv.Atoi(units)
				if ns, known := unitNs[kernel]; known && err == nil {
					d = time.Duration(float64(u) * ns)
				} else if d, err = time.ParseDuration(asked); err != nil {
					return 0, 0, false
				}
				compute += time.Duration(n) * d
			case "net", "sleep":
				d, _ = time.ParseDuration(strings.TrimSpace(strings.Split(args, ",")[0]))
			}
			total += time.Duration(n) * d
		}
	}
	return compute, total, total > 0
}

// parseUnitNs reads matrix-task-unit-ns: KERNEL=NS pairs joined by commas.
func parseUnitNs(s string) (map[string]float64, bool) {
	out := map[string]float64{}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(p, "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f <= 0 {
			continue
		}
		out[k] = f
	}
	return out, len(out) > 0
}

// userWorkText says a user's workload's kind, compute share and where it
// sits on the mix crossover: "scraper (task file examples/tasks/
// scraper.toml): mixed, 2.1% compute (…), below the 58% crossover where
// processes overtake the event loop and GIL threads at 2 cores".
func userWorkText(u *UserWork, mix *Sweep) string {
	head := fmt.Sprintf("%s (%s)", u.Name, u.From)
	if math.IsNaN(u.Share) {
		if u.Kind == KindUnknown {
			return head + ": its compute share is not recorded, so it is not placed on the mix crossover"
		}
		return fmt.Sprintf("%s: %s; its compute share is not recorded, so it is not placed on the mix crossover", head, u.Kind)
	}
	pct, kind := 100*u.Share, u.Kind
	if kind == KindUnknown {
		kind = shareKind(u.Share)
	}
	out := fmt.Sprintf("%s: %s, %s compute (%s)", head, kind, prose.Pct(u.Share), u.ShareFrom)
	if mix == nil {
		return out + "; the set has no Mix benchmark, so no crossover to place it on"
	}
	switch mix.Cross {
	case CrossProcsOvertake, CrossConcOvertake:
		side, lead := "below", "processes overtake the event loop and GIL threads"
		if pct >= mix.Crossover {
			side = "above"
		}
		if mix.Cross == CrossConcOvertake {
			lead = "the event loop and GIL threads overtake processes"
		}
		return fmt.Sprintf("%s, %s the %.0f%% crossover where %s at %d cores", out, side, mix.Crossover, lead, mix.Cores)
	case CrossProcsEverywhere, CrossConcEverywhere:
		return out + "; " + crossoverNote(mix) + ", so its share does not change the choice"
	}
	return out + "; " + crossoverNote(mix)
}

// userFindings are the sentences on the set's user-described workloads.
func userFindings(a *Measured) []string {
	var out []string
	for _, u := range a.userWorks() {
		out = append(out, userWorkText(u, a.Mix)+".")
	}
	return out
}

// unionEntries joins two matrix lines of space-separated entries: prev's,
// then each of v's whose name (what precedes its first ':') prev lacks.
func unionEntries(prev, v string) string {
	out := strings.Fields(prev)
	name := func(e string) string { n, _, _ := strings.Cut(e, ":"); return n }
	for _, e := range strings.Fields(v) {
		if !slices.ContainsFunc(out, func(x string) bool { return name(x) == name(e) }) {
			out = append(out, e)
		}
	}
	return strings.Join(out, " ")
}
