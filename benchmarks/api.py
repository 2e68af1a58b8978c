"""API benchmark: other systems calling `policygen serve`'s API at once.

    python benchmarks/api.py
    python benchmarks/api.py --users 20 --seconds 60 --workers 2 --think 5

Starts the real server (`policygen serve`, with an API key as a service would
have one) on 127.0.0.1 in a new process and lets simulated clients call the
API for a bounded time, each from its own address and each in a loop over the
endpoints: review a ten-page Word draft (POST /api/v1/granska), generate
Ljungby's policy as DOCX from its profile as JSON (POST /api/v1/skapa) and
read the rule catalogue (GET /api/v1/regler), with `--think` seconds between
calls on average (0.5–1.5 times it); `--think 0` sends the next call at once.
Prints calls, errors and p50/p95 per endpoint against the targets for a
2-core machine (generate p95 < 1 s, review p95 < 2 s, 0 errors).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import yaml
from web import Tally, _free_port, _percentile, _think, run_users, ten_page_draft

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
KEY = "benchmark-nyckel-0123456789abcdef"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ENDPOINTS = ("granska", "skapa", "regler")
TARGETS = {"granska": 2.0, "skapa": 1.0}


def call(client: httpx.Client, endpoint: str, draft: bytes, profile: bytes) -> bool:
    if endpoint == "granska":
        response = client.post("/api/v1/granska", params={"filnamn": "utkast.docx"}, content=draft,
                               headers={"content-type": DOCX})
        return response.status_code == 200 and "coverage" in response.json()
    if endpoint == "skapa":
        response = client.post("/api/v1/skapa", params={"format": "docx", "dokument": "policy"}, content=profile,
                               headers={"content-type": "application/json"})
        return response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get("/api/v1/regler")
    return response.status_code == 200 and bool(response.json()["rules"])


def api_user(base: str, stop: float, tally: Tally, number: int, think: float, draft: bytes, profile: bytes) -> None:
    chance = random.Random(number)
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{10 + number}")   # a system of its own
    with httpx.Client(base_url=base, timeout=120, transport=transport,
                      headers={"authorization": f"Bearer {KEY}"}) as client:
        round_ = number
        _think(think, stop, chance)
        while time.monotonic() < stop:
            endpoint = ENDPOINTS[round_ % len(ENDPOINTS)]
            round_ += 1
            started = time.perf_counter()
            try:
                ok = call(client, endpoint, draft, profile)
                tally.add(endpoint, time.perf_counter() - started, None if ok else "fel svar")
            except (httpx.HTTPError, ValueError) as error:
                tally.add(endpoint, 0, type(error).__name__)
            _think(think, stop, chance)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds a client waits between calls")
    args = parser.parse_args()

    draft = ten_page_draft()
    profile = json.dumps(yaml.safe_load((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")),
                         default=str, ensure_ascii=False).encode("utf-8")
    port = _free_port()
    command = [sys.executable, "-m", "policygen.cli", "serve", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "POLICYGEN_API_KEY": KEY})
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/halsa", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - started > 120:
                raise SystemExit("servern startade inte")
            time.sleep(0.2)
        tally = Tally(ENDPOINTS)
        stop = time.monotonic() + args.seconds
        users = [threading.Thread(target=api_user, args=(base, stop, tally, n, args.think, draft, profile))
                 for n in range(args.users)]
        peak = run_users(users, server.pid, stop)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"policygen serve, API: {args.users} samtidiga klienter i {args.seconds:.0f} s, betänketid {args.think:g} s "
          f"(granskat utkast {len(draft) // 1024} kB, ~10 sidor; skapa: Ljungbys policy som DOCX)")
    for endpoint, values in tally.latencies.items():
        p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
        target = TARGETS.get(endpoint)
        verdict = "" if target is None else f"  (mål p95 < {target:.0f} s: {'OK' if p95 < target else 'ÖVER MÅLET'})"
        print(f"  {endpoint:8s} {len(values):4d} svar  p50 {p50:.2f} s  p95 {p95:.2f} s{verdict}")
    print(f"  fel      {len(tally.errors)} (mål 0)" + (f": {tally.errors[:5]}" if tally.errors else ""))
    print(f"  minne    {peak[0]:.0f} MB som mest, servern och dess arbetsprocesser")


if __name__ == "__main__":
    main()
