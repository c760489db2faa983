"""The command line: settings, benchfmt and config lines, the matrix."""

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

from pyref_testing import MS, REPO, SMOKE, STANDARD
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

    def test_cells_need_settings(self):
        for args in (["--bench", "Overhead"], ["--print-matrix"]):
            code, out, err = run_main(*args)
            self.assertEqual((code, out), (2, ""), args)
            self.assertIn("--settings FILE is needed", err)
            self.assertIn("concbench describe -profile NAME -settings", err)
        code, out, err = run_main("--settings", "/nonexistent", "--bench", "Overhead")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--settings /nonexistent: No such file", err)
        # what needs no profile runs without one
        self.assertEqual(run_main("--print-tag")[:2], (0, TAG + "\n"))


class OutputTest(unittest.TestCase):
    def test_lines_are_benchfmt(self):
        code, out, _ = run_main("--settings", SMOKE, "--cores", "2", "--count", "2",
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
            self.assertGreater(ns, 10 * MS)
            self.assertAlmostEqual(float(r.group(3)), 10 / (ns / 1e9), delta=0.01 * 10 / (ns / 1e9))

    def test_start_methods_and_overhead(self):
        m = models.default_start_method()
        code, out, _ = run_main("--settings", SMOKE, "--cores", "2", "--no-config", "--start-methods", m,
                                "--models", "py-seq,py-threadpool,py-processpool",
                                "--bench", "Overhead|Start")
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
        code, out, _ = run_main("--settings", STANDARD, "--cores", "1", "--no-config",
                                "--bench", "workload=sleep/tasks=10000/model=py-seq@")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^--- SKIP: BenchmarkFanout/workload=sleep/tasks=10000/model=py-seq@%s: "
                              r"predicted 100s per batch .*> 5s limit\n$" % re.escape(TAG))

    def test_net_without_address_is_skipped(self):
        code, out, _ = run_main("--settings", SMOKE, "--cores", "2", "--no-config", "--addr", "",
                                "--bench", "BenchmarkCores/workload=net/model=py-seq@")
        self.assertEqual(code, 0)
        self.assertEqual(out, "--- SKIP: BenchmarkCores/workload=net/model=py-seq@%s-2: "
                              "no latency server address (--addr)\n" % TAG)

    def test_models_flag(self):
        code, _, err = run_main("--settings", SMOKE, "--models", "py-seq,py-nothing")
        self.assertEqual(code, 2)
        self.assertIn("unknown model 'py-nothing'", err)
        code, _, err = run_main("--settings", SMOKE, "--start-methods", "fork,nomethod")
        self.assertEqual(code, 2)
        self.assertIn("start method 'nomethod' is not available here", err)
        code, out, err = run_main("--settings", SMOKE, "--models", "py-interpreterpool,py-seq", "--print-matrix")
        self.assertEqual(code, 0)
        if models.interpreter_pool_missing() is None:
            self.assertEqual(json.loads(out)["models"], ["py-seq@" + TAG, "py-interpreterpool@" + TAG])
        else:
            self.assertEqual(json.loads(out)["models"], ["py-seq@" + TAG])
            self.assertIn("py-interpreterpool needs concurrent.futures.InterpreterPoolExecutor (Python >= 3.14)", err)

    def test_unit_ns_fixes_the_mix_tasks(self):
        try:
            code, out, _ = run_main("--unit-ns", "hash=40000,primes=350000,primes20=50000,gzip=45000", "--calibrate")
            self.assertEqual((code, out), (0, "hash=40000,primes=350000,primes20=50000,gzip=45000\n"))
            self.assertEqual(kernels.unit_cost(kernels.PRIMES, kernels.PRIMES_WINDOW), 350000)
            c = [c for c in matrix.matrix(settings.load(SMOKE)) if c["workload"] == "mix50"][0]
            ops = matrix.cell_tasks(c)[0][2]
            self.assertEqual(ops[0][2] + ops[2][2], 20)  # 1 ms / 50 µs
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

    def test_print_matrix(self):
        code, out, _ = run_main("--print-matrix", "--settings", STANDARD)
        self.assertEqual(code, 0)
        m = json.loads(out)
        self.assertEqual(m["profile"], "standard")
        self.assertEqual(m["models"][0], "py-seq@" + TAG)
        cells = {(c["bench"], c["workload"], c["tasks"]): c for c in m["cells"]}
        self.assertEqual(cells[("BenchmarkCores", "primes", 64)]["units"], 64)
        self.assertEqual(cells[("BenchmarkCores", "hash", 64)]["units"], 40)
        self.assertEqual((cells[("BenchmarkCores", "gzip", 64)]["units"], cells[("BenchmarkCores", "gzip", 64)]["size"]),
                         (29, 2048))
        self.assertEqual(cells[("BenchmarkCores", "sleep", 64)]["wait_ns"], 5 * MS)
        self.assertEqual(cells[("BenchmarkCores", "net", 64)]["bytes"], 1024)
        self.assertEqual(cells[("BenchmarkCores", "mix50", 64)]["nominal_ns"], 2 * MS)
        self.assertEqual(sorted(n for b, w, n in cells if b == "BenchmarkFanout" and w == "net"),
                         [1, 10, 100, 1000, 10000])
        self.assertIn(("BenchmarkOverhead", "", 64), cells)
        self.assertEqual([c["workload"] for c in m["cells"] if c["bench"] == "BenchmarkCores"],
                         ["hash", "primes", "gzip", "sleep", "net", "file", "mix50"])  # bench.CoresWorkloads
        smoke = json.loads(run_main("--print-matrix", "--settings", SMOKE)[1])
        self.assertEqual(sorted(c["tasks"] for c in smoke["cells"] if c["workload"] == "sleep" and
                                c["bench"] == "BenchmarkFanout"), [1, 10])
        self.assertIn(("BenchmarkOverhead", "", 16), {(c["bench"], c["workload"], c["tasks"]) for c in smoke["cells"]})

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
            got = [(t[1], tasks.exec_task(env, t)) for t in tasks.generate("net", 2, 1, wait_ns=MS, nbytes=1024)]
            self.assertEqual(got, GOLDEN["net"])
            batch = tasks.generate("net", 4, 1, wait_ns=MS, nbytes=1024)
            want = [o[1] for o in models.run_seq(env, batch, 2)]
            self.assertEqual([o[1] for o in models.run_asyncio(env, batch, 2)], want)
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
            proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
