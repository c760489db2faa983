"""The profile's numbers, which live in Go (bench.Profiles) and nowhere here.

`concbench describe -profile NAME -settings` prints them as key=value
lines; the suite reads that output (--settings FILE) for a user's function
(--func), which has no batch Go could build, and uses its py-* values (the
suite's own cells come with what they need: see matrix):

    name=NAME  rounds=N  benchtime=T  budget=Ns  py-rounds=N
    py-tasks=N  py-max-fanout=N  py-max-op=Ns  py-overhead-tasks=N
    py-pool-max=N  py-pool-extra=N

(one a line; durations in whole seconds with an "s"). Keys the suite does not use are kept but not checked, so Go
may add some.
"""

import re


class SettingsError(ValueError):
    pass


# What the suite needs, and how each is read.
INT_KEYS = ("py-rounds", "py-tasks", "py-max-fanout", "py-overhead-tasks", "py-pool-max", "py-pool-extra")
DURATION_KEYS = ("py-max-op",)
REQUIRED = ("name",) + INT_KEYS + DURATION_KEYS

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(s):
    """Seconds in a Go time.Duration string: "5s", "1m30s", "200ms", "0s"."""
    if s == "0":
        return 0.0
    pos, total = 0, 0.0
    for m in _DURATION.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos != len(s) or not s:
        raise ValueError("%r is not a duration (as Go writes one: 5s, 1m30s, 200ms)" % s)
    return total


class Settings:
    """A profile's settings: name (the profile), rounds, tasks (BenchmarkCores's
    batch size), max_fanout, max_op (seconds), overhead_tasks, and pool_max
    and pool_extra (a pool's default size at C cores, min(pool_max, C +
    pool_extra)), for the Python suite; raw holds every key=value as read."""

    def __init__(self, raw):
        self.raw = dict(raw)
        self.name = raw["name"]
        self.rounds = raw["py-rounds"]
        self.tasks = raw["py-tasks"]
        self.max_fanout = raw["py-max-fanout"]
        self.max_op = raw["py-max-op"]
        self.overhead_tasks = raw["py-overhead-tasks"]
        self.pool_max = raw["py-pool-max"]
        self.pool_extra = raw["py-pool-extra"]

    def __repr__(self):
        return "Settings(%s)" % self.name


def parse(text, source="settings"):
    """Settings from `concbench describe -settings` output; errors name
    source and line."""
    raw, where = {}, {}
    for i, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        k, eq, v = line.partition("=")
        k, v = k.strip(), v.strip()
        if not eq or not k:
            raise SettingsError("%s:%d: %r is not key=value" % (source, i, line))
        if k in raw:
            raise SettingsError("%s:%d: %s given twice (first at line %d)" % (source, i, k, where[k]))
        try:
            if k in INT_KEYS:
                n = int(v)
                if n <= 0:
                    raise ValueError("want a positive integer")
                v = n
            elif k in DURATION_KEYS:
                d = parse_duration(v)
                if d <= 0:
                    raise ValueError("want a positive duration")
                v = d
        except ValueError as e:
            raise SettingsError("%s:%d: %s=%s: %s" % (source, i, k, v, e)) from None
        if k == "name" and not v:
            raise SettingsError("%s:%d: empty profile name" % (source, i))
        raw[k], where[k] = v, i
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise SettingsError("%s: no %s (is it the output of concbench describe -profile NAME -settings?)"
                            % (source, ", ".join(missing)))
    return Settings(raw)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise SettingsError("--settings %s: %s" % (path, e.strerror or e)) from None
    return parse(text, path)
