"""Document work for the web page in worker processes the server owns, one
request at a time per worker, each within a budget.

Why not a ProcessPoolExecutor: one dead worker breaks the whole pool (every
review in flight fails, a colleague's too), workers are never recycled, a task
cannot be stopped at a deadline or when its client goes away, and workers
forked after the listening socket was opened keep it (the port stays busy
after a stop). Here:

- each worker is forked after the models are loaded (it shares them), closes
  the sockets it inherited, dies with the server (PR_SET_PDEATHSIG) and has a
  memory limit on top of what it started with (RLIMIT_AS);
- a task that passes its deadline, runs out of memory or belongs to a client
  that disconnected has its worker (and the worker's children, LibreOffice)
  killed and replaced; only that request fails;
- a worker is replaced after `max_tasks` tasks or when its memory has grown
  past half its limit, so one heavy request does not keep gigabytes;
- each kind of work (review, generate, pdf) has its own lane: a bounded
  number of waiting requests (beyond it: 503, try again), at most
  `per_client` requests per client at once (beyond it: 429), and a free
  worker goes to the waiting client with the fewest tasks running.

Where processes cannot be forked (Windows, macOS) threads do the work,
without these limits."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policygen.errors import LimitExceeded, UserError

log = logging.getLogger("policygen.web")
T = TypeVar("T")

MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """What one request of a lane may use."""
    workers: int
    deadline: float = 60.0            # seconds of work
    memory_mb: int = 768              # on top of what the worker had at its start
    max_tasks: int = 50               # tasks before the worker is replaced
    queue: int = 8                    # requests waiting for a worker, beyond those running
    per_client: int = 2               # requests of one client, running or waiting


class ServiceBusy(Exception):
    """All workers busy and the queue full: 503 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


class TooManyFromClient(ServiceBusy):
    """One client already has its share of the work running: 429 with Retry-After."""


class ClientGone(Exception):
    """The client disconnected; its work was stopped."""


# -- the worker process ------------------------------------------------------------


def _die_with_parent() -> None:
    with contextlib.suppress(Exception):  # Linux only; elsewhere the pipe's EOF ends the worker
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _close_inherited_sockets(keep: int) -> None:
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


def _limit_memory(extra_bytes: int) -> None:
    if extra_bytes <= 0:
        return
    size = _virtual_size()
    if size:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (size + extra_bytes, size + extra_bytes))


def _worker_main(connection: Any, memory_bytes: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C in the terminal is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)  # the server's event loop's, not ours
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    _close_inherited_sockets(connection.fileno())
    _limit_memory(memory_bytes)
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


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (LibreOffice runs in its own session under a worker)."""
    parents: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{name}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                parents.setdefault(parent, []).append(int(name))
    found, stack = [], [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _resident(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return 0


class _Worker:
    def __init__(self, context: Any, memory_bytes: int) -> None:
        here, there = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(there, memory_bytes), daemon=True,
                                       name="policygen-arbetare")
        self.process.start()
        there.close()
        self.connection = here
        self.tasks = 0
        self.started_resident = _resident(self.process.pid or 0)
        self.broken = False

    def call(self, function: Callable[..., Any], args: tuple, deadline: float) -> tuple[str, Any]:
        """Runs in a thread of the server: the event loop never waits on a pipe."""
        self.tasks += 1
        try:
            self.connection.send((function, args))
            if not self.connection.poll(deadline):
                self.kill()
                return ("deadline", None)
            outcome = self.connection.recv()
            if outcome[0] == "memory":
                self.broken = True  # it is ending itself; never handed another task
            return outcome
        except (EOFError, OSError, BrokenPipeError):
            self.broken = True
            return ("died", None)

    def grown_past(self, limit: int) -> bool:
        return _resident(self.process.pid or 0) - self.started_resident > limit

    def kill(self) -> None:
        self.broken = True
        pid = self.process.pid
        if pid is None:
            return
        for child in _descendants(pid):
            with contextlib.suppress(OSError):
                os.killpg(child, signal.SIGKILL)   # a session leader such as LibreOffice, with its helpers
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self.connection.close()

    def stop(self) -> None:
        """Ask to finish (closing the pipe ends its loop), then kill what remains."""
        with contextlib.suppress(OSError):
            self.connection.close()
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()


@dataclass(eq=False)
class _Waiting:
    client: str
    since: float
    ready: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class _Lane:
    """One kind of work: its workers, its waiting requests and its budget."""

    def __init__(self, kind: str, budget: Budget, context: Any) -> None:
        self.kind, self.budget, self.context = kind, budget, context
        self.idle: list[_Worker] = []
        self.running: dict[str, int] = {}    # client → tasks running
        self.admitted: dict[str, int] = {}   # client → requests running or waiting
        self.waiting: list[_Waiting] = []
        self.busy = 0
        self.all: set[_Worker] = set()

    def start(self) -> None:
        while len(self.all) < self.budget.workers:
            self._spawn()

    def _spawn(self) -> _Worker:
        worker = _Worker(self.context, self.budget.memory_mb * MB)
        self.all.add(worker)
        self.idle.append(worker)
        return worker

    def admit(self, client: str) -> None:
        if self.admitted.get(client, 0) >= self.budget.per_client:
            raise TooManyFromClient(max(5, int(self.budget.deadline // 4)))
        if self.busy >= self.budget.workers and len(self.waiting) >= self.budget.queue:
            raise ServiceBusy(max(5, int(self.budget.deadline // 4)))
        self.admitted[client] = self.admitted.get(client, 0) + 1

    def leave(self, client: str) -> None:
        self.admitted[client] -= 1
        if not self.admitted[client]:
            del self.admitted[client]

    async def acquire(self, client: str) -> _Worker:
        if self.busy < self.budget.workers and not self.waiting:
            return self._take(client)
        ticket = _Waiting(client, time.monotonic())
        self.waiting.append(ticket)
        try:
            await ticket.ready
        except BaseException:
            if ticket in self.waiting:
                self.waiting.remove(ticket)
            elif ticket.ready.done() and not ticket.ready.cancelled():
                self.release(ticket.ready.result(), client)  # handed a worker just as it gave up
            raise
        return ticket.ready.result()

    def _take(self, client: str) -> _Worker:
        self.busy += 1
        self.running[client] = self.running.get(client, 0) + 1
        while self.idle and not self.idle[-1].process.is_alive():  # died while idle (killed from outside)
            dead = self.idle.pop()
            self.all.discard(dead)
            dead.kill()
        if not self.idle:
            self._spawn()
        return self.idle.pop()

    def release(self, worker: _Worker, client: str) -> None:
        self.busy -= 1
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
        recycle = (worker.broken or not worker.process.is_alive() or worker.tasks >= self.budget.max_tasks
                   or worker.grown_past(self.budget.memory_mb * MB // 2))
        if recycle:
            self.all.discard(worker)
            worker.stop()
            if not self.closed:
                self._spawn()
        else:
            self.idle.append(worker)
        self._hand_on()

    closed = False

    def _hand_on(self) -> None:
        """A free worker goes to the waiting client with the fewest requests running
        or waiting (one heavy user's queue does not hold up the others), then the oldest."""
        while self.waiting and self.busy < self.budget.workers:
            queued: dict[str, int] = {}
            for each in self.waiting:
                queued[each.client] = queued.get(each.client, 0) + 1
            ticket = min(self.waiting, key=lambda t: (self.running.get(t.client, 0) + queued[t.client], t.since))
            self.waiting.remove(ticket)
            if ticket.ready.done():
                continue
            ticket.ready.set_result(self._take(ticket.client))

    def close(self) -> None:
        self.closed = True
        for ticket in self.waiting:
            if not ticket.ready.done():
                ticket.ready.cancel()
        for worker in list(self.all):
            worker.kill()
        self.all.clear()
        self.idle.clear()


_OUTCOME_ERRORS = {
    "memory": "arbetet behövde mer minne än servern ger en förfrågan ({memory} MB)",
    "deadline": "arbetet tog längre tid än servern ger en förfrågan ({deadline:.0f} sekunder)",
    "died": "arbetet avbröts; filen eller uppgifterna tog mer resurser än servern tillåter",
}


class WorkPool:
    """The lanes of document work and the threads that wait on their workers."""

    def __init__(self, budgets: dict[str, Budget]) -> None:
        self.budgets = budgets
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork") if forkable else None
        self._lanes = {kind: _Lane(kind, budget, self._context) for kind, budget in budgets.items()} \
            if forkable else {}
        waiting_threads = sum(b.workers for b in budgets.values()) + 2
        self._threads = ThreadPoolExecutor(max_workers=waiting_threads, thread_name_prefix="policygen-vantar")
        self._started = False

    def start(self) -> None:
        """Start the workers now (after the models are loaded), not while a request waits."""
        for lane in self._lanes.values():
            lane.start()
        self._started = True

    def admit(self, kind: str, client: str) -> None:
        """Before the request's body is read: refuse at once when the lane is full."""
        lane = self._lanes.get(kind)
        if lane is not None:
            lane.admit(client)

    def leave(self, kind: str, client: str) -> None:
        lane = self._lanes.get(kind)
        if lane is not None:
            lane.leave(client)

    async def run(self, kind: str, function: Callable[..., T], *args: Any, client: str = "",
                  disconnected: Callable[[], Awaitable[bool]] | None = None) -> T:
        """`function(*args)` in a worker of lane `kind`; the caller has been admitted."""
        loop = asyncio.get_running_loop()
        lane = self._lanes.get(kind)
        if lane is None:  # no fork: a thread does the work
            return await loop.run_in_executor(self._threads, function, *args)
        if not self._started:
            self.start()
        worker = await lane.acquire(client)
        try:
            job = loop.run_in_executor(self._threads, worker.call, function, args, lane.budget.deadline)
            while True:
                done, _ = await asyncio.wait({job}, timeout=0.5)
                if done:
                    break
                if disconnected is not None and await disconnected():
                    worker.kill()
                    await job
                    raise ClientGone()
            status, value = job.result()
        except asyncio.CancelledError:
            worker.kill()
            raise
        finally:
            lane.release(worker, client)
        if status == "ok":
            return value
        if status == "error":
            raise value
        if status == "failed":
            raise RuntimeError(value)
        log.warning("en arbetsprocess stoppades (%s: %s)", kind, status)
        text = _OUTCOME_ERRORS[status].format(memory=lane.budget.memory_mb, deadline=lane.budget.deadline)
        error = LimitExceeded if status in ("memory", "deadline") else UserError
        raise error(text, hint="dela upp dokumentet eller förenkla det, och försök igen; "
                               "händer det med en vanlig fil, kontakta den som driver tjänsten")

    def close(self) -> None:
        for lane in self._lanes.values():
            lane.close()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def worker_pids(self) -> list[int]:
        return [w.process.pid for lane in self._lanes.values() for w in lane.all if w.process.pid]


@contextlib.contextmanager
def request_folder():
    """One private folder per request, made and removed by the server (never by
    the worker), so a worker that is killed leaves nothing behind."""
    folder = Path(tempfile.mkdtemp(prefix="policygen-web-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
