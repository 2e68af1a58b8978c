"""Soak benchmark: `policygen serve` under ordinary and hostile users at once.

    python benchmarks/soak.py                       # 20 users for 5 minutes
    python benchmarks/soak.py --seconds 60          # a shorter run

Starts the real server (`policygen serve --workers 2`) in a new process. Of
the users, most are officials doing ordinary work in a loop (half review a
ten-page Word draft, half open a kommun's profile form and download its
DOCX, reading each page for `--think` seconds); the rest are hostile and
send, one after the other without pause: the shared-content-stream PDF, a
draft full of findings, a DOCX of 20 000 short paragraphs, a post from
another site, a profile of 75 000 keys, a kommun name with a line break, a
30 MB file that is no draft, and a body that trickles in. Each user has its
own address (127.0.0.x), as colleagues have their own computers.

Prints, against the issue's targets: errors for ordinary users (0), their
p95 (review < 2 s), the server's memory at start, peak and end (peak <
1.5 GB, end within 20 % of the start), files left in the server's temp
folder (its own TMPDIR; 0) and processes left after SIGTERM (0). Memory is the proportional set size
(PSS) of the server and all its workers: pages the forked workers share
with the server are counted once.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from web import _form_fields, _free_port, _percentile, _think, form_token, ten_page_draft, user_client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pdf_factory import write_shared_stream_pdf  # noqa: E402

KOMMUNER = ["Kiruna", "Ljungby", "Markaryd", "Sollefteå", "Umeå", "Malmö", "Gotland", "Borås"]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"review": [], "generate": []})
    errors: list[str] = field(default_factory=list)
    hostile: dict[str, dict[int, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def normal(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            if problem:
                self.errors.append(f"{kind}: {problem}")
            else:
                self.latencies[kind].append(seconds)

    def attack(self, name: str, status: int) -> None:
        with self.lock:
            counts = self.hostile.setdefault(name, {})
            counts[status] = counts.get(status, 0) + 1


# -- hostile inputs, made here ------------------------------------------------------------

def hostile_inputs(folder: Path) -> dict[str, bytes]:
    import docx

    pdf = write_shared_stream_pdf(folder / "delad.pdf", pages=5, lines=3000).read_bytes()
    flood = "# Policy för samverkan med sociala företag\n\n" + "".join(
        f"Kommunen skall pröva fråga {n} i samråd med företagen.\n\n" for n in range(5000))
    word = docx.Document()
    for n in range(20_000):
        word.add_paragraph(f"skall {n}")
    buffer = io.BytesIO()
    word.save(buffer)
    keys = "".join(f"k{n}: {n}\n" for n in range(75_000))
    return {"pdf": pdf, "flood": flood.encode(), "paragraphs": buffer.getvalue(), "keys": keys.encode(),
            "junk": os.urandom(30 * 1024 * 1024)}


def hostile_user(base: str, port: int, stop: float, tally: Tally, inputs: dict[str, bytes], number: int) -> None:
    chance = random.Random(1000 + number)
    actions = ["pdf", "flood", "paragraphs", "cross-site", "keys", "newline", "junk", "trickle"]
    with user_client(base, number) as client:
        token = form_token(client.get("/granska").text)
        while time.monotonic() < stop:
            action = chance.choice(actions)
            try:
                if action in ("pdf", "flood", "paragraphs", "junk"):
                    name = {"pdf": "a.pdf", "flood": "a.md", "paragraphs": "a.docx", "junk": "a.pdf"}[action]
                    response = client.post("/granska", files={"utkast": (name, inputs[action], "application/octet-stream")},
                                           data={"skydd": token})
                elif action == "cross-site":
                    response = client.post("/granska", files={"utkast": ("a.txt", b"x", "text/plain")},
                                           headers={"sec-fetch-site": "cross-site", "origin": "https://angripare.example"})
                elif action == "keys":
                    response = client.post("/skapa/ladda-upp", files={"profil": ("p.yaml", inputs["keys"], "text/yaml")},
                                           data={"skydd": token})
                elif action == "newline":
                    form = client.get("/skapa/profil", params={"kommun": "Kiruna", "stil": "markaryd"})
                    fields = [(k, "Kiruna\narv: /etc/shadow\n#" if k == "kommun.namn" else v)
                              for k, v in _form_fields(form.text)]
                    response = client.post("/skapa/profil", content=urllib.parse.urlencode(fields + [("atgard", "yaml")]),
                                           headers={"content-type": "application/x-www-form-urlencoded"})
                else:
                    tally.attack("trickle", _trickle(port, number))
                    continue
                tally.attack(action, response.status_code)
            except httpx.HTTPError as error:
                tally.attack(action, -1)
                del error


def _trickle(port: int, number: int) -> int:
    """A multipart body that stops after its first bytes: the server must cut it."""
    with socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.0.{10 + number}", 0)) as slow:
        slow.sendall(b"POST /granska HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: multipart/form-data; "
                     b"boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n" % port)
        slow.settimeout(60)
        try:
            answer = slow.recv(64)
        except OSError:
            return -1
        found = re.match(rb"HTTP/1.1 (\d+)", answer)
        return int(found.group(1)) if found else -1


# -- ordinary users --------------------------------------------------------------------

def review_user(base: str, stop: float, tally: Tally, draft: bytes, number: int, think: float) -> None:
    chance = random.Random(number)
    with user_client(base, number) as client:
        _think(think, stop, chance)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                token = form_token(client.get("/granska").text)
                response = client.post("/granska", files={"utkast": ("utkast.docx", draft, "application/octet-stream")},
                                       data={"doc_type": "", "kommun": "", "skydd": token})
                ok = response.status_code == 200 and "SKR:s tolv delar" in response.text
                tally.normal("review", time.perf_counter() - started, None if ok else f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                tally.normal("review", 0, type(error).__name__)
            _think(think, stop, chance)


def generate_user(base: str, stop: float, tally: Tally, number: int, think: float) -> None:
    chance = random.Random(number)
    with user_client(base, number) as client:
        _think(think, stop, chance)
        round_ = 0
        while time.monotonic() < stop:
            kommun = KOMMUNER[(number + round_) % len(KOMMUNER)]
            round_ += 1
            started = time.perf_counter()
            try:
                form = client.get("/skapa/profil", params={"kommun": kommun, "stil": "markaryd"})
                body = urllib.parse.urlencode(_form_fields(form.text) + [("atgard", "docx:policy")])
                response = client.post("/skapa/profil", content=body,
                                       headers={"content-type": "application/x-www-form-urlencoded"})
                ok = response.status_code == 200 and response.content[:2] == b"PK"
                tally.normal("generate", time.perf_counter() - started, None if ok else f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                tally.normal("generate", 0, type(error).__name__)
            _think(think, stop, chance)


# -- the server's processes and memory ---------------------------------------------------

def descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Watcher(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.seen, self.running = pid, 0.0, {}, True

    def sample(self) -> float:
        pids = [self.pid] + descendants(self.pid)
        for pid in pids:
            if pid not in self.seen:
                try:
                    self.seen[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    pass
        return pss_mb(pids)

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.sample())
            time.sleep(0.5)


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--hostile", type=int, default=4, help="how many of the users are hostile")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds an official reads between actions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="soak-") as work:
        inputs = hostile_inputs(Path(work))
    draft = ten_page_draft()
    # The server gets a temp folder of its own: other programs' files in the
    # system's temp folder are not counted, and everything the server leaves is.
    server_temp = Path(tempfile.mkdtemp(prefix="soak-tmp-"))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src"),
           "TMPDIR": str(server_temp)}
    log = tempfile.TemporaryFile()   # the server's own messages; a pipe nobody reads would fill and stop it
    server = subprocess.Popen([sys.executable, "-m", "policygen.cli", "serve", "--port", str(port),
                               "--workers", str(args.workers)], stdout=subprocess.DEVNULL, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    while True:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() - started > 120:
            log.seek(0)
            raise SystemExit("servern startade inte: " + log.read().decode(errors="replace"))
        time.sleep(0.3)
    watcher = Watcher(server.pid)
    time.sleep(2)
    memory_start = watcher.sample()
    server_start = pss_mb([server.pid])
    workers_start = len(descendants(server.pid))
    watcher.start()
    tally = Tally()
    stop = time.monotonic() + args.seconds
    ordinary = args.users - args.hostile
    threads = [threading.Thread(target=review_user, args=(base, stop, tally, draft, n, args.think)) if n % 2
               else threading.Thread(target=generate_user, args=(base, stop, tally, n, args.think))
               for n in range(ordinary)]
    threads += [threading.Thread(target=hostile_user, args=(base, port, stop, tally, inputs, ordinary + n))
                for n in range(args.hostile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(25)  # the last requests finish; workers that kept memory are replaced once idle for 10 s
    memory_end = watcher.sample()
    server_end = pss_mb([server.pid])
    workers_end = len(descendants(server.pid))
    watcher.running = False
    watcher.join()
    processes = dict(watcher.seen)
    stopping = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    stop_seconds = time.monotonic() - stopping
    time.sleep(1)
    left = [pid for pid, cmdline in processes.items() if pid != server.pid and alive(pid)
            and Path(f"/proc/{pid}/cmdline").read_bytes() == cmdline]
    files_left = leftovers(server_temp)
    if not files_left:
        server_temp.rmdir()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as a restarted server binds
        try:
            probe.bind(("127.0.0.1", port))
            port_free = True
        except OSError:
            port_free = False

    print(f"policygen serve, soak: {args.users} användare ({ordinary} vanliga, {args.hostile} fientliga) i "
          f"{args.seconds:.0f} s, --workers {args.workers}, betänketid {args.think:g} s")
    for kind, target in (("review", 2.0), ("generate", 2.0)):
        values = tally.latencies[kind]
        p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
        print(f"  vanliga {kind:9s} {len(values):4d} svar  p50 {p50:.2f} s  p95 {p95:.2f} s  "
              f"(mål p95 < {target:.0f} s: {'OK' if p95 < target else 'ÖVER MÅLET'})")
    print(f"  fel för vanliga användare: {len(tally.errors)} (mål 0)" + (f": {tally.errors[:5]}" if tally.errors else ""))
    for action, counts in sorted(tally.hostile.items()):
        print(f"  fientligt {action:10s} " + ", ".join(f"HTTP {status}: {n}" if status > 0 else f"avbrutet: {n}"
                                                      for status, n in sorted(counts.items())))
    within = abs(memory_end - memory_start) <= 0.2 * memory_start
    print(f"  minne (PSS, servern och arbetsprocesserna): start {memory_start:.0f} MB, topp {watcher.peak:.0f} MB "
          f"(mål < 1536 MB: {'OK' if watcher.peak < 1536 else 'ÖVER MÅLET'}), slut {memory_end:.0f} MB "
          f"({'inom' if within else 'utanför'} 20 % av start); servern själv {server_start:.0f} → {server_end:.0f} MB, "
          f"arbetsprocesser {workers_start} → {workers_end}")
    print(f"  kvarlämnade filer i serverns temp-mapp: {len(files_left)} (mål 0)" + (f": {files_left[:5]}" if files_left else ""))
    print(f"  SIGTERM: servern stoppade på {stop_seconds:.1f} s; kvarlämnade processer: {len(left)} (mål 0); "
          f"porten {'ledig' if port_free else 'UPPTAGEN'}")


if __name__ == "__main__":
    main()
