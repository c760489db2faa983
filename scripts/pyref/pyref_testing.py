"""What the suite's self-tests share (not a test module itself): the
package on sys.path, a latency server in Python, small batches, sets of
cells in the form Go hands them over, and the settings testdata (for a
user's function)."""

import json
import os
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from concbench_py import kernels, models, settings, tasks  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MS = 1_000_000
SMOKE = os.path.join(HERE, "testdata", "settings-smoke.txt")
STANDARD = os.path.join(HERE, "testdata", "settings-standard.txt")

# The pool size, as Go hands it over (bench.ExecutorPool: with the cells,
# and in the settings) and the command sets it.
_smoke = settings.load(SMOKE)
POOL_MAX, POOL_EXTRA = _smoke.pool_max, _smoke.pool_extra
models.set_pool_size(POOL_MAX, POOL_EXTRA)
# The approaches that BenchmarkStart is for, whose counterparts Go predicts it for.
START_APPROACHES = ("py-threadpool", "py-interpreterpool", "py-processpool")


class FakeLatencyServer:
    """The latency server's protocol in Python, for tests without Go: each
    20-byte request (delay ns u64 LE, size u32 LE, seed u64 LE) is answered
    with `size` deterministic bytes after `delay`."""

    def __init__(self):
        self.ln = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.addr = "127.0.0.1:%d" % self.ln.getsockname()[1]
        self.th = threading.Thread(target=self._accept, daemon=True)
        self.th.start()

    def _accept(self):
        while True:
            try:
                c, _ = self.ln.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        with c:
            while True:
                try:
                    req = tasks.recv_exactly(c, 20)
                except (EOFError, OSError):
                    return
                d, n, seed = struct.unpack("<QIQ", req)
                time.sleep(d / 1e9)
                c.sendall(kernels.fill(n, seed))

    def close(self):
        self.ln.close()


def batch(ops, n, seed=3):
    """n tasks of the same ops, with distinct seeds. Go builds the suite's
    batches (concbench describe -tasks); the models' tests need only some."""
    return [(i, seed * 1000 + i, list(ops)) for i in range(n)]


def small_batch(kind, n=6):
    if kind == "primes":
        return batch([tasks.op_compute(kernels.PRIMES, 2)], n)
    if kind == "hash":
        return batch([tasks.op_compute(kernels.HASH, 3)], n)
    if kind == "gzip":
        return batch([tasks.op_compute(kernels.GZIP, 3)], n)
    if kind == "sleep":
        return batch([tasks.op_sleep(20 * MS)], n)
    if kind == "net":
        return batch([tasks.op_net(5 * MS, 1024)], n)
    if kind == "file":
        return batch([tasks.op_file(4096)], n)
    if kind == "mix":
        m = kernels.MIX_UNIT_SIZE
        return batch([tasks.op_compute(kernels.PRIMES, 1, m), tasks.op_sleep(MS), tasks.op_compute(kernels.PRIMES, 2, m)], n)
    if kind == "empty":
        return [(i, i, []) for i in range(n)]
    if kind == "payload":  # 100 KiB in, 10 KiB back, one input shared as Go's group shares one
        inp = kernels.payload(100 << 10)
        return [t + (inp, 10 << 10) for t in batch([tasks.op_compute(kernels.PRIMES, 1)], n)]
    raise ValueError(kind)


_OP_NAMES = {tasks.KIND_COMPUTE: "compute", tasks.KIND_SLEEP: "sleep", tasks.KIND_NET: "net", tasks.KIND_FILE: "file"}


def op_json(op):
    """An op tuple in the form Go hands it over (bench.PythonOp)."""
    kind, kernel, units, size, d, n = op
    d_ = {"op": _OP_NAMES[kind]}
    if kind == tasks.KIND_COMPUTE:
        d_.update(kernel=kernels.KERNEL_NAMES[kernel], units=units)
        if size:
            d_["size"] = size
    if d:
        d_["ns"] = d
    if n:
        d_["bytes"] = n
    return d_


def task_set(cells, model_list, cores, max_op=5.0, profile="smoke", predict=None):
    """A handed-over set as concbench describe -tasks writes it, for the
    models of model_list at cores: cells are (name, batch), a batch of None
    for BenchmarkStart (predicted for the pools only); predict maps a cell
    name to the seconds every model is predicted (default 1 ms)."""
    predict = predict or {}
    out = []
    for name, b in cells:
        start = b is None
        ms = [m for m in model_list if not start or m.approach in START_APPROACHES]
        ns = int(predict.get(name, 1e-3) * 1e9)
        c = {"name": name, "tasks": [{"id": t[0], "seed": t[1], "ops": [op_json(o) for o in t[2]]} for t in b or []],
             "predict_ns": {m.name: ns for m in ms}}
        if start:
            c["start"] = True
        out.append(c)
    return {"profile": profile, "cores": cores, "max_op_ns": int(max_op * 1e9), "pool_max": POOL_MAX,
            "pool_extra": POOL_EXTRA,
            "python": {"tag": models.python_tag(), "unit_ns": {"hash": 40000, "primes": 350000, "primes20": 35000,
                                                              "gzip": 45000},
                       "thread_ns": 100000, "models": []},
            "cells": out}


def write_task_set(dir, *args, **kw):
    """task_set written to a file in dir; returns its path."""
    path = os.path.join(dir, "tasks-%d.json" % len(os.listdir(dir)))
    with open(path, "w") as f:
        json.dump(task_set(*args, **kw), f)
    return path
