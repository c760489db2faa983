"""Tasks: typed ops and the blocking executor, as package workloads (op.go,
task.go, exec.go). Checksums equal Go's for the same tasks (gzip: see
kernels). The suite generates no tasks: Go builds every batch and hands it
over (see matrix).

A task is a tuple (id, seed, ops[, input, output]): input the bytes handed
to it where it runs (kernels.payload, as Go's; b"" for none), output how
many bytes it hands back; an op is a tuple (kind, kernel, units, size,
duration ns, bytes). Tasks cross to a worker process or interpreter as
plain data, pickled: their input with them, their output back.
"""

import os
import socket
import struct
import tempfile
import time

import zlib

from .kernels import M64, fill, fold, op_seed, payload, task_start, unit, unit_fold

MAX_BYTES = 16 << 20       # largest net/file payload

KIND_COMPUTE, KIND_SLEEP, KIND_NET, KIND_FILE = 1, 2, 3, 4


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
    return payload(n)


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


def start_sum(task):
    """The checksum of a task before its first op (Task.StartSum): the seed's
    start, with the CRC-32 of its input folded in when it has one; reading
    the input is the task's first work."""
    s = task_start(task[1])
    if len(task) > 3 and task[3]:
        s = fold(s, zlib.crc32(task[3]))
    return s


def new_output(task):
    """The bytes the task hands back when it ends (Task.NewOutput), made
    anew, as a real task builds its result; None for none."""
    n = task[4] if len(task) > 4 else 0
    return payload(n) if n > 0 else None


def run_task(env, task):
    """Run a task to completion, blocking in every wait (workloads.Exec):
    returns (its checksum, its output bytes or None)."""
    return exec_task(env, task), new_output(task)


def exec_task(env, task):
    """Run a task to completion, blocking in every wait, and return its
    checksum; a task without ops or input returns task_start(seed)."""
    seed, ops = task[1], task[2]
    s = start_sum(task)
    for i, op in enumerate(ops):
        os_ = op_seed(seed, i)
        if op[0] == KIND_COMPUTE:
            v = compute_op(op, os_)
        else:
            v = do_wait(env, op, os_)
        s = fold(s, v)
    return s
