"""Where a simulation meets its derivation: each case pairs a `sims/` estimator with a `theory/` value.

This package (with the registry and initcheck.symbolic) is the only place that imports both sides; one module per
claim family, named as the family's modules in theory/ and sims/ (`simulations.variance` pairs `sims.variance` with
`theory.variance`); estimators live in sims/, a case here only pairs one with a theory value. Theory
values are SymPy/mpmath results converted to float here, at the edge; the foil is
the value a plausible wrong formula predicts, and the same rule must reject it.
Replicate counts are sized so that the foil is rejected with power ≥ 0.999 and a 2%
error in a variance is detectable (each case's minimum detectable effect is reported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from initcheck.sims.stats import Estimate


@dataclass(frozen=True, kw_only=True)
class StatisticalCase:
    """A Monte Carlo estimate compared with theory by the |z| ≤ Z_CRITICAL rule (sims.stats).

    The replicates are sized so that the foil is rejected with power ≥ 0.999 and, unless the case states
    another bound with its reason, a relative error of RELATIVE_MDE (2%) is detectable.
    """

    name: str
    estimate: Callable[[np.random.Generator, int], Estimate]  # (rng, replicates)
    replicates: int
    theory: Callable[[], float]
    foil: Callable[[], float]
    foil_label: str
    relative_mde_bound: float = 0.02
    relative_mde_reason: str = "a 2% error in the quantity is detectable"
    # Reduced sizes (the calibration's scale < 1) never go below this: a mean of skewed samples (a product of layer gains)
    # needs its full size for the |z| rule's stated false-failure rate.
    min_replicates: int = 2


@dataclass(frozen=True, kw_only=True)
class ExactCase:
    """A deterministic float64 computation compared with theory within a stated tolerance.

    The foil is either a wrong theory value (`foil_value`, which the measurement must
    contradict) or a wrong computation (`foil_measure`, whose result must contradict the
    theory). With `one_sided`, agreement means measured ≤ theory + tolerance.
    """

    name: str
    measure: Callable[[np.random.Generator], float]
    theory: Callable[[], float]
    foil_label: str
    tolerance: float
    tolerance_reason: str
    foil_value: Callable[[], float] | None = None
    foil_measure: Callable[[np.random.Generator], float] | None = None
    one_sided: bool = False

    def __post_init__(self) -> None:
        if (self.foil_value is None) == (self.foil_measure is None):
            raise ValueError(f"case {self.name!r} needs exactly one of foil_value and foil_measure")


@dataclass(frozen=True)
class SimulationCheck:
    """A claim's cases; `build` adds cases that need theory values to be chosen (computed on first use, not at import).

    `measurements` (rng → dict) records what is measured but not asserted: it enters the results and the report.
    """

    fixed_cases: tuple[StatisticalCase | ExactCase, ...] = field(default_factory=tuple)
    build: Callable[[], tuple[StatisticalCase | ExactCase, ...]] | None = None
    measurements: Callable[[np.random.Generator], dict[str, Any]] | None = None

    @property
    def cases(self) -> tuple[StatisticalCase | ExactCase, ...]:
        return self.fixed_cases + (_built(self.build) if self.build else ())


@cache
def _built(build: Callable[[], tuple[StatisticalCase | ExactCase, ...]]) -> tuple[StatisticalCase | ExactCase, ...]:
    return build()
