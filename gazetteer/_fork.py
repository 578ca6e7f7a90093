"""Run a function in a forked child while the parent goes on: a second core for the long scans of a big report.

The child shares the parent's memory as it was at the fork (the gazetteer and the text are not copied or
pickled) and sends back only its result, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """True where a forked child can run on another core: POSIX with more than one usable core."""
    if not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1


class Forked:
    """`fn(*args)` running in a forked child; `result()` waits for what it returned."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
            os.close(read_end)
            try:
                try:
                    payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 (any failure is reported to the parent)
                    payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end

    def result(self) -> Any:
        """What the function returned; RuntimeError when it raised or the child died."""
        with os.fdopen(self._read_end, "rb") as fh:
            data = fh.read()
        os.waitpid(self._pid, 0)
        ok, value = pickle.loads(data) if data else (False, "the child process ended without a result")
        if not ok:
            raise RuntimeError(value)
        return value


def in_two_halves(fn: Callable[..., Any], first: tuple, second: tuple) -> tuple[Any, Any]:
    """`(fn(*first), fn(*second))`, the second computed in a forked child meanwhile; both here, one after
    the other, when the child fails (its result must pickle)."""
    try:
        child = Forked(fn, *second)
    except OSError:  # no fork possible now (limits): one after the other
        return fn(*first), fn(*second)
    try:
        here = fn(*first)
    except BaseException:
        try:  # reap the child before the error goes up: no zombie process, no open pipe
            child.result()
        except (RuntimeError, OSError, EOFError, pickle.UnpicklingError):
            pass
        raise
    try:
        there = child.result()
    except (RuntimeError, OSError, EOFError, pickle.UnpicklingError):
        there = fn(*second)
    return here, there
