package workloads

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A task file describes a user's own task in TOML, so that concbench can
// measure "this kind of work" and not only its built-in workloads:
//
//	name = "scraper"        # the workload name, [a-z][a-z0-9-]*
//	[[group]]               # tasks of one shape; a batch holds every group's
//	tasks = 64
//	input = "4KiB"          # bytes handed to each task (default 0)
//	output = "16KiB"        # bytes each task hands back (default 0)
//	steps = [
//	  { net = "20ms", bytes = "16KiB" },    # the server waits 20 ms, answers 16 KiB
//	  { compute = "primes", time = "2ms" }, # sized by this machine's unit time…
//	  { compute = "hash", units = 8 },      # …or in units
//	  { sleep = "5ms" },
//	  { file = "64KiB" },                   # write, fsync, read back
//	]
//
// Durations are Go's (500us, 2ms); sizes are a whole number of B, KiB or
// MiB ("4KiB"), or a TOML integer of bytes. [LoadTaskFile] reads and checks
// one; [TaskSpec.Batch] builds its tasks. Every problem is a [FieldError]
// that names the file, the line and the field.

// TaskSpec is a task file, read and checked.
type TaskSpec struct {
	// File is the path the spec was read from, as given.
	File string
	// Name is the workload name: BenchmarkCores runs the batch as
	// workload=Name.
	Name string
	// NameLine is the line of the name key.
	NameLine int
	// Groups are the task shapes, in file order; a batch holds every
	// group's tasks, the first group's first.
	Groups []TaskGroup
}

// TaskGroup is tasks of one shape.
type TaskGroup struct {
	// Line is the line of the group's [[group]] header (or of its table).
	Line int
	// Tasks is how many tasks of this shape the batch holds.
	Tasks int
	// TasksLine is the line of the tasks key.
	TasksLine int
	// Input and Output are the bytes handed to each task where it runs
	// and the bytes it hands back.
	Input, Output int
	// Steps are what each task does, in order.
	Steps []TaskStep
}

// TaskStep is one step of a task.
type TaskStep struct {
	// Line is the line the step is written on.
	Line int
	// Op is the step's operation. A compute step sized by time has Units
	// 0 here: [TaskStep.Resolve] sizes it on this machine.
	Op Op
	// Time is a compute step's time on one core of this machine, when it
	// was given by time rather than in units.
	Time time.Duration
}

// Resolve returns the step's op, a compute step sized by time given the
// units that take about Time on one core, where unit returns one
// default-size unit's time (usually [UnitCost]); at least one unit.
func (s TaskStep) Resolve(unit func(Kernel) time.Duration) Op {
	op := s.Op
	if op.Kind == KindCompute && s.Time > 0 {
		op.Units = max(1, int(math.Round(float64(s.Time)/float64(unit(op.Kernel)))))
	}
	return op
}

// Batch returns the spec's batch: each group's tasks, in order, task i of
// the batch with the seed [Generate] gives task i of a batch seeded seed.
// Compute steps sized by time are sized with unit (see [TaskStep.Resolve]),
// so the batch, like mix's, follows the machine it is built on. Every task
// of a group shares one input slice, since a model that passes input by
// reference reads it in place; one that sends it copies it.
func (s *TaskSpec) Batch(seed uint64, unit func(Kernel) time.Duration) []Task {
	var tasks []Task
	for _, g := range s.Groups {
		ops := make([]Op, len(g.Steps))
		for i, st := range g.Steps {
			ops[i] = st.Resolve(unit)
		}
		var in []byte
		if g.Input > 0 {
			in = Payload(g.Input)
		}
		for range g.Tasks {
			i := len(tasks)
			tasks = append(tasks, Task{ID: i, Seed: mix64(seed + uint64(i)), Ops: slices.Clone(ops), Input: in, Output: g.Output})
		}
	}
	return tasks
}

// Tasks returns how many tasks the batch holds.
func (s *TaskSpec) Tasks() int {
	n := 0
	for _, g := range s.Groups {
		n += g.Tasks
	}
	return n
}

// Errorf returns a problem with the spec at the given line and field.
func (s *TaskSpec) Errorf(line int, field, format string, args ...any) *FieldError {
	return &FieldError{File: s.File, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// FieldError is one problem of a task file.
type FieldError struct {
	File  string
	Line  int
	Field string // e.g. "group[0].steps[1].time"; "toml" for the document's own syntax
	Msg   string
}

// Error returns "file:line: field: message".
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// FieldErrors are every problem found in one or more task files, in file
// and line order. Its message has one problem a line.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the problems, for errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Sort orders the problems by file, then line.
func (es FieldErrors) Sort() {
	slices.SortStableFunc(es, func(a, b *FieldError) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
}

// Limits of a task file, so that a mistyped number is refused rather than
// run for hours or allocate without limit.
const (
	// MaxTaskFileTasks bounds the tasks of one batch.
	MaxTaskFileTasks = 100_000
	// MaxTaskFileUnits bounds one compute step's units.
	MaxTaskFileUnits = 10_000_000
	// MaxTaskFilePayload bounds a batch's input and output bytes in all:
	// a model that sends them holds a copy of each.
	MaxTaskFilePayload = 1 << 30
)

// taskNameRE is what a task's name must match: a workload name that reads
// well in a benchmark name and a file name.
var taskNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// LoadTaskFile reads and checks a task file. Its error, when the file is
// wrong, is [FieldErrors] naming every problem's line and field; one
// that cannot be read is an ordinary error.
func LoadTaskFile(path string) (*TaskSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("task file: %w", err)
	}
	return ParseTaskFile(path, data)
}

// ParseTaskFile checks the text of a task file read from file (the name
// its problems carry) and returns its spec. It does not know the built-in
// workloads' names, nor how long a batch may take: package bench checks
// those.
func ParseTaskFile(file string, data []byte) (*TaskSpec, error) {
	s := &TaskSpec{File: file}
	root, err := parseTOML(data)
	if err != nil {
		var te *tomlError
		if errors.As(err, &te) {
			field := te.key
			if field == "" {
				field = "toml"
			}
			return nil, FieldErrors{s.Errorf(max(te.line, 1), field, "%s", te.msg)}
		}
		return nil, err
	}
	c := checker{s: s}
	c.root(root)
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	return s, nil
}

// checker reads a spec out of a document, collecting every problem.
type checker struct {
	s    *TaskSpec
	errs FieldErrors
}

func (c *checker) errorf(line int, field, format string, args ...any) {
	c.errs = append(c.errs, c.s.Errorf(line, field, format, args...))
}

// unknown reports the keys of t that are not in known.
func (c *checker) unknown(t *tomlValue, prefix string, known []string, want string) {
	for _, k := range t.keys {
		if !slices.Contains(known, k) {
			c.errorf(t.keyLines[k], prefix+k, "unknown key (%s)", want)
		}
	}
}

func (c *checker) root(t *tomlValue) {
	c.unknown(t, "", []string{"name", "group"}, "a task file has name and [[group]] tables")
	if v, ok := t.fields["name"]; !ok {
		c.errorf(1, "name", "missing: give the workload a name, such as name = \"scraper\"")
	} else if v.kind != tomlString {
		c.errorf(v.line, "name", "is %s, want a string", v.kind)
	} else if !taskNameRE.MatchString(v.str) {
		c.errorf(v.line, "name", "%q is not a workload name (want [a-z][a-z0-9-]*: a lowercase letter, then lowercase letters, digits and hyphens)", v.str)
	} else {
		c.s.Name, c.s.NameLine = v.str, v.line
	}
	g, ok := t.fields["group"]
	switch {
	case !ok:
		c.errorf(1, "group", "missing: a task file needs at least one [[group]] of tasks")
		return
	case g.kind == tomlTable:
		c.errorf(g.line, "group", "is a single table; write [[group]], an array of tables")
		return
	case g.kind != tomlArray:
		c.errorf(t.keyLines["group"], "group", "is %s, want [[group]] tables", g.kind)
		return
	case len(g.elems) == 0:
		c.errorf(t.keyLines["group"], "group", "is empty: a task file needs at least one group of tasks")
		return
	}
	for i, e := range g.elems {
		field := fmt.Sprintf("group[%d]", i)
		if e.kind != tomlTable {
			c.errorf(e.line, field, "is %s, want a table", e.kind)
			continue
		}
		c.group(e, field)
	}
}

func (c *checker) group(t *tomlValue, field string) {
	g := TaskGroup{Line: t.line}
	c.unknown(t, field+".", []string{"tasks", "input", "output", "steps"}, "a group has tasks, input, output and steps")
	if v, ok := t.fields["tasks"]; !ok {
		c.errorf(t.line, field+".tasks", "missing: how many tasks of this shape, such as tasks = 64")
	} else if v.kind != tomlInteger {
		c.errorf(v.line, field+".tasks", "is %s, want a whole number of tasks", v.kind)
	} else if v.num <= 0 || v.num > MaxTaskFileTasks {
		c.errorf(v.line, field+".tasks", "%d tasks: want 1 to %d", v.num, MaxTaskFileTasks)
	} else {
		g.Tasks, g.TasksLine = int(v.num), v.line
	}
	if v, ok := t.fields["input"]; ok {
		g.Input, _ = c.size(v, field+".input")
	}
	if v, ok := t.fields["output"]; ok {
		g.Output, _ = c.size(v, field+".output")
	}
	if int64(g.Tasks)*int64(g.Input+g.Output) > MaxTaskFilePayload {
		c.errorf(g.TasksLine, field+".tasks", "%d tasks of %s in and %s out hold more than %s",
			g.Tasks, FormatSize(g.Input), FormatSize(g.Output), FormatSize(MaxTaskFilePayload))
	}
	steps, ok := t.fields["steps"]
	switch {
	case !ok:
		c.errorf(t.line, field+".steps", "missing: what each task does, such as steps = [{ sleep = \"5ms\" }]")
	case steps.kind != tomlArray:
		c.errorf(t.keyLines["steps"], field+".steps", "is %s, want an array of steps", steps.kind)
	case len(steps.elems) == 0:
		c.errorf(t.keyLines["steps"], field+".steps", "is empty: a task needs at least one step")
	}
	if ok && steps.kind == tomlArray {
		for i, e := range steps.elems {
			sf := fmt.Sprintf("%s.steps[%d]", field, i)
			if e.kind != tomlTable {
				c.errorf(e.line, sf, "is %s, want a table such as { sleep = \"5ms\" }", e.kind)
				continue
			}
			if st, ok := c.step(e, sf); ok {
				g.Steps = append(g.Steps, st)
			}
		}
	}
	c.s.Groups = append(c.s.Groups, g)
}

// stepKeys are a step's op keys and the keys each allows beside it.
var stepKeys = []struct {
	op    string
	kind  Kind
	extra []string
}{
	{"compute", KindCompute, []string{"time", "units"}},
	{"sleep", KindSleep, nil},
	{"net", KindNet, []string{"bytes"}},
	{"file", KindFile, nil},
}

const stepWant = "a step is one of compute (with time or units), sleep, net (with bytes) or file"

func (c *checker) step(t *tomlValue, field string) (TaskStep, bool) {
	st := TaskStep{Line: t.line}
	var op string
	var extra []string
	for _, k := range t.keys {
		for _, sk := range stepKeys {
			if k != sk.op {
				continue
			}
			if op != "" {
				c.errorf(t.keyLines[k], field+"."+k, "a step does one thing, and this one is %s already (%s)", op, stepWant)
				return st, false
			}
			op, extra, st.Op.Kind = k, sk.extra, sk.kind
		}
	}
	if op == "" {
		for _, k := range t.keys {
			if !slices.Contains([]string{"time", "units", "bytes"}, k) {
				c.errorf(t.keyLines[k], field+"."+k, "unknown key (%s)", stepWant)
				return st, false
			}
		}
		c.errorf(t.line, field, "says what to do with none of compute, sleep, net or file (%s)", stepWant)
		return st, false
	}
	ok := true
	for _, k := range t.keys {
		if k == op || slices.Contains(extra, k) {
			continue
		}
		switch k {
		case "time", "units":
			c.errorf(t.keyLines[k], field+"."+k, "%s belongs to a compute step, not to a %s step", k, op)
		case "bytes":
			c.errorf(t.keyLines[k], field+"."+k, "bytes belongs to a net step (the reply's size); a file step's size is file = \"64KiB\"")
		default:
			c.errorf(t.keyLines[k], field+"."+k, "unknown key (%s)", stepWant)
		}
		ok = false
	}
	v := t.fields[op]
	switch st.Op.Kind {
	case KindCompute:
		ok = c.compute(t, field, &st) && ok
	case KindSleep, KindNet:
		d, dok := c.duration(v, field+"."+op)
		st.Op.D = d
		ok = dok && ok
		if b, has := t.fields["bytes"]; has && st.Op.Kind == KindNet {
			n, bok := c.size(b, field+".bytes")
			st.Op.Bytes = n
			ok = bok && ok
		}
	case KindFile:
		n, sok := c.size(v, field+".file")
		st.Op.Bytes = n
		ok = sok && ok
	}
	return st, ok
}

func (c *checker) compute(t *tomlValue, field string, st *TaskStep) bool {
	v := t.fields["compute"]
	ok := true
	if v.kind != tomlString {
		c.errorf(v.line, field+".compute", "is %s, want a kernel name: hash, primes or gzip", v.kind)
		ok = false
	} else if k, err := ParseKernel(v.str); err != nil || k == GzipFresh {
		c.errorf(v.line, field+".compute", "unknown kernel %q (want hash, primes or gzip)", v.str)
		ok = false
	} else {
		st.Op.Kernel = k
	}
	tv, hasTime := t.fields["time"]
	uv, hasUnits := t.fields["units"]
	switch {
	case !hasTime && !hasUnits:
		c.errorf(v.line, field, "a compute step needs its size: time = \"2ms\" (on this machine) or units = N")
		return false
	case hasTime && hasUnits:
		c.errorf(max(t.keyLines["time"], t.keyLines["units"]), field, "a compute step is sized by time or by units, not both")
		return false
	case hasTime:
		d, dok := c.duration(tv, field+".time")
		if dok && d == 0 {
			c.errorf(tv.line, field+".time", "is zero: a compute step takes some time")
			dok = false
		}
		st.Time = d
		return ok && dok
	}
	switch {
	case uv.kind != tomlInteger:
		c.errorf(uv.line, field+".units", "is %s, want a whole number of units", uv.kind)
	case uv.num <= 0 || uv.num > MaxTaskFileUnits:
		c.errorf(uv.line, field+".units", "%d units: want 1 to %d", uv.num, MaxTaskFileUnits)
	default:
		st.Op.Units = int(uv.num)
		return ok
	}
	return false
}

// duration reads a Go duration string that is not negative.
func (c *checker) duration(v *tomlValue, field string) (time.Duration, bool) {
	if v.kind != tomlString {
		c.errorf(v.line, field, "is %s, want a duration such as \"500us\" or \"2ms\"", v.kind)
		return 0, false
	}
	d, err := time.ParseDuration(v.str)
	if err != nil {
		c.errorf(v.line, field, "%q is not a duration (want Go's, such as \"500us\", \"2ms\" or \"1.5s\")", v.str)
		return 0, false
	}
	if d < 0 {
		c.errorf(v.line, field, "%q is negative", v.str)
		return 0, false
	}
	return d, true
}

// sizeUnits are the size suffixes a task file takes.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// size reads a size: a string of a whole number and B, KiB or MiB, or an
// integer of bytes, at most MaxBytes.
func (c *checker) size(v *tomlValue, field string) (int, bool) {
	var n int64
	switch v.kind {
	case tomlInteger:
		n = v.num
	case tomlString:
		var err error
		if n, err = ParseSize(v.str); err != nil {
			c.errorf(v.line, field, "%v", err)
			return 0, false
		}
	default:
		c.errorf(v.line, field, "is %s, want a size such as \"4KiB\"", v.kind)
		return 0, false
	}
	if n < 0 {
		c.errorf(v.line, field, "%d bytes is negative", n)
		return 0, false
	}
	if n > MaxBytes {
		c.errorf(v.line, field, "%s is more than the %s a step or payload may move", FormatSize(int(n)), FormatSize(MaxBytes))
		return 0, false
	}
	return int(n), true
}

// ParseSize reads a size as task files write it: a whole number followed
// by B, KiB or MiB, such as "512B", "4KiB" or "2MiB".
func ParseSize(s string) (int64, error) {
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || num == "" || num[0] == '+' {
			break
		}
		if n < 0 {
			return 0, fmt.Errorf("%q is negative", s)
		}
		if n > math.MaxInt64/u.bytes {
			return 0, fmt.Errorf("%q is too large", s)
		}
		return n * u.bytes, nil
	}
	return 0, fmt.Errorf("%q is not a size (want a whole number and B, KiB or MiB, such as \"512B\", \"4KiB\" or \"2MiB\")", s)
}

// FormatSize writes n bytes as task files do, in the largest unit that
// keeps it whole: 4KiB, 2MiB, 1000B.
func FormatSize(n int) string {
	for _, u := range sizeUnits {
		if int64(n)%u.bytes == 0 && (int64(n) >= u.bytes || u.bytes == 1) {
			return strconv.FormatInt(int64(n)/u.bytes, 10) + u.suffix
		}
	}
	return strconv.Itoa(n) + "B"
}
