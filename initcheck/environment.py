"""Where the checks ran: software versions, the CPU, NumPy's SIMD levels, and the BLAS library and kernel.

Recorded under `environment` in the results JSON when `initcheck verify` runs, so the report states the machine that
produced its numbers, not the one that rendered them. The last bits of many numbers depend on the machine: NumPy picks
its exp, tanh and reduction loops by the CPU's SIMD level (X86_V3 = AVX2, X86_V4 = AVX-512; NPY_DISABLE_CPU_FEATURES
turns levels off), OpenBLAS its kernel (OPENBLAS_CORETYPE forces one) and its threads. The promise (README, "Same
verdict on every machine"): the same bytes on the same configuration, the same verdicts on every configuration.
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

SOURCE_VARIABLE = "INITCHECK_SOURCE"  # the checkout an installed (wheel) initcheck was built from, as tox names it
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the checkout's top in an editable install; site-packages in a wheel


def _commit_of(source: Path) -> str | None:
    """HEAD of `source` if it is the top of a git checkout of initcheck (pyproject.toml and initcheck/cli.py there), else None."""
    if not (source / "pyproject.toml").is_file() or not (source / "initcheck" / "cli.py").is_file():
        return None
    git = ["git", "-C", str(source)]
    try:
        top = subprocess.run([*git, "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        if Path(top).resolve() != source.resolve():
            return None
        commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + (" (with uncommitted changes)" if dirty else "")


def source_commit() -> str:
    """The commit of the code that runs: this package's own checkout (an editable install), else the checkout that
    INITCHECK_SOURCE names (tox sets it to the checkout it built the wheel from), else "not a checkout". Never the
    working directory's repository: a report run from inside another project must not cite that project's commit."""
    own = _commit_of(PACKAGE_ROOT)
    if own is not None:
        return own
    named = os.environ.get(SOURCE_VARIABLE)
    if named:
        commit = _commit_of(Path(named))
        if commit is not None:
            return f"{commit} (installed from {SOURCE_VARIABLE}={named})"
    return "not a checkout"


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


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), else what the platform module reports, else "unknown"."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "cpu model") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def numpy_simd() -> dict[str, Any]:
    """NumPy's SIMD: the baseline it was built for, the dispatch targets it carries, those this process uses (the CPU has
    them and NPY_DISABLE_CPU_FEATURES does not turn them off), and that variable's value."""
    try:
        from numpy._core import _multiarray_umath as umath  # type: ignore[attr-defined]  # NumPy 2
    except ImportError:  # NumPy 1.26
        from numpy.core import _multiarray_umath as umath  # type: ignore[no-redef]
    features = getattr(umath, "__cpu_features__", {})
    dispatch = list(getattr(umath, "__cpu_dispatch__", []))
    return {
        "baseline": list(getattr(umath, "__cpu_baseline__", [])),
        "dispatch": dispatch,
        "dispatch_used": [name for name in dispatch if features.get(name)],
        "disabled_by_environment": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""),
    }


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
        "cpu": cpu_model(),
        "numpy_simd": numpy_simd(),
        "blas": blas_libraries(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "source_commit": source_commit(),
    }
