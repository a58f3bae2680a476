"""`python -m initcheck` and the `initcheck` command.

Ctrl-C and SIGTERM get initcheck's handlers before the command line's modules are imported (about 0.15 s), so that an
interrupt at any moment after the interpreter's own start (about 0.08 s here) is one line and exit 130 (143), never a
traceback.
"""

import sys

from initcheck.signals import own_handlers, stop_status


def run() -> int:
    """Import the command line under initcheck's signal handlers, then run it (`initcheck.cli.main`)."""
    try:
        with own_handlers():
            from initcheck.cli import main

            return main()  # main's own handling of Ctrl-C and SIGTERM applies from here
    except KeyboardInterrupt as stop:
        return stop_status(stop)


if __name__ == "__main__":
    sys.exit(run())
