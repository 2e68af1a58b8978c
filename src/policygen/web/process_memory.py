"""The server's own memory: what the C allocator keeps after a busy spell.

A request's upload, its page and its threads' buffers are freed when it is
answered, but glibc's allocator keeps freed memory for reuse: in the main
heap and in one extra arena per thread that allocated (each thread waiting
on a worker, each of the web framework's threads). After a busy hour the
server would hold tens of megabytes it no longer uses. Here: few arenas,
and what is free handed back to the system when the server is idle.
Elsewhere than glibc both are no-ops."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc

M_ARENA_MAX = -8
ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 – glibc only; elsewhere there is nothing to do
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def limit_arenas() -> None:
    """Before the server starts its threads: they share two arenas instead of
    one each (threads here wait on workers, so they seldom contend)."""
    if _LIBC is not None:
        with contextlib.suppress(Exception):
            _LIBC.mallopt(M_ARENA_MAX, ARENAS)


def give_back_free_memory() -> None:
    """Return the allocator's free pages to the system (malloc_trim), after
    collecting what only cycles kept alive."""
    gc.collect()
    if _LIBC is not None:
        with contextlib.suppress(Exception):
            _LIBC.malloc_trim(0)
