"""Web benchmark: a kommun's staff using `policygen serve` at once.

    python benchmarks/web.py
    python benchmarks/web.py --users 20 --seconds 60 --workers 2

Starts the real server (`policygen serve`) on 127.0.0.1 in a new process and
lets simulated users work for a bounded time, each in a loop: half of them
generate (open a kommun's profile form and download its DOCX, then answer two
steps of the guided interview), half review (upload a ten-page Word draft). Between two actions a user reads the page for
`--think` seconds on average (0.5–1.5 times it, at random); `--think 0` makes
every user send the next request at once, a load far above what 20 officials
cause. Prints requests served, errors, p50/p95 latency per kind
and the server's peak memory, against the targets for a 2-core machine:
0 errors, p95 < 1 s for generate, p95 < 2 s for review, p95 < 0.3 s for an
interview step, memory < 1 GB.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path

import httpx

from policygen.generate.assemble import assemble
from policygen.profile.load import load_profile
from policygen.render.docx.writer import render_docx
from policygen.web.server import IDLE_SECONDS as SERVER_IDLE_SECONDS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WORDS_PER_PAGE = 450
KOMMUNER = ["Kiruna", "Ljungby", "Markaryd", "Sollefteå", "Umeå", "Malmö", "Gotland", "Borås"]


@dataclass
class Tally:
    """Latencies per kind of request and the errors, from many user threads."""
    kinds: tuple[str, ...] = ("generate", "review", "interview")
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.latencies = {kind: [] for kind in self.kinds}

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            if problem:
                self.errors.append(f"{kind}: {problem}")
            else:
                self.latencies[kind].append(seconds)


def ten_page_draft() -> bytes:
    """Ljungby's verksamhetsplan, repeated to about ten pages."""
    profile = load_profile(EXAMPLES / "ljungby.yaml")
    base = assemble(profile, "verksamhetsplan")
    words = sum(len(text.split()) for text, _ in base.text_units())
    copies = max(1, math.ceil(10 * WORDS_PER_PAGE / words))
    return render_docx(replace(base, blocks=base.blocks * copies))


def _form_fields(html: str) -> list[tuple[str, str]]:
    """The profile form's values as a browser posts them (text, selected options, checked boxes)."""
    form = html[html.index('action="/skapa/profil"'):]
    fields = []
    for tag in re.findall(r"<input [^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or (kind and kind.group(1) in ("file", "submit")):
            continue
        if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
            continue
        fields.append((name.group(1), unescape(value.group(1)) if value else ""))
    for name, body in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(r'<option value="([^"]*)"', body)
        fields.append((name, unescape(chosen.group(1)) if chosen else ""))
    return fields


def _think(seconds: float, stop: float, chance: random.Random) -> None:
    if seconds > 0:
        time.sleep(max(0.0, min(seconds * chance.uniform(0.5, 1.5), stop - time.monotonic())))


def user_client(base: str, number: int) -> httpx.Client:
    """One official's browser: its own address (127.0.0.x, as colleagues have
    their own computers; the server shares its work per address) and the
    header a browser sends with a form of the page itself."""
    # A kept-alive connection is dropped by the client a second before the
    # server would close it, as a browser that resends or a proxy set up as
    # deploy/nginx-policygen.conf does; httpx's default (5 s, the server's own
    # limit) raced with the server's close now and then.
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{10 + number}",
                                    limits=httpx.Limits(keepalive_expiry=SERVER_IDLE_SECONDS - 1))
    return httpx.Client(base_url=base, timeout=120, transport=transport, headers={"sec-fetch-site": "same-origin"})


def form_token(html: str) -> str:
    found = re.search(r'name="skydd" value="([^"]+)"', html)
    return found.group(1) if found else ""


def generate_user(base: str, stop: float, tally: Tally, number: int, think: float) -> None:
    chance = random.Random(number)
    with user_client(base, number) as client:
        round_ = 0
        _think(think, stop, chance)
        while time.monotonic() < stop:
            kommun = KOMMUNER[(number + round_) % len(KOMMUNER)]
            round_ += 1
            started = time.perf_counter()
            try:
                form = client.get("/skapa/profil", params={"kommun": kommun, "stil": "markaryd"})
                fields = _form_fields(form.text)
                body = urllib.parse.urlencode(fields + [("atgard", "docx:policy")])
                response = client.post("/skapa/profil", content=body,
                                       headers={"content-type": "application/x-www-form-urlencoded"})
                ok = form.status_code == 200 and response.status_code == 200 and response.content[:2] == b"PK"
                tally.add("generate", time.perf_counter() - started, None if ok else f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                tally.add("generate", 0, type(error).__name__)
            _think(think, stop, chance)
            interview_steps(client, kommun, tally)
            _think(think, stop, chance)


def interview_steps(client: httpx.Client, kommun: str, tally: Tally) -> None:
    """Two steps of the guided interview (organisation → beslut → ansvar), each
    timed as a user waits for it: the answers, the check and the preview."""
    page = client.get("/skapa/intervju").text
    fields = {"skydd": form_token(page), "svar": "{}", "steg": "0", "kommun.namn": kommun, "stil": "markaryd"}
    for _ in range(2):
        started = time.perf_counter()
        try:
            response = client.post("/skapa/intervju", data={**fields, "atgard": "nasta"})
            ok = response.status_code == 200 and 'id="forhandsvisning"' in response.text
            tally.add("interview", time.perf_counter() - started, None if ok else f"HTTP {response.status_code}")
        except httpx.HTTPError as error:
            tally.add("interview", 0, type(error).__name__)
            return
        state = re.search(r'name="svar" value="([^"]*)"', response.text)
        fields = {"skydd": form_token(response.text), "svar": unescape(state.group(1)) if state else "{}",
                  "steg": str(int(fields["steg"]) + 1)}


def review_user(base: str, stop: float, tally: Tally, draft: bytes, number: int, think: float) -> None:
    chance = random.Random(number)
    with user_client(base, number) as client:
        _think(think, stop, chance)
        token = form_token(client.get("/granska").text)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                response = client.post("/granska", files={"utkast": ("utkast.docx", draft, "application/octet-stream")},
                                       data={"doc_type": "", "kommun": "", "skydd": token})
                ok = response.status_code == 200 and "SKR:s tolv delar" in response.text
                tally.add("review", time.perf_counter() - started, None if ok else f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                tally.add("review", 0, type(error).__name__)
            _think(think, stop, chance)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes together (Linux).
    Forked workers share the loaded models, so the sum is an upper bound."""
    pids, total = [pid], 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _watch_memory(pid: int, stop: float, peak: list[float]) -> None:
    while time.monotonic() < stop + 1:
        if Path("/proc").is_dir():
            peak[0] = max(peak[0], _tree_rss_mb(pid))
        time.sleep(0.5)


def run_users(users: list[threading.Thread], server_pid: int, stop: float) -> list[float]:
    """Start the user threads, watch the server's memory until they are done;
    returns [peak MB]."""
    peak = [0.0]
    watcher = threading.Thread(target=_watch_memory, args=(server_pid, stop, peak), daemon=True)
    watcher.start()
    for user in users:
        user.start()
    for user in users:
        user.join()
    watcher.join()
    return peak


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds a user reads between actions")
    args = parser.parse_args()

    draft = ten_page_draft()
    port = _free_port()
    command = [sys.executable, "-m", "policygen.cli", "serve", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - started > 120:
                print(server.stderr.read().decode(errors="replace"), file=sys.stderr)
                raise SystemExit("servern startade inte")
            time.sleep(0.2)
        startup = time.monotonic() - started
        tally = Tally()
        stop = time.monotonic() + args.seconds
        users = [threading.Thread(target=generate_user, args=(base, stop, tally, n, args.think)) if n % 2 == 0
                 else threading.Thread(target=review_user, args=(base, stop, tally, draft, n, args.think))
                 for n in range(args.users)]
        peak = run_users(users, server.pid, stop)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"policygen serve: {args.users} samtidiga användare i {args.seconds:.0f} s, betänketid {args.think:g} s "
          f"(server uppe på {startup:.1f} s; granskat utkast {len(draft) // 1024} kB, ~10 sidor)")
    targets = {"generate": 1.0, "review": 2.0, "interview": 0.3}
    for kind, values in tally.latencies.items():
        p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
        verdict = "OK" if p95 < targets[kind] else "ÖVER MÅLET"
        print(f"  {kind:9s} {len(values):4d} svar  p50 {p50:.2f} s  p95 {p95:.2f} s  "
              f"(mål p95 < {targets[kind]:g} s: {verdict})"
              + (f"  medel {statistics.mean(values):.2f} s" if values else ""))
    print(f"  fel       {len(tally.errors)} (mål 0)" + (f": {tally.errors[:5]}" if tally.errors else ""))
    print(f"  minne     {peak[0]:.0f} MB som mest, servern och dess arbetsprocesser (mål < 1024 MB)")


if __name__ == "__main__":
    main()
