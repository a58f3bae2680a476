"""Ctrl-C and SIGTERM around child processes: held while a child is forked, left to the parent inside the child.

A signal that arrives during fork() lands in the fork handlers and is lost; held, it is delivered right after the
fork, and the parent's handler stops the work (and ends its children). The children (check workers, the figure
process) leave Ctrl-C to the parent and die quietly on SIGTERM, by the default action rather than the parent's handler.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while children are forked; they are delivered (and stop the work) right after."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def quiet_child() -> None:
    """In a child forked under `signals_held`: ignore Ctrl-C (the parent ends us), SIGTERM by its default action, unblock both."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
