"""The identity neuron of source 001 (ch. 5, problem "identity neuron"), measured on a grid: GRAD-IDENTITY.

With b = −w₁/2 and w₂ = 4/w₁, w₂σ(w₁x + b) ≈ x − ½ + 2/w₁ on [0, 1]; `max_error` measures the largest deviation, the
quantity `initcheck.theory.identity_neuron.identity_neuron()["max_error"]` derives.
"""

from __future__ import annotations

import numpy as np


def max_error(w1: float, *, points: int = 200001) -> float:
    """max over x ∈ [0,1] of |w₂σ(w₁x + b) − (x − ½ + 2/w₁)| with b = −w₁/2, w₂ = 4/w₁, on a dense grid."""
    x = np.linspace(0.0, 1.0, points)
    output = (4.0 / w1) / (1.0 + np.exp(-(w1 * x - w1 / 2)))
    return float(np.max(np.abs(output - (x - 0.5 + 2.0 / w1))))
