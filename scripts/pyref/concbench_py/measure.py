"""Measurement: one batch under a model and its metrics, one pool start,
and the interpreter's costs that Go predicts the suite's cells with.

Task latency (p50-ms, p99-ms) is each task's response time, from the batch's
submission (monotonic ns) to its end as the scheduling side sees it, as the
Go matrix reports it. cpu-util is this process's CPU seconds and its
waited-for children's over wall seconds.
"""

import concurrent.futures
import math
import multiprocessing
import resource
import statistics
import threading
import time

from . import worker
from .kernels import GZIP, HASH, KERNEL_NAMES, MIX_UNIT_SIZE, PRIMES, unit_cost
from .matrix import pool_workers
from .models import TaskError, new_interpreter_pool, python_tag

now = time.monotonic_ns

START_TIMEOUT = 120.0  # seconds a pool may take to start every worker


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


def run_batch(model, env, batch, cores):
    """Run one batch; return (makespan ns, outcomes, cpu seconds)."""
    cpu0 = cpu_seconds()
    t0 = now()
    outs = model.run(env, batch, cores)
    t1 = now()
    cpu = cpu_seconds() - cpu0
    if model.method == "forkserver":
        # The workers are the forkserver's children, not ours: count each
        # one's CPU as it last reported it (its exit is not counted).
        last = {}
        for o in outs:
            last[o[2]] = max(last.get(o[2], 0.0), o[5])
        cpu += sum(last.values())
    return t1 - t0, outs, cpu


def metrics(makespan_ns, outs, cpu, submitted):
    """A batch line's metrics."""
    lat = sorted((o[4] - submitted) / 1e6 for o in outs)
    wall = makespan_ns / 1e9
    return {
        "ns/op": makespan_ns,
        "tasks/s": len(outs) / wall if wall > 0 else 0.0,
        "p50-ms": quantile(lat, 0.50),
        "p99-ms": quantile(lat, 0.99),
        "cpu-util": cpu / wall if wall > 0 else 0.0,
    }


def _start_threadpool(workers, timeout):
    barrier = threading.Barrier(workers)

    def meet():
        barrier.wait(timeout)
        return threading.get_ident()

    t0 = now()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        ids = [f.result() for f in [ex.submit(meet) for _ in range(workers)]]
    return now() - t0, ids


def _start_interpreterpool(workers, timeout):
    from concurrent import interpreters  # 3.14+, as the pool itself
    arrived, go = interpreters.create_queue(), interpreters.create_queue()
    t0 = now()
    with new_interpreter_pool(workers) as ex:
        futs = [ex.submit(worker.rendezvous, arrived, go, timeout) for _ in range(workers)]
        try:
            for _ in range(workers):
                arrived.get(timeout=timeout)
        finally:
            for _ in range(workers):
                go.put(1)
        ids = [f.result() for f in futs]
    return now() - t0, ids


def _start_processpool(workers, ctx, timeout):
    barrier = ctx.Barrier(workers)
    t0 = now()
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker.set_barrier,
                                                initargs=(barrier,)) as ex:
        ids = [f.result() for f in [ex.submit(worker.wait_barrier, timeout) for _ in range(workers)]]
    return now() - t0, ids


def start_pool(model, cores, timeout=START_TIMEOUT):
    """One BenchmarkStart op: create model's pool with its batch's worker
    count, make every worker start (one task per worker, each waiting until
    all of them wait: only distinct, started workers can), shut it down.
    Returns (ns, workers)."""
    k = pool_workers(model, cores)
    try:
        if model.approach == "py-threadpool":
            ns, ids = _start_threadpool(k, timeout)
        elif model.approach == "py-interpreterpool":
            ns, ids = _start_interpreterpool(k, timeout)
        elif model.approach == "py-processpool":
            ns, ids = _start_processpool(k, model.context(), timeout)
        else:
            raise ValueError("%s is not a pool" % model.name)
    except Exception as e:
        # A barrier that broke, a future or an interpreter queue (QueueEmpty)
        # that timed out: some worker did not start in time.
        if isinstance(e, (threading.BrokenBarrierError, concurrent.futures.TimeoutError)) or \
                type(e).__name__ == "QueueEmpty":
            raise TaskError("pool start: not all %d workers started within %gs (%s)"
                            % (k, timeout, type(e).__name__)) from e
        raise
    if len(set(ids)) != k:
        raise TaskError("pool start: %d distinct workers met, want %d" % (len(set(ids)), k))
    return ns, k


# ---------------------------------------------------------------------------
# Costs: what Go needs to build this interpreter's batches and predict its
# cells (bench.PythonCosts), measured once per run of the suite.

def _median_of(f, n=3):
    """The median of n timings of f, after one untimed warm-up (which starts
    a forkserver where there is one, and imports what a worker imports)."""
    f()
    times = []
    for _ in range(n):
        t = time.perf_counter_ns()
        f()
        times.append(time.perf_counter_ns() - t)
    return int(statistics.median(times))


def process_start_ns(method):
    """ns to start and join one multiprocessing.Process with this start method."""
    ctx = multiprocessing.get_context(method)

    def one():
        p = ctx.Process(target=worker.noop, daemon=True)
        p.start()
        p.join()
    return _median_of(one)


def interpreter_start_ns():
    """ns to start one pool interpreter (create it and import the worker's
    modules): a one-worker pool, one empty task."""
    def one():
        with new_interpreter_pool(1) as ex:
            ex.submit(worker.pool_task, (None, None, False), (0, 0, [])).result()
    return _median_of(one, 1)


THREAD_TRIALS = 64


def thread_start_ns():
    """ns to start and join one threading.Thread (a mean over a few dozen)."""
    def some():
        for _ in range(THREAD_TRIALS):
            t = threading.Thread(target=worker.noop)
            t.start()
            t.join()
    return _median_of(some) // THREAD_TRIALS


def costs(models):
    """This interpreter's costs for models, as bench.ReadPythonCosts reads
    them: its unit costs (calibrated, or set with --unit-ns), a thread's
    start, and each model's Go counterpart and worker start (a process or
    an interpreter; 0 for the others)."""
    starts = {}
    out = []
    for m in models:
        if m.is_process:
            key = m.method
            if key not in starts:
                starts[key] = process_start_ns(m.method)
        elif m.approach == "py-interpreterpool":
            key = "interpreter"
            if key not in starts:
                starts[key] = interpreter_start_ns()
        else:
            key = None
        out.append({"name": m.name, "counterpart": m.counterpart, "start_ns": starts.get(key, 0)})
    units = {KERNEL_NAMES[k]: round(unit_cost(k)) for k in (HASH, PRIMES, GZIP)}
    units["primes%d" % MIX_UNIT_SIZE] = round(unit_cost(PRIMES, MIX_UNIT_SIZE))
    return {"tag": python_tag(), "unit_ns": units, "thread_ns": thread_start_ns(), "models": out}
