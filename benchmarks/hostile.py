"""Hostile-input benchmark: what each attack from issue 14 costs now.

    PYTHONPATH=src python benchmarks/hostile.py

Builds every hostile input in a temporary folder, runs the real command line
on it in a new process and prints the exit code, the time and the peak memory
(maximum resident set of that process, from wait4). Target: every run ends
with exit 0, 1 or 2, at once, under 500 MB.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TARGET_MB = 500
_W = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


def _billion_laughs() -> str:
    lines = ["lol0: &lol0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 9)]
    return "\n".join(lines) + "\n"


def _docx(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", _W + body + "</w:body></w:document>")
    return path


def _lie_about_packed_size(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", data, start + 20, 200 * 1024 * 1024)
        start += 4
    path.write_bytes(bytes(data))
    return path


def _cases(folder: Path) -> list[tuple[str, list[str]]]:
    draft = folder / "utkast.txt"
    draft.write_text("Policy\n\nKommunen samverkar med sociala företag.\n", encoding="utf-8")
    laughs = folder / "skratt.yaml"
    laughs.write_text("kommun:\n  namn: Ljungby\n" + _billion_laughs(), encoding="utf-8")
    config = folder / "policygen.yaml"
    config.write_text(_billion_laughs(), encoding="utf-8")
    fifo = folder / "rör.yaml"
    os.mkfifo(fifo)
    big_profile = folder / "stor.yaml"
    with open(big_profile, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    lying = _lie_about_packed_size(_docx(folder / "lögn.docx", "<w:p/>" * (40 * 1024 * 1024 // 6)))
    lying_template = _lie_about_packed_size(_docx(folder / "lögnmall.docx", "<w:p/>" * (40 * 1024 * 1024 // 6)))
    many = _docx(folder / "många.docx", "<w:p><w:r><w:t>Kommunen samverkar.</w:t></w:r></w:p>" * 400_000)
    long_name = folder / "lång.yaml"
    long_name.write_text((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
                         .replace("namn: Ljungby", f"namn: {'Å' * 10_000}", 1), encoding="utf-8")
    out = str(folder / "ut")
    return [
        ("billion laughs, profile (4 kB)", ["generate", str(laughs), "-o", out]),
        ("billion laughs, --config", ["lint", str(draft), "--config", str(config)]),
        ("/dev/zero as profile", ["generate", "/dev/zero", "-o", out]),
        ("/dev/zero as --config", ["lint", str(draft), "--config", "/dev/zero"]),
        ("FIFO as profile", ["generate", str(fifo), "-o", out]),
        ("6 MB profile", ["generate", str(big_profile), "-o", out]),
        ("zip lying about packed size, draft", ["lint", str(lying)]),
        ("zip lying about packed size, template", ["generate", str(EXAMPLES / "ljungby.yaml"), "-o", out,
                                                    "--reference-docx", str(lying_template)]),
        (f"DOCX with 400 000 paragraphs ({many.stat().st_size / 1e6:.1f} MB)", ["lint", str(many)]),
        ("kommun name of 10 000 characters", ["generate", str(long_name), "-o", out, "--format", "md", "--utkast",
                                              "--force"]),
    ]


def _run(arguments: list[str]) -> tuple[int, float, float]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "policygen.cli", *arguments], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        # In a process of its own: Linux passes a parent's peak memory on to
        # every child it starts, so the runner must stay small.
        for name, arguments in _cases(Path(sys.argv[2])):
            print("\t".join([name, *arguments]))
        return
    with tempfile.TemporaryDirectory() as temporary:
        listing = subprocess.run([sys.executable, __file__, "--build", temporary], capture_output=True,
                                 text=True, check=True).stdout
        cases = [(line.split("\t")[0], line.split("\t")[1:]) for line in listing.splitlines()]
        print(f"{'case':<52} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
        worst = 0.0
        for name, arguments in cases:
            code, seconds, peak = _run(arguments)
            worst = max(worst, peak)
            flag = "" if code in (0, 1, 2) and peak < TARGET_MB else "  <-- over target"
            print(f"{name:<52} {code:>4} {seconds:>8.1f} {peak:>8.0f}{flag}")
        print(f"highest peak {worst:.0f} MB (target under {TARGET_MB} MB)")


if __name__ == "__main__":
    main()
