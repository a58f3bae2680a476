"""Ctrl-C and SIGTERM around child processes: held while a child is forked, left to the parent inside the child.

A signal that arrives during fork() lands in the fork handlers and is lost; held, it is delivered right after the
fork, and the parent's handler stops the work (and ends its children). The children (check workers, the figure
process) leave Ctrl-C to the parent and die quietly on SIGTERM, by the default action rather than the parent's handler.

The parent's own handlers (`own_handlers`) raise `Interrupted` and `Terminated`, subclasses of KeyboardInterrupt, not
KeyboardInterrupt itself. CPython 3.11 remembers a KeyboardInterrupt of exactly that type that leaves code run from a
string (`exec(text)`, as dataclasses and namedtuple do for every class they make): even when the program catches it and
exits 130, the interpreter then kills itself with SIGINT at exit (status -2). A Ctrl-C that landed while an import made a
dataclass did that (a run of the test suite, 0.1-0.35 s into `initcheck verify`); a subclass is not remembered.

A handler's exception can also be swallowed: Python runs signal handlers at its next check, and when that check falls in
a weakref callback or a `__del__` (importlib's module locks have one), the exception is printed as "Exception ignored"
and dropped. The parent then waited on its workers for the whole run. So the handlers also record the signal, and the
parent's waits (`first_done`, `result`) wake every POLL seconds to raise it again (`raise_if_swallowed`).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported by `python -m initcheck` before anything else: kept light
    from concurrent.futures import Future

T = TypeVar("T")

HELD = {signal.SIGINT, signal.SIGTERM}
POLL = 0.2  # seconds: the longest a Ctrl-C whose exception was swallowed goes unnoticed while the parent waits
_received: list[int] = []  # signals whose exception has not yet left `own_handlers`


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) in the parent: one line, exit 130."""


class Terminated(KeyboardInterrupt):
    """SIGTERM in the parent, raised where the program is so that workers are stopped and nothing half-written is left (exit 143)."""


def _raise(signum: int, frame: object) -> None:
    _received.append(signum)
    raise Interrupted if signum == signal.SIGINT else Terminated


def stop_status(stop: KeyboardInterrupt) -> int:
    """One line on stderr, and the exit status: 143 for SIGTERM (`Terminated`), 130 for Ctrl-C."""
    terminated = isinstance(stop, Terminated)
    print(f"initcheck: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
    return 143 if terminated else 130


def raise_if_swallowed() -> None:
    """Raise again a Ctrl-C or SIGTERM that arrived inside `own_handlers` and whose exception was dropped on the way out."""
    if _received:
        raise Interrupted if _received[0] == signal.SIGINT else Terminated


def first_done(futures: Collection[Future[Any]], also: Any = None) -> set[Future[Any]]:
    """The futures that are done, once at least one is (`concurrent.futures.wait`, FIRST_COMPLETED), looking every POLL s
    for a swallowed signal; with `also` (a multiprocessing queue), returned early, perhaps empty, once it holds a message."""
    from concurrent.futures import FIRST_COMPLETED, wait

    while True:
        raise_if_swallowed()
        done, _ = wait(futures, timeout=POLL, return_when=FIRST_COMPLETED)
        if done or (also is not None and not also.empty()):
            return done


def result(future: Future[T]) -> T:
    """`future.result()`, looking every POLL s for a swallowed Ctrl-C or SIGTERM while it waits."""
    first_done([future])
    return future.result()


@contextlib.contextmanager
def own_handlers() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise `Interrupted` and `Terminated` inside the block (main thread only; elsewhere nothing changes).

    A signal the caller chose to ignore stays ignored, as Python itself leaves it: a shell script's `initcheck verify &`
    starts with Ctrl-C ignored so that the script's own Ctrl-C does not stop it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise) for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) is not signal.SIG_IGN}
    received = list(_received)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received[:] = received  # the exception has left the block (caught outside, or ending the program)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while children are forked or spawned; they are delivered (and stop the work) right after.

    The mask holds them for this thread only. Another thread of the process (a thread pool's, the executor's manager
    thread) can still take a signal sent to the process: with the default action (a check worker's SIGTERM) the process
    then died between starting a spawned child and writing the child its start-up data, and the orphan printed
    "EOFError: Ran out of input" after "initcheck: interrupted"; with a Python handler, the handler's exception left the
    start half done. So, in the main thread, each held signal that is not ignored gets a handler that only notes it,
    and what was noted is raised again, with the handler restored, once the block is done. (`signal.signal` runs the
    handlers of signals that already came before it swaps them: none is dropped between the two.)

    Setting up and restoring are safe against the signals themselves: Python runs a pending signal's handler inside
    `signal.signal` and `pthread_sigmask`, so the parent's handler may raise there. Every handler and the mask are put
    back even then, and the first such exception is raised once they are (before, a Ctrl-C landing between the two
    restores left SIGTERM noted and dropped, and both signals blocked, for the rest of the run)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as found (a signal raised here changed nothing)
    noted: list[int] = []
    handlers: dict[signal.Signals, Any] = {}
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        if threading.current_thread() is threading.main_thread():
            for held in sorted(HELD):
                if (handler := signal.getsignal(held)) is not signal.SIG_IGN:
                    handlers[held] = handler  # first: a handler may run (and raise) as soon as the swap returns
                    signal.signal(held, lambda signum, frame: noted.append(signum))
        yield
    finally:
        stop: KeyboardInterrupt | None = None
        for held, handler in handlers.items():
            while True:  # a signal whose handler was just restored may run it here: restore the others all the same
                try:
                    signal.signal(held, handler)
                    break
                except KeyboardInterrupt as error:
                    stop = stop or error
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        except KeyboardInterrupt as error:  # a signal held by the mask, delivered as it lifts
            stop = stop or error
        if stop is not None:
            raise stop
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)


def quiet_child() -> None:
    """In a child forked under `signals_held`: ignore Ctrl-C (the parent ends us), SIGTERM by its default action, unblock both."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


def spawned(
    stack: contextlib.ExitStack, function: Any, *args: Any, initializer: Any = quiet_child, initargs: tuple[Any, ...] = (), **kwargs: Any
) -> Any:
    """function(*args, **kwargs) in a spawned one-worker pool that ends with `stack` (nothing inherited but the
    environment; `initializer(*initargs)` runs first in the child, under `signals_held` like any child); its future, or
    the exception that kept the process from starting. `outcome` collects either."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=initializer, initargs=initargs))
        with signals_held():
            return pool.submit(function, *args, **kwargs)
    except Exception as error:
        return error


def outcome(future: Any, failed: Any) -> Any:
    """What a `spawned` child returned; `failed(error)` when it raised, died or never started (never an exception here;
    Ctrl-C and SIGTERM still stop the wait)."""
    try:
        if isinstance(future, Exception):
            raise future
        return result(future)
    except Exception as error:
        return failed(error)


def stop_pool(pool: Any) -> None:
    """End a ProcessPoolExecutor's workers now, running or idle, and its manager thread with them.

    The workers are terminated first (the executor has no public way to end running work), then the executor is shut down
    waiting: that joins its manager thread, which sees the workers gone and ends. Shut down without waiting, the thread
    outlived the call and, at interpreter exit, CPython 3.11's exit hook woke it through a pipe the thread had closed
    ("Exception ignored ... OSError: [Errno 9] Bad file descriptor" after "initcheck: terminated", seen once in a test run:
    3.11's _ThreadWakeup checks and writes without a lock; CPython gh-125451 later put one there)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # None once the executor was shut down
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)
