"""What crosses to a worker process or interpreter when the suite runs a
user's own function (see userfunc): one call, and what it says back.

A pool pickles the user's function by its module and name and this
module's wrappers by theirs, and the worker imports both afresh: so this
module imports nothing but the standard library's smallest parts, and
asyncio only for a coroutine function.

A call never raises out of a wrapper: what the user's function raised comes
back as text (its type, message and where in the user's code it was
raised), so that an exception that does not pickle, or whose class the
parent cannot import, still names its cause.
"""

import os
import time
import traceback

now = time.monotonic_ns


def describe_exception(e, code_file=None):
    """TYPE: message (at FILE:LINE in FUNC), the innermost frame in
    code_file when given (the user's module), else the innermost frame."""
    where = ""
    frames = traceback.extract_tb(e.__traceback__) if e.__traceback__ is not None else []
    if code_file:
        mine = [f for f in frames if os.path.abspath(f.filename) == code_file]
        frames = mine or frames
    if frames:
        f = frames[-1]
        where = " (at %s:%d in %s)" % (f.filename, f.lineno, f.name)
    msg = str(e)
    return "%s%s%s" % (type(e).__name__, ": " + msg if msg else "", where)


def call(fn, args, coroutine):
    """The user's function on one argument list: its result. A coroutine
    function's coroutine runs on an event loop of its own, as a thread or a
    worker that calls one must."""
    if coroutine:
        import asyncio
        return asyncio.run(fn(*args))
    return fn(*args)


def code_file_of(fn):
    """The file the user's function is defined in, or None."""
    code = getattr(fn, "__code__", None)
    return os.path.abspath(code.co_filename) if code is not None else None


def pool_call(fn, args, coroutine):
    """One call in a pool worker (a process or an interpreter): ("ok",
    result, pid, start ns, the worker process's CPU seconds so far) or
    ("err", text, ...). The result crosses back pickled, as it does to a
    caller of the pool."""
    s0 = now()
    try:
        r = call(fn, args, coroutine)
    except BaseException as e:
        return "err", describe_exception(e, code_file_of(fn)), os.getpid(), s0, time.process_time()
    return "ok", r, os.getpid(), s0, time.process_time()


def proc_call(conn, fn, args, coroutine):
    """A multiprocessing.Process per call: run it, send the outcome back
    over the pipe (a result that does not pickle is said as such)."""
    out = pool_call(fn, args, coroutine)
    try:
        try:
            conn.send(out)
        except BaseException as e:
            conn.send(("err", "its result does not pickle: %s" % describe_exception(e), out[2], out[3], out[4]))
    finally:
        conn.close()
