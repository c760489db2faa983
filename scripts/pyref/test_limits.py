"""Resource limits, as bench.TestCellNeed and bench.TestLimitSkip."""

import sys
import unittest

from pyref_testing import MS, batch
from concbench_py import limits as lim
from concbench_py import tasks


class LimitsTest(unittest.TestCase):
    def test_cell_need(self):
        net = batch([tasks.op_net(MS, 100)], 10000)
        sleep = batch([tasks.op_sleep(MS)], 10000)
        file = batch([tasks.op_file(100)], 64)
        for approach, b, cores, want in [
            ("py-seq", net, 2, (1, 1, 0)),
            ("py-threading", net, 2, (10000, 10000, 10000)),
            ("py-asyncio", net, 2, (10000, 10000, 0)),
            ("py-threadpool", net, 2, (6, 6, 6)),
            ("py-threadpool", net, 64, (32, 32, 32)),
            ("py-interpreterpool", net, 2, (6, 6, 6)),
            ("py-interpreterpool", sleep, 64, (0, 0, 32)),
            ("py-multiprocessing", net, 2, (2 * lim.FILES_PER_PROCESS, 2, 2)),
            ("py-processpool", sleep, 4, (4 * lim.FILES_PER_PROCESS, 0, 4)),
            ("py-threading", sleep, 2, (0, 0, 10000)),
            ("py-asyncio", sleep, 2, (0, 0, 0)),
            ("py-threading", file, 2, (64, 0, 64)),
        ]:
            self.assertEqual(lim.cell_need(approach, b, cores), want, (approach, len(b), cores))

    def test_limit_skip(self):
        limits = (4096, 1000, True)
        self.assertIsNone(lim.limit_skip(limits, (1000, 1000, 0), 20, 5, 100))
        self.assertEqual(lim.limit_skip(limits, (10000, 0, 0), 20, 5, 100),
                         "needs 10052 open files in this process (20 open, 10000 for the batch), over RLIMIT_NOFILE "
                         "4096; raise it: ulimit -n 12000, or a container's --ulimit nofile=12000")
        self.assertIn("needs 10037 open files in the latency server's process (10000 connections), over RLIMIT_NOFILE 4096",
                      lim.limit_skip(limits, (4000, 10000, 0), 20, 5, 100))
        self.assertIsNone(lim.limit_skip(limits, (4096 - 20 - lim.SPARE_FILES, 0, 0), 20, 5, 100))
        self.assertIsNotNone(lim.limit_skip(limits, (4096 - 20 - lim.SPARE_FILES + 1, 0, 0), 20, 5, 100))
        self.assertEqual(lim.limit_skip(limits, (0, 0, 900), 20, 5, 100),
                         "needs 1016 threads and processes of this user (100 now, 900 for the batch), over RLIMIT_NPROC "
                         "1000; raise it: ulimit -u 2000, or a container's --ulimit nproc=2000")
        self.assertIsNone(lim.limit_skip((4096, 1000, False), (0, 0, 900), 20, 5, 100))  # root
        self.assertIsNone(lim.limit_skip((None, None, True), (10 ** 6, 10 ** 6, 10 ** 6), 20, 5, 100))

    def test_read_limits(self):
        nofile, nproc, _ = lim.read_limits()
        self.assertTrue(nofile is None or nofile > 0)
        self.assertTrue(nproc is None or nproc > 0)
        self.assertGreaterEqual(lim.open_files(), 3)
        if sys.platform.startswith("linux"):
            self.assertGreater(lim.user_threads(), 0)


if __name__ == "__main__":
    unittest.main()
