"""Running many independent jobs (one kommun, one draft) on all cores, with a
progress bar on a terminal, a per-job error that never stops the batch, and a
clean stop on Ctrl-C: jobs already running finish their atomic writes, the
rest are cancelled, and the caller learns how far the batch got."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from policygen.errors import UserError
from policygen.infra.interrupts import ignore_further, set_signal, stop_once
from policygen.infra.terminal import unfiltered

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    name: str
    value: T | None = None
    error: str | None = None


@dataclass
class BatchReport(Generic[T]):
    outcomes: list[Outcome[T]] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False

    @property
    def failed(self) -> list[Outcome[T]]:
        return [o for o in self.outcomes if o.error is not None]

    @property
    def succeeded(self) -> list[Outcome[T]]:
        return [o for o in self.outcomes if o.error is None]


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _ignore_interrupts() -> None:
    # Only the parent reacts to Ctrl-C; a worker finishes the job it has begun,
    # so no file is left half-written.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the same for SIGTERM sent to the whole process group
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, even by SIGKILL, so
    no orphan goes on working (and writing) after the command is gone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the executor still stops workers on a normal exit
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _run_one(job: Callable[[Any], T], name: str, item: Any) -> Outcome[T]:
    try:
        return Outcome(name, value=job(item))
    except UserError as error:
        return Outcome(name, error=str(error))
    except Exception as error:  # noqa: BLE001 – one broken job must not stop the other 289
        if os.environ.get("POLICYGEN_DEBUG"):
            raise  # whoever fixes the bug asked for the traceback (README: När något går fel)
        return Outcome(name, error=f"{name}: internt fel i policygen ({error.__class__.__name__}: {error}); "
                                   "rapportera gärna felet med filen bifogad (POLICYGEN_DEBUG=1 visar detaljerna)")


def run_batch(job: Callable[[Any], T], items: Sequence[Any], names: Sequence[str], jobs: int | None = None,
              show_progress: bool | None = None, description: str = "") -> BatchReport[T]:
    """Run `job` on every item; outcomes keep the order of `items`.

    `job` must be a module-level function (it runs in worker processes). With one
    worker or one item everything runs in this process."""
    jobs = max(1, min(jobs or available_cores(), len(items) or 1))
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    report: BatchReport[T] = BatchReport(total=len(items))
    bar = _progress(len(items), description, show_progress)
    results: dict[int, Outcome[T]] = {}
    # SIGTERM (a service stopping, `kill`) stops the batch as Ctrl-C does: whole
    # files only, and a count that matches them. After the first, both are
    # ignored until the command has ended (stop_once).
    previous_int = set_signal(signal.SIGINT, stop_once)
    previous_term = set_signal(signal.SIGTERM, stop_once)
    try:
        try:
            if jobs == 1:
                for index, (item, name) in enumerate(zip(items, names)):
                    results[index] = _run_one(job, name, item)
                    bar.update(1)
            else:
                _run_parallel(job, items, names, jobs, results, bar)
        finally:
            bar.close()
    except KeyboardInterrupt:  # also one that lands while the progress bar closes
        report.interrupted = True
    if not report.interrupted:
        set_signal(signal.SIGINT, previous_int)
        set_signal(signal.SIGTERM, previous_term)
    report.outcomes = [results[i] for i in sorted(results)]
    return report


def _run_parallel(job, items, names, jobs, results, bar) -> None:
    # fork shares what the parent has already loaded (spaCy, rules, clauses);
    # elsewhere the default start method is used and workers load it themselves.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_interrupts)
    pending: dict[Future, int] = {}
    queue = iter(enumerate(zip(items, names)))
    def fill() -> None:
        # Keep a few jobs per worker in flight: enough to stay busy, few to cancel on Ctrl-C.
        for index, (item, name) in queue:
            pending[executor.submit(_run_one, job, name, item)] = index
            if len(pending) >= jobs * 2:
                return

    # Here a signal only raises a flag: a KeyboardInterrupt raised in the middle of the
    # executor's own bookkeeping (a submit, a wait) can leave it unable to shut down, and a
    # repeated Ctrl-C then hung the command. The loop looks at the flag between its steps.
    stopping: list[int] = []

    def request_stop(signum: int, frame: Any) -> None:
        ignore_further()
        stopping.append(signum)

    previous = {each: set_signal(each, request_stop) for each in (signal.SIGINT, signal.SIGTERM)}
    try:
        fill()
        while pending and not stopping:
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                results[pending.pop(future)] = future.result()
                bar.update(1)
            if not stopping:
                fill()
        if stopping:
            raise KeyboardInterrupt
        for each, handler in previous.items():
            set_signal(each, handler)
    except KeyboardInterrupt:
        # Further signals are ignored now (stop_once): the clean-up runs to its end.
        for future in pending:
            future.cancel()
        # Running jobs finish their atomic writes; their results still count.
        for future, index in pending.items():
            if not future.cancelled():
                try:
                    results[index] = future.result()
                except BaseException:  # noqa: BLE001 – the batch is stopping; report what finished
                    pass
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, description: str, show: bool):
    if not show or total <= 1:
        return _NoProgress()
    from tqdm import tqdm


    # The bar draws with carriage returns, which the command line's filtered stream would show as text.
    return tqdm(total=total, desc=description, unit="st", file=unfiltered(sys.stderr), leave=False,
                bar_format="{desc}: {n}/{total} {bar} {elapsed} (kvar {remaining})")
