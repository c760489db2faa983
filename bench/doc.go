// Package bench says how tasks are scheduled. It is the second stage of
// concbench's flow: workloads (what a task does) → bench (models and the
// go test -bench matrix) → results/ (benchfmt files) → report.
//
// A [Model] runs a batch of [workloads.Task] values to completion and
// returns one [Outcome] per task, in task order. The models reproduce
// Python's five standard approaches — threading under a GIL, a
// ThreadPoolExecutor, asyncio's event loop, multiprocessing.Process and
// ProcessPoolExecutor — next to Go's own goroutines, worker pool and
// errgroup. [Models] lists them all.
package bench
