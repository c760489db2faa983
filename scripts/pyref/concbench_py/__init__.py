"""concbench's Python reference suite: the real CPython models beside the Go emulation.

It runs the workloads of concbench's BenchmarkCores and BenchmarkFanout, and
the dispatch and pool-start costs, with the same tasks (same kernels, unit
sizes, seeds and checksums as package workloads) under Python's standard
concurrency approaches plus a plain loop, and prints Go benchmark lines
(benchfmt) with the same name parts and metrics. Go builds every batch and
predicts each cell (concbench describe -tasks); the suite runs what it is
handed:

    BenchmarkCores/workload=primes/model=py-threading@3.14-2  1  123456789 ns/op  ...

Standard library only, Python 3.9 or later. One module per job:

    kernels   the compute kernels and their calibrated unit costs (workloads/kernels.go)
    tasks     ops and the blocking executor (workloads/task.go, exec.go)
    worker    what runs in another process or interpreter: imports only tasks
    models    the py-* models, their names (py-APPROACH@TAG[-METHOD]) and Go counterparts
    matrix    the cells Go hands over (concbench describe -tasks), with their predictions
    limits    resource limits a batch would exceed
    measure   running a batch, its metrics, pool starts, the costs Go predicts with
    output    benchfmt lines and config lines
    cli       the command line (python3 -m concbench_py, or concbench_py.py beside this)

The package imports nothing at this level, so that a worker process or
interpreter that unpickles a worker function loads only what it needs.
"""
