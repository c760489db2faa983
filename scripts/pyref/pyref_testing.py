"""What the suite's self-tests share (not a test module itself): the
package on sys.path, a latency server in Python, small batches, the
settings testdata."""

import os
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from concbench_py import kernels, models, settings, tasks  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MS = 1_000_000
SMOKE = os.path.join(HERE, "testdata", "settings-smoke.txt")
STANDARD = os.path.join(HERE, "testdata", "settings-standard.txt")

# The pool size, as the command takes it from Go's settings.
models.set_pool_size(settings.load(SMOKE))


class FakeLatencyServer:
    """The latency server's protocol in Python, for tests without Go: each
    20-byte request (delay ns u64 LE, size u32 LE, seed u64 LE) is answered
    with `size` deterministic bytes after `delay`."""

    def __init__(self):
        self.ln = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.addr = "127.0.0.1:%d" % self.ln.getsockname()[1]
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
                    req = tasks.recv_exactly(c, 20)
                except (EOFError, OSError):
                    return
                d, n, seed = struct.unpack("<QIQ", req)
                time.sleep(d / 1e9)
                c.sendall(kernels.fill(n, seed))

    def close(self):
        self.ln.close()


def small_batch(kind, n=6):
    if kind == "primes":
        return tasks.generate("primes", n, 3, units=2)
    if kind == "hash":
        return tasks.generate("hash", n, 3, units=3)
    if kind == "gzip":
        return tasks.generate("gzip", n, 3, units=3)
    if kind == "sleep":
        return tasks.generate("sleep", n, 3, wait_ns=20 * MS)
    if kind == "net":
        return tasks.generate("net", n, 3, wait_ns=5 * MS, nbytes=1024)
    if kind == "file":
        return tasks.generate("file", n, 3, nbytes=4096)
    if kind == "mix":
        return tasks.generate("mix", n, 3, cpu_percent=50, nominal_ns=2 * MS, unit_cost_ns=300_000)
    if kind == "empty":
        return tasks.empty_tasks(n)
    raise ValueError(kind)
