"""The models: CPython's own concurrency approaches, each run on a batch.

A model is an approach (py-seq, py-threading, ...) on this interpreter, and
for the two process approaches a multiprocessing start method. Its name
carries both, py-APPROACH@TAG[-METHOD], so that one result set can hold the
runs of several interpreters and start methods side by side:

    py-seq@3.14  py-threading@3.14t  py-processpool@3.14-forkserver  py-multiprocessing@3.11-fork

TAG is MAJOR.MINOR, plus "t" where the GIL is disabled. Each run function
returns [(id, sum, pid, start_ns, end_ns)] in task order, with times from
time.monotonic_ns() (CLOCK_MONOTONIC, the same in every process on Linux);
start and end are as the scheduling side sees them. The process models add
a sixth field, the worker process's CPU seconds when the task ended.
"""

import asyncio
import concurrent.futures
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time

from . import tasks, worker
from .kernels import fold, op_seed
from .tasks import KIND_COMPUTE, KIND_FILE, KIND_NET, KIND_SLEEP

now = time.monotonic_ns

PROC_DEADLINE = 120.0  # seconds a batch of processes may take before it is killed


class TaskError(RuntimeError):
    pass


# ---------------------------------------------------------------------------
# The interpreter: its tag, its GIL, what it offers.

def gil_enabled():
    """Whether this interpreter runs with a GIL: sys._is_gil_enabled() where
    it exists (3.13+), else always."""
    f = getattr(sys, "_is_gil_enabled", None)
    return True if f is None else bool(f())


def python_tag():
    """MAJOR.MINOR, plus "t" on a free-threaded interpreter running without its GIL."""
    return "%d.%d%s" % (sys.version_info[0], sys.version_info[1], "" if gil_enabled() else "t")


def interpreter_pool_missing():
    """Why InterpreterPoolExecutor cannot run here, or None where it can."""
    if not hasattr(concurrent.futures, "InterpreterPoolExecutor"):
        return ("py-interpreterpool needs concurrent.futures.InterpreterPoolExecutor (Python >= 3.14); "
                "this is Python %d.%d.%d" % sys.version_info[:3])
    return None


def default_start_method():
    """The platform's default multiprocessing start method, without fixing it
    (multiprocessing.get_start_method() would)."""
    return multiprocessing.get_context().get_start_method()


def start_methods_available():
    return multiprocessing.get_all_start_methods()


# ThreadPoolExecutor's default size at C CPUs is min(max, C + extra). The
# numbers live in Go (bench.ExecutorPool, which gil-pool and interp-pool
# use), and reach the suite with the cells Go hands it (pool_max,
# pool_extra); the command sets them here before it runs any cell.
_pool_size = None


def set_pool_size(top, extra):
    """Take the default pool size, min(top, cores + extra)."""
    global _pool_size
    _pool_size = (top, extra)


def threadpool_workers(cores):
    """ThreadPoolExecutor's and InterpreterPoolExecutor's default worker
    count, min(32, CPUs + 4) in CPython, with CPUs the cores this run may use
    (3.13's os.process_cpu_count(); earlier versions count every CPU)."""
    if _pool_size is None:
        raise RuntimeError("the pool size comes with the cells Go hands over: call set_pool_size first")
    top, extra = _pool_size
    return min(top, cores + extra)


# ---------------------------------------------------------------------------
# The approaches.

def run_seq(env, batch, cores):
    out = []
    for t in batch:
        s0 = now()
        try:
            v, _ = tasks.run_task(env, t)  # its output by reference, as Go's in-process models
        except Exception as e:
            raise TaskError("task %d: %s" % (t[0], e)) from e
        out.append((t[0], v, os.getpid(), s0, now()))
    return out


def run_threading(env, batch, cores):
    out = [None] * len(batch)
    errs = []
    pid = os.getpid()

    def body(j, t):
        s0 = now()
        try:
            v, _ = tasks.run_task(env, t)
        except Exception as e:  # reported after join
            errs.append(TaskError("task %d: %s" % (t[0], e)))
            return
        out[j] = (t[0], v, pid, s0, now())

    threads = [threading.Thread(target=body, args=(j, t)) for j, t in enumerate(batch)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errs:
        raise errs[0]
    return out


async def exec_task_async(env, task):
    """A task under asyncio: compute runs on the loop (a compute op runs to
    its end), sleeps are asyncio.sleep, net is asyncio.open_connection, file
    work goes to a thread via asyncio.to_thread. Returns its checksum and
    output, as tasks.run_task."""
    seed, ops = task[1], task[2]
    s = tasks.start_sum(task)
    for i, op in enumerate(ops):
        os_ = op_seed(seed, i)
        kind = op[0]
        if kind == KIND_COMPUTE:
            v = tasks.compute_op(op, os_)
        elif kind == KIND_SLEEP:
            await asyncio.sleep(op[4] / 1e9)
            v = op[4]
        elif kind == KIND_NET:
            host, port = env.host_port(os_)
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(tasks.net_request(op, os_))
                await writer.drain()
                reply = await reader.readexactly(op[5])
            finally:
                writer.close()
                try:
                    await writer.wait_closed()
                except OSError:
                    pass
            v = tasks.net_value(reply, env.exact)
        elif kind == KIND_FILE:
            v = await asyncio.to_thread(tasks.file_round_trip, env, op, os_)
        else:
            raise ValueError("unknown op %r" % (op,))
        s = fold(s, v)
    return s, tasks.new_output(task)


def run_asyncio(env, batch, cores):
    pid = os.getpid()

    async def one(t):
        s0 = now()
        try:
            v, _ = await exec_task_async(env, t)
        except Exception as e:
            raise TaskError("task %d: %s" % (t[0], e)) from e
        return (t[0], v, pid, s0, now())

    async def main():
        return await asyncio.gather(*(one(t) for t in batch))

    return list(asyncio.run(main()))


def run_threadpool(env, batch, cores):
    pid = os.getpid()

    def body(t):
        s0 = now()
        v, _ = tasks.run_task(env, t)
        return (t[0], v, pid, s0, now())

    with concurrent.futures.ThreadPoolExecutor(max_workers=threadpool_workers(cores)) as ex:
        futs = [ex.submit(body, t) for t in batch]
        out = []
        for t, f in zip(batch, futs):
            try:
                out.append(f.result())
            except Exception as e:
                for g in futs:
                    g.cancel()
                raise TaskError("task %d: %s" % (t[0], e)) from e
    return out


def run_multiprocessing(env, batch, cores, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    envt = env.as_tuple()
    out = [None] * len(batch)
    pending = list(enumerate(batch))
    pending.reverse()
    live = {}  # reader connection -> (j, task, process, start)
    deadline = time.monotonic() + PROC_DEADLINE
    try:
        while pending or live:
            while pending and len(live) < cores:
                j, t = pending.pop()
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=worker.proc_main, args=(w, envt, t), daemon=True)
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
                    status, v, pid, cpu, _ = r.recv()  # the output crossed the pipe, pickled
                except EOFError:
                    p.join()
                    raise TaskError("task %d: process %d died (exit code %s)" % (t[0], p.pid, p.exitcode))
                finally:
                    r.close()
                end = now()
                p.join()
                if status != "ok":
                    raise TaskError("task %d in process %d: %s" % (t[0], pid, v))
                out[j] = (t[0], v, pid, s0, end, cpu)
    finally:
        for r, (_, _, p, _) in live.items():
            p.kill()
            p.join()
            r.close()
    return out


def _run_pool(ex, env, batch):
    """Submit every task of batch to a pool of worker.pool_task and collect
    the results; a task's end is when the scheduling side sees its result
    (the future's done-callback)."""
    envt = env.as_tuple()
    ends = [0] * len(batch)

    def done(j):
        def cb(_f):
            ends[j] = now()
        return cb

    out = []
    futs = []
    for j, t in enumerate(batch):
        f = ex.submit(worker.pool_task, envt, t)
        f.add_done_callback(done(j))
        futs.append(f)
    for t, f in zip(batch, futs):
        try:
            v, pid, s0, cpu, _ = f.result(timeout=PROC_DEADLINE)  # the output crossed, pickled
        except Exception as e:
            for g in futs:
                g.cancel()
            raise TaskError("task %d: %s: %s" % (t[0], type(e).__name__, e)) from e
        out.append([t[0], v, pid, s0, 0, cpu])
    return out, ends


def run_processpool(env, batch, cores, ctx=None):
    """ProcessPoolExecutor(max_workers=cores), created inside the batch: its
    start-up is part of the makespan, as the Go procpool's is."""
    with concurrent.futures.ProcessPoolExecutor(max_workers=cores, mp_context=ctx) as ex:
        out, ends = _run_pool(ex, env, batch)
    for j, o in enumerate(out):
        o[4] = max(ends[j], o[3])
    return [tuple(o) for o in out]


def interp_path_init():
    """An InterpreterPoolExecutor initializer and its args that put this
    package on each new interpreter's sys.path: a subinterpreter starts from
    the interpreter's configured path, not from this one's sys.path (to which
    a test runner or the shim may have added the package's directory). exec
    is a builtin, so it crosses to the interpreter by name."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return exec, ("import sys\nif %r not in sys.path: sys.path.insert(0, %r)" % (here, here),)


def new_interpreter_pool(workers):
    init, args = interp_path_init()
    return concurrent.futures.InterpreterPoolExecutor(max_workers=workers, initializer=init, initargs=args)


def run_interpreterpool(env, batch, cores):
    """InterpreterPoolExecutor with its default worker count (as
    ThreadPoolExecutor's), created inside the batch as py-processpool's pool
    is: each worker is a thread running its own interpreter, with its own
    GIL, so compute runs in parallel in one process."""
    with new_interpreter_pool(threadpool_workers(cores)) as ex:
        out, ends = _run_pool(ex, env, batch)
    for j, o in enumerate(out):
        o[4] = max(ends[j], o[3])
    return [tuple(o[:5]) for o in out]  # one process: getrusage counts its CPU


# ---------------------------------------------------------------------------
# The registry.

# Report order; the process approaches run once per start method.
APPROACHES = ["py-seq", "py-threading", "py-asyncio", "py-threadpool", "py-interpreterpool",
              "py-multiprocessing", "py-processpool"]
PROCESS_APPROACHES = ("py-multiprocessing", "py-processpool")

_RUN = {
    "py-seq": run_seq,
    "py-threading": run_threading,
    "py-asyncio": run_asyncio,
    "py-threadpool": run_threadpool,
    "py-interpreterpool": run_interpreterpool,
    "py-multiprocessing": run_multiprocessing,
    "py-processpool": run_processpool,
}


def counterpart(approach):
    """The Go model an approach stands beside. Without a GIL, CPython's
    threads are Go's plain goroutines and pool; with it, the GIL emulation."""
    gil = gil_enabled()
    return {
        "py-seq": "seq",
        "py-threading": "gil-threads" if gil else "goroutines",
        "py-asyncio": "eventloop",
        "py-threadpool": "gil-pool" if gil else "pool",
        "py-interpreterpool": "interp-pool",
        "py-multiprocessing": "procs",
        "py-processpool": "procpool",
    }[approach]


class Model:
    """An approach on this interpreter, with its start method for a process
    approach (None otherwise)."""

    def __init__(self, approach, method=None):
        if approach not in _RUN:
            raise ValueError("unknown model %r (want one of %s)" % (approach, ", ".join(APPROACHES)))
        if (method is not None) != (approach in PROCESS_APPROACHES):
            raise ValueError("%s: a start method goes with a process model only" % approach)
        self.approach = approach
        self.method = method
        self.tag = python_tag()
        self.name = "%s@%s%s" % (approach, self.tag, "-" + method if method else "")
        self.counterpart = counterpart(approach)
        self.is_process = approach in PROCESS_APPROACHES

    def __repr__(self):
        return "Model(%s)" % self.name

    def context(self):
        return multiprocessing.get_context(self.method) if self.method else None

    def run(self, env, batch, cores):
        if self.is_process:
            return _RUN[self.approach](env, batch, cores, self.context())
        return _RUN[self.approach](env, batch, cores)


def build_models(approaches=None, methods=None):
    """The models of a run, in report order: approaches (default: every one
    this interpreter has) and, for the process approaches, one model per
    start method (default: the platform's). Returns (models, notes): notes
    say why an approach asked for is left out. Raises ValueError for an
    unknown approach or start method."""
    asked = list(approaches) if approaches else None
    for a in asked or []:
        if a not in _RUN:
            raise ValueError("unknown model %r (want one of %s)" % (a, ", ".join(APPROACHES)))
    methods = list(methods) if methods else [default_start_method()]
    avail = start_methods_available()
    for m in methods:
        if m not in avail:
            raise ValueError("start method %r is not available here (want one of %s)" % (m, ", ".join(avail)))
    if len(set(methods)) != len(methods):
        raise ValueError("start methods %s: each once" % ",".join(methods))
    notes, models = [], []
    for a in APPROACHES:
        if asked is not None and a not in asked:
            continue
        if a == "py-interpreterpool":
            why = interpreter_pool_missing()
            if why:
                if asked is not None:
                    notes.append(why + "; left out of this run")
                continue
        if a in PROCESS_APPROACHES:
            models += [Model(a, m) for m in methods]
        else:
            models.append(Model(a))
    return models, notes
