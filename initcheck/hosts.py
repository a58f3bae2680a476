"""Spawned processes that run framework code for this one, started on first use and kept until it ends.

Importing a framework changes the process that imports it (torch and JAX load their own OpenMP runtimes and thread
pools; JAX warns on any later fork; Keras fixes its backend at import), so the checks that use torch, TensorFlow, JAX or
Keras run their framework code in a child process started by spawn (nothing inherited but the environment). Starting one
costs the framework's import: 4-9 s for Keras on one backend, 10-15 s for every framework together, against a few
seconds of work. A host is such a child, kept: the next check of this process that needs the same kind of host finds
its imports done.

Kinds: "frameworks", a child that leaves Ctrl-C to its parent (initcheck.signals.quiet_child) and imports what the
functions it runs import; "keras:BACKEND", Keras on BACKEND (initcheck.conformance._keras_child, which sets
KERAS_BACKEND before anything imports Keras).

A process makes one host call at a time (a lock: Dask runs tasks on threads, and a pipe carries one answer). A call
that is interrupted (Ctrl-C) ends its host, whose answer would otherwise reach the next call; a forked child (a check
worker) starts with no hosts of its own. What a host runs must not depend on what it ran before: every draw is seeded
from its arguments (the framework's generators seeded explicitly, never left at their state), so a reused host gives
the same bytes as a fresh one (tests/test_hosts.py). A host dies with the process that started it (Linux
PR_SET_PDEATHSIG), also when that process is a check worker ended by SIGTERM, which runs no exit handlers (the signal
comes when the thread that started the host ends: the checks start theirs from a process's main thread); a host that
died in a call is dropped and HostDied raised, one that died while idle is replaced, and a process that ends normally
ends its hosts first (an exit handler that runs before multiprocessing's, which would wait for them).
"""

from __future__ import annotations

import atexit
import multiprocessing.util  # noqa: F401 (imported for its exit handler, which joins live non-daemon children: registered before ours, it runs after)
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

FRAMEWORKS = "frameworks"


class HostDied(RuntimeError):
    """A host ended (killed, out of memory, or a crash in native code) before it answered."""


class _Host:
    """A spawned process and a pipe to it: no semaphore or manager thread, so nothing is left to clean up (and nothing
    for multiprocessing's resource tracker to warn about) when the process that holds it is killed."""

    def __init__(self, backend: str | None) -> None:
        import multiprocessing

        from initcheck.signals import signals_held

        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, backend, os.getpid()), name=f"initcheck host ({backend or FRAMEWORKS})")
        with signals_held():  # a Ctrl-C mid-start would be lost
            self.process.start()
        child.close()

    def call(self, function: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        from initcheck.signals import POLL, raise_if_swallowed

        try:
            self.connection.send((function, args, kwargs))
            while not self.connection.poll(POLL):
                raise_if_swallowed()
                if not self.process.is_alive() and not self.connection.poll(0):
                    raise HostDied(f"the host process {self.process.name} ended (exit status {self.process.exitcode})")
            answered, value = self.connection.recv()
        except (EOFError, OSError) as error:
            raise HostDied(f"the host process {self.process.name} ended (exit status {self.process.exitcode}): {error}") from None
        if answered:
            return value  # type: ignore[no-any-return]
        raise value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.connection.close()


_hosts: dict[str, _Host] = {}
_registered = False  # `stop` is an exit handler of this process
_lock = threading.RLock()  # one call at a time per process: a pipe carries one call's answer (Dask runs tasks on threads)


def call(kind: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """function(*args, **kwargs) in this process's host of `kind` (module docstring), started if there is none (or if
    the one there ended while idle); the function's exception is raised here. A host that dies in the call, or whose
    call is interrupted (Ctrl-C: its answer would reach the next call), is ended and dropped, and the exception raised."""
    with _lock:
        host = _hosts.get(kind)
        if host is not None and not host.process.is_alive():  # ended while idle: nothing was lost, start another
            _drop(kind)
            host = None
        host = host or _start(kind)
        try:
            return host.call(function, args, kwargs)
        except BaseException as error:
            if isinstance(error, HostDied) or not isinstance(error, Exception):
                _drop(kind)
            raise


def _drop(kind: str) -> None:
    host = _hosts.pop(kind, None)
    if host is not None:
        host.stop()


def _forget_after_fork() -> None:
    """A forked child (a check worker) has its own hosts: the parent's are the parent's children, not its own."""
    global _lock, _registered
    _hosts.clear()
    _lock, _registered = threading.RLock(), False


os.register_at_fork(after_in_child=_forget_after_fork)


def keras(backend: str) -> str:
    """The kind of the host that runs Keras on `backend`."""
    return f"keras:{backend}"


def _start(kind: str) -> _Host:
    if kind != FRAMEWORKS and not kind.startswith("keras:"):
        raise ValueError(f"no host kind {kind!r}: {FRAMEWORKS!r} or 'keras:BACKEND'")
    global _registered
    if not _registered:
        atexit.register(stop)  # after multiprocessing.util's (imported above): runs first, before that one joins the hosts
        _registered = True
    host = _hosts[kind] = _Host(kind.partition(":")[2] or None)
    return host


def _serve(connection: Any, backend: str | None, parent: int) -> None:
    """The host's loop: calls in, results (or the exception) out, until the pipe closes."""
    _host_start(backend, parent)
    while True:
        try:
            function, args, kwargs = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[bool, Any] = (True, function(*args, **kwargs))
        except Exception as error:
            answer = (False, _portable(error))
        try:
            connection.send(answer)
        except Exception as error:  # an answer that does not pickle: say so
            connection.send((False, RuntimeError(f"the host could not send back {type(answer[1]).__name__}: {type(error).__name__}: {error}")))


def _portable(error: Exception) -> Exception:
    """The exception itself where it survives pickling; else (JAX's TracerArrayConversionError does not: its
    constructor wants a tracer) a RuntimeError that names it and carries the host's traceback."""
    import pickle
    import traceback

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        trace = "".join(traceback.format_exception(error))
        return RuntimeError(f"{type(error).__module__}.{type(error).__name__} in the host: {error}\n{trace}")


def _host_start(backend: str | None, parent: int) -> None:
    """In the host: die with the parent, leave Ctrl-C to it, and set Keras's backend where the host is a Keras one."""
    _die_with_parent(parent)
    if backend is None:
        from initcheck.conformance.adapters import keras_backend
        from initcheck.signals import quiet_child

        quiet_child()
        keras_backend()  # KERAS_BACKEND jax unless set, before anything imports Keras (TensorFlow's import can, on its own default)
    else:
        from initcheck.conformance import _keras_child

        _keras_child(backend)


def _die_with_parent(parent: int) -> None:
    """SIGKILL when the parent ends (Linux prctl PR_SET_PDEATHSIG; elsewhere nothing: the host then ends at the parent's
    exit handler, or when its pipe closes); a parent already gone before that was set: end now."""
    import ctypes
    import os
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)


def running() -> tuple[str, ...]:
    """The kinds of the hosts this process holds now."""
    return tuple(_hosts)


def stop() -> None:
    """End every host of this process (each starts again on its next call)."""
    while _hosts:
        _drop(next(iter(_hosts)))
