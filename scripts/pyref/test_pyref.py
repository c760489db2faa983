"""Self-tests of the Python reference suite (standard library unittest).

Run from the repository root:  python3 -m unittest discover -s scripts/pyref -t scripts/pyref -v
The golden checksums below were produced by package workloads (Go) with
workloads.Exec on the same tasks, so they pin the port to the Go kernels.
"""

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import concbench_py as cb  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MS = 1_000_000

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


class FakeLatencyServer:
    """The latency server's protocol in Python, for tests without Go: each
    20-byte request (delay ns u64 LE, size u32 LE, seed u64 LE) is answered
    with `size` deterministic bytes after `delay`."""

    def __init__(self):
        self.ln = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.addr = "127.0.0.1:%d" % self.ln.getsockname()[1]
        self.closed = False
        self.th = threading.Thread(target=self._accept, daemon=True)
        self.th.start()

    def _accept(self):
        while True:
            try:
                c, _ = self.ln.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        with c:
            while True:
                try:
                    req = cb.recv_exactly(c, 20)
                except (EOFError, OSError):
                    return
                d, n, seed = struct.unpack("<QIQ", req)
                time.sleep(d / 1e9)
                c.sendall(cb.fill(n, seed))

    def close(self):
        self.ln.close()


class KernelTest(unittest.TestCase):
    def test_mix64_and_fold_are_64_bit(self):
        for x in (0, 1, cb.M64, 1 << 63):
            self.assertLessEqual(cb.mix64(x), cb.M64)
            self.assertLessEqual(cb.fold(x, x), cb.M64)
            self.assertLessEqual(cb.op_seed(x, 7), cb.M64)

    def test_hash_buffer_digest(self):
        # pinned in workloads.TestHashBufferDigest
        self.assertEqual(len(cb.HASH_BUF), 64 << 10)
        self.assertEqual(hashlib.sha256(cb.HASH_BUF).hexdigest(),
                         "1f201af71fc78ccca91a44841e2198c57e3bd681464d61b4a976e6b48579075d")

    def test_unit_known_values(self):
        # pinned in workloads.TestUnitsKnownValues
        self.assertEqual(cb.unit(cb.HASH, 0, 1, 0), 0xC4933DC0A8931B93)
        self.assertEqual(cb.unit(cb.PRIMES, 0, 1, 0), 0x1BCF010010)

    def test_count_primes(self):
        # as workloads.TestCountPrimes
        for lo, hi, want in [(0, 2, 0), (0, 3, 1), (0, 10, 4), (0, 100, 25), (0, 1000, 168),
                             (1_000_000, 1_000_200, 16), (7919, 7920, 1)]:
            self.assertEqual(cb.count_primes(lo, hi), want, (lo, hi))

    def test_count_primes_same_divisions_as_go(self):
        # isPrime's loop runs while d*d <= x; ours runs to isqrt(x): equal for all x.
        for x in list(range(3, 2000, 2)) + [999_999_999_989, 1_000_003 ** 2, 1_000_003 ** 2 - 2]:
            d, go_iters = 3, 0
            while d * d <= x:
                go_iters += 1
                d += 2
            self.assertEqual(len(range(3, cb.math.isqrt(x) + 1, 2)), go_iters, x)


class EnvTest(unittest.TestCase):
    def test_host_port_picks_by_seed_as_go(self):
        # as workloads.TestPickAddr
        env = cb.Env("a:1,b:2,c:3")
        for seed, want in [(0, ("a", 1)), (1, ("b", 2)), (2, ("c", 3)), (3, ("a", 1)), (cb.M64, ("a", 1))]:
            self.assertEqual(env.host_port(seed), want, seed)
        self.assertEqual(cb.Env("127.0.0.1:9").host_port(12345), ("127.0.0.1", 9))
        with self.assertRaises(RuntimeError):
            cb.Env("").host_port(0)


class LimitsTest(unittest.TestCase):
    """As bench.TestCellNeed and bench.TestLimitSkip."""

    def test_cell_need(self):
        net = cb.generate("net", 10000, 1, wait_ns=MS, nbytes=100)
        sleep = cb.generate("sleep", 10000, 1, wait_ns=MS)
        file = cb.generate("file", 64, 1, nbytes=100)
        for model, tasks, cores, want in [
            ("py-seq", net, 2, (1, 1, 0)),
            ("py-threading", net, 2, (10000, 10000, 10000)),
            ("py-asyncio", net, 2, (10000, 10000, 0)),
            ("py-threadpool", net, 2, (6, 6, 6)),
            ("py-threadpool", net, 64, (32, 32, 32)),
            ("py-multiprocessing", net, 2, (2 * cb.FILES_PER_PROCESS, 2, 2)),
            ("py-processpool", sleep, 4, (4 * cb.FILES_PER_PROCESS, 0, 4)),
            ("py-threading", sleep, 2, (0, 0, 10000)),
            ("py-asyncio", sleep, 2, (0, 0, 0)),
            ("py-threading", file, 2, (64, 0, 64)),
        ]:
            self.assertEqual(cb.cell_need(model, tasks, cores), want, (model, len(tasks), cores))

    def test_limit_skip(self):
        lim = (4096, 1000, True)
        self.assertIsNone(cb.limit_skip(lim, (1000, 1000, 0), 20, 5, 100))
        self.assertEqual(cb.limit_skip(lim, (10000, 0, 0), 20, 5, 100),
                         "needs 10052 open files in this process (20 open, 10000 for the batch), over RLIMIT_NOFILE "
                         "4096; raise it: ulimit -n 12000, or a container's --ulimit nofile=12000")
        self.assertIn("needs 10037 open files in the latency server's process (10000 connections), over RLIMIT_NOFILE 4096",
                      cb.limit_skip(lim, (4000, 10000, 0), 20, 5, 100))
        self.assertIsNone(cb.limit_skip(lim, (4096 - 20 - cb.SPARE_FILES, 0, 0), 20, 5, 100))
        self.assertIsNotNone(cb.limit_skip(lim, (4096 - 20 - cb.SPARE_FILES + 1, 0, 0), 20, 5, 100))
        self.assertEqual(cb.limit_skip(lim, (0, 0, 900), 20, 5, 100),
                         "needs 1016 threads and processes of this user (100 now, 900 for the batch), over RLIMIT_NPROC "
                         "1000; raise it: ulimit -u 2000, or a container's --ulimit nproc=2000")
        self.assertIsNone(cb.limit_skip((4096, 1000, False), (0, 0, 900), 20, 5, 100))  # root
        self.assertIsNone(cb.limit_skip((None, None, True), (10 ** 6, 10 ** 6, 10 ** 6), 20, 5, 100))

    def test_read_limits(self):
        nofile, nproc, _ = cb.read_limits()
        self.assertTrue(nofile is None or nofile > 0)
        self.assertTrue(nproc is None or nproc > 0)
        self.assertGreaterEqual(cb.open_files(), 3)
        if sys.platform.startswith("linux"):
            self.assertGreater(cb.user_threads(), 0)


class GoldenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = FakeLatencyServer()
        cls.dir = tempfile.mkdtemp()
        cls.env = cb.Env(cls.server.addr, cls.dir, exact=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir)

    def check(self, name, tasks):
        got = [(t[1], cb.exec_task(self.env, t)) for t in tasks]
        self.assertEqual([(hex(a), hex(b)) for a, b in got], [(hex(a), hex(b)) for a, b in GOLDEN[name]])

    def test_tasks_checksums_equal_go(self):
        self.check("primes", cb.generate("primes", 3, 1, units=3))
        self.check("hash", cb.generate("hash", 3, 7, units=2))
        self.check("sleep", cb.generate("sleep", 2, 1, wait_ns=MS))
        self.check("net", cb.generate("net", 2, 1, wait_ns=MS, nbytes=1024))
        self.check("file", cb.generate("file", 2, 1, nbytes=100))

    def test_multi_op_and_sized_tasks(self):
        mix = (0, 99, [cb.op_compute(cb.PRIMES, 2), cb.op_sleep(MS), cb.op_compute(cb.PRIMES, 1)])
        self.assertEqual(cb.exec_task(self.env, mix), 0x8AABC79F6A0E4CAB)
        sized = (0, 5, [cb.op_compute(cb.PRIMES, 2, 50), cb.op_compute(cb.HASH, 2, 3000)])
        self.assertEqual(cb.exec_task(self.env, sized), 0x68A2BAC18355E900)

    def test_mix_keeps_the_time_split(self):
        tasks = cb.generate("mix", 4, 1, cpu_percent=50, nominal_ns=2 * MS, unit_cost_ns=300_000)
        ops = tasks[0][2]
        self.assertEqual([o[0] for o in ops], [cb.KIND_COMPUTE, cb.KIND_SLEEP, cb.KIND_COMPUTE])
        self.assertEqual(ops[0][2] + ops[2][2], 3)  # round(1 ms / 300 µs)
        self.assertEqual(ops[1][4], MS)
        self.assertEqual({ops[0][3], ops[2][3]}, {cb.MIX_UNIT_SIZE})
        # a unit dearer than the compute share still computes once, sleep first
        ops = cb.generate("mix", 1, 1, cpu_percent=10, nominal_ns=2 * MS, unit_cost_ns=900_000)[0][2]
        self.assertEqual([o[0] for o in ops], [cb.KIND_SLEEP, cb.KIND_COMPUTE])


def small_batch(kind, n=6):
    if kind == "primes":
        return cb.generate("primes", n, 3, units=2)
    if kind == "hash":
        return cb.generate("hash", n, 3, units=3)
    if kind == "sleep":
        return cb.generate("sleep", n, 3, wait_ns=20 * MS)
    if kind == "net":
        return cb.generate("net", n, 3, wait_ns=5 * MS, nbytes=1024)
    if kind == "file":
        return cb.generate("file", n, 3, nbytes=4096)
    if kind == "mix":
        return cb.generate("mix", n, 3, cpu_percent=50, nominal_ns=2 * MS, unit_cost_ns=300_000)
    raise ValueError(kind)


class ModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = FakeLatencyServer()
        cls.dir = tempfile.mkdtemp()
        cls.env = cb.Env(cls.server.addr, cls.dir, exact=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir)

    def test_every_model_matches_seq(self):
        for kind in ("primes", "hash", "sleep", "net", "file", "mix"):
            tasks = small_batch(kind)
            want = [o[1] for o in cb.run_seq(self.env, tasks, 2)]
            for m in cb.MODEL_ORDER:
                with self.subTest(workload=kind, model=m):
                    ns, outs, cpu = cb.run_batch(m, self.env, tasks, 2)
                    self.assertEqual([o[0] for o in outs], [t[0] for t in tasks])
                    self.assertEqual([o[1] for o in outs], want)
                    for o in outs:
                        self.assertLessEqual(o[3], o[4])
                    self.assertGreater(ns, 0)
                    self.assertGreaterEqual(cpu, 0)

    def test_processes_are_real_and_bounded(self):
        tasks = small_batch("sleep", 6)
        for m in ("py-multiprocessing", "py-processpool"):
            with self.subTest(model=m):
                _, outs, _ = cb.run_batch(m, self.env, tasks, 2)
                pids = {o[2] for o in outs}
                self.assertNotIn(os.getpid(), pids)
                if m == "py-multiprocessing":
                    self.assertEqual(len(pids), len(tasks))  # a process per task
                    # at most 2 alive at once: no instant inside 3 task intervals
                    for o in outs:
                        inside = sum(1 for p in outs if p[3] <= o[3] < p[4])
                        self.assertLessEqual(inside, 2)
                else:
                    self.assertLessEqual(len(pids), 2)

    def test_threads_stay_in_process(self):
        tasks = small_batch("sleep", 3)
        for m in ("py-seq", "py-threading", "py-asyncio", "py-threadpool"):
            _, outs, _ = cb.run_batch(m, self.env, tasks, 2)
            self.assertEqual({o[2] for o in outs}, {os.getpid()}, m)

    def test_waits_overlap(self):
        tasks = small_batch("sleep", 8)  # 8 × 20 ms
        for m in ("py-threading", "py-asyncio", "py-threadpool"):
            ns, _, _ = cb.run_batch(m, self.env, tasks, 1)
            # threadpool at 1 core has 5 workers: two rounds
            self.assertLess(ns, 70 * MS, m)
        ns, _, _ = cb.run_batch("py-seq", self.env, tasks, 1)
        self.assertGreaterEqual(ns, 160 * MS)

    def test_asyncio_runs_compute_on_one_thread(self):
        seen = set()
        orig = cb.compute_op

        def spy(op, seed):
            seen.add(threading.get_ident())
            return orig(op, seed)

        cb.compute_op = spy
        try:
            cb.run_asyncio(self.env, small_batch("mix", 4), 2)
        finally:
            cb.compute_op = orig
        self.assertEqual(len(seen), 1)

    def test_failures_name_the_task(self):
        dead = socket.create_server(("127.0.0.1", 0))
        addr = "127.0.0.1:%d" % dead.getsockname()[1]
        dead.close()  # nobody listens there now
        env = cb.Env(addr, self.dir)
        tasks = cb.generate("net", 3, 1, wait_ns=MS, nbytes=10)
        for m in cb.MODEL_ORDER:
            with self.subTest(model=m):
                t0 = time.monotonic()
                with self.assertRaises(cb.TaskError) as cm:
                    cb.run_batch(m, env, tasks, 2)
                self.assertRegex(str(cm.exception), r"task \d")
                self.assertLess(time.monotonic() - t0, 10)

    def test_dead_process_is_an_error(self):
        task = (0, 1, [cb.op_sleep(MS)])
        orig = cb.exec_task
        cb.exec_task = lambda env, t: os._exit(3)  # inherited by the fork
        try:
            with self.assertRaises(cb.TaskError) as cm:
                cb.run_multiprocessing(self.env, [task], 1, cb.multiprocessing.get_context("fork"))
        finally:
            cb.exec_task = orig
        self.assertIn("task 0", str(cm.exception))
        self.assertIn("died", str(cm.exception))


LINE = re.compile(r"^(Benchmark\S+)\t *1\t *(\d+) ns/op\t *([\d.e+]+) tasks/s\t *([\d.e+-]+) p50-ms"
                  r"\t *([\d.e+-]+) p99-ms\t *([\d.e+-]+) cpu-util$")


class OutputTest(unittest.TestCase):
    def run_main(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cb.main(list(args))
        return code, out.getvalue()

    def test_lines_are_benchfmt(self):
        code, out = self.run_main("--profile", "smoke", "--cores", "2", "--count", "2",
                                  "--bench", "workload=sleep/tasks=10/model=py-(asyncio|seq)$")
        self.assertEqual(code, 0)
        lines = out.splitlines()
        cfg = dict(l.split(": ", 1) for l in lines if re.match(r"^[a-z][a-z0-9-]*: ", l))
        for k in ("python-version", "python-impl", "gil", "cores", "affinity", "profile", "unit-ns-primes-py",
                  "nofile", "nproc"):
            self.assertIn(k, cfg)
        self.assertIn(cfg["gil"], ("enabled", "disabled"))
        self.assertEqual(cfg["cores"], "2")
        self.assertRegex(cfg["nofile"], r"^(\d+|unlimited)$")
        self.assertRegex(cfg["nproc"], r"^(\d+|unlimited)$")
        res = [LINE.match(l) for l in lines if l.startswith("Benchmark")]
        self.assertEqual(len(res), 4, out)
        self.assertTrue(all(res), out)
        names = sorted({m.group(1) for m in res})
        self.assertEqual(names, ["BenchmarkFanout/workload=sleep/tasks=10/model=py-asyncio-2",
                                 "BenchmarkFanout/workload=sleep/tasks=10/model=py-seq-2"])
        for m in res:
            ns = int(m.group(2))
            self.assertGreater(ns, 10 * MS)
            self.assertAlmostEqual(float(m.group(3)), 10 / (ns / 1e9), delta=0.01 * 10 / (ns / 1e9))

    def test_no_suffix_at_one_core_and_skip_lines(self):
        code, out = self.run_main("--cores", "1", "--no-config",
                                  "--bench", "workload=sleep/tasks=10000/model=py-seq$")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^--- SKIP: BenchmarkFanout/workload=sleep/tasks=10000/model=py-seq: "
                              r"predicted 100s per batch .*> 5s limit\n$")

    def test_net_without_address_is_skipped(self):
        code, out = self.run_main("--cores", "2", "--no-config", "--addr", "",
                                  "--bench", "BenchmarkCores/workload=net/model=py-seq$")
        self.assertEqual(code, 0)
        self.assertEqual(out, "--- SKIP: BenchmarkCores/workload=net/model=py-seq-2: "
                              "no latency server address (--addr)\n")

    def test_unit_ns_fixes_the_mix_tasks(self):
        code, out = self.run_main("--unit-ns", "hash=40000,primes=350000,primes20=50000", "--calibrate")
        self.assertEqual((code, out), (0, "hash=40000,primes=350000,primes20=50000\n"))
        self.assertEqual(cb.unit_cost(cb.PRIMES, cb.PRIMES_WINDOW), 350000)
        c = [c for c in cb.matrix() if c["workload"] == "mix50"][0]
        ops = cb.cell_tasks(c)[0][2]
        self.assertEqual(ops[0][2] + ops[2][2], 20)  # 1 ms / 50 µs
        cb._costs.clear()

    def test_print_matrix(self):
        code, out = self.run_main("--print-matrix")
        self.assertEqual(code, 0)
        m = json.loads(out)
        self.assertEqual(m["models"], ["py-seq", "py-threading", "py-asyncio", "py-threadpool",
                                       "py-multiprocessing", "py-processpool"])
        cells = {(c["bench"], c["workload"], c["tasks"]): c for c in m["cells"]}
        self.assertEqual(cells[("BenchmarkCores", "primes", 64)]["units"], 64)
        self.assertEqual(cells[("BenchmarkCores", "hash", 64)]["units"], 40)
        self.assertEqual(cells[("BenchmarkCores", "sleep", 64)]["wait_ns"], 5 * MS)
        self.assertEqual(cells[("BenchmarkCores", "net", 64)]["bytes"], 1024)
        self.assertEqual(cells[("BenchmarkCores", "mix50", 64)]["nominal_ns"], 2 * MS)
        self.assertEqual(sorted(n for b, w, n in cells if b == "BenchmarkFanout" and w == "net"),
                         [1, 10, 100, 1000, 10000])
        smoke = json.loads(self.run_main("--print-matrix", "--profile", "smoke")[1])
        self.assertLess(len(smoke["cells"]), len(m["cells"]))


@unittest.skipUnless(shutil.which("go") and os.path.exists(os.path.join(REPO, "go.mod")),
                     "needs go and the concbench repository")
class RealServerTest(unittest.TestCase):
    """Against concbench's own latency server (go run ./cmd/concbench latency-server)."""

    def test_net_checksums_equal_go(self):
        proc = subprocess.Popen(["go", "run", "./cmd/concbench", "latency-server"], cwd=REPO,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            addr = proc.stdout.readline().decode().strip()
            self.assertRegex(addr, r"^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*$")
            env = cb.Env(addr, None, exact=True)
            got = [(t[1], cb.exec_task(env, t)) for t in cb.generate("net", 2, 1, wait_ns=MS, nbytes=1024)]
            self.assertEqual(got, GOLDEN["net"])
            tasks = cb.generate("net", 4, 1, wait_ns=MS, nbytes=1024)
            want = [o[1] for o in cb.run_seq(env, tasks, 2)]
            self.assertEqual([o[1] for o in cb.run_asyncio(env, tasks, 2)], want)
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
            proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
