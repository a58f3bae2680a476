"""Where the checks ran: software versions, machine, and the BLAS library and kernel (some measurements depend on it).

Recorded under `environment` in the results JSON when `initcheck verify` runs, so the report states the machine that
produced its numbers, not the one that rendered them. SYM-CONST's float64 spread between hidden units, for one, comes
from the BLAS kernel's summation order.
"""

from __future__ import annotations

import os
import platform
from typing import Any


def blas_libraries() -> list[dict[str, Any]]:
    """threadpoolctl's view of the loaded BLAS/OpenMP libraries: API, version, kernel (architecture), threads."""
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "architecture", "threading_layer", "num_threads", "prefix")
    return [{key: info.get(key) for key in keys if key in info} for info in threadpool_info()]


def environment() -> dict[str, Any]:
    import hypothesis
    import mpmath
    import numpy
    import scipy
    import sympy

    return {
        "python": platform.python_version(),
        "packages": {
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "sympy": sympy.__version__,
            "mpmath": mpmath.__version__,
            "hypothesis": hypothesis.__version__,
        },
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "blas": blas_libraries(),
    }
