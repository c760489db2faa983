"""What runs on the far side of a process or an interpreter boundary.

multiprocessing (under forkserver and spawn) and InterpreterPoolExecutor
pickle a callable by its module and name, and the worker imports that module
afresh: so these functions live in a module that imports only the tasks
(and, through them, the kernels), not the models, asyncio or the command
line. Each worker builds the hash buffer and text corpus on first use, as a
Go worker process does.
"""

import os
import threading
import time

from . import tasks

now = time.monotonic_ns


def proc_main(conn, envt, task):
    """A multiprocessing.Process per task: run it, send the checksum and its
    output back."""
    try:
        v, out = tasks.run_task(tasks.Env(*envt), task)
        conn.send(("ok", v, os.getpid(), time.process_time(), out))
    except BaseException as e:
        conn.send(("err", "%s: %s" % (type(e).__name__, e), os.getpid(), time.process_time(), None))
    finally:
        conn.close()


def noop():
    """A process that does nothing, to time a process start."""


def pool_task(envt, task):
    """One task in a pool worker (a process or an interpreter), its input
    unpickled with it: its checksum, the worker's pid, when the task
    started, the worker process's CPU seconds so far (a forkserver's
    children are not this process's, so getrusage(RUSAGE_CHILDREN) never
    counts them), and its output, pickled back."""
    s0 = now()
    v, out = tasks.run_task(tasks.Env(*envt), task)
    return v, os.getpid(), s0, time.process_time(), out


# Pool start measurements (BenchmarkStart): a task that returns only once
# every worker of the pool holds one, so that the pool has started them all.

_barrier = None


def set_barrier(barrier):
    """A process pool's initializer: keep the barrier the workers inherit
    (a multiprocessing barrier crosses to a process only at its start)."""
    global _barrier
    _barrier = barrier


def wait_barrier(timeout):
    """Wait until every worker of the pool waits here; return this worker's pid."""
    _barrier.wait(timeout)
    return os.getpid()


def rendezvous(arrived, go, timeout):
    """The barrier of an interpreter pool, through two interpreter queues:
    say this worker arrived, wait for the word to go; return the worker
    thread's id (every interpreter of the pool runs in one process)."""
    arrived.put(1)
    go.get(timeout=timeout)
    return threading.get_ident()
