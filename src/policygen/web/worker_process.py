"""Inside a worker process: how it sets itself up (dies with its parent, keeps
none of the server's sockets, has a memory limit) and its loop of tasks.

A task is `(function, args)` received over the worker's connection; the
answer is `(status, value)`: "ok" with the result, "error" with a UserError
(a Swedish message for the user), "failed" with only the exception's kind
(never its text, which may quote a document), or "memory"."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import stat
from typing import Any

from policygen.errors import UserError

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15


def die_with_parent() -> None:
    with contextlib.suppress(Exception):  # Linux only; elsewhere the pipe's EOF ends the worker
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def name_process(name: str) -> None:
    """The name `ps` and `top` show (at most 15 bytes), so an operator can tell
    the server, the process that starts workers and the workers apart."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode("ascii")[:15])


def close_inherited_sockets(keep: int) -> None:
    """The server's listening socket (and client connections) must not stay
    open in a worker: after a stop the port would stay busy."""
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd <= 2 or fd == keep:
                continue
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    os.close(fd)


def _virtual_size() -> int:
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(extra_bytes: int) -> None:
    if extra_bytes <= 0:
        return
    size = _virtual_size()
    if size:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (size + extra_bytes, size + extra_bytes))


def worker_main(connection: Any, memory_bytes: int, nice: int = 0) -> None:
    die_with_parent()
    name_process("policygen-arb")
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C in the terminal is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The process that forked us lets the kernel reap its children; ours
    # (LibreOffice) must be waited for by subprocess as usual.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)  # the server's event loop's, not ours
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    close_inherited_sockets(connection.fileno())
    limit_memory(memory_bytes)
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            outcome = ("memory", None)
        except UserError as error:
            outcome = ("error", error)
        except Exception as error:  # noqa: BLE001 – reported to the server by its kind, never its text
            outcome = ("failed", type(error).__name__)
        try:
            connection.send(outcome)
        except MemoryError:
            connection.send(("memory", None))
        if outcome[0] == "memory":
            return  # a worker that ran out of memory is not trusted with another task
