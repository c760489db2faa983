package compare

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	mstats "github.com/montanaflynn/stats"

	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/stats"
)

// MaxCompare is the most result sets one comparison takes: beyond it the
// charts stop being readable (one colour and marker per machine).
const MaxCompare = 20

// A Input names one result set of a comparison: a result directory
// or a benchfmt file, and the label it goes by ("" means its machine name).
type Input struct {
	Label string
	Path  string
}

// ParseInput reads a command-line argument, "path" or "label=path".
// An argument that names an existing file or directory is a path even if
// it contains '='.
func ParseInput(arg string) Input {
	if _, err := os.Stat(arg); err == nil {
		return Input{Path: arg}
	}
	if label, path, ok := strings.Cut(arg, "="); ok && label != "" && path != "" {
		return Input{Label: label, Path: path}
	}
	return Input{Path: arg}
}

// Options tune a comparison.
type Options struct {
	// Lax keeps malformed lines as warnings, as report.LoadOptions.Lax.
	Lax bool
	// Title heads the pages; empty means "concbench compare: A vs B".
	Title string
	// Margin is the practical margin of the ratio tables' decisions, as
	// report.Options.Margin; zero means report.DefaultMargin.
	Margin float64
}

// A Machine is one result set of a comparison: its label, where it came
// from, and its single-machine analysis (whose Set holds the cells).
type Machine struct {
	Label    string
	Path     string
	Analysis *report.Analysis
}

// Set is the machine's result set.
func (m *Machine) Set() *report.Set { return m.Analysis.Set }

// Fingerprint returns the value of a fingerprint key of the machine's
// configuration ("cpu", "go-version", …), or "".
func (m *Machine) Fingerprint(key string) string { return m.Set().ConfigValue(key) }

// Calibration returns the median calibration speedup of the runs at the
// machine's largest core count within its CPUs, and that core count; 0, 0
// when the runs did not report one.
func (m *Machine) Calibration() (float64, int) {
	r := m.Set().Run(m.Analysis.MaxCores)
	if r == nil || len(r.CalibrationSpeedup) == 0 {
		return 0, 0
	}
	v, _ := mstats.Median(r.CalibrationSpeedup)
	return v, r.Cores
}

// A Comparison puts result sets from several machines (or runs) side by
// side. Machines[0] is the baseline every other machine's makespans are
// divided by.
type Comparison struct {
	Title     string
	Machines  []*Machine
	Pairs     []*Pair            // Machines[i] against Machines[0], i ≥ 1
	Workloads []*WorkloadCompare // BenchmarkCores, in the matrix's order
	Warnings  []string           // why the machines may not be comparable

	legends []string // machines' labels shortened for legends
	opt     Options
}

// A Pair compares one machine's makespans (ns/op) with the baseline's,
// cell by cell: same benchmark name, same core count.
type Pair struct {
	Base, Other *Machine
	Tables      []*RatioTable // in the matrix's order, then by core count
	// Claims are the rows' decisions: one family per table.
	Claims *stats.Claims
	// OnlyBase and OnlyOther are the cells one side has and the other
	// lacks, at core counts both measured.
	OnlyBase, OnlyOther []*report.Cell
	// BaseCores and OtherCores are the core counts only one side measured
	// (a bigger machine's); their cells are in the speedup curves only.
	BaseCores, OtherCores []int
}

// A RatioTable is the cells of one benchmark configuration (the name but
// its model) at one core count, one row per model, compared between two
// machines. Its rows are one family of claims (Holm within it, and
// Benjamini–Hochberg across the pair's tables), so a table's power does not
// depend on how many tables there are.
type RatioTable struct {
	Group   string // e.g. "BenchmarkCores/workload=primes", the overview's row
	Config  string // e.g. "BenchmarkMix/cpu=50"
	Cores   int
	Oversub bool // either machine ran this core count oversubscribed
	Rows    []*RatioRow
}

// Title names the table: "BenchmarkMix/cpu=50 at 4 cores".
func (t *RatioTable) Title() string {
	s := fmt.Sprintf("%s at %d %s", t.Config, t.Cores, prose.Plural(t.Cores, "core"))
	if t.Oversub {
		s += " (oversubscribed)"
	}
	return s
}

// A RatioRow is one cell on both machines.
type RatioRow struct {
	Name        string // the cell within its table: its model, or a foreign benchmark's name
	Base, Other *report.Cell
	// Ratio is Other's makespan over Base's as the ratio of their
	// geometric means with its 95% Welch interval (> 1: Other is slower):
	// the estimator Claim decides on, before the table's correction.
	Ratio report.Estimate
	Claim *stats.Claim // Other against Base, decided within the table

	margin float64
}

// Compare loads 2 to MaxCompare result sets, one machine each, and compares
// them with the first. Bad input, a set holding several machines, a
// repeated label or a set with no cell in common with the first returns an
// error wrapping *report.InputError.
func Compare(inputs []Input, opt Options) (*Comparison, error) {
	if len(inputs) < 2 || len(inputs) > MaxCompare {
		return nil, fmt.Errorf("compare needs 2 to %d result sets, got %d", MaxCompare, len(inputs))
	}
	cmp := &Comparison{Title: opt.Title, opt: opt}
	for _, in := range inputs {
		s, err := report.Load([]string{in.Path}, report.LoadOptions{Lax: opt.Lax})
		if err != nil {
			return nil, err
		}
		if len(s.Machines) > 1 {
			return nil, &report.InputError{File: in.Path, Msg: fmt.Sprintf(
				"holds results from %d machines (%s): give each machine's result directory or file as its own input",
				len(s.Machines), strings.Join(s.Machines, ", "))}
		}
		a, err := report.Analyze(s, report.Options{Margin: opt.Margin})
		if err != nil {
			return nil, err
		}
		cmp.Machines = append(cmp.Machines, &Machine{Label: in.Label, Path: in.Path, Analysis: a})
	}
	if err := cmp.label(); err != nil {
		return nil, err
	}
	if cmp.Title == "" {
		if len(cmp.Machines) == 2 {
			cmp.Title = fmt.Sprintf("concbench compare: %s vs %s", cmp.Machines[1].Label, cmp.Machines[0].Label)
		} else {
			cmp.Title = fmt.Sprintf("concbench compare: %d machines against %s", len(cmp.Machines), cmp.Machines[0].Label)
		}
	}
	base := cmp.Machines[0]
	for _, m := range cmp.Machines[1:] {
		p := newPair(base, m, cmp.margin())
		if len(p.Tables) == 0 {
			return nil, &report.InputError{File: m.Path, Msg: fmt.Sprintf(
				"no cell (benchmark name and core count with ns/op) in common with %s (%s): nothing to compare", base.Label, base.Path)}
		}
		cmp.Pairs = append(cmp.Pairs, p)
	}
	cmp.workloads()
	cmp.warnings()
	return cmp, nil
}

// label gives every machine a unique label: the one given, else its
// machine name; machines that share a name are told apart by the name of
// their result directory (the run's stamp), else by a number.
func (cmp *Comparison) label() error {
	explicit := map[string]string{}
	for _, m := range cmp.Machines {
		if m.Label == "" {
			continue
		}
		if p, ok := explicit[m.Label]; ok {
			return &report.InputError{File: m.Path, Msg: fmt.Sprintf("label %q is already given to %s", m.Label, p)}
		}
		explicit[m.Label] = m.Path
	}
	byName := map[string][]*Machine{}
	var names []string
	for _, m := range cmp.Machines {
		if m.Label != "" {
			continue
		}
		name := m.Set().Machines[0]
		if byName[name] == nil {
			names = append(names, name)
		}
		byName[name] = append(byName[name], m)
	}
	taken := func(l string) bool { _, ok := explicit[l]; return ok }
	for _, name := range names {
		ms := byName[name]
		if len(ms) == 1 && !taken(name) {
			ms[0].Label = name
			continue
		}
		stamps := map[string]bool{}
		ok := true
		for _, m := range ms {
			st := stampOf(m.Path)
			l := name + "@" + st
			if st == "" || st == name || stamps[l] || taken(l) {
				ok = false
				break
			}
			stamps[l] = true
		}
		for i, m := range ms {
			switch {
			case ok:
				m.Label = name + "@" + stampOf(m.Path)
			case i == 0 && !taken(name):
				m.Label = name
			default:
				n := i + 1
				for taken(fmt.Sprintf("%s#%d", name, n)) {
					n++
				}
				m.Label = fmt.Sprintf("%s#%d", name, n)
			}
			explicit[m.Label] = m.Path
		}
	}
	return nil
}

// stampOf is the name of the directory that holds a result set: the UTC
// stamp in results/<machine>/<stamp>/bench.txt.
func stampOf(path string) string {
	dir := path
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		dir = filepath.Dir(path)
	}
	b := filepath.Base(filepath.Clean(dir))
	if b == "." || b == string(filepath.Separator) {
		return ""
	}
	return b
}

// warnings says what makes the machines less than comparable: different
// profiles, Go versions or harness commits, cells one side lacks,
// interrupted runs, too few samples, and the sets' own load warnings.
func (cmp *Comparison) warnings() {
	w := func(format string, args ...any) { cmp.Warnings = append(cmp.Warnings, fmt.Sprintf(format, args...)) }
	differ := func(key, what, why string) {
		vals := map[string][]string{}
		var order []string
		for _, m := range cmp.Machines {
			v := m.Fingerprint(key)
			if v == "" {
				v = "unknown"
			}
			if vals[v] == nil {
				order = append(order, v)
			}
			vals[v] = append(vals[v], m.Label)
		}
		if len(order) < 2 {
			return
		}
		var parts []string
		for _, v := range order {
			parts = append(parts, fmt.Sprintf("%s (%s)", v, prose.List(vals[v], 4)))
		}
		w("different %s: %s; %s", what, strings.Join(parts, ", "), why)
	}
	differ("profile", "profiles", "batches and sample counts differ, so cells measure different amounts of work or noise")
	differ("go-version", "Go versions", "runtime and compiler changes are part of every difference")
	differ("commit", "concbench commits", "the harness itself may differ between the runs")
	for _, m := range cmp.Machines {
		s := m.Set()
		if s.Incomplete {
			w("%s is an incomplete run (interrupted): it lacks cells and its last cell may have fewer samples", m.Label)
		}
		few := 0
		for _, c := range s.Cells {
			if st, ok := c.Stats[report.UnitTime]; ok && st.N < report.MinSamples {
				few++
			}
		}
		if few > 0 {
			w("%s: %d of %d cells have fewer than %d samples; their intervals are wide and their differences often undecided",
				m.Label, few, len(s.Cells), report.MinSamples)
		}
		for _, e := range s.Warnings {
			w("%s: %v", m.Label, e)
		}
	}
	for _, p := range cmp.Pairs {
		if n := len(p.OnlyBase); n > 0 {
			w("%s lacks %d %s that %s has, e.g. %s", p.Other.Label, n, prose.Plural(n, "cell"), p.Base.Label, prose.List(mapCells(p.OnlyBase, cellLabel), 3))
		}
		if n := len(p.OnlyOther); n > 0 {
			w("%s has %d %s that %s lacks (not compared), e.g. %s", p.Other.Label, n, prose.Plural(n, "cell"), p.Base.Label, prose.List(mapCells(p.OnlyOther, cellLabel), 3))
		}
		// Undecided rows say how many more rounds would decide them.
		if n := p.Counts(); n.Undecided > 0 {
			more := 0
			for _, r := range p.Rows() {
				if r.Claim != nil && r.Claim.Outcome == stats.Undecided && r.Claim.MoreRounds > 0 {
					more = max(more, r.Claim.MoreRounds)
				}
			}
			msg := fmt.Sprintf("%s vs %s: %d of %d cells are undecided against the %s margin", p.Other.Label, p.Base.Label,
				n.Undecided, len(p.Rows()), prose.Pct(p.Claims.Options().Margin))
			if more > 0 {
				msg += fmt.Sprintf("; up to about %d more rounds on each machine would decide those that can be", more)
			}
			w("%s", msg)
		}
	}
	for i, m := range cmp.Machines {
		for _, o := range cmp.Machines[:i] {
			if sameFiles(m.Set().Files, o.Set().Files) {
				w("%s and %s are the same files", o.Label, m.Label)
			}
		}
	}
}

func sameFiles(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, err1 := filepath.Abs(a[i])
		y, err2 := filepath.Abs(b[i])
		if err1 != nil || err2 != nil || x != y {
			return false
		}
	}
	return true
}

// margin is the comparison's practical margin.
func (cmp *Comparison) margin() float64 {
	if cmp.opt.Margin == 0 {
		return report.DefaultMargin
	}
	return cmp.opt.Margin
}

// matrix is the comparison's description of the matrix: the first
// machine's that describes one (their models and order are the same
// across concbench's result sets), else the baseline's.
func (cmp *Comparison) matrix() *report.Matrix {
	for _, m := range cmp.Machines {
		if m.Set().Matrix.Described {
			return m.Set().Matrix
		}
	}
	return cmp.Machines[0].Set().Matrix
}
