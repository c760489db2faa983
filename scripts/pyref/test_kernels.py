"""The kernels: Go's values where the kernels are Go's (hash, primes), the
same input and a pinned CPython stream where they are not (gzip), and
CPython's GIL split of a unit."""

import gzip
import hashlib
import math
import unittest
import zlib

from pyref_testing import MS  # noqa: F401  (puts the package on sys.path)
from concbench_py import kernels as k


class KernelTest(unittest.TestCase):
    def test_mix64_and_fold_are_64_bit(self):
        for x in (0, 1, k.M64, 1 << 63):
            self.assertLessEqual(k.mix64(x), k.M64)
            self.assertLessEqual(k.fold(x, x), k.M64)
            self.assertLessEqual(k.op_seed(x, 7), k.M64)

    def test_hash_buffer_digest(self):
        # pinned in workloads.TestHashBufferDigest
        self.assertEqual(len(k.hash_buf()), 64 << 10)
        self.assertEqual(hashlib.sha256(k.hash_buf()).hexdigest(),
                         "1f201af71fc78ccca91a44841e2198c57e3bd681464d61b4a976e6b48579075d")

    def test_text_corpus_is_go_s(self):
        # sha256 of workloads.TextCorpus(), computed in Go
        c = k.text_corpus()
        self.assertEqual(len(c), 64 << 10)
        self.assertEqual(hashlib.sha256(c).hexdigest(),
                         "747e9b043bfaa00a78da9f1acd718253ec6252ddcf423dea28fec2332fe3b970")

    def test_unit_known_values(self):
        # pinned in workloads.TestUnitsKnownValues
        self.assertEqual(k.unit(k.HASH, 0, 1, 0), 0xC4933DC0A8931B93)
        self.assertEqual(k.unit(k.PRIMES, 0, 1, 0), 0x1BCF010010)

    def test_count_primes(self):
        # as workloads.TestCountPrimes
        for lo, hi, want in [(0, 2, 0), (0, 3, 1), (0, 10, 4), (0, 100, 25), (0, 1000, 168),
                             (1_000_000, 1_000_200, 16), (7919, 7920, 1)]:
            self.assertEqual(k.count_primes(lo, hi), want, (lo, hi))

    def test_count_primes_same_divisions_as_go(self):
        # isPrime's loop runs while d*d <= x; ours runs to isqrt(x): equal for all x.
        for x in list(range(3, 2000, 2)) + [999_999_999_989, 1_000_003 ** 2, 1_000_003 ** 2 - 2]:
            d, go_iters = 3, 0
            while d * d <= x:
                go_iters += 1
                d += 2
            self.assertEqual(len(range(3, math.isqrt(x) + 1, 2)), go_iters, x)


class GzipTest(unittest.TestCase):
    """A gzip unit compresses Go's chunk (the same text, the same offset) into
    one gzip stream; the stream is zlib's, not compress/flate's."""

    def test_unit_is_a_gzip_stream_of_go_s_chunk(self):
        c = k.text_corpus()
        for seed, i in [(1, 0), (1, 1), (7, 5), (k.M64, 3)]:
            s = k.mix64((seed + i) & k.M64)
            off = s % (len(c) - k.GZIP_CHUNK)  # as workloads.gzipInput
            chunk = c[off:off + k.GZIP_CHUNK]
            v = k.unit(k.GZIP, 0, seed, i)
            co = zlib.compressobj(6, zlib.DEFLATED, 31)
            out = co.compress(chunk) + co.flush()
            self.assertEqual(gzip.decompress(out), chunk)
            self.assertEqual(v, len(out) << 32 | zlib.crc32(out), (seed, i))
            self.assertLess(len(out), k.GZIP_CHUNK)
            self.assertEqual(out[:3], b"\x1f\x8b\x08")  # a gzip member, deflate

    def test_sizes_clamp_as_go(self):
        self.assertEqual(k.unit(k.GZIP, 0, 1, 0), k.unit(k.GZIP, k.GZIP_CHUNK, 1, 0))
        self.assertEqual(k.unit(k.GZIP, k.GZIP_CORPUS, 1, 0), k.unit(k.GZIP, 0, 1, 0))  # over MaxSize: the default
        self.assertNotEqual(k.unit(k.GZIP, 4096, 1, 0), k.unit(k.GZIP, 0, 1, 0))

    @unittest.skipIf("ng" in zlib.ZLIB_RUNTIME_VERSION,
                     "zlib-ng (%s) deflates differently; the goldens are zlib's" % zlib.ZLIB_RUNTIME_VERSION)
    def test_goldens(self):
        # CPython's zlib (1.2.13 and 1.3.2 alike) on this chunk; Go's
        # compress/gzip gives 0x25dadc8cbf2 (workloads.TestUnitsKnownValues):
        # a different deflate and header, so the two never share gzip checksums.
        self.assertEqual(k.unit(k.GZIP, 0, 1, 0), 0x26223FFC062)
        self.assertEqual(k.unit(k.GZIP, 0, 7, 3), 0x2644BA65B9D)


class GilSplitTest(unittest.TestCase):
    def test_split_is_a_share(self):
        for kernel in (k.HASH, k.GZIP):
            unit_ns, c_ns, held = k.gil_split(kernel, trials=3, units=16)
            self.assertGreater(unit_ns, 0)
            self.assertGreater(c_ns, 0)
            self.assertGreaterEqual(held, 0.0)
            self.assertLessEqual(held, 1.0)
            # The C calls are most of a unit here: the held share is small
            # (measured 0.01-0.06; 0.5 leaves room for a loaded machine).
            self.assertLess(held, 0.5, k.KERNEL_NAMES[kernel])
        self.assertEqual(k.held_share(k.PRIMES), 1.0)

    def test_set_split(self):
        saved = dict(k._splits)
        try:
            k.set_gil_split(k.GZIP, 50_000, 40_000, 0.2)
            self.assertEqual(k.held_share(k.GZIP), 0.2)
        finally:
            k._splits.clear()
            k._splits.update(saved)


if __name__ == "__main__":
    unittest.main()
