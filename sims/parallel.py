"""Two-way parallelism for the MNIST trainers: two Python threads, each calling single-threaded BLAS.

The trainers' products are small (10×657 · 657×30 per network and SGD step on 4000 images) or thin (1000×343 · 343×90 per full-batch
epoch). On the small ones OpenBLAS's own threads cost more than they give (measured on the 2-core machine this was
written on: 16 SGD networks' forward and gradient products took 1.00 ms a step with two BLAS threads, 0.75 ms with one,
0.43 ms with one BLAS thread in each of two Python threads). NumPy and SciPy release the GIL inside BLAS calls and
ufunc loops, so two Python threads over independent halves of the work keep both cores busy, the sigmoids included,
which would otherwise run on one core.

The work is always cut in two, whatever the machine's core count, so the numbers never depend on the machine's cores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from threadpoolctl import ThreadpoolController

WORKERS = 2

Both = Callable[[Callable[[Any], Any], Any, Any], tuple[Any, Any]]


@contextmanager
def two_workers(*, blas_threads: int = 1) -> Iterator[Both]:
    """`both(task, first, second)` runs task(first) on a second thread and task(second) on this one, returns both results.

    Inside the block BLAS runs with `blas_threads` threads (1: the two Python threads are the parallelism).
    """
    with ThreadpoolController().limit(limits=blas_threads, user_api="blas"), ThreadPoolExecutor(WORKERS - 1) as pool:

        def both(task: Callable[[Any], Any], first: Any, second: Any) -> tuple[Any, Any]:
            pending = pool.submit(task, first)
            here = task(second)
            return pending.result(), here

        yield both
