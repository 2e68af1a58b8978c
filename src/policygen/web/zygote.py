"""The workers' parent (a "zygote", as browsers and Android call it): a small
process forked from the server once the models are loaded, which does
nothing but fork workers when the server asks for one.

Why not fork the workers from the server itself: a forked worker shares
with its parent only the pages neither has written to since. The server
goes on working (requests, pages, threads), so each worker forked later,
when one is replaced, gets its own share of a changed server while the
older workers keep copies of how it was. Generation after generation the
workers share less, and the memory grows with every replacement and never
returns (the soak: 90 MB at start, 125 MB after half a minute of work). The
zygote never changes after its fork: the hundredth worker shares the same
pages as the first. It is also single-threaded, while the server runs
threads: a fork while another thread holds a lock (the allocator's,
logging's) can leave a worker stuck.

The zygote dies with the server, and each worker with the zygote
(PR_SET_PDEATHSIG): nothing outlives a server that was killed. The server
watches its workers (which are not its children) through pidfds."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import struct
import threading
import time
from multiprocessing.connection import Connection

from policygen.web.worker_process import close_inherited_sockets, die_with_parent, name_process, worker_main

log = logging.getLogger("policygen.web")

REQUEST = struct.Struct("!qi")   # the worker's memory limit in bytes, its CPU niceness
ANSWER = struct.Struct("!i")     # the worker's process id (its connection travels beside it)
ANSWER_SECONDS = 10.0            # a fork takes milliseconds; a zygote this slow is replaced


def available() -> bool:
    """Workers in processes need fork, passing descriptors and pidfds (Linux)."""
    return all(hasattr(os, name) for name in ("fork", "pidfd_open")) and hasattr(socket, "send_fds")


class ProcessWatch:
    """Whether a process that is not our child still runs, and waiting for its end."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.pidfd: int | None = None
        with contextlib.suppress(OSError):
            self.pidfd = os.pidfd_open(pid)

    def alive(self) -> bool:
        if self.pidfd is not None:
            poller = select.poll()
            poller.register(self.pidfd, select.POLLIN)
            return not poller.poll(0)   # readable once the process has ended
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def wait(self, timeout: float) -> bool:
        """True when the process ended within `timeout` seconds."""
        if self.pidfd is not None:
            poller = select.poll()
            poller.register(self.pidfd, select.POLLIN)
            return bool(poller.poll(max(0, int(timeout * 1000))))
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def signal(self, signum: int) -> None:
        """Send `signum` to the process itself, never to a later one that got its pid."""
        with contextlib.suppress(OSError):
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signum)
            elif self.alive():
                os.kill(self.pid, signum)

    def close(self) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


class Zygote:
    """The server's handle on its zygote: start it, ask it for workers, stop it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self.pid: int | None = None

    def start(self) -> None:
        with self._lock:
            if self._control is None:
                self._start()

    def _start(self) -> None:
        here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid = os.fork()
        except OSError:
            here.close()
            there.close()
            raise
        if pid == 0:  # the zygote: it never returns into the server's code (the event loop is on this stack)
            status = 1
            try:
                here.close()
                _zygote_main(there)
                status = 0
            finally:
                os._exit(status)
        there.close()
        here.settimeout(ANSWER_SECONDS)
        self._control, self.pid = here, pid

    def spawn(self, memory_bytes: int, nice: int) -> tuple[int, Connection]:
        """A new worker: its process id and the server's end of its connection.
        A zygote that has died (killed from outside) is replaced once."""
        with self._lock:
            for _ in range(2):
                if self._control is None:
                    self._start()
                assert self._control is not None
                fds: list[int] = []
                try:
                    self._control.sendall(REQUEST.pack(memory_bytes, nice))
                    message, fds, _, _ = socket.recv_fds(self._control, ANSWER.size, 1)
                except OSError:
                    message = b""
                if len(message) == ANSWER.size and len(fds) == 1:
                    return ANSWER.unpack(message)[0], Connection(fds[0])
                if len(message) == ANSWER.size and ANSWER.unpack(message)[0] == -1:
                    raise RuntimeError("the zygote could not fork a worker")   # it lives on: no replacement
                for fd in fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                log.warning("processen som startar arbetsprocesser hade stoppat; en ny startas")
                self._stop()
        raise RuntimeError("no worker could be started")

    def _stop(self) -> None:
        control, pid = self._control, self.pid
        self._control, self.pid = None, None
        if control is not None:
            control.close()  # the zygote reads the end of its connection and exits
        if pid is None:
            return
        deadline = time.monotonic() + 1.0
        while True:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def close(self) -> None:
        with self._lock:
            self._stop()


def _zygote_main(control: socket.socket) -> None:
    die_with_parent()
    name_process("policygen-start")
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C in the terminal is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Workers are reaped by the kernel; the server watches them through pidfds.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)  # the server's event loop's, not ours
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    close_inherited_sockets(control.fileno())
    control.settimeout(None)
    while True:
        try:
            request = control.recv(REQUEST.size)
        except OSError:
            return
        if len(request) != REQUEST.size:
            return  # the server closed its end (stopped, or replaced us)
        memory_bytes, nice = REQUEST.unpack(request)
        here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = os.fork()
        except OSError:  # out of memory or processes: answer "no worker", and stay
            here.close()
            there.close()
            try:
                control.send(ANSWER.pack(-1))
            except OSError:
                return
            continue
        if pid == 0:  # the worker
            status = 1
            try:
                control.close()
                here.close()
                worker_main(Connection(there.detach()), memory_bytes, nice)
                status = 0
            finally:
                os._exit(status)
        there.close()
        try:
            socket.send_fds(control, [ANSWER.pack(pid)], [here.fileno()])
        except OSError:
            return
        finally:
            here.close()
