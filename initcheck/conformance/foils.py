"""Deliberately wrong initializers, one per bug class, each paired with the rule it claims to follow (Keras layout).

Each is a user callable f(rng, shape) in float32 (one in float16), like a user's own code; the battery must fail
every one of them (tests/test_conformance_foils.py) and pass the correct ones (CORRECT).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from initcheck.conformance.layouts import fans

Function = Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]
TRUNC_SD = float(stats.truncnorm.std(-2, 2))  # the 0.8796 sd factor, from SciPy here (theory/ derives it independently)


@dataclass(frozen=True)
class Foil:
    name: str
    rule: str
    function: Function
    bug: str


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    f = fans(shape, "keras")
    return f.fan_in, f.fan_out


def _normal(rng: np.random.Generator, shape: tuple[int, ...], variance: float) -> np.ndarray:
    return (rng.standard_normal(shape) * np.sqrt(variance)).astype(np.float32)


def _uniform(rng: np.random.Generator, shape: tuple[int, ...], variance: float) -> np.ndarray:
    half = np.sqrt(3 * variance)
    return rng.uniform(-half, half, shape).astype(np.float32)


def _truncated(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    """N(0, std²) cut at ±2 std (no correction: the sd of the result is 0.88·std)."""
    return (stats.truncnorm.rvs(-2, 2, size=shape, random_state=rng) * std).astype(np.float32)


def _orthogonal(rng: np.random.Generator, shape: tuple[int, ...], gain: float = 1.0) -> np.ndarray:
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))  # Haar: fix the signs QR leaves arbitrary
    q = q if rows >= cols else q.T
    return (gain * q).reshape(shape).astype(np.float32)


def he_normal_ok(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _normal(rng, shape, 2 / _fans(shape)[0])


def glorot_uniform_ok(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    fi, fo = _fans(shape)
    return _uniform(rng, shape, 2 / (fi + fo))


def he_truncated_ok(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _truncated(rng, shape, np.sqrt(2 / _fans(shape)[0]) / TRUNC_SD)


def orthogonal_ok(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _orthogonal(rng, shape)


CORRECT = (
    Foil("he_normal (numpy)", "kaiming_normal", he_normal_ok, "none"),
    Foil("glorot_uniform (numpy)", "glorot_uniform", glorot_uniform_ok, "none"),
    Foil("he_normal truncated (numpy)", "he_normal", he_truncated_ok, "none"),
    Foil("orthogonal (numpy QR)", "orthogonal", orthogonal_ok, "none"),
)


def rounded(function: Function, dtype: str) -> Function:
    """`function`'s draw made in float64 and rounded to nearest in `dtype` (float16 by NumPy's cast; bfloat16 by
    ml_dtypes', installed with JAX and TensorFlow): what a correct low-precision initializer holds."""

    def draw(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        exact = np.asarray(function(rng, shape), dtype=np.float64)
        if dtype == "bfloat16":
            import ml_dtypes

            return exact.astype(ml_dtypes.bfloat16)
        return exact.astype(dtype)

    return draw


def _he_normal_64(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_normal(shape) * np.sqrt(2 / _fans(shape)[0])


def _glorot_uniform_64(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    half = np.sqrt(6 / sum(_fans(shape)))
    return rng.uniform(-half, half, shape)


def _he_truncated_64(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return stats.truncnorm.rvs(-2, 2, size=shape, random_state=rng) * np.sqrt(2 / _fans(shape)[0]) / TRUNC_SD


# The three families with a CDF, rounded from float64 (the battery judges them against conformance.rounding.rounded_law)
CORRECT_LOW_PRECISION = tuple(
    Foil(f"{name} ({dtype}, rounded to nearest)", rule, rounded(function, dtype), "none")
    for dtype in ("float16", "bfloat16")
    for name, rule, function in (("he_normal", "kaiming_normal", _he_normal_64), ("glorot_uniform", "glorot_uniform", _glorot_uniform_64),
                                 ("he_normal truncated", "he_normal", _he_truncated_64))
)  # fmt: skip


def _with(base: Function, change: Callable[[np.random.Generator, np.ndarray], np.ndarray]) -> Function:
    def function(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return change(rng, base(rng, shape)).astype(np.float32)

    return function


def _repeat_rows(rng: np.random.Generator, w: np.ndarray) -> np.ndarray:
    w = w.copy()
    w[..., 1::2] = w[..., 0::2][..., : w[..., 1::2].shape[-1]]  # each odd output unit copies its neighbour
    return w


def _outliers(rate: float, size_sd: float) -> Callable[[np.random.Generator, np.ndarray], np.ndarray]:
    def change(rng: np.random.Generator, w: np.ndarray) -> np.ndarray:
        w = w.copy()
        hit = rng.random(w.shape) < rate
        w[hit] = np.sign(w[hit]) * size_sd * np.sqrt(np.mean(w**2))
        return w

    return change


def _nan(rng: np.random.Generator, w: np.ndarray) -> np.ndarray:
    w = w.copy()
    w[rng.random(w.shape) < 1e-4] = np.nan  # ~80 NaNs in the quick tier's 786k values: none at all has probability e^-80
    return w


def _pre_fix_trunc_normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """The trunc_normal_ bug class: inverse-CDF sampling in float32, where u rounded to ±1 gives erfinv = ±inf, clamped late."""
    std = np.sqrt(2 / _fans(shape)[0]) / TRUNC_SD
    lower, upper = stats.norm.cdf(-2), stats.norm.cdf(2)
    u = rng.uniform(2 * lower - 1, 2 * upper - 1, shape).astype(np.float32)
    u[rng.random(shape) < 1e-4] = np.float32(1.0)  # the rounding event, at the rate reported in pytorch#145498
    with np.errstate(over="ignore"):
        values = std * np.sqrt(2) * stats.norm.ppf((u.astype(np.float64) + 1) / 2) / np.sqrt(2)
    return np.clip(values, -1e3, 1e3).astype(np.float32)  # a late clamp far outside ±2 std


def _global_rng(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return he_normal_ok(np.random.default_rng(), shape)  # ignores the generator it is given


def _fixed_seed(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return he_normal_ok(np.random.default_rng(0), shape)  # the same seed every call


def _not_orthogonal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    return _normal(rng, shape, 1 / max(rows, cols))


def _orthogonal_without_sign_fix(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Q of a Gaussian matrix's QR as LAPACK returns it: orthogonal, but every diagonal sign is set by the algorithm, not Haar."""
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    q, _ = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
    return (q if rows >= cols else q.T).reshape(shape).astype(np.float32)


def _orthogonal_canonical_sign(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Haar, then the overall sign fixed so that Q₀₀ ≤ 0 (Q → −Q when Q₀₀ > 0, as in cr-sparse#28): orthogonal, and each
    diagonal entry still nearly symmetric, but Q₀₀ never positive."""
    q = _orthogonal(rng, shape)
    return -q if q.flat[0] > 0 else q


def _orthogonal_wrong_side(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Normalizes the longer side's vectors: unit-norm columns of a wide matrix, its rows not orthogonal."""
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = rng.standard_normal((rows, cols))
    axis = 0 if rows < cols else 1
    a = a / np.linalg.norm(a, axis=axis, keepdims=True) * np.sqrt(min(rows, cols) / max(rows, cols))
    return a.reshape(shape).astype(np.float32)


def _leaky_gain_a(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _normal(rng, shape, 2 / (1 + 0.2) / _fans(shape)[0])  # 2/(1+a) instead of 2/(1+a²)


def _receptive_field_ignored(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _normal(rng, shape, 2 / shape[-2])  # fan_in = channels only


def _torch_layout_on_keras(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return _normal(rng, shape, 2 / (shape[1] * int(np.prod(shape[2:]))))  # reads (out, in, *k) from a (*k, in, out) tensor


def _shared_offset(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    w = he_normal_ok(rng, shape)
    offset = rng.standard_normal(shape[-1]) * 0.3 * np.sqrt(2 / _fans(shape)[0])  # one offset per output unit
    return (np.sqrt(1 - 0.09) * w + offset).astype(np.float32)  # same variance, correlated entries


MIXTURE_SHIFT = 0.7  # μ of the moments-matched mixture below: A²'s shift n·∫(G − F)²/(F(1 − F))dF ≈ 51 at the quick tier's n


def mixture_components(shift: float = MIXTURE_SHIFT) -> list[tuple[float, float]]:
    """(mean, sd) of the four equally likely normals of X = τ·(μ·S + σ·Z): S = ±1, Z ~ N(0, 1), σ² = 1 − μ², τ² = 1 ± δ.

    E[X²] = μ² + σ² = 1 and E[(μS + σZ)⁴] = μ⁴ + 6μ²σ² + 3σ⁴ = 3 − 2μ⁴, so with E[τ⁴] = 1 + δ² the fourth moment is
    (1 + δ²)(3 − 2μ⁴) = 3 when δ² = 2μ⁴/(3 − 2μ⁴); odd moments vanish by symmetry. The first five moments are the
    standard normal's; the sixth is not."""
    sigma = np.sqrt(1 - shift**2)
    delta = np.sqrt(2 * shift**4 / (3 - 2 * shift**4))
    return [(sign * shift * np.sqrt(t2), sigma * np.sqrt(t2)) for sign in (-1.0, 1.0) for t2 in (1 - delta, 1 + delta)]


def _moments_matched(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """He-normal variance, the normal's first five moments, another law: a mixture of four normals (mixture_components)."""
    components = np.asarray(mixture_components())
    pick = rng.integers(0, len(components), size=shape)
    values = components[pick, 0] + components[pick, 1] * rng.standard_normal(shape)
    return (values * np.sqrt(2 / _fans(shape)[0])).astype(np.float32)


SMALL_FAN_PATH = 8  # the foils below take another code path for fan_in < 8: only the battery's probe D (fans 1–4) sees it


def _small_fans_uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """He normal, except for fan_in < 8, where a 'fast path' draws a uniform of the same variance: right mean and
    variance everywhere, the wrong law (kurtosis 1.8, not 3) only on small fans."""
    fan_in = _fans(shape)[0]
    return _uniform(rng, shape, 2 / fan_in) if fan_in < SMALL_FAN_PATH else he_normal_ok(rng, shape)


def _small_fans_mixture(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """He normal, except for fan_in < 8, where the values come from the four-normal mixture with the normal's first five
    moments (mixture_components at μ = 0.9, δ = 0.88): every moment test passes on every probe; only a fit test on the
    small fans sees another law."""
    fan_in = _fans(shape)[0]
    if fan_in >= SMALL_FAN_PATH:
        return he_normal_ok(rng, shape)
    components = np.asarray(mixture_components(0.9))
    pick = rng.integers(0, len(components), size=shape)
    return ((components[pick, 0] + components[pick, 1] * rng.standard_normal(shape)) * np.sqrt(2 / fan_in)).astype(np.float32)


def _coarse_float16_uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Glorot's U(−a, a) from 128 equally spaced points (a 7-bit uniform, as JAX's bfloat16 U[0, 1)), centred so the
    mean is right, then rounded to float16: a few hundred float16 levels where round-to-nearest of U(−a, a) fills
    tens of thousands."""
    fi, fo = _fans(shape)
    a = np.sqrt(6 / (fi + fo))
    return (2 * a * (rng.integers(0, 128, shape) + 0.5) / 128 - a).astype(np.float16)


FOILS = (
    Foil("fan_in/fan_out swap", "kaiming_normal", lambda r, s: _normal(r, s, 2 / _fans(s)[1]), "fans read from the wrong axis"),
    Foil("missing gain", "kaiming_normal", lambda r, s: _normal(r, s, 1 / _fans(s)[0]), "gain √2 left out (LeCun instead of He)"),
    Foil("gain 2 instead of √2", "kaiming_normal", lambda r, s: _normal(r, s, 4 / _fans(s)[0]), "gain squared twice"),
    Foil("std used as variance", "kaiming_normal", lambda r, s: _normal(r, s, (2 / _fans(s)[0]) ** 2), "std = 2/fan_in"),
    Foil("leaky-ReLU gain 2/(1+a)", "kaiming_normal:a=0.2", _leaky_gain_a, "a where a² belongs"),
    Foil("fan_in where fan_avg is documented", "glorot_uniform", lambda r, s: _uniform(r, s, 2 / (2 * _fans(s)[0])), "Glorot with fan_in only"),
    Foil("uniform bound off by √3", "glorot_uniform", lambda r, s: _uniform(r, s, 2 / sum(_fans(s)) / 3), "a = √(2/(fi+fo)): Var(U) = a²/3 forgotten"),
    Foil("nn.Linear a=√5 default as Kaiming", "kaiming_uniform", lambda r, s: _uniform(r, s, 1 / (3 * _fans(s)[0])), "Var = 1/(3·fan_in), pytorch#15314"),
    Foil("truncation without variance correction", "he_normal", lambda r, s: _truncated(r, s, np.sqrt(2 / _fans(s)[0])), "sd 0.88× the rule"),
    Foil("normal where truncated is documented", "he_normal", he_normal_ok, "no truncation: values beyond ±2 std"),
    Foil("uniform where normal is documented", "kaiming_normal", lambda r, s: _uniform(r, s, 2 / _fans(s)[0]), "right variance, wrong shape"),
    Foil("normal where uniform is documented", "glorot_uniform", lambda r, s: _normal(r, s, 2 / sum(_fans(s))), "right variance, unbounded"),
    Foil("mean shift 0.03 sd", "kaiming_normal", _with(he_normal_ok, lambda r, w: w + 0.03 * np.sqrt(np.mean(w**2))), "biased draw"),
    Foil("repeated rows", "kaiming_normal", _with(he_normal_ok, _repeat_rows), "units share weights"),
    Foil("shared per-unit offset", "kaiming_normal", _shared_offset, "correlated entries, right variance"),
    Foil("global RNG, seed ignored", "kaiming_normal", _global_rng, "the generator argument unused"),
    Foil("fixed seed", "kaiming_normal", _fixed_seed, "every call draws the same values"),
    Foil("quantized through float16", "kaiming_normal", _with(he_normal_ok, lambda r, w: w.astype(np.float16)), "float16 precision in a float32 tensor"),
    Foil("outliers at rate 1e-4", "kaiming_normal", _with(he_normal_ok, _outliers(1e-4, 10.0)), "heavy tail: 10 sd values"),
    Foil("pre-fix trunc_normal_ (rare out-of-range values)", "he_normal", _pre_fix_trunc_normal, "pytorch#145498 class"),
    Foil("non-finite values", "kaiming_normal", _with(he_normal_ok, _nan), "NaN in ~1e-4 of values"),
    Foil("orthogonal that is not orthogonal", "orthogonal", _not_orthogonal, "Gaussian matrix of the right variance"),
    Foil("orthogonal normalized on the wrong side", "orthogonal", _orthogonal_wrong_side, "non-square: rows not orthonormal"),
    Foil("orthogonal without the QR sign fix", "orthogonal", _orthogonal_without_sign_fix, "orthogonal, not Haar: tensorflow#9429, chainer#5615"),
    Foil("orthogonal with a canonical overall sign", "orthogonal", _orthogonal_canonical_sign, "Q → −Q when Q₀₀ > 0: not Haar, cr-sparse#28"),
    Foil("receptive field left out of the fans", "kaiming_normal", _receptive_field_ignored, "conv fan_in = in channels"),
    Foil("torch layout read on a Keras tensor", "kaiming_normal", _torch_layout_on_keras, "(out, in, *k) read from (*k, in, out)"),
    Foil("uniform from 128 levels (float16)", "glorot_uniform", _coarse_float16_uniform, "a 7-bit uniform rounded to float16: too few levels"),
    Foil("moments matched, another law", "kaiming_normal", _moments_matched, "a normal mixture with the normal's first five moments"),
    Foil("bias counted as an input (fan + 1)", "kaiming_normal", lambda r, s: _normal(r, s, 2 / (_fans(s)[0] + 1)), "Var 2/(fan_in + 1): 1.5% at fan 64, ×½ at fan 1"),
    Foil("uniform on small fans (fan_in < 8)", "kaiming_normal", _small_fans_uniform, "a small-fan code path with the right variance, another law"),
    Foil("moments matched on small fans (fan_in < 8)", "kaiming_normal", _small_fans_mixture, "a small-fan code path with the normal's five moments"),
)
