package report

import (
	"math"
	"strings"
)

// A Gap is why a CPython model's speedup differs from its emulation's,
// as the costs CPython pays and the emulation does not, measured in the
// same set, account for it: the interpreter's speed on the batch (its
// py-seq against seq), starting the executor (BenchmarkStart), and
// handing each task over (BenchmarkOverhead).
//
// The model: CPython runs the emulation's schedule with its work
// stretched by Interp, after starting its pool, and pays Dispatch per
// task where the emulation paid GoDispatch. Under one GIL (threads, the
// event loop) handing a task over takes the lock, so it adds to the
// work; a process or an interpreter of its own works while the main one
// hands over the next task, so the two overlap and the longer one counts.
type Gap struct {
	Interp     float64 // py-seq's makespan over seq's on this batch, at 1 core
	Start      float64 // ns to start the executor at these cores (0: none measured)
	Tasks      int     // tasks in the batch
	Dispatch   float64 // ns per task CPython pays to hand one over (start amortised out)
	GoDispatch float64 // the same for the emulation
	Overlaps   bool    // handing over overlaps the work (processes, interpreters)
	// Work is the emulation's makespan less its own dispatch, in ns.
	Work float64
	// Expected is the makespan, in ns, these costs predict for CPython,
	// and Predicted the speedup over py-seq at 1 core it implies.
	Expected, Predicted float64
	// Explained says the prediction accounts for the gap: it is nearer
	// the measured speedup than half the gap's width (in log terms).
	Explained bool
}

// gaps explains, for every Python model whose speedup differs from its
// emulation's, the gap from the costs measured in the same set.
func (a *Measured) gaps() {
	ovTasks := 0
	for _, b := range a.M.Batches[BenchOverhead] {
		ovTasks = b.Tasks
	}
	perTask := func(model string, k int) float64 {
		if a.Overhead == nil {
			return 0
		}
		if e, ok := a.Overhead.Values[model][k]; ok && e.Value > 0 && !math.IsInf(e.Value, 0) {
			return e.Value
		}
		return 0
	}
	for _, r := range a.Python {
		if !r.Differs || r.pyBase == nil || r.goBase == nil {
			continue
		}
		b, ok := a.M.Batch(r.Benchmark, batchParam(r.pyCell))
		if !ok || b.Tasks <= 0 {
			continue
		}
		g := &Gap{Interp: r.pyBase.Median(UnitTime) / r.goBase.Median(UnitTime), Tasks: b.Tasks,
			GoDispatch: perTask(r.Go, r.Cores), Overlaps: overlaps(r.Py)}
		for _, st := range a.PyStarts {
			if st.Model == r.Py && st.Cores == r.Cores {
				g.Start = st.Pool.Value
			}
		}
		g.Dispatch = perTask(r.Py, r.Cores)
		if ovTasks > 0 {
			g.Dispatch = math.Max(0, g.Dispatch-g.Start/float64(ovTasks))
		}
		n := float64(g.Tasks)
		g.Work = math.Max(0, r.goCell.Median(UnitTime)-n*g.GoDispatch)
		if g.Overlaps {
			g.Expected = g.Start + math.Max(g.Interp*g.Work, n*g.Dispatch)
		} else {
			g.Expected = g.Start + g.Interp*g.Work + n*g.Dispatch
		}
		g.Predicted = r.pyBase.Median(UnitTime) / g.Expected
		gap := math.Abs(math.Log(r.GoSpeedup.Value / r.PySpeedup.Value))
		g.Explained = math.Abs(math.Log(g.Predicted/r.PySpeedup.Value)) <= gap/2
		r.Gap = g
	}
}

// overlaps says a Python model hands tasks to workers that run apart from
// the main interpreter (processes, subinterpreters), so that handing one
// over overlaps the others' work.
func overlaps(py string) bool {
	for _, s := range []string{"py-multiprocessing", "py-processpool", "py-interpreterpool"} {
		if strings.HasPrefix(py, s) {
			return true
		}
	}
	return false
}

// Unexplained counts the Go-vs-CPython pairs whose speedups differ and
// whose gap the costs measured in the set do not account for, out of
// every pair.
func (a *Measured) Unexplained() (n, of int) {
	for _, r := range a.Python {
		if r.Differs && (r.Gap == nil || !r.Gap.Explained) {
			n++
		}
	}
	return n, len(a.Python)
}

// batchParam is a cell's batch as the matrix names it: its name parts
// but the model, "workload=sleep/tasks=100".
func batchParam(c *Cell) string {
	var s []string
	for _, p := range c.Parts {
		if p.Key != "model" {
			s = append(s, p.Key+"="+p.Value)
		}
	}
	return strings.Join(s, "/")
}
