"""Running the web page as a service: the listening socket opened here (a
busy port or an unknown address is a Swedish error, not uvicorn's English),
the names the server answers to, the address to open, and uvicorn's limits
for idle connections and for a stop that must not wait for slow requests."""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import signal
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygen.errors import UserError

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
WILDCARDS = {"0.0.0.0", "::", ""}

# Seconds: an idle kept-alive connection is closed after this long; a stop
# waits this long for requests in flight before they are cut (and their
# workers stopped).
IDLE_SECONDS = 5
STOP_SECONDS = 3
MAX_CONNECTIONS = 200


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class Listening:
    sock: socket.socket
    urls: list[str]               # the addresses to open, the first one on this computer
    allowed_hosts: set[str]
    exposed: bool                 # reachable from other computers


def open_socket(host: str, port: int, extra_hosts: list[str] | tuple[str, ...] = ()) -> Listening:
    if not 0 <= port <= 65535:  # 0: any free port (tests, benchmarks)
        raise UserError(f"porten {port} finns inte; en port är ett tal från 1 till 65535",
                        hint="ange till exempel --port 8000")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise UserError(f"adressen '{host}' finns inte på den här datorn",
                        hint="ange --host 127.0.0.1 (bara den här datorn) eller datorns egen adress") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # a restart right after a stop works
    if family == socket.AF_INET6 and host in ("::", ""):
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # '::' answers IPv4 too
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UserError(f"porten {port} används redan av ett annat program",
                            hint=f"stoppa det andra programmet, eller välj en annan port med --port {port + 1}") from None
        if error.errno == errno.EACCES:
            raise UserError(f"policygen får inte lyssna på port {port}",
                            hint="välj en port över 1024, t.ex. --port 8000") from None
        raise UserError(f"servern kan inte lyssna på {host}:{port} ({error.strerror})",
                        hint="ange --host 127.0.0.1 eller datorns egen adress") from None
    sock.set_inheritable(False)
    port = sock.getsockname()[1]
    wildcard = host in WILDCARDS
    exposed = not is_loopback(host)
    allowed = set(LOOPBACK_NAMES) | {h.strip().lower() for h in extra_hosts if h.strip()}
    if wildcard:
        name = socket.gethostname()
        allowed |= {name.lower(), socket.getfqdn().lower()}
        allowed |= _own_addresses(name)
        local = "::1" if family == socket.AF_INET6 and host == "::" and not _has_ipv4() else "127.0.0.1"
        urls = [f"http://{_url_host(local)}:{port}/", f"http://{name}:{port}/"]
    else:
        allowed.add(host.strip("[]").lower())
        urls = [f"http://{_url_host(host.strip('[]'))}:{port}/"]
    return Listening(sock, urls, allowed, exposed)


def _has_ipv4() -> bool:
    return True  # a dual-stack socket answers 127.0.0.1 as well


def _own_addresses(name: str) -> set[str]:
    try:
        return {str(info[4][0]).lower() for info in socket.getaddrinfo(name, None)}
    except (socket.gaierror, UnicodeError):
        return set()


def api_key_from(key_file: Path | None) -> str | None:
    """The API key: from `key_file` when given, else from POLICYGEN_API_KEY; None when neither is set."""
    # Start-up time: the API module (and Starlette) is loaded only when the server starts.
    from policygen.web.api import KEY_ENVIRONMENT, check_key, read_key_file

    if key_file is not None:
        return read_key_file(key_file)
    value = os.environ.get(KEY_ENVIRONMENT)
    return check_key(value.strip(), KEY_ENVIRONMENT) if value is not None else None


def server_config(listening: Listening, workers: int | None = None, app: Any = None,
                  api_key: str | None = None, archive: Path | None = None) -> Any:
    """uvicorn's configuration: the application for `listening`'s host names and
    the limits for idle, slow and many connections and for a stop."""
    import uvicorn

    # Start-up time: the application (and the linter behind it) is loaded only when the server starts.
    from policygen.web.app import create_app

    return uvicorn.Config(app or create_app(workers, allowed_hosts=listening.allowed_hosts, api_key=api_key,
                                            archive=archive),
                          log_level="warning",
                          access_log=False, server_header=False, date_header=False,
                          timeout_keep_alive=IDLE_SECONDS, timeout_graceful_shutdown=STOP_SECONDS,
                          limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=64 * 1024,
                          http=_guarded_protocol())


def serve(listening: Listening, workers: int | None = None, api_key: str | None = None,
          archive: Path | None = None) -> None:
    import uvicorn

    _log_to_stderr()
    server = uvicorn.Server(server_config(listening, workers, api_key=api_key, archive=archive))
    # uvicorn stops gracefully on SIGTERM and then raises the signal again; here
    # it ends the command like Ctrl-C does (the stop message, exit code 0), as a
    # process manager expects of a service it stopped.
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        server.run(sockets=[listening.sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        listening.sock.close()


def _stopped(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _log_to_stderr() -> None:
    """The service's own log lines (one per API call: method, path, status,
    time; warnings and errors by their kind) on stderr, where a process
    manager collects them. Never document text, file names or form values."""
    logger = logging.getLogger("policygen.web")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("policygen: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# A client that opens a connection and sends its request line and headers a
# byte at a time (slowloris) holds a connection for ever: uvicorn times out
# only idle kept-alive connections. Headers must be complete within this time.
HEADER_SECONDS = 10


def _guarded_protocol():
    # Start-up time: uvicorn is loaded only when the server starts.
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadline(H11Protocol):
        _header_timer: Any = None

        def _waiting_for_headers(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._header_timer = self.loop.call_later(HEADER_SECONDS, self._too_slow)

        def data_received(self, data: bytes) -> None:
            if self._waiting_for_headers() and self._header_timer is None:
                self._header_timer = self.loop.call_later(HEADER_SECONDS, self._too_slow)
            super().data_received(data)
            if not self._waiting_for_headers() and self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

        def _too_slow(self) -> None:
            self._header_timer = None
            if self._waiting_for_headers() and not self.transport.is_closing():
                self.transport.close()

    return HeaderDeadline
