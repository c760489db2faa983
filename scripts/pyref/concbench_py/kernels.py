"""The compute kernels: a faithful port of workloads/kernels.go.

hash and primes units yield the values Go's do; a gzip unit compresses the
same 2 KiB of the same text at the same offset, but through CPython's zlib,
whose deflate is not Go's compress/flate, so its values are pinned by Python
goldens of their own (test_kernels.py), not Go's.

Also here: each kernel's calibrated unit cost, and CPython's own split of a
unit into the C calls that run without the GIL and the rest, which holds it.
"""

import hashlib
import math
import struct
import time
import zlib

M64 = (1 << 64) - 1

HASH_BUF_SIZE = 64 << 10   # bytes hashed per hash unit
PRIMES_WINDOW = 200        # integers tested per primes unit
PRIMES_BASE = 1_000_000
PRIMES_SPAN = 1_000_000
GZIP_CHUNK = 2 << 10       # bytes compressed per gzip unit
GZIP_CORPUS = 64 << 10     # size of the text that gzip chunks come from
GZIP_LEVEL = 6             # Go's gzip.DefaultCompression is zlib's level 6
GZIP_WBITS = 31            # 15-bit window with the gzip wrapper, as compress/gzip writes

# The mix tasks Go builds for CPython have primes units of 20 integers
# (~35 µs here; bench's pythonMixUnitSize), so that the compute share of a
# 2 ms task is hit within a few per cent, where a default unit (200
# integers, ~350 µs) would round 1 ms to 0.7 or 1.05 ms. Their cost is
# calibrated beside the default units'.
MIX_UNIT_SIZE = 20

HASH, PRIMES, GZIP = 1, 2, 3
KERNELS = {"hash": HASH, "primes": PRIMES, "gzip": GZIP}
KERNEL_NAMES = {v: k for k, v in KERNELS.items()}
DEFAULT_SIZE = {HASH: HASH_BUF_SIZE, PRIMES: PRIMES_WINDOW, GZIP: GZIP_CHUNK}
MAX_SIZE = {HASH: HASH_BUF_SIZE, PRIMES: 1 << 20, GZIP: GZIP_CORPUS // 2}


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


# The hash buffer and the text corpus are built on first use, as Go's
# sync.Once does: a worker process or interpreter that never hashes does
# not pay the ~10 ms of Python that building one costs.
_hash_buf = None
_hash_view = None
_corpus = None


def hash_buf():
    """The deterministic 64 KiB buffer the hash kernel digests (workloads.HashBuffer)."""
    global _hash_buf, _hash_view
    if _hash_buf is None:
        _hash_buf = fill(HASH_BUF_SIZE, 0x5EED)
        _hash_view = memoryview(_hash_buf)
    return _hash_buf


def payload(n):
    """n bytes of a task's input or output, as workloads.Payload: the hash
    buffer repeated and cut to n."""
    buf = hash_buf()
    if n <= HASH_BUF_SIZE:
        return buf[:n]
    return (buf * (n // HASH_BUF_SIZE + 1))[:n]


def hash_view():
    """hash_buf as a memoryview, so that a unit slices it without a copy."""
    if _hash_view is None:
        hash_buf()
    return _hash_view


CORPUS_WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
                "concurrency", "is", "not", "parallelism", "goroutine", "thread", "process",
                "event", "loop", "lock", "core", "task", "wait", "compute", "python", "go"]


def text_corpus():
    """The deterministic text the gzip kernel compresses (workloads.TextCorpus)."""
    global _corpus
    if _corpus is None:
        parts, n, x = [], 0, 0xC0FFEE
        words = [w.encode() for w in CORPUS_WORDS]
        while n < GZIP_CORPUS:
            x = mix64(x)
            w = words[x % len(words)]
            sep = b".\n" if x >> 60 == 0 else b" "
            parts += (w, sep)
            n += len(w) + len(sep)
        _corpus = b"".join(parts)[:GZIP_CORPUS]
    return _corpus


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


def gzip_input(s, size):
    """The chunk of the corpus a gzip unit with unit seed s compresses (workloads.gzipInput)."""
    c = text_corpus()
    off = s % (len(c) - size)
    return memoryview(c)[off:off + size]


def gzip_value(chunk):
    """Compress chunk as one gzip stream; the value is its length and CRC-32.
    deflate runs inside compress and flush, which release the GIL."""
    co = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, GZIP_WBITS)
    out = co.compress(chunk) + co.flush()
    return len(out) << 32 | zlib.crc32(out)


def unit(kernel, size, seed, i):
    """One compute unit, as workloads.Unit."""
    if size <= 0 or size > MAX_SIZE.get(kernel, 0):
        size = DEFAULT_SIZE.get(kernel, 0)
    s = mix64((seed + i) & M64)
    if kernel == HASH:
        h = hashlib.sha256(s.to_bytes(8, "little"))
        h.update(hash_view()[:size])  # > 2047 bytes: CPython releases the GIL here
        return int.from_bytes(h.digest()[:8], "little")
    if kernel == PRIMES:
        lo = PRIMES_BASE + s % PRIMES_SPAN
        return ((lo << 16) | count_primes(lo, lo + size)) & M64
    if kernel == GZIP:
        return gzip_value(gzip_input(s, size))
    raise ValueError("unsupported kernel %r" % (kernel,))


# ---------------------------------------------------------------------------
# Calibration.

_costs = {}


def unit_cost(kernel, size=0):
    """ns per unit of kernel (of the given size, 0 the default) on one core,
    calibrated once per process (median of 7) unless set with set_unit_cost."""
    if size == DEFAULT_SIZE.get(kernel):
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


def clear_unit_costs():
    _costs.clear()


# ---------------------------------------------------------------------------
# The GIL split: how much of a unit holds the GIL.

# What runs without the GIL in each kernel's unit, for the --gil-split text.
RELEASING_CALLS = {HASH: "h.update(64 KiB)", GZIP: "co.compress(2 KiB) + co.flush()"}
SPLIT_UNITS = 256  # units per trial: ~10 ms of a hash or gzip unit
SPLIT_TRIALS = 7

_splits = {}


def _time_units(kernel, n, trial):
    """n units as a compute op runs them (tasks.compute_op): each unit and
    its fold into the op's value, all Python-level work that holds the GIL
    beside the unit's C calls."""
    v = 0
    t = time.perf_counter_ns()
    for i in range(n):
        v = unit_fold(v, unit(kernel, 0, trial, i))
    return time.perf_counter_ns() - t


def _time_c_calls(kernel, n, trial):
    """The time of the unit's GIL-releasing C calls alone, over n units:
    the same calls on the same inputs, everything else outside the clock."""
    if kernel == HASH:
        view = hash_view()
        h = hashlib.sha256()
        t = time.perf_counter_ns()
        for _ in range(n):
            h.update(view)
        return time.perf_counter_ns() - t
    if kernel == GZIP:
        # One compressobj at a time, made outside the clock, as a unit makes
        # it: ~270 KB of deflate state each, so that many alive at once
        # would time page faults on fresh memory, not deflate.
        clock, total = time.perf_counter_ns, 0
        for i in range(n):
            chunk = gzip_input(mix64((trial + i) & M64), GZIP_CHUNK)
            co = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, GZIP_WBITS)
            t = clock()
            co.compress(chunk)
            co.flush()
            total += clock() - t
            del co
        return total
    raise ValueError("kernel %s has no GIL-releasing call" % KERNEL_NAMES.get(kernel, kernel))


def gil_split(kernel, trials=SPLIT_TRIALS, units=SPLIT_UNITS):
    """CPython's own split of one unit of kernel: (unit ns, C-call ns, held
    share), medians over trials, where the held share is 1 - C/unit, the
    fraction of a unit that runs holding the GIL. Measured once per process
    (with the default trials and units).
    primes is pure Python: it holds the GIL throughout (share 1)."""
    if kernel == PRIMES:
        return unit_cost(PRIMES), 0.0, 1.0
    cache = trials == SPLIT_TRIALS and units == SPLIT_UNITS
    if cache and kernel in _splits:
        return _splits[kernel]
    unit(kernel, 0, 0, 0)
    _time_c_calls(kernel, 1, 0)
    us, cs, shares = [], [], []
    for trial in range(trials):
        u = _time_units(kernel, units, trial) / units
        c = _time_c_calls(kernel, units, trial) / units
        us.append(u)
        cs.append(c)
        shares.append(min(1.0, max(0.0, 1 - c / u)))
    med = lambda v: sorted(v)[len(v) // 2]  # noqa: E731
    split = (med(us), med(cs), med(shares))
    if cache:
        _splits[kernel] = split
    return split


def set_gil_split(kernel, unit_ns, c_ns, held):
    _splits[kernel] = (float(unit_ns), float(c_ns), float(held))


def held_share(kernel):
    """The fraction of a unit of kernel that holds the GIL (see gil_split)."""
    if kernel == PRIMES:
        return 1.0
    return gil_split(kernel)[2]
