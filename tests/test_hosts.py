"""initcheck.hosts (framework code in kept spawned processes) and execute(together=...), which sends the checks that use
them to one worker. A reused host must give the bytes a fresh one gives: checked on the checks that use hosts, with a
foil whose output depends on what the host ran before."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from procfs import alive

from initcheck import hosts
from initcheck.execution import execute


@pytest.fixture(autouse=True)
def no_hosts_left():
    yield
    hosts.stop()


def _environment(name: str) -> str | None:
    return os.environ.get(name)


def test_a_host_is_another_process_kept_from_call_to_call_one_per_kind():
    first = hosts.call(hosts.FRAMEWORKS, os.getpid)
    assert first != os.getpid()
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) == first
    other = hosts.call(hosts.keras("numpy"), _environment, "KERAS_BACKEND")
    assert other == "numpy"
    assert hosts.call(hosts.keras("numpy"), os.getpid) != first
    assert set(hosts.running()) == {hosts.FRAMEWORKS, "keras:numpy"}
    hosts.stop()
    assert hosts.running() == ()
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) != first  # a new one after stop()


def test_an_exception_is_raised_here_and_the_host_kept():
    pid = hosts.call(hosts.FRAMEWORKS, os.getpid)
    with pytest.raises(ValueError, match="invalid literal"):
        hosts.call(hosts.FRAMEWORKS, int, "not a number")
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) == pid


class _Unpicklable(Exception):
    def __init__(self, first: str, second: str) -> None:  # pickled as args ("ab",): unpickling calls it with one
        super().__init__(first + second)


def _raise_unpicklable() -> None:
    raise _Unpicklable("no ", "tracer")


def test_an_exception_that_does_not_unpickle_arrives_named_with_the_hosts_traceback():
    with pytest.raises(RuntimeError, match=r"(?s)test_hosts._Unpicklable in the host: no tracer.*_raise_unpicklable"):
        hosts.call(hosts.FRAMEWORKS, _raise_unpicklable)
    assert hosts.call(hosts.FRAMEWORKS, int, "3") == 3


def test_the_frameworks_host_loads_keras_on_jax_unless_told(monkeypatch):
    """TensorFlow's import can import Keras 3 on its own default backend, tensorflow; FW-RELU-GRAD0 then took JAX's
    gradient of Keras's relu on TensorFlow and crashed where KERAS_BACKEND was not set."""
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    hosts.stop()
    assert hosts.call(hosts.FRAMEWORKS, _environment, "KERAS_BACKEND") == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    hosts.stop()
    assert hosts.call(hosts.FRAMEWORKS, _environment, "KERAS_BACKEND") == "torch"


def test_a_host_that_dies_is_dropped_and_started_again():
    pid = hosts.call(hosts.FRAMEWORKS, os.getpid)
    with pytest.raises(hosts.HostDied):
        hosts.call(hosts.FRAMEWORKS, os._exit, 3)
    assert hosts.running() == ()
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) not in (pid, os.getpid())


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no host kind 'gpu'"):
        hosts.call("gpu", os.getpid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_host_dies_with_a_parent_that_runs_no_exit_handler(tmp_path):
    """A check worker ended by SIGTERM runs no atexit handler: its hosts must not outlive it, also a host busy with a call
    (an idle one would end anyway when its pipe closes): here one sleeping 60 s when its parent ends."""
    code = (
        "import os, threading, time; from initcheck import hosts; pid = hosts.call(hosts.FRAMEWORKS, os.getpid)\n"
        "threading.Thread(target=hosts.call, args=(hosts.FRAMEWORKS, time.sleep, 60), daemon=True).start()\n"
        "time.sleep(2); print(pid, flush=True); os._exit(0)"
    )
    printed = tmp_path / "pid"
    with printed.open("w") as out:  # a file, not a pipe: the host holds the pipe's end too, and reading it would wait for the host
        assert subprocess.Popen([sys.executable, "-P", "-c", code], stdout=out).wait(timeout=120) == 0  # -P: the installed initcheck
    pid = int(printed.read_text().split()[-1])
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid)


def test_a_process_that_used_a_host_exits_normally_and_ends_it(tmp_path):
    """multiprocessing's exit handler joins every live non-daemon child: had it run before ours, it would wait for the
    host, which waits for a call, for ever (`initcheck verify --workers 1` hung at its end)."""
    code = "import os; from initcheck import hosts; print(hosts.call(hosts.FRAMEWORKS, os.getpid), flush=True)"
    printed = tmp_path / "pid"
    with printed.open("w") as out:
        child = subprocess.Popen([sys.executable, "-P", "-c", code], stdout=out)
        try:
            assert child.wait(timeout=60) == 0
        finally:
            child.kill()
    assert not alive(int(printed.read_text().split()[-1]))


def _echo_later(value: int) -> int:
    time.sleep(0.05 * (value % 3))
    return value


def test_threads_calling_one_host_each_get_their_own_answer():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda v: hosts.call(hosts.FRAMEWORKS, _echo_later, v), range(24))) == list(range(24))
    assert hosts.running() == (hosts.FRAMEWORKS,)


def test_an_interrupted_call_ends_its_host(monkeypatch):
    """Its answer, still to come, would be read by the next call."""
    pid = hosts.call(hosts.FRAMEWORKS, os.getpid)

    def interrupted(self, function, args, kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(hosts._Host, "call", interrupted)
        with pytest.raises(KeyboardInterrupt):
            hosts.call(hosts.FRAMEWORKS, os.getpid)
    assert hosts.running() == () and not alive(pid)
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) != pid


def test_a_host_that_ended_while_idle_is_replaced():
    import signal

    pid = hosts.call(hosts.FRAMEWORKS, os.getpid)
    os.kill(pid, signal.SIGKILL)
    hosts._hosts[hosts.FRAMEWORKS].process.join(timeout=10)  # ended (/proc can say zombie before waitpid sees it)
    assert hosts.call(hosts.FRAMEWORKS, os.getpid) not in (pid, os.getpid())


def _hosts_here(index: int) -> tuple[str, ...]:
    return hosts.running()


def test_a_forked_worker_starts_with_no_hosts():
    hosts.call(hosts.FRAMEWORKS, os.getpid)
    assert execute(_hosts_here, [(0,), (1,)], workers=2) == [(), ()]


def _unit_pid(index: int) -> tuple[int, int]:
    return index, os.getpid()


def test_units_together_run_in_one_worker_and_every_result_keeps_its_place():
    units = [(index,) for index in range(12)]
    together = [1, 4, 5, 9]
    results = execute(_unit_pid, units, workers=2, together=together)
    assert [index for index, _ in results] == list(range(12))
    assert len({results[index][1] for index in together}) == 1
    assert os.getpid() not in {pid for _, pid in results}
    assert execute(_unit_pid, units, workers=1, together=together)[3][0] == 3


def _waits_for_its_progress(index: int, heard: str) -> str:
    """The bundle's second unit: did the parent hear of the first before this one ended? (A file the test's progress
    callback writes; 20 s at most, then it says it waited in vain.)"""
    if index == 0:
        return "first"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if os.path.exists(heard):
            return "heard"
        time.sleep(0.05)
    return "not heard while the bundle ran"


def test_units_run_together_report_their_progress_one_by_one(tmp_path):
    """The bundle's units reach the progress callback as each finishes, not all when the bundle ends (its ~95 s of FW
    checks were one silent step). Foil: progress only from the bundle's result; the second unit then waits in vain."""
    heard = str(tmp_path / "heard")
    calls = []

    def progress(index, done, total):
        calls.append((index, done, total))
        if index == 0:
            open(heard, "w").close()

    units = [(0, heard), (1, heard), (2, heard)]
    results = execute(_waits_for_its_progress, units, workers=2, together=[0, 1], progress=progress)
    assert results == ["first", "heard", "heard"]  # the lone unit 2 also sees the file (or waits for the first): either way "heard"
    assert sorted(index for index, _, _ in calls) == [0, 1, 2] and [done for _, done, _ in calls] == [1, 2, 3] and {t for _, _, t in calls} == {3}


# ---------------------------------------------------------------- a reused host gives a fresh host's bytes


def _host_history(kind: str, first, then, *args):
    """then(*args) in a fresh host, and again after first(*args) and then(*args) ran there."""
    hosts.stop()
    fresh = hosts.call(kind, then, *args)
    hosts.call(kind, first, *args)
    return fresh, hosts.call(kind, then, *args)


def _global_draw(seed: int) -> float:
    """Foil: a draw from NumPy's global generator, seeded only on the host's first call (state carried between calls)."""
    if not getattr(_global_draw, "seeded", False):
        np.random.seed(seed)
        _global_draw.seeded = True  # type: ignore[attr-defined]
    return float(np.random.random())


def test_the_history_comparison_rejects_a_draw_that_depends_on_what_ran_before():
    fresh, reused = _host_history(hosts.FRAMEWORKS, _global_draw, _global_draw, 0)
    assert fresh != reused


def _seeded_draw(seed: int) -> float:
    return float(np.random.default_rng(seed).random())


def test_the_history_comparison_passes_a_seeded_draw():
    fresh, reused = _host_history(hosts.FRAMEWORKS, _global_draw, _seeded_draw, 0)
    assert fresh == reused


def _krohn_on(backend: str):
    from initcheck.reproductions import seed_systems

    rng = np.random.default_rng(7)
    seeds = {label: [int(s) for s in rng.integers(0, 2**31, 2)] for label in seed_systems.SETTINGS}
    inputs = {label: rng.random((2, 784)) for label in seed_systems.SETTINGS}
    package = "tf_keras" if backend == seed_systems.TF_KERAS else "keras"
    engine = "tensorflow" if backend == seed_systems.TF_KERAS else backend
    return hosts.keras(engine), seeds, inputs, package


@pytest.mark.parametrize("backend", ["jax", "numpy", "torch", "tensorflow", "tf-keras"])
def test_listing_9_2_in_a_reused_keras_host_gives_the_fresh_hosts_bytes(backend):
    from initcheck.reproductions import seed_systems

    engine = "tensorflow" if backend == seed_systems.TF_KERAS else backend
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec(engine) is None:
        pytest.skip(f"Keras on {engine} is not installed")
    if backend == seed_systems.TF_KERAS and importlib.util.find_spec("tf_keras") is None:
        pytest.skip("tf-keras is not installed")
    kind, seeds, inputs, package = _krohn_on(backend)
    other = "keras" if package == "tf_keras" else package  # the tensorflow host runs Keras 3 and Keras 2 both
    hosts.stop()
    fresh = hosts.call(kind, seed_systems.keras_krohn_layers, seeds, inputs, package)
    hosts.call(kind, seed_systems.keras_krohn_layers, {k: [s + 1 for s in v] for k, v in seeds.items()}, inputs, other)
    reused = hosts.call(kind, seed_systems.keras_krohn_layers, seeds, inputs, package)
    for label in seeds:
        for part in ("z", "a"):
            assert fresh["by_setting"][label][part].tobytes() == reused["by_setting"][label][part].tobytes(), (label, part)


def test_the_fw_checks_in_a_reused_frameworks_host_give_the_fresh_hosts_records():
    """FW-RELU-GRAD0, FW-DROPOUT-API and FW-BN-RUNNING in one host in two orders (the first in a fresh host, each later one
    after the others ran there): the same records. (The whole run, FW-DEFAULT-INIT and the Keras checks included, was
    compared with fresh processes when hosts came in: identical.)"""
    if importlib.util.find_spec("torch") is None:
        pytest.skip("the frameworks are not installed")
    from initcheck.reproductions import frameworks

    checks = [frameworks.FW_RELU_GRAD0, frameworks.FW_DROPOUT_API, frameworks.FW_BN_RUNNING]

    def record(check):
        return check.experiment(np.random.default_rng(11), "default", None)

    hosts.stop()
    fresh = [record(check) for check in checks]
    again = [record(check) for check in reversed(checks)][::-1]
    assert fresh == again
