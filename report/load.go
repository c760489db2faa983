package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/concbench/concbench/report/stats"
)

// LoadOptions control how Load treats malformed input.
type LoadOptions struct {
	// Lax keeps malformed lines (syntax errors, non-finite values) as
	// warnings and reports on the rest. Without it they are errors, except
	// in a file marked "incomplete: true", whose last result may be cut.
	Lax bool
}

// An InputError is bad input: the file, the line where one applies (0 for
// the file as a whole), and what is wrong with it.
type InputError struct {
	File string
	Line int
	Msg  string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

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

// interpKey reports whether a config key describes a CPython interpreter
// rather than the machine: such keys differ between the interpreters of
// one set.
func interpKey(k string) bool {
	return strings.HasPrefix(k, "python-") || k == "gil" || strings.HasPrefix(k, "mp-start-method") || strings.HasSuffix(k, "-py")
}

// interpreter records the interpreter of a Python suite result.
func (l *loader) interpreter(r *benchfmt.Result, model string) {
	in := &Interpreter{Tag: interpOf(model), HeldShare: map[string]string{}}
	for _, c := range r.Config {
		v := string(c.Value)
		switch k := c.Key; {
		case k == "python-tag":
			in.Tag = v
		case k == "python-version":
			in.Version = v
		case k == "gil":
			in.GIL = v
		case k == "mp-start-method":
			in.StartMethod = v
		case strings.HasPrefix(k, "gil-held-share-") && strings.HasSuffix(k, "-py"):
			if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 1 {
				l.badValue(r, k, v, "a share in [0, 1]")
				continue
			}
			in.HeldShare[strings.TrimSuffix(strings.TrimPrefix(k, "gil-held-share-"), "-py")] = v
		}
	}
	for _, x := range l.set.Interpreters {
		if x.Tag == in.Tag {
			return
		}
	}
	l.set.Interpreters = append(l.set.Interpreters, in)
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

// perRunKeys vary from run to run by design; they are not part of the
// machine's fingerprint.
var perRunKeys = map[string]bool{
	"round": true, "cores": true, "affinity": true, "oversubscribed": true,
	"load-before": true, "load-after": true, "calibration-speedup": true,
	"calibration-cores": true, "incomplete": true, "pkg": true, ".file": true,
	"calibration-spread": true, "adaptive": true, "pinned": true, "failed": true,
	"loopback-connect-rate": true,
}

// Load reads benchmark results from files and directories. A directory is
// searched recursively for *.txt and *.bench files. Bad input returns an
// error that wraps one or more *InputError.
func Load(paths []string, opt LoadOptions) (*Set, error) {
	if len(paths) == 0 {
		return nil, errors.New("no input files")
	}
	l := newLoader(opt)
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, &InputError{File: p, Msg: "cannot read: " + errMsg(err)}
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, &InputError{File: p, Msg: "cannot read: " + errMsg(err)}
			}
			l.file(p, data, false)
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			ext := filepath.Ext(path)
			if !d.IsDir() && (ext == ".txt" || ext == ".bench") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, &InputError{File: p, Msg: "cannot read directory: " + errMsg(err)}
		}
		before := l.results
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, &InputError{File: f, Msg: "cannot read: " + errMsg(err)}
			}
			l.file(f, data, true)
		}
		if l.results == before {
			return nil, &InputError{File: p, Msg: "directory holds no benchmark results (looked for *.txt and *.bench files)"}
		}
	}
	return l.finish()
}

// LoadBytes reads one file's content as Load would, naming it name.
func LoadBytes(name string, data []byte, opt LoadOptions) (*Set, error) {
	l := newLoader(opt)
	l.file(name, data, false)
	return l.finish()
}

func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

type loader struct {
	opt      LoadOptions
	set      *Set
	errs     []error
	results  int
	runs     map[int]*Run
	machines map[string]bool
	conflict map[string]bool
	skipped  map[string]bool
	reader   benchfmt.Reader
	order    []*Cell // cells in the order the input first names them
	// cfgLine is where a file first says a checked config value
	// (file, key and value → line), so a bad one names its line.
	cfgLine map[string]int
	// invalid are the config values already found bad (same key), each
	// reported once.
	invalid map[string]bool
}

// checkedKey reports whether the loader parses a config key's value: a bad
// one is an *InputError naming its line.
func checkedKey(k string) bool {
	switch k {
	case "calibration-cores", "calibration-speedup", "loopback-connect-rate":
		return true
	}
	return strings.HasPrefix(k, "gil-held-share-") && strings.HasSuffix(k, "-py")
}

// badValue records a config value that does not parse, once per file,
// key and value: an *InputError at the line that says it.
func (l *loader) badValue(r *benchfmt.Result, key, val, want string) {
	file, line := r.Pos()
	id := file + "\x00" + key + "\x00" + val
	if l.invalid[id] {
		return
	}
	l.invalid[id] = true
	if n, ok := l.cfgLine[id]; ok {
		line = n
	}
	l.bad(&InputError{File: file, Line: line, Msg: fmt.Sprintf("config %s: %q is not %s", key, val, want)}, false)
}

// positive parses a config value that must be a finite number above 0.
func positive(v string) (float64, bool) {
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && f > 0 && !math.IsInf(f, 0)
}

func newLoader(opt LoadOptions) *loader {
	return &loader{
		opt:      opt,
		set:      &Set{byKey: map[cellKey]*Cell{}, adaptive: map[string]bool{}, matrix: map[string]string{}},
		runs:     map[int]*Run{},
		machines: map[string]bool{},
		conflict: map[string]bool{},
		skipped:  map[string]bool{},
		cfgLine:  map[string]int{},
		invalid:  map[string]bool{},
	}
}

// bad records a malformed line: an error, or a warning when the load is
// lax or the file says it was cut short.
func (l *loader) bad(e *InputError, tolerate bool) {
	if l.opt.Lax || tolerate {
		l.set.Warnings = append(l.set.Warnings, e)
		return
	}
	l.errs = append(l.errs, e)
}

// file reads one file. inDir says it was found in a directory: a file there
// without results is a warning, not an error.
func (l *loader) file(name string, data []byte, inDir bool) {
	l.set.Files = append(l.set.Files, name)
	if len(bytes.TrimSpace(data)) == 0 {
		e := &InputError{File: name, Msg: "empty file"}
		if inDir {
			l.set.Warnings = append(l.set.Warnings, e)
		} else {
			l.errs = append(l.errs, e)
		}
		return
	}
	incomplete, described := l.scanLines(name, data)
	n := 0
	l.reader.Reset(bytes.NewReader(data), name)
	for l.reader.Scan() {
		switch rec := l.reader.Result().(type) {
		case *benchfmt.SyntaxError:
			l.bad(&InputError{File: rec.FileName, Line: rec.Line, Msg: rec.Msg}, incomplete)
		case *benchfmt.Result:
			if l.result(rec, incomplete) {
				n++
			}
		}
	}
	if err := l.reader.Err(); err != nil {
		l.errs = append(l.errs, &InputError{File: name, Msg: err.Error()})
		return
	}
	l.results += n
	if n == 0 && described {
		return // a description of the matrix, for the set's other files
	}
	if n == 0 && len(l.errs) == 0 {
		first, _, _ := bytes.Cut(bytes.TrimLeft(data, "\r\n\t "), []byte("\n"))
		if len(first) > 60 {
			first = append(first[:57:57], "..."...)
		}
		e := &InputError{File: name, Line: 1, Msg: fmt.Sprintf("no benchmark results (not go test -bench output?); it starts %q", first)}
		if inDir {
			l.set.Warnings = append(l.set.Warnings, e)
		} else {
			l.errs = append(l.errs, e)
		}
	}
}

// scanLines finds what benchfmt ignores: skip lines, and whether the file
// says its run was interrupted.
func (l *loader) scanLines(name string, data []byte) (incomplete, described bool) {
	line := 0
	var pending *Skip
	for len(data) > 0 {
		var ln []byte
		ln, data, _ = bytes.Cut(data, []byte("\n"))
		line++
		t := bytes.TrimRight(bytes.TrimLeft(ln, " \t"), "\r")
		if pending != nil {
			// go test prints b.Skip's reason on the next, indented line.
			if len(t) > 0 && len(ln) > len(t) && ln[0] == ' ' {
				pending.Reason = stripFileLine(string(t))
			}
			pending = nil
		}
		if bytes.HasPrefix(t, []byte("incomplete:")) && bytes.Equal(bytes.TrimSpace(t[len("incomplete:"):]), []byte("true")) {
			incomplete = true
			continue
		}
		if k, v, ok := strings.Cut(string(t), ":"); ok && checkedKey(k) {
			if id := name + "\x00" + k + "\x00" + strings.TrimSpace(v); l.cfgLine[id] == 0 {
				l.cfgLine[id] = line
			}
		}
		if bytes.HasPrefix(t, []byte(matrixPrefix)) {
			// The matrix's description: set-wide, first value of a key,
			// whichever file of the set it comes in (a description file
			// beside an older set's bench.txt holds nothing else).
			if k, v, ok := strings.Cut(string(t), ":"); ok && !strings.ContainsAny(k, " \t") {
				described = true
				v = strings.TrimSpace(v)
				if prev, seen := l.set.matrix[k]; !seen {
					l.set.matrix[k] = v
				} else if k == "matrix-python" && prev != v {
					// Each interpreter's runs describe their own models
					// (parseMatrix lists each once).
					l.set.matrix[k] = prev + " " + v
				}
			}
			continue
		}
		rest, ok := bytes.CutPrefix(t, []byte("--- SKIP: "))
		if !ok || !bytes.HasPrefix(rest, []byte("Benchmark")) {
			continue
		}
		full, reason, hasReason := strings.Cut(string(rest), ": ")
		full = strings.TrimSpace(strings.TrimSuffix(full, ":"))
		if i := strings.Index(full, " ("); i > 0 { // "--- SKIP: Name (0.00s)"
			full = full[:i]
		}
		nm, cores := splitCores(full)
		if l.skipped[nm+"|"+strconv.Itoa(cores)] {
			continue // the same cell skipped again in a later round
		}
		l.skipped[nm+"|"+strconv.Itoa(cores)] = true
		sk := &Skip{File: name, Line: line, Name: nm, Cores: cores, Reason: strings.TrimSpace(reason)}
		if !hasReason {
			sk.Reason = "skipped"
			pending = sk
		}
		l.set.Skips = append(l.set.Skips, sk)
	}
	if incomplete {
		l.set.Incomplete = true
	}
	return incomplete, described
}

// stripFileLine drops a leading "file.go:12: " from a test log line.
func stripFileLine(s string) string {
	if i := strings.Index(s, ".go:"); i > 0 {
		if j := strings.Index(s[i+4:], ": "); j >= 0 {
			if _, err := strconv.Atoi(s[i+4 : i+4+j]); err == nil {
				return s[i+4+j+2:]
			}
		}
	}
	return s
}

// splitCores splits a benchmark name into the name without its GOMAXPROCS
// suffix and that GOMAXPROCS; no suffix means 1.
func splitCores(full string) (string, int) {
	_, parts := benchfmt.Name(full).Parts()
	if n := len(parts); n > 0 && len(parts[n-1]) > 1 && parts[n-1][0] == '-' {
		if k, err := strconv.Atoi(string(parts[n-1][1:])); err == nil && k > 0 {
			return full[:len(full)-len(parts[n-1])], k
		}
	}
	return full, 1
}

// result adds one benchfmt result to its cell; it reports whether the
// result was kept.
func (l *loader) result(r *benchfmt.Result, incomplete bool) bool {
	file, line := r.Pos()
	for _, v := range r.Values {
		val, unit := v.Value, v.Unit
		if v.OrigUnit != "" {
			val, unit = v.OrigValue, v.OrigUnit
		}
		msg := ""
		switch {
		case math.IsNaN(val) || math.IsInf(val, 0):
			msg = fmt.Sprintf("non-finite value %v %s", val, unit)
		case val <= 0 && (unit == "ns/op" || unit == "sec/op"):
			msg = fmt.Sprintf("non-positive time %v %s", val, unit)
		}
		if msg != "" {
			l.bad(&InputError{File: file, Line: line, Msg: msg}, incomplete)
			return false
		}
	}
	// benchfmt drops the "Benchmark" prefix; names here keep it, as go test
	// and the skip lines print them.
	full := "Benchmark" + string(r.Name.Full())
	name, cores := splitCores(full)
	machine, round := l.config(r, cores)
	pyref := false
	for _, c := range r.Config {
		if c.Key == "runner" && string(c.Value) == "pyref" {
			pyref = true
		}
	}
	k := cellKey{machine, name, cores}
	c := l.set.byKey[k]
	if c == nil {
		base, parts := benchfmt.Name(name).Parts()
		c = &Cell{Machine: machine, Name: name, Bench: string(base), Cores: cores,
			Pos: fmt.Sprintf("%s:%d", file, line), Samples: map[string][]float64{}}
		for _, p := range parts {
			s := strings.TrimPrefix(string(p), "/")
			key, val, ok := strings.Cut(s, "=")
			if !ok {
				key, val = "", s
			}
			c.Parts = append(c.Parts, Part{key, val})
		}
		l.set.byKey[k] = c
		l.set.Cells = append(l.set.Cells, c)
		l.order = append(l.order, c)
	}
	c.pyref = c.pyref || pyref
	if pyref {
		l.interpreter(r, c.Model())
	}
	for _, v := range r.Values {
		val, unit := v.Value, v.Unit
		if v.OrigUnit != "" {
			val, unit = v.OrigValue, v.OrigUnit
		}
		if _, ok := c.Samples[unit]; !ok {
			c.Units = append(c.Units, unit)
		}
		c.Samples[unit] = append(c.Samples[unit], val)
		if unit == UnitTime && round != "" {
			if c.byRound == nil {
				c.byRound = map[string][]float64{}
			}
			c.byRound[round] = append(c.byRound[round], val)
		}
	}
	return true
}

// config reads the configuration of a result: the fingerprint, the run at
// its core count, and the machine name, which it returns.
func (l *loader) config(r *benchfmt.Result, cores int) (machine, roundKey string) {
	run := l.runs[cores]
	if run == nil {
		run = &Run{Cores: cores, rounds: map[string]bool{}, calib: map[string]bool{}}
		l.runs[cores] = run
	}
	cpuName, round, calib, adaptive, pinned, conn := "", "", "", false, "", ""
	for _, c := range r.Config {
		if !c.File {
			continue
		}
		switch c.Key {
		case "adaptive":
			adaptive = string(c.Value) == "true"
		case "failed":
			if string(c.Value) == "true" {
				l.set.Failed = true
			}
		case "machine":
			machine = string(c.Value)
		case "cpu":
			cpuName = string(c.Value)
		case "oversubscribed":
			if string(c.Value) == "true" {
				run.Oversubscribed = true
			}
		case "calibration-speedup":
			calib = string(c.Value)
		case "calibration-cores":
			if n, err := strconv.Atoi(string(c.Value)); err == nil && n > 0 {
				run.CalibrationCores = n
			} else {
				l.badValue(r, c.Key, string(c.Value), "a positive count of cores")
			}
		case "affinity":
			run.Affinity = string(c.Value)
		case "pinned":
			pinned = string(c.Value)
		case "loopback-connect-rate":
			conn = string(c.Value)
		case "round":
			round = string(c.Value)
			if !run.rounds[string(c.Value)] {
				run.rounds[string(c.Value)] = true
				run.Rounds = len(run.rounds)
			}
		case "cpus":
			if n, err := strconv.Atoi(string(c.Value)); err == nil && n > 0 {
				l.set.CPUs = n
			}
		}
		if perRunKeys[c.Key] || strings.HasPrefix(c.Key, matrixPrefix) || interpKey(c.Key) {
			continue
		}
		l.fingerprint(c.Key, string(c.Value), r)
	}
	if conn != "" {
		file, _ := r.Pos()
		if k := file + "#" + round + "#conn"; !run.calib[k] {
			run.calib[k] = true
			if f, ok := positive(conn); ok {
				run.LoopbackRate = append(run.LoopbackRate, f)
			} else {
				l.badValue(r, "loopback-connect-rate", conn, "a positive rate")
			}
		}
	}
	if pinned != "" {
		file, _ := r.Pos()
		if k := file + "#" + round + "#pin"; !run.calib[k] {
			run.calib[k] = true
			if pinned == "true" {
				run.Pinned++
			} else {
				run.Unpinned++
			}
		}
	}
	if adaptive {
		file, _ := r.Pos()
		l.set.adaptive[file+"#"+round] = true
		l.set.Looks = len(l.set.adaptive)
	}
	if calib != "" {
		file, _ := r.Pos()
		if k := file + "#" + round; !run.calib[k] {
			run.calib[k] = true
			if f, ok := positive(calib); ok {
				run.CalibrationSpeedup = append(run.CalibrationSpeedup, f)
			} else {
				l.badValue(r, "calibration-speedup", calib, "a positive speedup")
			}
		}
	}
	if machine == "" {
		machine = cpuName
	}
	if machine == "" {
		machine = "unknown"
	}
	if !l.machines[machine] {
		l.machines[machine] = true
		l.set.Machines = append(l.set.Machines, machine)
	}
	if round != "" {
		file, _ := r.Pos()
		roundKey = file + "#" + round
	}
	return machine, roundKey
}

func (l *loader) fingerprint(key, val string, r *benchfmt.Result) {
	for _, c := range l.set.Config {
		if c.Key == key {
			// Calibrated unit costs differ a little in every run; the
			// fingerprint shows the first without a warning.
			if c.Value != val && !l.conflict[key] && !strings.HasPrefix(key, "unit-ns-") {
				l.conflict[key] = true
				file, line := r.Pos()
				l.set.Warnings = append(l.set.Warnings, &InputError{File: file, Line: line,
					Msg: fmt.Sprintf("config %s changes from %q to %q; the report shows the first", key, c.Value, val)})
			}
			return
		}
	}
	l.set.Config = append(l.set.Config, Config{key, val})
}

// finish checks what was read, computes every cell's summaries and sorts.
func (l *loader) finish() (*Set, error) {
	if len(l.errs) > 0 {
		const max = 20
		errs := l.errs
		if len(errs) > max {
			errs = append(errs[:max:max], fmt.Errorf("… and %d more errors", len(l.errs)-max))
		}
		return nil, errors.Join(errs...)
	}
	s := l.set
	if len(s.Cells) == 0 {
		name := "input"
		if len(s.Files) > 0 {
			name = strings.Join(s.Files, ", ")
		}
		return nil, &InputError{File: name, Msg: "no benchmark results"}
	}
	for _, r := range l.runs {
		s.Runs = append(s.Runs, r)
	}
	slices.SortFunc(s.Runs, func(a, b *Run) int { return cmp.Compare(a.Cores, b.Cores) })
	slices.SortStableFunc(s.Cells, func(a, b *Cell) int {
		return cmp.Or(strings.Compare(a.Machine, b.Machine), strings.Compare(a.Name, b.Name), cmp.Compare(a.Cores, b.Cores))
	})
	for _, c := range s.Cells {
		c.Stats = make(map[string]Summary, len(c.Units))
		for _, u := range c.Units {
			c.Stats[u] = Summarize(c.Samples[u])
		}
	}
	var errs []error
	s.Matrix, errs = parseMatrix(s.matrix)
	for _, e := range errs {
		s.Warnings = append(s.Warnings, &InputError{File: strings.Join(s.Files, ", "), Msg: e.Error()})
	}
	if !s.Matrix.Described {
		s.Matrix = inferMatrix(s, l.order)
	}
	s.moderate()
	return s, nil
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
