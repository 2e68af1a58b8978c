"""Document work for the web page in worker processes the server owns, one
request at a time per worker, each within a budget.

Why not a ProcessPoolExecutor: one dead worker breaks the whole pool (every
review in flight fails, a colleague's too), workers are never recycled, a task
cannot be stopped at a deadline or when its client goes away, and workers
forked after the listening socket was opened keep it (the port stays busy
after a stop). Here:

- each worker is forked from the zygote (web/zygote.py), a copy of the server
  made once the models were loaded, so every worker, the first or the
  hundredth, shares them; it closes the sockets it inherited, dies with the
  server and has a memory limit on top of what it started with (RLIMIT_AS,
  web/worker_process.py);
- a task that passes its deadline, runs out of memory or belongs to a client
  that disconnected has its worker (and the worker's children, LibreOffice)
  killed and replaced; only that request fails;
- a worker is replaced after `max_tasks` tasks or when its memory has grown
  past half its limit, so one heavy request does not keep gigabytes;
- each kind of work (review, generate, pdf) has its own lane: a bounded
  number of waiting requests (beyond it: 503, try again), at most
  `per_client` requests per client at once (beyond it: 429), and a free
  worker goes to the waiting client with the fewest requests in the lane;
- a task that runs long is demoted: its worker's CPU priority is lowered and
  its place given to the next request (replaced when done);
- a client that has used many worker-seconds in the last minute is served
  by the lane's heavy workers only, which run at a lower CPU priority: one
  user's floods of heavy files do not slow the colleagues' ordinary work.

Where the zygote cannot work (it needs Linux: fork, pidfds, passing
descriptors) threads do the work, without these limits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policygen.errors import LimitExceeded, UserError
from policygen.web.process_memory import give_back_free_memory
from policygen.web.zygote import ProcessWatch, Zygote
from policygen.web.zygote import available as zygote_available

log = logging.getLogger("policygen.web")
T = TypeVar("T")

MB = 1024 * 1024
# A worker whose memory grew by this much during its tasks is replaced (a fork
# is cheap; Python seldom gives memory back once a large draft was read).
RECYCLE_GROWTH = 150 * MB
# …and one that has grown by this much and then sat idle for IDLE_SECONDS is
# replaced too, so the server's memory returns to its size at start when the
# work is done.
IDLE_GROWTH = 4 * MB
IDLE_SECONDS = 10.0


@dataclass(frozen=True)
class Budget:
    """What one request of a lane may use."""
    workers: int
    deadline: float = 60.0            # seconds of work
    memory_mb: int = 768              # on top of what the worker had at its start
    max_tasks: int = 50               # tasks before the worker is replaced
    queue: int = 8                    # requests waiting for a worker, beyond those running
    per_client: int = 2               # requests of one client, running or waiting
    heavy_workers: int = 0            # workers at a lower priority for clients who used much of late


class ServiceBusy(Exception):
    """All workers busy and the queue full: 503 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


class TooManyFromClient(ServiceBusy):
    """One client already has its share of the work running: 429 with Retry-After."""


class ClientGone(Exception):
    """The client disconnected; its work was stopped."""


# -- the workers, seen from the server ----------------------------------------------


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


def _private(pid: int) -> int:
    """The memory only this process holds (USS): what it allocated, and the
    pages of the shared models it has written to (copy-on-write) since the
    fork. Resident size would miss those: a copied page was resident before."""
    total = 0
    with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


class _Worker:
    def __init__(self, zygote: Zygote, memory_bytes: int, nice: int = 0) -> None:
        self.pid, self.connection = zygote.spawn(memory_bytes, nice)
        self.watch = ProcessWatch(self.pid)
        self.tasks = 0
        self.started_private: int | None = None   # measured when its first task comes (it has set itself up)
        self.broken = False
        self.demoted = False
        self.idle_since = time.monotonic()

    def alive(self) -> bool:
        return self.watch.alive()

    def call(self, function: Callable[..., Any], args: tuple, deadline: float) -> tuple[str, Any]:
        """Runs in a thread of the server: the event loop never waits on a pipe."""
        if self.started_private is None:
            self.started_private = _private(self.pid)
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
        if self.started_private is None:
            return False
        return _private(self.pid) - self.started_private > limit

    def kill(self) -> None:
        self.broken = True
        # Its pid is freed the moment it ends (the zygote lets the kernel reap it): a dead
        # worker's pid and "descendants" may be someone else's now.
        if self.watch.alive():
            for child in _descendants(self.pid):
                with contextlib.suppress(OSError):
                    os.killpg(child, signal.SIGKILL)   # a session leader such as LibreOffice, with its helpers
                with contextlib.suppress(OSError):
                    os.kill(child, signal.SIGKILL)
            self.watch.signal(signal.SIGKILL)
        self.watch.wait(5)
        self._let_go()

    def stop(self) -> None:
        """Ask to finish (closing the pipe ends its loop), then kill what remains."""
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.watch.wait(1):
            self._let_go()
        else:
            self.kill()

    def _let_go(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        self.watch.close()


@dataclass(eq=False)
class _Waiting:
    client: str
    since: float
    heavy: bool
    ready: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


# A client whose requests took more than this many worker-seconds within the
# last minute (and three times what the typical client used) is a heavy user: its work goes to the lane's heavy
# workers, which run at a lower CPU priority, so colleagues' ordinary requests
# keep the other workers (and the processor) to themselves.
HEAVY_SECONDS = 8.0
HEAVY_SHARE = 3.0
USAGE_WINDOW = 60.0
HEAVY_NICE = 10
# An ordinary worker whose task has run this long is demoted: its CPU priority
# is lowered and its place given to the next request (a short review does not
# wait behind a long one); it is replaced once its task is done.
DEMOTE_AFTER = 4.0


class _Group:
    """Workers of one kind within a lane: ordinary, or for heavy users."""

    def __init__(self, size: int, nice: int) -> None:
        self.size, self.nice = size, nice
        self.idle: list[_Worker] = []
        self.all: set[_Worker] = set()
        self.busy = 0


class _Lane:
    """One kind of work: its workers, its waiting requests and its budget."""

    def __init__(self, kind: str, budget: Budget, zygote: Zygote) -> None:
        self.kind, self.budget, self.zygote = kind, budget, zygote
        self.groups = {"light": _Group(budget.workers, 0), "heavy": _Group(budget.heavy_workers, HEAVY_NICE)}
        self.running: dict[str, int] = {}    # client → tasks running
        self.admitted: dict[str, int] = {}   # client → requests running or waiting
        self.waiting: list[_Waiting] = []
        self.usage: dict[str, list[tuple[float, float]]] = {}   # client → (ended, seconds) of recent tasks
        self.closed = False
        self.demoted_count = 0               # long tasks that gave up their place
        self.started: dict[int, tuple[str, float]] = {}   # id(worker) → (client, start) of running tasks

    @property
    def all(self) -> set[_Worker]:
        return self.groups["light"].all | self.groups["heavy"].all

    @property
    def capacity(self) -> int:
        return sum(g.size for g in self.groups.values())

    @property
    def busy(self) -> int:
        return sum(g.busy for g in self.groups.values())

    def start(self) -> None:
        for group in self.groups.values():
            for _ in range(group.size - len(group.all)):
                self._spawn(group)   # one that cannot start is started when a request needs it

    def _spawn(self, group: _Group) -> _Worker | None:
        """A new idle worker in `group`, or None when none could be started (the zygote could
        not fork): the lane then has a worker less until the next attempt."""
        try:
            worker = _Worker(self.zygote, self.budget.memory_mb * MB, group.nice)
        except (OSError, RuntimeError) as error:
            log.warning("en arbetsprocess kunde inte startas (%s)", type(error).__name__)
            return None
        group.all.add(worker)
        group.idle.append(worker)
        return worker

    def _used(self, client: str, now: float) -> float:
        """Worker-seconds of the last minute, counting the time its tasks still
        running have taken so far (a task starved at low priority must not
        keep its client looking light)."""
        recent = [(ended, seconds) for ended, seconds in self.usage.get(client, []) if now - ended < USAGE_WINDOW]
        if recent:
            self.usage[client] = recent
        else:
            self.usage.pop(client, None)
        running = sum(now - began for who, began in self.started.values() if who == client)
        return sum(seconds for _, seconds in recent) + running

    def is_heavy(self, client: str) -> bool:
        """Heavy: over HEAVY_SECONDS of work in the last minute and over
        HEAVY_SHARE times what the typical (median) active client used – an
        absolute limit alone would, on a busy machine where every task runs
        slowly, count a diligent colleague as heavy."""
        now = time.monotonic()
        used = self._used(client, now)
        if used <= HEAVY_SECONDS:
            return False
        others = sorted(self._used(c, now) for c in set(self.usage) | {w for w, _ in self.started.values()})
        typical = others[len(others) // 2] if others else 0.0
        return used > HEAVY_SHARE * typical

    def record(self, client: str, seconds: float) -> None:
        self.usage.setdefault(client, []).append((time.monotonic(), seconds))

    def admit(self, client: str) -> None:
        if self.admitted.get(client, 0) >= self.budget.per_client:
            raise TooManyFromClient(max(5, int(self.budget.deadline // 4)))
        if self.busy >= self.capacity and len(self.waiting) >= self.budget.queue:
            raise ServiceBusy(max(5, int(self.budget.deadline // 4)))
        self.admitted[client] = self.admitted.get(client, 0) + 1

    def leave(self, client: str) -> None:
        self.admitted[client] -= 1
        if not self.admitted[client]:
            del self.admitted[client]

    async def acquire(self, client: str) -> tuple[_Worker, _Group]:
        # A lane without heavy workers treats everyone alike.
        heavy = self.groups["heavy"].size > 0 and self.is_heavy(client)
        ticket = _Waiting(client, time.monotonic(), heavy)
        self.waiting.append(ticket)
        self._hand_on()  # a free worker of the right kind takes it at once
        try:
            await ticket.ready
        except BaseException:
            if ticket in self.waiting:
                self.waiting.remove(ticket)
            elif ticket.ready.done() and not ticket.ready.cancelled() and ticket.ready.exception() is None:
                worker, group = ticket.ready.result()
                self.release(worker, group, client, 0.0)  # handed a worker just as it gave up
            raise
        return ticket.ready.result()

    def _take(self, client: str, group: _Group) -> _Worker | None:
        while group.idle and not group.idle[-1].alive():  # died while idle (killed from outside)
            dead = group.idle.pop()
            group.all.discard(dead)
            dead.kill()
        if not group.idle and self._spawn(group) is None:
            return None
        group.busy += 1
        self.running[client] = self.running.get(client, 0) + 1
        worker = group.idle.pop()
        self.started[id(worker)] = (client, time.monotonic())
        return worker

    def demote(self, worker: _Worker, group: _Group) -> None:
        """Lower a long task's priority and free its place, up to twice `workers`
        such tasks at once (each client has at most `per_client` requests anyway)."""
        if worker.demoted or group is not self.groups["light"] or self.demoted_count >= 2 * self.budget.workers:
            return
        if worker.alive():  # its pid is not reused while it lives
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, worker.pid, HEAVY_NICE)
        worker.demoted = True
        self.demoted_count += 1
        group.busy -= 1
        self._hand_on()

    def release(self, worker: _Worker, group: _Group, client: str, seconds: float) -> None:
        self.started.pop(id(worker), None)
        if worker.demoted:
            self.demoted_count -= 1  # its place was given up already
        else:
            group.busy -= 1
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
        self.record(client, seconds)
        recycle = (worker.broken or worker.demoted or not worker.alive()
                   or worker.tasks >= self.budget.max_tasks
                   or worker.grown_past(min(self.budget.memory_mb * MB // 2, RECYCLE_GROWTH)))
        if recycle:
            group.all.discard(worker)
            worker.stop()
            if not self.closed and len(group.all) < group.size:
                self._spawn(group)
        else:
            worker.idle_since = time.monotonic()
            group.idle.append(worker)
        self._hand_on()

    def sweep(self) -> None:
        """Replace idle workers that kept memory from their last tasks."""
        now = time.monotonic()
        for group in self.groups.values():
            for worker in list(group.idle):
                if now - worker.idle_since > IDLE_SECONDS and worker.grown_past(IDLE_GROWTH):
                    group.idle.remove(worker)
                    group.all.discard(worker)
                    worker.stop()
                    if not self.closed:
                        self._spawn(group)

    def _hand_on(self) -> None:
        """A free worker goes to the waiting client with the fewest requests running
        or waiting (one heavy user's queue does not hold up the others), then the
        oldest; heavy workers serve heavy users only, and ordinary ones the others."""
        for name in ("light", "heavy"):
            group = self.groups[name]
            while group.busy < group.size:
                # Heavy users wait for a heavy worker; the others never get one (it runs
                # at the lower priority, which would make an ordinary review slow).
                eligible = [t for t in self.waiting if not t.ready.done() and t.heavy == (name == "heavy")]
                if not eligible:
                    break
                queued: dict[str, int] = {}
                for each in self.waiting:
                    queued[each.client] = queued.get(each.client, 0) + 1
                ticket = min(eligible, key=lambda t: (self.running.get(t.client, 0) + queued[t.client], t.since))
                self.waiting.remove(ticket)
                worker = self._take(ticket.client, group)
                if worker is None:
                    ticket.ready.set_exception(ServiceBusy(5))   # no worker could be started: 503, try again
                    continue
                ticket.ready.set_result((worker, group))
        self.waiting = [t for t in self.waiting if not t.ready.done()]

    def close(self) -> None:
        self.closed = True
        for ticket in self.waiting:
            if not ticket.ready.done():
                ticket.ready.cancel()
        for group in self.groups.values():
            for worker in list(group.all):
                worker.kill()
            group.all.clear()
            group.idle.clear()


_OUTCOME_ERRORS = {
    "memory": "arbetet behövde mer minne än servern ger en förfrågan ({memory} MB)",
    "deadline": "arbetet tog längre tid än servern ger en förfrågan ({deadline:.0f} sekunder)",
    "died": "arbetet avbröts; filen eller uppgifterna tog mer resurser än servern tillåter",
}


class WorkPool:
    """The lanes of document work and the threads that wait on their workers."""

    def __init__(self, budgets: dict[str, Budget]) -> None:
        self.budgets = budgets
        self._zygote = Zygote()
        self._lanes = {kind: _Lane(kind, budget, self._zygote) for kind, budget in budgets.items()} \
            if zygote_available() else {}
        waiting_threads = sum(b.workers for b in budgets.values()) + 2
        self._threads = ThreadPoolExecutor(max_workers=waiting_threads, thread_name_prefix="policygen-vantar")
        self._started = False
        self._tasks_done = 0

    def start(self) -> None:
        """Start the zygote and the workers now (after the models are loaded), not while a request waits."""
        if self._lanes:
            self._zygote.start()
        for lane in self._lanes.values():
            lane.start()
        self._started = True
        with contextlib.suppress(RuntimeError):  # no event loop: no sweeping (a test's pool)
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    _sweeper: asyncio.Task | None = None

    async def _sweep(self) -> None:
        trimmed_at = 0
        while True:
            await asyncio.sleep(IDLE_SECONDS / 2)
            for lane in self._lanes.values():
                try:
                    lane.sweep()
                except Exception:  # noqa: BLE001 – the sweeping must go on; the next round tries again
                    log.exception("rensningen av arbetsprocesser misslyckades")
            idle = all(lane.busy == 0 and not lane.waiting for lane in self._lanes.values())
            if idle and self._tasks_done != trimmed_at:
                give_back_free_memory()   # once per quiet spell: what the requests freed goes back
                trimmed_at = self._tasks_done

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
        worker, group = await lane.acquire(client)
        began = time.monotonic()
        try:
            job = loop.run_in_executor(self._threads, worker.call, function, args, lane.budget.deadline)
            while True:
                done, _ = await asyncio.wait({job}, timeout=0.5)
                if done:
                    break
                if time.monotonic() - began > DEMOTE_AFTER:
                    lane.demote(worker, group)
                if disconnected is not None and await disconnected():
                    worker.kill()
                    await job
                    raise ClientGone()
            status, value = job.result()
        except asyncio.CancelledError:
            worker.kill()
            raise
        finally:
            lane.release(worker, group, client, time.monotonic() - began)
            self._tasks_done += 1
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
        if self._sweeper is not None:
            self._sweeper.cancel()
        for lane in self._lanes.values():
            lane.close()
        self._zygote.close()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def ready(self) -> bool:
        """Whether work can be taken: the workers are running (or threads do the work)."""
        return self._started or not self._lanes

    def worker_pids(self) -> list[int]:
        return [w.pid for lane in self._lanes.values() for w in lane.all]


@contextlib.contextmanager
def request_folder():
    """One private folder per request, made and removed by the server (never by
    the worker), so a worker that is killed leaves nothing behind."""
    folder = Path(tempfile.mkdtemp(prefix="policygen-web-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
