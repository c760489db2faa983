"""The models: their names and counterparts, and that each runs the tasks
as its approach does (every model returns py-seq's checksums)."""

import concurrent.futures
import contextlib
import multiprocessing
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import unittest
import warnings

from pyref_testing import MS, POOL_MAX, POOL_EXTRA, FakeLatencyServer, small_batch
from concbench_py import measure, models, tasks
from concbench_py.models import Model, TaskError, build_models

HAS_INTERP_POOL = models.interpreter_pool_missing() is None
NEEDS_314 = "InterpreterPoolExecutor needs Python >= 3.14; this is %d.%d" % sys.version_info[:2]
VERSION = "%d.%d" % sys.version_info[:2]


@contextlib.contextmanager
def gil(enabled):
    """Make sys._is_gil_enabled() say enabled, as a free-threaded build
    would, and put it back."""
    had = hasattr(sys, "_is_gil_enabled")
    saved = getattr(sys, "_is_gil_enabled", None)
    sys._is_gil_enabled = lambda: enabled
    try:
        yield
    finally:
        if had:
            sys._is_gil_enabled = saved
        else:
            del sys._is_gil_enabled


class NamingTest(unittest.TestCase):
    def test_tags(self):
        with gil(True):
            self.assertEqual(models.python_tag(), VERSION)
            self.assertEqual(Model("py-seq").name, "py-seq@" + VERSION)
        with gil(False):
            self.assertEqual(models.python_tag(), VERSION + "t")
            self.assertEqual(Model("py-threading").name, "py-threading@%st" % VERSION)
            self.assertEqual(Model("py-processpool", "spawn").name, "py-processpool@%st-spawn" % VERSION)

    def test_start_method_in_process_names_only(self):
        with gil(True):
            for approach, method, want in [
                ("py-multiprocessing", "fork", "py-multiprocessing@%s-fork"),
                ("py-processpool", "forkserver", "py-processpool@%s-forkserver"),
                ("py-processpool", "spawn", "py-processpool@%s-spawn"),
                ("py-threadpool", None, "py-threadpool@%s"),
                ("py-interpreterpool", None, "py-interpreterpool@%s"),
            ]:
                self.assertEqual(Model(approach, method).name, want % VERSION)
        with self.assertRaises(ValueError):
            Model("py-threadpool", "fork")
        with self.assertRaises(ValueError):
            Model("py-processpool")
        with self.assertRaises(ValueError):
            Model("py-nothing")

    def test_counterparts_follow_the_gil(self):
        with gil(True):
            self.assertEqual({a: models.counterpart(a) for a in models.APPROACHES}, {
                "py-seq": "seq", "py-threading": "gil-threads", "py-asyncio": "eventloop",
                "py-threadpool": "gil-pool", "py-interpreterpool": "interp-pool",
                "py-multiprocessing": "procs", "py-processpool": "procpool"})
        with gil(False):
            self.assertEqual(models.counterpart("py-threading"), "goroutines")
            self.assertEqual(models.counterpart("py-threadpool"), "pool")
            self.assertEqual(models.counterpart("py-interpreterpool"), "interp-pool")
            self.assertEqual(models.counterpart("py-processpool"), "procpool")


class PoolSizeTest(unittest.TestCase):
    def test_pool_size_comes_from_go(self):
        # pyref_testing set it as Go hands it over: min(32, cores + 4).
        self.assertEqual([models.threadpool_workers(c) for c in (1, 2, 28, 64)], [5, 6, 32, 32])
        try:
            models.set_pool_size(8, 1)
            self.assertEqual([models.threadpool_workers(c) for c in (1, 2, 28, 64)], [2, 3, 8, 8])
        finally:
            models.set_pool_size(POOL_MAX, POOL_EXTRA)


class BuildModelsTest(unittest.TestCase):
    def test_default_is_every_approach_here_with_the_default_method(self):
        ms, notes = build_models()
        self.assertEqual(notes, [])
        m = models.default_start_method()
        want = ["py-seq", "py-threading", "py-asyncio", "py-threadpool"] + \
            (["py-interpreterpool"] if HAS_INTERP_POOL else []) + \
            ["py-multiprocessing@%s-%s" % (VERSION, m), "py-processpool@%s-%s" % (VERSION, m)]
        self.assertEqual([x.name if x.method else x.approach for x in ms], want)

    def test_each_process_model_once_per_method(self):
        methods = [m for m in ("spawn", "fork") if m in multiprocessing.get_all_start_methods()]
        ms, _ = build_models(["py-processpool", "py-seq", "py-multiprocessing"], methods)
        self.assertEqual([(x.approach, x.method) for x in ms],
                         [("py-seq", None)] + [("py-multiprocessing", m) for m in methods] +
                         [("py-processpool", m) for m in methods])

    def test_errors(self):
        for approaches, methods, want in [
            (["py-nothing"], None, "unknown model 'py-nothing'"),
            (None, ["nomethod"], "start method 'nomethod' is not available here"),
            (None, ["spawn", "spawn"], "each once"),
        ]:
            with self.assertRaises(ValueError) as cm:
                build_models(approaches, methods)
            self.assertIn(want, str(cm.exception))

    def test_interpreter_pool_asked_for(self):
        ms, notes = build_models(["py-seq", "py-interpreterpool"])
        if HAS_INTERP_POOL:
            self.assertEqual([m.approach for m in ms], ["py-seq", "py-interpreterpool"])
            self.assertEqual(notes, [])
        else:
            self.assertEqual([m.approach for m in ms], ["py-seq"])
            self.assertEqual(len(notes), 1)
            self.assertRegex(notes[0], r"py-interpreterpool needs concurrent\.futures\.InterpreterPoolExecutor "
                                       r"\(Python >= 3\.14\); this is Python 3\.\d+\.\d+; left out of this run")


class ModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # 3.12+ warns of fork() beside threads: the fake latency server's
        # here, which a forked child never touches.
        warnings.filterwarnings("ignore", r"This process .* is multi-threaded, use of fork\(\)", DeprecationWarning)
        cls.server = FakeLatencyServer()
        cls.dir = tempfile.mkdtemp()
        cls.env = tasks.Env(cls.server.addr, cls.dir, exact=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir)

    def test_every_model_matches_seq(self):
        ms, _ = build_models()
        for kind in ("primes", "hash", "gzip", "sleep", "net", "file", "mix", "empty", "payload"):
            batch = small_batch(kind)
            want = [o[1] for o in models.run_seq(self.env, batch, 2)]
            for m in ms:
                with self.subTest(workload=kind, model=m.name):
                    ns, outs, cpu = measure.run_batch(m, self.env, batch, 2)
                    self.assertEqual([o[0] for o in outs], [t[0] for t in batch])
                    self.assertEqual([o[1] for o in outs], want)
                    for o in outs:
                        self.assertLessEqual(o[3], o[4])
                    self.assertGreater(ns, 0)
                    self.assertGreaterEqual(cpu, 0)

    def test_every_start_method_matches_seq(self):
        batch = small_batch("primes", 4)
        want = [o[1] for o in models.run_seq(self.env, batch, 2)]
        ms, _ = build_models(["py-multiprocessing", "py-processpool"], multiprocessing.get_all_start_methods())
        for m in ms:
            with self.subTest(model=m.name):
                _, outs, cpu = measure.run_batch(m, self.env, batch, 2)
                self.assertEqual([o[1] for o in outs], want)
                self.assertNotIn(os.getpid(), {o[2] for o in outs})
                # the workers' compute is counted, forkserver's children too
                self.assertGreater(cpu, 0.5 * sum(o[4] - o[3] for o in outs) / 1e9 / 4, m.name)

    def test_processes_are_real_and_bounded(self):
        batch = small_batch("sleep", 6)
        for m in build_models(["py-multiprocessing", "py-processpool"])[0]:
            with self.subTest(model=m.name):
                _, outs, _ = measure.run_batch(m, self.env, batch, 2)
                pids = {o[2] for o in outs}
                self.assertNotIn(os.getpid(), pids)
                if m.approach == "py-multiprocessing":
                    self.assertEqual(len(pids), len(batch))  # a process per task
                    # at most 2 alive at once: no instant inside 3 task intervals
                    for o in outs:
                        inside = sum(1 for p in outs if p[3] <= o[3] < p[4])
                        self.assertLessEqual(inside, 2)
                else:
                    self.assertLessEqual(len(pids), 2)

    def test_threads_stay_in_process(self):
        batch = small_batch("sleep", 3)
        for m in build_models(["py-seq", "py-threading", "py-asyncio", "py-threadpool", "py-interpreterpool"])[0]:
            _, outs, _ = measure.run_batch(m, self.env, batch, 2)
            self.assertEqual({o[2] for o in outs}, {os.getpid()}, m.name)

    def test_waits_overlap(self):
        batch = small_batch("sleep", 8)  # 8 × 20 ms
        for m in build_models(["py-threading", "py-asyncio", "py-threadpool"])[0]:
            ns, _, _ = measure.run_batch(m, self.env, batch, 1)
            # threadpool at 1 core has 5 workers: two rounds
            self.assertLess(ns, 70 * MS, m.name)
        ns, _, _ = measure.run_batch(Model("py-seq"), self.env, batch, 1)
        self.assertGreaterEqual(ns, 160 * MS)

    def test_asyncio_runs_compute_on_one_thread(self):
        seen = set()
        orig = tasks.compute_op

        def spy(op, seed):
            seen.add(threading.get_ident())
            return orig(op, seed)

        tasks.compute_op = spy
        try:
            models.run_asyncio(self.env, small_batch("mix", 4), 2)
        finally:
            tasks.compute_op = orig
        self.assertEqual(len(seen), 1)

    def test_failures_name_the_task(self):
        dead = socket.create_server(("127.0.0.1", 0))
        addr = "127.0.0.1:%d" % dead.getsockname()[1]
        dead.close()  # nobody listens there now
        env = tasks.Env(addr, self.dir)
        batch = small_batch("net", 3)
        for m in build_models()[0]:
            with self.subTest(model=m.name):
                t0 = time.monotonic()
                with self.assertRaises(TaskError) as cm:
                    measure.run_batch(m, env, batch, 2)
                self.assertRegex(str(cm.exception), r"task \d")
                self.assertLess(time.monotonic() - t0, 30)

    def test_dead_process_is_an_error(self):
        task = (0, 1, [tasks.op_sleep(MS)])
        orig = tasks.exec_task
        tasks.exec_task = lambda env, t: os._exit(3)  # inherited by the fork
        try:
            with self.assertRaises(TaskError) as cm:
                models.run_multiprocessing(self.env, [task], 1, multiprocessing.get_context("fork"))
        finally:
            tasks.exec_task = orig
        self.assertIn("task 0", str(cm.exception))
        self.assertIn("died", str(cm.exception))


@unittest.skipUnless(HAS_INTERP_POOL, NEEDS_314)
class InterpreterPoolTest(unittest.TestCase):
    """py-interpreterpool: InterpreterPoolExecutor, each worker a thread
    running its own interpreter, in this process."""

    @classmethod
    def setUpClass(cls):
        cls.server = FakeLatencyServer()
        cls.dir = tempfile.mkdtemp()
        cls.env = tasks.Env(cls.server.addr, cls.dir, exact=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir)

    def test_runs_in_this_process(self):
        m = Model("py-interpreterpool")
        self.assertEqual(m.counterpart, "interp-pool")
        _, outs, _ = measure.run_batch(m, self.env, small_batch("sleep", 4), 1)
        self.assertEqual({o[2] for o in outs}, {os.getpid()})
        # Its workers are distinct threads, all started: StartTest.

    def test_runs_in_other_interpreters(self):
        # The worker's modules are imported afresh in each interpreter: a
        # change to this interpreter's tasks module does not reach them.
        orig = tasks.exec_task
        tasks.exec_task = lambda env, t: 42
        try:
            _, outs, _ = measure.run_batch(Model("py-interpreterpool"), self.env, small_batch("primes", 2), 2)
        finally:
            tasks.exec_task = orig
        self.assertNotIn(42, [o[1] for o in outs])


class StartTest(unittest.TestCase):
    """BenchmarkStart: one op starts every worker of a pool."""

    def test_pools_start_every_worker(self):
        approaches = ["py-threadpool", "py-processpool"] + (["py-interpreterpool"] if HAS_INTERP_POOL else [])
        for m in build_models(approaches, multiprocessing.get_all_start_methods())[0]:
            with self.subTest(model=m.name):
                ns, k = measure.start_pool(m, 2)
                self.assertEqual(k, 2 if m.is_process else 6)
                self.assertGreater(ns, 0)

    def test_a_worker_that_never_starts_is_an_error(self):
        def short(k, timeout):  # a thread pool one worker short of its barrier
            barrier = threading.Barrier(k)
            with concurrent.futures.ThreadPoolExecutor(max_workers=k - 1) as ex:
                return 0, [f.result() for f in [ex.submit(barrier.wait, timeout) for _ in range(k)]]

        orig = measure._start_threadpool
        measure._start_threadpool = short
        try:
            with self.assertRaises(TaskError) as cm:
                measure.start_pool(Model("py-threadpool"), 2, timeout=0.2)
        finally:
            measure._start_threadpool = orig
        self.assertIn("pool start: not all 6 workers started within 0.2s", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
