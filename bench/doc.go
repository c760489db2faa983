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
//
// The benchmark matrix is built in three steps:
//
//  1. [BuildSweep] turns a [Profile] into the batches of one benchmark
//     (Cores, Mix, Fanout, Grain, Overhead, Convoy), deterministically;
//  2. the Benchmark functions in matrix_test.go run each batch under each
//     model, one batch per op, and report ns/op, tasks/s, p50-ms, p99-ms
//     and cpu-util, skipping (with a printed reason) the Fanout and Grain
//     cells that [Predict] puts over [SkipBudget];
//  3. scripts/bench.sh runs the test binary per core count, pinned, in
//     interleaved rounds, into results/<machine>/<stamp>/bench.txt.
//
// What differs by system sits in files named for it, one job a file: the
// event loop's poller (eventloop_epoll.go on Linux, eventloop_kqueue.go on
// macOS and FreeBSD, eventloop_portable.go elsewhere or with the build tag
// concbench_portable), worker pipes (proc_pipe_*.go), waiting for a worker
// (proc_wait_*.go), CPU time (cputime_*.go, proccpu_*.go) and the machine's
// facts (runinfo_*.go). README.md's "Platforms" says what each system does.
package bench
