package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/concbench/concbench/workloads"
)

// This file makes task files (see [workloads.LoadTaskFile]) workloads of
// the matrix: it checks what only the matrix knows (the built-in names, how
// long a profile lets a batch run), builds their batches for
// BenchmarkCores, and describes them for `concbench task check` and for the
// result set.

// LoadTaskFiles reads and checks task files for profile p: each as
// [workloads.LoadTaskFile] does, then [CheckTask], and no two may share a
// name. The error, when any file is wrong, lists every problem of every
// file as "file:line: field: message" ([workloads.FieldErrors]); a file
// that cannot be read is named with its error.
func LoadTaskFiles(p Profile, paths ...string) ([]*workloads.TaskSpec, error) {
	var specs []*workloads.TaskSpec
	var problems workloads.FieldErrors
	var others []error
	seen := map[string]*workloads.TaskSpec{}
	for _, path := range paths {
		s, err := workloads.LoadTaskFile(path)
		var fe workloads.FieldErrors
		switch {
		case errors.As(err, &fe):
			problems = append(problems, fe...)
			continue
		case err != nil:
			others = append(others, err)
			continue
		}
		problems = append(problems, CheckTask(p, s)...)
		if first, ok := seen[s.Name]; ok {
			problems = append(problems, s.Errorf(s.NameLine, "name", "%q is the name of %s too; each task file needs its own", s.Name, first.File))
		}
		seen[s.Name] = s
		specs = append(specs, s)
	}
	if len(problems) > 0 {
		problems.Sort()
		others = append(others, problems)
	}
	if len(others) > 0 {
		return nil, errors.Join(others...)
	}
	return specs, nil
}

// BuiltinWorkloads returns every workload name of the matrix and of
// [workloads.Generate]: a task file may take none of them.
func BuiltinWorkloads() []string {
	names := slices.Clone(CoresWorkloads)
	for _, w := range workloads.Workloads() {
		if !slices.Contains(names, w) {
			names = append(names, w)
		}
	}
	return names
}

// CheckTask returns the problems of a task file that only the matrix
// knows of: a name that a built-in workload has, and a batch that is
// predicted ([Predict], at one core, under the slowest model) to take
// longer than p allows one batch of the Python suite (PyMaxOp), which
// would otherwise skip it there. Its compute is sized with p.UnitCosts.
func CheckTask(p Profile, s *workloads.TaskSpec) workloads.FieldErrors {
	var errs workloads.FieldErrors
	if slices.Contains(BuiltinWorkloads(), s.Name) {
		errs = append(errs, s.Errorf(s.NameLine, "name", "%q is a built-in workload (%s); choose another name",
			s.Name, strings.Join(BuiltinWorkloads(), ", ")))
	}
	tasks := s.Batch(matrixSeed, p.UnitCosts.Cost)
	model, worst := slowestModel(p.UnitCosts, tasks, 1)
	if worst > p.PyMaxOp {
		// Point at the group whose tasks take the most of it.
		g, at := 0, 0
		var most time.Duration
		for i, grp := range s.Groups {
			d := time.Duration(grp.Tasks) * taskNominal(p.UnitCosts, tasks[at])
			if d > most {
				g, most = i, d
			}
			at += grp.Tasks
		}
		errs = append(errs, s.Errorf(s.Groups[g].TasksLine, fmt.Sprintf("group[%d].tasks", g),
			"a batch of %d tasks would take about %v under %s at 1 core, over the %s profile's limit of %v a batch; give fewer tasks or shorter steps",
			len(tasks), worst.Round(time.Millisecond), model, p.Name, p.PyMaxOp))
	}
	return errs
}

// slowestModel returns the model whose batch [Predict] says takes longest
// at the given cores, at the given unit costs, and that prediction.
func slowestModel(costs workloads.UnitCosts, tasks []workloads.Task, cores int) (string, time.Duration) {
	var name string
	var worst time.Duration
	for _, m := range Models(Config{}) {
		if d := predict(costs, m.Name(), tasks, cores); d > worst {
			name, worst = m.Name(), d
		}
	}
	return name, worst
}

// taskNominal is a task's nominal time alone: its compute at the unit
// costs plus its waits.
func taskNominal(costs workloads.UnitCosts, t workloads.Task) time.Duration {
	var d time.Duration
	for _, op := range t.Ops {
		if op.Kind == workloads.KindCompute {
			d += opCostAt(costs, op)
		} else {
			d += op.D
		}
	}
	return d
}

// TaskBatch returns the batch of BenchmarkCores that runs a task file
// under profile p: workload=NAME, its compute steps given by time sized
// with p.UnitCosts.
func TaskBatch(p Profile, s *workloads.TaskSpec) Batch {
	return taskBatch(s, p.UnitCosts.Cost)
}

// taskBatch is TaskBatch with steps sized by time at unit's costs.
func taskBatch(s *workloads.TaskSpec, unit func(workloads.Kernel) time.Duration) Batch {
	return Batch{Parts: "workload=" + s.Name, Tasks: s.Batch(matrixSeed, unit)}
}

// TaskConfig returns the config line that records, in a result set, what a
// task file's batch was on the machine that ran it:
//
//	matrix-task-NAME: FILE: 64×[in 4KiB, out 16KiB: net(20ms, 16KiB) compute(primes×91 for 2ms) …] …
//
// one bracket per group, each compute step sized by time with the units it
// was given (with p.UnitCosts) and the time asked for.
func TaskConfig(p Profile, s *workloads.TaskSpec) ConfigLine {
	var groups []string
	for _, g := range s.Groups {
		var steps []string
		for _, st := range g.Steps {
			steps = append(steps, stepString(st, st.Resolve(p.UnitCosts.Cost)))
		}
		groups = append(groups, fmt.Sprintf("%d×[in %s, out %s: %s]", g.Tasks,
			workloads.FormatSize(g.Input), workloads.FormatSize(g.Output), strings.Join(steps, " ")))
	}
	return ConfigLine{"matrix-task-" + s.Name, s.File + ": " + strings.Join(groups, " ")}
}

// taskUnitCosts returns the unit costs that size p's task files, each
// kernel's: p.UnitCosts, or this process's calibration for a kernel they
// lack.
func taskUnitCosts(p Profile) workloads.UnitCosts {
	u := workloads.UnitCosts{}
	for _, k := range TaskKernels() {
		u[k] = p.UnitCosts.Cost(k)
	}
	return u
}

// TaskKernels are the kernels a task file may name: the matrix's, which
// the Python suite runs too.
func TaskKernels() []workloads.Kernel {
	return []workloads.Kernel{workloads.Hash, workloads.Primes, workloads.Gzip}
}

// stepString writes a step's op as a task file reads: sizes in B, KiB or
// MiB, and a compute step sized by time with the units it got.
func stepString(st workloads.TaskStep, op workloads.Op) string {
	switch op.Kind {
	case workloads.KindCompute:
		if st.Time > 0 {
			return fmt.Sprintf("compute(%s×%d for %v)", op.Kernel, op.Units, st.Time)
		}
		return fmt.Sprintf("compute(%s×%d)", op.Kernel, op.Units)
	case workloads.KindNet:
		return fmt.Sprintf("net(%v, %s)", op.D, workloads.FormatSize(op.Bytes))
	case workloads.KindFile:
		return fmt.Sprintf("file(%s)", workloads.FormatSize(op.Bytes))
	}
	return op.String()
}

// WriteTaskPlan writes what a checked task file will run on this machine:
// each group and step with its expected time alone on one core (compute at
// p.UnitCosts, by default this process's calibration; a file step as one
// timed here in dir; waits as asked), a task's time alone, and each
// model's predicted batch time at one core against p's limit.
func WriteTaskPlan(w io.Writer, p Profile, s *workloads.TaskSpec, dir string) error {
	tasks := s.Batch(matrixSeed, p.UnitCosts.Cost)
	fmt.Fprintf(w, "%s: workload=%s, %d tasks in %d group(s)\n", s.File, s.Name, len(tasks), len(s.Groups))
	at := 0
	for gi, g := range s.Groups {
		fmt.Fprintf(w, "  group %d (line %d): %d tasks, input %s, output %s\n", gi, g.Line, g.Tasks,
			workloads.FormatSize(g.Input), workloads.FormatSize(g.Output))
		var total time.Duration
		for si, st := range g.Steps {
			op := tasks[at].Ops[si]
			d, how, err := expectedStep(p.UnitCosts, op, dir)
			if err != nil {
				return fmt.Errorf("%s:%d: group[%d].steps[%d]: timing it here: %w", s.File, st.Line, gi, si, err)
			}
			total += d
			fmt.Fprintf(w, "    %-19s %-36s expected %9v  %s\n", fmt.Sprintf("step %d (line %d):", si, st.Line),
				stepString(st, op), d.Round(time.Microsecond), how)
		}
		fmt.Fprintf(w, "    a task alone: %v\n", total.Round(time.Microsecond))
		at += g.Tasks
	}
	var preds []string
	for _, m := range Models(Config{}) {
		preds = append(preds, fmt.Sprintf("%s %v", m.Name(), predict(p.UnitCosts, m.Name(), tasks, 1).Round(time.Millisecond)))
	}
	model, worst := slowestModel(p.UnitCosts, tasks, 1)
	fmt.Fprintf(w, "  predicted batch at 1 core: %s\n", strings.Join(preds, ", "))
	fmt.Fprintf(w, "  slowest: %s, %v, within the %s profile's limit of %v a batch\n",
		model, worst.Round(time.Millisecond), p.Name, p.PyMaxOp)
	return nil
}

// expectedStep returns a step's expected time alone on this machine and
// how it was found.
func expectedStep(costs workloads.UnitCosts, op workloads.Op, dir string) (time.Duration, string, error) {
	switch op.Kind {
	case workloads.KindCompute:
		u := costs.Cost(op.Kernel)
		return opCostAt(costs, op), fmt.Sprintf("(%d units of %v)", op.Units, u.Round(100*time.Nanosecond)), nil
	case workloads.KindSleep:
		return op.D, "(the wait asked)", nil
	case workloads.KindNet:
		return op.D, "(the server's delay, plus a loopback connection)", nil
	case workloads.KindFile:
		d, err := timeFileOp(op, dir)
		return d, "(the median of 3 done here: write, fsync, read back)", err
	}
	return 0, "", fmt.Errorf("unknown op %v", op)
}

// timeFileOp times a file op three times in dir and returns the median.
func timeFileOp(op workloads.Op, dir string) (time.Duration, error) {
	env := &workloads.Env{Dir: dir}
	if dir == "" {
		env.Dir = os.TempDir()
	}
	var ds []time.Duration
	for i := range 3 {
		t0 := time.Now()
		if _, err := env.Do(context.Background(), op, uint64(i)); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[1], nil
}
