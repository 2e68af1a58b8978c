"""A folder of documents for many kommuner, made with the library from
examples/gemensam.yaml (the same profile every kommun in a batch run starts
from), with parts removed on purpose by keeping only some sections."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from policygen.generate.all_kommuner import kommun_profiles
from policygen.generate.run import build_documents
from policygen.render.markdown import render_markdown

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@cache
def _profiles() -> dict[str, object]:
    return dict(kommun_profiles(EXAMPLES / "gemensam.yaml"))


@cache
def documents(kommun: str) -> dict[str, str]:
    """The kommun's policy and handlingsplan as Markdown, keyed by their file stems."""
    profile = _profiles()[kommun]
    built = build_documents(profile, ["policy", "handlingsplan"])  # type: ignore[arg-type]
    return {stem: render_markdown(document) for stem, document in built}


def policy(kommun: str) -> str:
    return next(text for stem, text in documents(kommun).items() if "policy" in stem)


def plan(kommun: str) -> str:
    return next(text for stem, text in documents(kommun).items() if "handlingsplan" in stem)


def keep_sections(text: str, headings: list[str]) -> str:
    """The document's title and metadata table, and only the sections (## or
    ###) whose heading starts with one of `headings`: every other part gone."""
    kept, on = [], True
    for line in text.split("\n"):
        if line.startswith("##"):
            on = any(line.lstrip("# ").startswith(h) for h in headings)
        if on:
            kept.append(line)
    return "\n".join(kept)


# Something a kommun also keeps in the folder: not about social enterprises at all.
OFF_TOPIC = """# Riktlinje för snöröjning

Kiruna kommun plogar gator och gång- och cykelvägar när det har fallit mer än fem centimeter snö.
Huvudgator plogas först, sedan bostadsgator. Sandning sker vid halka.
"""
