"""Ctrl-C and SIGTERM around the steps that must not be cut in half.

A batch stops at the first signal and ignores the rest (`stop_once`); renaming
a finished set of files into place, or removing its temporaries, holds any
signal until the step is done (`deferred`), so a file set is never left half
renamed and no temporary is left behind."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def set_signal(signum: int, handler: Any) -> Any:
    """Install `handler`, returning the one it replaces; a no-op outside the
    main thread (a web server's worker), where Python allows no handlers."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signum, handler)
    except (ValueError, TypeError):  # None: a handler not installed from Python
        return None


def stop_once(signum: int, frame: Any) -> None:
    """The first Ctrl-C or SIGTERM stops the work; every later one is ignored
    from that moment on (switched in the handler itself, so no second signal
    can land in between). The clean-up that follows is never cut short by an
    impatient second Ctrl-C, and the command ends with exit code 130 instead of
    being killed half-way."""
    ignore_further()
    raise KeyboardInterrupt


def ignore_further() -> None:
    """The command is stopping: later Ctrl-C and SIGTERM are ignored."""
    for each in _SIGNALS:
        set_signal(each, signal.SIG_IGN)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the block runs; one that arrived meanwhile
    takes effect (as KeyboardInterrupt) when the block is done, unless it was
    to be ignored anyway."""
    received: set[int] = set()
    previous: dict[int, Any] = {int(each): set_signal(each, lambda signum, frame: received.add(signum))
                                for each in _SIGNALS}
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        for each, handler in previous.items():
            if handler is not None:
                set_signal(each, handler)
        if not failed and any(previous.get(each) not in (None, signal.SIG_IGN) for each in received):
            raise KeyboardInterrupt
