"""A user's own function under every approach: --func SPEC --args ARGS.

SPEC is MODULE:FUNCTION (MODULE imported from the current directory or
sys.path) or PATH/FILE.py:FUNCTION. ARGS is a JSON file holding a list of
argument lists, one per call (a batch is every call once), or MODULE:NAME /
FILE.py:NAME naming such a list, or a function that returns one, for
arguments JSON cannot express. The function runs as BenchmarkCores's
workload NAME (its name, lower-cased to [a-z][a-z0-9-]*) under each model
of the run, and its lines are named and measured as the built-in cells':

    BenchmarkCores/workload=wordfreq/model=py-processpool@3.14-forkserver-2

1. A probe, in a process of its own, imports the function and the
   arguments and says whether it is a coroutine function. py-asyncio runs
   only a coroutine function (asyncio.gather over every call); a plain
   function's py-asyncio cell is skipped with the reason. Every other
   approach calls a coroutine function's coroutine with asyncio.run, as a
   thread or a worker must; py-seq awaits the calls one after another on
   one loop.
2. Each cell runs in a process of its own, in a session of its own, which
   imports the function, runs the cell's batches and reports each batch's
   metrics. The suite's process never imports the user's code, so that a
   cell that hangs past the profile's py-max-op (a batch, or the import) is
   killed with every process it started, and the other cells still run.
3. A fault is the user's and said as such, naming the function and the
   model: a module that does not import, a name that is not callable,
   arguments (or a function, or a result) that do not pickle for a model
   that sends them to another process or interpreter, a call that raises,
   a batch that hangs. Its cell prints "--- FAIL: NAME: message" as go test
   does; the other cells still run and the suite exits with status 1.

Besides the suite's config lines, a run prints func, func-args, func-calls
and func-coroutine, the matrix description of the one workload
(matrix-benchmarks, and matrix-cores after py-seq has run, with its kind:
cpu, io or mixed from its CPU share), and cpu-share-NAME-py: the CPU
seconds over the wall seconds of the py-seq batches of this run, which
places the function on the mix crossover.
"""

import json
import os
import pickle
import re
import selectors
import signal
import subprocess
import sys
import time

from .output import fmt_line, interpreter_lines, limit_lines, matrix_python_line
from .models import threadpool_workers

now = time.monotonic_ns

# The built-in BenchmarkCores workloads: a function of one of these names
# gets a suffix, so that its cells never mix with a built-in workload's.
BUILTIN_WORKLOADS = ("hash", "primes", "gzip", "sleep", "net", "file", "mix50")

# The approaches that send the function and its arguments to another
# process or interpreter by pickling them (multiprocessing under fork
# inherits them instead).
PICKLING = ("py-processpool", "py-interpreterpool")

# Kind thresholds on the CPU share, as BenchmarkMix's ends: a function
# whose baseline keeps a core 90% busy is CPU-bound.
CPU_BOUND_SHARE, IO_BOUND_SHARE = 0.9, 0.1

WARMUP_BELOW = 0.5  # seconds: cells warm up with a batch where py-seq's batch is shorter


class UsageError(ValueError):
    """A FUNC or ARGS that cannot name anything: refused before a cell runs."""


class Fault(Exception):
    """The user's function failed; the message says how."""


# ---------------------------------------------------------------------------
# Names.

def parse_spec(spec, what="--func"):
    """(kind, target, attr) of MODULE:NAME or FILE.py:NAME: kind "file" (an
    absolute path) or "module"."""
    target, colon, attr = spec.rpartition(":")
    if not colon or not target or not attr:
        raise UsageError("%s %r: want MODULE:FUNCTION or PATH/FILE.py:FUNCTION" % (what, spec))
    if not all(p.isidentifier() for p in attr.split(".")):
        raise UsageError("%s %r: %r is not a Python name" % (what, spec, attr))
    if target.endswith(".py") or os.sep in target or "/" in target:
        return "file", os.path.abspath(target), attr
    if not all(p.isidentifier() for p in target.split(".")):
        raise UsageError("%s %r: %r is neither a module name nor a .py file" % (what, spec, target))
    return "module", target, attr


def workload_name(attr):
    """The workload name of a function: its own name (the last part of a
    dotted one), lower-cased, each run of other characters a '-', starting
    with a letter ("fn-" is put before one that does not), "-fn" after a
    built-in workload's name."""
    n = re.sub(r"[^a-z0-9]+", "-", attr.rpartition(".")[2].lower()).strip("-")
    if not n or not n[0].isalpha():
        n = "fn-" + n if n else "fn"
    if n in BUILTIN_WORKLOADS:
        n += "-fn"
    return n


def cell_name(workload, model_name, cores):
    return "BenchmarkCores/workload=%s/model=%s%s" % (workload, model_name, "-%d" % cores if cores > 1 else "")


# ---------------------------------------------------------------------------
# Loading the user's code (in a cell's process, never in the suite's).

def _import(kind, target, cwd):
    """The user's module (a file's directory, or cwd for a module name, is
    put first on sys.path, where every worker finds it too) and its name."""
    import importlib
    if kind == "file":
        if not os.path.isfile(target):
            raise Fault("%s: no such file" % target)
        d, base = os.path.split(target)
        mod = base[:-3] if base.endswith(".py") else base
        if not mod.isidentifier():
            raise Fault("%s: %r is not a module name Python can import (rename the file)" % (target, mod))
        if d not in sys.path:
            sys.path.insert(0, d)
    else:
        mod = target
        if cwd and cwd not in sys.path:
            sys.path.insert(0, cwd)
    try:
        m = importlib.import_module(mod)
    except BaseException as e:  # SyntaxError, SystemExit, anything its top level raises
        from .usercall import describe_exception
        code = target if kind == "file" else None
        raise Fault("module %s does not import: %s" % (mod, describe_exception(e, code))) from None
    if kind == "file" and os.path.abspath(getattr(m, "__file__", "") or "") != target:
        raise Fault("%s: the module name %r is taken by %s: rename the file" % (target, mod, m.__file__))
    return m, mod


def _attr(m, mod, attr):
    obj = m
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise Fault("module %s has no name %s" % (mod, attr))
        obj = getattr(obj, part)
    return obj


def load_function(spec, cwd=None):
    """The user's function: Fault if its module does not import or the name
    is not callable."""
    kind, target, attr = parse_spec(spec)
    m, mod = _import(kind, target, cwd)
    fn = _attr(m, mod, attr)
    if not callable(fn):
        raise Fault("%s.%s is %s %s, not a function" % (mod, attr, _article(type(fn).__name__), type(fn).__name__))
    return fn


def _article(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def check_calls(calls, where):
    """The calls as a list of tuples; UsageError unless a non-empty list of lists."""
    if not isinstance(calls, (list, tuple)):
        raise UsageError("%s: want a list of argument lists, one per call; got %s" % (where, type(calls).__name__))
    if not calls:
        raise UsageError("%s: no calls (want a list of argument lists, one per call)" % where)
    for i, a in enumerate(calls):
        if not isinstance(a, (list, tuple)):
            raise UsageError("%s: call %d: want a list of arguments, got %s %s (write [%s] for one argument)"
                             % (where, i, type(a).__name__, _short(a), _short(a)))
    return [tuple(a) for a in calls]


def is_json_args(spec):
    return spec.endswith(".json") or os.path.isfile(spec)


def load_json_args(path):
    """A JSON ARGS file's calls; UsageError with file:line:column."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise UsageError("--args %s: %s" % (path, e.strerror or e)) from None
    try:
        calls = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError("%s:%d:%d: %s" % (path, e.lineno, e.colno, e.msg)) from None
    return check_calls(calls, path)


def load_args(spec, cwd=None):
    """The calls of ARGS: a JSON file, or a Python list (or a function
    returning one) named MODULE:NAME or FILE.py:NAME."""
    if is_json_args(spec):
        return load_json_args(spec)
    kind, target, attr = parse_spec(spec, "--args")
    m, mod = _import(kind, target, cwd)
    obj = _attr(m, mod, attr)
    if callable(obj):
        try:
            obj = obj()
        except Exception as e:
            from .usercall import describe_exception
            raise Fault("--args %s raised %s" % (spec, describe_exception(e))) from None
    try:
        return check_calls(obj, "--args " + spec)
    except UsageError as e:
        raise Fault(str(e)) from None


def _short(v, n=60):
    r = repr(v)
    return r if len(r) <= n else r[:n - 3] + "..."


# ---------------------------------------------------------------------------
# The approaches on a function: each returns [(i, 0, pid, start, end[, cpu])]
# in call order, as the models' run functions do.

def _raised(i, calls, text):
    return Fault("call %d of %d %s raised %s" % (i, len(calls), _short(list(calls[i])), text))


def _describe(fn, e):
    from .usercall import code_file_of, describe_exception
    return describe_exception(e, code_file_of(fn))


def run_seq(fn, calls, cores, workers, co, ctx):
    pid, out = os.getpid(), []
    if co:
        import asyncio

        async def loop():
            for i, a in enumerate(calls):
                s0 = now()
                try:
                    await fn(*a)
                except Exception as e:
                    raise _raised(i, calls, _describe(fn, e)) from None
                out.append((i, 0, pid, s0, now()))
        asyncio.run(loop())
        return out
    for i, a in enumerate(calls):
        s0 = now()
        try:
            fn(*a)
        except Exception as e:
            raise _raised(i, calls, _describe(fn, e)) from None
        out.append((i, 0, pid, s0, now()))
    return out


def run_threading(fn, calls, cores, workers, co, ctx):
    import threading
    from .usercall import call
    out, errs, pid = [None] * len(calls), {}, os.getpid()

    def body(i, a):
        s0 = now()
        try:
            call(fn, a, co)
        except Exception as e:
            errs[i] = _describe(fn, e)
            return
        out[i] = (i, 0, pid, s0, now())

    threads = [threading.Thread(target=body, args=(i, a), daemon=True) for i, a in enumerate(calls)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errs:
        i = min(errs)
        raise _raised(i, calls, errs[i])
    return out


def run_asyncio(fn, calls, cores, workers, co, ctx):
    import asyncio
    pid = os.getpid()

    async def one(i, a):
        s0 = now()
        try:
            await fn(*a)
        except Exception as e:
            raise _raised(i, calls, _describe(fn, e)) from None
        return (i, 0, pid, s0, now())

    async def main():
        return await asyncio.gather(*(one(i, a) for i, a in enumerate(calls)))

    return list(asyncio.run(main()))


def _collect(ex, fn, calls, co):
    """Submit every call to a pool of usercall.pool_call and collect the
    outcomes; a call's end is when its future is done, as the scheduling
    side sees it."""
    from .usercall import pool_call
    ends = [0] * len(calls)

    def done(i):
        def cb(_f):
            ends[i] = now()
        return cb

    futs = []
    for i, a in enumerate(calls):
        f = ex.submit(pool_call, fn, a, co)
        f.add_done_callback(done(i))
        futs.append(f)
    out = []
    for i, f in enumerate(futs):
        try:
            status, v, pid, s0, cpu = f.result()
        except Exception as e:
            for g in futs:
                g.cancel()
            raise Fault("call %d of %d %s: the pool failed: %s" % (i, len(calls), _short(list(calls[i])),
                                                                    _describe(fn, e))) from None
        if status != "ok":
            for g in futs:
                g.cancel()
            raise _raised(i, calls, v)
        out.append([i, 0, pid, s0, 0, cpu])
    for i, o in enumerate(out):
        o[4] = max(ends[i], o[3])
    return [tuple(o) for o in out]


def run_threadpool(fn, calls, cores, workers, co, ctx):
    import concurrent.futures
    from .usercall import call
    pid = os.getpid()

    def body(i, a):
        s0 = now()
        call(fn, a, co)
        return (i, 0, pid, s0, now())

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        futs = [ex.submit(body, i, a) for i, a in enumerate(calls)]
        out = []
        for i, f in enumerate(futs):
            try:
                out.append(f.result())
            except Exception as e:
                for g in futs:
                    g.cancel()
                raise _raised(i, calls, _describe(fn, e)) from None
    return out


def run_processpool(fn, calls, cores, workers, co, ctx):
    import concurrent.futures
    with concurrent.futures.ProcessPoolExecutor(max_workers=cores, mp_context=ctx) as ex:
        return _collect(ex, fn, calls, co)


def run_interpreterpool(fn, calls, cores, workers, co, ctx):
    import concurrent.futures
    # A subinterpreter starts from the interpreter's configured path: give
    # it this one's, which holds the package and the user's module.
    init = "import sys\nsys.path[:0] = [p for p in %r if p not in sys.path]" % (sys.path,)
    with concurrent.futures.InterpreterPoolExecutor(max_workers=workers, initializer=exec,
                                                    initargs=(init,)) as ex:
        out = _collect(ex, fn, calls, co)
    return [o[:5] for o in out]  # one process: getrusage counts its CPU


def run_multiprocessing(fn, calls, cores, workers, co, ctx):
    import multiprocessing.connection
    from .usercall import proc_call
    out = [None] * len(calls)
    pending = list(enumerate(calls))
    pending.reverse()
    live = {}  # reader -> (i, process, start)
    try:
        while pending or live:
            while pending and len(live) < cores:
                i, a = pending.pop()
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=proc_call, args=(w, fn, a, co), daemon=True)
                s0 = now()
                try:
                    p.start()
                except Exception as e:
                    r.close()
                    raise Fault("call %d of %d %s: its process did not start: %s"
                                % (i, len(calls), _short(list(a)), _describe(fn, e))) from None
                finally:
                    w.close()
                live[r] = (i, p, s0)
            for r in multiprocessing.connection.wait(list(live)):
                i, p, s0 = live.pop(r)
                try:
                    status, v, pid, _, cpu = r.recv()
                except EOFError:
                    p.join()
                    raise Fault("call %d of %d %s: its process died (exit code %s)"
                                % (i, len(calls), _short(list(calls[i])), p.exitcode)) from None
                finally:
                    r.close()
                end = now()
                p.join()
                if status != "ok":
                    raise _raised(i, calls, v)
                out[i] = (i, 0, pid, s0, end, cpu)
    finally:
        for r, (_, p, _) in live.items():
            p.kill()
            p.join()
            r.close()
    return out


RUN = {
    "py-seq": run_seq,
    "py-threading": run_threading,
    "py-asyncio": run_asyncio,
    "py-threadpool": run_threadpool,
    "py-interpreterpool": run_interpreterpool,
    "py-multiprocessing": run_multiprocessing,
    "py-processpool": run_processpool,
}


def pickle_fault(fn, calls, approach, method):
    """Why approach cannot send the function or a call's arguments to its
    workers (it pickles them), or None."""
    if approach not in PICKLING and not (approach == "py-multiprocessing" and method != "fork"):
        return None
    why = "%s sends them to its workers pickled" % approach
    try:
        pickle.dumps(fn)
    except Exception as e:
        return "the function does not pickle (%s): %s: %s" % (why, type(e).__name__, e)
    for i, a in enumerate(calls):
        try:
            pickle.dumps(a)
        except Exception as e:
            return "the arguments of call %d of %d %s do not pickle (%s): %s: %s" % (
                i, len(calls), _short(list(a)), why, type(e).__name__, e)
    return None


def run_batch(fn, calls, approach, method, cores, workers, co):
    """One batch: (makespan ns, metrics). workers is the thread and
    interpreter pools' size (the suite's threadpool_workers)."""
    import multiprocessing
    from .measure import cpu_seconds, metrics
    ctx = multiprocessing.get_context(method) if method else None
    cpu0 = cpu_seconds()
    t0 = now()
    outs = RUN[approach](fn, calls, cores, workers, co, ctx)
    t1 = now()
    cpu = cpu_seconds() - cpu0
    if method == "forkserver":
        # The workers are the forkserver's children, not ours: count each
        # one's CPU as it last reported it.
        last = {}
        for o in outs:
            last[o[2]] = max(last.get(o[2], 0.0), o[5])
        cpu += sum(last.values())
    return t1 - t0, metrics(t1 - t0, outs, cpu, t0)


# ---------------------------------------------------------------------------
# A cell's process: python -c BOOT REQUEST. It answers on the descriptor the
# suite reads, one JSON object a line; what the user's code prints goes to
# standard error.

BOOT = ("import sys; sys.path.insert(0, %r); from concbench_py.userfunc import cell_main; "
        "sys.exit(cell_main(sys.argv[1]))") % os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cell_main(request):
    req = json.loads(request)
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def say(**kw):
        out.write(json.dumps(kw) + "\n")
        out.flush()

    try:
        fn = load_function(req["func"], req["cwd"])
        calls = load_args(req["args"], req["cwd"])
        import inspect
        co = inspect.iscoroutinefunction(fn)
        if req.get("probe"):
            say(coroutine=co, calls=len(calls))
            return 0
        why = pickle_fault(fn, calls, req["approach"], req["method"])
        if why:
            raise Fault(why)
        n = req["batches"] + (1 if req["warmup"] else 0)
        for b in range(n):
            warm = req["warmup"] and b == 0
            say(begin="warm-up batch" if warm else "batch %d of %d" % (b + 1 - req["warmup"], req["batches"]))
            _, m = run_batch(fn, calls, req["approach"], req["method"], req["cores"], req["workers"], co)
            say(done=b, warmup=warm, metrics=m)
    except (Fault, UsageError) as e:
        say(fault=str(e))
        return 1
    return 0


class Cell:
    """A cell's process: started in a session of its own, so that it is
    killed with everything it started."""

    def __init__(self, req):
        self.p = subprocess.Popen([sys.executable, "-c", BOOT, json.dumps(req)], stdout=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.p.stdout, selectors.EVENT_READ)
        self.buf = b""

    def read(self, timeout):
        """The next message, None at the end of its output, or TimeoutError."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not self.sel.select(left):
                raise TimeoutError
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def close(self):
        """Kill the cell's session (whatever its process left, or all of it
        on a timeout) and reap the process."""
        try:
            os.killpg(self.p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.p.wait()
        self.sel.close()
        self.p.stdout.close()
        return self.p.returncode


def run_cell(req, limit, limit_name="the profile's py-max-op"):
    """Run a cell's process and yield its messages; Fault where a phase
    (the start and the import, then each batch) takes longer than limit
    seconds. Whatever happens, the process and all it started are gone
    when it returns."""
    c = Cell(req)
    phase = "starting and importing the function"
    try:
        while True:
            try:
                msg = c.read(limit)
            except TimeoutError:
                raise Fault("%s did not finish within %gs (%s): a call hangs, or the batch is slower than that; "
                            "killed, with every process it started" % (phase, limit, limit_name)) from None
            if msg is None:
                return
            if "begin" in msg:
                phase = msg["begin"]
                continue
            yield msg
    finally:
        c.close()


# ---------------------------------------------------------------------------
# The suite's side.

def config_lines(a, st, models, func, workload, calls):
    """A function run's config lines: the interpreter and machine as every
    run of the suite writes them, the profile, the function and its
    arguments, and the models."""
    lines = interpreter_lines(a, models) + ["profile: %s" % st.name] + limit_lines() + [
        "func: %s" % func,
        "func-args: %s" % a.args,
        "func-workload: %s" % workload,
        "matrix-benchmarks: BenchmarkCores",
        matrix_python_line(models),
    ]
    if calls is not None:
        lines.append("func-calls: %d" % calls)
    return lines


def kind_of(share):
    if share >= CPU_BOUND_SHARE:
        return "cpu"
    if share <= IO_BOUND_SHARE:
        return "io"
    return "mixed"


def main(a, st, models):
    """Run the function's cells for the command line a (--func, --args,
    --cores, --count, --round, --max-op, --no-config, --verbose); 0, 1 if a
    cell failed, 2 for a FUNC or ARGS that names nothing."""
    try:
        kind, target, attr = parse_spec(a.func)
        if not a.args:
            raise UsageError("--func needs --args: a JSON file with a list of argument lists, one per call")
        args_spec = os.path.abspath(a.args) if is_json_args(a.args) else a.args
        calls = len(load_json_args(args_spec)) if is_json_args(a.args) else None
    except UsageError as e:
        print("pyref: %s" % e, file=sys.stderr)
        return 2
    workload = workload_name(attr)
    func = a.func if kind == "module" else "%s:%s" % (target, attr)
    limit = a.max_op if a.max_op > 0 else st.max_op
    limit_name = "--max-op" if a.max_op > 0 else "the profile's py-max-op"
    who = "function %s" % func
    if not a.no_config:
        for line in config_lines(a, st, models, func, workload, calls):
            print(line)
    base = {"func": func, "args": args_spec, "cwd": os.getcwd()}

    def fail(m, text):
        print("--- FAIL: %s: %s under %s: %s" % (cell_name(workload, m.name, a.cores), who, m.name, text), flush=True)

    probe = None
    try:
        for msg in run_cell(dict(base, probe=True), limit, limit_name):
            if "fault" in msg:
                raise Fault(msg["fault"])
            probe = msg
        if probe is None:
            raise Fault("its probe process ended without a word (did the module exit the interpreter?)")
    except Fault as e:
        for m in models:
            fail(m, str(e))
        return 1
    if not a.no_config:
        print("func-coroutine: %s" % ("true" if probe["coroutine"] else "false"))
        if calls is None:
            print("func-calls: %d" % probe["calls"])
        print()
    sys.stdout.flush()
    failed, warmup, t_start = 0, True, time.monotonic()
    for idx, m in enumerate(models):
        name = cell_name(workload, m.name, a.cores)
        if m.approach == "py-asyncio" and not probe["coroutine"]:
            print("--- SKIP: %s: %s is not a coroutine function (inspect.iscoroutinefunction is false): "
                  "asyncio would run its calls on the loop one after another, as py-seq does" % (name, a.func),
                  flush=True)
            continue
        if a.verbose:
            print("pyref: [%d/%d] %s elapsed %.0fs" % (idx + 1, len(models), name, time.monotonic() - t_start),
                  file=sys.stderr)
        req = dict(base, approach=m.approach, method=m.method, cores=a.cores, workers=threadpool_workers(a.cores),
                   batches=a.count,
                   warmup=warmup or m.approach == "py-seq")
        walls, shares, got = [], [], 0
        try:
            for msg in run_cell(req, limit, limit_name):
                if "fault" in msg:
                    raise Fault(msg["fault"])
                mt = msg["metrics"]
                if msg["warmup"]:
                    if m.approach == "py-seq":
                        warmup = mt["ns/op"] / 1e9 < WARMUP_BELOW
                    continue
                got += 1
                walls.append(mt["ns/op"])
                shares.append(mt["cpu-util"])
                print(fmt_line(name, mt), flush=True)
            if got < a.count:
                raise Fault("its process ended after %d of %d batches without saying why "
                            "(did the function exit the interpreter?)" % (got, a.count))
        except Fault as e:
            fail(m, str(e))
            failed += 1
            continue
        if m.approach == "py-seq" and not a.no_config:
            share = sorted(shares)[len(shares) // 2]
            wall = sorted(walls)[len(walls) // 2]
            n = calls if calls is not None else probe["calls"]
            print("cpu-share-%s-py: %.3f" % (workload, share))
            print("matrix-cores: workload=%s:%d:%dns:%s:call" % (workload, n, max(1, round(wall / n)), kind_of(share)),
                  flush=True)
    return 1 if failed else 0
