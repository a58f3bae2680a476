"""GRAD-MATRIX-SHRINK: the ‖W‖/4 bound, when a factor of eq. 124 shrinks, and the two foils."""

from __future__ import annotations

import numpy as np

from initcheck.properties.matrix_shrink import GRAD_MATRIX_SHRINK
from initcheck.registry import BY_ID
from initcheck.verify import run_properties


def test_entrywise_small_weights_can_grow_the_gradient():
    w = np.full((5, 5), 0.9)
    factor = np.diag(np.full(5, 0.25)) @ w.T  # σ'(0) = 1/4
    assert abs(np.linalg.norm(factor, 2) - 1.125) < 1e-14  # rank one: 5·0.9/4 exactly, up to SVD rounding


def test_properties_hold_under_the_spectral_condition_and_foils_fail():
    record = run_properties(BY_ID["GRAD-MATRIX-SHRINK"], GRAD_MATRIX_SHRINK, seed=1).as_json()
    assert record["passed"], record["summary"]
    assert record["verdict"] == "holds-under-conditions"
