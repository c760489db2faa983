"""Tasks: the same checksums as Go's workloads.Exec on the same tasks.

The golden checksums below were produced by package workloads (Go) with
workloads.Exec on the same tasks, so they pin the port to the Go kernels.
Go builds the batches the suite runs; bench's TestPythonChecksumsMatchGo
checks every one of them against Go's checksums.
"""

import shutil
import tempfile
import unittest
import zlib

from pyref_testing import MS, FakeLatencyServer, batch
from concbench_py import kernels, tasks

# (task seed, checksum) from workloads.Exec, see the module docstring.
GOLDEN = {
    "primes": [(0x910A2DEC89025CC1, 0x1ACD9FE44FB1FAA1), (0x975835DE1C9756CE, 0x75AD7BBCA40DBCE6),
               (0x1D0B14E4DB018FED, 0xDE2371A5AD6C1473)],                      # Generate(primes, 3 tasks, seed 1, 3 units)
    "hash": [(0x63CBE1E459320DD7, 0xD85E70AE58B92B85), (0x9E5651B0EF953636, 0xB55D125AF6A3C5F8),
             (0xAEAF52FEBE706064, 0xCE3D69B40D63A8AB)],                        # Generate(hash, 3 tasks, seed 7, 2 units)
    "sleep": [(0x910A2DEC89025CC1, 0x76891C788E18E6B4), (0x975835DE1C9756CE, 0x24E792D600E00AFD)],  # 1 ms
    "net": [(0x910A2DEC89025CC1, 0x092008FB82CD1C55), (0x975835DE1C9756CE, 0x6CEF222E513E142B)],   # 1 ms, 1024 B
    "file": [(0x910A2DEC89025CC1, 0xE91771879E0CA889), (0x975835DE1C9756CE, 0x6C3E158BA3A4FB1B)],  # 100 B
}


class EnvTest(unittest.TestCase):
    def test_host_port_picks_by_seed_as_go(self):
        # as workloads.TestPickAddr
        env = tasks.Env("a:1,b:2,c:3")
        for seed, want in [(0, ("a", 1)), (1, ("b", 2)), (2, ("c", 3)), (3, ("a", 1)), (kernels.M64, ("a", 1))]:
            self.assertEqual(env.host_port(seed), want, seed)
        self.assertEqual(tasks.Env("127.0.0.1:9").host_port(12345), ("127.0.0.1", 9))
        with self.assertRaises(RuntimeError):
            tasks.Env("").host_port(0)


class GoldenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = FakeLatencyServer()
        cls.dir = tempfile.mkdtemp()
        cls.env = tasks.Env(cls.server.addr, cls.dir, exact=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir)

    def check(self, name, op):
        # The golden tasks, by their seeds, each of the one op.
        got = [(seed, tasks.exec_task(self.env, (i, seed, [op]))) for i, (seed, _) in enumerate(GOLDEN[name])]
        self.assertEqual([(hex(a), hex(b)) for a, b in got], [(hex(a), hex(b)) for a, b in GOLDEN[name]])

    def test_tasks_checksums_equal_go(self):
        self.check("primes", tasks.op_compute(kernels.PRIMES, 3))
        self.check("hash", tasks.op_compute(kernels.HASH, 2))
        self.check("sleep", tasks.op_sleep(MS))
        self.check("net", tasks.op_net(MS, 1024))
        self.check("file", tasks.op_file(100))

    def test_multi_op_and_sized_tasks(self):
        mix = (0, 99, [tasks.op_compute(kernels.PRIMES, 2), tasks.op_sleep(MS), tasks.op_compute(kernels.PRIMES, 1)])
        self.assertEqual(tasks.exec_task(self.env, mix), 0x8AABC79F6A0E4CAB)
        sized = (0, 5, [tasks.op_compute(kernels.PRIMES, 2, 50), tasks.op_compute(kernels.HASH, 2, 3000)])
        self.assertEqual(tasks.exec_task(self.env, sized), 0x68A2BAC18355E900)

    def test_gzip_task_folds_its_units(self):
        # Go's fold of CPython's gzip values: what Generate(gzip, seed 7, 2
        # units) gives here; Go's own checksums differ (see test_kernels).
        t = (0, GOLDEN["hash"][0][0], [tasks.op_compute(kernels.GZIP, 2)])  # Generate(gzip, 1 task, seed 7, 2 units)
        s = kernels.op_seed(t[1], 0)
        v = kernels.unit_fold(kernels.unit_fold(0, kernels.unit(kernels.GZIP, 0, s, 0)),
                              kernels.unit(kernels.GZIP, 0, s, 1))
        self.assertEqual(tasks.exec_task(self.env, t), kernels.fold(kernels.task_start(t[1]), v))
        self.assertEqual(tasks.exec_task(self.env, t), 0x93CE3C8C20973E99)

    def test_input_and_output(self):
        # Task.StartSum folds the input's CRC-32 first; the output is Payload
        inp = kernels.payload(70000)
        self.assertEqual(inp[:kernels.HASH_BUF_SIZE], kernels.hash_buf())
        self.assertEqual(inp[kernels.HASH_BUF_SIZE:], kernels.hash_buf()[:70000 - kernels.HASH_BUF_SIZE])
        t = (0, 5, [tasks.op_compute(kernels.PRIMES, 1)], inp, 100)
        plain = tasks.exec_task(self.env, t[:3])
        v, out = tasks.run_task(self.env, t)
        self.assertNotEqual(v, plain)
        self.assertEqual(tasks.start_sum(t), kernels.fold(kernels.task_start(5), zlib.crc32(inp)))
        self.assertEqual(out, kernels.payload(100))
        self.assertEqual(tasks.run_task(self.env, t[:3]), (plain, None))

    def test_empty_tasks_start_the_checksum(self):
        # an empty task (BenchmarkOverhead's) yields Start(seed)
        self.assertEqual([tasks.exec_task(self.env, t) for t in batch([], 3)],
                         [kernels.task_start(3000 + i) for i in range(3)])

if __name__ == "__main__":
    unittest.main()
