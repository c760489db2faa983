package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/workloads"
)

// The CPython suite (scripts/pyref) runs batches that Go builds: this file
// builds them, at one core count, for one interpreter, and predicts each
// of its models' makespans, so that the suite keeps no task generator and
// no prediction of its own. The flow:
//
//  1. the suite measures its interpreter (concbench_py --costs): what a
//     compute unit costs there, what starting a worker of each of its
//     models costs, and which Go model each stands beside;
//  2. [ReadPythonCosts] reads that, and [BuildPython] builds the suite's
//     cells from the matrix (BenchmarkCores, BenchmarkFanout and
//     BenchmarkOverhead at the profile's py-* sizes, and BenchmarkStart),
//     predicting each model's makespan with [PredictWith]: its Go
//     counterpart's traits, at the interpreter's costs;
//  3. `concbench describe -tasks` writes the [PythonSet] as JSON, and the
//     suite runs what it is handed (concbench_py --tasks FILE).

// pythonMixUnitSize is the size of the CPython suite's mix units, in
// integers: a Python primes unit of the default 200 costs about 350 µs,
// which would round a 1 ms compute share to 0.7 or 1.05 ms; units of 20
// (about 35 µs) hit it within a few per cent.
const pythonMixUnitSize = 20

// PythonCosts are what the CPython suite measured of one interpreter, as
// `concbench_py --costs` prints them (JSON).
type PythonCosts struct {
	// Tag is the interpreter's tag: 3.14, or 3.14t without a GIL.
	Tag string `json:"tag"`
	// UnitNS is one compute unit's cost in nanoseconds, keyed by kernel
	// and, for a unit of other than the default size, the size:
	// "hash", "primes", "primes20", "gzip".
	UnitNS map[string]int64 `json:"unit_ns"`
	// ThreadNS is the cost of starting and joining one thread.
	ThreadNS int64 `json:"thread_ns"`
	// Models are the suite's models of this run, in its order.
	Models []PythonModel `json:"models"`
}

// PythonModel is one of the CPython suite's models.
type PythonModel struct {
	// Name is the model's name in result lines: py-processpool@3.14-forkserver.
	Name string `json:"name"`
	// Counterpart is the Go model it stands beside, whose [Traits]
	// [PredictWith] reckons it by.
	Counterpart string `json:"counterpart"`
	// StartNS is the cost of starting one of its workers: a process for
	// procs and procpool, an interpreter for interp-pool; zero otherwise.
	StartNS int64 `json:"start_ns"`
}

// ReadPythonCosts reads and checks the suite's --costs output; name names
// the input in errors.
func ReadPythonCosts(r io.Reader, name string) (PythonCosts, error) {
	var c PythonCosts
	dec := json.NewDecoder(r)
	if err := dec.Decode(&c); err != nil {
		return PythonCosts{}, fmt.Errorf("%s: reading the CPython suite's costs: %w", name, err)
	}
	if err := c.check(); err != nil {
		return PythonCosts{}, fmt.Errorf("%s: %w (is it the output of concbench_py --costs?)", name, err)
	}
	return c, nil
}

func (c PythonCosts) check() error {
	if c.Tag == "" {
		return errors.New("no tag")
	}
	for _, k := range []string{"hash", "primes", "gzip", "primes" + strconv.Itoa(pythonMixUnitSize)} {
		if c.UnitNS[k] <= 0 {
			return fmt.Errorf("unit_ns: no positive cost for %q", k)
		}
	}
	if c.ThreadNS < 0 {
		return fmt.Errorf("thread_ns %d: negative", c.ThreadNS)
	}
	if len(c.Models) == 0 {
		return errors.New("no models")
	}
	var goModels []string
	for _, m := range Models(Config{}) {
		goModels = append(goModels, m.Name())
	}
	seen := map[string]bool{}
	for _, m := range c.Models {
		switch {
		case m.Name == "" || seen[m.Name]:
			return fmt.Errorf("model %q: empty or given twice", m.Name)
		case !slices.Contains(goModels, m.Counterpart):
			return fmt.Errorf("model %s: counterpart %q is not a Go model (want one of %s)",
				m.Name, m.Counterpart, strings.Join(goModels, ", "))
		case m.StartNS < 0:
			return fmt.Errorf("model %s: start_ns %d: negative", m.Name, m.StartNS)
		}
		seen[m.Name] = true
	}
	return nil
}

// unit is a unit's cost in this interpreter: measured at its size where
// the suite measured that size, else the default unit's scaled to it.
func (c PythonCosts) unit(k workloads.Kernel, size int) time.Duration {
	if size > 0 && size != k.DefaultSize() {
		if ns, ok := c.UnitNS[k.String()+strconv.Itoa(size)]; ok {
			return time.Duration(ns)
		}
		return time.Duration(c.UnitNS[k.String()]) * time.Duration(size) / time.Duration(k.DefaultSize())
	}
	return time.Duration(c.UnitNS[k.String()])
}

// traits are model m's traits in this interpreter, for [PredictWith]:
// its counterpart's, with the starts this interpreter measured: a thread
// (one per task, or a thread pool's worker), a process (one per task, or
// a process pool's worker), an interpreter (an interpreter pool's worker).
func (c PythonCosts) traits(m PythonModel) Traits {
	tr, _ := TraitsOf(m.Counterpart) // check made sure of it
	thread, start := time.Duration(c.ThreadNS), time.Duration(m.StartNS)
	switch m.Counterpart {
	case "goroutines", "gil-threads":
		tr.TaskStart = thread
	case "pool", "gil-pool":
		tr.WorkerStart = thread
	case "procs":
		tr.TaskStart = start
	case "procpool", "interp-pool":
		tr.WorkerStart = start
	}
	return tr
}

// PythonSet is every batch the CPython suite runs at one core count, for
// one interpreter, with each model's predicted makespan: what
// `concbench describe -tasks` hands the suite.
type PythonSet struct {
	// Profile is the profile's name, for the suite's config lines.
	Profile string `json:"profile"`
	// Cores is the core count the predictions are for; the suite runs
	// the set at this count only.
	Cores int `json:"cores"`
	// MaxOpNS is the profile's py-max-op: a cell predicted above it is
	// skipped with its prediction as the reason.
	MaxOpNS int64 `json:"max_op_ns"`
	// PoolMax and PoolExtra are the thread and interpreter pools' default
	// size at C cores, min(PoolMax, C+PoolExtra): [ExecutorPool], as
	// gil-pool and interp-pool have it.
	PoolMax   int `json:"pool_max"`
	PoolExtra int `json:"pool_extra"`
	// Python is the interpreter's costs the set was built with.
	Python PythonCosts `json:"python"`
	// Cells are the suite's cells in the order it runs them.
	Cells []PythonCell `json:"cells"`
}

// PythonCell is one cell of the suite before a model is chosen.
type PythonCell struct {
	// Name is the benchmark and its name parts, without the model:
	// BenchmarkCores/workload=hash, BenchmarkOverhead.
	Name string `json:"name"`
	// Start marks BenchmarkStart, which starts a pool's workers and runs
	// no tasks.
	Start bool `json:"start,omitempty"`
	// Tasks is the batch.
	Tasks []PythonTask `json:"tasks"`
	// PredictNS is each model's predicted makespan, in nanoseconds; a
	// model the cell does not apply to (BenchmarkStart is for pools) is
	// not in it.
	PredictNS map[string]int64 `json:"predict_ns"`

	batch []workloads.Task // the tasks as Go runs them, for the tests
}

// PythonTask is a [workloads.Task] as the suite reads it. Its input is
// [workloads.Payload] of Input bytes, which the suite makes itself (its
// counterpart: the hash buffer repeated), once per size, and hands to
// every task of that size, as Go's tasks of a group share one.
type PythonTask struct {
	ID     int        `json:"id"`
	Seed   uint64     `json:"seed"`
	Ops    []PythonOp `json:"ops"`
	Input  int        `json:"input,omitempty"`
	Output int        `json:"output,omitempty"`
}

// PythonOp is a [workloads.Op] as the suite reads it: Op is its kind's
// name, and only the fields of that kind are set.
type PythonOp struct {
	Op     string `json:"op"`
	Kernel string `json:"kernel,omitempty"`
	Units  int    `json:"units,omitempty"`
	Size   int    `json:"size,omitempty"`
	NS     int64  `json:"ns,omitempty"`
	Bytes  int    `json:"bytes,omitempty"`
}

// pythonKernels are the kernels the suite has.
var pythonKernels = []workloads.Kernel{workloads.Hash, workloads.Primes, workloads.Gzip}

// PythonSweeps are the matrix's benchmarks the CPython suite runs, besides
// its own BenchmarkStart.
var PythonSweeps = []string{"Cores", "Fanout", "Overhead"}

// BuildPython returns the CPython suite's cells for profile p at cores
// cores, for the interpreter that measured py: the matrix's
// BenchmarkCores (with p's task files), BenchmarkFanout and
// BenchmarkOverhead at the profile's py-* batch sizes, and BenchmarkStart,
// each with every model's predicted makespan. Compute given as time (mix
// tasks, task files' steps sized by time) is sized at the interpreter's
// unit costs, so that its tasks keep the time split they describe; compute
// given in units is Go's.
func BuildPython(p Profile, cores int, py PythonCosts) (PythonSet, error) {
	if cores < 1 {
		return PythonSet{}, fmt.Errorf("building the CPython suite's cells: %d cores", cores)
	}
	if err := py.check(); err != nil {
		return PythonSet{}, fmt.Errorf("building the CPython suite's cells: %w", err)
	}
	pp := p
	pp.Tasks, pp.MaxFanout, pp.OverheadTasks = p.PyTasks, p.PyMaxFanout, p.PyOverheadTasks
	z := sizing{unit: py.unit, mixSize: pythonMixUnitSize}
	set := PythonSet{Profile: p.Name, Cores: cores, MaxOpNS: int64(p.PyMaxOp), PoolMax: ExecutorPool.Max,
		PoolExtra: ExecutorPool.Extra, Python: py}
	for _, name := range PythonSweeps {
		sw, err := buildSweep(pp, name, cores, z)
		if err != nil {
			return PythonSet{}, err
		}
		for _, b := range sw.Batches {
			cell := PythonCell{Name: "Benchmark" + name, PredictNS: map[string]int64{}, batch: b.Tasks}
			if b.Parts != "" {
				cell.Name += "/" + b.Parts
			}
			if cell.Tasks, err = pythonTasks(b.Tasks); err != nil {
				return PythonSet{}, fmt.Errorf("%s: %w", cell.Name, err)
			}
			for _, m := range py.Models {
				cell.PredictNS[m.Name] = int64(PredictWith(py.traits(m), b.Tasks, cores, py.unit))
			}
			set.Cells = append(set.Cells, cell)
		}
	}
	// One start is as a batch of one empty task per worker: the pool's
	// start-up and little else.
	start := PythonCell{Name: "BenchmarkStart", Start: true, Tasks: []PythonTask{}, PredictNS: map[string]int64{}}
	for _, m := range py.Models {
		if slices.Contains(pythonStartPools, m.Counterpart) {
			tr := py.traits(m)
			start.PredictNS[m.Name] = int64(PredictWith(tr, emptyTasks(tr.Pool.at(cores)), cores, py.unit))
		}
	}
	set.Cells = append(set.Cells, start)
	return set, nil
}

// pythonStartPools are the counterparts of the CPython suite's pools,
// whose start BenchmarkStart measures: ThreadPoolExecutor (gil-pool, or
// pool without a GIL), InterpreterPoolExecutor and ProcessPoolExecutor.
var pythonStartPools = []string{"pool", "gil-pool", "interp-pool", "procpool"}

// pythonTasks converts a batch to the suite's form.
func pythonTasks(ts []workloads.Task) ([]PythonTask, error) {
	out := make([]PythonTask, len(ts))
	payloads := map[*byte]bool{} // inputs checked, by their first byte: tasks share them
	for i, t := range ts {
		if len(t.Input) > 0 && !payloads[&t.Input[0]] {
			if !bytes.Equal(t.Input, workloads.Payload(len(t.Input))) {
				return nil, fmt.Errorf("task %d: its input is not workloads.Payload, which the suite makes", t.ID)
			}
			payloads[&t.Input[0]] = true
		}
		pt := PythonTask{ID: t.ID, Seed: t.Seed, Ops: make([]PythonOp, len(t.Ops)), Input: len(t.Input), Output: t.Output}
		for j, op := range t.Ops {
			po := PythonOp{Op: op.Kind.String()}
			switch op.Kind {
			case workloads.KindCompute:
				if !slices.Contains(pythonKernels, op.Kernel) {
					return nil, fmt.Errorf("task %d op %d: the CPython suite has no %s kernel", t.ID, j, op.Kernel)
				}
				po.Kernel, po.Units, po.Size = op.Kernel.String(), op.Units, op.Size
			case workloads.KindSleep:
				po.NS = int64(op.D)
			case workloads.KindNet:
				po.NS, po.Bytes = int64(op.D), op.Bytes
			case workloads.KindFile:
				po.Bytes = op.Bytes
			default:
				return nil, fmt.Errorf("task %d op %d: %v has no form in the CPython suite", t.ID, j, op)
			}
			pt.Ops[j] = po
		}
		out[i] = pt
	}
	return out, nil
}

// WriteJSON writes the set as one line of JSON, as the suite reads it.
func (s PythonSet) WriteJSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(s)
}
