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
