"""Run a function on untrusted input in a child process with a memory cap and a timeout.

Native readers can abort the whole process on hostile files (calamine does on a cell
at ``XFD1048576``) or be led to exhaust memory. Running them in a child keeps the
dashboard alive: whatever the child does (abort, signal, MemoryError, endless loop),
the parent gets a :class:`LoaderError` and the child is killed and reaped.

Children fork from a ``forkserver`` that has the modules in :data:`PRELOAD` imported
already, so each call starts in milliseconds; :func:`start_worker` starts that server
early, on the second core while the caller is still importing. multiprocessing would
also re-run the parent's main script in each child (the Streamlit or pytest launcher, a
bench script: a second of imports, under the memory cap); the functions run here are
importable by name, so children skip it.
A child that fails with an unexpected exception (a bug, not a hostile file) is logged
as an error with its exception; one that dies or runs out of memory, as a warning.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from loaders.errors import LoaderError
from loaders.limits import MB, Limits

T = TypeVar("T")

PRELOAD: list[str] = ["pandas", "loaders.readers", "loaders.spreadsheets"]
"""The readers and pandas: pyarrow imports pandas the first time it converts a Python
value (``pa.array``, ``pa.scalar``), so without it here every child would spend half a
second importing it."""
MAIN_MODULE_KEYS = ("init_main_from_path", "init_main_from_name")
"""What tells a multiprocessing child to re-run the parent's main module."""
UNSAFE_MESSAGE = "the file could not be read safely (it may be corrupt or built to exhaust memory)"
GRACE_S = 5.0
LOG = logging.getLogger(__name__)
_WHAT = {"memory": "ran out of memory", "died": "died"}


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    limits: Limits,
    file: str = "",
    meanwhile: Callable[[], None] | None = None,
) -> T:
    """``func(*args)`` in a capped child; its LoaderError is re-raised, anything else wrapped.

    ``func`` and its arguments must be picklable (a module-level function). ``meanwhile``
    runs here while the child works (the rest of the file's checks, on the second core);
    whatever it raises stands, the child is killed and its outcome never looked at. The
    child's time limit counts from its start either way.
    """
    _set_preload()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = _Worker(target=_child, args=(sender, func, args, limits.max_memory), daemon=True)
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        if meanwhile is not None:
            try:
                meanwhile()
            except BaseException:
                child.kill()
                raise
        left = limits.timeout_s - (time.monotonic() - started)
        status, payload = _receive(receiver, child, max(left, 0.0))
    finally:
        receiver.close()
        exit_code = _reap(child)
    if status == "ok":
        return payload
    if status == "loader_error":
        message, where, row, column, reason = payload
        raise LoaderError(message, file=where, row=row, column=column, reason=reason)
    if status == "timeout":
        raise LoaderError(
            f"{UNSAFE_MESSAGE}; it was stopped after {limits.timeout_s:g} s",
            file=file,
            reason="timeout",
        )
    if status == "failed":
        LOG.error("the worker reading %s failed: %s", file, payload)
    else:
        LOG.warning("the worker reading %s %s (exit code %s)", file, _WHAT[status], exit_code)
    message = UNSAFE_MESSAGE
    if status == "memory":
        message += (
            f"; reading it needed more than the {limits.max_memory / MB:g} MB allowed: "
            "export only the rows and columns needed"
        )
    raise LoaderError(message, file=file, reason="unsafe")


def start_worker() -> None:
    """Start the forkserver now (it imports the readers in its own process), so that a
    command line's first load finds it ready instead of waiting for its imports."""
    _set_preload()
    forkserver.ensure_running()


def _set_preload() -> None:
    forkserver.set_forkserver_preload(PRELOAD)


class _LaunchWithoutMain(popen_forkserver.Popen):
    """The forkserver launch of CPython 3.11-3.13, without the main-module keys in the
    preparation data: the child does not re-run the parent's main script."""

    def _launch(self, process_obj: mp_context.BaseProcess) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in MAIN_MODULE_KEYS:
            prep_data.pop(key, None)
        buf = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)  # the child's sign that its parent is alive, as in CPython
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as file:
            file.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Worker(mp_context.ForkServerProcess):
    """A forkserver process launched by :class:`_LaunchWithoutMain`."""

    @staticmethod
    def _Popen(process_obj: mp_context.BaseProcess) -> _LaunchWithoutMain:
        return _LaunchWithoutMain(process_obj)


def _receive(
    receiver: Connection, child: multiprocessing.process.BaseProcess, timeout: float
) -> tuple[str, Any]:
    """The child's outcome; ``died`` if it ended without one, ``timeout`` if it hung."""
    ready = wait([receiver, child.sentinel], timeout)
    if not ready:
        child.kill()
        return ("timeout", None)
    if receiver not in ready and not receiver.poll():
        return ("died", None)
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return ("died", None)


def _reap(child: multiprocessing.process.BaseProcess) -> int | None:
    """Give a finishing child a moment to exit, then kill it; always collect it.

    Returns its exit code (negative: the signal that ended it)."""
    child.join(GRACE_S)
    if child.is_alive():
        child.kill()
        child.join()
    exit_code = child.exitcode
    child.close()
    return exit_code


def _child(sender: Connection, func: Callable[..., Any], args: tuple, max_memory: int) -> None:
    """Entry point in the child: cap memory, run, send back the outcome as plain data."""
    resource.setrlimit(resource.RLIMIT_DATA, (max_memory, max_memory))
    try:
        outcome: tuple[str, Any] = ("ok", func(*args))
    except LoaderError as error:
        outcome = (
            "loader_error",
            (error.message, error.file, error.row, error.column, error.reason),
        )
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:
        outcome = ("failed", f"{type(error).__name__}: {error}")
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()
