"""User initializers for the `initcheck conform path/file.py:function` tests (Keras layout: (*kernel, in, out))."""

import numpy as np


def glorot_uniform(rng, shape):
    fan_in, fan_out = shape[-2] * int(np.prod(shape[:-2])), shape[-1] * int(np.prod(shape[:-2]))
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype(np.float32)


def raises(rng, shape):
    raise RuntimeError("broken initializer")


def wrong_shape(rng, shape):
    return np.zeros((*shape[::-1], 1), dtype=np.float32)


def wrong_dtype(rng, shape):
    return np.zeros(shape, dtype=np.int64)


def kaiming_normal_fan_out(rng, shape):
    """A realistic bug: Kaiming normal scaled by fan_out where the rule says fan_in (Keras layout)."""
    fan_out = shape[-1] * int(np.prod(shape[:-2]))
    return rng.normal(0.0, np.sqrt(2 / fan_out), shape).astype(np.float32)
