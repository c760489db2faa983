"""The suite's cells, as Go hands them over.

Go builds every batch the suite runs and predicts each model's makespan:
`concbench describe -profile P -cores N -tasks -python COSTS` (bench.BuildPython)
prints, as JSON, the cells of one core count for the interpreter whose
costs COSTS holds (the output of --costs): BenchmarkCores, BenchmarkFanout
and BenchmarkOverhead as bench/matrix.go builds them at the profile's py-*
sizes, and BenchmarkStart. The suite keeps no task generator and no
prediction of its own; this module reads that JSON and names the cells.

    {"profile": "smoke", "cores": 2, "max_op_ns": 5000000000, "pool_max": 32, "pool_extra": 4,
     "python": {"tag": "3.14", "unit_ns": {"hash": 38000, ...}, ...},
     "cells": [{"name": "BenchmarkCores/workload=hash",
                "tasks": [{"id": 0, "seed": 1234, "ops": [{"op": "compute", "kernel": "hash", "units": 40}]}],
                "predict_ns": {"py-seq@3.14": 82000000, ...}}, ...,
               {"name": "BenchmarkCores/workload=scraper",
                "tasks": [{"id": 0, "seed": 1234, "input": 4096, "output": 16384,
                           "ops": [{"op": "net", "ns": 20000000, "bytes": 16384}, ...]}, ...], ...}, ...]}

A task file's workload (concbench describe -task FILE) is one more
BenchmarkCores cell; a task's input is kernels.payload of its size, made
here, and crosses to the workers of the process and interpreter pools
pickled, its output back.
"""

import json
import sys

from .kernels import KERNELS, payload
from .models import threadpool_workers
from .tasks import KIND_NET, op_compute, op_file, op_net, op_sleep


class TasksError(ValueError):
    pass


class Cell:
    """One cell before a model is chosen: its name (benchmark and name parts,
    "BenchmarkCores/workload=hash"), its batch of task tuples, each model's
    predicted makespan in seconds, and whether it is BenchmarkStart (a pool's
    start, no tasks)."""

    def __init__(self, name, batch, predict, start=False):
        self.name = name
        self.batch = batch
        self.predict = predict
        self.start = start

    def __repr__(self):
        return "Cell(%s)" % self.name

    def applies(self, model):
        """Whether model runs here: Go predicts only the models a cell is for
        (BenchmarkStart: the pools)."""
        return model.name in self.predict

    def result_name(self, model_name, cores):
        """The result line's name: the cell's, the model, -N above one core."""
        name = "%s/model=%s" % (self.name, model_name)
        return name + ("-%d" % cores if cores > 1 else "")

    def uses_net(self):
        return any(op[0] == KIND_NET for t in self.batch for op in t[2])


class TaskSet:
    """What Go handed over: the profile's name, the core count, the largest
    predicted batch time the suite runs (seconds), the thread and
    interpreter pools' default size (max, extra: min(max, cores + extra)),
    the interpreter's costs the set was built with, and the cells in the
    order they run."""

    def __init__(self, profile, cores, max_op, pool, python, cells):
        self.profile = profile
        self.cores = cores
        self.max_op = max_op
        self.pool = pool
        self.python = python
        self.cells = cells

    def unit_ns(self):
        """The unit costs the batches were built with, as --unit-ns takes them."""
        return ",".join("%s=%d" % kv for kv in sorted(self.python.get("unit_ns", {}).items()))

    def check_run(self, tag, cores, models):
        """Why this run cannot use the set (another interpreter, core count or
        set of models than it was built for), or None."""
        if self.python.get("tag") != tag:
            return "built for Python %s, this is %s" % (self.python.get("tag"), tag)
        if self.cores != cores:
            return "built for %d cores, this run has %d (concbench describe -cores)" % (self.cores, cores)
        batches = [c for c in self.cells if not c.start]
        missing = [m.name for m in models if not all(c.applies(m) for c in batches)]
        if missing:
            return ("no predictions for %s: build it from this run's --costs, with the same --models and "
                    "--start-methods" % ", ".join(missing))
        return None


def _op(d):
    kind = d["op"]
    if kind == "compute":
        if d["kernel"] not in KERNELS:
            raise ValueError("unknown kernel %r" % d["kernel"])
        return op_compute(KERNELS[d["kernel"]], _count(d, "units"), _count(d, "size"))
    if kind == "sleep":
        return op_sleep(_count(d, "ns"))
    if kind == "net":
        return op_net(_count(d, "ns"), _count(d, "bytes"))
    if kind == "file":
        return op_file(_count(d, "bytes"))
    raise ValueError("unknown op %r" % kind)


def _count(d, key):
    v = d.get(key, 0)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ValueError("%s=%r: want a non-negative integer" % (key, v))
    return v


def _task(d, inputs):
    """A task as Go hands it over (bench.PythonTask), as the suite's tuple:
    with its input (kernels.payload, made once per size in inputs and shared,
    as Go's tasks of a group share theirs) and output size when it has them."""
    t = (_count(d, "id"), _count(d, "seed"), [_op(o) for o in d["ops"]])
    n, out = _count(d, "input"), _count(d, "output")
    if not n and not out:
        return t
    if n not in inputs:
        inputs[n] = payload(n)
    return t + (inputs[n], out)


def parse(text, source="tasks"):
    """A TaskSet from `concbench describe -tasks` output; errors name source
    and, for a bad cell, the cell."""
    try:
        d = json.loads(text)
    except ValueError as e:
        raise TasksError("%s: %s (is it the output of concbench describe -tasks?)" % (source, e)) from None
    try:
        cells = []
        inputs = {}
        for c in d["cells"]:
            try:
                batch = [_task(t, inputs) for t in c["tasks"]]
                predict = {m: ns / 1e9 for m, ns in c["predict_ns"].items()}
            except (KeyError, TypeError, ValueError) as e:
                raise TasksError("%s: cell %s: %s" % (source, c.get("name", "?"), _why(e))) from None
            cells.append(Cell(c["name"], batch, predict, bool(c.get("start", False))))
        ts = TaskSet(d["profile"], d["cores"], d["max_op_ns"] / 1e9, (d["pool_max"], d["pool_extra"]), d["python"],
                     cells)
    except (KeyError, TypeError, AttributeError) as e:
        raise TasksError("%s: %s (is it the output of concbench describe -tasks?)" % (source, _why(e))) from None
    if not cells:
        raise TasksError("%s: no cells" % source)
    return ts


def _why(e):
    return "no %s" % e if isinstance(e, KeyError) else str(e)


def load(path):
    """The TaskSet in the file at path ("-": standard input)."""
    if path == "-":
        return parse(sys.stdin.read(), "standard input")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise TasksError("--tasks %s: %s" % (path, e.strerror or e)) from None
    return parse(text, path)


def pool_workers(model, cores):
    """The worker count of a pool model's batch: the thread and interpreter
    pools' default (threadpool_workers); the process pool's, cores."""
    return cores if model.approach == "py-processpool" else threadpool_workers(cores)
