package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/concbench/concbench/report/internal/prose"
)

// emulations are the Go models that emulate a mechanism no Go program
// uses — CPython's global interpreter lock and its per-interpreter locks —
// as DESIGN §1 names them: they are drawn and set beside their CPython
// counterparts to explain them, and win in neither Go's answer nor
// CPython's. Only a set without CPython runs lets them stand in for
// Python, in an answer of their own that says so.
var emulations = []string{"gil-threads", "gil-pool", "interp-pool"}

// IsEmulation reports whether model is a Go emulation of CPython (a GIL
// or per-interpreter locks) rather than a Go-native model.
func (m *Matrix) IsEmulation(model string) bool {
	return !m.IsPython(model) && slices.Contains(emulations, model)
}

// A RuntimeKind says whose models a Runtime ranks.
type RuntimeKind uint8

// The kinds of runtime a report answers for.
const (
	RuntimeGo       RuntimeKind = iota // Go's native models against seq
	RuntimeCPython                     // one interpreter's py-* models against its py-seq
	RuntimeEmulated                    // Go's emulations of CPython, against seq
)

// A Runtime is one question a report answers, with one verdict and one
// winner map per workload and core count: Go's (its native models), each
// CPython interpreter's (its own py-* models against its own py-seq), and
// the emulations' (claims only, or an answer standing in for Python in a
// set without CPython).
type Runtime struct {
	Kind RuntimeKind
	// Name is how files and verdicts.csv name it: "go", the
	// interpreter's tag ("3.14"; its version's major.minor for a set
	// from before the suite tagged its models, "3.12"), or "emulated".
	Name string
	// Interp is a CPython runtime's tag as its models carry it
	// (Matrix.Interp), "" for untagged models.
	Interp string
}

// String is the runtime as a heading says it: "Go", "CPython 3.11", or
// "Python, emulated in Go".
func (r Runtime) String() string {
	switch r.Kind {
	case RuntimeCPython:
		if r.Name == "python" {
			return "CPython" // an untagged set that names no version
		}
		return "CPython " + r.Name
	case RuntimeEmulated:
		return "Python, emulated in Go"
	}
	return "Go"
}

// has reports whether s is one of the runtime's models.
func (r Runtime) has(m *Matrix, s *Scaling) bool {
	switch r.Kind {
	case RuntimeCPython:
		return s.Python && s.Interp == r.Interp
	case RuntimeEmulated:
		return !s.Python && m.IsEmulation(s.Model)
	}
	return !s.Python && !m.IsEmulation(s.Model)
}

// base is the runtime's baseline cell of w at 1 core.
func (r Runtime) base(w *Workload) *Cell {
	if r.Kind == RuntimeCPython {
		return w.PyBase[r.Interp]
	}
	return w.Base
}

// runtimes lists every runtime whose claims the report decides: Go, the
// emulations when the set has any, and each CPython interpreter, oldest
// first.
func (a *Measured) runtimes() []Runtime {
	var out []Runtime
	if a.M.HasGo() {
		out = append(out, Runtime{Kind: RuntimeGo, Name: "go"})
	}
	if slices.ContainsFunc(a.M.Models, func(x ModelInfo) bool { return a.M.IsEmulation(x.Name) }) {
		out = append(out, Runtime{Kind: RuntimeEmulated, Name: "emulated"})
	}
	var py []Runtime
	for _, in := range a.M.Interps() {
		py = append(py, Runtime{Kind: RuntimeCPython, Name: a.Set.runtimeName(in), Interp: in})
	}
	slices.SortStableFunc(py, func(x, y Runtime) int { return compareVersions(x.Name, y.Name) })
	return append(out, py...)
}

// Answers lists the runtimes a report gives verdicts and a winner map
// for: Go and each CPython interpreter; the emulations only in a set
// without CPython, standing in for it.
func (a *Measured) Answers() []Runtime {
	rs := a.runtimes()
	hasPy := slices.ContainsFunc(rs, func(r Runtime) bool { return r.Kind == RuntimeCPython })
	return slices.DeleteFunc(rs, func(r Runtime) bool { return r.Kind == RuntimeEmulated && hasPy })
}

// runtimeName names a CPython interpreter's runtime: its tag, or for a
// set whose models carry none, the major.minor of the version its runs
// report (python-version: 3.12.3 → "3.12"), else "python".
func (s *Set) runtimeName(tag string) string {
	if tag != "" {
		return tag
	}
	for _, in := range s.Interpreters {
		if in.Tag == "" && in.Version != "" {
			if f := strings.SplitN(in.Version, ".", 3); len(f) >= 2 {
				return f[0] + "." + f[1]
			}
			return in.Version
		}
	}
	return "python"
}

// family names a runtime's claims at a workload and core count: one
// family per question, as DecideClaims asks it.
func (r Runtime) family(w *Workload, k int) string {
	fam := fmt.Sprintf("%s/workload=%s at %d %s", BenchCores, w.Name, k, prose.Plural(k, "core"))
	switch r.Kind {
	case RuntimeCPython:
		if r.Interp == "" {
			return fam + ", CPython"
		}
		return fam + ", CPython " + r.Interp
	case RuntimeEmulated:
		return fam + ", Go's emulations of CPython"
	}
	return fam
}
