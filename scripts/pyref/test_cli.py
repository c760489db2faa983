"""The command line: the cells Go hands over, the settings, benchfmt and config lines, the costs."""

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from pyref_testing import MS, REPO, SMOKE, STANDARD, batch, small_batch, task_set, write_task_set
from concbench_py import cli, kernels, matrix, models, settings, tasks

LINE = re.compile(r"^(Benchmark\S+)\t *1\t *(\d+) ns/op\t *([\d.e+]+) tasks/s\t *([\d.e+-]+) p50-ms"
                  r"\t *([\d.e+-]+) p99-ms\t *([\d.e+-]+) cpu-util$")
START_LINE = re.compile(r"^(BenchmarkStart/model=\S+)\t *1\t *(\d+) ns/op\t *(\d+) workers$")
TAG = models.python_tag()


def run_main(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


class TasksFileTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.models = models.build_models(["py-seq", "py-threadpool"])[0]

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_reads_what_go_hands_over(self):
        mix = small_batch("mix", 2)
        ts = matrix.parse(json.dumps(task_set([("BenchmarkCores/workload=mix50", mix), ("BenchmarkStart", None)],
                                              self.models, 2, predict={"BenchmarkCores/workload=mix50": 0.25})))
        self.assertEqual((ts.profile, ts.cores, ts.max_op), ("smoke", 2, 5.0))
        self.assertEqual(ts.unit_ns(), "gzip=45000,hash=40000,primes=350000,primes20=35000")
        c, start = ts.cells
        self.assertEqual(c.batch, mix)
        self.assertEqual(c.predict, {"py-seq@" + TAG: 0.25, "py-threadpool@" + TAG: 0.25})
        self.assertEqual(c.result_name("py-seq@" + TAG, 2), "BenchmarkCores/workload=mix50/model=py-seq@%s-2" % TAG)
        self.assertEqual(c.result_name("py-seq@" + TAG, 1), "BenchmarkCores/workload=mix50/model=py-seq@" + TAG)
        self.assertFalse(c.start or c.uses_net())
        self.assertTrue(start.start)
        self.assertEqual([start.applies(m) for m in self.models], [False, True])  # the pools only
        self.assertIsNone(ts.check_run(TAG, 2, self.models))

    def test_a_set_is_for_one_interpreter_cores_and_models(self):
        ts = matrix.parse(json.dumps(task_set([("BenchmarkOverhead", batch([], 2))], self.models[:1], 2)))
        self.assertEqual(ts.check_run(TAG, 2, self.models),
                         "no predictions for py-threadpool@%s: build it from this run's --costs, with the same "
                         "--models and --start-methods" % TAG)
        self.assertEqual(ts.check_run(TAG, 4, self.models[:1]),
                         "built for 2 cores, this run has 4 (concbench describe -cores)")
        self.assertEqual(ts.check_run("2.7", 2, self.models[:1]), "built for Python %s, this is 2.7" % TAG)

    def test_errors_name_the_file_and_cell(self):
        good = task_set([("BenchmarkCores/workload=sleep", small_batch("sleep", 1))], self.models, 2)
        bad_op = json.loads(json.dumps(good))
        bad_op["cells"][0]["tasks"][0]["ops"][0] = {"op": "fly"}
        bad_kernel = json.loads(json.dumps(good))
        bad_kernel["cells"][0]["tasks"][0]["ops"][0] = {"op": "compute", "kernel": "zlib", "units": 1}
        negative = json.loads(json.dumps(good))
        negative["cells"][0]["tasks"][0]["ops"][0]["ns"] = -5
        no_cells = dict(good, cells=[])
        no_profile = {k: v for k, v in good.items() if k != "profile"}
        for text, want in [
            ("{", "f.json: Expecting property name"),
            (json.dumps(bad_op), "f.json: cell BenchmarkCores/workload=sleep: unknown op 'fly'"),
            (json.dumps(bad_kernel), "f.json: cell BenchmarkCores/workload=sleep: unknown kernel 'zlib'"),
            (json.dumps(negative), "f.json: cell BenchmarkCores/workload=sleep: ns=-5: want a non-negative integer"),
            (json.dumps(no_cells), "f.json: no cells"),
            (json.dumps(no_profile), "f.json: no 'profile' (is it the output of concbench describe -tasks?)"),
        ]:
            with self.assertRaises(matrix.TasksError, msg=want) as cm:
                matrix.parse(text, "f.json")
            self.assertIn(want, str(cm.exception))
        with self.assertRaises(matrix.TasksError) as cm:
            matrix.load("/nonexistent/tasks.json")
        self.assertIn("--tasks /nonexistent/tasks.json: No such file", str(cm.exception))

    def test_cells_need_tasks(self):
        code, out, err = run_main("--bench", "Overhead")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--tasks FILE is needed", err)
        self.assertIn("concbench describe -profile P -cores N -tasks -python COSTS", err)
        code, out, err = run_main("--tasks", "/nonexistent", "--bench", "Overhead")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--tasks /nonexistent: No such file", err)
        path = write_task_set(self.dir, [("BenchmarkOverhead", batch([], 2))], self.models, 2)
        code, out, err = run_main("--tasks", path, "--cores", "4", "--models", "py-seq,py-threadpool")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("built for 2 cores, this run has 4", err)
        # what needs no cells runs without them
        self.assertEqual(run_main("--print-tag")[:2], (0, TAG + "\n"))

    def test_checksums(self):
        b = small_batch("primes", 3) + [(3, 9, [])]
        path = write_task_set(self.dir, [("BenchmarkCores/workload=primes", b), ("BenchmarkStart", None)],
                              self.models, 2)
        code, out, _ = run_main("--tasks", path, "--checksums")
        self.assertEqual(code, 0)
        env = tasks.Env()
        self.assertEqual(json.loads(out), {"BenchmarkCores/workload=primes": [tasks.exec_task(env, t) for t in b]})


class SettingsTest(unittest.TestCase):
    def test_reads_describe_output(self):
        st = settings.load(STANDARD)
        self.assertEqual((st.name, st.rounds, st.tasks, st.max_fanout, st.max_op, st.overhead_tasks),
                         ("standard", 3, 64, 10000, 5.0, 64))
        self.assertEqual(st.raw["rounds"], "5")  # Go's own keys are kept, unread
        smoke = settings.load(SMOKE)
        self.assertEqual((smoke.tasks, smoke.max_fanout, smoke.overhead_tasks), (16, 10, 16))

    def test_durations_as_go_writes_them(self):
        for s, want in [("5s", 5.0), ("20s", 20.0), ("1m30s", 90.0), ("200ms", 0.2), ("1.5s", 1.5),
                        ("0s", 0.0), ("0", 0.0), ("1h", 3600.0), ("10µs", 1e-5), ("3us", 3e-6)]:
            self.assertAlmostEqual(settings.parse_duration(s), want, msg=s)
        for s in ("", "5", "s", "5 s", "5x", "1m30", "-5s"):
            with self.assertRaises(ValueError, msg=s):
                settings.parse_duration(s)

    def test_errors_name_the_file_and_line(self):
        with open(SMOKE) as f:
            good = f.read()
        for text, want in [
            (good.replace("py-tasks=16", "py-tasks"), "f.txt:6: 'py-tasks' is not key=value"),
            (good.replace("py-tasks=16", "py-tasks=x"), "f.txt:6: py-tasks=x: invalid literal"),
            (good.replace("py-tasks=16", "py-tasks=0"), "f.txt:6: py-tasks=0: want a positive integer"),
            (good.replace("py-max-op=5s", "py-max-op=5"), "f.txt:8: py-max-op=5: '5' is not a duration"),
            (good.replace("py-max-op=5s", "py-max-op=0s"), "f.txt:8: py-max-op=0s: want a positive duration"),
            (good + "py-tasks=3\n", "f.txt:12: py-tasks given twice (first at line 6)"),
            (good.replace("py-overhead-tasks=16\n", ""), "f.txt: no py-overhead-tasks (is it the output of "
                                                         "concbench describe -profile NAME -settings?)"),
            ("", "f.txt: no name, py-rounds, py-tasks, py-max-fanout, py-overhead-tasks, py-pool-max, py-pool-extra, "
                 "py-max-op"),
        ]:
            with self.assertRaises(settings.SettingsError) as cm:
                settings.parse(text, "f.txt")
            self.assertIn(want, str(cm.exception))
        with self.assertRaises(settings.SettingsError) as cm:
            settings.load("/nonexistent/settings.txt")
        self.assertIn("--settings /nonexistent/settings.txt: No such file", str(cm.exception))

    @unittest.skipUnless(os.path.isdir(os.path.join(REPO, "cmd", "concbench", "testdata")),
                         "needs the concbench repository")
    def test_testdata_is_go_s(self):
        # The copies here are concbench describe -profile NAME -settings, whose
        # goldens live with the command: a profile changed in Go shows here.
        for name, path in [("smoke", SMOKE), ("standard", STANDARD)]:
            golden = os.path.join(REPO, "cmd", "concbench", "testdata", "describe-settings-%s.stdout" % name)
            with open(golden) as g, open(path) as f:
                self.assertEqual(f.read(), g.read(), "%s is not %s" % (path, golden))

    def test_func_needs_settings(self):
        code, out, err = run_main("--func", "json:dumps")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--func needs --settings FILE", err)
        self.assertIn("concbench describe -profile NAME -settings", err)
        code, out, err = run_main("--settings", "/nonexistent", "--func", "json:dumps")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--settings /nonexistent: No such file", err)


class OutputTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def handed(self, cells, approaches=None, methods=None, cores=2, **kw):
        """A set for the models --models approaches --start-methods methods
        would run, written to a file; its path."""
        ms = models.build_models(approaches, methods)[0]
        return write_task_set(self.dir, cells, ms, cores, **kw)

    def test_lines_are_benchfmt(self):
        path = self.handed([("BenchmarkFanout/workload=sleep/tasks=10", small_batch("sleep", 10)),
                            ("BenchmarkStart", None)])
        code, out, _ = run_main("--tasks", path, "--cores", "2", "--count", "2",
                                "--bench", "workload=sleep/tasks=10/model=py-(asyncio|seq)@")
        self.assertEqual(code, 0)
        lines = out.splitlines()
        cfg = dict(l.split(": ", 1) for l in lines if re.match(r"^[a-z][a-z0-9-]*: ", l))
        for k in ("python-version", "python-impl", "python-tag", "gil", "mp-start-method", "cores", "affinity",
                  "profile", "unit-ns-primes-py", "unit-ns-gzip-py", "gil-held-share-hash-py",
                  "gil-held-share-gzip-py", "nofile", "nproc", "matrix-python"):
            self.assertIn(k, cfg)
        self.assertIn(cfg["gil"], ("enabled", "disabled"))
        self.assertEqual(cfg["python-tag"], TAG)
        self.assertEqual(cfg["profile"], "smoke")
        self.assertEqual(cfg["cores"], "2")
        # the unit costs the set was built with
        self.assertEqual((cfg["unit-ns-primes-py"], cfg["unit-ns-primes20-py"]), ("350000", "35000"))
        self.assertEqual(cfg["mp-start-method"], models.default_start_method())
        self.assertRegex(cfg["gil-held-share-hash-py"], r"^0\.\d{3}$")
        self.assertRegex(cfg["gil-held-share-gzip-py"], r"^0\.\d{3}$")
        self.assertRegex(cfg["nofile"], r"^(\d+|unlimited)$")
        m = models.default_start_method()
        entries = cfg["matrix-python"].split()
        self.assertEqual(entries[0], "py-seq@%s:seq" % TAG)
        self.assertIn("py-processpool@%s-%s:procpool" % (TAG, m), entries)
        self.assertEqual(any(e.startswith("py-interpreterpool@") for e in entries),
                         models.interpreter_pool_missing() is None)
        res = [LINE.match(l) for l in lines if l.startswith("Benchmark")]
        self.assertEqual(len(res), 4, out)
        self.assertTrue(all(res), out)
        self.assertEqual(sorted({r.group(1) for r in res}),
                         ["BenchmarkFanout/workload=sleep/tasks=10/model=py-asyncio@%s-2" % TAG,
                          "BenchmarkFanout/workload=sleep/tasks=10/model=py-seq@%s-2" % TAG])
        for r in res:
            ns = int(r.group(2))
            self.assertGreater(ns, 20 * MS)
            self.assertAlmostEqual(float(r.group(3)), 10 / (ns / 1e9), delta=0.01 * 10 / (ns / 1e9))

    def test_start_methods_and_overhead(self):
        m = models.default_start_method()
        approaches = ["py-seq", "py-threadpool", "py-processpool"]
        path = self.handed([("BenchmarkOverhead", small_batch("empty", 16)), ("BenchmarkStart", None)],
                           approaches, [m])
        code, out, _ = run_main("--tasks", path, "--cores", "2", "--no-config", "--start-methods", m,
                                "--models", ",".join(approaches), "--bench", "Overhead|Start")
        self.assertEqual(code, 0, out)
        lines = out.splitlines()
        self.assertEqual([LINE.match(l).group(1) for l in lines if l.startswith("BenchmarkOverhead")],
                         ["BenchmarkOverhead/model=py-seq@%s-2" % TAG,
                          "BenchmarkOverhead/model=py-threadpool@%s-2" % TAG,
                          "BenchmarkOverhead/model=py-processpool@%s-%s-2" % (TAG, m)])
        starts = [START_LINE.match(l) for l in lines if l.startswith("BenchmarkStart")]
        self.assertTrue(all(starts), out)
        self.assertEqual([(s.group(1), s.group(3)) for s in starts],
                         [("BenchmarkStart/model=py-threadpool@%s-2" % TAG, "6"),
                          ("BenchmarkStart/model=py-processpool@%s-%s-2" % (TAG, m), "2")])

    def test_no_suffix_at_one_core_and_skip_lines(self):
        name = "BenchmarkFanout/workload=sleep/tasks=10000"
        path = self.handed([(name, [(0, 1, [tasks.op_sleep(10 * MS)])])], ["py-seq"], cores=1,
                           predict={name: 100.0}, profile="standard")
        code, out, _ = run_main("--tasks", path, "--cores", "1", "--no-config", "--models", "py-seq")
        self.assertEqual(code, 0)
        self.assertEqual(out, "--- SKIP: %s/model=py-seq@%s: predicted 100s per batch (as seq) > 5s limit\n"
                         % (name, TAG))
        # --max-op overrides the profile's limit
        code, out, _ = run_main("--tasks", path, "--cores", "1", "--no-config", "--models", "py-seq",
                                "--max-op", "200")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^%s/model=py-seq@%s\t" % (name, re.escape(TAG)))

    def test_net_without_address_is_skipped(self):
        path = self.handed([("BenchmarkCores/workload=net", small_batch("net", 2))], ["py-seq"])
        code, out, _ = run_main("--tasks", path, "--cores", "2", "--no-config", "--addr", "", "--models", "py-seq")
        self.assertEqual(code, 0)
        self.assertEqual(out, "--- SKIP: BenchmarkCores/workload=net/model=py-seq@%s-2: "
                              "no latency server address (--addr)\n" % TAG)

    def test_models_flag(self):
        code, _, err = run_main("--models", "py-seq,py-nothing")
        self.assertEqual(code, 2)
        self.assertIn("unknown model 'py-nothing'", err)
        code, _, err = run_main("--start-methods", "fork,nomethod")
        self.assertEqual(code, 2)
        self.assertIn("start method 'nomethod' is not available here", err)

    def test_costs(self):
        try:
            m = models.default_start_method()
            code, out, err = run_main("--unit-ns", "hash=40000,primes=350000,primes20=50000,gzip=45000", "--costs",
                                      "--models", "py-seq,py-threading,py-interpreterpool,py-processpool",
                                      "--start-methods", m)
            self.assertEqual(code, 0, err)
            c = json.loads(out)
            self.assertEqual(c["tag"], TAG)
            self.assertEqual(c["unit_ns"], {"hash": 40000, "primes": 350000, "primes20": 50000, "gzip": 45000})
            self.assertGreater(c["thread_ns"], 0)
            got = {d["name"]: (d["counterpart"], d["start_ns"] > 0) for d in c["models"]}
            want = {"py-seq@" + TAG: ("seq", False),
                    "py-threading@" + TAG: (models.counterpart("py-threading"), False),
                    "py-processpool@%s-%s" % (TAG, m): ("procpool", True)}
            if models.interpreter_pool_missing() is None:
                want["py-interpreterpool@" + TAG] = ("interp-pool", True)
            self.assertEqual(got, want)
            self.assertEqual(run_main("--unit-ns", "zlib=3")[0], 2)
        finally:
            kernels.clear_unit_costs()

    def test_gil_split(self):
        code, out, _ = run_main("--gil-split")
        self.assertEqual(code, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0], "python %s (%s)" % (re.sub(r"\+$", "", sys.version.split()[0]), TAG))
        self.assertRegex(lines[1], r"^hash: unit \d+ ns, GIL released in h\.update\(64 KiB\) \d+ ns, "
                                   r"held share 0\.\d{3} \(median of 7 trials of 256 units\)$")
        self.assertRegex(lines[2], r"^gzip: unit \d+ ns, GIL released in co\.compress\(2 KiB\) \+ co\.flush\(\) "
                                   r"\d+ ns, held share 0\.\d{3} ")

    def test_shim_runs_the_package(self):
        shim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "concbench_py.py")
        out = subprocess.run([sys.executable, shim, "--print-tag"], capture_output=True, text=True, timeout=120,
                             cwd=tempfile.gettempdir())
        self.assertEqual((out.returncode, out.stdout), (0, TAG + "\n"), out.stderr)


@unittest.skipUnless(shutil.which("go") and os.path.exists(os.path.join(REPO, "go.mod")),
                     "needs go and the concbench repository")
class RealServerTest(unittest.TestCase):
    """Against concbench's own latency server (go run ./cmd/concbench latency-server)."""

    def test_net_checksums_equal_go(self):
        from test_tasks import GOLDEN
        proc = subprocess.Popen(["go", "run", "./cmd/concbench", "latency-server"], cwd=REPO,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            addr = proc.stdout.readline().decode().strip()
            self.assertRegex(addr, r"^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*$")
            env = tasks.Env(addr, None, exact=True)
            got = [(seed, tasks.exec_task(env, (i, seed, [tasks.op_net(MS, 1024)])))
                   for i, (seed, _) in enumerate(GOLDEN["net"])]
            self.assertEqual(got, GOLDEN["net"])
            b = batch([tasks.op_net(MS, 1024)], 4)
            want = [o[1] for o in models.run_seq(env, b, 2)]
            self.assertEqual([o[1] for o in models.run_asyncio(env, b, 2)], want)
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
            proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
