"""Tasks: typed ops, deterministic generation and the blocking executor, as
package workloads (op.go, task.go, exec.go, generate.go). Checksums equal
Go's for the same tasks (gzip: see kernels).

A task is a tuple (id, seed, ops); an op is a tuple
(kind, kernel, units, size, duration ns, bytes), so that tasks pickle small
and cross to a worker process or interpreter as plain data.
"""

import os
import socket
import struct
import tempfile
import time

from .kernels import (HASH_BUF_SIZE, KERNELS, M64, PRIMES, fill, fold, hash_buf, mix64, op_seed, task_start, unit,
                      unit_cost, unit_fold)

MAX_BYTES = 16 << 20       # largest net/file payload

KIND_COMPUTE, KIND_SLEEP, KIND_NET, KIND_FILE = 1, 2, 3, 4

# A mix task's primes units test 20 integers each (~35 µs in CPython), so
# that the compute share of a 2 ms task is hit within a few per cent; a
# default unit (200 integers, ~350 µs) would round 1 ms to 0.7 or 1.05 ms.
MIX_UNIT_SIZE = 20


def compute_op(op, seed):
    _, kernel, units, size, _, _ = op
    v = 0
    for u in range(units):
        v = unit_fold(v, unit(kernel, size, seed, u))
    return v


def fnv64a(b):
    h = 0xCBF29CE484222325
    for c in b:
        h = ((h ^ c) * 0x100000001B3) & M64
    return h


def net_request(op, seed):
    _, _, _, _, d, n = op
    return struct.pack("<QIQ", d, n, seed)


def net_value(reply, exact):
    """workloads.NetValue when exact; else a cheap stand-in (see README)."""
    if exact:
        return fnv64a(reply) ^ len(reply)
    return len(reply)


def file_value(back, exact):
    if exact:
        return fnv64a(back) ^ 0xF11E
    return len(back) ^ 0xF11E


def op_compute(kernel, units, size=0):
    return (KIND_COMPUTE, kernel, units, size, 0, 0)


def op_sleep(d_ns):
    return (KIND_SLEEP, 0, 0, 0, d_ns, 0)


def op_net(d_ns, n):
    return (KIND_NET, 0, 0, 0, d_ns, n)


def op_file(n):
    return (KIND_FILE, 0, 0, 0, 0, n)


class Env:
    """What the waiting ops need: the latency server's address, the temp dir,
    and whether net/file values are computed exactly as Go's."""

    def __init__(self, addr=None, dir=None, exact=False):
        self.addr = addr
        self.dir = dir
        self.exact = exact
        # The server listens on several ports (comma-separated), so that
        # their accept queues together hold a whole fanout batch.
        self.addrs = []
        for a in filter(None, (addr or "").split(",")):
            host, _, port = a.rpartition(":")
            self.addrs.append((host, int(port)))

    def host_port(self, seed=0):
        """The listener a net op with this op seed connects to: the seed
        modulo their number, as workloads.PickAddr picks it."""
        if not self.addrs:
            raise RuntimeError("no latency server address (use --addr)")
        return self.addrs[seed % len(self.addrs)]

    def as_tuple(self):
        return (self.addr, self.dir, self.exact)


def recv_exactly(sock, n):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError("reading %d-byte reply: EOF after %d bytes" % (n, got))
        got += k
    return bytes(buf)


def file_payload(n, seed, exact):
    if exact:
        return fill(n, seed)
    # Filling 16 KiB with splitmix64 costs ~2 ms of pure Python; the bytes do
    # not matter to the write/fsync/read cost, so a shared buffer stands in.
    buf = hash_buf()
    if n <= HASH_BUF_SIZE:
        return buf[:n]
    return (buf * (n // HASH_BUF_SIZE + 1))[:n]


def file_round_trip(env, op, seed):
    n = op[5]
    data = file_payload(n, seed, env.exact)
    fd, path = tempfile.mkstemp(prefix="concbench-", suffix=".tmp", dir=env.dir or None)
    try:
        with os.fdopen(fd, "w+b", buffering=0) as f:
            f.write(data)
            os.fsync(f.fileno())
            f.seek(0)
            back = f.read(n) if n else b""
            if len(back) != n:
                raise IOError("reading back: %d of %d bytes" % (len(back), n))
    finally:
        os.remove(path)
    return file_value(back, env.exact)


def do_wait(env, op, seed):
    """Run one waiting op, blocking (env.Do)."""
    kind = op[0]
    if kind == KIND_SLEEP:
        time.sleep(op[4] / 1e9)
        return op[4]
    if kind == KIND_NET:
        with socket.create_connection(env.host_port(seed)) as c:
            c.sendall(net_request(op, seed))
            return net_value(recv_exactly(c, op[5]), env.exact)
    if kind == KIND_FILE:
        return file_round_trip(env, op, seed)
    raise ValueError("op %r does not wait" % (op,))


def exec_task(env, task):
    """Run a task to completion, blocking in every wait (workloads.Exec).
    Returns its checksum; a task without ops returns task_start(seed)."""
    _, seed, ops = task
    s = task_start(seed)
    for i, op in enumerate(ops):
        os_ = op_seed(seed, i)
        if op[0] == KIND_COMPUTE:
            v = compute_op(op, os_)
        else:
            v = do_wait(env, op, os_)
        s = fold(s, v)
    return s


def generate(workload, tasks, seed, units=0, size=0, wait_ns=0, nbytes=0,
             cpu_percent=0, nominal_ns=0, unit_cost_ns=None):
    """Deterministic tasks, as workloads.Generate. For mix, the compute is
    primes units of MIX_UNIT_SIZE integers, as many as take the compute share
    of nominal_ns at unit_cost_ns (default: this process's calibrated cost of
    such a unit): the nominal time split is kept rather than the work, since
    one Python primes unit costs ~15 Go units (see README)."""
    if workload in KERNELS:
        if units <= 0:
            raise ValueError("generate %s: units must be positive" % workload)
        ops = [op_compute(KERNELS[workload], units, size)]
    elif workload == "sleep":
        ops = [op_sleep(wait_ns)]
    elif workload == "net":
        ops = [op_net(wait_ns, nbytes)]
    elif workload == "file":
        ops = [op_file(nbytes)]
    elif workload == "mix":
        cpu = nominal_ns * cpu_percent / 100
        cost = unit_cost_ns if unit_cost_ns else unit_cost(PRIMES, MIX_UNIT_SIZE)
        n = int(round(cpu / cost))
        if cpu_percent > 0 and n == 0:
            n = 1
        wait = nominal_ns - int(cpu)
        first = n // 2
        ops = []
        if first > 0:
            ops.append(op_compute(PRIMES, first, MIX_UNIT_SIZE))
        if wait > 0:
            ops.append(op_sleep(wait))
        if n - first > 0:
            ops.append(op_compute(PRIMES, n - first, MIX_UNIT_SIZE))
    else:
        raise ValueError("generate: unknown workload %r" % workload)
    return [(i, mix64((seed + i) & M64), list(ops)) for i in range(tasks)]


def empty_tasks(n):
    """n tasks without ops, as bench's emptyTasks: task i has seed i."""
    return [(i, i, []) for i in range(n)]
