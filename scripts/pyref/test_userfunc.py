"""A user's own function (--func, --args): its cells, and the five faults
that are the user's, each named with the function and the model."""

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import textwrap
import time
import unittest

from pyref_testing import SMOKE
from concbench_py import cli, models, userfunc

TAG = models.python_tag()
LINE = re.compile(r"^(BenchmarkCores/workload=\S+)\t *1\t *(\d+) ns/op\t *([\d.e+]+) tasks/s\t *([\d.e+-]+) p50-ms"
                  r"\t *([\d.e+-]+) p99-ms\t *([\d.e+-]+) cpu-util$")

# The user's code, as a user would write it: each function a fault or a
# plain case. Line numbers matter: boom raises on line 8.
USER = textwrap.dedent('''\
    import asyncio, os, threading, time
    notcallable = 3
    def plain(x, y=1):
        return sum(i * y for i in range(x))
    def boom(x):
        if x != 2:
            return x
        raise ValueError("boom at %d" % x)
    def locks():
        return [[threading.Lock()] for _ in range(3)]
    def takes(x):
        return 1
    def hang(path, x):
        with open(os.path.join(path, "pid-%d" % os.getpid()), "w"):
            pass
        time.sleep(600)
    async def fetch(x):
        await asyncio.sleep(0.002)
        return x
    ''')


def run_main(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--settings", SMOKE, "--cores", "2", "--no-config"] + list(args))
    return code, out.getvalue(), err.getvalue()


def alive(pid):
    """Whether a process exists and is not a zombie waiting for its reaper."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class UserFuncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.mod = os.path.join(cls.dir, "usercode.py")
        with open(cls.mod, "w") as f:
            f.write(USER)
        with open(os.path.join(cls.dir, "broken.py"), "w") as f:
            f.write("import os\nimport no_such_module_anywhere\n")
        cls.args = cls.write("args.json", [[1], [2], [3]])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    @classmethod
    def write(cls, name, calls):
        p = os.path.join(cls.dir, name)
        with open(p, "w") as f:
            json.dump(calls, f)
        return p

    def cells(self, out):
        """{model: "ok" | "FAIL: message" | "SKIP: reason"} of a run's output."""
        got = {}
        for line in out.splitlines():
            m = LINE.match(line)
            if m:
                got[m.group(1).split("/model=")[1]] = "ok"
            for verdict in ("FAIL", "SKIP"):
                if line.startswith("--- %s: " % verdict):
                    name, _, why = line[len("--- %s: " % verdict):].partition(": ")
                    got[name.split("/model=")[1]] = "%s: %s" % (verdict, why)
        return got

    def assertFaults(self, got, models_, *want):
        for m in models_:
            self.assertIn(m, got)
            self.assertTrue(got[m].startswith("FAIL: "), "%s: %s" % (m, got[m]))
            for w in want:
                self.assertIn(w, got[m], m)
            # Each message names the function and the model.
            self.assertIn("function %s:" % self.mod, got[m])
            self.assertIn("under %s" % m.rsplit("-2", 1)[0], got[m])

    def test_a_plain_function_under_every_model(self):
        code, out, _ = run_main("--func", self.mod + ":plain", "--args", self.write("p.json", [[2000, 2]] * 4))
        self.assertEqual(code, 0, out)
        got = self.cells(out)
        ms, _ = models.build_models()
        for m in ms:
            name = m.name + "-2"
            if m.approach == "py-asyncio":
                self.assertRegex(got[name], r"^SKIP: .*:plain is not a coroutine function "
                                            r"\(inspect.iscoroutinefunction is false\)")
            else:
                self.assertEqual(got[name], "ok", name)
        self.assertEqual(len(got), len(ms))
        self.assertIn("BenchmarkCores/workload=plain/model=py-seq@%s-2\t" % TAG, out)

    def test_a_coroutine_function_gets_asyncio_and_its_description(self):
        code, out, _ = cli_main_config("--func", self.mod + ":fetch", "--args", self.args,
                                       "--models", "py-seq,py-asyncio,py-threadpool")
        self.assertEqual(code, 0, out)
        got = self.cells(out)
        self.assertEqual(got, {"py-seq@%s-2" % TAG: "ok", "py-asyncio@%s-2" % TAG: "ok",
                               "py-threadpool@%s-2" % TAG: "ok"})
        self.assertIn("func-coroutine: true\n", out)
        self.assertIn("func-calls: 3\n", out)
        self.assertIn("func-workload: fetch\n", out)
        share = float(re.search(r"^cpu-share-fetch-py: ([\d.]+)$", out, re.M).group(1))
        self.assertTrue(0 <= share < 0.9, share)  # it sleeps most of its time
        # The seq batch sleeps 3 × 2 ms: its nominal per-call time is at least that.
        m = re.search(r"^matrix-cores: workload=fetch:3:(\d+)ns:(cpu|io|mixed):call$", out, re.M)
        self.assertIsNotNone(m, out)
        self.assertGreaterEqual(int(m.group(1)), 2_000_000)

    def test_module_that_does_not_import(self):
        code, out, _ = run_main("--func", os.path.join(self.dir, "broken.py") + ":f", "--args", self.args)
        self.assertEqual(code, 1)
        got = self.cells(out)
        ms, _ = models.build_models()
        self.assertEqual(len(got), len(ms))
        for m in ms:
            msg = got[m.name + "-2"]
            self.assertIn("module broken does not import: ModuleNotFoundError: No module named "
                          "'no_such_module_anywhere' (at %s:2 in <module>)" % os.path.join(self.dir, "broken.py"), msg)
            self.assertIn("under %s" % m.name, msg)

    def test_name_that_is_not_callable(self):
        code, out, _ = run_main("--func", self.mod + ":notcallable", "--args", self.args,
                                "--models", "py-seq,py-threading")
        self.assertEqual(code, 1)
        got = self.cells(out)
        self.assertFaults(got, ["py-seq@%s-2" % TAG, "py-threading@%s-2" % TAG],
                          "usercode.notcallable is an int, not a function")
        code, out, _ = run_main("--func", self.mod + ":missing", "--args", self.args, "--models", "py-seq")
        self.assertEqual(code, 1)
        self.assertIn("module usercode has no name missing", out)

    def test_arguments_that_do_not_pickle(self):
        """The models that pickle what they send fail with the message; the
        others still run."""
        methods = ["spawn"] + (["fork"] if "fork" in models.start_methods_available() else [])
        code, out, _ = run_main("--func", self.mod + ":takes", "--args", self.mod + ":locks",
                                "--start-methods", ",".join(methods))
        self.assertEqual(code, 1)
        got = self.cells(out)
        pickling = ["py-processpool@%s-%s-2" % (TAG, m) for m in methods] + ["py-multiprocessing@%s-spawn-2" % TAG]
        if models.interpreter_pool_missing() is None:
            pickling.append("py-interpreterpool@%s-2" % TAG)
        self.assertFaults(got, pickling, "the arguments of call 0 of 3", "do not pickle",
                          "TypeError: cannot pickle '_thread.lock' object")
        for m in ["py-seq", "py-threading", "py-threadpool"]:
            self.assertEqual(got["%s@%s-2" % (m, TAG)], "ok", m)
        if "fork" in methods:
            # A forked process inherits its arguments: nothing to pickle.
            self.assertEqual(got["py-multiprocessing@%s-fork-2" % TAG], "ok")

    def test_a_call_that_raises(self):
        code, out, _ = run_main("--func", self.mod + ":boom", "--args", self.args)
        self.assertEqual(code, 1)
        got = self.cells(out)
        ms, _ = models.build_models()
        self.assertFaults(got, [m.name + "-2" for m in ms if m.approach != "py-asyncio"],
                          "call 1 of 3 [2] raised ValueError: boom at 2 (at %s:8 in boom)" % self.mod)

    def test_a_call_that_hangs_is_killed_with_its_processes(self):
        d = tempfile.mkdtemp(dir=self.dir)
        args = self.write("hang.json", [[d, 1], [d, 2]])
        t = time.monotonic()
        code, out, _ = run_main("--func", self.mod + ":hang", "--args", args, "--max-op", "1",
                                "--models", "py-threading,py-processpool")
        took = time.monotonic() - t
        self.assertEqual(code, 1)
        got = self.cells(out)
        self.assertFaults(got, [m for m in got if "asyncio" not in m],
                          "warm-up batch did not finish within 1s (--max-op): a call hangs",
                          "killed, with every process it started")
        self.assertEqual(len(got), 2)
        self.assertLess(took, 60)  # two cells of 1 s each, and their start
        pids = [int(f[4:]) for f in os.listdir(d)]
        self.assertGreaterEqual(len(pids), 3)  # two threads' process, and the pool's workers
        deadline = time.monotonic() + 10
        while any(alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual([p for p in pids if alive(p)], [])

    def test_module_form_from_the_current_directory(self):
        cwd = os.getcwd()
        os.chdir(self.dir)
        try:
            code, out, _ = run_main("--func", "usercode:plain", "--args", "args.json", "--models", "py-processpool",
                                    "--start-methods", "spawn")
        finally:
            os.chdir(cwd)
        self.assertEqual(code, 0, out)
        self.assertEqual(self.cells(out), {"py-processpool@%s-spawn-2" % TAG: "ok"})


def cli_main_config(*args):
    """run_main with the config lines."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--settings", SMOKE, "--cores", "2"] + list(args))
    return code, out.getvalue(), err.getvalue()


class NamesTest(unittest.TestCase):
    def test_workload_names(self):
        for attr, want in [("wordfreq", "wordfreq"), ("Parse_HTML", "parse-html"), ("mod.Class.run", "run"),
                           ("_private", "private"), ("f2", "f2"), ("__", "fn"), ("_9lives", "fn-9lives"),
                           ("hash", "hash-fn"), ("mix50", "mix50-fn")]:
            self.assertEqual(userfunc.workload_name(attr), want, attr)
            self.assertRegex(userfunc.workload_name(attr), r"^[a-z][a-z0-9-]*$")

    def test_specs(self):
        self.assertEqual(userfunc.parse_spec("pkg.mod:f"), ("module", "pkg.mod", "f"))
        self.assertEqual(userfunc.parse_spec("/x/y.py:C.m"), ("file", "/x/y.py", "C.m"))
        self.assertEqual(userfunc.parse_spec("y.py:f")[1], os.path.abspath("y.py"))
        for bad, want in [("f", "want MODULE:FUNCTION"), ("m:", "want MODULE:FUNCTION"), (":f", "want"),
                          ("m:1f", "'1f' is not a Python name"), ("a-b:f", "neither a module name nor a .py file")]:
            with self.assertRaises(userfunc.UsageError, msg=bad) as cm:
                userfunc.parse_spec(bad)
            self.assertIn(want, str(cm.exception))

    def test_json_args_errors_name_file_and_line(self):
        d = tempfile.mkdtemp()
        try:
            for text, want in [("[[1],\n [2],\n oops]", "bad.json:3:2: Expecting value"),
                               ("{\"a\": 1}", "bad.json: want a list of argument lists, one per call; got dict"),
                               ("[]", "bad.json: no calls"),
                               ("[[1], 2]", "bad.json: call 1: want a list of arguments, got int 2 (write [2]")]:
                p = os.path.join(d, "bad.json")
                with open(p, "w") as f:
                    f.write(text)
                with self.assertRaises(userfunc.UsageError, msg=text) as cm:
                    userfunc.load_json_args(p)
                self.assertIn(want, str(cm.exception))
            code, _, err = run_main("--func", "m:f", "--args", os.path.join(d, "none.json"))
            self.assertEqual(code, 2)
            self.assertIn("none.json: No such file or directory", err)
            code, _, err = run_main("--func", "m:f")
            self.assertEqual(code, 2)
            self.assertIn("--func needs --args", err)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
