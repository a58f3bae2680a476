"""Parallelism for the MNIST trainers: the work cut into a fixed number of parts, run on as many threads as there are cores.

The trainers' products are small (10×657 · 657×30 per network and SGD step on 4000 images) or thin (1000×343 · 343×90 per
full-batch epoch). On the small ones OpenBLAS's own threads cost more than they give (measured on the 2-core machine this
was written on: 16 SGD networks' forward and gradient products took 1.00 ms a step with two BLAS threads, 0.75 ms with
one, 0.43 ms with one BLAS thread in each of two Python threads). NumPy and SciPy release the GIL inside BLAS calls and
ufunc loops, so Python threads over independent parts of the work, each with single-threaded BLAS, keep the cores busy,
the sigmoids included, which would otherwise run on one core.

The numbers never depend on the machine: the work is always cut into PARTS parts (rows of the batch, blocks of
networks), whatever the core count, and each part's arithmetic is the same whichever thread runs it. Only how many
parts run at once changes: `threads()`, every core this process may use, or INITCHECK_THREADS where the caller sets it
(initcheck's worker processes set it to their share of the cores, so that N processes do not each start every core's
worth of threads).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from threadpoolctl import ThreadpoolController

PARTS = 4  # fixed: changing it changes the parts, and so the last bits of the trained weights
THREADS_VARIABLE = "INITCHECK_THREADS"

Runner = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


def threads() -> int:
    """How many parts run at once: INITCHECK_THREADS if set (a whole number ≥ 1), else every core this process may use."""
    told = os.environ.get(THREADS_VARIABLE)
    if told is not None:
        if not told.strip().isdigit() or int(told) < 1:
            raise ValueError(f"{THREADS_VARIABLE}={told!r}: expected a whole number of threads ≥ 1")
        return int(told)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split(count: int, parts: int = PARTS) -> list[slice]:
    """`count` items cut into `parts` contiguous slices whose lengths differ by at most one; empty slices dropped."""
    bounds = [count * k // parts for k in range(parts + 1)]
    return [slice(a, b) for a, b in itertools.pairwise(bounds) if b > a]


@contextmanager
def part_runner(*, blas_threads: int = 1) -> Iterator[Runner]:
    """`run(task, parts)` returns [task(p) for p in parts], at most `threads()` at a time, in the order of `parts`.

    Inside the block BLAS runs with `blas_threads` threads (1: the Python threads are the parallelism).
    """
    with ThreadpoolController().limit(limits=blas_threads, user_api="blas"), ThreadPoolExecutor(threads()) as pool:

        def run(task: Callable[[Any], Any], parts: Sequence[Any]) -> list[Any]:
            return list(pool.map(task, parts))

        yield run
