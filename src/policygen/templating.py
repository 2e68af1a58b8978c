"""Jinja2 for clause and recipe text.

Profile values are inserted as data and never rendered again, so a value that
contains "{{ ... }}" reaches the document literally. The sandbox keeps clause
files (which experts edit) from reaching Python internals.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any, Iterable

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment


def swedish_list(items: Iterable[Any], conjunction: str = "och") -> str:
    """'a', 'a och b', 'a, b och c'."""
    values = [str(item) for item in items if item not in (None, "")]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {conjunction} " + values[-1]


def lower_first(text: str) -> str:
    # Keep acronyms such as "IOP" or "ASF" intact.
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december")


def is_iso_date(value: Any) -> bool:
    """True for a real date written YYYY-MM-DD."""
    import datetime as dt

    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def date_in_words(value: Any) -> str:
    """'2030-12-31' → '31 december 2030': running text writes dates in words
    (Myndigheternas skrivregler); other text is returned as it is."""
    if not is_iso_date(value):
        return str(value)
    year, month, day = (int(part) for part in value.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


def _make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["lista"] = swedish_list
    env.filters["gemen"] = lower_first
    env.filters["versal"] = upper_first
    env.filters["utan_punkt"] = lambda text: str(text).rstrip().rstrip(".")
    env.filters["ar_datum"] = is_iso_date
    env.filters["datum_text"] = date_in_words
    return env


ENVIRONMENT = _make_environment()


@lru_cache(maxsize=4096)
def compile_template(source: str):
    """The template for `source`. Jinja's compiled code is kept in the cache
    folder: compiling the library's templates was a third of a generate run."""
    import marshal

    from policygen.cache import cached_bytes, store_bytes

    identity = (jinja2.__version__, sys.version, source)
    stored = cached_bytes("templates", *identity)
    code = None
    if stored is not None:
        try:
            code = marshal.loads(stored)
        except (EOFError, ValueError, TypeError):
            code = None  # a damaged entry is compiled again
    if code is None:
        code = ENVIRONMENT.compile(source)  # raises TemplateSyntaxError; nothing is stored then
        store_bytes(marshal.dumps(code), "templates", *identity)
    return ENVIRONMENT.template_class.from_code(ENVIRONMENT, code, ENVIRONMENT.make_globals(None), None)


@lru_cache(maxsize=1024)
def compile_condition(source: str):
    return ENVIRONMENT.compile_expression(source, undefined_to_none=False)


def render(source: str, context: dict[str, Any]) -> str:
    return " ".join(compile_template(source).render(context).split())


__all__ = ["render", "compile_template", "compile_condition", "swedish_list",
           "TemplateSyntaxError", "UndefinedError"]
