#!/usr/bin/env python3
"""concbench's Python reference suite: the real CPython models beside the Go emulation.

It runs the workloads of concbench's BenchmarkCores and BenchmarkFanout with the
same tasks (same kernels, unit sizes, seeds and checksums as package workloads)
under Python's five standard concurrency approaches plus a plain loop, and prints
Go benchmark lines (benchfmt) with the same name parts and metrics:

    BenchmarkCores/workload=primes/model=py-threading-2  1  123456789 ns/op  ...

Standard library only, Python 3.9 or later. See README.md beside this file.
"""

import argparse
import asyncio
import concurrent.futures
import hashlib
import json
import math
import multiprocessing
import multiprocessing.connection
import os
import platform
import re
import resource
import socket
import struct
import sys
import tempfile
import threading
import time

# ---------------------------------------------------------------------------
# Workloads: a faithful port of package workloads (kernels.go, task.go,
# exec.go, generate.go). Checksums equal Go's for the same tasks.

M64 = (1 << 64) - 1

HASH_BUF_SIZE = 64 << 10   # bytes hashed per hash unit
PRIMES_WINDOW = 200        # integers tested per primes unit
PRIMES_BASE = 1_000_000
PRIMES_SPAN = 1_000_000
MAX_BYTES = 16 << 20       # largest net/file payload

KIND_COMPUTE, KIND_SLEEP, KIND_NET, KIND_FILE = 1, 2, 3, 4
HASH, PRIMES, GZIP = 1, 2, 3
KERNELS = {"hash": HASH, "primes": PRIMES}
KERNEL_NAMES = {HASH: "hash", PRIMES: "primes", GZIP: "gzip"}


def mix64(x):
    """splitmix64's finaliser, as workloads.mix64."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def task_start(seed):
    return 0xCBF29CE484222325 ^ mix64(seed)


def fold(s, v):
    r = ((s << 23) | (s >> 41)) & M64
    return ((r ^ mix64(v)) * 0x100000001B3) & M64


def op_seed(task_seed, i):
    return mix64(task_seed ^ ((i * 0x9E3779B97F4A7C15) & M64))


def unit_fold(v, unit):
    return mix64(v ^ unit)


def fill(n, seed):
    """Deterministic bytes, as workloads.fill (slow in Python: ~1 µs per 8 bytes)."""
    out = bytearray()
    x = seed
    pack = struct.Struct("<Q").pack
    while len(out) < n:
        x = mix64(x)
        out += pack(x)
    return bytes(out[:n])


HASH_BUF = fill(HASH_BUF_SIZE, 0x5EED)
HASH_VIEW = memoryview(HASH_BUF)


def count_primes(lo, hi):
    """How many primes in [lo, hi), by trial division by odd divisors, exactly
    as workloads.isPrime: the same divisions (d*d <= x is d <= isqrt(x)),
    written the fastest pure-Python way."""
    n = 0
    isqrt = math.isqrt
    for x in range(lo, hi):
        if x < 2:
            continue
        if x % 2 == 0:
            n += x == 2
            continue
        for d in range(3, isqrt(x) + 1, 2):
            if x % d == 0:
                break
        else:
            n += 1
    return n


def unit(kernel, size, seed, i):
    """One compute unit, as workloads.Unit (hash and primes kernels)."""
    s = mix64((seed + i) & M64)
    if kernel == HASH:
        if size <= 0 or size > HASH_BUF_SIZE:
            size = HASH_BUF_SIZE
        h = hashlib.sha256(s.to_bytes(8, "little"))
        h.update(HASH_VIEW[:size])  # > 2047 bytes: CPython releases the GIL here
        return int.from_bytes(h.digest()[:8], "little")
    if kernel == PRIMES:
        if size <= 0 or size > 1 << 20:
            size = PRIMES_WINDOW
        lo = PRIMES_BASE + s % PRIMES_SPAN
        return ((lo << 16) | count_primes(lo, lo + size)) & M64
    raise ValueError("unsupported kernel %r" % (kernel,))


def compute_op(op, seed):
    _, kernel, units, size, _, _ = op
    v = 0
    for u in range(units):
        v = unit_fold(v, unit(kernel, size, seed, u))
    return v


def fnv64a(b):
    h = 0xCBF29CE484222325
    for c in b:
        h = ((h ^ c) * 0x100000001B3) & M64
    return h


def net_request(op, seed):
    _, _, _, _, d, n = op
    return struct.pack("<QIQ", d, n, seed)


def net_value(reply, exact):
    """workloads.NetValue when exact; else a cheap stand-in (see README)."""
    if exact:
        return fnv64a(reply) ^ len(reply)
    return len(reply)


def file_value(back, exact):
    if exact:
        return fnv64a(back) ^ 0xF11E
    return len(back) ^ 0xF11E


def op_compute(kernel, units, size=0):
    return (KIND_COMPUTE, kernel, units, size, 0, 0)


def op_sleep(d_ns):
    return (KIND_SLEEP, 0, 0, 0, d_ns, 0)


def op_net(d_ns, n):
    return (KIND_NET, 0, 0, 0, d_ns, n)


def op_file(n):
    return (KIND_FILE, 0, 0, 0, 0, n)


class Env:
    """What the waiting ops need: the latency server's address, the temp dir,
    and whether net/file values are computed exactly as Go's."""

    def __init__(self, addr=None, dir=None, exact=False):
        self.addr = addr
        self.dir = dir
        self.exact = exact
        # The server listens on several ports (comma-separated), so that
        # their accept queues together hold a whole fanout batch.
        self.addrs = []
        for a in filter(None, (addr or "").split(",")):
            host, _, port = a.rpartition(":")
            self.addrs.append((host, int(port)))

    def host_port(self, seed=0):
        """The listener a net op with this op seed connects to: the seed
        modulo their number, as workloads.PickAddr picks it."""
        if not self.addrs:
            raise RuntimeError("no latency server address (use --addr)")
        return self.addrs[seed % len(self.addrs)]

    def as_tuple(self):
        return (self.addr, self.dir, self.exact)


def recv_exactly(sock, n):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError("reading %d-byte reply: EOF after %d bytes" % (n, got))
        got += k
    return bytes(buf)


def file_payload(n, seed, exact):
    if exact:
        return fill(n, seed)
    # Filling 16 KiB with splitmix64 costs ~2 ms of pure Python; the bytes do
    # not matter to the write/fsync/read cost, so a shared buffer stands in.
    if n <= HASH_BUF_SIZE:
        return HASH_BUF[:n]
    return (HASH_BUF * (n // HASH_BUF_SIZE + 1))[:n]


def file_round_trip(env, op, seed):
    n = op[5]
    data = file_payload(n, seed, env.exact)
    fd, path = tempfile.mkstemp(prefix="concbench-", suffix=".tmp", dir=env.dir or None)
    try:
        with os.fdopen(fd, "w+b", buffering=0) as f:
            f.write(data)
            os.fsync(f.fileno())
            f.seek(0)
            back = f.read(n) if n else b""
            if len(back) != n:
                raise IOError("reading back: %d of %d bytes" % (len(back), n))
    finally:
        os.remove(path)
    return file_value(back, env.exact)


def do_wait(env, op, seed):
    """Run one waiting op, blocking (env.Do)."""
    kind = op[0]
    if kind == KIND_SLEEP:
        time.sleep(op[4] / 1e9)
        return op[4]
    if kind == KIND_NET:
        with socket.create_connection(env.host_port(seed)) as c:
            c.sendall(net_request(op, seed))
            return net_value(recv_exactly(c, op[5]), env.exact)
    if kind == KIND_FILE:
        return file_round_trip(env, op, seed)
    raise ValueError("op %r does not wait" % (op,))


def exec_task(env, task):
    """Run a task to completion, blocking in every wait (workloads.Exec).
    Returns its checksum."""
    _, seed, ops = task
    s = task_start(seed)
    for i, op in enumerate(ops):
        os_ = op_seed(seed, i)
        if op[0] == KIND_COMPUTE:
            v = compute_op(op, os_)
        else:
            v = do_wait(env, op, os_)
        s = fold(s, v)
    return s


async def exec_task_async(env, task):
    """The asyncio version: compute runs on the loop (a compute op runs to its
    end), sleeps are asyncio.sleep, net is asyncio.open_connection, file work
    goes to a thread via asyncio.to_thread."""
    _, seed, ops = task
    s = task_start(seed)
    for i, op in enumerate(ops):
        os_ = op_seed(seed, i)
        kind = op[0]
        if kind == KIND_COMPUTE:
            v = compute_op(op, os_)
        elif kind == KIND_SLEEP:
            await asyncio.sleep(op[4] / 1e9)
            v = op[4]
        elif kind == KIND_NET:
            host, port = env.host_port(os_)
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(net_request(op, os_))
                await writer.drain()
                reply = await reader.readexactly(op[5])
            finally:
                writer.close()
                try:
                    await writer.wait_closed()
                except OSError:
                    pass
            v = net_value(reply, env.exact)
        elif kind == KIND_FILE:
            v = await asyncio.to_thread(file_round_trip, env, op, os_)
        else:
            raise ValueError("unknown op %r" % (op,))
        s = fold(s, v)
    return s


def generate(workload, tasks, seed, units=0, size=0, wait_ns=0, nbytes=0,
             cpu_percent=0, nominal_ns=0, unit_cost_ns=None):
    """Deterministic tasks, as workloads.Generate. For mix, the compute is
    primes units of MIX_UNIT_SIZE integers, as many as take the compute share
    of nominal_ns at unit_cost_ns (default: this process's calibrated cost of
    such a unit): the nominal time split is kept rather than the work, since
    one Python primes unit costs ~15 Go units (see README)."""
    if workload in KERNELS:
        if units <= 0:
            raise ValueError("generate %s: units must be positive" % workload)
        ops = [op_compute(KERNELS[workload], units, size)]
    elif workload == "sleep":
        ops = [op_sleep(wait_ns)]
    elif workload == "net":
        ops = [op_net(wait_ns, nbytes)]
    elif workload == "file":
        ops = [op_file(nbytes)]
    elif workload == "mix":
        cpu = nominal_ns * cpu_percent / 100
        cost = unit_cost_ns if unit_cost_ns else unit_cost(PRIMES, MIX_UNIT_SIZE)
        n = int(round(cpu / cost))
        if cpu_percent > 0 and n == 0:
            n = 1
        wait = nominal_ns - int(cpu)
        first = n // 2
        ops = []
        if first > 0:
            ops.append(op_compute(PRIMES, first, MIX_UNIT_SIZE))
        if wait > 0:
            ops.append(op_sleep(wait))
        if n - first > 0:
            ops.append(op_compute(PRIMES, n - first, MIX_UNIT_SIZE))
    else:
        raise ValueError("generate: unknown workload %r" % workload)
    return [(i, mix64((seed + i) & M64), list(ops)) for i in range(tasks)]


# A mix task's primes units test 20 integers each (~35 µs in CPython), so
# that the compute share of a 2 ms task is hit within a few per cent; a
# default unit (200 integers, ~350 µs) would round 1 ms to 0.7 or 1.05 ms.
MIX_UNIT_SIZE = 20

_costs = {}


def unit_cost(kernel, size=0):
    """ns per unit of kernel (of the given size, 0 the default) on one core,
    calibrated once per process (median of 7) unless set with set_unit_cost."""
    if size == {HASH: HASH_BUF_SIZE, PRIMES: PRIMES_WINDOW}.get(kernel):
        size = 0
    key = (kernel, size)
    if key in _costs:
        return _costs[key]
    unit(kernel, size, 0, 0)
    n = 1
    while True:
        t = time.perf_counter_ns()
        for i in range(n):
            unit(kernel, size, 1, i)
        if time.perf_counter_ns() - t >= 8_000_000 or n >= 1 << 20:
            break
        n *= 2
    per = []
    for trial in range(7):
        t = time.perf_counter_ns()
        for i in range(n):
            unit(kernel, size, trial, i)
        per.append((time.perf_counter_ns() - t) / n)
    per.sort()
    _costs[key] = max(per[3], 1.0)
    return _costs[key]


def set_unit_cost(kernel, size, ns):
    _costs[(kernel, size)] = float(ns)


# ---------------------------------------------------------------------------
# Models. Each returns [(id, sum, pid, start_ns, end_ns)] in task order, with
# times from time.monotonic_ns() (CLOCK_MONOTONIC, the same in every process
# on Linux). start/end are as the scheduling process sees them.

now = time.monotonic_ns


class TaskError(RuntimeError):
    pass


def run_seq(env, tasks, cores):
    out = []
    for t in tasks:
        s0 = now()
        try:
            v = exec_task(env, t)
        except Exception as e:
            raise TaskError("task %d: %s" % (t[0], e)) from e
        out.append((t[0], v, os.getpid(), s0, now()))
    return out


def run_threading(env, tasks, cores):
    out = [None] * len(tasks)
    errs = []
    pid = os.getpid()

    def body(j, t):
        s0 = now()
        try:
            v = exec_task(env, t)
        except Exception as e:  # reported after join
            errs.append(TaskError("task %d: %s" % (t[0], e)))
            return
        out[j] = (t[0], v, pid, s0, now())

    threads = [threading.Thread(target=body, args=(j, t)) for j, t in enumerate(tasks)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errs:
        raise errs[0]
    return out


def run_asyncio(env, tasks, cores):
    pid = os.getpid()

    async def one(t):
        s0 = now()
        try:
            v = await exec_task_async(env, t)
        except Exception as e:
            raise TaskError("task %d: %s" % (t[0], e)) from e
        return (t[0], v, pid, s0, now())

    async def main():
        return await asyncio.gather(*(one(t) for t in tasks))

    return list(asyncio.run(main()))


def threadpool_workers(cores):
    # Python's default, min(32, CPUs + 4), with CPUs the cores this run may
    # use (3.13's os.process_cpu_count(); earlier versions count every CPU).
    return min(32, cores + 4)


def run_threadpool(env, tasks, cores):
    pid = os.getpid()

    def body(t):
        s0 = now()
        v = exec_task(env, t)
        return (t[0], v, pid, s0, now())

    with concurrent.futures.ThreadPoolExecutor(max_workers=threadpool_workers(cores)) as ex:
        futs = [ex.submit(body, t) for t in tasks]
        out = []
        for t, f in zip(tasks, futs):
            try:
                out.append(f.result())
            except Exception as e:
                for g in futs:
                    g.cancel()
                raise TaskError("task %d: %s" % (t[0], e)) from e
    return out


def _proc_main(conn, envt, task):
    """A multiprocessing.Process per task: run it, send the checksum back."""
    try:
        v = exec_task(Env(*envt), task)
        conn.send(("ok", v, os.getpid()))
    except BaseException as e:
        conn.send(("err", "%s: %s" % (type(e).__name__, e), os.getpid()))
    finally:
        conn.close()


PROC_DEADLINE = 120.0  # seconds a batch of processes may take before it is killed


def run_multiprocessing(env, tasks, cores, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    envt = env.as_tuple()
    out = [None] * len(tasks)
    pending = list(enumerate(tasks))
    pending.reverse()
    live = {}  # reader connection -> (j, task, process, start)
    deadline = time.monotonic() + PROC_DEADLINE
    try:
        while pending or live:
            while pending and len(live) < cores:
                j, t = pending.pop()
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_proc_main, args=(w, envt, t), daemon=True)
                s0 = now()
                p.start()
                w.close()
                live[r] = (j, t, p, s0)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TaskError("tasks %s: no result within %gs" % (sorted(v[1][0] for v in live.values()), PROC_DEADLINE))
            for r in multiprocessing.connection.wait(list(live), timeout=left):
                j, t, p, s0 = live.pop(r)
                try:
                    status, v, pid = r.recv()
                except EOFError:
                    p.join()
                    raise TaskError("task %d: process %d died (exit code %s)" % (t[0], p.pid, p.exitcode))
                finally:
                    r.close()
                end = now()
                p.join()
                if status != "ok":
                    raise TaskError("task %d in process %d: %s" % (t[0], pid, v))
                out[j] = (t[0], v, pid, s0, end)
    finally:
        for r, (_, _, p, _) in live.items():
            p.kill()
            p.join()
            r.close()
    return out


def _pool_task(envt, task):
    s0 = now()
    v = exec_task(Env(*envt), task)
    return v, os.getpid(), s0


def run_processpool(env, tasks, cores, ctx=None):
    """ProcessPoolExecutor(max_workers=cores), created inside the batch: its
    start-up is part of the makespan, as the Go procpool's is."""
    envt = env.as_tuple()
    ends = [0] * len(tasks)

    def done(j):
        def cb(_f):
            ends[j] = now()
        return cb

    out = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=cores, mp_context=ctx) as ex:
        futs = []
        for j, t in enumerate(tasks):
            f = ex.submit(_pool_task, envt, t)
            f.add_done_callback(done(j))
            futs.append(f)
        for t, f in zip(tasks, futs):
            try:
                v, pid, s0 = f.result(timeout=PROC_DEADLINE)
            except Exception as e:
                for g in futs:
                    g.cancel()
                raise TaskError("task %d: %s: %s" % (t[0], type(e).__name__, e)) from e
            out.append([t[0], v, pid, s0, 0])
    for j, o in enumerate(out):
        o[4] = max(ends[j], o[3])
    return [tuple(o) for o in out]


MODELS = {
    "py-seq": run_seq,
    "py-threading": run_threading,
    "py-asyncio": run_asyncio,
    "py-threadpool": run_threadpool,
    "py-multiprocessing": run_multiprocessing,
    "py-processpool": run_processpool,
}
MODEL_ORDER = list(MODELS)

# Go counterparts, for the report's side-by-side table.
GO_COUNTERPART = {
    "py-seq": "seq",
    "py-threading": "gil-threads",
    "py-asyncio": "eventloop",
    "py-threadpool": "gil-pool",
    "py-multiprocessing": "procs",
    "py-processpool": "procpool",
}

# ---------------------------------------------------------------------------
# The matrix: BenchmarkCores and BenchmarkFanout, as bench/matrix*.go.

MS = 1_000_000
BATCH_SEED = 1
CORES_WORKLOADS = ["hash", "primes", "sleep", "net", "file", "mix50"]
FANOUT_TASKS = [1, 10, 100, 1000, 10000]


def matrix(profile="standard"):
    """The Python suite's cells, as data. Smoke runs fewer tasks."""
    cores_tasks = 16 if profile == "smoke" else 64
    fanout = [n for n in FANOUT_TASKS if profile != "smoke" or n <= 10]
    cells = []
    for w in CORES_WORKLOADS:
        c = {"bench": "BenchmarkCores", "workload": w, "tasks": cores_tasks, "seed": BATCH_SEED}
        if w == "hash":
            c.update(units=40, size=HASH_BUF_SIZE)
        elif w == "primes":
            c.update(units=64, size=PRIMES_WINDOW)
        elif w == "sleep":
            c.update(wait_ns=5 * MS)
        elif w == "net":
            c.update(wait_ns=5 * MS, bytes=1024)
        elif w == "file":
            c.update(bytes=16 << 10)
        elif w == "mix50":
            c.update(cpu_percent=50, nominal_ns=2 * MS, kernel="primes")
        cells.append(c)
    for w in ["sleep", "net"]:
        for n in fanout:
            c = {"bench": "BenchmarkFanout", "workload": w, "tasks": n, "seed": BATCH_SEED,
                 "wait_ns": 10 * MS}
            if w == "net":
                c["bytes"] = 1024
            cells.append(c)
    return cells


def cell_name(c, model, cores):
    if c["bench"] == "BenchmarkCores":
        name = "BenchmarkCores/workload=%s/model=%s" % (c["workload"], model)
    else:
        name = "BenchmarkFanout/workload=%s/tasks=%d/model=%s" % (c["workload"], c["tasks"], model)
    if cores > 1:
        name += "-%d" % cores
    return name


def cell_tasks(c):
    w = c["workload"]
    if w == "mix50":
        return generate("mix", c["tasks"], c["seed"], cpu_percent=c["cpu_percent"],
                        nominal_ns=c["nominal_ns"])
    return generate(w, c["tasks"], c["seed"], units=c.get("units", 0), size=c.get("size", 0),
                    wait_ns=c.get("wait_ns", 0), nbytes=c.get("bytes", 0))


# Rough costs for predicting a batch's makespan, in seconds.
THREAD_START = 100e-6
PROC_START = 4e-3      # fork + join of a small Process (measured at start-up)
POOL_START = 15e-3     # a ProcessPoolExecutor's start-up and shutdown


def task_costs(tasks):
    """(compute seconds per task, GIL-releasing compute share, wait seconds per task)."""
    if not tasks:
        return 0.0, 0.0, 0.0
    comp, wait, hashc = 0.0, 0.0, 0.0
    for op in tasks[0][2]:
        if op[0] == KIND_COMPUTE:
            c = op[2] * unit_cost(op[1], op[3]) / 1e9
            comp += c
            if op[1] == HASH:
                hashc += c
        elif op[0] in (KIND_SLEEP, KIND_NET):
            wait += op[4] / 1e9
        else:
            wait += 2e-3
    return comp, hashc, wait


def predict(model, tasks, cores):
    """Predicted makespan of one batch, in seconds, and how it was reckoned."""
    n = len(tasks)
    c, hc, w = task_costs(tasks)
    serial = n * (c - hc) + n * hc / cores  # compute under the GIL (hash releases it)
    if model == "py-seq":
        return n * (c + w), "%d tasks one after another" % n
    if model == "py-threading":
        return max(serial, c) + w + n * THREAD_START, "%d threads" % n
    if model == "py-asyncio":
        return n * c + w, "one event loop"
    if model == "py-threadpool":
        k = threadpool_workers(cores)
        rounds = math.ceil(n / k)
        return max(serial, rounds * (c + w)), "%d rounds of %d workers × %.3gs" % (rounds, k, c + w)
    if model == "py-multiprocessing":
        rounds = math.ceil(n / cores)
        return rounds * (c + w + PROC_START), "%d rounds of %d processes × %.3gs" % (rounds, cores, c + w + PROC_START)
    if model == "py-processpool":
        rounds = math.ceil(n / cores)
        return POOL_START + rounds * (c + w), "%d rounds of %d workers × %.3gs" % (rounds, cores, c + w)
    raise ValueError(model)


# ---------------------------------------------------------------------------
# Measurement and output.

def cpu_seconds():
    """CPU seconds of this process and its waited-for children (getrusage:
    microsecond resolution, where os.times() counts 10 ms ticks)."""
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def quantile(sorted_vals, q):
    """Nearest-rank quantile of sorted values."""
    if not sorted_vals:
        return 0.0
    i = max(0, min(len(sorted_vals) - 1, math.ceil(q * len(sorted_vals)) - 1))
    return sorted_vals[i]


def run_batch(model, env, tasks, cores, ctx=None):
    """Run one batch; return (makespan ns, outcomes, cpu seconds)."""
    fn = MODELS[model]
    cpu0 = cpu_seconds()
    t0 = now()
    if model in ("py-multiprocessing", "py-processpool"):
        outs = fn(env, tasks, cores, ctx)
    else:
        outs = fn(env, tasks, cores)
    t1 = now()
    cpu = cpu_seconds() - cpu0
    return t1 - t0, outs, cpu


def metrics(makespan_ns, outs, cpu, submitted):
    """The line's metrics. Latency is each task's response time, from the
    batch's submission (monotonic ns) to its end, as the Go matrix reports it."""
    lat = sorted((o[4] - submitted) / 1e6 for o in outs)
    wall = makespan_ns / 1e9
    return {
        "ns/op": makespan_ns,
        "tasks/s": len(outs) / wall if wall > 0 else 0.0,
        "p50-ms": quantile(lat, 0.50),
        "p99-ms": quantile(lat, 0.99),
        "cpu-util": cpu / wall if wall > 0 else 0.0,
    }


def fmt_line(name, m):
    return "%s\t%8d\t%12d ns/op\t%10.5g tasks/s\t%8.4g p50-ms\t%8.4g p99-ms\t%6.3g cpu-util" % (
        name, 1, m["ns/op"], m["tasks/s"], m["p50-ms"], m["p99-ms"], m["cpu-util"])


def gil_state():
    f = getattr(sys, "_is_gil_enabled", None)
    if f is None:
        return "enabled"
    return "enabled" if f() else "disabled"


def affinity():
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:
        return "unknown"
    # compress into ranges: 0-1,4
    parts, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append("%d-%d" % (cpus[i], cpus[j]) if j > i else "%d" % cpus[i])
        i = j + 1
    return ",".join(parts)


def config_lines(args, ctx):
    nofile, nproc, _ = read_limits()
    lines = [
        "runner: pyref",
        "python-version: %s" % platform.python_version(),
        "python-impl: %s" % platform.python_implementation(),
        "gil: %s" % gil_state(),
        "python-switch-interval: %gms" % (sys.getswitchinterval() * 1e3),
        "mp-start-method: %s" % ctx.get_start_method(),
        "cpus: %d" % (os.cpu_count() or 0),
        "cores: %d" % args.cores,
        "affinity: %s" % (args.affinity or affinity()),
        "oversubscribed: %s" % ("true" if args.cores > (os.cpu_count() or 1) else "false"),
        "profile: %s" % args.profile,
        "unit-ns-hash-py: %d" % round(unit_cost(HASH)),
        "unit-ns-primes-py: %d" % round(unit_cost(PRIMES)),
        "unit-ns-primes%d-py: %d" % (MIX_UNIT_SIZE, round(unit_cost(PRIMES, MIX_UNIT_SIZE))),
        "load-before: %.2f" % os.getloadavg()[0],
        "nofile: %s" % fmt_limit(nofile),
        "nproc: %s" % fmt_limit(nproc),
        # The suite describes its models: each one's Go counterpart, in
        # report order, so the report keeps no copy of them.
        "matrix-python: %s" % " ".join("%s:%s" % (m, GO_COUNTERPART[m]) for m in MODEL_ORDER),
    ]
    if args.round:
        lines.insert(10, "round: %d" % args.round)
    return lines


def raise_fd_limit():
    """Raise the soft descriptor limit to the hard one, as Go does at start."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 1 << 20, hard))
        except (ValueError, OSError):
            pass


# ---------------------------------------------------------------------------
# Resource limits: a cell that would exceed one is skipped before it starts,
# with a reason that names the limit, as the Go matrix's bench/limits.go.

UNLIMITED = None
SPARE_FILES = 32      # the interpreter's own files, asyncio's selector and self-pipe, the server's poller
SPARE_THREADS = 16
FILES_PER_PROCESS = 4  # a multiprocessing child's result pipe and sentinel, both ends while it starts
THREADS_PER_PROCESS = 1


def read_limits():
    """(nofile, nproc, nproc_enforced): the soft limits, None where unlimited.
    RLIMIT_NPROC counts this user's threads and processes over the whole
    system; Linux does not hold root to it."""
    def soft(res):
        v = resource.getrlimit(res)[0]
        return UNLIMITED if v == resource.RLIM_INFINITY else v
    nproc = soft(resource.RLIMIT_NPROC) if hasattr(resource, "RLIMIT_NPROC") else UNLIMITED
    return soft(resource.RLIMIT_NOFILE), nproc, not (sys.platform.startswith("linux") and os.getuid() == 0)


def fmt_limit(v):
    return "unlimited" if v is UNLIMITED else "%d" % v


def open_files():
    """This process's open descriptors, or 0 where they cannot be listed."""
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(d)) - 1  # the listing's own descriptor
        except OSError:
            pass
    return 0


def user_threads():
    """Threads of every process whose real user is ours, as RLIMIT_NPROC
    counts them; -1 where /proc cannot tell."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return -1
    uid, n = str(os.getuid()), 0
    for pid in pids:
        try:
            with open("/proc/%s/status" % pid) as f:
                mine = False
                for line in f:
                    if line.startswith("Uid:"):
                        mine = line.split()[1] == uid
                        if not mine:
                            break
                    elif line.startswith("Threads:"):
                        n += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            pass  # gone meanwhile
    return n


def cell_need(model, tasks, cores):
    """(files here, files in the latency server, threads and processes) that
    one batch holds at its peak, from how many tasks can wait at once."""
    n = len(tasks)
    kinds = {op[0] for t in tasks for op in t[2]}
    net, file = KIND_NET in kinds, KIND_FILE in kinds
    if model in ("py-multiprocessing", "py-processpool"):
        # The ops run in the children, one at a time each, under their own limits.
        live = min(n, cores)
        return live * FILES_PER_PROCESS, live if net else 0, live * THREADS_PER_PROCESS
    in_flight = {"py-seq": 1, "py-threadpool": min(n, threadpool_workers(cores))}.get(model, n)
    files = server = threads = 0
    if net:
        files, server = in_flight, in_flight
    if file:
        if model == "py-asyncio":  # asyncio.to_thread's default executor
            in_flight = min(n, 32, (os.cpu_count() or 1) + 4)
        files += in_flight
    if model == "py-threading":
        threads = n
    elif model == "py-threadpool" or (model == "py-asyncio" and file):
        threads = in_flight
    return files, server, threads


def raise_to(n):
    """A round limit to suggest, with room to spare."""
    return (n * 11 // 10 // 1000 + 1) * 1000


def limit_skip(limits, need, files_open, server_listeners, threads_now):
    """Why a batch cannot run within the limits, or None."""
    nofile, nproc, enforced = limits
    files, server_files, threads = need
    here = files_open + files + SPARE_FILES
    server = server_files + server_listeners + SPARE_FILES
    if nofile is not UNLIMITED and (here > nofile or server > nofile):
        what, n = "in this process (%d open, %d for the batch)" % (files_open, files), here
        if server > here:
            what, n = "in the latency server's process (%d connections)" % server_files, server
        v = raise_to(n)
        return ("needs %d open files %s, over RLIMIT_NOFILE %d; raise it: ulimit -n %d, "
                "or a container's --ulimit nofile=%d" % (n, what, nofile, v, v))
    if nproc is not UNLIMITED and enforced and threads_now >= 0 and threads > 0:
        n = threads_now + threads + SPARE_THREADS
        if n > nproc:
            v = raise_to(n)
            return ("needs %d threads and processes of this user (%d now, %d for the batch), over RLIMIT_NPROC %d; "
                    "raise it: ulimit -u %d, or a container's --ulimit nproc=%d"
                    % (n, threads_now, threads, nproc, v, v))
    return None


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cores", type=int, default=0,
                   help="cores this run may use: process workers, pool sizes and the -N suffix (default: CPUs allowed)")
    p.add_argument("--count", type=int, default=1, help="batches (result lines) per cell, like -test.count")
    p.add_argument("--profile", default="standard", choices=["smoke", "quick", "standard", "full"])
    p.add_argument("--round", type=int, default=0, help="round number, for the config line")
    p.add_argument("--addr", default=os.environ.get("CONCBENCH_ADDR", ""), help="latency server host:port")
    p.add_argument("--dir", default=os.environ.get("CONCBENCH_DIR", ""), help="directory for file ops")
    p.add_argument("--bench", default=".", help="regexp on result names (without -N), like -test.bench")
    p.add_argument("--models", default=",".join(MODEL_ORDER), help="comma-separated models")
    p.add_argument("--max-op", type=float, default=0.0,
                   help="skip cells predicted slower than this many seconds per batch (default 5, full profile 20)")
    p.add_argument("--unit-ns", default="",
                   help="calibrated costs to use instead of calibrating, as printed by --calibrate "
                        "(e.g. hash=38000,primes=370000,primes20=37000), so every run of a set has the same mix tasks")
    p.add_argument("--calibrate", action="store_true", help="print the unit costs for --unit-ns and exit")
    p.add_argument("--switch-interval", type=float, default=0.0, help="sys.setswitchinterval, in ms")
    p.add_argument("--start-method", default="", help="multiprocessing start method (default: the platform's)")
    p.add_argument("--affinity", default="", help="value of the affinity config line (e.g. unpinned)")
    p.add_argument("--exact", action="store_true", help="compute net/file values exactly as Go (slower)")
    p.add_argument("--no-config", action="store_true", help="do not print config lines")
    p.add_argument("--print-matrix", action="store_true", help="print the matrix as JSON and exit")
    p.add_argument("--verbose", "-v", action="store_true", help="progress on stderr")
    a = p.parse_args(argv)
    if a.cores <= 0:
        try:
            a.cores = len(os.sched_getaffinity(0))
        except AttributeError:
            a.cores = os.cpu_count() or 1
    if a.max_op <= 0:
        a.max_op = 20.0 if a.profile == "full" else 5.0
    for m in a.models.split(","):
        if m not in MODELS:
            p.error("unknown model %r (want %s)" % (m, ", ".join(MODEL_ORDER)))
    return a


def main(argv=None):
    if sys.version_info < (3, 9):
        print("pyref: python3 >= 3.9 required, this is %s; skipping" % platform.python_version())
        return 0
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_matrix:
        json.dump({"profile": args.profile, "models": MODEL_ORDER, "go_counterpart": GO_COUNTERPART,
                   "cells": matrix(args.profile)}, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    for kv in filter(None, args.unit_ns.split(",")):
        k, _, v = kv.partition("=")
        m = re.fullmatch(r"(hash|primes)(\d*)", k.strip())
        if not m or not v.strip().isdigit():
            print("pyref: bad --unit-ns entry %r" % kv, file=sys.stderr)
            return 2
        set_unit_cost(KERNELS[m.group(1)], int(m.group(2) or 0), int(v))
    if args.calibrate:
        print("hash=%d,primes=%d,primes%d=%d" % (round(unit_cost(HASH)), round(unit_cost(PRIMES)), MIX_UNIT_SIZE,
                                                round(unit_cost(PRIMES, MIX_UNIT_SIZE))))
        return 0
    if args.switch_interval > 0:
        sys.setswitchinterval(args.switch_interval / 1e3)
    ctx = multiprocessing.get_context(args.start_method or None)
    raise_fd_limit()
    limits = read_limits()
    env = Env(args.addr or None, args.dir or None, args.exact)
    bench_re = re.compile(args.bench)
    models = args.models.split(",")
    if not args.no_config:
        for l in config_lines(args, ctx):
            print(l)
        print()
    sys.stdout.flush()
    cells = matrix(args.profile)
    todo = [(c, m) for c in cells for m in models if bench_re.search(cell_name(c, m, 1))]
    failed = 0
    t_start = time.monotonic()
    for idx, (c, m) in enumerate(todo):
        name = cell_name(c, m, args.cores)
        if c["workload"] == "net" and not env.addr:
            print("--- SKIP: %s: no latency server address (--addr)" % name, flush=True)
            continue
        tasks = cell_tasks(c)
        pred, why = predict(m, tasks, args.cores)
        if pred > args.max_op:
            print("--- SKIP: %s: predicted %.3gs per batch (%s) > %gs limit" % (name, pred, why, args.max_op),
                  flush=True)
            continue
        need = cell_need(m, tasks, args.cores)
        threads_now = user_threads() if need[2] > 0 and limits[1] is not UNLIMITED and limits[2] else -1
        why = limit_skip(limits, need, open_files(), len(env.addrs), threads_now)
        if why:
            print("--- SKIP: %s: %s" % (name, why), flush=True)
            continue
        if args.verbose:
            el = time.monotonic() - t_start
            print("pyref: [%d/%d] %s (predicted %.3gs × %d) elapsed %.0fs" % (idx + 1, len(todo), name, pred,
                                                                               args.count, el), file=sys.stderr)
        try:
            if pred < 0.5:
                run_batch(m, env, tasks, args.cores, ctx)  # warm-up, not reported
            for _ in range(args.count):
                submitted = now()
                ns, outs, cpu = run_batch(m, env, tasks, args.cores, ctx)
                print(fmt_line(name, metrics(ns, outs, cpu, submitted)), flush=True)
        except Exception as e:
            failed += 1
            print("--- FAIL: %s: %s" % (name, e), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
