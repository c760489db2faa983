// Package workloads says what a task does, and nothing about how tasks are
// scheduled. It is the first stage of concbench's flow:
//
//  1. workloads: tasks as data (this package) — typed operations, compute
//     kernels, a blocking executor, deterministic generators, users' task
//     files ([LoadTaskFile]), a binary codec, the latency server and the
//     re-exec entry for child processes;
//  2. bench: concurrency models that schedule those tasks, and the
//     go test -bench matrix that measures them;
//  3. results/: benchfmt files written by scripts/bench.sh;
//  4. report: numbers to charts, tables and verdicts.
//
// A task is a short program of [Op] values rather than a closure, so that
// every model can run it: a process on the far side of a pipe (through
// [EncodeTasks]), an event loop that must know when a task waits (by looking
// at [Op.Kind]), or an emulated GIL that acts between compute units (through
// [Unit]). Every op yields a 64-bit value that the task folds into its
// checksum with [Fold], so results compare across models and processes.
package workloads
