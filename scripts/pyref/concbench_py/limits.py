"""Resource limits: a cell that would exceed one is skipped before it
starts, with a reason that names the limit, as the Go matrix's bench/limits.go.
"""

import os
import resource
import sys

from .models import PROCESS_APPROACHES, threadpool_workers
from .tasks import KIND_FILE, KIND_NET

UNLIMITED = None
SPARE_FILES = 32      # the interpreter's own files, asyncio's selector and self-pipe, the server's poller
SPARE_THREADS = 16
FILES_PER_PROCESS = 4  # a multiprocessing child's result pipe and sentinel, both ends while it starts
THREADS_PER_PROCESS = 1


def read_limits():
    """(nofile, nproc, nproc_enforced): the soft limits, None where unlimited.
    RLIMIT_NPROC counts this user's threads and processes over the whole
    system; Linux does not hold root to it."""
    def soft(res):
        v = resource.getrlimit(res)[0]
        return UNLIMITED if v == resource.RLIM_INFINITY else v
    nproc = soft(resource.RLIMIT_NPROC) if hasattr(resource, "RLIMIT_NPROC") else UNLIMITED
    return soft(resource.RLIMIT_NOFILE), nproc, not (sys.platform.startswith("linux") and os.getuid() == 0)


def fmt_limit(v):
    return "unlimited" if v is UNLIMITED else "%d" % v


def open_files():
    """This process's open descriptors, or 0 where they cannot be listed."""
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(d)) - 1  # the listing's own descriptor
        except OSError:
            pass
    return 0


def user_threads():
    """Threads of every process whose real user is ours, as RLIMIT_NPROC
    counts them; -1 where /proc cannot tell."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return -1
    uid, n = str(os.getuid()), 0
    for pid in pids:
        try:
            with open("/proc/%s/status" % pid) as f:
                mine = False
                for line in f:
                    if line.startswith("Uid:"):
                        mine = line.split()[1] == uid
                        if not mine:
                            break
                    elif line.startswith("Threads:"):
                        n += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            pass  # gone meanwhile
    return n


def raise_to(n):
    """A round limit to suggest, with room to spare."""
    return (n * 11 // 10 // 1000 + 1) * 1000


def limit_skip(limits, need, files_open, server_listeners, threads_now):
    """Why a batch cannot run within the limits, or None."""
    nofile, nproc, enforced = limits
    files, server_files, threads = need
    here = files_open + files + SPARE_FILES
    server = server_files + server_listeners + SPARE_FILES
    if nofile is not UNLIMITED and (here > nofile or server > nofile):
        what, n = "in this process (%d open, %d for the batch)" % (files_open, files), here
        if server > here:
            what, n = "in the latency server's process (%d connections)" % server_files, server
        v = raise_to(n)
        return ("needs %d open files %s, over RLIMIT_NOFILE %d; raise it: ulimit -n %d, "
                "or a container's --ulimit nofile=%d" % (n, what, nofile, v, v))
    if nproc is not UNLIMITED and enforced and threads_now >= 0 and threads > 0:
        n = threads_now + threads + SPARE_THREADS
        if n > nproc:
            v = raise_to(n)
            return ("needs %d threads and processes of this user (%d now, %d for the batch), over RLIMIT_NPROC %d; "
                    "raise it: ulimit -u %d, or a container's --ulimit nproc=%d"
                    % (n, threads_now, threads, nproc, v, v))
    return None


def cell_need(approach, batch, cores):
    """(files here, files in the latency server, threads and processes) that
    one batch of approach holds at its peak, from how many tasks can wait at once."""
    n = len(batch)
    kinds = {op[0] for t in batch for op in t[2]}
    net, file = KIND_NET in kinds, KIND_FILE in kinds
    if approach in PROCESS_APPROACHES:
        # The ops run in the children, one at a time each, under their own limits.
        live = min(n, cores)
        return live * FILES_PER_PROCESS, live if net else 0, live * THREADS_PER_PROCESS
    pool = approach in ("py-threadpool", "py-interpreterpool")
    in_flight = min(n, threadpool_workers(cores)) if pool else 1 if approach == "py-seq" else n
    files = server = threads = 0
    if net:
        files, server = in_flight, in_flight
    if file:
        if approach == "py-asyncio":  # asyncio.to_thread's default executor
            in_flight = min(n, threadpool_workers(os.cpu_count() or 1))
        files += in_flight
    if approach == "py-threading":
        threads = n
    elif pool or (approach == "py-asyncio" and file):
        threads = in_flight
    return files, server, threads


def raise_fd_limit():
    """Raise the soft descriptor limit to the hard one, as Go does at start."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 1 << 20, hard))
        except (ValueError, OSError):
            pass
