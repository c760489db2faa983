"""The suite's cells: BenchmarkCores, BenchmarkFanout and BenchmarkOverhead
as bench/matrix.go builds them (batch sizes from the profile's settings),
and BenchmarkStart, the cost of starting a pool; and a batch's predicted
makespan, so that a cell that would be absurdly slow is skipped with a reason.
"""

import math
import multiprocessing
import statistics
import time

from . import worker
from .kernels import GZIP_CHUNK, HASH_BUF_SIZE, PRIMES_WINDOW, held_share, unit_cost
from .models import gil_enabled, new_interpreter_pool, threadpool_workers
from .tasks import KIND_COMPUTE, KIND_NET, KIND_SLEEP, empty_tasks, generate

MS = 1_000_000
BATCH_SEED = 1
# As bench.CoresWorkloads and bench's coresUnits: the same work per task.
CORES_WORKLOADS = ["hash", "primes", "gzip", "sleep", "net", "file", "mix50"]
CORES_UNITS = {"hash": (40, HASH_BUF_SIZE), "primes": (64, PRIMES_WINDOW), "gzip": (29, GZIP_CHUNK)}


def fanout_counts(max_n):
    """BenchmarkFanout's task counts up to max_n, as bench.FanoutCounts."""
    ns, n = [], 1
    while n <= max_n:
        ns.append(n)
        n *= 10
    return ns


def matrix(settings):
    """The suite's cells, as data, for a profile's settings."""
    cells = []
    for w in CORES_WORKLOADS:
        c = {"bench": "BenchmarkCores", "workload": w, "tasks": settings.tasks, "seed": BATCH_SEED}
        if w in CORES_UNITS:
            c["units"], c["size"] = CORES_UNITS[w]
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
        for n in fanout_counts(settings.max_fanout):
            c = {"bench": "BenchmarkFanout", "workload": w, "tasks": n, "seed": BATCH_SEED, "wait_ns": 10 * MS}
            if w == "net":
                c["bytes"] = 1024
            cells.append(c)
    cells.append({"bench": "BenchmarkOverhead", "workload": "", "tasks": settings.overhead_tasks})
    cells.append({"bench": "BenchmarkStart", "workload": "", "tasks": 0})
    return cells


def applies(c, model):
    """Whether model runs in cell c: BenchmarkStart is for the pools only."""
    return c["bench"] != "BenchmarkStart" or model.approach in ("py-threadpool", "py-interpreterpool",
                                                               "py-processpool")


def cell_name(c, model_name, cores):
    b = c["bench"]
    if b == "BenchmarkCores":
        name = "%s/workload=%s/model=%s" % (b, c["workload"], model_name)
    elif b == "BenchmarkFanout":
        name = "%s/workload=%s/tasks=%d/model=%s" % (b, c["workload"], c["tasks"], model_name)
    else:
        name = "%s/model=%s" % (b, model_name)
    if cores > 1:
        name += "-%d" % cores
    return name


def cell_tasks(c):
    w = c["workload"]
    if c["bench"] == "BenchmarkOverhead":
        return empty_tasks(c["tasks"])
    if c["bench"] == "BenchmarkStart":
        return []
    if w == "mix50":
        return generate("mix", c["tasks"], c["seed"], cpu_percent=c["cpu_percent"], nominal_ns=c["nominal_ns"])
    return generate(w, c["tasks"], c["seed"], units=c.get("units", 0), size=c.get("size", 0),
                    wait_ns=c.get("wait_ns", 0), nbytes=c.get("bytes", 0))


def pool_workers(model, cores):
    """The worker count of a pool model's batch: the thread and interpreter
    pools' default (threadpool_workers); the process pool's, cores."""
    return cores if model.approach == "py-processpool" else threadpool_workers(cores)


# ---------------------------------------------------------------------------
# Predictions: rough, for skipping, in seconds.

THREAD_START = 100e-6
_starts = {}


def process_start_cost(method):
    """Seconds to start and join one multiprocessing.Process with this start
    method, measured once per process (median of 3 after a warm-up, which
    starts a forkserver where there is one)."""
    key = ("process", method)
    if key not in _starts:
        ctx = multiprocessing.get_context(method)
        times = []
        for i in range(4):
            t = time.perf_counter()
            p = ctx.Process(target=worker.noop, daemon=True)
            p.start()
            p.join()
            if i:
                times.append(time.perf_counter() - t)
        _starts[key] = statistics.median(times)
    return _starts[key]


def interpreter_start_cost():
    """Seconds to start one pool interpreter (create it and import the
    worker's modules), measured once: a one-worker pool, one empty task."""
    key = ("interpreter",)
    if key not in _starts:
        t = time.perf_counter()
        with new_interpreter_pool(1) as ex:
            ex.submit(worker.pool_task, (None, None, False), (0, 0, [])).result()
        _starts[key] = time.perf_counter() - t
    return _starts[key]


def worker_start_cost(model):
    """Seconds to start one worker of model: a thread, a process or an interpreter."""
    if model.is_process:
        return process_start_cost(model.method)
    if model.approach == "py-interpreterpool":
        return interpreter_start_cost()
    return THREAD_START


def task_costs(batch):
    """(compute seconds per task, of which the part that runs without the
    GIL, wait seconds per task)."""
    if not batch:
        return 0.0, 0.0, 0.0
    comp, free, wait = 0.0, 0.0, 0.0
    for op in batch[0][2]:
        if op[0] == KIND_COMPUTE:
            c = op[2] * unit_cost(op[1], op[3]) / 1e9
            comp += c
            free += c * (1 - held_share(op[1]))
        elif op[0] in (KIND_SLEEP, KIND_NET):
            wait += op[4] / 1e9
        else:
            wait += 2e-3
    return comp, free, wait


def predict(model, batch, cores):
    """Predicted makespan of one batch, in seconds, and how it was reckoned."""
    n = len(batch)
    c, free, w = task_costs(batch)
    if not gil_enabled():
        free = c
    serial = n * (c - free) + n * free / cores  # compute under the GIL, the rest spread over the cores
    a = model.approach
    if a == "py-seq":
        return n * (c + w), "%d tasks one after another" % n
    if a == "py-threading":
        return max(serial, c) + w + n * THREAD_START, "%d threads" % n
    if a == "py-asyncio":
        return n * c + w, "one event loop"
    if a == "py-threadpool":
        k = threadpool_workers(cores)
        rounds = math.ceil(n / k)
        return max(serial, rounds * (c + w)), "%d rounds of %d workers × %.3gs" % (rounds, k, c + w)
    k = pool_workers(model, cores)
    rounds = math.ceil(n / min(k, cores)) if n else 0
    start = worker_start_cost(model)
    if a == "py-interpreterpool":
        k_started = min(n, k)
        return (k_started * start + max(n * c / cores, math.ceil(n / k) * (c + w)),
                "%d interpreters started × %.3gs, %d tasks over %d cores" % (k_started, start, n, cores))
    if a == "py-multiprocessing":
        return rounds * (c + w + start), "%d rounds of %d processes × %.3gs" % (rounds, cores, c + w + start)
    if a == "py-processpool":
        k_started = min(n, k)
        return (k_started * start / cores + rounds * (c + w),
                "%d workers started × %.3gs, %d rounds × %.3gs" % (k_started, start, rounds, c + w))
    raise ValueError(model)


def predict_start(model, cores):
    """Predicted time of one BenchmarkStart op: start every worker, shut down."""
    k = pool_workers(model, cores)
    start = worker_start_cost(model)
    # Processes start on every core; interpreters are reckoned one after
    # another, which errs on the slow side.
    par = cores if model.is_process else 1
    return k * start / min(par, k), "%d workers × %.3gs" % (k, start)
