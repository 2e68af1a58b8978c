"""Issue 24: the web page as a service a kommun can run. Budgets per request,
workers that fail alone, cross-site protection, Swedish errors everywhere,
profile values as data, and a stop that leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from policygen.errors import LimitExceeded, UserError
from policygen.web.pool import Budget, ClientGone, ServiceBusy, TooManyFromClient, WorkPool, request_folder
from policygen.web.server import open_socket
from web_client import PageClient, page_app
from web_forms import form_fields, replace

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def client():
    with PageClient(page_app(workers=1), raise_server_exceptions=False) as test_client:
        yield test_client


def run(coroutine):
    return asyncio.run(coroutine)


# -- the worker pool -----------------------------------------------------------------

def _write_and_die(folder: Path) -> None:
    (folder / "halvfärdig.tmp").write_bytes(b"x" * 1000)
    os._exit(1)


def _slow(seconds: float) -> str:
    time.sleep(seconds)
    return "klar"


def _allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def test_a_killed_worker_fails_only_its_own_request_and_its_folder_is_removed():
    async def scenario():
        pool = WorkPool({"review": Budget(2)})
        pool.start()
        try:
            with request_folder() as folder:
                crash = asyncio.ensure_future(pool.run("review", _write_and_die, folder, client="a"))
                colleague = asyncio.ensure_future(pool.run("review", _slow, 1.0, client="b"))
                results = await asyncio.gather(crash, colleague, return_exceptions=True)
                leftover = folder
            return results, leftover.exists(), await pool.run("review", pow, 2, 5)
        finally:
            pool.close()

    (crashed, colleague), folder_left, after = run(scenario())
    assert isinstance(crashed, UserError) and "arbetet avbröts" in crashed.message
    assert colleague == "klar"                       # the colleague's review went through
    assert not folder_left and after == 32


def test_a_request_over_its_deadline_is_stopped_with_the_limit_named():
    async def scenario():
        pool = WorkPool({"review": Budget(1, deadline=1)})
        try:
            started = time.monotonic()
            with pytest.raises(LimitExceeded, match="1 sekunder"):
                await pool.run("review", _slow, 30)
            return time.monotonic() - started, await pool.run("review", pow, 3, 2)
        finally:
            pool.close()

    seconds, after = run(scenario())
    assert seconds < 10 and after == 9


def test_a_request_over_its_memory_limit_is_stopped_and_the_next_one_works():
    async def scenario():
        pool = WorkPool({"review": Budget(1, memory_mb=200)})
        try:
            with pytest.raises(LimitExceeded, match=r"mer minne .*\(200 MB\)"):
                await pool.run("review", _allocate, 1500)
            return await pool.run("review", _allocate, 10)
        finally:
            pool.close()

    assert run(scenario()) == 10 * 1024 * 1024


def test_workers_are_recycled_after_their_tasks():
    async def scenario():
        pool = WorkPool({"review": Budget(1, max_tasks=2)})
        try:
            return [await pool.run("review", os.getpid) for _ in range(3)]
        finally:
            pool.close()

    first, second, third = run(scenario())
    assert first == second != third


def _resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_a_worker_started_late_does_not_carry_what_the_server_took_since():
    """Workers come from the zygote, which does not change after the start: a
    replacement forked after the server took 96 MB more starts as small as the
    first worker did (forked from the server, it would hold those 96 MB too)."""
    async def scenario():
        pool = WorkPool({"review": Budget(1, max_tasks=1)})
        pool.start()
        try:
            first = await pool.run("review", _resident_kb)
            taken = bytearray(96 * 1024 * 1024)
            taken[::4096] = b"x" * len(taken[::4096])    # resident, page by page
            second = await pool.run("review", _resident_kb)
            del taken
            return first, second
        finally:
            pool.close()

    first, second = run(scenario())
    assert second - first < 16 * 1024, (first, second)


_HOARD: list[bytes] = []


def _hoard_and_tell(megabytes: int) -> int:
    _HOARD.append(b"x" * (megabytes * 1024 * 1024))   # kept after the task, as a large draft's pages would be
    return os.getpid()


def test_an_idle_worker_that_kept_memory_is_replaced_and_freed_memory_goes_back(monkeypatch):
    import policygen.web.pool as pool_module

    trims = []
    monkeypatch.setattr(pool_module, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(pool_module, "give_back_free_memory", lambda: trims.append(time.monotonic()))

    async def scenario():
        pool = WorkPool({"review": Budget(1)})
        pool.start()
        try:
            await asyncio.sleep(0.5)
            quiet = len(trims)                               # nothing ran yet: nothing to give back
            hoarder = await pool.run("review", _hoard_and_tell, 40)
            small = await pool.run("review", os.getpid)
            await asyncio.sleep(1.0)
            after_work = len(trims)
            await asyncio.sleep(0.5)
            later = len(trims)
            return quiet, hoarder, small, after_work, later, await pool.run("review", os.getpid)
        finally:
            pool.close()

    quiet, hoarder, small, after_work, later, replacement = run(scenario())
    assert quiet == 0
    assert hoarder == small != replacement           # kept 40 MB, sat idle: replaced
    assert after_work == later == 1                  # once per quiet spell, not every sweep


def test_a_worker_that_cannot_be_started_gives_a_busy_answer_not_a_hang(monkeypatch):
    from policygen.web.zygote import Zygote

    async def scenario():
        pool = WorkPool({"review": Budget(1, max_tasks=1)})
        pool.start()
        try:
            original = Zygote.spawn

            def cannot_fork(self, memory_bytes, nice):
                raise RuntimeError("the zygote could not fork a worker")

            monkeypatch.setattr(Zygote, "spawn", cannot_fork)
            first = await pool.run("review", pow, 2, 2)     # its worker is retired after this one task …
            started = time.monotonic()                      # … and no new one can be started
            with pytest.raises(ServiceBusy):
                await asyncio.wait_for(pool.run("review", pow, 2, 3), timeout=10)
            refused_in = time.monotonic() - started
            monkeypatch.setattr(Zygote, "spawn", original)
            return first, refused_in, await pool.run("review", pow, 2, 4)
        finally:
            pool.close()

    first, refused_in, after = run(scenario())
    assert first == 4 and refused_in < 5 and after == 16


def test_a_killed_zygote_is_replaced_and_the_work_goes_on():
    async def scenario():
        pool = WorkPool({"review": Budget(2)})
        pool.start()
        try:
            before = await pool.run("review", pow, 2, 3)
            zygotes = _named(_descendants(os.getpid()), "policygen-start")
            workers = _named(_descendants(os.getpid()), "policygen-arb")
            for pid in zygotes:
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10              # its workers die with it
            while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            after = [await pool.run("review", pow, 3, n) for n in range(3)]
            now = _named(_descendants(os.getpid()), "policygen-start")
            return before, zygotes, after, now
        finally:
            pool.close()

    before, killed, after, now = run(scenario())
    assert before == 8 and after == [1, 3, 9]
    assert len(killed) == 1 and len(now) == 1 and now != killed
    assert not _named(_descendants(os.getpid()), "policygen-start")   # closed: nothing left


def test_work_for_a_client_that_went_away_is_stopped():
    async def scenario():
        pool = WorkPool({"review": Budget(1)})
        pool.start()
        calls = 0

        async def disconnected() -> bool:
            nonlocal calls
            calls += 1
            return calls > 2

        try:
            started = time.monotonic()
            with pytest.raises(ClientGone):
                await pool.run("review", _slow, 60, disconnected=disconnected)
            return time.monotonic() - started, await pool.run("review", pow, 2, 2)
        finally:
            pool.close()

    seconds, after = run(scenario())
    assert seconds < 10 and after == 4


def test_a_full_lane_and_a_greedy_client_are_refused_at_once():
    async def scenario():
        pool = WorkPool({"review": Budget(1, queue=1, per_client=2)})
        try:
            pool.admit("review", "greedy")
            pool.admit("review", "greedy")
            with pytest.raises(TooManyFromClient):
                pool.admit("review", "greedy")
            running = asyncio.ensure_future(pool.run("review", _slow, 1.5, client="greedy"))
            await asyncio.sleep(0.3)
            waiting = asyncio.ensure_future(pool.run("review", _slow, 0.1, client="greedy"))
            await asyncio.sleep(0.3)
            with pytest.raises(ServiceBusy):
                pool.admit("review", "colleague")     # one running, one waiting: the queue of one is full
            await asyncio.gather(running, waiting)
            pool.admit("review", "colleague")         # room again
        finally:
            pool.close()

    run(scenario())


def test_a_free_worker_goes_to_the_client_with_least_running():
    async def scenario():
        pool = WorkPool({"review": Budget(1, queue=10, per_client=10)})
        pool.start()
        order: list[str] = []

        async def job(client: str, seconds: float) -> None:
            await pool.run("review", _slow, seconds, client=client)
            order.append(client)

        try:
            first = asyncio.ensure_future(job("tung", 0.8))
            await asyncio.sleep(0.2)
            heavy = [asyncio.ensure_future(job("tung", 0.1)) for _ in range(3)]
            await asyncio.sleep(0.1)
            light = asyncio.ensure_future(job("vanlig", 0.1))
            await asyncio.gather(first, *heavy, light)
            return order
        finally:
            pool.close()

    order = run(scenario())
    assert order.index("vanlig") <= 2   # not behind all the heavy user's queued requests


def test_busy_pages_are_swedish_with_retry_after(client, monkeypatch):
    inner = client.app
    while not hasattr(inner, "state"):
        inner = inner.app
    pool = inner.state.pool

    def full(kind, who):
        raise ServiceBusy(7)

    monkeypatch.setattr(pool, "admit", full)
    response = client.post("/granska", files={"utkast": ("a.txt", b"Policy", "text/plain")})
    assert response.status_code == 503 and response.headers["retry-after"] == "7"
    assert "Servern är upptagen just nu" in response.text and "Försök igen om 7 sekunder" in response.text

    def mine(kind, who):
        raise TooManyFromClient(5)

    monkeypatch.setattr(pool, "admit", mine)
    response = client.post("/granska", files={"utkast": ("a.txt", b"Policy", "text/plain")})
    assert response.status_code == 429 and "redan dokument som bearbetas" in response.text


# -- cross-site requests and host names -----------------------------------------------

def _raw(client) -> TestClient:
    return TestClient(client.app, raise_server_exceptions=False)


def test_a_post_from_another_site_is_refused(client):
    raw = _raw(client)
    token = client.token()
    files = {"utkast": ("a.txt", b"Kommunen skall samverka.", "text/plain")}
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"},
                    {"origin": "https://angripare.example"}, {"origin": "http://testserver:666"}):
        response = raw.post("/granska", files=files, data={"skydd": token}, headers=headers)
        assert response.status_code == 403, headers
        assert "Formuläret skickades inte från den här webbsidan" in response.text
    response = raw.post("/skapa/profil", content="atgard=yaml&kommun.namn=Kiruna",
                        headers={"content-type": "application/x-www-form-urlencoded",
                                 "origin": "https://angripare.example"})
    assert response.status_code == 403 and "attachment" not in response.headers.get("content-disposition", "")


def test_a_post_without_this_servers_token_is_refused(client):
    raw = _raw(client)
    files = {"utkast": ("a.txt", b"Kommunen skall samverka.", "text/plain")}
    for data in ({}, {"skydd": "1.abc"}, {"skydd": "9999999999.00"}, {"skydd": "x" * 5000}):
        response = raw.post("/granska", files=files, data=data, headers={"sec-fetch-site": "same-origin"})
        assert response.status_code == 403, data
    response = raw.post("/granska", files=files, data={"skydd": client.token()},
                        headers={"sec-fetch-site": "same-origin"})
    assert response.status_code == 200


def test_tokens_are_bound_to_the_client_and_run_out():
    from policygen.web.security import FormTokens

    tokens = FormTokens(max_age=60)
    token = tokens.issue("10.0.0.5")
    assert tokens.valid(token, "10.0.0.5") and not tokens.valid(token, "10.0.0.6")
    old = f"{int(time.time()) - 120}.{token.split('.')[1]}"
    assert not tokens.valid(old, "10.0.0.5")


def test_unknown_host_names_get_nothing(client):
    response = _raw(client).get("/", headers={"host": "angripare.example"})
    assert response.status_code == 400 and "Servern svarar inte under det namnet" in response.text
    assert "content-security-policy" in response.headers


def test_security_headers_are_kept(client):
    response = client.get("/")
    assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"
    assert 'name="skydd"' not in response.text or "<form" in response.text


# -- Swedish errors ---------------------------------------------------------------------

def test_form_parser_errors_are_swedish(client):
    response = client.post("/granska", content=b"x", headers={"content-type": "multipart/form-data"})
    assert response.status_code == 400 and "gränsmarkeringen" in response.text
    assert "Missing boundary" not in response.text
    files = [("utkast", ("a.txt", b"a", "text/plain")), ("utkast", ("b.txt", b"b", "text/plain"))]
    response = client.post("/granska", files=files)
    assert response.status_code == 400 and "fler filer än sidan tar emot" in response.text
    assert "Too many files" not in response.text


def test_port_and_host_errors_are_swedish_and_urls_usable():
    from policygen import cli

    result = subprocess.run([sys.executable, "-m", "policygen.cli", "serve", "--port", "70000"],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 2 and "ingen port" in result.stderr and "Traceback" not in result.stderr
    assert cli.EXIT_USAGE == 2
    listening = open_socket("::", 0) if socket.has_ipv6 else None
    if listening is not None:
        try:
            assert listening.urls[0].startswith("http://[::1]:") or listening.urls[0].startswith("http://127.0.0.1:")
            assert ":::" not in " ".join(listening.urls) and listening.exposed
        finally:
            listening.sock.close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(UserError, match="används redan"):
            open_socket("127.0.0.1", taken.getsockname()[1])
    local = open_socket("127.0.0.1", 0)
    try:
        assert not local.exposed
    finally:
        local.sock.close()


# -- profile values are data -------------------------------------------------------------

def _kiruna(client):
    page = client.get("/skapa/profil", params={"kommun": "Kiruna", "stil": "markaryd"})
    return form_fields(page.text, "/skapa/profil")


def _post(client, fields, action):
    body = urllib.parse.urlencode(fields + [("atgard", action)])
    return client.post("/skapa/profil", content=body, headers={"content-type": "application/x-www-form-urlencoded"})


def test_a_line_break_in_the_kommun_name_never_becomes_a_yaml_key(client, tmp_path):
    from policygen.infra.yamlio import load_yaml_data

    for name in ("Kiruna\narv: /etc/shadow\n#", "Kiruna\rarv: /etc/shadow", "Kiruna\u2028arv: x", "Kiruna\x85arv: x"):
        saved = _post(client, replace(_kiruna(client), **{"kommun.namn": name}), "yaml")
        assert saved.status_code == 200
        path = tmp_path / "p.yaml"
        path.write_bytes(saved.content)
        data = load_yaml_data(path, "profilen")
        assert "arv" not in data and data["kommun"]["namn"].startswith("Kiruna")
        assert all(line.startswith("#") or not line.startswith("arv") for line in saved.text.splitlines())


def test_a_long_kommun_name_keeps_the_yaml_suffix(client):
    saved = _post(client, replace(_kiruna(client), **{"kommun.namn": "Å" * 300}), "yaml")
    disposition = saved.headers["content-disposition"]
    assert re.search(r"filename=\"[^\"]*-profil\.yaml\"", disposition), disposition


@pytest.mark.parametrize("content", [b"kommun: Kiruna\nstil: markaryd\n", "kommun: [Kiruna, Gällivare]\n".encode(),
                                     b"kommun: 7\n", b"stil: [markaryd]\nkommun:\n  namn: Kiruna\n"])
def test_an_uploaded_profile_with_the_wrong_shape_is_a_4xx(client, content):
    response = client.post("/skapa/ladda-upp", files={"profil": ("p.yaml", content, "text/yaml")})
    assert 400 <= response.status_code < 500 and "Traceback" not in response.text


def test_an_uploaded_profile_with_thousands_of_keys_is_refused_in_a_worker(client):
    content = "".join(f"k{n}: {n}\n" for n in range(20_000)).encode()
    started = time.monotonic()
    response = client.post("/skapa/ladda-upp", files={"profil": ("p.yaml", content, "text/yaml")})
    assert response.status_code == 413 and "fler än 5 000 värden" in response.text
    assert client.get("/").status_code == 200 and time.monotonic() - started < 30


def test_a_footnote_marker_in_a_profile_value_stays_text(tmp_path):
    from policygen.generate.assemble import assemble
    from policygen.model import Paragraph, Text
    from policygen.profile.load import load_profile

    source = (Path(__file__).resolve().parents[1] / "examples" / "ljungby.yaml").read_text(encoding="utf-8")
    source = source.replace("text: I Ljungby kommun formar", "text: Vi skriver [^vision] och formar", 1)
    source = source.replace("vision:\n", "vision:\n  url: https://www.ljungby.se/\n", 1)
    path = tmp_path / "ljungby.yaml"
    path.write_text(source, encoding="utf-8")
    document = assemble(load_profile(path), "policy")
    texts = [run.text for block in document.blocks if isinstance(block, Paragraph)
             for run in block.runs if isinstance(run, Text)]
    assert any("Vi skriver [^vision] och formar" in text for text in texts)


def test_arv_must_be_a_small_yaml_profile_and_errors_never_quote_it(tmp_path):
    from policygen.profile.load import load_profile

    secret = tmp_path / "skugga"
    secret.write_text("root:$6$hemligt:19000:0:99999:7:::\n_apt:*:20228:0:99999:7:::\n", encoding="utf-8")
    child = tmp_path / "profil.yaml"
    for target, expected in ((secret, "slutar på .yaml"), (tmp_path / "stor.yaml", "större än")):
        if target.name == "stor.yaml":
            target.write_text("a: " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
        child.write_text(f"arv: {target}\nkommun:\n  namn: Kiruna\n", encoding="utf-8")
        with pytest.raises(UserError) as caught:
            load_profile(child)
        assert expected in str(caught.value) and "hemligt" not in str(caught.value) and "_apt" not in str(caught.value)


# -- stopping -------------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parents.setdefault(int(handle.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    found, stack = [], [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _named(pids: list[int], name: str) -> list[int]:
    """The processes among `pids` that `ps` shows as `name`."""
    found = []
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/comm") as handle:
            if handle.read().strip() == name:
                found.append(pid)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "policygen.cli", "serve", "--port", str(port),
                                "--workers", "2"], env={**os.environ, "PYTHONPATH": str(SRC)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if connection.recv(20).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("servern startade inte")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_every_worker_and_frees_the_port(stop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _start_server(port)
    processes = _descendants(server.pid)
    workers = _named(processes, "policygen-arb")
    assert len(workers) >= 4                          # review, generate and pdf lanes
    assert len(_named(processes, "policygen-start")) == 1   # the zygote the workers are forked from
    # A worker dies under a request (out of memory): its replacement must not keep the port.
    os.kill(workers[0], signal.SIGKILL)
    time.sleep(0.5)
    processes = sorted(set(processes) | set(_descendants(server.pid)))
    started = time.monotonic()
    server.send_signal(stop)
    server.wait(timeout=20)
    assert time.monotonic() - started < 10
    time.sleep(0.5)
    assert not [pid for pid in processes if _alive(pid)]
    assert "Traceback" not in (server.stderr.read() if server.stderr else "")
    again = _start_server(port)                       # a restart right after works
    again.send_signal(signal.SIGTERM)
    again.wait(timeout=20)



# -- idle and trickling connections ----------------------------------------------------------

def test_a_body_that_trickles_in_is_cut_with_a_swedish_page():
    from policygen.web.app import create_app

    app = create_app(workers=1, load_at_start=False, allowed_hosts={"testserver"}, body_idle_seconds=0.5)
    sent: list[dict] = []

    async def scenario() -> None:
        messages = [{"type": "http.request", "body": b"--b\r\n", "more_body": True}]

        async def receive():
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)   # the next piece never comes

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/granska", "headers": [
            (b"host", b"testserver"), (b"content-type", b"multipart/form-data; boundary=b")],
            "query_string": b"", "scheme": "http", "server": ("testserver", 80), "client": ("1.2.3.4", 5),
            "root_path": "", "http_version": "1.1", "raw_path": b"/granska"}
        await asyncio.wait_for(app(scope, receive, send), timeout=20)

    run(scenario())
    assert sent[0]["status"] == 408
    assert "för långsamt" in b"".join(m.get("body", b"") for m in sent[1:]).decode()


def test_headers_sent_a_byte_at_a_time_are_cut(monkeypatch):
    import threading

    import uvicorn
    from starlette.responses import PlainTextResponse

    from policygen.web import server as server_module

    monkeypatch.setattr(server_module, "HEADER_SECONDS", 1)
    listening = open_socket("127.0.0.1", 0)
    port = listening.sock.getsockname()[1]
    config = server_module.server_config(listening, app=PlainTextResponse("ok"))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening.sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHo")
            slow.settimeout(10)
            started = time.monotonic()
            assert slow.recv(100) == b""            # closed by the server
            assert time.monotonic() - started < 5
        with socket.create_connection(("127.0.0.1", port)) as normal:
            normal.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert normal.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.sock.close()


def test_a_heavy_user_is_served_by_the_low_priority_worker(monkeypatch):
    from policygen.web import pool as pool_module

    monkeypatch.setattr(pool_module, "HEAVY_SECONDS", 0.2)

    async def scenario():
        pool = WorkPool({"review": Budget(1, heavy_workers=1)})
        try:
            before = await pool.run("review", os.nice, 0, client="tung")
            for colleague in ("a", "b"):                       # what the typical client uses: little
                await pool.run("review", pow, 2, 2, client=colleague)
            await pool.run("review", _slow, 0.5, client="tung")
            after = await pool.run("review", os.nice, 0, client="tung")
            colleague = await pool.run("review", os.nice, 0, client="vanlig")
            return before, after, colleague
        finally:
            pool.close()

    before, after, colleague = run(scenario())
    assert after == before + pool_module.HEAVY_NICE and colleague == before


def test_a_long_task_gives_its_place_to_a_short_one():
    async def scenario():
        pool = WorkPool({"review": Budget(1)})
        pool.start()
        try:
            long = asyncio.ensure_future(pool.run("review", _slow, 9, client="tung"))
            await asyncio.sleep(5.5)                # past DEMOTE_AFTER: its priority is lowered, its place freed
            started = time.monotonic()
            short = await pool.run("review", os.nice, 0, client="vanlig")
            waited = time.monotonic() - started
            await long
            return short, waited
        finally:
            pool.close()

    niceness, waited = run(scenario())
    assert waited < 2.5 and niceness == os.nice(0)
