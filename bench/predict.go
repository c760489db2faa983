package bench

import (
	"time"

	"github.com/concbench/concbench/workloads"
)

// Rough per-task costs of the process models on a current Linux machine,
// used only to predict which cells would be absurdly slow.
const (
	predictSpawn    = 1500 * time.Microsecond
	predictPipeTrip = 20 * time.Microsecond
	// predictThreadStart is one gil-threads start: an OS thread created
	// while the starter holds the GIL, and two handovers (34 µs a task for
	// 80,000 one-microsecond tasks on a 2-CPU Xeon VM).
	predictThreadStart = 35 * time.Microsecond
	// predictByteNs is what one byte of a task's input or output costs
	// a model that sends it (procs, procpool, interp-pool): encoded,
	// through a pipe or channel, and decoded; 4 MiB took about 2 ms
	// (TestPayloadCrosses).
	predictByteNs = 0.5
)

// SkipBudget is the predicted batch time above which the matrix skips a
// cell instead of running it.
const SkipBudget = 2 * time.Second

// Predict estimates one batch's makespan under the named model with
// gomaxprocs cores, from the tasks' nominal compute and waits and the
// model's [Traits]. It is a coarse model of each scheduler, good enough to
// say "seq would take 100 s": the batch takes at least its compute, the
// serial share of it on one core and the rest spread over every core; and
// at least its tasks queued on the model's workers, in rounds of the mean
// task (or the longest task, where every task has a worker of its own),
// plus the process models' start and round-trip costs and, where the model
// sends them, the tasks' input and output bytes. An unknown model is
// predicted as seq. Compute costs this process's calibrated unit costs;
// see [PredictWith].
func Predict(model string, tasks []workloads.Task, gomaxprocs int) time.Duration {
	return predict(nil, model, tasks, gomaxprocs)
}

// predict is Predict with compute at the given unit costs (nil: this
// process's calibration).
func predict(costs workloads.UnitCosts, model string, tasks []workloads.Task, gomaxprocs int) time.Duration {
	tr, ok := TraitsOf(model)
	if !ok {
		tr, _ = TraitsOf("seq")
	}
	return PredictWith(tr, tasks, gomaxprocs, unitAt(costs))
}

// PredictWith is [Predict] for a model described by its traits, with
// compute at unit's costs: one unit of kernel k and the given size (zero:
// the kernel's default) on one core. The CPython suite's models are
// predicted so, with their interpreter's costs ([BuildPython]). A model
// that starts a worker per task (Pool.PerTask) pays TaskStart for each,
// one after another, as one thread starts them all.
func PredictWith(tr Traits, tasks []workloads.Task, gomaxprocs int, unit func(k workloads.Kernel, size int) time.Duration) time.Duration {
	n := len(tasks)
	if n == 0 {
		return 0
	}
	var cpu, wait time.Duration // totals over the batch
	var longest time.Duration   // the longest single task
	moved := 0                  // input and output bytes over the batch
	for _, t := range tasks {
		moved += len(t.Input) + t.Output
		var c, w time.Duration
		for _, op := range t.Ops {
			if op.Kind == workloads.KindCompute {
				c += time.Duration(op.Units) * unit(op.Kernel, op.Size)
			} else {
				w += op.D
			}
		}
		cpu, wait = cpu+c, wait+w
		longest = max(longest, c+w)
	}
	cores := time.Duration(max(1, gomaxprocs))
	serial := time.Duration(tr.Serial * float64(cpu))
	compute := serial + (cpu-serial)/cores
	// A model that starts its tasks one at a time (a thread each) has
	// started the last after n starts.
	queued := longest + time.Duration(n)*tr.TaskStart
	if !tr.Pool.PerTask {
		workers := tr.Pool.Workers(n, gomaxprocs)
		rounds := time.Duration((n + workers - 1) / workers)
		per := (cpu + wait) / time.Duration(n) // the mean task
		if tr.SendsBytes {
			per += time.Duration(float64(moved)*predictByteNs) / time.Duration(n)
		}
		queued = time.Duration(workers)*tr.WorkerStart + rounds*(per+tr.TaskStart+tr.TaskTrip)
	}
	return max(compute, queued)
}

// opCost is a compute op's nominal time on one core.
func opCost(op workloads.Op) time.Duration { return opCostAt(nil, op) }

// opCostAt is a compute op's time on one core at the given unit costs
// (nil: this process's calibration).
func opCostAt(costs workloads.UnitCosts, op workloads.Op) time.Duration {
	return time.Duration(op.Units) * unitAt(costs)(op.Kernel, op.Size)
}

// unitAt returns a unit's cost at the given unit costs (nil: this
// process's calibration), by kernel and size (zero: the default).
func unitAt(costs workloads.UnitCosts) func(k workloads.Kernel, size int) time.Duration {
	return func(k workloads.Kernel, size int) time.Duration {
		c := costs.Cost(k)
		if size > 0 {
			c = c * time.Duration(size) / time.Duration(k.DefaultSize())
		}
		return c
	}
}
