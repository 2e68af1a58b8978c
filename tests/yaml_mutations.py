"""YAML-aware mutations of a valid data file, for fuzz tests of the loaders.

A mutation starts from the whole valid file, parsed, and changes its data the
way an expert editing the file by hand (or someone hostile) might: a value
changed or given a hostile string, a key dropped or duplicated, a value of the
wrong type, deep nesting, aliases (shared nodes the dumper writes as &anchor
and *alias), a list item copied. The result is written back as YAML text.
Every choice comes from `rng`, so hypothesis (st.randoms) can drive and shrink
it and a plain random.Random gives a repeatable sample."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from typing import Any

import yaml

HOSTILE_STRINGS = ["", " ", "\x00", "\x1b]0;titel\x07", "\x1b[2J", "\u202e", "\ud800", "{{ namn }}", "{% if x %}",
                   "!", "|", "a|", "rubrik:", "!!python/object:os.system", "&a", "*a", "<w:p/>", "Å" * 5000,
                   "SKR01", "KS01", "okänt_begrepp", "@årtal", "policy", "delvis", "#", "- x", "'", '"', "\\", "\t",
                   "kommun\nstyrelsen"]
HOSTILE_VALUES: list[Any] = [0, -1, 10**15, 10**30, 1.5, float("inf"), True, False, None, [], {}, ["x"], {"a": 1},
                             [[["x"]]]]

Path = tuple[Any, ...]  # keys and indexes from the root to a node


def _nodes(tree: Any) -> list[tuple[Path, Any]]:
    """Every node once (a node shared by aliases, or nested deeper than 60
    levels, is not entered again), with its path."""
    found: list[tuple[Path, Any]] = []
    seen: set[int] = set()
    pending: list[tuple[Path, Any]] = [((), tree)]
    while pending:
        path, node = pending.pop()
        found.append((path, node))
        if not isinstance(node, (dict, list)) or id(node) in seen or len(path) > 60:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        pending += [(path + (key,), value) for key, value in items]
    return found


def _inner_paths(tree: Any) -> list[Path]:
    return [path for path, _ in _nodes(tree) if path]


def _get(tree: Any, path: Path) -> Any:
    for step in path:
        tree = tree[step]
    return tree


def _set(tree: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _strings(tree: Any) -> list[str]:
    return [node for _, node in _nodes(tree) if isinstance(node, str)]


def _other_string(rng: random.Random, tree: Any) -> Any:
    """A string taken from elsewhere in the file: a concept name, a severity,
    an id in a place that wants another kind of name."""
    paths = [path for path, node in _nodes(tree) if isinstance(node, str)]
    if not paths:
        return tree
    target = rng.choice(paths)
    return _set(tree, target, rng.choice(_strings(tree)))


def _changed_string(rng: random.Random, tree: Any) -> Any:
    paths = [path for path, node in _nodes(tree) if isinstance(node, str)]
    if not paths:
        return tree
    target = rng.choice(paths)
    old = _get(tree, target)
    choice = rng.randrange(4)
    new = (rng.choice(HOSTILE_STRINGS) if choice == 0 else old + rng.choice(HOSTILE_STRINGS) if choice == 1
           else old.upper() if choice == 2 else old[:rng.randint(0, len(old))])
    return _set(tree, target, new)


def _changed_text(rng: random.Random, tree: Any) -> Any:
    """Free text (a message, an explanation, an example) rewritten: the edit an
    expert makes most, and one that still loads, so the linter gets to use it."""
    paths = [path for path, node in _nodes(tree) if isinstance(node, str) and " " in node.strip()]
    if not paths:
        return _changed_string(rng, tree)
    target = rng.choice(paths)
    old = _get(tree, target)
    cut = rng.randint(0, len(old))
    return _set(tree, target, old[:cut] + rng.choice(HOSTILE_STRINGS[1:]) + old[cut:])


def _hostile_value(rng: random.Random, tree: Any) -> Any:
    if not _inner_paths(tree):
        return tree
    target = rng.choice(_inner_paths(tree))
    return _set(tree, target, copy.deepcopy(rng.choice(HOSTILE_VALUES + HOSTILE_STRINGS)))


def _dropped(rng: random.Random, tree: Any) -> Any:
    containers = [(path, node) for path, node in _nodes(tree) if isinstance(node, (dict, list)) and node]
    if not containers:
        return tree
    path, node = rng.choice(containers)
    key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
    del node[key]
    return tree


def _wrong_type(rng: random.Random, tree: Any) -> Any:
    if not _inner_paths(tree):
        return tree
    target = rng.choice(_inner_paths(tree))
    node = _get(tree, target)
    if isinstance(node, dict):
        new: Any = list(node.values())
    elif isinstance(node, list):
        new = {f"k{index}": value for index, value in enumerate(node)} if rng.random() < 0.5 else ", ".join(
            map(str, node))
    elif isinstance(node, str):
        new = [node] if rng.random() < 0.5 else {node: node}
    else:
        new = str(node)
    return _set(tree, target, new)


def _nested(rng: random.Random, tree: Any) -> Any:
    if not _inner_paths(tree):
        return tree
    target = rng.choice(_inner_paths(tree))
    value = _get(tree, target)
    for _ in range(rng.choice([2, 20, 200, 2000])):
        value = [value] if rng.random() < 0.5 else {"n": value}
    return _set(tree, target, value)


def _aliased(rng: random.Random, tree: Any) -> Any:
    """One node also used in another place (the dumper writes an anchor and an
    alias); sometimes an alias bomb: each level refers ten times to the last."""
    paths = _inner_paths(tree)
    if not paths:
        return tree
    source, target = rng.choice(paths), rng.choice(paths)
    if target[:len(source)] == source or source[:len(target)] == target:
        return tree
    shared = _get(tree, source)
    if rng.random() < 0.3:
        for _ in range(rng.randint(2, 9)):
            shared = [shared] * 10
    return _set(tree, target, shared)


def _copied_item(rng: random.Random, tree: Any) -> Any:
    lists = [node for _, node in _nodes(tree) if isinstance(node, list) and node]
    if lists:
        chosen = rng.choice(lists)
        chosen.insert(rng.randint(0, len(chosen)), copy.deepcopy(rng.choice(chosen)))
    return tree


TREE_MUTATIONS: list[tuple[Callable[[random.Random, Any], Any], int]] = [
    (_changed_text, 24), (_changed_string, 2), (_other_string, 2), (_hostile_value, 1), (_dropped, 2),
    (_wrong_type, 1), (_nested, 1), (_aliased, 2), (_copied_item, 1)]
_KEY_LINE = re.compile(r"^( *)(- )?([^\s:#'\"-][^:#]*): ", re.MULTILINE)


def _duplicated_key(rng: random.Random, text: str) -> str:
    """A key written twice in the same mapping (same or another value)."""
    lines = [match for match in _KEY_LINE.finditer(text)]
    if not lines:
        return text
    match = rng.choice(lines)
    indent = match.group(1) + ("  " if match.group(2) else "")
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    value = text[match.end():line_end] if rng.random() < 0.5 else rng.choice(["x", "[]", "{}", "1", "*nope"])
    return text[:line_end] + f"\n{indent}{match.group(3)}: {value}" + text[line_end:]


def mutate(rng: random.Random, data: Any) -> str:
    """The YAML text of `data` after one or two random edits."""
    tree = copy.deepcopy(data)
    weights = [weight for _, weight in TREE_MUTATIONS]
    for _ in range(rng.randint(1, 2)):
        (mutation,) = rng.choices([m for m, _ in TREE_MUTATIONS], weights)
        tree = mutation(rng, tree)
    try:
        text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=100)
    except (yaml.YAMLError, RecursionError):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    if rng.random() < 0.05:
        text = _duplicated_key(rng, text)
    return text
