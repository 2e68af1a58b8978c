"""The server hands freed memory back to the system when it is idle
(web/process_memory.py): without it, glibc keeps the pages of every freed
upload and page for reuse, and the server's memory only ever grows."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

PROGRAM = """
from policygen.web.process_memory import give_back_free_memory, limit_arenas

def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) // 1024

limit_arenas()
blocks = [bytes(2000) for _ in range(100_000)]    # 200 MB in pieces malloc keeps in its heap
kept = blocks[::50]                               # a few stay: the heap cannot simply shrink from the top
del blocks
before = resident_mb()
give_back_free_memory()
print(before, resident_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="glibc's allocator (malloc_trim); elsewhere giving memory back is a no-op")
def test_freed_memory_goes_back_to_the_system():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, check=True)
    before, after = map(int, result.stdout.split())
    assert before > 150 and after < before / 3, (before, after)
