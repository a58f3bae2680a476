"""Worker processes for the report build's independent pieces (figures, the PDF's parts)."""

from __future__ import annotations

import contextlib
import multiprocessing
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from initcheck.signals import quiet_child, stop_pool


@contextlib.contextmanager
def side_by_side(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Forked worker processes for the build's independent pieces (figures, PDF parts); they end with this one.

    Forked explicitly (the default changes across Pythons): a child inherits this process's imports and import hooks and
    only draws or lays out, so the "fork of a multi-threaded process" notice of Python 3.12+ (BLAS threads idle here) is
    not the user's concern. Submit inside `signals_held()`: a fork happens there, and a SIGTERM mid-fork would be lost."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=quiet_child)
        try:
            yield pool
        except BaseException:  # Ctrl-C, SIGTERM, a failed figure: the workers end with this process, not later
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)
