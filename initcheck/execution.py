"""Where units of work run: in this process, in local worker processes (all cores by default), or on a Dask cluster.

A unit is a picklable call `function(*arguments)`; `execute` returns the results in the order of the units,
whatever order they finish in, so a run's output never depends on the worker count or the scheduler. Each
unit runs with BLAS on one thread (threadpoolctl), in every mode: a BLAS reduction split across a different
number of threads could change the last bits of a result.

Faults become `ExecutionError` (one line for the user): a worker process that dies, a cluster that cannot
be reached or goes away, a cluster whose workers run another initcheck version. Ctrl-C or SIGTERM stop
the local workers before the exception goes on; Dask tasks are cancelled.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from typing import Any

from initcheck import __version__
from initcheck.signals import first_done, quiet_child, raise_if_swallowed, signals_held, stop_pool
from initcheck.sims.parallel import THREADS_VARIABLE

CONNECT_TIMEOUT = "15s"  # how long to wait for a Dask scheduler before saying it cannot be reached
Progress = Callable[[int, int, int], None]  # (index of the unit just finished, units done, units in all)


class ExecutionError(Exception):
    """The work could not be run as asked (the message says where and why)."""


def default_workers() -> int:
    """Every core this process may use (the scheduler's affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def single_threaded(function: Callable[..., Any], *arguments: Any) -> Any:
    """function(*arguments) with BLAS and OpenMP pools held to one thread (same bits whatever the machine's cores)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return function(*arguments)


def execute(
    function: Callable[..., Any],
    units: Sequence[tuple[Any, ...]],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    together: Collection[int] = (),
) -> list[Any]:
    """[function(*unit) for unit in units], run as asked (module docstring); results in the order of `units`.

    `together`: indices of units that local workers run one after another in one worker, started first (the checks that
    use initcheck.hosts: the worker keeps the frameworks' imports from one to the next). Where a unit runs never changes
    its result."""
    if scheduler is not None:
        return _on_dask(function, units, scheduler, progress)
    if workers <= 1 or len(units) <= 1:
        results = []
        for index, unit in enumerate(units):
            raise_if_swallowed()
            results.append(single_threaded(function, *unit))
            if progress:
                progress(index, index + 1, len(units))
        return results
    return _on_processes(function, units, workers, progress, sorted(set(together)))


_finished: Any = None  # in a worker: the parent's channel for "unit i is done" (a SimpleQueue), where units run in turn


def _in_turn(function: Callable[..., Any], units: Sequence[tuple[Any, ...]], indices: Sequence[int]) -> list[Any]:
    """[function(*unit) for unit in units], each as `single_threaded`, in one worker; where the parent listens (_finished),
    each unit's index is sent to it as the unit finishes (its progress), the results all together at the end."""
    results = []
    for index, unit in zip(indices, units, strict=True):
        results.append(single_threaded(function, *unit))
        if _finished is not None:
            _finished.put(index)
    return results


def _worker_start(threads: int, finished: Any = None) -> None:
    """Workers leave Ctrl-C to the parent, which stops them, and die quietly on SIGTERM (not by the parent's handler).

    Each worker's threaded parts (the MNIST trainers, initcheck.sims.parallel) get `threads`, its share of the cores,
    unless the user set INITCHECK_THREADS: the numbers do not depend on it, only the oversubscription does.
    `finished`: where a worker running units in turn says which one is done."""
    global _finished
    os.environ.setdefault(THREADS_VARIABLE, str(threads))
    _finished = finished
    quiet_child()


def _on_processes(function: Callable[..., Any], units: Sequence[tuple[Any, ...]], workers: int, progress: Progress | None, together: list[int]) -> list[Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: list[Any] = [None] * len(units)
    count = min(workers, len(units))
    # the bundle's units report as each finishes (its ~95 s were one silent step of the progress bar), through a pipe
    channel: Any = multiprocessing.SimpleQueue() if together and progress else None
    pool = ProcessPoolExecutor(max_workers=count, initializer=_worker_start, initargs=(max(1, default_workers() // count), channel))
    bundled = set(together)
    tasks = [together] if together else []  # each task: unit indices one worker runs in turn; the bundle first
    tasks += [[index] for index in range(len(units)) if index not in bundled]
    reported: set[int] = set()

    def report(index: int) -> None:
        if progress and index not in reported:
            reported.add(index)
            progress(index, len(reported), len(units))

    try:
        with signals_held():  # the workers fork here: a signal mid-fork would be lost
            pending = {pool.submit(_in_turn, function, [units[index] for index in task], task): task for task in tasks}
        while pending:
            finished = first_done(pending, also=channel)
            while channel is not None and not channel.empty():
                report(channel.get())
            for future in finished:
                indices = pending.pop(future)
                for index, value in zip(indices, future.result(), strict=True):
                    results[index] = value
                    report(index)
    except BrokenProcessPool:
        stop_pool(pool)
        raise ExecutionError("a worker process died (killed, or out of memory); nothing was written") from None
    except BaseException:  # Ctrl-C, SIGTERM, a bug: no worker outlives the parent
        stop_pool(pool)
        raise
    stop_pool(pool)  # every result is in; idle workers can take many seconds to tear down SymPy's caches, so end them now
    return results


def installed_version() -> str:
    """The initcheck version a Dask worker imports (must equal the client's: the numbers depend on it)."""
    return __version__


def _on_dask(function: Callable[..., Any], units: Sequence[tuple[Any, ...]], scheduler: str, progress: Progress | None) -> list[Any]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExecutionError("--scheduler needs dask.distributed: pip install 'initcheck[dask]'") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ExecutionError(f"cannot reach the Dask scheduler at {scheduler!r}: {error}") from None
    try:
        versions = set(client.run(installed_version).values())
        if not versions:
            raise ExecutionError(f"the Dask cluster at {scheduler!r} has no workers")
        if versions != {__version__}:
            raise ExecutionError(f"the Dask workers at {scheduler!r} run initcheck {sorted(versions)}, not {__version__}: install the same version there")
        futures = [client.submit(single_threaded, function, *unit, pure=False) for unit in units]
        index_of = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(units)
        try:
            for done_count, future in enumerate(as_completed(futures, loop=client.loop), start=1):
                index = index_of[future.key]
                results[index] = future.result()
                if progress:
                    progress(index, done_count, len(units))
        except BaseException:
            client.cancel(futures)
            raise
        return results
    except ExecutionError:
        raise
    except (OSError, TimeoutError) as error:
        raise ExecutionError(f"lost the Dask cluster at {scheduler!r}: {error}; nothing was written") from None
    except Exception as error:  # KilledWorker and its kin: the cluster failed, not a check (checks report their own errors)
        if type(error).__module__.startswith("distributed"):
            raise ExecutionError(f"the Dask cluster at {scheduler!r} failed: {type(error).__name__}: {error}; nothing was written") from None
        raise
    finally:
        client.close()
