package report

import (
	"math"
	"slices"
	"strings"

	"github.com/concbench/concbench/report/stats"
)

// A Set is everything read from a group of result files: cells of samples,
// skipped cells, and the configuration that describes the runs.
type Set struct {
	Files      []string
	Config     []Config // file-level config, first value of each key, in order seen
	Machines   []string // distinct "machine" values (or "cpu" when absent)
	CPUs       int      // the machine's CPUs from the "cpus" key; 0 if unknown
	Runs       []*Run   // one per core count, ascending
	Cells      []*Cell  // sorted by name, then cores
	Skips      []*Skip
	Incomplete bool // some run says "incomplete: true"
	Failed     bool // the runner says "failed: true": a cell failed
	// Looks counts the adaptive rounds: rounds that re-ran only the cells
	// a report had left undecided ("adaptive: true").
	Looks    int
	Warnings []error // problems that did not stop the load
	// Prior is the fitted prior of the cells' log-scale ns/op variances.
	Prior stats.Prior
	// Matrix is the set's description of its benchmark matrix (matrix-*
	// config lines), never nil; Matrix.Described is false for a set that
	// does not describe one (a foreign go test file, or one that predates
	// the lines).
	Matrix *Matrix
	matrix map[string]string // matrix-* lines, first value of each key
	// Interpreters are the CPython interpreters whose suite runs the set
	// holds, in the order first seen; their keys stay out of Config.
	Interpreters []*Interpreter
	// CPUShares are a function's CPU shares its runs measured on py-seq
	// (cpu-share-WORKLOAD-py), one per run and interpreter.
	CPUShares []CPUShare

	byKey    map[cellKey]*Cell
	sides    map[*Cell]stats.Side
	adaptive map[string]bool // file#round of adaptive rounds
}

// An Interpreter is one CPython interpreter of the set's Python suite
// runs, as its config lines describe it.
type Interpreter struct {
	// Tag names its models (py-APPROACH@TAG): "3.14", "3.14t"; "" in sets
	// from before the suite tagged them.
	Tag         string
	Version     string // python-version
	GIL         string // "enabled" or "disabled" (sys._is_gil_enabled)
	StartMethod string // multiprocessing's default start method
	// HeldShare is, by kernel, the share of a unit CPython measured
	// holding the GIL (gil-held-share-KERNEL-py), as written; the loader
	// checks each is a number in [0, 1].
	HeldShare map[string]string
}

// Config is one key: value configuration line.
type Config struct{ Key, Value string }

// A Run describes the runs at one core count (GOMAXPROCS), over all rounds.
type Run struct {
	Cores              int
	Oversubscribed     bool      // more cores than CPUs, or said so by the runner
	CalibrationSpeedup []float64 // one per round that reported it
	CalibrationCores   int
	Affinity           string
	// LoopbackRate is the loopback TCP connections per second each run
	// measured (loopback-connect-rate).
	LoopbackRate []float64
	// Unpinned counts the rounds the runner could not pin to CPUs
	// ("pinned: false": no taskset, as on macOS); Pinned those it did.
	Pinned, Unpinned int
	Rounds           int // distinct "round" values seen (0 when none)
	// Placement is what its CPUs were: distinct physical cores, SMT
	// threads, packages (cpu-* lines); the first round's, as pinning
	// chooses the same CPUs every round.
	Placement Placement

	rounds map[string]bool
	calib  map[string]bool // file#round already counted
}

// A Skip is a cell that the runner skipped on purpose, with its reason.
type Skip struct {
	File   string
	Line   int
	Name   string // full name without the GOMAXPROCS suffix
	Cores  int
	Reason string
}

// A Part is one /key=value element of a benchmark name. Positional parts
// (no '=') have an empty Key.
type Part struct{ Key, Value string }

// A Cell is one benchmark at one core count: every sample of every unit.
type Cell struct {
	Machine string
	Name    string // full name without the GOMAXPROCS suffix
	Bench   string // base name, e.g. "BenchmarkCores"
	Parts   []Part
	Cores   int
	Pos     string // file:line of the first sample

	Units   []string             // units in order of first appearance
	Samples map[string][]float64 // unit → values, sorted ascending after Load
	Stats   map[string]Summary   // unit → summary, filled by Load

	byRound map[string][]float64 // "file#round" → ns/op values of that round
	pyref   bool                 // measured by the CPython suite (runner: pyref)
}

// Rounds returns the cell's ns/op by round ("file#round"), for the rounds
// in which it has exactly one sample; empty when the input names no rounds.
func (c *Cell) Rounds() map[string]float64 {
	out := make(map[string]float64, len(c.byRound))
	for r, v := range c.byRound {
		if len(v) == 1 {
			out[r] = v[0]
		}
	}
	return out
}

// cellKey identifies a cell: a machine's benchmark name (its parts parsed
// by benchfmt.Name.Parts) at one GOMAXPROCS. The report groups cells by
// this key and by the set's matrix description rather than through
// benchproc's projections: its groupings (a workload's models, a sweep's
// values in the matrix's order) come from the description, which a
// projection string cannot carry.
type cellKey struct {
	machine, name string
	cores         int
}

// Get returns the value of the name part key, or "".
func (c *Cell) Get(key string) string {
	if i := slices.IndexFunc(c.Parts, func(p Part) bool { return p.Key == key }); i >= 0 {
		return c.Parts[i].Value
	}
	return ""
}

// Workload is the workload=… part, or "".
func (c *Cell) Workload() string { return c.Get("workload") }

// Model is the model=… part, or "".
func (c *Cell) Model() string { return c.Get("model") }

// Param joins the name parts other than workload and model, e.g.
// "tasks=100" or "cpu=50"; for a foreign benchmark, all its parts.
func (c *Cell) Param() string {
	var b strings.Builder
	for _, p := range c.Parts {
		if p.Key == "workload" || p.Key == "model" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		if p.Key != "" {
			b.WriteString(p.Key)
			b.WriteByte('=')
		}
		b.WriteString(p.Value)
	}
	return b.String()
}

// Cell returns the cell of machine with the given name and core count, or
// nil. An empty machine matches the set's only machine.
func (s *Set) Cell(machine, name string, cores int) *Cell {
	if machine == "" && len(s.Machines) == 1 {
		machine = s.Machines[0]
	}
	return s.byKey[cellKey{machine, name, cores}]
}

// Run returns the run information at a core count, or nil.
func (s *Set) Run(cores int) *Run {
	for _, r := range s.Runs {
		if r.Cores == cores {
			return r
		}
	}
	return nil
}

// ConfigValue returns the first value of a file-level config key, or "".
func (s *Set) ConfigValue(key string) string {
	if i := slices.IndexFunc(s.Config, func(c Config) bool { return c.Key == key }); i >= 0 {
		return s.Config[i].Value
	}
	return ""
}

// Cores lists the distinct core counts of the cells, ascending.
func (s *Set) Cores() []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range s.Cells {
		if !seen[c.Cores] {
			seen[c.Cores] = true
			out = append(out, c.Cores)
		}
	}
	slices.Sort(out)
	return out
}

// Oversubscribed reports whether the runs at cores used more cores than
// the machine has CPUs.
func (s *Set) Oversubscribed(cores int) bool {
	if r := s.Run(cores); r != nil && r.Oversubscribed {
		return true
	}
	return s.CPUs > 0 && cores > s.CPUs
}

// moderate fits the prior of the cells' log-scale ns/op variances and
// keeps every cell's moderated side for the claims. The cells of one
// stratum share a noise level: one benchmark configuration (the name but
// its model and core count), Go and CPython apart.
func (s *Set) moderate() {
	var cells []*Cell
	var in []stats.Stratified
	for _, c := range s.Cells {
		v, ok := c.Samples[UnitTime]
		if !ok {
			continue
		}
		cells = append(cells, c)
		in = append(in, stats.Stratified{Stratum: c.Machine + "|" + s.stratum(c), Sample: stats.NewSample(v)})
	}
	noise, prior := stats.Moderate(in)
	s.Prior = prior
	s.sides = make(map[*Cell]stats.Side, len(cells))
	for i, c := range cells {
		looks := 0
		for r := range c.byRound {
			if s.adaptive[r] {
				looks++
			}
		}
		s.sides[c] = stats.Side{Sample: in[i].Sample, Noise: noise[i], Looks: looks}
	}
}

// Configuration names a cell's benchmark configuration: its name without the
// model part; a foreign benchmark's configuration is its base name.
func (c *Cell) Configuration() string {
	if c.Model() == "" {
		return c.Bench
	}
	var b strings.Builder
	b.WriteString(c.Bench)
	for _, p := range c.Parts {
		if p.Key == "model" {
			continue
		}
		b.WriteByte('/')
		if p.Key != "" {
			b.WriteString(p.Key + "=")
		}
		b.WriteString(p.Value)
	}
	return b.String()
}

// stratum names the cells whose noise is alike: a benchmark configuration
// at every core count and model, CPython's models apart from Go's.
func (s *Set) stratum(c *Cell) string {
	if s.Matrix.IsPython(c.Model()) {
		// Each interpreter's cells are noisy in their own way.
		return c.Configuration() + "|py" + s.Matrix.Interp(c.Model())
	}
	return c.Configuration()
}

// Side returns a cell's ns/op on the log scale with its moderated noise,
// for a claim; the zero Side (no samples) for a cell without ns/op.
func (s *Set) Side(c *Cell) stats.Side {
	return s.sides[c]
}

// Median is the cell's median of unit; NaN for a nil cell or a unit it
// lacks.
func (c *Cell) Median(unit string) float64 {
	if c == nil {
		return math.NaN()
	}
	if s, ok := c.Stats[unit]; ok {
		return s.Median
	}
	return math.NaN()
}
