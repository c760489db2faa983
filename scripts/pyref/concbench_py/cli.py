"""The command line: python3 -m concbench_py (from scripts/pyref), or
python3 scripts/pyref/concbench_py.py, which is the same."""

import argparse
import json
import os
import platform
import re
import sys
import time

from . import kernels, matrix, measure, settings as settings_mod, tasks, userfunc
from .kernels import GZIP, HASH, KERNELS, RELEASING_CALLS, SPLIT_TRIALS, SPLIT_UNITS, gil_split, set_unit_cost
from .limits import UNLIMITED, cell_need, limit_skip, open_files, raise_fd_limit, read_limits, user_threads
from .measure import metrics, run_batch, start_pool
from .models import APPROACHES, build_models, python_tag, set_pool_size
from .output import config_lines, fmt_line, fmt_start_line, unit_costs_line
from .tasks import Env

now = time.monotonic_ns

SETTINGS_HELP = "the profile's settings: the output of concbench describe -profile NAME -settings"
TASKS_HELP = ("the cells to run, as Go builds them: the output of concbench describe -profile P -cores N -tasks "
              "-python COSTS, with COSTS this run's --costs; - reads standard input")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="concbench_py",
                                description="concbench's Python reference suite: CPython's own models.")
    p.add_argument("--tasks", default="", metavar="FILE", help=TASKS_HELP + " (needed to run cells)")
    p.add_argument("--settings", default="", metavar="FILE", help=SETTINGS_HELP + " (needed for --func)")
    p.add_argument("--cores", type=int, default=0,
                   help="cores this run may use: process workers, pool sizes and the -N suffix (default: CPUs allowed)")
    p.add_argument("--count", type=int, default=1, help="batches (result lines) per cell, like -test.count")
    p.add_argument("--round", type=int, default=0, help="round number, for the config line")
    p.add_argument("--addr", default=os.environ.get("CONCBENCH_ADDR", ""), help="latency server host:port")
    p.add_argument("--dir", default=os.environ.get("CONCBENCH_DIR", ""), help="directory for file ops")
    p.add_argument("--bench", default=".", help="regexp on result names (without -N), like -test.bench")
    p.add_argument("--models", default="", help="comma-separated approaches (default: every one this Python has: %s)"
                   % ",".join(APPROACHES))
    p.add_argument("--start-methods", default="",
                   help="comma-separated multiprocessing start methods: each process model runs once per method "
                        "(default: the platform's)")
    p.add_argument("--max-op", type=float, default=0.0,
                   help="skip cells predicted slower than this many seconds per batch (default: the profile's "
                        "py-max-op, as --tasks says)")
    p.add_argument("--unit-ns", default="",
                   help="calibrated costs to use instead of calibrating, as printed by --calibrate "
                        "(e.g. hash=38000,primes=370000,primes20=37000,gzip=40000)")
    p.add_argument("--calibrate", action="store_true", help="print the unit costs for --unit-ns and exit")
    p.add_argument("--costs", action="store_true",
                   help="print, as JSON, this interpreter's costs for the models of the run (unit costs, thread and "
                        "worker starts, Go counterparts), which concbench describe -tasks -python reads, and exit")
    p.add_argument("--checksums", action="store_true",
                   help="run every batch of --tasks in order, task by task in this thread, and print each cell's "
                        "task checksums as JSON, instead of timing the models")
    p.add_argument("--gil-split", action="store_true",
                   help="print CPython's split of a hash and a gzip unit into GIL-releasing C calls and the rest, "
                        "and exit")
    p.add_argument("--print-tag", action="store_true", help="print this interpreter's tag (3.14, 3.14t) and exit")
    p.add_argument("--switch-interval", type=float, default=0.0, help="sys.setswitchinterval, in ms")
    p.add_argument("--affinity", default="", help="value of the affinity config line (e.g. unpinned)")
    p.add_argument("--exact", action="store_true", help="compute net/file values exactly as Go (slower)")
    p.add_argument("--no-config", action="store_true", help="do not print config lines")
    p.add_argument("--func", default="", metavar="MODULE:FUNCTION",
                   help="run this function (MODULE:FUNCTION or PATH/FILE.py:FUNCTION) under every model instead of "
                        "the suite's cells, as BenchmarkCores/workload=NAME (see userfunc); needs --settings")
    p.add_argument("--args", default="", metavar="ARGS",
                   help="--func's calls: a JSON file holding a list of argument lists, one per call (a batch is "
                        "every call once), or MODULE:NAME / FILE.py:NAME naming such a list or a function returning one")
    p.add_argument("--verbose", "-v", action="store_true", help="progress on stderr")
    a = p.parse_args(argv)
    if a.cores <= 0:
        try:
            a.cores = len(os.sched_getaffinity(0))
        except AttributeError:
            a.cores = os.cpu_count() or 1
    return a


def apply_unit_ns(spec):
    """Set the unit costs from --unit-ns; returns an error or None."""
    for kv in filter(None, spec.split(",")):
        k, _, v = kv.partition("=")
        m = re.fullmatch(r"(hash|primes|gzip)(\d*)", k.strip())
        if not m or not v.strip().isdigit():
            return "bad --unit-ns entry %r (want KERNEL[SIZE]=NS, e.g. primes20=37000)" % kv
        set_unit_cost(KERNELS[m.group(1)], int(m.group(2) or 0), int(v))
    return None


def gil_split_lines():
    out = []
    for k in (HASH, GZIP):
        u, c, held = gil_split(k)
        out.append("%s: unit %.0f ns, GIL released in %s %.0f ns, held share %.3f (median of %d trials of %d units)"
                   % (kernels.KERNEL_NAMES[k], u, RELEASING_CALLS[k], c, held, SPLIT_TRIALS, SPLIT_UNITS))
    return out


def main(argv=None):
    if sys.version_info < (3, 9):
        print("pyref: python3 >= 3.9 required, this is %s; skipping" % platform.python_version())
        return 0
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_tag:
        print(python_tag())
        return 0
    err = apply_unit_ns(args.unit_ns)
    if err:
        print("pyref: %s" % err, file=sys.stderr)
        return 2
    if args.calibrate:
        print(unit_costs_line())
        return 0
    if args.gil_split:
        print("python %s (%s)" % (platform.python_version(), python_tag()))
        for line in gil_split_lines():
            print(line)
        return 0
    try:
        models, notes = build_models([m for m in args.models.split(",") if m] or None,
                                     [m for m in args.start_methods.split(",") if m] or None)
    except ValueError as e:
        print("pyref: %s" % e, file=sys.stderr)
        return 2
    for n in notes:
        print("pyref: %s" % n, file=sys.stderr)
    if args.costs:
        json.dump(measure.costs(models), sys.stdout, sort_keys=True)
        print()
        return 0
    if args.func:
        # A user's function has no batch that Go could build: it takes the
        # profile's numbers from the settings.
        if not args.settings:
            print("pyref: --func needs --settings FILE: %s (scripts/bench-python.sh passes it)" % SETTINGS_HELP,
                  file=sys.stderr)
            return 2
        try:
            st = settings_mod.load(args.settings)
        except settings_mod.SettingsError as e:
            print("pyref: %s" % e, file=sys.stderr)
            return 2
        set_pool_size(st.pool_max, st.pool_extra)
        return userfunc.main(args, st, models)
    if not args.tasks:
        print("pyref: --tasks FILE is needed to run cells: %s (scripts/bench-python.sh passes it)" % TASKS_HELP,
              file=sys.stderr)
        return 2
    try:
        ts = matrix.load(args.tasks)
    except matrix.TasksError as e:
        print("pyref: %s" % e, file=sys.stderr)
        return 2
    set_pool_size(*ts.pool)
    if args.checksums:
        return print_checksums(ts, Env(args.addr or None, args.dir or None, args.exact))
    why = ts.check_run(python_tag(), args.cores, models)
    if why:
        print("pyref: --tasks %s: %s" % (args.tasks, why), file=sys.stderr)
        return 2
    # The config lines record the unit costs the batches were built with.
    apply_unit_ns(ts.unit_ns())
    max_op = args.max_op if args.max_op > 0 else ts.max_op
    if args.switch_interval > 0:
        sys.setswitchinterval(args.switch_interval / 1e3)
    raise_fd_limit()
    limits = read_limits()
    env = Env(args.addr or None, args.dir or None, args.exact)
    bench_re = re.compile(args.bench)
    if not args.no_config:
        for line in config_lines(args, ts.profile, models):
            print(line)
        print()
    sys.stdout.flush()
    todo = [(c, m) for c in ts.cells for m in models
            if c.applies(m) and bench_re.search(c.result_name(m.name, 1))]
    failed = 0
    t_start = time.monotonic()
    for idx, (c, m) in enumerate(todo):
        name = c.result_name(m.name, args.cores)
        try:
            if c.start:
                ok = run_start_cell(name, c, m, args, max_op, idx, len(todo), t_start)
            else:
                ok = run_cell(name, c, m, args, env, limits, max_op, idx, len(todo), t_start)
        except Exception as e:
            ok = False
            print("--- FAIL: %s: %s" % (name, e), flush=True)
        failed += not ok
    return 1 if failed else 0


def progress(args, idx, total, name, pred, t_start):
    if args.verbose:
        print("pyref: [%d/%d] %s (predicted %.3gs × %d) elapsed %.0fs"
              % (idx + 1, total, name, pred, args.count, time.monotonic() - t_start), file=sys.stderr)


def print_checksums(ts, env):
    """Each cell's task checksums, as JSON: {cell name: [checksum, ...]}, each
    task run by tasks.exec_task in this thread (the models' results equal
    these: test_models)."""
    out = {}
    for c in ts.cells:
        if c.start:
            continue
        if c.uses_net() and not env.addr:
            print("pyref: %s: no latency server address (--addr)" % c.name, file=sys.stderr)
            return 2
        out[c.name] = [tasks.exec_task(env, t) for t in c.batch]
    json.dump(out, sys.stdout)
    print()
    return 0


def run_cell(name, c, m, args, env, limits, max_op, idx, total, t_start):
    """Run one cell's batches, printing a line for each; False if one failed."""
    if c.uses_net() and not env.addr:
        print("--- SKIP: %s: no latency server address (--addr)" % name, flush=True)
        return True
    batch = c.batch
    pred = c.predict[m.name]
    if pred > max_op:
        print("--- SKIP: %s: predicted %.3gs per batch (as %s) > %gs limit" % (name, pred, m.counterpart, max_op),
              flush=True)
        return True
    need = cell_need(m.approach, batch, args.cores)
    threads_now = user_threads() if need[2] > 0 and limits[1] is not UNLIMITED and limits[2] else -1
    why = limit_skip(limits, need, open_files(), len(env.addrs), threads_now)
    if why:
        print("--- SKIP: %s: %s" % (name, why), flush=True)
        return True
    progress(args, idx, total, name, pred, t_start)
    if pred < 0.5:
        run_batch(m, env, batch, args.cores)  # warm-up, not reported
    for _ in range(args.count):
        submitted = now()
        ns, outs, cpu = run_batch(m, env, batch, args.cores)
        print(fmt_line(name, metrics(ns, outs, cpu, submitted)), flush=True)
    return True


def run_start_cell(name, c, m, args, max_op, idx, total, t_start):
    """Time a pool's start, count times; the first start of a run (a
    forkserver's, the first imports) is a warm-up where it is cheap."""
    pred = c.predict[m.name]
    if pred > max_op:
        print("--- SKIP: %s: predicted %.3gs per start (as %s) > %gs limit" % (name, pred, m.counterpart, max_op),
              flush=True)
        return True
    progress(args, idx, total, name, pred, t_start)
    if pred < 0.5:
        start_pool(m, args.cores)
    for _ in range(args.count):
        ns, k = start_pool(m, args.cores)
        print(fmt_start_line(name, ns, k), flush=True)
    return True
