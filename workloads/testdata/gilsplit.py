"""Measure how much of a CPython compute unit holds the GIL.

For the hash and gzip kernels, CPython runs part of each unit in C with the
GIL released (hashlib's update of a buffer of 2 KiB or more; zlib's deflate
inside compress() and flush()) and the rest holding it (the Python code,
hashlib.sha256(), digest(), zlib.compressobj(), which allocates and clears
deflate's tables, and zlib.crc32 of a buffer under 5 KiB). This script times
each unit as the CPython suite runs it, and the released calls inside it,
and prints the held share: the median unit's time outside the released
calls over the median unit's time (medians over 2000 units, then over 9
rounds). A unit is written here as
the CPython suite (scripts/pyref) writes it, loop and unit_fold included, and
its data are the Go kernels' (workloads.HashBuffer, workloads.TextCorpus), so
that the script depends on nothing but the standard library.

Run from the repository root, with each interpreter:

    python3 workloads/testdata/gilsplit.py
    python3.14 workloads/testdata/gilsplit.py

The workloads package's Kernel.HeldShare quotes its output.
"""

import hashlib
import struct
import sys
import time
import zlib

M64 = (1 << 64) - 1
N = 2000  # units per round
ROUNDS = 9
GZIP_CHUNK = 2048
ns = time.perf_counter_ns


def mix64(x):
    """splitmix64's finaliser, as workloads.mix64."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def unit_fold(v, unit):
    return mix64(v ^ unit)


def fill(n, seed):
    """workloads.fill: deterministic bytes."""
    out = bytearray()
    x = seed
    pack = struct.Struct("<Q").pack
    while len(out) < n:
        x = mix64(x)
        out += pack(x)
    return bytes(out[:n])


HASH_BUF_SIZE = 64 << 10
HASH_VIEW = memoryview(fill(HASH_BUF_SIZE, 0x5EED))


def hash_unit(seed, i):
    """A hash unit as the CPython suite's unit(HASH, ...)."""
    s = mix64((seed + i) & M64)
    h = hashlib.sha256(s.to_bytes(8, "little"))
    h.update(HASH_VIEW[:HASH_BUF_SIZE])  # >= 2 KiB: the GIL is released
    return int.from_bytes(h.digest()[:8], "little")


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def text_corpus():
    """workloads.TextCorpus: the same 64 KiB of words the Go kernel compresses."""
    words = [b"the", b"quick", b"brown", b"fox", b"jumps", b"over", b"lazy", b"dog",
             b"concurrency", b"is", b"not", b"parallelism", b"goroutine", b"thread", b"process",
             b"event", b"loop", b"lock", b"core", b"task", b"wait", b"compute", b"python", b"go"]
    out = bytearray()
    x = 0xC0FFEE
    while len(out) < 64 << 10:
        x = mix64(x)
        out += words[x % len(words)]
        out += b".\n" if x >> 60 == 0 else b" "
    return bytes(out[: 64 << 10])


CORPUS = text_corpus()


def gzip_unit(seed, i):
    """A gzip unit as workloads.Unit(Gzip, ...), written in CPython."""
    s = mix64((seed + i) & M64)
    off = s % (len(CORPUS) - GZIP_CHUNK)
    chunk = CORPUS[off : off + GZIP_CHUNK]
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    out = co.compress(chunk) + co.flush()  # deflate runs without the GIL
    return len(out) << 32 | zlib.crc32(out)



def timed_hash_unit(seed, i, t):
    """hash_unit, recording when its released call starts and ends in t."""
    s = mix64((seed + i) & M64)
    h = hashlib.sha256(s.to_bytes(8, "little"))
    t[1] = ns()
    h.update(HASH_VIEW[:HASH_BUF_SIZE])
    t[2] = ns()
    return int.from_bytes(h.digest()[:8], "little")


def timed_gzip_unit(seed, i, t):
    """gzip_unit, recording when its released calls start and end in t."""
    s = mix64((seed + i) & M64)
    off = s % (len(CORPUS) - GZIP_CHUNK)
    chunk = CORPUS[off : off + GZIP_CHUNK]
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    t[1] = ns()
    a = co.compress(chunk)
    b = co.flush()
    t[2] = ns()
    out = a + b
    return len(out) << 32 | zlib.crc32(out)


def clock_cost():
    """The median cost of one perf_counter_ns call, in ns."""
    d = []
    for _ in range(10000):
        a = ns()
        b = ns()
        d.append(b - a)
    return median(d)


def split(timed, clock):
    """Per unit of a compute op's loop (unit and unit_fold, as the suite's
    compute_op runs them): the median whole unit and the median time outside
    the released calls, in ns. Both come from the same units, so a load
    that slows some of them moves both alike; medians shrug off preemption."""
    whole, held = [], []
    t = [0, 0, 0]
    v = 0
    for u in range(N):
        t0 = ns()
        v = unit_fold(v, timed(1, u, t))
        t3 = ns()
        # Three clock reads are inside the unit beyond the first: two count
        # as held time, one as released.
        w = t3 - t0 - 3 * clock
        r = t[2] - t[1] - clock
        whole.append(w)
        held.append(w - r)
    return median(whole), median(held)


def main():
    clock = clock_cost()
    print("%s (perf_counter_ns %d ns)" % (sys.version.split()[0], clock))
    for name, f in (("hash", timed_hash_unit), ("gzip", timed_gzip_unit)):
        split(f, clock)  # warm up
        rounds = [split(f, clock) for _ in range(ROUNDS)]
        whole = median([r[0] for r in rounds])
        held = median([r[1] for r in rounds])
        share = median([r[1] / r[0] for r in rounds])
        print("%s: unit %.2f µs, held %.2f µs, held share %.3f" % (name, whole / 1e3, held / 1e3, share))


if __name__ == "__main__":
    main()
