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
    """threadpoolctl's view of the loaded BLAS libraries: API, version, kernel (architecture), threads.

    NumPy's and SciPy's linear algebra are loaded first and the list is sorted, so it does not depend on what the
    process happened to import before (a serial run and a run on workers list them in other orders).
    """
    import numpy.linalg  # noqa: F401  (loaded for threadpoolctl to see)
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "architecture", "threading_layer", "num_threads", "prefix")
    # BLAS only: an OpenMP runtime that a framework check loads (torch's libgomp) would be listed only in a process that ran one
    found = [{key: info.get(key) for key in keys if key in info} for info in threadpool_info() if info.get("user_api") == "blas"]
    return sorted(found, key=lambda lib: (str(lib.get("user_api")), str(lib.get("prefix")), str(lib.get("version"))))


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
