"""What the suite prints: benchfmt result lines and the run's config lines."""

import os
import platform
import sys

from .kernels import GZIP, HASH, MIX_UNIT_SIZE, PRIMES, held_share, unit_cost
from .limits import fmt_limit, read_limits
from .models import default_start_method, gil_enabled, python_tag


def fmt_line(name, m):
    """A batch's result line (iterations always 1: a line is one batch)."""
    return "%s\t%8d\t%12d ns/op\t%10.5g tasks/s\t%8.4g p50-ms\t%8.4g p99-ms\t%6.3g cpu-util" % (
        name, 1, m["ns/op"], m["tasks/s"], m["p50-ms"], m["p99-ms"], m["cpu-util"])


def fmt_start_line(name, ns, workers):
    """A BenchmarkStart line: ns/op is one pool's whole start and shutdown;
    ns/op over workers is the cost per worker."""
    return "%s\t%8d\t%12d ns/op\t%6d workers" % (name, 1, ns, workers)


def stdlib_bytecode():
    """Whether the standard library's compiled bytecode is cached: where it
    is not (an unpacked interpreter, PYTHONDONTWRITEBYTECODE), every new
    process or interpreter compiles what it imports, which dominates the
    cost of starting one."""
    import importlib.util
    import tempfile
    try:
        return os.path.exists(importlib.util.cache_from_source(tempfile.__file__))
    except (NotImplementedError, ValueError):
        return False


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


def unit_costs_line():
    """The calibrated unit costs as --unit-ns takes them."""
    return "hash=%d,primes=%d,primes%d=%d,gzip=%d" % (
        round(unit_cost(HASH)), round(unit_cost(PRIMES)), MIX_UNIT_SIZE, round(unit_cost(PRIMES, MIX_UNIT_SIZE)),
        round(unit_cost(GZIP)))


def interpreter_lines(args, models):
    """The config lines every run of the suite writes first: the interpreter
    and its process start methods, the machine as this run sees it (its
    cores and affinity), and the run's round."""
    methods = []
    for m in models:
        if m.method and m.method not in methods:
            methods.append(m.method)
    lines = [
        "runner: pyref",
        "python-version: %s" % platform.python_version(),
        "python-impl: %s" % platform.python_implementation(),
        "python-tag: %s" % python_tag(),
        "gil: %s" % ("enabled" if gil_enabled() else "disabled"),
        "python-switch-interval: %gms" % (sys.getswitchinterval() * 1e3),
        "mp-start-method: %s" % default_start_method(),
        "mp-start-methods: %s" % (",".join(methods) or "none"),
        "python-stdlib-bytecode: %s" % ("cached" if stdlib_bytecode() else "none"),
        "cpus: %d" % (os.cpu_count() or 0),
        "cores: %d" % args.cores,
        "affinity: %s" % (args.affinity or affinity()),
        "oversubscribed: %s" % ("true" if args.cores > (os.cpu_count() or 1) else "false"),
    ]
    if args.round:
        lines.append("round: %d" % args.round)
    return lines


def limit_lines():
    """The load before the run and the process limits it runs under."""
    nofile, nproc, _ = read_limits()
    return [
        "load-before: %.2f" % os.getloadavg()[0],
        "nofile: %s" % fmt_limit(nofile),
        "nproc: %s" % fmt_limit(nproc),
    ]


def matrix_python_line(models):
    """The models of the run with their Go counterparts, so that the report
    keeps no copy of them."""
    return "matrix-python: %s" % " ".join("%s:%s" % (m.name, m.counterpart) for m in models)


def config_lines(args, profile, models):
    """The run's config lines: the interpreter, the machine as this run sees
    it, the profile, the calibrated costs and GIL shares, and the models with
    their Go counterparts (so that the report keeps no copy of them)."""
    return interpreter_lines(args, models) + [
        "profile: %s" % profile,
        "unit-ns-hash-py: %d" % round(unit_cost(HASH)),
        "unit-ns-primes-py: %d" % round(unit_cost(PRIMES)),
        "unit-ns-primes%d-py: %d" % (MIX_UNIT_SIZE, round(unit_cost(PRIMES, MIX_UNIT_SIZE))),
        "unit-ns-gzip-py: %d" % round(unit_cost(GZIP)),
        "gil-held-share-hash-py: %.3f" % held_share(HASH),
        "gil-held-share-gzip-py: %.3f" % held_share(GZIP),
    ] + limit_lines() + [matrix_python_line(models)]
