"""initcheck.signals: a Ctrl-C is one line and exit 130 wherever it lands, and is never lost.

The two failures these tests pin down were found by sending Ctrl-C to `initcheck verify` at 5 ms steps over its first
half second: exit status -2 after "initcheck: interrupted" (CPython's memory of a KeyboardInterrupt raised as code run
from a string begins, which dataclasses do at import), and a run that went on for minutes (the handler's exception
dropped in an importlib weakref callback while the parent was about to wait on its workers).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future

import pytest

from initcheck import signals

# Makes dataclasses until Ctrl-C, as an import that defines them does; Ctrl-C often lands as their generated code starts.
MAKES_DATACLASSES = """
import dataclasses, signal, sys
from initcheck.signals import own_handlers

def main():
    try:
        print("ready", flush=True)
        count = 0
        while True:
            count += 1
            dataclasses.make_dataclass(f"C{count}", ["a", "b"])
    except KeyboardInterrupt:
        return 130

if sys.argv[1] == "own":
    with own_handlers():
        sys.exit(main())
signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own, even if the test runner left Ctrl-C ignored
sys.exit(main())
"""
# A plain KeyboardInterrupt exits -2 in about half of the processes (11 and 9 of 20 measured): with 20, the foil shows
# in none of them with probability ~1e-6; the mutant that raises a plain KeyboardInterrupt is caught as often.
PROCESSES = 20


def _interrupted_statuses(tmp_path, handlers: str) -> list[int]:
    (tmp_path / "makes_dataclasses.py").write_text(MAKES_DATACLASSES)
    command = [sys.executable, "-m", "makes_dataclasses", handlers]  # run as a module, as `python -m initcheck` is: a script exits otherwise
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path) for _ in range(PROCESSES)]
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline() == b"ready\n"
        for index, process in enumerate(processes):
            threading.Timer(0.05 * index, process.send_signal, (signal.SIGINT,)).start()  # lands at different moments
        for process in processes:
            process.communicate(timeout=60)
    finally:
        for process in processes:  # a process that missed its Ctrl-C must not outlive the test
            process.kill()
            process.wait()
    return [process.returncode for process in processes]


def test_ctrl_c_caught_by_the_program_exits_130_even_when_it_lands_in_generated_code(tmp_path):
    assert _interrupted_statuses(tmp_path, "own") == [130] * PROCESSES


def test_foil_a_plain_keyboard_interrupt_can_exit_minus_2_after_the_program_caught_it(tmp_path):
    """The CPython behaviour `Interrupted` avoids. At least one of 20 processes shows it unless ~1e-6 bad luck strikes;
    a failure here means only that this interpreter no longer behaves so (then the subclass is harmless, not needed)."""
    statuses = _interrupted_statuses(tmp_path, "default")
    assert set(statuses) <= {130, -2} and -2 in statuses, statuses


class _SignalsInItsDestructor:
    def __init__(self, signum: int) -> None:
        self.signum = signum

    def __del__(self) -> None:
        signal.raise_signal(self.signum)  # the handler runs here; Python prints its exception as "ignored" and drops it


def test_a_ctrl_c_whose_exception_was_swallowed_is_raised_again_by_the_parents_wait(monkeypatch):
    swallowed: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))
    before = signal.getsignal(signal.SIGINT)
    never: Future[int] = Future()
    finishes = threading.Timer(5 * signals.POLL + 1, never.set_result, (1,))  # without the fix the wait returns, not hangs
    finishes.start()
    try:
        with signals.own_handlers():
            _SignalsInItsDestructor(signal.SIGINT)  # made and dropped at once: its __del__ runs here
            assert swallowed == [signals.Interrupted]
            with pytest.raises(signals.Interrupted):
                signals.first_done([never])
    finally:
        finishes.cancel()
    assert signal.getsignal(signal.SIGINT) is before and signals._received == []  # left as found


def test_a_swallowed_sigterm_is_raised_again_as_terminated_and_nothing_received_raises_nothing(monkeypatch):
    swallowed: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))
    done: Future[int] = Future()
    done.set_result(7)
    before = signal.getsignal(signal.SIGTERM)
    with signals.own_handlers():
        signals.raise_if_swallowed()
        assert signals.result(done) == 7
        _SignalsInItsDestructor(signal.SIGTERM)
        assert swallowed == [signals.Terminated]
        with pytest.raises(signals.Terminated):
            signals.result(done)  # even a finished future: the signal comes first
    assert signal.getsignal(signal.SIGTERM) is before and signals._received == []


def test_a_signal_the_caller_ignores_stays_ignored():
    """`initcheck verify &` in a shell script starts with Ctrl-C ignored; initcheck keeps it so (SIGTERM still handled)."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with signals.own_handlers():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN and signal.getsignal(signal.SIGTERM) is signals._raise
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


# A process that starts a spawned child inside `signals_held` while another of its threads takes the SIGTERM (a worker
# whose threaded checks left a thread behind). The signal comes after the child is running and before it has its
# start-up data: multiprocessing's own start is paused there (its spawn call made slower) while a second thread kills.
STARTS_A_CHILD = """
import contextlib, multiprocessing, multiprocessing.util, os, pathlib, signal, sys, threading, time
from initcheck import signals

def child(path):
    pathlib.Path(path).write_text("ran")

def mask_only():  # the hold before the fix: this thread's mask only
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals.HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

def spawn_then_signal(spawn):
    def slowed(*args, **kwargs):
        pid = spawn(*args, **kwargs)
        if "spawn_main" in str(args):  # not the resource tracker
            killer = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGTERM))
            killer.start()
            killer.join()
            time.sleep(0.3)
        return pid
    return slowed

if __name__ == "__main__":
    handler, hold, path = sys.argv[1:]
    held = signals.signals_held if hold == "held" else contextlib.contextmanager(mask_only)
    multiprocessing.util.spawnv_passfds = spawn_then_signal(multiprocessing.util.spawnv_passfds)
    process = multiprocessing.get_context("spawn").Process(target=child, args=(path,))
    stack = contextlib.ExitStack()
    if handler == "default":  # a check worker's SIGTERM
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    else:  # the parent's
        stack.enter_context(signals.own_handlers())
    try:
        with stack, held():
            process.start()
        time.sleep(5)  # the signal was lost
        sys.exit(0)
    except KeyboardInterrupt as stop:
        sys.exit(signals.stop_status(stop))
"""


def _start_a_child_and_signal(tmp_path, handler: str, hold: str) -> tuple[int, str, bool]:
    script = tmp_path / "starts_a_child.py"
    script.write_text(STARTS_A_CHILD)
    ran = tmp_path / "ran"
    process = subprocess.run([sys.executable, str(script), handler, hold, str(ran)], capture_output=True, timeout=60, cwd=tmp_path)
    return process.returncode, process.stderr.decode(), ran.exists()  # stderr is read to its end: the orphan's too


@pytest.mark.parametrize(("handler", "status", "line"), [("default", -signal.SIGTERM, ""), ("own", 143, "initcheck: terminated\n")])
def test_a_signal_another_thread_takes_while_a_child_starts_stops_the_process_after_the_start(tmp_path, handler, status, line):
    assert _start_a_child_and_signal(tmp_path, handler, "held") == (status, line, True)


@pytest.mark.parametrize("handler", ["default", "own"])
def test_foil_a_hold_by_this_threads_mask_alone_leaves_the_child_without_its_start(tmp_path, handler):
    """Before the fix: the process stopped mid-start and its orphan printed a traceback (seen after "initcheck:
    interrupted" in a run of test_execution's stopped run)."""
    _, err, ran = _start_a_child_and_signal(tmp_path, handler, "mask")
    assert "EOFError: Ran out of input" in err and not ran, err


# A signal another thread takes while `signals_held` swaps the handlers in or out: Python runs the handler already in
# place inside the next `signal.signal` call, and the parent's raises there. `signal.signal` is wrapped so that the
# other thread's kill lands exactly in that window: after the first handler is swapped ("enter") or restored ("leave").
SWAPS_UNDER_A_SIGNAL = """
import json, os, queue, signal, sys, threading
from initcheck import signals

orders, done = queue.Queue(), queue.Queue()
def killer():  # made before any hold: the kernel can hand it the process's signals
    while (signum := orders.get()) is not None:
        os.kill(os.getpid(), signum)
        done.put(None)
threading.Thread(target=killer, daemon=True).start()

window = sys.argv[1]
real = signal.signal
def swapping(signum, handler):
    previous = real(signum, handler)
    if swapping.armed and (handler is signals._raise) == (window == "leave"):
        swapping.armed = False
        orders.put(signum if window == "leave" else ({signal.SIGINT, signal.SIGTERM} - {signum}).pop())
        done.get()
    return previous
swapping.armed = False
signal.signal = swapping
seen = {}
with signals.own_handlers():
    try:
        swapping.armed = window == "enter"
        with signals.signals_held():
            swapping.armed = window == "leave"
        seen["raised"] = None
    except KeyboardInterrupt as stop:
        seen["raised"] = type(stop).__name__
    signal.signal = real
    seen["handlers restored"] = all(signal.getsignal(s) is signals._raise for s in (signal.SIGINT, signal.SIGTERM))
    seen["blocked"] = sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, ()) if s in signals.HELD)
print(json.dumps(seen))
"""


@pytest.mark.parametrize("window", ["enter", "leave"])
def test_a_signal_that_lands_while_the_hold_swaps_handlers_stops_the_run_and_leaves_the_handlers_and_mask_restored(tmp_path, window):
    """Found by an independent review: the restores ran one after another with nothing to catch the parent's handler
    raising between them, so SIGTERM kept the noting handler (a later SIGTERM noted and dropped) and the main thread
    kept both signals blocked (mutant signal-hold-restore-not-retried); a handler recorded only once its swap returned
    was never restored when the signal ran right after the swap (mutant signal-hold-handler-recorded-after-the-swap)."""
    script = tmp_path / "swaps_under_a_signal.py"
    script.write_text(SWAPS_UNDER_A_SIGNAL)
    done = subprocess.run([sys.executable, str(script), window], capture_output=True, timeout=60, cwd=tmp_path, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    assert seen["raised"] in ("Interrupted", "Terminated") and seen["handlers restored"] and seen["blocked"] == [], seen
