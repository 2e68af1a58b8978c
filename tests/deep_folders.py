"""Folders nested deeper than PATH_MAX allows a path to name at once (issue 14,
item 16), for the tests and benchmarks/hostile.py."""

from __future__ import annotations

import os
from pathlib import Path


def deep_folder(root: Path, depth: int) -> Path:
    """`root` with `depth` nested folders named d, built relative to an open
    folder: the whole path is longer than PATH_MAX allows at once."""
    root.mkdir()
    folder = os.open(root, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=folder)
        deeper = os.open("d", os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = deeper
    os.close(folder)
    return root


def remove_deep_folder(root: Path) -> None:
    """Remove what deep_folder made: pytest's and TemporaryDirectory's own
    clean-up recurse once per level, too deep for them."""
    if not root.exists():
        return
    folders = [os.open(root, os.O_RDONLY)]
    while "d" in os.listdir(folders[-1]):
        folders.append(os.open("d", os.O_RDONLY, dir_fd=folders[-1]))
    while len(folders) > 1:
        inner = folders.pop()
        for name in os.listdir(inner):
            os.unlink(name, dir_fd=inner)
        os.close(inner)
        os.rmdir("d", dir_fd=folders[-1])
    os.close(folders[0])
