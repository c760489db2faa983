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
	// shares are the cpu-share lines already read (file, round, cores,
	// interpreter and workload), each counted once.
	shares map[string]bool
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
		shares:   map[string]bool{},
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
				} else if k == "matrix-benchmarks" || k == "matrix-cores" {
					// A function's set beside a make bench set
					// (bench-python FUNC=… RESULTS=…) adds its one
					// workload to the other's benchmarks, in either
					// order of the files.
					l.set.matrix[k] = unionEntries(prev, v)
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
		l.cpuShare(r, c.Model(), cores)
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
	userKinds(s)
	pyOnlyFamilies(s)
	s.moderate()
	return s, nil
}
